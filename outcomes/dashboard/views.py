"""The dashboard pages: thin, the reads are in `data`, the access rule in `scope`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cases.audit import Action, access_log_record_many
from cases.models import Team, User
from interventions.models import InterventionType
from outcomes.dashboard import charts, disclosure
from outcomes.dashboard.data import (
    SORTS,
    WORK_LIST_SHOWN,
    WORK_LISTS,
    Dashboard,
    Filters,
    build,
    quarter_label,
)
from outcomes.dashboard.export import work_lists_csv
from outcomes.dashboard.scope import Mode, Scope, picks_any_team, team_scope, worker_scope
from outcomes.freshness import team_version

# The body of a page is rebuilt when its data changes (outcomes.freshness); this only bounds
# how long an unread entry stays in the cache.
PAGE_CACHE_SECONDS = 15 * 60


class FilterForm(forms.Form):
    """The URL's filter state: ids and codes only. Anything unknown falls back to no filter."""

    worker = forms.IntegerField(required=False, min_value=1)
    intervention = forms.ChoiceField(required=False, choices=[("", "")] + list(InterventionType.Code.choices))
    sort = forms.ChoiceField(required=False, choices=[(s, s) for s in SORTS])
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


def _filters(request: HttpRequest) -> Filters:
    form = FilterForm(request.GET)
    form.is_valid()
    data = {name: form.cleaned_data.get(name) for name in form.fields if name not in form.errors}
    return Filters(
        worker=data.get("worker") or None,
        intervention=data.get("intervention") or "",
        sort=data.get("sort") or "attention",
        page=data.get("page") or 1,
    )


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The entry: a leader goes to her team, a worker sees her own caseload, an
    administrator or analyst picks a team."""
    user: User = request.user
    if user.role == User.Role.TEAM_LEADER:
        return redirect("outcomes:dashboard_team", team_id=user.team_id)
    if user.role == User.Role.WORKER:
        return _render(request, worker_scope(user))
    if picks_any_team(user):
        return render(request, "outcomes/dashboard/pick_team.html", {"teams": Team.objects.order_by("name")})
    raise PermissionDenied


@login_required
@require_GET
def team_dashboard(request: HttpRequest, team_id: int) -> HttpResponse:
    return _render(request, team_scope(request.user, team_id))


@login_required
@require_GET
def work_lists_export(request: HttpRequest, team_id: int) -> HttpResponse:
    scope = team_scope(request.user, team_id)
    if not scope.can_export:
        raise PermissionDenied
    filters = _filters(request)
    board = build(scope, filters, today=timezone.localdate())
    items = board.all_work_items()
    access_log_record_many(
        user=request.user,
        action=Action.EXPORT,
        purpose=scope.purpose,
        young_person_ids=[i.young_person_id for i in items if i.young_person_id is not None],
        detail=_("dashboard work lists (CSV)"),
    )
    response = HttpResponse(
        work_lists_csv(items, worker_names=board.worker_names), content_type="text/csv; charset=utf-8"
    )
    name = f"work-lists-team-{scope.team.pk}-{board.today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _render(request: HttpRequest, scope: Scope) -> HttpResponse:
    """The page's body comes from the cache while the data it was built from is unchanged
    (outcomes.freshness); the access log is written on every request all the same."""
    filters = _filters(request)
    if scope.mode == Mode.WORKER:
        filters = Filters(worker=None, intervention=filters.intervention, sort=filters.sort, page=filters.page)
    today = timezone.localdate()
    key = _page_key(request, scope, filters, today)
    cached = cache.get(key)
    if cached is None:
        board = build(scope, filters, today=today)
        html = render_to_string("outcomes/dashboard/_board.html", _context(request, board), request=request)
        cached = (html, board.shown_young_people() if scope.shows_names else [])
        cache.set(key, cached, PAGE_CACHE_SECONDS)
    html, shown = cached
    if scope.shows_names:
        access_log_record_many(
            user=request.user,
            action=Action.LIST,
            purpose=scope.purpose,
            young_person_ids=shown,
            detail=_("dashboard"),
        )
    response = render(request, "outcomes/dashboard/dashboard.html", {"board_html": mark_safe(html)})  # noqa: S308
    response["Cache-Control"] = "no-store" if scope.shows_names else "private"
    return response


def _page_key(request: HttpRequest, scope: Scope, filters: Filters, today: dt.date) -> str:
    """Everything the body depends on: who sees it (mode, role, team, the worker's own
    caseload), the filters, the language, the day and the data's version. Ids only."""
    team_id = scope.team.pk if scope.team else 0
    own = request.user.pk if scope.mode == Mode.WORKER else 0
    params = urlencode(sorted(filters.params().items()))
    return (
        f"outcomes-dashboard-page:{scope.mode}:{request.user.role}:{team_id}:{own}:{params}:"
        f"{translation.get_language()}:{today.isoformat()}:{team_version(team_id)}"
    )


def _query(params: dict[str, str]) -> str:
    return f"?{urlencode(params)}" if params else ""


def _pct(rate: float | None) -> str:
    return "–" if rate is None else f"{round(rate * 100)} %"


def _context(request: HttpRequest, board: Dashboard) -> dict[str, Any]:
    scope, filters = board.scope, board.filters
    analyst = scope.mode == Mode.AGGREGATE
    base = request.path

    def link(**changes: Any) -> str:
        params = filters.params(**changes)
        return f"{base}?{urlencode(params)}" if params else base

    headline = None
    if board.totals is not None:
        totals = board.totals
        shares = {
            "weekly": totals["at_least_weekly_share"],
            **{f"retention_{h}": totals[f"retention_{h}"] for h in (91, 182, 365)},
        }
        if analyst:
            shares = {k: disclosure.share(v) for k, v in shares.items()}
        median_hidden = analyst and disclosure.is_small(totals["at_least_weekly_share"]["denominator"])
        headline = {
            "active": disclosure.count(totals["active_enrolments"]) if analyst else totals["active_enrolments"],
            "early": disclosure.count(totals["early_unplanned_endings"])
            if analyst
            else totals["early_unplanned_endings"],
            "median": "–" if median_hidden else _pct(totals["median_weekly_contact_rate"]),
            "shares": {k: {**v, "percent": _pct(v["rate"])} for k, v in shares.items()},
        }

    trend_rows = []
    for point in board.trend:
        share = disclosure.share(point.weekly_share) if analyst else point.weekly_share
        active = disclosure.count(point.active_enrolments) if analyst else point.active_enrolments
        trend_rows.append({"point": point, "share": share, "percent": _pct(share["rate"]), "active": active})
    share_chart = charts.bar_chart(
        [(r["point"].label, r["share"]["rate"], r["percent"]) for r in trend_rows], maximum=1.0
    )
    active_chart = charts.bar_chart(
        [
            (
                r["point"].label,
                None if analyst and r["active"] == disclosure.SUPPRESSED else r["point"].active_enrolments,
                str(r["active"]),
            )
            for r in trend_rows
        ]
    )

    names = board.worker_names
    for row in board.heatmap:
        row.worker_name = names.get(row.worker_id, "")
    lines = [
        {
            "worker": line.worker,
            "caseload": line.caseload,
            "weekly_share": line.weekly_share,
            "percent": _pct(line.weekly_share["rate"]),
        }
        for line in board.lines
    ]
    lists = [
        {
            "code": code,
            "label": str(label),
            "items": [
                {"item": item, "worker": names.get(item.worker_id, "") if item.worker_id else ""}
                for item in board.work_lists[code][:WORK_LIST_SHOWN]
            ],
            "total": len(board.work_lists[code]),
        }
        for code, label in WORK_LISTS
        if code in board.work_lists
    ]
    sort_links = {s: link(sort=s, page=1) for s in SORTS}
    return {
        "board": board,
        "scope": scope,
        "mode": scope.mode,
        "analyst": analyst,
        "headline": headline,
        "quarter_label": quarter_label(*board.quarter),
        "lines": lines,
        "buckets": board.buckets,
        "worker_names": board.worker_names,
        "weeks": board.weeks,
        "heatmap": board.heatmap,
        "sort_links": sort_links,
        "page_prev": link(page=filters.page - 1) if filters.page > 1 else "",
        "page_next": link(page=filters.page + 1) if filters.page < board.pages else "",
        "lists": lists,
        "trend_rows": trend_rows,
        "share_chart": share_chart,
        "active_chart": active_chart,
        "export_url": (
            reverse("outcomes:dashboard_export", args=[scope.team.pk]) + _query(filters.params(sort=None, page=None))
            if scope.can_export
            else ""
        ),
        "filter_workers": board.workers if scope.mode != Mode.WORKER else [],
        "filter_interventions": board.interventions,
    }

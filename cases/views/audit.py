"""The audit trail in the application: a young person's change history, her
access report and full data export (for an access request), and the team
leader's review of her team's access log.

Every page here is itself logged: reading the change history or the access
report is a use of the person's data, and so is each export.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import selectors
from cases.audit import Action, Purpose, access_log_record, access_log_record_many
from cases.audit_forms import AccessLogFilterForm
from cases.data_export import personal_data
from cases.decorators import case_worker_required
from cases.models import User, YoungPerson
from cases.selectors_audit import (
    ReviewFilters,
    access_log_of,
    access_report_rows,
    change_history,
    reviewable_team,
    team_access_log,
    team_users,
    team_young_people,
)
from outcomes.dashboard.export import BOM, safe_cell

CHANGES_PER_PAGE = 50
REPORT_ROWS_PER_PAGE = 100
REVIEW_ROWS_PER_PAGE = 50


def _own_purpose(user: User) -> str:
    return Purpose.SUPERVISION if user.role == User.Role.TEAM_LEADER else Purpose.CASE_WORK


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


# --- Change history ---------------------------------------------------------------


@case_worker_required
@require_GET
def change_history_page(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = selectors.young_person_for(request.user, pk)
    access_log_record(
        user=request.user,
        action=Action.READ,
        purpose=_own_purpose(request.user),
        young_person=young_person,
        obj=young_person,
        detail="change history",
    )
    page = Paginator(change_history(young_person), CHANGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cases/audit/change_history.html", {"young_person": young_person, "page": page})


# --- Access report and full export (an access request) ----------------------------------


@case_worker_required
@require_GET
def access_report(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = selectors.young_person_for(request.user, pk)
    access_log_record(
        user=request.user,
        action=Action.READ,
        purpose=Purpose.ACCESS_REQUEST,
        young_person=young_person,
        obj=young_person,
        detail="access report",
    )
    page = Paginator(access_log_of(young_person.pk), REPORT_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"young_person": young_person, "page": page, "rows": list(access_report_rows(page.object_list))}
    return _no_store(render(request, "cases/audit/access_report.html", context))


class _Echo:
    def write(self, value: str) -> str:
        return value


def _access_report_csv(young_person: YoungPerson) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow([_("Time"), _("Action"), _("Purpose"), _("Record"), _("Used by (role and team)")])
    rows = access_log_of(young_person.pk).iterator(chunk_size=2000)
    for row in access_report_rows(rows):
        yield writer.writerow(
            [
                safe_cell(value)
                for value in (row.at.isoformat(timespec="seconds"), row.action, row.purpose, row.record, row.by)
            ]
        )


@case_worker_required
@require_GET
def access_report_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    young_person = selectors.young_person_for(request.user, pk)
    access_log_record(
        user=request.user,
        action=Action.EXPORT,
        purpose=Purpose.ACCESS_REQUEST,
        young_person=young_person,
        obj=young_person,
        detail="access report (CSV)",
    )
    response = StreamingHttpResponse(_access_report_csv(young_person), content_type="text/csv; charset=utf-8")
    name = f"access-report-{young_person.pk}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _no_store(response)


@case_worker_required
@require_POST
def data_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything held about the young person as a JSON file. POST, and only the
    id in the URL: the file holds her CPR number, the address does not."""
    young_person = selectors.young_person_for(request.user, pk)
    access_log_record(
        user=request.user,
        action=Action.EXPORT,
        purpose=Purpose.ACCESS_REQUEST,
        young_person=young_person,
        obj=young_person,
        detail="full data export (JSON)",
    )
    body = json.dumps(personal_data(young_person), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"personal-data-{young_person.pk}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return _no_store(response)


# --- The team leader's review of the access log -------------------------------------------


def _team_id(request: HttpRequest) -> int | None:
    value = request.GET.get("team", "")
    return int(value) if value.isdigit() else None


@login_required
@require_GET
def access_log_review(request: HttpRequest) -> HttpResponse:
    user: User = request.user
    pick_team = user.role == User.Role.ADMINISTRATOR
    team = reviewable_team(user, _team_id(request) if pick_team else None)
    context: dict = {"team": team, "pick_team": pick_team, "page": None}
    if team is None:  # an administrator who has not picked a team yet
        context["form"] = AccessLogFilterForm(pick_team=True)
        return render(request, "cases/audit/access_log_review.html", context)
    form = AccessLogFilterForm(
        request.GET or None,
        users=team_users(team),
        young_people=team_young_people(team).order_by("name", "id"),
        pick_team=pick_team,
        initial={"team": team},
    )
    filters = form.filters() if form.is_bound and form.is_valid() else ReviewFilters()
    if form.is_bound and not form.is_valid():
        page = None
    else:
        page = Paginator(team_access_log(team, filters), REVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
        access_log_record_many(
            user=user,
            action=Action.LIST,
            purpose=Purpose.SUPERVISION,
            young_person_ids=[row.young_person_id for row in page.object_list if row.young_person_id],
            detail="access log review",
        )
    query = request.GET.copy()
    query.pop("page", None)
    context.update(form=form, page=page, query=query.urlencode())
    return _no_store(render(request, "cases/audit/access_log_review.html", context))

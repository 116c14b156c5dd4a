"""The analyst's report pages: choose a quarter, request, watch it render, download.

Analysts and administrators only (docs/REPORTS.md): the report is the
municipality's figures for management, and team leaders and workers see
their own teams on the dashboard. Everyone else gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from cases.models import Team, User
from outcomes.models import ReportRun
from outcomes.reports.quarters import Quarter
from outcomes.reports.services import report_run_download, report_run_request

REPORT_ROLES = (User.Role.ANALYST, User.Role.ADMINISTRATOR)
RUNS_LISTED = 50


def analyst_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role not in REPORT_ROLES:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def quarter_choices(today=None, count: int = 8) -> list[tuple[str, str]]:
    """The last `count` finished quarters, newest first."""
    quarter = Quarter.containing(today or timezone.localdate()).previous()
    choices = []
    for _n in range(count):
        choices.append((str(quarter), str(quarter)))
        quarter = quarter.previous()
    return choices


class ReportRequestForm(forms.Form):
    quarter = forms.ChoiceField(label=_("Quarter"))
    team = forms.ModelChoiceField(
        label=_("Scope"), queryset=Team.objects.all(), required=False, empty_label=_("All teams (the municipality)")
    )
    language = forms.ChoiceField(label=_("Language"), choices=[("da", _("Danish")), ("en", _("English"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = quarter_choices()


@analyst_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    runs = ReportRun.objects.select_related("team", "requested_by").defer("pdf")[:RUNS_LISTED]
    return render(request, "outcomes/reports/index.html", {"form": ReportRequestForm(), "runs": runs})


@analyst_required
@require_POST
def report_request(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(request.POST)
    if not form.is_valid():
        runs = ReportRun.objects.select_related("team", "requested_by").defer("pdf")[:RUNS_LISTED]
        return render(request, "outcomes/reports/index.html", {"form": form, "runs": runs}, status=400)
    run, _queued = report_run_request(
        quarter=Quarter.parse(form.cleaned_data["quarter"]),
        team=form.cleaned_data["team"],
        language=form.cleaned_data["language"],
        by=request.user,
    )
    return redirect("outcomes:report_detail", pk=run.pk)


@analyst_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun.objects.select_related("team").defer("pdf"), pk=pk)
    return render(request, "outcomes/reports/detail.html", {"run": run})


@analyst_required
@require_GET
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The small status partial the detail page polls (HTMX) until the run is finished."""
    run = get_object_or_404(ReportRun.objects.select_related("team").defer("pdf"), pk=pk)
    return render(request, "outcomes/reports/_status.html", {"run": run})


@analyst_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(ReportRun, pk=pk)
    if run.status != ReportRun.Status.DONE or run.pdf is None:
        raise Http404
    response = HttpResponse(report_run_download(run=run, by=request.user), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{run.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

"""The worker's caseload: "My young people", the follow-ups due, search."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import selectors
from cases.audit import Action, Purpose, access_log_record, access_log_record_many
from cases.decorators import case_worker_required
from cases.forms import SearchForm
from cases.models import User, YoungPerson
from interventions.method_follow_ups import method_follow_ups_due


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.works_cases:
        return redirect("cases:my_young_people")
    if request.user.role == User.Role.MENTOR:
        return redirect("interventions:mentor_home")
    if request.user.role == User.Role.ADMINISTRATOR:
        return redirect("admin:index")
    return render(request, "cases/no_case_access.html")


@case_worker_required
@require_GET
def my_young_people(request: HttpRequest) -> HttpResponse:
    team_wide = request.GET.get("scope") == "team"
    today = timezone.localdate()
    rows = selectors.caseload_for(request.user, today=today, team_wide=team_wide)
    followups = selectors.followups_for(request.user, today=today, team_wide=team_wide)
    method_followups = method_follow_ups_due(request.user, today=today, within_days=7)
    access_log_record_many(
        user=request.user,
        action=Action.LIST,
        purpose=Purpose.CASE_WORK,
        young_person_ids=[row.enrolment.young_person_id for row in rows] + [f.young_person.pk for f in followups],
    )
    return render(
        request,
        "cases/my_young_people.html",
        {
            "rows": rows,
            "followups": followups,
            "method_followups": method_followups,
            "today": today,
            "team_wide": team_wide,
            "search_form": SearchForm(),
        },
    )


@case_worker_required
@require_POST
def young_people_search(request: HttpRequest) -> HttpResponse:
    """Search by name. POST, so the term never lands in a URL or a server log;
    the search and its term are written to the access log."""
    form = SearchForm(request.POST)
    results: list[YoungPerson] = []
    if form.is_valid():
        term = form.cleaned_data["term"]
        results = list(selectors.young_people_search(request.user, term))
        access_log_record(user=request.user, action=Action.SEARCH, purpose=Purpose.CASE_WORK, detail=term)
        access_log_record_many(
            user=request.user,
            action=Action.LIST,
            purpose=Purpose.CASE_WORK,
            young_person_ids=[p.pk for p in results],
            detail=_("search result"),
        )
    template = "cases/partials/search_results.html" if request.htmx else "cases/search.html"
    return render(request, template, {"search_form": form, "results": results, "searched": form.is_valid()})

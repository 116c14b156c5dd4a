"""A young person's page: details, enrolments, the contact timeline and the quick log form."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from cases import selectors
from cases.audit import Action, Purpose, access_log_record
from cases.decorators import case_worker_required
from cases.views.contacts import contact_form, timeline


@case_worker_required
@require_GET
def young_person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = selectors.young_person_for(request.user, pk)
    access_log_record(
        user=request.user, action=Action.READ, purpose=Purpose.CASE_WORK, young_person=young_person, obj=young_person
    )
    enrolments = (
        selectors.enrolments_for(request.user)
        .filter(young_person=young_person)
        .select_related("intervention_type", "primary_worker", "team", "mentor_match__mentor")
        .prefetch_related(
            "pauses", "worker_periods__worker", "handovers__from_worker", "handovers__to_worker", "corrections"
        )
    )
    context = {
        "young_person": young_person,
        "age": young_person.age_on(timezone.localdate()),
        "enrolments": enrolments,
        "contacts": timeline(young_person),
        "today": timezone.localdate(),
        "consents": young_person.consents.all(),
        "status_events": young_person.status_events.all(),
        "problem_areas": young_person.problem_areas.all(),
        "form": contact_form(request, young_person),
    }
    return render(request, "cases/young_person_detail.html", context)

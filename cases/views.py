"""The worker's journey: her caseload, a young person's page, logging a contact.

Views are thin: parse with a form, call one service or selector, render.
Every page that shows personal data writes to the access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import selectors, services
from cases.audit import Action, Purpose, access_log_record, access_log_record_many
from cases.decorators import case_worker_required
from cases.forms import ContactForm, SearchForm
from cases.models import Contact, User, YoungPerson

TIMELINE_LENGTH = 50


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if request.user.works_cases:
        return redirect("cases:my_young_people")
    if request.user.role == User.Role.ADMINISTRATOR:
        return redirect("admin:index")
    return render(request, "cases/no_case_access.html")


@case_worker_required
@require_GET
def my_young_people(request: HttpRequest) -> HttpResponse:
    team_wide = request.GET.get("scope") == "team"
    rows = selectors.caseload_for(request.user, today=timezone.localdate(), team_wide=team_wide)
    access_log_record_many(
        user=request.user,
        action=Action.LIST,
        purpose=Purpose.CASE_WORK,
        young_person_ids=[row.enrolment.young_person_id for row in rows],
    )
    return render(
        request,
        "cases/my_young_people.html",
        {"rows": rows, "team_wide": team_wide, "search_form": SearchForm()},
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


def _contact_form(request: HttpRequest, young_person: YoungPerson, data: object = None) -> ContactForm:
    enrolments = selectors.loggable_enrolments_for(request.user, young_person, timezone.localdate())
    own = next((e for e in enrolments if e.primary_worker_id == request.user.pk), None)
    initial = {
        "enrolment": own or (enrolments[0] if enrolments else None),
        "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
        "duration_minutes": selectors.usual_contact_minutes(request.user),
        "channel": Contact.Channel.IN_PERSON,
        "status": Contact.Status.HELD,
    }
    return ContactForm(data, enrolments=enrolments, initial=initial)


def _timeline(young_person: YoungPerson) -> list[Contact]:
    return list(
        Contact.objects.filter(enrolment__young_person=young_person)
        .select_related("worker", "enrolment__intervention_type")
        .order_by("-occurred_at", "-id")[:TIMELINE_LENGTH]
    )


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
        .select_related("intervention_type", "primary_worker", "team")
        .prefetch_related("pauses", "worker_periods__worker")
    )
    context = {
        "young_person": young_person,
        "age": young_person.age_on(timezone.localdate()),
        "enrolments": enrolments,
        "contacts": _timeline(young_person),
        "status_events": young_person.status_events.all(),
        "problem_areas": young_person.problem_areas.all(),
        "form": _contact_form(request, young_person),
    }
    return render(request, "cases/young_person_detail.html", context)


@case_worker_required
@require_POST
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = selectors.young_person_for(request.user, pk)
    form = _contact_form(request, young_person, data=request.POST)
    saved = False
    if form.is_valid():
        try:
            services.contact_log(worker=request.user, by=request.user, **form.cleaned_data)
            saved = True
        except ValidationError as error:
            form.add_service_errors(error)
    if not request.htmx:
        if saved:
            messages.success(request, _("Contact logged."))
            return redirect("cases:young_person_detail", pk=young_person.pk)
        return render(request, "cases/contact_form_page.html", {"young_person": young_person, "form": form})
    if saved:
        form = _contact_form(request, young_person)
    context = {"young_person": young_person, "form": form, "saved": saved}
    if saved:
        context["contacts"] = _timeline(young_person)
    return render(request, "cases/partials/contact_logged.html", context)


@case_worker_required
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for(request.user, pk)
    young_person = contact.enrolment.young_person
    enrolments = selectors.enrolments_for(request.user).filter(young_person=young_person)
    if request.method == "POST":
        form = ContactForm(request.POST, enrolments=enrolments)
        if form.is_valid():
            try:
                services.contact_update(contact=contact, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Contact changed."))
                return redirect("cases:young_person_detail", pk=young_person.pk)
    else:
        access_log_record(
            user=request.user, action=Action.READ, purpose=Purpose.CASE_WORK, young_person=young_person, obj=contact
        )
        form = ContactForm(
            enrolments=enrolments,
            initial={
                "enrolment": contact.enrolment,
                "occurred_at": timezone.localtime(contact.occurred_at),
                "duration_minutes": contact.duration_minutes,
                "channel": contact.channel,
                "status": contact.status,
                "note": contact.note,
            },
        )
    return render(
        request,
        "cases/contact_edit.html",
        {
            "contact": contact,
            "young_person": young_person,
            "form": form,
            "action": reverse("cases:contact_edit", args=[contact.pk]),
        },
    )


@case_worker_required
@require_POST
def contact_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    contact = selectors.contact_for(request.user, pk)
    services.contact_cancel(contact=contact, by=request.user)
    messages.success(request, _("The contact is marked as cancelled."))
    return redirect("cases:young_person_detail", pk=contact.enrolment.young_person_id)

"""Logging, changing and cancelling contacts; the timeline they appear in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors, services
from cases.audit import Action, Purpose, access_log_record
from cases.decorators import case_worker_required
from cases.forms import ContactForm
from cases.models import Contact, YoungPerson

TIMELINE_LENGTH = 50


def contact_form(request: HttpRequest, young_person: YoungPerson, data: object = None) -> ContactForm:
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


def timeline(young_person: YoungPerson) -> list[Contact]:
    return list(
        Contact.objects.filter(enrolment__young_person=young_person)
        .select_related("worker", "enrolment__intervention_type")
        .order_by("-occurred_at", "-id")[:TIMELINE_LENGTH]
    )


@case_worker_required
@require_POST
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = selectors.young_person_for(request.user, pk)
    form = contact_form(request, young_person, data=request.POST)
    saved = None
    if form.is_valid():
        try:
            saved = services.contact_log(worker=request.user, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
    if not request.htmx:
        if saved:
            messages.success(request, _("Contact logged."))
            return redirect("cases:young_person_detail", pk=young_person.pk)
        return render(request, "cases/contact_form_page.html", {"young_person": young_person, "form": form})
    if saved:
        form = contact_form(request, young_person)
    context = {"young_person": young_person, "form": form, "saved": saved is not None}
    if saved:
        context |= timeline_update(young_person, saved)
    return render(request, "cases/partials/contact_logged.html", context)


def timeline_update(young_person: YoungPerson, contact: Contact) -> dict[str, object]:
    """What the page's timeline needs after `contact` was logged: the contact alone, put at the
    top, when it is the newest and the timeline had contacts before (the common case, and a
    fraction of the work of the whole timeline); otherwise (a contact logged for an earlier
    time, or the first one) the whole timeline in place of the page's."""
    latest = list(
        Contact.objects.filter(enrolment__young_person=young_person)
        .order_by("-occurred_at", "-id")
        .values_list("pk", flat=True)[:2]
    )
    if len(latest) == 2 and latest[0] == contact.pk:
        return {"newest": contact}
    return {"contacts": timeline(young_person)}


@case_worker_required
@require_http_methods(["GET", "POST"])
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

"""The enrolment lifecycle: open, pause and resume, hand over, close, reopen."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import selectors, services
from cases.decorators import case_worker_required
from cases.forms import CloseForm, EnrolmentOpenForm, HandoverForm, PauseForm, ReopenForm, ResumeForm
from cases.views.form_page import form_page

GET_POST = require_http_methods(["GET", "POST"])


def _person_url(young_person_id: int) -> str:
    return reverse("cases:young_person_detail", args=[young_person_id])


@case_worker_required
@GET_POST
def enrolment_open(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = selectors.young_person_for(request.user, pk)

    def save(data: dict) -> object:
        worker = data["primary_worker"]
        return services.enrolment_open(young_person=young_person, team=worker.team, by=request.user, **data)

    return form_page(
        request,
        form_class=EnrolmentOpenForm,
        title=_("Open an enrolment"),
        young_person=young_person,
        save=save,
        done_message=_("The enrolment is open."),
        back_url=_person_url(pk),
        form_kwargs={"workers": selectors.team_workers_for(request.user)},
        initial={"primary_worker": request.user, "start_date": timezone.localdate()},
        intro=_("Mentoring and Housing First need the young person's consent first."),
    )


@case_worker_required
@GET_POST
def enrolment_pause(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(request.user, pk)
    return form_page(
        request,
        form_class=PauseForm,
        title=_("Pause: %(intervention)s") % {"intervention": enrolment.intervention_type},
        young_person=enrolment.young_person,
        save=lambda data: services.pause_save(enrolment=enrolment, by=request.user, **data),
        done_message=_("The pause is recorded."),
        back_url=_person_url(enrolment.young_person_id),
        initial={"start_date": timezone.localdate()},
    )


@case_worker_required
@GET_POST
def pause_resume(request: HttpRequest, pk: int) -> HttpResponse:
    pause = selectors.pause_for(request.user, pk)
    young_person = pause.enrolment.young_person
    return form_page(
        request,
        form_class=ResumeForm,
        title=_("Resume after the pause"),
        young_person=young_person,
        save=lambda data: services.pause_end(pause=pause, by=request.user, **data),
        done_message=_("The enrolment is resumed."),
        back_url=_person_url(young_person.pk),
        initial={"end_date": timezone.localdate()},
    )


@case_worker_required
@GET_POST
def enrolment_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(request.user, pk)
    today = timezone.localdate()
    return form_page(
        request,
        form_class=HandoverForm,
        title=_("Hand over: %(intervention)s") % {"intervention": enrolment.intervention_type},
        young_person=enrolment.young_person,
        save=lambda data: services.enrolment_hand_over(enrolment=enrolment, by=request.user, **data),
        done_message=_("The handover is recorded."),
        back_url=_person_url(enrolment.young_person_id),
        form_kwargs={"workers": selectors.team_workers_for(request.user).exclude(pk=enrolment.primary_worker_id)},
        initial={"on_date": today, "overlap_until": today + dt.timedelta(days=28)},
        intro=_("The known worker introduces the new one, and both stay attached for a while."),
    )


@case_worker_required
@GET_POST
def enrolment_close(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(request.user, pk)
    return form_page(
        request,
        form_class=CloseForm,
        title=_("Close: %(intervention)s") % {"intervention": enrolment.intervention_type},
        young_person=enrolment.young_person,
        save=lambda data: services.enrolment_close(enrolment=enrolment, by=request.user, **data),
        done_message=_("The enrolment is closed."),
        back_url=_person_url(enrolment.young_person_id),
        initial={"end_date": timezone.localdate()},
        intro=_("A planned phase-out is a good ending, not a dropout."),
    )


@case_worker_required
@GET_POST
def enrolment_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.enrolment_for(request.user, pk)
    return form_page(
        request,
        form_class=ReopenForm,
        title=_("Reopen: %(intervention)s") % {"intervention": enrolment.intervention_type},
        young_person=enrolment.young_person,
        save=lambda data: services.enrolment_reopen(enrolment=enrolment, by=request.user, **data),
        done_message=_("The enrolment is reopened; the correction is recorded."),
        back_url=_person_url(enrolment.young_person_id),
        intro=_("Only to correct a closing made by mistake. A new course is a new enrolment."),
    )

"""Mentoring pages: the mentor pool and screening, choosing a mentor and the
match, group sessions, and the page a mentor with an account uses.

Thin: parse with a form, call one service or selector, render or redirect.
Pages that show a young person's data write to the access log; so does the
mentor's page, a read of her own record (young person empty).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.audit import Action, Purpose, access_log_record, access_log_record_many
from cases.decorators import case_worker_required
from cases.models import Contact, User
from cases.selectors import enrolments_for, young_person_for
from interventions.mentoring import selectors, services
from interventions.mentoring.forms import (
    MatchDeclineForm,
    MatchEndForm,
    MatchProposeForm,
    MatchStartForm,
    MeetingForm,
    MenteeProfileForm,
    MentorCreateForm,
    MentorForm,
    MentorStatusForm,
    ScreeningStepForm,
    SessionAttendanceForm,
    SessionForm,
)
from interventions.mentoring.screening import checklist, next_step
from interventions.models import InterventionType, Match, MenteeProfile, Mentor, MentorSession


def mentor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The mentor's own page: for accounts with the mentor role only."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role != User.Role.MENTOR:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _read(request: HttpRequest, obj: Any, young_person_id: int | None) -> None:
    access_log_record(
        user=request.user, action=Action.READ, purpose=Purpose.CASE_WORK, young_person=young_person_id, obj=obj
    )


def _listed(request: HttpRequest, young_person_ids: list[int]) -> None:
    access_log_record_many(
        user=request.user, action=Action.LIST, purpose=Purpose.CASE_WORK, young_person_ids=young_person_ids
    )


# --- Mentors --------------------------------------------------------------------------------


@case_worker_required
@require_GET
def mentor_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Mentor.Status.values:
        status = ""
    today = timezone.localdate()
    mentors = selectors.mentor_list(request.user, status=status)
    rows = [(mentor, selectors.mentor_flags(mentor, today)) for mentor in mentors]
    return render(
        request,
        "interventions/mentoring/mentor_list.html",
        {"rows": rows, "status": status, "statuses": Mentor.Status.choices},
    )


@case_worker_required
@require_http_methods(["GET", "POST"])
def mentor_create(request: HttpRequest) -> HttpResponse:
    form = MentorCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MentorForm.Meta.fields}
        try:
            mentor = services.mentor_create(
                team=request.user.team,
                first_contact_on=form.cleaned_data["first_contact_on"],
                by=request.user,
                **fields,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Mentor registered. Next: the interview."))
            return redirect("interventions:mentor_detail", pk=mentor.pk)
    return render(request, "interventions/mentoring/mentor_form.html", {"form": form, "mentor": None})


@case_worker_required
@require_http_methods(["GET", "POST"])
def mentor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = selectors.mentor_for(request.user, pk)
    form = MentorForm(request.POST or None, instance=mentor)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MentorForm.Meta.fields}
        try:
            services.mentor_update(mentor=mentor, by=request.user, **fields)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("interventions:mentor_detail", pk=mentor.pk)
    return render(request, "interventions/mentoring/mentor_form.html", {"form": form, "mentor": mentor})


def _mentor_page(
    request: HttpRequest,
    mentor: Mentor,
    *,
    step_form: ScreeningStepForm | None = None,
    status_form: MentorStatusForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    matches = list(
        mentor.matches.filter(enrolment__in=enrolments_for(request.user))
        .select_related("enrolment__young_person")
        .order_by("-meeting_date", "-pk")
    )
    _read(request, mentor, None)
    _listed(request, [m.enrolment.young_person_id for m in matches])
    sessions = mentor.session_attendances.select_related("session").order_by("-session__starts_at")[:12]
    context = {
        "mentor": mentor,
        "checklist": checklist(mentor, today),
        "next_step": next_step(mentor),
        "step_form": step_form or ScreeningStepForm(initial={"step": next_step(mentor) or ""}),
        "status_form": status_form or MentorStatusForm(mentor=mentor),
        "matches": matches,
        "session_attendances": sessions,
        "today": today,
    }
    return render(request, "interventions/mentoring/mentor_detail.html", context)


@case_worker_required
@require_GET
def mentor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _mentor_page(request, selectors.mentor_for(request.user, pk))


@case_worker_required
@require_POST
def screening_step_create(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = selectors.mentor_for(request.user, pk)
    form = ScreeningStepForm(request.POST)
    if form.is_valid():
        try:
            step = services.screening_step_record(mentor=mentor, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("“%(step)s” recorded.") % {"step": step.get_step_display()})
            return redirect("interventions:mentor_detail", pk=mentor.pk)
    return _mentor_page(request, mentor, step_form=form)


@case_worker_required
@require_POST
def mentor_status(request: HttpRequest, pk: int) -> HttpResponse:
    mentor = selectors.mentor_for(request.user, pk)
    form = MentorStatusForm(request.POST, mentor=mentor)
    if form.is_valid():
        try:
            services.mentor_status_set(mentor=mentor, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Status changed."))
            return redirect("interventions:mentor_detail", pk=mentor.pk)
    return _mentor_page(request, mentor, status_form=form)


# --- Matches -----------------------------------------------------------------------------------


@case_worker_required
@require_GET
def match_list(request: HttpRequest) -> HttpResponse:
    matches = list(selectors.match_list(request.user))
    _listed(request, [m.enrolment.young_person_id for m in matches])
    groups = [
        (Match.Status.PROPOSED, [m for m in matches if m.status == Match.Status.PROPOSED]),
        (Match.Status.ACTIVE, [m for m in matches if m.status == Match.Status.ACTIVE]),
        (Match.Status.ENDED, [m for m in matches if m.status == Match.Status.ENDED]),
        (Match.Status.DECLINED, [m for m in matches if m.status == Match.Status.DECLINED]),
    ]
    return render(
        request,
        "interventions/mentoring/match_list.html",
        {"groups": [(Match.Status(s).label, s, rows) for s, rows in groups]},
    )


def _match_new_page(
    request: HttpRequest,
    young_person_id: int,
    *,
    form: MatchProposeForm | None = None,
    profile_form: MenteeProfileForm | None = None,
) -> HttpResponse:
    young_person = young_person_for(request.user, young_person_id)
    _read(request, young_person, young_person.pk)
    today = timezone.localdate()
    candidates = selectors.candidates_for(request.user, young_person, today)
    available = [c.mentor.pk for c in candidates if c.available]
    profile = MenteeProfile.objects.filter(young_person=young_person).first()
    form = form or MatchProposeForm(
        mentors=selectors.mentors_for(request.user).filter(pk__in=available),
        initial={"meeting_participants": f"{request.user.name} ({_('coordinator')})\n"},
    )
    context = {
        "young_person": young_person,
        "age": young_person.age_on(today),
        "problem_areas": young_person.problem_areas.all(),
        "profile": profile,
        "profile_form": profile_form or MenteeProfileForm(instance=profile),
        "candidates": [c for c in candidates if c.available],
        "unavailable": [c for c in candidates if not c.available],
        "form": form,
    }
    return render(request, "interventions/mentoring/match_new.html", context)


@case_worker_required
@require_http_methods(["GET", "POST"])
def match_new(request: HttpRequest, young_person_pk: int) -> HttpResponse:
    """Choose a mentor (criteria side by side, best fit first) and record the match meeting."""
    if request.method != "POST":
        return _match_new_page(request, young_person_pk)
    young_person = young_person_for(request.user, young_person_pk)
    form = MatchProposeForm(request.POST, mentors=selectors.mentors_for(request.user))
    if form.is_valid():
        try:
            match = services.match_propose(
                young_person=young_person, coordinator=request.user, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Match meeting recorded. Record the young person's answer when it comes."))
            return redirect("interventions:match_detail", pk=match.pk)
    return _match_new_page(request, young_person_pk, form=form)


@case_worker_required
@require_POST
def mentee_profile(request: HttpRequest, young_person_pk: int) -> HttpResponse:
    young_person = young_person_for(request.user, young_person_pk)
    profile = MenteeProfile.objects.filter(young_person=young_person).first()
    form = MenteeProfileForm(request.POST, instance=profile)
    if form.is_valid():
        services.mentee_profile_save(young_person=young_person, by=request.user, **form.cleaned_data)
        messages.success(request, _("The young person's interests and wishes are saved."))
        return redirect("interventions:match_new", young_person_pk=young_person.pk)
    return _match_new_page(request, young_person_pk, profile_form=form)


@case_worker_required
@require_GET
def enrolment_match(request: HttpRequest, pk: int) -> HttpResponse:
    """From a mentoring enrolment on the young person's page to its match, or to choosing one."""
    enrolment = enrolments_for(request.user).select_related("intervention_type").filter(pk=pk).first()
    if enrolment is None or enrolment.intervention_type.code != InterventionType.Code.MENTORING:
        raise Http404
    match = Match.objects.filter(enrolment=enrolment).first()
    if match is not None:
        return redirect("interventions:match_detail", pk=match.pk)
    return redirect("interventions:match_new", young_person_pk=enrolment.young_person_id)


def _match_page(request: HttpRequest, match: Match, **forms: Any) -> HttpResponse:
    _read(request, match, match.enrolment.young_person_id)
    meetings = list(
        Contact.objects.filter(mentor_contact__match=match)
        .select_related("worker")
        .order_by("-occurred_at", "-pk")[:50]
    )
    now = timezone.localtime().replace(second=0, microsecond=0)
    context = {
        "match": match,
        "young_person": match.enrolment.young_person,
        "meetings": meetings,
        "start_form": forms.get("start_form") or MatchStartForm(),
        "decline_form": forms.get("decline_form") or MatchDeclineForm(),
        "end_form": forms.get("end_form") or MatchEndForm(),
        "meeting_form": forms.get("meeting_form") or MeetingForm(initial={"occurred_at": now}),
    }
    return render(request, "interventions/mentoring/match_detail.html", context)


@case_worker_required
@require_GET
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _match_page(request, selectors.match_for(request.user, pk))


def _match_action(
    request: HttpRequest, pk: int, form_class: type, form_name: str, action: Callable[..., Any], done: str
) -> HttpResponse:
    match = selectors.match_for(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(match=match, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect("interventions:match_detail", pk=match.pk)
    return _match_page(request, match, **{form_name: form})


@case_worker_required
@require_POST
def match_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _match_action(request, pk, MatchStartForm, "start_form", services.match_start, _("The match has started."))


@case_worker_required
@require_POST
def match_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _match_action(
        request,
        pk,
        MatchDeclineForm,
        "decline_form",
        services.match_decline,
        _("The young person's no is recorded and the mentoring enrolment is closed."),
    )


@case_worker_required
@require_POST
def match_end(request: HttpRequest, pk: int) -> HttpResponse:
    return _match_action(
        request, pk, MatchEndForm, "end_form", services.match_end, _("The match has ended; its enrolment is closed.")
    )


@case_worker_required
@require_POST
def match_meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator logs a meeting for a mentor who has no account."""
    return _match_action(
        request, pk, MeetingForm, "meeting_form", services.mentor_contact_log, _("The mentor's meeting is logged.")
    )


# --- Group sessions ----------------------------------------------------------------------------


@case_worker_required
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    sessions = selectors.sessions_for(request.user).prefetch_related("attendances")
    upcoming = list(sessions.filter(starts_at__gt=now).order_by("starts_at", "pk"))
    past = list(sessions.filter(starts_at__lte=now).order_by("-starts_at", "-pk")[:30])
    return render(request, "interventions/mentoring/session_list.html", {"upcoming": upcoming, "past": past})


@case_worker_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    mentors = selectors.mentors_for(request.user).filter(status__in=[Mentor.Status.ACTIVE, Mentor.Status.PAUSED])
    form = SessionForm(request.POST or None, mentors=mentors, initial={"invited": list(mentors), "kind": "supervision"})
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(team=request.user.team, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect("interventions:session_detail", pk=session.pk)
    return render(request, "interventions/mentoring/session_form.html", {"form": form})


def _session_page(request: HttpRequest, session: MentorSession, form: SessionAttendanceForm | None = None):
    attended = [a.mentor for a in session.attendances.all() if a.attended]
    form = form or SessionAttendanceForm(session=session, initial={"attended": attended})
    return render(request, "interventions/mentoring/session_detail.html", {"session": session, "form": form})


@case_worker_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, selectors.session_for(request.user, pk))


@case_worker_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.session_for(request.user, pk)
    form = SessionAttendanceForm(request.POST, session=session)
    if form.is_valid():
        try:
            services.session_attendance_record(session=session, attended=form.cleaned_data["attended"], by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("interventions:session_detail", pk=session.pk)
    return _session_page(request, session, form)


# --- The mentor's own page ----------------------------------------------------------------------


def _mentor_home(request: HttpRequest, forms: dict[int, MeetingForm] | None = None) -> HttpResponse:
    matches = list(selectors.mentee_matches_for(request.user))
    now = timezone.localtime().replace(second=0, microsecond=0)
    rows = []
    for match in matches:
        _read(request, match, match.enrolment.young_person_id)
        own = (
            Contact.objects.filter(enrolment=match.enrolment, worker=request.user)
            .order_by("-occurred_at", "-pk")
            .only("occurred_at", "duration_minutes", "channel", "status", "note")[:20]
        )
        form = (forms or {}).get(match.pk) or MeetingForm(initial={"occurred_at": now}, prefix=f"m{match.pk}")
        rows.append(
            {
                "match": match,
                "first_name": selectors.first_name(match.enrolment.young_person),
                "form": form,
                "contacts": own,
            }
        )
    return render(request, "interventions/mentoring/mentor_home.html", {"rows": rows})


@mentor_required
@require_GET
def mentor_home(request: HttpRequest) -> HttpResponse:
    return _mentor_home(request)


@mentor_required
@require_POST
def mentor_meeting_log(request: HttpRequest, pk: int) -> HttpResponse:
    match = selectors.mentee_match_for(request.user, pk)
    form = MeetingForm(request.POST, prefix=f"m{match.pk}")
    if form.is_valid():
        try:
            services.mentor_contact_log(match=match, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Meeting logged."))
            return redirect("interventions:mentor_home")
    return _mentor_home(request, {match.pk: form})

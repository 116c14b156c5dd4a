"""Group-work pages: the team's activities and who came, follow-up flags, bridging.

Thin: parse with a form, call one service or selector, render or redirect.
Every page that names young people writes to the access log.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.audit import Action, Purpose, access_log_record, access_log_record_many
from cases.decorators import case_worker_required
from cases.models import Enrolment, User
from interventions.group_work import selectors, services
from interventions.group_work.forms import (
    ActivityForm,
    AttendanceForm,
    BridgingForm,
    FlagForm,
    FlagTakeForm,
    NewActivityForm,
)
from interventions.models import GroupActivity, InterventionType

ACTIVITIES_SHOWN = 60


def _listed(request: HttpRequest, young_person_ids: list[int]) -> None:
    access_log_record_many(
        user=request.user, action=Action.LIST, purpose=Purpose.CASE_WORK, young_person_ids=young_person_ids
    )


def _team_workers(user: User) -> QuerySet[User]:
    return User.objects.filter(
        team_id=user.team_id, is_active=True, role__in=[User.Role.WORKER, User.Role.TEAM_LEADER]
    ).order_by("name", "pk")


def _team_rw_enrolments(user: User) -> QuerySet[Enrolment]:
    """What a posted tick may name; the service refuses those not open on the day."""
    return Enrolment.objects.filter(
        team_id=user.team_id, intervention_type__code=InterventionType.Code.RELATIONSHIP_WORK
    ).select_related("young_person")


@case_worker_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    activities = list(selectors.activity_list(request.user)[:ACTIVITIES_SHOWN])
    return render(
        request,
        "interventions/group_work/activity_list.html",
        {"activities": activities, "open_flags": selectors.open_flag_count(request.user)},
    )


@case_worker_required
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NewActivityForm(
            request.POST, workers=_team_workers(request.user), attendees=_team_rw_enrolments(request.user)
        )
        if form.is_valid():
            try:
                activity = services.activity_create(team=request.user.team, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Activity registered with %(count)d present.") % {"count": len(form.cleaned_data["present"])},
                )
                return redirect("interventions:activity_detail", pk=activity.pk)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = NewActivityForm(
            workers=_team_workers(request.user),
            attendees=selectors.choices_for_new_activity(request.user, now.date()),
            initial={"starts_at": now, "workers": [request.user], "kind": GroupActivity.Kind.DROP_IN},
        )
    attendees = list(form.fields["present"].queryset)
    _listed(request, [e.young_person_id for e in attendees])
    return render(request, "interventions/group_work/activity_form.html", {"form": form, "activity": None})


def _activity_page(request: HttpRequest, activity: GroupActivity, form: AttendanceForm | None = None) -> HttpResponse:
    choices = selectors.attendance_choices(activity)
    rows = {a.enrolment_id: a for a in activity.attendances.all()}
    present = [e for e in choices if e.pk in rows and rows[e.pk].present]
    form = form or AttendanceForm(attendees=choices, initial={"present": present})
    flags = {f.enrolment_id: f for f in activity.flags.filter(taken_at__isnull=True)}
    open_flags = selectors.flags_for(request.user).filter(taken_at__isnull=True)
    flagged = set(open_flags.values_list("enrolment_id", flat=True))
    _listed(request, [e.young_person_id for e in choices])
    context = {
        "activity": activity,
        "form": form,
        "present": present,
        "flags": flags,
        "flagged": flagged,
        "workers": activity.workers.all(),
        "begun": activity.starts_at <= timezone.now(),
    }
    return render(request, "interventions/group_work/activity_detail.html", context)


@case_worker_required
@require_GET
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, selectors.activity_for(request.user, pk))


@case_worker_required
@require_POST
def attendance_save(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_for(request.user, pk)
    form = AttendanceForm(request.POST, attendees=_team_rw_enrolments(request.user))
    if form.is_valid():
        try:
            counts = services.attendance_set(activity=activity, present=form.cleaned_data["present"], by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("Attendance saved: %(added)d added, %(restored)d ticked again, %(removed)d un-ticked.") % counts,
            )
            return redirect("interventions:activity_detail", pk=activity.pk)
    form.fields["present"].queryset = selectors.attendance_choices(activity)
    return _activity_page(request, activity, form)


@case_worker_required
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_for(request.user, pk)
    initial = {
        "kind": activity.kind,
        "title": activity.title,
        "starts_at": timezone.localtime(activity.starts_at),
        "duration_minutes": activity.duration_minutes,
        "place": activity.place,
        "workers": list(activity.workers.all()),
        "unregistered_count": activity.unregistered_count,
        "note": activity.note,
    }
    form = ActivityForm(request.POST or None, workers=_team_workers(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("interventions:activity_detail", pk=activity.pk)
    return render(request, "interventions/group_work/activity_form.html", {"form": form, "activity": activity})


# --- Follow-up flags ----------------------------------------------------------------------


@case_worker_required
@require_GET
def flag_list(request: HttpRequest) -> HttpResponse:
    open_flags, taken = selectors.flag_list(request.user, now=timezone.now())
    _listed(request, [f.enrolment.young_person_id for f in open_flags + taken])
    return render(
        request,
        "interventions/group_work/flag_list.html",
        {"open_flags": open_flags, "taken": taken, "take_form": FlagTakeForm()},
    )


@case_worker_required
@require_http_methods(["GET", "POST"])
def flag_create(request: HttpRequest, enrolment_pk: int) -> HttpResponse:
    enrolment = selectors.rw_enrolment_for(request.user, enrolment_pk)
    if enrolment.intervention_type.code != InterventionType.Code.RELATIONSHIP_WORK:
        raise Http404
    activities = selectors.activities_for(request.user)
    if request.method == "POST":
        form = FlagForm(request.POST, activities=activities)
        if form.is_valid():
            try:
                services.flag_raise(enrolment=enrolment, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Flagged for individual follow-up; the team leader sees it on the list."))
                activity = form.cleaned_data["activity"]
                if activity is not None:
                    return redirect("interventions:activity_detail", pk=activity.pk)
                return redirect("cases:young_person_detail", pk=enrolment.young_person_id)
    else:
        activity = activities.filter(pk=request.GET.get("activity") or 0).first()
        form = FlagForm(activities=activities, initial={"activity": activity})
    access_log_record(
        user=request.user,
        action=Action.READ,
        purpose=Purpose.CASE_WORK,
        young_person=enrolment.young_person_id,
        obj=enrolment,
    )
    return render(request, "interventions/group_work/flag_form.html", {"form": form, "enrolment": enrolment})


@case_worker_required
@require_POST
def flag_take(request: HttpRequest, pk: int) -> HttpResponse:
    flag = selectors.flag_for(request.user, pk)
    form = FlagTakeForm(request.POST)
    if form.is_valid():
        try:
            services.flag_take(flag=flag, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("You took the follow-up of %(name)s.") % {"name": flag.enrolment.young_person.name}
            )
    return redirect("interventions:flag_list")


# --- Bridging ------------------------------------------------------------------------------


@case_worker_required
@require_http_methods(["GET", "POST"])
def bridging(request: HttpRequest, enrolment_pk: int) -> HttpResponse:
    """Escorts to other services and contacts with them on the young person's behalf."""
    enrolment = selectors.rw_enrolment_for(request.user, enrolment_pk)
    if request.method == "POST":
        form = BridgingForm(request.POST)
        if form.is_valid():
            try:
                services.bridging_record(enrolment=enrolment, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Bridging recorded."))
                return redirect("interventions:bridging", enrolment_pk=enrolment.pk)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        form = BridgingForm(initial={"occurred_at": now, "kind": "escort"})
    access_log_record(
        user=request.user,
        action=Action.READ,
        purpose=Purpose.CASE_WORK,
        young_person=enrolment.young_person_id,
        obj=enrolment,
        detail="bridging",
    )
    context = {"enrolment": enrolment, "form": form, "bridgings": selectors.bridgings_of(enrolment)}
    return render(request, "interventions/group_work/bridging.html", context)

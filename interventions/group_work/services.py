"""Every write of group work: activities and their attendance, follow-up flags, bridging.

Attendance is a set: `attendance_set` makes the ticked young people exactly
the ones present, however often it runs. A tick logs a `group_activity`
contact through cases.services.contact_log; un-ticking keeps the contact but
marks it cancelled (so the timeline and the access log keep what happened and
no indicator counts it); ticking again restores the same contact to held.
Changing the activity's time or length changes its contacts with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.audit import Action, Purpose, access_log_record
from cases.models import Contact, Enrolment, Team, User
from cases.services import FUTURE_TOLERANCE
from cases.services.common import history_by
from interventions.models import Bridging, FollowUpFlag, GroupActivity, GroupAttendance, InterventionType

# The known worker stays attached for a while when a flag is taken over (000:L655-676).
HANDOVER_OVERLAP_DAYS = 14

ACTIVITY_FIELDS = ("kind", "title", "starts_at", "duration_minutes", "place", "unregistered_count", "note")


def _log(by: User | None, action: str, young_person_id: int, obj: Any, detail: str = "") -> None:
    if by is not None:
        access_log_record(
            user=by, action=action, purpose=Purpose.CASE_WORK, young_person=young_person_id, obj=obj, detail=detail
        )


def eligible_enrolments(team: Team, day: dt.date) -> QuerySet[Enrolment]:
    """Who can be ticked: young people with a relationship-work enrolment of the
    team that is open on the activity's day."""
    return Enrolment.objects.filter(
        team=team,
        intervention_type__code=InterventionType.Code.RELATIONSHIP_WORK,
        start_date__lte=day,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))


def _validate_workers(team: Team, workers: list[User]) -> None:
    if not workers:
        raise ValidationError({"workers": _("Tick at least one worker who was there.")})
    for worker in workers:
        if not worker.works_cases or worker.team_id != team.pk:
            raise ValidationError(
                {"workers": _("%(name)s is not a worker of %(team)s.") % {"name": worker, "team": team}}
            )


def _aware(moment: dt.datetime) -> dt.datetime:
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@history_by
@transaction.atomic
def activity_create(
    *,
    team: Team,
    kind: str,
    title: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    workers: Iterable[User],
    by: User | None,
    place: str = "",
    unregistered_count: int = 0,
    note: str = "",
    present: Iterable[Enrolment] = (),
) -> GroupActivity:
    """Register an activity with the workers who ran it, and tick who came."""
    workers = list(workers)
    _validate_workers(team, workers)
    activity = GroupActivity(
        team=team,
        kind=kind,
        title=title.strip(),
        starts_at=_aware(starts_at),
        duration_minutes=duration_minutes,
        place=place.strip(),
        unregistered_count=unregistered_count,
        note=note.strip(),
        created_by=by,
    )
    activity.full_clean()
    activity.save()
    activity.workers.set(workers)
    present = list(present)
    if present:
        attendance_set(activity=activity, present=present, by=by)
    return activity


@history_by
@transaction.atomic
def activity_update(
    *, activity: GroupActivity, by: User | None, workers: Iterable[User] | None = None, **fields: Any
) -> GroupActivity:
    """Change an activity; its contacts follow its time and length, and a
    contact whose worker is no longer listed as present moves to one who is."""
    unknown = set(fields) - set(ACTIVITY_FIELDS)
    if unknown:
        raise TypeError(f"activity_update got unexpected fields {sorted(unknown)}")
    if "starts_at" in fields:
        fields["starts_at"] = _aware(fields["starts_at"])
    for name, value in fields.items():
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    activity.full_clean()
    activity.save()
    if workers is not None:
        workers = list(workers)
        _validate_workers(activity.team, workers)
        activity.workers.set(workers)
    present_workers = list(activity.workers.all())
    attendances = activity.attendances.select_related("contact", "enrolment__young_person", "enrolment__primary_worker")
    for attendance in attendances:
        contact = attendance.contact
        changes: dict[str, Any] = {}
        if contact.occurred_at != activity.starts_at:
            changes["occurred_at"] = activity.starts_at
        if contact.duration_minutes != activity.duration_minutes:
            changes["duration_minutes"] = activity.duration_minutes
        if contact.worker_id not in {w.pk for w in present_workers}:
            changes["worker"] = _contact_worker(present_workers, attendance.enrolment, by)
        if changes:
            try:
                case_services.contact_update(
                    contact=contact, by=by, allow_outside_enrolment=not attendance.present, **changes
                )
            except ValidationError as error:
                raise ValidationError(
                    {"starts_at": [f"{attendance.enrolment.young_person}: {m}" for m in error.messages]}
                ) from error
    return activity


def _contact_worker(workers: list[User], enrolment: Enrolment, by: User | None) -> User:
    """Whose contact it is: the young person's primary worker if she was there,
    else the one ticking the list if she was there, else the first listed."""
    by_pk = {w.pk: w for w in workers}
    if enrolment.primary_worker_id in by_pk:
        return by_pk[enrolment.primary_worker_id]
    if by is not None and by.pk in by_pk:
        return by_pk[by.pk]
    return min(workers, key=lambda w: (w.name, w.pk))


@history_by
@transaction.atomic
def attendance_set(*, activity: GroupActivity, present: Iterable[Enrolment], by: User | None) -> dict[str, int]:
    """Make the ticked enrolments exactly those present (see the module's note).
    Returns how many were added, restored and un-ticked."""
    if activity.starts_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"present": _("Who came can be ticked once the activity has begun.")})
    day = timezone.localtime(activity.starts_at).date()
    wanted = {e.pk: e for e in present}
    eligible = set(eligible_enrolments(activity.team, day).filter(pk__in=wanted).values_list("pk", flat=True))
    strangers = [e for pk, e in wanted.items() if pk not in eligible]
    if strangers:
        raise ValidationError(
            {
                "present": [
                    _("%(person)s has no open relationship-work enrolment in %(team)s on %(date)s.")
                    % {"person": e.young_person, "team": activity.team, "date": day.isoformat()}
                    for e in strangers
                ]
            }
        )
    workers = list(activity.workers.all())
    if not workers:
        raise ValidationError({"workers": _("Tick at least one worker who was there.")})
    rows = {a.enrolment_id: a for a in activity.attendances.select_related("contact", "enrolment")}
    counts = {"added": 0, "restored": 0, "removed": 0}
    for pk, enrolment in wanted.items():
        row = rows.get(pk)
        if row is None:
            contact = case_services.contact_log(
                enrolment=enrolment,
                worker=_contact_worker(workers, enrolment, by),
                occurred_at=activity.starts_at,
                duration_minutes=activity.duration_minutes,
                channel=Contact.Channel.GROUP_ACTIVITY,
                status=Contact.Status.HELD,
                note=activity.title[:500],
                by=by,
            )
            GroupAttendance.objects.create(activity=activity, enrolment=enrolment, contact=contact)
            counts["added"] += 1
        elif not row.present:
            case_services.contact_update(contact=row.contact, by=by, status=Contact.Status.HELD)
            row.present = True
            row.save(update_fields=["present"])
            counts["restored"] += 1
    for pk, row in rows.items():
        if pk not in wanted and row.present:
            case_services.contact_cancel(contact=row.contact, by=by)
            row.present = False
            row.save(update_fields=["present"])
            counts["removed"] += 1
    return counts


# --- Follow-up flags --------------------------------------------------------------------


@history_by
@transaction.atomic
def flag_raise(*, enrolment: Enrolment, reason: str, by: User, activity: GroupActivity | None = None) -> FollowUpFlag:
    """Flag a young person seen in group work for individual follow-up
    (000:L617-631). One open flag per enrolment."""
    if enrolment.intervention_type.code != InterventionType.Code.RELATIONSHIP_WORK or enrolment.end_date is not None:
        raise ValidationError({"reason": _("Only a young person in open relationship work can be flagged.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the young person needs individual follow-up.")})
    existing = FollowUpFlag.objects.filter(enrolment=enrolment, taken_at__isnull=True).select_related("raised_by")
    if existing:
        flag = existing[0]
        raise ValidationError(
            {
                "reason": _("%(person)s is already flagged (by %(name)s on %(date)s).")
                % {
                    "person": enrolment.young_person,
                    "name": flag.raised_by,
                    "date": timezone.localdate(flag.raised_at).isoformat(),
                }
            }
        )
    if activity is not None and not activity.attendances.filter(enrolment=enrolment, present=True).exists():
        raise ValidationError(
            {
                "activity": _("%(person)s is not ticked as present at this activity.")
                % {"person": enrolment.young_person}
            }
        )
    flag = FollowUpFlag(enrolment=enrolment, activity=activity, reason=reason.strip(), raised_by=by)
    flag.full_clean()
    flag.save()
    _log(by, Action.CREATE, enrolment.young_person_id, flag, detail="follow-up flag")
    return flag


@history_by
@transaction.atomic
def flag_take(*, flag: FollowUpFlag, by: User, note: str = "", become_primary_worker: bool = False) -> FollowUpFlag:
    """Someone takes the follow-up; optionally she becomes the primary worker,
    with the known worker attached for an overlap (000:L655-676)."""
    flag = FollowUpFlag.objects.select_for_update(of=("self",)).select_related("enrolment", "taken_by").get(pk=flag.pk)
    if flag.taken_at is not None:
        raise ValidationError(
            {
                "note": _("%(name)s already took this on %(date)s.")
                % {"name": flag.taken_by, "date": timezone.localdate(flag.taken_at).isoformat()}
            }
        )
    if not by.works_cases:
        raise ValidationError({"note": _("Only a worker or team leader can take a follow-up.")})
    flag.taken_by, flag.taken_at, flag.taken_note = by, timezone.now(), note.strip()
    flag.full_clean()
    flag.save(update_fields=["taken_by", "taken_at", "taken_note"])
    enrolment = flag.enrolment
    if become_primary_worker and enrolment.primary_worker_id != by.pk:
        today = timezone.localdate()
        case_services.enrolment_hand_over(
            enrolment=enrolment,
            new_worker=by,
            on_date=today,
            overlap_until=today + dt.timedelta(days=HANDOVER_OVERLAP_DAYS),
            note=_("Took over after a follow-up flag from group work."),
            by=by,
        )
    _log(by, Action.UPDATE, enrolment.young_person_id, flag, detail="follow-up taken")
    return flag


# --- Bridging ------------------------------------------------------------------------------------


@history_by
@transaction.atomic
def bridging_record(
    *,
    enrolment: Enrolment,
    kind: str,
    partner: str,
    occurred_at: dt.datetime,
    duration_minutes: int,
    by: User,
    note: str = "",
) -> Bridging:
    """An escort to another service (also a contact with the young person,
    channel `escort`) or a contact with the service on her behalf."""
    occurred_at = _aware(occurred_at)
    if occurred_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": _("It cannot be recorded before it has happened.")})
    if not enrolment.is_active_on(timezone.localtime(occurred_at).date()):
        raise ValidationError({"occurred_at": _("The time lies outside the enrolment.")})
    bridging = Bridging(
        enrolment=enrolment,
        worker=by,
        kind=kind,
        partner=partner,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        note=note.strip(),
    )
    bridging.full_clean(exclude=["contact"])
    if kind == Bridging.Kind.ESCORT:
        bridging.contact = case_services.contact_log(
            enrolment=enrolment,
            worker=by,
            occurred_at=occurred_at,
            duration_minutes=duration_minutes,
            channel=Contact.Channel.ESCORT,
            note=f"{bridging.get_partner_display()}: {note.strip()}"[:500].rstrip(": "),
            by=by,
        )
    bridging.save()
    _log(by, Action.CREATE, enrolment.young_person_id, bridging, detail="bridging")
    return bridging

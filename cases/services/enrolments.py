"""Writes of enrolments: open, change, close, reopen, hand over, pause and resume."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.audit import Action, Purpose
from cases.models import (
    END_REASON_CLASS,
    REQUIRED_CONSENT,
    Enrolment,
    EnrolmentCorrection,
    Handover,
    Pause,
    PrimaryWorkerPeriod,
    Team,
    User,
    YoungPerson,
)
from cases.services.common import history_by, log_write
from cases.services.consent import consent_require
from interventions.models import InterventionType
from outcomes.tasks import enqueue_enrolment_recompute


@history_by
@transaction.atomic
def enrolment_open(
    *,
    young_person: YoungPerson,
    intervention_type: InterventionType,
    primary_worker: User,
    team: Team,
    start_date: dt.date,
    by: User | None,
    end_date: dt.date | None = None,
    end_reason: str = "",
    external_id: str | None = None,
    purpose: str = Purpose.CASE_WORK,
) -> Enrolment:
    """Open an enrolment; with `end_date` and `end_reason` record one that has
    already ended (history brought in from another system). An intervention
    that needs a consent (REQUIRED_CONSENT) is refused without it."""
    open_twin = Enrolment.objects.filter(
        young_person=young_person, intervention_type=intervention_type, end_date__isnull=True
    )
    required = REQUIRED_CONSENT.get(intervention_type.code)
    if required and by is not None:  # people act in the application; imports bring history as it was
        consent_require(young_person=young_person, purpose=required, on=start_date, field="intervention_type")
    if end_date is None and open_twin.exists():
        raise ValidationError(
            {"intervention_type": _("The young person already has an open enrolment in this intervention.")}
        )
    enrolment = Enrolment(
        young_person=young_person,
        intervention_type=intervention_type,
        primary_worker=primary_worker,
        team=team,
        start_date=start_date,
        external_id=external_id,
    )
    _validate_end(enrolment, end_date, end_reason)
    enrolment.end_date, enrolment.end_reason = end_date, end_reason
    enrolment.full_clean(validate_constraints=False)
    enrolment.save()
    PrimaryWorkerPeriod.objects.create(
        enrolment=enrolment, worker=primary_worker, start_date=start_date, end_date=end_date
    )
    enqueue_enrolment_recompute(enrolment.pk)
    log_write(by, Action.CREATE, young_person.pk, enrolment, purpose)
    return enrolment


def _validate_end(enrolment: Enrolment, end_date: dt.date | None, end_reason: str) -> None:
    if (end_date is None) != (not end_reason):
        raise ValidationError({"end_reason": _("An end date needs an end reason, and an end reason an end date.")})
    if end_reason and end_reason not in END_REASON_CLASS:
        raise ValidationError({"end_reason": _("Unknown end reason.")})
    if end_date is not None and end_date < enrolment.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})


@history_by
@transaction.atomic
def enrolment_update(
    *,
    enrolment: Enrolment,
    by: User | None,
    start_date: dt.date,
    end_date: dt.date | None,
    end_reason: str,
    primary_worker: User | None = None,
    team: Team | None = None,
    purpose: str = Purpose.CASE_WORK,
) -> Enrolment:
    """Set the dates (and, for an import, the worker and team) of an enrolment."""
    enrolment.start_date = start_date
    _validate_end(enrolment, end_date, end_reason)
    enrolment.end_date, enrolment.end_reason = end_date, end_reason
    if team is not None:
        enrolment.team = team
    if primary_worker is not None and primary_worker != enrolment.primary_worker:
        enrolment_hand_over(enrolment=enrolment, new_worker=primary_worker, on_date=start_date, by=None)
    enrolment.save()
    log_write(by, Action.UPDATE, enrolment.young_person_id, enrolment, purpose)
    enqueue_enrolment_recompute(enrolment.pk)
    return enrolment


@history_by
@transaction.atomic
def enrolment_close(
    *, enrolment: Enrolment, end_date: dt.date, end_reason: str, by: User | None, purpose: str = Purpose.CASE_WORK
) -> Enrolment:
    if enrolment.end_date is not None:
        raise ValidationError({"end_date": _("The enrolment is already closed.")})
    _validate_end(enrolment, end_date, end_reason)
    if by is not None:  # legacy data may hold contacts after the end; the indicators report them (spec §9)
        _refuse_contacts_after(enrolment, end_date)
    enrolment.end_date, enrolment.end_reason = end_date, end_reason
    enrolment.save(update_fields=["end_date", "end_reason"])
    _end_open(enrolment.worker_periods.all(), end_date)
    _end_open(enrolment.pauses.all(), end_date)
    log_write(by, Action.UPDATE, enrolment.young_person_id, enrolment, purpose, detail="closed")
    enqueue_enrolment_recompute(enrolment.pk)
    return enrolment


def _end_open(rows: QuerySet[PrimaryWorkerPeriod] | QuerySet[Pause], end_date: dt.date) -> None:
    """End the open worker periods or pauses one by one: a queryset update would
    write no history row, and there are only a handful per enrolment."""
    for row in rows.filter(end_date__isnull=True):
        row.end_date = end_date
        row.save(update_fields=["end_date"])


def _refuse_contacts_after(enrolment: Enrolment, end_date: dt.date) -> None:
    next_local_midnight = dt.datetime.combine(
        end_date + dt.timedelta(days=1), dt.time(0), tzinfo=timezone.get_current_timezone()
    )
    later = enrolment.contacts.filter(occurred_at__gte=next_local_midnight).count()
    if later:
        raise ValidationError(
            {
                "end_date": ngettext(
                    "%(count)d contact is dated after this end date.",
                    "%(count)d contacts are dated after this end date.",
                    later,
                )
                % {"count": later}
            }
        )


@history_by
@transaction.atomic
def enrolment_hand_over(
    *,
    enrolment: Enrolment,
    new_worker: User,
    on_date: dt.date,
    by: User | None,
    overlap_until: dt.date | None = None,
    note: str = "",
) -> Enrolment:
    """Make `new_worker` the primary worker from `on_date`, the day the known
    worker introduces her; the outgoing worker stays attached until
    `overlap_until` (000:L655-676). The history is kept."""
    if new_worker == enrolment.primary_worker:
        raise ValidationError({"new_worker": _("This worker is already the primary worker.")})
    if on_date < enrolment.start_date:
        raise ValidationError({"on_date": _("A handover cannot be dated before the enrolment starts.")})
    if overlap_until is not None and overlap_until < on_date:
        raise ValidationError({"overlap_until": _("The overlap cannot end before the introduction.")})
    if by is not None:
        Handover.objects.create(
            enrolment=enrolment,
            from_worker=enrolment.primary_worker,
            to_worker=new_worker,
            introduced_on=on_date,
            overlap_until=overlap_until or on_date,
            note=note,
            recorded_by=by,
        )
    _end_open(enrolment.worker_periods.all(), overlap_until or on_date)
    PrimaryWorkerPeriod.objects.create(enrolment=enrolment, worker=new_worker, start_date=on_date)
    enrolment.primary_worker = new_worker
    enrolment.save(update_fields=["primary_worker"])
    log_write(by, Action.UPDATE, enrolment.young_person_id, enrolment, Purpose.CASE_WORK, detail="handover")
    enqueue_enrolment_recompute(enrolment.pk)
    return enrolment


def _validate_pause(pause: Pause) -> None:
    enrolment = pause.enrolment
    if pause.end_date is not None and pause.end_date < pause.start_date:
        raise ValidationError({"end_date": _("The pause ends before it starts.")})
    if not enrolment.is_active_on(pause.start_date) or (
        pause.end_date is not None and not enrolment.is_active_on(pause.end_date)
    ):
        raise ValidationError({"start_date": _("A pause must lie within the enrolment.")})
    far_future = dt.date.max
    others = enrolment.pauses.exclude(pk=pause.pk)
    for other in others:
        if pause.start_date <= (other.end_date or far_future) and other.start_date <= (pause.end_date or far_future):
            raise ValidationError({"start_date": _("The pause overlaps another pause of the same enrolment.")})


@history_by
@transaction.atomic
def pause_save(
    *,
    enrolment: Enrolment,
    start_date: dt.date,
    end_date: dt.date | None,
    reason: str = "",
    by: User | None,
    pause: Pause | None = None,
    external_id: str | None = None,
    purpose: str = Purpose.CASE_WORK,
) -> Pause:
    """Create a pause, or change `pause`; pauses of one enrolment never overlap."""
    pause = pause or Pause(enrolment=enrolment, external_id=external_id)
    pause.enrolment, pause.start_date, pause.end_date, pause.reason = enrolment, start_date, end_date, reason
    _validate_pause(pause)
    pause.save()
    log_write(by, Action.UPDATE, enrolment.young_person_id, pause, purpose, detail="pause")
    enqueue_enrolment_recompute(enrolment.pk)
    return pause


@history_by
@transaction.atomic
def enrolment_reopen(*, enrolment: Enrolment, reason: str, by: User) -> Enrolment:
    """Undo a closing made by mistake. Only with a recorded reason; a real new
    course is a new enrolment, not a reopened one."""
    if enrolment.end_date is None:
        raise ValidationError({"reason": _("The enrolment is not closed.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the enrolment is reopened.")})
    twin = Enrolment.objects.filter(
        young_person=enrolment.young_person_id, intervention_type=enrolment.intervention_type_id, end_date__isnull=True
    )
    if twin.exists():
        raise ValidationError({"reason": _("The young person already has an open enrolment in this intervention.")})
    EnrolmentCorrection.objects.create(
        enrolment=enrolment,
        previous_end_date=enrolment.end_date,
        previous_end_reason=enrolment.end_reason,
        reason=reason.strip(),
        corrected_by=by,
    )
    last_period = enrolment.worker_periods.order_by("-start_date", "-id").first()
    if last_period is not None and last_period.end_date == enrolment.end_date:
        last_period.end_date = None
        last_period.save(update_fields=["end_date"])
    enrolment.end_date, enrolment.end_reason = None, ""
    enrolment.save(update_fields=["end_date", "end_reason"])
    log_write(by, Action.UPDATE, enrolment.young_person_id, enrolment, Purpose.CASE_WORK, detail="reopened")
    enqueue_enrolment_recompute(enrolment.pk)
    return enrolment


def pause_end(*, pause: Pause, end_date: dt.date, by: User) -> Pause:
    """Resume: the pause ends on `end_date` (inclusive)."""
    return pause_save(
        enrolment=pause.enrolment,
        start_date=pause.start_date,
        end_date=end_date,
        reason=pause.reason,
        by=by,
        pause=pause,
    )

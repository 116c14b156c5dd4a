"""Writes of enrolments: open, change, close, hand over, pause."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import Action, Purpose
from cases.models import END_REASON_CLASS, Enrolment, Pause, PrimaryWorkerPeriod, Team, User, YoungPerson
from cases.services.common import log_write
from interventions.models import InterventionType


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
    already ended (history brought in from another system)."""
    open_twin = Enrolment.objects.filter(
        young_person=young_person, intervention_type=intervention_type, end_date__isnull=True
    )
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
    log_write(by, Action.CREATE, young_person.pk, enrolment, purpose)
    return enrolment


def _validate_end(enrolment: Enrolment, end_date: dt.date | None, end_reason: str) -> None:
    if (end_date is None) != (not end_reason):
        raise ValidationError({"end_reason": _("An end date needs an end reason, and an end reason an end date.")})
    if end_reason and end_reason not in END_REASON_CLASS:
        raise ValidationError({"end_reason": _("Unknown end reason.")})
    if end_date is not None and end_date < enrolment.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})


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
    return enrolment


@transaction.atomic
def enrolment_close(
    *, enrolment: Enrolment, end_date: dt.date, end_reason: str, by: User | None, purpose: str = Purpose.CASE_WORK
) -> Enrolment:
    if enrolment.end_date is not None:
        raise ValidationError({"end_date": _("The enrolment is already closed.")})
    _validate_end(enrolment, end_date, end_reason)
    enrolment.end_date, enrolment.end_reason = end_date, end_reason
    enrolment.save(update_fields=["end_date", "end_reason"])
    enrolment.worker_periods.filter(end_date__isnull=True).update(end_date=end_date)
    enrolment.pauses.filter(end_date__isnull=True).update(end_date=end_date)
    log_write(by, Action.UPDATE, enrolment.young_person_id, enrolment, purpose, detail="closed")
    return enrolment


@transaction.atomic
def enrolment_hand_over(*, enrolment: Enrolment, new_worker: User, on_date: dt.date, by: User | None) -> Enrolment:
    """Make `new_worker` the primary worker from `on_date`; the history is kept."""
    if new_worker == enrolment.primary_worker:
        raise ValidationError({"new_worker": _("This worker is already the primary worker.")})
    if on_date < enrolment.start_date:
        raise ValidationError({"on_date": _("A handover cannot be dated before the enrolment starts.")})
    enrolment.worker_periods.filter(end_date__isnull=True).update(end_date=on_date)
    PrimaryWorkerPeriod.objects.create(enrolment=enrolment, worker=new_worker, start_date=on_date)
    enrolment.primary_worker = new_worker
    enrolment.save(update_fields=["primary_worker"])
    log_write(by, Action.UPDATE, enrolment.young_person_id, enrolment, Purpose.CASE_WORK, detail="handover")
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
    return pause

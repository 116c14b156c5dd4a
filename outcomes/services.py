"""Every write to outcome data goes through these functions (see cases.services)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import Action, Purpose, access_log_record
from cases.models import User, YoungPerson
from outcomes.models import StatusEvent
from outcomes.tasks import enqueue_young_person_recompute


@transaction.atomic
def status_event_save(
    *,
    young_person: YoungPerson,
    domain: str,
    date: dt.date,
    value: str,
    by: User | None = None,
    external_id: str | None = None,
    event: StatusEvent | None = None,
    purpose: str = Purpose.CASE_WORK,
) -> StatusEvent:
    """Record a status (spec §8), or change `event`. One value per young person,
    domain and day, so "the latest event on or before d" is never ambiguous."""
    choices = StatusEvent.VALUES_BY_DOMAIN.get(domain)
    if choices is None:
        raise ValidationError({"domain": _("Unknown domain.")})
    if value not in choices.values:
        raise ValidationError({"value": _("This status does not belong to the domain.")})
    event = event or StatusEvent(external_id=external_id)
    twins = StatusEvent.objects.filter(young_person=young_person, domain=domain, date=date)
    if twins.exclude(pk=event.pk).exists():
        raise ValidationError({"date": _("The young person already has a status in this domain on this day.")})
    created = event.pk is None
    event.young_person, event.domain, event.date, event.value = young_person, domain, date, value
    if by is not None:
        event.recorded_by = by
    event.full_clean()
    event.save()
    enqueue_young_person_recompute(young_person.pk)  # education and housing retention use it
    if by is not None:
        action = Action.CREATE if created else Action.UPDATE
        access_log_record(user=by, action=action, purpose=purpose, young_person=young_person, obj=event)
    return event

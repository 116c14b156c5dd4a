"""Writes of contacts: log, change, cancel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.audit import Action, Purpose
from cases.models import Contact, Enrolment, User
from cases.services.common import history_by, log_write
from outcomes.tasks import enqueue_enrolment_recompute

# A contact may be logged a little ahead of the server clock (a phone whose
# clock runs fast), never for a meeting that has not happened yet.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)

CONTACT_FIELDS = ("occurred_at", "duration_minutes", "channel", "status", "note")


def _validate_contact(contact: Contact, *, allow_outside_enrolment: bool) -> None:
    errors: dict[str, str] = {}
    if timezone.is_naive(contact.occurred_at):
        contact.occurred_at = timezone.make_aware(contact.occurred_at)  # naive means local (spec §1)
    if contact.occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = _("A contact cannot be logged in the future.")
    elif not allow_outside_enrolment:
        local_date = timezone.localtime(contact.occurred_at).date()
        if not contact.enrolment.is_active_on(local_date):
            errors["occurred_at"] = _("The contact lies outside the enrolment (%(start)s to %(end)s).") % {
                "start": contact.enrolment.start_date.isoformat(),
                "end": contact.enrolment.end_date.isoformat() if contact.enrolment.end_date else _("open"),
            }
    if errors:
        raise ValidationError(errors)
    contact.full_clean(exclude=["enrolment", "worker"])


@history_by
@transaction.atomic
def contact_log(
    *,
    enrolment: Enrolment,
    worker: User,
    occurred_at: dt.datetime,
    duration_minutes: int,
    channel: str = Contact.Channel.IN_PERSON,
    status: str = Contact.Status.HELD,
    note: str = "",
    by: User | None,
    external_id: str | None = None,
    allow_outside_enrolment: bool = False,
    purpose: str = Purpose.CASE_WORK,
) -> Contact:
    """Log a contact. Interactive callers may only log within the enrolment's
    active days; the importer passes `allow_outside_enrolment` because legacy
    data may hold such contacts, which the indicators then report as data
    quality problems (spec §3, §9)."""
    contact = Contact(
        enrolment=enrolment,
        worker=worker,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        channel=channel,
        status=status,
        note=note,
        external_id=external_id,
    )
    _validate_contact(contact, allow_outside_enrolment=allow_outside_enrolment)
    contact.save()
    log_write(by, Action.CREATE, enrolment.young_person_id, contact, purpose)
    enqueue_enrolment_recompute(enrolment.pk)
    return contact


@history_by
@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    by: User | None,
    allow_outside_enrolment: bool = False,
    purpose: str = Purpose.CASE_WORK,
    **fields: Any,
) -> Contact:
    """Change a contact; the access log records which fields changed."""
    unknown = set(fields) - set(CONTACT_FIELDS) - {"enrolment", "worker"}
    if unknown:
        raise TypeError(f"contact_update got unexpected fields {sorted(unknown)}")
    changed = sorted(name for name, value in fields.items() if getattr(contact, name) != value)
    enqueue_enrolment_recompute(contact.enrolment_id)  # the enrolment it leaves, if it moves
    for name, value in fields.items():
        setattr(contact, name, value)
    _validate_contact(contact, allow_outside_enrolment=allow_outside_enrolment)
    contact.save()
    enqueue_enrolment_recompute(contact.enrolment_id)
    if changed:
        log_write(by, Action.UPDATE, contact.enrolment.young_person_id, contact, purpose, detail=", ".join(changed))
    return contact


def contact_cancel(*, contact: Contact, by: User) -> Contact:
    """Mark a logged meeting as cancelled: it stays in the timeline, struck through,
    and no longer counts in any indicator."""
    if contact.status == Contact.Status.CANCELLED:
        return contact
    return contact_update(contact=contact, by=by, status=Contact.Status.CANCELLED, allow_outside_enrolment=True)

"""Writes of consents, and the check that refuses an action without one."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import Action, Purpose
from cases.models import Consent, ConsentPurpose, User, YoungPerson
from cases.services.common import log_write


@transaction.atomic
def consent_record(
    *, young_person: YoungPerson, purpose: str, given_by: str, given_on: dt.date, by: User, partner: str = ""
) -> Consent:
    if purpose == ConsentPurpose.SHARE_WITH_PARTNER and not partner.strip():
        raise ValidationError({"partner": _("Name the partner the information may be shared with.")})
    consent = Consent(
        young_person=young_person,
        purpose=purpose,
        partner=partner.strip(),
        given_by=given_by,
        given_on=given_on,
        recorded_by=by,
    )
    consent.full_clean()
    consent.save()
    log_write(by, Action.CREATE, young_person.pk, consent, Purpose.CASE_WORK, detail="consent")
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: dt.date, by: User) -> Consent:
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("The consent is already withdrawn.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("A consent cannot be withdrawn before it was given.")})
    consent.withdrawn_on = withdrawn_on
    consent.save(update_fields=["withdrawn_on"])
    log_write(by, Action.UPDATE, consent.young_person_id, consent, Purpose.CASE_WORK, detail="consent withdrawn")
    return consent


def consent_require(*, young_person: YoungPerson, purpose: str, on: dt.date, field: str) -> None:
    """Raise a ValidationError on `field` naming the missing consent, unless one is active on `on`."""
    consents = young_person.consents.filter(purpose=purpose)
    if not any(consent.is_active_on(on) for consent in consents):
        raise ValidationError(
            {
                field: _("Consent to “%(purpose)s” is missing or withdrawn; record it first.")
                % {"purpose": ConsentPurpose(purpose).label}
            }
        )

"""Writes of consents, and the check that refuses an action without one."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.audit import Action, Purpose
from cases.models import REQUIRED_CONSENT, Consent, ConsentPurpose, Enrolment, User, YoungPerson
from cases.services.common import history_by, log_write


@history_by
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


@history_by
@transaction.atomic
def consent_withdraw(*, consent: Consent, withdrawn_on: dt.date, by: User, withdrawn_by: str = "") -> Consent:
    """Record that the young person, a parent or a guardian withdrew the consent from `withdrawn_on` on.

    From that day the actions that need the consent are refused (`consent_require`).
    What was recorded while it was valid stays, until the case's retention ends.
    Who withdrew it is kept with the change, in the consent's history and in the
    access log (Consent has no field of its own for it yet)."""
    if consent.withdrawn_on is not None:
        raise ValidationError({"withdrawn_on": _("The consent is already withdrawn.")})
    if withdrawn_on < consent.given_on:
        raise ValidationError({"withdrawn_on": _("A consent cannot be withdrawn before it was given.")})
    if withdrawn_on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("A withdrawal cannot be dated in the future.")})
    if withdrawn_by and withdrawn_by not in Consent.GivenBy.values:
        raise ValidationError({"withdrawn_by": _("Choose who withdrew the consent.")})
    consent.withdrawn_on = withdrawn_on
    # simple-history stores this with the history row of the withdrawal.
    consent._change_reason = f"withdrawn by {withdrawn_by}" if withdrawn_by else "withdrawn"
    consent.save(update_fields=["withdrawn_on"])
    detail = f"consent withdrawn by {withdrawn_by}" if withdrawn_by else "consent withdrawn"
    log_write(by, Action.UPDATE, consent.young_person_id, consent, Purpose.CASE_WORK, detail=detail)
    return consent


def consent_dependent_enrolments(*, consent: Consent, on: dt.date) -> list[Enrolment]:
    """The young person's open enrolments whose intervention needs this consent
    (REQUIRED_CONSENT) and that no other consent to the same purpose would cover
    once it is withdrawn on `on`: what the worker must look at after a withdrawal."""
    codes = [code for code, purpose in REQUIRED_CONSENT.items() if purpose == consent.purpose]
    if not codes:
        return []
    others = Consent.objects.filter(young_person_id=consent.young_person_id, purpose=consent.purpose).exclude(
        pk=consent.pk
    )
    if any(other.is_active_on(on) for other in others):
        return []
    return list(
        Enrolment.objects.filter(
            young_person_id=consent.young_person_id, intervention_type__code__in=codes, end_date__isnull=True
        )
        .select_related("intervention_type")
        .order_by("start_date", "pk")
    )


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

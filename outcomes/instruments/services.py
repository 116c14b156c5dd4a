"""Writes for instruments and assessments (see cases.services for the conventions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.audit import Action, Purpose, access_log_record
from cases.models import Enrolment, User, YoungPerson
from outcomes.instruments.models import (
    Answer,
    AnswerOption,
    AnswerScale,
    Assessment,
    Band,
    InstrumentVersion,
    Item,
    Scale,
)


def _validate_answers(version: InstrumentVersion, answers: Mapping[str, int]) -> dict[Item, int]:
    items = {item.code: item for item in version.items.all()}
    allowed: dict[int, set[int]] = {}
    for scale_id, value in AnswerOption.objects.filter(answer_scale__version=version).values_list(
        "answer_scale_id", "value"
    ):
        allowed.setdefault(scale_id, set()).add(value)
    errors = []
    for code, value in answers.items():
        item = items.get(code)
        if item is None:
            errors.append(_("%(code)s is not an item of %(version)s.") % {"code": code, "version": version})
        elif value not in allowed.get(item.answer_scale_id, set()):
            errors.append(_("%(value)s is not an answer to %(code)s.") % {"value": value, "code": code})
    if not answers:
        errors.append(_("An assessment needs at least one answer."))
    if errors:
        raise ValidationError({"answers": errors})
    return {items[code]: value for code, value in answers.items()}


@transaction.atomic
def assessment_record(
    *,
    young_person: YoungPerson,
    version: InstrumentVersion,
    respondent: str,
    answered_on: dt.date,
    answers: Mapping[str, int],
    by: User | None,
    enrolment: Enrolment | None = None,
    external_id: str | None = None,
    purpose: str = Purpose.CASE_WORK,
) -> Assessment:
    """Record a completed instrument: answers keyed by item code, values from the item's answer scale.
    Scores are never stored; `scoring.assessment_scores` computes them from the answers."""
    if version.status != InstrumentVersion.Status.PUBLISHED:
        raise ValidationError({"version": _("Only a published version of an instrument can be answered.")})
    if answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("An assessment cannot be dated in the future.")})
    if enrolment is not None and enrolment.young_person_id != young_person.pk:
        raise ValidationError({"enrolment": _("The enrolment belongs to another young person.")})
    checked = _validate_answers(version, answers)
    assessment = Assessment(
        young_person=young_person,
        enrolment=enrolment,
        version=version,
        respondent=respondent,
        answered_on=answered_on,
        recorded_by=by,
        external_id=external_id,
    )
    assessment.full_clean()
    assessment.save()
    Answer.objects.bulk_create(Answer(assessment=assessment, item=item, value=value) for item, value in checked.items())
    if by is not None:
        access_log_record(
            user=by,
            action=Action.CREATE,
            purpose=purpose,
            young_person=young_person,
            obj=assessment,
            detail="assessment",
        )
    return assessment


def _validate_publishable(version: InstrumentVersion) -> None:
    errors = []
    if not version.items.exists():
        errors.append(_("The version has no items."))
    if not version.scales.exists():
        errors.append(_("The version has no scales."))
    if Item.objects.filter(version=version).exclude(answer_scale__version=version).exists():
        errors.append(_("An item uses an answer scale of another version."))
    for scale in version.scales.prefetch_related("items"):
        items = list(scale.items.all())
        if not items or any(item.version_id != version.pk for item in items):
            errors.append(_("Scale %(code)s must score items of this version.") % {"code": scale.code})
        if scale.min_answered > len(items):
            errors.append(_("Scale %(code)s needs more answers than it has items.") % {"code": scale.code})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def instrument_version_publish(*, version: InstrumentVersion, on: dt.date) -> InstrumentVersion:
    """Publish a draft; the version before it is retired (its assessments keep their rules)."""
    if version.status != InstrumentVersion.Status.DRAFT:
        raise ValidationError({"status": _("Only a draft can be published.")})
    _validate_publishable(version)
    InstrumentVersion.objects.filter(instrument=version.instrument, status=InstrumentVersion.Status.PUBLISHED).update(
        status=InstrumentVersion.Status.RETIRED
    )
    version.status, version.published_on = InstrumentVersion.Status.PUBLISHED, on
    version.save(update_fields=["status", "published_on"])
    return version


@transaction.atomic
def instrument_version_copy(*, version: InstrumentVersion) -> InstrumentVersion:
    """A new draft with everything of `version`, to correct or extend without touching answered rules."""
    latest = version.instrument.versions.order_by("-number").first()
    draft = InstrumentVersion.objects.create(
        instrument=version.instrument, number=latest.number + 1, instructions=version.instructions
    )
    answer_scales = {}
    for answer_scale in version.answer_scales.prefetch_related("options"):
        copy = AnswerScale.objects.create(version=draft, code=answer_scale.code, name=answer_scale.name)
        AnswerOption.objects.bulk_create(
            AnswerOption(answer_scale=copy, value=o.value, label=o.label, order=o.order)
            for o in answer_scale.options.all()
        )
        answer_scales[answer_scale.pk] = copy
    items = {}
    for item in version.items.all():
        items[item.pk] = Item.objects.create(
            version=draft,
            code=item.code,
            text=item.text,
            order=item.order,
            answer_scale=answer_scales[item.answer_scale_id],
            recode=item.recode,
        )
    for scale in version.scales.prefetch_related("items", "bands"):
        copy = Scale.objects.create(
            version=draft,
            code=scale.code,
            name=scale.name,
            method=scale.method,
            multiplier=scale.multiplier,
            min_answered=scale.min_answered,
            order=scale.order,
            higher_is_better=scale.higher_is_better,
            minimal_change=scale.minimal_change,
        )
        copy.items.set([items[item.pk] for item in scale.items.all()])
        Band.objects.bulk_create(
            Band(scale=copy, code=b.code, label=b.label, min_score=b.min_score, max_score=b.max_score, order=b.order)
            for b in scale.bands.all()
        )
    return draft

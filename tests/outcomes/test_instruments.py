"""Outcome instruments: the shipped WHO-5 and risk-lifestyle screening, scoring rules,
versioning, and recording assessments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from cases.models import AccessLog
from outcomes.instruments.definitions import RISK_LIFESTYLE, install
from outcomes.instruments.scoring import assessment_scores, score_history
from outcomes.instruments.services import assessment_record, instrument_version_copy, instrument_version_publish
from outcomes.models import Assessment, Instrument, InstrumentVersion, Item, Scale
from tests.factories import EnrolmentFactory, YoungPersonFactory

DAY = dt.date(2026, 6, 1)


def version_of(code: str) -> InstrumentVersion:
    return Instrument.objects.get(code=code).current_version()


def record(version: InstrumentVersion, answers: dict[str, int], *, person=None, on=DAY, by=None) -> Assessment:
    return assessment_record(
        young_person=person or YoungPersonFactory(),
        version=version,
        respondent=Assessment.Respondent.YOUNG_PERSON,
        answered_on=on,
        answers=answers,
        by=by,
    )


def scores(assessment: Assessment) -> dict[str, tuple[Decimal | None, str | None]]:
    return {s.scale.code: (s.score, s.band.code if s.band else None) for s in assessment_scores(assessment)}


def who5(*values: int) -> dict[str, int]:
    return {f"who5_{n}": value for n, value in enumerate(values, start=1)}


def test_both_free_instruments_are_shipped_and_published(db):
    assert set(Instrument.objects.values_list("code", flat=True)) >= {"who5", "risk_lifestyle"}
    who = version_of("who5")
    assert (who.number, who.status) == (1, InstrumentVersion.Status.PUBLISHED)
    assert who.items.count() == 5
    assert list(who.items.first().answer_scale.options.values_list("value", flat=True)) == [5, 4, 3, 2, 1, 0]
    assert version_of("risk_lifestyle").items.count() == 3


@pytest.mark.parametrize(
    ("answers", "raw", "wellbeing", "band"),
    [
        ((5, 5, 5, 5, 5), 25, 100, "adequate"),
        ((0, 0, 0, 0, 0), 0, 0, "poor"),
        ((3, 3, 2, 2, 2), 12, 48, "poor"),  # 50 or below: poor wellbeing
        ((3, 3, 3, 2, 2), 13, 52, "adequate"),
    ],
)
def test_who5_raw_score_times_four_and_its_bands(db, answers, raw, wellbeing, band):
    assessment = record(version_of("who5"), who5(*answers))
    assert scores(assessment) == {"raw": (Decimal(raw), None), "wellbeing": (Decimal(wellbeing), band)}


def test_who5_needs_all_five_answers(db):
    assessment = record(version_of("who5"), {"who5_1": 5, "who5_2": 5, "who5_3": 5, "who5_4": 5})
    assert scores(assessment) == {"raw": (None, None), "wellbeing": (None, None)}


@pytest.mark.parametrize(
    ("friends", "places", "substances", "total", "band"),
    [
        (1, 1, 1, 3, "low"),
        (2, 1, 1, 4, "low"),  # one step above the lowest profile is still low
        (2, 2, 1, 5, "moderate"),
        (2, 2, 2, 6, "moderate"),
        (1, 1, 3, 5, "moderate"),  # low in two, high in one
        (3, 3, 1, 7, "high"),  # high in two
        (2, 2, 3, 7, "high"),  # moderate in two, high in one
        (3, 3, 3, 9, "high"),
    ],
)
def test_risk_lifestyle_sums_three_subscores_to_3_9_with_the_seed_bands(db, friends, places, substances, total, band):
    answers = {"friends": friends, "high_risk_settings": places, "substance_use": substances}
    assert scores(record(version_of("risk_lifestyle"), answers)) == {"total": (Decimal(total), band)}


def test_answers_must_fit_the_instrument(db):
    version = version_of("risk_lifestyle")
    with pytest.raises(ValidationError) as error:
        record(version, {"friends": 4, "shoe_size": 2})
    assert len(error.value.message_dict["answers"]) == 2
    with pytest.raises(ValidationError):
        record(version, {})
    with pytest.raises(ValidationError):
        record(version, {"friends": 1}, on=dt.date.today() + dt.timedelta(days=2))


def test_an_assessment_may_name_only_the_young_persons_own_enrolment(db):
    enrolment = EnrolmentFactory()
    with pytest.raises(ValidationError):
        assessment_record(
            young_person=YoungPersonFactory(),
            version=version_of("who5"),
            respondent=Assessment.Respondent.WORKER,
            answered_on=DAY,
            answers=who5(1, 1, 1, 1, 1),
            by=None,
            enrolment=enrolment,
        )


def test_recording_is_in_the_access_log(world):
    assessment = record(version_of("who5"), who5(1, 2, 3, 4, 5), person=world.young_person, by=world.worker)
    entry = AccessLog.objects.get(object_type="assessment")
    assert (entry.user, entry.young_person, entry.object_id) == (world.worker, world.young_person, assessment.pk)
    assert entry.action == AccessLog.Action.CREATE


def test_a_reverse_scored_item_and_a_prorated_subscale(db):
    """How a licensed instrument such as the SDQ is scored: items 0-2, one reverse-scored,
    a subscale of five items that tolerates two missing answers."""
    version = instrument_version_copy(version=version_of("risk_lifestyle"))
    scale = version.answer_scales.get(code="friends")
    items = []
    for n in range(1, 6):
        items.append(Item.objects.create(version=version, code=f"q{n}", text=f"Q{n}", order=10 + n, answer_scale=scale))
    items[4].recode = {"1": 3, "2": 2, "3": 1}
    items[4].save()
    sub = Scale.objects.create(version=version, code="sub", name="Sub", method="prorated_sum", min_answered=3)
    sub.items.set(items)
    instrument_version_publish(version=version, on=DAY)
    assessment = record(version, {"q1": 1, "q2": 2, "q5": 1, "friends": 1, "high_risk_settings": 1})
    # (1 + 2 + 3) / 3 answered * 5 items = 10; the total lacks substance_use and has no score.
    assert scores(assessment) == {"total": (None, None), "sub": (Decimal(10), None)}


def test_versions_keep_the_rules_an_assessment_was_answered_under(db):
    first = version_of("risk_lifestyle")
    earlier = record(first, {"friends": 2, "high_risk_settings": 2, "substance_use": 2})
    second = instrument_version_copy(version=first)
    assert (second.number, second.status) == (2, InstrumentVersion.Status.DRAFT)
    with pytest.raises(ValidationError):
        record(second, {"friends": 1})  # a draft cannot be answered
    band = second.scales.get(code="total").bands.get(code="moderate")
    band.max_score = Decimal(5)  # a stricter cut-off in the new version
    band.save()
    second.scales.get(code="total").bands.filter(code="high").update(min_score=Decimal(6))
    instrument_version_publish(version=second, on=DAY)
    first.refresh_from_db()
    assert first.status == InstrumentVersion.Status.RETIRED
    assert Instrument.objects.get(code="risk_lifestyle").current_version() == second
    later = record(second, {"friends": 2, "high_risk_settings": 2, "substance_use": 2})
    assert scores(earlier) == {"total": (Decimal(6), "moderate")}
    assert scores(later) == {"total": (Decimal(6), "high")}
    with pytest.raises(ValidationError):
        instrument_version_publish(version=second, on=DAY)  # already published


def test_a_version_without_scales_cannot_be_published(db):
    instrument = Instrument.objects.create(code="empty", name="Empty")
    draft = InstrumentVersion.objects.create(instrument=instrument, number=1)
    with pytest.raises(ValidationError):
        instrument_version_publish(version=draft, on=DAY)


def test_install_loads_a_definition_as_a_new_version(db):
    version = install(apps, RISK_LIFESTYLE, number=7)
    assert version.instrument.code == "risk_lifestyle"
    assert [s.code for s in version.scales.all()] == ["total"]
    assert list(version.scales.get().bands.values_list("code", flat=True)) == ["low", "moderate", "high"]


def test_score_history_for_a_chart(db):
    person = YoungPersonFactory()
    version = version_of("who5")
    record(version, who5(4, 4, 4, 4, 4), person=person, on=DAY)
    record(version, who5(1, 1, 1, 1, 1), person=person, on=DAY - dt.timedelta(days=90))
    record(version, who5(5, 5, 5, 5, 5), person=YoungPersonFactory(), on=DAY)
    history = score_history(list(Assessment.objects.filter(young_person=person)), scale_code="wellbeing")
    assert [(p.assessment.answered_on, p.score, p.band.code) for p in history] == [
        (DAY - dt.timedelta(days=90), Decimal(20), "poor"),
        (DAY, Decimal(80), "adequate"),
    ]


def test_administrators_configure_drafts_but_published_versions_are_read_only(world, client_for):
    admin = client_for(world.admin)
    published = version_of("who5")
    assert admin.get(f"/admin/outcomes/instrumentversion/{published.pk}/change/").status_code == 200
    response = admin.post(f"/admin/outcomes/instrumentversion/{published.pk}/change/", {"instructions": "changed"})
    assert response.status_code == 403
    admin.post(
        "/admin/outcomes/instrumentversion/",
        {"action": "copy_as_draft", "_selected_action": [published.pk]},
    )
    draft = Instrument.objects.get(code="who5").versions.get(number=2)
    assert draft.status == InstrumentVersion.Status.DRAFT
    assert draft.items.count() == 5
    admin.post("/admin/outcomes/instrumentversion/", {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == InstrumentVersion.Status.PUBLISHED
    assert client_for(world.worker).get("/admin/outcomes/instrument/").status_code == 302

"""The demo's assessments (outcomes/assessments/demo.py): WHO-5 and risk lifestyle recorded during
the enrolments, by their primary worker, with scores that move, and content for the quarterly
report's instrument section and the young person's page."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cases.models import Pause, PrimaryWorkerPeriod, User
from outcomes.instruments.models import Answer, AnswerOption, Assessment
from outcomes.reports.content import build_report
from outcomes.reports.quarters import Quarter

TODAY = dt.date(2026, 6, 30)
LAST_FULL_QUARTER = Quarter(2026, 1)  # today's quarter is not over until the end of today
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def demo(db):
    call_command("seed_demo", young_people=150, years=2, today=TODAY, verbosity=0)


def scores() -> dict[int, tuple[str, int]]:
    """Assessment id -> (instrument, score on the report scale), worked out here from the answers:
    WHO-5 4 x the sum of five, risk lifestyle the sum of three."""
    answers: dict[int, list[int]] = defaultdict(list)
    for assessment, value in Answer.objects.values_list("assessment_id", "value"):
        answers[assessment].append(value)
    result = {}
    for pk, code in Assessment.objects.values_list("pk", "version__instrument__code"):
        values = answers[pk]
        assert len(values) == {"who5": 5, "risk_lifestyle": 3}[code], "every demo form is complete"
        result[pk] = (code, 4 * sum(values) if code == "who5" else sum(values))
    return result


def test_assessments_lie_in_their_enrolment_and_are_recorded_by_its_primary_worker(demo):
    assessments = list(
        Assessment.objects.select_related("enrolment__intervention_type", "version__instrument", "recorded_by")
    )
    assert len(assessments) > 300
    pauses = defaultdict(list)
    for pause in Pause.objects.all():
        pauses[pause.enrolment_id].append(pause)
    periods = defaultdict(list)
    for period in PrimaryWorkerPeriod.objects.all():
        periods[period.enrolment_id].append(period)
    for a in assessments:
        enrolment = a.enrolment
        assert enrolment.young_person_id == a.young_person_id
        assert enrolment.intervention_type.code in {"relationship_work", "mentoring", "housing_first_cti"}
        assert enrolment.start_date <= a.answered_on <= min(enrolment.end_date or TODAY, TODAY)
        assert not any(
            p.start_date <= a.answered_on and (p.end_date is None or a.answered_on <= p.end_date)
            for p in pauses[enrolment.pk]
        )
        workers = {
            p.worker_id
            for p in periods[enrolment.pk]
            if p.start_date <= a.answered_on and (p.end_date is None or a.answered_on <= p.end_date)
        }
        assert a.recorded_by_id in workers
        assert a.version.status == "published"
        expected = {"who5": "young_person", "risk_lifestyle": "worker"}[a.version.instrument.code]
        assert a.respondent == expected
    allowed = set(AnswerOption.objects.values_list("answer_scale__items", "value"))
    assert set(Answer.objects.values_list("item_id", "value")) <= allowed


def test_who5_every_three_months_and_risk_every_six_with_scores_that_move(demo):
    scored = scores()
    dates: dict[tuple[str, int], list[dt.date]] = defaultdict(list)
    by_person: dict[tuple[str, int], list[int]] = defaultdict(list)
    for pk, person, day in Assessment.objects.order_by("answered_on", "pk").values_list(
        "pk", "young_person_id", "answered_on"
    ):
        code, score = scored[pk]
        dates[(code, person)].append(day)
        by_person[(code, person)].append(score)
    who5 = {p for c, p in dates if c == "who5"}
    risk = {p for c, p in dates if c == "risk_lifestyle"}
    assert len(who5) > 2 * len(risk) > 0, "most young people answer WHO-5; a share is screened for risk"
    gaps: dict[str, list[int]] = defaultdict(list)
    for (code, _person), days in dates.items():
        gaps[code] += [(b - a).days for a, b in zip(days, days[1:], strict=False)]
    assert min(gaps["who5"] + gaps["risk_lifestyle"]) >= 42, "never twice within six weeks"
    assert 77 <= statistics.median(gaps["who5"]) <= 105  # about three months (a missed form doubles a gap)
    assert 160 <= statistics.median(gaps["risk_lifestyle"]) <= 200  # about six months
    who5_scores = [s for (c, _), values in by_person.items() if c == "who5" for s in values]
    assert sum(s <= 50 for s in who5_scores) > 0.2 * len(who5_scores)
    assert sum(s > 50 for s in who5_scores) > 0.2 * len(who5_scores)
    risk_scores = Counter(s for (c, _), values in by_person.items() if c == "risk_lifestyle" for s in values)
    assert min(risk_scores) <= 4 and max(risk_scores) >= 7
    changes = [values[-1] - values[0] for (c, _), values in by_person.items() if c == "who5" and len(values) > 1]
    improved, worsened = sum(c >= 10 for c in changes), sum(c <= -10 for c in changes)
    assert improved > worsened > 0


def test_the_last_full_quarter_has_both_instruments_in_the_report(demo):
    quarter = LAST_FULL_QUARTER
    scored = scores()
    in_quarter: dict[str, dict[int, int]] = defaultdict(dict)  # instrument -> person -> latest score
    for pk, person, _day in (
        Assessment.objects.filter(answered_on__range=(quarter.first_day, quarter.last_day))
        .order_by("answered_on", "pk")
        .values_list("pk", "young_person_id", "answered_on")
    ):
        code, score = scored[pk]
        in_quarter[code][person] = score
    assert len(in_quarter["who5"]) >= 20 and len(in_quarter["risk_lifestyle"]) >= 5

    report = build_report(quarter=quarter)
    who5 = next(t for t in report.tables() if t.key == "instrument_latest_who5")
    assert who5.row("total").cells[1] == len(in_quarter["who5"])
    poor = sum(score <= 50 for score in in_quarter["who5"].values())
    assert who5.row("poor").cells[1] in (poor, "<5", "x")
    risk = next(t for t in report.tables() if t.key == "instrument_latest_risk_lifestyle")
    assert risk.row("total").cells[1] == len(in_quarter["risk_lifestyle"])
    change = next(t for t in report.tables() if t.key == "instrument_change")
    assert change.row("who5").cells[1] > 0, "young people assessed before have a change"


def test_a_workers_young_person_page_shows_the_who5_chart(demo):
    sara = User.objects.get(username="sara")
    assessment = Assessment.objects.filter(
        recorded_by=sara, enrolment__primary_worker=sara, enrolment__end_date__isnull=True
    ).first()
    client = Client()
    client.force_login(sara)
    response = client.get(reverse("cases:young_person_detail", args=[assessment.young_person_id]), **ENGLISH)
    assert response.status_code == 200
    page = response.content.decode()
    assert "WHO-5" in page and "<svg" in page
    assert assessment.answered_on.strftime("%Y") in page

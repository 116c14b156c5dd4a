"""Aggregates over enrolments (spec §9): numerators, denominators, the median, caseload."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from cases.models import Enrolment
from outcomes.indicators.aggregates import aggregate, indicators_document, median, share
from outcomes.indicators.engine import EnrolmentIndicators
from tests.factories import UserFactory
from tests.outcomes.builders import contact, day, enrol


def result(name: str, **fields) -> EnrolmentIndicators:
    defaults = {
        "enrolment_id": hash(name) % 10_000,
        "enrolment": name,
        "young_person": f"Y-{name}",
        "intervention": "relationship_work",
        "team": "T1",
        "worker": "W1",
        "start_date": dt.date(2025, 1, 6),
        "end_date": None,
        "active": True,
    }
    return EnrolmentIndicators(**(defaults | fields))


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert median([Fraction(1), Fraction(1, 4), Fraction(3, 4), Fraction(1, 2)]) == Fraction(5, 8)
    assert median([Fraction(1), Fraction(1, 4), Fraction(1, 2)]) == Fraction(1, 2)
    assert median([]) is None


def test_median_is_exact_where_floats_cannot_tell_values_apart():
    tiny = Fraction(1, 10**30)  # below a float's resolution: float(a) == float(a + tiny)
    a, b = Fraction(1, 3), Fraction(1, 3) + tiny
    assert float(a) == float(b)
    assert median([b, a, a]) == a
    assert median([a, b, b]) == b
    assert median([b, Fraction(1), a, Fraction(0)]) == a + tiny / 2
    assert median([Decimal("2.5"), Decimal("-1"), Decimal("4")]) == Decimal("2.5")  # the instruments' changes


def test_at_least_weekly_and_norm_attainment_match_their_fraction_definitions():
    """The properties compare in integers; the spec's definitions are in rates (§5, §6)."""
    for eligible in range(1, 15):
        for with_contact in range(eligible + 1):
            r = result("E", weeks_eligible=eligible, weeks_with_contact=with_contact)
            assert r.at_least_weekly == (Fraction(with_contact, eligible) >= Fraction(3, 4))
    for expected in (Decimal("0.5"), Decimal("1"), Decimal("2.5"), Decimal("13.75"), Decimal("3.333")):
        for contacts in range(0, 40):
            r = result("E", qualifying_contacts=contacts, expected_contacts=expected)
            assert r.norm_attainment == min(Fraction(1), Fraction(contacts) / Fraction(expected))


def test_share_has_a_null_rate_for_an_empty_denominator():
    assert share(2, 3) == {"numerator": 2, "denominator": 3, "rate": 0.6667}
    assert share(0, 0) == {"numerator": 0, "denominator": 0, "rate": None}


def aggregate_fixture() -> list[EnrolmentIndicators]:
    return [
        result(
            "E1",
            intervention="mentoring",
            weeks_eligible=12,
            weeks_with_contact=9,
            retained={91: True, 182: True, 365: None},
            education_retained={182: True, 365: None},
            contacts_outside_enrolment=1,
        ),
        result(
            "E2",
            active=False,
            end_date=dt.date(2026, 2, 15),
            weeks_eligible=12,
            weeks_with_contact=6,
            retained={91: False, 182: None, 365: None},
            early_unplanned_ending=True,
            education_retained={182: False, 365: None},
            contacts_outside_enrolment=2,
        ),
        result(
            "E3",
            intervention="housing_first_cti",
            team="T2",
            worker="W2",
            retained={91: True, 182: True, 365: True},
            housed_at_365=True,
            returned_to_homelessness_365=False,
        ),
        result(
            "E4",
            team="T2",
            worker="W3",
            active=False,
            end_date=dt.date(2026, 5, 2),
            weeks_eligible=4,
            weeks_with_contact=4,
            retained={91: None, 182: None, 365: None},
            early_unplanned_ending=True,
        ),
        result("E5", team="T2", worker="W2", weeks_eligible=10, weeks_with_contact=7, retained={91: True}),
    ]


def test_totals_give_every_rate_with_its_numerator_and_denominator():
    totals = aggregate(aggregate_fixture())
    assert totals["active_enrolments"] == 3
    # Rates 9/12, 6/12, null, 4/4, 7/10: at least weekly 9/12 and 4/4 of four known.
    assert totals["at_least_weekly_share"] == {"numerator": 2, "denominator": 4, "rate": 0.5}
    assert totals["median_weekly_contact_rate"] == 0.725  # mean of 0.7 and 0.75
    assert totals["retention_91"] == {"numerator": 3, "denominator": 4, "rate": 0.75}
    assert totals["retention_182"] == {"numerator": 2, "denominator": 2, "rate": 1.0}
    assert totals["retention_365"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert totals["early_unplanned_endings"] == 2
    assert totals["education_retention_182"] == {"numerator": 1, "denominator": 2, "rate": 0.5}
    assert totals["education_retention_365"] == {"numerator": 0, "denominator": 0, "rate": None}
    assert totals["housing_retention_365"] == {"numerator": 1, "denominator": 1, "rate": 1.0}
    assert totals["return_to_homelessness_365"] == {"numerator": 0, "denominator": 1, "rate": 0.0}
    assert totals["caseload"] == {"W1": 1, "W2": 2}  # W3's enrolment has ended
    assert totals["data_quality"] == {"contacts_outside_enrolment": 3}


def test_early_unplanned_endings_within_a_period():
    results = aggregate_fixture()
    assert aggregate(results, ended_between=(day("2026-04-01"), day("2026-06-30")))["early_unplanned_endings"] == 1
    assert aggregate(results, ended_between=(day("2026-02-15"), day("2026-02-15")))["early_unplanned_endings"] == 1
    assert aggregate(results, ended_between=(day("2026-07-01"), day("2026-09-30")))["early_unplanned_endings"] == 0


def test_document_groups_by_intervention_and_team():
    document = indicators_document(as_of=day("2026-06-30"), window_weeks=12, results=aggregate_fixture())
    assert list(document["by_intervention"]) == ["housing_first_cti", "mentoring", "relationship_work"]
    assert list(document["by_team"]) == ["T1", "T2"]
    assert document["by_team"]["T2"]["active_enrolments"] == 2
    assert document["by_team"]["T2"]["caseload"] == {"W2": 2}
    assert document["by_intervention"]["relationship_work"]["at_least_weekly_share"]["denominator"] == 3
    assert document["by_team"]["T1"]["data_quality"] == {"contacts_outside_enrolment": 3}
    assert set(document["by_team"]["T1"]) == set(document["totals"])


def test_caseload_counts_active_enrolments_of_each_primary_worker(compute):
    sara = UserFactory(external_id="W-SARA")
    karim = UserFactory(external_id=None)
    enrol(start="2026-01-05", worker=sara)
    enrol(start="2026-02-02", worker=sara, code="mentoring")
    enrol(start="2026-01-05", end="2026-06-29", reason="completed", worker=sara)  # ended before D
    enrol(start="2026-01-05", end="2026-06-30", reason="completed", worker=karim)  # its last day is D
    enrol(start="2026-07-01", worker=karim)  # not started
    results = compute(as_of=day("2026-06-30"), window_weeks=12, enrolments=Enrolment.objects.all())
    totals = aggregate(results)
    assert totals["caseload"] == {str(karim.pk): 1, "W-SARA": 2}
    assert totals["active_enrolments"] == 3


def test_contacts_outside_enrolments_add_up_across_enrolments(compute):
    first = enrol(start="2026-03-02", end="2026-04-30", reason="completed")
    second = enrol(start="2026-03-02")
    contact(first, "2026-05-02 10:00")
    contact(first, "2026-03-01 10:00")
    contact(second, "2026-02-27 10:00")
    contact(second, "2026-03-02 10:00")
    results = compute(as_of=day("2026-06-30"), window_weeks=12, enrolments=Enrolment.objects.all())
    assert aggregate(results)["data_quality"] == {"contacts_outside_enrolment": 3}

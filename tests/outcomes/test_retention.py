"""Retention, early unplanned endings, education and housing (spec §§7-8), worked by hand."""

from __future__ import annotations

import pytest

from outcomes.models import StatusEvent
from tests.factories import YoungPersonFactory
from tests.outcomes.builders import enrol, status

EDUCATION = StatusEvent.Domain.EDUCATION
HOUSING = StatusEvent.Domain.HOUSING


@pytest.mark.parametrize(
    ("reason", "retained", "early"),
    [
        ("completed", True, False),
        ("natural_phase_out", True, False),
        ("transferred", True, False),
        ("dropped_out", False, True),
        ("excluded", False, True),
        ("other_unplanned", False, True),
        ("moved_away", None, False),
        ("deceased", None, False),
    ],
)
def test_each_end_reason_class(one, reason, retained, early):
    # 41 days, as of a date where 91 days are observable but 182 are not.
    r = one(enrol(start="2026-01-05", end="2026-02-15", reason=reason), as_of="2026-06-30")
    assert r.retained == {91: retained, 182: None, 365: None}
    assert r.early_unplanned_ending is early
    assert r.duration_days == 41
    assert r.active is False


def test_open_enrolment_is_retained_at_every_observable_horizon(one):
    r = one(enrol(start="2025-06-30"), as_of="2026-06-30")
    assert r.retained == {91: True, 182: True, 365: True}  # 2025-06-30 + 365 = 2026-06-30, observable on the day
    assert r.duration_days == 365
    r = one(enrol(start="2025-07-01"), as_of="2026-06-30")
    assert r.retained == {91: True, 182: True, 365: None}


def test_ending_on_the_horizon_day_is_retained(one):
    # 2026-01-05 + 91 = 2026-04-06.
    r = one(enrol(start="2026-01-05", end="2026-04-06", reason="dropped_out"), as_of="2026-06-30")
    assert r.retained[91] is True
    assert r.early_unplanned_ending is False  # lasted 91 days, not fewer
    r = one(enrol(start="2026-01-05", end="2026-04-05", reason="dropped_out"), as_of="2026-06-30")
    assert r.retained[91] is False
    assert r.early_unplanned_ending is True


def test_horizon_observable_only_when_start_plus_horizon_is_on_or_before_the_as_of_date(one):
    enrolment = enrol(start="2026-01-05", end="2026-02-15", reason="dropped_out")
    assert one(enrolment, as_of="2026-04-06").retained[91] is False
    assert one(enrolment, as_of="2026-04-05").retained[91] is None


def test_an_end_date_after_the_as_of_date(one):
    # Known now, but on 06-30 the enrolment was still running.
    enrolment = enrol(start="2026-06-01", end="2026-07-15", reason="dropped_out")
    r = one(enrolment, as_of="2026-06-30")
    assert (r.active, r.duration_days, r.early_unplanned_ending, r.retained[91]) == (True, 29, False, None)
    r = one(enrolment, as_of="2026-07-20")
    assert (r.active, r.duration_days, r.early_unplanned_ending) == (False, 44, True)
    r = one(enrolment, as_of="2026-07-15")
    assert (r.active, r.early_unplanned_ending) == (True, True)  # the last day is active, and the ending is seen


def test_education_retained_when_enrolled_at_start_and_enrolled_or_completed_later(one):
    person = YoungPersonFactory()
    status(person, EDUCATION, "2025-08-01", "enrolled")
    status(person, EDUCATION, "2026-06-20", "completed")
    status(person, EDUCATION, "2026-12-01", "public_benefits")
    enrolment = enrol(start="2026-01-05", young_person=person)
    # s + 182 = 2026-07-06 (completed); s + 365 = 2027-01-05 (public benefits).
    assert one(enrolment, as_of="2027-01-10").education_retained == {182: True, 365: False}
    assert one(enrolment, as_of="2027-01-04").education_retained == {182: True, 365: None}
    assert one(enrolment, as_of="2026-07-05").education_retained == {182: None, 365: None}


def test_education_events_on_the_start_and_horizon_days_count(one):
    person = YoungPersonFactory()
    status(person, EDUCATION, "2026-01-05", "enrolled")
    status(person, EDUCATION, "2026-07-05", "leave")
    status(person, EDUCATION, "2026-07-06", "enrolled")
    r = one(enrol(start="2026-01-05", young_person=person), as_of="2026-07-06")
    assert r.education_retained[182] is True


def test_education_not_enrolled_at_start_or_unknown_is_null(one):
    person = YoungPersonFactory()
    status(person, EDUCATION, "2025-08-01", "public_benefits")
    status(person, EDUCATION, "2026-01-06", "enrolled")  # the day after the start: too late
    assert one(enrol(start="2026-01-05", young_person=person), as_of="2027-06-30").education_retained == {
        182: None,
        365: None,
    }
    assert one(enrol(start="2026-01-05"), as_of="2027-06-30").education_retained == {182: None, 365: None}


def test_housing_first_move_in_and_first_year(one):
    person = YoungPersonFactory()
    status(person, HOUSING, "2025-02-01", "shelter")
    status(person, HOUSING, "2025-02-20", "own_tenancy")  # before the start: not the move-in
    status(person, HOUSING, "2025-03-10", "street")
    status(person, HOUSING, "2025-04-01", "supported_housing")  # move-in
    status(person, HOUSING, "2025-10-01", "shelter")
    status(person, HOUSING, "2025-11-01", "own_tenancy")
    enrolment = enrol(start="2025-03-03", code="housing_first_cti", young_person=person)
    r = one(enrolment, as_of="2026-06-30")
    assert r.move_in_date.isoformat() == "2025-04-01"
    assert r.housed_at_365 is True  # own tenancy on 2026-04-01
    assert r.returned_to_homelessness_365 is True  # the shelter in October
    assert r.as_json()["move_in_date"] == "2025-04-01"
    r = one(enrolment, as_of="2026-03-31")  # a year after the move-in is not over yet
    assert (r.move_in_date.isoformat(), r.housed_at_365, r.returned_to_homelessness_365) == ("2025-04-01", None, None)


@pytest.mark.parametrize(
    ("homeless_on", "returned", "housed"),
    [
        ("2026-04-01", True, False),  # exactly move-in + 365: inside (move_in, move_in + 365]
        ("2026-04-02", False, True),  # one day later
    ],
)
def test_housing_horizon_is_inclusive(one, homeless_on, returned, housed):
    person = YoungPersonFactory()
    status(person, HOUSING, "2025-04-01", "own_tenancy")
    status(person, HOUSING, homeless_on, "street")
    r = one(enrol(start="2025-03-03", code="housing_first_cti", young_person=person), as_of="2026-06-30")
    assert (r.returned_to_homelessness_365, r.housed_at_365) == (returned, housed)


def test_housing_with_family_is_neither_housed_nor_homeless(one):
    person = YoungPersonFactory()
    status(person, HOUSING, "2025-04-01", "own_tenancy")
    status(person, HOUSING, "2025-09-01", "with_family")
    r = one(enrol(start="2025-03-03", code="housing_first_cti", young_person=person), as_of="2026-06-30")
    assert (r.housed_at_365, r.returned_to_homelessness_365) == (False, False)


def test_housing_fields_are_null_outside_housing_first_and_before_a_move_in(one):
    person = YoungPersonFactory()
    status(person, HOUSING, "2025-04-01", "own_tenancy")
    r = one(enrol(start="2025-03-03", code="mentoring", young_person=person), as_of="2026-06-30")
    assert (r.move_in_date, r.housed_at_365, r.returned_to_homelessness_365) == (None, None, None)
    homeless = YoungPersonFactory()
    status(homeless, HOUSING, "2025-04-01", "shelter")
    status(homeless, HOUSING, "2026-07-01", "own_tenancy")  # after the as-of date: not yet known
    r = one(enrol(start="2025-03-03", code="housing_first_cti", young_person=homeless), as_of="2026-06-30")
    assert (r.move_in_date, r.housed_at_365, r.returned_to_homelessness_365) == (None, None, None)

"""Local ISO weeks, the window and the Thursday rule (spec §1, §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from outcomes.indicators.weeks import (
    iso_week,
    latest_sunday,
    local_midnight,
    quarter_bounds,
    quarter_of_week,
    quarter_weeks,
    window_mondays,
)
from tests.outcomes.builders import day


def test_window_ends_with_the_latest_sunday_on_or_before_the_as_of_date():
    # 2026-06-30 is a Tuesday: the running week (from 06-29) is not in the window.
    mondays = window_mondays(day("2026-06-30"), 12)
    assert mondays[-1] == day("2026-06-22")
    assert mondays[0] == day("2026-04-06")
    assert len(mondays) == 12


def test_a_sunday_as_of_date_closes_its_own_week():
    assert latest_sunday(day("2026-06-28")) == day("2026-06-28")
    assert window_mondays(day("2026-06-28"), 1) == [day("2026-06-22")]
    assert window_mondays(day("2026-06-27"), 1) == [day("2026-06-15")]


def test_a_window_needs_at_least_one_week():
    with pytest.raises(ValueError):
        window_mondays(day("2026-06-30"), 0)


def test_week_53_of_2026_spans_new_year_and_belongs_to_q4():
    assert iso_week(day("2026-12-28")) == (2026, 53)
    assert quarter_of_week(day("2026-12-28")) == (2026, 4)
    assert iso_week(day("2027-01-04")) == (2027, 1)
    assert quarter_of_week(day("2027-01-04")) == (2027, 1)


@pytest.mark.parametrize(
    ("monday", "quarter"),
    [
        ("2025-12-29", (2026, 1)),  # Thursday 2026-01-01: week 1 of 2026, though it starts in 2025
        ("2026-03-30", (2026, 2)),  # Thursday 04-02, so the week of 03-31 is a Q2 week
        ("2026-03-23", (2026, 1)),
        ("2026-06-29", (2026, 3)),  # Thursday 07-02
        ("2026-09-28", (2026, 4)),  # Thursday 10-01
        ("2026-09-21", (2026, 3)),
    ],
)
def test_a_week_belongs_to_the_quarter_of_its_thursday(monday, quarter):
    assert quarter_of_week(day(monday)) == quarter


def test_quarter_weeks_follow_the_thursday_rule():
    q1 = quarter_weeks(2026, 1)
    assert (q1[0], q1[-1], len(q1)) == (day("2025-12-29"), day("2026-03-23"), 13)
    q4 = quarter_weeks(2026, 4)
    assert (q4[0], q4[-1], len(q4)) == (day("2026-09-28"), day("2026-12-28"), 14)
    q1_2027 = quarter_weeks(2027, 1)
    assert q1_2027[0] == day("2027-01-04")


def test_quarter_bounds_are_calendar_days():
    assert quarter_bounds(2026, 2) == (day("2026-04-01"), day("2026-06-30"))
    assert quarter_bounds(2026, 4) == (day("2026-10-01"), day("2026-12-31"))
    with pytest.raises(ValueError):
        quarter_bounds(2026, 5)


def test_local_midnight_follows_daylight_saving_time():
    assert local_midnight(day("2026-03-29")).utcoffset() == dt.timedelta(hours=1)
    assert local_midnight(day("2026-03-30")).utcoffset() == dt.timedelta(hours=2)
    assert local_midnight(day("2026-10-26")).utcoffset() == dt.timedelta(hours=1)

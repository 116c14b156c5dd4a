"""Local calendar arithmetic for the indicators (spec §1).

Every week is an ISO 8601 week, Monday to Sunday, in Europe/Copenhagen. A
week belongs to the ISO year and the quarter that contain its Thursday (the
"Thursday rule"), so week 1 of 2026 starts on 2025-12-29 and the week
2026-12-28..2027-01-03 is week 53 of 2026 and lies in 2026Q4.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")
ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def sunday_of(monday: dt.date) -> dt.date:
    return monday + dt.timedelta(days=6)


def thursday_of(monday: dt.date) -> dt.date:
    return monday + dt.timedelta(days=3)


def iso_week(monday: dt.date) -> tuple[int, int]:
    """(ISO year, ISO week number) of the week starting on `monday`."""
    year, week, _ = thursday_of(monday).isocalendar()
    return year, week


def quarter_of_week(monday: dt.date) -> tuple[int, int]:
    """(year, quarter) the week belongs to: the quarter of its Thursday."""
    thursday = thursday_of(monday)
    return thursday.year, (thursday.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last calendar day of a quarter (for dated events such as an end date)."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1-4, not {quarter}")
    first = dt.date(year, 3 * quarter - 2, 1)
    next_first = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, next_first - ONE_DAY


def quarter_weeks(year: int, quarter: int) -> list[dt.date]:
    """The Mondays of the weeks that belong to a quarter by the Thursday rule (13 or 14 weeks)."""
    first, last = quarter_bounds(year, quarter)
    monday = monday_of(first)
    if thursday_of(monday) < first:
        monday += ONE_WEEK
    mondays = []
    while thursday_of(monday) <= last:
        mondays.append(monday)
        monday += ONE_WEEK
    return mondays


def latest_sunday(as_of: dt.date) -> dt.date:
    """The latest Sunday on or before `as_of`: the end of the newest complete week."""
    return as_of - dt.timedelta(days=(as_of.weekday() + 1) % 7)


def window_mondays(as_of: dt.date, window_weeks: int) -> list[dt.date]:
    """Mondays of the last `window_weeks` weeks whose Sunday is on or before `as_of`, oldest first (spec §4)."""
    if window_weeks < 1:
        raise ValueError("window_weeks must be at least 1")
    newest = latest_sunday(as_of) - dt.timedelta(days=6)
    return [newest - ONE_WEEK * back for back in range(window_weeks - 1, -1, -1)]


def local_midnight(day: dt.date) -> dt.datetime:
    """The instant local day `day` begins; `occurred_at < local_midnight(d + 1 day)` means "local date <= d"
    and lets the database use the index on occurred_at instead of converting every row."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=LOCAL_TZ)

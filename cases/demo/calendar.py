"""Local days of the demo history, numbered, with what the generator needs per day.

Plans refer to days by index (an int) rather than by `date`: cheaper to
compare and add, and every string the writer needs — the ISO date, the
prefix of a timestamp, its UTC offset in Europe/Copenhagen on that day — is
computed once per day here instead of once per row.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

# Contacts are only generated between 07:00 and 23:59 local time, so the UTC
# offset at noon is the offset of every generated time on that day, on the
# daylight-saving switch days too (the switch happens between 02:00 and 03:00).
_NOON = dt.time(12)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


LEAD_IN_DAYS = 800


class Calendar:
    """Days from `LEAD_IN_DAYS` before the history starts to a week after `today`.

    `first` is the index of the first day of the history (`years` before
    `today`), `today` the index of `today`. Enrolments carried over from
    before the history may start in the lead-in; nothing else happens there.
    Nothing is generated after today; contacts stop the day before, so a
    given `today` gives the same data at any time of day.
    """

    def __init__(self, today: dt.date, years: int) -> None:
        self.today_date = today
        self.first_date = years_before(today, years)
        self.base = self.first_date - dt.timedelta(days=LEAD_IN_DAYS)
        self.first = LEAD_IN_DAYS
        self.today = (today - self.base).days
        zone = timezone.get_default_timezone()
        days = [self.base + dt.timedelta(days=i) for i in range(self.today + 8)]
        self.iso: list[str] = [d.isoformat() for d in days]
        self.weekday: list[int] = [d.weekday() for d in days]
        self.offset: list[str] = [_offset(dt.datetime.combine(d, _NOON, tzinfo=zone)) for d in days]
        # A timestamp is prefix[d] + "HH:MM:SS" + offset[d].
        self.prefix: list[str] = [f"{iso} " for iso in self.iso]
        self.season: list[float] = [_season(d) for d in days]

    def index(self, day: dt.date) -> int:
        return (day - self.base).days

    def date(self, index: int) -> dt.date:
        return self.base + dt.timedelta(days=index)

    def noon(self, index: int) -> str:
        """An aware timestamp string for midday of a day (creation times of rows)."""
        return f"{self.prefix[index]}12:00:00{self.offset[index]}"


def _offset(moment: dt.datetime) -> str:
    minutes = int(moment.utcoffset().total_seconds() // 60)  # type: ignore[union-attr]
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _season(day: dt.date) -> float:
    """Less contact in the school holidays: summer, Christmas, winter and autumn break."""
    week = day.isocalendar().week
    if 28 <= week <= 31 or week >= 52 or week == 1:
        return 0.6
    if week in (7, 42):
        return 0.85
    return 1.0

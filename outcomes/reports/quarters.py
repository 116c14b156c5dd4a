"""A calendar quarter as the report names it ("2026Q2"), on top of `outcomes.indicators.weeks`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from outcomes.indicators.weeks import quarter_bounds, quarter_weeks, sunday_of

QUARTER_PATTERN = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        match = QUARTER_PATTERN.match(text.strip().upper())
        if not match:
            raise ValueError(f"a quarter is written YYYYQn, for example 2026Q2, not {text!r}")
        return cls(int(match[1]), int(match[2]))

    @staticmethod
    def parse_day(text: str) -> dt.date:
        return dt.date.fromisoformat(text)

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> dt.date:
        return quarter_bounds(self.year, self.number)[0]

    @property
    def last_day(self) -> dt.date:
        """The report's as-of date for everything dated by the calendar (reach, retention, status)."""
        return quarter_bounds(self.year, self.number)[1]

    @property
    def mondays(self) -> list[dt.date]:
        """The weeks of the quarter by the Thursday rule (spec §1)."""
        return quarter_weeks(self.year, self.number)

    @property
    def intensity_as_of(self) -> dt.date:
        """The Sunday that ends the quarter's last week: with it as the engine's as-of date and
        `len(mondays)` as the window, the engine's window is exactly the weeks of the quarter."""
        return sunday_of(self.mondays[-1])

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def last_four(self) -> list[Quarter]:
        """This quarter and the three before it, oldest first (the trend charts)."""
        quarters = [self]
        for _ in range(3):
            quarters.insert(0, quarters[0].previous())
        return quarters

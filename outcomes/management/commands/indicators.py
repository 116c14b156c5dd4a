"""`manage.py indicators`: print the indicators as they stood on a date (spec import-and-commands.md).

It computes through the same engine the nightly job and the pages use; it
writes nothing. Identifiers are external ids, or the primary key for a record
created in the application without one.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from outcomes.indicators.aggregates import indicators_document
from outcomes.indicators.engine import DEFAULT_WINDOW_WEEKS, compute_indicators

TABLE_COLUMNS = (
    ("enrolment", 12),
    ("intervention", 18),
    ("team", 8),
    ("worker", 8),
    ("weeks_eligible", 6),
    ("weeks_with_contact", 6),
    ("weekly_contact_rate", 8),
    ("norm_attainment", 8),
    ("days_since_last_contact", 6),
    ("retained_91", 6),
    ("retained_182", 6),
    ("retained_365", 6),
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of must be a date YYYY-MM-DD, not {value!r}")


class Command(BaseCommand):
    help = "Compute the indicators of spec/indicators.md for every enrolment as of a date and print them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=_date, default=None, help="YYYY-MM-DD (default: today, local time)")
        parser.add_argument("--window-weeks", type=int, default=DEFAULT_WINDOW_WEEKS)
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = options["as_of"] or timezone.localdate()
        window_weeks = options["window_weeks"]
        if window_weeks < 1:
            raise CommandError("--window-weeks must be at least 1")
        results = compute_indicators(as_of=as_of, window_weeks=window_weeks)
        document = indicators_document(as_of=as_of, window_weeks=window_weeks, results=results)
        if options["format"] == "json":
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self._write_table(document)

    def _write_table(self, document: dict[str, Any]) -> None:
        self.stdout.write(f"Indicators as of {document['as_of']}, window {document['window_weeks']} weeks")
        self.stdout.write(" ".join(name[:width].ljust(width) for name, width in TABLE_COLUMNS))
        for row in document["enrolments"]:
            cells = (
                ("-" if row[name] is None else str(row[name]))[:width].ljust(width) for name, width in TABLE_COLUMNS
            )
            self.stdout.write(" ".join(cells))
        self.stdout.write("")
        self.stdout.write("Totals")
        for name, value in document["totals"].items():
            self.stdout.write(f"  {name}: {json.dumps(value, ensure_ascii=False)}")

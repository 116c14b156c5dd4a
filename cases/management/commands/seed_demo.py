"""`manage.py seed_demo`: fill an empty database with the synthetic demo municipality."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cases.demo.seed import DemoSeedError, database_has_young_people, seed_demo


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today wants a date as YYYY-MM-DD, not {value!r}.")


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic municipality: teams, workers of every role with the demo "
        "logins, young people, enrolments, pauses, handovers, status events and contacts. Deterministic for a "
        "given size, seed and --today."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--young-people", type=int, default=300, help="How many young people (default 300).")
        parser.add_argument("--years", type=int, default=2, help="Years of history ending today (default 2).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (default 1).")
        parser.add_argument("--today", type=_date, help="The last day of the history, YYYY-MM-DD (default today).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Skip quietly (exit 0) when the database already has data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        local_today = timezone.localdate()
        today = options["today"] or local_today
        if options["young_people"] < 1 or options["years"] < 1:
            raise CommandError("--young-people and --years must be at least 1.")
        if today > local_today:
            raise CommandError(f"--today {today} is in the future; contacts are never logged ahead of time.")
        if database_has_young_people():
            if options["if_empty"]:
                self.stdout.write("Database already has data; seed_demo skipped.")
                return
            raise CommandError(
                "The database already has young people; seed_demo only fills an empty database. "
                "Use --if-empty to skip in that case, or start from a fresh database."
            )
        try:
            result = seed_demo(
                young_people=options["young_people"],
                years=options["years"],
                seed=options["seed"],
                today=today,
                progress=self.stdout.write,
            )
        except DemoSeedError as error:
            raise CommandError(str(error))
        width = max(len(table) for table in result.counts)
        self.stdout.write(self.style.SUCCESS(f"Seeded the demo municipality in {result.seconds:.1f} s:"))
        for table, rows in result.counts.items():
            self.stdout.write(f"  {table:<{width}}  {rows:>12,}")

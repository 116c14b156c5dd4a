"""`python manage.py purge_closed_cases [--dry-run]`: the weekly retention job by hand.

With --dry-run it lists what would go (ids and counts per table, never a name
or a CPR number) and writes nothing. Without it, each batch is archived to
RETENTION_ARCHIVE_DIR as JSON and then deleted (cases.services.retention).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.services.retention import DEFAULT_BATCH_SIZE, PurgeAlreadyRunning, PurgeResult, closed_cases_purge


def _ids(ids: list[int]) -> str:
    return ", ".join(str(pk) for pk in ids) or "-"


class Command(BaseCommand):
    help = "Archive (JSON) and delete enrolments closed more than CASE_RETENTION_YEARS years ago."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be purged; write nothing.")
        parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE, help="Enrolments per transaction.")
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, default=None, help="Count the years back from this date (ISO)."
        )

    def handle(self, *args: Any, dry_run: bool, batch_size: int, today: dt.date | None, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        try:
            result = closed_cases_purge(dry_run=dry_run, today=today, batch_size=batch_size)
        except PurgeAlreadyRunning as running:
            raise CommandError(str(running)) from running
        self._report(result)

    def _report(self, result: PurgeResult) -> None:
        for state, names in result.reconciled.items():
            for name in names:
                self.stdout.write(f"interrupted archive {name}: {state}")
        self.stdout.write(result.summary() + (" (dry run: nothing was written)" if result.dry_run else ""))
        self.stdout.write(f"enrolments: {len(result.enrolment_ids)} [{_ids(result.enrolment_ids)}]")
        self.stdout.write(f"young people: {len(result.young_person_ids)} [{_ids(result.young_person_ids)}]")
        for label, count in result.counts.items():
            self.stdout.write(f"  {label}: {count}")
        for name in result.archives:
            self.stdout.write(f"archive: {name}")

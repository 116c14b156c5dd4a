"""`python manage.py purge_access_log [--dry-run]`: the nightly access-log retention job by hand.

With --dry-run it reports how many rows (and which range of ids) would go and
writes nothing; without it, rows older than ACCESS_LOG_RETENTION_DAYS days are
deleted in batches (cases.services.retention).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.services.retention import ACCESS_LOG_BATCH_SIZE, access_log_purge


class Command(BaseCommand):
    help = "Delete access-log rows older than ACCESS_LOG_RETENTION_DAYS days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be deleted; write nothing.")
        parser.add_argument("--batch-size", type=int, default=ACCESS_LOG_BATCH_SIZE, help="Rows per transaction.")

    def handle(self, *args: Any, dry_run: bool, batch_size: int, **options: Any) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        result = access_log_purge(dry_run=dry_run, batch_size=batch_size)
        self.stdout.write(result.summary() + (" (dry run: nothing was written)" if dry_run else ""))

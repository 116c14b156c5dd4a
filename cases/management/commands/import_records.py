"""`python manage.py import_records DIR` (spec/import-and-commands.md).

On success it prints one summary line. On any problem it prints them to
standard error, one a line as `FILE:LINE: column: message` and nothing else,
writes nothing and exits with status 1. Code that wants the problems as data
calls `cases.importer.import_records` and catches `ImportFailed`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.importer import ImportFailed, import_records


class Command(BaseCommand):
    help = (
        "Import teams, workers, young people, enrolments, pauses, contacts and status events "
        "from the CSV files in DIR, all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, metavar="DIR")

    def handle(self, *args: Any, directory: Path, **options: Any) -> None:
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a directory.")
        try:
            result = import_records(directory)
        except ImportFailed as failed:
            for problem in failed.problems:
                self.stderr.write(str(problem))
            # Not CommandError: it would add a line that is not a problem.
            sys.exit(1)
        self.stdout.write(result.summary())

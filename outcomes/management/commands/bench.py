"""`manage.py bench [name ...]`: run the benchmarks of outcomes/benchmarks/ (`make bench`)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from outcomes.benchmarks import benchmark_names, ensure_database, run_benchmarks


class Command(BaseCommand):
    help = "Create or reuse the benchmark database, then run every benchmark (or those named) and print the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help="Benchmarks to run (default: all).")

    def handle(self, *args: object, names: list[str], **options: object) -> None:
        unknown = set(names) - set(benchmark_names())
        if unknown:
            raise CommandError(f"No such benchmark: {', '.join(sorted(unknown))}")
        out = self.stdout.write
        ensure_database(out=out)
        run_benchmarks(names or None, out=out)

"""`manage.py quarterly_report --quarter YYYYQn --output FILE.pdf [--team EXTERNAL_ID]`.

Renders the quarterly report synchronously through the code the Celery job
runs (`outcomes.reports.render.render_report`). With an output name ending in
`.json` it writes the report's tables after disclosure control instead
(spec/import-and-commands.md).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cases.models import Team
from outcomes.reports.quarters import Quarter
from outcomes.reports.render import render_report


class Command(BaseCommand):
    help = "Render the quarterly report (PDF, or its tables as JSON when the output ends in .json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quarter", required=True, help="The quarter, YYYYQn (for example 2026Q2).")
        parser.add_argument("--output", required=True, help="FILE.pdf, or FILE.json for the tables.")
        parser.add_argument("--team", help="A team's external id (default: the whole municipality).")
        parser.add_argument("--language", default="da", choices=["da", "en"], help="da (default) or en.")

    def handle(self, *args, **options) -> None:
        try:
            quarter = Quarter.parse(options["quarter"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        team = None
        if options["team"]:
            team = Team.objects.filter(external_id=options["team"]).first()
            if team is None:
                raise CommandError(f"no team with external id {options['team']!r}")
        output = Path(options["output"])
        output_format = "json" if output.suffix.lower() == ".json" else "pdf"
        content, pages = render_report(
            quarter=quarter, team=team, language=options["language"], output_format=output_format
        )
        output.write_bytes(content)
        pages_text = f", {pages} pages" if pages else ""
        self.stderr.write(f"{output_format.upper()} written to {output} ({len(content)} bytes{pages_text})")

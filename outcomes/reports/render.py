"""Rendering the quarterly report: one code path for the Celery job and the command.

`render_report(quarter=, team=, language=, output_format=)` builds the content
(`content.build_report`, disclosure control already applied) in the requested
language and returns PDF bytes (WeasyPrint, tagged PDF/UA-1) or the JSON of
its tables.

WeasyPrint is imported inside `pdf_from_html` only: importing it loads fonts
and parses its default stylesheets, which would slow every management
command and every worker start.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from cases.models import Team
from outcomes.reports.charts import chart_svg
from outcomes.reports.content import Report, build_report
from outcomes.reports.quarters import Quarter

PDF_VARIANT = "pdf/ua-1"


def static_roots() -> list[Path]:
    """The only places the PDF renderer may read files from."""
    roots = [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def is_allowed_url(url: str) -> bool:
    """Local static files only: no network (http, https, ftp), no other file on the machine."""
    if url.startswith("data:"):
        return True
    if not url.startswith("file://"):
        return False
    path = Path(url.removeprefix("file://").split("?", 1)[0].split("#", 1)[0]).resolve()
    return any(path.is_relative_to(root) for root in static_roots())


def format_cell(value: Any, kind: str, *, language: str) -> str:
    """A figure as the PDF prints it: 1.234 and 49,3 % in Danish, 1,234 and 49.3 % in English; a
    change of score as +4,0 or −1,5 points."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if kind == "points":  # a change of score: signed, one decimal
        text = f"{value:+.1f}".replace("-", "−")
        return text.replace(".", ",") if language == "da" else text
    if kind in ("rate", "number"):
        text = f"{value * 100:.1f} %"
        return text.replace(".", ",") if language == "da" else text
    if isinstance(value, int):
        text = f"{value:,}"
        return text.replace(",", ".") if language == "da" else text
    return str(value)


def _display_table(table: Any, language: str) -> dict[str, Any]:
    return {
        "caption": table.caption,
        "note": table.note,
        "columns": [c.label for c in table.columns],
        "rows": [
            {
                "label": row.cells[0],
                "total": row.total,
                "indent": row.indent,
                "cells": [
                    format_cell(v, c.kind, language=language)
                    for v, c in zip(row.cells[1:], table.columns[1:], strict=True)
                ],
            }
            for row in table.rows
        ],
    }


def render_html(report: Report, *, language: str) -> str:
    with translation.override(language):
        sections = [
            {
                "key": section.key,
                "title": section.title,
                "intro": section.intro,
                "tables": [_display_table(t, language) for t in section.tables],
                "charts": [
                    {**chart, "svg": chart_svg(chart, chart_id=f"chart-{section.key}-{index}")}
                    for index, chart in enumerate(section.charts)
                ],
            }
            for section in report.sections
        ]
        context = {
            "report": report,
            "language": language,
            "municipality": getattr(settings, "MUNICIPALITY_NAME", "") or _("The municipality"),
            "summary": [(label, format_cell(v, kind, language=language)) for label, v, kind in report.summary],
            "sections": sections,
            "data_quality": [(label, format_cell(v, "count", language=language)) for label, v in report.data_quality],
        }
        return render_to_string("outcomes/pdf/report.html", context)


def pdf_from_html(html: str) -> tuple[bytes, int]:
    """The PDF (PDF/UA-1) and its number of pages."""
    import weasyprint  # noqa: PLC0415 - lazily: see the module docstring
    from weasyprint.urls import URLFetcher, URLFetchingError  # noqa: PLC0415

    class LocalStaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not is_allowed_url(url):
                raise URLFetchingError(f"the report may only use local static files, not {url[:80]}")
            return super().fetch(url, headers)

    base_url = static_roots()[0].as_uri() + "/"
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=LocalStaticFetcher()).render()
    return document.write_pdf(pdf_variant=PDF_VARIANT), len(document.pages)


def render_report(
    *, quarter: Quarter, team: Team | None = None, language: str = "da", output_format: str = "pdf"
) -> tuple[bytes, int]:
    """The report as PDF bytes and its page count, or (`output_format="json"`) its tables after
    disclosure control (and 0). The Celery job and the command both call this."""
    with translation.override(language):
        report = build_report(quarter=quarter, team=team)
        if output_format == "json":
            return (json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n").encode(), 0
        html = render_html(report, language=language)
    return pdf_from_html(html)


def report_document(*, quarter: Quarter, team: Team | None = None, language: str = "en") -> dict[str, Any]:
    """The JSON document as a dict (tests, the API)."""
    content, _pages = render_report(quarter=quarter, team=team, language=language, output_format="json")
    return json.loads(content)

"""The quarterly report for the whole municipality on the benchmark database (issue 6, `make bench`).

Renders the report of the last finished quarter before the database's newest
contact (for yc_bench20k, `seed_demo --young-people 20000 --years 5`) through
`render_report`, the code the Celery job and the command run, and times the
two parts: building the content (the engine's runs for four quarters,
aggregates, disclosure control) and WeasyPrint. Target: under 10 s in all.
"""

from __future__ import annotations

import datetime as dt
import time

from django.db.models import Max
from django.utils import timezone, translation

from cases.models import Contact, Enrolment, YoungPerson
from outcomes.reports.content import build_report
from outcomes.reports.quarters import Quarter
from outcomes.reports.render import pdf_from_html, render_html

TARGET_SECONDS = 10.0


def _quarter() -> Quarter:
    newest = Contact.objects.aggregate(newest=Max("occurred_at"))["newest"]
    day = timezone.localtime(newest).date() if newest else timezone.localdate()
    return Quarter.containing(day + dt.timedelta(days=1)).previous()  # the last quarter that has ended


def run() -> list[str]:
    quarter = _quarter()
    out = [
        f"quarter {quarter}: {YoungPerson.objects.count()} young people, {Enrolment.objects.count()} enrolments, "
        f"{Contact.objects.count()} contacts in the database"
    ]
    with translation.override("da"):
        started = time.perf_counter()
        report = build_report(quarter=quarter)
        built = time.perf_counter()
        html = render_html(report, language="da")
        pdf, pages = pdf_from_html(html)
        finished = time.perf_counter()
    total = finished - started
    out.append(f"content (engine for 4 quarters, aggregates, disclosure control): {built - started:.1f} s")
    out.append(f"HTML and PDF (WeasyPrint, PDF/UA-1): {finished - built:.1f} s; {pages} pages, {len(pdf) // 1024} KiB")
    out.append(
        f"municipality report in all: {total:.1f} s, target < {TARGET_SECONDS:.0f} s: "
        f"{'PASS' if total < TARGET_SECONDS else 'MISS'}"
    )
    return out

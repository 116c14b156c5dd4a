"""Every write about report runs: requesting, rendering (the job), downloading (logged)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import traceback

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cases.audit import Action, Purpose, access_log_record
from cases.models import Team, User
from outcomes.models import ReportRun
from outcomes.reports.content import DEFINITIONS_VERSION
from outcomes.reports.quarters import Quarter
from outcomes.reports.render import render_report

logger = logging.getLogger(__name__)

LANGUAGES = ("da", "en")
# Test-only: while the file named here exists, rendering waits before it writes its result,
# so the worker test can kill a worker mid-render. Never set in production.
HOLD_RENDER_ENV = "YOUTHCASE_TEST_HOLD_REPORT_FILE"
DOWNLOAD_PURPOSE = Purpose.STATISTICS  # an analyst downloading aggregates for reporting


def scope_key(team: Team | None) -> str:
    return "municipality" if team is None else f"team:{team.pk}"


def report_run_request(
    *, quarter: Quarter, team: Team | None = None, language: str = "da", by: User | None = None
) -> tuple[ReportRun, bool]:
    """The run of this report, created and queued if it is new (or failed before).

    The same quarter, scope, language and definitions give the same row (a unique
    constraint), so asking twice - two analysts, a double click, beat and a
    person - queues one job. A failed run is queued again on request."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    with transaction.atomic():
        run, created = ReportRun.objects.get_or_create(
            quarter=str(quarter),
            scope=scope_key(team),
            language=language,
            definitions_version=DEFINITIONS_VERSION,
            defaults={"team": team, "requested_by": by},
        )
        queue = created
        if not created and run.status == ReportRun.Status.FAILED:
            queue = bool(
                ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.FAILED).update(
                    status=ReportRun.Status.PENDING, error="", requested_by=by or run.requested_by
                )
            )
            run.refresh_from_db()
        if queue:
            from outcomes.reports.tasks import render_report_run  # noqa: PLC0415 - tasks import this module

            run_id = run.pk
            transaction.on_commit(lambda: render_report_run.delay(run_id))
    return run, queue


def _claim(run_id: int) -> bool:
    """Take the run: pending, or left running by a worker that died (older than the longest
    a task may run). One worker wins; a second delivery of the same task finds nothing."""
    stale = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = Q(status=ReportRun.Status.PENDING) | Q(status=ReportRun.Status.RUNNING, started_at__lt=stale)
    return bool(
        ReportRun.objects.filter(claimable, pk=run_id).update(
            status=ReportRun.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
    )


def report_run_render(*, run_id: int) -> bool:
    """Render a claimed run and store the PDF with status done, in one transaction.

    Returns False when another delivery had it already (nothing done)."""
    if not _claim(run_id):
        logger.info("report run %s: already claimed or finished", run_id)
        return False
    run = ReportRun.objects.select_related("team").get(pk=run_id)
    started = time.monotonic()
    try:
        pdf, pages = render_report(quarter=Quarter.parse(run.quarter), team=run.team, language=run.language)
        _hold_for_tests()
    except Exception:
        logger.exception("report run %s failed", run_id)
        ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.RUNNING).update(
            status=ReportRun.Status.FAILED,
            error=traceback.format_exc(limit=3)[-2000:],
            finished_at=timezone.now(),
            duration=dt.timedelta(seconds=time.monotonic() - started),
        )
        return True
    with transaction.atomic():
        ReportRun.objects.filter(pk=run_id).update(
            status=ReportRun.Status.DONE,
            pdf=pdf,
            pages=pages,
            size_bytes=len(pdf),
            error="",
            finished_at=timezone.now(),
            duration=dt.timedelta(seconds=time.monotonic() - started),
        )
    return True


def report_run_download(*, run: ReportRun, by: User) -> bytes:
    """The run's PDF, with an access-log row: an export of aggregates for statistics."""
    access_log_record(
        user=by, action=Action.EXPORT, purpose=DOWNLOAD_PURPOSE, obj=run, detail=f"report {run.quarter} {run.scope}"
    )
    return bytes(run.pdf)


def _hold_for_tests() -> None:
    path = os.environ.get(HOLD_RENDER_ENV)
    if not path:
        return
    logger.warning("%s: holding the render while %s exists", HOLD_RENDER_ENV, path)
    deadline = time.monotonic() + 600
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.1)

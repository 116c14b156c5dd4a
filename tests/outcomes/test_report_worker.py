"""A real Celery worker killed in the middle of rendering a quarterly report.

The report run is claimed with a conditional update and its PDF is written in
the same transaction that marks it done, so the killed worker leaves a run
*running* with no file. The unacknowledged task comes back after the
visibility timeout (shortened here, as in test_worker.py); by then the claim
is older than the longest a task may run, so the new worker claims it again
and renders it: one run, two attempts, one file.
"""

from __future__ import annotations

import signal
import time

import pytest

from outcomes.models import ReportRun
from outcomes.reports.quarters import Quarter
from outcomes.reports.services import HOLD_RENDER_ENV, report_run_request
from tests.outcomes.builders import contact, enrol
from tests.outcomes.test_worker import VISIBILITY_TIMEOUT, broker, start_worker, wait_for  # noqa: F401

pytestmark = pytest.mark.celery_worker


def test_a_worker_killed_mid_render_leaves_one_report_done_once(transactional_db, start_worker, tmp_path):  # noqa: F811
    enrolment = enrol(start="2026-01-05")
    contact(enrolment, "2026-04-08 10:00")
    hold = tmp_path / "hold"
    hold.touch()
    slow = start_worker("slow", **{HOLD_RENDER_ENV: str(hold)})
    run, queued = report_run_request(quarter=Quarter(2026, 2), language="en")  # autocommit: queued at once
    assert queued
    wait_for(
        lambda: ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.RUNNING).exists(),
        seconds=60,
        what=f"the slow worker to start rendering (log in {tmp_path})",
    )
    time.sleep(1)
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.RUNNING and run.pdf is None and run.attempts == 1
    hold.unlink()

    # the same report asked for again meanwhile is the same run, not a second job
    again, queued_again = report_run_request(quarter=Quarter(2026, 2), language="en")
    assert again.pk == run.pk and not queued_again

    wait_for(
        lambda: time.time() - run.started_at.timestamp() > VISIBILITY_TIMEOUT + 1,
        seconds=VISIBILITY_TIMEOUT + 5,
        what="the visibility timeout",
    )
    start_worker("healthy")
    wait_for(
        lambda: ReportRun.objects.filter(pk=run.pk, status=ReportRun.Status.DONE).exists(),
        seconds=120,
        what=f"the report to be done (worker logs in {tmp_path})",
    )
    run.refresh_from_db()
    assert ReportRun.objects.count() == 1
    assert run.attempts == 2 and bytes(run.pdf).startswith(b"%PDF") and run.pages >= 5
    time.sleep(2)  # nothing renders it a third time
    run.refresh_from_db()
    assert run.attempts == 2 and run.status == ReportRun.Status.DONE

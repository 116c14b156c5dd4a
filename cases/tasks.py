"""The data-lifecycle jobs (docs/SECURITY.md, docs/JOBS.md), run by Celery beat
(youthcase/settings.py: CELERY_BEAT_SCHEDULE).

Both are thin: they call one service in cases.services.retention and record
the run as a JobRun, like the indicator jobs. Both are safe to run twice and
to kill at any point: each batch is one transaction, and the service resolves
an archive left by a batch that did not commit.
"""

from __future__ import annotations

from celery import Task, shared_task

from cases.services.retention import access_log_purge, closed_cases_purge
from outcomes.tasks import RETRY, _run_tracked


@shared_task(bind=True, name="cases.tasks.purge_expired_access_log", **RETRY)
def purge_expired_access_log(self: Task) -> str | None:
    """Delete access-log rows older than ACCESS_LOG_RETENTION_DAYS (nightly)."""
    return _run_tracked(self, key="", work=lambda run: access_log_purge(dry_run=False).summary())


@shared_task(bind=True, name="cases.tasks.purge_closed_cases", **RETRY)
def purge_closed_cases(self: Task) -> str | None:
    """Archive and delete enrolments closed more than CASE_RETENTION_YEARS years ago (weekly)."""
    return _run_tracked(self, key="", work=lambda run: closed_cases_purge(dry_run=False).summary())

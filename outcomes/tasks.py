"""Background jobs that keep the stored indicators current (see docs/JOBS.md).

- `recompute_enrolment`: one enrolment, queued after a change commits
  (`enqueue_enrolment_recompute`).
- `recompute_all`: the nightly job; it splits the enrolments into ranges of
  ids and queues one `recompute_shard` per range, so several workers (on
  several machines) share the night's work. Nightly it rewrites the
  snapshots; weekly (`rebuild_facts=True`) the weekly facts as well.

Every task takes ids and an ISO date, never model instances, and is
idempotent: `indicators_recompute` rewrites the rows of its enrolments in one
transaction. Tasks are acknowledged late (youthcase/celery.py), so a task
whose worker dies is delivered again and simply runs again. Each run is
recorded in JobRun, found by the Celery task id, which stays the same when a
task is redelivered or retried.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from uuid import uuid4

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from cases.models import Enrolment
from outcomes.indicators.store import indicators_recompute, snapshots_prune
from outcomes.indicators.weeks import quarter_bounds
from outcomes.models import JobRun

logger = logging.getLogger(__name__)

# Enrolments per nightly shard: a few seconds of work each, small enough that a
# redelivered shard costs little, large enough that queueing is not the cost.
SHARD_SIZE = settings.INDICATOR_SHARD_SIZE
# Daily snapshots are kept this long; quarter-end snapshots are kept for good (the reports' dates).
SNAPSHOT_RETENTION_DAYS = getattr(settings, "INDICATOR_SNAPSHOT_RETENTION_DAYS", 400)
JOB_RUN_RETENTION_DAYS = getattr(settings, "JOB_RUN_RETENTION_DAYS", 90)
# Test-only: a file name; while that file exists a shard holds its transaction open before
# committing, so the worker test can kill a worker in the middle of one. Never set in production.
HOLD_SHARD_ENV = "YOUTHCASE_TEST_HOLD_SHARD_FILE"

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),  # the database restarted or failed over
    "retry_backoff": True,
    "retry_jitter": True,
    "max_retries": 5,
}


def _as_of(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else timezone.localdate()


# --- Job runs -------------------------------------------------------------------------------


def _claim(task: Task, key: str) -> JobRun | None:
    """Mark this task's run as running; None when an earlier delivery already finished it.

    A run left "running" by a worker that died is claimed again: that is exactly
    the redelivery the late acknowledgement is for, and the work is idempotent."""
    task_id = task.request.id or uuid4().hex  # called directly, outside Celery, there is no id
    run, _ = JobRun.objects.get_or_create(task_id=task_id, defaults={"name": task.name, "key": key})
    claimed = (
        JobRun.objects.filter(pk=run.pk)
        .exclude(status=JobRun.Status.DONE)
        .update(
            status=JobRun.Status.RUNNING,
            started_at=timezone.now(),
            finished_at=None,
            duration=None,
            error="",
            attempts=F("attempts") + 1,
        )
    )
    if not claimed:
        logger.info("job %s %s already done; skipped", task.name, task_id)
        return None
    run.refresh_from_db()
    return run


def _finish(run: JobRun, *, status: str, result: str = "", error: str = "") -> None:
    finished = timezone.now()
    JobRun.objects.filter(pk=run.pk).update(
        status=status, finished_at=finished, duration=finished - run.started_at, result=result[:200], error=error
    )


def _run_tracked(task: Task, *, key: str, work: Callable[[JobRun], object]) -> object:
    run = _claim(task, key)
    if run is None:
        return None
    try:
        result = work(run)
    except Exception:
        _finish(run, status=JobRun.Status.FAILED, error=traceback.format_exc(limit=20))
        raise
    _finish(run, status=JobRun.Status.DONE, result=str(result))
    return result


# --- Tasks ----------------------------------------------------------------------------------


@shared_task(bind=True, **RETRY)
def recompute_enrolment(self: Task, enrolment_id: int, as_of: str | None = None) -> int | None:
    """Rewrite the facts and today's snapshot of one enrolment."""
    day = _as_of(as_of)

    def work(run: JobRun) -> int:
        return indicators_recompute(as_of=day, enrolments=Enrolment.objects.filter(pk=enrolment_id))

    return _run_tracked(self, key=f"enrolment {enrolment_id}, as of {day}", work=work)


@shared_task(bind=True, **RETRY)
def recompute_shard(self: Task, first_id: int, last_id: int, as_of: str, rewrite_facts: bool = False) -> int | None:
    """Rewrite the `as_of` snapshots (and with `rewrite_facts` the weekly facts) of the enrolments
    with ids first_id..last_id."""
    day = _as_of(as_of)

    def work(run: JobRun) -> int:
        with transaction.atomic():
            enrolments = Enrolment.objects.filter(pk__range=(first_id, last_id))
            count = indicators_recompute(as_of=day, enrolments=enrolments, rewrite_facts=rewrite_facts)
            _hold_for_tests()
        return count

    return _run_tracked(self, key=_shard_key(first_id, last_id, day, rewrite_facts), work=work)


def _shard_key(first_id: int, last_id: int, day: dt.date, rewrite_facts: bool) -> str:
    return f"enrolments {first_id}-{last_id}, as of {day}" + (", with facts" if rewrite_facts else "")


@shared_task(bind=True, **RETRY)
def recompute_all(
    self: Task, as_of: str | None = None, shard_size: int | None = None, rebuild_facts: bool = False
) -> int | None:
    """The nightly job: queue one shard task per range of enrolment ids, then prune old rows.

    Each night rewrites every snapshot for the day, straight from the contacts.
    The weekly facts are kept current by the recompute after each change; with
    `rebuild_facts` (weekly, as a safety net) the shards rewrite them as well.

    The shard runs are created here, keyed by this run and their range, so a
    redelivered `recompute_all` finds them again instead of doubling the work,
    and does not queue the shards that are already done."""
    day = _as_of(as_of)

    def work(run: JobRun) -> int:
        ranges = shard_ranges(size=shard_size or SHARD_SIZE)
        for first_id, last_id in ranges:
            shard, _ = JobRun.objects.get_or_create(
                parent=run,
                key=_shard_key(first_id, last_id, day, rebuild_facts),
                defaults={"name": recompute_shard.name, "task_id": uuid4().hex},
            )
            if shard.status != JobRun.Status.DONE:
                recompute_shard.apply_async(
                    args=[first_id, last_id, day.isoformat(), rebuild_facts], task_id=shard.task_id
                )
        _prune(day)
        return len(ranges)

    return _run_tracked(self, key=f"as of {day}" + (", with facts" if rebuild_facts else ""), work=work)


def shard_ranges(*, size: int) -> list[tuple[int, int]]:
    """Consecutive ranges of enrolment ids with `size` enrolments each (the last may be shorter)."""
    ids = list(Enrolment.objects.order_by("pk").values_list("pk", flat=True))
    return [(chunk[0], chunk[-1]) for chunk in (ids[i : i + size] for i in range(0, len(ids), size))]


def _prune(today: dt.date) -> None:
    quarter_ends = [quarter_bounds(year, q)[1] for year in range(today.year - 10, today.year + 1) for q in (1, 2, 3, 4)]
    snapshots_prune(before=today - dt.timedelta(days=SNAPSHOT_RETENTION_DAYS), keep=quarter_ends)
    old_runs = timezone.now() - dt.timedelta(days=JOB_RUN_RETENTION_DAYS)
    JobRun.objects.filter(created_at__lt=old_runs, parent__isnull=True).delete()


def _hold_for_tests() -> None:
    path = os.environ.get(HOLD_SHARD_ENV)
    if not path:
        return
    logger.warning("%s: holding the shard's transaction open while %s exists", HOLD_SHARD_ENV, path)
    deadline = time.monotonic() + 600
    while os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.1)


# --- Enqueueing -----------------------------------------------------------------------------


class _QueueRecompute:
    """The on-commit callback for one enrolment; it carries the id so a second
    change of the same enrolment in the same transaction queues nothing more."""

    def __init__(self, enrolment_id: int) -> None:
        self.enrolment_id = enrolment_id

    def __call__(self) -> None:
        recompute_enrolment.delay(self.enrolment_id)


def _already_queued(enrolment_id: int) -> bool:
    # Django keeps the pending callbacks of the open transaction (and drops those of a
    # rolled-back savepoint) in run_on_commit as (savepoint ids, callback, robust).
    pending = getattr(connection, "run_on_commit", [])
    return any(getattr(entry[1], "enrolment_id", None) == enrolment_id for entry in pending)


_batch = threading.local()


def enqueue_enrolment_recompute(enrolment_id: int) -> None:
    """Queue a recompute of one enrolment once the current transaction commits.

    After the commit, so the worker sees the change and a rolled-back change
    queues nothing; outside a transaction Django runs the callback at once.
    Several changes to one enrolment in one transaction queue one recompute;
    inside `recomputes_batched()` none is queued here."""
    if getattr(_batch, "active", False):
        return
    if connection.in_atomic_block and _already_queued(enrolment_id):
        return
    transaction.on_commit(_QueueRecompute(enrolment_id))


@contextmanager
def recomputes_batched() -> Iterator[None]:
    """For imports: inside, changes queue no recompute per enrolment; leaving it queues
    one `recompute_all(rebuild_facts=True)` after the transaction commits."""
    already = getattr(_batch, "active", False)
    _batch.active = True
    try:
        yield
    finally:
        _batch.active = already
    if not already:
        transaction.on_commit(lambda: recompute_all.delay(rebuild_facts=True))


def enqueue_young_person_recompute(young_person_id: int) -> None:
    """Queue a recompute of each of a young person's enrolments (a status event concerns them all)."""
    for enrolment_id in Enrolment.objects.filter(young_person_id=young_person_id).values_list("pk", flat=True):
        enqueue_enrolment_recompute(enrolment_id)


# The quarterly report's tasks live with the report; importing them here registers them
# with the worker, which discovers `outcomes.tasks` only.
from outcomes.reports import tasks as _report_tasks  # noqa: E402, F401

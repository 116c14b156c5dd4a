"""A real Celery worker against Redis and PostgreSQL, killed in the middle of a shard.

What the test relies on (see docs/JOBS.md):

- Tasks are acknowledged late (`task_acks_late`), so the shard the worker was
  running is still unacknowledged when the worker dies with SIGKILL; Redis
  keeps the message in its `unacked` set.
- The shard holds its transaction open while it works (here made slow on
  purpose with YOUTHCASE_TEST_HOLD_SHARD_FILE), so PostgreSQL rolls back
  everything it wrote when the connection drops: nothing half-done stays.
- The Redis transport gives an unacknowledged message back to the queue once
  it is older than the visibility timeout; a worker does that sweep when it
  starts consuming. The test sets the timeout to a few seconds (production:
  two hours) and starts the second worker after it has passed.
  `task_reject_on_worker_lost` is not what brings the task back here: with the
  solo pool there is no parent process left to reject it. (With the prefork
  pool, a killed child is requeued at once by its parent through that setting.)
- The task is idempotent and finds its JobRun by the task id, which a
  redelivery keeps: the run shows two attempts and the rows are written once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings

from cases.models import Enrolment
from outcomes import tasks
from outcomes.indicators.contacts import weekly_contacts
from outcomes.indicators.engine import compute_indicators
from outcomes.indicators.store import results_from_snapshots
from outcomes.models import IndicatorSnapshot, JobRun, WeeklyContactFact
from tests.outcomes.builders import contact, day, enrol
from youthcase.celery import app

pytestmark = pytest.mark.celery_worker

AS_OF = "2026-06-30"
VISIBILITY_TIMEOUT = 8
CELERY = Path(sys.executable).parent / "celery"


def wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


@pytest.fixture
def broker() -> Iterator[str]:
    """The test's Redis database, emptied of queued and unacknowledged messages
    (it must be one no other worker consumes from)."""
    url = settings.CELERY_BROKER_URL
    assert url.startswith("redis://"), "the worker test needs REDIS_URL"
    client = redis.Redis.from_url(url)
    keys = ["celery", "unacked", "unacked_index", "unacked_mutex"]
    client.delete(*keys)
    app.conf.task_always_eager = False
    yield url
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    client.delete(*keys)


@pytest.fixture
def start_worker(broker, tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    database = settings.DATABASES["default"]
    base_env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
        "CELERY_TASK_TIME_LIMIT": str(VISIBILITY_TIMEOUT - 2),
        "DJANGO_DEBUG": "true",
    }
    started: list[subprocess.Popen] = []

    def start(name: str, pool: str = "solo", **extra_env: str) -> subprocess.Popen:
        log = (tmp_path / f"{name}.log").open("w")
        command = [str(CELERY), "-A", "youthcase", "worker", f"--pool={pool}", "--concurrency=1", "-Q", "celery"]
        command += ["--loglevel=info"]
        command += ["-n", f"{name}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=base_env | extra_env, stdout=log, stderr=subprocess.STDOUT
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def make_enrolments() -> list[Enrolment]:
    """Six enrolments, each with a few contacts in the week of 2026-06-01 (one fact row each)."""
    enrolments = [enrol(start=f"2026-0{1 + n % 5}-0{1 + n}") for n in range(6)]
    for n, enrolment in enumerate(enrolments):
        for week in range(n + 1):
            contact(enrolment, f"2026-06-0{1 + week} 1{week}:00")
    return enrolments


def shards():
    return JobRun.objects.filter(parent__isnull=False)


def running_shard() -> JobRun | None:
    return shards().filter(status=JobRun.Status.RUNNING).first()


def assert_done_once(killed: JobRun, enrolments: list[Enrolment]) -> None:
    killed.refresh_from_db()
    assert killed.attempts == 2
    assert sorted(shards().values_list("attempts", flat=True)) == [1, 1, 2]
    direct = [r.as_json() for r in compute_indicators(as_of=day(AS_OF))]
    stored = results_from_snapshots(IndicatorSnapshot.objects.filter(as_of=day(AS_OF)))
    assert [r.as_json() for r in stored] == direct
    assert IndicatorSnapshot.objects.count() == len(enrolments)
    expected_facts = len(weekly_contacts(as_of=day(AS_OF), enrolments=Enrolment.objects.all()))
    assert WeeklyContactFact.objects.count() == expected_facts == 6


def test_a_worker_killed_mid_shard_loses_no_work_and_duplicates_none(transactional_db, start_worker, tmp_path):
    enrolments = make_enrolments()
    hold = tmp_path / "hold"
    hold.touch()
    slow = start_worker("slow", YOUTHCASE_TEST_HOLD_SHARD_FILE=str(hold))
    tasks.recompute_all.apply_async(args=[AS_OF], kwargs={"shard_size": 2, "rebuild_facts": True})
    wait_for(lambda: running_shard() is not None, seconds=60, what="the slow worker to start a shard")
    killed = running_shard()
    time.sleep(1)  # well inside the shard's transaction: its rows are written, not committed
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)

    assert shards().count() == 3
    assert not IndicatorSnapshot.objects.exists(), "the killed shard's transaction must not have committed"
    assert not WeeklyContactFact.objects.exists()
    hold.unlink()

    # The unacknowledged shard comes back once it is older than the visibility timeout.
    wait_for(
        lambda: time.time() - killed.started_at.timestamp() > VISIBILITY_TIMEOUT + 1,
        seconds=VISIBILITY_TIMEOUT + 5,
        what="the visibility timeout",
    )
    start_worker("healthy")
    wait_for(
        lambda: shards().filter(status=JobRun.Status.DONE).count() == 3,
        seconds=90,
        what=f"every shard to be done (worker logs in {tmp_path})",
    )
    assert_done_once(killed, enrolments)


def test_a_pool_process_killed_mid_shard_is_requeued_at_once(transactional_db, start_worker, tmp_path):
    """With the prefork pool the parent survives its child and, through
    task_reject_on_worker_lost, puts the task back without waiting for the visibility timeout."""
    enrolments = make_enrolments()
    hold = tmp_path / "hold"
    hold.touch()
    worker = start_worker(
        "prefork",
        pool="prefork",
        YOUTHCASE_TEST_HOLD_SHARD_FILE=str(hold),
        CELERY_VISIBILITY_TIMEOUT="3600",
        CELERY_TASK_TIME_LIMIT="600",
    )
    tasks.recompute_all.apply_async(args=[AS_OF], kwargs={"shard_size": 2, "rebuild_facts": True})
    wait_for(lambda: running_shard() is not None, seconds=60, what="the worker to start a shard")
    killed = running_shard()
    time.sleep(1)
    children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(worker.pid)], capture_output=True, text=True)
    [child] = [int(pid) for pid in children.stdout.split()]
    os.kill(child, signal.SIGKILL)
    time.sleep(1)
    assert not IndicatorSnapshot.objects.exists()
    hold.unlink()
    wait_for(
        lambda: shards().filter(status=JobRun.Status.DONE).count() == 3,
        seconds=60,
        what=f"every shard to be done (worker log in {tmp_path})",
    )
    assert worker.poll() is None  # the same worker carried on
    assert_done_once(killed, enrolments)

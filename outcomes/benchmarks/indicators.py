"""The indicator engine against its floor (issue 4, `make bench`).

Measured in one run, on whatever database DATABASE_URL names (`make bench`:
yc_bench20k, `seed_demo --young-people 20000 --years 5`):

1. The floor: ONE raw SQL statement that only groups the qualifying contacts
   dated on or before today (held, not text) by enrolment and local ISO week
   (Europe/Copenhagen). The database does all of the grouping and sends back a
   single row of totals, so the figure is the database's work alone, not
   moving rows to Python: no engine can beat it.
2. The full recompute on the nightly path: every enrolment's snapshot for
   today, straight from the contacts, shard by shard as `recompute_shard`
   does it (`indicators_recompute(..., rewrite_facts=False)`), one after
   another in this process, so it is the total work of the night.
3. Their ratio. Target: within 2x.
4. One enrolment after a new contact: a contact is logged (inserted without
   the services' hooks, so nothing else is queued) and the enrolment's facts
   and snapshot rewritten as `recompute_enrolment` does it; the median over 20
   enrolments active today. Target: 50 ms. The whole Celery task (with its
   JobRun bookkeeping, run in-process) is printed beside it. The contacts are
   deleted afterwards and the enrolments recomputed, so the database is left
   as it was, with today's snapshots written.

Steps 1 and 2 run ROUNDS times, alternating, after one untimed run of the
floor that brings the contacts into the cache; the medians are compared.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from django.db import connection, reset_queries
from django.utils import timezone

from cases.models import Contact, Enrolment
from outcomes.indicators.engine import DEFAULT_WINDOW_WEEKS
from outcomes.indicators.store import indicators_recompute
from outcomes.indicators.weeks import ONE_DAY, local_midnight
from outcomes.tasks import SHARD_SIZE, recompute_enrolment, shard_ranges

ROUNDS = 3
SAMPLE_ENROLMENTS = 20
TARGET_RATIO = 2.0
TARGET_ONE_MS = 50.0

FLOOR_SQL = """
SELECT COUNT(*), SUM(g.contacts), SUM(g.minutes) FROM (
    SELECT enrolment_id,
           DATE_TRUNC('week', occurred_at AT TIME ZONE 'Europe/Copenhagen') AS week,
           COUNT(*) AS contacts,
           SUM(duration_minutes) AS minutes
    FROM cases_contact
    WHERE status = 'held' AND channel <> 'text' AND occurred_at < %s
    GROUP BY 1, 2
) g
"""


def _timed(work: Callable[[], object]) -> tuple[float, object]:
    reset_queries()  # DJANGO_DEBUG keeps every query; do not let the list grow over the run
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def floor(today: dt.date) -> tuple[int, int]:
    """The one grouping statement; returns (enrolment-weeks, qualifying contacts)."""
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL, [local_midnight(today + ONE_DAY)])
        groups, contacts, _minutes = cursor.fetchone()
    return groups, int(contacts or 0)


def nightly(today: dt.date) -> int:
    """Every snapshot for today, shard by shard, as the nightly job writes them."""
    written = 0
    for first_id, last_id in shard_ranges(size=SHARD_SIZE):
        written += indicators_recompute(
            as_of=today,
            enrolments=Enrolment.objects.filter(pk__range=(first_id, last_id)),
            window_weeks=DEFAULT_WINDOW_WEEKS,
            rewrite_facts=False,
        )
    return written


def _sample(today: dt.date) -> list[Enrolment]:
    active = Enrolment.objects.filter(start_date__lte=today, end_date__isnull=True).order_by("pk")
    ids = list(active.values_list("pk", flat=True))
    step = max(1, len(ids) // SAMPLE_ENROLMENTS)
    chosen = ids[::step][:SAMPLE_ENROLMENTS]
    return list(Enrolment.objects.filter(pk__in=chosen).order_by("pk"))


def one_enrolment(today: dt.date) -> tuple[list[float], list[float]]:
    """Seconds to recompute one enrolment after a new contact: the service, and the whole task."""
    service, task = [], []
    logged = []
    try:
        for enrolment in _sample(today):
            for timings, recompute in (
                (service, lambda e=enrolment: indicators_recompute(as_of=today, enrolments=_one(e))),
                (task, lambda e=enrolment: recompute_enrolment.apply(args=[e.pk, today.isoformat()]).get()),
            ):
                logged.append(_log_contact(enrolment))
                seconds, _ = _timed(recompute)
                timings.append(seconds)
    finally:
        touched = {c.enrolment_id for c in logged}
        Contact.objects.filter(pk__in=[c.pk for c in logged]).delete()
        indicators_recompute(as_of=today, enrolments=Enrolment.objects.filter(pk__in=touched))
    return service, task


def _one(enrolment: Enrolment):
    return Enrolment.objects.filter(pk=enrolment.pk)


def _log_contact(enrolment: Enrolment) -> Contact:
    return Contact.objects.create(
        enrolment=enrolment,
        worker_id=enrolment.primary_worker_id,
        occurred_at=timezone.now() - dt.timedelta(minutes=5),
        duration_minutes=45,
        channel=Contact.Channel.IN_PERSON,
        status=Contact.Status.HELD,
    )


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def run() -> list[str]:
    today = timezone.localdate()
    enrolments = Enrolment.objects.filter(start_date__lte=today).count()
    floor(today)  # untimed: bring the contacts into the cache
    floors, fulls = [], []
    groups = contacts = written = 0
    for _ in range(ROUNDS):
        seconds, (groups, contacts) = _timed(lambda: floor(today))
        floors.append(seconds)
        seconds, written = _timed(lambda: nightly(today))
        fulls.append(seconds)
    floor_s, full_s = statistics.median(floors), statistics.median(fulls)
    ratio = full_s / floor_s
    service, task = one_enrolment(today)
    one_ms, task_ms = statistics.median(service) * 1000, statistics.median(task) * 1000
    shards = len(shard_ranges(size=SHARD_SIZE))
    return [
        f"as of {today}: {enrolments:,} enrolments, {contacts:,} qualifying contacts in {groups:,} enrolment-weeks",
        f"floor (one grouping statement):      {floor_s:7.2f} s  (rounds: {_list(floors)})",
        f"full recompute, nightly path:        {full_s:7.2f} s  (rounds: {_list(fulls)}; "
        f"{written:,} snapshots in {shards} shards of {SHARD_SIZE})",
        f"ratio full / floor:                  {ratio:7.2f} x  target <= {TARGET_RATIO:g}x  "
        f"{_verdict(ratio <= TARGET_RATIO)}",
        f"one enrolment after a new contact:   {one_ms:7.1f} ms median of {len(service)} "
        f"(min {min(service) * 1000:.1f}, max {max(service) * 1000:.1f})  target <= {TARGET_ONE_MS:g} ms  "
        f"{_verdict(one_ms <= TARGET_ONE_MS)}",
        f"  the whole task, with its job-run rows: {task_ms:.1f} ms median of {len(task)}",
    ]


def _list(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in seconds)

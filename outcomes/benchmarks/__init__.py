"""`make bench`: the benchmarks of the outcome engine on a large PostgreSQL database.

The runner (`manage.py bench`, called by `make bench`) works in these steps:

1. Make sure the database named in DATABASE_URL exists on its server (create
   it when missing), is migrated, and holds the demo data: when it has no
   enrolment it runs `seed_demo --young-people 20000 --years 5` (a long run,
   done once; later runs reuse the database), with its indicator jobs run
   in-process: queued to the bench Redis they would wait for the load test's
   Celery worker and run during its measured period.
2. Before each benchmark, when the server has autovacuum off, `VACUUM
   ANALYZE` in its place (`vacuum_unless_autovacuum`).
3. Run every module `outcomes/benchmarks/<name>.py` that defines
   `run() -> list[str]` ("indicators" first, since it writes today's
   snapshots that the others read; the rest by name) and print the lines each
   returns as soon as it has finished.

Benchmarks measure; they are not tests and assert nothing about time. Each
prints its target and PASS or MISS.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import psycopg2
from django.conf import settings
from django.core.management import call_command
from psycopg2 import sql

SEED_YOUNG_PEOPLE = 20000
SEED_YEARS = 5
FIRST = "indicators"


def ensure_database(*, out: Callable[[str], None] = print) -> None:
    """Step 1: create, migrate and seed the benchmark database as needed."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("make bench needs PostgreSQL (BENCH_DATABASE_URL).")
    _create_if_missing(database, out=out)
    call_command("migrate", verbosity=0)
    from cases.models import Enrolment  # after migrate: the table exists

    if not Enrolment.objects.exists():
        out(f"Seeding {database['NAME']}: {SEED_YOUNG_PEOPLE} young people over {SEED_YEARS} years (once)…")
        with tasks_in_process():
            call_command("seed_demo", young_people=SEED_YOUNG_PEOPLE, years=SEED_YEARS)
        # As autovacuum would soon after: statistics, and the visibility map that lets the
        # contact queries answer from their indexes without visiting the heap.
        out("VACUUM ANALYZE after seeding…")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def vacuum_unless_autovacuum(*, out: Callable[[str], None] = print) -> None:
    """Do autovacuum's work when the server has it off (as on this workplace's machines).

    A benchmark rewrites tens of thousands of rows (the indicators' snapshots and
    facts); without fresh statistics the next one's plans go wrong: a snapshot
    table last analysed empty made the nightly recompute 47 s instead of 4 s.
    Production runs autovacuum, so this measures what production would see."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "on":
            return
        started = time.monotonic()
        cursor.execute("VACUUM ANALYZE")
    out(f"(autovacuum is off on this server: VACUUM ANALYZE in its place, {time.monotonic() - started:.1f} s)")


@contextmanager
def tasks_in_process() -> Iterator[None]:
    """Celery tasks queued inside the block run at once, in this process (as without a broker)."""
    from youthcase.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = eager


def _create_if_missing(database: dict, *, out: Callable[[str], None]) -> None:
    server = psycopg2.connect(
        dbname="postgres",
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
    )
    server.autocommit = True  # CREATE DATABASE cannot run in a transaction
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]])
            if cursor.fetchone() is None:
                out(f"Creating database {database['NAME']}…")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
    finally:
        server.close()


def benchmark_names() -> list[str]:
    """The modules of this package that define `run()`, "indicators" first."""
    names = []
    for module in pkgutil.iter_modules(__path__):
        if callable(getattr(importlib.import_module(f"{__name__}.{module.name}"), "run", None)):
            names.append(module.name)
    return sorted(names, key=lambda name: (name != FIRST, name))


def run_benchmarks(names: Iterable[str] | None = None, *, out: Callable[[str], None] = print) -> None:
    """Steps 2 and 3: run the benchmarks and print their lines."""
    for name in names or benchmark_names():
        out(f"== {name}")
        vacuum_unless_autovacuum(out=out)
        for line in importlib.import_module(f"{__name__}.{name}").run():
            out(line)

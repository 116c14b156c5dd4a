"""The bulk-write service: many rows at once, where per-row services would be too slow.

`cases.services` is the way every write normally goes: one row at a time,
validated, audited. The demo data (`seed_demo`, up to ten million contacts)
cannot afford that, so it writes through the functions below instead. They do
no validation of their own: callers may only hand them rows that were built to
satisfy the same invariants the services enforce — contacts inside their
enrolment's active days and never in the future, at most one open enrolment
per young person and intervention, an end reason exactly when there is an end
date, pauses inside the enrolment and not overlapping, a primary-worker period
for every enrolment. The database constraints still hold the rest.

On PostgreSQL rows are streamed with ``COPY ... FROM STDIN`` in chunks; on any
other database (SQLite for `make run`) they fall back to ``bulk_create`` in
batches. Rows are tuples of values in the order of `columns` (attribute names,
e.g. ``"enrolment_id"``): ``None``, ``bool``, ``int``, ``str``, ``date`` or an
aware ``datetime``. A string given for a date or time column must be ISO 8601;
a timestamp string must carry its UTC offset (``2026-03-01 18:30:00+01:00``),
because the PostgreSQL session runs in UTC and a naive string would be read as
UTC, not as local time.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models

COPY_CHUNK_ROWS = 200_000
FALLBACK_BATCH_ROWS = 2_000

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def is_postgresql(using: str = DEFAULT_DB_ALIAS) -> bool:
    return connections[using].vendor == "postgresql"


def reserve_ids(model: type[models.Model], count: int, *, using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """`count` primary keys that no other writer will use, so parents can be
    inserted with their ids and children can refer to them without reading back.

    PostgreSQL takes them from the table's sequence; elsewhere (SQLite, a single
    writer) they follow the current maximum, and the explicit ids advance the
    table's autoincrement counter when inserted.
    """
    if count <= 0:
        return []
    connection = connections[using]
    table = model._meta.db_table
    pk_column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), pk_column, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        cursor.execute(
            f"SELECT COALESCE(MAX({connection.ops.quote_name(pk_column)}), 0) FROM {connection.ops.quote_name(table)}"  # noqa: S608
        )
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def bulk_insert(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    using: str = DEFAULT_DB_ALIAS,
    chunk_rows: int = COPY_CHUNK_ROWS,
) -> int:
    """Insert `rows` into `model`'s table and return how many were written.

    `rows` may be a generator; it is consumed chunk by chunk, so memory stays
    bounded whatever its length. Columns left out take their database default
    (the primary key from its sequence). On the fallback path `bulk_create`
    runs the fields' `pre_save`, so `auto_now` columns get the current time.
    """
    if is_postgresql(using):
        return _copy_rows(model, columns, rows, using=using, chunk_rows=chunk_rows)
    return _bulk_create_rows(model, columns, rows, using=using)


# --- PostgreSQL: COPY -----------------------------------------------------------


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give bulk_insert aware datetimes")
        return value.isoformat()
    if isinstance(value, int | dt.date):
        return str(value)
    raise TypeError(f"bulk_insert cannot write {type(value).__name__} values")


def _copy_line(row: Sequence[Any], tabs: int) -> str:
    # Fast path: a row of plain strings (the demo contacts) joins in C; only a
    # row holding other types or characters COPY treats specially is formatted
    # value by value.
    try:
        line = "\t".join(row)
    except TypeError:
        return "\t".join([_copy_value(v) for v in row]) + "\n"
    if line.count("\t") != tabs or "\\" in line or "\n" in line or "\r" in line:
        return "\t".join([_copy_value(v) for v in row]) + "\n"
    return line + "\n"


def _copy_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, using: str, chunk_rows: int
) -> int:
    connection = connections[using]
    quote = connection.ops.quote_name
    db_columns = [model._meta.get_field(name).column for name in columns]
    sql = f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in db_columns)}) FROM STDIN"
    tabs = len(columns) - 1
    written = 0
    iterator: Iterator[Sequence[Any]] = iter(rows)
    with connection.cursor() as cursor:
        while True:
            lines = [_copy_line(row, tabs) for row in islice(iterator, chunk_rows)]
            if not lines:
                break
            _copy_text(cursor, sql, "".join(lines))
            written += len(lines)
    return written


def _copy_text(cursor: Any, sql: str, text: str) -> None:
    raw = cursor.cursor
    if hasattr(raw, "copy_expert"):  # psycopg2
        raw.copy_expert(sql, io.StringIO(text))
    else:  # psycopg 3
        with raw.copy(sql) as copy:
            copy.write(text)


@contextmanager
def indexes_deferred(model: type[models.Model], *, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Load `model`'s table without maintaining its secondary indexes and
    foreign keys row by row: drop them, let the caller insert, then rebuild
    them in one sorted pass each and re-validate the foreign keys against the
    whole table (what pg_restore does). Several times faster for millions of
    rows. PostgreSQL only (elsewhere a no-op); it must run inside a
    transaction, so a failure restores the table exactly as it was. The
    primary key and check constraints stay in place throughout.

    Dropping a foreign key alters the referenced table too, which PostgreSQL
    refuses while rows inserted earlier in the transaction still have
    deferred checks pending; so those checks run first (`SET CONSTRAINTS ALL
    IMMEDIATE`), and deferral is restored at the end (Django declares its
    foreign keys deferrable, initially deferred).
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_deferred() must run inside transaction.atomic()")
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') ORDER BY conname",
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass AND NOT indisprimary "
            "AND indexrelid NOT IN (SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass) "
            "ORDER BY 1",
            [table, table],
        )
        indexes = cursor.fetchall()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")  # already quoted by ::regclass::text
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def analyze(*model_classes: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> None:
    """Refresh the planner's statistics after a bulk load. On PostgreSQL outside
    a transaction this is `VACUUM (ANALYZE)`, which also marks the new pages
    all-visible (index-only scans work at once, and the first reader does not
    have to write hint bits), even where autovacuum is off; inside one (a
    test) plain `ANALYZE`."""
    connection = connections[using]
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    command = "VACUUM (ANALYZE)" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        for model in model_classes:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


# --- Other databases: bulk_create ---------------------------------------------------


def _bulk_create_rows(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]], *, using: str
) -> int:
    fields = [model._meta.get_field(name) for name in columns]
    converters = [(name, field.to_python) for name, field in zip(columns, fields, strict=True)]
    manager = model._base_manager.using(using)
    written = 0
    iterator = iter(rows)
    while True:
        batch = [
            model(**{name: convert(value) for (name, convert), value in zip(converters, row, strict=True)})
            for row in islice(iterator, FALLBACK_BATCH_ROWS)
        ]
        if not batch:
            break
        manager.bulk_create(batch)
        written += len(batch)
    return written

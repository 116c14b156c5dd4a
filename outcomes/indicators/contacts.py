"""The database side of the engine: contacts grouped by enrolment and local ISO week.

The local date of a contact is an ORM expression that Django writes for each
database (`occurred_at AT TIME ZONE 'Europe/Copenhagen'` on PostgreSQL, its
registered tz-aware date functions on SQLite), so it is decided in one place,
by the database, for every row at once. The grouping around it is a short,
portable SQL statement (see `_grouped`).
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db import connection
from django.db.models import Case, DateField, Expression, F, Max, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, TruncDate, TruncWeek

from cases.models import Contact, Enrolment
from cases.selectors import QUALIFYING, QUALIFYING_CHANNELS
from outcomes.indicators.weeks import LOCAL_TZ, ONE_DAY, local_midnight
from outcomes.models import WeeklyContactFact

LOCAL_DATE = TruncDate("occurred_at", tzinfo=LOCAL_TZ)
# Cast: PostgreSQL's DATE_TRUNC returns a timestamp; the facts table wants a date.
LOCAL_WEEK = Cast(TruncWeek(LOCAL_DATE, output_field=DateField()), DateField())

# Over the per-contact rows below: a qualifying contact on an active day of its own
# enrolment (spec §2, §3), and any contact outside the enrolment (spec §9).
COUNTED = "c.c_qualifying = 1 AND c.c_date >= c.c_start AND (c.c_end IS NULL OR c.c_date <= c.c_end)"
OUTSIDE = "c.c_date < c.c_start OR c.c_date > c.c_end"
GROUPED = f"""
SELECT c.c_enrolment, c.c_week,
       SUM(CASE WHEN {COUNTED} THEN 1 ELSE 0 END),
       SUM(CASE WHEN {COUNTED} THEN c.c_minutes ELSE 0 END),
       MAX(CASE WHEN {COUNTED} THEN c.c_date END),
       SUM(CASE WHEN {OUTSIDE} THEN 1 ELSE 0 END){{extra}}
FROM ({{contacts}}{{fence}}) c
GROUP BY c.c_enrolment, c.c_week
"""  # noqa: S608 (built from the constants above; every value goes in as a parameter)


class ContactBucket(NamedTuple):
    """Contacts of one enrolment in one window week, or (week_start None) in all other weeks.

    A named tuple: the nightly run builds a few hundred thousand of them."""

    enrolment_id: int
    week_start: dt.date | None
    contacts: int
    minutes: int
    last_contact_date: dt.date | None
    outside_contacts: int


def _per_contact(*, as_of: dt.date, enrolments: QuerySet[Enrolment], week: Expression) -> QuerySet:
    """One row per contact of `enrolments` dated on or before `as_of` (local): its enrolment,
    local date, week, whether it qualifies, minutes, and the enrolment's start and end."""
    return (
        Contact.objects.filter(enrolment__in=enrolments.values("pk"), occurred_at__lt=local_midnight(as_of + ONE_DAY))
        .order_by()
        .annotate(
            c_enrolment=F("enrolment_id"),
            c_date=LOCAL_DATE,
            c_week=week,
            c_qualifying=Case(When(QUALIFYING, then=Value(1)), default=Value(0)),
            c_minutes=F("duration_minutes"),
            c_start=F("enrolment__start_date"),
            c_end=F("enrolment__end_date"),
        )
        .values_list("c_enrolment", "c_date", "c_week", "c_qualifying", "c_minutes", "c_start", "c_end")
    )


def _grouped(contacts: QuerySet, *, extra: str = "") -> tuple[str, list]:
    """SQL that groups the per-contact rows by enrolment and week.

    The ORM writes the per-contact query (so the local date is converted the
    way each database needs); the grouping around it is plain SQL, so the
    conversion runs once per contact instead of once per condition that uses
    it. On PostgreSQL `OFFSET 0` keeps the planner from folding the inner
    query into the outer one, which would repeat the conversion."""
    sql, params = contacts.query.get_compiler(connection=connection).as_sql()
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    return GROUPED.format(contacts=sql, fence=fence, extra=extra), list(params)


def _date(value: dt.date | str | None) -> dt.date | None:
    # Raw SQL skips Django's converters: SQLite hands back dates as ISO text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _fetch(sql: str, params: list) -> list[ContactBucket]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            ContactBucket(e, _date(week), contacts, minutes, _date(last), outside)
            for e, week, contacts, minutes, last, outside in cursor.fetchall()
        ]


def weekly_contacts(*, as_of: dt.date, enrolments: QuerySet[Enrolment]) -> list[ContactBucket]:
    """One row per enrolment and local week with any contact: the rows of WeeklyContactFact."""
    return _fetch(*_grouped(_per_contact(as_of=as_of, enrolments=enrolments, week=LOCAL_WEEK)))


def buckets_from_contacts(
    *, as_of: dt.date, first_monday: dt.date, enrolments: QuerySet[Enrolment], before_window: bool = True
) -> list[ContactBucket]:
    """One scan of the contacts: a row per window week (and the running week), and one for all earlier weeks.

    Only the weeks from `first_monday` on are told apart, which keeps the result
    to at most `window + 2` rows per enrolment however long its history.
    On PostgreSQL see `_buckets_postgresql` (the same rows, computed faster). With
    `before_window=False` PostgreSQL leaves out the counted contacts before the window
    (an enrolment's whole history, most of the query's time), for callers that need the
    window and the contacts outside the enrolment only."""
    if connection.vendor == "postgresql":
        return _buckets_postgresql(
            as_of=as_of, first_monday=first_monday, enrolments=enrolments, before_window=before_window
        )
    week_or_none = Case(
        When(occurred_at__gte=local_midnight(first_monday), then=LOCAL_WEEK),
        default=Value(None, output_field=DateField()),
        output_field=DateField(),
    )
    return _fetch(*_grouped(_per_contact(as_of=as_of, enrolments=enrolments, week=week_or_none)))


def buckets_from_facts(*, first_monday: dt.date, enrolments: QuerySet[Enrolment]) -> list[ContactBucket]:
    """The same buckets read from WeeklyContactFact rows, which must have been written for the same as-of date."""
    week_or_none = Case(
        When(week_start__gte=first_monday, then=F("week_start")),
        default=Value(None, output_field=DateField()),
        output_field=DateField(),
    )
    rows = (
        WeeklyContactFact.objects.filter(enrolment__in=enrolments.values("pk"))
        .annotate(bucket=week_or_none)
        .values("enrolment_id", "bucket")
        .annotate(
            sum_contacts=Sum("contacts"),
            sum_minutes=Sum("minutes"),
            last=Max("last_contact_date"),
            sum_outside=Sum("outside_contacts"),
        )
        .order_by()
        .values_list("enrolment_id", "bucket", "sum_contacts", "sum_minutes", "last", "sum_outside")
    )
    return [ContactBucket(*row) for row in rows]


def insert_weekly_facts(*, as_of: dt.date, enrolments: QuerySet[Enrolment]) -> int:
    """Write the weekly facts of `enrolments` with one INSERT ... SELECT, so the grouped
    rows never travel through Python. Returns the number of rows written."""
    started = enrolments.filter(start_date__lte=as_of)  # later enrolments are left out (spec §2)
    select, params = _grouped(_per_contact(as_of=as_of, enrolments=started, week=LOCAL_WEEK), extra=", %s")
    table = connection.ops.quote_name(WeeklyContactFact._meta.db_table)
    columns = ("enrolment_id", "week_start", "contacts", "minutes", "last_contact_date", "outside_contacts", "as_of")
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    as_of_param = connection.ops.adapt_datefield_value(as_of)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({quoted}) {select}", [as_of_param, *params])  # noqa: S608
        return cursor.rowcount


# The nightly path on PostgreSQL. The portable query above converts every contact's
# time to a local date and then compares that date with its enrolment's start and
# end in four CASE expressions: most of its time goes into those per-row
# expressions, not into reading the rows. Here the enrolment's first and last
# active day are turned into instants once per enrolment (local midnight of the
# start day; local midnight after the end day, capped at the end of the as-of
# day), so that a contact counts exactly when
#     lo <= occurred_at < hi  and it qualifies,
# a range of the index on (enrolment_id, occurred_at). The covering index of
# migration outcomes 0007 holds status, channel and minutes as well, so the
# contact rows themselves are never read (an index-only scan). Four parts:
#   1. per enrolment, its counted contacts before the window: one aggregate per
#      enrolment (LATERAL), no grouping key, no hashing, no local time;
#   2. its counted contacts from the window's first Monday on, grouped by local
#      ISO week: the only rows whose local time is worked out;
#   3. and 4. its contacts of any kind before its start and after its end
#      (spec §9; rare), counted from the same index by two more range lookups.
# Local midnight always exists in Europe/Copenhagen (the clocks change at
# 02:00/03:00), so `day::timestamp AT TIME ZONE zone` is exactly
# `local_midnight(day)`.
_PG_BUCKETS = """
WITH e AS MATERIALIZED (
    SELECT s.e_id AS id,
           (s.e_start::timestamp AT TIME ZONE %(zone)s) AS lo,
           LEAST((s.e_end + 1)::timestamp AT TIME ZONE %(zone)s, %(until)s) AS hi,
           ((s.e_end + 1)::timestamp AT TIME ZONE %(zone)s) AS after_end
    FROM ({scope}) s
)
SELECT e.id, NULL::date, b.contacts, b.minutes, b.last, 0
FROM e CROSS JOIN LATERAL (
    SELECT COUNT(*) AS contacts, SUM(c.duration_minutes) AS minutes,
           (MAX(c.occurred_at) AT TIME ZONE %(zone)s)::date AS last
    FROM {contact} c
    WHERE c.enrolment_id = e.id AND c.occurred_at >= e.lo AND c.occurred_at < LEAST(e.hi, %(window)s)
      AND c.status = %(held)s AND c.channel IN %(channels)s
) b
WHERE b.contacts > 0
UNION ALL
SELECT c.enrolment_id, DATE_TRUNC('week', c.occurred_at AT TIME ZONE %(zone)s)::date,
       COUNT(*), SUM(c.duration_minutes), (MAX(c.occurred_at) AT TIME ZONE %(zone)s)::date, 0
FROM e JOIN {contact} c
     ON c.enrolment_id = e.id AND c.occurred_at >= GREATEST(e.lo, %(window)s) AND c.occurred_at < e.hi
WHERE c.status = %(held)s AND c.channel IN %(channels)s
GROUP BY 1, 2
UNION ALL
SELECT c.enrolment_id, NULL, 0, 0, NULL, COUNT(*)
FROM e JOIN {contact} c ON c.enrolment_id = e.id AND c.occurred_at < e.lo AND c.occurred_at < %(until)s
GROUP BY 1
UNION ALL
SELECT c.enrolment_id, NULL, 0, 0, NULL, COUNT(*)
FROM e JOIN {contact} c ON c.enrolment_id = e.id AND c.occurred_at >= e.after_end AND c.occurred_at < %(until)s
GROUP BY 1
"""  # noqa: S608 (the scope is the ORM's SQL; every value goes in as a parameter)


# Without part 1: the CTE, then parts 2-4 (the window weeks and the contacts outside the enrolment).
_PG_BUCKETS_WINDOW = _PG_BUCKETS.split("SELECT e.id, NULL::date", 1)[0] + _PG_BUCKETS.split("UNION ALL", 1)[1]


def _buckets_postgresql(
    *, as_of: dt.date, first_monday: dt.date, enrolments: QuerySet[Enrolment], before_window: bool = True
) -> list[ContactBucket]:
    """The rows of `buckets_from_contacts`, except that an enrolment may have up to three
    NULL-week rows (its counted contacts before the window, its contacts before its start,
    after its end); they add up to the same totals."""
    scope_sql, scope_params = (
        enrolments.order_by()
        .annotate(e_id=F("pk"), e_start=F("start_date"), e_end=F("end_date"))
        .values_list("e_id", "e_start", "e_end")
        .query.sql_with_params()
    )
    # psycopg2 binds named parameters from a mapping; the scope's positional ones are named here too.
    scope_names = {f"scope_{n}": value for n, value in enumerate(scope_params)}
    scope_sql = scope_sql.replace("%%", "%%%%") % tuple(f"%({name})s" for name in scope_names)
    params = {
        "zone": str(LOCAL_TZ),
        "until": local_midnight(as_of + ONE_DAY),
        "window": local_midnight(first_monday),
        "held": Contact.Status.HELD,
        "channels": tuple(QUALIFYING_CHANNELS),
        **scope_names,
    }
    template = _PG_BUCKETS if before_window else _PG_BUCKETS_WINDOW
    sql = template.format(scope=scope_sql, contact=connection.ops.quote_name(Contact._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [ContactBucket(*row) for row in cursor.fetchall()]

"""The database side of the engine: contacts grouped by enrolment and local ISO week.

The same ORM expressions run on PostgreSQL (`occurred_at AT TIME ZONE
'Europe/Copenhagen'`) and on SQLite (Django's registered tz-aware date
functions), so the local date of a contact is decided in one place, by the
database, for every row at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, DateField, F, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncWeek

from cases.models import Contact, Enrolment
from cases.selectors import QUALIFYING
from outcomes.indicators.weeks import LOCAL_TZ, ONE_DAY, local_midnight
from outcomes.models import WeeklyContactFact

LOCAL_DATE = TruncDate("occurred_at", tzinfo=LOCAL_TZ)
# Cast: PostgreSQL's DATE_TRUNC returns a timestamp; the facts table wants a date.
LOCAL_WEEK = Cast(TruncWeek(LOCAL_DATE, output_field=DateField()), DateField())

# The contact's local date is an active day of its own enrolment (spec §2, §3).
ON_ACTIVE_DAY = Q(local_date__gte=F("enrolment__start_date")) & (
    Q(enrolment__end_date__isnull=True) | Q(local_date__lte=F("enrolment__end_date"))
)
OUTSIDE_ENROLMENT = Q(local_date__lt=F("enrolment__start_date")) | Q(
    enrolment__end_date__isnull=False, local_date__gt=F("enrolment__end_date")
)
COUNTED = QUALIFYING & ON_ACTIVE_DAY


@dataclass(frozen=True)
class ContactBucket:
    """Contacts of one enrolment in one window week, or (week_start None) in all other weeks."""

    enrolment_id: int
    week_start: dt.date | None
    contacts: int
    minutes: int
    last_contact_date: dt.date | None
    outside_contacts: int


def _contacts_until(as_of: dt.date, enrolments: QuerySet[Enrolment]) -> QuerySet[Contact]:
    """Contacts of `enrolments` whose local date is on or before `as_of`, with their local date."""
    return (
        Contact.objects.filter(enrolment__in=enrolments.values("pk"), occurred_at__lt=local_midnight(as_of + ONE_DAY))
        .annotate(local_date=LOCAL_DATE)
        .order_by()
    )


def _sums() -> dict:
    return {
        "contacts": Count("pk", filter=COUNTED),
        "minutes": Coalesce(Sum("duration_minutes", filter=COUNTED), 0),
        "last_contact_date": Max("local_date", filter=COUNTED),
        "outside_contacts": Count("pk", filter=OUTSIDE_ENROLMENT),
    }


def weekly_contacts(*, as_of: dt.date, enrolments: QuerySet[Enrolment]) -> QuerySet:
    """One row per enrolment and local week with any contact: the rows of WeeklyContactFact."""
    return (
        _contacts_until(as_of, enrolments)
        .annotate(week_start=LOCAL_WEEK)
        .values("enrolment_id", "week_start")
        .annotate(**_sums())
        .values_list("enrolment_id", "week_start", "contacts", "minutes", "last_contact_date", "outside_contacts")
    )


def buckets_from_contacts(
    *, as_of: dt.date, first_monday: dt.date, enrolments: QuerySet[Enrolment]
) -> list[ContactBucket]:
    """One scan of the contacts: a row per window week (and the running week), and one for all earlier weeks.

    Only the weeks from `first_monday` on are told apart, which keeps the result
    to at most `window + 2` rows per enrolment however long its history."""
    week_or_none = Case(
        When(occurred_at__gte=local_midnight(first_monday), then=LOCAL_WEEK),
        default=Value(None, output_field=DateField()),
        output_field=DateField(),
    )
    rows = (
        _contacts_until(as_of, enrolments)
        .annotate(bucket=week_or_none)
        .values("enrolment_id", "bucket")
        .annotate(**_sums())
        .values_list("enrolment_id", "bucket", "contacts", "minutes", "last_contact_date", "outside_contacts")
    )
    return [ContactBucket(*row) for row in rows]


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
    select = weekly_contacts(as_of=as_of, enrolments=started).annotate(fact_as_of=Value(as_of, DateField()))
    select = select.values_list(
        "enrolment_id", "week_start", "contacts", "minutes", "last_contact_date", "outside_contacts", "fact_as_of"
    )
    select_sql, params = select.query.get_compiler(connection=connection).as_sql()
    table = WeeklyContactFact._meta.db_table
    columns = ("enrolment_id", "week_start", "contacts", "minutes", "last_contact_date", "outside_contacts", "as_of")
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) {select_sql}", params)  # noqa: S608
        return cursor.rowcount

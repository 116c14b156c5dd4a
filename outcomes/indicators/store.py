"""Stored results: the weekly fact table and the indicator snapshots.

A recompute rewrites, in one transaction, the facts and the snapshot rows of
exactly the enrolments it was given: it deletes their rows and inserts fresh
ones, so running it twice leaves the same rows, and a retry after a crash
(the transaction rolled back) starts from a clean slate.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cases.bulk import bulk_insert
from cases.models import Enrolment
from outcomes.freshness import enrolments_changed
from outcomes.indicators.contacts import insert_weekly_facts
from outcomes.indicators.engine import (
    DEFAULT_WINDOW_WEEKS,
    EDUCATION_HORIZONS,
    RETENTION_HORIZONS,
    EnrolmentIndicators,
    compute_indicators,
    identifier,
    rounded,
)
from outcomes.models import IndicatorSnapshot, WeeklyContactFact


def latest_complete_date_key(window_weeks: int) -> str:
    """The cache key of the newest complete snapshot date (outcomes.selectors)."""
    return f"indicators:latest-complete-date:{connection.settings_dict['NAME']}:{window_weeks}"


def _forget_latest_complete_date(window_weeks: int) -> None:
    """Snapshots were written or removed: the newest complete date may have changed.
    A reader elsewhere may cache the old answer before this transaction commits;
    the cache's short lifetime (outcomes.selectors) bounds that to a minute."""
    cache.delete(latest_complete_date_key(window_weeks))


def indicators_recompute(
    *,
    as_of: dt.date,
    enrolments: QuerySet[Enrolment],
    window_weeks: int = DEFAULT_WINDOW_WEEKS,
    rewrite_facts: bool = True,
) -> int:
    """Rewrite the `as_of` snapshots of `enrolments`, and their weekly facts unless told not to;
    returns the number of snapshots.

    With `rewrite_facts` the facts are written first and the snapshots computed
    from them. Without it the snapshots are computed straight from the contacts
    and the facts are left alone: the nightly job, which must not depend on the
    facts being current and cannot afford to rewrite every week of every
    enrolment each night (docs/JOBS.md).

    The enrolment rows are locked first (FOR NO KEY UPDATE, which still lets
    contacts be logged against them) so two recomputes of the same enrolment,
    say the nightly shard and one enqueued by a new contact, take turns instead
    of both inserting the same rows."""
    with transaction.atomic():
        ids = list(enrolments.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
        scope = _with_ids(ids)
        if rewrite_facts:
            WeeklyContactFact.objects.filter(enrolment__in=scope.values("pk")).delete()
            insert_weekly_facts(as_of=as_of, enrolments=scope)
        source = "facts" if rewrite_facts else "contacts"
        results = compute_indicators(as_of=as_of, window_weeks=window_weeks, enrolments=scope, source=source)
        IndicatorSnapshot.objects.filter(
            enrolment__in=scope.values("pk"), as_of=as_of, window_weeks=window_weeks
        ).delete()
        now = timezone.now()
        if connection.vendor == "postgresql":
            computed_at = now.isoformat()  # the same for every row: formatted once
            _copy_snapshots(_snapshot_row(r, as_of=as_of, window_weeks=window_weeks, now=computed_at) for r in results)
        else:
            rows = (_snapshot_row(r, as_of=as_of, window_weeks=window_weeks, now=now) for r in results)
            bulk_insert(IndicatorSnapshot, SNAPSHOT_COLUMNS, rows)
        _forget_latest_complete_date(window_weeks)
        enrolments_changed(ids)
    return len(results)


# COPY text format of the values a snapshot row holds (`_snapshot_row`): the decimals and rates
# arrive as number text and `computed_at` as ISO text with its UTC offset, so no value needs escaping.
_COPY_FORMAT = {
    type(None): lambda _: "\\N",
    bool: lambda value: "t" if value else "f",
    int: str,
    str: str,
    dt.date: dt.date.isoformat,
}


def _copy_snapshots(rows: Iterable[tuple]) -> None:
    """Write the snapshot rows with one COPY. `cases.bulk.bulk_insert` does the same for any
    row, testing the type of every value in turn; this formats each value with one lookup on
    its type, which is most of the time the write took."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(IndicatorSnapshot._meta.get_field(name).column) for name in SNAPSHOT_COLUMNS)
    text = "".join(["\t".join([_COPY_FORMAT[type(v)](v) for v in row]) + "\n" for row in rows])
    if not text:
        return
    with connection.cursor() as cursor:
        raw = cursor.cursor
        sql = f"COPY {quote(IndicatorSnapshot._meta.db_table)} ({columns}) FROM STDIN"
        if hasattr(raw, "copy_expert"):  # psycopg2
            raw.copy_expert(sql, io.StringIO(text))
        else:  # psycopg 3
            with raw.copy(sql) as copy:
                copy.write(text)


ARRAY_FROM = 50


def _with_ids(ids: list[int]) -> QuerySet[Enrolment]:
    """The enrolments with these ids. On PostgreSQL the ids go in as ONE array parameter: a
    nightly shard has 2,000 of them, and `pk__in=ids` made Django build (and PostgreSQL parse)
    2,000 placeholders in each of the engine's five queries."""
    if connection.vendor == "postgresql" and len(ids) > ARRAY_FROM:
        return Enrolment.objects.filter(pk__in=RawSQL("SELECT UNNEST(%s::bigint[])", (ids,)))
    return Enrolment.objects.filter(pk__in=ids)  # one enrolment (after a change): the plainest plan


def snapshots_prune(*, before: dt.date, keep: Iterable[dt.date] = ()) -> int:
    """Delete snapshots dated before `before`, except those dated in `keep` (e.g. quarter ends)."""
    deleted, _ = IndicatorSnapshot.objects.filter(as_of__lt=before).exclude(as_of__in=list(keep)).delete()
    return deleted


SNAPSHOT_COLUMNS = (
    "enrolment_id",
    "as_of",
    "window_weeks",
    "active",
    "weeks_eligible",
    "weeks_with_contact",
    "qualifying_contacts",
    "contact_minutes",
    "weekly_contact_rate",
    "at_least_weekly",
    "contacts_per_week",
    "expected_contacts",
    "norm_attainment",
    "last_contact_date",
    "days_since_last_contact",
    "qualifying_contacts_total",
    "duration_days",
    *(f"retained_{h}" for h in RETENTION_HORIZONS),
    "early_unplanned_ending",
    *(f"education_retained_{h}" for h in EDUCATION_HORIZONS),
    "move_in_date",
    "housed_at_365",
    "returned_to_homelessness_365",
    "contacts_outside_enrolment",
    "computed_at",
)


def _text(value: object) -> str | None:
    # bulk_insert writes whole numbers, dates and booleans itself; rates and decimals go as text.
    return None if value is None else str(value)


def _snapshot_row(result: EnrolmentIndicators, *, as_of: dt.date, window_weeks: int, now: dt.datetime | str) -> tuple:
    """One IndicatorSnapshot row, in the order of SNAPSHOT_COLUMNS (`now`: computed_at, or its ISO text for COPY)."""
    return (
        result.enrolment_id,
        as_of,
        window_weeks,
        result.active,
        result.weeks_eligible,
        result.weeks_with_contact,
        result.qualifying_contacts,
        result.contact_minutes,
        _text(rounded(result.weekly_contact_rate)),
        result.at_least_weekly,
        _text(rounded(result.contacts_per_week)),
        _text(result.expected_contacts),
        _text(rounded(result.norm_attainment)),
        result.last_contact_date,
        result.days_since_last_contact,
        result.qualifying_contacts_total,
        result.duration_days,
        *(result.retained.get(h) for h in RETENTION_HORIZONS),
        result.early_unplanned_ending,
        *(result.education_retained.get(h) for h in EDUCATION_HORIZONS),
        result.move_in_date,
        result.housed_at_365,
        result.returned_to_homelessness_365,
        result.contacts_outside_enrolment,
        now,
    )


SNAPSHOT_RELATED = (
    "enrolment__young_person",
    "enrolment__intervention_type",
    "enrolment__team",
    "enrolment__primary_worker",
)


def results_from_snapshots(snapshots: QuerySet[IndicatorSnapshot]) -> list[EnrolmentIndicators]:
    """Stored snapshots as EnrolmentIndicators, so pages and the API aggregate them with `aggregate()`."""
    return [_from_snapshot(s) for s in snapshots.select_related(*SNAPSHOT_RELATED).order_by("enrolment_id")]


def _from_snapshot(snapshot: IndicatorSnapshot) -> EnrolmentIndicators:
    enrolment = snapshot.enrolment
    return EnrolmentIndicators(
        enrolment_id=enrolment.pk,
        enrolment=identifier(enrolment.external_id, enrolment.pk),
        young_person=identifier(enrolment.young_person.external_id, enrolment.young_person_id),
        intervention=enrolment.intervention_type.code,
        team=identifier(enrolment.team.external_id, enrolment.team_id),
        worker=identifier(enrolment.primary_worker.external_id, enrolment.primary_worker_id),
        start_date=enrolment.start_date,
        end_date=enrolment.end_date,
        active=snapshot.active,
        weeks_eligible=snapshot.weeks_eligible,
        weeks_with_contact=snapshot.weeks_with_contact,
        qualifying_contacts=snapshot.qualifying_contacts,
        contact_minutes=snapshot.contact_minutes,
        expected_contacts=snapshot.expected_contacts,
        last_contact_date=snapshot.last_contact_date,
        days_since_last_contact=snapshot.days_since_last_contact,
        qualifying_contacts_total=snapshot.qualifying_contacts_total,
        duration_days=snapshot.duration_days,
        retained={h: getattr(snapshot, f"retained_{h}") for h in RETENTION_HORIZONS},
        early_unplanned_ending=snapshot.early_unplanned_ending,
        education_retained={h: getattr(snapshot, f"education_retained_{h}") for h in EDUCATION_HORIZONS},
        move_in_date=snapshot.move_in_date,
        housed_at_365=snapshot.housed_at_365,
        returned_to_homelessness_365=snapshot.returned_to_homelessness_365,
        contacts_outside_enrolment=snapshot.contacts_outside_enrolment,
    )

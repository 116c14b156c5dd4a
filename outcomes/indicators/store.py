"""Stored results: the weekly fact table and the indicator snapshots.

A recompute rewrites, in one transaction, the facts and the snapshot rows of
exactly the enrolments it was given: it deletes their rows and inserts fresh
ones, so running it twice leaves the same rows, and a retry after a crash
(the transaction rolled back) starts from a clean slate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Enrolment
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

BATCH_SIZE = 2000


def indicators_recompute(
    *, as_of: dt.date, enrolments: QuerySet[Enrolment], window_weeks: int = DEFAULT_WINDOW_WEEKS
) -> int:
    """Rewrite the weekly facts and the `as_of` snapshots of `enrolments`; returns the number of snapshots.

    The enrolment rows are locked first (FOR NO KEY UPDATE, which still lets
    contacts be logged against them) so two recomputes of the same enrolment,
    say the nightly shard and one enqueued by a new contact, take turns instead
    of both inserting the same rows."""
    with transaction.atomic():
        ids = list(enrolments.select_for_update(no_key=True).order_by("pk").values_list("pk", flat=True))
        scope = Enrolment.objects.filter(pk__in=ids)
        WeeklyContactFact.objects.filter(enrolment__in=ids).delete()
        insert_weekly_facts(as_of=as_of, enrolments=scope)
        results = compute_indicators(as_of=as_of, window_weeks=window_weeks, enrolments=scope, source="facts")
        IndicatorSnapshot.objects.filter(enrolment__in=ids, as_of=as_of, window_weeks=window_weeks).delete()
        now = timezone.now()
        IndicatorSnapshot.objects.bulk_create(
            (_snapshot(r, as_of=as_of, window_weeks=window_weeks, now=now) for r in results), batch_size=BATCH_SIZE
        )
    return len(results)


def snapshots_prune(*, before: dt.date, keep: Iterable[dt.date] = ()) -> int:
    """Delete snapshots dated before `before`, except those dated in `keep` (e.g. quarter ends)."""
    deleted, _ = IndicatorSnapshot.objects.filter(as_of__lt=before).exclude(as_of__in=list(keep)).delete()
    return deleted


def _snapshot(result: EnrolmentIndicators, *, as_of: dt.date, window_weeks: int, now: dt.datetime) -> IndicatorSnapshot:
    return IndicatorSnapshot(
        enrolment_id=result.enrolment_id,
        as_of=as_of,
        window_weeks=window_weeks,
        active=result.active,
        weeks_eligible=result.weeks_eligible,
        weeks_with_contact=result.weeks_with_contact,
        qualifying_contacts=result.qualifying_contacts,
        contact_minutes=result.contact_minutes,
        weekly_contact_rate=rounded(result.weekly_contact_rate),
        at_least_weekly=result.at_least_weekly,
        contacts_per_week=rounded(result.contacts_per_week),
        expected_contacts=result.expected_contacts,
        norm_attainment=rounded(result.norm_attainment),
        last_contact_date=result.last_contact_date,
        days_since_last_contact=result.days_since_last_contact,
        qualifying_contacts_total=result.qualifying_contacts_total,
        duration_days=result.duration_days,
        **{f"retained_{h}": result.retained.get(h) for h in RETENTION_HORIZONS},
        early_unplanned_ending=result.early_unplanned_ending,
        **{f"education_retained_{h}": result.education_retained.get(h) for h in EDUCATION_HORIZONS},
        move_in_date=result.move_in_date,
        housed_at_365=result.housed_at_365,
        returned_to_homelessness_365=result.returned_to_homelessness_365,
        contacts_outside_enrolment=result.contacts_outside_enrolment,
        computed_at=now,
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

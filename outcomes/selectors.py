"""Reads of the stored indicators for pages and the API.

Callers pass the enrolments the user may see (`cases.selectors.enrolments_for`),
so access control stays where it lives. Pages read snapshots written by the
nightly job and by the recompute after each change; they never compute.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Max, QuerySet

from cases.models import Enrolment
from outcomes.indicators.aggregates import aggregate
from outcomes.indicators.engine import DEFAULT_WINDOW_WEEKS
from outcomes.indicators.store import latest_complete_date_key, results_from_snapshots
from outcomes.models import IndicatorSnapshot, WeeklyContactFact


def latest_snapshot_date(*, window_weeks: int = DEFAULT_WINDOW_WEEKS, look_back: int = 7) -> dt.date | None:
    """The newest as-of date whose snapshots are complete (normally today, after the nightly job).

    A full recompute writes one snapshot for every enrolment started by its date.
    A single enrolment's recompute on a day the nightly job has not reached yet
    writes that day for that enrolment alone; such a date must not be taken for
    the whole picture, so dates are tried newest first until one is complete
    (at most `look_back` of them; then the newest is used, as before).

    The answer changes only when snapshots are written, so it is cached:
    outcomes.indicators.store forgets it on every write, and a minute's lifetime
    bounds what a reader racing a commit could have cached."""
    key = latest_complete_date_key(window_weeks)
    cached = cache.get(key)
    if cached is None:
        cached = _latest_complete_date(window_weeks, look_back) or "none"
        cache.set(key, cached, timeout=60)
    return None if cached == "none" else cached


def _latest_complete_date(window_weeks: int, look_back: int) -> dt.date | None:
    snapshots = IndicatorSnapshot.objects.filter(window_weeks=window_weeks)
    newest = candidate = snapshots.aggregate(latest=Max("as_of"))["latest"]
    for _ in range(look_back):
        if candidate is None:
            break
        started = Enrolment.objects.filter(start_date__lte=candidate).count()
        if snapshots.filter(as_of=candidate).count() >= started:
            return candidate
        candidate = snapshots.filter(as_of__lt=candidate).aggregate(latest=Max("as_of"))["latest"]
    return newest


def snapshots_for(
    enrolments: QuerySet[Enrolment], *, as_of: dt.date | None = None, window_weeks: int = DEFAULT_WINDOW_WEEKS
) -> QuerySet[IndicatorSnapshot]:
    """Snapshots of `enrolments` for `as_of` (default: the newest stored date)."""
    as_of = as_of or latest_snapshot_date(window_weeks=window_weeks)
    return IndicatorSnapshot.objects.filter(
        enrolment__in=enrolments.values("pk"), as_of=as_of, window_weeks=window_weeks
    ).select_related("enrolment")


def indicator_totals_for(
    enrolments: QuerySet[Enrolment],
    *,
    as_of: dt.date | None = None,
    window_weeks: int = DEFAULT_WINDOW_WEEKS,
    ended_between: tuple[dt.date, dt.date] | None = None,
) -> dict[str, Any]:
    """The aggregates of spec §9 over the stored snapshots of `enrolments`."""
    snapshots = snapshots_for(enrolments, as_of=as_of, window_weeks=window_weeks)
    return aggregate(results_from_snapshots(snapshots), ended_between=ended_between)


def weekly_facts_for(enrolment: Enrolment, *, since: dt.date | None = None) -> QuerySet[WeeklyContactFact]:
    """The weekly contact counts of one enrolment, oldest first (for a small chart on the young person's page)."""
    facts = WeeklyContactFact.objects.filter(enrolment=enrolment)
    if since is not None:
        facts = facts.filter(week_start__gte=since)
    return facts.order_by("week_start")

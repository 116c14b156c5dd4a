"""Aggregates over a set of enrolments (spec §9) and the `indicators` JSON document.

Aggregates work on EnrolmentIndicators, whether computed just now or read
back from IndicatorSnapshot rows, so every page, the API and the command add
up the same numbers the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any

from outcomes.indicators.engine import EDUCATION_HORIZONS, RETENTION_HORIZONS, EnrolmentIndicators, rounded


def share(numerator: int, denominator: int) -> dict[str, Any]:
    """A rate with the counts it is built from; `rate` is null for an empty denominator."""
    rate = rounded(Fraction(numerator, denominator)) if denominator else None
    return {"numerator": numerator, "denominator": denominator, "rate": rate}


def _as_float(value: Fraction | Decimal | int) -> float:
    """The value correctly rounded to a float; a fraction's without numbers.Rational's slow path."""
    return value.numerator / value.denominator if isinstance(value, Fraction) else float(value)


def median(values: Iterable[Fraction | Decimal | int]) -> Fraction | Decimal | int | None:
    """The middle value, or the mean of the two middle values for an even count.

    Sorted by the float first (fast), then exactly: rounding to a float never
    reverses an order, so the exact sort finds the list in order but for runs of
    equal floats, and checks it with one comparison per value."""
    ordered = sorted(values, key=_as_float)
    ordered.sort()
    if not ordered:
        return None
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _share_of(results: list[EnrolmentIndicators], value: Callable[[EnrolmentIndicators], bool | None]) -> dict:
    values = [value(r) for r in results]
    known = [v for v in values if v is not None]
    return share(sum(1 for v in known if v), len(known))


def aggregate(
    results: Iterable[EnrolmentIndicators], *, ended_between: tuple[dt.date, dt.date] | None = None
) -> dict[str, Any]:
    """The aggregates of spec §9 over `results`.

    `ended_between` (first and last day, inclusive) limits the early unplanned
    endings to those whose end date lies in the period asked for (the quarter in
    the report); without it every such ending counts (the command)."""
    results = list(results)
    active = [r for r in results if r.active]
    early = [r for r in results if r.early_unplanned_ending]
    if ended_between is not None:
        first, last = ended_between
        early = [r for r in early if r.end_date is not None and first <= r.end_date <= last]
    rates = [r.weekly_contact_rate for r in results if r.weekly_contact_rate is not None]
    return {
        "active_enrolments": len(active),
        "at_least_weekly_share": _share_of(results, lambda r: r.at_least_weekly),
        "median_weekly_contact_rate": rounded(median(rates)),
        **{f"retention_{h}": _share_of(results, lambda r, h=h: r.retained.get(h)) for h in RETENTION_HORIZONS},
        "early_unplanned_endings": len(early),
        **{
            f"education_retention_{h}": _share_of(results, lambda r, h=h: r.education_retained.get(h))
            for h in EDUCATION_HORIZONS
        },
        "housing_retention_365": _share_of(results, lambda r: r.housed_at_365),
        "return_to_homelessness_365": _share_of(results, lambda r: r.returned_to_homelessness_365),
        "caseload": dict(sorted(Counter(r.worker for r in active).items())),
        "data_quality": {"contacts_outside_enrolment": sum(r.contacts_outside_enrolment for r in results)},
    }


def _grouped(results: list[EnrolmentIndicators], key: Callable[[EnrolmentIndicators], str]) -> dict[str, Any]:
    groups: dict[str, list[EnrolmentIndicators]] = defaultdict(list)
    for result in results:
        groups[key(result)].append(result)
    return {name: aggregate(groups[name]) for name in sorted(groups)}


def indicators_document(*, as_of: dt.date, window_weeks: int, results: Iterable[EnrolmentIndicators]) -> dict:
    """The JSON document of the `indicators` command (import-and-commands.md)."""
    results = list(results)
    return {
        "as_of": as_of.isoformat(),
        "window_weeks": window_weeks,
        "enrolments": [r.as_json() for r in results],
        "totals": aggregate(results),
        "by_intervention": _grouped(results, lambda r: r.intervention),
        "by_team": _grouped(results, lambda r: r.team),
    }

"""The indicator engine: every per-enrolment number of spec/indicators.md §§4-8.

`compute_indicators(as_of=D, window_weeks=W)` works in these steps:

1. Load the enrolments in scope with `start_date <= D` (later ones did not
   exist yet and are left out of every output), with the identifiers the
   outputs show, in one query.
2. Load their pauses, the intervention norms and the status events dated on
   or before D, one query each.
3. Let the database group the qualifying contacts (held, not text) dated on
   or before D that fall on an active day of their enrolment by enrolment and
   local ISO week (Europe/Copenhagen), in one query: a row per enrolment for
   each week from the window's first Monday on, and one row for all earlier
   weeks. The same query counts the contacts outside the enrolment.
   (`source="facts"` reads the same rows from WeeklyContactFact instead.)
4. Per enrolment, in Python, O(window) each: mark each window week eligible
   when all seven days are active, none lies in a pause and its Sunday is on
   or before D (by construction of the window); add up contacts, minutes,
   weeks with contact and the norm of each eligible week (the norm row with
   the greatest `from_day <= monday - start_date`).
5. Derive retention from the dates and the end reason's class (§7), and
   education and housing retention from the status events (§8).

No query runs per enrolment or per contact.

`compute_status_indicators(as_of=D)` runs steps 1, 2 (the status events
only) and 5: retention, education and housing without the contact steps;
`compute_status_indicators_over(dates=[...])` does so for several dates from
one read. `compute_window_indicators` leaves out the contacts before the window.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

from django.db.models import QuerySet

from cases.models import END_REASON_CLASS, EndReasonClass, Enrolment, Pause
from interventions.models import ContactNorm, InterventionType
from outcomes.indicators.contacts import ContactBucket, buckets_from_contacts, buckets_from_facts
from outcomes.indicators.weeks import sunday_of, window_mondays
from outcomes.models import HOMELESS, HOUSED, EducationStatus, StatusEvent

DEFAULT_WINDOW_WEEKS = 12
RETENTION_HORIZONS = (91, 182, 365)
EDUCATION_HORIZONS = (182, 365)
HOUSING_HORIZON = 365
AT_LEAST_WEEKLY = Fraction(3, 4)
EDUCATION_RETAINED = (EducationStatus.ENROLLED, EducationStatus.COMPLETED)
NEVER = dt.date.max  # the end of an open pause


def rounded(value: Fraction | Decimal | None) -> float | None:
    """A rate as the outputs show it: four decimals, or null."""
    return None if value is None else round(float(value), 4)


def identifier(external_id: str | None, pk: int) -> str:
    """What outputs call a record: its external id, or its primary key when it was created without one."""
    return external_id if external_id else str(pk)


@dataclass
class EnrolmentIndicators:
    """The indicators of one enrolment as of a date (spec §§4-8), plus what aggregates group by."""

    enrolment_id: int
    enrolment: str
    young_person: str
    intervention: str
    team: str
    worker: str
    start_date: dt.date
    end_date: dt.date | None
    active: bool
    weeks_eligible: int = 0
    weeks_with_contact: int = 0
    qualifying_contacts: int = 0
    contact_minutes: int = 0
    expected_contacts: Decimal = Decimal(0)
    last_contact_date: dt.date | None = None
    days_since_last_contact: int | None = None
    qualifying_contacts_total: int = 0
    duration_days: int = 0
    retained: dict[int, bool | None] = field(default_factory=dict)
    early_unplanned_ending: bool = False
    education_retained: dict[int, bool | None] = field(default_factory=dict)
    move_in_date: dt.date | None = None
    housed_at_365: bool | None = None
    returned_to_homelessness_365: bool | None = None
    contacts_outside_enrolment: int = 0

    @property
    def weekly_contact_rate(self) -> Fraction | None:
        return Fraction(self.weeks_with_contact, self.weeks_eligible) if self.weeks_eligible else None

    @property
    def at_least_weekly(self) -> bool | None:
        """`weekly_contact_rate >= 3/4`, compared in integers (the aggregates ask it often)."""
        if not self.weeks_eligible:
            return None
        threshold = AT_LEAST_WEEKLY
        return self.weeks_with_contact * threshold.denominator >= threshold.numerator * self.weeks_eligible

    @property
    def contacts_per_week(self) -> Fraction | None:
        return Fraction(self.qualifying_contacts, self.weeks_eligible) if self.weeks_eligible else None

    @property
    def norm_attainment(self) -> Fraction | None:
        if not self.expected_contacts:
            return None
        # contacts / expected, capped at 1, in integers: expected is n/d exactly (a Decimal sum of norms)
        n, d = self.expected_contacts.as_integer_ratio()
        reached = self.qualifying_contacts * d
        return Fraction(1) if reached >= n else Fraction(reached, n)

    def as_json(self) -> dict[str, Any]:
        """The enrolment's entry in the `indicators` command's JSON, keys in the contract's order."""
        return {
            "enrolment": self.enrolment,
            "young_person": self.young_person,
            "intervention": self.intervention,
            "team": self.team,
            "worker": self.worker,
            "active": self.active,
            "weeks_eligible": self.weeks_eligible,
            "weeks_with_contact": self.weeks_with_contact,
            "qualifying_contacts": self.qualifying_contacts,
            "contact_minutes": self.contact_minutes,
            "weekly_contact_rate": rounded(self.weekly_contact_rate),
            "at_least_weekly": self.at_least_weekly,
            "contacts_per_week": rounded(self.contacts_per_week),
            "expected_contacts": rounded(self.expected_contacts),
            "norm_attainment": rounded(self.norm_attainment),
            "days_since_last_contact": self.days_since_last_contact,
            "qualifying_contacts_total": self.qualifying_contacts_total,
            "duration_days": self.duration_days,
            **{f"retained_{h}": self.retained.get(h) for h in RETENTION_HORIZONS},
            "early_unplanned_ending": self.early_unplanned_ending,
            **{f"education_retained_{h}": self.education_retained.get(h) for h in EDUCATION_HORIZONS},
            "move_in_date": self.move_in_date.isoformat() if self.move_in_date else None,
            "housed_at_365": self.housed_at_365,
            "returned_to_homelessness_365": self.returned_to_homelessness_365,
        }


# --- Step 2: the reference data, keyed for lookups ------------------------------------


class Norms:
    """Norm rows per intervention type, sorted by `from_day` (spec §6)."""

    def __init__(self, rows: Iterable[tuple[int, int, Decimal]]) -> None:
        by_type: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
        for type_id, from_day, per_week in rows:
            by_type[type_id].append((from_day, per_week))
        self._days = {t: [d for d, _ in sorted(r)] for t, r in by_type.items()}
        self._values = {t: [v for _, v in sorted(r)] for t, r in by_type.items()}

    @classmethod
    def load(cls) -> Norms:
        return cls(ContactNorm.objects.values_list("intervention_type_id", "from_day", "contacts_per_week"))

    def for_week(self, type_id: int, enrolment_day: int) -> Decimal:
        """The norm of the row with the greatest `from_day <= enrolment_day`; 0 before the first row."""
        days = self._days.get(type_id, [])
        index = bisect.bisect_right(days, enrolment_day) - 1
        return self._values[type_id][index] if index >= 0 else Decimal(0)


class StatusHistory:
    """Dated status events of one young person in one domain; the status on a day is the latest on or before it."""

    def __init__(self, events: Sequence[tuple[dt.date, str]]) -> None:
        self.events = sorted(events)
        self._dates = [d for d, _ in self.events]

    def on(self, day: dt.date) -> str | None:
        index = bisect.bisect_right(self._dates, day) - 1
        return self.events[index][1] if index >= 0 else None


EMPTY_HISTORY = StatusHistory([])


def _load_histories(as_of: dt.date, enrolments: QuerySet[Enrolment]) -> dict[tuple[int, str], StatusHistory]:
    """Status events dated on or before D: later events had not happened as of D."""
    rows = StatusEvent.objects.filter(
        young_person__in=enrolments.values("young_person_id"), date__lte=as_of
    ).values_list("young_person_id", "domain", "date", "value")
    grouped: dict[tuple[int, str], list[tuple[dt.date, str]]] = defaultdict(list)
    for person_id, domain, date, value in rows:
        grouped[(person_id, domain)].append((date, value))
    return {key: StatusHistory(events) for key, events in grouped.items()}


def _load_pauses(enrolments: QuerySet[Enrolment]) -> dict[int, list[tuple[dt.date, dt.date]]]:
    pauses: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    rows = Pause.objects.filter(enrolment__in=enrolments.values("pk")).values_list(
        "enrolment_id", "start_date", "end_date"
    )
    for enrolment_id, start, end in rows:
        pauses[enrolment_id].append((start, end or NEVER))  # an open pause lasts until it is ended
    return pauses


# --- Step 4: contact intensity over the window -----------------------------------------


def _week_is_eligible(
    monday: dt.date, start: dt.date, end: dt.date | None, pauses: list[tuple[dt.date, dt.date]]
) -> bool:
    sunday = sunday_of(monday)
    if monday < start or (end is not None and sunday > end):
        return False
    return not any(p_start <= sunday and monday <= p_end for p_start, p_end in pauses)


def _eligible_mondays(
    weeks: list[tuple[dt.date, dt.date]],
    start: dt.date,
    end: dt.date | None,
    pauses: list[tuple[dt.date, dt.date]],
) -> list[dt.date]:
    """The Mondays of the window weeks (given as (Monday, Sunday) pairs) that are eligible."""
    if not pauses and start <= weeks[0][0] and (end is None or end >= weeks[-1][1]):
        return [monday for monday, _ in weeks]  # the common case: active over the whole window
    return [
        monday
        for monday, sunday in weeks
        if monday >= start
        and (end is None or sunday <= end)
        and not any(p_start <= sunday and monday <= p_end for p_start, p_end in pauses)
    ]


def _add_intensity(
    result: EnrolmentIndicators,
    *,
    as_of: dt.date,
    weeks: list[tuple[dt.date, dt.date]],
    type_id: int,
    norms: Norms,
    pauses: list[tuple[dt.date, dt.date]],
    buckets: list[ContactBucket],
) -> None:
    """`weeks`: the window's (Monday, Sunday) pairs, oldest first."""
    by_week = {b.week_start: b for b in buckets if b.week_start is not None}
    start = result.start_date
    for monday in _eligible_mondays(weeks, start, result.end_date, pauses):
        result.weeks_eligible += 1
        result.expected_contacts += norms.for_week(type_id, (monday - start).days)
        bucket = by_week.get(monday)
        if bucket is not None and bucket.contacts:
            result.weeks_with_contact += 1
            result.qualifying_contacts += bucket.contacts
            result.contact_minutes += bucket.minutes
    last = None
    total = outside = 0
    for bucket in buckets:
        if bucket.last_contact_date is not None and (last is None or bucket.last_contact_date > last):
            last = bucket.last_contact_date
        total += bucket.contacts
        outside += bucket.outside_contacts
    result.last_contact_date = last
    if last is not None:
        result.days_since_last_contact = (as_of - last).days
    result.qualifying_contacts_total = total
    result.contacts_outside_enrolment = outside


# --- Step 5: retention and status ------------------------------------------------------------


def _add_retention(result: EnrolmentIndicators, *, as_of: dt.date, end_reason: str) -> None:
    start, end = result.start_date, result.end_date
    result.duration_days = ((min(end, as_of) if end else as_of) - start).days
    reason_class = END_REASON_CLASS.get(end_reason) if end_reason else None
    for horizon in RETENTION_HORIZONS:
        result.retained[horizon] = _retained(start, end, reason_class, horizon, as_of)
    result.early_unplanned_ending = (
        end is not None and end <= as_of and (end - start).days < 91 and reason_class == EndReasonClass.UNPLANNED
    )


def _retained(
    start: dt.date, end: dt.date | None, reason_class: str | None, horizon: int, as_of: dt.date
) -> bool | None:
    target = start + dt.timedelta(days=horizon)
    if target > as_of:
        return None  # not observable yet
    if end is None or end >= target:
        return True
    return {EndReasonClass.PLANNED: True, EndReasonClass.UNPLANNED: False}.get(reason_class)


def _add_education(result: EnrolmentIndicators, *, as_of: dt.date, education: StatusHistory) -> None:
    enrolled_at_start = education.on(result.start_date) == EducationStatus.ENROLLED
    for horizon in EDUCATION_HORIZONS:
        target = result.start_date + dt.timedelta(days=horizon)
        if not enrolled_at_start or target > as_of:
            result.education_retained[horizon] = None
        else:
            result.education_retained[horizon] = education.on(target) in EDUCATION_RETAINED


def _add_housing(result: EnrolmentIndicators, *, as_of: dt.date, housing: StatusHistory) -> None:
    """`housing` may hold events after `as_of` (`compute_status_indicators_over`); they are not read."""
    move_ins = [day for day, value in housing.events if result.start_date <= day <= as_of and value in HOUSED]
    result.move_in_date = move_ins[0] if move_ins else None
    if result.move_in_date is None:
        return
    horizon_day = result.move_in_date + dt.timedelta(days=HOUSING_HORIZON)
    if horizon_day > as_of:
        return
    result.housed_at_365 = housing.on(horizon_day) in HOUSED
    result.returned_to_homelessness_365 = any(
        result.move_in_date < day <= horizon_day and value in HOMELESS for day, value in housing.events
    )


# --- Steps 1 and 3, and the whole -----------------------------------------------------------

ENROLMENT_COLUMNS = (
    "pk",
    "external_id",
    "young_person_id",
    "young_person__external_id",
    "intervention_type_id",
    "intervention_type__code",
    "team_id",
    "team__external_id",
    "primary_worker_id",
    "primary_worker__external_id",
    "start_date",
    "end_date",
    "end_reason",
)


def compute_indicators(
    *,
    as_of: dt.date,
    window_weeks: int = DEFAULT_WINDOW_WEEKS,
    enrolments: QuerySet[Enrolment] | None = None,
    source: Literal["contacts", "facts"] = "contacts",
) -> list[EnrolmentIndicators]:
    """The indicators of every enrolment in `enrolments` (default: all) that had started by `as_of`, by pk."""
    return _compute(as_of=as_of, window_weeks=window_weeks, enrolments=enrolments, source=source)


def compute_window_indicators(
    *, as_of: dt.date, window_weeks: int, enrolments: QuerySet[Enrolment] | None = None
) -> list[EnrolmentIndicators]:
    """`compute_indicators` for callers that read the window only (the quarterly report's
    weeks of a quarter): every field is the same, except that `qualifying_contacts_total`,
    `last_contact_date` and `days_since_last_contact` count the contacts from the window's
    first Monday on, not the whole history. On PostgreSQL step 3 then skips the history
    before the window, most of its time; elsewhere it is `compute_indicators`."""
    return _compute(as_of=as_of, window_weeks=window_weeks, enrolments=enrolments, source="contacts", history=False)


def _compute(
    *,
    as_of: dt.date,
    window_weeks: int,
    enrolments: QuerySet[Enrolment] | None,
    source: Literal["contacts", "facts"],
    history: bool = True,
) -> list[EnrolmentIndicators]:
    scope = (Enrolment.objects.all() if enrolments is None else enrolments).filter(start_date__lte=as_of)
    mondays = window_mondays(as_of, window_weeks)
    rows = list(scope.order_by("pk").values_list(*ENROLMENT_COLUMNS))
    if not rows:
        return []
    pauses = _load_pauses(scope)
    norms = Norms.load()
    histories = _load_histories(as_of, scope)
    if source == "facts":
        buckets = buckets_from_facts(first_monday=mondays[0], enrolments=scope)
    else:
        buckets = buckets_from_contacts(as_of=as_of, first_monday=mondays[0], enrolments=scope, before_window=history)
    buckets_by_enrolment: dict[int, list[ContactBucket]] = defaultdict(list)
    for bucket in buckets:
        buckets_by_enrolment[bucket.enrolment_id].append(bucket)
    weeks = [(monday, sunday_of(monday)) for monday in mondays]
    results = []
    for row in rows:
        columns = dict(zip(ENROLMENT_COLUMNS, row, strict=True))
        result = _new_result(columns, as_of)
        _add_intensity(
            result,
            as_of=as_of,
            weeks=weeks,
            type_id=columns["intervention_type_id"],
            norms=norms,
            pauses=pauses.get(result.enrolment_id, []),
            buckets=buckets_by_enrolment.get(result.enrolment_id, []),
        )
        _add_status(result, columns=columns, as_of=as_of, histories=histories)
        results.append(result)
    return results


def compute_status_indicators(
    *, as_of: dt.date, enrolments: QuerySet[Enrolment] | None = None
) -> list[EnrolmentIndicators]:
    """Retention, education and housing (spec §§7-8) of every enrolment in `enrolments` (default:
    all) that had started by `as_of`, by pk: `compute_indicators` without steps 3-4.

    The contact fields (§5, `contacts_outside_enrolment`) stay at their empty values; do not read
    them from these results. Grouping every contact up to the as-of date is most of
    `compute_indicators`' time, and a caller that wants retention or status only (the quarterly
    report's as-of-quarter-end run) need not pay for it."""
    return compute_status_indicators_over(dates=[as_of], enrolments=enrolments)[as_of]


def compute_status_indicators_over(
    *, dates: Iterable[dt.date], enrolments: QuerySet[Enrolment] | None = None
) -> dict[dt.date, list[EnrolmentIndicators]]:
    """`compute_status_indicators` as of each of several dates (the report's four quarter ends),
    from one read: the enrolments started by the latest date and their status events dated on
    or before it, two queries in all. The results for a date are exactly those of
    `compute_status_indicators(as_of=date)`: an enrolment that started later is left out, and
    no step reads an event dated after its as-of date."""
    days = sorted(set(dates))
    if not days:
        return {}
    scope = (Enrolment.objects.all() if enrolments is None else enrolments).filter(start_date__lte=days[-1])
    rows = [
        dict(zip(ENROLMENT_COLUMNS, row, strict=True)) for row in scope.order_by("pk").values_list(*ENROLMENT_COLUMNS)
    ]
    histories = _load_histories(days[-1], scope) if rows else {}
    results: dict[dt.date, list[EnrolmentIndicators]] = {}
    for as_of in days:
        results[as_of] = []
        for columns in rows:
            if columns["start_date"] > as_of:
                continue
            result = _new_result(columns, as_of)
            _add_status(result, columns=columns, as_of=as_of, histories=histories)
            results[as_of].append(result)
    return results


def _add_status(
    result: EnrolmentIndicators,
    *,
    columns: dict[str, Any],
    as_of: dt.date,
    histories: dict[tuple[int, str], StatusHistory],
) -> None:
    """Step 5 for one enrolment: retention, then education and (Housing First/CTI) housing."""
    _add_retention(result, as_of=as_of, end_reason=columns["end_reason"])
    person = columns["young_person_id"]
    _add_education(result, as_of=as_of, education=histories.get((person, StatusEvent.Domain.EDUCATION), EMPTY_HISTORY))
    if result.intervention == InterventionType.Code.HOUSING_FIRST_CTI:
        _add_housing(result, as_of=as_of, housing=histories.get((person, StatusEvent.Domain.HOUSING), EMPTY_HISTORY))


def _new_result(columns: dict[str, Any], as_of: dt.date) -> EnrolmentIndicators:
    start, end = columns["start_date"], columns["end_date"]
    return EnrolmentIndicators(
        enrolment_id=columns["pk"],
        enrolment=identifier(columns["external_id"], columns["pk"]),
        young_person=identifier(columns["young_person__external_id"], columns["young_person_id"]),
        intervention=columns["intervention_type__code"],
        team=identifier(columns["team__external_id"], columns["team_id"]),
        worker=identifier(columns["primary_worker__external_id"], columns["primary_worker_id"]),
        start_date=start,
        end_date=end,
        active=start <= as_of and (end is None or as_of <= end),
    )

"""A deliberately plain implementation of spec/indicators.md §§2-9, for the property test.

Written from the spec text alone and sharing no code with `outcomes.indicators`:
plain Python objects instead of the database, day-by-day loops instead of
week arithmetic, and the default norms copied from the spec's table. Slow
and obvious on purpose.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")
DAY = dt.timedelta(days=1)

# Spec §6, as printed.
NORMS = {
    "relationship_work": [(0, Fraction(1))],
    "mentoring": [(0, Fraction(1)), (364, Fraction(1, 2))],
    "housing_first_cti": [(0, Fraction(2)), (91, Fraction(1)), (182, Fraction(1, 2)), (273, Fraction(1, 4))],
    "mediation": [(0, Fraction(0))],
    "parent_council": [(0, Fraction(0))],
}
PLANNED = {"completed", "natural_phase_out", "transferred"}
UNPLANNED = {"dropped_out", "excluded", "other_unplanned"}
HOUSED = {"own_tenancy", "supported_housing"}
HOMELESS = {"shelter", "street"}


@dataclass
class RefContact:
    occurred_at: dt.datetime  # aware
    minutes: int
    channel: str
    status: str


@dataclass
class RefEnrolment:
    name: str
    intervention: str
    worker: str
    team: str
    start: dt.date
    end: dt.date | None
    reason: str
    pauses: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    contacts: list[RefContact] = field(default_factory=list)
    education: list[tuple[dt.date, str]] = field(default_factory=list)
    housing: list[tuple[dt.date, str]] = field(default_factory=list)


def rate(numerator, denominator) -> float | None:
    if denominator == 0:
        return None
    return round(float(Fraction(numerator) / Fraction(denominator)), 4)


def is_active(e: RefEnrolment, d: dt.date) -> bool:
    return e.start <= d and (e.end is None or d <= e.end)


def is_paused(e: RefEnrolment, d: dt.date) -> bool:
    return any(start <= d and (end is None or d <= end) for start, end in e.pauses)


def local_date(c: RefContact) -> dt.date:
    return c.occurred_at.astimezone(COPENHAGEN).date()


def qualifies(c: RefContact) -> bool:
    return c.status == "held" and c.channel != "text"


def norm(intervention: str, k: int) -> Fraction:
    value = Fraction(0)
    for from_day, per_week in NORMS[intervention]:
        if from_day <= k:
            value = per_week
    return value


def window_weeks_days(as_of: dt.date, weeks: int) -> list[list[dt.date]]:
    """Each week of the window as its seven days."""
    sunday = as_of
    while sunday.weekday() != 6:
        sunday -= DAY
    result = []
    for _ in range(weeks):
        result.append([sunday - DAY * back for back in range(6, -1, -1)])
        sunday -= 7 * DAY
    return result


def status_on(events: list[tuple[dt.date, str]], d: dt.date, as_of: dt.date) -> str | None:
    best = None
    for date, value in events:
        if date <= d and date <= as_of and (best is None or date > best[0]):
            best = (date, value)
    return best[1] if best else None


def indicators(e: RefEnrolment, as_of: dt.date, weeks: int) -> dict:
    counted = [c for c in e.contacts if qualifies(c) and local_date(c) <= as_of and is_active(e, local_date(c))]
    eligible = []
    for days in window_weeks_days(as_of, weeks):
        if all(is_active(e, d) and not is_paused(e, d) for d in days) and days[-1] <= as_of:
            eligible.append(days)
    weeks_with_contact, in_window, minutes, expected = 0, 0, 0, Fraction(0)
    for days in eligible:
        these = [c for c in counted if local_date(c) in days]
        weeks_with_contact += 1 if these else 0
        in_window += len(these)
        minutes += sum(c.minutes for c in these)
        expected += norm(e.intervention, (days[0] - e.start).days)
    latest = max((local_date(c) for c in counted), default=None)
    weekly = rate(weeks_with_contact, len(eligible))
    row = {
        "active": is_active(e, as_of),
        "weeks_eligible": len(eligible),
        "weeks_with_contact": weeks_with_contact,
        "qualifying_contacts": in_window,
        "contact_minutes": minutes,
        "weekly_contact_rate": weekly,
        "at_least_weekly": None if not eligible else Fraction(weeks_with_contact, len(eligible)) >= Fraction(3, 4),
        "contacts_per_week": rate(in_window, len(eligible)),
        "expected_contacts": round(float(expected), 4),
        "norm_attainment": None if expected == 0 else round(float(min(Fraction(1), in_window / expected)), 4),
        "days_since_last_contact": None if latest is None else (as_of - latest).days,
        "qualifying_contacts_total": len(counted),
    }
    row.update(retention(e, as_of))
    row.update(education(e, as_of))
    row.update(housing(e, as_of))
    return row


def retention(e: RefEnrolment, as_of: dt.date) -> dict:
    s, t = e.start, e.end
    row = {"duration_days": ((t if t is not None and t < as_of else as_of) - s).days}
    for h in (91, 182, 365):
        if s + h * DAY > as_of:
            value = None
        elif t is None or t >= s + h * DAY or e.reason in PLANNED:
            value = True
        elif e.reason in UNPLANNED:
            value = False
        else:
            value = None
        row[f"retained_{h}"] = value
    row["early_unplanned_ending"] = t is not None and t <= as_of and (t - s).days < 91 and e.reason in UNPLANNED
    return row


def education(e: RefEnrolment, as_of: dt.date) -> dict:
    row = {}
    for h in (182, 365):
        target = e.start + h * DAY
        if status_on(e.education, e.start, as_of) != "enrolled" or target > as_of:
            row[f"education_retained_{h}"] = None
        else:
            row[f"education_retained_{h}"] = status_on(e.education, target, as_of) in ("enrolled", "completed")
    return row


def housing(e: RefEnrolment, as_of: dt.date) -> dict:
    row = {"move_in_date": None, "housed_at_365": None, "returned_to_homelessness_365": None}
    if e.intervention != "housing_first_cti":
        return row
    move_ins = sorted(d for d, v in e.housing if d >= e.start and d <= as_of and v in HOUSED)
    if not move_ins:
        return row
    move_in = move_ins[0]
    row["move_in_date"] = move_in.isoformat()
    target = move_in + 365 * DAY
    if target <= as_of:
        row["housed_at_365"] = status_on(e.housing, target, as_of) in HOUSED
        row["returned_to_homelessness_365"] = any(
            move_in < d <= target and v in HOMELESS for d, v in e.housing if d <= as_of
        )
    return row


def outside(e: RefEnrolment, as_of: dt.date) -> int:
    return sum(1 for c in e.contacts if local_date(c) <= as_of and not is_active(e, local_date(c)))


def totals(enrolments: list[RefEnrolment], as_of: dt.date, weeks: int) -> dict:
    rows = [(e, indicators(e, as_of, weeks)) for e in enrolments if e.start <= as_of]

    def share(key: str) -> dict:
        known = [row[key] for _, row in rows if row[key] is not None]
        yes = len([v for v in known if v is True])
        return {"numerator": yes, "denominator": len(known), "rate": rate(yes, len(known))}

    rates = sorted(
        Fraction(row["weeks_with_contact"], row["weeks_eligible"]) for _, row in rows if row["weeks_eligible"]
    )
    if not rates:
        middle = None
    elif len(rates) % 2 == 1:
        middle = round(float(rates[len(rates) // 2]), 4)
    else:
        middle = round(float((rates[len(rates) // 2 - 1] + rates[len(rates) // 2]) / 2), 4)
    caseload: dict[str, int] = {}
    for e, row in rows:
        if row["active"]:
            caseload[e.worker] = caseload.get(e.worker, 0) + 1
    return {
        "active_enrolments": len([1 for _, row in rows if row["active"]]),
        "at_least_weekly_share": share("at_least_weekly"),
        "median_weekly_contact_rate": middle,
        "retention_91": share("retained_91"),
        "retention_182": share("retained_182"),
        "retention_365": share("retained_365"),
        "early_unplanned_endings": len([1 for _, row in rows if row["early_unplanned_ending"]]),
        "education_retention_182": share("education_retained_182"),
        "education_retention_365": share("education_retained_365"),
        "housing_retention_365": share("housed_at_365"),
        "return_to_homelessness_365": share("returned_to_homelessness_365"),
        "caseload": caseload,
        "data_quality": {"contacts_outside_enrolment": sum(outside(e, as_of) for e, _ in rows)},
    }

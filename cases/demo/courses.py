"""The young people and their courses: who arrives when, in which
interventions, for how long, how it ends, and the pauses along the way.

The shape, in the seeds' words: relationship work is the most common course
and the longest (000:L736-750); mentoring matches run about a year
(001:L2300-2308); Housing First with CTI lasts nine months (001:L2524-2534);
mediation is a short course (002:L3366-3757); parent councils run one month
to a year (002:L6812-7246).
"""

from __future__ import annotations

import math
import random

from cases.demo import vocabulary as words
from cases.demo.calendar import Calendar
from cases.demo.plans import (
    CTI,
    MEDIATION,
    MENTORING,
    NEUTRAL,
    PARENT_COUNCIL,
    PLANNED,
    RW,
    UNPLANNED,
    EnrolmentPlan,
    PersonPlan,
    person_name,
    weighted,
)

CARRIED_OVER = 0.5

# Per intervention: share of planned, unplanned (the rest neutral) endings, and
# the reasons within each class with their weights.
ENDING_CLASS = {RW: (0.50, 0.38), MENTORING: (0.60, 0.30), CTI: (0.75, 0.15), MEDIATION: (0.80, 0.15)}
ENDING_CLASS[PARENT_COUNCIL] = (0.80, 0.10)
PLANNED_REASONS = {
    RW: (0.4, 0.4, 0.2),
    MENTORING: (0.6, 0.3, 0.1),
    CTI: (0.55, 0.35, 0.1),
    MEDIATION: (0.85, 0.0, 0.15),
    PARENT_COUNCIL: (0.6, 0.4, 0.0),
}
UNPLANNED_REASONS = (0.6, 0.12, 0.28)


def plan_person(rng: random.Random, cal: Calendar) -> PersonPlan:
    span = cal.today - cal.first
    # Two in five were already in a course when the history begins (carried
    # over when the municipality moved into the system, without their older
    # contacts); the rest arrive evenly over the years.
    if rng.random() < CARRIED_OVER:
        entry = cal.first - rng.randint(1, 720)
    else:
        entry = min(cal.today, cal.first + int(span * rng.random()))
    band = rng.random()
    age = rng.randint(12, 17) if band < 0.4 else rng.randint(18, 24) if band < 0.85 else rng.randint(25, 29)
    birth = entry - int((age + rng.random()) * 365.2425)
    age_today = (cal.today - birth) / 365.2425
    if age_today >= 30.5:  # keep everyone within 12-30 today
        birth += int((age_today - 29.5) * 365.2425)
    gender = weighted(rng, ("female", "male", "other", "unknown"), (45, 52, 1.5, 1.5))
    engagement = min(2.2, max(0.25, rng.lognormvariate(-0.05, 0.45)))
    return PersonPlan(
        name=person_name(rng, gender),
        birth=birth,
        birth_iso=cal.date(birth).isoformat(),
        gender=gender,
        engagement=engagement,
        entry=entry,
    )


def _first_intervention(rng: random.Random, age: float) -> str:
    if age < 18:
        return weighted(rng, (RW, MENTORING, MEDIATION, PARENT_COUNCIL), (56, 20, 15, 9))
    if age < 25:
        return weighted(rng, (RW, MENTORING, CTI), (55, 20, 25))
    return weighted(rng, (RW, MENTORING, CTI), (35, 15, 50))


def plan_courses(rng: random.Random, person: PersonPlan, cal: Calendar) -> None:
    """The person's enrolments: a first course, often a second alongside it,
    sometimes a fresh start after dropping out."""
    code = _first_intervention(rng, person.age_on(person.entry))
    if code in (CTI, MEDIATION, PARENT_COUNCIL) and person.entry < cal.first:
        person.entry = cal.first - rng.randint(1, 120)  # short courses carried over are recent
    first = _enrol(rng, person, code, person.entry, cal)
    assert first is not None  # the first course never clashes
    code = first.code
    extras: list[tuple[str, int]] = []
    span_end = first.end if first.end is not None else cal.today
    if code == RW:
        if rng.random() < 0.45:
            extras.append((MENTORING, first.start + rng.randint(30, 300)))
        when = rng.randint(first.start, span_end)
        if person.age_on(when) >= 18 and rng.random() < 0.12:
            extras.append((CTI, when))
        elif person.age_on(when) < 18 and rng.random() < 0.12:
            extras.append((MEDIATION, when))
        when = rng.randint(first.start, span_end)
        if person.age_on(when) < 18 and rng.random() < 0.08:
            extras.append((PARENT_COUNCIL, when))
    elif code == MENTORING and rng.random() < 0.3:
        extras.append((RW, first.start + rng.randint(60, 400)))
    elif code == CTI:
        if rng.random() < 0.45:
            extras.append((RW, first.start + rng.randint(0, 60)))
        if rng.random() < 0.15:
            extras.append((MENTORING, first.start + rng.randint(30, 200)))
    elif code in (MEDIATION, PARENT_COUNCIL) and rng.random() < 0.5:
        extras.append((RW, first.start + rng.randint(0, 120)))
    for extra_code, start in extras:
        if start <= cal.today:
            _enrol(rng, person, extra_code, max(start, cal.first), cal)
    # A fresh start in relationship work after dropping out.
    for enrolment in list(person.enrolments):
        if enrolment.code == RW and enrolment.reason == "dropped_out" and rng.random() < 0.3:
            restart = enrolment.end + rng.randint(60, 365)  # type: ignore[operator]
            if restart <= cal.today:
                _enrol(rng, person, RW, restart, cal)
    _leave(person)


def _leave(person: PersonPlan) -> None:
    """Moving away or dying ends every course of the person that day; none starts later."""
    endings = sorted((e.end, e.reason) for e in person.enrolments if e.reason in NEUTRAL)  # type: ignore[type-var]
    if not endings:
        return
    left, reason = endings[0]
    kept = []
    for enrolment in person.enrolments:
        if enrolment.start > left:
            continue
        if enrolment.end is None or enrolment.end > left:
            enrolment.end, enrolment.reason = left, reason
        kept.append(enrolment)
    person.enrolments = kept
    person.left = left


def _duration(rng: random.Random, code: str, ending: str) -> int:
    if ending == "unplanned" and rng.random() < 0.4:
        return rng.randint(14, 90)  # broke off early (000:L1799-1805)
    if code == RW:
        median = 1200 if ending == "planned" else 500
        return int(min(3000, max(91, rng.lognormvariate(math.log(median), 0.5))))
    if code == MENTORING:
        median = 600 if ending == "planned" else 280
        return int(min(2000, max(60, rng.lognormvariate(math.log(median), 0.4))))
    if code == CTI:
        return rng.randint(240, 300) if ending == "planned" else rng.randint(60, 240)
    if code == MEDIATION:
        return rng.randint(14, 90) if ending == "planned" else rng.randint(7, 40)
    return rng.randint(30, 365) if ending == "planned" else rng.randint(30, 120)


def _enrol(rng: random.Random, person: PersonPlan, code: str, start: int, cal: Calendar) -> EnrolmentPlan | None:
    """A course from `start`; none if the person is still in the same intervention."""
    same = [o for o in person.enrolments if o.code == code]
    if any(o.end is None for o in same):
        return None  # one open enrolment per intervention
    # A second course in an intervention starts after the earlier ones ended.
    start = max([start] + [o.end + 1 for o in same])  # type: ignore[operator]
    if start > cal.today:
        return None
    planned, unplanned = ENDING_CLASS[code]
    roll = rng.random()
    ending = "planned" if roll < planned else "unplanned" if roll < planned + unplanned else "neutral"
    duration = _duration(rng, code, ending) if ending != "neutral" else rng.randint(30, 600)
    # A course carried over into the history runs on from there: those in a
    # course on a given day are the longer courses (length-biased sampling).
    end: int | None = max(start, cal.first) + duration
    if end >= cal.today:  # type: ignore[operator]
        end, reason = None, ""
    elif ending == "planned":
        reason = weighted(rng, PLANNED, PLANNED_REASONS[code])
    elif ending == "unplanned":
        reason = weighted(rng, UNPLANNED, UNPLANNED_REASONS)
    else:
        reason = "deceased" if rng.random() < 0.01 else "moved_away"
    engagement = person.engagement * rng.lognormvariate(0.0, 0.15) * (0.7 if ending == "unplanned" else 1.0)
    enrolment = EnrolmentPlan(person=person, code=code, start=start, end=end, reason=reason, engagement=engagement)
    person.enrolments.append(enrolment)
    return enrolment


def plan_pauses(rng: random.Random, enrolment: EnrolmentPlan, cal: Calendar) -> None:
    """Custody, a hospital stay or a stay abroad, on about one course in ten;
    some still running today."""
    last = enrolment.end if enrolment.end is not None else cal.today + 30
    if last - max(enrolment.start, cal.first) < 60 or rng.random() > 0.10:
        return
    cursor = max(enrolment.start, cal.first) + 14
    for _ in range(1 if rng.random() < 0.8 else 2):
        reason_index = rng.randrange(3)
        length = (rng.randint(14, 90), rng.randint(5, 30), rng.randint(14, 42))[reason_index]
        latest_start = min(last - length - 1, cal.today - 1)
        if latest_start < cursor:
            return
        start = rng.randint(cursor, latest_start)
        end: int | None = start + length
        if end >= cal.today:  # type: ignore[operator]
            if enrolment.end is not None:
                return
            end = None  # still in custody / hospital / abroad
        enrolment.pauses.append((start, end, words.PAUSE_REASONS[reason_index]))
        if end is None:
            return
        cursor = end + 14

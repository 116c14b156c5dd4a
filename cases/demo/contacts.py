"""The contact stream: rows of strings, ready for `cases.bulk.bulk_insert`.

Up to ten million rows, so this is the one lean loop of the demo: every
choice is a lookup in a precomputed table indexed by one `random()` call,
timestamps are concatenated from per-day strings of the `Calendar` (local
time with that day's UTC offset, so they mean the same whatever the database
session's time zone), and rows are yielded one enrolment at a time so
nothing large is ever held in memory.

The pattern per enrolment (spec §3, §6): weekly contact around the norm of the
intervention, tapering for mentoring after a year and for CTI by phase,
scaled by how engaged the young person is and thinned in school holidays;
weeks without contact now and then; none in a pause; fading contact before an
unplanned ending; no qualifying contact at all for those slipping out of
contact now. Mediation and parent councils are event-based: a handful of
meetings and calls over a short course. Each enrolment draws from its own
`random.Random`, seeded by the run's seed and the enrolment's position, so its
contacts do not depend on the others.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Sequence

from cases.demo import vocabulary as words
from cases.demo.calendar import Calendar
from cases.demo.plans import CTI, MEDIATION, MENTORING, PARENT_COUNCIL, RW, UNPLANNED, EnrolmentPlan

CONTACT_COLUMNS = (
    "enrolment_id",
    "worker_id",
    "occurred_at",
    "duration_minutes",
    "channel",
    "status",
    "note",
    "created_at",
    "updated_at",
)

TABLE_SIZE = 1000


def _table(pairs: Sequence[tuple[object, float]], size: int = TABLE_SIZE) -> tuple:
    """A lookup table in which each value fills a share of slots equal to its weight."""
    total = sum(w for _v, w in pairs)
    table: list[object] = []
    cumulative = 0.0
    for value, weight in pairs:
        cumulative += weight
        table.extend([value] * (round(cumulative / total * size) - len(table)))
    return tuple(table)


CHANNELS = {
    RW: _table((("in_person", 37), ("group_activity", 26), ("phone", 13), ("text", 13), ("escort", 8), ("video", 3))),
    MENTORING: _table((("in_person", 60), ("phone", 15), ("text", 15), ("video", 5), ("group_activity", 5))),
    CTI: _table((("in_person", 50), ("escort", 18), ("phone", 17), ("text", 12), ("video", 3))),
    MEDIATION: _table((("in_person", 70), ("phone", 25), ("video", 5))),
    PARENT_COUNCIL: _table((("in_person", 45), ("phone", 40), ("group_activity", 15))),
}
DURATIONS = {
    channel: tuple(str(m) for m in minutes)
    for channel, minutes in {
        "in_person": (30, 45, 45, 60, 60, 60, 60, 75, 90, 90, 90, 120, 120, 150, 180),
        "group_activity": (90, 120, 120, 120, 150, 180),
        "phone": (15, 15, 15, 20, 20, 30, 30, 45),
        "text": (15,),
        "escort": (60, 90, 90, 120, 120, 150, 180),
        "video": (30, 30, 45, 60),
    }.items()
}
STATUSES = _table((("held", 88), ("cancelled", 7), ("no_show", 5)))
# Monday to Sunday; fewer at weekends, but relationship work has no fixed hours.
WEEKDAYS = _table(((0, 17), (1, 18), (2, 18), (3, 17), (4, 15), (5, 8), (6, 7)))
_WEEKDAY_HOURS = {7: 2, 8: 6, 9: 9, 10: 10, 11: 9, 12: 7, 13: 9, 14: 10, 15: 9, 16: 8, 17: 6, 18: 5, 19: 4, 20: 3}
_WEEKDAY_HOURS |= {21: 2, 22: 1, 23: 0.5}
_WEEKEND_HOURS = {10: 4, 11: 6, 12: 8, 13: 10, 14: 11, 15: 11, 16: 10, 17: 9, 18: 8, 19: 8, 20: 7, 21: 5, 22: 2}
_WEEKEND_HOURS |= {23: 1}
TIMES_WEEKDAY = _table([(f"{h:02d}:{m:02d}:00", w) for h, w in _WEEKDAY_HOURS.items() for m in range(0, 60, 5)])
TIMES_WEEKEND = _table([(f"{h:02d}:{m:02d}:00", w) for h, w in _WEEKEND_HOURS.items() for m in range(0, 60, 5)])
NOTE_SHARE = 0.06
NOTES = {"held": words.NOTES_HELD, "cancelled": words.NOTES_CANCELLED, "no_show": words.NOTES_NO_SHOW}

# Poisson cumulative distributions for weekly counts, on a grid of means.
_POISSON_STEP = 0.05
_POISSON_MAX_MEAN = 12.0


def _poisson_cdf(mean: float) -> tuple[float, ...]:
    cdf, term, total = [], math.exp(-mean), 0.0
    for k in range(40):
        total += term
        cdf.append(total)
        term *= mean / (k + 1)
    cdf[-1] = 1.0
    return tuple(cdf)


POISSON = tuple(_poisson_cdf(i * _POISSON_STEP) for i in range(int(_POISSON_MAX_MEAN / _POISSON_STEP) + 1))


def weekly_rate(code: str, enrolment_day: int) -> float:
    """Logged contacts in a week (all channels and statuses) for an engaged young
    person, following the shape of the norm (spec §6) with room above it."""
    if code == RW:
        return 6.4  # individual meetings plus the club evenings and activities of the group work
    if code == MENTORING:
        return 3.0 if enrolment_day < 364 else 1.8
    if code == CTI:
        if enrolment_day < 91:
            return 6.0
        if enrolment_day < 182:
            return 3.2
        return 2.0 if enrolment_day < 273 else 1.2
    return 0.0


def contact_rows(
    enrolments: Sequence[EnrolmentPlan], cal: Calendar, seed: int, worker_ids: Sequence[int], team_workers: dict
) -> Iterator[tuple[str, ...]]:
    """Every contact of every enrolment, enrolment by enrolment.

    `worker_ids` maps staff indices to user ids; `team_workers` maps a team
    index to the ids (as strings) of its workers, who sometimes run a group
    activity instead of the primary worker.
    """
    for index, plan in enumerate(enrolments):
        rng = random.Random(seed * 10_000_019 + index)
        yield from _enrolment_contacts(plan, cal, rng, worker_ids, team_workers[plan.team])


def _enrolment_contacts(
    plan: EnrolmentPlan, cal: Calendar, rng: random.Random, worker_ids: Sequence[int], colleagues: Sequence[str]
) -> Iterator[tuple[str, ...]]:
    first = max(plan.start, cal.first)  # no contacts before the history begins
    last = cal.today - 1 if plan.end is None else min(plan.end, cal.today - 1)
    if last < first:
        return
    blocked: set[int] = set()
    for start, end, _reason in plan.pauses:
        blocked.update(range(start, (cal.today if end is None else end) + 1))
    eid = str(plan.id)
    current = str(worker_ids[plan.worker])
    previous = str(worker_ids[plan.previous_worker]) if plan.handover is not None else current
    handover = plan.handover if plan.handover is not None else first
    handover_end = handover + 14  # the known worker vouches for the new one (000:L655-676)
    slipping = plan.slipping_from if plan.slipping_from is not None else cal.today + 1
    channels = CHANNELS[plan.code]
    prefix, offset, weekday = cal.prefix, cal.offset, cal.weekday
    r = rng.random

    def row(day: int) -> tuple[str, ...]:
        channel = channels[int(r() * TABLE_SIZE)]
        status = "held" if channel == "text" else STATUSES[int(r() * TABLE_SIZE)]
        if day >= slipping and channel != "text":
            status = "no_show"  # she keeps trying; no meeting happens
        times = TIMES_WEEKEND if weekday[day] >= 5 else TIMES_WEEKDAY
        at = prefix[day] + times[int(r() * TABLE_SIZE)] + offset[day]
        durations = DURATIONS[channel]
        if day >= handover_end:
            worker = current
        elif day < handover:
            worker = previous
        else:
            worker = previous if r() < 0.3 else current
        if channel == "group_activity" and r() < 0.25:
            worker = colleagues[int(r() * len(colleagues))]
        note = ""
        if r() < NOTE_SHARE:
            notes = NOTES[status]
            note = notes[int(r() * len(notes))]
        return (eid, worker, at, durations[int(r() * len(durations))], channel, status, note, at, at)

    if plan.code in (MEDIATION, PARENT_COUNCIL):
        # Pre-meetings, the mediation or council meeting, follow-up calls.
        span = last - first + 1
        count = rng.randint(4, 9) if plan.code == MEDIATION else rng.randint(5, 14)
        for day in sorted(first + int(r() * span) for _ in range(count)):
            if day not in blocked:
                yield row(day)
        return

    engagement = plan.engagement
    season = cal.season
    fading = plan.end - 42 if plan.reason in UNPLANNED else cal.today + 1  # type: ignore[operator]
    skip_week = 0.05 + 0.1 * max(0.0, 1.0 - engagement)
    step, top = _POISSON_STEP, len(POISSON) - 1
    code = plan.code
    monday = first - weekday[first]
    while monday <= last:
        if r() >= skip_week:
            mean = weekly_rate(code, monday - plan.start) * engagement * season[monday]
            if monday >= fading:
                mean *= 0.35
            cdf = POISSON[min(top, int(mean / step + 0.5))]
            u, count = r(), 0
            while u > cdf[count]:
                count += 1
            days = sorted(monday + WEEKDAYS[int(r() * TABLE_SIZE)] for _ in range(count))
            for day in days:
                if first <= day <= last and day not in blocked:
                    yield row(day)
        monday += 7

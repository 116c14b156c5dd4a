"""What the demo generator decides before writing anything: the plans.

Plans hold day indices of a `Calendar` (see `cases.demo.calendar`); the
writer (`cases.demo.seed`) turns them into rows. The constants name the
intervention codes and the end-reason classes of spec/indicators.md §2, §6.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from cases.demo import vocabulary as words

RW = "relationship_work"
MENTORING = "mentoring"
MEDIATION = "mediation"
PARENT_COUNCIL = "parent_council"
CTI = "housing_first_cti"
INTERVENTIONS = (RW, MENTORING, MEDIATION, PARENT_COUNCIL, CTI)
WEEKLY_NORM = (RW, MENTORING, CTI)  # interventions with a weekly contact norm (spec §6)

PLANNED = ("completed", "natural_phase_out", "transferred")
UNPLANNED = ("dropped_out", "excluded", "other_unplanned")
NEUTRAL = ("moved_away", "deceased")


@dataclass(slots=True, eq=False)
class EnrolmentPlan:
    person: PersonPlan
    code: str
    start: int
    end: int | None
    reason: str
    engagement: float
    team: int = -1
    worker: int = -1
    previous_worker: int = -1
    handover: int | None = None
    pauses: list[tuple[int, int | None, str]] = field(default_factory=list)
    slipping_from: int | None = None  # from this day on, no qualifying contact
    id: int = 0

    def is_open_on(self, day: int) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def paused_between(self, first: int, last: int) -> bool:
        return any(start <= last and (end is None or end >= first) for start, end, _r in self.pauses)


@dataclass(slots=True, eq=False)
class PersonPlan:
    name: str
    birth: int  # day index (negative: before the calendar)
    birth_iso: str
    gender: str
    engagement: float
    entry: int
    enrolments: list[EnrolmentPlan] = field(default_factory=list)
    team: int = -1
    area: str = ""
    placement: str = "unknown"
    flags: tuple[bool, ...] = ()
    problem_areas: tuple[int, ...] = ()
    phone: str = ""
    address: str = ""
    involved: str = ""
    education: list[tuple[int, str]] = field(default_factory=list)
    housing: list[tuple[int, str]] = field(default_factory=list)
    left: int | None = None  # moved away or died on this day
    id: int = 0

    def age_on(self, day: int) -> float:
        return (day - self.birth) / 365.2425


@dataclass(slots=True, eq=False)
class StaffPlan:
    username: str
    name: str
    role: str
    team: int | None
    id: int = 0
    active_cases: int = 0


@dataclass(slots=True)
class Municipality:
    teams: list[str]
    housing_teams: list[int]
    staff: list[StaffPlan]
    people: list[PersonPlan]
    enrolments: list[EnrolmentPlan]


def weighted(rng: random.Random, values: tuple, weights: tuple) -> object:
    return rng.choices(values, weights)[0]


def person_name(rng: random.Random, gender: str) -> str:
    if gender == "female" or (gender in ("other", "unknown") and rng.random() < 0.5):
        first = rng.choice(words.FEMALE_FIRST_NAMES)
    else:
        first = rng.choice(words.MALE_FIRST_NAMES)
    last = rng.choice(words.LAST_NAMES)
    if rng.random() < 0.12:
        last = f"{rng.choice(words.LAST_NAMES)} {last}"
    return f"{first} {last}"

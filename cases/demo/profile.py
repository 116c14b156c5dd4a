"""Who the young person is beyond the courses: housing area, placement
history, risk flags, problem areas, contact details, and education and housing
status over time (spec/indicators.md §8)."""

from __future__ import annotations

import random

from cases.demo import vocabulary as words
from cases.demo.calendar import Calendar
from cases.demo.plans import CTI, MEDIATION, RW, UNPLANNED, PersonPlan, weighted

# Education status weights: Ballerup, April 2018, residents aged 16-24
# (003:L197-271), with "neither" weighted up for a target group of youth services.
EDUCATION_WEIGHTS = (
    ("enrolled", 2477),
    ("completed", 1671),
    ("other_education", 81 * 1.5),
    ("unskilled_job", 150 * 1.5),
    ("skills_course", 60 * 1.5),
    ("abroad", 11 * 1.5),
    ("guidance_placement", 101 * 1.5),
    ("production_school", 70 * 1.5),
    ("public_benefits", 250 * 1.5),
    ("leave", 60 * 1.5),
    ("under_assessment", 94 * 1.5),
)
NEITHER = tuple(value for value, _w in EDUCATION_WEIGHTS[2:])
NEITHER_WEIGHTS = tuple(w for _v, w in EDUCATION_WEIGHTS[2:])


def plan_profile(rng: random.Random, person: PersonPlan, cal: Calendar, teams: list[str], housing: list[int]) -> None:
    codes = {e.code for e in person.enrolments}
    age = person.age_on(cal.today)
    areas = [a for i, a in enumerate(words.HOUSING_AREAS) if i % (len(teams) - len(housing)) == person.team]
    person.area = rng.choice(areas or [words.HOUSING_AREAS[person.team % len(words.HOUSING_AREAS)]])
    minor = person.age_on(person.entry) < 18
    person.placement = weighted(
        rng,
        ("never", "currently", "formerly", "unknown"),
        (55, 15, 25, 5) if minor else (45, 0, 50, 5) if CTI in codes else (60, 0, 33, 7),
    )
    male = person.gender == "male"
    flags = (
        rng.random() < (0.40 if age < 19 else 0.10),  # school absence above 20 %
        rng.random() < (0.20 if age < 18 else 0.35),  # substance use
        rng.random() < (0.6 if MEDIATION in codes else 0.3 if male else 0.12),  # crime
        rng.random() < 0.30,  # mental health
        CTI in codes or rng.random() < 0.04,  # homelessness
        rng.random() < (0.12 if male and RW in codes else 0.02),  # gang affiliation
    )
    person.flags = flags
    tags = [words.FLAG_PROBLEM_AREA[i] for i, flag in enumerate(flags) if flag and rng.random() < 0.7]
    tags += [t for t in words.OTHER_PROBLEM_AREAS if rng.random() < 0.12]
    person.problem_areas = tuple(sorted(set(tags)))
    person.phone = f"+45 {rng.choice('2345678')}{rng.randint(0, 9)} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d} {rng.randint(0, 99):02d}"  # noqa: E501
    street = words.STREETS[words.HOUSING_AREAS.index(person.area)]
    floor = rng.choice(("", "", ", st. tv.", ", 1. th.", ", 2. tv.", ", 3. th."))
    person.address = f"{street} {rng.randint(1, 120)}{floor}"
    parties = words.INVOLVED_PARTIES_YOUNG if minor else words.INVOLVED_PARTIES_ADULT
    person.involved = ", ".join(p for p in parties if rng.random() < 0.4)


def _birthday(person: PersonPlan, age: int, cal: Calendar) -> int:
    born = cal.date(person.birth)
    try:
        day = born.replace(year=born.year + age)
    except ValueError:
        day = born.replace(year=born.year + age, day=28)
    return cal.index(day)


def plan_education(rng: random.Random, person: PersonPlan, cal: Calendar) -> None:
    """Education status from 15 to 25 (003:L193-271): a first status known to the
    youth guidance, then a change every few months to a year and a half."""
    window_start = max(cal.first, _birthday(person, 15, cal))
    window_end = min(cal.today, _birthday(person, 26, cal) - 1, cal.today if person.left is None else person.left)
    if window_start > window_end or rng.random() > 0.85:
        return
    day = max(window_start, min(window_end, person.entry - rng.randint(0, 60)))
    value = _first_education(rng, person.age_on(day))
    person.education.append((day, value))
    boost = min(1.5, person.engagement)
    while True:
        day += rng.randint(120, 540)
        if day > window_end:
            return
        roll = rng.random()
        if value == "enrolled":
            if person.age_on(day) >= 18.5 and roll < 0.45 * boost:
                new = "completed"
            elif roll < 0.45 * boost + 0.25:
                continue  # still in education
            else:
                new = weighted(rng, NEITHER, NEITHER_WEIGHTS)  # dropped out
        elif value == "completed":
            if roll < 0.8:
                return
            new = weighted(rng, ("unskilled_job", "public_benefits", "other_education", "abroad"), (5, 3, 2, 1))
        elif roll < 0.45 * boost:
            new = "enrolled"
        elif roll < 0.75:
            new = weighted(rng, NEITHER, NEITHER_WEIGHTS)
        else:
            continue
        if new != value:
            value = new
            person.education.append((day, value))


def _first_education(rng: random.Random, age: float) -> str:
    values = [v for v, _w in EDUCATION_WEIGHTS]
    weights = [0.0 if (v == "completed" and age < 19) else w for v, w in EDUCATION_WEIGHTS]
    return rng.choices(values, weights)[0]


def plan_housing(rng: random.Random, person: PersonPlan, cal: Calendar) -> None:
    """Housing for CTI courses: homeless at the start, most move into their own
    tenancy or supported housing, a few return to a shelter (004:L1614).
    Others of 18 or more sometimes have a recorded housing status."""
    used: set[int] = set()

    def add(day: int, value: str) -> None:
        while day in used:
            day += 1
        if day <= cal.today and (person.left is None or day <= person.left):
            used.add(day)
            person.housing.append((day, value))

    for enrolment in person.enrolments:
        if enrolment.code != CTI:
            continue
        start = max(enrolment.start, cal.first)
        add(start, weighted(rng, ("shelter", "street", "institution", "with_family"), (55, 15, 20, 10)))
        moves = 0.85 if enrolment.reason not in UNPLANNED else 0.5
        if rng.random() > moves:
            continue
        move_in = start + rng.randint(20, 150)
        add(move_in, "own_tenancy" if rng.random() < 0.65 else "supported_housing")
        if rng.random() < 0.15:
            add(move_in + rng.randint(60, 365), "shelter")
    if not person.housing and person.age_on(person.entry) >= 18 and rng.random() < 0.4:
        value = weighted(
            rng, ("with_family", "own_tenancy", "supported_housing", "institution", "other"), (50, 25, 5, 10, 10)
        )
        add(max(person.entry, cal.first), value)
    person.housing.sort()

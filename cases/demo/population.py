"""Plan the whole demo municipality in memory, before anything is written.

One seeded `random.Random` is consumed in a fixed order, so a given size,
history, seed and `today` always give the same municipality. The steps:

1. young people and their courses, with pauses (`courses`);
2. teams sized to today's caseloads, staff, primary workers, handovers, and
   who is slipping out of contact now (`staff`);
3. each young person's profile and status over time (`profile`).
"""

from __future__ import annotations

import random

from cases.demo.calendar import Calendar
from cases.demo.courses import plan_courses, plan_pauses, plan_person
from cases.demo.plans import INTERVENTIONS, Municipality
from cases.demo.profile import plan_education, plan_housing, plan_profile
from cases.demo.staff import assign_workers, plan_handovers, plan_slipping, plan_staff

__all__ = ["INTERVENTIONS", "Municipality", "build"]


def build(rng: random.Random, young_people: int, cal: Calendar) -> Municipality:
    people = [plan_person(rng, cal) for _ in range(young_people)]
    for person in people:
        plan_courses(rng, person, cal)
        for enrolment in person.enrolments:
            plan_pauses(rng, enrolment, cal)
    teams, housing_teams, staff = plan_staff(rng, people, cal)
    enrolments = [e for p in people for e in p.enrolments]
    assign_workers(rng, enrolments, staff, cal)
    plan_handovers(rng, enrolments, staff, cal)
    plan_slipping(rng, enrolments, staff, cal)
    for person in people:
        plan_profile(rng, person, cal, teams, housing_teams)
        plan_education(rng, person, cal)
        plan_housing(rng, person, cal)
    return Municipality(teams=teams, housing_teams=housing_teams, staff=staff, people=people, enrolments=enrolments)

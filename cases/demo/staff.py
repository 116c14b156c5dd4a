"""Teams, workers and caseloads: teams sized to today's courses, the demo
logins among the staff, who is primary worker of what, handovers, and who is
slipping out of contact now.

Caseloads are about 16 young people per relationship worker and 8 per CTI
worker (001: one fixed contact person with a low caseload; 002: about 10 per
consultant in Spydspidsen).
"""

from __future__ import annotations

import math
import random
import unicodedata

from cases.demo import DEMO_LOGINS
from cases.demo import vocabulary as words
from cases.demo.calendar import Calendar
from cases.demo.plans import (
    CTI,
    MENTORING,
    RW,
    WEEKLY_NORM,
    EnrolmentPlan,
    PersonPlan,
    StaffPlan,
    person_name,
    weighted,
)

DISTRICT_CASELOAD = 16
CTI_CASELOAD = 8
WORKERS_PER_TEAM = 22
SARA_CASELOAD = 14


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def plan_staff(
    rng: random.Random, people: list[PersonPlan], cal: Calendar
) -> tuple[list[str], list[int], list[StaffPlan]]:
    """Teams sized to today's caseloads, a leader each, analysts and an
    administrator, the demo logins among them."""
    active = [e for p in people for e in p.enrolments if e.is_open_on(cal.today)]
    cti_active = sum(1 for e in active if e.code == CTI)
    district_workers = math.ceil((len(active) - cti_active) / DISTRICT_CASELOAD)
    housing_workers = math.ceil(cti_active / CTI_CASELOAD)
    n_district = max(3, round(district_workers / WORKERS_PER_TEAM))
    n_housing = max(1, round(housing_workers / WORKERS_PER_TEAM))
    teams = [_numbered(words.DISTRICT_TEAMS, i) for i in range(n_district)]
    teams += [_numbered(words.HOUSING_TEAMS, i) for i in range(n_housing)]
    housing_teams = list(range(n_district, n_district + n_housing))

    # Each person belongs to a district team; CTI courses go to a housing team.
    for person in people:
        person.team = rng.randrange(n_district)
        for enrolment in person.enrolments:
            enrolment.team = rng.choice(housing_teams) if enrolment.code == CTI else person.team
    load = [0] * len(teams)
    for enrolment in active:
        load[enrolment.team] += 1

    staff: list[StaffPlan] = []
    taken: set[str] = set()
    for login in DEMO_LOGINS:
        if login.role == "mentor":
            continue  # volunteers' accounts come with their mentor record (interventions/mentoring/demo.py)
        team = teams.index(login.team) if login.team else None
        staff.append(StaffPlan(login.username, login.name, login.role, team))
        taken.add(login.username)
    for index in range(len(teams)):
        caseload = CTI_CASELOAD if index in housing_teams else DISTRICT_CASELOAD
        wanted = max(2, math.ceil(load[index] / caseload))
        present = sum(1 for s in staff if s.team == index and s.role == "worker")
        for _ in range(wanted - present):
            staff.append(_new_staff(rng, "worker", index, taken))
        if not any(s.team == index and s.role == "team_leader" for s in staff):
            staff.append(_new_staff(rng, "team_leader", index, taken))
    for _ in range(len(teams) // 10):
        staff.append(_new_staff(rng, "analyst", None, taken))
    return teams, housing_teams, staff


def _numbered(names: tuple[str, ...], index: int) -> str:
    name = names[index % len(names)]
    return name if index < len(names) else f"{name} {index // len(names) + 1}"


def _new_staff(rng: random.Random, role: str, team: int | None, taken: set[str]) -> StaffPlan:
    name = person_name(rng, weighted(rng, ("female", "male"), (70, 30)))
    base = ".".join(_ascii(part) for part in name.split()[:1] + name.split()[-1:])
    username, n = base, 1
    while username in taken:
        n += 1
        username = f"{base}{n}"
    taken.add(username)
    return StaffPlan(username, name, role, team)


def assign_workers(rng: random.Random, enrolments: list[EnrolmentPlan], staff: list[StaffPlan], cal: Calendar) -> None:
    """Today's courses go to the least-loaded worker of the team (Sara first
    gets a caseload of her own); ended courses to any worker of the team."""
    by_team: dict[int, list[int]] = {}
    for index, member in enumerate(staff):
        if member.role == "worker" and member.team is not None:
            by_team.setdefault(member.team, []).append(index)
    sara = next(i for i, s in enumerate(staff) if s.username == "sara")
    for enrolment in enrolments:
        workers = by_team[enrolment.team]
        if not enrolment.is_open_on(cal.today):
            enrolment.worker = rng.choice(workers)
            continue
        if (
            enrolment.team == staff[sara].team
            and enrolment.code in (RW, MENTORING)
            and staff[sara].active_cases < SARA_CASELOAD
        ):
            chosen = sara
        else:
            chosen = min((i for i in workers if i != sara), key=lambda i: (staff[i].active_cases, i), default=sara)
        enrolment.worker = chosen
        staff[chosen].active_cases += 1


def plan_handovers(rng: random.Random, enrolments: list[EnrolmentPlan], staff: list[StaffPlan], cal: Calendar) -> None:
    """About one longer course in eight changed primary worker along the way (000:L655-676)."""
    by_team: dict[int, list[int]] = {}
    for index, member in enumerate(staff):
        if member.role == "worker" and member.team is not None:
            by_team.setdefault(member.team, []).append(index)
    for enrolment in enrolments:
        last = enrolment.end if enrolment.end is not None else cal.today
        begin = max(enrolment.start, cal.first)
        if last - begin < 120 or rng.random() > 0.125:
            continue
        others = [i for i in by_team[enrolment.team] if i != enrolment.worker]
        if not others:
            continue
        enrolment.previous_worker = rng.choice(others)
        enrolment.handover = rng.randint(begin + 60, last - 30)


def plan_slipping(rng: random.Random, enrolments: list[EnrolmentPlan], staff: list[StaffPlan], cal: Calendar) -> None:
    """Some young people are slipping out of contact: no qualifying contact for
    one to six weeks now, so the caseload shows them as overdue. Two of Sara's
    always are, the rest of hers are not."""
    sara = next(i for i, s in enumerate(staff) if s.username == "sara")
    sara_slipping = 0
    for enrolment in enrolments:
        if (
            enrolment.end is not None
            or enrolment.code not in WEEKLY_NORM
            or enrolment.start > cal.today - 60
            or enrolment.paused_between(cal.today - 60, cal.today)
        ):
            continue
        if enrolment.worker == sara:
            if sara_slipping < 2 and enrolment.code == RW:
                enrolment.slipping_from = cal.today - rng.randint(10, 30)
                sara_slipping += 1
        elif rng.random() < 0.12:
            enrolment.slipping_from = cal.today - rng.randint(8, 45)

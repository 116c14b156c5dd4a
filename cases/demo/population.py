"""Plans for the young people, their enrolments and the staff who serve them.

Everything here is decided in memory before anything is written, with one
seeded `random.Random` consumed in a fixed order, so a given size, history,
seed and `today` always give the same municipality. Plans hold day indices of
a `Calendar`; the writer turns them into rows.

The shape, in the seeds' words: relationship work is the most common course
and the longest (000:L736-750); mentoring matches run about a year
(001:L2300-2308); Housing First with CTI lasts nine months (001:L2524-2534);
mediation is a short course (002:L3366-3757); parent councils run one month
to a year (002:L6812-7246). Caseloads are about 16 young people per
relationship worker and 8 per CTI worker (001: one fixed contact person with a
low caseload; 002: about 10 per consultant in Spydspidsen).
"""

from __future__ import annotations

import math
import random
import unicodedata
from dataclasses import dataclass, field

from cases.demo import DEMO_LOGINS
from cases.demo import vocabulary as words
from cases.demo.calendar import Calendar

RW = "relationship_work"
MENTORING = "mentoring"
MEDIATION = "mediation"
PARENT_COUNCIL = "parent_council"
CTI = "housing_first_cti"
INTERVENTIONS = (RW, MENTORING, MEDIATION, PARENT_COUNCIL, CTI)
WEEKLY_NORM = (RW, MENTORING, CTI)  # interventions with a weekly contact norm (spec §6)

DISTRICT_CASELOAD = 16
CTI_CASELOAD = 8
WORKERS_PER_TEAM = 22
SARA_CASELOAD = 14
CARRIED_OVER = 0.5

PLANNED = ("completed", "natural_phase_out", "transferred")
UNPLANNED = ("dropped_out", "excluded", "other_unplanned")
NEUTRAL = ("moved_away", "deceased")

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


def _weighted(rng: random.Random, values: tuple, weights: tuple) -> object:
    return rng.choices(values, weights)[0]


# --- Young people and their courses ---------------------------------------------


def build(rng: random.Random, young_people: int, cal: Calendar) -> Municipality:
    people = [_person(rng, cal) for _ in range(young_people)]
    for person in people:
        _courses(rng, person, cal)
        for enrolment in person.enrolments:
            _pauses(rng, enrolment, cal)
    teams, housing_teams, staff = _staff(rng, people, cal)
    enrolments = [e for p in people for e in p.enrolments]
    _assign_workers(rng, enrolments, staff, cal)
    _handovers(rng, enrolments, staff, cal)
    _slipping(rng, enrolments, staff, cal)
    for person in people:
        _profile(rng, person, cal, teams, housing_teams)
        _education(rng, person, cal)
        _housing(rng, person, cal)
    return Municipality(teams=teams, housing_teams=housing_teams, staff=staff, people=people, enrolments=enrolments)


def _name(rng: random.Random, gender: str) -> str:
    if gender == "female" or (gender in ("other", "unknown") and rng.random() < 0.5):
        first = rng.choice(words.FEMALE_FIRST_NAMES)
    else:
        first = rng.choice(words.MALE_FIRST_NAMES)
    last = rng.choice(words.LAST_NAMES)
    if rng.random() < 0.12:
        last = f"{rng.choice(words.LAST_NAMES)} {last}"
    return f"{first} {last}"


def _person(rng: random.Random, cal: Calendar) -> PersonPlan:
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
    gender = _weighted(rng, ("female", "male", "other", "unknown"), (45, 52, 1.5, 1.5))
    engagement = min(2.2, max(0.25, rng.lognormvariate(-0.05, 0.45)))
    return PersonPlan(
        name=_name(rng, gender),
        birth=birth,
        birth_iso=cal.date(birth).isoformat(),
        gender=gender,
        engagement=engagement,
        entry=entry,
    )


def _first_intervention(rng: random.Random, age: float) -> str:
    if age < 18:
        return _weighted(rng, (RW, MENTORING, MEDIATION, PARENT_COUNCIL), (56, 20, 15, 9))
    if age < 25:
        return _weighted(rng, (RW, MENTORING, CTI), (55, 20, 25))
    return _weighted(rng, (RW, MENTORING, CTI), (35, 15, 50))


def _courses(rng: random.Random, person: PersonPlan, cal: Calendar) -> None:
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
        reason = _weighted(rng, PLANNED, PLANNED_REASONS[code])
    elif ending == "unplanned":
        reason = _weighted(rng, UNPLANNED, UNPLANNED_REASONS)
    else:
        reason = "deceased" if rng.random() < 0.01 else "moved_away"
    engagement = person.engagement * rng.lognormvariate(0.0, 0.15) * (0.7 if ending == "unplanned" else 1.0)
    enrolment = EnrolmentPlan(person=person, code=code, start=start, end=end, reason=reason, engagement=engagement)
    person.enrolments.append(enrolment)
    return enrolment


def _pauses(rng: random.Random, enrolment: EnrolmentPlan, cal: Calendar) -> None:
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


# --- Teams, workers and caseloads ----------------------------------------------------


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _staff(rng: random.Random, people: list[PersonPlan], cal: Calendar) -> tuple[list[str], list[int], list[StaffPlan]]:
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
    name = _name(rng, _weighted(rng, ("female", "male"), (70, 30)))
    base = ".".join(_ascii(part) for part in name.split()[:1] + name.split()[-1:])
    username, n = base, 1
    while username in taken:
        n += 1
        username = f"{base}{n}"
    taken.add(username)
    return StaffPlan(username, name, role, team)


def _assign_workers(rng: random.Random, enrolments: list[EnrolmentPlan], staff: list[StaffPlan], cal: Calendar) -> None:
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


def _handovers(rng: random.Random, enrolments: list[EnrolmentPlan], staff: list[StaffPlan], cal: Calendar) -> None:
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


def _slipping(rng: random.Random, enrolments: list[EnrolmentPlan], staff: list[StaffPlan], cal: Calendar) -> None:
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


# --- Profile and status over time ------------------------------------------------------


def _profile(rng: random.Random, person: PersonPlan, cal: Calendar, teams: list[str], housing: list[int]) -> None:
    codes = {e.code for e in person.enrolments}
    age = person.age_on(cal.today)
    areas = [a for i, a in enumerate(words.HOUSING_AREAS) if i % (len(teams) - len(housing)) == person.team]
    person.area = rng.choice(areas or [words.HOUSING_AREAS[person.team % len(words.HOUSING_AREAS)]])
    minor = person.age_on(person.entry) < 18
    person.placement = _weighted(
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


def _education(rng: random.Random, person: PersonPlan, cal: Calendar) -> None:
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
                new = _weighted(rng, NEITHER, NEITHER_WEIGHTS)  # dropped out
        elif value == "completed":
            if roll < 0.8:
                return
            new = _weighted(rng, ("unskilled_job", "public_benefits", "other_education", "abroad"), (5, 3, 2, 1))
        elif roll < 0.45 * boost:
            new = "enrolled"
        elif roll < 0.75:
            new = _weighted(rng, NEITHER, NEITHER_WEIGHTS)
        else:
            continue
        if new != value:
            value = new
            person.education.append((day, value))


def _first_education(rng: random.Random, age: float) -> str:
    values = [v for v, _w in EDUCATION_WEIGHTS]
    weights = [0.0 if (v == "completed" and age < 19) else w for v, w in EDUCATION_WEIGHTS]
    return rng.choices(values, weights)[0]


def _housing(rng: random.Random, person: PersonPlan, cal: Calendar) -> None:
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
        add(start, _weighted(rng, ("shelter", "street", "institution", "with_family"), (55, 15, 20, 10)))
        moves = 0.85 if enrolment.reason not in UNPLANNED else 0.5
        if rng.random() > moves:
            continue
        move_in = start + rng.randint(20, 150)
        add(move_in, "own_tenancy" if rng.random() < 0.65 else "supported_housing")
        if rng.random() < 0.15:
            add(move_in + rng.randint(60, 365), "shelter")
    if not person.housing and person.age_on(person.entry) >= 18 and rng.random() < 0.4:
        value = _weighted(
            rng, ("with_family", "own_tenancy", "supported_housing", "institution", "other"), (50, 25, 5, 10, 10)
        )
        add(max(person.entry, cal.first), value)
    person.housing.sort()

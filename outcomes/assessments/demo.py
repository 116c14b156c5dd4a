"""Demo assessments for seed_demo's municipality: WHO-5 and the risk-lifestyle screening,
recorded during the relationship-work, mentoring and Housing First/CTI enrolments.

1. Most young people of those interventions (`WHO5_SHARE`) fill in WHO-5 at
   the start of each enrolment and then about every three months while it
   runs; a share of them (`RISK_SHARE`) are screened for risk lifestyle by
   their worker at the start and about every six months. Nothing is dated in
   a pause or after today, a form now and then is missed, and a young person
   in two enrolments at once is not assessed twice within six weeks.
2. WHO-5 follows a wellbeing level per young person (0-100, most at or
   below 50 at the start) drifting per quarter, upwards for about two in
   three; each form lands near the level and its answers sum to it. The three
   risk judgements (1-3) step down more often than up, more so for the young
   people who are doing better.
3. Each assessment is recorded by the enrolment's primary worker on that day
   (the incoming worker during a handover), linked to the enrolment.

Written through `cases.bulk` (COPY on PostgreSQL) rather than one
`assessment_record` per form: the rows are what that service stores -- the
current published version, answers that are options of their items (checked
here as the service checks them), the enrolment of the same young person, no
future date. Scores are never stored; `outcomes.instruments.scoring` computes
them from the answers, for these rows as for any. The access log is not
written, as for the rest of the demo's bulk rows. Everything is drawn from
`rng` in a fixed order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from cases import bulk
from cases.models import Enrolment, Pause, PrimaryWorkerPeriod
from outcomes.instruments.models import Answer, AnswerOption, Assessment, Instrument, InstrumentVersion

INTERVENTIONS = ("relationship_work", "mentoring", "housing_first_cti")
WHO5_SHARE = 0.85
RISK_SHARE = 0.4
MISSED = 0.1  # a planned form that did not happen
WHO5_EVERY = (77, 105)  # days between WHO-5 forms: about three months
RISK_EVERY = (160, 200)  # about six months
APART = 42  # days: not assessed again sooner by a second, concurrent enrolment
ASSESSMENT_COLUMNS = (
    "id",
    "young_person_id",
    "enrolment_id",
    "version_id",
    "respondent",
    "answered_on",
    "recorded_by_id",
    "created_at",
)
RISK_ITEMS = ("friends", "high_risk_settings", "substance_use")


@dataclass
class Course:
    id: int
    young_person_id: int
    start: dt.date
    last: dt.date  # the end, or today
    primary_worker_id: int
    pauses: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)
    workers: list[tuple[int, dt.date, dt.date | None]] = field(default_factory=list)

    def paused_on(self, day: dt.date) -> bool:
        return any(start <= day and (end is None or day <= end) for start, end in self.pauses)

    def worker_on(self, day: dt.date) -> int:
        current = [w for w, start, end in self.workers if start <= day and (end is None or day <= end)]
        return current[-1] if current else self.primary_worker_id  # periods by start: the incoming worker


@dataclass
class Planned:
    course: Course
    day: dt.date
    answers: dict[str, int]


def _courses(today: dt.date) -> dict[int, list[Course]]:
    """The enrolments of INTERVENTIONS started by today, per young person, by start."""
    rows = (
        Enrolment.objects.filter(intervention_type__code__in=INTERVENTIONS, start_date__lte=today)
        .order_by("young_person_id", "start_date", "id")
        .values_list("id", "young_person_id", "start_date", "end_date", "primary_worker_id")
    )
    courses = {
        pk: Course(pk, person, start, min(end or today, today), worker) for pk, person, start, end, worker in rows
    }
    for enrolment_id, start, end in Pause.objects.filter(enrolment__in=courses).values_list(
        "enrolment_id", "start_date", "end_date"
    ):
        courses[enrolment_id].pauses.append((start, end))
    periods = PrimaryWorkerPeriod.objects.filter(enrolment__in=courses).order_by("enrolment_id", "start_date", "id")
    for enrolment_id, worker, start, end in periods.values_list("enrolment_id", "worker_id", "start_date", "end_date"):
        courses[enrolment_id].workers.append((worker, start, end))
    by_person: dict[int, list[Course]] = defaultdict(list)
    for course in courses.values():
        by_person[course.young_person_id].append(course)
    return by_person


def _schedule(
    rng: random.Random, courses: list[Course], every: tuple[int, int], first_within: int
) -> list[tuple[Course, dt.date]]:
    """Step 1: the days a young person is assessed with one instrument, oldest first."""
    taken: list[tuple[Course, dt.date]] = []
    for course in courses:
        day = course.start + dt.timedelta(days=rng.randint(0, first_within))
        while day <= course.last:
            missed = rng.random() < MISSED
            if not missed and not course.paused_on(day) and all(abs((day - d).days) >= APART for _, d in taken):
                taken.append((course, day))
            day += dt.timedelta(days=rng.randint(*every))
    return sorted(taken, key=lambda t: (t[1], t[0].id))


def _who5_answers(rng: random.Random, level: float) -> dict[str, int]:
    """Five answers 0-5 whose sum is the raw score (0-25) nearest to `level` (0-100)."""
    raw = max(0, min(25, round(level / 4)))
    values = [raw // 5] * 5
    for index in rng.sample(range(5), raw % 5):
        values[index] += 1
    for _ in range(2):  # not every item the same: move a point between two of them
        up, down = rng.sample(range(5), 2)
        if values[up] < 5 and values[down] > 0 and rng.random() < 0.6:
            values[up] += 1
            values[down] -= 1
    return {f"who5_{n}": value for n, value in enumerate(values, start=1)}


def _who5(rng: random.Random, courses: list[Course]) -> list[Planned]:
    """Step 2 for WHO-5."""
    days = _schedule(rng, courses, WHO5_EVERY, 21)
    start = min(100.0, max(0.0, rng.gauss(46, 18)))
    drift = rng.gauss(2.5, 5)  # points per quarter; positive for about two in three
    planned = []
    for course, day in days:
        quarters = min((day - days[0][1]).days / 91, 8)  # the drift levels off after two years
        level = start + drift * quarters + rng.gauss(0, 7)
        planned.append(Planned(course, day, _who5_answers(rng, level)))
    return planned


def _risk(rng: random.Random, courses: list[Course]) -> list[Planned]:
    """Step 2 for risk lifestyle: three judgements, 1-3 each."""
    days = _schedule(rng, courses, RISK_EVERY, 28)
    judgements = [rng.choices((1, 2, 3), weights=(3, 4, 3))[0] for _ in RISK_ITEMS]
    down, up = (0.3, 0.07) if rng.random() < 0.65 else (0.1, 0.2)
    planned = []
    for index, (course, day) in enumerate(days):
        if index:
            for n, value in enumerate(judgements):
                roll = rng.random()
                if roll < down and value > 1:
                    judgements[n] = value - 1
                elif down <= roll < down + up and value < 3:
                    judgements[n] = value + 1
        planned.append(Planned(course, day, dict(zip(RISK_ITEMS, judgements, strict=True))))
    return planned


def _checked_items(version: InstrumentVersion) -> tuple[dict[str, str], dict[str, set[int]]]:
    """Item ids (as text) by code and the values each item accepts (the service's check)."""
    items = {code: str(pk) for code, pk in version.items.values_list("code", "id")}
    options: dict[int, set[int]] = defaultdict(set)
    for scale_id, value in AnswerOption.objects.filter(answer_scale__version=version).values_list(
        "answer_scale_id", "value"
    ):
        options[scale_id].add(value)
    allowed = {code: options[scale_id] for code, scale_id in version.items.values_list("code", "answer_scale_id")}
    return items, allowed


def seed_demo_assessments(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    versions = {code: Instrument.objects.get(code=code).current_version() for code in ("who5", "risk_lifestyle")}
    if None in versions.values():
        return {}
    respondents = {
        "who5": Assessment.Respondent.YOUNG_PERSON.value,
        "risk_lifestyle": Assessment.Respondent.WORKER.value,
    }
    planned: list[tuple[str, Planned]] = []
    for _person, courses in sorted(_courses(today).items()):
        who5, risk = rng.random() < WHO5_SHARE, rng.random() < RISK_SHARE
        person_rng = random.Random(rng.getrandbits(64))  # a young person's draws do not shift the next one's
        if who5:
            planned += [("who5", p) for p in _who5(person_rng, courses)]
        if risk:
            planned += [("risk_lifestyle", p) for p in _risk(person_rng, courses)]
    checked = {code: _checked_items(version) for code, version in versions.items()}
    ids = bulk.reserve_ids(Assessment, len(planned))
    recorded = timezone.now().isoformat()  # when the rows are written, as auto_now_add would give
    assessments, answers = [], []
    # Rows of strings take bulk's fast path (the contacts do the same).
    for pk, (code, plan) in zip(ids, planned, strict=True):
        items, allowed = checked[code]
        course = plan.course
        if plan.day > today or not course.start <= plan.day <= course.last:
            raise ValueError(f"demo assessment dated {plan.day} outside its enrolment {course.id}")
        key = str(pk)
        assessments.append(
            (key, str(course.young_person_id), str(course.id), str(versions[code].pk), respondents[code])
            + (plan.day.isoformat(), str(course.worker_on(plan.day)), recorded)
        )
        for item, value in plan.answers.items():
            if value not in allowed[item]:
                raise ValueError(f"{value} is not an answer to {item}")
            answers.append((key, items[item], str(value)))
    written = {
        Assessment._meta.db_table: bulk.bulk_insert(Assessment, ASSESSMENT_COLUMNS, assessments),
        Answer._meta.db_table: bulk.bulk_insert(Answer, ("assessment_id", "item_id", "value"), answers),
    }
    bulk.analyze(Assessment, Answer)
    return written

"""Write the planned municipality to the database, through `cases.bulk`.

Steps:

1. Plan everything in memory (`population.build`): small, fast, deterministic.
2. Refuse if a demo username or team name is already taken.
3. In one transaction: reserve ids for the parent rows (teams, users, problem
   areas, young people, enrolments), so children refer to them without
   reading anything back; write the parents, then the children; stream the
   contacts last with the contact table's secondary indexes and foreign keys
   deferred (rebuilt once at the end).
4. After commit, `ANALYZE` the tables so the planner knows their new size.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from cases import bulk
from cases.demo import DEMO_PASSWORD, population
from cases.demo.calendar import Calendar
from cases.demo.casework import seed_demo_casework
from cases.demo.contacts import CONTACT_COLUMNS, contact_rows
from cases.demo.plans import StaffPlan
from cases.demo.vocabulary import PROBLEM_AREAS
from cases.models import Contact, Enrolment, Pause, PrimaryWorkerPeriod, ProblemArea, Team, User, YoungPerson
from interventions.group_work.demo import seed_demo_group_work
from interventions.housing_first.demo import seed_demo_housing_first
from interventions.mediation.demo import seed_demo_mediation
from interventions.mentoring.demo import seed_demo_mentoring
from interventions.models import InterventionType
from interventions.parent_council.demo import seed_demo_parent_council
from outcomes.assessments.demo import seed_demo_assessments
from outcomes.models import StatusEvent
from outcomes.tasks import recompute_all

Progress = Callable[[str], None]
PROGRESS_EVERY = 1_000_000


class DemoSeedError(Exception):
    """The database is not one seed_demo may fill."""


@dataclass(frozen=True)
class SeedResult:
    counts: dict[str, int]  # database table -> rows written
    seconds: float


def database_has_young_people() -> bool:
    return YoungPerson.objects.exists()


def seed_demo(
    *,
    young_people: int = 300,
    years: int = 2,
    seed: int = 1,
    today: dt.date,
    progress: Progress = lambda line: None,
) -> SeedResult:
    started = time.monotonic()

    def say(line: str) -> None:
        progress(f"[{time.monotonic() - started:7.1f} s] {line}")

    cal = Calendar(today, years)
    town = population.build(random.Random(seed), young_people, cal)
    say(
        f"Planned {len(town.people)} young people, {len(town.enrolments)} enrolments, "
        f"{len(town.staff)} staff in {len(town.teams)} teams, {cal.first_date} to {cal.today_date}."
    )
    _refuse_clashes(town)
    counts: dict[str, int] = {}
    with transaction.atomic():
        _write_parents(town, cal, seed, counts, say)
        _write_children(town, cal, counts, say)
        with bulk.indexes_deferred(Contact):
            rows = contact_rows(
                town.enrolments, cal, seed, [s.id for s in town.staff], _team_workers(town.staff, len(town.teams))
            )
            counts[Contact._meta.db_table] = bulk.bulk_insert(Contact, CONTACT_COLUMNS, _counting(rows, say))
            say(f"Wrote {counts[Contact._meta.db_table]:,} contacts; rebuilding their indexes.")
    say("Committed; analysing tables.")
    bulk.analyze(Contact, Enrolment, Pause, PrimaryWorkerPeriod, YoungPerson, StatusEvent, User, Team)
    _seed_methods(seed, cal.today_date, counts, say)
    say("Computing the indicators, for today and the last four quarter ends (the trend charts).")
    recompute_all.delay(rebuild_facts=True)  # in-process without a broker; a worker's job with one
    for quarter_end in _last_quarter_ends(cal.today_date, 4):
        recompute_all.delay(as_of=quarter_end.isoformat())
    return SeedResult(counts=counts, seconds=time.monotonic() - started)


def _seed_methods(seed: int, today: dt.date, counts: dict[str, int], say: Progress) -> None:
    """Each method's own records (mentors and matches, group activities, mediation
    cases, parent councils, CTI network maps), built on the enrolments above.
    Each gets a fresh generator from the same seed, so adding a method leaves the
    others' data as it was."""
    methods = [
        ("case work", seed_demo_casework),
        ("mentoring", seed_demo_mentoring),
        ("group work", seed_demo_group_work),
        ("mediation", seed_demo_mediation),
        ("parent councils", seed_demo_parent_council),
        ("Housing First", seed_demo_housing_first),
        ("outcome instruments", seed_demo_assessments),
    ]
    for name, seed_method in methods:
        with transaction.atomic():
            written = seed_method(rng=random.Random(seed), today=today)
        for table, rows in written.items():
            counts[table] = counts.get(table, 0) + rows
        say(f"Seeded {name}: {sum(written.values()):,} rows.")


def _last_quarter_ends(today: dt.date, count: int) -> list[dt.date]:
    """The last days of the `count` calendar quarters before today's."""
    ends = []
    day = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
    for _ in range(count):
        ends.append(day)
        day = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1) - dt.timedelta(days=1)
    return ends


def _refuse_clashes(town: population.Municipality) -> None:
    usernames = sorted(
        User.objects.filter(username__in=[s.username for s in town.staff]).values_list("username", flat=True)
    )
    teams = sorted(Team.objects.filter(name__in=town.teams).values_list("name", flat=True))
    if usernames or teams:
        taken = ", ".join([f"user {u!r}" for u in usernames] + [f"team {t!r}" for t in teams])
        raise DemoSeedError(
            f"The demo data would clash with existing rows ({taken}); seed_demo needs an empty database."
        )


def _insert(model: type[models.Model], columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]], counts: dict) -> None:
    table = model._meta.db_table
    counts[table] = counts.get(table, 0) + bulk.bulk_insert(model, columns, rows)


def _assign_ids(model: type[models.Model], plans: list[Any]) -> None:
    for plan, pk in zip(plans, bulk.reserve_ids(model, len(plans)), strict=True):
        plan.id = pk


def _write_parents(town: population.Municipality, cal: Calendar, seed: int, counts: dict, say: Progress) -> None:
    area_ids = bulk.reserve_ids(ProblemArea, len(PROBLEM_AREAS))
    _insert(ProblemArea, ("id", "name"), zip(area_ids, PROBLEM_AREAS, strict=True), counts)
    team_ids = bulk.reserve_ids(Team, len(town.teams))
    _insert(
        Team,
        ("id", "external_id", "name"),
        [(pk, f"T{i + 1}", n) for i, (pk, n) in enumerate(zip(team_ids, town.teams, strict=True))],
        counts,
    )

    # One hash for everyone: hashing the demo password per user would take
    # minutes at benchmark size. A fixed salt keeps the run deterministic.
    password = make_password(DEMO_PASSWORD, salt=f"youthcasedemo{abs(seed)}")
    joined = cal.noon(cal.first)
    _assign_ids(User, town.staff)
    _insert(
        User,
        ("id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff", "is_active")
        + ("date_joined", "external_id", "name", "role", "team_id"),
        (
            (s.id, password, s.role == "administrator", s.username, s.name.split()[0], s.name.split()[-1])
            + (f"{s.username}@kommune.example", s.role == "administrator", True, joined, f"W{i + 1}", s.name, s.role)
            + (None if s.team is None else team_ids[s.team],)
            for i, s in enumerate(town.staff)
        ),
        counts,
    )
    say(f"Wrote {len(town.teams)} teams and {len(town.staff)} users.")

    _assign_ids(YoungPerson, town.people)
    _insert(
        YoungPerson,
        ("id", "external_id", "name", "birth_date", "gender", "cpr_number", "phone", "email", "address")
        + ("housing_area", "placement_history", *YoungPerson.RISK_FLAGS, "involved_parties", "created_at"),
        (
            (p.id, f"Y{i + 1}", p.name, p.birth_iso, p.gender, "", p.phone, "", p.address, p.area, p.placement)
            + p.flags
            + (p.involved, cal.noon(p.entry))
            for i, p in enumerate(town.people)
        ),
        counts,
    )
    through = YoungPerson.problem_areas.through
    _insert(
        through,
        ("youngperson_id", "problemarea_id"),
        ((p.id, area_ids[a]) for p in town.people for a in p.problem_areas),
        counts,
    )
    say(f"Wrote {len(town.people):,} young people.")

    intervention_ids = dict(InterventionType.objects.values_list("code", "id"))
    missing = sorted(set(population.INTERVENTIONS) - set(intervention_ids))
    if missing:
        raise DemoSeedError(f"Intervention types missing (run migrate): {', '.join(missing)}")
    _assign_ids(Enrolment, town.enrolments)
    _insert(
        Enrolment,
        ("id", "external_id", "young_person_id", "intervention_type_id", "primary_worker_id", "team_id")
        + ("start_date", "end_date", "end_reason"),
        (
            (e.id, f"E{i + 1}", e.person.id, intervention_ids[e.code], town.staff[e.worker].id, team_ids[e.team])
            + (cal.iso[e.start], None if e.end is None else cal.iso[e.end], e.reason)
            for i, e in enumerate(town.enrolments)
        ),
        counts,
    )
    say(f"Wrote {len(town.enrolments):,} enrolments.")


def _write_children(town: population.Municipality, cal: Calendar, counts: dict, say: Progress) -> None:
    def iso(day: int | None) -> str | None:
        return None if day is None else cal.iso[day]

    def periods() -> Iterator[tuple[Any, ...]]:
        for e in town.enrolments:
            worker = town.staff[e.worker].id
            if e.handover is None:
                yield (e.id, worker, iso(e.start), iso(e.end))
            else:  # as enrolment_hand_over records it: the old period ends on the handover day
                yield (e.id, town.staff[e.previous_worker].id, iso(e.start), iso(e.handover))
                yield (e.id, worker, iso(e.handover), iso(e.end))

    _insert(PrimaryWorkerPeriod, ("enrolment_id", "worker_id", "start_date", "end_date"), periods(), counts)
    pauses = ((e.id, iso(start), iso(end), reason) for e in town.enrolments for start, end, reason in e.pauses)
    numbered = ((f"P{i + 1}", *row) for i, row in enumerate(pauses))
    _insert(Pause, ("external_id", "enrolment_id", "start_date", "end_date", "reason"), numbered, counts)

    def events() -> Iterator[tuple[Any, ...]]:
        for p in town.people:
            recorder = town.staff[p.enrolments[0].worker].id
            for day, value in p.education:
                yield (p.id, "education", iso(day), value, recorder)
            for day, value in p.housing:
                yield (p.id, "housing", iso(day), value, recorder)

    numbered_events = ((f"S{i + 1}", *row) for i, row in enumerate(events()))
    columns = ("external_id", "young_person_id", "domain", "date", "value", "recorded_by_id")
    _insert(StatusEvent, columns, numbered_events, counts)
    say(f"Wrote {counts[Pause._meta.db_table]:,} pauses and {counts[StatusEvent._meta.db_table]:,} status events.")


def _team_workers(staff: list[StaffPlan], teams: int) -> dict[int, list[str]]:
    by_team: dict[int, list[str]] = {t: [] for t in range(teams)}
    for member in staff:
        if member.role == "worker" and member.team is not None:
            by_team[member.team].append(str(member.id))
    return by_team


def _counting(rows: Iterator[tuple[str, ...]], say: Progress) -> Iterator[tuple[str, ...]]:
    next_report = PROGRESS_EVERY
    for count, row in enumerate(rows, 1):
        if count == next_report:
            say(f"Contacts: {count:,} ...")
            next_report += PROGRESS_EVERY
        yield row

"""Demo parent councils on top of seed_demo's municipality.

Given a database filled by `cases.demo.seed.seed_demo`, add the councils:

1. Walk each team's parent-council enrolments by start date and gather
   those that start within a month of each other (and share their fate:
   running or ended) into one group; a group of fewer than three is filled
   up with other young people of the team's relationship work, as the group
   of young people causing concern is wider than those enrolled.
2. Running councils are spread over the phases so each can be seen: phase I
   at each preparation step, phase II (the meeting held, the plan not yet
   approved) and phase III; ended councils ran their course and closed.
3. The timeline: the initiator's preliminary invitation, the coordinator
   agreed, a phone call and a home visit to every family (about one in ten
   declines), the final invitation, the council meeting with informants'
   observations, attendance and the parents' plan with owners and follow-up
   dates, follow-up meetings every five to eight weeks, and the follow-ups 3
   and 12 months after the first meeting, held or overdue.

Everything is drawn from `rng` in a fixed order and bulk-written.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from cases.demo import vocabulary as words
from cases.models import Enrolment
from interventions.method_demo import EnrolmentRow, enrolment_rows, later, parent_names, phone
from interventions.models import (
    ParentCouncil,
    ParentCouncilFamily,
    ParentCouncilFollowUp,
    ParentCouncilMeeting,
    ParentCouncilParent,
    ParentCouncilParticipant,
    ParentCouncilPlanItem,
)
from interventions.months import add_months

GROUP_WITHIN_DAYS = 30
MAX_GROUP = 6
MIN_GROUP = 3
# Where a running council stands; the demo shows each at least once.
PRELIMINARY, COORDINATOR, VISITS, FINAL, MEETING, FOLLOW_UP = range(6)
STAGES = (PRELIMINARY, COORDINATOR, VISITS, FINAL, MEETING, FOLLOW_UP)

TITLES = (
    "Drengene ved stationen",
    "Pigerne fra 8.b",
    "Gruppen i Hedeparken",
    "De unge ved hallen",
    "Vennegruppen fra klubben",
    "Drengene fra Grantoften",
)
CONCERNS = (
    "Hærværk og sene aftener i området; flere af de unge har været i kontakt med politiet.",
    "Mobning på nettet og højt skolefravær i gruppen.",
    "Rygter om hash og tyverier fra butikker.",
    "Gruppen samles om aftenen, og der har været slagsmål.",
)
OBSERVATIONS = (
    "Skolen: fraværet er steget i gruppen siden efteråret, tre er set ryge hash i frikvarteret.\n"
    "Klubben: gruppen kommer sjældnere og er set ved stationen efter kl. 22.",
    "SSP: gruppen er set ved butikscentret om aftenen; to butikstyverier anmeldt i marts.\n"
    "Skolen: gentagne konflikter i frikvartererne.",
)
QUESTIONS = (
    "Hvad kan vi som forældre gøre for, at vores unge ikke befinder sig på steder, hvor kriminalitet foregår?",
    "Hvordan kan vi sammen få de unge i skole hver dag?",
)
PLAN_ITEMS = (
    ("Vi ringer til hinanden, når de unge ikke er hjemme kl. 22", "parents", "Alle forældre"),
    ("Vi spørger ind til, hvor de er og med hvem", "parents", "Alle forældre"),
    ("Fælles fritidsprojekt i klubben om torsdagen", "municipality", "Klubben"),
    ("Formidling af fritidsjob", "municipality", "Ungekontakten"),
    ("Skolen giver besked samme dag ved fravær", "other", "Skolens ledelse"),
    ("Vi tager hånd om mobning, når vi hører om det", "parents", "Alle forældre"),
)
INFORMANTS = (("Lærer", "Skolen"), ("Klubmedarbejder", "Ungdomsklubben"), ("Sagsbehandler", "Familieafdelingen"))
OUTSIDERS = (("Forebyggelsesbetjent", "Politiet"), ("Misbrugskonsulent", "Ungecentret"))
MEETING_NOTES = ("Forældrene oplever, at det går bedre.", "Drøftet ny episode; planen justeret.", "God stemning.")
FOLLOW_UP_NOTES = (
    "Mindre fravær ifølge skolen.",
    "Forældrene er mere synlige.",
    "Uændret bekymring for to af de unge.",
)


@dataclass
class Group:
    members: list[EnrolmentRow]
    extra: list[tuple[int, str]] = field(default_factory=list)  # young person id, name: not enrolled
    stage: int = FOLLOW_UP
    ended: bool = False
    start: dt.date = dt.date.min
    horizon: dt.date = dt.date.min


def _groups(rows: list[EnrolmentRow], today: dt.date) -> list[Group]:
    groups: list[Group] = []
    for row in rows:
        last = groups[-1] if groups else None
        if (
            last is not None
            and last.members[0].team_id == row.team_id
            and len(last.members) < MAX_GROUP
            and (row.start - last.members[0].start).days <= GROUP_WITHIN_DAYS
            and (row.end is None) == (last.members[0].end is None)
        ):
            last.members.append(row)
        else:
            groups.append(Group(members=[row]))
    for group in groups:
        ends = [m.end for m in group.members if m.end is not None]
        group.start = group.members[0].start
        group.ended = len(ends) == len(group.members) and max(ends) < today
        group.horizon = min(ends) if group.ended else today
    return groups


def _fill(rng: random.Random, groups: list[Group]) -> None:
    """Groups of fewer than three get other young people of the team's relationship work."""
    small = [g for g in groups if len(g.members) < MIN_GROUP]
    teams = {g.members[0].team_id for g in small}
    pool: dict[int, list[tuple[int, str, dt.date]]] = {}
    rows = (
        Enrolment.objects.filter(team_id__in=teams, intervention_type__code="relationship_work")
        .order_by("team_id", "start_date", "id")
        .values_list("team_id", "young_person_id", "young_person__name", "start_date")
    )
    for team_id, person, name, start in rows:
        pool.setdefault(team_id, []).append((person, name, start))
    for group in small:
        taken = {m.young_person_id for m in group.members}
        candidates = [
            (p, n) for p, n, s in pool.get(group.members[0].team_id, []) if s <= group.start and p not in taken
        ]
        need = MIN_GROUP - len(group.members) + rng.randint(0, 1)
        group.extra = rng.sample(candidates, min(need, len(candidates)))


def _stages(rng: random.Random, groups: list[Group], today: dt.date) -> list[int]:
    """Stages for running councils, the oldest furthest along; returns the
    stages no running council could show (a small demo has few)."""
    running = sorted((g for g in groups if not g.ended), key=lambda g: g.start)
    wanted = list(reversed(STAGES))
    for group in running:
        span = (today - group.start).days
        if wanted and (span >= 45 or wanted[0] < MEETING):
            group.stage = wanted.pop(0)
        else:
            group.stage = rng.choice(STAGES) if span >= 45 else rng.choice(STAGES[:3])
    return wanted + ([] if any(g.ended for g in groups) else [CLOSED])


CLOSED = -1
STARTED_DAYS_AGO = {PRELIMINARY: 3, COORDINATOR: 10, VISITS: 20, FINAL: 30, MEETING: 50, FOLLOW_UP: 150, CLOSED: 300}


def _extra(rng: random.Random, missing: list[int], taken: set[int], today: dt.date) -> list[Group]:
    """Councils about groups in relationship work for the stages the
    parent-council enrolments did not show."""
    pool = [r for r in enrolment_rows("relationship_work", today) if r.end is None]
    groups = []
    for stage in missing:
        start = today - dt.timedelta(days=STARTED_DAYS_AGO[stage])
        by_team: dict[int, list[EnrolmentRow]] = {}
        for row in pool:
            if row.start <= start and row.young_person_id not in taken:
                by_team.setdefault(row.team_id, []).append(row)
        teams = sorted(team for team, rows in by_team.items() if len(rows) >= MIN_GROUP)
        if not teams:
            continue
        members = rng.sample(by_team[rng.choice(teams)], MIN_GROUP)
        taken.update(m.young_person_id for m in members)
        group = Group(members=members, stage=stage, start=start, horizon=today)
        if stage == CLOSED:
            group.stage, group.ended = FOLLOW_UP, True
            group.horizon = start + dt.timedelta(days=rng.randint(120, 200))
        groups.append(group)
    return groups


@dataclass
class Rows:
    councils: list[ParentCouncil] = field(default_factory=list)
    families: list[ParentCouncilFamily] = field(default_factory=list)
    parents: list[ParentCouncilParent] = field(default_factory=list)
    participants: list[ParentCouncilParticipant] = field(default_factory=list)
    meetings: list[ParentCouncilMeeting] = field(default_factory=list)
    present: list[tuple[ParentCouncilMeeting, ParentCouncilParent]] = field(default_factory=list)
    others_present: list[tuple[ParentCouncilMeeting, ParentCouncilParticipant]] = field(default_factory=list)
    plan_items: list[ParentCouncilPlanItem] = field(default_factory=list)
    follow_ups: list[ParentCouncilFollowUp] = field(default_factory=list)


def _build(rng: random.Random, group: Group, today: dt.date, rows: Rows) -> None:
    first = group.members[0]
    h = group.horizon
    council = ParentCouncil(
        title=rng.choice(TITLES),
        concern=rng.choice(CONCERNS),
        team_id=first.team_id,
        initiator_id=first.worker_id,
        coordinator_name=f"{rng.choice(words.FEMALE_FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}",
        coordinator_phone=phone(rng),
    )
    rows.councils.append(council)
    people = [(m.young_person_id, m.surname) for m in group.members] + [(p, n.split()[-1]) for p, n in group.extra]
    families, parents_of = [], {}
    for person, surname in people:
        family = ParentCouncilFamily(council=council, young_person_id=person)
        families.append(family)
        parents_of[id(family)] = [
            ParentCouncilParent(family=family, name=name, relation=relation, phone=phone(rng))
            for name, relation in parent_names(rng, surname)
        ]
        rows.parents += parents_of[id(family)]
    rows.families += families
    chosen = [("informant", *pair) for pair in rng.sample(INFORMANTS, rng.randint(1, 3))]
    if rng.random() < 0.4:
        chosen.append(("outside", *rng.choice(OUTSIDERS)))
    informants = [
        ParentCouncilParticipant(
            council=council, role=role, name=f"{title} {rng.choice(words.LAST_NAMES)}", organisation=organisation
        )
        for role, title, organisation in chosen
    ]
    rows.participants += informants

    stage = FOLLOW_UP if group.ended else group.stage
    council.preliminary_invitation_on = later(group.start, rng.randint(0, 5), h)
    if stage == PRELIMINARY:
        return
    council.coordinator_agreed_on = later(council.preliminary_invitation_on, rng.randint(2, 7), h)
    if stage == COORDINATOR:
        return
    visited = []
    for index, family in enumerate(families):
        family.phone_call_on = later(council.coordinator_agreed_on, rng.randint(1, 7), h)
        if index >= 2 and rng.random() < 0.1:
            family.declined_on = family.phone_call_on
            continue
        if stage == VISITS and index % 2:
            continue  # visits still under way
        family.home_visit_on = later(family.phone_call_on, rng.randint(2, 10), h)
        visited.append(family)
    if stage == VISITS:
        return
    council.final_invitation_on = later(max(f.home_visit_on for f in visited), rng.randint(1, 5), h)
    if stage == FINAL:
        return
    held = later(council.final_invitation_on, rng.randint(5, 14), h)
    meeting = ParentCouncilMeeting(
        council=council,
        kind=ParentCouncilMeeting.Kind.COUNCIL,
        held_on=held,
        observations=rng.choice(OBSERVATIONS),
        questions=rng.choice(QUESTIONS),
    )
    rows.meetings.append(meeting)
    _attendance(rng, meeting, visited, parents_of, informants, rows, 0.85)
    for text, owner, owner_name in rng.sample(PLAN_ITEMS, rng.randint(3, 5)):
        follow_up_on = held + dt.timedelta(days=rng.randint(21, 90))
        item = ParentCouncilPlanItem(
            council=council, text=text, owner=owner, owner_name=owner_name, follow_up_on=follow_up_on
        )
        if item.follow_up_on <= h and rng.random() < 0.6:
            item.done_on = min(item.follow_up_on + dt.timedelta(days=rng.randint(-7, 7)), h)
            item.done_on = max(item.done_on, held)
        rows.plan_items.append(item)
    for months in (3, 12):
        due = add_months(held, months)
        follow_up = ParentCouncilFollowUp(council=council, months=months, due_on=due)
        if due <= today and rng.random() < 0.75:
            follow_up.held_on = later(due, rng.randint(0, 14), today)
            follow_up.note = rng.choice(FOLLOW_UP_NOTES)
        rows.follow_ups.append(follow_up)
    if stage == MEETING:
        return
    council.plan_approved_on = held
    day = held
    for _ in range(rng.randint(1, 4)):
        day = day + dt.timedelta(days=rng.randint(35, 56))
        if day > h:
            break
        follow_meeting = ParentCouncilMeeting(
            council=council, kind=ParentCouncilMeeting.Kind.FOLLOW_UP, held_on=day, note=rng.choice(MEETING_NOTES)
        )
        rows.meetings.append(follow_meeting)
        _attendance(rng, follow_meeting, visited, parents_of, [], rows, 0.7)
    meeting.next_meeting_on = held + dt.timedelta(days=42)
    if group.ended:
        council.closed_on = h  # every date above is capped at h
        council.close_note = (
            "Planen er gennemført." if group.members[0].end_reason == "completed" else "Forløbet sluttede."
        )


def _attendance(
    rng: random.Random,
    meeting: ParentCouncilMeeting,
    families: list[ParentCouncilFamily],
    parents_of: dict[int, list[ParentCouncilParent]],
    participants: list[ParentCouncilParticipant],
    rows: Rows,
    share: float,
) -> None:
    for family in families:
        rows.present += [(meeting, p) for p in parents_of[id(family)] if rng.random() < share]
    rows.others_present += [(meeting, p) for p in participants if p.role == "informant" or rng.random() < 0.5]


def _link(objects: list, *relations: str) -> None:
    """Point each object's foreign keys at the rows written before it."""
    for obj in objects:
        for name in relations:
            setattr(obj, f"{name}_id", getattr(obj, name).pk)


def _write(rows: Rows) -> dict[str, int]:
    ParentCouncil.objects.bulk_create(rows.councils, batch_size=2000)
    _link(rows.families, "council")
    ParentCouncilFamily.objects.bulk_create(rows.families, batch_size=5000)
    _link(rows.parents, "family")
    ParentCouncilParent.objects.bulk_create(rows.parents, batch_size=5000)
    _link(rows.participants, "council")
    ParentCouncilParticipant.objects.bulk_create(rows.participants, batch_size=5000)
    _link(rows.meetings, "council")
    ParentCouncilMeeting.objects.bulk_create(rows.meetings, batch_size=5000)
    parents_through = ParentCouncilMeeting.parents_present.through
    parents_through.objects.bulk_create(
        [parents_through(parentcouncilmeeting_id=m.pk, parentcouncilparent_id=p.pk) for m, p in rows.present],
        batch_size=5000,
    )
    others_through = ParentCouncilMeeting.participants_present.through
    others_through.objects.bulk_create(
        [
            others_through(parentcouncilmeeting_id=m.pk, parentcouncilparticipant_id=p.pk)
            for m, p in rows.others_present
        ],
        batch_size=5000,
    )
    _link(rows.plan_items, "council")
    ParentCouncilPlanItem.objects.bulk_create(rows.plan_items, batch_size=5000)
    _link(rows.follow_ups, "council")
    ParentCouncilFollowUp.objects.bulk_create(rows.follow_ups, batch_size=5000)
    return {
        ParentCouncil._meta.db_table: len(rows.councils),
        ParentCouncilFamily._meta.db_table: len(rows.families),
        ParentCouncilParent._meta.db_table: len(rows.parents),
        ParentCouncilParticipant._meta.db_table: len(rows.participants),
        ParentCouncilMeeting._meta.db_table: len(rows.meetings),
        parents_through._meta.db_table: len(rows.present),
        others_through._meta.db_table: len(rows.others_present),
        ParentCouncilPlanItem._meta.db_table: len(rows.plan_items),
        ParentCouncilFollowUp._meta.db_table: len(rows.follow_ups),
    }


def seed_demo_parent_council(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    groups = _groups(enrolment_rows("parent_council", today), today)
    _fill(rng, groups)
    missing = _stages(rng, groups, today)
    groups += _extra(rng, missing, {m.young_person_id for g in groups for m in g.members}, today)
    rows = Rows()
    for group in groups:
        _build(rng, group, today, rows)
    return _write(rows)

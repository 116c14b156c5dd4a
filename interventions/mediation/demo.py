"""Demo mediation cases on top of seed_demo's municipality.

Given a database filled by `cases.demo.seed.seed_demo` (teams, workers and
mediation enrolments among the rest), add the cases the mediators keep:

1. Walk each team's mediation enrolments by start date; two that start
   within three weeks of each other and share their fate (both running or
   both ended) become the two parties of one case, otherwise the enrolled
   young person meets a party known by name only (a pupil of another school),
   or, in some victim talks, nobody yet (the offender is unknown).
2. Each case gets a type. Running cases get a stage so that every type is
   seen at every stage (an external case waiting for the police's green
   light, in preparation, in the meeting, in follow-up); ended ones finish
   as their enrolments did: an agreement for a planned ending, a declined
   mediation or no agreement for an unplanned one.
3. The timeline is laid between the referral and today (or the enrolments'
   end): police clearance, pre-meetings and phone calls, the six steps, the
   agreement approved by every party, follow-ups 3 and 12 months later,
   held or (about a quarter of them) overdue.

Everything is drawn from `rng` in a fixed order and bulk-written.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from cases.demo import vocabulary as words
from interventions.method_demo import EnrolmentRow, enrolment_rows, later, parent_names, phone, team_workers
from interventions.models import (
    MediationAgreement,
    MediationCase,
    MediationFollowUp,
    MediationParent,
    MediationParty,
    MediationPreparation,
    MediationStep,
)
from interventions.months import add_months

TYPES = ("external", "school", "pupil", "victim_talk")
TYPE_WEIGHTS = (30, 35, 20, 15)
AWAITING, PREPARATION, MEETING, FOLLOW_UP = "awaiting_clearance", "preparation", "meeting", "follow_up"
CLOSED = "closed"
PAIR_WITHIN_DAYS = 21
PLANNED = ("completed", "natural_phase_out", "transferred")

SUMMARIES = (
    "Slåskamp i skolegården efter en fodboldkamp.",
    "Trusler og rygter på sociale medier.",
    "Tyveri af en mobiltelefon i klubben.",
    "Gentagne drillerier i klassen, som er endt i vold.",
    "Konflikt mellem to grupper ved stationen.",
    "Hærværk på en cykel og efterfølgende trusler.",
    "Uenighed om penge, der er endt i et slag.",
    "Billeder delt uden samtykke.",
)
PREPARATION_NOTES = (
    "Formøde hjemme; forældrene fik processen forklaret.",
    "Telefonsamtale om hvad mægling er, og at det er frivilligt.",
    "Den unge vil gerne mødes, men er nervøs.",
    "Aftalt tid og sted for mødet.",
    "",
)
STEP_NOTES = {
    2: ("Begge fortalte deres version; mægler holdt sig tilbage.", ""),
    3: ("Fælles problem: de føler sig begge uretfærdigt behandlet.", "Fælles problem: rygterne skal stoppe."),
    4: ("Flere forslag skrevet op uden stillingtagen.", ""),
    5: ("Forhandlede ud fra forslagene om frikvarter og nettet.", ""),
}
AGREEMENTS = (
    "Vi lader hinanden være i frikvarteret og hilser, når vi mødes.\nVi sletter opslagene om hinanden i dag.",
    "Telefonen betales tilbage med 200 kr. om måneden.\nVi siger det til en voksen, hvis det går galt igen.",
    "Vi taler ikke om konflikten på nettet.\nHvis der opstår noget nyt, kontakter vi mægleren.",
    "Vi undskylder over for hinanden og går hver til sit i klubben i en måned.",
)
FOLLOW_UP_NOTES = ("Aftalen holder.", "Enkelte episoder, men bedre end før.", "Konflikten er blusset op igen.", "")
RELATIONSHIPS = (("acceptance", 55), ("friendship", 25), ("continued_hostility", 20))
KEPT = (("kept", 60), ("partly", 30), ("broken", 10))


@dataclass
class CasePlan:
    parties: list[EnrolmentRow]
    case_type: str = ""
    target: str = ""  # for running cases: the stage to reach
    referred_on: dt.date = dt.date.min
    horizon: dt.date = dt.date.min
    ended: bool = False
    end_reason: str = ""
    others: list[tuple[str, str]] = field(default_factory=list)  # name-only parties: (name, role)


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _pair(rng: random.Random, rows: list[EnrolmentRow], today: dt.date) -> list[CasePlan]:
    plans: list[CasePlan] = []
    index = 0
    while index < len(rows):
        row = rows[index]
        nxt = rows[index + 1] if index + 1 < len(rows) else None
        if (
            nxt is not None
            and nxt.team_id == row.team_id
            and (nxt.start - row.start).days <= PAIR_WITHIN_DAYS
            and (nxt.end is None) == (row.end is None)
            and rng.random() < 0.6
        ):
            parties = [row, nxt]
            index += 2
        else:
            parties = [row]
            index += 1
        ends = [p.end for p in parties if p.end is not None]
        plan = CasePlan(parties=parties, referred_on=min(p.start for p in parties))
        plan.ended = bool(ends) and len(ends) == len(parties) and max(ends) < today
        plan.horizon = min(ends) if plan.ended else today
        plan.end_reason = parties[0].end_reason if plan.ended else ""
        plans.append(plan)
    return plans


def _assign(rng: random.Random, plans: list[CasePlan], today: dt.date) -> list[tuple[str, str]]:
    """Types for all; stages for running cases so that every (type, stage) is
    seen. Returns the (type, stage) pairs the mediation enrolments could not
    cover (a small demo has few of them)."""
    for plan in plans:
        plan.case_type = rng.choices(TYPES, weights=TYPE_WEIGHTS)[0]
    running = sorted((p for p in plans if not p.ended), key=lambda p: p.referred_on)
    wanted = [(t, s) for s in (FOLLOW_UP, MEETING, PREPARATION) for t in TYPES] + [("external", AWAITING)]
    for plan in running:
        span = (today - plan.referred_on).days
        if wanted and (span >= 30 or wanted[0][1] in (PREPARATION, AWAITING)):
            plan.case_type, plan.target = wanted.pop(0)
        else:
            choices = [PREPARATION] + ([MEETING] if span >= 10 else []) + ([FOLLOW_UP] if span >= 20 else [])
            plan.target = rng.choice(choices)
            if plan.case_type == "external" and span < 14 and rng.random() < 0.5:
                plan.target = AWAITING
    closed_types = {p.case_type for p in plans if p.ended and p.end_reason not in PLANNED}
    return wanted + [(t, CLOSED) for t in TYPES if t not in closed_types]


# How long ago a case at each stage was referred, for the cases added to show every stage.
REFERRED_DAYS_AGO = {
    AWAITING: (1, 10),
    PREPARATION: (2, 20),
    MEETING: (12, 40),
    FOLLOW_UP: (30, 150),
    CLOSED: (60, 300),
}


def _extra(rng: random.Random, missing: list[tuple[str, str]], taken: set[int], today: dt.date) -> list[CasePlan]:
    """Cases about young people in relationship work (SSP mediates for them too)
    for the (type, stage) pairs the mediation enrolments did not cover."""
    pool = [r for r in enrolment_rows("relationship_work", today) if r.end is None and r.young_person_id not in taken]
    plans = []
    for case_type, stage in missing:
        low, high = REFERRED_DAYS_AGO[stage]
        referred = today - dt.timedelta(days=rng.randint(low, high))
        candidates = [r for r in pool if r.start <= referred and r.young_person_id not in taken]
        if not candidates:
            continue
        row = rng.choice(candidates)
        taken.add(row.young_person_id)
        plan = CasePlan(parties=[row], case_type=case_type, target=stage, referred_on=referred, horizon=today)
        if stage == CLOSED:  # declined after the preparation: closed, nothing left to follow up
            plan.ended, plan.target, plan.end_reason = True, "", "dropped_out"
            plan.horizon = referred + dt.timedelta(days=rng.randint(10, 40))
        plans.append(plan)
    return plans


def _name(rng: random.Random) -> str:
    first = rng.choice(words.FEMALE_FIRST_NAMES if rng.random() < 0.4 else words.MALE_FIRST_NAMES)
    return f"{first} {rng.choice(words.LAST_NAMES)}"


@dataclass
class Rows:
    """Model instances to bulk-write, parents before children."""

    cases: list[MediationCase] = field(default_factory=list)
    mediators: list[tuple[MediationCase, int]] = field(default_factory=list)
    parties: list[MediationParty] = field(default_factory=list)
    parents: list[tuple[MediationParty, str, str, str]] = field(default_factory=list)
    preparations: list[tuple[MediationPreparation, MediationParty | None]] = field(default_factory=list)
    steps: list[MediationStep] = field(default_factory=list)
    agreements: list[MediationAgreement] = field(default_factory=list)
    follow_ups: list[MediationFollowUp] = field(default_factory=list)


def _build(rng: random.Random, plan: CasePlan, workers: dict[int, list[int]], today: dt.date, rows: Rows) -> None:
    first = plan.parties[0]
    case = MediationCase(
        case_type=plan.case_type, summary=rng.choice(SUMMARIES), referred_on=plan.referred_on, team_id=first.team_id
    )
    rows.cases.append(case)
    mediators = [first.worker_id]
    colleagues = [w for w in workers.get(first.team_id, []) if w != first.worker_id]
    if colleagues and rng.random() < 0.3:
        mediators.append(rng.choice(colleagues))
    rows.mediators += [(case, m) for m in mediators]

    # Parties: the enrolled young people, and a party known by name when there is only one.
    roles = ["offender", "victim"] if rng.random() < 0.6 else ["other", "other"]
    rng.shuffle(roles)
    parties = [
        MediationParty(case=case, young_person_id=row.young_person_id, role=roles[i % 2])
        for i, row in enumerate(plan.parties)
    ]
    # A victim talk may stay with the victim alone (the offender unknown), but only
    # while it is prepared or when it ends there: the meeting needs two parties.
    talk_only = plan.case_type == "victim_talk" and plan.target in (PREPARATION, "") and rng.random() < 0.5
    if len(parties) == 1 and not talk_only:
        parties.append(MediationParty(case=case, name=_name(rng), role=roles[1]))
    elif len(parties) == 1:
        parties[0].role = "victim"  # a victim talk where the offender is not known
    rows.parties += parties
    for party, surname in zip(parties, [r.surname for r in plan.parties] + [""], strict=False):
        if rng.random() < 0.85:
            surname = surname or (party.name.split()[-1] if party.name else rng.choice(words.LAST_NAMES))
            rows.parents += [(party, name, relation, phone(rng)) for name, relation in parent_names(rng, surname)]

    # The timeline, stopping at the target stage (running) or the ending (ended).
    horizon = plan.horizon
    unplanned = plan.ended and plan.end_reason not in PLANNED
    if plan.case_type == "external":
        if plan.target == AWAITING or (unplanned and rng.random() < 0.3):
            if plan.ended:
                case.closed_on, case.outcome = horizon, MediationCase.Outcome.NOT_CLEARED
            return
        case.police_clearance_on = later(plan.referred_on, rng.randint(1, 10), horizon)
        case.police_clearance_by = rng.choice(("Midt- og Vestsjællands Politi", "Lokalpolitiet, mandagsmødet"))
    day = later(case.police_clearance_on or plan.referred_on, rng.randint(0, 3), horizon)
    for n in range(rng.randint(1, 3)):
        preparation = MediationPreparation(
            case=case,
            kind=MediationPreparation.Kind.PRE_MEETING if n % 2 == 0 else MediationPreparation.Kind.PHONE,
            occurred_on=day,
            with_parents=rng.random() < 0.5,
            mediator_id=mediators[0],
            note=rng.choice(PREPARATION_NOTES),
        )
        rows.preparations.append((preparation, parties[n % len(parties)] if rng.random() < 0.8 else None))
        day = later(day, rng.randint(1, 4), horizon)
    single = len(parties) < 2
    if plan.target == PREPARATION or (plan.ended and (single or (unplanned and rng.random() < 0.5))):
        if plan.ended:
            outcome = (
                MediationCase.Outcome.VICTIM_TALK_ONLY
                if single and plan.case_type == "victim_talk"
                else MediationCase.Outcome.DECLINED
            )
            case.closed_on, case.outcome = day, outcome
        return
    meeting = later(day, rng.randint(2, 10), horizon)
    second_sitting = later(meeting, rng.randint(0, 7), horizon)  # steps 4-5 may need another meeting
    last = 5 if plan.target != MEETING else rng.randint(1, 5)
    for n in range(1, last + 1):
        note = rng.choice(STEP_NOTES.get(n, ("",)))
        rows.steps.append(MediationStep(case=case, step=n, done_on=meeting if n <= 3 else second_sitting, note=note))
    if plan.target == MEETING:
        return
    agreed = rows.steps[-1].done_on
    if unplanned:
        case.closed_on, case.outcome = later(agreed, rng.randint(0, 5), horizon), MediationCase.Outcome.NO_AGREEMENT
        case.relationship_after = _weighted(rng, (("acceptance", 30), ("continued_hostility", 70)))
        return
    rows.agreements.append(MediationAgreement(case=case, text=rng.choice(AGREEMENTS), approved_on=agreed))
    for party in parties:
        party.approved_agreement_on = agreed
    rows.steps.append(MediationStep(case=case, step=6, done_on=agreed))
    for months in (3, 12):
        due = add_months(agreed, months)
        follow_up = MediationFollowUp(case=case, months=months, due_on=due)
        if due <= today and rng.random() < 0.75:
            follow_up.held_on = later(due, rng.randint(0, 14), today)
            follow_up.relationship = _weighted(rng, RELATIONSHIPS)
            follow_up.agreement_kept = _weighted(rng, KEPT)
            follow_up.note = rng.choice(FOLLOW_UP_NOTES)
        rows.follow_ups.append(follow_up)
    if plan.ended or (today - agreed).days > 14:
        case.closed_on = later(agreed, rng.randint(0, 7), horizon)
        case.outcome = MediationCase.Outcome.AGREEMENT
        case.relationship_after = _weighted(rng, RELATIONSHIPS)


def _write(rows: Rows) -> dict[str, int]:
    MediationCase.objects.bulk_create(rows.cases, batch_size=2000)
    through = MediationCase.mediators.through
    through.objects.bulk_create(
        [through(mediationcase_id=case.pk, user_id=user) for case, user in rows.mediators], batch_size=5000
    )
    for party in rows.parties:
        party.case_id = party.case.pk
    MediationParty.objects.bulk_create(rows.parties, batch_size=5000)
    parents = [
        MediationParent(party_id=party.pk, name=name, relation=relation, phone=number)
        for party, name, relation, number in rows.parents
    ]
    MediationParent.objects.bulk_create(parents, batch_size=5000)
    preparations = []
    for preparation, party in rows.preparations:
        preparation.case_id, preparation.party_id = preparation.case.pk, party.pk if party else None
        preparations.append(preparation)
    MediationPreparation.objects.bulk_create(preparations, batch_size=5000)
    for model, objects in ((MediationStep, rows.steps), (MediationAgreement, rows.agreements)):
        for obj in objects:
            obj.case_id = obj.case.pk
        model.objects.bulk_create(objects, batch_size=5000)
    for follow_up in rows.follow_ups:
        follow_up.case_id = follow_up.case.pk
    MediationFollowUp.objects.bulk_create(rows.follow_ups, batch_size=5000)
    return {
        MediationCase._meta.db_table: len(rows.cases),
        through._meta.db_table: len(rows.mediators),
        MediationParty._meta.db_table: len(rows.parties),
        MediationParent._meta.db_table: len(parents),
        MediationPreparation._meta.db_table: len(preparations),
        MediationStep._meta.db_table: len(rows.steps),
        MediationAgreement._meta.db_table: len(rows.agreements),
        MediationFollowUp._meta.db_table: len(rows.follow_ups),
    }


def seed_demo_mediation(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    plans = _pair(rng, enrolment_rows("mediation", today), today)
    missing = _assign(rng, plans, today)
    plans += _extra(rng, missing, {r.young_person_id for p in plans for r in p.parties}, today)
    workers = team_workers()
    rows = Rows()
    for plan in plans:
        _build(rng, plan, workers, today, rows)
    return _write(rows)

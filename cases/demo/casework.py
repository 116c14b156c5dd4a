"""The case work around the enrolments that the bulk seed leaves out: consents
for the interventions that require them, action plans with goals, agreements
and meetings, and handover records for the demo's changes of primary worker
(two of them in progress in Team Nord, so the team leader sees some).

Runs after the bulk seed on its rows; deterministic for a given generator.
Written with bulk_create: these are rows built to the services' rules
(a consent given by the enrolment's start, agreements not due before their
plan, overlaps that end after the introduction)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db.models import F, Max

from cases import services
from cases.models import (
    REQUIRED_CONSENT,
    ActionPlan,
    Agreement,
    Consent,
    Enrolment,
    Goal,
    Handover,
    PlanMeeting,
    PrimaryWorkerPeriod,
    User,
)

GOALS = (
    "Starte på en ungdomsuddannelse",
    "Komme i praktik",
    "Få en fritidsinteresse",
    "Stabil døgnrytme og fremmøde",
    "Finde egen bolig",
    "Få styr på økonomien",
)
SUB_GOALS = ("Besøge to skoler", "Lave et CV", "Møde op tre dage om ugen", "Åbne en bankkonto")
AGREEMENTS = (
    ("young_person", "Ringe til UU-vejlederen"),
    ("young_person", "Møde op til samtale i jobcentret"),
    ("parents", "Deltage i næste planmøde"),
    ("parents", "Støtte op om morgenrutinen"),
    ("municipality", "Bevilge et fritidspas"),
    ("municipality", "Finde en praktikplads"),
)
PLAN_SHARE = 0.3  # of young people with an active district-team enrolment


def seed_demo_casework(*, rng: random.Random, today: dt.date) -> dict[str, int]:
    active = list(
        Enrolment.objects.filter(start_date__lte=today, end_date__isnull=True)
        .select_related("intervention_type", "team")
        .order_by("pk")
    )
    counts = {
        Consent._meta.db_table: _consents(active),
        Handover._meta.db_table: _handovers(),
    }
    counts |= _plans(rng, today, active)
    counts[Handover._meta.db_table] += _handovers_in_progress(rng, today)
    return counts


def _consents(active: list[Enrolment]) -> int:
    """The consent each enrolment of mentoring or Housing First needed, given at its start."""
    rows = [
        Consent(
            young_person_id=e.young_person_id,
            purpose=REQUIRED_CONSENT[e.intervention_type.code],
            given_by=Consent.GivenBy.YOUNG_PERSON,
            given_on=e.start_date,
            recorded_by_id=e.primary_worker_id,
        )
        for e in active
        if e.intervention_type.code in REQUIRED_CONSENT
    ]
    Consent.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _handovers() -> int:
    """A handover record for each change of primary worker in the history, its
    overlap the one the worker periods show."""
    periods = defaultdict(list)
    for period in PrimaryWorkerPeriod.objects.order_by("enrolment_id", "start_date", "pk"):
        periods[period.enrolment_id].append(period)
    rows = [
        Handover(
            enrolment_id=enrolment_id,
            from_worker_id=before.worker_id,
            to_worker_id=after.worker_id,
            introduced_on=after.start_date,
            overlap_until=max(after.start_date, before.end_date or after.start_date),  # as the periods say
            recorded_by_id=after.worker_id,
        )
        for enrolment_id, history in periods.items()
        for before, after in zip(history, history[1:], strict=False)
    ]
    Handover.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _handovers_in_progress(rng: random.Random, today: dt.date) -> int:
    """Two enrolments in Team Nord handed over last week, both workers still attached.
    Taken among the most recently contacted, so no overdue example changes hands."""
    leader = User.objects.filter(username="lene").first()
    if leader is None:
        return 0
    workers = list(User.objects.filter(team=leader.team, role=User.Role.WORKER).order_by("pk"))
    recent = (
        Enrolment.objects.filter(team=leader.team, end_date__isnull=True, start_date__lte=today - dt.timedelta(days=14))
        .annotate(last_contact=Max("contacts__occurred_at"))
        .order_by(F("last_contact").desc(nulls_last=True), "pk")[:6]
    )
    handed = 0
    for enrolment in rng.sample(list(recent), min(2, len(recent))):
        others = [w for w in workers if w.pk != enrolment.primary_worker_id]
        if not others:
            continue
        services.enrolment_hand_over(
            enrolment=enrolment,
            new_worker=rng.choice(others),
            on_date=today - dt.timedelta(days=rng.randint(2, 8)),
            overlap_until=today + dt.timedelta(days=rng.randint(7, 21)),
            note="Introduceret i klubben",
            by=leader,
        )
        handed += 1
    return handed


def _plans(rng: random.Random, today: dt.date, active: list[Enrolment]) -> dict[str, int]:
    """Plans for a share of the young people in district teams, and for all of Sara's."""
    first = {}
    for e in active:
        if e.intervention_type.code != "housing_first_cti":
            first.setdefault(e.young_person_id, e)
    chosen = [e for e in first.values() if e.primary_worker.username == "sara" or rng.random() < PLAN_SHARE]
    plans = [
        ActionPlan(
            young_person_id=e.young_person_id,
            coordinator_id=e.primary_worker_id,
            created_on=max(e.start_date, today - dt.timedelta(days=rng.randint(30, 240))),
            meeting_interval_weeks=rng.randint(6, 12),
            made_with_young_person=rng.random() < 0.9,
        )
        for e in chosen
    ]
    ActionPlan.objects.bulk_create(plans, batch_size=2000)
    plans = list(ActionPlan.objects.filter(young_person_id__in=[p.young_person_id for p in plans]).order_by("pk"))
    goals = [
        Goal(plan=plan, text=text, set_by=rng.choice(Goal.SetBy.values), target_date=today + dt.timedelta(days=90))
        for plan in plans
        for text in rng.sample(GOALS, rng.randint(1, 2))
    ]
    Goal.objects.bulk_create(goals, batch_size=2000)
    agreements, meetings = [], []
    for plan in plans:
        for owner, text in rng.sample(AGREEMENTS, rng.randint(2, 3)):
            due = today + dt.timedelta(days=rng.randint(-20, 30))
            due = max(due, plan.created_on)
            done = due - dt.timedelta(days=rng.randint(0, 5)) if due < today and rng.random() < 0.6 else None
            agreements.append(
                Agreement(
                    plan=plan,
                    text=text,
                    owner=owner,
                    due_date=due,
                    done_on=max(done, plan.created_on) if done else None,
                )
            )
        day = plan.created_on + dt.timedelta(weeks=plan.meeting_interval_weeks)
        while day < today:
            meetings.append(PlanMeeting(plan=plan, date=day, parents_present=rng.random() < 0.6))
            day += dt.timedelta(weeks=plan.meeting_interval_weeks + rng.choice((0, 0, 1, 3)))
    Agreement.objects.bulk_create(agreements, batch_size=2000)
    PlanMeeting.objects.bulk_create(meetings, batch_size=2000)
    return {
        ActionPlan._meta.db_table: len(plans),
        Goal._meta.db_table: len(goals),
        Agreement._meta.db_table: len(agreements),
        PlanMeeting._meta.db_table: len(meetings),
    }

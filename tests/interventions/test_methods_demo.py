"""Demo mediation, parent councils and CTI on top of seed_demo: every stage
is there, the method's rules hold for the written rows, and it repeats."""

from __future__ import annotations

import datetime as dt
import hashlib
import random

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from cases.demo.seed import seed_demo
from cases.models import Enrolment, User
from interventions.housing_first.demo import seed_demo_housing_first
from interventions.mediation.demo import seed_demo_mediation
from interventions.mediation.selectors import Stage, stage_of
from interventions.models import (
    HousingGoal,
    MediationCase,
    MediationFollowUp,
    NetworkRelation,
    ParentCouncil,
    ParentCouncilMeeting,
)
from interventions.months import add_months
from interventions.parent_council.demo import seed_demo_parent_council
from interventions.parent_council.selectors import Phase, phase_of

TODAY = dt.date(2026, 6, 30)
SMALL = ["--young-people", "200", "--years", "2", "--today", TODAY.isoformat()]


def _seed() -> dict[str, int]:
    # seed_demo builds every method's records on top of the case data (cases/demo/seed.py).
    return seed_demo(young_people=200, years=2, today=TODAY).counts


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeded once for the module's read-only checks, removed afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        counts = _seed()
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def db_seeded(seeded, db):
    return seeded


def _cases() -> list[MediationCase]:
    return list(
        MediationCase.objects.prefetch_related("steps", "preparations", "parties", "follow_ups").select_related(
            "agreement"
        )
    )


def test_counts_are_returned_per_table(db_seeded):
    assert db_seeded["interventions_mediationcase"] == MediationCase.objects.count() > 10
    assert db_seeded["interventions_parentcouncil"] == ParentCouncil.objects.count() > 2
    assert db_seeded["interventions_networkrelation"] == NetworkRelation.objects.count() > 10


def test_mediation_has_every_type_at_every_stage(db_seeded):
    seen = set()
    for case in _cases():
        last = max((s.step for s in case.steps.all()), default=None)
        open_follow_ups = any(f.held_on is None for f in case.follow_ups.all())
        seen.add((case.case_type, stage_of(case, last_step=last, follow_ups_open=open_follow_ups)))
    for case_type in ("external", "school", "pupil", "victim_talk"):
        for stage in (Stage.PREPARATION, Stage.MEETING, Stage.FOLLOW_UP, Stage.CLOSED):
            assert (case_type, stage) in seen, (case_type, stage)
    assert ("external", Stage.AWAITING_CLEARANCE) in seen
    overdue = MediationFollowUp.objects.filter(held_on__isnull=True, due_on__lt=TODAY)
    due = MediationFollowUp.objects.filter(held_on__isnull=True, due_on__gte=TODAY)
    assert overdue.exists() and due.exists()


def test_mediation_rows_keep_the_methods_rules(db_seeded):
    for case in _cases():
        steps = sorted(case.steps.all(), key=lambda s: s.step)
        assert [s.step for s in steps] == list(range(1, len(steps) + 1)), case.pk
        assert [s.done_on for s in steps] == sorted(s.done_on for s in steps), case.pk
        preparations = [p.occurred_on for p in case.preparations.all()]
        if steps:
            assert preparations and max(preparations) <= steps[0].done_on, case.pk
            assert len(case.parties.all()) >= 2
        if case.case_type == "external" and (preparations or steps):
            assert case.police_clearance_on is not None and case.police_clearance_on <= min(preparations)
        agreement = getattr(case, "agreement", None)
        assert (agreement is not None and agreement.approved_on is not None) == (len(steps) == 6), case.pk
        if agreement:
            assert all(p.approved_agreement_on == agreement.approved_on for p in case.parties.all())
            for follow_up in case.follow_ups.all():
                assert follow_up.due_on == add_months(agreement.approved_on, follow_up.months)
                assert follow_up.held_on is None or agreement.approved_on <= follow_up.held_on <= TODAY
        assert (case.closed_on is None) == (case.outcome == "")
        dates = [case.referred_on, case.police_clearance_on, case.closed_on, *preparations, *(s.done_on for s in steps)]
        assert all(d is None or d <= TODAY for d in dates)
        assert case.closed_on is None or all(s.done_on <= case.closed_on for s in steps)


def test_parent_councils_are_in_every_phase_and_keep_the_order_of_phase_one(db_seeded):
    phases = set()
    for council in ParentCouncil.objects.prefetch_related("families", "meetings", "follow_ups"):
        meetings = sorted(council.meetings.all(), key=lambda m: m.held_on)
        phases.add(phase_of(council, has_meeting=bool(meetings)))
        families = list(council.families.all())
        assert len(families) >= 2
        visits = [f.home_visit_on for f in families if f.home_visit_on]
        if council.final_invitation_on:
            assert all(f.home_visit_on or f.declined_on for f in families), council.pk
            assert max(visits) <= council.final_invitation_on
            assert council.coordinator_agreed_on <= min(f.phone_call_on for f in families)
        if meetings:
            first = meetings[0]
            assert first.kind == ParentCouncilMeeting.Kind.COUNCIL and first.observations
            assert council.final_invitation_on <= first.held_on
            due = sorted((f.months, f.due_on) for f in council.follow_ups.all())
            assert due == [(3, add_months(first.held_on, 3)), (12, add_months(first.held_on, 12))]
        assert all(m.kind == ParentCouncilMeeting.Kind.FOLLOW_UP for m in meetings[1:])
        if len(meetings) > 1:
            assert council.plan_approved_on is not None
    assert phases == {Phase.PREPARATION, Phase.MEETING, Phase.FOLLOW_UP, Phase.CLOSED}
    unprepared = ParentCouncil.objects.filter(closed_on__isnull=True, final_invitation_on__isnull=True)
    assert unprepared.filter(coordinator_agreed_on__isnull=True).exists()
    assert unprepared.filter(coordinator_agreed_on__isnull=False).exists()


def test_every_cti_course_has_goals_and_a_network_map(db_seeded):
    courses = Enrolment.objects.filter(intervention_type__code="housing_first_cti", start_date__lte=TODAY)
    assert courses.exists()
    assert not courses.exclude(housing_goals__isnull=False).exists()
    people = set(courses.values_list("young_person_id", flat=True))
    mapped = set(NetworkRelation.objects.values_list("young_person_id", flat=True))
    assert people == mapped
    bridged = NetworkRelation.objects.filter(relation_type="civil_society", bridged_on__isnull=False)
    assert bridged.exists()
    assert not NetworkRelation.objects.filter(bridged_on__gt=TODAY).exists()
    assert not HousingGoal.objects.filter(met_on__gt=TODAY).exists()
    assert HousingGoal.objects.filter(met_on__isnull=False).exists()
    assert NetworkRelation.objects.filter(quality="conflict").exists()
    assert NetworkRelation.objects.filter(paid=True, name="CTI-kontaktperson").count() == len(people)


def test_the_demo_pages_open_for_sara(db_seeded):
    client = Client()
    client.force_login(User.objects.get(username="sara"))
    for name in ("mediation_list", "council_list", "housing_first_list"):
        assert client.get(reverse(f"interventions:{name}")).status_code == 200
    case = MediationCase.objects.filter(team__name="Team Nord").first()
    if case is not None:
        assert client.get(reverse("interventions:mediation_detail", args=[case.pk])).status_code == 200


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for rows in (
        MediationCase.objects.order_by("pk").values_list("case_type", "referred_on", "closed_on", "outcome"),
        MediationFollowUp.objects.order_by("pk").values_list("months", "due_on", "held_on", "relationship"),
        ParentCouncil.objects.order_by("pk").values_list("title", "final_invitation_on", "plan_approved_on"),
        NetworkRelation.objects.order_by("pk").values_list("young_person__external_id", "name", "quality", "since"),
        HousingGoal.objects.order_by("pk").values_list("enrolment__external_id", "text", "target_on", "met_on"),
    ):
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_the_same_database_and_rng_give_the_same_rows(db_seeded):
    first = _fingerprint()
    with transaction.atomic():
        for model in (MediationCase, ParentCouncil, NetworkRelation, HousingGoal):
            model.objects.all().delete()
        seed_demo_mediation(rng=random.Random(1), today=TODAY)
        seed_demo_parent_council(rng=random.Random(1), today=TODAY)
        seed_demo_housing_first(rng=random.Random(1), today=TODAY)
        again = _fingerprint()
        transaction.set_rollback(True)
    assert first == again

"""Demo mentoring and group work on top of seed_demo: complete, lawful, repeatable."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractHour, TruncDate
from django.test import Client
from django.urls import reverse

from cases.demo import DEMO_PASSWORD
from cases.models import Contact, Enrolment, User
from interventions.mentoring.screening import certificate_problem, latest
from interventions.models import (
    Bridging,
    FollowUpFlag,
    GroupActivity,
    GroupAttendance,
    Match,
    Mentor,
    MentorSession,
    ScreeningStep,
)

TODAY = dt.date(2026, 6, 30)
SMALL = ["--young-people", "120", "--years", "2", "--today", TODAY.isoformat()]


def _seed() -> None:
    # seed_demo builds every method's records on top of the case data (cases/demo/seed.py).
    call_command("seed_demo", *SMALL, stdout=StringIO())


@pytest.fixture
def seeded(db) -> None:
    _seed()


def test_every_mentoring_enrolment_has_a_match_and_every_kind_of_match_is_there(seeded):
    assert not Enrolment.objects.filter(intervention_type__code="mentoring", mentor_match__isnull=True).exists()
    statuses = {m.status for m in Match.objects.all()}
    assert statuses >= {"active", "ended", "declined"}
    assert Match.objects.filter(outcome="failed").exclude(failure_reason="").exists()
    for match in Match.objects.select_related("enrolment"):
        enrolment = match.enrolment
        assert match.meeting_date == enrolment.start_date
        if match.declined:
            assert enrolment.end_reason == "other_unplanned" and match.answered_on == enrolment.end_date
        elif match.end_date is not None:
            assert match.end_date == enrolment.end_date
        else:
            assert enrolment.end_date is None


def test_mentors_are_at_every_stage_and_were_fit_to_be_matched(seeded):
    assert set(Mentor.objects.values_list("status", flat=True)) == set(Mentor.Status.values)
    for match in Match.objects.select_related("mentor").prefetch_related("mentor__screening_steps"):
        mentor, day = match.mentor, match.meeting_date
        assert latest(mentor, ScreeningStep.Step.APPROVAL).date <= day, match
        assert [certificate_problem(mentor, c, day) for c in ScreeningStep.CERTIFICATES] == ["", ""], match
    certificates = ScreeningStep.objects.filter(step__in=ScreeningStep.CERTIFICATES, mentor__status="active")
    assert certificates.filter(expires_on__lt=TODAY).exists()
    assert certificates.filter(expires_on__gte=TODAY, expires_on__lte=TODAY + dt.timedelta(days=60)).exists()
    assert MentorSession.objects.filter(starts_at__date__gt=TODAY).exists()
    assert MentorSession.objects.filter(attendances__attended=True).exists()


def test_mette_logs_in_and_sees_her_mentee(seeded):
    mette = User.objects.get(username="mette")
    assert mette.role == User.Role.MENTOR
    client = Client()
    assert client.login(username="mette", password=DEMO_PASSWORD)
    match = Match.objects.get(mentor__user=mette, end_date__isnull=True)
    assert match.status == "active"
    assert Contact.objects.filter(worker=mette, enrolment=match.enrolment).exists()
    page = client.get(reverse("interventions:mentor_home"))
    assert page.status_code == 200
    assert match.enrolment.young_person.name.split()[0] in page.content.decode()


def test_group_activities_hold_the_contacts_they_were_made_of(seeded):
    assert GroupActivity.objects.count() > 10
    assert set(GroupActivity.objects.values_list("kind", flat=True)) >= {"drop_in", "leisure"}
    wrong = GroupAttendance.objects.exclude(contact__occurred_at=F("activity__starts_at"))
    assert not wrong.exists()
    assert not GroupAttendance.objects.exclude(contact__channel="group_activity").exists()
    assert not GroupAttendance.objects.exclude(enrolment__team=F("activity__team")).exists()
    girls = GroupAttendance.objects.filter(activity__kind="girls_group")
    assert not girls.exclude(enrolment__young_person__gender="female").exists()
    assert FollowUpFlag.objects.filter(taken_at__isnull=True).exists()
    assert FollowUpFlag.objects.filter(taken_at__isnull=False).exists()
    assert Bridging.objects.filter(kind="escort", contact__channel="escort").exists()
    assert Bridging.objects.filter(kind="partner_contact", contact__isnull=True).exists()


def test_contacts_still_keep_seed_demos_invariants(seeded):
    contacts = Contact.objects.annotate(day=TruncDate("occurred_at"))
    assert not contacts.filter(day__lt=F("enrolment__start_date")).exists()
    assert not contacts.filter(day__gt=F("enrolment__end_date")).exists()
    assert not contacts.filter(day__gte=TODAY).exists()
    assert not Contact.objects.annotate(hour=ExtractHour("occurred_at")).filter(hour__lt=7).exists()
    assert not Contact.objects.filter(Q(duration_minutes__lt=15) | Q(duration_minutes__gt=180)).exists()
    twins = (
        Enrolment.objects.filter(end_date__isnull=True)
        .values("young_person", "intervention_type")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not twins.exists()


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for rows in (
        Mentor.objects.order_by("pk").values_list("name", "status", "status_since", "area", "interests"),
        ScreeningStep.objects.order_by("pk").values_list("mentor__name", "step", "date", "expires_on"),
        Match.objects.order_by("pk").values_list(
            "enrolment__external_id", "mentor__name", "start_date", "end_date", "outcome", "failure_reason", "declined"
        ),
        GroupActivity.objects.order_by("pk").values_list("team__name", "kind", "title", "starts_at"),
        FollowUpFlag.objects.order_by("pk").values_list("enrolment__external_id", "raised_at", "taken_at"),
        sorted(
            Contact.objects.values_list("enrolment__external_id", "worker__username", "occurred_at", "duration_minutes")
        ),
    ):
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


def test_the_same_database_and_rng_give_the_same_rows(db):
    results = []
    for _ in range(2):
        with transaction.atomic():
            _seed()
            results.append(_fingerprint())
            transaction.set_rollback(True)
    assert results[0] == results[1]

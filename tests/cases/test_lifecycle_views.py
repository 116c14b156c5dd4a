"""The enrolment lifecycle, consent and the action plan through their pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog, ActionPlan, Agreement, Consent, Enrolment, Handover, Pause
from tests.conftest import login
from tests.factories import ContactFactory, intervention

pytestmark = pytest.mark.django_db


def _iso(day: dt.date) -> str:
    return day.isoformat()


def test_opening_mentoring_needs_consent_and_says_which(world):
    client = login(world.worker)
    url = reverse("cases:enrolment_open", args=[world.young_person.pk])
    data = {
        "intervention_type": intervention("mentoring").pk,
        "primary_worker": world.worker.pk,
        "start_date": _iso(timezone.localdate()),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Mentorordning" in str(response.context["form"].errors["intervention_type"]) or "Mentor" in str(
        response.context["form"].errors["intervention_type"]
    )
    client.post(
        reverse("cases:consent_record", args=[world.young_person.pk]),
        {"purpose": "mentor_match", "given_by": "young_person", "given_on": _iso(timezone.localdate())},
    )
    assert Consent.objects.filter(young_person=world.young_person, purpose="mentor_match").exists()
    response = client.post(url, data)
    assert response.status_code == 302
    assert Enrolment.objects.filter(young_person=world.young_person, intervention_type__code="mentoring").exists()


def test_primary_worker_choices_are_the_users_team(world):
    response = login(world.worker).get(reverse("cases:enrolment_open", args=[world.young_person.pk]))
    choices = set(response.context["form"].fields["primary_worker"].queryset)
    assert choices == {world.worker, world.colleague, world.leader}


def test_pause_and_resume(world):
    client = login(world.worker)
    today = timezone.localdate()
    client.post(
        reverse("cases:enrolment_pause", args=[world.enrolment.pk]),
        {"start_date": _iso(today - dt.timedelta(days=5)), "end_date": "", "reason": "Varetægt"},
    )
    pause = Pause.objects.get(enrolment=world.enrolment)
    assert pause.end_date is None
    page = client.get(reverse("cases:young_person_detail", args=[world.young_person.pk])).content.decode()
    assert reverse("cases:pause_resume", args=[pause.pk]) in page
    client.post(reverse("cases:pause_resume", args=[pause.pk]), {"end_date": _iso(today)})
    pause.refresh_from_db()
    assert pause.end_date == today


def test_overlapping_pause_is_refused_with_a_message(world):
    client = login(world.worker)
    start = world.enrolment.start_date
    url = reverse("cases:enrolment_pause", args=[world.enrolment.pk])
    client.post(
        url,
        {
            "start_date": _iso(start + dt.timedelta(days=3)),
            "end_date": _iso(start + dt.timedelta(days=9)),
            "reason": "Hospital",
        },
    )
    response = client.post(url, {"start_date": _iso(start + dt.timedelta(days=8)), "end_date": "", "reason": "Abroad"})
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"]
    assert Pause.objects.count() == 1


def test_hand_over_records_the_overlap(world):
    today = timezone.localdate()
    response = login(world.leader).post(
        reverse("cases:enrolment_hand_over", args=[world.enrolment.pk]),
        {
            "new_worker": world.colleague.pk,
            "on_date": _iso(today),
            "overlap_until": _iso(today + dt.timedelta(days=14)),
            "note": "",
        },
    )
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert (handover.from_worker, handover.to_worker, handover.recorded_by) == (
        world.worker,
        world.colleague,
        world.leader,
    )
    page = login(world.worker).get(reverse("cases:young_person_detail", args=[world.young_person.pk]))
    assert "Karim Colleague" in page.content.decode()


def test_close_needs_a_reason_and_reopen_needs_one_too(world):
    client = login(world.worker)
    close = reverse("cases:enrolment_close", args=[world.enrolment.pk])
    response = client.post(close, {"end_date": _iso(timezone.localdate()), "end_reason": ""})
    assert response.context["form"].errors["end_reason"]
    client.post(close, {"end_date": _iso(timezone.localdate()), "end_reason": "natural_phase_out"})
    world.enrolment.refresh_from_db()
    assert world.enrolment.end_reason == "natural_phase_out"
    reopen = reverse("cases:enrolment_reopen", args=[world.enrolment.pk])
    assert client.post(reopen, {"reason": ""}).context["form"].errors["reason"]
    client.post(reopen, {"reason": "Lukket ved en fejl"})
    world.enrolment.refresh_from_db()
    assert world.enrolment.end_date is None
    assert world.enrolment.corrections.get().reason == "Lukket ved en fejl"


def test_close_is_refused_while_contacts_lie_after_the_end(world):
    ContactFactory(enrolment=world.enrolment, occurred_at=timezone.now() - dt.timedelta(days=1))
    response = login(world.worker).post(
        reverse("cases:enrolment_close", args=[world.enrolment.pk]),
        {"end_date": _iso(timezone.localdate() - dt.timedelta(days=3)), "end_reason": "completed"},
    )
    assert response.context["form"].errors["end_date"]


def test_outsider_cannot_act_on_the_enrolment(world):
    client = login(world.outsider)
    for name in ("enrolment_pause", "enrolment_close", "enrolment_hand_over", "enrolment_reopen"):
        assert client.post(reverse(f"cases:{name}", args=[world.enrolment.pk]), {}).status_code == 404
    assert not world.enrolment.pauses.exists()


def test_plan_journey_and_follow_ups_on_the_workers_list(world):
    client = login(world.worker)
    today = timezone.localdate()
    client.post(
        reverse("cases:plan_create", args=[world.young_person.pk]),
        {
            "coordinator": world.worker.pk,
            "created_on": _iso(today - dt.timedelta(days=70)),
            "meeting_interval_weeks": 8,
            "made_with_young_person": "on",
        },
    )
    plan = ActionPlan.objects.get()
    client.post(reverse("cases:goal_add", args=[plan.pk]), {"text": "Gå i skole", "set_by": "young_person"})
    client.post(
        reverse("cases:agreement_add", args=[plan.pk]),
        {
            "text": "Ringe til UU",
            "owner": "young_person",
            "due_date": _iso(today - dt.timedelta(days=1)),
            "goal": plan.goals.get().pk,
        },
    )
    agreement = Agreement.objects.get()

    page = client.get(reverse("cases:plan", args=[world.young_person.pk]))
    assert page.status_code == 200 and "Ringe til UU" in page.content.decode()
    assert AccessLog.objects.filter(action="read", object_type="actionplan").exists()

    listing = client.get(reverse("cases:my_young_people"))
    followups = listing.context["followups"]
    assert [(f.text, f.is_meeting) for f in followups] == [("", True), ("Ringe til UU", False)]  # meeting due first
    assert all(f.is_overdue_on(today) for f in followups)

    client.post(reverse("cases:agreement_done", args=[agreement.pk]), {"on": _iso(today)})
    client.post(
        reverse("cases:plan_meeting_add", args=[plan.pk]),
        {"date": _iso(today), "young_person_present": "on", "workers": [world.worker.pk]},
    )
    assert client.get(reverse("cases:my_young_people")).context["followups"] == []

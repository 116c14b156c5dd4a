"""The enrolment lifecycle and the action plan over the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import ActionPlan, Enrolment
from tests.cases.test_api import api
from tests.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


def _open(world, person, intervention="relationship_work", worker=None):
    return api(world.worker).post(
        "/api/v1/enrolments/",
        {
            "young_person": person.pk,
            "intervention": intervention,
            "primary_worker": (worker or world.worker).pk,
            "start_date": str(timezone.localdate()),
        },
        format="json",
    )


def test_open_an_enrolment(world):
    # A young person the worker can see: a colleague's, in her team.
    response = _open(world, world.colleagues_young_person, intervention="mediation")
    assert response.status_code == 201, response.json()
    assert response.json()["intervention"] == "mediation"
    duplicate = _open(world, world.colleagues_young_person, intervention="mediation")
    assert duplicate.status_code == 400 and "intervention_type" in duplicate.json()


def test_open_refuses_without_the_consent_it_needs(world):
    response = _open(world, world.colleagues_young_person, intervention="mentoring")
    assert response.status_code == 400
    assert "intervention_type" in response.json()


def test_open_refuses_people_and_workers_outside_the_scope(world):
    response = _open(world, world.outsiders_young_person)
    assert response.status_code == 400 and "young_person" in response.json()
    response = _open(world, world.colleagues_young_person, worker=world.outsider)
    assert response.status_code == 400 and "primary_worker" in response.json()
    invisible = YoungPersonFactory()  # no enrolment anywhere: not in anyone's scope
    assert _open(world, invisible).status_code == 400
    assert not Enrolment.objects.filter(young_person=invisible).exists()


def test_pause_resume_hand_over_close_reopen(world):
    client = api(world.worker)
    base = f"/api/v1/enrolments/{world.enrolment.pk}"
    today = timezone.localdate()
    assert (
        client.post(
            f"{base}/pause/", {"start_date": str(today - dt.timedelta(days=4)), "reason": "Hospital"}, format="json"
        ).status_code
        == 200
    )
    assert client.post(f"{base}/resume/", {"end_date": str(today)}, format="json").status_code == 200
    assert world.enrolment.pauses.get().end_date == today
    assert client.post(f"{base}/resume/", {"end_date": str(today)}, format="json").status_code == 400

    response = client.post(
        f"{base}/hand-over/",
        {"new_worker": world.colleague.pk, "on_date": str(today), "overlap_until": str(today + dt.timedelta(days=7))},
        format="json",
    )
    assert response.status_code == 200 and response.json()["primary_worker"] == world.colleague.pk

    response = client.post(f"{base}/close/", {"end_date": str(today), "end_reason": "moved_away"}, format="json")
    assert response.json()["end_reason_class"] == "neutral"
    assert client.post(f"{base}/reopen/", {"reason": ""}, format="json").status_code == 400
    response = client.post(f"{base}/reopen/", {"reason": "Wrong person"}, format="json")
    assert response.status_code == 200 and response.json()["end_date"] is None


def test_lifecycle_actions_on_another_teams_enrolment_are_404(world):
    outsiders = world.outsiders_young_person.enrolments.get()
    response = api(world.worker).post(
        f"/api/v1/enrolments/{outsiders.pk}/close/",
        {"end_date": "2026-01-01", "end_reason": "completed"},
        format="json",
    )
    assert response.status_code == 404
    outsiders.refresh_from_db()
    assert outsiders.end_date is None


def test_plan_over_the_api(world):
    client = api(world.worker)
    response = client.post(
        "/api/v1/plans/",
        {
            "young_person": world.young_person.pk,
            "coordinator": world.worker.pk,
            "created_on": "2026-09-01",
            "meeting_interval_weeks": 6,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    plan_id = response.json()["id"]
    goal = client.post(f"/api/v1/plans/{plan_id}/goals/", {"text": "Job", "set_by": "young_person"}, format="json")
    assert goal.status_code == 201
    agreement = client.post(
        f"/api/v1/plans/{plan_id}/agreements/",
        {"text": "CV", "owner": "young_person", "due_date": "2026-09-20", "goal": goal.json()["id"]},
        format="json",
    )
    assert agreement.status_code == 201
    assert (
        client.post(
            f"/api/v1/plans/{plan_id}/agreements/",
            {"text": "x", "owner": "nobody", "due_date": "2026-09-20"},
            format="json",
        ).status_code
        == 400
    )
    done = client.post(f"/api/v1/agreements/{agreement.json()['id']}/done/", {"done_on": "2026-09-19"}, format="json")
    assert done.json()["done_on"] == "2026-09-19"
    meeting = client.post(
        f"/api/v1/plans/{plan_id}/meetings/", {"date": "2026-10-10", "workers": [world.worker.pk]}, format="json"
    )
    assert meeting.status_code == 201
    plan = client.get(f"/api/v1/plans/{plan_id}/").json()
    assert [len(plan["goals"]), len(plan["agreements"]), len(plan["meetings"])] == [1, 1, 1]
    assert ActionPlan.objects.get().meeting_interval_weeks == 6
    assert api(world.outsider).get(f"/api/v1/plans/{plan_id}/").status_code == 404

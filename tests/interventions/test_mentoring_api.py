"""The API for mentor matches, group activities with attendance, and follow-up flags."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AccessLog, Contact, User
from interventions.models import FollowUpFlag, GroupActivity
from tests.conftest import login as login_as
from tests.interventions.factories_mentoring import (
    MentorFactory,
    activity,
    approved_mentor,
    consent_to_match,
    proposed_match,
    running_match,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def login(user: User | None):
    """A client that asks for English pages, so the assertions read as the msgids."""
    client = login_as(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_a_match_meeting_through_the_api(world):
    consent_to_match(world.young_person, world.worker)
    mentor = approved_mentor(world.team)
    client = login(world.worker)
    body = {
        "young_person": world.young_person.pk,
        "mentor": mentor.pk,
        "meeting_date": timezone.localdate().isoformat(),
        "meeting_participants": "Sara; caseworker",
    }
    response = client.post(reverse("mentor-match-list"), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["young_person"], data["mentor"], data["status"]) == (world.young_person.pk, mentor.pk, "proposed")
    started = client.post(
        reverse("mentor-match-start", args=[data["id"]]),
        {"start_date": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert started.json()["status"] == "active"


def test_an_unapproved_mentor_is_a_400_with_the_reason(world):
    consent_to_match(world.young_person, world.worker)
    mentor = MentorFactory(team=world.team, name="Ulla Ny")
    response = login(world.worker).post(
        reverse("mentor-match-list"),
        {
            "young_person": world.young_person.pk,
            "mentor": mentor.pk,
            "meeting_date": timezone.localdate().isoformat(),
            "meeting_participants": "Sara",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "mentor": [
            "Ulla Ny is not approved yet; finish the screening first.",
            "Ulla Ny has no criminal-record certificate.",
            "Ulla Ny has no child-protection certificate.",
        ]
    }


def test_another_teams_mentor_or_young_person_does_not_exist(world):
    consent_to_match(world.outsiders_young_person, world.outsider)
    response = login(world.worker).post(
        reverse("mentor-match-list"),
        {
            "young_person": world.outsiders_young_person.pk,
            "mentor": approved_mentor(world.other_team).pk,
            "meeting_date": timezone.localdate().isoformat(),
            "meeting_participants": "Sara",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"young_person", "mentor"}


def test_declining_and_ending_through_the_api(world):
    proposal = proposed_match(world.worker)
    client = login(world.worker)
    declined = client.post(
        reverse("mentor-match-decline", args=[proposal.pk]),
        {"answered_on": timezone.localdate().isoformat(), "reason": "No"},
        content_type="application/json",
    )
    assert declined.json()["status"] == "declined"
    running = running_match(world.worker)
    ended = client.post(
        reverse("mentor-match-end", args=[running.pk]),
        {"end_date": timezone.localdate().isoformat(), "outcome": "failed"},
        content_type="application/json",
    )
    assert ended.status_code == 400 and "failure_reason" in ended.json()


def test_matches_are_listed_in_scope_and_logged(world):
    mine = running_match(world.worker, young_person=world.young_person)
    running_match(world.outsider)
    data = login(world.worker).get(reverse("mentor-match-list")).json()
    assert [row["id"] for row in data["results"]] == [mine.pk]
    assert AccessLog.objects.filter(user=world.worker, young_person=world.young_person, action="list").exists()
    assert login(world.outsider).get(reverse("mentor-match-detail", args=[mine.pk])).status_code == 404


def test_an_activity_and_its_attendance_through_the_api(world):
    client = login(world.worker)
    starts = timezone.now() - dt.timedelta(hours=4)
    created = client.post(
        reverse("group-activity-list"),
        {
            "kind": "leisure",
            "title": "Football",
            "starts_at": starts.isoformat(),
            "duration_minutes": 90,
            "workers": [world.worker.pk, world.colleague.pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    url = reverse("group-activity-attendance", args=[pk])
    rows = client.put(url, {"present": [world.enrolment.pk]}, content_type="application/json").json()
    assert [(r["enrolment"], r["present"]) for r in rows] == [(world.enrolment.pk, True)]
    assert Contact.objects.get(pk=rows[0]["contact"]).channel == "group_activity"
    again = client.put(url, {"present": [world.enrolment.pk]}, content_type="application/json").json()
    assert again == rows
    emptied = client.put(url, {"present": []}, content_type="application/json").json()
    assert emptied[0]["present"] is False
    assert Contact.objects.get().status == "cancelled"
    assert GroupActivity.objects.get().workers.count() == 2


def test_attendance_of_another_teams_young_person_is_a_400(world):
    item = activity(world.team, [world.worker])
    other = world.outsiders_young_person.enrolments.get()
    response = login(world.worker).put(
        reverse("group-activity-attendance", args=[item.pk]), {"present": [other.pk]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Contact.objects.exists()


def test_another_teams_activity_is_404_and_analysts_403(world):
    item = activity(world.team, [world.worker])
    assert login(world.outsider).get(reverse("group-activity-detail", args=[item.pk])).status_code == 404
    assert login(world.analyst).get(reverse("group-activity-list")).status_code == 403


def test_flags_through_the_api(world):
    client = login(world.worker)
    created = client.post(
        reverse("follow-up-flag-list"),
        {"enrolment": world.enrolment.pk, "reason": "Talks about dropping out"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    leader = login(world.leader)
    waiting = leader.get(reverse("follow-up-flag-list") + "?open=true").json()["results"]
    assert [f["young_person"] for f in waiting] == [world.young_person.pk]
    taken = leader.post(reverse("follow-up-flag-take", args=[waiting[0]["id"]]), {}, content_type="application/json")
    assert taken.json()["taken_by"] == world.leader.pk
    assert leader.get(reverse("follow-up-flag-list") + "?open=true").json()["results"] == []
    assert FollowUpFlag.objects.get().taken_at is not None

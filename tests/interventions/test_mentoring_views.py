"""Mentoring and group-work pages: scoping per role, the mentor's own page,
the access log, and the main forms end to end (without a browser)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases.models import AccessLog, Contact, User
from interventions.mentoring import selectors
from interventions.models import FollowUpFlag, GroupActivity, Match, Mentor
from tests.conftest import login as login_as
from tests.factories import EnrolmentFactory, UserFactory
from tests.interventions.factories_mentoring import (
    MentorFactory,
    activity,
    approved_mentor,
    consent_to_match,
    mentor_user,
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


@pytest.fixture
def mette_match(world) -> Match:
    """Mikkel, on Sara's caseload, matched with Mette, who has an account."""
    match = running_match(world.worker, young_person=world.young_person)
    mentor_user(match.mentor)
    return match


# --- Scoping ------------------------------------------------------------------------------------


def test_mentors_are_seen_by_their_coordinating_team_only(world):
    ours = approved_mentor(world.team)
    approved_mentor(world.other_team)
    assert list(selectors.mentors_for(world.worker)) == [ours]
    assert list(selectors.mentors_for(world.leader)) == [ours]
    mette = mentor_user(MentorFactory(team=world.team))
    for user in (world.analyst, world.admin, mette):
        assert not selectors.mentors_for(user).exists()
    assert login(world.outsider).get(reverse("interventions:mentor_detail", args=[ours.pk])).status_code == 404


def test_matches_follow_their_enrolment(world, mette_match):
    assert list(selectors.matches_for(world.worker)) == [mette_match]
    assert list(selectors.matches_for(world.leader)) == [mette_match]
    assert not selectors.matches_for(world.outsider).exists()
    assert not selectors.matches_for(world.analyst).exists()
    assert not selectors.matches_for(mette_match.mentor.user).exists()  # mentors use their own page


def test_a_mentor_sees_her_running_match_only(world, mette_match):
    mette = mette_match.mentor.user
    assert list(selectors.mentee_matches_for(mette)) == [mette_match]
    assert not selectors.mentee_matches_for(world.worker).exists()
    Match.objects.filter(pk=mette_match.pk).update(end_date=timezone.localdate(), outcome="completed")
    assert not selectors.mentee_matches_for(mette).exists()


def test_a_mentor_is_refused_every_case_page(world, mette_match):
    client = login(mette_match.mentor.user)
    assert client.get(reverse("cases:young_person_detail", args=[world.young_person.pk])).status_code == 403
    assert client.get(reverse("interventions:mentor_list")).status_code == 403
    assert client.get(reverse("interventions:match_detail", args=[mette_match.pk])).status_code == 403
    assert client.get(reverse("mentor-match-list")).status_code == 403
    assert client.get(reverse("contact-list")).status_code == 403


# --- The mentor's own page ----------------------------------------------------------------------------


def test_the_mentors_page_shows_her_mentees_first_name_and_her_own_meetings(world, mette_match):
    mette = mette_match.mentor.user
    Contact.objects.create(
        enrolment=mette_match.enrolment,
        worker=world.worker,
        occurred_at=timezone.now() - dt.timedelta(days=2),
        duration_minutes=45,
        note="Sara's own note",
    )
    page = login(mette).get(reverse("interventions:mentor_home"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Mikkel" in text and "Mikkel Ung" not in text
    assert "Sara's own note" not in text
    assert AccessLog.objects.filter(user=mette, young_person=world.young_person, action="read").exists()


def test_the_mentor_logs_a_meeting_from_her_page(world, mette_match):
    mette = mette_match.mentor.user
    prefix = f"m{mette_match.pk}"
    when = timezone.localtime() - dt.timedelta(hours=3)
    response = login(mette).post(
        reverse("interventions:mentor_meeting_log", args=[mette_match.pk]),
        {
            f"{prefix}-occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            f"{prefix}-duration_minutes": "120",
            f"{prefix}-channel": "in_person",
            f"{prefix}-status": "held",
            f"{prefix}-note": "Cinema",
        },
    )
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.worker, contact.enrolment, contact.note) == (mette, mette_match.enrolment, "Cinema")
    assert contact.mentor_contact.match == mette_match


def test_a_mentor_cannot_reach_another_match(world, mette_match):
    other = running_match(world.worker)
    response = login(mette_match.mentor.user).post(reverse("interventions:mentor_meeting_log", args=[other.pk]), {})
    assert response.status_code == 404


# --- Coordinator pages ---------------------------------------------------------------------------------


def test_registering_a_mentor_and_recording_the_interview(world):
    client = login(world.worker)
    response = client.post(
        reverse("interventions:mentor_create"),
        {
            "kind": "person",
            "name": "Jens Frivillig",
            "gender": "male",
            "birth_year": "1979",
            "interests": "fishing",
            "capacity": "1",
            "first_contact_on": (timezone.localdate() - dt.timedelta(days=10)).isoformat(),
        },
    )
    mentor = Mentor.objects.get(name="Jens Frivillig")
    assert response.status_code == 302 and mentor.team == world.team
    page = client.post(
        reverse("interventions:screening_step_create", args=[mentor.pk]),
        {"step": "home_visit", "date": timezone.localdate().isoformat()},
    )
    assert page.status_code == 200
    assert "Record “Interview” first" in page.content.decode()
    client.post(
        reverse("interventions:screening_step_create", args=[mentor.pk]),
        {"step": "interview", "date": timezone.localdate().isoformat()},
    )
    assert mentor.screening_steps.filter(step="interview").exists()


def test_choosing_a_mentor_shows_both_sides_and_records_the_meeting(world):
    consent_to_match(world.young_person, world.worker)
    mentor = approved_mentor(world.team, name="Hanne Mentor", area="Hedeparken")
    approved_mentor(world.team, name="Ikke Klar", status=Mentor.Status.SCREENING)
    client = login(world.worker)
    url = reverse("interventions:match_new", args=[world.young_person.pk])
    page = client.get(url).content.decode()
    assert "Hanne Mentor" in page and "Ikke Klar" in page and "cannot be chosen now" in page
    assert AccessLog.objects.filter(user=world.worker, young_person=world.young_person, action="read").exists()
    response = client.post(
        url,
        {
            "mentor": mentor.pk,
            "meeting_date": timezone.localdate().isoformat(),
            "meeting_participants": "Sara (coordinator)\nKarin (caseworker)",
        },
    )
    match = Match.objects.get()
    assert response.status_code == 302 and response.url == reverse("interventions:match_detail", args=[match.pk])
    assert match.mentor == mentor and match.status == "proposed"


def test_an_unapproved_mentor_posted_anyway_gets_a_clear_message(world):
    consent_to_match(world.young_person, world.worker)
    screening = MentorFactory(team=world.team, name="Ulla Ny")
    page = login(world.worker).post(
        reverse("interventions:match_new", args=[world.young_person.pk]),
        {"mentor": screening.pk, "meeting_date": timezone.localdate().isoformat(), "meeting_participants": "Sara"},
    )
    assert page.status_code == 200
    assert "Ulla Ny is not approved yet" in page.content.decode()
    assert not Match.objects.exists()


def test_the_enrolment_link_leads_to_the_match(world, mette_match):
    client = login(world.worker)
    response = client.get(reverse("interventions:enrolment_match", args=[mette_match.enrolment.pk]))
    assert response.url == reverse("interventions:match_detail", args=[mette_match.pk])
    page = client.get(reverse("cases:young_person_detail", args=[world.young_person.pk])).content.decode()
    assert mette_match.mentor.name in page


def test_ending_a_failed_match_from_its_page(world, mette_match):
    page = login(world.worker).post(
        reverse("interventions:match_end", args=[mette_match.pk]),
        {"end_date": timezone.localdate().isoformat(), "outcome": "failed", "failure_reason": ""},
    )
    assert "A failed match needs a reason." in page.content.decode()
    login(world.worker).post(
        reverse("interventions:match_end", args=[mette_match.pk]),
        {"end_date": timezone.localdate().isoformat(), "outcome": "failed", "failure_reason": "chemistry"},
    )
    mette_match.refresh_from_db()
    assert (mette_match.outcome, mette_match.failure_reason) == ("failed", "chemistry")


# --- Group work pages ------------------------------------------------------------------------------------


def test_registering_an_activity_with_who_came(world):
    client = login(world.worker)
    form = client.get(reverse("interventions:activity_create")).content.decode()
    assert "Mikkel Ung" in form and "Jonas Fremmed" not in form
    when = timezone.localtime() - dt.timedelta(hours=2)
    response = client.post(
        reverse("interventions:activity_create"),
        {
            "kind": "girls_group",
            "title": "Girls' group",
            "starts_at": when.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "120",
            "workers": [world.worker.pk],
            "present": [world.enrolment.pk],
            "unregistered_count": "3",
        },
    )
    item = GroupActivity.objects.get()
    assert response.status_code == 302
    assert (item.kind, item.unregistered_count) == ("girls_group", 3)
    assert Contact.objects.get().channel == "group_activity"


def test_ticking_someone_not_enrolled_is_refused_with_her_name(world):
    item = activity(world.team, [world.worker])
    other_teams = world.outsiders_young_person.enrolments.get()
    page = login(world.worker).post(
        reverse("interventions:attendance_save", args=[item.pk]), {"present": [other_teams.pk]}
    )
    assert page.status_code == 200  # not one of the team's: the form refuses the choice
    assert not Contact.objects.exists()


def test_the_leader_sees_the_flag_and_takes_it(world):
    flag = FollowUpFlag.objects.create(enrolment=world.enrolment, raised_by=world.worker, reason="Lost his job")
    client = login(world.leader)
    page = client.get(reverse("interventions:flag_list")).content.decode()
    assert "Lost his job" in page and "Mikkel Ung" in page
    client.post(reverse("interventions:flag_take", args=[flag.pk]), {"note": "Calls him"})
    flag.refresh_from_db()
    assert flag.taken_by == world.leader
    assert login(world.outsider).post(reverse("interventions:flag_take", args=[flag.pk])).status_code == 404


def test_analysts_and_mentors_get_no_group_work(world):
    item = activity(world.team, [world.worker])
    mentor_account = UserFactory(role=User.Role.MENTOR, team=None)
    for user in (world.analyst, mentor_account):
        assert login(user).get(reverse("interventions:activity_detail", args=[item.pk])).status_code == 403


# --- Query counts ----------------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "name",
    ["interventions:mentor_list", "interventions:match_list", "interventions:activity_list", "interventions:flag_list"],
)
def test_list_pages_do_not_grow_with_their_rows(world, name):
    client = login(world.worker)
    url = reverse(name)

    def grow() -> None:
        running_match(world.worker)
        activity(world.team, [world.worker, world.colleague])
        FollowUpFlag.objects.create(
            enrolment=EnrolmentFactory(primary_worker=world.colleague), raised_by=world.worker, reason="Worried"
        )

    grow()
    small = _queries(client, url)
    for _ in range(6):
        grow()
    assert _queries(client, url) == small

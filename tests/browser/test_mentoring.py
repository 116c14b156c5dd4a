"""Mentoring in the browser: the coordinator screens a new mentor, chooses a
mentor for a young person with the criteria side by side, records the match
meeting and the young person's yes; the mentor logs her meeting on her phone."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Contact
from interventions.models import Match, Mentor
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD
from tests.interventions.factories_mentoring import approved_mentor, consent_to_match, mentor_user, running_match

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_registers_a_mentor_and_records_the_interview(world, live_server, desktop: Page):
    log_in(desktop, live_server.url, world.worker.username, PASSWORD)
    desktop.get_by_role("link", name="Mentorer").click()
    expect(desktop.get_by_role("heading", name="Mentorer", exact=True)).to_be_visible()
    assert_accessible(desktop)

    desktop.get_by_role("link", name="Ny mentor").click()
    expect(desktop.get_by_role("heading", name="Ny mentor")).to_be_visible()
    assert_accessible(desktop)
    desktop.get_by_label("Mentorfamilie").check()
    desktop.get_by_label("Navn").fill("Familien Holm")
    desktop.get_by_label("Område").fill("Hedeparken")
    desktop.get_by_label("Interesser").fill("madlavning, natur")
    desktop.get_by_role("button", name="Gem").click()

    expect(desktop.get_by_role("heading", name="Familien Holm")).to_be_visible()
    expect(desktop.get_by_text("Mentoren er registreret.")).to_be_visible()
    assert_accessible(desktop)
    # The next step is offered; a home visit before the interview is refused with the reason.
    expect(desktop.get_by_label("Trin")).to_have_value("interview")
    desktop.get_by_label("Trin").select_option("home_visit")
    desktop.get_by_role("button", name="Registrér trin").click()
    expect(desktop.get_by_text("Registrér “Samtale” først")).to_be_visible()
    assert_accessible(desktop)
    desktop.get_by_label("Trin").select_option("interview")
    desktop.get_by_role("button", name="Registrér trin").click()
    expect(desktop.get_by_text("“Samtale” er registreret.")).to_be_visible()
    mentor = Mentor.objects.get(name="Familien Holm")
    assert (mentor.kind, mentor.status, mentor.team) == ("family", "screening", world.team)
    assert set(mentor.screening_steps.values_list("step", flat=True)) == {"first_contact", "interview"}


def test_coordinator_matches_a_young_person_with_a_mentor(world, live_server, desktop: Page):
    consent_to_match(world.young_person, world.worker)
    approved_mentor(world.team, name="Hanne Mentor", area="Hedeparken", interests="fodbold")
    approved_mentor(world.team, name="Ulla Udløbet").screening_steps.filter(step="child_protection").update(
        expires_on=timezone.localdate() - dt.timedelta(days=2)
    )
    log_in(desktop, live_server.url, world.worker.username, PASSWORD)
    desktop.goto(f"{live_server.url}/young-people/{world.young_person.pk}/")
    desktop.get_by_role("link", name="Find en mentor").click()

    expect(desktop.get_by_role("heading", name="En mentor til Mikkel Ung")).to_be_visible()
    expect(desktop.get_by_role("table", name="Hanne Mentor ved siden af den unge")).to_be_visible()
    desktop.get_by_text("1 mentor kan ikke vælges lige nu").click()
    expect(desktop.get_by_text("Ulla Udløbets børneattest udløb")).to_be_visible()
    assert_accessible(desktop)

    desktop.get_by_label("Hanne Mentor").check()
    desktop.get_by_label("Deltagere").fill("Sara (koordinator)\nKarin (sagsbehandler)")
    desktop.get_by_role("button", name="Registrér matchmødet").click()
    expect(desktop.get_by_role("heading", name="Mikkel Ung og Hanne Mentor")).to_be_visible()
    expect(desktop.get_by_text("Venter på den unges svar")).to_be_visible()
    assert_accessible(desktop)

    desktop.get_by_role("button", name="Start matchet").click()
    expect(desktop.get_by_text("Matchet er startet.")).to_be_visible()
    desktop.get_by_label("Minutter").fill("120")
    desktop.get_by_role("button", name="Gem møde").click()
    expect(desktop.get_by_text("Mentorens møde er registreret.")).to_be_visible()
    expect(desktop.get_by_role("list", name="Mentormøder, nyeste først")).to_contain_text("registreret af Sara Worker")
    assert_accessible(desktop)

    match = Match.objects.get()
    assert (match.status, match.enrolment.intervention_type.code) == ("active", "mentoring")
    assert Contact.objects.get().mentor_contact.match == match


def test_the_mentor_logs_her_meeting_on_her_phone(world, live_server, phone: Page):
    match = running_match(world.worker, young_person=world.young_person)
    mette = mentor_user(match.mentor)
    log_in(phone, live_server.url, mette.username, PASSWORD)
    phone.get_by_role("button", name="Vis menu").tap()
    phone.get_by_role("link", name="Min mentee").tap()
    expect(phone.get_by_role("heading", name="Mikkel", exact=True)).to_be_visible()
    assert "Mikkel Ung" not in phone.content()
    assert_accessible(phone)

    phone.get_by_label("Note").fill("Biograf og burger")
    phone.get_by_role("button", name="Gem møde").tap()
    expect(phone.get_by_text("Mødet er registreret.")).to_be_visible()
    expect(phone.get_by_role("list", name="Mine møder, nyeste først")).to_contain_text("Biograf og burger")
    assert_accessible(phone)
    contact = Contact.objects.get()
    assert (contact.worker, contact.enrolment) == (mette, match.enrolment)

    response = phone.goto(f"{live_server.url}/young-people/{world.young_person.pk}/")
    assert response.status == 403
    assert re.search("Mikkel Ung", phone.content()) is None


def test_the_other_mentoring_pages_pass_axe(world, live_server, desktop: Page):
    from interventions.models import MentorSession

    match = running_match(world.worker, young_person=world.young_person)
    session = MentorSession.objects.create(
        team=world.team, kind="supervision", starts_at=timezone.now() - dt.timedelta(days=1), led_by="Psykolog"
    )
    session.attendances.create(mentor=match.mentor)
    log_in(desktop, live_server.url, world.worker.username, PASSWORD)
    for path in (
        "/mentoring/matches/",
        f"/mentoring/mentors/{match.mentor.pk}/",
        f"/mentoring/mentors/{match.mentor.pk}/edit/",
        "/mentoring/sessions/",
        "/mentoring/sessions/new/",
        f"/mentoring/sessions/{session.pk}/",
    ):
        response = desktop.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        assert_accessible(desktop)
    desktop.get_by_label(match.mentor.name).check()
    desktop.get_by_role("button", name="Gem fremmøde").click()
    expect(desktop.get_by_text("Fremmødet er gemt.")).to_be_visible()
    assert session.attendances.get().attended is True

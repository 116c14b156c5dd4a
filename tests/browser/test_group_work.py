"""Group work in the browser: after a club evening a worker registers it on
her phone and ticks who came, flags a young person for individual follow-up,
and the team leader takes the flag from the team's list."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from cases.models import Contact
from interventions.models import FollowUpFlag, GroupActivity
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_registers_a_club_evening_and_flags_a_young_person(world, live_server, phone: Page):
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    phone.get_by_role("button", name="Vis menu").tap()
    phone.get_by_role("link", name="Gruppeaktiviteter").tap()
    expect(phone.get_by_role("heading", name="Gruppeaktiviteter")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name="Registrér en aktivitet").tap()
    expect(phone.get_by_role("heading", name="Registrér en aktivitet")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Titel").fill("Klubaften")
    phone.get_by_label("Karim Colleague").check()
    phone.get_by_label("Mikkel Ung").check()
    phone.get_by_label("Freja Kollega").check()
    phone.get_by_label("Andre der kom").fill("4")
    phone.get_by_role("button", name="Gem").tap()

    expect(phone.get_by_text("Aktiviteten er registreret med 2 til stede.")).to_be_visible()
    expect(phone.get_by_role("heading", name="Klubaften")).to_be_visible()
    assert_accessible(phone)
    assert set(Contact.objects.values_list("channel", flat=True)) == {"group_activity"}
    assert Contact.objects.count() == 2

    # Un-tick Freja: her contact is kept but cancelled.
    phone.get_by_label("Freja Kollega").uncheck()
    phone.get_by_role("button", name="Gem fremmøde").tap()
    expect(phone.get_by_text("1 fjernet")).to_be_visible()
    assert Contact.objects.get(enrolment__young_person__name="Freja Kollega").status == "cancelled"

    phone.get_by_role("link", name=re.compile("Markér til opfølgning.*Mikkel Ung")).tap()
    expect(phone.get_by_role("heading", name="Markér Mikkel Ung til individuel opfølgning")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Hvorfor har den unge brug for individuel opfølgning?").fill("Fortalte om gæld.")
    phone.get_by_role("button", name="Markér", exact=True).tap()
    expect(phone.get_by_text("Markeret til individuel opfølgning")).to_be_visible()
    expect(phone.get_by_text("Markeret", exact=True)).to_be_visible()
    assert_accessible(phone)
    flag = FollowUpFlag.objects.get()
    assert (flag.raised_by, flag.activity) == (world.worker, GroupActivity.objects.get())


def test_the_team_leader_takes_the_flag(world, live_server, desktop: Page):
    FollowUpFlag.objects.create(enrolment=world.enrolment, raised_by=world.worker, reason="Fortalte om gæld.")
    log_in(desktop, live_server.url, world.leader.username, PASSWORD)
    desktop.get_by_role("link", name="Gruppeaktiviteter").click()
    desktop.get_by_role("link", name="1 ung venter på individuel opfølgning").click()
    expect(desktop.get_by_role("heading", name="Individuel opfølgning", exact=True)).to_be_visible()
    expect(desktop.get_by_text("Fortalte om gæld.")).to_be_visible()
    assert_accessible(desktop)

    desktop.get_by_label("Note").fill("Ringer i morgen")
    desktop.get_by_role("button", name=re.compile("Jeg tager den.*Mikkel Ung")).click()
    expect(desktop.get_by_text("Du har taget opfølgningen på Mikkel Ung.")).to_be_visible()
    expect(desktop.get_by_text("Ingen venter på opfølgning.")).to_be_visible()
    expect(desktop.get_by_text("taget af Lene Leader")).to_be_visible()
    assert_accessible(desktop)
    assert FollowUpFlag.objects.get().taken_by == world.leader


def test_worker_records_an_escort_to_the_job_centre(world, live_server, desktop: Page):
    log_in(desktop, live_server.url, world.worker.username, PASSWORD)
    desktop.goto(f"{live_server.url}/young-people/{world.young_person.pk}/")
    desktop.get_by_role("link", name="Ledsagelser og kontakter til tilbud").click()
    expect(desktop.get_by_role("heading", name="Brobygning til andre tilbud")).to_be_visible()
    assert_accessible(desktop)
    desktop.get_by_role("combobox", name="Tilbud").select_option("job_centre")
    desktop.get_by_label("Note").fill("Første samtale")
    desktop.get_by_role("button", name="Gem").click()
    expect(desktop.get_by_text("Brobygningen er registreret.")).to_be_visible()
    expect(desktop.get_by_role("region", name="Registreret")).to_contain_text("Jobcenter")
    assert_accessible(desktop)
    assert Contact.objects.get().channel == "escort"

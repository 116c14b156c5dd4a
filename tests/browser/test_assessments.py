"""A worker on her phone records a WHO-5 with the young person: from the young
person's page to the instrument, a forgotten answer pointed out beside its
question, the assessment saved, its score in the chart's table and the chart
drawn; then one assessment's answers, and an education status change."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from outcomes.instruments.definitions import SHIPPED, install
from outcomes.models import Assessment, Instrument, StatusEvent
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# Answers to the five WHO-5 items: 4 + 4 + 3 + 3 + 3 = 17, times 4 = 68.
ANSWERS = [
    ("glad og i godt humør", "Det meste af tiden"),
    ("rolig og afslappet", "Det meste af tiden"),
    ("aktiv og energisk", "Lidt mere end halvdelen af tiden"),
    ("frisk og udhvilet", "Lidt mere end halvdelen af tiden"),
    ("ting der interesserer mig", "Lidt mere end halvdelen af tiden"),
]


@pytest.fixture
def instruments(db):
    """The data migration's instruments, reloaded after an earlier transactional test flushed them."""
    for definition in SHIPPED:
        if not Instrument.objects.filter(code=definition["code"]).exists():
            install(apps, definition)


def test_worker_records_who5_on_her_phone_and_sees_the_score(world, instruments, live_server, phone: Page):
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    phone.goto(f"{live_server.url}/young-people/{world.young_person.pk}/")
    expect(phone.get_by_role("heading", name="Effektmålinger")).to_be_visible()
    expect(phone.get_by_text("Ingen målinger registreret.")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name="Registrér måling").tap()
    expect(phone.get_by_role("heading", name="Registrér måling")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_role("link", name="WHO-5 Trivselsindeks").tap()
    expect(phone.get_by_role("heading", name="WHO-5 Trivselsindeks")).to_be_visible()
    expect(phone.get_by_role("group", name="Hvem svarede?").get_by_label("Den unge")).to_be_checked()
    assert_accessible(phone)

    for question, answer in ANSWERS[:-1]:  # the last one forgotten
        phone.get_by_role("group", name=re.compile(question)).get_by_label(answer, exact=True).check()
    phone.get_by_role("button", name="Gem måling").tap()
    last = phone.get_by_role("group", name=re.compile(ANSWERS[-1][0]))
    expect(last).to_contain_text("Vælg et svar på dette spørgsmål.")
    expect(phone.get_by_role("alert")).to_contain_text("Ret venligst de markerede svar nedenfor.")
    assert Assessment.objects.count() == 0
    assert_accessible(phone)

    expect(phone.get_by_role("group", name=re.compile(ANSWERS[0][0])).get_by_label(ANSWERS[0][1])).to_be_checked()
    last.get_by_label(ANSWERS[-1][1], exact=True).check()
    phone.get_by_role("button", name="Gem måling").tap()
    expect(phone.get_by_text("Målingen er registreret: Råscore (0-25) 17; Trivselsscore (0-100) 68")).to_be_visible()

    table = phone.locator("#outcome-chart-who5-table")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr").first).to_contain_text("68")
    expect(table.locator("tbody tr").first).to_contain_text("Trivsel over 50")
    expect(phone.get_by_role("img", name=re.compile("WHO-5 Trivselsindeks: Trivselsscore"))).to_be_visible()
    assessment = Assessment.objects.get()
    assert (assessment.respondent, assessment.recorded_by) == ("young_person", world.worker)
    assert_accessible(phone)

    table.get_by_role("link").tap()
    expect(phone.get_by_role("heading", name="Svar")).to_be_visible()
    expect(phone.get_by_role("row", name=re.compile("Trivselsscore"))).to_contain_text("68")
    assert_accessible(phone)


def test_worker_records_an_education_status_change(world, instruments, live_server, phone: Page):
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    phone.goto(f"{live_server.url}/young-people/{world.young_person.pk}/")
    phone.get_by_role("link", name="Registrér statusskift").tap()
    expect(phone.get_by_role("heading", name="Registrér statusskift")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Ny status").select_option(label="Produktionsskole")
    phone.get_by_role("button", name="Gem").tap()
    expect(phone.get_by_text("Statusskiftet er registreret.")).to_be_visible()
    event = StatusEvent.objects.get()
    assert (event.domain, event.value, event.recorded_by) == ("education", "production_school", world.worker)
    expect(phone.get_by_role("table", name="Uddannelses- og boligstatus, nyeste først")).to_contain_text(
        "Produktionsskole"
    )
    assert_accessible(phone)

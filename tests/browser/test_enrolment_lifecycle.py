"""The lifecycle of an enrolment and the plan, as a worker does it at her desk:
record consent, open a mentoring enrolment, make a plan with an agreement, and
see the agreement come due on her list."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Agreement, Consent, Enrolment
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, intervention

pytestmark = pytest.mark.django_db(transaction=True)


def test_consent_then_mentoring_enrolment(world, live_server, desktop: Page):
    intervention()  # the data migration's rows, reloaded after the previous transactional test
    log_in(desktop, live_server.url, world.worker.username, PASSWORD)
    desktop.goto(f"{live_server.url}/young-people/{world.young_person.pk}/")

    desktop.get_by_role("link", name="Opret et forløb").click()
    assert_accessible(desktop)
    desktop.get_by_label("Indsats").select_option(label="Mentorordning")
    desktop.get_by_role("button", name="Gem").click()
    expect(desktop.locator(".invalid-feedback")).to_contain_text("Samtykke til “Mentormatch” mangler")
    assert_accessible(desktop)

    desktop.get_by_role("link", name=world.young_person.name).click()
    desktop.get_by_role("link", name="Registrér samtykke").click()
    desktop.get_by_label("Formål").select_option(label="Mentormatch")
    desktop.get_by_label("Givet af").select_option(label="Den unge")
    desktop.get_by_role("button", name="Gem").click()
    expect(desktop.get_by_text("Samtykket er registreret.")).to_be_visible()
    assert Consent.objects.filter(purpose="mentor_match").exists()

    desktop.get_by_role("link", name="Opret et forløb").click()
    desktop.get_by_label("Indsats").select_option(label="Mentorordning")
    desktop.get_by_role("button", name="Gem").click()
    expect(desktop.get_by_text("Forløbet er oprettet.")).to_be_visible()
    assert Enrolment.objects.filter(young_person=world.young_person, intervention_type__code="mentoring").exists()
    assert_accessible(desktop)


def test_plan_with_an_agreement_that_comes_due(world, live_server, phone: Page):
    intervention()
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    phone.goto(f"{live_server.url}/young-people/{world.young_person.pk}/plan/")
    assert_accessible(phone)
    phone.get_by_role("link", name="Lav en plan").tap()
    phone.get_by_role("button", name="Gem").tap()
    expect(phone.get_by_text("Planen er lavet.")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name="Tilføj en aftale").tap()
    phone.get_by_label("Aftale").fill("Ringe til UU-vejlederen")
    phone.get_by_label("Hvem").select_option(label="Den unge")
    phone.get_by_label("Frist").fill((timezone.localdate() + dt.timedelta(days=3)).isoformat())
    phone.get_by_role("button", name="Gem").tap()
    expect(phone.get_by_role("cell", name="Ringe til UU-vejlederen")).to_be_visible()
    assert Agreement.objects.get().owner == "young_person"

    phone.goto(f"{live_server.url}/young-people/")
    followups = phone.get_by_role("region", name="Opfølgninger")
    expect(followups).to_contain_text(re.compile("Ringe til UU-vejlederen"))
    assert_accessible(phone)

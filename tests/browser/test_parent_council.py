"""An initiator at her desk runs a parent council through its three phases:
the group and its parents, the preparation step by step with a home visit to
every family, the council meeting with the informants' observations and
attendance, the parents' plan approved and printed."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from interventions.models import ParentCouncil
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, intervention

pytestmark = pytest.mark.django_db(transaction=True)


def test_parent_council_through_its_three_phases(world, live_server, desktop: Page):
    intervention()  # the data migration's rows, reloaded after the previous transactional test
    log_in(desktop, live_server.url, world.worker.username, PASSWORD)
    desktop.get_by_role("link", name="Forældrerådslagninger").click()
    assert_accessible(desktop)
    desktop.get_by_role("link", name="Ny forældrerådslagning").click()
    desktop.get_by_role("textbox", name="Gruppen").fill("Drengene ved stationen")
    desktop.get_by_role("textbox", name="Bekymringen").fill("Hærværk og sene aftener.")
    desktop.get_by_label("De unge i gruppen").select_option(label=["Freja Kollega", "Mikkel Ung"])
    assert_accessible(desktop)
    desktop.get_by_role("button", name="Opret forældrerådslagning").click()
    expect(desktop.get_by_text("Forældrerådslagningen er oprettet.")).to_be_visible()
    assert_accessible(desktop)

    # Phase I. The invitation goes to parents: record them first.
    desktop.get_by_role("button", name="Registrér den foreløbige indbydelse").click()
    expect(desktop.get_by_role("alert")).to_contain_text("Tilføj de forældre, der skal inviteres, først")
    for family, parent in (("Mikkel Ung", "Hanne Ung"), ("Freja Kollega", "Peter Kollega")):
        desktop.locator("#families summary").filter(has_text="Tilføj en forælder").click()
        desktop.locator("#families select[name=family]").select_option(label=family)
        desktop.locator("#families input[name=name]").fill(parent)
        desktop.get_by_role("button", name="Tilføj forælder").click()
        expect(desktop.get_by_text("Forælderen er tilføjet.")).to_be_visible()
    desktop.locator("#participants summary").click()
    desktop.get_by_role("radio", name="Informatør").check()
    desktop.locator("#participants input[name=name]").fill("Lærer Jensen")
    desktop.get_by_label("Organisation").fill("Stationsskolen")
    desktop.get_by_role("button", name="Tilføj", exact=True).click()
    expect(desktop.get_by_text("Deltageren er tilføjet.")).to_be_visible()

    desktop.get_by_role("button", name="Registrér den foreløbige indbydelse").click()
    expect(desktop.get_by_text("Indbydelsen er registreret.")).to_be_visible()
    desktop.locator("#preparation input[name=name]").fill("Jytte Samordner")
    desktop.get_by_role("button", name="Registrér samordneren").click()
    expect(desktop.get_by_text("Samordneren er registreret.")).to_be_visible()
    assert_accessible(desktop)
    for family in ("Mikkel Ung", "Freja Kollega"):
        for step in ("Samordneren ringede til familien", "Samordneren besøgte familien hjemme"):
            details = desktop.locator("#preparation details").filter(has_text=f"Registrér for familien til {family}")
            details.locator("summary").click()
            details.get_by_label("Hvad skete der").select_option(label=step)
            details.get_by_role("button", name="Gem").click()
            expect(desktop.get_by_text(f"Registreret for familien til {family}.")).to_be_visible()
    desktop.get_by_role("button", name="Registrér den endelige indbydelse").click()
    expect(desktop.get_by_text("Indbydelsen er registreret.")).to_be_visible()
    assert_accessible(desktop)

    # Phase II: the meeting opens with the informants' observations.
    desktop.get_by_label("Trin 1: informatørernes iagttagelser").fill("Set ved stationen efter kl. 22 tre fredage.")
    desktop.get_by_label("Hanne Ung (forælder til Mikkel Ung)").uncheck()
    desktop.get_by_role("button", name="Registrér rådslagningsmødet").click()
    expect(desktop.get_by_text("Rådslagningsmødet er registreret. Næste skridt: forældrenes plan.")).to_be_visible()
    expect(desktop.locator("#meeting")).to_contain_text("1 forælder til stede")
    desktop.locator("input[name=text]").fill("Vi ringer til hinanden, når de unge ikke er hjemme kl. 22")
    desktop.get_by_label("Hvem præcis").fill("Alle forældre")
    desktop.get_by_label("Opfølgningsdato").fill("2099-01-31")
    desktop.get_by_role("button", name="Tilføj til planen").click()
    expect(desktop.get_by_text("Punktet er tilføjet planen.")).to_be_visible()
    desktop.get_by_role("button", name="Planen er godkendt").click()
    expect(desktop.get_by_text("Planen er godkendt. Fase III: opfølgning.")).to_be_visible()
    expect(desktop.locator("#follow-up table tbody tr")).to_have_count(2)
    assert_accessible(desktop)

    council = ParentCouncil.objects.get()
    assert council.plan_approved_on is not None
    assert council.meetings.get().parents_present.get().name == "Peter Kollega"

    desktop.get_by_role("link", name="Udskriv planen").click()
    expect(desktop.get_by_role("heading", name="Forældrenes plan: Drengene ved stationen")).to_be_visible()
    expect(desktop.get_by_text("Vi ringer til hinanden")).to_be_visible()
    assert_accessible(desktop)

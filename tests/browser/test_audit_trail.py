"""A team leader's spot check and a young person's access request: the access
log filtered to one young person (chosen from a list, only ids in the URL),
her access report with both downloads, and the change history of her records.
Each page passes axe and the Content Security Policy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cases.audit import Action, Purpose, access_log_record
from cases.models import AccessLog
from cases.services import contact_update
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, ContactFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_leader_spot_checks_the_log_and_answers_an_access_request(world, live_server, desktop: Page):
    contact = ContactFactory(enrolment=world.enrolment, duration_minutes=30)
    contact._history_user = world.worker  # what HistoryRequestMiddleware does for a change made in a page
    contact_update(contact=contact, by=world.worker, duration_minutes=90)
    access_log_record(
        user=world.outsider, action=Action.READ, purpose=Purpose.CASE_WORK, young_person=world.young_person
    )
    access_log_record(
        user=world.colleague, action=Action.READ, purpose=Purpose.CASE_WORK, young_person=world.colleagues_young_person
    )
    log_in(desktop, live_server.url, world.leader.username, PASSWORD)

    desktop.goto(f"{live_server.url}/access-log/")
    expect(desktop.get_by_role("heading", name="Adgangslog · Team Nord")).to_be_visible()
    assert_accessible(desktop)
    desktop.get_by_label("Ung").select_option(str(world.young_person.pk))
    desktop.get_by_role("button", name="Vis", exact=True).click()
    expect(desktop).to_have_url(re.compile(rf"young_person={world.young_person.pk}"))
    assert "Mikkel" not in desktop.url
    table = desktop.locator("table")
    expect(table).to_contain_text("Omar Outsider")  # another team's worker read her: visible to the leader
    expect(table).not_to_contain_text("Freja Kollega")
    assert_accessible(desktop)

    desktop.goto(f"{live_server.url}/young-people/{world.young_person.pk}/access-report/")
    expect(desktop.get_by_role("heading", name="Indsigtsrapport")).to_be_visible()
    report = desktop.locator("table")
    expect(report).to_contain_text("Relationsarbejder, Team Syd")
    expect(report).not_to_contain_text("Omar Outsider")
    assert_accessible(desktop)
    with desktop.expect_download() as csv_download:
        desktop.get_by_role("link", name="Hent indsigtsrapporten (CSV)").click()
    text = Path(csv_download.value.path()).read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and "Relationsarbejder, Team Syd" in text and "Omar" not in text
    with desktop.expect_download() as json_download:
        desktop.get_by_role("button", name="Hent alle oplysninger om den unge (JSON)").click()
    data = json.loads(Path(json_download.value.path()).read_text())
    assert data["young_person"]["name"] == "Mikkel Ung" and data["contacts"][0]["duration_minutes"] == 90
    exports = AccessLog.objects.filter(user=world.leader, action=Action.EXPORT, purpose=Purpose.ACCESS_REQUEST)
    assert exports.count() == 2

    desktop.goto(f"{live_server.url}/young-people/{world.young_person.pk}/history/")
    expect(desktop.get_by_role("heading", name="Ændringshistorik")).to_be_visible()
    changed = desktop.locator("tbody tr", has_text=f"Kontakt #{contact.pk}").filter(has_text="Ændret")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("Sara Worker")
    expect(changed).to_contain_text("30 → 90")
    assert_accessible(desktop)

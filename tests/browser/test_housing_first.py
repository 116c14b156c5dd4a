"""A CTI contact person on her phone: from the young person's page to the
course (phase, planned end, the phase's norm), a move-in recorded, a housing
goal set and met, a relation added to the network map, which is drawn, and
the printed status template."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from interventions.models import HousingGoal, NetworkRelation
from outcomes.models import StatusEvent
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, intervention
from tests.interventions.factories_methods import cti_enrolment, days_ago

pytestmark = pytest.mark.django_db(transaction=True)


def test_cti_course_housing_goal_and_network_map(world, live_server, phone: Page):
    intervention()  # the data migration's rows, reloaded after the previous transactional test
    course = cti_enrolment(young_person=world.young_person, primary_worker=world.worker, start_date=days_ago(100))
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    phone.goto(f"{live_server.url}/young-people/{world.young_person.pk}/")
    phone.get_by_role("link", name="CTI-fase, bolig og mål").tap()
    expect(phone.get_by_role("heading", name="Mikkel Ung: Housing First med CTI")).to_be_visible()
    expect(phone.locator("#phase")).to_contain_text("Afprøvning")
    expect(phone.locator("#phase")).to_contain_text("1 kvalificerende kontakter om ugen")
    expect(phone.locator("#phase")).to_contain_text("Dag 100 af 273.")
    assert_accessible(phone)

    phone.locator("#housing summary").tap()
    phone.get_by_role("combobox", name="Bolig").select_option(label="Egen bolig")
    phone.get_by_role("button", name="Gem boligsituation").tap()
    expect(phone.get_by_text("Boligsituationen er registreret.")).to_be_visible()
    expect(phone.locator("#housing")).to_contain_text("Indflytning")
    assert StatusEvent.objects.get(young_person=world.young_person).value == "own_tenancy"

    phone.locator("#goals input[name=text]").fill("Budget lagt for de første tre måneder")
    phone.get_by_role("button", name="Tilføj mål").tap()
    expect(phone.get_by_text("Målet er tilføjet.")).to_be_visible()
    phone.get_by_role("button", name="Nået", exact=True).tap()
    expect(phone.get_by_text("Målet er markeret som nået.")).to_be_visible()
    assert HousingGoal.objects.get(enrolment=course).met_on is not None
    assert_accessible(phone)

    phone.get_by_role("link", name="Åbn netværkskortet").tap()
    phone.get_by_label("Hvem").fill("Mor")
    phone.get_by_label("Type").select_option(label="Biologisk familie")
    phone.get_by_label("Konfliktfyldt").check()
    phone.get_by_role("button", name="Tilføj til kortet").tap()
    expect(phone.get_by_text("Relationen er tilføjet netværkskortet.")).to_be_visible()
    expect(phone.get_by_role("img", name="Netværkskort for Mikkel Ung")).to_be_visible()
    expect(phone.locator("svg.network-map line[stroke-dasharray]")).to_have_count(2)  # Mor and the legend
    assert NetworkRelation.objects.get().quality == "conflict"
    assert_accessible(phone)

    phone.get_by_role("link", name="Udskriv kortet").tap()
    expect(phone.get_by_role("img", name="Netværkskort for Mikkel Ung")).to_be_visible()
    assert_accessible(phone)
    phone.goto(f"{live_server.url}/housing-first/{course.pk}/status/")
    expect(phone.get_by_text("Boligmål: 1 af 1 nået")).to_be_visible()
    assert_accessible(phone)

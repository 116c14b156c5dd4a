"""A mediator on her phone takes an external (SSP) mediation from referral to
a printed agreement: police clearance first, then preparation, the six steps
in order, the agreement approved by both parties, follow-ups scheduled."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from interventions.models import MediationCase
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, intervention

pytestmark = pytest.mark.django_db(transaction=True)


def test_external_mediation_from_referral_to_printed_agreement(world, live_server, phone: Page):
    intervention()  # the data migration's rows, reloaded after the previous transactional test
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    phone.goto(f"{live_server.url}/mediation/")
    expect(phone.get_by_role("heading", name="Mæglingssager")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name="Ny mæglingssag").tap()
    phone.get_by_label("Ekstern mægling (SSP)").check()
    phone.get_by_label("Hvad konflikten handler om").fill("Trusler efter en fest i weekenden.")
    phone.locator("select[name=first_young_person]").select_option(label="Mikkel Ung")
    phone.locator("select[name=first_role]").select_option(label="Gerningsperson")
    phone.locator("input[name=second_name]").fill("Ung fra Nordskolen")
    phone.locator("select[name=second_role]").select_option(label="Offer")
    assert_accessible(phone)
    phone.get_by_role("button", name="Opret sag").tap()
    expect(phone.get_by_text("Mæglingssagen er oprettet.")).to_be_visible()

    # Nothing happens before the police give the green light.
    expect(phone.locator("#clearance")).to_contain_text("Venter")
    expect(phone.locator("#preparation")).to_contain_text("når politiets godkendelse er registreret")
    assert_accessible(phone)
    phone.get_by_label("Givet af").fill("Lokalpolitiet, mandagsmødet")
    phone.get_by_role("button", name="Registrér politiets godkendelse").tap()
    expect(phone.get_by_text("Politiets godkendelse er registreret.")).to_be_visible()

    phone.get_by_label("Formøde").check()
    phone.locator("#preparation select[name=party]").select_option(label="Mikkel Ung (Gerningsperson)")
    phone.get_by_label("Forældre deltog").check()
    phone.get_by_role("button", name="Gem forberedelse").tap()
    expect(phone.get_by_text("Forberedelsen er registreret.")).to_be_visible()
    assert_accessible(phone)

    for step in range(1, 6):
        phone.get_by_role("button", name=f"Registrér trin {step}").tap()
        expect(phone.get_by_text("Trinnet er registreret.")).to_be_visible()
    expect(phone.locator("#meeting")).to_contain_text("Registreres, når aftalen er skrevet ned")

    phone.get_by_label("Aftalen med parternes egne ord").fill("Vi lader hinanden være og sletter opslagene.")
    phone.get_by_label("Mikkel Ung (Gerningsperson)").check()
    phone.get_by_role("button", name="Gem aftalen").tap()
    expect(phone.get_by_text("Gemt som udkast: endnu ikke godkendt af Ung fra Nordskolen.")).to_be_visible()
    phone.get_by_label("Ung fra Nordskolen (Offer)").check()
    phone.get_by_role("button", name="Gem aftalen").tap()
    expect(phone.get_by_text("Aftalen er godkendt af alle parter. Opfølgningerne er planlagt.")).to_be_visible()
    expect(phone.locator("#follow-ups tbody tr")).to_have_count(2)
    assert_accessible(phone)

    case = MediationCase.objects.get()
    assert sorted(case.steps.values_list("step", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert case.police_clearance_by == "Lokalpolitiet, mandagsmødet"

    phone.get_by_role("link", name="Udskriv aftalen").tap()
    expect(phone.get_by_role("heading", name="Mæglingsaftale")).to_be_visible()
    expect(phone.get_by_text("Vi lader hinanden være og sletter opslagene.")).to_be_visible()
    assert_accessible(phone)


def test_another_teams_worker_cannot_open_the_case(world, live_server, phone: Page):
    intervention()
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    phone.goto(f"{live_server.url}/mediation/new/")
    phone.get_by_label("Skolemægling").check()
    phone.get_by_label("Hvad konflikten handler om").fill("Drillerier i klassen.")
    phone.locator("select[name=first_young_person]").select_option(label="Mikkel Ung")
    phone.locator("select[name=first_role]").select_option(label="Anden part")
    phone.get_by_role("button", name="Opret sag").tap()
    expect(phone.get_by_text("Mæglingssagen er oprettet.")).to_be_visible()
    url = phone.url
    phone.context.clear_cookies()  # log out

    log_in(phone, live_server.url, world.outsider.username, PASSWORD)
    response = phone.goto(url)
    assert response.status == 404
    assert "Mikkel" not in phone.content()
    assert_accessible(phone)

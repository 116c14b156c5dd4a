"""A relationship worker on her phone, after a meeting: log in, open a young
person from the list, log a contact, see it at the top of the timeline."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import Contact
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_worker_logs_a_contact_from_her_phone_in_two_taps(world, live_server, phone: Page):
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    expect(phone.get_by_role("heading", name="Mine unge")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("link", name=re.compile("Mikkel Ung")).tap()  # tap 1
    expect(phone.get_by_role("heading", name="Mikkel Ung")).to_be_visible()
    assert_accessible(phone)

    phone.get_by_role("button", name="Gem kontakt").tap()  # tap 2: defaults are now, in person, usual duration
    expect(phone.get_by_role("status")).to_have_text("Kontakten er registreret.")

    contact = Contact.objects.get()
    assert (contact.worker, contact.channel, contact.status) == (world.worker, "in_person", "held")
    assert abs(contact.occurred_at - timezone.now()).total_seconds() < 180
    first = phone.locator("#timeline > li").first
    expect(first).to_have_attribute("data-contact-id", str(contact.pk))
    expect(first).to_contain_text("Personligt")
    assert_accessible(phone)

    phone.locator("#contact-form label", has_text="Telefon").tap()  # a second contact goes on top of the timeline
    phone.get_by_role("button", name="Gem kontakt").tap()
    expect(phone.locator("#timeline > li")).to_have_count(2)
    second = Contact.objects.exclude(pk=contact.pk).get()
    expect(first).to_have_attribute("data-contact-id", str(second.pk))
    expect(first).to_contain_text("Telefon")
    expect(phone.locator("#timeline > li").nth(1)).to_have_attribute("data-contact-id", str(contact.pk))


def test_field_errors_appear_inline_without_a_reload(world, live_server, phone: Page):
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    phone.goto(f"{live_server.url}/young-people/{world.young_person.pk}/")
    phone.evaluate("() => { window.__sameDocument = true; }")
    phone.get_by_label("Minutter").fill("5000")
    phone.get_by_role("button", name="Gem kontakt").tap()
    expect(phone.locator(".invalid-feedback")).to_contain_text("1440")
    assert phone.evaluate("() => window.__sameDocument") is True  # HTMX swapped the form, no page load
    assert Contact.objects.count() == 0
    assert_accessible(phone)


def test_worker_of_another_team_gets_404(world, live_server, phone: Page):
    log_in(phone, live_server.url, world.outsider.username, PASSWORD)
    response = phone.goto(f"{live_server.url}/young-people/{world.young_person.pk}/")
    assert response.status == 404
    expect(phone.get_by_role("heading", name="Ikke fundet")).to_be_visible()
    assert "Mikkel" not in phone.content()
    assert_accessible(phone)


def test_english_can_be_chosen(world, live_server, desktop: Page):
    log_in(desktop, live_server.url, world.worker.username, PASSWORD)
    desktop.get_by_role("button", name="English").click()
    expect(desktop.get_by_role("heading", name="My young people")).to_be_visible()
    assert desktop.locator("html").get_attribute("lang") == "en"
    assert_accessible(desktop)

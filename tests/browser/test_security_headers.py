"""The pages pass their own Content Security Policy: a worker, a team leader, an analyst
(through the real TOTP enrolment and sign-in) and an administrator walk the main pages
in Chromium, which enforces the policy. Every context's console is watched for
violations (tests/browser/conftest.py) and the test fails on any."""

from __future__ import annotations

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, _context, assert_accessible, log_in
from tests.factories import PASSWORD, intervention
from tests.interventions.factories_methods import cti_enrolment, days_ago

pytestmark = pytest.mark.django_db(transaction=True)


def _strict(response) -> None:
    header = response.headers["content-security-policy"]
    policy = {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"] and "unsafe" not in header


def test_the_watch_catches_a_violation(world, live_server, browser: Browser):
    """The detector itself: an inline style block added to a page is reported."""
    context = _context(browser, **DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'body{}'; document.head.append(s); }"
    )
    page.wait_for_timeout(300)
    violations = list(context.csp_violations)
    context.close()
    assert violations and "style-src" in violations[0]


def test_a_worker_walks_her_pages_under_the_policy(world, live_server, phone: Page):
    intervention()  # the data migration's rows, reloaded after the previous transactional test
    course = cti_enrolment(young_person=world.young_person, primary_worker=world.worker, start_date=days_ago(100))
    log_in(phone, live_server.url, world.worker.username, PASSWORD)
    expect(phone.get_by_role("heading", name="Mine unge")).to_be_visible()

    _strict(phone.goto(f"{live_server.url}/young-people/{world.young_person.pk}/"))
    phone.get_by_role("button", name="Gem kontakt").tap()  # the contact form, answered by htmx
    expect(phone.get_by_role("status")).to_have_text("Kontakten er registreret.")

    phone.goto(f"{live_server.url}/dashboard/")
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    phone.goto(f"{live_server.url}/housing-first/{course.pk}/")
    progress = phone.locator("progress.cti-progress")
    expect(progress).to_have_attribute("value", "100")
    assert progress.bounding_box()["width"] > 200  # the bar is drawn from the stylesheet
    phone.goto(f"{live_server.url}/housing-first/{course.pk}/network/")
    expect(phone.locator("svg.network-map")).to_be_visible()
    assert phone.locator("svg.network-map").bounding_box()["width"] >= 680  # scrolls sideways on a phone
    assert_accessible(phone)
    phone.goto(f"{live_server.url}/housing-first/{course.pk}/network/print/")
    expect(phone.get_by_role("button", name="Udskriv")).to_be_visible()
    assert phone.locator("body").evaluate("b => getComputedStyle(b).fontSize") != "16px"  # print.css applied
    phone.goto(f"{live_server.url}/account/password/")
    expect(phone.get_by_role("heading", name="Skift adgangskode")).to_be_visible()
    assert_accessible(phone)


def test_a_team_leader_walks_the_dashboard_under_the_policy(world, live_server, desktop: Page):
    log_in(desktop, live_server.url, world.leader.username, PASSWORD)
    _strict(desktop.goto(f"{live_server.url}/dashboard/"))
    expect(desktop.get_by_role("heading", level=1)).to_be_visible()
    _strict(desktop.goto(f"{live_server.url}/young-people/{world.young_person.pk}/"))
    expect(desktop.get_by_role("heading", name="Mikkel Ung")).to_be_visible()


def test_an_analyst_enrols_her_app_signs_in_again_and_reads_the_api_docs(world, live_server, desktop: Page):
    TOTPDevice.objects.filter(user=world.analyst).delete()  # she has not enrolled her app yet
    # First sign-in: the enrolment page with the QR code; log_in reads the key off the page.
    desktop.goto(f"{live_server.url}/login/")
    desktop.get_by_label("Brugernavn").fill(world.analyst.username)
    desktop.get_by_label("Adgangskode").fill(PASSWORD)
    desktop.get_by_role("button", name="Log ind").click()
    expect(desktop.get_by_role("heading", name="Sæt din godkendelsesapp op")).to_be_visible()
    expect(desktop.locator("svg.otp-qr")).to_be_visible()
    assert_accessible(desktop)
    desktop.get_by_role("button", name="Log ud").last.click()
    log_in(desktop, live_server.url, world.analyst.username, PASSWORD)  # enrols with the page's key
    assert TOTPDevice.objects.get(user=world.analyst).confirmed

    _strict(desktop.goto(f"{live_server.url}/dashboard/"))
    expect(desktop.get_by_role("heading", level=1)).to_be_visible()
    desktop.goto(f"{live_server.url}/reports/")
    expect(desktop.get_by_role("heading", level=1)).to_be_visible()

    # Later sign-ins ask for the current code.
    desktop.get_by_role("button", name="Log ud").click()
    log_in(desktop, live_server.url, world.analyst.username, PASSWORD)
    expect(desktop.get_by_role("heading", name="Kode fra din godkendelsesapp")).to_have_count(0)

    # The API docs: Swagger UI under the strict policy, Redoc under its documented exception.
    _strict(desktop.goto(f"{live_server.url}/api/v1/docs/"))
    expect(desktop.locator(".swagger-ui .opblock").first).to_be_visible()
    desktop.goto(f"{live_server.url}/api/v1/redoc/")
    expect(desktop.get_by_role("heading", name=re.compile("youthcase API")).first).to_be_visible()
    # Redoc always asks its CDN for the logo in its footer; the policy blocks that, as it
    # should (no CDN), and the page does without it. Any other violation still fails.
    violations = desktop.context.csp_violations
    violations[:] = [v for v in violations if "cdn.redoc.ly/redoc/logo-mini.svg" not in v]


def test_an_administrator_reaches_the_admin_only_with_her_code(world, live_server, desktop: Page):
    log_in(desktop, live_server.url, world.admin.username, PASSWORD)
    _strict(desktop.goto(f"{live_server.url}/admin/"))
    expect(desktop.locator("#site-name")).to_be_visible()
    desktop.goto(f"{live_server.url}/admin/cases/user/")
    expect(desktop.locator("#changelist")).to_be_visible()
    desktop.goto(f"{live_server.url}/admin/cases/user/{world.worker.pk}/change/")
    expect(desktop.locator("#user_form")).to_be_visible()
    desktop.goto(f"{live_server.url}/admin/otp_totp/totpdevice/")
    expect(desktop.locator("#result_list")).to_be_visible()

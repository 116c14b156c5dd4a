"""An analyst at her desk: request last quarter's report, see it become ready, download it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from outcomes.models import ReportRun
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_analyst_requests_and_downloads_a_quarterly_report(world, live_server, desktop: Page):
    log_in(desktop, live_server.url, world.analyst.username, PASSWORD)
    desktop.get_by_role("link", name="Kvartalsrapporter").click()
    expect(desktop.get_by_role("heading", name="Kvartalsrapporter")).to_be_visible()
    assert_accessible(desktop)

    desktop.get_by_label("Sprog").select_option("en")
    desktop.get_by_role("button", name="Bestil rapport").click()
    # the job runs in-process here (no broker); in production the page polls until it is ready
    expect(desktop.get_by_role("link", name="Hent PDF")).to_be_visible(timeout=60_000)
    assert_accessible(desktop)
    run = ReportRun.objects.get()
    assert run.status == ReportRun.Status.DONE and run.language == "en" and run.requested_by == world.analyst

    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="Hent PDF").click()
    assert download.value.suggested_filename == run.filename

    desktop.get_by_role("link", name="Alle kvartalsrapporter").click()
    expect(desktop.get_by_role("table")).to_contain_text(run.quarter)
    assert_accessible(desktop)


def test_a_worker_has_no_report_pages(world, live_server, desktop: Page):
    log_in(desktop, live_server.url, world.worker.username, PASSWORD)
    expect(desktop.get_by_role("link", name="Kvartalsrapporter")).to_have_count(0)
    response = desktop.goto(f"{live_server.url}/reports/")
    assert response.status == 403

"""The team leader's Monday morning: open the dashboard, filter by a worker, open
a young person from the heatmap, export the work lists; at desktop and phone
size. A worker of another team cannot reach it; an analyst sees aggregates only.
The screenshots in docs/screenshots/ are taken here, so they stay current."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from cases.models import AccessLog, ActionPlan, Agreement, Enrolment
from interventions.models import FollowUpFlag
from outcomes.indicators.store import indicators_recompute
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import PASSWORD, ContactFactory, EnrolmentFactory, PauseFactory, intervention

pytestmark = pytest.mark.django_db(transaction=True)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _history(world) -> None:
    today = timezone.localdate()
    now = timezone.now()
    for enrolment, skip in ((world.enrolment, 0), (world.colleagues_young_person.enrolments.get(), 3)):
        enrolment.start_date = today - dt.timedelta(days=200)
        enrolment.save()
        for week in range(skip, 20):
            ContactFactory(enrolment=enrolment, occurred_at=now - dt.timedelta(days=7 * week + 2))
    paused = EnrolmentFactory(
        primary_worker=world.colleague,
        young_person__name="Alma Pause",
        start_date=today - dt.timedelta(days=150),
        intervention_type=intervention(),
    )
    PauseFactory(enrolment=paused, start_date=today - dt.timedelta(days=20), end_date=None)
    new = EnrolmentFactory(
        primary_worker=world.worker,
        young_person__name="Noah Ny",
        start_date=today - dt.timedelta(days=25),
        intervention_type=intervention(),
    )
    FollowUpFlag.objects.create(enrolment=new, raised_by=world.colleague, reason="Virkede trist")
    plan = ActionPlan.objects.create(young_person=world.young_person, coordinator=world.worker, created_on=today)
    Agreement.objects.create(plan=plan, text="=Ring til skolen", owner="parents", due_date=today - dt.timedelta(days=1))
    indicators_recompute(as_of=today, enrolments=Enrolment.objects.all())


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_leader_filters_opens_a_young_person_and_exports(world, live_server, request, size):
    page: Page = request.getfixturevalue(size)
    _history(world)
    log_in(page, live_server.url, world.leader.username, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_role("heading", name="Sagsoverblik: Team Nord")).to_be_visible()
    heatmap = page.locator("#heatmap")
    expect(heatmap).to_contain_text("Mikkel Ung")
    expect(heatmap).to_contain_text("Freja Kollega")
    expect(page.locator("#list-no_contact")).to_contain_text("Noah Ny")
    expect(page.locator("#list-group_flags")).to_contain_text("Noah Ny")
    expect(page.locator("#list-follow_ups")).to_contain_text("Ring til skolen")
    expect(page.locator("#trend-table tbody tr")).to_have_count(4)
    assert_accessible(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"dashboard-{size}.png"), full_page=True)

    page.locator("#filter-worker").select_option(str(world.colleague.pk))
    page.get_by_role("button", name="Vis", exact=True).click()
    expect(page).to_have_url(re.compile(rf"worker={world.colleague.pk}"))
    expect(heatmap).not_to_contain_text("Mikkel Ung")
    expect(heatmap).to_contain_text("Alma Pause")
    expect(heatmap.locator("tr", has_text="Alma Pause")).to_contain_text("pause")
    assert "Freja" not in page.url and "Mikkel" not in page.url
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Eksportér arbejdslister (CSV)").click()
    content = Path(download.value.path()).read_bytes().decode("utf-8")
    assert content.startswith("\ufeff")
    assert "Freja Kollega" in content and "Mikkel Ung" not in content  # the worker filter applies
    assert AccessLog.objects.filter(user=world.leader, action=AccessLog.Action.EXPORT).exists()

    heatmap.get_by_role("link", name="Freja Kollega").click()
    expect(page.get_by_role("heading", name="Freja Kollega")).to_be_visible()


def test_leader_export_of_the_whole_team_neutralises_formulas(world, live_server, desktop: Page):
    _history(world)
    log_in(desktop, live_server.url, world.leader.username, PASSWORD)
    desktop.goto(f"{live_server.url}/dashboard/")
    with desktop.expect_download() as download:
        desktop.get_by_role("link", name="Eksportér arbejdslister (CSV)").click()
    content = Path(download.value.path()).read_bytes().decode("utf-8")
    assert "'=Ring til skolen" not in content  # the cell starts with "Aftale: "...
    assert "Aftale: =Ring til skolen" in content and "Mikkel Ung" in content


def test_worker_of_another_team_cannot_reach_the_dashboard(world, live_server, phone: Page):
    _history(world)
    log_in(phone, live_server.url, world.outsider.username, PASSWORD)
    response = phone.goto(f"{live_server.url}/dashboard/teams/{world.team.pk}/")
    assert response.status == 404
    assert "Mikkel" not in phone.content()
    phone.goto(f"{live_server.url}/dashboard/")
    expect(phone.get_by_role("heading", name="Mit sagsoverblik")).to_be_visible()
    assert "Mikkel" not in phone.content()
    assert_accessible(phone)


def test_analyst_gets_aggregates_only(world, live_server, desktop: Page):
    _history(world)
    log_in(desktop, live_server.url, world.analyst.username, PASSWORD)
    desktop.goto(f"{live_server.url}/dashboard/")
    assert_accessible(desktop)
    desktop.get_by_role("link", name="Team Nord").click()
    expect(desktop.get_by_role("heading", name="Sagsoverblik: Team Nord")).to_be_visible()
    expect(desktop.locator("[data-figure=active]")).to_have_text("<5")
    content = desktop.content()
    for name in ("Mikkel Ung", "Freja Kollega", "Noah Ny", world.worker.name, world.colleague.name):
        assert name not in content
    assert desktop.locator("#heatmap").count() == 0
    assert_accessible(desktop)

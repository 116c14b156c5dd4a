"""The report job: one run per report, claimed once, stored with its PDF, downloaded with a log row;
the analyst's pages; the beat task that requests last quarter's report and e-mails the analysts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLog
from outcomes.models import ReportRun
from outcomes.reports.content import DEFINITIONS_VERSION
from outcomes.reports.quarters import Quarter
from outcomes.reports.services import (
    DOWNLOAD_PURPOSE,
    report_run_download,
    report_run_render,
    report_run_request,
)
from outcomes.reports.tasks import request_last_quarter
from tests.conftest import login

Q2 = Quarter(2026, 2)


@pytest.fixture
def queued(monkeypatch):
    """The run ids the request queued (the task itself is not run)."""
    ids: list[int] = []
    monkeypatch.setattr("outcomes.reports.tasks.render_report_run.delay", ids.append)
    return ids


def test_requesting_the_same_report_twice_gives_the_existing_run(world, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first, created = report_run_request(quarter=Q2, language="da", by=world.analyst)
    with django_capture_on_commit_callbacks(execute=True):
        again, created_again = report_run_request(quarter=Q2, language="da", by=world.admin)
    assert created and not created_again
    assert first.pk == again.pk and ReportRun.objects.count() == 1
    assert queued == [first.pk]  # one job, queued after the commit
    assert first.definitions_version == DEFINITIONS_VERSION and first.requested_by == world.analyst
    # another language or scope is another report
    with django_capture_on_commit_callbacks(execute=True):
        english, _ = report_run_request(quarter=Q2, language="en", by=world.analyst)
        team, _ = report_run_request(quarter=Q2, team=world.team, language="da", by=world.analyst)
    assert len({first.pk, english.pk, team.pk}) == 3 and len(queued) == 3


def test_nothing_is_queued_before_the_commit(world, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_run_request(quarter=Q2, by=world.analyst)
    assert queued == [] and len(callbacks) == 1


def test_a_run_is_rendered_once_even_when_its_task_is_delivered_twice(world, queued):
    run, _ = report_run_request(quarter=Q2, by=world.analyst)
    assert report_run_render(run_id=run.pk) is True
    assert report_run_render(run_id=run.pk) is False  # the second delivery finds it done
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE and run.attempts == 1
    assert bytes(run.pdf).startswith(b"%PDF") and run.size_bytes == len(bytes(run.pdf))
    assert run.pages >= 5 and run.started_at <= run.finished_at and run.duration is not None


def test_a_run_left_running_by_a_dead_worker_is_claimed_again_only_once_it_is_stale(world, queued, settings):
    run, _ = report_run_request(quarter=Q2, by=world.analyst)
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.RUNNING, started_at=timezone.now(), attempts=1)
    assert report_run_render(run_id=run.pk) is False  # someone is rendering it right now
    stale = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    ReportRun.objects.filter(pk=run.pk).update(started_at=stale)
    assert report_run_render(run_id=run.pk) is True
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE and run.attempts == 2


def test_a_failed_run_shows_its_error_and_is_queued_again_on_request(world, queued, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the fonts are missing")

    monkeypatch.setattr("outcomes.reports.services.render_report", broken)
    run, _ = report_run_request(quarter=Q2, by=world.analyst)
    report_run_render(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportRun.Status.FAILED and "the fonts are missing" in run.error
    page = login(world.analyst).get(reverse("outcomes:report_status", args=[run.pk]))
    assert "the fonts are missing" in page.content.decode()
    again, queued_again = report_run_request(quarter=Q2, by=world.analyst)
    assert again.pk == run.pk and queued_again and again.status == ReportRun.Status.PENDING and again.error == ""


def test_the_download_is_logged_as_an_export_without_a_young_person(world, queued):
    run, _ = report_run_request(quarter=Q2, by=world.analyst)
    report_run_render(run_id=run.pk)
    run.refresh_from_db()
    response = login(world.analyst).get(reverse("outcomes:report_download", args=[run.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "attachment" in response["Content-Disposition"]
    [row] = AccessLog.objects.filter(action=AccessLog.Action.EXPORT)
    assert row.user == world.analyst and row.young_person is None and row.purpose == DOWNLOAD_PURPOSE
    assert row.object_type == "reportrun" and row.object_id == run.pk
    assert report_run_download(run=run, by=world.admin) == bytes(run.pdf)


def test_a_run_that_is_not_done_cannot_be_downloaded(world, queued):
    run, _ = report_run_request(quarter=Q2, by=world.analyst)
    assert login(world.analyst).get(reverse("outcomes:report_download", args=[run.pk])).status_code == 404


def test_the_analyst_requests_a_report_and_watches_it(world, queued, django_capture_on_commit_callbacks):
    client = login(world.analyst)
    page = client.get(reverse("outcomes:reports"), headers={"accept-language": "en"})
    assert page.status_code == 200 and "No reports yet" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("outcomes:report_request"),
            {"quarter": str(Quarter.containing(timezone.localdate()).previous()), "language": "en"},
        )
    run = ReportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("outcomes:report_detail", args=[run.pk])
    assert run.language == "en" and run.team is None and queued == [run.pk]
    status = client.get(reverse("outcomes:report_status", args=[run.pk])).content.decode()
    assert 'hx-get="' + reverse("outcomes:report_status", args=[run.pk]) in status  # polls while waiting
    report_run_render(run_id=run.pk)
    status = client.get(reverse("outcomes:report_status", args=[run.pk])).content.decode()
    assert "hx-get" not in status and reverse("outcomes:report_download", args=[run.pk]) in status
    listing = client.get(reverse("outcomes:reports")).content.decode()
    assert reverse("outcomes:report_download", args=[run.pk]) in listing


def test_the_list_of_runs_takes_a_fixed_number_of_queries(world, queued):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.analyst)
    for quarter in ("2025Q3", "2025Q4", "2026Q1"):
        report_run_request(quarter=Quarter.parse(quarter), team=world.team, by=world.analyst)
    client.get(reverse("outcomes:reports"))
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("outcomes:reports"))
    for quarter in ("2024Q3", "2024Q4"):
        report_run_request(quarter=Quarter.parse(quarter), by=world.analyst)
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("outcomes:reports"))
    # the session and the user (and whatever else the middleware reads), the teams for the form,
    # the runs with their teams: the same number however many runs there are
    assert len(three) == len(five) <= 6
    assert sum("outcomes_reportrun" in q["sql"] for q in five.captured_queries) == 1


def test_a_quarter_outside_the_choices_is_refused(world, queued):
    response = login(world.analyst).post(reverse("outcomes:report_request"), {"quarter": "1999Q1", "language": "da"})
    assert response.status_code == 400 and not ReportRun.objects.exists()


def test_beat_requests_last_quarters_report_and_mails_the_analysts(
    world, queued, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://youthcase.example.dk"
    world.analyst.email = "analyst@example.dk"
    world.analyst.save()
    with django_capture_on_commit_callbacks(execute=True):
        run_id = request_last_quarter(today="2026-07-01")
    run = ReportRun.objects.get(pk=run_id)
    assert run.quarter == "2026Q2" and run.team is None and run.language == "da" and queued == [run.pk]
    [message] = mail.outbox
    assert message.to == ["analyst@example.dk"] and "2026Q2" in message.subject
    assert "https://youthcase.example.dk" + reverse("outcomes:reports") in message.body
    # a second beat delivery on the same day queues nothing more and mails again harmlessly
    with django_capture_on_commit_callbacks(execute=True):
        assert request_last_quarter(today="2026-07-01") == run_id
    assert queued == [run.pk]

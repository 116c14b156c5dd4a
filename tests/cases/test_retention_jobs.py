"""The access-log retention and the two lifecycle jobs as Celery runs them."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from cases import tasks
from cases.models import AccessLog, Enrolment
from cases.services.retention import access_log_purge, retention_cutoff
from outcomes.models import JobRun
from tests.factories import EnrolmentFactory
from youthcase.celery import app


def log_at(when: dt.datetime, person) -> AccessLog:
    return AccessLog.objects.create(at=when, young_person=person, action="read", purpose="case_work")


@pytest.fixture
def aged_log(world):
    """Rows just past and just inside the retention period, and today's."""
    now = timezone.now()
    period = dt.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    person = world.young_person
    expired = [log_at(now - period - dt.timedelta(days=days), person) for days in (400, 30, 1)]
    kept = [log_at(now - period + dt.timedelta(days=1), person), log_at(now, person)]
    return expired, kept


def test_the_access_log_purge_deletes_only_rows_older_than_the_period(aged_log):
    expired, kept = aged_log
    other = set(AccessLog.objects.exclude(pk__in=[r.pk for r in expired + kept]).values_list("pk", flat=True))

    result = access_log_purge(dry_run=False, batch_size=2)  # two batches and a last, empty look

    assert result.count == 3
    assert set(AccessLog.objects.values_list("pk", flat=True)) == {r.pk for r in kept} | other


def test_an_access_log_dry_run_counts_and_deletes_nothing(aged_log):
    expired, _ = aged_log
    before = AccessLog.objects.count()
    out = StringIO()

    call_command("purge_access_log", "--dry-run", stdout=out)

    assert AccessLog.objects.count() == before
    first, last = min(r.pk for r in expired), max(r.pk for r in expired)
    assert "would delete 3 access-log rows" in out.getvalue()
    assert f"(ids {first}..{last})" in out.getvalue()
    assert "nothing was written" in out.getvalue()


def test_the_retention_period_is_a_setting(aged_log, settings):
    settings.ACCESS_LOG_RETENTION_DAYS = 1
    out = StringIO()
    call_command("purge_access_log", stdout=out)
    # Every row older than a day went; today's rows (the fixture's and the world's) stay.
    assert not AccessLog.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).exists()
    assert AccessLog.objects.exists()
    assert "deleted 4 access-log rows" in out.getvalue()


def test_the_beat_schedule_names_registered_tasks():
    lifecycle = {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"].startswith("cases.")
    }
    assert lifecycle == {"cases.tasks.purge_expired_access_log", "cases.tasks.purge_closed_cases"}
    for name in lifecycle:
        assert app.tasks[name].name == name
    assert tasks.purge_expired_access_log.name == "cases.tasks.purge_expired_access_log"
    assert tasks.purge_closed_cases.name == "cases.tasks.purge_closed_cases"


def test_the_access_log_task_runs_through_celery_and_is_recorded(aged_log):
    expired, kept = aged_log

    tasks.purge_expired_access_log.delay()

    assert not AccessLog.objects.filter(pk__in=[r.pk for r in expired]).exists()
    assert AccessLog.objects.filter(pk__in=[r.pk for r in kept]).count() == 2
    run = JobRun.objects.get(name="cases.tasks.purge_expired_access_log")
    assert (run.status, run.result[:9]) == (JobRun.Status.DONE, "deleted 3")


def test_the_case_task_runs_through_celery_archives_and_purges(world, settings, tmp_path):
    settings.RETENTION_ARCHIVE_DIR = tmp_path
    end = retention_cutoff() - dt.timedelta(days=10)
    old = EnrolmentFactory(
        primary_worker=world.worker, start_date=end - dt.timedelta(days=90), end_date=end, end_reason="completed"
    )

    tasks.purge_closed_cases.apply(task_id="weekly-1")
    tasks.purge_closed_cases.apply(task_id="weekly-1")  # delivered again: the finished run is not done twice

    assert not Enrolment.objects.filter(pk=old.pk).exists()
    assert Enrolment.objects.filter(pk=world.enrolment.pk).exists()
    assert len(list(tmp_path.glob("closed-cases-*.json"))) == 1
    run = JobRun.objects.get(task_id="weekly-1")
    assert (run.name, run.status, run.attempts) == ("cases.tasks.purge_closed_cases", JobRun.Status.DONE, 1)
    assert run.result.startswith("purged 1 enrolments")

"""The Celery tasks, run eagerly in-process: idempotent, recorded as job runs, queued after commit.

The real-worker behaviour (a worker killed mid-run) is in test_worker.py.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from cases.models import Enrolment
from outcomes import tasks
from outcomes.freshness import Renewal
from outcomes.indicators.contacts import weekly_contacts
from outcomes.indicators.engine import compute_indicators
from outcomes.indicators.store import results_from_snapshots
from outcomes.models import IndicatorSnapshot, JobRun, StatusEvent, WeeklyContactFact
from tests.outcomes.builders import contact, day, enrol, status

AS_OF = "2026-06-30"


@pytest.fixture
def five(db) -> list[Enrolment]:
    enrolments = [enrol(start=f"2026-0{m}-02") for m in range(1, 6)]
    for enrolment in enrolments:
        contact(enrolment, "2026-06-02 10:00")
    return enrolments


def stored_documents(as_of: str) -> list[dict]:
    return [r.as_json() for r in results_from_snapshots(IndicatorSnapshot.objects.filter(as_of=day(as_of)))]


def test_recompute_enrolment_writes_its_snapshot_and_records_the_run(five):
    tasks.recompute_enrolment.delay(five[0].pk, AS_OF)
    snapshot = IndicatorSnapshot.objects.get()
    assert (snapshot.enrolment_id, snapshot.as_of, snapshot.window_weeks) == (five[0].pk, day(AS_OF), 12)
    run = JobRun.objects.get()
    assert (run.name, run.status, run.attempts) == ("outcomes.tasks.recompute_enrolment", "done", 1)
    assert run.finished_at >= run.started_at
    assert run.duration == run.finished_at - run.started_at
    assert run.key == f"enrolment {five[0].pk}, as of {AS_OF}"


def test_recompute_enrolment_defaults_to_today(five):
    tasks.recompute_enrolment.delay(five[0].pk)
    assert IndicatorSnapshot.objects.get().as_of == timezone.localdate()


def test_nightly_job_fans_out_in_shards_that_add_up_to_the_direct_computation(five, monkeypatch):
    monkeypatch.setattr(tasks, "SHARD_SIZE", 2)
    tasks.recompute_all.delay(AS_OF)
    parent = JobRun.objects.get(parent__isnull=True)
    shards = list(parent.children.order_by("key"))
    assert (parent.name, parent.status, parent.result) == ("outcomes.tasks.recompute_all", "done", "3")
    assert [s.status for s in shards] == ["done", "done", "done"]
    ids = [e.pk for e in five]
    assert {s.key for s in shards} == {
        f"enrolments {ids[0]}-{ids[1]}, as of {AS_OF}",
        f"enrolments {ids[2]}-{ids[3]}, as of {AS_OF}",
        f"enrolments {ids[4]}-{ids[4]}, as of {AS_OF}",
    }
    direct = [r.as_json() for r in compute_indicators(as_of=day(AS_OF))]
    assert stored_documents(AS_OF) == direct
    tasks.recompute_all.delay(AS_OF)  # a second night's run for the same date changes nothing
    assert stored_documents(AS_OF) == direct
    assert IndicatorSnapshot.objects.count() == 5
    assert not WeeklyContactFact.objects.exists()  # nightly: snapshots only


def test_the_weekly_run_rebuilds_the_facts_as_well(five, monkeypatch):
    monkeypatch.setattr(tasks, "SHARD_SIZE", 2)
    contact(five[0], "2026-06-09 10:00")
    tasks.recompute_all.delay(AS_OF, rebuild_facts=True)
    parent = JobRun.objects.get(parent__isnull=True)
    assert parent.key == f"as of {AS_OF}, with facts"
    assert all(shard.key.endswith(", with facts") for shard in parent.children.all())
    facts = weekly_contacts(as_of=day(AS_OF), enrolments=Enrolment.objects.all())
    assert sorted(WeeklyContactFact.objects.values_list("enrolment_id", "week_start", "contacts")) == sorted(
        (f.enrolment_id, f.week_start, f.contacts) for f in facts
    )
    assert WeeklyContactFact.objects.count() == 6
    assert stored_documents(AS_OF) == [r.as_json() for r in compute_indicators(as_of=day(AS_OF))]


def test_a_redelivered_nightly_job_reuses_its_shards(five, monkeypatch):
    monkeypatch.setattr(tasks, "SHARD_SIZE", 2)
    tasks.recompute_all.apply(args=[AS_OF], task_id="nightly-1")
    JobRun.objects.filter(task_id="nightly-1").update(status=JobRun.Status.RUNNING)  # as if the worker died
    tasks.recompute_all.apply(args=[AS_OF], task_id="nightly-1")
    parent = JobRun.objects.get(task_id="nightly-1")
    assert parent.attempts == 2
    assert parent.children.count() == 3
    assert all(shard.attempts == 1 for shard in parent.children.all())  # done shards are not queued again


def test_a_run_left_running_by_a_dead_worker_runs_again_and_a_finished_one_does_not(five):
    first, last = five[0].pk, five[-1].pk
    tasks.recompute_shard.apply(args=[first, last, AS_OF], task_id="shard-1")
    IndicatorSnapshot.objects.all().delete()
    tasks.recompute_shard.apply(args=[first, last, AS_OF], task_id="shard-1")  # already done: skipped
    assert not IndicatorSnapshot.objects.exists()
    JobRun.objects.filter(task_id="shard-1").update(status=JobRun.Status.RUNNING)
    tasks.recompute_shard.apply(args=[first, last, AS_OF], task_id="shard-1")  # redelivered after a crash
    assert IndicatorSnapshot.objects.count() == 5
    assert JobRun.objects.get(task_id="shard-1").attempts == 2


def test_a_failing_job_is_recorded_with_its_error(five, monkeypatch):
    def broken(**kwargs):
        raise ValueError("the norms table is empty")

    monkeypatch.setattr(tasks, "indicators_recompute", broken)
    with pytest.raises(ValueError):
        tasks.recompute_enrolment.apply(args=[five[0].pk, AS_OF], task_id="broken-1")
    run = JobRun.objects.get(task_id="broken-1")
    assert run.status == JobRun.Status.FAILED
    assert "the norms table is empty" in run.error
    assert run.finished_at is not None


def queued(callbacks: list) -> list:
    """The jobs queued on commit, without the dashboards' cache renewals (outcomes.freshness)."""
    return [callback for callback in callbacks if not isinstance(callback, Renewal)]


def test_a_change_queues_a_recompute_only_when_it_commits(five, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        contact(five[0], "2026-06-03 10:00")
        tasks.enqueue_enrolment_recompute(five[0].pk)
        assert not IndicatorSnapshot.objects.exists()  # not inside the transaction
    assert len(queued(callbacks)) == 1
    assert IndicatorSnapshot.objects.get(enrolment=five[0]).qualifying_contacts_total == 2
    assert JobRun.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                tasks.enqueue_enrolment_recompute(five[1].pk)
                raise RuntimeError("the form was invalid after all")
        except RuntimeError:
            pass
    assert queued(callbacks) == []
    assert not IndicatorSnapshot.objects.filter(enrolment=five[1]).exists()


def test_a_status_event_queues_every_enrolment_of_the_young_person(five, django_capture_on_commit_callbacks):
    person = five[0].young_person
    other = enrol(start="2026-02-02", code="mentoring", young_person=person)
    with django_capture_on_commit_callbacks(execute=True):
        status(person, StatusEvent.Domain.EDUCATION, "2026-01-01", "enrolled")
        tasks.enqueue_young_person_recompute(person.pk)
    today = timezone.localdate()
    assert set(IndicatorSnapshot.objects.filter(as_of=today).values_list("enrolment_id", flat=True)) == {
        five[0].pk,
        other.pk,
    }


def test_old_snapshots_are_pruned_but_quarter_ends_are_kept(db):
    enrolment = enrol(start="2024-01-01")
    for as_of in ["2024-03-31", "2024-04-01", "2025-06-30", AS_OF]:
        tasks.recompute_enrolment.delay(enrolment.pk, as_of)
    assert IndicatorSnapshot.objects.count() == 4
    tasks._prune(day("2026-07-01"))
    kept = [day("2024-03-31"), day("2025-06-30"), day(AS_OF)]  # 2024-04-01 is old and not a quarter end
    assert sorted(IndicatorSnapshot.objects.values_list("as_of", flat=True)) == kept


def test_old_job_runs_are_pruned(five):
    tasks.recompute_enrolment.delay(five[0].pk, AS_OF)
    JobRun.objects.update(created_at=timezone.now() - dt.timedelta(days=91))
    tasks.recompute_enrolment.delay(five[1].pk, AS_OF)
    tasks._prune(day(AS_OF))
    assert JobRun.objects.count() == 1


def test_administrators_see_job_runs_read_only(world, client_for, five):
    tasks.recompute_enrolment.delay(five[0].pk, AS_OF)
    run = JobRun.objects.get()
    admin = client_for(world.admin)
    page = admin.get("/admin/outcomes/jobrun/")
    assert page.status_code == 200
    assert "outcomes.tasks.recompute_enrolment" in page.content.decode()
    assert admin.get("/admin/outcomes/jobrun/add/").status_code == 403
    assert admin.post(f"/admin/outcomes/jobrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert JobRun.objects.filter(pk=run.pk).exists()
    assert client_for(world.worker).get("/admin/outcomes/jobrun/").status_code == 302


def test_changes_in_one_transaction_queue_one_recompute_per_enrolment(five, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for _ in range(3):
            tasks.enqueue_enrolment_recompute(five[0].pk)
        tasks.enqueue_enrolment_recompute(five[1].pk)
        try:
            with transaction.atomic():  # a savepoint that rolls back takes its callbacks with it
                tasks.enqueue_enrolment_recompute(five[2].pk)
                raise RuntimeError
        except RuntimeError:
            pass
        tasks.enqueue_enrolment_recompute(five[2].pk)  # so this one is queued again
    assert len(queued(callbacks)) == 3
    assert set(IndicatorSnapshot.objects.values_list("enrolment_id", flat=True)) == {e.pk for e in five[:3]}


def test_an_import_queues_one_nightly_style_run_instead_of_one_per_enrolment(five, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with tasks.recomputes_batched():
            for enrolment in five:
                tasks.enqueue_enrolment_recompute(enrolment.pk)
        tasks.enqueue_enrolment_recompute(five[0].pk)  # after the batch, changes queue their own again
    assert len(queued(callbacks)) == 2
    parent = JobRun.objects.get(parent__isnull=True, name="outcomes.tasks.recompute_all")
    assert parent.key.endswith(", with facts")
    assert IndicatorSnapshot.objects.filter(as_of=timezone.localdate()).count() == 5
    assert WeeklyContactFact.objects.count() == 5

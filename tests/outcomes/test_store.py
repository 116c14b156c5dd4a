"""Stored results: the weekly fact table and the snapshots are rewritten idempotently,
one enrolment at a time if asked, with a fixed number of queries however many enrolments."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Contact, Enrolment
from outcomes.indicators.engine import compute_indicators
from outcomes.indicators.store import indicators_recompute, results_from_snapshots, snapshots_prune
from outcomes.models import IndicatorSnapshot, StatusEvent, WeeklyContactFact
from tests.factories import YoungPersonFactory
from tests.outcomes.builders import contact, day, enrol, instant, pause, status

AS_OF = day("2026-06-30")


def snapshot_rows() -> list[dict]:
    return list(IndicatorSnapshot.objects.order_by("enrolment_id", "as_of").values(*SNAPSHOT_FIELDS))


def fact_rows() -> list[tuple]:
    return list(
        WeeklyContactFact.objects.order_by("enrolment_id", "week_start").values_list(
            "enrolment_id", "week_start", "contacts", "minutes", "last_contact_date", "outside_contacts", "as_of"
        )
    )


SNAPSHOT_FIELDS = [f.name for f in IndicatorSnapshot._meta.fields if f.name not in ("id", "computed_at")]


def test_weekly_facts_hold_the_local_weeks_of_qualifying_contacts(db):
    enrolment = enrol(start="2026-03-04", end="2026-04-22", reason="completed")
    contact(enrolment, "2026-03-03 10:00", status=Contact.Status.CANCELLED)  # outside
    contact(enrolment, instant("2026-03-08T23:30:00+00:00"), minutes=25)  # Monday 03-09 00:30 locally
    contact(enrolment, "2026-03-12 10:00", minutes=35)
    contact(enrolment, "2026-03-13 10:00", channel=Contact.Channel.TEXT)
    contact(enrolment, "2026-04-23 10:00")  # outside
    contact(enrolment, "2026-07-01 10:00")  # after D: not part of the facts as of D
    indicators_recompute(as_of=AS_OF, enrolments=Enrolment.objects.all())
    pk = enrolment.pk
    assert fact_rows() == [
        (pk, day("2026-03-02"), 0, 0, None, 1, AS_OF),
        (pk, day("2026-03-09"), 2, 60, day("2026-03-12"), 0, AS_OF),
        (pk, day("2026-04-20"), 0, 0, None, 1, AS_OF),
    ]


def scenario() -> list[Enrolment]:
    person = YoungPersonFactory()
    status(person, StatusEvent.Domain.HOUSING, "2025-04-01", "own_tenancy")
    first = enrol(start="2025-03-03", code="housing_first_cti", young_person=person)
    second = enrol(start="2026-01-05", end="2026-02-15", reason="dropped_out")
    pause(first, "2026-05-04", "2026-05-17")
    for text in ["2026-04-07 10:00", "2026-05-05 10:00", "2026-06-02 10:00", "2026-06-29 10:00"]:
        contact(first, text)
    contact(second, "2026-01-06 10:00")
    return [first, second]


def test_recomputing_twice_leaves_the_same_rows(db):
    scenario()
    indicators_recompute(as_of=AS_OF, enrolments=Enrolment.objects.all())
    facts, snapshots = fact_rows(), snapshot_rows()
    assert len(snapshots) == 2
    indicators_recompute(as_of=AS_OF, enrolments=Enrolment.objects.all())
    assert fact_rows() == facts
    assert snapshot_rows() == snapshots


def test_stored_snapshots_read_back_as_the_engine_computed_them(db):
    scenario()
    indicators_recompute(as_of=AS_OF, enrolments=Enrolment.objects.all())
    stored = results_from_snapshots(IndicatorSnapshot.objects.filter(as_of=AS_OF))
    direct = compute_indicators(as_of=AS_OF, enrolments=Enrolment.objects.all())
    assert [r.as_json() for r in stored] == [r.as_json() for r in direct]
    assert stored == direct


def test_recomputing_one_enrolment_rewrites_only_its_rows(db):
    first, second = scenario()
    indicators_recompute(as_of=AS_OF, enrolments=Enrolment.objects.all())
    untouched = IndicatorSnapshot.objects.get(enrolment=second)
    untouched_facts = list(WeeklyContactFact.objects.filter(enrolment=second).values_list("pk", flat=True))
    contact(first, "2026-06-23 10:00")
    indicators_recompute(as_of=AS_OF, enrolments=Enrolment.objects.filter(pk=first.pk))
    assert IndicatorSnapshot.objects.get(enrolment=second).computed_at == untouched.computed_at
    assert list(WeeklyContactFact.objects.filter(enrolment=second).values_list("pk", flat=True)) == untouched_facts
    assert IndicatorSnapshot.objects.get(enrolment=first).weeks_with_contact == 3
    assert IndicatorSnapshot.objects.get(enrolment=first).qualifying_contacts_total == 5


def test_a_recompute_removes_rows_of_an_enrolment_that_no_longer_qualifies(db):
    first, _ = scenario()
    indicators_recompute(as_of=AS_OF, enrolments=Enrolment.objects.all())
    Enrolment.objects.filter(pk=first.pk).update(start_date=dt.date(2026, 7, 1), end_date=None)  # corrected start
    indicators_recompute(as_of=AS_OF, enrolments=Enrolment.objects.filter(pk=first.pk))
    assert not IndicatorSnapshot.objects.filter(enrolment=first).exists()
    assert not WeeklyContactFact.objects.filter(enrolment=first).exists()


def test_snapshots_of_other_dates_and_windows_are_kept(db):
    scenario()
    for as_of, window in [(AS_OF, 12), (AS_OF, 4), (day("2026-03-31"), 12)]:
        indicators_recompute(as_of=as_of, window_weeks=window, enrolments=Enrolment.objects.all())
    assert IndicatorSnapshot.objects.count() == 6
    assert snapshots_prune(before=AS_OF) == 2
    assert snapshots_prune(before=AS_OF, keep=[day("2026-03-31")]) == 0


def test_the_number_of_queries_does_not_grow_with_the_number_of_enrolments(db):
    def queries(enrolments: int) -> tuple[int, int]:
        for _ in range(enrolments):
            enrolment = enrol(start="2026-01-05")
            pause(enrolment, "2026-03-02", "2026-03-08")
            contact(enrolment, "2026-05-05 10:00")
            status(enrolment.young_person, StatusEvent.Domain.EDUCATION, "2025-08-01", "enrolled")
        with CaptureQueriesContext(connection) as engine:
            compute_indicators(as_of=AS_OF, enrolments=Enrolment.objects.all())
        with CaptureQueriesContext(connection) as store:
            indicators_recompute(as_of=AS_OF, enrolments=Enrolment.objects.all())
        return len(engine), len(store)

    assert queries(2) == queries(10)

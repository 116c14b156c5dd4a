"""The change history has no gaps: writes that used to bypass it (a queryset
update, a bulk_create) write history rows, and a service given the acting user
(`by=`) records her as the history user also without a request (tasks,
commands, the importer). Every call here is a plain function call, no client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Consent, ConsentPurpose, EndReason, Enrolment, PrimaryWorkerPeriod
from cases.services import (
    consent_record,
    contact_log,
    contact_update,
    enrolment_close,
    enrolment_hand_over,
    enrolment_update,
    goal_add,
    plan_create,
    young_person_create,
    young_person_update,
)
from interventions.models import ParentCouncilFamily
from interventions.parent_council import services as council_services
from tests.factories import ContactFactory, EnrolmentFactory, PauseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _open_period(enrolment: Enrolment) -> PrimaryWorkerPeriod:
    return enrolment.worker_periods.get(end_date__isnull=True)


# --- Ending open worker periods and pauses ------------------------------------------------


def test_closing_an_enrolment_writes_history_for_the_ended_pause_and_worker_period(world):
    enrolment = world.enrolment
    pause = PauseFactory(enrolment=enrolment, start_date=timezone.localdate() - dt.timedelta(days=10), end_date=None)
    period = _open_period(enrolment)
    end = timezone.localdate() - dt.timedelta(days=2)

    enrolment_close(enrolment=enrolment, end_date=end, end_reason=EndReason.COMPLETED, by=world.worker)

    for row in (pause, period):
        newest = row.history.first()
        assert newest.history_type == "~" and newest.end_date == end
        assert newest.prev_record.end_date is None
        assert newest.history_user == world.worker
    pause.refresh_from_db()
    assert pause.end_date == end


def test_closing_leaves_the_history_of_ended_pauses_alone(world):
    enrolment = world.enrolment
    ended = PauseFactory(enrolment=enrolment)
    rows = ended.history.count()
    enrolment_close(
        enrolment=enrolment,
        end_date=timezone.localdate(),
        end_reason=EndReason.COMPLETED,
        by=world.worker,
    )
    assert ended.history.count() == rows


def test_a_handover_writes_history_for_the_ended_worker_period(world):
    enrolment = world.enrolment
    period = _open_period(enrolment)
    on, until = timezone.localdate() - dt.timedelta(days=14), timezone.localdate() - dt.timedelta(days=7)

    enrolment_hand_over(
        enrolment=enrolment, new_worker=world.colleague, on_date=on, overlap_until=until, by=world.leader
    )

    newest = period.history.first()
    assert newest.history_type == "~" and newest.end_date == until
    assert newest.prev_record.end_date is None
    assert newest.history_user == world.leader
    new_period = _open_period(enrolment)
    assert new_period.worker == world.colleague
    created = new_period.history.get()
    assert created.history_type == "+" and created.history_user == world.leader


# --- Families of a parent council ---------------------------------------------------------


def test_starting_a_parent_council_writes_history_for_its_families(world):
    group = [world.young_person, *(EnrolmentFactory(primary_worker=world.worker).young_person for _ in range(2))]
    council = council_services.council_create(
        title="Drengene ved stationen",
        concern="Hærværk og sene aftener",
        initiator=world.worker,
        young_people=group,
        by=world.worker,
    )

    families = list(council.families.all())
    assert len(families) == 3
    rows = ParentCouncilFamily.history.filter(council_id=council.pk)
    assert sorted(rows.values_list("young_person_id", flat=True)) == sorted(p.pk for p in group)
    assert {(row.history_type, row.history_user_id) for row in rows} == {("+", world.worker.pk)}
    assert {row.id for row in rows} == {family.pk for family in families}
    # the council itself too: every method's service records its `by` without a request
    assert list(council.history.values_list("history_type", "history_user_id")) == [("+", world.worker.pk)]


# --- `by` is the history user without a request -------------------------------------------


def test_a_service_call_without_a_request_records_by_as_the_history_user(world):
    minute = (timezone.now() - dt.timedelta(days=2)).replace(second=0, microsecond=0)
    contact = contact_log(
        enrolment=world.enrolment, worker=world.worker, occurred_at=minute, duration_minutes=30, by=world.worker
    )
    assert contact.history.get().history_user == world.worker

    contact_update(contact=contact, by=world.colleague, duration_minutes=45)
    newest = contact.history.first()
    assert (newest.history_type, newest.duration_minutes, newest.history_user) == ("~", 45, world.colleague)

    young_person_update(young_person=world.young_person, by=world.leader, name="Mikkel Ny")
    assert world.young_person.history.first().history_user == world.leader

    consent = consent_record(
        young_person=world.young_person,
        purpose=ConsentPurpose.SHARE_WITH_PARTNER,
        given_by=Consent.GivenBy.YOUNG_PERSON,
        given_on=timezone.localdate(),
        partner="Skolen",
        by=world.worker,
    )
    assert consent.history.get().history_user == world.worker

    plan = plan_create(
        young_person=world.young_person, coordinator=world.worker, created_on=timezone.localdate(), by=world.worker
    )
    goal = goal_add(plan=plan, text="Møde op i skolen", by=world.colleague)
    assert plan.history.get().history_user == world.worker
    assert goal.history.get().history_user == world.colleague


def test_a_nested_write_with_by_none_keeps_the_outer_services_user(world):
    # enrolment_update hands over with by=None (no Handover record); the worker
    # periods it writes are still the acting user's change.
    enrolment = world.enrolment
    old_period = _open_period(enrolment)
    enrolment_update(
        enrolment=enrolment,
        by=world.leader,
        start_date=enrolment.start_date,
        end_date=None,
        end_reason="",
        primary_worker=world.colleague,
    )
    assert old_period.history.first().history_user == world.leader
    assert _open_period(enrolment).history.get().history_user == world.leader
    assert enrolment.history.first().history_user == world.leader


def test_the_acting_user_ends_with_the_call_and_a_system_write_has_none(world):
    person = young_person_create(by=None, name="Ida Import", birth_date=dt.date(2009, 1, 2), gender="female")
    assert person.history.get().history_user is None

    young_person_update(young_person=person, by=world.worker, name="Ida Ny")
    person.name = "Ida Senere"
    person.save()  # after the service call: nobody acting, no request
    newest = person.history.first()
    assert newest.name == "Ida Senere" and newest.history_user is None


def test_an_instances_own_history_user_wins(world):
    other = UserFactory(team=world.team)
    contact = ContactFactory(enrolment=world.enrolment)
    contact._history_user = other
    contact_update(contact=contact, by=world.worker, note="Ændret")
    assert contact.history.first().history_user == other

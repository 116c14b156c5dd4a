"""Group work: activities and attendance as group_activity contacts, follow-up
flags until someone takes them, and bridging to other services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cases.models import AccessLog, Contact, Handover
from interventions.group_work import selectors, services
from interventions.models import Bridging, FollowUpFlag, GroupActivity, GroupAttendance
from tests.factories import EnrolmentFactory, UserFactory, intervention
from tests.interventions.factories_mentoring import activity

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def messages(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


def club_evening(world, *, present=(), hours_ago: int = 26, workers=None) -> GroupActivity:
    return services.activity_create(
        team=world.team,
        kind=GroupActivity.Kind.DROP_IN,
        title="Club evening",
        starts_at=timezone.now() - dt.timedelta(hours=hours_ago),
        duration_minutes=150,
        workers=[world.worker, world.colleague] if workers is None else workers,
        present=present,
        by=world.worker,
    )


def colleagues_enrolment(world):
    return world.colleagues_young_person.enrolments.get()


def test_each_young_person_ticked_gets_a_group_activity_contact(world):
    item = club_evening(world, present=[world.enrolment, colleagues_enrolment(world)])
    contacts = Contact.objects.filter(group_attendance__activity=item).order_by("enrolment__young_person__name")
    assert [(c.enrolment.young_person.name, c.channel, c.status, c.duration_minutes) for c in contacts] == [
        ("Freja Kollega", "group_activity", "held", 150),
        ("Mikkel Ung", "group_activity", "held", 150),
    ]
    assert all(c.occurred_at == item.starts_at for c in contacts)
    # Each contact is her own primary worker's when she was there.
    assert {c.enrolment.young_person.name: c.worker for c in contacts} == {
        "Freja Kollega": world.colleague,
        "Mikkel Ung": world.worker,
    }
    assert AccessLog.objects.filter(user=world.worker, action="create", object_type="contact").count() == 2


def test_the_contact_goes_to_someone_present_when_the_primary_worker_was_not(world):
    item = club_evening(world, present=[colleagues_enrolment(world)], workers=[world.leader, world.worker])
    assert Contact.objects.get(group_attendance__activity=item).worker == world.worker  # the one ticking


def test_only_young_people_in_the_teams_relationship_work_can_be_ticked(world):
    outsiders = world.outsiders_young_person.enrolments.get()
    with pytest.raises(ValidationError) as error:
        club_evening(world, present=[outsiders])
    assert "Jonas Fremmed has no open relationship-work enrolment in Team Nord on" in messages(error)
    mentoring = EnrolmentFactory(primary_worker=world.worker, intervention_type=intervention("mentoring"))
    ended = EnrolmentFactory(
        primary_worker=world.worker,
        start_date=timezone.localdate() - dt.timedelta(days=200),
        end_date=timezone.localdate() - dt.timedelta(days=30),
        end_reason="completed",
    )
    item = club_evening(world)
    for enrolment in (mentoring, ended):
        with pytest.raises(ValidationError):
            services.attendance_set(activity=item, present=[enrolment], by=world.worker)
    assert not Contact.objects.exists()


def test_attendance_is_a_set_unticking_cancels_and_reticking_restores(world):
    item = club_evening(world, present=[world.enrolment, colleagues_enrolment(world)])
    again = services.attendance_set(activity=item, present=[world.enrolment, colleagues_enrolment(world)], by=None)
    assert again == {"added": 0, "restored": 0, "removed": 0}
    assert Contact.objects.count() == 2

    services.attendance_set(activity=item, present=[world.enrolment], by=world.worker)
    freja = GroupAttendance.objects.get(enrolment=colleagues_enrolment(world))
    assert not freja.present
    assert Contact.objects.get(pk=freja.contact_id).status == "cancelled"

    counts = services.attendance_set(activity=item, present=[world.enrolment, colleagues_enrolment(world)], by=None)
    assert counts == {"added": 0, "restored": 1, "removed": 0}
    assert Contact.objects.get(pk=freja.contact_id).status == "held"
    assert Contact.objects.count() == 2


def test_changing_the_activitys_time_moves_its_contacts(world):
    item = club_evening(world, present=[world.enrolment])
    later = item.starts_at + dt.timedelta(hours=1)
    services.activity_update(activity=item, by=world.worker, starts_at=later, duration_minutes=90)
    contact = Contact.objects.get()
    assert (contact.occurred_at, contact.duration_minutes) == (later, 90)


def test_removing_the_contacts_worker_from_the_activity_moves_the_contact(world):
    item = club_evening(world, present=[colleagues_enrolment(world)])
    services.activity_update(activity=item, by=world.worker, workers=[world.worker])
    assert Contact.objects.get().worker == world.worker


def test_attendance_waits_for_the_activity_to_begin(world):
    item = club_evening(world, hours_ago=-24)
    with pytest.raises(ValidationError) as error:
        services.attendance_set(activity=item, present=[world.enrolment], by=world.worker)
    assert "once the activity has begun" in messages(error)


def test_the_workers_present_belong_to_the_team(world):
    with pytest.raises(ValidationError) as error:
        club_evening(world, workers=[world.worker, world.outsider])
    assert "Omar Outsider is not a worker of Team Nord." in messages(error)
    with pytest.raises(ValidationError) as error:
        club_evening(world, workers=[])
    assert "Tick at least one worker" in messages(error)


# --- Follow-up flags ---------------------------------------------------------------------------------


def test_a_flag_stays_on_the_leaders_list_until_someone_takes_it(world):
    item = club_evening(world, present=[world.enrolment])
    flag = services.flag_raise(
        enrolment=world.enrolment, activity=item, reason="Talks about a debt", by=world.colleague
    )
    waiting, taken = selectors.flag_list(world.leader, now=timezone.now())
    assert (waiting, taken) == ([flag], [])
    assert selectors.flag_list(world.outsider, now=timezone.now()) == ([], [])

    services.flag_take(flag=flag, by=world.leader, note="I call him tomorrow")
    flag.refresh_from_db()
    assert (flag.taken_by, flag.taken_note) == (world.leader, "I call him tomorrow")
    waiting, taken = selectors.flag_list(world.leader, now=timezone.now())
    assert (waiting, taken) == ([], [flag])
    with pytest.raises(ValidationError) as error:
        services.flag_take(flag=flag, by=world.worker)
    assert "Lene Leader already took this" in messages(error)


def test_a_flag_needs_a_reason_and_one_open_flag_is_enough(world):
    with pytest.raises(ValidationError) as error:
        services.flag_raise(enrolment=world.enrolment, reason=" ", by=world.worker)
    assert "Say why" in messages(error)
    services.flag_raise(enrolment=world.enrolment, reason="Skips school", by=world.worker)
    with pytest.raises(ValidationError) as error:
        services.flag_raise(enrolment=world.enrolment, reason="Again", by=world.colleague)
    assert "Mikkel Ung is already flagged (by Sara Worker on" in messages(error)


def test_a_flag_from_an_activity_names_someone_who_came(world):
    item = club_evening(world, present=[colleagues_enrolment(world)])
    with pytest.raises(ValidationError) as error:
        services.flag_raise(enrolment=world.enrolment, activity=item, reason="Seemed low", by=world.worker)
    assert "Mikkel Ung is not ticked as present at this activity." in messages(error)


def test_only_relationship_work_is_flagged(world):
    mentoring = EnrolmentFactory(primary_worker=world.worker, intervention_type=intervention("mentoring"))
    with pytest.raises(ValidationError) as error:
        services.flag_raise(enrolment=mentoring, reason="Worried", by=world.worker)
    assert "open relationship work" in messages(error)


def test_taking_a_flag_can_hand_the_young_person_over(world):
    flag = services.flag_raise(enrolment=world.enrolment, reason="Needs individual work", by=world.worker)
    services.flag_take(flag=flag, by=world.colleague, become_primary_worker=True)
    world.enrolment.refresh_from_db()
    assert world.enrolment.primary_worker == world.colleague
    handover = Handover.objects.get(enrolment=world.enrolment)
    assert (handover.from_worker, handover.to_worker) == (world.worker, world.colleague)
    assert handover.overlap_until == timezone.localdate() + dt.timedelta(days=14)


# --- Bridging -------------------------------------------------------------------------------------------


def test_an_escort_is_a_contact_and_a_partner_contact_is_not(world):
    when = timezone.now() - dt.timedelta(hours=5)
    escort = services.bridging_record(
        enrolment=world.enrolment,
        kind=Bridging.Kind.ESCORT,
        partner=Bridging.Partner.JOB_CENTRE,
        occurred_at=when,
        duration_minutes=90,
        note="First meeting",
        by=world.worker,
    )
    assert (escort.contact.channel, escort.contact.note) == ("escort", "Job centre: First meeting")
    call = services.bridging_record(
        enrolment=world.enrolment,
        kind=Bridging.Kind.PARTNER_CONTACT,
        partner=Bridging.Partner.YOUTH_GUIDANCE,
        occurred_at=when,
        duration_minutes=15,
        by=world.worker,
    )
    assert call.contact is None
    assert Contact.objects.count() == 1


def test_bridging_cannot_be_recorded_ahead_of_time(world):
    with pytest.raises(ValidationError) as error:
        services.bridging_record(
            enrolment=world.enrolment,
            kind=Bridging.Kind.PARTNER_CONTACT,
            partner=Bridging.Partner.SSP,
            occurred_at=timezone.now() + dt.timedelta(days=1),
            duration_minutes=15,
            by=world.worker,
        )
    assert "before it has happened" in messages(error)


# --- Scoping -------------------------------------------------------------------------------------------


def test_activities_are_the_teams(world):
    ours = activity(world.team, [world.worker])
    activity(world.other_team, [world.outsider])
    assert list(selectors.activities_for(world.leader)) == [ours]
    assert list(selectors.activities_for(world.colleague)) == [ours]
    for user in (world.analyst, world.admin, UserFactory(role="mentor", team=None)):
        assert not selectors.activities_for(user).exists()
    assert FollowUpFlag.objects.count() == 0

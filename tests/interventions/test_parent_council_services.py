"""Parent council services: the three phases in order, each refusal saying what
comes first (002:L6812-8084)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import AccessLog
from interventions.models import ParentCouncil, ParentCouncilFamily, ParentCouncilMeeting
from interventions.months import add_months
from interventions.parent_council import services
from tests.factories import EnrolmentFactory
from tests.interventions.factories_methods import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    with translation.override("en"):
        yield


def _group(world, n: int = 3) -> list:
    others = [EnrolmentFactory(primary_worker=world.worker).young_person for _ in range(n - 1)]
    return [world.young_person, *others]


def _council(world, n: int = 3) -> ParentCouncil:
    return services.council_create(
        title="Drengene ved stationen",
        concern="Hærværk og sene aftener",
        initiator=world.worker,
        young_people=_group(world, n),
        by=world.worker,
    )


def _with_parents(council: ParentCouncil) -> None:
    for family in council.families.all():
        services.council_parent_add(family=family, name=f"Forælder til {family.young_person}", by=None)


def _prepared(world, start: int = 60) -> ParentCouncil:
    """Phase I done: invitations, coordinator, calls and visits."""
    council = _council(world)
    _with_parents(council)
    services.council_invitation_record(council=council, step="preliminary_invitation", on=days_ago(start), by=None)
    services.council_coordinator_agree(council=council, on=days_ago(start - 2), name="Jytte Samordner", by=None)
    for family in council.families.all():
        services.council_family_step(family=family, step="phone_call", on=days_ago(start - 4), by=None)
        services.council_family_step(family=family, step="home_visit", on=days_ago(start - 8), by=None)
    services.council_invitation_record(council=council, step="final_invitation", on=days_ago(start - 10), by=None)
    return council


def _message(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


def test_a_council_is_about_a_group_the_initiator_works_with(world):
    council = _council(world)
    assert council.team == world.team
    assert council.families.count() == 3
    assert AccessLog.objects.filter(object_type="parentcouncil", object_id=council.pk, action="create").count() == 3
    with pytest.raises(ValidationError) as error:
        services.council_create(
            title="x", concern="y", initiator=world.worker, young_people=[world.young_person], by=world.worker
        )
    assert "choose at least two young people" in _message(error)
    with pytest.raises(ValidationError) as error:
        services.council_create(
            title="x",
            concern="y",
            initiator=world.worker,
            young_people=[world.young_person, world.outsiders_young_person],
            by=world.worker,
        )
    assert error.value.message_dict["young_people"] == ["You can only add young people you work with."]


def test_the_preliminary_invitation_goes_to_recorded_parents(world):
    council = _council(world)
    with pytest.raises(ValidationError) as error:
        services.council_invitation_record(council=council, step="preliminary_invitation", on=days_ago(5), by=None)
    assert "Add the parents to invite first; none are recorded for:" in _message(error)
    _with_parents(council)
    services.council_invitation_record(council=council, step="preliminary_invitation", on=days_ago(5), by=None)
    assert council.preliminary_invitation_on == days_ago(5)


def test_the_coordinator_comes_after_the_preliminary_invitation(world):
    council = _council(world)
    with pytest.raises(ValidationError) as error:
        services.council_coordinator_agree(council=council, on=days_ago(1), name="Jytte", by=None)
    assert "record the preliminary invitation first" in _message(error)
    _with_parents(council)
    services.council_invitation_record(council=council, step="preliminary_invitation", on=days_ago(5), by=None)
    with pytest.raises(ValidationError) as error:
        services.council_coordinator_agree(council=council, on=days_ago(6), name="Jytte", by=None)
    assert "before the preliminary invitation" in error.value.message_dict["on"][0]
    with pytest.raises(ValidationError) as error:
        services.council_coordinator_agree(council=council, on=days_ago(4), name=" ", by=None)
    assert error.value.message_dict["name"] == ["Write the coordinator's name."]


def test_each_family_is_phoned_then_visited(world):
    council = _council(world)
    _with_parents(council)
    family = council.families.first()
    with pytest.raises(ValidationError) as error:
        services.council_family_step(family=family, step="phone_call", on=days_ago(1), by=None)
    assert "record the coordinator first" in _message(error)
    services.council_invitation_record(council=council, step="preliminary_invitation", on=days_ago(10), by=None)
    services.council_coordinator_agree(council=council, on=days_ago(9), name="Jytte", by=None)
    family.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.council_family_step(family=family, step="home_visit", on=days_ago(1), by=None)
    assert "record the phone call first" in _message(error)
    services.council_family_step(family=family, step="phone_call", on=days_ago(8), by=None)
    with pytest.raises(ValidationError) as error:
        services.council_family_step(family=family, step="home_visit", on=days_ago(9), by=None)
    assert "before the phone call" in error.value.message_dict["on"][0]
    services.council_family_step(family=family, step="home_visit", on=days_ago(7), by=None)
    assert (family.phone_call_on, family.home_visit_on) == (days_ago(8), days_ago(7))


def test_the_final_invitation_waits_for_a_home_visit_to_every_family_that_takes_part(world):
    council = _council(world)
    _with_parents(council)
    services.council_invitation_record(council=council, step="preliminary_invitation", on=days_ago(10), by=None)
    services.council_coordinator_agree(council=council, on=days_ago(9), name="Jytte", by=None)
    first, second, third = council.families.all()
    for family in (first, second):
        services.council_family_step(family=family, step="phone_call", on=days_ago(8), by=None)
        services.council_family_step(family=family, step="home_visit", on=days_ago(7), by=None)
    with pytest.raises(ValidationError) as error:
        services.council_invitation_record(council=council, step="final_invitation", on=days_ago(6), by=None)
    assert f"not yet visited: {third.young_person}" in _message(error)
    services.council_family_step(family=third, step="declined", on=days_ago(7), by=None)
    services.council_invitation_record(council=council, step="final_invitation", on=days_ago(6), by=None)
    assert council.final_invitation_on == days_ago(6)


def test_the_council_meeting_opens_with_observations_and_schedules_the_follow_ups(world):
    council = _prepared(world)
    with pytest.raises(ValidationError) as error:
        services.council_meeting_record(council=council, held_on=days_ago(40), by=None)
    assert "first-hand observations" in error.value.message_dict["observations"][0]
    with pytest.raises(ValidationError) as error:
        services.council_meeting_record(council=council, held_on=days_ago(51), observations="x", by=None)
    assert "before the final invitation" in error.value.message_dict["held_on"][0]
    parents = [f.parents.get() for f in council.families.all()][:2]
    meeting = services.council_meeting_record(
        council=council,
        held_on=days_ago(40),
        observations="Set ved stationen efter kl. 22 tre fredage i træk.",
        questions="Hvad kan vi som forældre gøre?",
        parents_present=parents,
        by=world.worker,
    )
    assert meeting.kind == ParentCouncilMeeting.Kind.COUNCIL
    assert set(meeting.parents_present.all()) == set(parents)
    assert sorted(council.follow_ups.values_list("months", flat=True)) == [3, 12]


def test_follow_ups_are_3_and_12_calendar_months_after_the_first_meeting(world):
    council = _prepared(world, start=400)
    services.council_meeting_record(council=council, held_on=days_ago(380), observations="Iagttagelser", by=None)
    held = days_ago(380)
    assert [f.due_on for f in council.follow_ups.order_by("months")] == [add_months(held, 3), add_months(held, 12)]


def test_the_plan_has_owners_and_follow_up_dates_and_is_approved(world):
    council = _prepared(world)
    with pytest.raises(ValidationError) as error:
        services.council_plan_approve(council=council, approved_on=days_ago(1), by=None)
    assert "add the parents' plan items first" in _message(error)
    with pytest.raises(ValidationError) as error:
        services.council_plan_item_add(
            council=council, text="x", owner="parents", owner_name="Alle", follow_up_on=days_ago(-10), by=None
        )
    assert "record the meeting first" in _message(error)
    services.council_meeting_record(council=council, held_on=days_ago(40), observations="Iagttagelser", by=None)
    with pytest.raises(ValidationError) as error:
        services.council_plan_item_add(
            council=council, text="x", owner="parents", owner_name=" ", follow_up_on=days_ago(-10), by=None
        )
    assert error.value.message_dict["owner_name"] == ["Name who is responsible."]
    item = services.council_plan_item_add(
        council=council,
        text="Vi ringer til hinanden, når de unge ikke er hjemme kl. 22",
        owner="parents",
        owner_name="Alle forældre",
        follow_up_on=days_ago(-10),
        by=world.worker,
    )
    with pytest.raises(ValidationError) as error:
        services.council_meeting_record(council=council, held_on=days_ago(10), by=None)
    assert "after the parents' plan is approved" in _message(error)
    services.council_plan_approve(council=council, approved_on=days_ago(40), by=world.worker)
    follow_up = services.council_meeting_record(council=council, held_on=days_ago(10), note="Det går bedre", by=None)
    assert follow_up.kind == ParentCouncilMeeting.Kind.FOLLOW_UP
    services.council_plan_item_done(item=item, done_on=days_ago(5), by=None)
    with pytest.raises(ValidationError) as error:
        services.council_plan_item_done(item=item, done_on=days_ago(5), by=None)
    assert "already marked done" in _message(error)


def test_attendance_is_only_for_the_councils_own_people(world):
    council = _prepared(world)
    stranger = _prepared(world).families.first().parents.get()
    with pytest.raises(ValidationError) as error:
        services.council_meeting_record(
            council=council, held_on=days_ago(40), observations="x", parents_present=[stranger], by=None
        )
    assert "Only the council's parents and participants" in _message(error)


def test_families_join_before_the_final_invitation_and_only_from_scope(world):
    council = _council(world)
    with pytest.raises(ValidationError) as error:
        services.council_family_add(council=council, young_person=world.outsiders_young_person, by=world.worker)
    assert error.value.message_dict["young_person"] == ["You can only add young people you work with."]
    with pytest.raises(ValidationError) as error:
        services.council_family_add(council=council, young_person=world.young_person, by=world.worker)
    assert "already in the council" in _message(error)
    prepared = _prepared(world)
    with pytest.raises(ValidationError) as error:
        services.council_family_add(
            council=prepared, young_person=EnrolmentFactory(primary_worker=world.worker).young_person, by=world.worker
        )
    assert "families join before it" in _message(error)


def test_a_follow_up_needs_what_was_found_and_a_closed_council_takes_no_more(world):
    council = _prepared(world)
    services.council_meeting_record(council=council, held_on=days_ago(40), observations="x", by=None)
    follow_up = council.follow_ups.get(months=3)
    with pytest.raises(ValidationError) as error:
        services.council_follow_up_record(follow_up=follow_up, held_on=days_ago(1), note="", by=None)
    assert "note" in error.value.message_dict
    services.council_follow_up_record(follow_up=follow_up, held_on=days_ago(1), note="Mindre fravær", by=None)
    with pytest.raises(ValidationError) as error:
        services.council_close(council=council, closed_on=days_ago(1), close_note="", by=None)
    assert error.value.message_dict["close_note"] == ["Say briefly why the council ends."]
    services.council_close(council=council, closed_on=days_ago(1), close_note="Planen er gennemført", by=None)
    with pytest.raises(ValidationError) as error:
        services.council_participant_add(council=council, role="informant", name="Lærer", by=None)
    assert "The parent council is closed." in _message(error)
    assert ParentCouncilFamily.objects.filter(council=council).count() == 3

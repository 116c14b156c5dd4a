"""Mediation services: the method's order is enforced with messages that say
what to do instead (002:L3366-4535)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cases.models import AccessLog
from interventions.mediation import services
from interventions.mediation.services import PartyInput
from interventions.models import MediationCase, MediationFollowUp, MediationParty, MediationStep
from tests.factories import EnrolmentFactory
from tests.interventions.factories_methods import days_ago

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages():
    # The messages are matched as written in the code; the Danish ones are checked through the pages.
    with translation.override("en"):
        yield


def _case(world, case_type: str = "school", second=None, **kwargs) -> MediationCase:
    second = second or EnrolmentFactory(primary_worker=world.colleague).young_person
    return services.mediation_case_create(
        case_type=case_type,
        summary="Slagsmål i skolegården",
        referred_on=kwargs.pop("referred_on", days_ago(30)),
        team=world.team,
        mediators=[world.worker],
        parties=[
            PartyInput(role="offender", young_person=world.young_person),
            PartyInput(role="victim", young_person=second),
        ],
        by=world.worker,
    )


def _prepare(world, case: MediationCase, on: dt.date | None = None) -> None:
    services.mediation_preparation_record(
        case=case, kind="pre_meeting", occurred_on=on or days_ago(25), mediator=world.worker, by=world.worker
    )


def _steps(case: MediationCase, up_to: int, start: int = 20) -> None:
    for n in range(1, up_to + 1):
        services.mediation_step_record(case=case, step=n, done_on=days_ago(start), by=None)


def _message(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


def test_a_case_is_created_with_parties_and_mediators_and_logged_for_each_party(world):
    case = _case(world)
    assert [(p.role, p.young_person_id) for p in case.parties.all()][0] == ("offender", world.young_person.pk)
    assert list(case.mediators.all()) == [world.worker]
    logged = AccessLog.objects.filter(object_type="mediationcase", object_id=case.pk, action="create")
    assert logged.count() == 2


def test_a_party_may_be_known_by_name_only(world):
    case = services.mediation_case_create(
        case_type="victim_talk",
        summary="Trusler over nettet",
        referred_on=days_ago(3),
        team=world.team,
        mediators=[world.worker],
        parties=[PartyInput(role="victim", name="Elev fra Nordskolen")],
        by=world.worker,
    )
    assert case.parties.get().display_name == "Elev fra Nordskolen"


def test_a_party_needs_a_young_person_or_a_name_but_not_both(world):
    with pytest.raises(ValidationError) as error:
        services.mediation_case_create(
            case_type="school",
            summary="x",
            referred_on=days_ago(1),
            team=world.team,
            mediators=[world.worker],
            parties=[PartyInput(role="victim", young_person=world.young_person, name="Also a name")],
            by=world.worker,
        )
    assert "Choose a young person, or write the name" in _message(error)


def test_young_people_outside_the_workers_scope_cannot_be_parties(world):
    with pytest.raises(ValidationError) as error:
        _case(world, second=world.outsiders_young_person)
    assert error.value.message_dict["young_person"] == ["You can only add young people you work with."]
    assert not MediationCase.objects.exists()


def test_analysts_cannot_be_mediators(world):
    with pytest.raises(ValidationError) as error:
        services.mediation_case_create(
            case_type="school",
            summary="x",
            referred_on=days_ago(1),
            team=world.team,
            mediators=[world.analyst],
            parties=[PartyInput(role="victim", young_person=world.young_person)],
            by=world.worker,
        )
    assert "is not a worker or team leader" in error.value.message_dict["mediators"][0]


def test_external_mediation_cannot_start_before_the_police_clearance(world):
    case = _case(world, case_type="external")
    with pytest.raises(ValidationError) as error:
        _prepare(world, case)
    assert "cannot start before the police have given the green light" in _message(error)
    with pytest.raises(ValidationError) as error:
        services.mediation_step_record(case=case, step=1, done_on=days_ago(1), by=world.worker)
    assert "Record the police clearance first" in _message(error)

    services.mediation_clearance_record(
        case=case, cleared_on=days_ago(28), cleared_by="Politiet, Køge", by=world.worker
    )
    with pytest.raises(ValidationError) as error:
        _prepare(world, case, on=days_ago(29))
    assert "before the police clearance" in error.value.message_dict["occurred_on"][0]
    _prepare(world, case, on=days_ago(27))
    assert case.preparations.count() == 1


def test_clearance_is_only_for_external_mediation_and_needs_who_gave_it(world):
    with pytest.raises(ValidationError) as error:
        services.mediation_clearance_record(case=_case(world), cleared_on=days_ago(1), cleared_by="x", by=None)
    assert "Only external mediation needs police clearance." in _message(error)
    external = _case(world, case_type="external", second=EnrolmentFactory(primary_worker=world.worker).young_person)
    with pytest.raises(ValidationError) as error:
        services.mediation_clearance_record(case=external, cleared_on=days_ago(1), cleared_by=" ", by=None)
    assert "cleared_by" in error.value.message_dict


def test_the_meeting_needs_preparation_first(world):
    case = _case(world)
    with pytest.raises(ValidationError) as error:
        services.mediation_step_record(case=case, step=1, done_on=days_ago(1), by=world.worker)
    assert "Prepare the mediation first" in _message(error)


def test_steps_are_recorded_in_order(world):
    case = _case(world)
    _prepare(world, case)
    with pytest.raises(ValidationError) as error:
        services.mediation_step_record(case=case, step=3, done_on=days_ago(20), by=world.worker)
    assert error.value.message_dict["step"] == [
        "The steps are recorded in order: record step 1 (Opening: welcome, the process, the roles) first."
    ]
    _steps(case, 2)
    with pytest.raises(ValidationError) as error:
        services.mediation_step_record(case=case, step=2, done_on=days_ago(20), by=world.worker)
    assert error.value.message_dict["step"] == ["Step 2 is already recorded."]
    with pytest.raises(ValidationError) as error:
        services.mediation_step_record(case=case, step=3, done_on=days_ago(21), by=world.worker)
    assert "The date is before step 2" in error.value.message_dict["done_on"][0]


def test_a_step_cannot_be_dated_in_the_future(world):
    case = _case(world)
    _prepare(world, case)
    with pytest.raises(ValidationError) as error:
        services.mediation_step_record(case=case, step=1, done_on=days_ago(-1), by=world.worker)
    assert error.value.message_dict["done_on"] == ["The date is in the future; record it when it has happened."]


def test_the_meeting_needs_two_parties(world):
    case = services.mediation_case_create(
        case_type="victim_talk",
        summary="Indbrud",
        referred_on=days_ago(10),
        team=world.team,
        mediators=[world.worker],
        parties=[PartyInput(role="victim", young_person=world.young_person)],
        by=world.worker,
    )
    _prepare(world, case, on=days_ago(5))
    with pytest.raises(ValidationError) as error:
        services.mediation_step_record(case=case, step=1, done_on=days_ago(1), by=world.worker)
    assert "needs at least two parties" in _message(error)


def test_step_six_is_the_approved_agreement(world):
    case = _case(world)
    _prepare(world, case)
    _steps(case, 5)
    with pytest.raises(ValidationError) as error:
        services.mediation_step_record(case=case, step=6, done_on=days_ago(20), by=world.worker)
    assert "every party has approved it" in _message(error)


def test_the_agreement_waits_for_the_negotiation(world):
    case = _case(world)
    _prepare(world, case)
    _steps(case, 4)
    with pytest.raises(ValidationError) as error:
        services.mediation_agreement_save(case=case, text="x", agreed_on=days_ago(20), approved_by=[], by=None)
    assert "record step 5 first" in _message(error)


def test_an_agreement_not_approved_by_every_party_is_a_draft(world):
    case = _case(world)
    _prepare(world, case)
    _steps(case, 5)
    offender = case.parties.get(role="offender")
    agreement = services.mediation_agreement_save(
        case=case, text="Vi lader hinanden være.", agreed_on=days_ago(20), approved_by=[offender], by=world.worker
    )
    assert agreement.approved_on is None
    assert not MediationStep.objects.filter(case=case, step=6).exists()
    assert not MediationFollowUp.objects.filter(case=case).exists()
    offender.refresh_from_db()
    assert offender.approved_agreement_on == days_ago(20)


def test_an_approved_agreement_records_step_six_and_schedules_follow_ups(world):
    case = _case(world)
    _prepare(world, case)
    _steps(case, 5)
    agreed = dt.date(2024, 11, 30)
    MediationStep.objects.filter(case=case).update(done_on=agreed)
    MediationCase.objects.filter(pk=case.pk).update(referred_on=agreed - dt.timedelta(days=30))
    case.preparations.update(occurred_on=agreed - dt.timedelta(days=5))
    services.mediation_agreement_save(
        case=case, text="Vi hilser.", agreed_on=agreed, approved_by=case.parties.all(), by=world.worker
    )
    assert case.steps.get(step=6).done_on == agreed
    assert list(case.follow_ups.values_list("months", "due_on")) == [
        (3, dt.date(2025, 2, 28)),
        (12, dt.date(2025, 11, 30)),
    ]
    with pytest.raises(ValidationError) as error:
        services.mediation_agreement_save(case=case, text="Ny tekst", agreed_on=agreed, approved_by=[], by=None)
    assert "can no longer be changed" in _message(error)


def test_a_follow_up_records_the_relationship(world):
    case = _case(world)
    _prepare(world, case)
    _steps(case, 5)
    services.mediation_agreement_save(
        case=case, text="Vi hilser.", agreed_on=days_ago(20), approved_by=case.parties.all(), by=None
    )
    follow_up = case.follow_ups.get(months=3)
    with pytest.raises(ValidationError) as error:
        services.mediation_follow_up_record(follow_up=follow_up, held_on=days_ago(1), relationship="", by=None)
    assert error.value.message_dict["relationship"] == ["Record how the parties get on now."]
    with pytest.raises(ValidationError) as error:
        services.mediation_follow_up_record(
            follow_up=follow_up, held_on=days_ago(21), relationship="acceptance", by=None
        )
    assert "before the agreement" in error.value.message_dict["held_on"][0]
    services.mediation_follow_up_record(
        follow_up=follow_up, held_on=days_ago(1), relationship="acceptance", agreement_kept="kept", by=world.worker
    )
    follow_up.refresh_from_db()
    assert (follow_up.held_on, follow_up.relationship) == (days_ago(1), "acceptance")


def test_follow_ups_are_overdue_after_their_due_date(world):
    follow_up = MediationFollowUp(due_on=days_ago(1))
    assert follow_up.is_overdue(days_ago(0))
    assert not follow_up.is_overdue(days_ago(1))


def test_closing_with_an_agreement_needs_an_approved_one_and_the_relationship(world):
    case = _case(world)
    _prepare(world, case)
    _steps(case, 3)
    with pytest.raises(ValidationError) as error:
        services.mediation_case_close(case=case, closed_on=days_ago(1), outcome="agreement", by=None)
    assert error.value.message_dict["outcome"] == ["There is no agreement approved by every party."]
    with pytest.raises(ValidationError) as error:
        services.mediation_case_close(case=case, closed_on=days_ago(1), outcome="no_agreement", by=None)
    assert "relationship_after" in error.value.message_dict
    services.mediation_case_close(
        case=case, closed_on=days_ago(1), outcome="no_agreement", relationship_after="continued_hostility", by=None
    )
    with pytest.raises(ValidationError) as error:
        _steps(case, 4)
    assert "The case is closed." in _message(error)


def test_an_external_case_the_police_never_cleared_can_end_so(world):
    case = _case(world, case_type="external")
    services.mediation_case_close(case=case, closed_on=days_ago(1), outcome="not_cleared", by=world.worker)
    assert case.outcome == "not_cleared"


def test_parties_and_parents_are_added_before_the_meeting(world):
    case = _case(world)
    extra = EnrolmentFactory(primary_worker=world.worker).young_person
    party = services.mediation_party_add(case=case, role="other", young_person=extra, by=world.worker)
    with pytest.raises(ValidationError) as error:
        services.mediation_party_add(case=case, role="other", young_person=extra, by=world.worker)
    assert "already a party" in error.value.message_dict["young_person"][0]
    parent = services.mediation_parent_add(party=party, name="Hanne Hansen", relation="Mor", by=world.worker)
    assert parent.party == party
    _prepare(world, case)
    _steps(case, 1)
    with pytest.raises(ValidationError) as error:
        services.mediation_party_add(case=case, role="other", name="Sent tilføjet", by=world.worker)
    assert "parties are added before it" in _message(error)
    assert MediationParty.objects.filter(case=case).count() == 3


def test_preparation_must_be_with_a_mediator_of_the_case(world):
    case = _case(world)
    with pytest.raises(ValidationError) as error:
        services.mediation_preparation_record(
            case=case, kind="phone", occurred_on=days_ago(2), mediator=world.colleague, by=world.worker
        )
    assert error.value.message_dict["mediator"] == ["Choose one of the case's mediators."]

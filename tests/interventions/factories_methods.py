"""Factories for mediation, parent councils and Housing First/CTI. They set the
stage; tests of behaviour call the services."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from interventions.models import (
    HousingGoal,
    MediationCase,
    MediationFollowUp,
    MediationParent,
    MediationParty,
    MediationPreparation,
    MediationStep,
    NetworkRelation,
    ParentCouncil,
    ParentCouncilFamily,
    ParentCouncilFollowUp,
    ParentCouncilMeeting,
    ParentCouncilParent,
    ParentCouncilParticipant,
    ParentCouncilPlanItem,
    RelationType,
)
from tests.factories import EnrolmentFactory, TeamFactory, UserFactory, YoungPersonFactory, intervention


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


class MediationCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationCase
        skip_postgeneration_save = True

    case_type = "school"
    summary = "Konflikt i frikvarteret"
    referred_on = factory.LazyFunction(lambda: days_ago(60))
    team = factory.SubFactory(TeamFactory)

    @factory.post_generation
    def mediators(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.mediators.set(extracted)


class MediationPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationParty

    case = factory.SubFactory(MediationCaseFactory)
    young_person = factory.SubFactory(YoungPersonFactory)
    role = MediationParty.Role.OTHER


class MediationParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationParent

    party = factory.SubFactory(MediationPartyFactory)
    name = factory.Faker("name", locale="da_DK")
    relation = "Mor"


class MediationPreparationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationPreparation

    case = factory.SubFactory(MediationCaseFactory)
    kind = MediationPreparation.Kind.PRE_MEETING
    occurred_on = factory.LazyFunction(lambda: days_ago(50))
    mediator = factory.SubFactory(UserFactory)


class MediationStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationStep

    case = factory.SubFactory(MediationCaseFactory)
    step = 1
    done_on = factory.LazyFunction(lambda: days_ago(40))


class MediationFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediationFollowUp

    case = factory.SubFactory(MediationCaseFactory)
    months = 3
    due_on = factory.LazyFunction(lambda: days_ago(-30))


class ParentCouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentCouncil

    title = "Drengene fra Vestparken"
    concern = "Hærværk og sene aftener"
    initiator = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda o: o.initiator.team)
    coordinator_name = "Jytte Samordner"


class ParentCouncilFamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentCouncilFamily

    council = factory.SubFactory(ParentCouncilFactory)
    young_person = factory.SubFactory(YoungPersonFactory)


class ParentCouncilParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentCouncilParent

    family = factory.SubFactory(ParentCouncilFamilyFactory)
    name = factory.Faker("name", locale="da_DK")
    relation = "Far"


class ParentCouncilParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentCouncilParticipant

    council = factory.SubFactory(ParentCouncilFactory)
    role = ParentCouncilParticipant.Role.INFORMANT
    name = factory.Faker("name", locale="da_DK")
    organisation = "Vestparkens Skole"


class ParentCouncilMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentCouncilMeeting

    council = factory.SubFactory(ParentCouncilFactory)
    kind = ParentCouncilMeeting.Kind.COUNCIL
    held_on = factory.LazyFunction(lambda: days_ago(20))
    observations = "Set ved stationen efter kl. 22."


class ParentCouncilPlanItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentCouncilPlanItem

    council = factory.SubFactory(ParentCouncilFactory)
    text = "Vi ringer til hinanden, når de unge ikke er hjemme kl. 22"
    owner = ParentCouncilPlanItem.Owner.PARENTS
    owner_name = "Alle forældre"
    follow_up_on = factory.LazyFunction(lambda: days_ago(-20))


class ParentCouncilFollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParentCouncilFollowUp

    council = factory.SubFactory(ParentCouncilFactory)
    months = 3
    due_on = factory.LazyFunction(lambda: days_ago(-60))


def cti_enrolment(**kwargs: object):
    """A Housing First/CTI enrolment; `start_date` defaults to 100 days ago (try-out phase)."""
    kwargs.setdefault("start_date", days_ago(100))
    return EnrolmentFactory(intervention_type=intervention("housing_first_cti"), **kwargs)


class HousingGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HousingGoal

    enrolment = factory.LazyFunction(cti_enrolment)
    text = "Skrevet op til en lejlighed"
    target_on = factory.LazyFunction(lambda: days_ago(-30))


class NetworkRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkRelation

    young_person = factory.SubFactory(YoungPersonFactory)
    name = "Mor"
    relation_type = RelationType.BIRTH_FAMILY
    paid = False
    quality = NetworkRelation.Quality.CONFLICT

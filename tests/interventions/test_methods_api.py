"""The API for mediation cases, parent councils, network relations and CTI
courses: the same scope as the pages, explicit fields, reads logged."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from cases.models import AccessLog
from interventions.method_follow_ups import method_follow_ups_due
from interventions.models import NetworkRelation
from tests.factories import EnrolmentFactory, StatusEventFactory
from tests.interventions.factories_methods import (
    HousingGoalFactory,
    MediationCaseFactory,
    MediationFollowUpFactory,
    MediationPartyFactory,
    NetworkRelationFactory,
    ParentCouncilFactory,
    ParentCouncilFamilyFactory,
    ParentCouncilParentFactory,
    ParentCouncilPlanItemFactory,
    cti_enrolment,
    days_ago,
)

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_mediation_cases_with_parties_steps_and_overdue_follow_ups(world):
    case = MediationCaseFactory(team=world.team, mediators=[world.worker])
    MediationPartyFactory(case=case, young_person=world.young_person, role="victim")
    MediationPartyFactory(case=case, young_person=None, name="Elev fra Nordskolen", role="offender")
    MediationFollowUpFactory(case=case, due_on=days_ago(2))
    data = api(world.worker).get(reverse("mediation-case-detail", args=[case.pk])).json()
    assert [(p["name"], p["role"], p["registered"]) for p in data["parties"]] == [
        ("Mikkel Ung", "victim", True),
        ("Elev fra Nordskolen", "offender", False),
    ]
    assert data["follow_ups"][0]["overdue"] is True
    assert data["stage"] == "preparation" and data["agreement"] is None
    assert "cpr_number" not in str(data)
    assert AccessLog.objects.filter(
        action="read", object_type="mediationcase", young_person=world.young_person
    ).exists()
    listing = api(world.outsider).get(reverse("mediation-case-list")).json()
    assert listing["count"] == 0
    assert api(world.outsider).get(reverse("mediation-case-detail", args=[case.pk])).status_code == 404
    filtered = api(world.worker).get(reverse("mediation-case-list"), {"young_person": world.colleagues_young_person.pk})
    assert filtered.json()["count"] == 0


def test_parent_councils_with_families_and_plan(world):
    council = ParentCouncilFactory(initiator=world.worker)
    family = ParentCouncilFamilyFactory(council=council, young_person=world.young_person)
    ParentCouncilParentFactory(family=family, name="Hanne Ung")
    data = api(world.leader).get(reverse("parent-council-detail", args=[council.pk])).json()
    assert data["phase"] == "preparation"
    assert data["families"][0]["young_person"] == world.young_person.pk
    assert data["families"][0]["parents"][0]["name"] == "Hanne Ung"
    assert api(world.outsider).get(reverse("parent-council-detail", args=[council.pk])).status_code == 404
    assert api(world.analyst).get(reverse("parent-council-list")).status_code == 403


def test_network_relations_are_read_added_and_changed_through_the_service(world):
    client = api(world.worker)
    response = client.post(
        reverse("network-relation-list"),
        {
            "young_person": world.young_person.pk,
            "name": "Lektiecafé",
            "relation_type": "civil_society",
            "bridged_on": days_ago(3).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    relation = NetworkRelation.objects.get()
    assert (relation.paid, relation.quality, relation.created_by) == (False, "positive", world.worker)
    patched = client.patch(
        reverse("network-relation-detail", args=[relation.pk]), {"quality": "conflict"}, format="json"
    )
    assert patched.json()["quality"] == "conflict"
    refused = client.post(
        reverse("network-relation-list"),
        {
            "young_person": world.young_person.pk,
            "name": "Mor",
            "relation_type": "birth_family",
            "bridged_on": days_ago(3).isoformat(),
        },
        format="json",
    )
    assert refused.status_code == 400 and "bridged_on" in refused.json()
    outside = client.post(
        reverse("network-relation-list"),
        {"young_person": world.outsiders_young_person.pk, "name": "Mor", "relation_type": "birth_family"},
        format="json",
    )
    assert outside.status_code == 400 and "young_person" in outside.json()
    NetworkRelationFactory(young_person=world.outsiders_young_person)
    assert [r["id"] for r in client.get(reverse("network-relation-list")).json()["results"]] == [relation.pk]


def test_cti_courses_give_phase_planned_end_norm_and_goals(world):
    course = cti_enrolment(young_person=world.young_person, primary_worker=world.worker, start_date=days_ago(100))
    HousingGoalFactory(enrolment=course, text="Egen lejlighed", met_on=days_ago(1))
    StatusEventFactory(young_person=world.young_person, domain="housing", value="own_tenancy", date=days_ago(120))
    StatusEventFactory(young_person=world.young_person, domain="housing", value="shelter", date=days_ago(90))
    StatusEventFactory(young_person=world.young_person, domain="housing", value="supported_housing", date=days_ago(40))
    EnrolmentFactory(primary_worker=world.worker)  # relationship work: not a CTI course
    data = api(world.worker).get(reverse("cti-course-list")).json()
    assert data["count"] == 1
    row = data["results"][0]
    assert (row["phase"], row["day"], row["norm_per_week"]) == ("try_out", 100, "1.00")
    assert row["housing_goals"][0]["text"] == "Egen lejlighed"
    assert row["move_in_date"] == days_ago(40).isoformat()  # the first housed status on or after the start
    assert api(world.outsider).get(reverse("cti-course-detail", args=[course.pk])).status_code == 404


def test_method_follow_ups_due_for_the_workers_list(world):
    case = MediationCaseFactory(team=world.team)
    MediationPartyFactory(case=case, young_person=world.young_person)
    MediationFollowUpFactory(case=case, months=3, due_on=days_ago(2))
    MediationFollowUpFactory(case=case, months=12, due_on=days_ago(-200))  # not yet
    council = ParentCouncilFactory(initiator=world.worker, title="Pigerne fra 8.b")
    ParentCouncilFamilyFactory(council=council, young_person=world.young_person)
    ParentCouncilPlanItemFactory(council=council, text="Fælles fritidsprojekt", follow_up_on=days_ago(-3))
    rows = method_follow_ups_due(world.worker, today=days_ago(0))
    assert [(r.due_on, r.overdue) for r in rows] == [(days_ago(2), True), (days_ago(-3), False)]
    assert "Fælles fritidsprojekt" in rows[1].what and rows[1].url.endswith("#plan")
    assert method_follow_ups_due(world.outsider, today=days_ago(0)) == []

"""Who may reach each URL of mediation, parent councils and Housing First/CTI.

Every record here is in the worker's scope: a mediation case with her young
person as a party, a council about her young person's group, her young
person's CTI enrolment. Forms posted empty are shown again with their errors
(200) to those who may use them."""

from __future__ import annotations

from tests.conftest import World
from tests.interventions.factories_methods import (
    HousingGoalFactory,
    MediationCaseFactory,
    MediationFollowUpFactory,
    MediationPartyFactory,
    NetworkRelationFactory,
    ParentCouncilFactory,
    ParentCouncilFamilyFactory,
    ParentCouncilFollowUpFactory,
    ParentCouncilPlanItemFactory,
    cti_enrolment,
)
from tests.url_access import API_LIST, API_PERSONAL, CASE_PAGE, LOGIN, PERSONAL, Row, no_args, roles

# A form posted empty: shown again with its errors to those in scope.
PERSONAL_FORM = roles(LOGIN, 200, 200, 404, 403, 403)


def _mediation_case(world: World):
    case = MediationCaseFactory(team=world.team, mediators=[world.worker])
    MediationPartyFactory(case=case, young_person=world.young_person, role="victim")
    return case


def mediation_case(world: World) -> dict:
    return {"pk": _mediation_case(world).pk}


def mediation_follow_up(world: World) -> dict:
    return {"pk": MediationFollowUpFactory(case=_mediation_case(world)).pk}


def _council(world: World):
    council = ParentCouncilFactory(initiator=world.worker)
    ParentCouncilFamilyFactory(council=council, young_person=world.young_person)
    return council


def council(world: World) -> dict:
    return {"pk": _council(world).pk}


def council_family(world: World) -> dict:
    return {"pk": _council(world).families.get().pk}


def council_plan_item(world: World) -> dict:
    return {"pk": ParentCouncilPlanItemFactory(council=_council(world)).pk}


def council_follow_up(world: World) -> dict:
    return {"pk": ParentCouncilFollowUpFactory(council=_council(world)).pk}


def _cti(world: World):
    return cti_enrolment(young_person=world.young_person, primary_worker=world.worker)


def cti(world: World) -> dict:
    return {"pk": _cti(world).pk}


def cti_relation(world: World) -> dict:
    relation = NetworkRelationFactory(young_person=world.young_person)
    return {"pk": _cti(world).pk, "relation_pk": relation.pk}


def network_relation(world: World) -> dict:
    return {"pk": NetworkRelationFactory(young_person=world.young_person).pk}


def housing_goal(world: World) -> dict:
    return {"pk": HousingGoalFactory(enrolment=_cti(world)).pk}


ROWS: dict[str, Row] = {
    "interventions:mediation_list": Row("get", no_args, CASE_PAGE),
    "interventions:mediation_create": Row("get", no_args, CASE_PAGE),
    "interventions:mediation_detail": Row("get", mediation_case, PERSONAL),
    "interventions:mediation_edit": Row("get", mediation_case, PERSONAL),
    "interventions:mediation_party_add": Row("post", mediation_case, PERSONAL_FORM),
    "interventions:mediation_parent_add": Row("post", mediation_case, PERSONAL_FORM),
    "interventions:mediation_clearance": Row("post", mediation_case, PERSONAL_FORM),
    "interventions:mediation_preparation_add": Row("post", mediation_case, PERSONAL_FORM),
    "interventions:mediation_step_record": Row("post", mediation_case, PERSONAL_FORM),
    "interventions:mediation_agreement": Row("post", mediation_case, PERSONAL_FORM),
    "interventions:mediation_agreement_print": Row("get", mediation_case, PERSONAL),
    "interventions:mediation_agreement_pdf": Row("get", mediation_case, PERSONAL),
    "interventions:mediation_close": Row("post", mediation_case, PERSONAL_FORM),
    "interventions:mediation_follow_up": Row("post", mediation_follow_up, PERSONAL_FORM),
    "interventions:council_list": Row("get", no_args, CASE_PAGE),
    "interventions:council_create": Row("get", no_args, CASE_PAGE),
    "interventions:council_detail": Row("get", council, PERSONAL),
    "interventions:council_edit": Row("get", council, PERSONAL),
    "interventions:council_family_add": Row("post", council, PERSONAL_FORM),
    "interventions:council_parent_add": Row("post", council, PERSONAL_FORM),
    "interventions:council_participant_add": Row("post", council, PERSONAL_FORM),
    "interventions:council_invitation": Row("post", council, PERSONAL_FORM),
    "interventions:council_coordinator": Row("post", council, PERSONAL_FORM),
    "interventions:council_meeting_add": Row("post", council, PERSONAL_FORM),
    "interventions:council_plan_item_add": Row("post", council, PERSONAL_FORM),
    "interventions:council_plan_approve": Row("post", council, PERSONAL_FORM),
    "interventions:council_plan_print": Row("get", council, PERSONAL),
    "interventions:council_plan_pdf": Row("get", council, PERSONAL),
    "interventions:council_close": Row("post", council, PERSONAL_FORM),
    "interventions:council_family_step": Row("post", council_family, PERSONAL_FORM),
    "interventions:council_plan_item_done": Row("post", council_plan_item, PERSONAL_FORM),
    "interventions:council_follow_up": Row("post", council_follow_up, PERSONAL_FORM),
    "interventions:housing_first_list": Row("get", no_args, CASE_PAGE),
    "interventions:housing_first_detail": Row("get", cti, PERSONAL),
    "interventions:housing_status_add": Row("post", cti, PERSONAL_FORM),
    "interventions:housing_goal_add": Row("post", cti, PERSONAL_FORM),
    "interventions:housing_goal_met": Row("post", housing_goal, PERSONAL_FORM),
    "interventions:network_map": Row("get", cti, PERSONAL),
    "interventions:network_map_print": Row("get", cti, PERSONAL),
    "interventions:network_relation_edit": Row("get", cti_relation, PERSONAL),
    "interventions:cti_status": Row("get", cti, PERSONAL),
    "mediation-case-list": Row("get", no_args, API_LIST),
    "mediation-case-detail": Row("get", mediation_case, API_PERSONAL),
    "parent-council-list": Row("get", no_args, API_LIST),
    "parent-council-detail": Row("get", council, API_PERSONAL),
    "network-relation-list": Row("get", no_args, API_LIST),
    "network-relation-detail": Row("get", network_relation, API_PERSONAL),
    "cti-course-list": Row("get", no_args, API_LIST),
    "cti-course-detail": Row("get", cti, API_PERSONAL),
}

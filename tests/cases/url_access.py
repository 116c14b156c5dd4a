"""Who may reach each URL of cases/ and of the project's own URLconf."""

from __future__ import annotations

import datetime as dt

from cases.models import ActionPlan, Agreement, Consent, Goal
from tests.conftest import World
from tests.factories import PauseFactory
from tests.url_access import (
    ANY_USER,
    API_LIST,
    API_PERSONAL,
    CASE_PAGE,
    LOGIN,
    PERSONAL,
    PERSONAL_WRITE,
    PUBLIC,
    Row,
    no_args,
    own_contact,
    own_enrolment,
    own_person,
    roles,
)


def own_pause(world: World) -> dict:
    return {"pk": PauseFactory(enrolment=world.enrolment, end_date=None).pk}


def own_consent(world: World) -> dict:
    consent = Consent.objects.create(
        young_person=world.young_person,
        purpose="obtain_information",
        given_by="young_person",
        given_on=dt.date(2026, 1, 1),
        recorded_by=world.worker,
    )
    return {"pk": consent.pk}


def _plan(world: World) -> ActionPlan:
    return ActionPlan.objects.get_or_create(
        young_person=world.young_person, defaults={"coordinator": world.worker, "created_on": dt.date(2026, 1, 1)}
    )[0]


def own_plan(world: World) -> dict:
    return {"pk": _plan(world).pk}


def own_goal(world: World) -> dict:
    return {"pk": Goal.objects.create(plan=_plan(world), text="Goal").pk}


def own_agreement(world: World) -> dict:
    agreement = Agreement.objects.create(
        plan=_plan(world), text="Agreement", owner="parents", due_date=dt.date(2026, 2, 1)
    )
    return {"pk": agreement.pk}


# An API action posted with an empty body: field errors in scope, 404 outside.
API_ACTION = roles(401, 400, 400, 404, 403, 403)

ROWS: dict[str, Row] = {
    "cases:home": Row("get", no_args, ANY_USER),
    "cases:my_young_people": Row("get", no_args, CASE_PAGE),
    "cases:young_people_search": Row("post", no_args, CASE_PAGE),
    "cases:young_person_detail": Row("get", own_person, PERSONAL),
    "cases:contact_create": Row("post", own_person, roles(LOGIN, 200, 200, 404, 403, 403)),
    "cases:contact_edit": Row("get", own_contact, PERSONAL),
    "cases:contact_cancel": Row("post", own_contact, PERSONAL_WRITE),
    "cases:enrolment_open": Row("get", own_person, PERSONAL),
    "cases:enrolment_pause": Row("get", own_enrolment, PERSONAL),
    "cases:pause_resume": Row("get", own_pause, PERSONAL),
    "cases:enrolment_hand_over": Row("get", own_enrolment, PERSONAL),
    "cases:enrolment_close": Row("get", own_enrolment, PERSONAL),
    "cases:enrolment_reopen": Row("get", own_enrolment, PERSONAL),
    "cases:consent_record": Row("get", own_person, PERSONAL),
    "cases:consent_withdraw": Row("get", own_consent, PERSONAL),
    "cases:plan": Row("get", own_person, PERSONAL),
    "cases:plan_create": Row("get", own_person, PERSONAL),
    "cases:goal_add": Row("get", own_plan, PERSONAL),
    "cases:goal_achieve": Row("get", own_goal, PERSONAL),
    "cases:agreement_add": Row("get", own_plan, PERSONAL),
    "cases:agreement_done": Row("get", own_agreement, PERSONAL),
    "cases:plan_meeting_add": Row("get", own_plan, PERSONAL),
    "login": Row("get", no_args, roles(200, 302, 302, 302, 302, 302)),
    "logout": Row("post", no_args, roles(302, 302, 302, 302, 302, 302)),
    "set_language": Row("post", no_args, roles(302, 302, 302, 302, 302, 302)),
    "api-schema": Row("get", no_args, PUBLIC),
    "api-docs": Row("get", no_args, PUBLIC),
    "api-redoc": Row("get", no_args, PUBLIC),
    "young-person-list": Row("get", no_args, API_LIST),
    "young-person-detail": Row("get", own_person, API_PERSONAL),
    "enrolment-list": Row("get", no_args, API_LIST),
    "enrolment-detail": Row("get", own_enrolment, API_PERSONAL),
    "contact-list": Row("get", no_args, API_LIST),
    "contact-detail": Row("get", own_contact, API_PERSONAL),
    "enrolment-pause": Row("post", own_enrolment, API_ACTION),
    "enrolment-resume": Row("post", own_enrolment, API_ACTION),
    "enrolment-hand-over": Row("post", own_enrolment, API_ACTION),
    "enrolment-close": Row("post", own_enrolment, API_ACTION),
    "enrolment-reopen": Row("post", own_enrolment, API_ACTION),
    "plan-list": Row("get", no_args, API_LIST),
    "plan-detail": Row("get", own_plan, API_PERSONAL),
    "plan-goals": Row("post", own_plan, API_ACTION),
    "plan-agreements": Row("post", own_plan, API_ACTION),
    "plan-meetings": Row("post", own_plan, API_ACTION),
    "agreement-done": Row("post", own_agreement, API_ACTION),
}

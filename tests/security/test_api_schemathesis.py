"""Schemathesis against the API's own OpenAPI schema, once for each role (ASVS 13.1, 4.1).

The schema is drf-spectacular's (what /api/v1/schema/ serves); requests go in-process
to the WSGI application, authenticated with each persona's API token, against a world
with records of every kind for both teams (tests/security/test_list_detail.py). Every
operation is called with generated data, with path ids taken now from the caller's
team's records, now from the other team's, now generated. Checks:

- no 500 (not_a_server_error);
- a documented answer matches its schema (response_schema_conformance);
- scope: no answer names a young person outside the caller's scope (by her name, her
  CPR number or a `young_person` id), and analysts and administrators get no personal
  record at all.

`status_code_conformance` is left out: drf-spectacular documents the success answer of
each operation, not its 400/401/403/404, which are the point of most calls here.
Examples per operation and role are few (EXAMPLES), so all roles take a few minutes.
"""

from __future__ import annotations

import json
import re

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from cases.models import YoungPerson
from cases.selectors import young_people_for
from tests.conftest import World
from tests.security.test_list_detail import _mirror, _records

pytestmark = pytest.mark.django_db

ROLES = ("worker", "leader", "outsider", "analyst", "admin")
EXAMPLES = {"worker": 6, "leader": 4, "outsider": 4, "analyst": 2, "admin": 2}
CPRS = {"young_person": "1705081234", "outsiders_young_person": "0101091234", "colleagues_young_person": "0202091234"}
YOUNG_PERSON_ID = re.compile(r'"young_person":\s*(\d+)')


def _schema() -> schemathesis.schemas.BaseSchema:
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(raw, default=str)))
    schema.app = get_wsgi_application()
    return schema


@pytest.fixture
def _connection_kept():
    # The WSGI handler closes the database connection after each request; in a test, that
    # is the test's transaction. Django's own test client unhooks the same two receivers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(_connection_kept, world: World) -> tuple[World, dict[str, set[int]], dict[str, set[int]]]:
    for attribute, cpr in CPRS.items():
        person = getattr(world, attribute)
        person.cpr_number = cpr
        person.save()
    own, others = _records(world), _records(_mirror(world))
    return world, own, others


def _operations(schema) -> list:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 30
    return operations


def _ids_for(operation, records: dict[str, set[int]]) -> list[int]:
    """Ids of records behind this operation's path, when it has an {id}."""
    path = operation.path.removeprefix("/api/v1/")
    route = {
        "young-people": "young-person-detail",
        "enrolments": "enrolment-detail",
        "contacts": "contact-detail",
        "plans": "plan-detail",
        "agreements": "plan-detail",
        "mentoring/mentors": "mentor-detail",
        "mentoring/matches": "mentor-match-detail",
        "group-activities": "group-activity-detail",
        "follow-up-flags": "follow-up-flag-detail",
        "mediation-cases": "mediation-case-detail",
        "parent-councils": "parent-council-detail",
        "network-relations": "network-relation-detail",
        "cti-courses": "cti-course-detail",
    }
    for prefix, detail in sorted(route.items(), key=lambda item: -len(item[0])):
        if path.startswith(prefix + "/{id}"):
            return sorted(records.get(detail, set()))
    return []


def _out_of_scope(world: World, role: str) -> tuple[list[str], set[int]]:
    """Names and CPR numbers the role must never get, and the young people it may get."""
    everyone = list(YoungPerson.objects.all())
    user = getattr(world, role)
    visible = set(young_people_for(user).values_list("pk", flat=True))
    hidden = [p for p in everyone if p.pk not in visible]
    return [p.name for p in hidden] + [p.cpr_number for p in hidden if p.cpr_number], visible


@pytest.mark.parametrize("role", ROLES)
def test_the_api_holds_for_each_role(api_world, role):
    world, own, others = api_world
    user = getattr(world, role)
    token = Token.objects.create(user=user)
    headers = {"Authorization": f"Token {token.key}"}
    forbidden, visible = _out_of_scope(world, role)
    schema = _schema()
    failures: list[str] = []
    calls: list[int] = []
    if role in ("worker", "leader", "outsider"):
        assert forbidden and visible  # there is something to keep out, and something to see

    for operation in _operations(schema):
        strategies = [operation.as_strategy()]
        if "{id}" in operation.path:
            for pk in _ids_for(operation, own)[:1] + _ids_for(operation, others)[:1]:
                strategies.append(operation.as_strategy(path_parameters={"id": pk}))

        @hypothesis.settings(
            max_examples=EXAMPLES[role],
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        @given(case=st.one_of(strategies))
        def call(case) -> None:
            response = case.call(headers=headers)
            calls.append(response.status_code)
            where = f"{role} {case.method} {case.formatted_path}: {response.status_code}"
            try:
                case.validate_response(
                    response, checks=[not_a_server_error, response_schema_conformance], headers=headers
                )
            except (AssertionError, Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - collected, reported together
                detail = " | ".join(line.strip() for line in str(error).splitlines()[1:6] if line.strip())
                failures.append(f"{where}: {detail}")
            text = response.text
            leaked = [secret for secret in forbidden if secret in text]
            strangers = {int(i) for i in YOUNG_PERSON_ID.findall(text)} - visible
            if leaked or strangers:
                failures.append(f"{where}: out of scope: {leaked} young_person ids {sorted(strangers)}")
            if role in ("analyst", "admin") and response.status_code < 300 and '"young_person"' in text:
                failures.append(f"{where}: a personal record for an {role}")

        call()

    assert len(calls) >= 2 * len(_operations(schema))
    if role in ("worker", "leader"):
        assert calls.count(200) + calls.count(201) >= 20  # much of it got through to real records
    assert failures == [], "\n".join(sorted(set(failures))[:60])

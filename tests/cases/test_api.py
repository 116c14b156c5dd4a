from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.models import AccessLog, Contact
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_token_authentication_works(world):
    token = Token.objects.create(user=world.worker)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/young-people/").status_code == 200
    assert APIClient().get("/api/v1/young-people/").status_code == 401


def test_young_people_list_is_scoped_and_logged(world):
    response = api(world.worker).get("/api/v1/young-people/")
    names = {row["name"] for row in response.json()["results"]}
    assert names == {"Mikkel Ung", "Freja Kollega"}
    assert AccessLog.objects.filter(action="list", user=world.worker).count() == 2


def test_no_cpr_number_in_the_api(world):
    world.young_person.cpr_number = "0102031234"
    world.young_person.save()
    body = api(world.worker).get(f"/api/v1/young-people/{world.young_person.pk}/").content.decode()
    assert "0102031234" not in body and "cpr" not in body


def test_leader_sees_team_outsider_does_not(world):
    assert api(world.leader).get(f"/api/v1/young-people/{world.young_person.pk}/").status_code == 200
    assert api(world.outsider).get(f"/api/v1/young-people/{world.young_person.pk}/").status_code == 404
    outsider_names = {r["name"] for r in api(world.outsider).get("/api/v1/young-people/").json()["results"]}
    assert outsider_names == {"Jonas Fremmed"}


def test_analyst_gets_no_personal_records(world):
    for path in ("/api/v1/young-people/", "/api/v1/enrolments/", "/api/v1/contacts/"):
        assert api(world.analyst).get(path).status_code == 403


def test_enrolments_list_filters_by_young_person(world):
    response = api(world.worker).get(f"/api/v1/enrolments/?young_person={world.young_person.pk}")
    rows = response.json()["results"]
    assert [(r["id"], r["intervention"]) for r in rows] == [(world.enrolment.pk, "relationship_work")]


def test_create_contact(world):
    when = (timezone.now() - dt.timedelta(hours=3)).isoformat()
    response = api(world.worker).post(
        "/api/v1/contacts/",
        {
            "enrolment": world.enrolment.pk,
            "occurred_at": when,
            "duration_minutes": 40,
            "channel": "escort",
            "status": "held",
            "note": "Fulgt til jobcenter",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    contact = Contact.objects.get()
    assert response.json()["id"] == contact.pk
    assert (contact.worker, contact.channel) == (world.worker, "escort")


def test_create_contact_with_bad_input_gives_field_errors(world):
    response = api(world.worker).post(
        "/api/v1/contacts/",
        {"enrolment": world.enrolment.pk, "occurred_at": "yesterday", "duration_minutes": 5000, "channel": "pigeon"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"occurred_at", "duration_minutes", "channel"}
    assert Contact.objects.count() == 0


def test_service_validation_becomes_a_field_error(world):
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    response = api(world.worker).post(
        "/api/v1/contacts/",
        {"enrolment": world.enrolment.pk, "occurred_at": future, "duration_minutes": 30},
        format="json",
    )
    assert response.status_code == 400
    assert "occurred_at" in response.json()


def test_cannot_create_a_contact_on_another_teams_enrolment(world):
    outsiders = world.outsiders_young_person.enrolments.get()
    response = api(world.worker).post(
        "/api/v1/contacts/",
        {"enrolment": outsiders.pk, "occurred_at": timezone.now().isoformat(), "duration_minutes": 30},
        format="json",
    )
    assert response.status_code == 400
    assert "enrolment" in response.json()
    assert Contact.objects.count() == 0


def test_update_contact_is_recorded(world):
    contact = ContactFactory(enrolment=world.enrolment, duration_minutes=30)
    response = api(world.worker).patch(f"/api/v1/contacts/{contact.pk}/", {"status": "no_show"}, format="json")
    assert response.status_code == 200, response.json()
    contact.refresh_from_db()
    assert contact.status == "no_show"
    assert AccessLog.objects.get(action="update").detail == "status"


def test_contacts_cannot_be_deleted_through_the_api(world):
    contact = ContactFactory(enrolment=world.enrolment)
    assert api(world.worker).delete(f"/api/v1/contacts/{contact.pk}/").status_code == 405


def test_schema_and_docs_are_served_offline(world):
    client = api(world.worker)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/contacts/" in schema.content
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs
    assert "cdn" not in docs.lower()


def test_openapi_schema_is_valid_with_no_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")

"""Nobody changes the fields that decide access through the API (ASVS 4.2.1, mass assignment):
who owns a record (worker, primary worker, coordinator, who raised a flag), which team it
belongs to, a user's role, and which young person or enrolment a record hangs on.

1. Structurally, every serializer of the application: such a field is read-only, or a
   reference whose choices are scoped to the caller (it leaves out records of another
   team that exist).
2. By attack, as a worker of Team Nord through the API: each write endpoint is sent the
   other team's worker, team, young person or enrolment; the answer is 400 (or the field is
   ignored) and the database shows nothing moved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cases.models import ActionPlan, Contact, Enrolment, Goal, User
from interventions.models import FollowUpFlag, GroupActivity, Mentor, NetworkRelation
from tests.conftest import World, login
from tests.factories import ContactFactory, EnrolmentFactory, intervention
from tests.security.test_explicit_fields import _import_everything, _ours, _subclasses

pytestmark = pytest.mark.django_db

# Fields whose value decides who may see or change a record.
ACCESS_FIELDS = {
    # owner-like
    "worker", "primary_worker", "new_worker", "coordinator", "raised_by", "taken_by", "recorded_by",
    "created_by", "user", "initiator", "mentor", "workers", "mediators",
    # team and role
    "team", "role", "is_staff", "is_superuser", "groups", "user_permissions",
    # the record it hangs on
    "young_person", "enrolment", "plan", "goal", "parent", "activity", "match", "case", "council", "present",
}  # fmt: skip


# Not a write: a filter of what the caller may read anyway (workers: their scope; analysts: every team).
NOT_WRITES = {"outcomes.api.indicators.IndicatorQuerySerializer.team"}


def _outside_records(world: World) -> None:
    """Records of the other team, so that a scoped choice has something to leave out."""
    outsiders_enrolment = world.outsiders_young_person.enrolments.get()
    plan = ActionPlan.objects.create(
        young_person=world.outsiders_young_person, coordinator=world.outsider, created_on=dt.date(2026, 1, 1)
    )
    Goal.objects.create(plan=plan, text="Other team's goal")
    Mentor.objects.create(team=world.other_team, name="Other team's mentor", status=Mentor.Status.ACTIVE)
    activity = GroupActivity.objects.create(
        team=world.other_team, title="Other team's club", starts_at=timezone.now(), duration_minutes=60
    )
    FollowUpFlag.objects.create(enrolment=outsiders_enrolment, activity=activity, raised_by=world.outsider, reason="x")
    NetworkRelation.objects.create(
        young_person=world.outsiders_young_person, name="Mor", relation_type="family", quality="good"
    )


def test_every_access_field_of_every_serializer_is_read_only_or_scoped(world):
    _outside_records(world)
    _import_everything()
    request = Request(APIRequestFactory().post("/"))
    request.user = world.worker
    checked, problems = [], []
    for cls in sorted(
        (c for c in _subclasses(serializers.Serializer) if _ours(c)), key=lambda c: f"{c.__module__}.{c.__qualname__}"
    ):
        try:
            fields = cls(context={"request": request}).fields
        except Exception as error:  # noqa: BLE001 - a serializer that needs more to be built is reported
            problems.append(f"{cls.__qualname__}: cannot be built ({error})")
            continue
        for name, field in fields.items():
            if name not in ACCESS_FIELDS or field.read_only:
                continue
            where = f"{cls.__module__}.{cls.__qualname__}.{name}"
            if where in NOT_WRITES:
                continue
            checked.append(where)
            related = field.child_relation if isinstance(field, ManyRelatedField) else field
            if not isinstance(related, RelatedField):
                problems.append(f"{where}: writable and not a reference")
                continue
            choices = related.get_queryset()
            if choices.count() >= choices.model._default_manager.count():
                problems.append(f"{where}: offers every {choices.model.__name__}, the other team's too")
    assert len(checked) >= 10  # the writable references exist and were looked at
    assert problems == [], "\n".join(problems)


# --- By attack --------------------------------------------------------------------------------


def _api(world: World):
    client = login(world.worker)
    return client


def test_a_contact_cannot_be_logged_for_someone_else_or_on_another_teams_enrolment(world):
    client = _api(world)
    outsiders_enrolment = world.outsiders_young_person.enrolments.get()
    payload = {
        "enrolment": world.enrolment.pk,
        "worker": world.outsider.pk,
        "occurred_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "duration_minutes": 30,
        "channel": "phone",
        "status": "held",
        "note": "",
    }
    created = client.post("/api/v1/contacts/", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert Contact.objects.get(pk=created.json()["id"]).worker == world.worker  # `worker` was ignored

    refused = client.post(
        "/api/v1/contacts/", {**payload, "enrolment": outsiders_enrolment.pk}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert "enrolment" in refused.json()
    assert not Contact.objects.filter(enrolment=outsiders_enrolment).exists()


def test_a_contact_cannot_be_moved_to_another_team_or_owner(world):
    client = _api(world)
    contact = ContactFactory(enrolment=world.enrolment)
    outsiders_enrolment = world.outsiders_young_person.enrolments.get()
    url = f"/api/v1/contacts/{contact.pk}/"
    moved = client.patch(url, {"enrolment": outsiders_enrolment.pk}, content_type="application/json")
    assert moved.status_code == 400
    client.patch(
        url, {"worker": world.outsider.pk, "created_at": "2020-01-01T00:00:00Z"}, content_type="application/json"
    )
    contact.refresh_from_db()
    assert (contact.enrolment, contact.worker) == (world.enrolment, world.worker)
    assert contact.created_at.year != 2020


def test_an_enrolment_cannot_be_opened_for_another_team(world):
    client = _api(world)
    base = {"intervention": "relationship_work", "start_date": timezone.localdate().isoformat()}
    for tampered in (
        {"young_person": world.outsiders_young_person.pk, "primary_worker": world.worker.pk},
        {"young_person": world.young_person.pk, "primary_worker": world.outsider.pk},
    ):
        response = client.post("/api/v1/enrolments/", {**base, **tampered}, content_type="application/json")
        assert response.status_code == 400, tampered
    assert Enrolment.objects.filter(primary_worker=world.outsider).count() == 1
    # A team in the payload is not taken: the team is the primary worker's.
    intervention("mediation")
    person = EnrolmentFactory(primary_worker=world.colleague).young_person
    opened = client.post(
        "/api/v1/enrolments/",
        {**base, "intervention": "mediation", "young_person": person.pk, "primary_worker": world.colleague.pk,
         "team": world.other_team.pk},
        content_type="application/json",
    )  # fmt: skip
    assert opened.status_code == 201, opened.content
    assert Enrolment.objects.get(pk=opened.json()["id"]).team == world.team


def test_a_hand_over_cannot_give_a_case_to_another_team(world):
    response = _api(world).post(
        f"/api/v1/enrolments/{world.enrolment.pk}/hand-over/",
        {"new_worker": world.outsider.pk, "on_date": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    world.enrolment.refresh_from_db()
    assert (world.enrolment.primary_worker, world.enrolment.team) == (world.worker, world.team)


def test_a_plan_cannot_be_made_for_another_teams_young_person_or_coordinator(world):
    client = _api(world)
    for tampered in (
        {"young_person": world.outsiders_young_person.pk, "coordinator": world.worker.pk},
        {"young_person": world.young_person.pk, "coordinator": world.outsider.pk},
    ):
        response = client.post(
            "/api/v1/plans/", {**tampered, "created_on": "2026-01-01"}, content_type="application/json"
        )
        assert response.status_code == 400, tampered
    assert not ActionPlan.objects.exists()


def test_a_goal_or_agreement_cannot_hang_on_another_teams_plan(world):
    _outside_records(world)
    client = _api(world)
    plan = ActionPlan.objects.create(
        young_person=world.young_person, coordinator=world.worker, created_on=dt.date(2026, 1, 1)
    )
    other_goal = Goal.objects.exclude(plan=plan).get()

    def add(goal_id: int) -> tuple[dict, dict]:
        goal = client.post(
            f"/api/v1/plans/{plan.pk}/goals/",
            {"text": "Sub-goal", "set_by": "young_person", "parent": goal_id},
            content_type="application/json",
        )
        agreement = client.post(
            f"/api/v1/plans/{plan.pk}/agreements/",
            {"text": "Call", "owner": "parents", "due_date": "2026-02-01", "goal": goal_id},
            content_type="application/json",
        )
        assert (goal.status_code, agreement.status_code) == (400, 400)
        return goal.json(), agreement.json()

    # The other team's goal gets the answer an id that does not exist gets (nothing to learn from it).
    other, missing = add(other_goal.pk), add(other_goal.pk + 1000)
    assert [str(e).replace(str(other_goal.pk), "ID") for e in (other[0]["parent"], other[1]["goal"])] == [
        str(e).replace(str(other_goal.pk + 1000), "ID") for e in (missing[0]["parent"], missing[1]["goal"])
    ]
    assert not plan.goals.exists() and not plan.agreements.exists()


def test_a_group_activity_stays_in_the_callers_team(world):
    client = _api(world)
    created = client.post(
        "/api/v1/group-activities/",
        {"team": world.other_team.pk, "kind": "drop_in", "title": "Fredagsklub",
         "starts_at": timezone.now().isoformat(), "duration_minutes": 90, "workers": [world.worker.pk]},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    activity = GroupActivity.objects.get(pk=created.json()["id"])
    assert activity.team == world.team
    url = f"/api/v1/group-activities/{activity.pk}/"
    client.patch(url, {"team": world.other_team.pk}, content_type="application/json")
    refused = client.patch(url, {"workers": [world.outsider.pk]}, content_type="application/json")
    assert refused.status_code == 400
    activity.refresh_from_db()
    assert activity.team == world.team and list(activity.workers.all()) == [world.worker]


def test_a_flag_cannot_be_raised_on_another_teams_enrolment_or_by_someone_else(world):
    client = _api(world)
    outsiders_enrolment = world.outsiders_young_person.enrolments.get()
    refused = client.post(
        "/api/v1/follow-up-flags/",
        {"enrolment": outsiders_enrolment.pk, "reason": "Virkede trist"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    raised = client.post(
        "/api/v1/follow-up-flags/",
        {"enrolment": world.enrolment.pk, "reason": "Virkede trist", "raised_by": world.outsider.pk},
        content_type="application/json",
    )
    assert raised.status_code == 201, raised.content
    assert FollowUpFlag.objects.get(pk=raised.json()["id"]).raised_by == world.worker
    assert not FollowUpFlag.objects.filter(enrolment=outsiders_enrolment).exists()


def test_a_network_relation_cannot_be_moved_to_another_teams_young_person(world):
    client = _api(world)
    relation = NetworkRelation.objects.create(
        young_person=world.young_person, name="Morfar", relation_type="family", quality="good"
    )
    for method, url in (
        ("post", "/api/v1/network-relations/"),
        ("patch", f"/api/v1/network-relations/{relation.pk}/"),
    ):
        response = getattr(client, method)(
            url,
            {"young_person": world.outsiders_young_person.pk, "name": "Morfar", "relation_type": "family",
             "quality": "good"},
            content_type="application/json",
        )  # fmt: skip
        assert response.status_code == 400, (method, response.content)
    relation.refresh_from_db()
    assert relation.young_person == world.young_person
    assert not NetworkRelation.objects.filter(young_person=world.outsiders_young_person).exists()


def test_a_mentor_match_cannot_use_another_teams_young_person_or_mentor(world):
    client = _api(world)
    other_mentor = Mentor.objects.create(team=world.other_team, name="Anden mentor", status=Mentor.Status.ACTIVE)
    own_mentor = Mentor.objects.create(team=world.team, name="Egen mentor", status=Mentor.Status.ACTIVE)
    base = {"meeting_date": "2026-01-10", "meeting_participants": "Sara, Mikkel"}
    for tampered in (
        {"young_person": world.outsiders_young_person.pk, "mentor": own_mentor.pk},
        {"young_person": world.young_person.pk, "mentor": other_mentor.pk},
    ):
        response = client.post("/api/v1/mentoring/matches/", {**base, **tampered}, content_type="application/json")
        assert response.status_code == 400, tampered
        assert set(response.json()) & {"young_person", "mentor"}, response.content


def test_no_endpoint_changes_a_users_role_or_team(world):
    # The API has no user endpoint; the administrator's admin is the only place to change a role.
    from django.urls import get_resolver

    api_routes = [str(p.pattern) for p in get_resolver().url_patterns if str(p.pattern).startswith("api/")]
    assert api_routes
    client = login(world.worker)
    for path in ("/api/v1/users/", f"/api/v1/users/{world.worker.pk}/", "/api/v1/me/"):
        assert client.patch(path, {"role": "administrator"}, content_type="application/json").status_code == 404
    world.worker.refresh_from_db()
    assert (world.worker.role, world.worker.team) == (User.Role.WORKER, world.team)

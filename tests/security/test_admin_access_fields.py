"""Nobody but a superuser sets the fields that decide access through the admin (ASVS 4.2.1,
mass assignment): a user's role and team, is_staff, is_superuser, groups and permissions, on
a new user as on an existing one, and the user account a mentor is linked to (it decides
which young people the mentor sees). A staff user who holds every permission on users and
mentors posts them anyway; the database shows they did not take. A superuser still can."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import User
from interventions.models import Mentor
from tests.conftest import World, login
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(world: World) -> User:
    """An administrator with the admin and every permission on users and mentors, not a superuser."""
    user = UserFactory(username="staffer", name="Staffer", role=User.Role.ADMINISTRATOR, team=None, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="cases", content_type__model="user"),
        *Permission.objects.filter(
            content_type__app_label="interventions", content_type__model__in=["mentor", "screeningstep"]
        ),
    )
    TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)  # staff sign in with a second factor
    return user


@pytest.fixture
def group() -> Group:
    powerful = Group.objects.create(name="Powerful")
    powerful.permissions.add(*Permission.objects.all())
    return powerful


def _escalation(world: World, group: Group) -> dict:
    """Everything that decides access, set as high as it goes."""
    return {
        "role": User.Role.TEAM_LEADER,
        "team": world.other_team.pk,
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [group.pk],
        "user_permissions": list(Permission.objects.values_list("pk", flat=True)[:5]),
    }


def _new_user(username: str) -> dict:
    return {"username": username, "name": "Ny Bruger", "password1": PASSWORD + "x9", "password2": PASSWORD + "x9"}


def _change(user: User) -> dict:
    return {
        "username": user.username,
        "name": user.name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }


def _access(user: User) -> tuple:
    user.refresh_from_db()
    return (
        user.role,
        user.team_id,
        user.is_staff,
        user.is_superuser,
        list(user.groups.all()),
        list(user.user_permissions.all()),
    )


# --- A new user -------------------------------------------------------------------------------


def test_a_staff_user_who_is_not_a_superuser_adds_a_user_without_access(world, staff, group):
    client = login(staff)
    url = reverse("admin:cases_user_add")
    page = client.get(url).content.decode()
    assert 'name="username"' in page
    assert 'name="role"' not in page and 'name="team"' not in page and 'name="is_superuser"' not in page

    response = client.post(url, {**_new_user("nybruger"), **_escalation(world, group)})
    assert response.status_code == 302, response.content.decode()[:2000]
    added = User.objects.get(username="nybruger")
    # The one role that needs no team and opens no record until a superuser links a mentor.
    assert _access(added) == (User.Role.MENTOR, None, False, False, [], [])
    assert added.name == "Ny Bruger" and added.check_password(PASSWORD + "x9")


def test_a_superuser_adds_a_user_with_her_role_and_team(world):
    client = login(world.admin)
    page = client.get(reverse("admin:cases_user_add")).content.decode()
    assert 'name="role"' in page and 'name="team"' in page
    response = client.post(
        reverse("admin:cases_user_add"),
        {**_new_user("nyleder"), "role": User.Role.TEAM_LEADER, "team": world.other_team.pk},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = User.objects.get(username="nyleder")
    assert (added.role, added.team) == (User.Role.TEAM_LEADER, world.other_team)


# --- An existing user -------------------------------------------------------------------------


@pytest.mark.parametrize("whom", ["worker", "staff"])
def test_a_staff_user_who_is_not_a_superuser_cannot_raise_a_user_or_herself(world, staff, group, whom):
    target = world.worker if whom == "worker" else staff
    before = _access(target)
    client = login(staff)
    url = reverse("admin:cases_user_change", args=[target.pk])
    page = client.get(url).content.decode()
    for field in ("role", "team", "is_staff", "is_superuser", "groups", "user_permissions"):
        assert f'name="{field}"' not in page, field

    response = client.post(url, {**_change(target), "name": "Omdøbt", **_escalation(world, group)})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _access(target) == before
    assert target.name == "Omdøbt"  # the form was saved, without the access fields


def test_a_superuser_changes_role_team_and_superuser(world):
    client = login(world.admin)
    target = world.worker
    response = client.post(
        reverse("admin:cases_user_change", args=[target.pk]),
        {**_change(target), "role": User.Role.TEAM_LEADER, "team": world.other_team.pk, "is_staff": "on",
         "is_superuser": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _access(target)[:4] == (User.Role.TEAM_LEADER, world.other_team.pk, True, True)


# --- Another account's password ---------------------------------------------------------------


def _new_password() -> dict:
    return {"password1": PASSWORD + "Zq7", "password2": PASSWORD + "Zq7", "usable_password": "true"}


@pytest.mark.parametrize("whom", ["worker", "admin"])
def test_a_staff_user_who_is_not_a_superuser_cannot_set_another_accounts_password(world, staff, whom):
    """Setting a password is signing in as that account: a worker's caseload, a superuser's everything."""
    target = getattr(world, whom)
    client = login(staff)
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, _new_password()).status_code == 403
    target.refresh_from_db()
    assert target.check_password(PASSWORD) and not target.check_password(PASSWORD + "Zq7")


def test_a_staff_user_sets_her_own_password_and_a_superuser_anyones(world, staff):
    own = login(staff).post(reverse("admin:auth_user_password_change", args=[staff.pk]), _new_password())
    assert own.status_code == 302, own.content.decode()[:2000]
    other = login(world.admin).post(reverse("admin:auth_user_password_change", args=[world.worker.pk]), _new_password())
    assert other.status_code == 302, other.content.decode()[:2000]
    for user in (staff, world.worker):
        user.refresh_from_db()
        assert user.check_password(PASSWORD + "Zq7")


# --- A mentor's user account ------------------------------------------------------------------


@pytest.fixture
def mentor_and_account(world: World) -> tuple[Mentor, User]:
    mentor = Mentor.objects.create(team=world.team, name="Mette Mentor", status=Mentor.Status.ACTIVE)
    account = UserFactory(username="mette", name="Mette Mentor", role=User.Role.MENTOR, team=None)
    return mentor, account


def _link(client, mentor: Mentor, account: User):
    return client.post(
        reverse("admin:interventions_mentor_change", args=[mentor.pk]),
        {
            "user": account.pk,
            "screening_steps-TOTAL_FORMS": "0",
            "screening_steps-INITIAL_FORMS": "0",
            "screening_steps-MIN_NUM_FORMS": "0",
            "screening_steps-MAX_NUM_FORMS": "1000",
        },
    )


def test_a_staff_user_who_is_not_a_superuser_cannot_link_a_mentor_to_an_account(world, staff, mentor_and_account):
    mentor, account = mentor_and_account
    client = login(staff)
    page = client.get(reverse("admin:interventions_mentor_change", args=[mentor.pk]))
    assert page.status_code == 200
    assert 'name="user"' not in page.content.decode()
    response = _link(client, mentor, account)
    assert response.status_code == 302, response.content.decode()[:2000]
    mentor.refresh_from_db()
    assert mentor.user is None


def test_a_superuser_links_a_mentor_to_an_account(world, mentor_and_account):
    mentor, account = mentor_and_account
    response = _link(login(world.admin), mentor, account)
    assert response.status_code == 302, response.content.decode()[:2000]
    mentor.refresh_from_db()
    assert mentor.user == account

"""Personas shared by every test: a worker and her caseload, a team leader of
her team, a colleague on her team, a worker of another team, an analyst, an
administrator and an anonymous visitor."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.http import HttpRequest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import needs_second_factor
from cases.models import Enrolment, Team, User, YoungPerson
from tests.factories import PASSWORD, EnrolmentFactory, TeamFactory, UserFactory


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache (Redis in the test settings) outlives each test's rolled-back
    # database; a value cached by one test must not answer another.
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness is for attackers, not for a test suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    team: Team
    other_team: Team
    worker: User
    colleague: User
    leader: User
    outsider: User
    analyst: User
    admin: User
    young_person: YoungPerson  # on the worker's own caseload
    enrolment: Enrolment
    colleagues_young_person: YoungPerson  # on the colleague's caseload, same team
    outsiders_young_person: YoungPerson  # another team's


@pytest.fixture
def world(db) -> World:
    team = TeamFactory(name="Team Nord")
    other_team = TeamFactory(name="Team Syd")
    worker = UserFactory(username="worker", name="Sara Worker", team=team)
    colleague = UserFactory(username="colleague", name="Karim Colleague", team=team)
    leader = UserFactory(username="leader", name="Lene Leader", role=User.Role.TEAM_LEADER, team=team)
    outsider = UserFactory(username="outsider", name="Omar Outsider", team=other_team)
    analyst = UserFactory(username="analyst", name="Anders Analyst", role=User.Role.ANALYST, team=None)
    admin = UserFactory(
        username="admin", name="Ada Admin", role=User.Role.ADMINISTRATOR, team=None, is_staff=True, is_superuser=True
    )
    # The analyst and the administrator have enrolled their authenticator app (second factor).
    for user in (analyst, admin):
        TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)
    enrolment = EnrolmentFactory(primary_worker=worker, young_person__name="Mikkel Ung")
    colleagues = EnrolmentFactory(primary_worker=colleague, young_person__name="Freja Kollega")
    outsiders = EnrolmentFactory(primary_worker=outsider, young_person__name="Jonas Fremmed")
    return World(
        team=team,
        other_team=other_team,
        worker=worker,
        colleague=colleague,
        leader=leader,
        outsider=outsider,
        analyst=analyst,
        admin=admin,
        young_person=enrolment.young_person,
        enrolment=enrolment,
        colleagues_young_person=colleagues.young_person,
        outsiders_young_person=outsiders.young_person,
    )


def login(user: User | None) -> Client:
    """A client signed in with the password, as the login page would; an analyst or
    administrator with an enrolled app also with the second factor (her device recorded
    in the session, as accounts.second_factor.second_factor_verify leaves it). The flow
    itself is tested in tests/accounts/."""
    client = Client()
    if user is not None:
        assert client.login(request=signin_request(), username=user.username, password=PASSWORD)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if needs_second_factor(user) else None
        if device is not None:
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
    return client


def signin_request(address: str = "127.0.0.1") -> HttpRequest:
    """django-axes needs the request to authenticate (it counts failures per address)."""
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = address
    return request


@pytest.fixture(autouse=True)
def _axes_sees_a_request(monkeypatch):
    # Django's test client authenticates without a request, which django-axes refuses
    # (AxesBackendRequestParameterRequired); tests that call Client.login directly get
    # the request a browser's sign-in would have. Lock-out itself is tested in tests/accounts/.
    original = Client.login

    def login_with_request(self, **credentials):
        credentials.setdefault("request", signin_request())
        return original(self, **credentials)

    monkeypatch.setattr(Client, "login", login_with_request)


@pytest.fixture
def client_for():
    return login

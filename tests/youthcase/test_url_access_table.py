"""Every URL pattern of the application, held against a role-by-view table.

A new view that is missing from the table fails `test_every_url_pattern_is_in_the_table`,
so nobody can add a page without deciding who may see it. Personal records
answer 404 (not someone else's data) to a user outside their scope, 403 to
roles that never see personal records, and send anonymous visitors to log in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import World, login
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "worker", "leader", "outsider", "analyst", "admin")
LOGIN = 302  # anonymous visitors are redirected to the login page


@dataclass(frozen=True)
class Row:
    method: str
    kwargs: Callable[[World], dict]
    expected: dict[str, int]


def _no_args(world: World) -> dict:
    return {}


def _own_person(world: World) -> dict:
    return {"pk": world.young_person.pk}


def _own_contact(world: World) -> dict:
    return {"pk": ContactFactory(enrolment=world.enrolment).pk}


def _own_enrolment(world: World) -> dict:
    return {"pk": world.enrolment.pk}


def _roles(anonymous, worker, leader, outsider, analyst, admin) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, worker, leader, outsider, analyst, admin), strict=True))


# The same rules for a personal record in the worker's scope: her team leader
# sees it, a worker of another team gets 404, analysts and administrators 403.
PERSONAL = _roles(LOGIN, 200, 200, 404, 403, 403)
PERSONAL_WRITE = _roles(LOGIN, 302, 302, 404, 403, 403)
CASE_PAGE = _roles(LOGIN, 200, 200, 200, 403, 403)
API_PERSONAL = _roles(401, 200, 200, 404, 403, 403)
API_LIST = _roles(401, 200, 200, 200, 403, 403)
PUBLIC = _roles(200, 200, 200, 200, 200, 200)
ANY_USER = _roles(LOGIN, 302, 302, 302, 200, 302)

TABLE: dict[str, Row] = {
    "cases:home": Row("get", _no_args, ANY_USER),
    "cases:my_young_people": Row("get", _no_args, CASE_PAGE),
    "cases:young_people_search": Row("post", _no_args, CASE_PAGE),
    "cases:young_person_detail": Row("get", _own_person, PERSONAL),
    "cases:contact_create": Row("post", _own_person, _roles(LOGIN, 200, 200, 404, 403, 403)),
    "cases:contact_edit": Row("get", _own_contact, PERSONAL),
    "cases:contact_cancel": Row("post", _own_contact, PERSONAL_WRITE),
    "login": Row("get", _no_args, _roles(200, 302, 302, 302, 302, 302)),
    "logout": Row("post", _no_args, _roles(302, 302, 302, 302, 302, 302)),
    "set_language": Row("post", _no_args, _roles(302, 302, 302, 302, 302, 302)),
    "api-schema": Row("get", _no_args, PUBLIC),
    "api-docs": Row("get", _no_args, PUBLIC),
    "api-redoc": Row("get", _no_args, PUBLIC),
    "young-person-list": Row("get", _no_args, API_LIST),
    "young-person-detail": Row("get", _own_person, API_PERSONAL),
    "enrolment-list": Row("get", _no_args, API_LIST),
    "enrolment-detail": Row("get", _own_enrolment, API_PERSONAL),
    "contact-list": Row("get", _no_args, API_LIST),
    "contact-detail": Row("get", _own_contact, API_PERSONAL),
}

# The Django admin has its own permission system (staff only); it is checked
# as a namespace: every admin page without arguments, for every role.
ADMIN_NAMESPACE = "admin"


def _all_patterns(resolver: URLResolver | None = None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _all_patterns(entry, inner)
        else:
            found.append((f"{namespace}{entry.name or entry.pattern}", entry))
    return found


def test_every_url_pattern_is_in_the_table():
    missing = sorted(
        {name for name, _ in _all_patterns()}
        - set(TABLE)
        - {name for name, _ in _all_patterns() if name.startswith(f"{ADMIN_NAMESPACE}:")}
    )
    assert missing == [], f"URL patterns with no row in the access table: {missing}"


def _user(world: World, role: str):
    return None if role == "anonymous" else getattr(world, role)


@pytest.mark.parametrize("name", sorted(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_role_gets_the_expected_response(world, name, role):
    row = TABLE[name]
    url = reverse(name, kwargs=row.kwargs(world))
    response = getattr(login(_user(world, role)), row.method)(url)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"


@pytest.mark.parametrize("role", ROLES)
def test_admin_pages_are_for_administrators_only(world, role):
    client = login(_user(world, role))
    urls = [
        reverse(name)
        for name, pattern in _all_patterns()
        if name.startswith(f"{ADMIN_NAMESPACE}:")
        and pattern.name
        and not pattern.pattern.regex.groupindex
        and name not in ("admin:login", "admin:logout", "admin:jsi18n")
    ]
    assert urls
    for url in urls:
        status = client.get(url).status_code
        if role == "admin":
            assert status in (200, 403), url  # 403: the access log cannot be added to
        else:
            assert status == 302, f"{role} {url}"


def test_another_teams_young_person_is_404_for_every_personal_view(world):
    client = login(world.worker)
    outsiders = world.outsiders_young_person
    outsiders_contact = ContactFactory(enrolment=outsiders.enrolments.get())
    assert client.get(reverse("cases:young_person_detail", args=[outsiders.pk])).status_code == 404
    assert client.post(reverse("cases:contact_create", args=[outsiders.pk])).status_code == 404
    assert client.get(reverse("cases:contact_edit", args=[outsiders_contact.pk])).status_code == 404
    assert client.post(reverse("cases:contact_cancel", args=[outsiders_contact.pk])).status_code == 404
    assert client.get(reverse("young-person-detail", args=[outsiders.pk])).status_code == 404
    assert client.get(reverse("contact-detail", args=[outsiders_contact.pk])).status_code == 404

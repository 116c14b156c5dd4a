"""Every URL pattern of the application, held against a role-by-view table.

A new view that is missing from the table fails `test_every_url_pattern_is_in_the_table`,
so nobody can add a page without deciding who may see it. Personal records
answer 404 (not someone else's data) to a user outside their scope, 403 to
roles that never see personal records, and send anonymous visitors to log in.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import World, login
from tests.factories import ContactFactory
from tests.url_access import HTTP_METHODS, LOGIN, REFUSALS, ROLES, Row, accepted_methods

pytestmark = pytest.mark.django_db

TABLE: dict[str, Row] = {}
for _module in sorted((Path(__file__).resolve().parents[1]).glob("*/url_access*.py")):
    _rows = importlib.import_module(f"tests.{_module.parent.name}.{_module.stem}").ROWS
    assert not set(_rows) & set(TABLE), f"URL names listed twice: {set(_rows) & set(TABLE)}"
    TABLE.update(_rows)

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


# --- Every HTTP method ---------------------------------------------------------------------------


def _patterns_by_name() -> dict[str, URLPattern]:
    return {name: pattern for name, pattern in _all_patterns() if not name.startswith(f"{ADMIN_NAMESPACE}:")}


def test_every_view_declares_the_methods_it_accepts():
    undeclared = sorted(name for name, p in _patterns_by_name().items() if accepted_methods(p.callback) is None)
    assert undeclared == [], (
        "Views that answer any HTTP method (a DELETE is taken for a GET): decorate them with "
        f"require_http_methods / require_GET / require_POST: {undeclared}"
    )


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_http_method_is_accepted_or_refused(world, name):
    """Each method, for one role of each answer in the table's row: a method the
    view does not accept answers 405 (or the refusal a role gets before the
    method is looked at: 302 to log in, 401, 403, 404), never 200 or 500. A
    method the view accepts answers a refused role the same refusal as the
    table's method, and never 500 (OPTIONS: never 500)."""
    row = TABLE[name]
    # A view that declares no methods is held to the GET and POST its code handles.
    accepted = accepted_methods(_patterns_by_name()[name].callback) or frozenset({"get", "post"})
    url = reverse(name, kwargs=row.kwargs(world))
    problems = []
    # One role for each answer the table gives (roles it treats alike are represented by the first).
    representatives = {row.expected[role]: role for role in reversed(ROLES)}
    for role in (r for r in ROLES if r in representatives.values()):
        client = login(_user(world, role))
        expected = row.expected[role]
        refused = expected in REFUSALS and not (expected == LOGIN and role != "anonymous")
        for method in HTTP_METHODS:
            if method == row.method:
                continue  # test_role_gets_the_expected_response
            status = getattr(client, method)(url).status_code
            if method not in accepted:
                ok = status == 405 or (status == expected and expected in REFUSALS)
            elif refused and method != "options":
                ok = status == expected
            else:
                ok = status < 500
            if not ok:
                problems.append(f"{role} {method.upper()} -> {status} (accepts {sorted(accepted)}, table {expected})")
    assert problems == [], f"{url}: {problems}"

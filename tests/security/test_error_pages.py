"""No CPR number or name in error pages or URLs (ASVS 7.4.1, 8.3.1).

1. With DEBUG off, the 404 an outsider gets, the 403 an analyst gets and the 500 of a
   view that fails while holding a young person show neither her name nor her CPR
   number; the failure is logged without them (the session's log scan,
   tests/security/log_scan.py, reads that record too).
2. Every link, form address and redirect on the pages a worker opens carries ids only:
   no CPR-shaped number, no name. The search by name or CPR number is a POST."""

from __future__ import annotations

import logging
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from tests.conftest import World, login
from tests.security.log_scan import is_cpr_like
from tests.url_access import accepted_methods
from tests.youthcase.test_url_access_table import TABLE

pytestmark = pytest.mark.django_db

CPR = "1705081234"
URL_ATTRIBUTE = re.compile(r'(?:href|action|src|hx-get|hx-post|hx-put|hx-delete|data-url)="([^"]*)"')


@pytest.fixture
def people(world: World) -> World:
    for person, cpr in ((world.young_person, CPR), (world.outsiders_young_person, "0101091234")):
        person.cpr_number = cpr
        person.save()
    return world


def _secrets(world: World) -> list[str]:
    people = (world.young_person, world.outsiders_young_person)
    return [p.name for p in people] + [p.cpr_number for p in people] + ["170508-1234", "010109-1234"]


def _shows_nothing_personal(body: str, world: World) -> None:
    assert [s for s in _secrets(world) if s in body] == []
    assert is_cpr_like(body) == []


def test_404_and_403_pages_show_no_name_or_cpr(people, settings):
    settings.DEBUG = False
    outsiders = reverse("cases:young_person_detail", args=[people.outsiders_young_person.pk])
    own = reverse("cases:young_person_detail", args=[people.young_person.pk])
    not_found = login(people.worker).get(outsiders)
    refused = login(people.analyst).get(own)
    api_not_found = login(people.worker).get(reverse("young-person-detail", args=[people.outsiders_young_person.pk]))
    assert (not_found.status_code, refused.status_code, api_not_found.status_code) == (404, 403, 404)
    for response in (not_found, refused, api_not_found):
        _shows_nothing_personal(response.content.decode(), people)


@pytest.mark.urls("tests.security.urls_with_a_failing_view")
def test_500_page_and_its_log_show_no_name_or_cpr(people, settings, caplog):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(f"/fails/{people.young_person.pk}/")
    assert response.status_code == 500
    assert "deliberate failure" not in response.content.decode()  # no exception text either
    _shows_nothing_personal(response.content.decode(), people)
    [record] = [r for r in caplog.records if r.name == "django.request"]
    logged = caplog.text + (record.exc_text or "")
    assert "deliberate failure" in logged  # the error is logged, for the operators...
    _shows_nothing_personal(logged, people)  # ...without the young person


def test_search_by_name_or_cpr_is_a_post():
    search = get_resolver().resolve(reverse("cases:young_people_search"))
    assert accepted_methods(search.func) == frozenset({"post"})


def _get_rows_a_worker_opens() -> list[str]:
    return sorted(name for name, row in TABLE.items() if row.method == "get" and row.expected["worker"] == 200)


def test_no_url_on_a_workers_pages_carries_a_name_or_cpr(people):
    client = login(people.worker)
    names = _get_rows_a_worker_opens()
    assert len(names) > 20
    seen: set[str] = set()
    for name in names:
        with transaction.atomic():  # each row's records on their own, as in the table test
            url = reverse(name, kwargs=TABLE[name].kwargs(people))
            response = client.get(url)
            transaction.set_rollback(True)
        assert response.status_code == 200, url
        if response.has_header("Location"):
            seen.add(response["Location"])
        if "html" in response.get("Content-Type", ""):
            seen |= set(URL_ATTRIBUTE.findall(response.content.decode()))
    assert len(seen) > 50  # the pages were read, links and all
    leaking = [u for u in seen if is_cpr_like(u) or any(s in u for s in _secrets(people))]
    assert leaking == []


def test_no_url_pattern_takes_a_cpr_number():
    def patterns(resolver=None):
        for entry in (resolver or get_resolver()).url_patterns:
            yield from ([entry] if isinstance(entry, URLPattern) else patterns(entry))

    routes = [str(p.pattern) for p in patterns()]
    assert [r for r in routes if "cpr" in r.lower() or "<str:" in r and "name" in r.lower()] == []

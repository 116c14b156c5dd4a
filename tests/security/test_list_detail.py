"""API list endpoints show nothing that the detail endpoint would refuse (ASVS 4.1.3 / 4.2.1).

Both teams get a record of every kind the API lists, made by the role-by-view
table's own row builders (tests/*/url_access*.py): for the worker's team and,
mirrored, for the other team. Then, for the worker, her colleague, the team
leader and the other team's worker, every list endpoint is read to the end and
every record it names is asked for on its detail endpoint: each must be there
(200). The worker's lists must hold her team's records and none of the other
team's."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import transaction
from django.urls import URLPattern, get_resolver, reverse

from tests.conftest import World, login
from tests.youthcase.test_url_access_table import TABLE

pytestmark = pytest.mark.django_db


def _api_lists() -> list[str]:
    names = []

    def walk(resolver) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLPattern):
                actions = getattr(entry.callback, "actions", {}) or {}
                if entry.name and entry.name.endswith("-list") and actions.get("get") == "list":
                    names.append(entry.name)
            else:
                walk(entry)

    walk(get_resolver())
    # The indicators are a document with no detail route: checked on their own below.
    return sorted(name for name in names if name != "indicator-list")


LISTS = _api_lists()


def _mirror(world: World) -> World:
    """The same world seen from the other team: its worker, young person and enrolment."""
    return dataclasses.replace(
        world,
        team=world.other_team,
        other_team=world.team,
        worker=world.outsider,
        young_person=world.outsiders_young_person,
        enrolment=world.outsiders_young_person.enrolments.get(),
        outsider=world.worker,
        outsiders_young_person=world.young_person,
    )


def _records(world: World) -> dict[str, set[int]]:
    """A record behind every detail row of the table, for `world`'s worker (by detail route)."""
    made: dict[str, set[int]] = {}
    for name, row in TABLE.items():
        if name.endswith("-detail"):
            with transaction.atomic():
                made.setdefault(name, set()).add(row.kwargs(world)["pk"])
    return made


def _listed(client, name: str) -> set[int]:
    ids: set[int] = set()
    url = reverse(name) + "?limit=200"
    while url:
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        page = response.json()
        ids |= {item["id"] for item in page["results"]}
        url = page["next"]
    return ids


@pytest.fixture
def both_teams(world: World) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    return _records(world), _records(_mirror(world))


def test_every_api_list_endpoint_is_checked():
    assert len(LISTS) >= 10
    assert [name for name in LISTS if name.replace("-list", "-detail") not in TABLE] == []


@pytest.mark.parametrize("role", ["worker", "colleague", "leader", "outsider"])
def test_every_listed_record_opens_on_its_detail_endpoint(world, both_teams, role):
    client = login(getattr(world, role))
    refused = []
    for name in LISTS:
        detail = name.replace("-list", "-detail")
        for pk in sorted(_listed(client, name)):
            status = client.get(reverse(detail, args=[pk])).status_code
            if status != 200:
                refused.append(f"{name} lists {pk}, {detail} answers {status}")
    assert refused == []


def test_the_workers_lists_hold_her_teams_records_and_none_of_the_other_teams(world, both_teams):
    own, others = both_teams
    client = login(world.worker)
    missing, leaked = {}, {}
    for name in LISTS:
        detail = name.replace("-list", "-detail")
        listed = _listed(client, name)
        if own[detail] - listed:
            missing[name] = own[detail] - listed
        if others[detail] & listed:
            leaked[name] = others[detail] & listed
    assert (missing, leaked) == ({}, {})


def test_indicators_name_only_enrolments_the_caller_may_open(world, both_teams):
    for role in ("worker", "leader", "outsider"):
        client = login(getattr(world, role))
        response = client.get(reverse("indicator-list"))
        assert response.status_code == 200
        ids = [row["id"] for row in response.json()["enrolments"]]
        assert ids, role
        assert [pk for pk in ids if client.get(reverse("enrolment-detail", args=[pk])).status_code != 200] == []
    analyst = login(world.analyst).get(reverse("indicator-list")).json()
    assert "enrolments" not in analyst  # aggregates only

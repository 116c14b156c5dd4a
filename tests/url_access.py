"""The vocabulary of the role-by-view table (tests/youthcase/test_url_access_table.py).

Each app lists its own URL patterns in `tests/<app>/url_access*.py` as a dict
`ROWS` of `Row`s; the table test merges them and fails for any URL pattern
that no app lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.conftest import World
from tests.factories import ContactFactory

ROLES = ("anonymous", "worker", "leader", "outsider", "analyst", "admin")
LOGIN = 302  # anonymous visitors are redirected to the login page


@dataclass(frozen=True)
class Row:
    method: str
    kwargs: Callable[[World], dict]
    expected: dict[str, int]


def no_args(world: World) -> dict:
    return {}


def own_person(world: World) -> dict:
    return {"pk": world.young_person.pk}


def own_contact(world: World) -> dict:
    return {"pk": ContactFactory(enrolment=world.enrolment).pk}


def own_enrolment(world: World) -> dict:
    return {"pk": world.enrolment.pk}


def roles(anonymous, worker, leader, outsider, analyst, admin) -> dict[str, int]:
    return dict(zip(ROLES, (anonymous, worker, leader, outsider, analyst, admin), strict=True))


# The same rules for a personal record in the worker's scope: her team leader
# sees it, a worker of another team gets 404, analysts and administrators 403.
PERSONAL = roles(LOGIN, 200, 200, 404, 403, 403)
PERSONAL_WRITE = roles(LOGIN, 302, 302, 404, 403, 403)
CASE_PAGE = roles(LOGIN, 200, 200, 200, 403, 403)
API_PERSONAL = roles(401, 200, 200, 404, 403, 403)
API_LIST = roles(401, 200, 200, 200, 403, 403)
PUBLIC = roles(200, 200, 200, 200, 200, 200)
ANY_USER = roles(LOGIN, 302, 302, 302, 200, 302)

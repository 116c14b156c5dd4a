"""The vocabulary of the role-by-view table (tests/youthcase/test_url_access_table.py).

Each app lists its own URL patterns in `tests/<app>/url_access*.py` as a dict
`ROWS` of `Row`s; the table test merges them and fails for any URL pattern
that no app lists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.views.i18n import set_language

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


# --- Every HTTP method ---------------------------------------------------------------------------

HTTP_METHODS = ("get", "head", "post", "put", "patch", "delete", "options")
# A refusal: what a role outside a view's audience gets, whatever the method.
REFUSALS = (LOGIN, 401, 403, 404)


def accepted_methods(callback: Callable) -> frozenset[str] | None:
    """The HTTP methods a view accepts, read from the view itself (lower case).

    - Django REST framework view sets: the router's method-to-action map, plus
      HEAD for GET and OPTIONS (the framework answers both);
    - class-based views (Django's, DRF's APIView): the methods with a handler;
    - function views: the list given to `require_http_methods` (or
      `require_GET`, `require_POST`, `require_safe`) anywhere in the chain
      of decorators.

    None for a function view that declares no methods: it answers whatever
    it is sent, which is a defect (a DELETE would be taken for a GET)."""
    actions = getattr(callback, "actions", None)
    if actions is not None:
        methods = set(actions) | {"options"}
        return frozenset(methods | ({"head"} if "get" in methods else set()))
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        methods = {m for m in view_class.http_method_names if hasattr(view_class, m)}
        return frozenset(methods | ({"head"} if "get" in methods else set()))
    if callback is set_language:
        # Django's own: anything but POST is a redirect back that changes nothing.
        return frozenset({"post"})
    view = callback
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            cell = view.__closure__[code.co_freevars.index("request_method_list")]
            return frozenset(m.lower() for m in cell.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None

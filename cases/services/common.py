"""What every service shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from cases.audit import access_log_record
from cases.history import history_user
from cases.models import User

P = ParamSpec("P")
R = TypeVar("R")


def history_by(func: Callable[P, R]) -> Callable[P, R]:
    """Decorate a service that takes the acting user as `by=`: the history rows
    of what it writes record `by` as the history user, with or without a
    request (a task, a command, the importer). `by=None` leaves the user as it
    was (an enclosing service's, else the request's)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with history_user(kwargs.get("by")):
            return func(*args, **kwargs)

    return wrapper


def log_write(by: User | None, action: str, young_person_id: int, obj: Any, purpose: str, detail: str = "") -> None:
    """Record a write in the access log when a person made it (system writes, by=None, are not a use of the data)."""
    if by is not None:
        access_log_record(user=by, action=action, purpose=purpose, young_person=young_person_id, obj=obj, detail=detail)

"""Change history of the case data (django-simple-history).

Each traced model declares `history = CaseHistory(...)`; the history tables
hold who changed what, when, with every field's value before and after
(cases.selectors_audit turns them into "field: old -> new" for the change
history page). The history user is the acting user a service was given
(`by`, set with `history_user` for the length of the call), else the request's
user (HistoryRequestMiddleware); imports and other system writes have none.

This module imports no models: the models import it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from simple_history.models import HistoricalRecords

_acting_user: ContextVar[Any] = ContextVar("case_history_acting_user", default=None)


@contextmanager
def history_user(user: Any) -> Iterator[None]:
    """Record `user` as the history user of every traced write inside the block,
    also where there is no request (tasks, commands, the importer). With None the
    user stays what it was: the outer service's, else the request's."""
    if user is None:
        yield
        return
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


class CaseHistory(HistoricalRecords):
    """HistoricalRecords that writes no row for a save touching only excluded
    fields: signing in saves `last_login` alone, which says nothing about the
    user's access and would add a history row per login."""

    def post_save(self, instance: Any, created: bool, using: str | None = None, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def get_history_user(self, instance: Any) -> Any:
        """An instance's own `_history_user` first, then the acting user of
        `history_user`, then the request's user."""
        acting = _acting_user.get()
        if acting is not None and not hasattr(instance, "_history_user"):
            return acting
        return super().get_history_user(instance)

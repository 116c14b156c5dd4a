"""Change history of the case data (django-simple-history).

Each traced model declares `history = CaseHistory(...)`; the history tables
hold who changed what, when, with every field's value before and after
(cases.selectors_audit turns them into "field: old -> new" for the change
history page). The history user comes from the request
(HistoryRequestMiddleware); imports, tasks and commands write without one.

This module imports no models: the models import it.
"""

from __future__ import annotations

from typing import Any

from simple_history.models import HistoricalRecords


class CaseHistory(HistoricalRecords):
    """HistoricalRecords that writes no row for a save touching only excluded
    fields: signing in saves `last_login` alone, which says nothing about the
    user's access and would add a history row per login."""

    def post_save(self, instance: Any, created: bool, using: str | None = None, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

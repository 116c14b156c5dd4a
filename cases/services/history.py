"""Deleting the change history of young people whose case data is deleted.

The history tables keep a copy of every version of a record (name, CPR
number, notes), and they have no foreign keys: deleting a young person leaves
her history behind. The retention job calls this in the same transaction as
the deletion, so the history goes when the case data goes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from cases.selectors_audit import history_querysets, problem_area_history_model


@transaction.atomic
def case_history_purge(*, young_person_ids: Iterable[int]) -> int:
    """Delete every history row about these young people; returns how many."""
    ids = list(young_person_ids)
    if not ids:
        return 0
    querysets = history_querysets(ids)  # evaluated before anything is deleted
    deleted, _ = problem_area_history_model().objects.filter(history__id__in=ids).delete()
    for queryset in querysets:
        count, _ = queryset.delete()
        deleted += count
    return deleted

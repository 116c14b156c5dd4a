"""The access log: who used whose data, when, how and why.

Views and API views call these whenever they show, search, change or export
a young person's data; services call them for writes. Rows are only added.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone

from cases.cpr import mask_cpr_like
from cases.models import AccessLog, User, YoungPerson

Action = AccessLog.Action
Purpose = AccessLog.Purpose


def access_log_record(
    *,
    user: User | None,
    action: str,
    purpose: str,
    young_person: YoungPerson | int | None = None,
    obj: models.Model | None = None,
    detail: str = "",
) -> AccessLog:
    person_id = young_person.pk if isinstance(young_person, YoungPerson) else young_person
    return AccessLog.objects.create(
        user=user,
        young_person_id=person_id,
        action=action,
        purpose=purpose,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        detail=mask_cpr_like(detail)[:200],
    )


def access_log_record_many(
    *, user: User | None, action: str, purpose: str, young_person_ids: Iterable[int], detail: str = ""
) -> None:
    """One row per young person shown, in a single INSERT (lists, search results, exports)."""
    detail = mask_cpr_like(detail)[:200]  # the same for every row: masked once
    # The user's id, read once: `request.user` is a lazy proxy, slow to hand to every row.
    user_id = user.pk if user is not None else None
    now = timezone.now()
    ids = list(dict.fromkeys(young_person_ids))
    if not ids:
        return
    if connection.vendor == "postgresql":
        # The ids as one array parameter: no model instance per row (the dashboard writes a few
        # hundred rows on every request; bulk_create's per-row work was most of its time).
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_MANY, [now, user_id, action, purpose, detail, ids])
        return
    AccessLog.objects.bulk_create(
        AccessLog(user_id=user_id, young_person_id=pk, action=action, purpose=purpose, detail=detail, at=now)
        for pk in ids
    )


_INSERT_MANY = f"""
INSERT INTO {AccessLog._meta.db_table} (at, user_id, young_person_id, action, purpose, object_type, object_id, detail)
SELECT %s, %s, person, %s, %s, '', NULL, %s FROM unnest(%s::bigint[]) WITH ORDINALITY AS ids(person, n) ORDER BY n
"""  # noqa: S608 (the table name is the model's; every value is a parameter)

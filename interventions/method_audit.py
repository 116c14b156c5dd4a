"""Access-log rows for the method records (mediation cases, parent councils,
CTI courses), which often concern several young people at once: one row per
young person, naming the record, in a single INSERT."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models

from cases.audit import Action, Purpose
from cases.cpr import mask_cpr_like
from cases.models import AccessLog, User

__all__ = ["Action", "Purpose", "log_people"]


def log_people(
    *,
    user: User | None,
    action: str,
    young_person_ids: Iterable[int | None],
    obj: models.Model | None = None,
    detail: str = "",
    purpose: str = Purpose.CASE_WORK,
) -> None:
    """Log `action` on `obj` for each young person concerned. With no registered
    young person (a mediation between parties known by name only) one row without
    a person still records that the record was used. Nothing is logged without a
    user (demo data, migrations)."""
    if user is None:
        return
    ids = [pk for pk in dict.fromkeys(young_person_ids) if pk is not None] or [None]
    object_type = obj._meta.model_name if obj is not None else ""
    object_id = obj.pk if obj is not None else None
    AccessLog.objects.bulk_create(
        AccessLog(
            user=user,
            young_person_id=pk,
            action=action,
            purpose=purpose,
            object_type=object_type,
            object_id=object_id,
            detail=mask_cpr_like(detail)[:200],
        )
        for pk in ids
    )

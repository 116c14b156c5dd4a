"""What every service shares."""

from __future__ import annotations

from typing import Any

from cases.audit import access_log_record
from cases.models import User


def log_write(by: User | None, action: str, young_person_id: int, obj: Any, purpose: str, detail: str = "") -> None:
    """Record a write in the access log when a person made it (system writes, by=None, are not a use of the data)."""
    if by is not None:
        access_log_record(user=by, action=action, purpose=purpose, young_person=young_person_id, obj=obj, detail=detail)

"""Validation shared by the method services (mediation, parent councils, CTI).
Each raises a ValidationError keyed by the form field it concerns."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import User, YoungPerson
from cases.selectors import young_people_for


def refuse_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("The date is in the future; record it when it has happened.")})


def require_in_scope(by: User | None, young_person: YoungPerson, field: str = "young_person") -> None:
    """A person can only add young people she works with (cases.selectors). Without
    a user (demo data, a data migration) there is no scope to check."""
    if by is not None and not young_people_for(by).filter(pk=young_person.pk).exists():
        raise ValidationError({field: _("You can only add young people you work with.")})


def require_case_worker(user: User, field: str) -> None:
    if not user.is_active or not user.works_cases:
        raise ValidationError({field: _("%(name)s is not a worker or team leader.") % {"name": user}})


def require_on_or_after(day: dt.date, earliest: dt.date, field: str, what: str) -> None:
    """`what` names the earlier event, e.g. "the referral"."""
    if day < earliest:
        raise ValidationError(
            {field: _("The date is before %(what)s (%(date)s).") % {"what": what, "date": date_format(earliest)}}
        )

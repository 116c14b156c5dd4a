"""Every write to case data goes through these functions.

Views, API views, the importer, the demo data and tasks all call them; they
validate, write atomically, record the write in the access log when a person
made it, and return the object. Errors are `ValidationError`s keyed by field,
so forms and serializers can show them beside the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.audit import Action, Purpose, access_log_record
from cases.cpr import normalise_cpr
from cases.models import END_REASON_CLASS, Contact, Enrolment, Pause, PrimaryWorkerPeriod, Team, User, YoungPerson
from interventions.models import InterventionType

# A contact may be logged a little ahead of the server clock (a phone whose
# clock runs fast), never for a meeting that has not happened yet.
FUTURE_TOLERANCE = dt.timedelta(minutes=10)


def _log_write(by: User | None, action: str, young_person_id: int, obj: Any, purpose: str, detail: str = "") -> None:
    if by is not None:
        access_log_record(user=by, action=action, purpose=purpose, young_person=young_person_id, obj=obj, detail=detail)


# --- Teams and users ---------------------------------------------------------


def team_create(*, name: str, external_id: str | None = None) -> Team:
    team = Team(name=name, external_id=external_id)
    team.full_clean()
    team.save()
    return team


def user_create(
    *,
    username: str,
    name: str,
    role: str,
    team: Team | None = None,
    email: str = "",
    password: str | None = None,
    external_id: str | None = None,
) -> User:
    user = User(
        username=username,
        name=name,
        role=role,
        team=team,
        email=email,
        external_id=external_id,
        is_staff=role == User.Role.ADMINISTRATOR,
        is_superuser=role == User.Role.ADMINISTRATOR,
    )
    if role in (User.Role.WORKER, User.Role.TEAM_LEADER) and team is None:
        raise ValidationError({"team": _("A worker or team leader must belong to a team.")})
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def team_update(*, team: Team, name: str) -> Team:
    if team.name != name:
        team.name = name
        team.full_clean()
        team.save(update_fields=["name"])
    return team


def user_update(*, user: User, name: str, email: str, role: str, team: Team | None) -> User:
    """Change a user's person and access fields. An imported role never carries
    administrator rights: those are granted in the admin only."""
    if role in (User.Role.WORKER, User.Role.TEAM_LEADER) and team is None:
        raise ValidationError({"team": _("A worker or team leader must belong to a team.")})
    values = {"name": name, "email": email, "role": role, "team_id": team.pk if team else None}
    values |= {"is_staff": role == User.Role.ADMINISTRATOR, "is_superuser": role == User.Role.ADMINISTRATOR}
    changed = [field for field, value in values.items() if getattr(user, field) != value]
    if changed:
        for field in changed:
            setattr(user, field, values[field])
        user.full_clean(exclude=["password"])
        user.save(update_fields=changed)
    return user


# --- Young people -------------------------------------------------------------


def young_person_create(*, by: User | None, purpose: str = Purpose.CASE_WORK, **fields: Any) -> YoungPerson:
    problem_areas = fields.pop("problem_areas", None)
    if fields.get("cpr_number"):
        fields["cpr_number"] = normalise_cpr(fields["cpr_number"])
    person = YoungPerson(**fields)
    person.full_clean()
    person.save()
    if problem_areas is not None:
        person.problem_areas.set(problem_areas)
    _log_write(by, Action.CREATE, person.pk, person, purpose)
    return person


def young_person_update(
    *, young_person: YoungPerson, by: User | None, purpose: str = Purpose.CASE_WORK, **fields: Any
) -> YoungPerson:
    if fields.get("cpr_number"):
        fields["cpr_number"] = normalise_cpr(fields["cpr_number"])
    changed = [name for name, value in fields.items() if getattr(young_person, name) != value]
    for name, value in fields.items():
        setattr(young_person, name, value)
    young_person.full_clean()
    young_person.save()
    if changed:
        _log_write(by, Action.UPDATE, young_person.pk, young_person, purpose, detail=", ".join(sorted(changed)))
    return young_person


# --- Enrolments -----------------------------------------------------------------


@transaction.atomic
def enrolment_open(
    *,
    young_person: YoungPerson,
    intervention_type: InterventionType,
    primary_worker: User,
    team: Team,
    start_date: dt.date,
    by: User | None,
    end_date: dt.date | None = None,
    end_reason: str = "",
    external_id: str | None = None,
    purpose: str = Purpose.CASE_WORK,
) -> Enrolment:
    """Open an enrolment; with `end_date` and `end_reason` record one that has
    already ended (history brought in from another system)."""
    open_twin = Enrolment.objects.filter(
        young_person=young_person, intervention_type=intervention_type, end_date__isnull=True
    )
    if end_date is None and open_twin.exists():
        raise ValidationError(
            {"intervention_type": _("The young person already has an open enrolment in this intervention.")}
        )
    enrolment = Enrolment(
        young_person=young_person,
        intervention_type=intervention_type,
        primary_worker=primary_worker,
        team=team,
        start_date=start_date,
        external_id=external_id,
    )
    _validate_end(enrolment, end_date, end_reason)
    enrolment.end_date, enrolment.end_reason = end_date, end_reason
    enrolment.full_clean(validate_constraints=False)
    enrolment.save()
    PrimaryWorkerPeriod.objects.create(
        enrolment=enrolment, worker=primary_worker, start_date=start_date, end_date=end_date
    )
    _log_write(by, Action.CREATE, young_person.pk, enrolment, purpose)
    return enrolment


def _validate_end(enrolment: Enrolment, end_date: dt.date | None, end_reason: str) -> None:
    if (end_date is None) != (not end_reason):
        raise ValidationError({"end_reason": _("An end date needs an end reason, and an end reason an end date.")})
    if end_reason and end_reason not in END_REASON_CLASS:
        raise ValidationError({"end_reason": _("Unknown end reason.")})
    if end_date is not None and end_date < enrolment.start_date:
        raise ValidationError({"end_date": _("The end date is before the start date.")})


@transaction.atomic
def enrolment_update(
    *,
    enrolment: Enrolment,
    by: User | None,
    start_date: dt.date,
    end_date: dt.date | None,
    end_reason: str,
    primary_worker: User | None = None,
    team: Team | None = None,
    purpose: str = Purpose.CASE_WORK,
) -> Enrolment:
    """Set the dates (and, for an import, the worker and team) of an enrolment."""
    enrolment.start_date = start_date
    _validate_end(enrolment, end_date, end_reason)
    enrolment.end_date, enrolment.end_reason = end_date, end_reason
    if team is not None:
        enrolment.team = team
    if primary_worker is not None and primary_worker != enrolment.primary_worker:
        enrolment_hand_over(enrolment=enrolment, new_worker=primary_worker, on_date=start_date, by=None)
    enrolment.save()
    _log_write(by, Action.UPDATE, enrolment.young_person_id, enrolment, purpose)
    return enrolment


@transaction.atomic
def enrolment_close(
    *, enrolment: Enrolment, end_date: dt.date, end_reason: str, by: User | None, purpose: str = Purpose.CASE_WORK
) -> Enrolment:
    if enrolment.end_date is not None:
        raise ValidationError({"end_date": _("The enrolment is already closed.")})
    _validate_end(enrolment, end_date, end_reason)
    enrolment.end_date, enrolment.end_reason = end_date, end_reason
    enrolment.save(update_fields=["end_date", "end_reason"])
    enrolment.worker_periods.filter(end_date__isnull=True).update(end_date=end_date)
    enrolment.pauses.filter(end_date__isnull=True).update(end_date=end_date)
    _log_write(by, Action.UPDATE, enrolment.young_person_id, enrolment, purpose, detail="closed")
    return enrolment


@transaction.atomic
def enrolment_hand_over(*, enrolment: Enrolment, new_worker: User, on_date: dt.date, by: User | None) -> Enrolment:
    """Make `new_worker` the primary worker from `on_date`; the history is kept."""
    if new_worker == enrolment.primary_worker:
        raise ValidationError({"new_worker": _("This worker is already the primary worker.")})
    if on_date < enrolment.start_date:
        raise ValidationError({"on_date": _("A handover cannot be dated before the enrolment starts.")})
    enrolment.worker_periods.filter(end_date__isnull=True).update(end_date=on_date)
    PrimaryWorkerPeriod.objects.create(enrolment=enrolment, worker=new_worker, start_date=on_date)
    enrolment.primary_worker = new_worker
    enrolment.save(update_fields=["primary_worker"])
    _log_write(by, Action.UPDATE, enrolment.young_person_id, enrolment, Purpose.CASE_WORK, detail="handover")
    return enrolment


def _validate_pause(pause: Pause) -> None:
    enrolment = pause.enrolment
    if pause.end_date is not None and pause.end_date < pause.start_date:
        raise ValidationError({"end_date": _("The pause ends before it starts.")})
    if not enrolment.is_active_on(pause.start_date) or (
        pause.end_date is not None and not enrolment.is_active_on(pause.end_date)
    ):
        raise ValidationError({"start_date": _("A pause must lie within the enrolment.")})
    far_future = dt.date.max
    others = enrolment.pauses.exclude(pk=pause.pk)
    for other in others:
        if pause.start_date <= (other.end_date or far_future) and other.start_date <= (pause.end_date or far_future):
            raise ValidationError({"start_date": _("The pause overlaps another pause of the same enrolment.")})


@transaction.atomic
def pause_save(
    *,
    enrolment: Enrolment,
    start_date: dt.date,
    end_date: dt.date | None,
    reason: str = "",
    by: User | None,
    pause: Pause | None = None,
    external_id: str | None = None,
    purpose: str = Purpose.CASE_WORK,
) -> Pause:
    """Create a pause, or change `pause`; pauses of one enrolment never overlap."""
    pause = pause or Pause(enrolment=enrolment, external_id=external_id)
    pause.enrolment, pause.start_date, pause.end_date, pause.reason = enrolment, start_date, end_date, reason
    _validate_pause(pause)
    pause.save()
    _log_write(by, Action.UPDATE, enrolment.young_person_id, pause, purpose, detail="pause")
    return pause


# --- Contacts ---------------------------------------------------------------------

CONTACT_FIELDS = ("occurred_at", "duration_minutes", "channel", "status", "note")


def _validate_contact(contact: Contact, *, allow_outside_enrolment: bool) -> None:
    errors: dict[str, str] = {}
    if timezone.is_naive(contact.occurred_at):
        contact.occurred_at = timezone.make_aware(contact.occurred_at)  # naive means local (spec §1)
    if contact.occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = _("A contact cannot be logged in the future.")
    elif not allow_outside_enrolment:
        local_date = timezone.localtime(contact.occurred_at).date()
        if not contact.enrolment.is_active_on(local_date):
            errors["occurred_at"] = _("The contact lies outside the enrolment (%(start)s to %(end)s).") % {
                "start": contact.enrolment.start_date.isoformat(),
                "end": contact.enrolment.end_date.isoformat() if contact.enrolment.end_date else _("open"),
            }
    if errors:
        raise ValidationError(errors)
    contact.full_clean(exclude=["enrolment", "worker"])


@transaction.atomic
def contact_log(
    *,
    enrolment: Enrolment,
    worker: User,
    occurred_at: dt.datetime,
    duration_minutes: int,
    channel: str = Contact.Channel.IN_PERSON,
    status: str = Contact.Status.HELD,
    note: str = "",
    by: User | None,
    external_id: str | None = None,
    allow_outside_enrolment: bool = False,
    purpose: str = Purpose.CASE_WORK,
) -> Contact:
    """Log a contact. Interactive callers may only log within the enrolment's
    active days; the importer passes `allow_outside_enrolment` because legacy
    data may hold such contacts, which the indicators then report as data
    quality problems (spec §3, §9)."""
    contact = Contact(
        enrolment=enrolment,
        worker=worker,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        channel=channel,
        status=status,
        note=note,
        external_id=external_id,
    )
    _validate_contact(contact, allow_outside_enrolment=allow_outside_enrolment)
    contact.save()
    _log_write(by, Action.CREATE, enrolment.young_person_id, contact, purpose)
    return contact


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    by: User | None,
    allow_outside_enrolment: bool = False,
    purpose: str = Purpose.CASE_WORK,
    **fields: Any,
) -> Contact:
    """Change a contact; the access log records which fields changed."""
    unknown = set(fields) - set(CONTACT_FIELDS) - {"enrolment", "worker"}
    if unknown:
        raise TypeError(f"contact_update got unexpected fields {sorted(unknown)}")
    changed = sorted(name for name, value in fields.items() if getattr(contact, name) != value)
    for name, value in fields.items():
        setattr(contact, name, value)
    _validate_contact(contact, allow_outside_enrolment=allow_outside_enrolment)
    contact.save()
    if changed:
        _log_write(by, Action.UPDATE, contact.enrolment.young_person_id, contact, purpose, detail=", ".join(changed))
    return contact


def contact_cancel(*, contact: Contact, by: User) -> Contact:
    """Mark a logged meeting as cancelled: it stays in the timeline, struck through,
    and no longer counts in any indicator."""
    if contact.status == Contact.Status.CANCELLED:
        return contact
    return contact_update(contact=contact, by=by, status=Contact.Status.CANCELLED, allow_outside_enrolment=True)

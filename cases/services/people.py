"""Writes of teams, users and young people."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.audit import Action, Purpose
from cases.cpr import normalise_cpr
from cases.models import Team, User, YoungPerson
from cases.services.common import history_by, log_write


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


@history_by
def young_person_create(*, by: User | None, purpose: str = Purpose.CASE_WORK, **fields: Any) -> YoungPerson:
    problem_areas = fields.pop("problem_areas", None)
    if fields.get("cpr_number"):
        fields["cpr_number"] = normalise_cpr(fields["cpr_number"])
    person = YoungPerson(**fields)
    person.full_clean()
    person.save()
    if problem_areas is not None:
        person.problem_areas.set(problem_areas)
    log_write(by, Action.CREATE, person.pk, person, purpose)
    return person


@history_by
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
        log_write(by, Action.UPDATE, young_person.pk, young_person, purpose, detail=", ".join(sorted(changed)))
    return young_person

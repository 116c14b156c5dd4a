"""Reads for the audit trail: the access log (a young person's access report,
a team's review) and the change history of a young person's records.

Who may open these pages is decided by cases.selectors (the person must be in
the user's scope) and by `reviewable_team` below; these functions only shape
the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    AccessLog,
    ActionPlan,
    Agreement,
    Consent,
    Contact,
    Enrolment,
    Goal,
    Pause,
    PlanMeeting,
    PrimaryWorkerPeriod,
    ProblemArea,
    Team,
    User,
    YoungPerson,
)
from interventions.models import (
    HousingGoal,
    Match,
    MediationParty,
    MenteeProfile,
    NetworkRelation,
    ParentCouncilFamily,
)

# --- Who, without a name ------------------------------------------------------------


def role_label(user: User | None) -> str:
    """The role and team of an employee, never her name (the access report is
    handed to the young person)."""
    if user is None:
        return _("The system (import or scheduled job)")
    role = str(user.get_role_display())
    return f"{role}, {user.team.name}" if user.team_id else role


# --- A young person's access report -------------------------------------------------


@dataclass(frozen=True)
class AccessReportRow:
    at: dt.datetime
    action: str
    purpose: str
    record: str
    by: str


def _record_label(object_type: str) -> str:
    for app in ("cases", "interventions", "outcomes"):
        try:
            return str(apps.get_model(app, object_type)._meta.verbose_name)
        except LookupError:
            continue
    return ""


def access_log_of(young_person_id: int) -> QuerySet[AccessLog]:
    """Every access-log row about the young person, newest first."""
    return AccessLog.objects.filter(young_person_id=young_person_id).select_related("user__team").order_by("-at", "-id")


def access_report_rows(rows: Iterable[AccessLog]) -> Iterator[AccessReportRow]:
    actions, purposes = dict(AccessLog.Action.choices), dict(AccessLog.Purpose.choices)
    labels: dict[str, str] = {}
    for row in rows:
        if row.object_type not in labels:
            labels[row.object_type] = _record_label(row.object_type) if row.object_type else ""
        yield AccessReportRow(
            at=timezone.localtime(row.at),
            action=str(actions.get(row.action, row.action)),
            purpose=str(purposes.get(row.purpose, row.purpose)),
            record=labels[row.object_type],
            by=role_label(row.user),
        )


# --- A team's access log, for the leader's review -----------------------------------


def reviewable_team(user: User, team_id: int | None) -> Team | None:
    """The team whose log the user may review: a team leader her own team (any
    other team is 404), an administrator the team she picks (None until she
    has picked one); everyone else 403."""
    if user.role == User.Role.TEAM_LEADER and user.team_id:
        if team_id is not None and team_id != user.team_id:
            raise Http404
        return user.team
    if user.role == User.Role.ADMINISTRATOR:
        if team_id is None:
            return None
        try:
            return Team.objects.get(pk=team_id)
        except Team.DoesNotExist:
            raise Http404
    raise PermissionDenied


def team_young_people(team: Team) -> QuerySet[YoungPerson]:
    """The young people with an enrolment (open or closed) in the team: the
    team leader's scope in cases.selectors."""
    return YoungPerson.objects.filter(Exists(Enrolment.objects.filter(team=team, young_person=OuterRef("pk"))))


def team_users(team: Team) -> QuerySet[User]:
    return User.objects.filter(team=team).order_by("name")


@dataclass(frozen=True)
class ReviewFilters:
    user: User | None = None
    young_person: YoungPerson | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""
    purpose: str = ""


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def team_access_log(team: Team, filters: ReviewFilters) -> QuerySet[AccessLog]:
    """Rows made by the team's users, or about the team's young people
    (whoever made them), newest first."""
    about_team = Exists(Enrolment.objects.filter(team=team, young_person_id=OuterRef("young_person_id")))
    rows = AccessLog.objects.filter(Q(user__team=team) | about_team)
    if filters.user is not None:
        rows = rows.filter(user=filters.user)
    if filters.young_person is not None:
        rows = rows.filter(young_person_id=filters.young_person.pk)
    if filters.date_from is not None:
        rows = rows.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        rows = rows.filter(at__lt=_day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.purpose:
        rows = rows.filter(purpose=filters.purpose)
    return rows.select_related("user__team", "young_person").order_by("-at", "-id")


# --- Change history ------------------------------------------------------------------

CPR_HIDDEN = "******"
EMPTY = "–"


def history_querysets(young_person_ids: Iterable[int]) -> list[QuerySet]:
    """The history rows of every traced record about these young people, one
    queryset per historical model (also rows of records since deleted)."""
    ids = list(young_person_ids)
    enrolment_ids = list(Enrolment.history.filter(young_person_id__in=ids).values_list("id", flat=True).distinct())
    plan_ids = list(ActionPlan.history.filter(young_person_id__in=ids).values_list("id", flat=True).distinct())
    return [
        YoungPerson.history.filter(id__in=ids),
        Enrolment.history.filter(young_person_id__in=ids),
        Pause.history.filter(enrolment_id__in=enrolment_ids),
        PrimaryWorkerPeriod.history.filter(enrolment_id__in=enrolment_ids),
        Contact.history.filter(enrolment_id__in=enrolment_ids),
        Consent.history.filter(young_person_id__in=ids),
        ActionPlan.history.filter(young_person_id__in=ids),
        Goal.history.filter(plan_id__in=plan_ids),
        Agreement.history.filter(plan_id__in=plan_ids),
        PlanMeeting.history.filter(plan_id__in=plan_ids),
        MenteeProfile.history.filter(young_person_id__in=ids),
        Match.history.filter(enrolment_id__in=enrolment_ids),
        HousingGoal.history.filter(enrolment_id__in=enrolment_ids),
        NetworkRelation.history.filter(young_person_id__in=ids),
        MediationParty.history.filter(young_person_id__in=ids),
        ParentCouncilFamily.history.filter(young_person_id__in=ids),
    ]


def problem_area_history_model() -> type[models.Model]:
    """The history of YoungPerson.problem_areas (simple-history's table for the many-to-many field)."""
    return apps.get_model("cases", "HistoricalYoungPerson_problem_areas")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ChangeEntry:
    at: dt.datetime
    record: str
    record_id: int
    kind: str
    by: str
    changes: tuple[FieldChange, ...]


KIND_LABELS = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


class _Formatter:
    """Stored values as a reader wants them: choice labels, names of workers
    and of related records, local dates; CPR numbers never shown."""

    def __init__(self, history_rows: list[Any]) -> None:
        wanted: dict[type[models.Model], set[int]] = defaultdict(set)
        for row in history_rows:
            for field in row.tracked_fields:
                if field.is_relation and field.many_to_one:
                    value = getattr(row, field.attname)
                    if value is not None:
                        wanted[field.related_model].add(value)
            if row.history_user_id:
                wanted[User].add(row.history_user_id)
        self.objects: dict[type[models.Model], dict[int, models.Model]] = {}
        for model, pks in wanted.items():
            manager = model._default_manager
            if model is Enrolment:
                manager = manager.select_related("intervention_type")
            self.objects[model] = manager.in_bulk(pks)

    def related(self, model: type[models.Model], pk: int | None) -> str:
        if pk is None:
            return EMPTY
        obj = self.objects.get(model, {}).get(pk)
        return str(obj) if obj is not None else f"#{pk}"

    def value(self, field: models.Field, row: Any) -> str:
        value = getattr(row, field.attname)
        if value is None or value == "":
            return EMPTY
        if field.name == "cpr_number":
            return CPR_HIDDEN
        if field.is_relation:
            return self.related(field.related_model, value)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, dt.datetime):
            return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        if isinstance(value, dt.date):
            return formats.date_format(value, "SHORT_DATE_FORMAT")
        return str(value)

    def user(self, pk: int | None) -> str:
        return self.related(User, pk) if pk else _("The system (import or scheduled job)")


def _problem_areas_by_history_id(rows: list[Any]) -> dict[int, str]:
    """The young person's problem areas as each of her history rows recorded them."""
    ids = [row.history_id for row in rows]
    names = {pk: str(area) for pk, area in ProblemArea.objects.in_bulk().items()}
    found: dict[int, list[str]] = defaultdict(list)
    pairs = problem_area_history_model().objects.filter(history_id__in=ids).values_list("history_id", "problemarea_id")
    for history_id, area_id in pairs:
        found[history_id].append(names.get(area_id, f"#{area_id}"))
    return {history_id: ", ".join(sorted(found.get(history_id, []))) or EMPTY for history_id in ids}


def change_history(young_person: YoungPerson) -> list[ChangeEntry]:
    """Who changed what in the young person's records, field by field (old -> new),
    newest first. Saves that changed nothing are left out."""
    entries: list[ChangeEntry] = []
    for queryset in history_querysets([young_person.pk]):
        rows = list(queryset.order_by("id", "history_date", "history_id"))
        if rows:
            entries.extend(_entries_of(rows))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def _entries_of(rows: list[Any]) -> Iterator[ChangeEntry]:
    """The rows of one historical model, ordered by record and time."""
    model = rows[0].instance_type
    record = str(model._meta.verbose_name).capitalize()
    fields = [f for f in rows[0].tracked_fields if f.editable and not f.primary_key]
    fmt = _Formatter(rows)
    areas = _problem_areas_by_history_id(rows) if model is YoungPerson else {}
    area_label = str(YoungPerson._meta.get_field("problem_areas").verbose_name)
    previous: Any = None
    for row in rows:
        if previous is not None and previous.id != row.id:
            previous = None
        changes = []
        if row.history_type != "-":
            # Against the row before; a record created (or with no earlier row kept) shows every value it got.
            for field in fields:
                if previous is not None and getattr(previous, field.attname) == getattr(row, field.attname):
                    continue
                old = fmt.value(field, previous) if previous is not None else EMPTY
                new = fmt.value(field, row)
                if old != new or previous is not None:
                    changes.append(FieldChange(str(field.verbose_name), old, new))
            if areas:
                old = areas[previous.history_id] if previous is not None else EMPTY
                if old != areas[row.history_id]:
                    changes.append(FieldChange(area_label, old, areas[row.history_id]))
        previous = row
        if row.history_type == "~" and not changes:
            continue
        yield ChangeEntry(
            at=timezone.localtime(row.history_date),
            record=record,
            record_id=row.id,
            kind=str(KIND_LABELS[row.history_type]),
            by=fmt.user(row.history_user_id),
            changes=tuple(changes),
        )

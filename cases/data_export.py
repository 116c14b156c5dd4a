"""Everything held about one young person, as one JSON document, for an access
request (GDPR art. 15) and data portability (art. 20).

The file holds the person's own data, CPR number included. Employees appear
by role and team, never by name (as in the access report). Records shared
with others (a mediation case, a parent council) contribute the young
person's own part and the record's dates and type, not the other people in it.
The caseworker handling the request reads the file before handing it over.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import (
    ActionPlan,
    Agreement,
    Consent,
    Contact,
    Enrolment,
    EnrolmentCorrection,
    Goal,
    Handover,
    Pause,
    PlanMeeting,
    PrimaryWorkerPeriod,
    User,
    YoungPerson,
)
from cases.selectors_audit import role_label
from interventions.models import (
    Bridging,
    FollowUpFlag,
    GroupAttendance,
    HousingGoal,
    Match,
    MediationParty,
    MenteeProfile,
    NetworkRelation,
    ParentCouncilFamily,
)
from outcomes.instruments.models import Assessment
from outcomes.models import StatusEvent

FORMAT = "youthcase-personal-data"
FORMAT_VERSION = 1


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def record(obj: models.Model, *, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """One stored row: its fields by name, choices as their labels, employees as
    role and team, other records by id (or by name for reference data)."""
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in leave_out:
            continue
        if field.is_relation:
            related_id = getattr(obj, field.attname)
            if field.related_model is User or field.related_model._meta.label == settings.AUTH_USER_MODEL:
                out[field.name] = role_label(getattr(obj, field.name)) if related_id is not None else None
            elif field.name == "intervention_type":
                out[field.name] = str(obj.intervention_type)
            else:
                out[f"{field.name}_id"] = related_id
            continue
        value = getattr(obj, field.attname)
        if field.choices and value not in (None, ""):
            value = str(dict(field.flatchoices).get(value, value))
        out[field.name] = _plain(value)
    return out


def _records(queryset: models.QuerySet, **kwargs: Any) -> list[dict[str, Any]]:
    return [record(obj, **kwargs) for obj in queryset]


def personal_data(young_person: YoungPerson) -> dict[str, Any]:
    """Every record about the young person (1 document, about 25 queries)."""
    enrolments = Enrolment.objects.filter(young_person=young_person).select_related(
        "intervention_type", "primary_worker__team"
    )
    plan = ActionPlan.objects.filter(young_person=young_person).select_related("coordinator__team").first()
    person = record(young_person)
    person["problem_areas"] = [str(area) for area in young_person.problem_areas.all()]
    assessments = []
    for assessment in (
        Assessment.objects.filter(young_person=young_person)
        .select_related("version__instrument", "recorded_by__team")
        .prefetch_related("answers__item")
    ):
        row = record(assessment, leave_out=("version",))
        row["instrument"] = str(assessment.version.instrument)
        row["instrument_version"] = assessment.version.number
        row["answers"] = [
            {"item": answer.item.code, "text": answer.item.text, "value": answer.value}
            for answer in sorted(assessment.answers.all(), key=lambda a: (a.item.order, a.item.code))
        ]
        assessments.append(row)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.localtime().isoformat(),
        "young_person": person,
        "enrolments": _records(enrolments),
        "pauses": _records(Pause.objects.filter(enrolment__young_person=young_person)),
        "primary_worker_periods": _records(
            PrimaryWorkerPeriod.objects.filter(enrolment__young_person=young_person).select_related("worker__team")
        ),
        "handovers": _records(
            Handover.objects.filter(enrolment__young_person=young_person).select_related(
                "from_worker__team", "to_worker__team", "recorded_by__team"
            )
        ),
        "enrolment_corrections": _records(
            EnrolmentCorrection.objects.filter(enrolment__young_person=young_person).select_related(
                "corrected_by__team"
            )
        ),
        "contacts": _records(
            Contact.objects.filter(enrolment__young_person=young_person)
            .select_related("worker__team")
            .order_by("occurred_at", "id")
        ),
        "consents": _records(Consent.objects.filter(young_person=young_person).select_related("recorded_by__team")),
        "action_plan": record(plan) if plan else None,
        "goals": _records(Goal.objects.filter(plan=plan)) if plan else [],
        "agreements": _records(Agreement.objects.filter(plan=plan)) if plan else [],
        "plan_meetings": _records(PlanMeeting.objects.filter(plan=plan)) if plan else [],
        "status_events": _records(
            StatusEvent.objects.filter(young_person=young_person).select_related("recorded_by__team")
        ),
        "assessments": assessments,
        "mentee_profile": _one(MenteeProfile.objects.filter(young_person=young_person)),
        "mentor_matches": _records(
            Match.objects.filter(enrolment__young_person=young_person).select_related("coordinator__team"),
            leave_out=("mentor",),  # the volunteer is not an employee, but neither is she the young person
        ),
        "housing_goals": _records(
            HousingGoal.objects.filter(enrolment__young_person=young_person).select_related("created_by__team")
        ),
        "network_relations": _records(
            NetworkRelation.objects.filter(young_person=young_person).select_related("created_by__team")
        ),
        "group_activity_attendances": [
            {"activity_id": a.activity_id, "enrolment_id": a.enrolment_id, "contact_id": a.contact_id}
            for a in GroupAttendance.objects.filter(enrolment__young_person=young_person)
        ],
        "follow_up_flags": _records(
            FollowUpFlag.objects.filter(enrolment__young_person=young_person).select_related(
                "raised_by__team", "taken_by__team"
            )
        ),
        "bridgings": _records(
            Bridging.objects.filter(enrolment__young_person=young_person).select_related("worker__team")
        ),
        "mediation": [
            {
                **record(party, leave_out=("case", "young_person", "name")),
                "case": record(party.case, leave_out=("team", "created_by", "police_clearance_by")),
                "parents": [record(parent, leave_out=("party",)) for parent in party.parents.all()],
            }
            for party in MediationParty.objects.filter(young_person=young_person)
            .select_related("case")
            .prefetch_related("parents")
        ],
        "parent_councils": [
            {
                **record(family, leave_out=("council", "young_person")),
                "council": record(
                    family.council, leave_out=("team", "initiator", "coordinator_name", "coordinator_phone")
                ),
                "parents": [record(parent, leave_out=("family",)) for parent in family.parents.all()],
            }
            for family in ParentCouncilFamily.objects.filter(young_person=young_person)
            .select_related("council")
            .prefetch_related("parents")
        ],
    }


def _one(queryset: models.QuerySet) -> dict[str, Any] | None:
    obj = queryset.first()
    return record(obj) if obj is not None else None

"""Writes for Housing First with CTI: housing status (through
outcomes.services, spec §8), housing goals, and the network map's relations."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Enrolment, User, YoungPerson
from cases.services.common import history_by
from interventions.housing_first.cti import CTI_CODE
from interventions.method_audit import Action, log_people
from interventions.method_rules import refuse_future, require_on_or_after
from interventions.models import HousingGoal, NetworkRelation, RelationType
from outcomes.models import StatusEvent
from outcomes.services import status_event_save


def _require_cti(enrolment: Enrolment) -> None:
    if enrolment.intervention_type.code != CTI_CODE:
        raise ValidationError(_("This is not a Housing First (CTI) enrolment."))


@history_by
def housing_status_record(*, enrolment: Enrolment, date: dt.date, value: str, by: User | None) -> StatusEvent:
    """A move, a stay at a shelter, a new tenancy: one dated housing status (spec §8)."""
    _require_cti(enrolment)
    refuse_future(date, "date")
    return status_event_save(
        young_person=enrolment.young_person, domain=StatusEvent.Domain.HOUSING, date=date, value=value, by=by
    )


@history_by
@transaction.atomic
def housing_goal_add(
    *, enrolment: Enrolment, text: str, target_on: dt.date | None = None, by: User | None
) -> HousingGoal:
    """A practical goal set with the young person (001:L2667-2669)."""
    _require_cti(enrolment)
    if target_on is not None:
        require_on_or_after(target_on, enrolment.start_date, "target_on", _("the start of the course"))
    goal = HousingGoal(enrolment=enrolment, text=text.strip(), target_on=target_on, created_by=by)
    goal.full_clean(exclude=["created_by"])
    goal.save()
    log_people(user=by, action=Action.UPDATE, young_person_ids=[enrolment.young_person_id], obj=goal, detail="goal")
    return goal


@history_by
@transaction.atomic
def housing_goal_met(*, goal: HousingGoal, met_on: dt.date, by: User | None) -> HousingGoal:
    if goal.met_on is not None:
        raise ValidationError(_("The goal is already met."))
    refuse_future(met_on, "met_on")
    require_on_or_after(met_on, goal.enrolment.start_date, "met_on", _("the start of the course"))
    goal.met_on = met_on
    goal.save(update_fields=["met_on"])
    young_person_ids = [goal.enrolment.young_person_id]
    log_people(user=by, action=Action.UPDATE, young_person_ids=young_person_ids, obj=goal, detail="goal met")
    return goal


RELATION_FIELDS = ("name", "relation_type", "paid", "quality", "since", "ended_on", "bridged_on", "note")


@history_by
@transaction.atomic
def network_relation_save(
    *,
    young_person: YoungPerson,
    by: User | None,
    relation: NetworkRelation | None = None,
    name: str,
    relation_type: str,
    paid: bool = False,
    quality: str = NetworkRelation.Quality.POSITIVE,
    since: dt.date | None = None,
    ended_on: dt.date | None = None,
    bridged_on: dt.date | None = None,
    note: str = "",
) -> NetworkRelation:
    """Add a relation to the young person's network map, or change `relation`."""
    if relation is not None and relation.young_person_id != young_person.pk:
        raise ValidationError(_("This relation belongs to another young person."))
    for day, field in ((since, "since"), (ended_on, "ended_on"), (bridged_on, "bridged_on")):
        refuse_future(day, field)
    if since is not None and ended_on is not None:
        require_on_or_after(ended_on, since, "ended_on", _("the start of the relation"))
    if bridged_on is not None and relation_type != RelationType.CIVIL_SOCIETY:
        raise ValidationError({"bridged_on": _("Only civil-society offers are recorded as bridged to.")})
    created = relation is None
    relation = relation or NetworkRelation(young_person=young_person, created_by=by)
    values = {
        "name": name.strip(),
        "relation_type": relation_type,
        "paid": paid,
        "quality": quality,
        "since": since,
        "ended_on": ended_on,
        "bridged_on": bridged_on,
        "note": note.strip(),
    }
    changed = sorted(f for f, v in values.items() if getattr(relation, f) != v)
    for field, value in values.items():
        setattr(relation, field, value)
    relation.full_clean(exclude=["created_by"])
    relation.save()
    if created or changed:
        log_people(
            user=by,
            action=Action.CREATE if created else Action.UPDATE,
            young_person_ids=[young_person.pk],
            obj=relation,
            detail="" if created else ", ".join(changed),
        )
    return relation

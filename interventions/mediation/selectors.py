"""Mediation cases, scoped to what the user may see.

The rule: a worker or team leader sees a mediation case when

- she may see at least one registered party's young person (cases.selectors), or
- she is one of its mediators (the municipality's mediators work across teams), or
- the case belongs to her team (a case whose parties are all known by name
  only still has someone responsible for it).

Everyone who sees a case sees all its parties' names and roles and their
parents: a mediation is between them. A party's young person's own page
stays as cases.selectors decides. Other roles see no case.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cases.models import User
from cases.selectors import young_people_for
from interventions.models import (
    MediationCase,
    MediationFollowUp,
    MediationParty,
    MediationStep,
    MediationStepNumber,
)


def mediation_cases_for(user: User) -> QuerySet[MediationCase]:
    if not user.is_authenticated or not user.is_active or not user.works_cases:
        return MediationCase.objects.none()
    party_in_scope = MediationParty.objects.filter(case=OuterRef("pk"), young_person__in=young_people_for(user))
    is_mediator = MediationCase.mediators.through.objects.filter(mediationcase=OuterRef("pk"), user=user)
    return MediationCase.objects.filter(Exists(party_in_scope) | Exists(is_mediator) | Q(team_id=user.team_id))


def mediation_case_for(user: User, pk: int) -> MediationCase:
    """The case with everything its page shows, or 404."""
    try:
        return (
            mediation_cases_for(user)
            .select_related("team", "agreement")
            .prefetch_related(
                Prefetch("parties", queryset=MediationParty.objects.select_related("young_person")),
                "parties__parents",
                "mediators",
                "preparations__party__young_person",
                "preparations__mediator",
                "steps",
                "follow_ups",
            )
            .get(pk=pk)
        )
    except MediationCase.DoesNotExist:
        raise Http404


def mediation_party_for(user: User, pk: int) -> MediationParty:
    try:
        return MediationParty.objects.select_related("case", "young_person").get(
            pk=pk, case__in=mediation_cases_for(user)
        )
    except MediationParty.DoesNotExist:
        raise Http404


def mediation_follow_up_for(user: User, pk: int) -> MediationFollowUp:
    try:
        return MediationFollowUp.objects.select_related("case__agreement").get(
            pk=pk, case__in=mediation_cases_for(user)
        )
    except MediationFollowUp.DoesNotExist:
        raise Http404


class Stage:
    """Where a case stands, in the method's order."""

    AWAITING_CLEARANCE = "awaiting_clearance"
    PREPARATION = "preparation"
    MEETING = "meeting"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"

    LABELS = {
        AWAITING_CLEARANCE: _("Waiting for police clearance"),
        PREPARATION: _("Preparation"),
        MEETING: _("Mediation meeting"),
        FOLLOW_UP: _("Follow-up"),
        CLOSED: _("Closed"),
    }


def stage_of(case: MediationCase, *, last_step: int | None, follow_ups_open: bool) -> str:
    if case.closed_on is not None and not follow_ups_open:
        return Stage.CLOSED
    if last_step == MediationStepNumber.AGREEMENT:
        return Stage.FOLLOW_UP
    if case.closed_on is not None:
        return Stage.CLOSED
    if case.waiting_for_clearance:
        return Stage.AWAITING_CLEARANCE
    return Stage.MEETING if last_step else Stage.PREPARATION


@dataclass(frozen=True)
class CaseRow:
    case: MediationCase
    stage: str
    next_follow_up: dt.date | None
    follow_up_overdue: bool

    @property
    def stage_label(self) -> str:
        return str(Stage.LABELS[self.stage])


CLOSED_LIST_LENGTH = 100


def mediation_case_rows(
    user: User, *, today: dt.date, closed: bool = False, young_person_id: int | None = None
) -> list[CaseRow]:
    """The list page: the cases still in progress (or with a follow-up to come),
    or with `closed` the most recent finished ones; each with its stage and
    next follow-up."""
    cases = mediation_cases_for(user)
    if young_person_id is not None:
        cases = cases.filter(
            Exists(MediationParty.objects.filter(case=OuterRef("pk"), young_person_id=young_person_id))
        )
    follow_up_open = Exists(MediationFollowUp.objects.filter(case=OuterRef("pk"), held_on__isnull=True))
    in_progress = Q(closed_on__isnull=True) | follow_up_open
    cases = cases.exclude(in_progress) if closed else cases.filter(in_progress)
    cases = (
        cases.annotate(next_follow_up=Min("follow_ups__due_on", filter=Q(follow_ups__held_on__isnull=True)))
        .prefetch_related(
            Prefetch("parties", queryset=MediationParty.objects.select_related("young_person")),
            Prefetch("steps", queryset=MediationStep.objects.only("case_id", "step")),
        )
        .order_by("-referred_on", "-pk")
    )
    if closed:
        cases = cases[:CLOSED_LIST_LENGTH]
    rows = []
    for case in cases:
        last_step = max((s.step for s in case.steps.all()), default=None)
        due = case.next_follow_up
        stage = stage_of(case, last_step=last_step, follow_ups_open=due is not None)
        overdue = due is not None and due < today
        rows.append(CaseRow(case=case, stage=stage, next_follow_up=due, follow_up_overdue=overdue))
    return rows

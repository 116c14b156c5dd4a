"""Parent councils, scoped to what the user may see.

The rule: a worker or team leader sees a council when she may see at least
one young person of its group (cases.selectors), when she is its initiator,
or when it belongs to her team. Who sees a council sees the whole group and
every family's parents: the parents meet as a group. Other roles see none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cases.models import User
from cases.selectors import young_people_for
from interventions.models import (
    ParentCouncil,
    ParentCouncilFamily,
    ParentCouncilFollowUp,
    ParentCouncilMeeting,
    ParentCouncilParent,
    ParentCouncilPlanItem,
)


def parent_councils_for(user: User) -> QuerySet[ParentCouncil]:
    if not user.is_authenticated or not user.is_active or not user.works_cases:
        return ParentCouncil.objects.none()
    family_in_scope = ParentCouncilFamily.objects.filter(
        council=OuterRef("pk"), young_person__in=young_people_for(user)
    )
    return ParentCouncil.objects.filter(Exists(family_in_scope) | Q(initiator=user) | Q(team_id=user.team_id))


def parent_council_for(user: User, pk: int) -> ParentCouncil:
    try:
        return (
            parent_councils_for(user)
            .select_related("team", "initiator")
            .prefetch_related(
                Prefetch(
                    "families",
                    queryset=ParentCouncilFamily.objects.select_related("young_person").prefetch_related("parents"),
                ),
                "participants",
                Prefetch(
                    "meetings",
                    queryset=ParentCouncilMeeting.objects.prefetch_related(
                        Prefetch("parents_present", queryset=ParentCouncilParent.objects.only("id", "family_id")),
                        "participants_present",
                    ),
                ),
                "plan_items",
                "follow_ups",
            )
            .get(pk=pk)
        )
    except ParentCouncil.DoesNotExist:
        raise Http404


def council_family_for(user: User, pk: int) -> ParentCouncilFamily:
    try:
        return ParentCouncilFamily.objects.select_related("council", "young_person").get(
            pk=pk, council__in=parent_councils_for(user)
        )
    except ParentCouncilFamily.DoesNotExist:
        raise Http404


def council_plan_item_for(user: User, pk: int) -> ParentCouncilPlanItem:
    try:
        return ParentCouncilPlanItem.objects.select_related("council").get(pk=pk, council__in=parent_councils_for(user))
    except ParentCouncilPlanItem.DoesNotExist:
        raise Http404


def council_follow_up_for(user: User, pk: int) -> ParentCouncilFollowUp:
    try:
        return ParentCouncilFollowUp.objects.select_related("council").get(pk=pk, council__in=parent_councils_for(user))
    except ParentCouncilFollowUp.DoesNotExist:
        raise Http404


class Phase:
    PREPARATION = "preparation"
    MEETING = "meeting"
    FOLLOW_UP = "follow_up"
    CLOSED = "closed"

    LABELS = {
        PREPARATION: _("Phase I: preparation"),
        MEETING: _("Phase II: the council meeting"),
        FOLLOW_UP: _("Phase III: follow-up"),
        CLOSED: _("Closed"),
    }


def phase_of(council: ParentCouncil, *, has_meeting: bool) -> str:
    if council.closed_on is not None:
        return Phase.CLOSED
    if council.plan_approved_on is not None:
        return Phase.FOLLOW_UP
    return Phase.MEETING if has_meeting else Phase.PREPARATION


@dataclass(frozen=True)
class CouncilRow:
    council: ParentCouncil
    phase: str
    families: int
    next_due: dt.date | None
    overdue: bool

    @property
    def phase_label(self) -> str:
        return str(Phase.LABELS[self.phase])


def parent_council_rows(
    user: User, *, today: dt.date, closed: bool = False, young_person_id: int | None = None
) -> list[CouncilRow]:
    """The list: councils in progress (or closed ones), each with its phase and
    the next thing due (a plan item's follow-up date or a 3/12-month follow-up)."""
    councils = parent_councils_for(user).filter(closed_on__isnull=not closed)
    if young_person_id is not None:
        councils = councils.filter(
            Exists(ParentCouncilFamily.objects.filter(council=OuterRef("pk"), young_person_id=young_person_id))
        )
    councils = (
        councils.annotate(
            family_count=Count("families", filter=Q(families__declined_on__isnull=True), distinct=True),
            has_meeting=Exists(ParentCouncilMeeting.objects.filter(council=OuterRef("pk"))),
            next_item=Min("plan_items__follow_up_on", filter=Q(plan_items__done_on__isnull=True)),
            next_follow_up=Min("follow_ups__due_on", filter=Q(follow_ups__held_on__isnull=True)),
        )
        .prefetch_related(
            Prefetch("families", queryset=ParentCouncilFamily.objects.only("id", "council_id", "young_person_id"))
        )
        .order_by("-created_at", "-pk")
    )
    rows = []
    for council in councils[:200] if closed else councils:
        due = min((d for d in (council.next_item, council.next_follow_up) if d is not None), default=None)
        rows.append(
            CouncilRow(
                council=council,
                phase=phase_of(council, has_meeting=council.has_meeting),
                families=council.family_count,
                next_due=due,
                overdue=due is not None and due < today,
            )
        )
    return rows

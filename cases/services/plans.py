"""Writes of the action plan: goals, agreements and meetings (003:L1315-1448)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.audit import Action, Purpose
from cases.models import ActionPlan, Agreement, Goal, PlanMeeting, User, YoungPerson
from cases.services.common import history_by, log_write


def _saved(obj, by: User, young_person_id: int, action: str = Action.CREATE, detail: str = ""):
    obj.full_clean()
    obj.save()
    log_write(by, action, young_person_id, obj, Purpose.CASE_WORK, detail=detail)
    return obj


@history_by
@transaction.atomic
def plan_create(
    *,
    young_person: YoungPerson,
    coordinator: User,
    created_on: dt.date,
    by: User,
    meeting_interval_weeks: int = 8,
    made_with_young_person: bool = True,
) -> ActionPlan:
    if ActionPlan.objects.filter(young_person=young_person).exists():
        raise ValidationError({"young_person": _("The young person already has a plan.")})
    plan = ActionPlan(
        young_person=young_person,
        coordinator=coordinator,
        created_on=created_on,
        meeting_interval_weeks=meeting_interval_weeks,
        made_with_young_person=made_with_young_person,
    )
    return _saved(plan, by, young_person.pk)


@history_by
@transaction.atomic
def goal_add(
    *,
    plan: ActionPlan,
    text: str,
    by: User,
    set_by: str = Goal.SetBy.TOGETHER,
    parent: Goal | None = None,
    target_date: dt.date | None = None,
) -> Goal:
    if parent is not None and (parent.plan_id != plan.pk or parent.parent_id is not None):
        raise ValidationError({"parent": _("A sub-goal belongs under a main goal of the same plan.")})
    goal = Goal(plan=plan, text=text, set_by=set_by, parent=parent, target_date=target_date)
    return _saved(goal, by, plan.young_person_id)


@history_by
@transaction.atomic
def goal_achieve(*, goal: Goal, achieved_on: dt.date, by: User) -> Goal:
    goal.achieved_on = achieved_on
    return _saved(goal, by, goal.plan.young_person_id, Action.UPDATE, "achieved")


@history_by
@transaction.atomic
def agreement_add(
    *, plan: ActionPlan, text: str, owner: str, due_date: dt.date, by: User, goal: Goal | None = None
) -> Agreement:
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("The goal belongs to another plan.")})
    if due_date < plan.created_on:
        raise ValidationError({"due_date": _("An agreement cannot fall due before the plan was made.")})
    agreement = Agreement(plan=plan, goal=goal, text=text, owner=owner, due_date=due_date)
    return _saved(agreement, by, plan.young_person_id)


@history_by
@transaction.atomic
def agreement_done(*, agreement: Agreement, done_on: dt.date, by: User) -> Agreement:
    agreement.done_on = done_on
    return _saved(agreement, by, agreement.plan.young_person_id, Action.UPDATE, "done")


@history_by
@transaction.atomic
def plan_meeting_record(
    *,
    plan: ActionPlan,
    date: dt.date,
    by: User,
    young_person_present: bool = True,
    parents_present: bool = False,
    workers: list[User] | None = None,
    others_present: str = "",
    summary: str = "",
) -> PlanMeeting:
    if date < plan.created_on:
        raise ValidationError({"date": _("A plan meeting cannot be held before the plan was made.")})
    meeting = PlanMeeting(
        plan=plan,
        date=date,
        young_person_present=young_person_present,
        parents_present=parents_present,
        others_present=others_present,
        summary=summary,
    )
    _saved(meeting, by, plan.young_person_id)
    meeting.workers.set(workers or [])
    return meeting

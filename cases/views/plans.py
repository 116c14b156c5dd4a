"""The action plan made with the young person: goals, agreements, meetings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from cases import selectors, services
from cases.audit import Action, Purpose, access_log_record
from cases.decorators import case_worker_required
from cases.forms import AgreementForm, DoneForm, GoalForm, PlanForm, PlanMeetingForm
from cases.models import ActionPlan
from cases.views.form_page import form_page

GET_POST = require_http_methods(["GET", "POST"])


def _plan_url(plan: ActionPlan) -> str:
    return reverse("cases:plan", args=[plan.young_person_id])


@case_worker_required
@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = selectors.young_person_for(request.user, pk)
    plan = ActionPlan.objects.filter(young_person=young_person).select_related("coordinator").first()
    access_log_record(
        user=request.user, action=Action.READ, purpose=Purpose.CASE_WORK, young_person=young_person, obj=plan
    )
    context = {"young_person": young_person, "plan": plan, "today": timezone.localdate()}
    if plan is not None:
        meetings = list(plan.meetings.prefetch_related("workers"))
        context |= {
            "goals": plan.goals.filter(parent__isnull=True).prefetch_related("sub_goals"),
            "agreements": plan.agreements.select_related("goal"),
            "meetings": meetings,
            "next_meeting_due": plan.next_meeting_due(meetings[0].date if meetings else None),
        }
    return render(request, "cases/plan.html", context)


@case_worker_required
@GET_POST
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    young_person = selectors.young_person_for(request.user, pk)
    return form_page(
        request,
        form_class=PlanForm,
        title=_("Make a plan"),
        young_person=young_person,
        save=lambda data: services.plan_create(young_person=young_person, by=request.user, **data),
        done_message=_("The plan is made."),
        back_url=reverse("cases:plan", args=[pk]),
        form_kwargs={"workers": selectors.team_workers_for(request.user)},
        initial={
            "coordinator": request.user,
            "created_on": timezone.localdate(),
            "meeting_interval_weeks": 8,
            "made_with_young_person": True,
        },
        intro=_("One plan, made with the young person, with one coordinator from start to finish."),
    )


@case_worker_required
@GET_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    return form_page(
        request,
        form_class=GoalForm,
        title=_("Add a goal"),
        young_person=plan.young_person,
        save=lambda data: services.goal_add(plan=plan, by=request.user, **data),
        done_message=_("The goal is added."),
        back_url=_plan_url(plan),
        form_kwargs={"plan": plan},
    )


@case_worker_required
@GET_POST
def goal_achieve(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.goal_for(request.user, pk)
    return form_page(
        request,
        form_class=DoneForm,
        title=_("Goal achieved: %(goal)s") % {"goal": goal.text},
        young_person=goal.plan.young_person,
        save=lambda data: services.goal_achieve(goal=goal, achieved_on=data["on"], by=request.user),
        done_message=_("The goal is marked as achieved."),
        back_url=_plan_url(goal.plan),
        initial={"on": timezone.localdate()},
    )


@case_worker_required
@GET_POST
def agreement_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    return form_page(
        request,
        form_class=AgreementForm,
        title=_("Add an agreement"),
        young_person=plan.young_person,
        save=lambda data: services.agreement_add(plan=plan, by=request.user, **data),
        done_message=_("The agreement is added."),
        back_url=_plan_url(plan),
        form_kwargs={"plan": plan},
        intro=_("Who does what by when: the young person, the parents or the municipality."),
    )


@case_worker_required
@GET_POST
def agreement_done(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_for(request.user, pk)
    return form_page(
        request,
        form_class=DoneForm,
        title=_("Agreement kept: %(agreement)s") % {"agreement": agreement.text},
        young_person=agreement.plan.young_person,
        save=lambda data: services.agreement_done(agreement=agreement, done_on=data["on"], by=request.user),
        done_message=_("The agreement is marked as kept."),
        back_url=_plan_url(agreement.plan),
        initial={"on": timezone.localdate()},
    )


@case_worker_required
@GET_POST
def plan_meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_for(request.user, pk)
    return form_page(
        request,
        form_class=PlanMeetingForm,
        title=_("Record a plan meeting"),
        young_person=plan.young_person,
        save=lambda data: services.plan_meeting_record(plan=plan, by=request.user, **data),
        done_message=_("The meeting is recorded."),
        back_url=_plan_url(plan),
        form_kwargs={"workers": selectors.team_workers_for(request.user)},
        initial={"date": timezone.localdate(), "workers": [request.user]},
    )

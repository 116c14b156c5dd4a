"""Housing First with CTI pages: the courses, a course (its CTI phase and
norm, the housing timeline, the housing goals), the network map and the
status template. Every page logs a read of the young person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.decorators import case_worker_required
from cases.models import Enrolment
from interventions.housing_first import selectors, services
from interventions.housing_first.cti import cti_course
from interventions.housing_first.forms import GoalMetForm, HousingGoalForm, HousingStatusForm, NetworkRelationForm
from interventions.housing_first.network_map import network_map
from interventions.method_audit import Action, log_people
from interventions.method_forms import MethodForm

Saved = str


def _log(request: HttpRequest, enrolment: Enrolment, action: str = Action.READ, detail: str = "") -> None:
    log_people(
        user=request.user, action=action, young_person_ids=[enrolment.young_person_id], obj=enrolment, detail=detail
    )


@case_worker_required
@require_GET
def housing_first_list(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("scope") != "team"
    rows = selectors.cti_rows(request.user, today=timezone.localdate(), mine=mine)
    if rows:
        log_people(
            user=request.user,
            action=Action.LIST,
            young_person_ids=[row.enrolment.young_person_id for row in rows],
            detail="cti courses",
        )
    return render(request, "interventions/housing_first/list.html", {"rows": rows, "mine": mine})


def _render_detail(request: HttpRequest, enrolment: Enrolment, **bound: MethodForm) -> HttpResponse:
    _log(request, enrolment)
    today = timezone.localdate()
    relations = selectors.network_relations(enrolment.young_person)
    goals = list(enrolment.housing_goals.all())
    context = {
        "enrolment": enrolment,
        "young_person": enrolment.young_person,
        "course": cti_course(enrolment, today),
        "contacts_this_week": selectors.qualifying_contacts_this_week(enrolment, today),
        "timeline": selectors.housing_timeline(enrolment, today),
        "goals": [
            (goal, bound["met_form"] if bound.get("goal_id") == goal.pk else GoalMetForm(prefix=f"g{goal.pk}"))
            for goal in goals
        ],
        "status": selectors.status_template(enrolment, relations, today),
        "relations": relations,
        "today": today,
        "status_form": bound.get("status_form") or HousingStatusForm(),
        "goal_form": bound.get("goal_form") or HousingGoalForm(),
    }
    return render(request, "interventions/housing_first/detail.html", context)


def _post(
    request: HttpRequest,
    enrolment: Enrolment,
    form: MethodForm,
    form_name: str,
    save: Callable[..., Saved],
    anchor: str,
    **extra: Any,
) -> HttpResponse:
    if form.is_valid():
        try:
            text = save(**form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, text)
            return redirect(reverse("interventions:housing_first_detail", args=[enrolment.pk]) + f"#{anchor}")
    return _render_detail(request, enrolment, **{form_name: form}, **extra)


@case_worker_required
@require_GET
def housing_first_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.cti_enrolment_for(request.user, pk))


@case_worker_required
@require_POST
def housing_status_add(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.cti_enrolment_for(request.user, pk)
    form = HousingStatusForm(request.POST)

    def save(**data: Any) -> Saved:
        services.housing_status_record(enrolment=enrolment, by=request.user, **data)
        return _("The housing status is recorded.")

    return _post(request, enrolment, form, "status_form", save, "housing")


@case_worker_required
@require_POST
def housing_goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.cti_enrolment_for(request.user, pk)
    form = HousingGoalForm(request.POST)

    def save(**data: Any) -> Saved:
        services.housing_goal_add(enrolment=enrolment, by=request.user, **data)
        return _("The goal is added.")

    return _post(request, enrolment, form, "goal_form", save, "goals")


@case_worker_required
@require_POST
def housing_goal_met(request: HttpRequest, pk: int) -> HttpResponse:
    goal = selectors.housing_goal_for(request.user, pk)
    enrolment = selectors.cti_enrolment_for(request.user, goal.enrolment_id)
    form = GoalMetForm(request.POST, prefix=f"g{goal.pk}")

    def save(**data: Any) -> Saved:
        services.housing_goal_met(goal=goal, by=request.user, **data)
        return _("The goal is marked as met.")

    return _post(request, enrolment, form, "met_form", save, "goals", goal_id=goal.pk)


def _map_context(request: HttpRequest, enrolment: Enrolment, action: str = Action.READ) -> dict[str, Any]:
    _log(request, enrolment, action, detail="network map")
    relations = selectors.network_relations(enrolment.young_person)
    return {
        "enrolment": enrolment,
        "young_person": enrolment.young_person,
        "relations": relations,
        "map": network_map(enrolment.young_person.name, relations),
        "today": timezone.localdate(),
    }


@case_worker_required
@require_http_methods(["GET", "POST"])
def network_map_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The map, its table, and the form to add a relation."""
    enrolment = selectors.cti_enrolment_for(request.user, pk)
    form = NetworkRelationForm(initial={"quality": "positive"})
    if request.method == "POST":
        form = NetworkRelationForm(request.POST)
        if form.is_valid():
            try:
                services.network_relation_save(
                    young_person=enrolment.young_person, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The relation is added to the network map."))
                return redirect("interventions:network_map", pk=enrolment.pk)
    context = _map_context(request, enrolment) | {"form": form}
    return render(request, "interventions/housing_first/network_map.html", context)


@case_worker_required
@require_http_methods(["GET", "POST"])
def network_relation_edit(request: HttpRequest, pk: int, relation_pk: int) -> HttpResponse:
    enrolment = selectors.cti_enrolment_for(request.user, pk)
    relation = selectors.network_relation_for(enrolment, relation_pk)
    if request.method == "POST":
        form = NetworkRelationForm(request.POST)
        if form.is_valid():
            try:
                services.network_relation_save(
                    young_person=enrolment.young_person, relation=relation, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The relation is changed."))
                return redirect("interventions:network_map", pk=enrolment.pk)
    else:
        _log(request, enrolment, detail="network relation")
        initial = {name: getattr(relation, name) for name in services.RELATION_FIELDS}
        initial["paid"] = "true" if relation.paid else "false"
        form = NetworkRelationForm(initial=initial)
    return render(
        request,
        "interventions/housing_first/relation_edit.html",
        {"enrolment": enrolment, "young_person": enrolment.young_person, "relation": relation, "form": form},
    )


@case_worker_required
@require_GET
def network_map_print(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = selectors.cti_enrolment_for(request.user, pk)
    context = _map_context(request, enrolment, Action.EXPORT)
    return render(request, "interventions/housing_first/network_map_print.html", context)


@case_worker_required
@require_GET
def cti_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status template, printable: goals met and civil-society offers bridged to."""
    enrolment = selectors.cti_enrolment_for(request.user, pk)
    _log(request, enrolment, Action.EXPORT, detail="status template")
    today = timezone.localdate()
    relations = selectors.network_relations(enrolment.young_person)
    context = {
        "enrolment": enrolment,
        "young_person": enrolment.young_person,
        "course": cti_course(enrolment, today),
        "timeline": selectors.housing_timeline(enrolment, today),
        "status": selectors.status_template(enrolment, relations, today),
        "today": today,
    }
    return render(request, "interventions/housing_first/status_print.html", context)

"""Mediation pages: the list, a new case, and the case page that walks the
mediator through the method in order; each POST view parses one form and
calls one service. Every page showing a case logs a read for each
registered party."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.decorators import case_worker_required
from cases.models import User
from cases.selectors import young_people_for, young_person_for
from interventions.mediation import selectors, services
from interventions.mediation.forms import (
    AgreementForm,
    CaseCreateForm,
    CaseUpdateForm,
    ClearanceForm,
    CloseForm,
    FollowUpForm,
    ParentForm,
    PartyForm,
    PreparationForm,
    StepForm,
)
from interventions.method_audit import Action, log_people
from interventions.method_forms import MethodForm
from interventions.method_views import Saved, post_form
from interventions.models import MediationCase, MediationStepNumber
from outcomes.reports.render import pdf_from_html

DETAIL = "interventions/mediation/detail.html"


def _mediator_choices(user: User, case: MediationCase | None = None) -> QuerySet[User]:
    """Workers and team leaders of the user's team, and the case's present mediators."""
    chosen = Q(team_id=user.team_id, role__in=[User.Role.WORKER, User.Role.TEAM_LEADER], is_active=True)
    if case is not None:
        chosen |= Q(pk__in=case.mediators.values("pk"))
    return User.objects.filter(chosen).order_by("name")


def _person_ids(case: MediationCase) -> list[int | None]:
    return [party.young_person_id for party in case.parties.all()]


def _log_read(request: HttpRequest, case: MediationCase, action: str = Action.READ, detail: str = "") -> None:
    log_people(user=request.user, action=action, young_person_ids=_person_ids(case), obj=case, detail=detail)


def _next_step(case: MediationCase) -> int | None:
    done = {step.step for step in case.steps.all()}
    return next((n for n in MediationStepNumber.values if n not in done), None)


def _steps(case: MediationCase) -> list[dict[str, Any]]:
    done = {step.step: step for step in case.steps.all()}
    return [{"number": n, "label": label, "record": done.get(n)} for n, label in MediationStepNumber.choices]


def _render_detail(request: HttpRequest, case: MediationCase, **bound: MethodForm) -> HttpResponse:
    """The case page; `bound` holds a form that failed, to show with its errors."""
    _log_read(request, case)
    today = timezone.localdate()
    parties = case.parties.all()
    mediators = case.mediators.all()
    next_step = _next_step(case)
    agreement = getattr(case, "agreement", None)
    approved = agreement is not None and agreement.approved_on is not None
    follow_ups = list(case.follow_ups.all())
    stage = selectors.stage_of(
        case,
        last_step=max((s.step for s in case.steps.all()), default=None),
        follow_ups_open=any(f.held_on is None for f in follow_ups),
    )
    own = next((m for m in mediators if m.pk == request.user.pk), None)
    forms: dict[str, MethodForm] = {
        "party_form": PartyForm(young_people=young_people_for(request.user).order_by("name")),
        "parent_form": ParentForm(parties=parties),
        "clearance_form": ClearanceForm(),
        "preparation_form": PreparationForm(
            parties=parties, mediators=mediators, initial={"mediator": own, "kind": "pre_meeting"}
        ),
        "step_form": StepForm(initial={"step": next_step}),
        "agreement_form": AgreementForm(
            parties=parties,
            initial={
                "text": agreement.text if agreement else "",
                "approved_by": [p for p in parties if p.approved_agreement_on],
            },
        ),
        "close_form": CloseForm(initial={"relationship_after": case.relationship_after}),
    }
    forms.update(bound)
    follow_up_forms = [
        (f, bound["follow_up_form"] if bound.get("follow_up_id") == f.pk else FollowUpForm(prefix=f"f{f.pk}"))
        for f in follow_ups
        if f.held_on is None
    ]
    context = {
        "case": case,
        "parties": parties,
        "mediators": mediators,
        "preparations": case.preparations.all(),
        "steps": _steps(case),
        "next_step": next_step,
        "next_step_label": MediationStepNumber(next_step).label if next_step else "",
        "agreement": agreement,
        "agreement_approved": approved,
        "follow_ups": follow_ups,
        "follow_up_forms": follow_up_forms,
        "stage": stage,
        "stage_label": selectors.Stage.LABELS[stage],
        "today": today,
        **_can(case, next_step, approved),
        **forms,
    }
    return render(request, DETAIL, context)


def _can(case: MediationCase, next_step: int | None, approved: bool) -> dict[str, bool]:
    """Which of the method's actions the case page offers now, in the method's order."""
    is_open = case.closed_on is None
    cleared = not case.waiting_for_clearance
    started = next_step != MediationStepNumber.OPENING
    return {
        "is_open": is_open,
        "can_clear": is_open and not cleared,
        "can_add_party": is_open and not started,
        "can_prepare": is_open and cleared and not started,
        "can_step": is_open and cleared and next_step is not None and next_step < MediationStepNumber.AGREEMENT,
        "can_agree": is_open and next_step == MediationStepNumber.AGREEMENT and not approved,
    }


def _back(case: MediationCase, anchor: str = "") -> HttpResponse:
    return redirect(reverse("interventions:mediation_detail", args=[case.pk]) + (f"#{anchor}" if anchor else ""))


def _young_person_filter(request: HttpRequest) -> Any:
    raw = request.GET.get("young_person", "")
    return young_person_for(request.user, int(raw)) if raw.isdigit() else None


@case_worker_required
@require_GET
def mediation_list(request: HttpRequest) -> HttpResponse:
    young_person = _young_person_filter(request)
    closed = request.GET.get("show") == "closed"
    rows = selectors.mediation_case_rows(
        request.user,
        today=timezone.localdate(),
        closed=closed,
        young_person_id=young_person.pk if young_person else None,
    )
    if rows:
        log_people(
            user=request.user,
            action=Action.LIST,
            young_person_ids=[p.young_person_id for row in rows for p in row.case.parties.all()],
            detail="mediation cases",
        )
    context = {"rows": rows, "closed": closed, "young_person": young_person}
    return render(request, "interventions/mediation/list.html", context)


@case_worker_required
@require_http_methods(["GET", "POST"])
def mediation_create(request: HttpRequest) -> HttpResponse:
    young_people = young_people_for(request.user).order_by("name")
    mediators = _mediator_choices(request.user)
    if request.method == "POST":
        form = CaseCreateForm(request.POST, young_people=young_people, mediators=mediators)
        if form.is_valid():
            data = form.cleaned_data
            parties = [
                services.PartyInput(
                    role=data["first_role"], young_person=data["first_young_person"], name=data["first_name"]
                )
            ]
            if data["second_role"] or data["second_young_person"] or data["second_name"]:
                parties.append(
                    services.PartyInput(
                        role=data["second_role"], young_person=data["second_young_person"], name=data["second_name"]
                    )
                )
            try:
                case = services.mediation_case_create(
                    case_type=data["case_type"],
                    summary=data["summary"],
                    referred_on=data["referred_on"],
                    team=request.user.team,
                    mediators=data["mediators"],
                    parties=parties,
                    by=request.user,
                )
            except ValidationError as error:
                _second_party_errors(form, error, len(parties))
            else:
                messages.success(request, _("The mediation case is created."))
                return _back(case)
    else:
        young_person = _young_person_filter(request)
        form = CaseCreateForm(
            young_people=young_people,
            mediators=mediators,
            initial={"first_young_person": young_person, "mediators": [request.user]},
        )
    return render(request, "interventions/mediation/create.html", {"form": form})


def _second_party_errors(form: CaseCreateForm, error: ValidationError, parties: int) -> None:
    """The service names party fields once ("young_person", "role"); the form
    has them per party, so show them under the party fieldset they concern."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            if field in ("young_person", "name", "role"):
                form.add_error(None, messages_)
            else:
                form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


@case_worker_required
@require_GET
def mediation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.mediation_case_for(request.user, pk))


@case_worker_required
@require_http_methods(["GET", "POST"])
def mediation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.mediation_case_for(request.user, pk)
    mediators = _mediator_choices(request.user, case)
    if request.method == "POST":
        form = CaseUpdateForm(request.POST, mediators=mediators)
        if form.is_valid():
            try:
                services.mediation_case_update(case=case, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The case is changed."))
                return _back(case)
    else:
        _log_read(request, case)
        form = CaseUpdateForm(mediators=mediators, initial={"summary": case.summary, "mediators": case.mediators.all()})
    return render(request, "interventions/mediation/edit.html", {"case": case, "form": form})


def _post(
    request: HttpRequest,
    case: MediationCase,
    form: MethodForm,
    form_name: str,
    save: Callable[..., Saved],
    anchor: str,
    **extra: Any,
) -> HttpResponse:
    """Back to the page at `anchor` once `save` succeeds, else the page (read afresh) with the form's errors."""
    return post_form(
        request,
        form,
        save,
        done=lambda: _back(case, anchor),
        redisplay=lambda: _render_detail(
            request, selectors.mediation_case_for(request.user, case.pk), **{form_name: form}, **extra
        ),
    )


@case_worker_required
@require_POST
def mediation_party_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.mediation_case_for(request.user, pk)
    form = PartyForm(request.POST, young_people=young_people_for(request.user).order_by("name"))

    def save(**data: Any) -> Saved:
        services.mediation_party_add(case=case, by=request.user, **data)
        return _("The party is added.")

    return _post(request, case, form, "party_form", save, "parties")


@case_worker_required
@require_POST
def mediation_parent_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.mediation_case_for(request.user, pk)
    form = ParentForm(request.POST, parties=case.parties.all())

    def save(**data: Any) -> Saved:
        services.mediation_parent_add(by=request.user, **data)
        return _("The parent is added.")

    return _post(request, case, form, "parent_form", save, "parties")


@case_worker_required
@require_POST
def mediation_clearance(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.mediation_case_for(request.user, pk)
    form = ClearanceForm(request.POST)

    def save(**data: Any) -> Saved:
        services.mediation_clearance_record(case=case, by=request.user, **data)
        return _("The police clearance is recorded.")

    return _post(request, case, form, "clearance_form", save, "clearance")


@case_worker_required
@require_POST
def mediation_preparation_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.mediation_case_for(request.user, pk)
    form = PreparationForm(request.POST, parties=case.parties.all(), mediators=case.mediators.all())

    def save(**data: Any) -> Saved:
        services.mediation_preparation_record(case=case, by=request.user, **data)
        return _("The preparation is recorded.")

    return _post(request, case, form, "preparation_form", save, "preparation")


@case_worker_required
@require_POST
def mediation_step_record(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.mediation_case_for(request.user, pk)
    form = StepForm(request.POST)

    def save(**data: Any) -> Saved:
        services.mediation_step_record(case=case, by=request.user, **data)
        return _("The step is recorded.")

    return _post(request, case, form, "step_form", save, "meeting")


@case_worker_required
@require_POST
def mediation_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.mediation_case_for(request.user, pk)
    form = AgreementForm(request.POST, parties=case.parties.all())

    def save(**data: Any) -> Saved:
        agreement = services.mediation_agreement_save(case=case, by=request.user, **data)
        if agreement.approved_on:
            return _("The agreement is approved by every party. Follow-ups are scheduled.")
        missing = ", ".join(p.display_name for p in case.parties.all() if not p.approved_agreement_on)
        return messages.WARNING, _("Saved as a draft: not yet approved by %(names)s.") % {"names": missing}

    return _post(request, case, form, "agreement_form", save, "agreement")


@case_worker_required
@require_POST
def mediation_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors.mediation_follow_up_for(request.user, pk)
    case = selectors.mediation_case_for(request.user, follow_up.case_id)
    form = FollowUpForm(request.POST, prefix=f"f{follow_up.pk}")

    def save(**data: Any) -> Saved:
        services.mediation_follow_up_record(follow_up=follow_up, by=request.user, **data)
        return _("The follow-up is recorded.")

    return _post(request, case, form, "follow_up_form", save, "follow-ups", follow_up_id=pk)


@case_worker_required
@require_POST
def mediation_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.mediation_case_for(request.user, pk)
    form = CloseForm(request.POST)

    def save(**data: Any) -> Saved:
        services.mediation_case_close(case=case, by=request.user, **data)
        return _("The case is closed.")

    return _post(request, case, form, "close_form", save, "close")


def _agreement_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    case = selectors.mediation_case_for(request.user, pk)
    _log_read(request, case, Action.EXPORT, detail="agreement printed")
    return {"case": case, "parties": case.parties.all(), "agreement": getattr(case, "agreement", None)}


@case_worker_required
@require_GET
def mediation_agreement_print(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "interventions/mediation/agreement_print.html", _agreement_context(request, pk))


@case_worker_required
@require_GET
def mediation_agreement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _agreement_context(request, pk) | {"pdf": True}
    html = render_to_string("interventions/mediation/agreement_print.html", context, request=request)
    pdf = pdf_from_html(html)[0]  # local files only, WeasyPrint loaded on first use
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="agreement-{pk}.pdf"'
    return response

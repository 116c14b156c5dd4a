"""Parent council pages: the list, a new council, and the council page laid
out as the method's three phases; each POST view parses one form and calls one
service. Every page showing a council logs a read for each family's young person."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.decorators import case_worker_required
from cases.selectors import young_people_for, young_person_for
from interventions.method_audit import Action, log_people
from interventions.method_forms import MethodForm
from interventions.method_views import Saved, post_form
from interventions.models import ParentCouncil, ParentCouncilMeeting, ParentCouncilParent
from interventions.parent_council import selectors, services
from interventions.parent_council.forms import (
    ApproveForm,
    CloseForm,
    CoordinatorForm,
    CouncilCreateForm,
    CouncilForm,
    DoneForm,
    FamilyForm,
    FamilyStepForm,
    FollowUpForm,
    InvitationForm,
    MeetingForm,
    ParentForm,
    ParticipantForm,
    PlanItemForm,
)
from outcomes.reports.render import pdf_from_html

DETAIL = "interventions/parent_council/detail.html"


def _person_ids(council: ParentCouncil) -> list[int]:
    return [family.young_person_id for family in council.families.all()]


def _log(request: HttpRequest, council: ParentCouncil, action: str = Action.READ, detail: str = "") -> None:
    log_people(user=request.user, action=action, young_person_ids=_person_ids(council), obj=council, detail=detail)


def _parents(council: ParentCouncil) -> Any:
    return ParentCouncilParent.objects.filter(family__council=council, family__declined_on__isnull=True).select_related(
        "family__young_person"
    )


def _meeting_form(council: ParentCouncil, first: bool, data: Any = None) -> MeetingForm:
    return MeetingForm(
        data,
        parents=_parents(council),
        participants=council.participants.all(),
        first=first,
        initial={"parents_present": _parents(council), "participants_present": council.participants.all()},
    )


def _render_detail(request: HttpRequest, council: ParentCouncil, **bound: Any) -> HttpResponse:
    _log(request, council)
    today = timezone.localdate()
    families = list(council.families.all())
    meetings = list(council.meetings.all())
    first = next((m for m in meetings if m.kind == ParentCouncilMeeting.Kind.COUNCIL), None)
    active = [f for f in families if f.declined_on is None]
    is_open = council.closed_on is None
    plan_items = list(council.plan_items.all())
    follow_ups = list(council.follow_ups.all())
    phase = selectors.phase_of(council, has_meeting=first is not None)
    forms: dict[str, Any] = {
        "family_form": FamilyForm(young_people=young_people_for(request.user).order_by("name")),
        "parent_form": ParentForm(families=council.families.select_related("young_person")),
        "participant_form": ParticipantForm(initial={"role": "informant"}),
        "invitation_form": InvitationForm(),
        "coordinator_form": CoordinatorForm(
            initial={"name": council.coordinator_name, "phone": council.coordinator_phone}
        ),
        "meeting_form": _meeting_form(council, first=first is None),
        "plan_item_form": PlanItemForm(initial={"owner": "parents"}),
        "approve_form": ApproveForm(initial={"approved_on": first.held_on if first else today}),
        "close_form": CloseForm(),
    }
    forms.update({k: v for k, v in bound.items() if k.endswith("_form")})
    family_forms = [
        (f, bound["family_step_form"] if bound.get("family_id") == f.pk else FamilyStepForm(prefix=f"fam{f.pk}"))
        for f in active
        if not f.home_visit_on
    ]
    follow_up_forms = [
        (f, bound["follow_up_form"] if bound.get("follow_up_id") == f.pk else FollowUpForm(prefix=f"f{f.pk}"))
        for f in follow_ups
        if f.held_on is None
    ]
    done_forms = {
        item.pk: bound["done_form"] if bound.get("item_id") == item.pk else DoneForm(prefix=f"i{item.pk}")
        for item in plan_items
        if item.done_on is None
    }
    context = {
        "council": council,
        "families": families,
        "participants": council.participants.all(),
        "meetings": meetings,
        "first_meeting": first,
        "follow_up_meetings": [m for m in meetings if m.kind == ParentCouncilMeeting.Kind.FOLLOW_UP],
        "plan_items": [(item, done_forms.get(item.pk)) for item in plan_items],
        "follow_ups": follow_ups,
        "family_forms": family_forms,
        "follow_up_forms": follow_up_forms,
        "phase": phase,
        "phase_label": selectors.Phase.LABELS[phase],
        "today": today,
        "is_open": is_open,
        "all_prepared": bool(active) and all(f.home_visit_on for f in active),
        "present_ids": {m.pk: {p.pk for p in m.parents_present.all()} for m in meetings},
        **forms,
    }
    return render(request, DETAIL, context)


def _back(council: ParentCouncil, anchor: str = "") -> HttpResponse:
    url = reverse("interventions:council_detail", args=[council.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _post(
    request: HttpRequest,
    council: ParentCouncil,
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
        done=lambda: _back(council, anchor),
        redisplay=lambda: _render_detail(
            request, selectors.parent_council_for(request.user, council.pk), **{form_name: form}, **extra
        ),
    )


@case_worker_required
@require_GET
def council_list(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("young_person", "")
    young_person = young_person_for(request.user, int(raw)) if raw.isdigit() else None
    closed = request.GET.get("show") == "closed"
    rows = selectors.parent_council_rows(
        request.user,
        today=timezone.localdate(),
        closed=closed,
        young_person_id=young_person.pk if young_person else None,
    )
    if rows:
        log_people(
            user=request.user,
            action=Action.LIST,
            young_person_ids=[f.young_person_id for row in rows for f in row.council.families.all()],
            detail="parent councils",
        )
    return render(
        request,
        "interventions/parent_council/list.html",
        {"rows": rows, "closed": closed, "young_person": young_person},
    )


@case_worker_required
@require_http_methods(["GET", "POST"])
def council_create(request: HttpRequest) -> HttpResponse:
    young_people = young_people_for(request.user).order_by("name")
    if request.method == "POST":
        form = CouncilCreateForm(request.POST, young_people=young_people)
        if form.is_valid():
            try:
                council = services.council_create(initiator=request.user, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The parent council is created. Next: the preliminary invitation."))
                return _back(council)
    else:
        raw = request.GET.get("young_person", "")
        initial = [young_person_for(request.user, int(raw))] if raw.isdigit() else []
        form = CouncilCreateForm(young_people=young_people, initial={"young_people": initial})
    return render(request, "interventions/parent_council/create.html", {"form": form})


@case_worker_required
@require_GET
def council_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.parent_council_for(request.user, pk))


@case_worker_required
@require_http_methods(["GET", "POST"])
def council_edit(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    if request.method == "POST":
        form = CouncilForm(request.POST)
        if form.is_valid():
            try:
                services.council_update(council=council, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The parent council is changed."))
                return _back(council)
    else:
        _log(request, council)
        form = CouncilForm(
            initial={
                "title": council.title,
                "concern": council.concern,
                "coordinator_name": council.coordinator_name,
                "coordinator_phone": council.coordinator_phone,
            }
        )
    return render(request, "interventions/parent_council/edit.html", {"council": council, "form": form})


@case_worker_required
@require_POST
def council_family_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    form = FamilyForm(request.POST, young_people=young_people_for(request.user))

    def save(young_person: Any) -> Saved:
        services.council_family_add(council=council, young_person=young_person, by=request.user)
        return _("The family is added.")

    return _post(request, council, form, "family_form", save, "families")


@case_worker_required
@require_POST
def council_parent_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    form = ParentForm(request.POST, families=council.families.all())

    def save(**data: Any) -> Saved:
        services.council_parent_add(by=request.user, **data)
        return _("The parent is added.")

    return _post(request, council, form, "parent_form", save, "families")


@case_worker_required
@require_POST
def council_participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    form = ParticipantForm(request.POST)

    def save(**data: Any) -> Saved:
        services.council_participant_add(council=council, by=request.user, **data)
        return _("The participant is added.")

    return _post(request, council, form, "participant_form", save, "participants")


@case_worker_required
@require_POST
def council_invitation(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    form = InvitationForm(request.POST)

    def save(**data: Any) -> Saved:
        services.council_invitation_record(council=council, by=request.user, **data)
        return _("The invitation is recorded.")

    return _post(request, council, form, "invitation_form", save, "preparation")


@case_worker_required
@require_POST
def council_coordinator(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    form = CoordinatorForm(request.POST)

    def save(**data: Any) -> Saved:
        services.council_coordinator_agree(council=council, by=request.user, **data)
        return _("The coordinator is recorded.")

    return _post(request, council, form, "coordinator_form", save, "preparation")


@case_worker_required
@require_POST
def council_family_step(request: HttpRequest, pk: int) -> HttpResponse:
    family = selectors.council_family_for(request.user, pk)
    council = selectors.parent_council_for(request.user, family.council_id)
    form = FamilyStepForm(request.POST, prefix=f"fam{family.pk}")

    def save(**data: Any) -> Saved:
        services.council_family_step(family=family, by=request.user, **data)
        return _("Recorded for %(name)s's family.") % {"name": family.young_person}

    return _post(request, council, form, "family_step_form", save, "preparation", family_id=family.pk)


@case_worker_required
@require_POST
def council_meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    first = not council.meetings.filter(kind=ParentCouncilMeeting.Kind.COUNCIL).exists()
    form = _meeting_form(council, first=first, data=request.POST)

    def save(**data: Any) -> Saved:
        services.council_meeting_record(council=council, by=request.user, **data)
        if first:
            return _("The council meeting is recorded. Next: the parents' plan.")
        return _("The follow-up meeting is recorded.")

    return _post(request, council, form, "meeting_form", save, "meeting" if first else "follow-up")


@case_worker_required
@require_POST
def council_plan_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    form = PlanItemForm(request.POST)

    def save(**data: Any) -> Saved:
        services.council_plan_item_add(council=council, by=request.user, **data)
        return _("The plan item is added.")

    return _post(request, council, form, "plan_item_form", save, "plan")


@case_worker_required
@require_POST
def council_plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    form = ApproveForm(request.POST)

    def save(**data: Any) -> Saved:
        services.council_plan_approve(council=council, by=request.user, **data)
        return _("The plan is approved. Phase III: follow-up.")

    return _post(request, council, form, "approve_form", save, "plan")


@case_worker_required
@require_POST
def council_plan_item_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.council_plan_item_for(request.user, pk)
    council = selectors.parent_council_for(request.user, item.council_id)
    form = DoneForm(request.POST, prefix=f"i{item.pk}")

    def save(**data: Any) -> Saved:
        services.council_plan_item_done(item=item, by=request.user, **data)
        return _("The plan item is marked done.")

    return _post(request, council, form, "done_form", save, "plan", item_id=item.pk)


@case_worker_required
@require_POST
def council_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    follow_up = selectors.council_follow_up_for(request.user, pk)
    council = selectors.parent_council_for(request.user, follow_up.council_id)
    form = FollowUpForm(request.POST, prefix=f"f{follow_up.pk}")

    def save(**data: Any) -> Saved:
        services.council_follow_up_record(follow_up=follow_up, by=request.user, **data)
        return _("The follow-up is recorded.")

    return _post(request, council, form, "follow_up_form", save, "follow-ups", follow_up_id=follow_up.pk)


@case_worker_required
@require_POST
def council_close(request: HttpRequest, pk: int) -> HttpResponse:
    council = selectors.parent_council_for(request.user, pk)
    form = CloseForm(request.POST)

    def save(**data: Any) -> Saved:
        services.council_close(council=council, by=request.user, **data)
        return _("The parent council is closed.")

    return _post(request, council, form, "close_form", save, "close")


def _plan_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    council = selectors.parent_council_for(request.user, pk)
    _log(request, council, Action.EXPORT, detail="plan printed")
    meetings = list(council.meetings.all())
    first = next((m for m in meetings if m.kind == ParentCouncilMeeting.Kind.COUNCIL), None)
    return {
        "council": council,
        "first_meeting": first,
        "plan_items": council.plan_items.all(),
        "families": [f for f in council.families.all() if f.declined_on is None],
        "next_meeting_on": meetings[-1].next_meeting_on if meetings else None,
    }


@case_worker_required
@require_GET
def council_plan_print(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "interventions/parent_council/plan_print.html", _plan_context(request, pk))


@case_worker_required
@require_GET
def council_plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    context = _plan_context(request, pk) | {"pdf": True}
    html = render_to_string("interventions/parent_council/plan_print.html", context, request=request)
    pdf = pdf_from_html(html)[0]  # local files only, WeasyPrint loaded on first use
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="parent-council-plan-{pk}.pdf"'
    return response

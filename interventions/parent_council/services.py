"""Every write to a parent council, in the order the method does them
(002:L6812-8084):

Phase I, preparation
  1. the initiator's preliminary invitation to the parents of the group;
  2. a neutral coordinator (samordner) is agreed;
  3. the coordinator phones every family,
  4. and visits every family at home (a family may decline);
  5. the coordinator's final invitation.
Phase II, the council meeting: informants' first-hand observations and the
  questions for the parents; the parents deliberate alone and agree a plan,
  whose items each have a named owner and a follow-up date; the plan is
  approved. Follow-ups 3 and 12 months after this first meeting are scheduled.
Phase III, follow-up meetings while the plan is carried out, then the close.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from cases.models import User, YoungPerson
from cases.services.common import history_by
from interventions.method_audit import Action, log_people
from interventions.method_rules import refuse_future, require_case_worker, require_in_scope, require_on_or_after
from interventions.models import (
    ParentCouncil,
    ParentCouncilFamily,
    ParentCouncilFollowUp,
    ParentCouncilMeeting,
    ParentCouncilParent,
    ParentCouncilParticipant,
    ParentCouncilPlanItem,
)
from interventions.months import add_months

FOLLOW_UP_MONTHS = (3, 12)  # after the first meeting (002:L7900-7965)
MIN_FAMILIES = 2

PRELIMINARY_INVITATION = "preliminary_invitation"
FINAL_INVITATION = "final_invitation"
PHONE_CALL = "phone_call"
HOME_VISIT = "home_visit"
DECLINED = "declined"


def _log(by: User | None, action: str, council: ParentCouncil, obj: object, detail: str = "") -> None:
    people = council.families.values_list("young_person_id", flat=True)
    log_people(user=by, action=action, young_person_ids=list(people), obj=obj, detail=detail)


def _require_open(council: ParentCouncil) -> None:
    if council.closed_on is not None:
        raise ValidationError(_("The parent council is closed."))


def _first_meeting(council: ParentCouncil) -> ParentCouncilMeeting | None:
    return council.meetings.filter(kind=ParentCouncilMeeting.Kind.COUNCIL).first()


@history_by
@transaction.atomic
def council_create(
    *,
    title: str,
    concern: str,
    initiator: User,
    young_people: Iterable[YoungPerson],
    coordinator_name: str = "",
    coordinator_phone: str = "",
    by: User | None,
) -> ParentCouncil:
    """A council about a group of young people the person starting it works with."""
    require_case_worker(initiator, "initiator")
    young_people = list(dict.fromkeys(young_people))
    if len(young_people) < MIN_FAMILIES:
        raise ValidationError(
            {"young_people": _("A parent council is about a group: choose at least two young people.")}
        )
    for young_person in young_people:
        require_in_scope(by, young_person, "young_people")
    council = ParentCouncil(
        title=title.strip(),
        concern=concern.strip(),
        initiator=initiator,
        team_id=initiator.team_id,
        coordinator_name=coordinator_name.strip(),
        coordinator_phone=coordinator_phone.strip(),
    )
    council.full_clean()
    council.save()
    families = [ParentCouncilFamily(council=council, young_person=y) for y in young_people]
    bulk_create_with_history(families, ParentCouncilFamily, default_user=by)  # a plain bulk_create writes no history
    _log(by, Action.CREATE, council, council)
    return council


@history_by
@transaction.atomic
def council_update(
    *, council: ParentCouncil, title: str, concern: str, coordinator_name: str, coordinator_phone: str, by: User | None
) -> ParentCouncil:
    council.title, council.concern = title.strip(), concern.strip()
    council.coordinator_name, council.coordinator_phone = coordinator_name.strip(), coordinator_phone.strip()
    council.full_clean()
    council.save()
    _log(by, Action.UPDATE, council, council, detail="details")
    return council


@history_by
@transaction.atomic
def council_family_add(*, council: ParentCouncil, young_person: YoungPerson, by: User | None) -> ParentCouncilFamily:
    _require_open(council)
    if council.final_invitation_on is not None:
        raise ValidationError(_("The final invitation is sent; families join before it."))
    require_in_scope(by, young_person)
    if council.families.filter(young_person=young_person).exists():
        raise ValidationError({"young_person": _("This young person's family is already in the council.")})
    family = ParentCouncilFamily.objects.create(council=council, young_person=young_person)
    _log(by, Action.UPDATE, council, family, detail="family")
    return family


@history_by
@transaction.atomic
def council_parent_add(
    *, family: ParentCouncilFamily, name: str, relation: str = "", phone: str = "", by: User | None
) -> ParentCouncilParent:
    _require_open(family.council)
    parent = ParentCouncilParent(family=family, name=name.strip(), relation=relation.strip(), phone=phone.strip())
    parent.full_clean()
    parent.save()
    _log(by, Action.UPDATE, family.council, parent, detail="parent")
    return parent


@history_by
@transaction.atomic
def council_participant_add(
    *, council: ParentCouncil, role: str, name: str, organisation: str = "", by: User | None
) -> ParentCouncilParticipant:
    _require_open(council)
    participant = ParentCouncilParticipant(
        council=council, role=role, name=name.strip(), organisation=organisation.strip()
    )
    participant.full_clean()
    participant.save()
    _log(by, Action.UPDATE, council, participant, detail="participant")
    return participant


def _active_families(council: ParentCouncil) -> list[ParentCouncilFamily]:
    return [f for f in council.families.all() if f.declined_on is None]


@history_by
@transaction.atomic
def council_invitation_record(*, council: ParentCouncil, step: str, on: dt.date, by: User | None) -> ParentCouncil:
    """Phase I steps 1 and 5: the initiator's preliminary and the coordinator's final invitation."""
    _require_open(council)
    refuse_future(on, "on")
    if step == PRELIMINARY_INVITATION:
        if council.preliminary_invitation_on is not None:
            raise ValidationError(_("The preliminary invitation is already recorded."))
        families = list(council.families.prefetch_related("parents"))
        if len(families) < MIN_FAMILIES:
            raise ValidationError(_("A parent council is about a group: add at least two families first."))
        without_parents = [str(f.young_person) for f in families if not f.parents.all()]
        if without_parents:
            raise ValidationError(
                _("Add the parents to invite first; none are recorded for: %(names)s.")
                % {"names": ", ".join(without_parents)}
            )
        council.preliminary_invitation_on = on
    elif step == FINAL_INVITATION:
        if council.final_invitation_on is not None:
            raise ValidationError(_("The final invitation is already recorded."))
        if council.coordinator_agreed_on is None:
            raise ValidationError(_("The coordinator sends the final invitation: record the coordinator first."))
        active = _active_families(council)
        not_visited = [str(f.young_person) for f in active if f.home_visit_on is None]
        if not_visited:
            raise ValidationError(
                _("The coordinator visits every family before the final invitation; not yet visited: %(names)s.")
                % {"names": ", ".join(not_visited)}
            )
        if len(active) < MIN_FAMILIES:
            raise ValidationError(_("Too few families have said yes for a parent council."))
        last_visit = max(f.home_visit_on for f in active)
        require_on_or_after(on, last_visit, "on", _("the last home visit"))
        council.final_invitation_on = on
    else:
        raise ValidationError({"step": _("Unknown step.")})
    council.full_clean()
    council.save()
    _log(by, Action.UPDATE, council, council, detail=step)
    return council


@history_by
@transaction.atomic
def council_coordinator_agree(
    *, council: ParentCouncil, on: dt.date, name: str, phone: str = "", by: User | None
) -> ParentCouncil:
    """Phase I step 2: a trained coordinator, neutral towards the municipality, takes over."""
    _require_open(council)
    if council.preliminary_invitation_on is None:
        raise ValidationError(
            _("The coordinator is agreed when enough parents have said yes: record the preliminary invitation first.")
        )
    if council.coordinator_agreed_on is not None:
        raise ValidationError(_("The coordinator is already agreed."))
    if not name.strip():
        raise ValidationError({"name": _("Write the coordinator's name.")})
    refuse_future(on, "on")
    require_on_or_after(on, council.preliminary_invitation_on, "on", _("the preliminary invitation"))
    council.coordinator_agreed_on, council.coordinator_name = on, name.strip()
    council.coordinator_phone = phone.strip() or council.coordinator_phone
    council.full_clean()
    council.save()
    _log(by, Action.UPDATE, council, council, detail="coordinator")
    return council


@history_by
@transaction.atomic
def council_family_step(*, family: ParentCouncilFamily, step: str, on: dt.date, by: User | None) -> ParentCouncilFamily:
    """Phase I steps 3 and 4 for one family: the coordinator's phone call and home
    visit; or the family declines (taking part is voluntary)."""
    council = family.council
    _require_open(council)
    refuse_future(on, "on")
    if family.declined_on is not None:
        raise ValidationError(_("This family has declined."))
    if step == PHONE_CALL:
        if council.coordinator_agreed_on is None:
            raise ValidationError(_("The coordinator phones the families: record the coordinator first."))
        if family.phone_call_on is not None:
            raise ValidationError(_("The phone call is already recorded."))
        require_on_or_after(on, council.coordinator_agreed_on, "on", _("the coordinator was agreed"))
        family.phone_call_on = on
    elif step == HOME_VISIT:
        if family.phone_call_on is None:
            raise ValidationError(_("The home visit is arranged by phone: record the phone call first."))
        if family.home_visit_on is not None:
            raise ValidationError(_("The home visit is already recorded."))
        require_on_or_after(on, family.phone_call_on, "on", _("the phone call"))
        family.home_visit_on = on
    elif step == DECLINED:
        if council.preliminary_invitation_on is not None:
            require_on_or_after(on, council.preliminary_invitation_on, "on", _("the preliminary invitation"))
        family.declined_on = on
    else:
        raise ValidationError({"step": _("Unknown step.")})
    family.full_clean()
    family.save()
    _log(by, Action.UPDATE, council, family, detail=step)
    return family


@history_by
@transaction.atomic
def council_meeting_record(
    *,
    council: ParentCouncil,
    held_on: dt.date,
    observations: str = "",
    questions: str = "",
    note: str = "",
    next_meeting_on: dt.date | None = None,
    parents_present: Iterable[ParentCouncilParent] = (),
    participants_present: Iterable[ParentCouncilParticipant] = (),
    by: User | None,
) -> ParentCouncilMeeting:
    """The first meeting is the council meeting (phase II); later ones follow up
    on the approved plan (phase III). Attendance is recorded per person."""
    _require_open(council)
    refuse_future(held_on, "held_on")
    first = _first_meeting(council)
    if first is None:
        if council.final_invitation_on is None:
            raise ValidationError(_("The council meeting comes after the final invitation: finish the preparation."))
        require_on_or_after(held_on, council.final_invitation_on, "held_on", _("the final invitation"))
        if not observations.strip():
            raise ValidationError(
                {"observations": _("The council meeting opens with the informants' first-hand observations.")}
            )
        kind = ParentCouncilMeeting.Kind.COUNCIL
    else:
        if council.plan_approved_on is None:
            raise ValidationError(_("Follow-up meetings come after the parents' plan is approved."))
        latest = council.meetings.aggregate(latest=Max("held_on"))["latest"]
        require_on_or_after(held_on, latest, "held_on", _("the previous meeting"))
        kind = ParentCouncilMeeting.Kind.FOLLOW_UP
    if next_meeting_on is not None and next_meeting_on <= held_on:
        raise ValidationError({"next_meeting_on": _("The next meeting comes after this one.")})
    parents, participants = list(parents_present), list(participants_present)
    if any(p.family.council_id != council.pk for p in parents) or any(p.council_id != council.pk for p in participants):
        raise ValidationError(_("Only the council's parents and participants can be recorded as present."))
    meeting = ParentCouncilMeeting(
        council=council,
        kind=kind,
        held_on=held_on,
        observations=observations.strip(),
        questions=questions.strip(),
        note=note.strip(),
        next_meeting_on=next_meeting_on,
    )
    meeting.full_clean()
    meeting.save()
    meeting.parents_present.set(parents)
    meeting.participants_present.set(participants)
    if kind == ParentCouncilMeeting.Kind.COUNCIL:
        ParentCouncilFollowUp.objects.bulk_create(
            ParentCouncilFollowUp(council=council, months=m, due_on=add_months(held_on, m)) for m in FOLLOW_UP_MONTHS
        )
    _log(by, Action.UPDATE, council, meeting, detail=kind)
    return meeting


@history_by
@transaction.atomic
def council_plan_item_add(
    *, council: ParentCouncil, text: str, owner: str, owner_name: str, follow_up_on: dt.date, by: User | None
) -> ParentCouncilPlanItem:
    """A line of the parents' plan: what, who is responsible, when to look at it again."""
    _require_open(council)
    first = _first_meeting(council)
    if first is None:
        raise ValidationError(_("The parents agree their plan at the council meeting: record the meeting first."))
    if not owner_name.strip():
        raise ValidationError({"owner_name": _("Name who is responsible.")})
    require_on_or_after(follow_up_on, first.held_on, "follow_up_on", _("the council meeting"))
    item = ParentCouncilPlanItem(
        council=council, text=text.strip(), owner=owner, owner_name=owner_name.strip(), follow_up_on=follow_up_on
    )
    item.full_clean()
    item.save()
    _log(by, Action.UPDATE, council, item, detail="plan item")
    return item


@history_by
@transaction.atomic
def council_plan_approve(*, council: ParentCouncil, approved_on: dt.date, by: User | None) -> ParentCouncil:
    """Step 3 of the meeting: the plan is presented, discussed and approved by
    the parents and the professionals."""
    _require_open(council)
    if council.plan_approved_on is not None:
        raise ValidationError(_("The plan is already approved."))
    first = _first_meeting(council)
    if first is None or not council.plan_items.exists():
        raise ValidationError(_("There is no plan to approve yet: add the parents' plan items first."))
    refuse_future(approved_on, "approved_on")
    require_on_or_after(approved_on, first.held_on, "approved_on", _("the council meeting"))
    council.plan_approved_on = approved_on
    council.save(update_fields=["plan_approved_on"])
    _log(by, Action.UPDATE, council, council, detail="plan approved")
    return council


@history_by
@transaction.atomic
def council_plan_item_done(*, item: ParentCouncilPlanItem, done_on: dt.date, by: User | None) -> ParentCouncilPlanItem:
    if item.done_on is not None:
        raise ValidationError(_("This plan item is already marked done."))
    refuse_future(done_on, "done_on")
    first = _first_meeting(item.council)
    if first is not None:
        require_on_or_after(done_on, first.held_on, "done_on", _("the council meeting"))
    item.done_on = done_on
    item.save(update_fields=["done_on"])
    _log(by, Action.UPDATE, item.council, item, detail="plan item done")
    return item


@history_by
@transaction.atomic
def council_follow_up_record(
    *, follow_up: ParentCouncilFollowUp, held_on: dt.date, note: str, by: User | None
) -> ParentCouncilFollowUp:
    if follow_up.held_on is not None:
        raise ValidationError(_("This follow-up is already recorded."))
    refuse_future(held_on, "held_on")
    first = _first_meeting(follow_up.council)
    if first is not None:
        require_on_or_after(held_on, first.held_on, "held_on", _("the council meeting"))
    if not note.strip():
        raise ValidationError({"note": _("Write what the follow-up found about the young people.")})
    follow_up.held_on, follow_up.note = held_on, note.strip()
    follow_up.full_clean()
    follow_up.save()
    _log(by, Action.UPDATE, follow_up.council, follow_up, detail=f"follow-up {follow_up.months}")
    return follow_up


@history_by
@transaction.atomic
def council_close(*, council: ParentCouncil, closed_on: dt.date, close_note: str, by: User | None) -> ParentCouncil:
    """End the course (it runs one month to a year). Follow-ups already due stay due."""
    _require_open(council)
    refuse_future(closed_on, "closed_on")
    latest = council.meetings.aggregate(latest=Max("held_on"))["latest"]
    if latest is not None:
        require_on_or_after(closed_on, latest, "closed_on", _("the last meeting"))
    if not close_note.strip():
        raise ValidationError({"close_note": _("Say briefly why the council ends.")})
    council.closed_on, council.close_note = closed_on, close_note.strip()
    council.full_clean()
    council.save(update_fields=["closed_on", "close_note"])
    _log(by, Action.UPDATE, council, council, detail="closed")
    return council

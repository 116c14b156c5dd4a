"""Every write to a mediation case, in the order the method does them
(002:L3366-4535):

1. the case is referred, with its type, parties and mediators;
2. external (SSP) mediation waits for the police's green light (002:L4122-4127);
3. preparation: pre-meetings and phone contacts with parties and parents;
4. the mediation meeting's six steps, each recorded in order;
5. the agreement, written down and approved by every party (step 6), which
   schedules follow-ups 3 and 12 months later;
6. the follow-ups, and the case closed with its outcome and the relationship
   the parties ended with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import Team, User, YoungPerson
from cases.services.common import history_by
from interventions.method_audit import Action, log_people
from interventions.method_rules import refuse_future, require_case_worker, require_in_scope, require_on_or_after
from interventions.models import (
    MediationAgreement,
    MediationCase,
    MediationFollowUp,
    MediationParent,
    MediationParty,
    MediationPreparation,
    MediationStep,
    MediationStepNumber,
)
from interventions.months import add_months

FOLLOW_UP_MONTHS = (3, 12)  # short- and long-term results (002:L3499, L4420-4437)


@dataclass(frozen=True)
class PartyInput:
    role: str
    young_person: YoungPerson | None = None
    name: str = ""


def _people(case: MediationCase) -> list[int | None]:
    return [p.young_person_id for p in case.parties.all()]


def _log(by: User | None, action: str, case: MediationCase, obj: object, detail: str = "") -> None:
    log_people(user=by, action=action, young_person_ids=_people(case), obj=obj, detail=detail)


def _require_open(case: MediationCase) -> None:
    if case.closed_on is not None:
        raise ValidationError(_("The case is closed."))


def _require_cleared(case: MediationCase) -> None:
    if case.waiting_for_clearance:
        raise ValidationError(
            _(
                "External mediation cannot start before the police have given the green light. "
                "Record the police clearance first."
            )
        )


def _validate_party(case: MediationCase, party: PartyInput, by: User | None) -> None:
    name = party.name.strip()
    if (party.young_person is None) == (not name):
        raise ValidationError(
            {"young_person": _("Choose a young person, or write the name of a party who is not registered.")}
        )
    if party.role not in MediationParty.Role.values:
        raise ValidationError({"role": _("Choose the party's role.")})
    if party.young_person is not None:
        require_in_scope(by, party.young_person)
        if case.pk and case.parties.filter(young_person=party.young_person).exists():
            raise ValidationError({"young_person": _("This young person is already a party to the case.")})


def _set_mediators(case: MediationCase, mediators: Iterable[User]) -> None:
    mediators = list(mediators)
    if not mediators:
        raise ValidationError({"mediators": _("A case needs at least one mediator.")})
    for mediator in mediators:
        require_case_worker(mediator, "mediators")
    case.mediators.set(mediators)


@history_by
@transaction.atomic
def mediation_case_create(
    *,
    case_type: str,
    summary: str,
    referred_on: dt.date,
    team: Team,
    mediators: Iterable[User],
    parties: Iterable[PartyInput],
    by: User | None,
) -> MediationCase:
    """Open a case with its first parties (at least one; a victim talk may have
    only the victim) and mediators."""
    refuse_future(referred_on, "referred_on")
    case = MediationCase(
        case_type=case_type, summary=summary.strip(), referred_on=referred_on, team=team, created_by=by
    )
    case.full_clean(exclude=["created_by"])
    parties = list(parties)
    if not parties:
        raise ValidationError({"young_person": _("A case needs at least one party.")})
    seen: set[int] = set()
    for party in parties:
        _validate_party(case, party, by)
        if party.young_person is not None:
            if party.young_person.pk in seen:
                raise ValidationError({"young_person": _("This young person is already a party to the case.")})
            seen.add(party.young_person.pk)
    case.save()
    _set_mediators(case, mediators)
    for party in parties:
        MediationParty.objects.create(
            case=case, young_person=party.young_person, name=party.name.strip(), role=party.role
        )
    _log(by, Action.CREATE, case, case)
    return case


@history_by
@transaction.atomic
def mediation_case_update(*, case: MediationCase, summary: str, mediators: Iterable[User], by: User | None) -> None:
    case.summary = summary.strip()
    case.full_clean(exclude=["created_by"])
    case.save(update_fields=["summary"])
    _set_mediators(case, mediators)
    _log(by, Action.UPDATE, case, case, detail="summary, mediators")


@history_by
@transaction.atomic
def mediation_party_add(
    *, case: MediationCase, role: str, young_person: YoungPerson | None = None, name: str = "", by: User | None
) -> MediationParty:
    _require_open(case)
    if case.steps.exists():
        raise ValidationError(_("The mediation meeting has begun; parties are added before it."))
    party = PartyInput(role=role, young_person=young_person, name=name)
    _validate_party(case, party, by)
    created = MediationParty.objects.create(case=case, young_person=young_person, name=name.strip(), role=role)
    _log(by, Action.UPDATE, case, created, detail="party")
    return created


@history_by
@transaction.atomic
def mediation_parent_add(
    *, party: MediationParty, name: str, relation: str = "", phone: str = "", by: User | None
) -> MediationParent:
    _require_open(party.case)
    parent = MediationParent(party=party, name=name.strip(), relation=relation.strip(), phone=phone.strip())
    parent.full_clean()
    parent.save()
    _log(by, Action.UPDATE, party.case, parent, detail="parent")
    return parent


@history_by
@transaction.atomic
def mediation_clearance_record(
    *, case: MediationCase, cleared_on: dt.date, cleared_by: str, by: User | None
) -> MediationCase:
    """The police's green light for an external mediation (002:L4122-4127)."""
    _require_open(case)
    if not case.needs_police_clearance:
        raise ValidationError(_("Only external mediation needs police clearance."))
    if case.police_clearance_on is not None:
        raise ValidationError(_("The police clearance is already recorded."))
    refuse_future(cleared_on, "cleared_on")
    require_on_or_after(cleared_on, case.referred_on, "cleared_on", _("the referral"))
    if not cleared_by.strip():
        raise ValidationError({"cleared_by": _("Write who at the police gave the green light.")})
    case.police_clearance_on, case.police_clearance_by = cleared_on, cleared_by.strip()
    case.save(update_fields=["police_clearance_on", "police_clearance_by"])
    _log(by, Action.UPDATE, case, case, detail="police clearance")
    return case


@history_by
@transaction.atomic
def mediation_preparation_record(
    *,
    case: MediationCase,
    kind: str,
    occurred_on: dt.date,
    mediator: User,
    party: MediationParty | None = None,
    with_parents: bool = False,
    note: str = "",
    by: User | None,
) -> MediationPreparation:
    _require_open(case)
    _require_cleared(case)
    refuse_future(occurred_on, "occurred_on")
    earliest, what = (
        (case.police_clearance_on, _("the police clearance"))
        if case.police_clearance_on
        else (case.referred_on, _("the referral"))
    )
    require_on_or_after(occurred_on, earliest, "occurred_on", what)
    if case.steps.exists():
        raise ValidationError(_("The mediation meeting has begun; preparation comes before step 1."))
    if party is not None and party.case_id != case.pk:
        raise ValidationError({"party": _("This party belongs to another case.")})
    if not case.mediators.filter(pk=mediator.pk).exists():
        raise ValidationError({"mediator": _("Choose one of the case's mediators.")})
    preparation = MediationPreparation(
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        party=party,
        with_parents=with_parents,
        mediator=mediator,
        note=note.strip(),
    )
    preparation.full_clean()
    preparation.save()
    _log(by, Action.UPDATE, case, preparation, detail="preparation")
    return preparation


def next_step(case: MediationCase) -> int | None:
    """The step to record next (1-6), or None when all six are recorded."""
    done = set(case.steps.values_list("step", flat=True))
    return next((n for n in MediationStepNumber.values if n not in done), None)


def _validate_step(case: MediationCase, step: int, done_on: dt.date, field: str = "done_on") -> None:
    _require_open(case)
    _require_cleared(case)
    expected = next_step(case)
    if expected is None or step < expected:
        raise ValidationError({"step": _("Step %(n)s is already recorded.") % {"n": step}})
    if step > expected:
        raise ValidationError(
            {
                "step": _("The steps are recorded in order: record step %(n)s (%(label)s) first.")
                % {"n": expected, "label": MediationStepNumber(expected).label}
            }
        )
    refuse_future(done_on, field)
    if step == 1:
        if case.parties.count() < 2:
            raise ValidationError(_("A mediation meeting needs at least two parties."))
        last_preparation = case.preparations.order_by("-occurred_on").first()
        if last_preparation is None:
            raise ValidationError(
                _("Prepare the mediation first: record at least one pre-meeting or phone contact with the parties.")
            )
        require_on_or_after(done_on, last_preparation.occurred_on, field, _("the last preparation"))
    else:
        previous = case.steps.get(step=step - 1)
        require_on_or_after(done_on, previous.done_on, field, _("step %(n)s") % {"n": step - 1})


@history_by
@transaction.atomic
def mediation_step_record(
    *, case: MediationCase, step: int, done_on: dt.date, note: str = "", by: User | None
) -> MediationStep:
    """Record steps 1-5 of the mediation meeting in order. Step 6 is recorded
    by `mediation_agreement_save` when every party has approved the agreement."""
    if step == MediationStepNumber.AGREEMENT:
        raise ValidationError(
            {"step": _("Step 6 is recorded when the agreement is written down and every party has approved it.")}
        )
    _validate_step(case, step, done_on)
    recorded = MediationStep.objects.create(case=case, step=step, done_on=done_on, note=note.strip())
    _log(by, Action.UPDATE, case, recorded, detail=f"step {step}")
    return recorded


@history_by
@transaction.atomic
def mediation_agreement_save(
    *,
    case: MediationCase,
    text: str,
    agreed_on: dt.date,
    approved_by: Iterable[MediationParty],
    by: User | None,
) -> MediationAgreement:
    """Write the agreement down and record which parties approved it. When every
    party has approved, the agreement is final: step 6 is recorded and the
    follow-ups at 3 and 12 months are scheduled. Until then it is a draft."""
    _require_open(case)
    existing = MediationAgreement.objects.filter(case=case).first()
    if existing is not None and existing.approved_on is not None:
        raise ValidationError(_("The agreement is approved by every party and can no longer be changed."))
    negotiation = case.steps.filter(step=MediationStepNumber.NEGOTIATION).first()
    if negotiation is None:
        raise ValidationError(_("The agreement is written after the negotiation: record step 5 first."))
    if not text.strip():
        raise ValidationError({"text": _("Write the agreement down.")})
    parties = list(case.parties.all())
    approving = {p.pk for p in approved_by}
    if approving - {p.pk for p in parties}:
        raise ValidationError({"approved_by": _("Only the case's parties can approve its agreement.")})
    complete = len(approving) == len(parties)
    if complete:
        _validate_step(case, MediationStepNumber.AGREEMENT, agreed_on, "agreed_on")
    else:
        refuse_future(agreed_on, "agreed_on")
        require_on_or_after(agreed_on, negotiation.done_on, "agreed_on", _("step %(n)s") % {"n": 5})
    agreement = existing or MediationAgreement(case=case)
    agreement.text = text.strip()
    agreement.approved_on = agreed_on if complete else None
    agreement.save()
    for party in parties:
        party.approved_agreement_on = agreed_on if party.pk in approving else None
        party.save(update_fields=["approved_agreement_on"])
    if complete:
        MediationStep.objects.create(case=case, step=MediationStepNumber.AGREEMENT, done_on=agreed_on)
        MediationFollowUp.objects.bulk_create(
            MediationFollowUp(case=case, months=m, due_on=add_months(agreed_on, m)) for m in FOLLOW_UP_MONTHS
        )
    _log(by, Action.UPDATE, case, agreement, detail="agreement approved" if complete else "agreement draft")
    return agreement


@history_by
@transaction.atomic
def mediation_follow_up_record(
    *,
    follow_up: MediationFollowUp,
    held_on: dt.date,
    relationship: str,
    agreement_kept: str = "",
    note: str = "",
    by: User | None,
) -> MediationFollowUp:
    case = follow_up.case
    if follow_up.held_on is not None:
        raise ValidationError(_("This follow-up is already recorded."))
    refuse_future(held_on, "held_on")
    require_on_or_after(held_on, case.agreement.approved_on, "held_on", _("the agreement"))
    if not relationship:
        raise ValidationError({"relationship": _("Record how the parties get on now.")})
    follow_up.held_on, follow_up.relationship = held_on, relationship
    follow_up.agreement_kept, follow_up.note = agreement_kept, note.strip()
    follow_up.full_clean()
    follow_up.save()
    _log(by, Action.UPDATE, case, follow_up, detail=f"follow-up {follow_up.months}")
    return follow_up


@history_by
@transaction.atomic
def mediation_case_close(
    *, case: MediationCase, closed_on: dt.date, outcome: str, relationship_after: str = "", by: User | None
) -> MediationCase:
    """End the mediation with its outcome. Follow-ups already scheduled stay due."""
    _require_open(case)
    refuse_future(closed_on, "closed_on")
    if outcome not in MediationCase.Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome.")})
    last = case.steps.order_by("-step").first()
    earliest, what = (last.done_on, _("the last step")) if last else (case.referred_on, _("the referral"))
    require_on_or_after(closed_on, earliest, "closed_on", what)
    approved = MediationAgreement.objects.filter(case=case, approved_on__isnull=False).exists()
    if outcome == MediationCase.Outcome.AGREEMENT and not approved:
        raise ValidationError({"outcome": _("There is no agreement approved by every party.")})
    if outcome == MediationCase.Outcome.NOT_CLEARED and not case.waiting_for_clearance:
        raise ValidationError({"outcome": _("Only an external case still waiting for the police can end so.")})
    if last is not None and not relationship_after:
        raise ValidationError(
            {"relationship_after": _("Record the relationship between the parties after the mediation.")}
        )
    case.closed_on, case.outcome, case.relationship_after = closed_on, outcome, relationship_after
    case.full_clean(exclude=["created_by"])
    case.save(update_fields=["closed_on", "outcome", "relationship_after"])
    _log(by, Action.UPDATE, case, case, detail="closed")
    return case

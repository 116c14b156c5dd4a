"""The order of a mentor's screening and what makes a mentor available for a match.

Read-only rules over a mentor's recorded steps, shared by the services (which
refuse what breaks them) and the pages (which show the checklist and why a
mentor cannot be chosen). They work on prefetched `screening_steps` and
`matches` where the caller has them, so lists stay at a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from interventions.models import Match, Mentor, ScreeningStep
from interventions.models.mentoring import CERTIFICATE_WARNING_DAYS

Step = ScreeningStep.Step

# The checklist in the order the steps are done. Certificates are requested
# alongside the interview (Mentorbarn: 001:L3826-3830), so they need only the
# first contact; the home visit and the training follow the interview.
STEP_ORDER: tuple[str, ...] = (
    Step.FIRST_CONTACT,
    Step.INTERVIEW,
    Step.CRIMINAL_RECORD,
    Step.CHILD_PROTECTION,
    Step.HOME_VISIT,
    Step.TRAINING,
    Step.APPROVAL,
)
PREREQUISITES: dict[str, tuple[str, ...]] = {
    Step.FIRST_CONTACT: (),
    Step.INTERVIEW: (Step.FIRST_CONTACT,),
    Step.CRIMINAL_RECORD: (Step.FIRST_CONTACT,),
    Step.CHILD_PROTECTION: (Step.FIRST_CONTACT,),
    Step.HOME_VISIT: (Step.INTERVIEW,),
    Step.TRAINING: (Step.INTERVIEW,),
    Step.APPROVAL: (Step.FIRST_CONTACT, Step.INTERVIEW, Step.CRIMINAL_RECORD, Step.CHILD_PROTECTION, Step.TRAINING),
}


def required_before_approval(mentor: Mentor) -> tuple[str, ...]:
    """A mentor family is always visited at home (Mentorbarn); for a single
    volunteer the home visit is optional (Roskilde does interviews only)."""
    steps = PREREQUISITES[Step.APPROVAL]
    return (*steps, Step.HOME_VISIT) if mentor.kind == Mentor.Kind.FAMILY else steps


def _steps(mentor: Mentor) -> list[ScreeningStep]:
    return list(mentor.screening_steps.all())


def latest(mentor: Mentor, step: str, steps: list[ScreeningStep] | None = None) -> ScreeningStep | None:
    """The step's record; for a certificate, the newest (a renewal replaces the old one)."""
    found = [s for s in (steps if steps is not None else _steps(mentor)) if s.step == step]
    return max(found, key=lambda s: (s.date, s.pk or 0)) if found else None


def certificate_problem(mentor: Mentor, step: str, on: dt.date, steps: list[ScreeningStep] | None = None) -> str:
    """Why the certificate does not hold on `on`, or "" when it does."""
    issued = [s for s in (steps if steps is not None else _steps(mentor)) if s.step == step and s.date <= on]
    label = Step(step).label
    if not issued:
        return _("%(mentor)s has no %(certificate)s.") % {"mentor": mentor, "certificate": str(label).lower()}
    newest = max(issued, key=lambda s: (s.date, s.pk or 0))
    if newest.expires_on is not None and newest.expires_on < on:
        return _("The %(certificate)s of %(mentor)s expired on %(date)s.") % {
            "certificate": str(label).lower(),
            "mentor": mentor,
            "date": newest.expires_on.isoformat(),
        }
    return ""


@dataclass(frozen=True)
class ChecklistItem:
    step: str
    label: str
    record: ScreeningStep | None
    required: bool
    ready: bool  # its prerequisites are recorded, so it can be recorded now
    expiring: bool = False
    expired: bool = False


def checklist(mentor: Mentor, today: dt.date) -> list[ChecklistItem]:
    steps = _steps(mentor)
    required = set(required_before_approval(mentor)) | {Step.APPROVAL}
    done = {s.step for s in steps}
    items = []
    for step in STEP_ORDER:
        record = latest(mentor, step, steps)
        ready = all(p in done for p in PREREQUISITES[step])
        if step == Step.APPROVAL:
            ready = all(p in done for p in required_before_approval(mentor))
        expires = record.expires_on if record else None
        items.append(
            ChecklistItem(
                step=step,
                label=str(Step(step).label),
                record=record,
                required=step in required,
                ready=ready,
                expired=expires is not None and expires < today,
                expiring=expires is not None
                and today <= expires <= today + dt.timedelta(days=CERTIFICATE_WARNING_DAYS),
            )
        )
    return items


def next_step(mentor: Mentor) -> str | None:
    """The first step of the checklist not yet recorded and ready to be, if any."""
    if mentor.status != Mentor.Status.SCREENING:
        return None
    done = {s.step for s in _steps(mentor)}
    for step in STEP_ORDER:
        if step in done or (step == Step.HOME_VISIT and step not in required_before_approval(mentor)):
            continue
        return step
    return None


def open_matches(mentor: Mentor) -> list[Match]:
    """Matches holding one of the mentor's places: proposed or running, in an open enrolment."""
    return [m for m in mentor.matches.all() if m.is_current]


def availability_problems(
    mentor: Mentor, on: dt.date, *, count_places: bool = True, ignore: Match | None = None
) -> list[str]:
    """Why the mentor cannot be matched on `on` (empty when she can): she must
    be approved and active, hold valid certificates, and have a free place."""
    problems: list[str] = []
    if mentor.status == Mentor.Status.SCREENING:
        problems.append(_("%(mentor)s is not approved yet; finish the screening first.") % {"mentor": mentor})
    elif mentor.status == Mentor.Status.PAUSED:
        problems.append(_("%(mentor)s is paused.") % {"mentor": mentor})
    elif mentor.status in (Mentor.Status.RETIRED, Mentor.Status.NOT_APPROVED):
        problems.append(
            _("%(mentor)s is no longer a mentor (%(status)s).")
            % {"mentor": mentor, "status": str(Mentor.Status(mentor.status).label).lower()}
        )
    steps = _steps(mentor)
    approval = latest(mentor, Step.APPROVAL, steps)
    if mentor.status == Mentor.Status.ACTIVE and (approval is None or approval.date > on):
        problems.append(_("%(mentor)s was not approved yet on that date.") % {"mentor": mentor})
    for certificate in ScreeningStep.CERTIFICATES:
        problem = certificate_problem(mentor, certificate, on, steps)
        if problem:
            problems.append(problem)
    if count_places:
        taken = [m for m in open_matches(mentor) if ignore is None or m.pk != ignore.pk]
        if len(taken) >= mentor.capacity:
            problems.append(
                _("%(mentor)s has no free place (%(taken)d of %(capacity)d taken).")
                % {"mentor": mentor, "taken": len(taken), "capacity": mentor.capacity}
            )
    return problems

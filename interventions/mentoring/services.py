"""Every write of the mentoring method.

Keyword-only, atomic, validating with messages keyed by the form field they
concern; a person's writes concerning a young person go to the access log.
Enrolments are opened and closed through `cases.services`, contacts logged
through `cases.services.contact_log`, so the case rules hold here too.

Decisions where the seeds are silent (docs/INTERVENTIONS.md):

- A match is one `mentoring` enrolment. Recording the match meeting uses the
  young person's open mentoring enrolment if she has one without a match, or
  opens one (start = the meeting's date).
- When the young person declines, the match stays on record (declined, with
  the date and why) and its enrolment is closed that day with the end reason
  `other_unplanned`: the offer did not become a course. A new proposal opens a
  new enrolment.
- Ending a match closes its enrolment with the end reason that fits the
  outcome (MATCH_END_REASON); a failed match keeps its own reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.audit import Action, Purpose, access_log_record
from cases.models import ConsentPurpose, Contact, EndReason, Enrolment, Team, User, YoungPerson
from cases.services.common import history_by
from cases.services.consent import consent_require
from interventions.mentoring.screening import (
    PREREQUISITES,
    availability_problems,
    certificate_problem,
    latest,
    required_before_approval,
)
from interventions.models import (
    InterventionType,
    Match,
    MenteeProfile,
    Mentor,
    MentorContact,
    MentorSession,
    MentorSessionAttendance,
    ScreeningStep,
)

Step = ScreeningStep.Step

MATCH_END_REASON: dict[str, str] = {
    Match.Outcome.COMPLETED: EndReason.COMPLETED,
    Match.Outcome.PHASED_OUT: EndReason.NATURAL_PHASE_OUT,
}
FAILED_END_REASON: dict[str, str] = {
    Match.FailureReason.YOUNG_PERSON_WITHDREW: EndReason.DROPPED_OUT,
    Match.FailureReason.MOVED_AWAY: EndReason.MOVED_AWAY,
}
DECLINED_END_REASON = EndReason.OTHER_UNPLANNED

MENTOR_FIELDS = ("kind", "name", "phone", "email", "area", "gender", "birth_year", "interests", "about", "capacity")


def _refuse_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date is in the future; record it when it has happened.")})


def _log(by: User | None, action: str, young_person_id: int, obj: Any, detail: str = "") -> None:
    if by is not None:
        access_log_record(
            user=by, action=action, purpose=Purpose.CASE_WORK, young_person=young_person_id, obj=obj, detail=detail
        )


# --- Mentors and their screening -------------------------------------------------


@history_by
@transaction.atomic
def mentor_create(*, team: Team, first_contact_on: dt.date, by: User | None, **fields: Any) -> Mentor:
    """A new volunteer or family in screening, from the day they first got in touch."""
    unknown = set(fields) - set(MENTOR_FIELDS)
    if unknown:
        raise TypeError(f"mentor_create got unexpected fields {sorted(unknown)}")
    mentor = Mentor(team=team, status=Mentor.Status.SCREENING, status_since=first_contact_on, **fields)
    mentor.full_clean()
    _refuse_future(first_contact_on, "first_contact_on")
    mentor.save()
    screening_step_record(mentor=mentor, step=Step.FIRST_CONTACT, date=first_contact_on, by=by)
    return mentor


@history_by
@transaction.atomic
def mentor_update(*, mentor: Mentor, by: User | None, **fields: Any) -> Mentor:
    unknown = set(fields) - set(MENTOR_FIELDS)
    if unknown:
        raise TypeError(f"mentor_update got unexpected fields {sorted(unknown)}")
    for name, value in fields.items():
        setattr(mentor, name, value)
    mentor.full_clean()
    mentor.save()
    return mentor


@history_by
@transaction.atomic
def mentor_account_link(*, mentor: Mentor, user: User | None, by: User | None) -> Mentor:
    """Give the mentor the account she logs her own meetings with (role `mentor`)."""
    if user is not None and user.role != User.Role.MENTOR:
        raise ValidationError({"user": _("The account must have the role “Volunteer mentor”.")})
    mentor.user = user
    mentor.full_clean()
    mentor.save(update_fields=["user"])
    return mentor


@history_by
@transaction.atomic
def screening_step_record(
    *,
    mentor: Mentor,
    step: str,
    date: dt.date,
    by: User | None,
    expires_on: dt.date | None = None,
    note: str = "",
) -> ScreeningStep:
    """Record a screening step in its order. Certificates carry an expiry and may
    be recorded again when renewed. Approval makes the mentor active."""
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    if step not in Step.values:
        raise ValidationError({"step": _("Unknown screening step.")})
    _refuse_future(date, "date")
    if mentor.status in (Mentor.Status.RETIRED, Mentor.Status.NOT_APPROVED):
        raise ValidationError({"step": _("%(mentor)s is no longer in screening or active.") % {"mentor": mentor}})
    steps = list(mentor.screening_steps.all())
    certificate = step in ScreeningStep.CERTIFICATES
    if certificate:
        if expires_on is None:
            raise ValidationError({"expires_on": _("A certificate needs its expiry date.")})
        if expires_on <= date:
            raise ValidationError({"expires_on": _("The certificate must expire after it was issued.")})
    else:
        expires_on = None
        existing = latest(mentor, step, steps)
        if existing is not None:
            raise ValidationError(
                {
                    "step": _("“%(step)s” is already recorded (%(date)s).")
                    % {"step": Step(step).label, "date": existing.date.isoformat()}
                }
            )
    needed = required_before_approval(mentor) if step == Step.APPROVAL else PREREQUISITES[step]
    for before in needed:
        record = latest(mentor, before, steps)
        if record is None:
            raise ValidationError(
                {
                    "step": _("Record “%(before)s” first; “%(step)s” comes after it.")
                    % {"before": Step(before).label, "step": Step(step).label}
                }
            )
        if record.date > date and not (certificate and before in ScreeningStep.CERTIFICATES):
            raise ValidationError(
                {
                    "date": _("“%(step)s” cannot be dated before “%(before)s” (%(date)s).")
                    % {"step": Step(step).label, "before": Step(before).label, "date": record.date.isoformat()}
                }
            )
    if step == Step.APPROVAL:
        problems = [certificate_problem(mentor, c, date, steps) for c in ScreeningStep.CERTIFICATES]
        problems = [p for p in problems if p]
        if problems:
            raise ValidationError({"date": problems})
    record = ScreeningStep(
        mentor=mentor, step=step, date=date, expires_on=expires_on, recorded_by=by, note=note.strip()
    )
    record.full_clean()
    record.save()
    if step == Step.APPROVAL:
        mentor.status, mentor.status_since, mentor.status_reason = Mentor.Status.ACTIVE, date, ""
        mentor.save(update_fields=["status", "status_since", "status_reason"])
    return record


# Which status may follow which; approval (a screening step) is the way to active.
STATUS_CHANGES: dict[str, tuple[str, ...]] = {
    Mentor.Status.SCREENING: (Mentor.Status.NOT_APPROVED, Mentor.Status.RETIRED),
    Mentor.Status.ACTIVE: (Mentor.Status.PAUSED, Mentor.Status.RETIRED),
    Mentor.Status.PAUSED: (Mentor.Status.ACTIVE, Mentor.Status.RETIRED),
    Mentor.Status.RETIRED: (),
    Mentor.Status.NOT_APPROVED: (),
}


@history_by
@transaction.atomic
def mentor_status_set(*, mentor: Mentor, status: str, on: dt.date, reason: str, by: User | None) -> Mentor:
    """Pause, resume, retire, or end a screening without approval. A mentor with
    a running or proposed match cannot retire until the match is ended."""
    if status not in STATUS_CHANGES.get(mentor.status, ()):
        raise ValidationError(
            {
                "status": _("A mentor who is “%(old)s” cannot become “%(new)s”.")
                % {"old": Mentor.Status(mentor.status).label, "new": Mentor.Status(status).label}
            }
        )
    _refuse_future(on, "on")
    if on < mentor.status_since:
        raise ValidationError(
            {
                "on": _("The change cannot be dated before the current status (%(date)s).")
                % {"date": mentor.status_since}
            }
        )
    if status in (Mentor.Status.PAUSED, Mentor.Status.RETIRED, Mentor.Status.NOT_APPROVED) and not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")})
    if status == Mentor.Status.RETIRED:
        current = [m for m in mentor.matches.select_related("enrolment__young_person") if m.is_current]
        if current:
            raise ValidationError(
                {"status": _("End the mentor's current matches first (%(count)d).") % {"count": len(current)}}
            )
    mentor.status, mentor.status_since, mentor.status_reason = status, on, reason.strip()
    mentor.save(update_fields=["status", "status_since", "status_reason"])
    return mentor


# --- The young person's side ---------------------------------------------------------


@history_by
@transaction.atomic
def mentee_profile_save(
    *, young_person: YoungPerson, by: User | None, interests: str, preferred_mentor_gender: str, wishes: str
) -> MenteeProfile:
    profile, _created = MenteeProfile.objects.get_or_create(young_person=young_person)
    profile.interests, profile.preferred_mentor_gender, profile.wishes = (
        interests.strip(),
        preferred_mentor_gender,
        wishes.strip(),
    )
    profile.full_clean()
    profile.save()
    _log(by, Action.UPDATE, young_person.pk, profile, detail="mentee profile")
    return profile


# --- Matches ------------------------------------------------------------------------------


def _mentoring() -> InterventionType:
    return InterventionType.objects.get(code=InterventionType.Code.MENTORING)


def _enrolment_for_match(
    *, young_person: YoungPerson, coordinator: User, team: Team, meeting_date: dt.date, by: User | None
) -> Enrolment:
    mentoring = _mentoring()
    open_enrolment = (
        Enrolment.objects.select_for_update()
        .filter(young_person=young_person, intervention_type=mentoring, end_date__isnull=True)
        .first()
    )
    if open_enrolment is None:
        return case_services.enrolment_open(
            young_person=young_person,
            intervention_type=mentoring,
            primary_worker=coordinator,
            team=team,
            start_date=meeting_date,
            by=by,
        )
    existing = Match.objects.filter(enrolment=open_enrolment).select_related("mentor").first()
    if existing is not None:
        raise ValidationError(
            {
                "mentor": _(
                    "%(person)s already has a match with %(mentor)s (%(status)s). End it before making a new one."
                )
                % {"person": young_person, "mentor": existing.mentor, "status": existing.get_status_display().lower()}
            }
        )
    if open_enrolment.start_date > meeting_date:
        raise ValidationError(
            {
                "meeting_date": _("The match meeting is before the mentoring enrolment starts (%(date)s).")
                % {"date": open_enrolment.start_date.isoformat()}
            }
        )
    return open_enrolment


@history_by
@transaction.atomic
def match_propose(
    *,
    young_person: YoungPerson,
    mentor: Mentor,
    coordinator: User,
    meeting_date: dt.date,
    meeting_participants: str,
    by: User | None,
    criteria_note: str = "",
) -> Match:
    """Record the match meeting that proposes `mentor` to the young person.

    The mentor must be approved and active, with valid certificates and a free
    place; the young person needs a consent to a mentor match. The young
    person then accepts (match_start) or declines (match_decline)."""
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    _refuse_future(meeting_date, "meeting_date")
    if not meeting_participants.strip():
        raise ValidationError({"meeting_participants": _("Name who took part in the match meeting.")})
    problems = availability_problems(mentor, meeting_date)
    if problems:
        raise ValidationError({"mentor": problems})
    if by is not None:  # people act in the application; the demo brings history as it was
        consent_require(young_person=young_person, purpose=ConsentPurpose.MENTOR_MATCH, on=meeting_date, field="mentor")
    enrolment = _enrolment_for_match(
        young_person=young_person,
        coordinator=coordinator,
        team=coordinator.team or mentor.team,
        meeting_date=meeting_date,
        by=by,
    )
    match = Match(
        enrolment=enrolment,
        mentor=mentor,
        coordinator=coordinator,
        meeting_date=meeting_date,
        meeting_participants=meeting_participants.strip(),
        criteria_note=criteria_note.strip(),
    )
    match.full_clean(exclude=["enrolment"])
    match.save()
    _log(by, Action.CREATE, young_person.pk, match, detail="mentor match proposed")
    return match


def _require_status(match: Match, status: str, field: str) -> None:
    if match.status != status:
        raise ValidationError(
            {field: _("The match is “%(status)s”; this cannot be done now.") % {"status": match.get_status_display()}}
        )


@history_by
@transaction.atomic
def match_start(*, match: Match, start_date: dt.date, by: User | None) -> Match:
    """The young person said yes and met the mentor for the first time."""
    match = Match.objects.select_for_update().select_related("mentor", "enrolment").get(pk=match.pk)
    _require_status(match, Match.Status.PROPOSED, "start_date")
    _refuse_future(start_date, "start_date")
    if start_date < match.meeting_date:
        raise ValidationError(
            {
                "start_date": _("The match cannot start before the match meeting (%(date)s).")
                % {"date": match.meeting_date}
            }
        )
    if match.enrolment.end_date is not None:
        raise ValidationError({"start_date": _("The mentoring enrolment is closed.")})
    # The consent may have been withdrawn since the match meeting.
    consent_require(
        young_person=match.enrolment.young_person,
        purpose=ConsentPurpose.MENTOR_MATCH,
        on=start_date,
        field="start_date",
    )
    problems = availability_problems(match.mentor, start_date, count_places=False)
    if problems:
        raise ValidationError({"start_date": problems})
    match.start_date, match.answered_on = start_date, start_date
    match.save(update_fields=["start_date", "answered_on"])
    _log(by, Action.UPDATE, match.enrolment.young_person_id, match, detail="mentor match started")
    return match


@history_by
@transaction.atomic
def match_decline(*, match: Match, answered_on: dt.date, reason: str, by: User | None) -> Match:
    """The young person said no to the mentor: kept on record, and the enrolment
    that was opened for the match is closed that day (see the module's note)."""
    match = Match.objects.select_for_update().select_related("enrolment").get(pk=match.pk)
    _require_status(match, Match.Status.PROPOSED, "answered_on")
    _refuse_future(answered_on, "answered_on")
    if answered_on < match.meeting_date:
        raise ValidationError(
            {
                "answered_on": _("The answer cannot come before the match meeting (%(date)s).")
                % {"date": match.meeting_date}
            }
        )
    match.declined, match.answered_on, match.decline_reason = True, answered_on, reason.strip()
    match.save(update_fields=["declined", "answered_on", "decline_reason"])
    if match.enrolment.end_date is None:
        case_services.enrolment_close(
            enrolment=match.enrolment,
            end_date=max(answered_on, match.enrolment.start_date),
            end_reason=DECLINED_END_REASON,
            by=by,
        )
    _log(by, Action.UPDATE, match.enrolment.young_person_id, match, detail="mentor match declined")
    return match


def end_reason_for(outcome: str, failure_reason: str) -> str:
    if outcome == Match.Outcome.FAILED:
        return FAILED_END_REASON.get(failure_reason, EndReason.OTHER_UNPLANNED)
    return MATCH_END_REASON[outcome]


@history_by
@transaction.atomic
def match_end(
    *, match: Match, end_date: dt.date, outcome: str, by: User | None, failure_reason: str = "", note: str = ""
) -> Match:
    """End a running match: completed, phased out, or failed with a reason
    (002:L9474-9482). Its enrolment is closed with the matching end reason."""
    match = Match.objects.select_for_update().select_related("enrolment").get(pk=match.pk)
    _require_status(match, Match.Status.ACTIVE, "end_date")
    if outcome not in Match.Outcome.values:
        raise ValidationError({"outcome": _("Choose how the match ended.")})
    if outcome == Match.Outcome.FAILED and failure_reason not in Match.FailureReason.values:
        raise ValidationError({"failure_reason": _("A failed match needs a reason.")})
    if outcome != Match.Outcome.FAILED:
        failure_reason = ""
    _refuse_future(end_date, "end_date")
    if end_date < match.start_date:
        raise ValidationError(
            {"end_date": _("The match cannot end before it started (%(date)s).") % {"date": match.start_date}}
        )
    enrolment = match.enrolment
    if enrolment.end_date is not None and end_date > enrolment.end_date:
        raise ValidationError(
            {"end_date": _("The enrolment already ended on %(date)s.") % {"date": enrolment.end_date.isoformat()}}
        )
    match.end_date, match.outcome, match.failure_reason, match.end_note = end_date, outcome, failure_reason, note
    match.full_clean(exclude=["enrolment"])
    match.save(update_fields=["end_date", "outcome", "failure_reason", "end_note"])
    if enrolment.end_date is None:
        case_services.enrolment_close(
            enrolment=enrolment, end_date=end_date, end_reason=end_reason_for(outcome, failure_reason), by=by
        )
    _log(by, Action.UPDATE, enrolment.young_person_id, match, detail=f"mentor match ended: {outcome}")
    return match


# --- The mentor's meetings with the young person ---------------------------------------------


@history_by
@transaction.atomic
def mentor_contact_log(
    *,
    match: Match,
    by: User,
    occurred_at: dt.datetime,
    duration_minutes: int,
    channel: str = Contact.Channel.IN_PERSON,
    status: str = Contact.Status.HELD,
    note: str = "",
) -> Contact:
    """Log a meeting between the mentor and the young person. A mentor with an
    account logs her own (she is the contact's worker); a coordinator logs for a
    mentor without one (the coordinator is the contact's worker). Either way the
    contact is marked as the mentor's meeting (MentorContact)."""
    if by.role == User.Role.MENTOR and (match.mentor.user_id != by.pk):
        raise ValidationError({"enrolment": _("You can only log meetings with your own mentee.")})
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    day = timezone.localtime(occurred_at).date()
    if match.declined or match.start_date is None or day < match.start_date:
        raise ValidationError(
            {"occurred_at": _("The meeting lies before the match started; mentor meetings belong to a running match.")}
        )
    if match.end_date is not None and day > match.end_date:
        raise ValidationError(
            {"occurred_at": _("The meeting lies after the match ended (%(date)s).") % {"date": match.end_date}}
        )
    # A withdrawn consent to the match ends what the mentor may do with the young person's data.
    consent_require(
        young_person=match.enrolment.young_person, purpose=ConsentPurpose.MENTOR_MATCH, on=day, field="occurred_at"
    )
    contact = case_services.contact_log(
        enrolment=match.enrolment,
        worker=by,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        channel=channel,
        status=status,
        note=note,
        by=by,
    )
    MentorContact.objects.create(contact=contact, match=match)
    return contact


# --- Group supervision and network meetings -------------------------------------------------


@history_by
@transaction.atomic
def session_schedule(
    *,
    team: Team,
    kind: str,
    starts_at: dt.datetime,
    duration_minutes: int,
    by: User | None,
    place: str = "",
    led_by: str = "",
    topic: str = "",
    invited: Iterable[Mentor] | None = None,
) -> MentorSession:
    """Schedule a session and invite mentors (by default every active or paused
    mentor of the team)."""
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    session = MentorSession(
        team=team,
        kind=kind,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        place=place.strip(),
        led_by=led_by.strip(),
        topic=topic.strip(),
        created_by=by,
    )
    session.full_clean()
    session.save()
    if invited is None:
        invited = Mentor.objects.filter(team=team, status__in=[Mentor.Status.ACTIVE, Mentor.Status.PAUSED])
    mentors = list(invited)
    strangers = [m for m in mentors if m.team_id != team.pk]
    if strangers:
        raise ValidationError({"invited": _("Only the team's own mentors can be invited.")})
    MentorSessionAttendance.objects.bulk_create(MentorSessionAttendance(session=session, mentor=m) for m in mentors)
    return session


@history_by
@transaction.atomic
def session_attendance_record(*, session: MentorSession, attended: Iterable[Mentor], by: User | None) -> MentorSession:
    """Tick who came; the others invited are recorded as absent. Run again to correct."""
    if session.starts_at > timezone.now():
        raise ValidationError({"attended": _("Attendance can be recorded once the session has begun.")})
    present = {m.pk for m in attended}
    invited = {a.mentor_id: a for a in session.attendances.all()}
    strangers = present - set(invited)
    if strangers:
        raise ValidationError({"attended": _("Only invited mentors can be ticked as present.")})
    changed = []
    for mentor_id, row in invited.items():
        value = mentor_id in present
        if row.attended != value:
            row.attended = value
            changed.append(row)
    MentorSessionAttendance.objects.bulk_update(changed, ["attended"])
    return session

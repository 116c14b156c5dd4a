"""Reads of the mentoring method, scoped as cases.selectors scopes case data.

- Mentors and their group sessions belong to a coordinating team: its workers
  and team leader see them; other roles see none.
- Matches follow their enrolment: whoever may see the mentoring enrolment
  (cases.selectors.enrolments_for) may see its match.
- A mentor with an account sees only her running matches (`mentee_matches_for`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cases.models import Contact, User, YoungPerson
from cases.selectors import enrolments_for
from interventions.mentoring.screening import availability_problems
from interventions.models import Match, MenteeProfile, Mentor, MentorSession, ScreeningStep
from interventions.models.mentoring import CERTIFICATE_WARNING_DAYS, SUPERVISION_DUE_DAYS, interest_words


def _get_or_404(queryset: QuerySet, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404


def _coordinates(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.works_cases and user.team_id)


def mentors_for(user: User) -> QuerySet[Mentor]:
    if not _coordinates(user):
        return Mentor.objects.none()
    return Mentor.objects.filter(team_id=user.team_id)


def mentor_for(user: User, pk: int) -> Mentor:
    return _get_or_404(mentors_for(user).select_related("team", "user"), pk)


def current_matches() -> Prefetch:
    """Prefetch of the matches that hold a mentor's place (see Match.is_current)."""
    return Prefetch(
        "matches",
        queryset=Match.objects.filter(declined=False, end_date__isnull=True).select_related("enrolment__young_person"),
    )


def mentor_list(user: User, *, status: str = "") -> QuerySet[Mentor]:
    mentors = mentors_for(user).prefetch_related("screening_steps", current_matches())
    if status:
        mentors = mentors.filter(status=status)
    return mentors.annotate(
        last_supervision=_last_attended(MentorSession.Kind.SUPERVISION),
    ).order_by("name", "pk")


def _last_attended(kind: str):
    from django.db.models import Max

    return Max(
        "session_attendances__session__starts_at",
        filter=Q(session_attendances__attended=True, session_attendances__session__kind=kind),
    )


@dataclass(frozen=True)
class MentorFlags:
    """What the coordinator should act on for one mentor."""

    certificate_expired: bool
    certificate_expiring: bool
    supervision_due: bool
    free_places: int


def mentor_flags(mentor: Mentor, today: dt.date) -> MentorFlags:
    """From prefetched steps and current matches (mentor_list)."""
    newest: dict[str, ScreeningStep] = {}
    for step in mentor.screening_steps.all():
        if step.step in ScreeningStep.CERTIFICATES and (
            step.step not in newest or (step.date, step.pk) > (newest[step.step].date, newest[step.step].pk)
        ):
            newest[step.step] = step
    expiries = [s.expires_on for s in newest.values() if s.expires_on]
    working = mentor.status in (Mentor.Status.ACTIVE, Mentor.Status.PAUSED)
    last = getattr(mentor, "last_supervision", None)
    return MentorFlags(
        certificate_expired=working and any(e < today for e in expiries),
        certificate_expiring=working
        and any(today <= e <= today + dt.timedelta(CERTIFICATE_WARNING_DAYS) for e in expiries),
        supervision_due=mentor.status == Mentor.Status.ACTIVE
        and (last is None or (today - last.date()).days > SUPERVISION_DUE_DAYS),
        free_places=max(0, mentor.capacity - len([m for m in mentor.matches.all() if m.is_current]))
        if mentor.status == Mentor.Status.ACTIVE
        else 0,
    )


# --- Matches ---------------------------------------------------------------------------------


def matches_for(user: User) -> QuerySet[Match]:
    if not (user.is_authenticated and user.is_active and user.works_cases):
        return Match.objects.none()
    return Match.objects.filter(enrolment__in=enrolments_for(user))


def match_for(user: User, pk: int) -> Match:
    return _get_or_404(
        matches_for(user).select_related(
            "mentor", "coordinator", "enrolment__young_person", "enrolment__primary_worker", "enrolment__team"
        ),
        pk,
    )


def match_list(user: User) -> QuerySet[Match]:
    return (
        matches_for(user)
        .select_related("mentor", "enrolment__young_person", "coordinator")
        .annotate(meetings=Count("mentor_contacts", filter=Q(mentor_contacts__contact__status=Contact.Status.HELD)))
        .order_by("-meeting_date", "-pk")
    )


def mentee_matches_for(user: User) -> QuerySet[Match]:
    """The running matches of a mentor with an account: her mentee(s), nothing else."""
    if not (user.is_authenticated and user.is_active and user.role == User.Role.MENTOR):
        return Match.objects.none()
    return Match.objects.filter(
        mentor__user=user,
        declined=False,
        start_date__isnull=False,
        end_date__isnull=True,
        enrolment__end_date__isnull=True,
        enrolment__in=enrolments_for(user),
    ).select_related("enrolment__young_person", "mentor")


def mentee_match_for(user: User, pk: int) -> Match:
    return _get_or_404(mentee_matches_for(user), pk)


def first_name(young_person: YoungPerson) -> str:
    """A mentor sees her mentee's first name only."""
    return young_person.name.split()[0] if young_person.name.strip() else ""


# --- Group sessions -------------------------------------------------------------------------


def sessions_for(user: User) -> QuerySet[MentorSession]:
    if not _coordinates(user):
        return MentorSession.objects.none()
    return MentorSession.objects.filter(team_id=user.team_id)


def session_for(user: User, pk: int) -> MentorSession:
    return _get_or_404(sessions_for(user).prefetch_related("attendances__mentor"), pk)


# --- Choosing a mentor --------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One matching criterion, the young person's side beside the mentor's."""

    name: str
    young_person: str
    mentor: str
    fits: bool | None  # None: cannot tell (missing on one side, or a family)
    points: int


@dataclass(frozen=True)
class Candidate:
    mentor: Mentor
    criteria: list[Criterion]
    problems: list[str]
    free_places: int

    @property
    def score(self) -> int:
        return sum(c.points for c in self.criteria)

    @property
    def available(self) -> bool:
        return not self.problems


def _gender_label(value: str) -> str:
    return str(YoungPerson.Gender(value).label) if value in YoungPerson.Gender.values else "–"


def fit(mentor: Mentor, young_person: YoungPerson, profile: MenteeProfile | None, on: dt.date) -> list[Criterion]:
    """The four criteria the coordinator weighs, scored so candidates can be
    sorted (002:L9392: gender, age, needs and interests, geography; personality
    and culture are for her judgement, from the notes on both sides)."""
    criteria = []
    wanted = profile.preferred_mentor_gender if profile else ""
    young_gender = _gender_label(young_person.gender)
    if wanted:
        young_gender = _("%(gender)s; wishes a %(wanted)s mentor") % {
            "gender": young_gender,
            "wanted": _gender_label(wanted).lower(),
        }
    if mentor.kind == Mentor.Kind.FAMILY:
        fits = None
    elif wanted:
        fits = mentor.gender == wanted
    elif young_person.gender in (YoungPerson.Gender.FEMALE, YoungPerson.Gender.MALE):
        fits = mentor.gender == young_person.gender
    else:
        fits = None
    mentor_gender = str(Mentor.Kind.FAMILY.label) if mentor.kind == Mentor.Kind.FAMILY else _gender_label(mentor.gender)
    criteria.append(Criterion(_("Gender"), young_gender, mentor_gender, fits, {True: 2, None: 1, False: 0}[fits]))

    young_age = young_person.age_on(on)
    mentor_age = mentor.age_on(on)
    fits = None if mentor_age is None else 5 <= mentor_age - young_age <= 40
    criteria.append(
        Criterion(
            _("Age"),
            str(young_age),
            "–" if mentor_age is None else str(mentor_age),
            fits,
            {True: 1, None: 0, False: 0}[fits],
        )
    )

    wished = interest_words(profile.interests) if profile else set()
    shared = sorted(wished & mentor.interest_set)
    fits = (len(shared) > 0) if wished and mentor.interest_set else None
    criteria.append(
        Criterion(
            _("Interests"),
            profile.interests if profile and profile.interests else "–",
            mentor.interests or "–",
            fits,
            min(3, len(shared)),
        )
    )

    here, there = young_person.housing_area.strip(), mentor.area.strip()
    fits = (here.casefold() == there.casefold()) if here and there else None
    criteria.append(Criterion(_("Area"), here or "–", there or "–", fits, 2 if fits else 0))
    return criteria


def candidates_for(user: User, young_person: YoungPerson, on: dt.date) -> list[Candidate]:
    """The team's mentors who could be chosen, best fit first, then those who
    cannot be chosen now, with the reason (screening, paused, certificate)."""
    profile = MenteeProfile.objects.filter(young_person=young_person).first()
    mentors = (
        mentors_for(user)
        .filter(status__in=[Mentor.Status.ACTIVE, Mentor.Status.PAUSED, Mentor.Status.SCREENING])
        .prefetch_related("screening_steps", current_matches())
    )
    candidates = []
    for mentor in mentors:
        taken = len([m for m in mentor.matches.all() if m.is_current])
        candidates.append(
            Candidate(
                mentor=mentor,
                criteria=fit(mentor, young_person, profile, on),
                problems=availability_problems(mentor, on),
                free_places=max(0, mentor.capacity - taken),
            )
        )
    candidates.sort(key=lambda c: (not c.available, -c.score, c.mentor.name, c.mentor.pk))
    return candidates

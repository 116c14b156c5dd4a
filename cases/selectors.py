"""Every read that matters, already scoped to what the user may see.

The rule, in one place:

- a relationship worker sees the enrolments she is primary worker of and
  those of her team, and the young people of those enrolments;
- a team leader sees her team's enrolments and their young people;
- a volunteer mentor with an account sees only the mentoring enrolment(s)
  she is matched to (her mentee), nothing else of the case;
- analysts and administrators see no personal record here (analysts get
  aggregates only; administrators configure the system in the admin);
- anyone else sees nothing, and views answer 404, never someone else's data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import ActionPlan, Agreement, Consent, Contact, Enrolment, Goal, Pause, User, YoungPerson

# A qualifying contact: held, and not a text message (spec §3).
QUALIFYING_CHANNELS = [c for c in Contact.Channel.values if c != Contact.Channel.TEXT]
QUALIFYING = Q(status=Contact.Status.HELD, channel__in=QUALIFYING_CHANNELS)
_QUALIFYING_OF_ENROLMENT = Q(contacts__status=Contact.Status.HELD, contacts__channel__in=QUALIFYING_CHANNELS)


def _get_or_404(queryset: QuerySet, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404


def enrolments_for(user: User) -> QuerySet[Enrolment]:
    if not user.is_authenticated or not user.is_active:
        return Enrolment.objects.none()
    if user.role == User.Role.WORKER:
        return Enrolment.objects.filter(Q(primary_worker=user) | Q(team_id=user.team_id))
    if user.role == User.Role.TEAM_LEADER:
        return Enrolment.objects.filter(team_id=user.team_id)
    if user.role == User.Role.MENTOR:
        # Only a running match: not one proposed, declined or ended, and not a closed enrolment.
        return Enrolment.objects.filter(
            mentor_match__mentor__user=user,
            mentor_match__declined=False,
            mentor_match__start_date__isnull=False,
            mentor_match__end_date__isnull=True,
            end_date__isnull=True,
        )
    return Enrolment.objects.none()


def young_people_for(user: User) -> QuerySet[YoungPerson]:
    visible = enrolments_for(user).filter(young_person=OuterRef("pk"))
    return YoungPerson.objects.filter(Exists(visible))


def contacts_for(user: User) -> QuerySet[Contact]:
    return Contact.objects.filter(enrolment__in=enrolments_for(user))


def young_person_for(user: User, pk: int) -> YoungPerson:
    """The young person if the user may see her, else 404."""
    return _get_or_404(young_people_for(user), pk)


def contact_for(user: User, pk: int) -> Contact:
    return _get_or_404(contacts_for(user).select_related("enrolment__young_person", "worker"), pk)


def young_people_search(user: User, term: str, limit: int = 50) -> QuerySet[YoungPerson]:
    return young_people_for(user).filter(name__icontains=term.strip()).order_by("name")[:limit]


def loggable_enrolments_for(user: User, young_person: YoungPerson, today: dt.date) -> QuerySet[Enrolment]:
    """The young person's enrolments active today that the user may log contacts on;
    her own first."""
    return (
        enrolments_for(user)
        .filter(young_person=young_person, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("intervention_type", "primary_worker")
        .order_by("-start_date")
    )


def usual_contact_minutes(worker: User, default: int = 60) -> int:
    """The duration the worker most often logs, over her last 30 qualifying
    contacts (a text message's minutes say nothing about a meeting's)."""
    durations = list(
        Contact.objects.filter(QUALIFYING, worker=worker)
        .order_by("-occurred_at")
        .values_list("duration_minutes", flat=True)[:30]
    )
    if not durations:
        return default
    return max(set(durations), key=lambda d: (durations.count(d), -durations.index(d)))


@dataclass(frozen=True)
class CaseloadRow:
    """One line of "My young people"."""

    enrolment: Enrolment
    days_since_last_contact: int | None
    norm_per_week: Decimal
    paused: bool

    @property
    def young_person(self) -> YoungPerson:
        return self.enrolment.young_person

    @property
    def overdue(self) -> bool:
        """No qualifying contact for longer than the norm allows (7 days / norm per week)."""
        if self.paused or self.norm_per_week <= 0:
            return False
        allowed_days = 7 / float(self.norm_per_week)
        days = self.days_since_last_contact
        if days is None:
            days = (timezone.localdate() - self.enrolment.start_date).days
        return days > allowed_days


def caseload_for(user: User, *, today: dt.date, team_wide: bool = False) -> list[CaseloadRow]:
    """Active enrolments, those not seen for longest first (never seen at the top).

    Without `team_wide` it is the user's own caseload (she is primary worker);
    with it, every active enrolment she may see.
    """
    enrolments = enrolments_for(user)
    if not team_wide:
        enrolments = enrolments.filter(primary_worker=user)
    now = timezone.now()
    enrolments = (
        enrolments.filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .annotate(
            last_contact_at=Max(
                "contacts__occurred_at", filter=_QUALIFYING_OF_ENROLMENT & Q(contacts__occurred_at__lte=now)
            ),
            paused_today=Exists(
                Pause.objects.filter(enrolment=OuterRef("pk"), start_date__lte=today).filter(
                    Q(end_date__isnull=True) | Q(end_date__gte=today)
                )
            ),
        )
        .select_related("young_person", "intervention_type", "primary_worker")
        .prefetch_related("intervention_type__norms")
        .order_by(F("last_contact_at").asc(nulls_first=True), "young_person__name")
    )
    rows = []
    for enrolment in enrolments:
        last = enrolment.last_contact_at
        days = (today - timezone.localtime(last).date()).days if last else None
        norm = enrolment.intervention_type.norm_for_day((today - enrolment.start_date).days)
        rows.append(
            CaseloadRow(
                enrolment=enrolment, days_since_last_contact=days, norm_per_week=norm, paused=enrolment.paused_today
            )
        )
    return rows


def enrolment_for(user: User, pk: int) -> Enrolment:
    return _get_or_404(enrolments_for(user).select_related("young_person", "intervention_type"), pk)


def pause_for(user: User, pk: int) -> Pause:
    return _get_or_404(Pause.objects.filter(enrolment__in=enrolments_for(user)).select_related("enrolment"), pk)


def consent_for(user: User, pk: int) -> Consent:
    return _get_or_404(Consent.objects.filter(young_person__in=young_people_for(user)), pk)


def plan_for(user: User, pk: int) -> ActionPlan:
    return _get_or_404(ActionPlan.objects.filter(young_person__in=young_people_for(user)), pk)


def goal_for(user: User, pk: int) -> Goal:
    return _get_or_404(Goal.objects.filter(plan__young_person__in=young_people_for(user)).select_related("plan"), pk)


def agreement_for(user: User, pk: int) -> Agreement:
    queryset = Agreement.objects.filter(plan__young_person__in=young_people_for(user)).select_related("plan")
    return _get_or_404(queryset, pk)


def team_workers_for(user: User) -> QuerySet[User]:
    """Who can carry an enrolment of the user's team: its workers and its leader."""
    return User.objects.filter(
        team_id=user.team_id, is_active=True, role__in=[User.Role.WORKER, User.Role.TEAM_LEADER]
    ).order_by("name")


@dataclass(frozen=True)
class FollowUp:
    """Something on the action plan that falls due: an agreement or the next plan meeting."""

    young_person: YoungPerson
    due: dt.date
    text: str
    is_meeting: bool

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.due < day


def followups_for(user: User, *, today: dt.date, horizon_days: int = 7, team_wide: bool = False) -> list[FollowUp]:
    """Open agreements and plan meetings that are overdue or fall due within
    `horizon_days`, for the young people on the user's caseload (or team)."""
    people = (
        young_people_for(user)
        if team_wide
        else YoungPerson.objects.filter(enrolments__primary_worker=user, enrolments__end_date__isnull=True)
    )
    until = today + dt.timedelta(days=horizon_days)
    agreements = Agreement.objects.filter(
        plan__young_person__in=people, done_on__isnull=True, due_date__lte=until
    ).select_related("plan__young_person")
    followups = [FollowUp(a.plan.young_person, a.due_date, a.text, is_meeting=False) for a in agreements]
    plans = (
        ActionPlan.objects.filter(young_person__in=people)
        .annotate(last_meeting=Max("meetings__date"))
        .select_related("young_person")
    )
    for plan in plans:
        due = plan.next_meeting_due(plan.last_meeting)
        if due <= until:
            followups.append(FollowUp(plan.young_person, due, "", is_meeting=True))
    return sorted(followups, key=lambda f: (f.due, f.young_person.name))

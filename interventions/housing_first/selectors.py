"""Reads for Housing First with CTI, scoped through cases.selectors: a CTI
course, its housing goals and the young person's network map are visible to
whoever may see the enrolment (enrolments_for)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from cases.models import Contact, Enrolment, User, YoungPerson
from cases.selectors import QUALIFYING, enrolments_for
from interventions.housing_first.cti import CTI_CODE, CtiCourse, cti_course
from interventions.models import HousingGoal, NetworkRelation, RelationType
from outcomes.models import HOMELESS, HOUSED, StatusEvent


def cti_enrolments_for(user: User) -> QuerySet[Enrolment]:
    if not user.is_authenticated or not user.works_cases:
        return Enrolment.objects.none()
    return enrolments_for(user).filter(intervention_type__code=CTI_CODE)


def cti_enrolment_for(user: User, pk: int) -> Enrolment:
    try:
        return (
            cti_enrolments_for(user)
            .select_related("young_person", "intervention_type", "primary_worker", "team")
            .prefetch_related("intervention_type__norms")
            .get(pk=pk)
        )
    except Enrolment.DoesNotExist:
        raise Http404


def housing_goal_for(user: User, pk: int) -> HousingGoal:
    try:
        return HousingGoal.objects.select_related("enrolment").get(pk=pk, enrolment__in=cti_enrolments_for(user))
    except HousingGoal.DoesNotExist:
        raise Http404


def network_relation_for(enrolment: Enrolment, pk: int) -> NetworkRelation:
    """A relation of the enrolment's young person (the enrolment is already scoped)."""
    try:
        return NetworkRelation.objects.get(pk=pk, young_person_id=enrolment.young_person_id)
    except NetworkRelation.DoesNotExist:
        raise Http404


def network_relations(young_person: YoungPerson) -> list[NetworkRelation]:
    return list(young_person.network_relations.all())


@dataclass(frozen=True)
class TimelineEvent:
    event: StatusEvent
    before_course: bool
    move_in: bool
    housed: bool
    homeless: bool
    after_move_in: bool


@dataclass
class HousingTimeline:
    events: list[TimelineEvent] = field(default_factory=list)
    current: StatusEvent | None = None
    move_in_date: dt.date | None = None
    returned_to_homelessness: bool = False

    @property
    def current_label(self) -> str:
        return self.current.value_label if self.current else ""


def housing_timeline(enrolment: Enrolment, today: dt.date) -> HousingTimeline:
    """The young person's housing events, oldest first. The move-in is the
    earliest housed event on or after the start (spec §8); a homeless event after
    it is a return to homelessness (004:L1614)."""
    events = list(
        StatusEvent.objects.filter(young_person_id=enrolment.young_person_id, domain=StatusEvent.Domain.HOUSING)
        .select_related("recorded_by")
        .order_by("date", "id")
    )
    move_in = next((e for e in events if e.date >= enrolment.start_date and e.value in HOUSED), None)
    timeline = HousingTimeline(
        current=next((e for e in reversed(events) if e.date <= today), None),
        move_in_date=move_in.date if move_in else None,
    )
    for event in events:
        after = move_in is not None and event.date > move_in.date
        homeless = event.value in HOMELESS
        timeline.events.append(
            TimelineEvent(
                event=event,
                before_course=event.date < enrolment.start_date,
                move_in=event is move_in,
                housed=event.value in HOUSED,
                homeless=homeless,
                after_move_in=after,
            )
        )
        timeline.returned_to_homelessness |= after and homeless
    return timeline


def move_in_date_subquery() -> Subquery:
    """For an enrolment queryset: the earliest housed event on or after its start (spec §8)."""
    housed = StatusEvent.objects.filter(
        young_person=OuterRef("young_person"),
        domain=StatusEvent.Domain.HOUSING,
        value__in=HOUSED,
        date__gte=OuterRef("start_date"),
    ).order_by("date")
    return Subquery(housed.values("date")[:1])


def qualifying_contacts_this_week(enrolment: Enrolment, today: dt.date) -> int:
    """Qualifying contacts (spec §3) in the local ISO week of `today`."""
    monday = today - dt.timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time.min, tzinfo=tz)
    return Contact.objects.filter(QUALIFYING, enrolment=enrolment, occurred_at__gte=start, occurred_at__lt=end).count()


@dataclass(frozen=True)
class CtiRow:
    enrolment: Enrolment
    course: CtiCourse
    housing: str
    goals: int
    goals_met: int


def cti_rows(user: User, *, today: dt.date, mine: bool) -> list[CtiRow]:
    """Active CTI courses the user may see (with `mine`, those she is primary
    worker of), the nearest planned end first."""
    enrolments = (
        cti_enrolments_for(user).filter(start_date__lte=today).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    )
    if mine:
        enrolments = enrolments.filter(primary_worker=user)
    latest_housing = StatusEvent.objects.filter(
        young_person=OuterRef("young_person"), domain=StatusEvent.Domain.HOUSING, date__lte=today
    ).order_by("-date", "-id")
    enrolments = (
        enrolments.annotate(
            housing_value=Subquery(latest_housing.values("value")[:1]),
            goal_count=Count("housing_goals", distinct=True),
            goals_met=Count("housing_goals", filter=Q(housing_goals__met_on__isnull=False), distinct=True),
        )
        .select_related("young_person", "intervention_type", "primary_worker")
        .prefetch_related("intervention_type__norms")
        .order_by("start_date", "young_person__name")
    )
    labels = dict(StatusEvent.VALUES_BY_DOMAIN[StatusEvent.Domain.HOUSING].choices)
    return [
        CtiRow(
            enrolment=e,
            course=cti_course(e, today),
            housing=str(labels.get(e.housing_value, "")) if e.housing_value else "",
            goals=e.goal_count,
            goals_met=e.goals_met,
        )
        for e in enrolments
    ]


@dataclass(frozen=True)
class StatusTemplate:
    """The status template (statusskabelon, 001:L2688-2693): the practical
    housing goals met, and the civil-society offers bridged to during the course."""

    goals: list[HousingGoal]
    goals_met: list[HousingGoal]
    bridged: list[NetworkRelation]
    unpaid_relations: int
    paid_relations: int
    conflict_relations: int


def status_template(enrolment: Enrolment, relations: list[NetworkRelation], today: dt.date) -> StatusTemplate:
    goals = list(enrolment.housing_goals.all())
    last_day = min(today, enrolment.end_date) if enrolment.end_date else today
    current = [r for r in relations if r.ended_on is None]
    return StatusTemplate(
        goals=goals,
        goals_met=[g for g in goals if g.met_on is not None],
        bridged=[
            r
            for r in relations
            if r.relation_type == RelationType.CIVIL_SOCIETY
            and r.bridged_on is not None
            and enrolment.start_date <= r.bridged_on <= last_day
        ],
        unpaid_relations=sum(not r.paid for r in current),
        paid_relations=sum(r.paid for r in current),
        conflict_relations=sum(r.quality == NetworkRelation.Quality.CONFLICT for r in current),
    )

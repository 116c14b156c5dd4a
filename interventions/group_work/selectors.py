"""Reads of group work, scoped like case data.

- Group activities belong to a team: its workers and team leader see them.
- Follow-up flags and bridgings follow their enrolment (cases.selectors).
- Other roles (mentors, analysts, administrators) see none of it.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.models import Enrolment, User
from cases.selectors import enrolments_for
from interventions.group_work.services import eligible_enrolments
from interventions.models import Bridging, FollowUpFlag, GroupActivity

# Taken flags stay on the list this long, so the team sees who took them.
TAKEN_FLAGS_SHOWN_DAYS = 30


def _get_or_404(queryset: QuerySet, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404


def _in_a_team(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.works_cases and user.team_id)


def activities_for(user: User) -> QuerySet[GroupActivity]:
    if not _in_a_team(user):
        return GroupActivity.objects.none()
    return GroupActivity.objects.filter(team_id=user.team_id)


def activity_list(user: User) -> QuerySet[GroupActivity]:
    return (
        activities_for(user)
        .annotate(present_count=Count("attendances", filter=Q(attendances__present=True)))
        .prefetch_related("workers")
        .order_by("-starts_at", "-pk")
    )


def activity_for(user: User, pk: int) -> GroupActivity:
    return _get_or_404(activities_for(user).select_related("team").prefetch_related("workers"), pk)


def attendance_choices(activity: GroupActivity) -> QuerySet[Enrolment]:
    """Who can be ticked for the activity: eligible on its day, plus anyone
    already on its list (so a correction can un-tick her)."""
    day = timezone.localtime(activity.starts_at).date()
    on_list = Q(group_attendances__activity=activity)
    candidates = Enrolment.objects.filter(Q(pk__in=eligible_enrolments(activity.team, day)) | on_list)
    return candidates.distinct().select_related("young_person", "primary_worker").order_by("young_person__name", "pk")


def choices_for_new_activity(user: User, day: dt.date) -> QuerySet[Enrolment]:
    if not _in_a_team(user):
        return Enrolment.objects.none()
    return (
        eligible_enrolments(user.team, day)
        .select_related("young_person", "primary_worker")
        .order_by("young_person__name", "pk")
    )


def flags_for(user: User) -> QuerySet[FollowUpFlag]:
    if not (user.is_authenticated and user.is_active and user.works_cases):
        return FollowUpFlag.objects.none()
    return FollowUpFlag.objects.filter(enrolment__in=enrolments_for(user))


def flag_for(user: User, pk: int) -> FollowUpFlag:
    return _get_or_404(flags_for(user).select_related("enrolment__young_person", "raised_by", "taken_by"), pk)


def flag_list(user: User, *, now: dt.datetime) -> tuple[list[FollowUpFlag], list[FollowUpFlag]]:
    """The team's open flags, oldest first (waiting longest at the top), and
    those taken in the last TAKEN_FLAGS_SHOWN_DAYS days."""
    flags = flags_for(user).select_related(
        "enrolment__young_person", "enrolment__primary_worker", "raised_by", "taken_by", "activity"
    )
    open_flags = list(flags.filter(taken_at__isnull=True).order_by("raised_at", "pk"))
    taken = list(
        flags.filter(taken_at__gte=now - dt.timedelta(days=TAKEN_FLAGS_SHOWN_DAYS)).order_by("-taken_at", "-pk")
    )
    return open_flags, taken


def open_flag_count(user: User) -> int:
    return flags_for(user).filter(taken_at__isnull=True).count()


def rw_enrolment_for(user: User, pk: int) -> Enrolment:
    return _get_or_404(
        enrolments_for(user).select_related("young_person", "intervention_type", "primary_worker", "team"), pk
    )


def bridgings_of(enrolment: Enrolment) -> QuerySet[Bridging]:
    return enrolment.bridgings.select_related("worker", "contact").order_by("-occurred_at", "-pk")

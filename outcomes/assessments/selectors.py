"""Reads for the assessment pages, scoped through cases.selectors (the access rule)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from cases.models import User, YoungPerson
from cases.selectors import young_people_for
from outcomes.instruments.models import Answer, Assessment, InstrumentVersion, Item, Scale


def assessments_for(user: User) -> QuerySet[Assessment]:
    return Assessment.objects.filter(young_person__in=young_people_for(user))


def assessment_for(user: User, pk: int) -> Assessment:
    """An assessment of a young person the user may see, else 404."""
    return get_object_or_404(
        assessments_for(user).select_related("version__instrument", "young_person", "recorded_by"), pk=pk
    )


def published_versions() -> QuerySet[InstrumentVersion]:
    """The versions that can be answered now: one published version per instrument."""
    return (
        InstrumentVersion.objects.filter(status=InstrumentVersion.Status.PUBLISHED)
        .select_related("instrument")
        .order_by("instrument__name", "-number")
    )


def published_version(pk: int) -> InstrumentVersion:
    items = Item.objects.select_related("answer_scale").prefetch_related("answer_scale__options")
    return get_object_or_404(published_versions().prefetch_related(Prefetch("items", queryset=items)), pk=pk)


def scoring_scales(version_ids: set[int]) -> list[Scale]:
    """The scales of these versions with what scoring and the chart's axis need, in a fixed number of queries."""
    return list(
        Scale.objects.filter(version__in=version_ids).prefetch_related(
            Prefetch("items", queryset=Item.objects.prefetch_related("answer_scale__options")), "bands"
        )
    )


def answers_by_assessment(assessment_ids: list[int]) -> dict[int, dict[int, int]]:
    answers: dict[int, dict[int, int]] = {}
    for assessment_id, item_id, value in Answer.objects.filter(assessment__in=assessment_ids).values_list(
        "assessment_id", "item_id", "value"
    ):
        answers.setdefault(assessment_id, {})[item_id] = value
    return answers


def young_person_assessments(young_person: YoungPerson) -> list[Assessment]:
    """Oldest first. The caller has already checked that the user may see the young person."""
    return list(
        Assessment.objects.filter(young_person=young_person)
        .select_related("version__instrument")
        .order_by("answered_on", "pk")
    )

"""Mentoring API: the team's mentors (read) and mentor matches (read, record
the match meeting, the young person's answer, the end). Same scoping as the
pages (interventions.mentoring.selectors); writes through the services;
reads of a young person's data go to the access log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.serializers import as_drf_error, read_only_blank_choice
from cases.api.views import LoggedReadMixin, WorksCases
from cases.models import YoungPerson
from cases.selectors import young_people_for
from interventions.mentoring import selectors, services
from interventions.models import Match, Mentor


class MentorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mentor
        fields = [
            "id",
            "team",
            "kind",
            "name",
            "status",
            "status_since",
            "gender",
            "birth_year",
            "area",
            "interests",
            "capacity",
        ]
        read_only_fields = fields


class MentorViewSet(viewsets.ReadOnlyModelViewSet):
    """The mentors of the caller's team (volunteers, not young people: not in the access log)."""

    serializer_class = MentorSerializer
    permission_classes = [WorksCases]
    filterset_fields = ["status", "kind"]

    def get_queryset(self):
        return selectors.mentors_for(self.request.user).order_by("name", "pk")


class MatchSerializer(serializers.ModelSerializer):
    young_person = serializers.IntegerField(source="enrolment.young_person_id", read_only=True)
    status = serializers.CharField(read_only=True)
    outcome = read_only_blank_choice(Match, "outcome")
    failure_reason = read_only_blank_choice(Match, "failure_reason")

    class Meta:
        model = Match
        fields = [
            "id",
            "enrolment",
            "young_person",
            "mentor",
            "coordinator",
            "status",
            "meeting_date",
            "meeting_participants",
            "criteria_note",
            "declined",
            "answered_on",
            "decline_reason",
            "start_date",
            "end_date",
            "outcome",
            "failure_reason",
            "end_note",
        ]
        read_only_fields = fields


class ScopedField(serializers.PrimaryKeyRelatedField):
    """Accepts only records the caller may see; others are 'does not exist'.
    `model` is for the schema generator, which reads the field's model."""

    def __init__(self, scope: Callable[[Any], Any], model: type[Any], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(queryset=model.objects.none(), **kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)


class MatchProposeSerializer(serializers.Serializer):
    young_person = ScopedField(young_people_for, YoungPerson)
    mentor = ScopedField(selectors.mentors_for, Mentor)
    meeting_date = serializers.DateField()
    meeting_participants = serializers.CharField()
    criteria_note = serializers.CharField(required=False, allow_blank=True, default="")


class MatchStartSerializer(serializers.Serializer):
    start_date = serializers.DateField()


class MatchDeclineSerializer(serializers.Serializer):
    answered_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class MatchEndSerializer(serializers.Serializer):
    end_date = serializers.DateField()
    outcome = serializers.ChoiceField(choices=Match.Outcome.choices)
    failure_reason = serializers.ChoiceField(choices=Match.FailureReason.choices, required=False, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class MatchViewSet(LoggedReadMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Mentor matches of the mentoring enrolments the caller may see.

    POST records a match meeting (the mentor must be approved, with valid
    certificates and a free place; the young person needs a consent to a
    mentor match). Then `start` (she said yes), `decline` (she said no: the
    enrolment closes) or, once started, `end` (a failed match needs a reason).
    """

    permission_classes = [WorksCases]
    filterset_fields = ["mentor", "declined", "end_date"]

    def _person_id(self, obj: Match) -> int:
        return obj.enrolment.young_person_id

    def get_queryset(self):
        return selectors.matches_for(self.request.user).select_related("enrolment").order_by("-meeting_date", "-pk")

    def get_serializer_class(self):
        return {
            "create": MatchProposeSerializer,
            "start": MatchStartSerializer,
            "decline": MatchDeclineSerializer,
            "end": MatchEndSerializer,
        }.get(self.action, MatchSerializer)

    def create(self, request: Request, *args: object, **kwargs: object) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            match = services.match_propose(coordinator=request.user, by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise as_drf_error(error)
        return Response(MatchSerializer(match).data, status=201)

    def _act(self, request: Request, service: Callable[..., Match]) -> Response:
        match = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            match = service(match=match, by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise as_drf_error(error)
        return Response(MatchSerializer(match).data)

    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.match_start)

    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.match_decline)

    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        return self._act(request, services.match_end)

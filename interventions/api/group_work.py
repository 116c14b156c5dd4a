"""Group-work API: the team's group activities and their attendance, and
follow-up flags. Same scoping as the pages; writes through the services;
reads naming young people go to the access log."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.serializers import as_drf_error
from cases.api.views import LoggedReadMixin, WorksCases
from cases.audit import Action, Purpose, access_log_record_many
from cases.models import Enrolment, User
from cases.selectors import enrolments_for
from interventions.api.mentoring import ScopedField
from interventions.group_work import selectors, services
from interventions.models import FollowUpFlag, GroupActivity, InterventionType


def _team_workers(user: User):
    return User.objects.filter(team_id=user.team_id, is_active=True, role__in=[User.Role.WORKER, User.Role.TEAM_LEADER])


def _team_rw_enrolments(user: User):
    return Enrolment.objects.filter(
        team_id=user.team_id, intervention_type__code=InterventionType.Code.RELATIONSHIP_WORK
    ).select_related("young_person")


class GroupActivitySerializer(serializers.ModelSerializer):
    workers = ScopedField(_team_workers, User, many=True)
    present_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GroupActivity
        fields = [
            "id",
            "team",
            "kind",
            "title",
            "starts_at",
            "duration_minutes",
            "place",
            "workers",
            "unregistered_count",
            "note",
            "present_count",
        ]
        read_only_fields = ["id", "team", "present_count"]
        # The model's defaults, given to the service (which takes every field) when left out.
        extra_kwargs = {"kind": {"default": GroupActivity.Kind.DROP_IN}, "unregistered_count": {"default": 0}}


class AttendanceSerializer(serializers.Serializer):
    present = ScopedField(_team_rw_enrolments, Enrolment, many=True, allow_empty=True)


class AttendanceRowSerializer(serializers.Serializer):
    """Output only: the attendance list after a GET or PUT."""

    enrolment = serializers.IntegerField(source="enrolment_id", read_only=True)
    young_person = serializers.IntegerField(source="enrolment.young_person_id", read_only=True)
    present = serializers.BooleanField(read_only=True)
    contact = serializers.IntegerField(source="contact_id", read_only=True)


class GroupActivityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's team's group activities. `attendance`: GET who is ticked;
    PUT {"present": [enrolment ids]} makes exactly those present (each gets a
    group_activity contact; un-ticked ones have theirs cancelled)."""

    serializer_class = GroupActivitySerializer
    permission_classes = [WorksCases]
    filterset_fields = ["kind"]

    def get_queryset(self):
        return (
            selectors.activities_for(self.request.user)
            .annotate(present_count=Count("attendances", filter=Q(attendances__present=True)))
            .prefetch_related("workers")
            .order_by("-starts_at", "-pk")
        )

    def get_serializer_class(self):
        return AttendanceSerializer if self.action == "attendance" else GroupActivitySerializer

    def perform_create(self, serializer: GroupActivitySerializer) -> None:
        try:
            serializer.instance = services.activity_create(
                team=self.request.user.team, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise as_drf_error(error)
        serializer.instance.present_count = 0

    def perform_update(self, serializer: GroupActivitySerializer) -> None:
        try:
            serializer.instance = services.activity_update(
                activity=serializer.instance, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise as_drf_error(error)

    @extend_schema(request=AttendanceSerializer, responses=AttendanceRowSerializer(many=True))
    @action(detail=True, methods=["get", "put"], pagination_class=None)  # one activity's rows, never paged
    def attendance(self, request: Request, pk: str | None = None) -> Response:
        activity = self.get_object()
        if request.method == "PUT":
            serializer = AttendanceSerializer(data=request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            try:
                services.attendance_set(
                    activity=activity, present=serializer.validated_data["present"], by=request.user
                )
            except DjangoValidationError as error:
                raise as_drf_error(error)
        rows = list(activity.attendances.select_related("enrolment").order_by("pk"))
        access_log_record_many(
            user=request.user,
            action=Action.LIST,
            purpose=Purpose.CASE_WORK,
            young_person_ids=[row.enrolment.young_person_id for row in rows],
            detail="api",
        )
        return Response(AttendanceRowSerializer(rows, many=True).data)


class FollowUpFlagSerializer(serializers.ModelSerializer):
    enrolment = ScopedField(enrolments_for, Enrolment)
    activity = ScopedField(selectors.activities_for, GroupActivity, required=False, allow_null=True)
    young_person = serializers.IntegerField(source="enrolment.young_person_id", read_only=True)

    class Meta:
        model = FollowUpFlag
        fields = [
            "id",
            "enrolment",
            "young_person",
            "activity",
            "raised_by",
            "raised_at",
            "reason",
            "taken_by",
            "taken_at",
            "taken_note",
        ]
        read_only_fields = ["id", "young_person", "raised_by", "raised_at", "taken_by", "taken_at", "taken_note"]


class FlagTakeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    become_primary_worker = serializers.BooleanField(required=False, default=False)


class FollowUpFlagViewSet(
    LoggedReadMixin, mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Flags for individual follow-up on the enrolments the caller may see;
    `?open=true` lists those nobody has taken. `take` takes one."""

    permission_classes = [WorksCases]

    def _person_id(self, obj: FollowUpFlag) -> int:
        return obj.enrolment.young_person_id

    def get_queryset(self):
        flags = selectors.flags_for(self.request.user).select_related("enrolment").order_by("raised_at", "pk")
        if self.request.query_params.get("open") == "true":
            flags = flags.filter(taken_at__isnull=True)
        return flags

    def get_serializer_class(self):
        return FlagTakeSerializer if self.action == "take" else FollowUpFlagSerializer

    def perform_create(self, serializer: FollowUpFlagSerializer) -> None:
        try:
            serializer.instance = services.flag_raise(by=self.request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise as_drf_error(error)

    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str | None = None) -> Response:
        flag = self.get_object()
        serializer = FlagTakeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            flag = services.flag_take(flag=flag, by=request.user, **serializer.validated_data)
        except DjangoValidationError as error:
            raise as_drf_error(error)
        return Response(FollowUpFlagSerializer(flag, context=self.get_serializer_context()).data)

"""The enrolment lifecycle over the API: open, pause, resume, hand over, close,
reopen. Each action is one service call; its refusals come back as 400 with
field errors. Scoping is the same as the pages': selectors, nothing else."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.serializers import EnrolmentSerializer, as_drf_error
from cases.models import EndReason, Enrolment
from interventions.models import InterventionType


@extend_schema_field(OpenApiTypes.INT)
class ScopedField(serializers.PrimaryKeyRelatedField):
    """A reference the caller may see; anything else is 'does not exist'."""

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.selector(self.context["request"].user)


class EnrolmentOpenSerializer(serializers.Serializer):
    young_person = ScopedField(selectors.young_people_for)
    intervention = serializers.SlugRelatedField(slug_field="code", queryset=InterventionType.objects.all())
    primary_worker = ScopedField(selectors.team_workers_for)
    start_date = serializers.DateField()


class PauseSerializer(serializers.Serializer):
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=200)


class ResumeSerializer(serializers.Serializer):
    end_date = serializers.DateField()


class HandoverSerializer(serializers.Serializer):
    new_worker = ScopedField(selectors.team_workers_for)
    on_date = serializers.DateField()
    overlap_until = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    end_date = serializers.DateField()
    end_reason = serializers.ChoiceField(choices=EndReason.choices)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


def _run(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except DjangoValidationError as error:
        raise as_drf_error(error)


class EnrolmentLifecycleMixin:
    """Actions added to the enrolment endpoint."""

    def _act(self, request: Request, serializer_class, do) -> Response:
        enrolment: Enrolment = self.get_object()
        incoming = serializer_class(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        _run(do, enrolment, incoming.validated_data)
        enrolment.refresh_from_db()
        return Response(EnrolmentSerializer(enrolment).data)

    @extend_schema(request=EnrolmentOpenSerializer, responses={201: EnrolmentSerializer})
    def create(self, request: Request) -> Response:
        incoming = EnrolmentOpenSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        enrolment = _run(
            services.enrolment_open,
            young_person=data["young_person"],
            intervention_type=data["intervention"],
            primary_worker=data["primary_worker"],
            team=data["primary_worker"].team,
            start_date=data["start_date"],
            by=request.user,
        )
        return Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PauseSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: int) -> Response:
        return self._act(request, PauseSerializer, lambda e, d: services.pause_save(enrolment=e, by=request.user, **d))

    @extend_schema(request=ResumeSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: int) -> Response:
        def do(enrolment: Enrolment, data: dict) -> object:
            pause = enrolment.pauses.filter(end_date__isnull=True).first()
            if pause is None:
                raise DjangoValidationError({"end_date": "The enrolment is not paused."})
            return services.pause_end(pause=pause, by=request.user, **data)

        return self._act(request, ResumeSerializer, do)

    @extend_schema(request=HandoverSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request, pk: int) -> Response:
        return self._act(
            request, HandoverSerializer, lambda e, d: services.enrolment_hand_over(enrolment=e, by=request.user, **d)
        )

    @extend_schema(request=CloseSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: int) -> Response:
        return self._act(
            request, CloseSerializer, lambda e, d: services.enrolment_close(enrolment=e, by=request.user, **d)
        )

    @extend_schema(request=ReopenSerializer, responses=EnrolmentSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: int) -> Response:
        return self._act(
            request, ReopenSerializer, lambda e, d: services.enrolment_reopen(enrolment=e, by=request.user, **d)
        )

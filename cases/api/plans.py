"""The action plan over the API: read the plan with its goals, agreements and
meetings; make a plan; add goals, agreements and meetings; mark an agreement kept."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.lifecycle import ScopedField
from cases.api.serializers import as_drf_error
from cases.api.views import LoggedReadMixin, WorksCases
from cases.models import ActionPlan, Agreement, Goal, PlanMeeting


def _goals_in_scope(user):
    return Goal.objects.filter(plan__young_person__in=selectors.young_people_for(user))


class GoalSerializer(serializers.ModelSerializer):
    # Another plan's goal is "does not exist", like any record outside the caller's scope
    # (the service refuses a goal of another plan; this keeps its existence hidden too).
    parent = ScopedField(_goals_in_scope, required=False, allow_null=True)

    class Meta:
        model = Goal
        fields = ["id", "parent", "text", "set_by", "target_date", "achieved_on"]
        read_only_fields = ["id", "achieved_on"]


class AgreementSerializer(serializers.ModelSerializer):
    goal = ScopedField(_goals_in_scope, required=False, allow_null=True)

    class Meta:
        model = Agreement
        fields = ["id", "goal", "text", "owner", "due_date", "done_on"]
        read_only_fields = ["id", "done_on"]


class PlanMeetingSerializer(serializers.ModelSerializer):
    # The team's workers and leader, as on the page (cases.views.plans).
    workers = ScopedField(selectors.team_workers_for, many=True, required=False)

    class Meta:
        model = PlanMeeting
        fields = ["id", "date", "young_person_present", "parents_present", "workers", "others_present", "summary"]
        read_only_fields = ["id"]


class ActionPlanSerializer(serializers.ModelSerializer):
    young_person = ScopedField(selectors.young_people_for)
    coordinator = ScopedField(selectors.team_workers_for)
    goals = GoalSerializer(many=True, read_only=True)
    agreements = AgreementSerializer(many=True, read_only=True)
    meetings = PlanMeetingSerializer(many=True, read_only=True)

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "young_person",
            "coordinator",
            "created_on",
            "meeting_interval_weeks",
            "made_with_young_person",
            "goals",
            "agreements",
            "meetings",
        ]
        read_only_fields = ["id", "goals", "agreements", "meetings"]


class DoneSerializer(serializers.Serializer):
    done_on = serializers.DateField()


def _run(call, **kwargs):
    try:
        return call(**kwargs)
    except DjangoValidationError as error:
        raise as_drf_error(error)


class ActionPlanViewSet(
    LoggedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ActionPlanSerializer
    permission_classes = [WorksCases]
    filterset_fields = ["young_person"]
    person_id_attr = "young_person_id"

    def get_queryset(self):
        return (
            ActionPlan.objects.filter(young_person__in=selectors.young_people_for(self.request.user))
            .prefetch_related("goals", "agreements", "meetings__workers")
            .order_by("pk")
        )

    def perform_create(self, serializer: ActionPlanSerializer) -> None:
        serializer.instance = _run(services.plan_create, by=self.request.user, **serializer.validated_data)

    def _add(self, request: Request, serializer_class, service, **extra) -> Response:
        plan = self.get_object()
        incoming = serializer_class(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        obj = _run(service, plan=plan, by=request.user, **incoming.validated_data, **extra)
        return Response(serializer_class(obj).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=GoalSerializer, responses={201: GoalSerializer})
    @action(detail=True, methods=["post"])
    def goals(self, request: Request, pk: int) -> Response:
        return self._add(request, GoalSerializer, services.goal_add)

    @extend_schema(request=AgreementSerializer, responses={201: AgreementSerializer})
    @action(detail=True, methods=["post"])
    def agreements(self, request: Request, pk: int) -> Response:
        return self._add(request, AgreementSerializer, services.agreement_add)

    @extend_schema(request=PlanMeetingSerializer, responses={201: PlanMeetingSerializer})
    @action(detail=True, methods=["post"])
    def meetings(self, request: Request, pk: int) -> Response:
        return self._add(request, PlanMeetingSerializer, services.plan_meeting_record)


class AgreementViewSet(viewsets.GenericViewSet):
    """Agreements are added through their plan; here one is marked as kept."""

    serializer_class = AgreementSerializer
    permission_classes = [WorksCases]

    def get_queryset(self):
        return Agreement.objects.filter(plan__young_person__in=selectors.young_people_for(self.request.user))

    @extend_schema(request=DoneSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request: Request, pk: int) -> Response:
        agreement = self.get_object()
        incoming = DoneSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        _run(services.agreement_done, agreement=agreement, by=request.user, **incoming.validated_data)
        return Response(AgreementSerializer(agreement).data)

"""Housing First/CTI API: the network map's relations (read, add, change; a
relation that ends gets `ended_on`, it is not deleted) and the CTI courses
(read: phase, planned end, the phase's norm, move-in, housing goals). Scoped
like the pages; writes through the services; reads logged per young person."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import mixins, serializers, viewsets

from cases.api.serializers import as_drf_error
from cases.api.views import LoggedReadMixin, WorksCases
from cases.models import Enrolment, YoungPerson
from cases.selectors import young_people_for
from interventions.housing_first import selectors, services
from interventions.housing_first.cti import cti_course
from interventions.models import HousingGoal, NetworkRelation


class ScopedYoungPersonField(serializers.PrimaryKeyRelatedField):
    """Only young people the caller may see are accepted; others are 'does not exist'."""

    def get_queryset(self) -> QuerySet[YoungPerson]:
        return young_people_for(self.context["request"].user)


class NetworkRelationSerializer(serializers.ModelSerializer):
    young_person = ScopedYoungPersonField()

    class Meta:
        model = NetworkRelation
        fields = [
            "id",
            "young_person",
            "name",
            "relation_type",
            "paid",
            "quality",
            "since",
            "ended_on",
            "bridged_on",
            "note",
            "updated_at",
        ]
        read_only_fields = ["id", "updated_at"]


class NetworkRelationViewSet(
    LoggedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The network map's relations of the young people the caller may see;
    filter with `?young_person=<id>`."""

    serializer_class = NetworkRelationSerializer
    permission_classes = [WorksCases]
    filterset_fields = ["young_person", "relation_type", "quality", "paid"]
    person_id_attr = "young_person_id"

    def get_queryset(self) -> QuerySet[NetworkRelation]:
        return NetworkRelation.objects.filter(young_person__in=young_people_for(self.request.user)).order_by(
            "young_person", "relation_type", "name", "pk"
        )

    def _save(self, serializer: NetworkRelationSerializer, relation: NetworkRelation | None) -> None:
        data = dict(serializer.validated_data)
        young_person = data.pop("young_person", relation.young_person if relation else None)
        if relation is not None:
            data = {f: data.get(f, getattr(relation, f)) for f in services.RELATION_FIELDS}
        try:
            serializer.instance = services.network_relation_save(
                young_person=young_person, relation=relation, by=self.request.user, **data
            )
        except DjangoValidationError as error:
            raise as_drf_error(error)

    def perform_create(self, serializer: NetworkRelationSerializer) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer: NetworkRelationSerializer) -> None:
        self._save(serializer, serializer.instance)


class HousingGoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = HousingGoal
        fields = ["id", "text", "target_on", "met_on"]
        read_only_fields = fields


class CtiCourseSerializer(serializers.ModelSerializer):
    planned_end = serializers.SerializerMethodField()
    day = serializers.SerializerMethodField()
    phase = serializers.SerializerMethodField()
    norm_per_week = serializers.SerializerMethodField()
    move_in_date = serializers.SerializerMethodField()
    housing_goals = HousingGoalSerializer(many=True, read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "young_person",
            "primary_worker",
            "start_date",
            "end_date",
            "planned_end",
            "day",
            "phase",
            "norm_per_week",
            "move_in_date",
            "housing_goals",
        ]
        read_only_fields = fields

    def _course(self, enrolment: Enrolment):
        cache = self.context.setdefault("courses", {})
        if enrolment.pk not in cache:
            cache[enrolment.pk] = cti_course(enrolment, timezone.localdate())
        return cache[enrolment.pk]

    def get_planned_end(self, enrolment: Enrolment) -> str:
        return self._course(enrolment).planned_end.isoformat()

    def get_day(self, enrolment: Enrolment) -> int:
        return self._course(enrolment).day

    def get_phase(self, enrolment: Enrolment) -> str | None:
        phase = self._course(enrolment).phase
        return phase.code if phase else None

    def get_norm_per_week(self, enrolment: Enrolment) -> str:
        return str(self._course(enrolment).norm)

    def get_move_in_date(self, enrolment: Enrolment) -> str | None:
        moved = enrolment.move_in_date  # annotated by the view set (spec §8)
        return moved.isoformat() if moved else None


class CtiCourseViewSet(LoggedReadMixin, viewsets.ReadOnlyModelViewSet):
    """Housing First/CTI enrolments the caller may see, with their CTI phase."""

    serializer_class = CtiCourseSerializer
    permission_classes = [WorksCases]
    filterset_fields = ["young_person", "end_date"]
    person_id_attr = "young_person_id"

    def get_queryset(self) -> QuerySet[Enrolment]:
        return (
            selectors.cti_enrolments_for(self.request.user)
            .annotate(move_in_date=selectors.move_in_date_subquery())
            .select_related("intervention_type")
            .prefetch_related("intervention_type__norms", "housing_goals")
            .order_by("-start_date", "pk")
        )

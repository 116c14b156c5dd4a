"""`/api/v1/assessments/`: list and record assessments of the young people in the caller's scope.

Workers and team leaders only (analysts and administrators: 403; anonymous:
401). A list writes one access-log row per young person on the page; a
recording is logged by `assessment_record`. Scores are computed from the
stored answers, never accepted as input. A fixed number of queries per page.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.serializers import as_drf_error
from cases.api.views import WorksCases
from cases.audit import Action, Purpose, access_log_record_many
from cases.models import YoungPerson
from cases.selectors import young_people_for
from outcomes.assessments.selectors import assessments_for
from outcomes.instruments.models import Answer, Assessment, Instrument, InstrumentVersion, Scale
from outcomes.instruments.scoring import scale_score
from outcomes.instruments.services import assessment_record


class ScoreSerializer(serializers.Serializer):
    scale = serializers.CharField(help_text="The scale's code, e.g. wellbeing.")
    score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    band = serializers.CharField(allow_null=True, help_text="The band's code, e.g. poor.")


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    young_person = serializers.PrimaryKeyRelatedField(queryset=YoungPerson.objects.none())
    instrument = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Instrument.objects.all(),
        help_text="The instrument's code (who5, risk_lifestyle); its published version is answered.",
    )
    version = serializers.IntegerField(source="version.number", read_only=True)
    respondent = serializers.ChoiceField(choices=Assessment.Respondent.choices)
    answered_on = serializers.DateField()
    answers = serializers.DictField(
        child=serializers.IntegerField(), help_text='Answer values keyed by item code, e.g. {"who5_1": 4}.'
    )
    recorded_by = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The id of the user who recorded it."
    )
    scores = ScoreSerializer(many=True, read_only=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["young_person"].queryset = young_people_for(request.user)

    def to_representation(self, assessment: Assessment) -> dict[str, Any]:
        answers = {answer.item_id: answer.value for answer in assessment.answers.all()}
        codes = {answer.item_id: answer.item.code for answer in assessment.answers.all()}
        scores = [scale_score(scale, answers) for scale in assessment.version.scales.all()]
        return {
            "id": assessment.pk,
            "young_person": assessment.young_person_id,
            "instrument": assessment.version.instrument.code,
            "version": assessment.version.number,
            "respondent": assessment.respondent,
            "answered_on": assessment.answered_on.isoformat(),
            "answers": {codes[item_id]: value for item_id, value in answers.items()},
            "recorded_by": assessment.recorded_by_id,
            "scores": [
                {
                    "scale": s.scale.code,
                    "score": None if s.score is None else str(s.score),
                    "band": s.band.code if s.band else None,
                }
                for s in scores
            ],
        }

    def validate_instrument(self, instrument: Instrument) -> InstrumentVersion:
        version = instrument.current_version()
        if version is None:
            raise serializers.ValidationError(_("The instrument has no published version."))
        return version


class AssessmentViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Assessments of the young people in your scope, newest first; filter by `young_person`
    (its id). POST records one; the scores are computed from the answers."""

    serializer_class = AssessmentSerializer
    permission_classes = [WorksCases]
    filterset_fields = ["young_person"]

    def get_queryset(self) -> QuerySet[Assessment]:
        scales = Scale.objects.prefetch_related("items", "bands")
        return (
            assessments_for(self.request.user)
            .select_related("version__instrument")
            .prefetch_related(
                Prefetch("answers", queryset=Answer.objects.select_related("item")),
                Prefetch("version__scales", queryset=scales),
            )
            .order_by("-answered_on", "-pk")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        access_log_record_many(
            user=request.user,
            action=Action.LIST,
            purpose=Purpose.CASE_WORK,
            young_person_ids=[a.young_person_id for a in page],
            detail="api assessments",
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def perform_create(self, serializer: AssessmentSerializer) -> None:
        data = serializer.validated_data
        try:
            assessment = assessment_record(
                young_person=data["young_person"],
                version=data["instrument"],
                respondent=data["respondent"],
                answered_on=data["answered_on"],
                answers=data["answers"],
                by=self.request.user,
            )
        except DjangoValidationError as error:
            raise as_drf_error(error)
        serializer.instance = self.get_queryset().get(pk=assessment.pk)

"""Mediation API: the cases the caller may see (interventions.mediation.selectors),
read only, with parties, preparation, steps, agreement and follow-ups. Every
response logs a read (or a list entry) per registered party."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.serializers import read_only_blank_choice
from cases.api.views import WorksCases
from interventions.mediation import selectors
from interventions.method_audit import Action, log_people
from interventions.models import (
    MediationAgreement,
    MediationCase,
    MediationFollowUp,
    MediationParent,
    MediationParty,
    MediationPreparation,
    MediationStep,
)


class MediationParentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationParent
        fields = ["id", "name", "relation", "phone"]
        read_only_fields = fields


class MediationPartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    registered = serializers.SerializerMethodField()
    parents = MediationParentSerializer(many=True, read_only=True)

    class Meta:
        model = MediationParty
        fields = ["id", "young_person", "name", "registered", "role", "approved_agreement_on", "parents"]
        read_only_fields = fields

    def get_registered(self, party: MediationParty) -> bool:
        return party.young_person_id is not None


class MediationPreparationSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationPreparation
        fields = ["id", "kind", "occurred_on", "party", "with_parents", "mediator", "note"]
        read_only_fields = fields


class MediationStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationStep
        fields = ["step", "done_on", "note"]
        read_only_fields = fields


class MediationAgreementSerializer(serializers.ModelSerializer):
    class Meta:
        model = MediationAgreement
        fields = ["text", "approved_on"]
        read_only_fields = fields


class MediationFollowUpSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = MediationFollowUp
        fields = ["id", "months", "due_on", "held_on", "overdue", "relationship", "agreement_kept", "note"]
        read_only_fields = fields

    def get_overdue(self, follow_up: MediationFollowUp) -> bool:
        return follow_up.is_overdue(timezone.localdate())


class MediationCaseSerializer(serializers.ModelSerializer):
    stage = serializers.SerializerMethodField()
    relationship_after = read_only_blank_choice(MediationCase, "relationship_after")
    outcome = read_only_blank_choice(MediationCase, "outcome")
    parties = MediationPartySerializer(many=True, read_only=True)
    preparations = MediationPreparationSerializer(many=True, read_only=True)
    steps = MediationStepSerializer(many=True, read_only=True)
    agreement = serializers.SerializerMethodField()
    follow_ups = MediationFollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = MediationCase
        fields = [
            "id",
            "case_type",
            "summary",
            "referred_on",
            "team",
            "mediators",
            "police_clearance_on",
            "police_clearance_by",
            "stage",
            "parties",
            "preparations",
            "steps",
            "agreement",
            "follow_ups",
            "relationship_after",
            "closed_on",
            "outcome",
        ]
        read_only_fields = fields

    def get_stage(self, case: MediationCase) -> str:
        steps = case.steps.all()
        return selectors.stage_of(
            case,
            last_step=max((s.step for s in steps), default=None),
            follow_ups_open=any(f.held_on is None for f in case.follow_ups.all()),
        )

    def get_agreement(self, case: MediationCase) -> dict | None:
        agreement = getattr(case, "agreement", None)
        return MediationAgreementSerializer(agreement).data if agreement else None


class MediationCaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Mediation cases visible to the caller; `?young_person=<id>` for one young person's."""

    serializer_class = MediationCaseSerializer
    permission_classes = [WorksCases]
    filterset_fields = ["case_type", "closed_on"]

    def get_queryset(self) -> QuerySet[MediationCase]:
        cases = selectors.mediation_cases_for(self.request.user)
        young_person = self.request.query_params.get("young_person", "")
        if young_person.isdigit():
            party = MediationParty.objects.filter(case=OuterRef("pk"), young_person_id=int(young_person))
            cases = cases.filter(Exists(party))
        return (
            cases.select_related("agreement")
            .prefetch_related(
                Prefetch(
                    "parties",
                    queryset=MediationParty.objects.prefetch_related("parents").select_related("young_person"),
                ),
                "mediators",
                "preparations",
                "steps",
                "follow_ups",
            )
            .order_by("-referred_on", "-pk")
        )

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        people = [p.young_person_id for case in page for p in case.parties.all()]
        if people:
            log_people(user=request.user, action=Action.LIST, young_person_ids=people, detail="api mediation cases")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        case = self.get_object()
        people = [p.young_person_id for p in case.parties.all()]
        log_people(user=request.user, action=Action.READ, young_person_ids=people, obj=case, detail="api")
        return Response(self.get_serializer(case).data)

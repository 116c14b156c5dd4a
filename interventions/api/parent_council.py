"""Parent council API: the councils the caller may see
(interventions.parent_council.selectors), read only, with families and
parents, participants, meetings with attendance, the plan and the follow-ups.
Every response logs a read (or a list entry) per family's young person."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.views import WorksCases
from interventions.method_audit import Action, log_people
from interventions.models import (
    ParentCouncil,
    ParentCouncilFamily,
    ParentCouncilFollowUp,
    ParentCouncilMeeting,
    ParentCouncilParent,
    ParentCouncilParticipant,
    ParentCouncilPlanItem,
)
from interventions.parent_council import selectors


class CouncilParentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParentCouncilParent
        fields = ["id", "name", "relation", "phone"]
        read_only_fields = fields


class CouncilFamilySerializer(serializers.ModelSerializer):
    parents = CouncilParentSerializer(many=True, read_only=True)

    class Meta:
        model = ParentCouncilFamily
        fields = ["id", "young_person", "phone_call_on", "home_visit_on", "declined_on", "parents"]
        read_only_fields = fields


class CouncilParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParentCouncilParticipant
        fields = ["id", "role", "name", "organisation"]
        read_only_fields = fields


class CouncilMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = ParentCouncilMeeting
        fields = [
            "id",
            "kind",
            "held_on",
            "observations",
            "questions",
            "note",
            "next_meeting_on",
            "parents_present",
            "participants_present",
        ]
        read_only_fields = fields


class CouncilPlanItemSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ParentCouncilPlanItem
        fields = ["id", "text", "owner", "owner_name", "follow_up_on", "done_on", "overdue"]
        read_only_fields = fields

    def get_overdue(self, item: ParentCouncilPlanItem) -> bool:
        return item.is_overdue(timezone.localdate())


class CouncilFollowUpSerializer(serializers.ModelSerializer):
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ParentCouncilFollowUp
        fields = ["id", "months", "due_on", "held_on", "overdue", "note"]
        read_only_fields = fields

    def get_overdue(self, follow_up: ParentCouncilFollowUp) -> bool:
        return follow_up.is_overdue(timezone.localdate())


class ParentCouncilSerializer(serializers.ModelSerializer):
    phase = serializers.SerializerMethodField()
    families = CouncilFamilySerializer(many=True, read_only=True)
    participants = CouncilParticipantSerializer(many=True, read_only=True)
    meetings = CouncilMeetingSerializer(many=True, read_only=True)
    plan_items = CouncilPlanItemSerializer(many=True, read_only=True)
    follow_ups = CouncilFollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = ParentCouncil
        fields = [
            "id",
            "title",
            "concern",
            "team",
            "initiator",
            "coordinator_name",
            "coordinator_phone",
            "phase",
            "preliminary_invitation_on",
            "coordinator_agreed_on",
            "final_invitation_on",
            "plan_approved_on",
            "closed_on",
            "close_note",
            "families",
            "participants",
            "meetings",
            "plan_items",
            "follow_ups",
        ]
        read_only_fields = fields

    def get_phase(self, council: ParentCouncil) -> str:
        return selectors.phase_of(council, has_meeting=bool(council.meetings.all()))


class ParentCouncilViewSet(viewsets.ReadOnlyModelViewSet):
    """Parent councils visible to the caller; `?young_person=<id>` for one young person's."""

    serializer_class = ParentCouncilSerializer
    permission_classes = [WorksCases]
    filterset_fields = ["closed_on"]

    def get_queryset(self) -> QuerySet[ParentCouncil]:
        councils = selectors.parent_councils_for(self.request.user)
        young_person = self.request.query_params.get("young_person", "")
        if young_person.isdigit():
            family = ParentCouncilFamily.objects.filter(council=OuterRef("pk"), young_person_id=int(young_person))
            councils = councils.filter(Exists(family))
        return councils.prefetch_related(
            Prefetch("families", queryset=ParentCouncilFamily.objects.prefetch_related("parents")),
            "participants",
            Prefetch(
                "meetings",
                queryset=ParentCouncilMeeting.objects.prefetch_related("parents_present", "participants_present"),
            ),
            "plan_items",
            "follow_ups",
        ).order_by("-created_at", "-pk")

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        people = [f.young_person_id for council in page for f in council.families.all()]
        if people:
            log_people(user=request.user, action=Action.LIST, young_person_ids=people, detail="api parent councils")
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        council = self.get_object()
        people = [f.young_person_id for f in council.families.all()]
        log_people(user=request.user, action=Action.READ, young_person_ids=people, obj=council, detail="api")
        return Response(self.get_serializer(council).data)

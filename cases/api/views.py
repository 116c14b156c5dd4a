"""API views: thin; scoping through cases.selectors, writes through cases.services,
every read of personal data written to the access log."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, permissions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.lifecycle import EnrolmentLifecycleMixin
from cases.api.serializers import ContactSerializer, EnrolmentSerializer, YoungPersonSerializer, as_drf_error
from cases.audit import Action, Purpose, access_log_record, access_log_record_many
from cases.models import Contact


class WorksCases(permissions.BasePermission):
    """Personal records are for workers and team leaders only."""

    message = "Your role has no access to personal records."

    def has_permission(self, request: Request, view: object) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.works_cases)


class LoggedReadMixin:
    """Writes one access-log row per young person in a list page, and one per detail read."""

    person_id_attr = "pk"

    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        access_log_record_many(
            user=request.user,
            action=Action.LIST,
            purpose=Purpose.CASE_WORK,
            young_person_ids=[self._person_id(obj) for obj in page],
            detail="api",
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: object, **kwargs: object) -> Response:
        obj = self.get_object()
        access_log_record(
            user=request.user,
            action=Action.READ,
            purpose=Purpose.CASE_WORK,
            young_person=self._person_id(obj),
            obj=obj,
            detail="api",
        )
        return Response(self.get_serializer(obj).data)

    def _person_id(self, obj: object) -> int:
        return obj.pk if self.person_id_attr == "pk" else getattr(obj, self.person_id_attr)


class YoungPersonViewSet(LoggedReadMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = YoungPersonSerializer
    permission_classes = [WorksCases]

    def get_queryset(self):
        return selectors.young_people_for(self.request.user).prefetch_related("problem_areas").order_by("name", "pk")


class EnrolmentViewSet(EnrolmentLifecycleMixin, LoggedReadMixin, viewsets.ReadOnlyModelViewSet):
    """Enrolments in the caller's scope. POST opens one; the actions pause,
    resume, hand over, close and reopen it."""

    serializer_class = EnrolmentSerializer
    permission_classes = [WorksCases]
    filterset_fields = ["young_person", "end_date"]
    person_id_attr = "young_person_id"

    def get_queryset(self):
        return (
            selectors.enrolments_for(self.request.user)
            .select_related("intervention_type")
            .order_by("-start_date", "pk")
        )


class ContactViewSet(
    LoggedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Contacts in the caller's scope: list, read, log and change. Contacts are
    never deleted; mark one cancelled instead (status `cancelled`)."""

    serializer_class = ContactSerializer
    permission_classes = [WorksCases]
    filterset_fields = ["enrolment", "status", "channel"]

    def get_queryset(self):
        return selectors.contacts_for(self.request.user).select_related("enrolment").order_by("-occurred_at", "-pk")

    def _person_id(self, obj: Contact) -> int:
        return obj.enrolment.young_person_id

    def perform_create(self, serializer: ContactSerializer) -> None:
        try:
            serializer.instance = services.contact_log(
                worker=self.request.user, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise as_drf_error(error)

    def perform_update(self, serializer: ContactSerializer) -> None:
        try:
            serializer.instance = services.contact_update(
                contact=serializer.instance, by=self.request.user, **serializer.validated_data
            )
        except DjangoValidationError as error:
            raise as_drf_error(error)

"""Serializers list their fields explicitly. CPR numbers are never serialised."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from cases.models import Contact, Enrolment, YoungPerson


def as_drf_error(error: DjangoValidationError) -> serializers.ValidationError:
    """A service's ValidationError, keyed by field, as a 400 with field errors."""
    if hasattr(error, "error_dict"):
        return serializers.ValidationError(error.message_dict)
    return serializers.ValidationError({"non_field_errors": error.messages})


def read_only_blank_choice(model: type, name: str) -> serializers.ChoiceField:
    """A read-only choice that is "" until it is set. DRF drops allow_blank from read-only
    model fields, so the schema would promise one of the choices and "" would break it."""
    return serializers.ChoiceField(choices=model._meta.get_field(name).choices, allow_blank=True, read_only=True)


class YoungPersonSerializer(serializers.ModelSerializer):
    email = serializers.CharField(read_only=True)  # "" when there is none: not an e-mail format
    problem_areas = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = YoungPerson
        fields = [
            "id",
            "name",
            "birth_date",
            "gender",
            "phone",
            "email",
            "housing_area",
            "placement_history",
            *YoungPerson.RISK_FLAGS,
            "problem_areas",
        ]
        read_only_fields = fields


class EnrolmentSerializer(serializers.ModelSerializer):
    intervention = serializers.SlugRelatedField(source="intervention_type", slug_field="code", read_only=True)
    end_reason = read_only_blank_choice(Enrolment, "end_reason")
    end_reason_class = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "young_person",
            "intervention",
            "primary_worker",
            "team",
            "start_date",
            "end_date",
            "end_reason",
            "end_reason_class",
        ]
        read_only_fields = fields


class ScopedEnrolmentField(serializers.PrimaryKeyRelatedField):
    """Only enrolments the caller may see are accepted; others are 'does not exist'."""

    def get_queryset(self):
        from cases.selectors import enrolments_for

        return enrolments_for(self.context["request"].user)


class ContactSerializer(serializers.ModelSerializer):
    enrolment = ScopedEnrolmentField()
    outside_office_hours = serializers.BooleanField(read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "enrolment",
            "worker",
            "occurred_at",
            "duration_minutes",
            "channel",
            "status",
            "note",
            "outside_office_hours",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "worker", "outside_office_hours", "created_at", "updated_at"]

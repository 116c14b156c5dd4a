"""Forms list their fields explicitly; they parse input and nothing more.
Writes happen in cases.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Contact, Enrolment

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class EnrolmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        return f"{obj.intervention_type} ({obj.primary_worker})"


class ContactForm(forms.Form):
    enrolment = EnrolmentChoiceField(queryset=Enrolment.objects.none(), label=_("Intervention"), empty_label=None)
    occurred_at = forms.DateTimeField(
        label=_("When"),
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT),
    )
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=0,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    channel = forms.ChoiceField(label=_("How"), choices=Contact.Channel.choices, widget=forms.RadioSelect)
    status = forms.ChoiceField(label=_("Status"), choices=Contact.Status.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Keep it short and factual; no CPR numbers."),
    )

    def __init__(self, *args: object, enrolments: QuerySet[Enrolment], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments
        self.has_enrolments = len(enrolments) > 0
        if len(enrolments) == 1:
            self.fields["enrolment"].widget = forms.HiddenInput()

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's ValidationError beside the field it names."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class SearchForm(forms.Form):
    term = forms.CharField(
        label=_("Search by name"),
        min_length=2,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

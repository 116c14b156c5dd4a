"""What the method forms (mediation, parent councils, CTI) share: a service's
ValidationError shown beside the field it names, and date inputs."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone


class MethodForm(forms.Form):
    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def date_field(label: str, *, required: bool = True, help_text: str = "", today: bool = False) -> forms.DateField:
    """A native date picker; with `today` it starts at today's date."""
    field = forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    if today:
        field.initial = timezone.localdate
    return field


def note_field(label: str, *, max_length: int = 500, rows: int = 2, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=max_length, widget=forms.Textarea(attrs={"rows": rows})
    )

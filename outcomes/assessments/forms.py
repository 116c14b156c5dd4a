"""Forms of the assessment pages; they parse input, the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms import ServiceErrorsMixin
from outcomes.instruments.models import Assessment, InstrumentVersion, Item
from outcomes.models import StatusEvent

ITEM_PREFIX = "item_"


class AssessmentForm(ServiceErrorsMixin, forms.Form):
    """Who answered, when, and one radio group per item of the version (every item must be answered)."""

    respondent = forms.ChoiceField(
        label=_("Who answered?"), choices=Assessment.Respondent.choices, widget=forms.RadioSelect
    )
    answered_on = forms.DateField(
        label=_("Date answered"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, version: InstrumentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.items: list[Item] = list(version.items.all())
        for item in self.items:
            self.fields[ITEM_PREFIX + item.code] = forms.TypedChoiceField(
                label=item.text,
                choices=[(option.value, option.label) for option in item.answer_scale.options.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose an answer to this question."),
                    "invalid_choice": _("Choose one of the answers shown."),
                },
            )

    def item_fields(self) -> list[forms.BoundField]:
        return [self[ITEM_PREFIX + item.code] for item in self.items]

    def clean_answered_on(self):
        answered_on = self.cleaned_data["answered_on"]
        if answered_on > timezone.localdate():
            raise ValidationError(_("An assessment cannot be dated in the future."))
        return answered_on

    def answers(self) -> dict[str, int]:
        """The cleaned answers keyed by item code, as `assessment_record` takes them."""
        return {item.code: self.cleaned_data[ITEM_PREFIX + item.code] for item in self.items}

    def add_service_errors(self, error: ValidationError) -> None:
        # The service names answers as a whole; they belong above the questions.
        if hasattr(error, "error_dict") and "answers" in error.error_dict:
            self.add_error(None, error.error_dict.pop("answers"))
            if not error.error_dict:
                return
        super().add_service_errors(error)


def _status_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (label, [(f"{domain}:{value}", text) for value, text in StatusEvent.VALUES_BY_DOMAIN[domain].choices])
        for domain, label in StatusEvent.Domain.choices
    ]


class StatusChangeForm(ServiceErrorsMixin, forms.Form):
    """An education or housing status from a date on (spec §8): one list grouped by domain, no script needed."""

    status = forms.ChoiceField(label=_("New status"), choices=_status_choices)
    date = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the status changed."),
    )

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("A status change cannot be dated in the future."))
        return date

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("status"):
            cleaned["domain"], cleaned["value"] = cleaned["status"].split(":", 1)
        return cleaned

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for name in ("domain", "value"):
                if name in error.error_dict:
                    self.add_error("status", error.error_dict.pop(name))
            if not error.error_dict:
                return
        super().add_service_errors(error)

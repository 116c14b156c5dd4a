"""The filters of the team's access-log review. Sent with GET so a spot check
can be bookmarked; every value is an id, a date or a code, never a name or a
CPR number (a young person is chosen from a list of those in the team)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import AccessLog, Team, User, YoungPerson
from cases.selectors_audit import ReviewFilters


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: YoungPerson) -> str:
        return f"{obj.name} ({obj.birth_date:%d.%m.%Y})"


class AccessLogFilterForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.all(), required=False)
    user = forms.ModelChoiceField(label=_("Employee"), queryset=User.objects.none(), required=False)
    young_person = PersonChoiceField(label=_("Young person"), queryset=YoungPerson.objects.none(), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    action = forms.ChoiceField(label=_("Action"), choices=[("", _("All"))] + AccessLog.Action.choices, required=False)
    purpose = forms.ChoiceField(
        label=_("Purpose"), choices=[("", _("All"))] + AccessLog.Purpose.choices, required=False
    )

    def __init__(
        self,
        *args: Any,
        users: Any = None,
        young_people: Any = None,
        pick_team: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if not pick_team:
            del self.fields["team"]
        self.fields["user"].queryset = users if users is not None else User.objects.none()
        self.fields["young_person"].queryset = young_people if young_people is not None else YoungPerson.objects.none()
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = "form-select form-select-sm" if is_select else "form-control form-control-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> ReviewFilters:
        data = self.cleaned_data
        return ReviewFilters(
            user=data.get("user"),
            young_person=data.get("young_person"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            action=data.get("action") or "",
            purpose=data.get("purpose") or "",
        )

"""Housing First/CTI forms: each lists its fields; writes happen in
interventions.housing_first.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from interventions.method_forms import MethodForm, date_field
from interventions.models import NetworkRelation, RelationType
from outcomes.models import HousingStatus


class HousingStatusForm(MethodForm):
    date = date_field(_("From"), today=True)
    value = forms.ChoiceField(label=_("Housing"), choices=HousingStatus.choices)


class HousingGoalForm(MethodForm):
    text = forms.CharField(
        label=_("Goal"), max_length=300, help_text=_("Set with the young person, e.g. 'On the housing waiting list'.")
    )
    target_on = date_field(_("Target date"), required=False)


class GoalMetForm(MethodForm):
    met_on = date_field(_("Met on"), today=True)


class NetworkRelationForm(MethodForm):
    name = forms.CharField(
        label=_("Who"), max_length=120, help_text=_("A name or a role, e.g. 'Mother' or 'Homework café'.")
    )
    relation_type = forms.ChoiceField(label=_("Type"), choices=RelationType.choices)
    paid = forms.TypedChoiceField(
        label=_("Paid or unpaid"),
        choices=[("false", _("Unpaid")), ("true", _("Paid (a professional, a contact person)"))],
        coerce=lambda value: value == "true",
        widget=forms.RadioSelect,
        initial="false",
    )
    quality = forms.ChoiceField(
        label=_("The relation is"), choices=NetworkRelation.Quality.choices, widget=forms.RadioSelect
    )
    since = date_field(_("Since"), required=False)
    ended_on = date_field(_("Ended on"), required=False, help_text=_("Leave empty while the relation lasts."))
    bridged_on = date_field(
        _("Bridged to on"),
        required=False,
        help_text=_("Civil-society offers only: when the worker bridged the young person to it."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

"""Mediation forms: each lists its fields and parses input; writes happen in
interventions.mediation.services."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import User, YoungPerson
from interventions.method_forms import MethodForm, date_field, note_field
from interventions.models import (
    MediationCase,
    MediationFollowUp,
    MediationParty,
    MediationPreparation,
    MediationType,
    Relationship,
)


class PartyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: MediationParty) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


class PartyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: MediationParty) -> str:
        return f"{obj.display_name} ({obj.get_role_display()})"


def _young_person_field(label: str) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=YoungPerson.objects.none(),
        label=label,
        required=False,
        empty_label=_("Not registered: write the name below"),
    )


def _name_field() -> forms.CharField:
    return forms.CharField(
        label=_("Name, if not registered"),
        max_length=150,
        required=False,
        help_text=_("A party who is not registered with the youth services, e.g. a pupil of another school."),
    )


def _role_field(required: bool = True) -> forms.ChoiceField:
    choices = (
        MediationParty.Role.choices if required else [("", _("No second party yet")), *MediationParty.Role.choices]
    )
    return forms.ChoiceField(label=_("Role"), choices=choices, required=required)


class CaseCreateForm(MethodForm):
    case_type = forms.ChoiceField(label=_("Type"), choices=MediationType.choices, widget=forms.RadioSelect)
    summary = forms.CharField(
        label=_("What the conflict is about"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Short and factual; no CPR numbers. The case is confidential."),
    )
    referred_on = date_field(_("Referred on"), today=True)
    first_young_person = _young_person_field(_("First party"))
    first_name = _name_field()
    first_role = _role_field()
    second_young_person = _young_person_field(_("Second party"))
    second_name = _name_field()
    second_role = _role_field(required=False)
    mediators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), label=_("Mediators"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: object, young_people: QuerySet[YoungPerson], mediators: QuerySet[User], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_young_person"].queryset = young_people
        self.fields["second_young_person"].queryset = young_people
        self.fields["mediators"].queryset = mediators


class CaseUpdateForm(MethodForm):
    summary = CaseCreateForm.base_fields["summary"]
    mediators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), label=_("Mediators"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: object, mediators: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = mediators


class PartyForm(MethodForm):
    young_person = _young_person_field(_("Young person"))
    name = _name_field()
    role = _role_field()

    def __init__(self, *args: object, young_people: QuerySet[YoungPerson], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = young_people


class ParentForm(MethodForm):
    party = PartyChoiceField(queryset=MediationParty.objects.none(), label=_("Parent of"), empty_label=None)
    name = forms.CharField(label=_("Parent's name"), max_length=150)
    relation = forms.CharField(
        label=_("Relation"), max_length=60, required=False, help_text=_("Mother, father, guardian…")
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args: object, parties: QuerySet[MediationParty], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties


class ClearanceForm(MethodForm):
    cleared_on = date_field(_("Green light given on"), today=True)
    cleared_by = forms.CharField(
        label=_("Given by"), max_length=150, help_text=_("The police officer or unit, e.g. after the Monday meeting.")
    )


class PreparationForm(MethodForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=MediationPreparation.Kind.choices, widget=forms.RadioSelect)
    occurred_on = date_field(_("Date"), today=True)
    party = PartyChoiceField(
        queryset=MediationParty.objects.none(), label=_("With"), required=False, empty_label=_("Several parties")
    )
    with_parents = forms.BooleanField(label=_("Parents took part"), required=False)
    mediator = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Mediator"), empty_label=None)
    note = note_field(_("Note"))

    def __init__(
        self, *args: object, parties: QuerySet[MediationParty], mediators: QuerySet[User], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties
        self.fields["mediator"].queryset = mediators


class StepForm(MethodForm):
    step = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=6)
    done_on = date_field(_("Date"), today=True)
    note = note_field(_("Note"), max_length=2000, rows=3)


class AgreementForm(MethodForm):
    text = forms.CharField(
        label=_("The agreement, in the parties' own words"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    agreed_on = date_field(_("Date"), today=True)
    approved_by = PartyMultipleChoiceField(
        queryset=MediationParty.objects.none(),
        label=_("Approved by"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The agreement is final when every party has approved it; until then it is a draft."),
    )

    def __init__(self, *args: object, parties: QuerySet[MediationParty], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = parties


class FollowUpForm(MethodForm):
    held_on = date_field(_("Held on"), today=True)
    relationship = forms.ChoiceField(
        label=_("How do the parties get on now?"), choices=Relationship.choices, widget=forms.RadioSelect
    )
    agreement_kept = forms.ChoiceField(
        label=_("Was the agreement kept?"),
        choices=MediationFollowUp.AgreementKept.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    note = note_field(_("Note"))


class CloseForm(MethodForm):
    closed_on = date_field(_("Closed on"), today=True)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=MediationCase.Outcome.choices, widget=forms.RadioSelect)
    relationship_after = forms.ChoiceField(
        label=_("Relationship between the parties afterwards"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
        required=False,
    )

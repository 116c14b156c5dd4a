"""Parent council forms: each lists its fields; writes happen in
interventions.parent_council.services."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import YoungPerson
from interventions.method_forms import MethodForm, date_field, note_field
from interventions.models import (
    ParentCouncilFamily,
    ParentCouncilParent,
    ParentCouncilParticipant,
    ParentCouncilPlanItem,
)
from interventions.parent_council import services


class FamilyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ParentCouncilFamily) -> str:
        return str(obj.young_person)


class ParentsPresentField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ParentCouncilParent) -> str:
        return _("%(parent)s (parent of %(young_person)s)") % {
            "parent": obj.name,
            "young_person": obj.family.young_person,
        }


class ParticipantsPresentField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ParentCouncilParticipant) -> str:
        return f"{obj.name} ({obj.get_role_display().lower()}{', ' + obj.organisation if obj.organisation else ''})"


def _coordinator_fields() -> tuple[forms.CharField, forms.CharField]:
    return (
        forms.CharField(
            label=_("Coordinator"),
            max_length=150,
            required=False,
            help_text=_("Trained, neutral towards the municipality, paid by the hour."),
        ),
        forms.CharField(label=_("Coordinator's phone"), max_length=30, required=False),
    )


class CouncilForm(MethodForm):
    title = forms.CharField(
        label=_("The group"), max_length=150, help_text=_("A name for the group of young people, e.g. where they meet.")
    )
    concern = forms.CharField(
        label=_("The concern"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the worry is about; no CPR numbers."),
    )
    coordinator_name, coordinator_phone = _coordinator_fields()


class CouncilCreateForm(CouncilForm):
    young_people = forms.ModelMultipleChoiceField(
        queryset=YoungPerson.objects.none(),
        label=_("The young people in the group"),
        help_text=_("At least two; only young people you work with."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: object, young_people: QuerySet[YoungPerson], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["young_people"].queryset = young_people


class FamilyForm(MethodForm):
    young_person = forms.ModelChoiceField(queryset=YoungPerson.objects.none(), label=_("Young person"))

    def __init__(self, *args: object, young_people: QuerySet[YoungPerson], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["young_person"].queryset = young_people


class ParentForm(MethodForm):
    family = FamilyChoiceField(queryset=ParentCouncilFamily.objects.none(), label=_("Parent of"), empty_label=None)
    name = forms.CharField(label=_("Parent's name"), max_length=150)
    relation = forms.CharField(
        label=_("Relation"), max_length=60, required=False, help_text=_("Mother, father, guardian…")
    )
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)

    def __init__(self, *args: object, families: QuerySet[ParentCouncilFamily], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["family"].queryset = families


class ParticipantForm(MethodForm):
    role = forms.ChoiceField(label=_("Role"), choices=ParentCouncilParticipant.Role.choices, widget=forms.RadioSelect)
    name = forms.CharField(label=_("Name"), max_length=150)
    organisation = forms.CharField(
        label=_("Organisation"), max_length=150, required=False, help_text=_("School, club, police, …")
    )


class InvitationForm(MethodForm):
    step = forms.ChoiceField(
        widget=forms.HiddenInput,
        choices=[(services.PRELIMINARY_INVITATION, ""), (services.FINAL_INVITATION, "")],
    )
    on = date_field(_("Sent on"), today=True)


class CoordinatorForm(MethodForm):
    name, phone = _coordinator_fields()
    on = date_field(_("Agreed on"), today=True)


class FamilyStepForm(MethodForm):
    step = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (services.PHONE_CALL, _("The coordinator phoned the family")),
            (services.HOME_VISIT, _("The coordinator visited the family at home")),
            (services.DECLINED, _("The family declined")),
        ],
    )
    on = date_field(_("Date"), today=True)


class MeetingForm(MethodForm):
    held_on = date_field(_("Date"), today=True)
    observations = forms.CharField(
        label=_("Step 1: the informants' observations"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("First-hand observations and events only. Required at the council meeting."),
    )
    questions = forms.CharField(
        label=_("The questions the parents work from"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. What can we as parents do so that our young people are not where crime happens?"),
    )
    note = note_field(_("Note"), max_length=2000, rows=3)
    next_meeting_on = date_field(_("Next meeting agreed for"), required=False)
    parents_present = ParentsPresentField(
        queryset=ParentCouncilParent.objects.none(),
        label=_("Parents present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    participants_present = ParticipantsPresentField(
        queryset=ParentCouncilParticipant.objects.none(),
        label=_("Others present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: object,
        parents: QuerySet[ParentCouncilParent],
        participants: QuerySet[ParentCouncilParticipant],
        first: bool,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parents_present"].queryset = parents
        self.fields["participants_present"].queryset = participants
        if not first:
            del self.fields["observations"]
            del self.fields["questions"]


class PlanItemForm(MethodForm):
    text = forms.CharField(label=_("What"), max_length=300)
    owner = forms.ChoiceField(label=_("Responsible"), choices=ParentCouncilPlanItem.Owner.choices)
    owner_name = forms.CharField(label=_("Who exactly"), max_length=150, help_text=_("E.g. all parents, the club."))
    follow_up_on = date_field(_("Follow-up date"))


class ApproveForm(MethodForm):
    approved_on = date_field(_("Approved on"), today=True)


class DoneForm(MethodForm):
    done_on = date_field(_("Done on"), today=True)


class FollowUpForm(MethodForm):
    held_on = date_field(_("Done on"), today=True)
    note = note_field(_("How are the young people doing?"), required=True, rows=3)


class CloseForm(MethodForm):
    closed_on = date_field(_("Closed on"), today=True)
    close_note = forms.CharField(label=_("Why it ends"), max_length=300)

"""Forms of the group-work pages: they list their fields and parse input."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import Enrolment, User
from interventions.mentoring.forms import DateTimeField, ServiceErrors
from interventions.models import Bridging, GroupActivity


class WorkerCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        return obj.name or obj.username


class AttendeeCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Enrolment) -> str:
        return obj.young_person.name


class ActivityForm(ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupActivity.Kind.choices, widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=150, help_text=_("E.g. Club evening, football, girls' group."))
    starts_at = DateTimeField(label=_("When"))
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=24 * 60,
        initial=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 15}),
    )
    place = forms.CharField(label=_("Place"), max_length=150, required=False)
    workers = WorkerCheckboxes(label=_("Workers present"), queryset=User.objects.none())
    unregistered_count = forms.IntegerField(
        label=_("Others who came"),
        min_value=0,
        max_value=1000,
        initial=0,
        help_text=GroupActivity._meta.get_field("unregistered_count").help_text,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: object, workers: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers


class NewActivityForm(ActivityForm):
    present = AttendeeCheckboxes(
        label=_("Who came"),
        queryset=Enrolment.objects.none(),
        required=False,
        help_text=_("Young people in relationship work in the team; each gets a group-activity contact."),
    )

    def __init__(self, *args: object, attendees: QuerySet[Enrolment], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = attendees


class AttendanceForm(ServiceErrors, forms.Form):
    present = AttendeeCheckboxes(label=_("Who came"), queryset=Enrolment.objects.none(), required=False)

    def __init__(self, *args: object, attendees: QuerySet[Enrolment], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = attendees


class FlagForm(ServiceErrors, forms.Form):
    reason = forms.CharField(
        label=_("Why does she or he need individual follow-up?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    activity = forms.ModelChoiceField(queryset=GroupActivity.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, activities: QuerySet[GroupActivity], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class FlagTakeForm(ServiceErrors, forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    become_primary_worker = forms.BooleanField(
        label=_("Make me the primary worker (the known worker stays attached for two weeks)"), required=False
    )


class BridgingForm(ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=Bridging.Kind.choices, widget=forms.RadioSelect)
    partner = forms.ChoiceField(label=_("Service"), choices=Bridging.Partner.choices)
    occurred_at = DateTimeField(label=_("When"))
    duration_minutes = forms.IntegerField(
        label=_("Minutes"), min_value=1, max_value=24 * 60, initial=60, widget=forms.NumberInput(attrs={"step": 5})
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

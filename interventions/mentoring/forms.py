"""Forms of the mentoring pages. They list their fields and parse input; the
services validate and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Contact
from interventions.mentoring.services import STATUS_CHANGES
from interventions.models import Match, MenteeProfile, Mentor, MentorSession, ScreeningStep

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT)

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("input_formats", [LOCAL_INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
        super().__init__(**kwargs)


class ServiceErrors:
    """Show a service's ValidationError beside the field it names."""

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)  # type: ignore[attr-defined]
        else:
            self.add_error(None, error.messages)  # type: ignore[attr-defined]


class MentorForm(ServiceErrors, forms.ModelForm):
    class Meta:
        model = Mentor
        fields = ["kind", "name", "phone", "email", "area", "gender", "birth_year", "interests", "about", "capacity"]
        widgets = {
            "kind": forms.RadioSelect,
            "about": forms.Textarea(attrs={"rows": 3}),
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }


class MentorCreateForm(MentorForm):
    first_contact_on = forms.DateField(
        label=_("First contact"),
        widget=DateInput(),
        initial=timezone.localdate,
        help_text=_("The first screening step."),
    )


class ScreeningStepForm(ServiceErrors, forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=ScreeningStep.Step.choices)
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    expires_on = forms.DateField(
        label=_("Expires on"), widget=DateInput(), required=False, help_text=_("Certificates only.")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MentorStatusForm(ServiceErrors, forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args: object, mentor: Mentor, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        allowed = STATUS_CHANGES.get(mentor.status, ())
        self.fields["status"].choices = [(s, Mentor.Status(s).label) for s in allowed]
        self.has_choices = bool(allowed)


class MenteeProfileForm(ServiceErrors, forms.ModelForm):
    class Meta:
        model = MenteeProfile
        fields = ["interests", "preferred_mentor_gender", "wishes"]
        widgets = {"wishes": forms.Textarea(attrs={"rows": 2})}


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Mentor) -> str:
        return obj.name


class MatchProposeForm(ServiceErrors, forms.Form):
    mentor = MentorChoiceField(
        label=_("Mentor"), queryset=Mentor.objects.none(), widget=forms.RadioSelect, empty_label=None
    )
    meeting_date = forms.DateField(label=_("Date of the match meeting"), widget=DateInput(), initial=timezone.localdate)
    meeting_participants = forms.CharField(
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=Match._meta.get_field("meeting_participants").help_text,
    )
    criteria_note = forms.CharField(
        label=_("Why this mentor"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=Match._meta.get_field("criteria_note").help_text,
    )

    def __init__(self, *args: object, mentors: QuerySet[Mentor], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


class MatchStartForm(ServiceErrors, forms.Form):
    start_date = forms.DateField(label=_("First meeting"), widget=DateInput(), initial=timezone.localdate)


class MatchDeclineForm(ServiceErrors, forms.Form):
    answered_on = forms.DateField(label=_("Answered on"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Why, in the young person's words"), max_length=300, required=False)


class MatchEndForm(ServiceErrors, forms.Form):
    end_date = forms.DateField(label=_("End date"), widget=DateInput(), initial=timezone.localdate)
    outcome = forms.ChoiceField(label=_("How it ended"), choices=Match.Outcome.choices, widget=forms.RadioSelect)
    failure_reason = forms.ChoiceField(
        label=_("Why it failed"),
        choices=[("", "–"), *Match.FailureReason.choices],
        required=False,
        help_text=_("Only for a failed match."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class MeetingForm(ServiceErrors, forms.Form):
    """A mentor meeting with the young person, logged by the mentor or for her."""

    occurred_at = DateTimeField(label=_("When"))
    duration_minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=0,
        max_value=24 * 60,
        initial=90,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )
    channel = forms.ChoiceField(
        label=_("How"),
        choices=[(c, label) for c, label in Contact.Channel.choices if c != Contact.Channel.GROUP_ACTIVITY],
        initial=Contact.Channel.IN_PERSON,
        widget=forms.RadioSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Contact.Status.choices, initial=Contact.Status.HELD, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Keep it short and factual; no CPR numbers."),
    )


class MentorCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Mentor) -> str:
        return obj.name


class SessionForm(ServiceErrors, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MentorSession.Kind.choices, widget=forms.RadioSelect)
    starts_at = DateTimeField(label=_("When"))
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=15, max_value=8 * 60, initial=120)
    place = forms.CharField(label=_("Place"), max_length=150, required=False)
    led_by = forms.CharField(
        label=_("Led by"), max_length=150, required=False, help_text=_("E.g. the psychologist or the SSP consultant.")
    )
    topic = forms.CharField(label=_("Topic"), max_length=300, required=False)
    invited = MentorCheckboxes(label=_("Invited mentors"), queryset=Mentor.objects.none(), required=False)

    def __init__(self, *args: object, mentors: QuerySet[Mentor], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invited"].queryset = mentors


class SessionAttendanceForm(ServiceErrors, forms.Form):
    attended = MentorCheckboxes(label=_("Who came"), queryset=Mentor.objects.none(), required=False)

    def __init__(self, *args: object, session: MentorSession, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["attended"].queryset = Mentor.objects.filter(session_attendances__session=session).order_by(
            "name", "pk"
        )

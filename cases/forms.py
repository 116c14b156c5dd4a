"""Forms list their fields explicitly; they parse input and nothing more.
Writes happen in cases.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.models import (
    ActionPlan,
    Agreement,
    Consent,
    ConsentPurpose,
    Contact,
    EndReason,
    Enrolment,
    Goal,
    User,
)
from interventions.models import InterventionType

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"

# Data minimisation (GDPR art. 5(1)(c), docs/SECURITY.md): every free-text field
# says what belongs in it, and that sensitive details the case does not need do not.
NOTE_HELP = _(
    "Keep it short and factual: what happened and what was agreed. No CPR numbers, and no health, "
    "crime or family details that the case does not need."
)


class EnrolmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Enrolment) -> str:
        return f"{obj.intervention_type} ({obj.primary_worker})"


class ServiceErrorsMixin:
    """Show a service's ValidationError beside the field it names."""

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


class ContactForm(ServiceErrorsMixin, forms.Form):
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
        help_text=NOTE_HELP,
    )

    def __init__(self, *args: object, enrolments: QuerySet[Enrolment], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments
        self.has_enrolments = len(enrolments) > 0
        if len(enrolments) == 1:
            self.fields["enrolment"].widget = forms.HiddenInput()


class SearchForm(forms.Form):
    term = forms.CharField(
        label=_("Search by name"),
        min_length=2,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


def _date(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        # <input type="date"> takes ISO dates only, whatever the language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class EnrolmentOpenForm(ServiceErrorsMixin, forms.Form):
    intervention_type = forms.ModelChoiceField(queryset=InterventionType.objects.all(), label=_("Intervention"))
    primary_worker = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Primary worker"))
    start_date = _date(_("Start date"))

    def __init__(self, *args: object, workers: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["primary_worker"].queryset = workers


class PauseForm(ServiceErrorsMixin, forms.Form):
    start_date = _date(_("From"))
    end_date = _date(_("Until"), required=False, help_text=_("Leave empty while the pause lasts."))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("The kind of pause only, e.g. custody, hospital, a stay abroad; no diagnoses or details."),
    )


class ResumeForm(ServiceErrorsMixin, forms.Form):
    end_date = _date(_("Last day of the pause"))


class HandoverForm(ServiceErrorsMixin, forms.Form):
    new_worker = forms.ModelChoiceField(queryset=User.objects.none(), label=_("New primary worker"))
    on_date = _date(_("Introduction meeting"), help_text=_("The known worker introduces the new one."))
    overlap_until = _date(_("Both attached until"), help_text=_("The outgoing worker stays on for a while."))
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("Practical points for the handover only; no sensitive details."),
    )

    def __init__(self, *args: object, workers: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_worker"].queryset = workers


class CloseForm(ServiceErrorsMixin, forms.Form):
    end_date = _date(_("End date"))
    end_reason = forms.ChoiceField(label=_("End reason"), choices=EndReason.choices)


class ReopenForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why was it closed by mistake?"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the mistake was; no personal details."),
    )


class ConsentForm(ServiceErrorsMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    partner = forms.CharField(
        label=_("Partner"),
        max_length=150,
        required=False,
        help_text=_("Only for sharing with a named partner: the organisation or role, e.g. the job centre."),
    )
    given_by = forms.ChoiceField(label=_("Given by"), choices=Consent.GivenBy.choices)
    given_on = _date(_("Given on"))

    def clean(self) -> dict[str, object]:
        data = super().clean()
        # A partner is recorded only where the consent is about sharing with one.
        if data.get("partner", "").strip() and data.get("purpose") != ConsentPurpose.SHARE_WITH_PARTNER:
            self.add_error("partner", _("Leave this empty: only a consent to share names a partner."))
        return data


class ConsentWithdrawForm(ServiceErrorsMixin, forms.Form):
    withdrawn_by = forms.ChoiceField(
        label=_("Withdrawn by"),
        choices=Consent.GivenBy.choices,
        help_text=_("Who told you that the consent is withdrawn."),
    )
    withdrawn_on = _date(_("Withdrawn on"), help_text=_("The day the consent was withdrawn; not a future date."))


class PlanForm(ServiceErrorsMixin, forms.Form):
    coordinator = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Plan coordinator"))
    created_on = _date(_("Made on"))
    meeting_interval_weeks = forms.IntegerField(label=_("Weeks between meetings"), min_value=6, max_value=12)
    made_with_young_person = forms.BooleanField(label=_("Made with the young person"), required=False)

    def __init__(self, *args: object, workers: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = workers


class GoalForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Goal"), max_length=300)
    set_by = forms.ChoiceField(label=_("Set"), choices=Goal.SetBy.choices)
    parent = forms.ModelChoiceField(
        queryset=Goal.objects.none(), label=_("Sub-goal of"), required=False, empty_label=_("(a main goal)")
    )
    target_date = _date(_("Target date"), required=False)

    def __init__(self, *args: object, plan: ActionPlan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = plan.goals.filter(parent__isnull=True)


class AgreementForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(label=_("Agreement"), max_length=300)
    owner = forms.ChoiceField(label=_("Who"), choices=Agreement.Owner.choices)
    due_date = _date(_("Due date"))
    goal = forms.ModelChoiceField(queryset=Goal.objects.none(), label=_("Goal"), required=False)

    def __init__(self, *args: object, plan: ActionPlan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.all()


class DoneForm(ServiceErrorsMixin, forms.Form):
    on = _date(_("Date"))


class PlanMeetingForm(ServiceErrorsMixin, forms.Form):
    date = _date(_("Date"))
    young_person_present = forms.BooleanField(label=_("The young person took part"), required=False, initial=True)
    parents_present = forms.BooleanField(label=_("Parents took part"), required=False)
    workers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), label=_("Staff present"), required=False, widget=forms.CheckboxSelectMultiple
    )
    others_present = forms.CharField(
        label=_("Others present"),
        max_length=200,
        required=False,
        help_text=_("Roles rather than names, e.g. the school counsellor."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was decided and who does what; no sensitive details that the plan does not need."),
    )

    def __init__(self, *args: object, workers: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workers"].queryset = workers

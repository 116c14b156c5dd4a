"""Mediation between young people (konfliktmægling, 002:L3366-4535).

A case has a type, parties (young people, each with a role, and their
parents) and one or more mediators. External (SSP) mediation waits for the
police's green light (002:L4122-4127). Then preparation (pre-meetings and
phone contacts), the six steps of the mediation meeting in order, the
agreement approved by every party, the relationship afterwards, and
follow-ups 3 and 12 months after the agreement (002:L3499, L4420-4437).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.history import CaseHistory


class MediationType(models.TextChoices):
    EXTERNAL = "external", _("External mediation (SSP)")
    SCHOOL = "school", _("School mediation")
    PUPIL = "pupil", _("Pupil mediation")
    VICTIM_TALK = "victim_talk", _("Victim talk")


class MediationStepNumber(models.IntegerChoices):
    """The six steps of the mediation meeting (the reflexive model, 002:L3680-3717)."""

    OPENING = 1, _("Opening: welcome, the process, the roles")
    ACCOUNT = 2, _("Account and dialogue: each party tells their version")
    CLARIFICATION = 3, _("Clarification: a shared statement of the problem")
    OPTIONS = 4, _("Options: several solutions, none judged yet")
    NEGOTIATION = 5, _("Negotiation of an agreement")
    AGREEMENT = 6, _("Agreement checked, approved and written down")


class Relationship(models.TextChoices):
    """What the parties became to each other (002:L4425-4433)."""

    FRIENDSHIP = "friendship", _("Friendship")
    ACCEPTANCE = "acceptance", _("Acceptance")
    HOSTILITY = "continued_hostility", _("Continued hostility")


class MediationCase(models.Model):
    class Outcome(models.TextChoices):
        AGREEMENT = "agreement", _("Agreement reached")
        NO_AGREEMENT = "no_agreement", _("No agreement")
        DECLINED = "declined", _("A party declined (mediation is voluntary)")
        NOT_CLEARED = "not_cleared", _("The police did not clear the case")
        VICTIM_TALK_ONLY = "victim_talk_only", _("Victim talk only")

    case_type = models.CharField(_("type"), max_length=20, choices=MediationType.choices)
    summary = models.CharField(
        _("what the conflict is about"),
        max_length=500,
        help_text=_("Short and factual; no CPR numbers. The case is confidential."),
    )
    referred_on = models.DateField(_("referred on"))
    team = models.ForeignKey(
        "cases.Team", on_delete=models.PROTECT, related_name="mediation_cases", verbose_name=_("team")
    )
    mediators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="mediation_cases", verbose_name=_("mediators")
    )
    police_clearance_on = models.DateField(_("police clearance given on"), null=True, blank=True)
    police_clearance_by = models.CharField(_("cleared by"), max_length=150, blank=True)
    relationship_after = models.CharField(
        _("relationship afterwards"), max_length=20, choices=Relationship.choices, blank=True
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = CaseHistory()

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        constraints = [
            models.CheckConstraint(
                condition=(Q(closed_on__isnull=True) & Q(outcome="")) | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="mediation_outcome_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(police_clearance_on__isnull=True) | Q(police_clearance_on__gte=models.F("referred_on")),
                name="mediation_cleared_after_referral",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_case_type_display()} {self.referred_on:%Y-%m-%d}"

    @property
    def needs_police_clearance(self) -> bool:
        return self.case_type == MediationType.EXTERNAL

    @property
    def waiting_for_clearance(self) -> bool:
        return self.needs_police_clearance and self.police_clearance_on is None

    @property
    def may_start_on(self) -> dt.date:
        """The first day work with the parties may be dated."""
        return self.police_clearance_on or self.referred_on


class MediationParty(models.Model):
    """A party: a registered young person, or (for someone outside the
    municipality's youth services, e.g. a pupil of another school) a name only."""

    class Role(models.TextChoices):
        OFFENDER = "offender", _("Offender")
        VICTIM = "victim", _("Victim")
        OTHER = "other", _("Other party")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="parties")
    young_person = models.ForeignKey(
        "cases.YoungPerson",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mediation_parties",
        verbose_name=_("young person"),
    )
    name = models.CharField(
        _("name (not registered)"),
        max_length=150,
        blank=True,
        help_text=_("Only for a party who is not registered with the youth services."),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    approved_agreement_on = models.DateField(_("approved the agreement on"), null=True, blank=True)

    history = CaseHistory()

    class Meta:
        ordering = ["id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.CheckConstraint(
                condition=(Q(young_person__isnull=False) & Q(name="")) | (Q(young_person__isnull=True) & ~Q(name="")),
                name="mediation_party_person_or_name",
            ),
            models.UniqueConstraint(
                fields=["case", "young_person"], condition=Q(young_person__isnull=False), name="mediation_party_once"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.young_person.name if self.young_person_id else self.name


class MediationParent(models.Model):
    """A parent of a party; pre-meetings build their trust too (002:L3580-3585)."""

    party = models.ForeignKey(MediationParty, on_delete=models.CASCADE, related_name="parents")
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=60, blank=True, help_text=_("Mother, father, guardian…"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("parent")
        verbose_name_plural = _("parents")

    def __str__(self) -> str:
        return self.name


class MediationPreparation(models.Model):
    """A pre-meeting or phone contact before the mediation meeting (forberedelse)."""

    class Kind(models.TextChoices):
        PRE_MEETING = "pre_meeting", _("Pre-meeting")
        PHONE = "phone", _("Phone contact")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="preparations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("date"))
    party = models.ForeignKey(
        MediationParty,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="preparations",
        verbose_name=_("with party"),
    )
    with_parents = models.BooleanField(_("parents took part"), default=False)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("mediator")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("preparation")
        verbose_name_plural = _("preparations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class MediationStep(models.Model):
    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("step"), choices=MediationStepNumber.choices)
    done_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["step"]
        verbose_name = _("mediation step")
        verbose_name_plural = _("mediation steps")
        constraints = [models.UniqueConstraint(fields=["case", "step"], name="mediation_step_once")]

    def __str__(self) -> str:
        return f"{self.step}: {self.done_on}"


class MediationAgreement(models.Model):
    """The written agreement; approved when every party has approved it (step 6)."""

    case = models.OneToOneField(MediationCase, on_delete=models.CASCADE, related_name="agreement")
    text = models.TextField(_("agreement"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    history = CaseHistory(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return f"{self.case}: {self.approved_on or '-'}"


class MediationFollowUp(models.Model):
    """A follow-up with the parties, due 3 or 12 months after the agreement."""

    class AgreementKept(models.TextChoices):
        KEPT = "kept", _("Kept")
        PARTLY = "partly", _("Partly kept")
        BROKEN = "broken", _("Broken")

    case = models.ForeignKey(MediationCase, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the agreement"))
    due_on = models.DateField(_("due"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices, blank=True)
    agreement_kept = models.CharField(
        _("was the agreement kept"), max_length=10, choices=AgreementKept.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("mediation follow-up")
        verbose_name_plural = _("mediation follow-ups")
        constraints = [models.UniqueConstraint(fields=["case", "months"], name="mediation_follow_up_once")]
        indexes = [models.Index(fields=["held_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.months} / {self.due_on}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.held_on is None and self.due_on < today

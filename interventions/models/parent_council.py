"""Parent councils (forældrerådslagning, 002:L6812-8084).

The parents of a group of young people causing concern meet, without the
young people, and agree a plan. Phase I prepares: the initiator's
preliminary invitation, a neutral coordinator agreed, the coordinator's phone
call and home visit to every family, the final invitation. Phase II is the
council meeting: informants report first-hand observations, the parents
deliberate alone and agree a plan, approved with named owners and a
follow-up date. Phase III follows up with further meetings. Outcomes are
looked at 3 and 12 months after the first meeting (002:L7900-7965).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.history import CaseHistory


class ParentCouncil(models.Model):
    title = models.CharField(
        _("group"), max_length=150, help_text=_("A name for the group of young people, e.g. where they meet.")
    )
    concern = models.TextField(_("the concern"), help_text=_("What the worry is about; no CPR numbers."))
    team = models.ForeignKey(
        "cases.Team", on_delete=models.PROTECT, related_name="parent_councils", verbose_name=_("team")
    )
    initiator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="initiated_councils",
        verbose_name=_("initiator"),
    )
    # The coordinator (samordner) is neutral towards the municipality and paid by
    # the hour, so usually not a user of the application.
    coordinator_name = models.CharField(_("neutral coordinator"), max_length=150, blank=True)
    coordinator_phone = models.CharField(_("coordinator's phone"), max_length=30, blank=True)
    preliminary_invitation_on = models.DateField(_("preliminary invitation sent"), null=True, blank=True)
    coordinator_agreed_on = models.DateField(_("coordinator agreed"), null=True, blank=True)
    final_invitation_on = models.DateField(_("final invitation sent"), null=True, blank=True)
    plan_approved_on = models.DateField(_("plan approved"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_note = models.CharField(_("why it ended"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = CaseHistory()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("parent council")
        verbose_name_plural = _("parent councils")
        constraints = [
            models.CheckConstraint(
                condition=Q(coordinator_agreed_on__isnull=True)
                | Q(coordinator_agreed_on__gte=models.F("preliminary_invitation_on")),
                name="council_coordinator_after_invitation",
            ),
            models.CheckConstraint(
                condition=Q(final_invitation_on__isnull=True)
                | Q(final_invitation_on__gte=models.F("coordinator_agreed_on")),
                name="council_final_after_coordinator",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ParentCouncilFamily(models.Model):
    """One young person of the group and her parents; the coordinator phones and
    visits every family before the final invitation."""

    council = models.ForeignKey(ParentCouncil, on_delete=models.CASCADE, related_name="families")
    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="council_families", verbose_name=_("young person")
    )
    phone_call_on = models.DateField(_("phone call"), null=True, blank=True)
    home_visit_on = models.DateField(_("home visit"), null=True, blank=True)
    declined_on = models.DateField(_("declined on"), null=True, blank=True)

    history = CaseHistory()

    class Meta:
        ordering = ["id"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        constraints = [
            models.UniqueConstraint(fields=["council", "young_person"], name="council_family_once"),
            models.CheckConstraint(
                condition=Q(home_visit_on__isnull=True) | Q(home_visit_on__gte=models.F("phone_call_on")),
                name="council_visit_after_call",
            ),
        ]

    def __str__(self) -> str:
        return str(self.young_person)

    @property
    def prepared(self) -> bool:
        return self.home_visit_on is not None or self.declined_on is not None


class ParentCouncilParent(models.Model):
    family = models.ForeignKey(ParentCouncilFamily, on_delete=models.CASCADE, related_name="parents")
    name = models.CharField(_("name"), max_length=150)
    relation = models.CharField(_("relation"), max_length=60, blank=True, help_text=_("Mother, father, guardian…"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("parent")
        verbose_name_plural = _("parents")

    def __str__(self) -> str:
        return self.name


class ParentCouncilParticipant(models.Model):
    """A professional who is not a parent: an informant with first-hand
    observations (school, club, family department), or an outside participant
    with general knowledge (police, substance-abuse consultant, a parent from an
    earlier council)."""

    class Role(models.TextChoices):
        INFORMANT = "informant", _("Informant")
        OUTSIDE = "outside", _("Outside participant")

    council = models.ForeignKey(ParentCouncil, on_delete=models.CASCADE, related_name="participants")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)

    class Meta:
        ordering = ["role", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name


class ParentCouncilMeeting(models.Model):
    class Kind(models.TextChoices):
        COUNCIL = "council", _("Council meeting")
        FOLLOW_UP = "follow_up", _("Follow-up meeting")

    council = models.ForeignKey(ParentCouncil, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("date"))
    observations = models.TextField(
        _("informants' observations"), blank=True, help_text=_("First-hand observations and events only.")
    )
    questions = models.TextField(_("the questions for the parents"), blank=True)
    note = models.TextField(_("note"), blank=True)
    next_meeting_on = models.DateField(_("next meeting agreed for"), null=True, blank=True)
    parents_present = models.ManyToManyField(
        ParentCouncilParent, blank=True, related_name="meetings", verbose_name=_("parents present")
    )
    participants_present = models.ManyToManyField(
        ParentCouncilParticipant, blank=True, related_name="meetings", verbose_name=_("others present")
    )

    class Meta:
        ordering = ["held_on", "id"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class ParentCouncilPlanItem(models.Model):
    """One line of the parents' plan: what, who is responsible, when to look at it again."""

    class Owner(models.TextChoices):
        PARENTS = "parents", _("The parents")
        MUNICIPALITY = "municipality", _("The municipality")
        OTHER = "other", _("Someone else")

    council = models.ForeignKey(ParentCouncil, on_delete=models.CASCADE, related_name="plan_items")
    text = models.CharField(_("what"), max_length=300)
    owner = models.CharField(_("responsible"), max_length=15, choices=Owner.choices)
    owner_name = models.CharField(_("responsible person"), max_length=150, help_text=_("Who exactly."))
    follow_up_on = models.DateField(_("follow-up date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["follow_up_on", "id"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")

    def __str__(self) -> str:
        return self.text

    def is_overdue(self, today: dt.date) -> bool:
        return self.done_on is None and self.follow_up_on < today


class ParentCouncilFollowUp(models.Model):
    """A look at how the young people are doing, 3 and 12 months after the first meeting."""

    council = models.ForeignKey(ParentCouncil, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months after the first meeting"))
    due_on = models.DateField(_("due"))
    held_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.CharField(_("what was found"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("council follow-up")
        verbose_name_plural = _("council follow-ups")
        constraints = [models.UniqueConstraint(fields=["council", "months"], name="council_follow_up_once")]

    def __str__(self) -> str:
        return f"{self.months} / {self.due_on}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.held_on is None and self.due_on < today

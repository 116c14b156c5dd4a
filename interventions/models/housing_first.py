"""Housing First with CTI (001:L2390-2699, 004:L1662-1764): housing goals set
with the young person and the network map (netværkskort, 001:L2543-2567).
The CTI phases are computed from the enrolment (interventions.housing_first.cti);
housing status lives in outcomes.StatusEvent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.history import CaseHistory


class HousingGoal(models.Model):
    """A practical housing goal of a CTI course, set with the young person (001:L2667-2669)."""

    enrolment = models.ForeignKey(
        "cases.Enrolment", on_delete=models.CASCADE, related_name="housing_goals", verbose_name=_("enrolment")
    )
    text = models.CharField(_("goal"), max_length=300)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = CaseHistory()

    class Meta:
        ordering = ["target_on", "id"]
        verbose_name = _("housing goal")
        verbose_name_plural = _("housing goals")

    def __str__(self) -> str:
        return self.text


class RelationType(models.TextChoices):
    BIRTH_FAMILY = "birth_family", _("Birth family")
    FOSTER_FAMILY = "foster_family", _("Foster family")
    FRIEND = "friend", _("Friend")
    PEER = "peer", _("Peer")
    MENTOR_FAMILY = "mentor_family", _("Mentor family")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    PROFESSIONAL = "professional", _("Professional")


class NetworkRelation(models.Model):
    """One relation on the young person's network map: who, what kind, paid or
    not, positive or conflict-filled, since when. A civil-society relation the
    worker bridged to has the date of the bridging (the status template's
    "offers bridged to", 001:L2688-2693)."""

    class Quality(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        CONFLICT = "conflict", _("Conflict-filled")

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.CASCADE, related_name="network_relations", verbose_name=_("young person")
    )
    name = models.CharField(
        _("who"), max_length=120, help_text=_("A name or a role, e.g. 'Mother' or 'Homework café'.")
    )
    relation_type = models.CharField(_("type"), max_length=20, choices=RelationType.choices)
    paid = models.BooleanField(
        _("paid"), default=False, help_text=_("Paid to be there (a professional, a contact person).")
    )
    quality = models.CharField(_("quality"), max_length=10, choices=Quality.choices, default=Quality.POSITIVE)
    since = models.DateField(_("since"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    bridged_on = models.DateField(
        _("bridged to on"),
        null=True,
        blank=True,
        help_text=_("When the worker bridged the young person to this offer."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    history = CaseHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["relation_type", "name", "id"]
        verbose_name = _("network relation")
        verbose_name_plural = _("network relations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(since__isnull=True) | Q(ended_on__gte=models.F("since")),
                name="network_relation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.ended_on is None

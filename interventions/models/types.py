"""Intervention types and their contact norms, stored as data (spec §6)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class InterventionType(models.Model):
    """One of the methods the municipality offers (relationship work, mentoring, ...)."""

    class Code(models.TextChoices):
        RELATIONSHIP_WORK = "relationship_work", _("Relationship work")
        MENTORING = "mentoring", _("Mentoring")
        MEDIATION = "mediation", _("Mediation")
        PARENT_COUNCIL = "parent_council", _("Parent council")
        HOUSING_FIRST_CTI = "housing_first_cti", _("Housing First with CTI")

    code = models.CharField(_("code"), max_length=40, unique=True, choices=Code.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    no_contact_alert_days = models.PositiveSmallIntegerField(
        _("days without contact before an alert"),
        default=14,
        help_text=_("A young person appears on the work list after this many days without a qualifying contact."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("intervention type")
        verbose_name_plural = _("intervention types")

    def __str__(self) -> str:
        return self.name

    def norm_for_day(self, enrolment_day: int) -> Decimal:
        """Expected qualifying contacts per week for a week whose Monday is
        `enrolment_day` days after the start (spec §6). Uses prefetched norms."""
        applicable = [n for n in self.norms.all() if n.from_day <= enrolment_day]
        if not applicable:
            return Decimal(0)
        return max(applicable, key=lambda n: n.from_day).contacts_per_week


class ContactNorm(models.Model):
    """From enrolment day `from_day` on, `contacts_per_week` contacts are expected,
    until the next norm of the same intervention type takes over."""

    intervention_type = models.ForeignKey(
        InterventionType, on_delete=models.CASCADE, related_name="norms", verbose_name=_("intervention type")
    )
    from_day = models.PositiveIntegerField(_("from enrolment day"))
    contacts_per_week = models.DecimalField(_("contacts per week"), max_digits=4, decimal_places=2)

    class Meta:
        ordering = ["intervention_type", "from_day"]
        verbose_name = _("contact norm")
        verbose_name_plural = _("contact norms")
        constraints = [
            models.UniqueConstraint(fields=["intervention_type", "from_day"], name="norm_unique_per_day"),
            models.CheckConstraint(condition=models.Q(contacts_per_week__gte=0), name="norm_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention_type}: {self.contacts_per_week}/week from day {self.from_day}"

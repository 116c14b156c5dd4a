"""Consent per purpose (003:L1315-1448): obtaining information from others,
sharing with a named partner, a mentor match. The young person may decline,
and may withdraw a consent later; actions that need one are refused without it."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.history import CaseHistory
from cases.models.people import YoungPerson


class ConsentPurpose(models.TextChoices):
    OBTAIN_INFORMATION = "obtain_information", _("Obtaining information from others")
    SHARE_WITH_PARTNER = "share_with_partner", _("Sharing information with a named partner")
    MENTOR_MATCH = "mentor_match", _("Mentor match")


# The consent an intervention needs before an enrolment may be opened. Mentoring
# shares the young person's details with a volunteer; Housing First/CTI works
# with the housing office, the job centre and others from day one. Relationship
# work, mediation and parent councils are voluntary and start without one.
REQUIRED_CONSENT: dict[str, str] = {
    "mentoring": ConsentPurpose.MENTOR_MATCH,
    "housing_first_cti": ConsentPurpose.OBTAIN_INFORMATION,
}


class Consent(models.Model):
    class GivenBy(models.TextChoices):
        YOUNG_PERSON = "young_person", _("The young person")
        PARENT = "parent", _("A parent with custody")
        GUARDIAN = "guardian", _("A guardian")

    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="consents", verbose_name=_("young person")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    partner = models.CharField(
        _("partner"), max_length=150, blank=True, help_text=_("Who the information may be shared with.")
    )
    given_by = models.CharField(_("given by"), max_length=20, choices=GivenBy.choices)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = CaseHistory()

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_purpose_display())

    def is_active_on(self, day: dt.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or day < self.withdrawn_on)

"""Contacts between a worker and a young person (spec §3)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.history import CaseHistory
from cases.models.enrolments import Enrolment


class Contact(models.Model):
    """One logged interaction between a worker and the young person (spec §3)."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        VIDEO = "video", _("Video")
        TEXT = "text", _("Text message")
        ESCORT = "escort", _("Escort")
        GROUP_ACTIVITY = "group_activity", _("Group activity")

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")

    external_id = models.CharField(_("external id"), max_length=64, unique=True, null=True, blank=True)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="contacts")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("worker")
    )
    occurred_at = models.DateTimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MaxValueValidator(24 * 60)]
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = CaseHistory(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__lte=24 * 60), name="contact_duration_at_most_a_day"),
        ]
        indexes = [
            models.Index(fields=["enrolment", "occurred_at"]),
            # The contact form's default duration reads the worker's latest contacts
            # (cases.selectors.usual_contact_minutes) on every form shown and every contact logged.
            models.Index(fields=["worker", "-occurred_at"], name="cases_contact_worker_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    @property
    def is_qualifying(self) -> bool:
        return self.status == self.Status.HELD and self.channel != self.Channel.TEXT

    @property
    def local_time(self) -> dt.datetime:
        return timezone.localtime(self.occurred_at)

    @property
    def outside_office_hours(self) -> bool:
        """Derived, never typed: evenings, nights and weekends in local time."""
        local = self.local_time
        return (
            local.weekday() >= 5 or local.hour < settings.OFFICE_HOURS_START or local.hour >= settings.OFFICE_HOURS_END
        )

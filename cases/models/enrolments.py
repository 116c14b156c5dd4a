"""Enrolments: one young person in one intervention over time (spec §2)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.history import CaseHistory
from cases.models.people import Team, YoungPerson


class EndReason(models.TextChoices):
    """Why an enrolment ended; each reason has a class (spec §2)."""

    COMPLETED = "completed", _("Completed")
    NATURAL_PHASE_OUT = "natural_phase_out", _("Natural phase-out")
    TRANSFERRED = "transferred", _("Transferred to another service")
    DROPPED_OUT = "dropped_out", _("Dropped out")
    EXCLUDED = "excluded", _("Excluded")
    OTHER_UNPLANNED = "other_unplanned", _("Other unplanned ending")
    MOVED_AWAY = "moved_away", _("Moved away")
    DECEASED = "deceased", _("Deceased")


class EndReasonClass(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNPLANNED = "unplanned", _("Unplanned")
    NEUTRAL = "neutral", _("Neutral")


END_REASON_CLASS: dict[str, str] = {
    EndReason.COMPLETED: EndReasonClass.PLANNED,
    EndReason.NATURAL_PHASE_OUT: EndReasonClass.PLANNED,
    EndReason.TRANSFERRED: EndReasonClass.PLANNED,
    EndReason.DROPPED_OUT: EndReasonClass.UNPLANNED,
    EndReason.EXCLUDED: EndReasonClass.UNPLANNED,
    EndReason.OTHER_UNPLANNED: EndReasonClass.UNPLANNED,
    EndReason.MOVED_AWAY: EndReasonClass.NEUTRAL,
    EndReason.DECEASED: EndReasonClass.NEUTRAL,
}


class Enrolment(models.Model):
    """One young person in one intervention over time (spec §2)."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True, null=True, blank=True)
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("young person")
    )
    intervention_type = models.ForeignKey(
        "interventions.InterventionType",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("intervention"),
    )
    primary_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="primary_enrolments",
        verbose_name=_("primary worker"),
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("team"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=20, choices=EndReason.choices, blank=True)

    history = CaseHistory()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(end_reason=""))
                | (Q(end_date__isnull=False) & ~Q(end_reason="")),
                name="enrolment_end_reason_iff_end_date",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="enrolment_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["young_person", "intervention_type"],
                condition=Q(end_date__isnull=True),
                name="one_open_enrolment_per_intervention",
            ),
        ]
        indexes = [models.Index(fields=["team", "end_date"]), models.Index(fields=["primary_worker", "end_date"])]

    def __str__(self) -> str:
        return f"{self.intervention_type} ({self.start_date:%Y-%m-%d})"

    @property
    def end_reason_class(self) -> str | None:
        return END_REASON_CLASS.get(self.end_reason) if self.end_reason else None

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class Pause(models.Model):
    """A stretch (both ends inclusive) in which no contact is expected: custody, hospital, a stay abroad."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True, null=True, blank=True)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="pauses")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True, help_text=_("Empty while the pause lasts."))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    history = CaseHistory()

    class Meta:
        ordering = ["start_date"]
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="pause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start_date}–{self.end_date or ''}"


class PrimaryWorkerPeriod(models.Model):
    """The history of an enrolment's primary workers; a new row at each handover (000:L655-676)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="worker_periods")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = CaseHistory()

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("primary worker period")
        verbose_name_plural = _("primary worker periods")

    def __str__(self) -> str:
        return f"{self.worker} {self.start_date}–{self.end_date or ''}"


class Handover(models.Model):
    """A change of primary worker done the way the seeds describe it (000:L655-676):
    the known worker introduces the new one, and both stay attached for a while."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="handovers")
    from_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    to_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    introduced_on = models.DateField(_("introduction meeting"))
    overlap_until = models.DateField(_("both attached until"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-introduced_on", "-id"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        constraints = [
            models.CheckConstraint(
                condition=Q(overlap_until__gte=models.F("introduced_on")), name="handover_overlap_after_introduction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_worker} → {self.to_worker} ({self.introduced_on})"

    def in_progress_on(self, day: dt.date) -> bool:
        return self.introduced_on <= day <= self.overlap_until


class EnrolmentCorrection(models.Model):
    """A closed enrolment reopened because it was closed by mistake; what it was and why."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="corrections")
    previous_end_date = models.DateField(_("previous end date"))
    previous_end_reason = models.CharField(_("previous end reason"), max_length=20, choices=EndReason.choices)
    reason = models.CharField(_("reason for reopening"), max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(_("corrected at"), auto_now_add=True)

    class Meta:
        ordering = ["-corrected_at"]
        verbose_name = _("enrolment correction")
        verbose_name_plural = _("enrolment corrections")

    def __str__(self) -> str:
        return f"{self.enrolment_id} reopened {self.corrected_at:%Y-%m-%d}"

"""Relationship work: group activities, flags for individual follow-up, bridging.

Group activities (drop-in evenings, leisure activities, girls' groups) build
trust and let workers spot the young people who need more (000:L600-631). Each
young person ticked as present gets a `group_activity` contact on her
relationship-work enrolment. A worker may flag a young person for individual
follow-up; the flag stays on the team's list until someone takes it, and the
known worker vouches for the one who takes over (000:L632-676). Workers bridge
to other services by escorting the young person or contacting the service on
her behalf (000:L1219-1243).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GroupActivity(models.Model):
    class Kind(models.TextChoices):
        DROP_IN = "drop_in", _("Drop-in evening")
        LEISURE = "leisure", _("Leisure activity")
        GIRLS_GROUP = "girls_group", _("Girls' group")
        OTHER = "other", _("Other group activity")

    team = models.ForeignKey("cases.Team", on_delete=models.PROTECT, related_name="group_activities")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.DROP_IN)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    place = models.CharField(_("place"), max_length=150, blank=True)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="group_activities", verbose_name=_("workers present")
    )
    unregistered_count = models.PositiveSmallIntegerField(
        _("others who came"),
        default=0,
        help_text=_("Young people who came but are not enrolled in relationship work; a number, no names."),
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("group activity")
        verbose_name_plural = _("group activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=24 * 60),
                name="group_activity_duration_within_a_day",
            ),
        ]
        indexes = [models.Index(fields=["team", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.title} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at)


class GroupAttendance(models.Model):
    """A young person ticked as present; `present` is False after un-ticking, when
    the contact is kept but marked cancelled (re-ticking restores it)."""

    activity = models.ForeignKey(GroupActivity, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey("cases.Enrolment", on_delete=models.PROTECT, related_name="group_attendances")
    contact = models.OneToOneField("cases.Contact", on_delete=models.PROTECT, related_name="group_attendance")
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["activity", "enrolment"], name="group_attendance_once_per_enrolment"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.activity_id}"


class FollowUpFlag(models.Model):
    """A young person seen in group work who needs individual follow-up."""

    enrolment = models.ForeignKey(
        "cases.Enrolment", on_delete=models.PROTECT, related_name="follow_up_flags", verbose_name=_("enrolment")
    )
    activity = models.ForeignKey(
        GroupActivity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="flags",
        verbose_name=_("seen at"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("flagged by")
    )
    raised_at = models.DateTimeField(_("flagged"), default=timezone.now)
    reason = models.CharField(_("why"), max_length=500)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    taken_at = models.DateTimeField(_("taken"), null=True, blank=True)
    taken_note = models.CharField(_("note on taking it"), max_length=300, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("follow-up flag")
        verbose_name_plural = _("follow-up flags")
        constraints = [
            models.CheckConstraint(
                condition=(Q(taken_by__isnull=True) & Q(taken_at__isnull=True))
                | (Q(taken_by__isnull=False) & Q(taken_at__isnull=False)),
                name="follow_up_taken_by_iff_taken_at",
            ),
            models.UniqueConstraint(
                fields=["enrolment"], condition=Q(taken_at__isnull=True), name="follow_up_one_open_flag"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.raised_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.taken_at is None


class Bridging(models.Model):
    """Bridging to another service (brobygning, 000:L1219-1243): an escort, when
    the worker went with the young person (also a contact, channel `escort`), or
    a contact with the partner on the young person's behalf (not a contact with
    the young person, so it counts in no contact indicator)."""

    class Partner(models.TextChoices):
        YOUTH_GUIDANCE = "youth_guidance", _("Youth guidance (UU)")
        JOB_CENTRE = "job_centre", _("Job centre")
        SSP = "ssp", _("SSP")
        SOCIAL_SERVICES = "social_services", _("Social services")
        SCHOOL = "school", _("School or education")
        POLICE = "police", _("Police")
        HEALTH = "health", _("Health (doctor, psychiatry)")
        SUBSTANCE_TREATMENT = "substance_treatment", _("Substance-abuse treatment")
        CIVIL_SOCIETY = "civil_society", _("Club or association")
        OTHER = "other", _("Other service")

    class Kind(models.TextChoices):
        ESCORT = "escort", _("Went with the young person")
        PARTNER_CONTACT = "partner_contact", _("Contacted the service on the young person's behalf")

    enrolment = models.ForeignKey(
        "cases.Enrolment", on_delete=models.PROTECT, related_name="bridgings", verbose_name=_("enrolment")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("worker")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    partner = models.CharField(_("service"), max_length=25, choices=Partner.choices)
    occurred_at = models.DateTimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    contact = models.OneToOneField(
        "cases.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="bridging"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("bridging")
        verbose_name_plural = _("bridgings")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="escort") & Q(contact__isnull=False))
                | (Q(kind="partner_contact") & Q(contact__isnull=True)),
                name="bridging_escort_iff_contact",
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_partner_display()} {self.occurred_at:%Y-%m-%d}"

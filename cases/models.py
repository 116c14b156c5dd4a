"""Young people, teams and workers, enrolments, contacts and the access log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.cpr import validate_cpr


class Team(models.Model):
    external_id = models.CharField(_("external id"), max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. The role decides what she may see (cases.selectors)."""

    class Role(models.TextChoices):
        WORKER = "worker", _("Relationship worker")
        TEAM_LEADER = "team_leader", _("Team leader")
        MENTOR = "mentor", _("Volunteer mentor")
        ANALYST = "analyst", _("Analyst")
        ADMINISTRATOR = "administrator", _("Administrator")

    external_id = models.CharField(_("external id"), max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.WORKER)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("team")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=["worker", "team_leader"]) | Q(team__isnull=False),
                name="case_roles_belong_to_a_team",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name

    @property
    def works_cases(self) -> bool:
        return self.role in (self.Role.WORKER, self.Role.TEAM_LEADER)


class ProblemArea(models.Model):
    """A tag for what a young person struggles with (000:L1489-1495)."""

    name = models.CharField(_("name"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("problem area")
        verbose_name_plural = _("problem areas")

    def __str__(self) -> str:
        return self.name


class YoungPerson(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNKNOWN = "unknown", _("Unknown")

    class Placement(models.TextChoices):
        NEVER = "never", _("Never placed in care")
        CURRENTLY = "currently", _("Currently placed in care")
        FORMERLY = "formerly", _("Formerly placed in care")
        UNKNOWN = "unknown", _("Unknown")

    external_id = models.CharField(_("external id"), max_length=64, unique=True, null=True, blank=True)
    name = models.CharField(_("name"), max_length=150)
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    # Stored as ten digits, only where identification needs it; never in a URL or log.
    cpr_number = models.CharField(_("CPR number"), max_length=10, blank=True, validators=[validate_cpr])
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    housing_area = models.CharField(_("housing area"), max_length=100, blank=True)
    placement_history = models.CharField(
        _("placement history"), max_length=10, choices=Placement.choices, default=Placement.UNKNOWN
    )
    # Risk flags (003:L87-91, 001:L1745-1757, 002:L208-214).
    risk_school_absence = models.BooleanField(_("school absence above 20 %"), default=False)
    risk_substance_use = models.BooleanField(_("substance use"), default=False)
    risk_crime = models.BooleanField(_("crime"), default=False)
    risk_mental_health = models.BooleanField(_("mental health"), default=False)
    risk_homelessness = models.BooleanField(_("homelessness"), default=False)
    risk_gang = models.BooleanField(_("gang affiliation"), default=False)
    problem_areas = models.ManyToManyField(ProblemArea, blank=True, verbose_name=_("problem areas"))
    involved_parties = models.TextField(
        _("others involved"),
        blank=True,
        help_text=_("Parents, caseworker, youth guidance, job centre, SSP, police, school."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    RISK_FLAGS = (
        "risk_school_absence",
        "risk_substance_use",
        "risk_crime",
        "risk_mental_health",
        "risk_homelessness",
        "risk_gang",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("young person")
        verbose_name_plural = _("young people")
        constraints = [
            models.UniqueConstraint(fields=["cpr_number"], condition=~Q(cpr_number=""), name="cpr_unique_when_set"),
        ]

    def __str__(self) -> str:
        return self.name

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def active_risk_flags(self) -> list[str]:
        return [str(self._meta.get_field(f).verbose_name) for f in self.RISK_FLAGS if getattr(self, f)]


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

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("primary worker period")
        verbose_name_plural = _("primary worker periods")

    def __str__(self) -> str:
        return f"{self.worker} {self.start_date}–{self.end_date or ''}"


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

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__lte=24 * 60), name="contact_duration_at_most_a_day"),
        ]
        indexes = [models.Index(fields=["enrolment", "occurred_at"])]

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


class AccessLog(models.Model):
    """Who used which young person's data, when, how and why.

    Danish public-sector practice: every read, search (with its term), change
    and export of personal data is logged with time, user, the person
    concerned and the purpose. Rows are only ever added.
    """

    class Action(models.TextChoices):
        READ = "read", _("Read")
        LIST = "list", _("Shown in a list")
        SEARCH = "search", _("Search")
        CREATE = "create", _("Create")
        UPDATE = "update", _("Change")
        EXPORT = "export", _("Export")
        DELETE = "delete", _("Delete")

    class Purpose(models.TextChoices):
        CASE_WORK = "case_work", _("Case work")
        SUPERVISION = "supervision", _("Team supervision")
        DATA_IMPORT = "data_import", _("Data import")
        ACCESS_REQUEST = "access_request", _("Access request")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("user")
    )
    young_person = models.ForeignKey(
        YoungPerson, on_delete=models.PROTECT, null=True, related_name="access_log", verbose_name=_("young person")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    object_type = models.CharField(_("record type"), max_length=40, blank=True)
    object_id = models.BigIntegerField(_("record id"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["young_person", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.purpose}"

"""Outcome measures: education and housing status over time (spec §8)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationStatus(models.TextChoices):
    """The municipal youth-guidance categories (003:L193-271)."""

    ENROLLED = "enrolled", _("In a youth education")
    COMPLETED = "completed", _("Has completed a youth education")
    OTHER_EDUCATION = "other_education", _("Other education")
    UNSKILLED_JOB = "unskilled_job", _("Unskilled job")
    SKILLS_COURSE = "skills_course", _("Skills course")
    ABROAD = "abroad", _("Abroad")
    GUIDANCE_PLACEMENT = "guidance_placement", _("Guidance and upgrading placement")
    PRODUCTION_SCHOOL = "production_school", _("Production school")
    PUBLIC_BENEFITS = "public_benefits", _("Public benefits")
    LEAVE = "leave", _("Leave")
    UNDER_ASSESSMENT = "under_assessment", _("Under assessment")


EDUCATION_PREPARATORY = (
    EducationStatus.OTHER_EDUCATION,
    EducationStatus.UNSKILLED_JOB,
    EducationStatus.SKILLS_COURSE,
    EducationStatus.ABROAD,
    EducationStatus.GUIDANCE_PLACEMENT,
    EducationStatus.PRODUCTION_SCHOOL,
)
EDUCATION_TEMPORARY = (EducationStatus.PUBLIC_BENEFITS, EducationStatus.LEAVE, EducationStatus.UNDER_ASSESSMENT)


class HousingStatus(models.TextChoices):
    OWN_TENANCY = "own_tenancy", _("Own tenancy")
    SUPPORTED_HOUSING = "supported_housing", _("Supported housing")
    WITH_FAMILY = "with_family", _("With family")
    INSTITUTION = "institution", _("Institution")
    SHELTER = "shelter", _("Shelter")
    STREET = "street", _("Street")
    OTHER = "other", _("Other")


HOUSED = (HousingStatus.OWN_TENANCY, HousingStatus.SUPPORTED_HOUSING)
HOMELESS = (HousingStatus.SHELTER, HousingStatus.STREET)


class StatusEvent(models.Model):
    """From `date` on, the young person's status in `domain` is `value`."""

    class Domain(models.TextChoices):
        EDUCATION = "education", _("Education")
        HOUSING = "housing", _("Housing")

    VALUES_BY_DOMAIN: dict[str, type[models.TextChoices]] = {
        Domain.EDUCATION: EducationStatus,
        Domain.HOUSING: HousingStatus,
    }

    external_id = models.CharField(_("external id"), max_length=64, unique=True, null=True, blank=True)
    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="status_events", verbose_name=_("young person")
    )
    domain = models.CharField(_("domain"), max_length=10, choices=Domain.choices)
    date = models.DateField(_("date"))
    value = models.CharField(_("status"), max_length=30)
    recorded_by = models.ForeignKey(
        "cases.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        constraints = [
            # One value per domain and day, so "the latest event on or before d" is never ambiguous.
            models.UniqueConstraint(fields=["young_person", "domain", "date"], name="one_status_per_domain_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()} {self.date}: {self.value_label}"

    @property
    def value_label(self) -> str:
        choices = self.VALUES_BY_DOMAIN.get(self.domain)
        return str(dict(choices.choices).get(self.value, self.value)) if choices else self.value


# --- Indicators: stored results of outcomes.indicators (spec §§4-9) -----------------


class WeeklyContactFact(models.Model):
    """One enrolment in one local ISO week: what its contacts add up to.

    Written by `outcomes.indicators.store` from the contacts dated on or before
    `as_of` (the as-of date of the recompute that wrote the row; the nightly job
    and the recompute after each change use today). Weeks without any logged
    contact have no row.
    """

    # Derived rows, rewritten in bulk: no database-level foreign key to check row by row, and no
    # index of its own (the unique index below starts with the enrolment). Django still cascades.
    enrolment = models.ForeignKey(
        "cases.Enrolment",
        on_delete=models.CASCADE,
        related_name="weekly_facts",
        verbose_name=_("enrolment"),
        db_constraint=False,
        db_index=False,
    )
    week_start = models.DateField(_("week (Monday)"))
    # Qualifying contacts (held, not text) on active days of the enrolment (spec §3).
    contacts = models.PositiveIntegerField(_("qualifying contacts"))
    minutes = models.PositiveIntegerField(_("minutes"))
    last_contact_date = models.DateField(_("latest qualifying contact"), null=True, blank=True)
    # Contacts of any status and channel whose local date is not an active day (spec §9 data quality).
    outside_contacts = models.PositiveIntegerField(_("contacts outside the enrolment"))
    as_of = models.DateField(_("as of"))

    class Meta:
        ordering = ["enrolment", "week_start"]
        verbose_name = _("weekly contact fact")
        verbose_name_plural = _("weekly contact facts")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "week_start"], name="one_fact_per_enrolment_and_week"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.week_start}: {self.contacts}"


class IndicatorSnapshot(models.Model):
    """The indicators of one enrolment as they stood on `as_of` over a window of
    `window_weeks` weeks (spec §§4-8). Pages read these rows; rates are stored
    rounded to four decimals for sorting and filtering, while aggregates are
    recomputed exactly from the whole numbers beside them."""

    enrolment = models.ForeignKey(
        "cases.Enrolment",
        on_delete=models.CASCADE,
        related_name="indicator_snapshots",
        verbose_name=_("enrolment"),
        db_constraint=False,  # derived rows, rewritten in bulk (see WeeklyContactFact)
        db_index=False,
    )
    as_of = models.DateField(_("as of"))
    window_weeks = models.PositiveSmallIntegerField(_("window (weeks)"))
    active = models.BooleanField(_("active"))
    weeks_eligible = models.PositiveSmallIntegerField(_("eligible weeks"))
    weeks_with_contact = models.PositiveSmallIntegerField(_("weeks with contact"))
    qualifying_contacts = models.PositiveIntegerField(_("qualifying contacts in the window"))
    contact_minutes = models.PositiveIntegerField(_("contact minutes in the window"))
    weekly_contact_rate = models.FloatField(_("weekly contact rate"), null=True, blank=True)
    at_least_weekly = models.BooleanField(_("at least weekly"), null=True, blank=True)
    contacts_per_week = models.FloatField(_("contacts per week"), null=True, blank=True)
    expected_contacts = models.DecimalField(_("expected contacts"), max_digits=9, decimal_places=2)
    norm_attainment = models.FloatField(_("norm attainment"), null=True, blank=True)
    last_contact_date = models.DateField(_("latest qualifying contact"), null=True, blank=True)
    days_since_last_contact = models.IntegerField(_("days since last contact"), null=True, blank=True)
    qualifying_contacts_total = models.PositiveIntegerField(_("qualifying contacts in all"))
    duration_days = models.IntegerField(_("duration (days)"))
    retained_91 = models.BooleanField(_("retained 3 months"), null=True, blank=True)
    retained_182 = models.BooleanField(_("retained 6 months"), null=True, blank=True)
    retained_365 = models.BooleanField(_("retained 12 months"), null=True, blank=True)
    early_unplanned_ending = models.BooleanField(_("early unplanned ending"))
    education_retained_182 = models.BooleanField(_("education retained 6 months"), null=True, blank=True)
    education_retained_365 = models.BooleanField(_("education retained 12 months"), null=True, blank=True)
    move_in_date = models.DateField(_("move-in date"), null=True, blank=True)
    housed_at_365 = models.BooleanField(_("housed after 12 months"), null=True, blank=True)
    returned_to_homelessness_365 = models.BooleanField(
        _("returned to homelessness within 12 months"), null=True, blank=True
    )
    contacts_outside_enrolment = models.PositiveIntegerField(_("contacts outside the enrolment"))
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        ordering = ["-as_of", "enrolment"]
        verbose_name = _("indicator snapshot")
        verbose_name_plural = _("indicator snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "as_of", "window_weeks"], name="one_snapshot_per_enrolment_and_date"
            ),
        ]
        indexes = [models.Index(fields=["as_of", "window_weeks"])]

    def __str__(self) -> str:
        return f"{self.enrolment_id} as of {self.as_of} ({self.window_weeks} weeks)"


class JobRun(models.Model):
    """One run of a background job, for administrators to see what ran, how long
    it took and what failed. A task redelivered after its worker died finds its
    row by the Celery task id and runs again (`attempts` goes up)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("job"), max_length=100)
    key = models.CharField(_("arguments"), max_length=200, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("started by")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration = models.DurationField(_("duration"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=200, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        indexes = [models.Index(fields=["name", "created_at"]), models.Index(fields=["status", "created_at"])]
        constraints = [
            # A redelivered nightly job finds its shards again instead of creating a second set.
            models.UniqueConstraint(
                fields=["parent", "key"], condition=models.Q(parent__isnull=False), name="one_run_per_shard"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.key} ({self.get_status_display()})"


# --- Outcome instruments (outcomes/instruments/models.py) ------------------------------

from outcomes.instruments.models import (  # noqa: E402, F401  (defined in their own module, registered here)
    Answer,
    AnswerOption,
    AnswerScale,
    Assessment,
    Band,
    Instrument,
    InstrumentVersion,
    Item,
    Scale,
)

# --- Quarterly reports (outcomes/reports/) -----------------------------------------------


class ReportRun(models.Model):
    """One quarterly report for analysts: requested once, rendered once, kept.

    The same report (quarter, scope, language, definitions) is one row: asking
    again gives this row back instead of queueing a second job. The PDF is
    stored in the row itself, written in the same transaction that marks the
    run done, so a worker that dies mid-render leaves no half-written file and
    a finished run always has its file (docs/REPORTS.md)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Rendering")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    quarter = models.CharField(_("quarter"), max_length=6)  # "2026Q2"
    team = models.ForeignKey(
        "cases.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team")
    )
    scope = models.CharField(_("scope"), max_length=40)  # "municipality" or "team:<pk>": the unique key
    language = models.CharField(_("language"), max_length=5, default="da")
    definitions_version = models.CharField(_("definitions version"), max_length=20)
    requested_by = models.ForeignKey(
        "cases.User",  # settings.AUTH_USER_MODEL
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    pages = models.PositiveSmallIntegerField(_("pages"), null=True, blank=True)
    size_bytes = models.PositiveIntegerField(_("size (bytes)"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    duration = models.DurationField(_("duration"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        constraints = [
            models.UniqueConstraint(
                fields=["quarter", "scope", "language", "definitions_version"], name="one_run_per_report"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quarter} {self.scope} {self.language} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def filename(self) -> str:
        scope = "kommune" if self.team_id is None else f"team-{self.team_id}"
        return f"kvartalsrapport-{self.quarter}-{scope}-{self.language}.pdf"

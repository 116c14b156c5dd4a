"""Volunteer mentors and mentor families, their screening, matches and group sessions.

The method in the seeds' words: mentors are recruited and screened (first
contact, interview, criminal-record and child-protection certificates, a home
visit; 001:L3824-3834, 002:L9091-9097), trained, approved, then matched to a
young person at a match meeting; the young person may say no
(001:L2293-2299). Matching weighs gender, age, needs and interests,
personality, culture and geography (002:L9392). Mentors get group supervision
and network meetings (001:L2300-2308, 002:L9110-9120). Every match has a start
and an end, and failed matches are recorded (002:L9474-9482).

A match is a `mentoring` enrolment with the mentor attached: one `Match` per
enrolment. A new match after a failed or declined one is a new enrolment, so
the enrolment's dates are the match's dates in every indicator.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.history import CaseHistory

# A certificate expiring within this many days shows a warning in lists.
CERTIFICATE_WARNING_DAYS = 60
# Group supervision every two to three months (001:L2300-2308, 002:L9117-9120).
SUPERVISION_DUE_DAYS = 92


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


def interest_words(text: str) -> set[str]:
    """Interests typed as a comma-separated list, compared without case."""
    return {word.strip().casefold() for word in text.split(",") if word.strip()}


class Mentor(models.Model):
    """A volunteer mentor, or a mentor family (Mentorbarn: 001:L3816-3834)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Volunteer mentor")
        FAMILY = "family", _("Mentor family")

    class Status(models.TextChoices):
        SCREENING = "screening", _("In screening")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        RETIRED = "retired", _("Retired")
        NOT_APPROVED = "not_approved", _("Not approved")

    team = models.ForeignKey(
        "cases.Team",
        on_delete=models.PROTECT,
        related_name="mentors",
        verbose_name=_("coordinating team"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=150, help_text=_("For a family: e.g. the Jensen family."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor_profile",
        verbose_name=_("user account"),
        help_text=_("Only for mentors who log their own meetings."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    area = models.CharField(_("area"), max_length=100, blank=True, help_text=_("Town or housing area."))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, default=Gender.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"), null=True, blank=True, validators=[MinValueValidator(1920), MaxValueValidator(2100)]
    )
    interests = models.CharField(
        _("interests"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. football, cooking, music.")
    )
    about = models.TextField(
        _("about"), blank=True, help_text=_("Personality, background, languages; for a family, who is in it.")
    )
    capacity = models.PositiveSmallIntegerField(
        _("young people at a time"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.SCREENING)
    status_since = models.DateField(_("status since"), default=timezone.localdate)
    status_reason = models.CharField(_("reason for the status"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="mentor_capacity_at_least_one"),
        ]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.user is not None and self.user.role != "mentor":
            raise ValidationError({"user": _("The account must have the role “Volunteer mentor”.")})

    def age_on(self, day: dt.date) -> int | None:
        return None if self.birth_year is None else day.year - self.birth_year

    @property
    def interest_set(self) -> set[str]:
        return interest_words(self.interests)


class ScreeningStep(models.Model):
    """One step of a mentor's screening, with its date. Certificates also have an
    expiry and may be recorded again when renewed; the newest one counts."""

    class Step(models.TextChoices):
        FIRST_CONTACT = "first_contact", _("First contact")
        INTERVIEW = "interview", _("Interview")
        CRIMINAL_RECORD = "criminal_record", _("Criminal-record certificate")  # straffeattest
        CHILD_PROTECTION = "child_protection", _("Child-protection certificate")  # børneattest
        HOME_VISIT = "home_visit", _("Home visit")
        TRAINING = "training", _("Training")
        APPROVAL = "approval", _("Approval")

    CERTIFICATES = (Step.CRIMINAL_RECORD, Step.CHILD_PROTECTION)

    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="screening_steps")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    date = models.DateField(_("date"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("recorded by")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("screening step")
        verbose_name_plural = _("screening steps")
        constraints = [
            models.CheckConstraint(
                condition=(Q(step__in=["criminal_record", "child_protection"]) & Q(expires_on__isnull=False))
                | (~Q(step__in=["criminal_record", "child_protection"]) & Q(expires_on__isnull=True)),
                name="screening_expiry_iff_certificate",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("date")),
                name="screening_certificate_expires_after_issue",
            ),
            models.UniqueConstraint(
                fields=["mentor", "step"],
                condition=~Q(step__in=["criminal_record", "child_protection"]),
                name="screening_step_once_unless_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()} {self.date}"


class MenteeProfile(models.Model):
    """What the coordinator knows of the young person for matching: interests
    and wishes (needs and problem areas are on the young person)."""

    young_person = models.OneToOneField(
        "cases.YoungPerson", on_delete=models.CASCADE, related_name="mentee_profile", verbose_name=_("young person")
    )
    interests = models.CharField(
        _("interests"), max_length=300, blank=True, help_text=_("Comma-separated, e.g. football, cooking, music.")
    )
    preferred_mentor_gender = models.CharField(
        _("preferred mentor gender"),
        max_length=10,
        choices=[("", _("No preference")), (Gender.FEMALE, _("Female")), (Gender.MALE, _("Male"))],
        blank=True,
    )
    wishes = models.TextField(
        _("needs and wishes"), blank=True, help_text=_("Needs, personality, culture, what a mentor could help with.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = CaseHistory(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("mentee profile")
        verbose_name_plural = _("mentee profiles")

    def __str__(self) -> str:
        return str(self.young_person)

    @property
    def interest_set(self) -> set[str]:
        return interest_words(self.interests)


class Match(models.Model):
    """A young person and a mentor: the match meeting, the young person's answer,
    the start, and the end with its outcome (a failed match has a reason)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Awaiting the young person's answer")
        DECLINED = "declined", _("Declined by the young person")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("Completed as planned")
        PHASED_OUT = "phased_out", _("Phased out naturally")
        FAILED = "failed", _("Failed")

    class FailureReason(models.TextChoices):
        CHEMISTRY = "chemistry", _("The chemistry was not right")
        YOUNG_PERSON_WITHDREW = "young_person_withdrew", _("The young person withdrew")
        MENTOR_WITHDREW = "mentor_withdrew", _("The mentor withdrew")
        NEEDS_TOO_GREAT = "needs_too_great", _("The young person's needs were too great for a volunteer")
        PRACTICAL = "practical", _("Practical reasons (time, distance)")
        MOVED_AWAY = "moved_away", _("The young person moved away")
        OTHER = "other", _("Other reason")

    enrolment = models.OneToOneField(
        "cases.Enrolment", on_delete=models.PROTECT, related_name="mentor_match", verbose_name=_("enrolment")
    )
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="matches", verbose_name=_("mentor"))
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("coordinator")
    )
    meeting_date = models.DateField(_("match meeting"))
    meeting_participants = models.TextField(
        _("participants in the match meeting"),
        help_text=_("One per line with their role, e.g. the caseworker, the primary pedagogue, the coordinator."),
    )
    criteria_note = models.TextField(
        _("why this mentor"),
        blank=True,
        help_text=_("Gender, age, needs and interests, personality, culture, geography."),
    )
    declined = models.BooleanField(_("declined by the young person"), default=False)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    decline_reason = models.CharField(_("why the young person declined"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True, help_text=_("The first meeting."))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    failure_reason = models.CharField(_("why it failed"), max_length=25, choices=FailureReason.choices, blank=True)
    end_note = models.CharField(_("note on the ending"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = CaseHistory()

    class Meta:
        ordering = ["-meeting_date", "-id"]
        verbose_name = _("mentor match")
        verbose_name_plural = _("mentor matches")
        constraints = [
            models.CheckConstraint(
                condition=Q(declined=False) | (Q(start_date__isnull=True) & Q(answered_on__isnull=False)),
                name="match_declined_never_starts",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(start_date__gte=models.F("meeting_date")),
                name="match_starts_after_meeting",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | (Q(start_date__isnull=False) & Q(end_date__gte=models.F("start_date"))),
                name="match_ends_after_start",
            ),
            models.CheckConstraint(
                condition=(Q(end_date__isnull=True) & Q(outcome="")) | (Q(end_date__isnull=False) & ~Q(outcome="")),
                name="match_outcome_iff_ended",
            ),
            models.CheckConstraint(
                condition=(Q(outcome="failed") & ~Q(failure_reason="")) | (~Q(outcome="failed") & Q(failure_reason="")),
                name="match_failure_reason_iff_failed",
            ),
        ]
        indexes = [models.Index(fields=["mentor", "end_date"])]

    def __str__(self) -> str:
        return f"{self.mentor} – {self.meeting_date}"

    @property
    def status(self) -> str:
        if self.declined:
            return self.Status.DECLINED
        if self.end_date is not None:
            return self.Status.ENDED
        if self.start_date is None:
            return self.Status.PROPOSED
        return self.Status.ACTIVE

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_current(self) -> bool:
        """Proposed or running: the mentor holds a place for this young person."""
        return not self.declined and self.end_date is None


class MentorContact(models.Model):
    """Marks a contact as a meeting between the mentor and the young person,
    whether the mentor logged it herself or the coordinator logged it for her."""

    contact = models.OneToOneField("cases.Contact", on_delete=models.CASCADE, related_name="mentor_contact")
    match = models.ForeignKey(Match, on_delete=models.PROTECT, related_name="mentor_contacts")

    class Meta:
        verbose_name = _("mentor meeting")
        verbose_name_plural = _("mentor meetings")

    def __str__(self) -> str:
        return f"{self.match.mentor}: {self.contact}"


class MentorSession(models.Model):
    """A scheduled group session for the team's mentors: supervision (with a
    psychologist or the SSP consultant) or a network meeting among themselves."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("Group supervision")
        NETWORK = "network_meeting", _("Network meeting")

    team = models.ForeignKey("cases.Team", on_delete=models.PROTECT, related_name="mentor_sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts_at = models.DateTimeField(_("time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=120, validators=[MinValueValidator(15), MaxValueValidator(8 * 60)]
    )
    place = models.CharField(_("place"), max_length=150, blank=True)
    led_by = models.CharField(_("led by"), max_length=150, blank=True)
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("mentor group session")
        verbose_name_plural = _("mentor group sessions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def is_past(self) -> bool:
        return self.starts_at <= timezone.now()


class MentorSessionAttendance(models.Model):
    """A mentor invited to a session; `attended` is unknown until recorded."""

    session = models.ForeignKey(MentorSession, on_delete=models.CASCADE, related_name="attendances")
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="session_attendances")
    attended = models.BooleanField(_("attended"), null=True)

    class Meta:
        ordering = ["mentor__name"]
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendances")
        constraints = [
            models.UniqueConstraint(fields=["session", "mentor"], name="session_attendance_once_per_mentor"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} @ {self.session}"

"""Teams, the users who sign in, and the young people."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.cpr import validate_cpr
from cases.history import CaseHistory


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

    history = CaseHistory(excluded_fields=["password", "last_login"])

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

    history = CaseHistory(m2m_fields=[problem_areas])

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

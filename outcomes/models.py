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

"""Outcome instruments: questionnaires and screenings, configured as data.

An Instrument has numbered versions. A version holds its items, the answer
scales the items use, its scoring scales (a total or a subscale over any set
of items, with a method and a multiplier) and each scale's bands. Once a
version is published it is never changed: a correction is a new version, so
an assessment is always scored by the rules it was answered under.

Re-exported from outcomes.models, where Django looks for the app's models.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Instrument(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    licence = models.TextField(
        _("licence"), blank=True, help_text=_("Who holds the rights, and on what terms this municipality uses it.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> InstrumentVersion | None:
        return self.versions.filter(status=InstrumentVersion.Status.PUBLISHED).order_by("-number").first()


class InstrumentVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="versions", verbose_name=_("instrument")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField(_("published"), null=True, blank=True)
    instructions = models.TextField(_("instructions"), blank=True)

    class Meta:
        ordering = ["instrument", "number"]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="one_instrument_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class AnswerScale(models.Model):
    """The answers an item offers, e.g. WHO-5's six steps from "all of the time" (5) to "at no time" (0)."""

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="answer_scales", verbose_name=_("version")
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        ordering = ["version", "code"]
        verbose_name = _("answer scale")
        verbose_name_plural = _("answer scales")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_answer_scale_code_per_version")]

    def __str__(self) -> str:
        return self.name


class AnswerOption(models.Model):
    answer_scale = models.ForeignKey(
        AnswerScale, on_delete=models.CASCADE, related_name="options", verbose_name=_("answer scale")
    )
    value = models.SmallIntegerField(_("value"), help_text=_("What is stored when this answer is chosen."))
    label = models.CharField(_("label"), max_length=150)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["answer_scale", "order", "value"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [models.UniqueConstraint(fields=["answer_scale", "value"], name="one_option_per_value")]

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"


class Item(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    text = models.TextField(_("text"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    answer_scale = models.ForeignKey(AnswerScale, on_delete=models.PROTECT, related_name="items")
    # {"answer value": item score}, e.g. {"0": 2, "1": 1, "2": 0} for a reverse-scored item; empty: the value itself.
    recode = models.JSONField(_("recoding"), default=dict, blank=True)

    class Meta:
        ordering = ["version", "order", "code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_item_code_per_version")]

    def __str__(self) -> str:
        return self.code


class Scale(models.Model):
    """A score computed from some of the version's items: the total, or a subscale."""

    class Method(models.TextChoices):
        SUM = "sum", _("Sum")
        MEAN = "mean", _("Mean")
        # Mean times the number of items: a sum that tolerates a few missing answers (e.g. SDQ subscales).
        PRORATED_SUM = "prorated_sum", _("Prorated sum")

    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="scales")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150)
    items = models.ManyToManyField(Item, related_name="scales", verbose_name=_("items"))
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.SUM)
    multiplier = models.DecimalField(_("multiplier"), max_digits=6, decimal_places=2, default=1)
    min_answered = models.PositiveSmallIntegerField(
        _("answers needed"), help_text=_("With fewer answered items the scale has no score.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    # The minimal relevant change of the instrument's literature, in this scale's points (WHO-5:
    # 10 on the 0-100 score). Not a scoring rule: no score or band depends on it, only how the
    # reports read a change between two assessments.
    minimal_change = models.DecimalField(
        _("minimal relevant change"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "The smallest change of the score that reports count as improved or worsened; a smaller change "
            "counts as unchanged. Empty: any change counts."
        ),
    )

    class Meta:
        ordering = ["version", "order", "code"]
        verbose_name = _("scale")
        verbose_name_plural = _("scales")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_scale_code_per_version"),
            models.CheckConstraint(
                condition=Q(minimal_change__isnull=True) | Q(minimal_change__gte=0),
                name="minimal_change_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Band(models.Model):
    """A named range of a scale's score, both ends inclusive; an empty end is open."""

    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="bands", verbose_name=_("scale"))
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=150)
    min_score = models.DecimalField(_("from"), max_digits=8, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("to"), max_digits=8, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["scale", "order"]
        verbose_name = _("band")
        verbose_name_plural = _("bands")
        constraints = [
            models.UniqueConstraint(fields=["scale", "code"], name="one_band_code_per_scale"),
            models.CheckConstraint(
                condition=Q(min_score__isnull=True)
                | Q(max_score__isnull=True)
                | Q(min_score__lte=models.F("max_score")),
                name="band_from_before_to",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Assessment(models.Model):
    """One completed instrument: who answered, about whom, when, under which version."""

    class Respondent(models.TextChoices):
        YOUNG_PERSON = "young_person", _("The young person")
        PARENT = "parent", _("A parent")
        WORKER = "worker", _("The worker")
        OTHER = "other", _("Someone else")

    young_person = models.ForeignKey(
        "cases.YoungPerson", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("young person")
    )
    enrolment = models.ForeignKey(
        "cases.Enrolment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("enrolment"),
    )
    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("instrument")
    )
    respondent = models.CharField(_("answered by"), max_length=20, choices=Respondent.choices)
    answered_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    external_id = models.CharField(_("external id"), max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-answered_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["young_person", "answered_on"])]

    def __str__(self) -> str:
        return f"{self.version} {self.answered_on}"


class Answer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(_("value"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item}: {self.value}"

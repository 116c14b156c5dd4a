"""The action plan made with the young person (the collaboration model of
003:L1315-1448): one coordinator, goals and sub-goals set by or with the young
person, binding agreements on what the young person, the parents and the
municipality each do, and meetings every 6-12 weeks with the family present."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.history import CaseHistory
from cases.models.people import YoungPerson


class ActionPlan(models.Model):
    young_person = models.OneToOneField(
        YoungPerson, on_delete=models.PROTECT, related_name="action_plan", verbose_name=_("young person")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("plan coordinator")
    )
    created_on = models.DateField(_("made on"))
    meeting_interval_weeks = models.PositiveSmallIntegerField(
        _("weeks between meetings"), default=8, validators=[MinValueValidator(6), MaxValueValidator(12)]
    )
    made_with_young_person = models.BooleanField(_("made with the young person"), default=True)

    history = CaseHistory()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")

    def __str__(self) -> str:
        return f"{self.young_person}"

    def next_meeting_due(self, last_meeting: dt.date | None) -> dt.date:
        return (last_meeting or self.created_on) + dt.timedelta(weeks=self.meeting_interval_weeks)


class Goal(models.Model):
    class SetBy(models.TextChoices):
        YOUNG_PERSON = "young_person", _("By the young person")
        TOGETHER = "together", _("Together with the young person")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="goals")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sub_goals", verbose_name=_("sub-goal of")
    )
    text = models.CharField(_("goal"), max_length=300)
    set_by = models.CharField(_("set"), max_length=20, choices=SetBy.choices, default=SetBy.TOGETHER)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)

    history = CaseHistory()

    class Meta:
        ordering = ["id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.text


class Agreement(models.Model):
    """Who does what by when: binding, and followed up."""

    class Owner(models.TextChoices):
        YOUNG_PERSON = "young_person", _("The young person")
        PARENTS = "parents", _("The parents")
        MUNICIPALITY = "municipality", _("The municipality")

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="agreements")
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements", verbose_name=_("goal")
    )
    text = models.CharField(_("agreement"), max_length=300)
    owner = models.CharField(_("who"), max_length=20, choices=Owner.choices)
    due_date = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = CaseHistory()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.text

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.done_on is None and self.due_date < day


class PlanMeeting(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField(_("date"))
    young_person_present = models.BooleanField(_("the young person took part"), default=True)
    parents_present = models.BooleanField(_("parents took part"), default=False)
    workers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("staff"))
    others_present = models.CharField(_("others present"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    history = CaseHistory()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("plan meeting")
        verbose_name_plural = _("plan meetings")

    def __str__(self) -> str:
        return f"{self.plan} {self.date}"

"""The access log: who used whose data, when, how and why."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.people import YoungPerson


class AccessLog(models.Model):
    """Who used which young person's data, when, how and why.

    Danish public-sector practice: every read, search (with its term), change
    and export of personal data is logged with time, user, the person
    concerned and the purpose. Rows are only ever added: the application
    refuses to change or delete one row (save() of a stored row, delete()),
    PostgreSQL refuses any UPDATE (a trigger, migration 0007), and the admin
    is read-only. Only the retention job removes rows, with a queryset delete
    of those older than ACCESS_LOG_RETENTION_DAYS.
    """

    class Immutable(Exception):
        """An attempt to change or delete an access-log row."""

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
        STATISTICS = "statistics", _("Statistics")
        # The system deleting a young person's records when their retention period has run out.
        RETENTION = "retention", _("Deletion after the retention period")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("user")
    )
    # No database constraint and no cascade: when the case retention deletes a
    # young person, her access-log rows stay until the log's own retention ends.
    young_person = models.ForeignKey(
        YoungPerson,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="access_log",
        verbose_name=_("young person"),
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

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise self.Immutable("Access-log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise self.Immutable("Access-log rows are removed only by the retention job.")

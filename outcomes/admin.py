"""Administrators see the background jobs here: what ran, when, how long, and what failed.

Job runs are written by the tasks only, so the admin shows them read-only.
Indicator snapshots and facts are case data and stay out of the admin, like
the enrolments they belong to (cases/admin.py).
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from outcomes.models import JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "status", "attempts", "created_at", "started_at", "finished_at", "duration"]
    list_filter = ["status", "name"]
    search_fields = ["name", "key", "task_id"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in JobRun._meta.fields]
    list_select_related = ["parent"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: JobRun | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: JobRun | None = None) -> bool:
        return False

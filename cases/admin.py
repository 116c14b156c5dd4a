"""The admin is for administrators configuring teams, users and reference data.

Case records (young people, enrolments, contacts) are deliberately not
registered: they are worked on in the application, where every read is
scoped and logged.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cases.models import AccessLog, ProblemArea, Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    search_fields = ["username", "name", "email"]
    ordering = ["name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("name", "email", "external_id")}),
        (_("Access"), {"fields": ("role", "team", "is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "role", "team", "password1", "password2")}),
    )


@admin.register(ProblemArea)
class ProblemAreaAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Read-only: the access log can be inspected, never edited."""

    list_display = ["at", "user", "young_person_id", "action", "purpose", "object_type", "object_id"]
    list_filter = ["action", "purpose"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    fields = ["at", "user", "young_person_id", "action", "purpose", "object_type", "object_id", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

"""The admin is for administrators configuring teams, users and reference data.

Case records (young people, enrolments, contacts) are deliberately not
registered: they are worked on in the application, where every read is
scoped and logged. The access log is read-only here for everyone. A user's
history (who changed her role or team, and when) is on her page.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.models import AccessLog, ProblemArea, Team, User


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id"]
    search_fields = ["name"]


# The fields that decide what a user may see (cases.selectors). Only a superuser
# may change them; a staff user who may edit users must not raise herself.
ACCESS_FIELDS = ("role", "team", "is_staff", "is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
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
    history_list_display = ["role", "team", "is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if request.user.is_superuser or obj is None:  # adding needs a role and team (a database constraint)
            return readonly
        return readonly + tuple(f for f in ACCESS_FIELDS if f not in readonly)

    def get_urls(self) -> list:
        # simple-history's version page with named parameters (its own pattern has
        # unnamed groups, which the project's admin access test cannot tell apart).
        urls = [u for u in super().get_urls() if getattr(u, "name", "") != "cases_user_simple_history"]
        version = path(
            "<path:object_id>/history/<str:version_id>/",
            self.admin_site.admin_view(self.history_form_view),
            name="cases_user_simple_history",
        )
        return [version, *urls]

    # Reverting to an old version saves the whole old row, access fields included.
    def revert_disabled(self, request: HttpRequest, obj: User | None = None) -> bool:
        return not request.user.is_superuser or super().revert_disabled(request, obj)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        if request.method == "POST" and not request.user.is_superuser:
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


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
    show_full_result_count = False  # no COUNT(*) over the whole log on every filter
    fields = ["at", "user", "young_person_id", "action", "purpose", "object_type", "object_id", "detail"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

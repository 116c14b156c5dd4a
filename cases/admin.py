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
# may set or change them, on a new user too; a staff user who may add or edit
# users must not raise herself or an account she makes.
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
        if request.user.is_superuser:
            return readonly
        return readonly + tuple(f for f in ACCESS_FIELDS if f not in readonly)

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> tuple:
        if obj is not None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        # Adding, not a superuser: no role or team to pick. The account is made without access
        # (save_model); a superuser gives it its role and team.
        (name, options), *rest = self.add_fieldsets
        fields = tuple(f for f in options["fields"] if f not in ACCESS_FIELDS)
        description = _(
            "The new account gets the role “Volunteer mentor” and no team, and so sees no young person, "
            "until a superuser gives it its role and team."
        )
        return ((name, {**options, "fields": fields, "description": description}), *rest)

    def save_model(self, request: HttpRequest, obj: User, form, change: bool) -> None:
        if not change and not request.user.is_superuser:
            # A role that needs no team (cases_roles_belong_to_a_team) and opens no record: a mentor
            # account sees only the matches of the mentor it is linked to, and only a superuser links one.
            obj.role, obj.team = User.Role.MENTOR, None
            obj.is_staff = obj.is_superuser = False
        super().save_model(request, obj, form, change)

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

    # Setting another account's password is signing in as it: a superuser's, or a worker's with
    # her caseload. A staff user who may change users sets only her own (as on the password page).
    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        if not request.user.is_superuser and str(request.user.pk) != str(id):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

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

from __future__ import annotations

from django.contrib import admin

from interventions.models import ContactNorm, InterventionType


class ContactNormInline(admin.TabularInline):
    model = ContactNorm
    extra = 0


@admin.register(InterventionType)
class InterventionTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "no_contact_alert_days"]
    inlines = [ContactNormInline]


# --- Mentoring -------------------------------------------------------------------------------
# Mentors are worked on in the application; the admin is where an administrator
# links a mentor to the user account (role "Volunteer mentor") she logs her own
# meetings with. Matches, activities and flags are case records and stay out. Only a
# superuser may link the account: the link decides access to the mentee's records.

from interventions.models import Mentor, ScreeningStep  # noqa: E402


class ScreeningStepInline(admin.TabularInline):
    model = ScreeningStep
    extra = 0
    fields = ["step", "date", "expires_on", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "team", "status", "user"]
    list_filter = ["status", "kind", "team"]
    search_fields = ["name"]
    fields = ["name", "kind", "team", "status", "status_since", "user"]
    readonly_fields = ["name", "kind", "team", "status", "status_since"]
    raw_id_fields = ["user"]
    inlines = [ScreeningStepInline]

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly.append("user")  # the account decides which young people the mentor sees
        return readonly

    def has_add_permission(self, request) -> bool:
        return False  # mentors are registered by their coordinator, with their first contact

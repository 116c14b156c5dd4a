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

"""Administrators configure outcome instruments and watch the background jobs here.

Job runs are written by the tasks only, so the admin shows them read-only.
Instrument versions are edited while they are drafts; a published version is
read-only (a correction is a copy, published as the next version).
Assessments, indicator snapshots and facts are case data and stay out of the
admin, like the enrolments they belong to (cases/admin.py).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from outcomes.instruments.services import instrument_version_copy, instrument_version_publish
from outcomes.models import AnswerOption, AnswerScale, Band, Instrument, InstrumentVersion, Item, JobRun, Scale


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


# --- Instruments -------------------------------------------------------------------------


class DraftOnly:
    """Rows of a published or retired version are shown, not changed."""

    def _version_of(self, obj: object) -> InstrumentVersion | None:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        version = self._version_of(obj) if obj is not None else None
        return super().has_change_permission(request, obj) and (version is None or version.is_editable)

    def has_delete_permission(self, request: HttpRequest, obj: object | None = None) -> bool:
        version = self._version_of(obj) if obj is not None else None
        return super().has_delete_permission(request, obj) and (version is None or version.is_editable)


class DraftOnlyInline(DraftOnly):
    def has_add_permission(self, request: HttpRequest, obj: object | None) -> bool:
        version = self._version_of(obj) if obj is not None else None
        return super().has_add_permission(request, obj) and (version is None or version.is_editable)


class VersionChildInline(DraftOnlyInline, admin.TabularInline):
    extra = 0

    def _version_of(self, obj: object) -> InstrumentVersion | None:
        return obj if isinstance(obj, InstrumentVersion) else None


class ItemInline(VersionChildInline):
    model = Item
    fields = ["order", "code", "text", "answer_scale", "recode"]


class ScaleInline(VersionChildInline):
    model = Scale
    fields = ["order", "code", "name", "method", "multiplier", "min_answered", "higher_is_better", "minimal_change"]
    show_change_link = True


class AnswerScaleInline(VersionChildInline):
    model = AnswerScale
    fields = ["code", "name"]
    show_change_link = True


class VersionInline(admin.TabularInline):
    model = InstrumentVersion
    fields = ["number", "status", "published_on"]
    readonly_fields = ["status", "published_on"]
    extra = 0
    show_change_link = True


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [VersionInline]


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(DraftOnly, admin.ModelAdmin):
    list_display = ["instrument", "number", "status", "published_on"]
    list_filter = ["status", "instrument"]
    readonly_fields = ["status", "published_on"]
    inlines = [AnswerScaleInline, ItemInline, ScaleInline]
    actions = ["publish", "copy_as_draft"]

    def _version_of(self, obj: object) -> InstrumentVersion | None:
        return obj

    @admin.action(description=_("Publish the selected drafts"))
    def publish(self, request: HttpRequest, queryset: QuerySet[InstrumentVersion]) -> None:
        for version in queryset:
            try:
                instrument_version_publish(version=version, on=timezone.localdate())
            except ValidationError as error:
                self.message_user(request, f"{version}: {'; '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(version)s is published.") % {"version": version})

    @admin.action(description=_("Copy as a new draft version"))
    def copy_as_draft(self, request: HttpRequest, queryset: QuerySet[InstrumentVersion]) -> None:
        for version in queryset:
            draft = instrument_version_copy(version=version)
            self.message_user(request, _("%(version)s created.") % {"version": draft})


class OptionInline(DraftOnlyInline, admin.TabularInline):
    model = AnswerOption
    fields = ["order", "value", "label"]
    extra = 0

    def _version_of(self, obj: object) -> InstrumentVersion | None:
        return obj.version if isinstance(obj, AnswerScale) else None


@admin.register(AnswerScale)
class AnswerScaleAdmin(DraftOnly, admin.ModelAdmin):
    list_display = ["name", "code", "version"]
    inlines = [OptionInline]

    def _version_of(self, obj: object) -> InstrumentVersion | None:
        return obj.version

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False  # reached from its version


class BandInline(DraftOnlyInline, admin.TabularInline):
    model = Band
    fields = ["order", "code", "label", "min_score", "max_score"]
    extra = 0

    def _version_of(self, obj: object) -> InstrumentVersion | None:
        return obj.version if isinstance(obj, Scale) else None


@admin.register(Scale)
class ScaleAdmin(DraftOnly, admin.ModelAdmin):
    list_display = ["name", "code", "version", "method", "multiplier", "minimal_change"]
    filter_horizontal = ["items"]
    inlines = [BandInline]

    def _version_of(self, obj: object) -> InstrumentVersion | None:
        return obj.version

    def has_module_permission(self, request: HttpRequest) -> bool:
        return False  # reached from its version

"""Admin for plans: versioned plan content is read-only (it comes from checked plan files).

Staff may look at everything and switch which version of a plan is current; a new or changed
plan is loaded with ``ecplan plan load FILE``, never edited here, so that the data always
matches a file that passed every check against the plan text.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, Model
from django.forms import ModelChoiceField
from django.http import HttpRequest

from ecplan.plans.models import (
    Milestone,
    Plan,
    PlanSetting,
    PlanVersion,
    Responsibility,
    Rule,
    Section,
    TableRow,
    Target,
    Task,
)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """View-only: no adding, changing or deleting of content loaded from plan files."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["code", "title", "region", "current_version"]
    fields = ["code", "title", "region", "current_version"]
    readonly_fields = ["code", "title", "region"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "current_version":
            # Only this plan's own versions may become current.
            match = request.resolver_match
            plan_id = str(match.kwargs.get("object_id", "")) if match else ""
            kwargs["queryset"] = (
                PlanVersion.objects.filter(plan_id=plan_id)
                if plan_id.isdigit()
                else PlanVersion.objects.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TargetInline(admin.TabularInline[Target, PlanVersion]):
    model = Target
    fields = ["key", "name", "requirement", "deadline", "state"]
    readonly_fields = ["key", "name", "requirement", "deadline", "state"]
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdmin):
    list_display = ["plan", "label", "status", "date", "loaded_at", "loaded_by", "short_hash"]
    list_filter = ["plan", "status"]
    exclude = ["raw_file", "plan_text", "data"]
    inlines = [TargetInline]

    @admin.display(description="内容哈希")
    def short_hash(self, obj: PlanVersion) -> str:
        return obj.content_hash[:12]


@admin.register(Section)
class SectionAdmin(ReadOnlyAdmin):
    list_display = ["heading", "kind", "version"]
    list_filter = ["version", "kind"]
    search_fields = ["heading", "text"]


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "section", "version"]
    list_filter = ["version"]
    search_fields = ["title", "text"]


@admin.register(TableRow)
class TableRowAdmin(ReadOnlyAdmin):
    list_display = ["number", "text", "version"]
    list_filter = ["version"]


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["key", "name", "requirement", "deadline", "state", "version"]
    list_filter = ["version", "state", "kind", "approximate", "aspirational"]
    search_fields = ["key", "name", "indicator", "source_quote"]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["key", "title", "kind", "deadline", "state", "version"]
    list_filter = ["version", "kind", "state"]
    search_fields = ["title", "subject", "source_quote"]


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ["key", "title", "scope", "version"]
    list_filter = ["version", "scope"]
    search_fields = ["title", "applies_to", "source_quote"]


@admin.register(PlanSetting)
class PlanSettingAdmin(ReadOnlyAdmin):
    list_display = ["key", "label", "value", "from_text", "confirmed", "version"]
    list_filter = ["version", "confirmed"]


@admin.register(Responsibility)
class ResponsibilityAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "role", "source", "place", "version"]
    list_filter = ["version", "role", "source", "organisation"]

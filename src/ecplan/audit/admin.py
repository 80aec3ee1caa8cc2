from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ecplan.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: no add, change or delete, and no bulk actions."""

    list_display = [
        "occurred_at",
        "actor_username",
        "action",
        "object_type_label",
        "object_repr",
        "ip_address",
    ]
    list_filter = ["action", "channel"]
    search_fields = ["actor_username", "object_repr", "detail", "ip_address"]
    date_hierarchy = "occurred_at"
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

"""Turning stored events into text for pages and exports."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone

from ecplan.audit.models import AuditEvent

EXPORT_HEADERS = [
    "编号",
    "时间",
    "操作人用户名",
    "操作人姓名",
    "操作人当时的角色",
    "操作",
    "对象类型",
    "对象编号",
    "对象",
    "字段变更",
    "说明",
    "IP 地址",
    "浏览器标识",
    "途径",
    "请求",
]


def field_label(object_type: str, field_name: str) -> str:
    """The field's Chinese name if the model still exists, else the stored name."""
    try:
        model = apps.get_model(object_type)
        return str(model._meta.get_field(field_name).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field_name


def value_text(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, dict) and set(value) == {"id", "repr"}:
        return f"{value['repr']}（#{value['id']}）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | dict):
        import json

        return json.dumps(value, ensure_ascii=False)
    return str(value)


def change_rows(event: AuditEvent) -> list[tuple[str, str, str, str]]:
    """(field, label, old, new) for each changed field."""
    rows = []
    for name, change in (event.changes or {}).items():
        if isinstance(change, dict) and ("old" in change or "new" in change):
            old, new = change.get("old"), change.get("new")
        else:
            old, new = None, change
        rows.append((name, field_label(event.object_type, name), value_text(old), value_text(new)))
    return rows


def changes_text(event: AuditEvent) -> str:
    return "；".join(f"{label}：{old} → {new}" for _, label, old, new in change_rows(event))


def local_time(event: AuditEvent) -> str:
    return timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S")


def export_row(event: AuditEvent) -> list[str]:
    return [
        str(event.pk),
        local_time(event),
        event.actor_username,
        event.actor_name,
        event.actor_roles,
        event.action_label,
        event.object_type_label or event.object_type,
        event.object_id,
        event.object_repr,
        changes_text(event),
        event.detail,
        event.ip_address or "",
        event.user_agent,
        event.get_channel_display(),
        f"{event.request_method} {event.request_path}".strip(),
    ]

"""Changes made through Django's admin (system administrators only) go to the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from ecplan.audit.services import record

_ACTIONS = {ADDITION: "create", CHANGE: "update", DELETION: "delete"}


@receiver(post_save, sender=LogEntry, dispatch_uid="ecplan_audit_admin_logentry")
def _admin_change(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    ct = instance.content_type
    model = ct.model_class() if ct is not None else None
    record(
        _ACTIONS.get(instance.action_flag, "update"),
        actor=instance.user,
        object_type=model._meta.label if model is not None else "",
        object_type_label=str(model._meta.verbose_name) if model is not None else "",
        object_id=instance.object_id or "",
        object_repr=instance.object_repr,
        detail=f"通过系统管理后台：{instance.get_change_message() or '（无说明）'}",
    )

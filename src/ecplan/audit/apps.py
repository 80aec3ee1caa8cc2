from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "ecplan.audit"
    label = "audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from ecplan.audit import checks, signals  # noqa: F401 - registers the check and the admin change log

        post_migrate.connect(_ensure_triggers, sender=self, dispatch_uid="ecplan_audit_triggers")


def _ensure_triggers(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """Recreate the append-only triggers if a migration rebuilt the table (SQLite does)."""
    from django.db import connections

    from ecplan.audit.triggers import create_triggers, missing_triggers

    connection = connections[using]
    if missing_triggers(connection):
        create_triggers(connection)

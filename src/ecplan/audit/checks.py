"""System check: the audit table's append-only triggers exist (``ecplan manage check
--database default``; ``migrate`` runs it too). A migration that rebuilds the table on SQLite
drops its triggers; the post-migrate handler recreates them, and this check reports if they
are still missing."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections

from ecplan.audit.triggers import missing_triggers


@register(Tags.database)
def audit_triggers_present(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for alias in databases or []:
        missing = missing_triggers(connections[alias])
        if missing:
            errors.append(
                Error(
                    f"审计日志表缺少只追加触发器：{', '.join(sorted(missing))}（数据库 {alias}）。",
                    hint="运行 ecplan manage migrate 会重新创建；或检查是否有人删除了触发器。",
                    id="ecplan.audit.E001",
                )
            )
    return errors

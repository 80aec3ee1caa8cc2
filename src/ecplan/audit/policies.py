"""The audit trail is read by plan administrators and system administrators only."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ecplan.accounts import roles
from ecplan.accounts.policies import READ_ACTIONS, Policy, register
from ecplan.audit.models import AuditEvent


def _reads_audit(user: Any) -> bool:
    return roles.has_any_role(user, *roles.ADMIN_ROLES)


@register
class AuditEventPolicy(Policy[AuditEvent]):
    model = AuditEvent

    def scope(self, user: Any) -> Q:
        return Q() if _reads_audit(user) else Q(pk__in=[])

    def can(self, user: Any, action: str, obj: AuditEvent) -> bool:
        return action in READ_ACTIONS and _reads_audit(user)

    def can_list(self, user: Any) -> bool:
        return _reads_audit(user)

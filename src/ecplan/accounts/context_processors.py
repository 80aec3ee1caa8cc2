from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ecplan.accounts.models import User
from ecplan.accounts.policies import can_list


def account_menu(request: HttpRequest) -> dict[str, Any]:
    """Which account and audit pages the user may open (for menus)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can_admin_users": False, "can_read_audit": False}
    from ecplan.audit.models import AuditEvent

    return {
        "can_admin_users": can_list(user, User),
        "can_read_audit": can_list(user, AuditEvent),
    }

"""Who may see and change plan data.

The plan is a public government document, but the platform has no public pages: every active
user who holds a role may view every plan and all of its content. Versioned content comes from
checked plan files and is never changed through the web; staff may only switch a plan's
current version (in the admin).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ecplan.accounts import roles
from ecplan.accounts.models import Role
from ecplan.accounts.policies import Policy, register
from ecplan.plans.models import (
    Mention,
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


def _active(user: Any) -> bool:
    """An active user holding at least one role (a user without roles sees nothing)."""
    return bool(roles.roles_of(user))


class PlanDataPolicy(Policy[Any]):
    """Read-only for every active user (versioned content is loaded from files)."""

    def scope(self, user: Any) -> Q:
        return Q() if _active(user) else Q(pk__in=[])

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return action == "view" and _active(user)


@register
class PlanPolicy(PlanDataPolicy):
    model = Plan

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "change":
            # Only which version is current; everything else comes from files.
            return roles.has_any_role(user, Role.PLAN_ADMIN, Role.SYSTEM_ADMIN)
        return super().can(user, action, obj)


for _model in (
    PlanVersion,
    Section,
    Task,
    TableRow,
    Target,
    Milestone,
    Rule,
    PlanSetting,
    Mention,
    Responsibility,
):
    register(type(f"{_model.__name__}Policy", (PlanDataPolicy,), {"model": _model}))

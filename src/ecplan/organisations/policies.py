"""Who may see the registry of organisations and areas.

Departments, bodies and areas are public facts that every active, logged-in user may view;
they come from the registry file and are changed only by staff through the admin.
Enterprises are not covered here: who sees which enterprise depends on roles (accounts).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ecplan.accounts.policies import Policy, register
from ecplan.organisations.models import Area, Organisation, Region


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


class RegistryPolicy(Policy[Any]):
    def scope(self, user: Any) -> Q:
        return Q() if _active(user) else Q(pk__in=[])

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return _active(user)
        return action == "change" and _active(user) and bool(getattr(user, "is_staff", False))


@register
class RegionPolicy(RegistryPolicy):
    model = Region


@register
class OrganisationPolicy(RegistryPolicy):
    model = Organisation


@register
class AreaPolicy(RegistryPolicy):
    model = Area

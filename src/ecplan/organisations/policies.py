"""Row-level policies for regions, organisations, areas and enterprises.

- Regions, organisations (departments and bodies) and areas are the plan's public frame: every
  active user who holds a role sees all of them. Only the plan office and system
  administrators change them.
- Enterprises: plan administrators, system administrators and leaders see all; an area user
  the enterprises of its area and of that area's functional zones; an enterprise reporter its
  own enterprise; department users none (their data are their indicators, not enterprises).

Actions beyond the read actions:

========== ==================================================================================
Enterprise ``change``, ``delete`` (plan/system administrators); ``report`` — submit data for
           it (its enterprise reporters, plan administrators); ``review`` — review its data
           (area users whose area covers it, plan administrators)
Organisation ``change``, ``delete`` (plan/system administrators); ``report`` — submit the
           department's data (its dept reporters, plan administrators); ``review`` (its dept
           reviewers, plan administrators)
Area       ``change``, ``delete`` (plan/system administrators); ``review`` — review data of the
           area (its area users, plan administrators)
Region     ``change`` (plan/system administrators)
========== ==================================================================================
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ecplan.accounts import roles
from ecplan.accounts.models import Role
from ecplan.accounts.policies import READ_ACTIONS, Policy, register
from ecplan.organisations.models import Area, Enterprise, Organisation, Region

_NOTHING = Q(pk__in=[])
_MAINTAIN = frozenset({"change", "delete"})


def _maintains(user: Any) -> bool:
    """Plan office and system administrators maintain the organisations registry."""
    return roles.has_any_role(user, Role.PLAN_ADMIN, Role.SYSTEM_ADMIN)


class _FramePolicy(Policy[Any]):
    """Visible to every user holding a role; maintained by the administrators."""

    def scope(self, user: Any) -> Q:
        return Q() if roles.roles_of(user) else _NOTHING

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if not roles.roles_of(user):
            return False
        if action in READ_ACTIONS:
            return True
        if action in _MAINTAIN:
            return _maintains(user)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        return _maintains(user)


@register
class RegionPolicy(_FramePolicy):
    model = Region


@register
class OrganisationPolicy(_FramePolicy):
    model = Organisation

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "report":
            return roles.is_plan_admin(user) or roles.has_role(
                user, Role.DEPT_REPORTER, organisation=obj
            )
        if action == "review":
            return roles.is_plan_admin(user) or roles.has_role(
                user, Role.DEPT_REVIEWER, organisation=obj
            )
        return super().can(user, action, obj)


@register
class AreaPolicy(_FramePolicy):
    model = Area

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "review":
            return roles.is_plan_admin(user) or roles.has_role(user, Role.AREA_USER, area=obj)
        return super().can(user, action, obj)


@register
class EnterprisePolicy(Policy[Enterprise]):
    model = Enterprise

    def scope(self, user: Any) -> Q:
        if roles.sees_everything(user):
            return Q()
        q = _NOTHING
        area_ids = roles.area_ids_for(user)
        if area_ids:
            q |= Q(area_id__in=area_ids) | Q(zone_id__in=area_ids)
        enterprise_ids = roles.enterprise_ids_for(user)
        if enterprise_ids:
            q |= Q(pk__in=enterprise_ids)
        return q

    def can(self, user: Any, action: str, obj: Enterprise) -> bool:
        if action in READ_ACTIONS:
            return self._sees(user, obj)
        if action in _MAINTAIN:
            return _maintains(user)
        if action == "report":
            return roles.is_plan_admin(user) or obj.pk in roles.enterprise_ids_for(user)
        if action == "review":
            if roles.is_plan_admin(user):
                return True
            area_ids = roles.area_ids_for(user)
            return obj.area_id in area_ids or (obj.zone_id is not None and obj.zone_id in area_ids)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        return _maintains(user)

    def _sees(self, user: Any, obj: Enterprise) -> bool:
        if roles.sees_everything(user):
            return True
        if obj.pk in roles.enterprise_ids_for(user):
            return True
        area_ids = roles.area_ids_for(user)
        return obj.area_id in area_ids or (obj.zone_id is not None and obj.zone_id in area_ids)

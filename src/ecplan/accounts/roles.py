"""Questions about a user's roles, for policies and pages of every app.

These functions read the user's :class:`~ecplan.accounts.models.RoleAssignment` rows (once per
user object; :func:`forget` drops the cache after a change). They answer "which roles, on which
scope"; "which rows may this user see" is the job of the model policies
(:mod:`ecplan.accounts.policies`) which build on them.

An anonymous or disabled user has no roles.
"""

from __future__ import annotations

from typing import Any

from ecplan.accounts.models import ROLE_SCOPE, Role, RoleAssignment, ScopeKind

__all__ = [
    "ADMIN_ROLES",
    "DEPARTMENT_ROLES",
    "GLOBAL_READ_ROLES",
    "PLAN_ADMIN_GRANTABLE",
    "ROLE_SCOPE",
    "Role",
    "ScopeKind",
    "area_ids_for",
    "assignments_of",
    "can_grant",
    "enterprise_ids_for",
    "forget",
    "has_any_role",
    "has_role",
    "is_plan_admin",
    "is_read_only",
    "is_system_admin",
    "organisation_ids_for",
    "roles_of",
    "roles_of_user_id",
    "sees_everything",
]

#: Roles that see every row of every business model.
GLOBAL_READ_ROLES: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.PLAN_ADMIN, Role.LEADER})
#: Roles that administer users.
ADMIN_ROLES: frozenset[str] = frozenset({Role.SYSTEM_ADMIN, Role.PLAN_ADMIN})
#: Roles scoped to a department or body.
DEPARTMENT_ROLES: frozenset[str] = frozenset({Role.DEPT_REPORTER, Role.DEPT_REVIEWER})
#: Roles a plan administrator may grant and revoke (the others only a system administrator).
PLAN_ADMIN_GRANTABLE: frozenset[str] = frozenset(
    {Role.DEPT_REPORTER, Role.DEPT_REVIEWER, Role.AREA_USER, Role.ENTERPRISE_REPORTER}
)
#: Roles that never write business data.
READ_ONLY_ROLES: frozenset[str] = frozenset({Role.LEADER})

_CACHE_ATTR = "_ecplan_role_assignments"


def _active(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "pk", None) is not None
    )


def assignments_of(user: Any) -> list[RoleAssignment]:
    """The user's role assignments (cached on the user object)."""
    if not _active(user):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            RoleAssignment.objects.filter(user_id=user.pk).select_related(
                "organisation", "area", "enterprise"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return list(cached)


def forget(user: Any) -> None:
    """Drop the cached assignments of ``user`` (call after granting or revoking a role)."""
    if user is not None and hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: Any) -> frozenset[str]:
    """The role codes the user holds, on any scope."""
    return frozenset(a.role for a in assignments_of(user))


def has_any_role(user: Any, *roles: str) -> bool:
    return not roles_of(user).isdisjoint(roles)


def has_role(
    user: Any,
    role: str,
    *,
    organisation: Any = None,
    area: Any = None,
    enterprise: Any = None,
) -> bool:
    """Does ``user`` hold ``role`` — on the given scope, if one is given?

    Scopes may be model instances or primary keys. An area assignment on a county-level area
    covers its functional zones: ``has_role(u, Role.AREA_USER, area=zone)`` is true for the
    user of the zone's county-level area. Passing a scope the role does not take is an error.
    """
    given = {
        ScopeKind.ORGANISATION: organisation,
        ScopeKind.AREA: area,
        ScopeKind.ENTERPRISE: enterprise,
    }
    kind = ROLE_SCOPE[role]
    for k, v in given.items():
        if v is not None and k != kind:
            raise ValueError(f"角色 {role} 的范围是 {kind}，不能按 {k} 查询")
    held = [a for a in assignments_of(user) if a.role == role]
    target = given.get(ScopeKind(kind)) if kind != ScopeKind.NONE else None
    if target is None:
        return bool(held)
    target_id = getattr(target, "pk", target)
    if kind == ScopeKind.ORGANISATION:
        return any(a.organisation_id == target_id for a in held)
    if kind == ScopeKind.ENTERPRISE:
        return any(a.enterprise_id == target_id for a in held)
    return target_id in _expand_areas({a.area_id for a in held if a.area_id is not None})


def is_system_admin(user: Any) -> bool:
    return Role.SYSTEM_ADMIN in roles_of(user)


def is_plan_admin(user: Any) -> bool:
    return Role.PLAN_ADMIN in roles_of(user)


def sees_everything(user: Any) -> bool:
    """System administrators, plan administrators and leaders see every business row."""
    return not roles_of(user).isdisjoint(GLOBAL_READ_ROLES)


def is_read_only(user: Any) -> bool:
    """True when every role the user holds is read-only (a leader), or they hold none."""
    return roles_of(user) <= READ_ONLY_ROLES


def organisation_ids_for(user: Any, roles: frozenset[str] | None = None) -> frozenset[int]:
    """Organisations the user holds a department role on (``roles`` narrows, e.g. reviewers).

    Plan administrators are not included (their organisation is the plan office, but their
    reach is everything; ask :func:`sees_everything`).
    """
    wanted = DEPARTMENT_ROLES if roles is None else roles
    return frozenset(
        a.organisation_id
        for a in assignments_of(user)
        if a.role in wanted and a.organisation_id is not None
    )


def area_ids_for(user: Any) -> frozenset[int]:
    """Areas the user holds an area role on, with the functional zones of county-level ones."""
    direct = {
        a.area_id
        for a in assignments_of(user)
        if a.role == Role.AREA_USER and a.area_id is not None
    }
    return _expand_areas(direct)


def enterprise_ids_for(user: Any) -> frozenset[int]:
    """Enterprises the user reports for (``enterprise_reporter`` assignments)."""
    return frozenset(
        a.enterprise_id
        for a in assignments_of(user)
        if a.role == Role.ENTERPRISE_REPORTER and a.enterprise_id is not None
    )


def can_grant(user: Any, role: str) -> bool:
    """May ``user`` grant or revoke ``role``? System administrators any; plan administrators
    the department, area and enterprise roles."""
    if is_system_admin(user):
        return True
    return is_plan_admin(user) and role in PLAN_ADMIN_GRANTABLE


def _expand_areas(area_ids: set[int]) -> frozenset[int]:
    if not area_ids:
        return frozenset()
    from ecplan.organisations.models import Area

    zones = Area.objects.filter(parent_id__in=area_ids, kind=Area.Kind.FUNCTIONAL_ZONE)
    return frozenset(area_ids) | frozenset(zones.values_list("pk", flat=True))


def roles_of_user_id(user_id: int) -> frozenset[str]:
    """The role codes of another user (not cached), e.g. to check who may manage them."""
    return frozenset(RoleAssignment.objects.filter(user_id=user_id).values_list("role", flat=True))

"""Policies of the accounts models, and of the platform's own settings row (web.Instance).

- Users: system and plan administrators see every account; anyone else only their own.
  ``manage`` (edit, disable, enable, re-invite, unlock, change roles): system administrators
  any account; plan administrators accounts whose roles are all ones they may grant
  (department, area and enterprise roles) — never their own, never an administrator's or a
  leader's. ``change_password``: only the account holder.
- Role assignments: administrators see all, others their own; ``revoke`` needs both the right
  to grant that role (:func:`ecplan.accounts.roles.can_grant`) and ``manage`` on the user.
- Demo credentials: no one, through any page (the CLI lists them in demo instances only).
- Instance settings: everyone with a role may read; system administrators change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from ecplan.accounts import roles
from ecplan.accounts.models import DemoAccount, RoleAssignment, User
from ecplan.accounts.policies import READ_ACTIONS, Policy, register
from ecplan.web.models import Instance


def may_manage(actor: Any, target: Any) -> bool:
    """May ``actor`` administer the account ``target`` (see module docstring)?"""
    if roles.is_system_admin(actor):
        return True
    if not roles.is_plan_admin(actor) or target.pk == actor.pk:
        return False
    return bool(roles.roles_of_user_id(target.pk) <= roles.PLAN_ADMIN_GRANTABLE)


@register
class UserPolicy(Policy[User]):
    model = User

    def scope(self, user: Any) -> Q:
        if roles.has_any_role(user, *roles.ADMIN_ROLES):
            return Q()
        return Q(pk=user.pk)

    def can(self, user: Any, action: str, obj: User) -> bool:
        if action in READ_ACTIONS:
            return bool(obj.pk == user.pk or roles.has_any_role(user, *roles.ADMIN_ROLES))
        if action == "change_password":
            return bool(obj.pk == user.pk)
        if action == "manage":
            return may_manage(user, obj)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        return roles.has_any_role(user, *roles.ADMIN_ROLES)

    def can_list(self, user: Any) -> bool:
        return roles.has_any_role(user, *roles.ADMIN_ROLES)


@register
class RoleAssignmentPolicy(Policy[RoleAssignment]):
    model = RoleAssignment

    def scope(self, user: Any) -> Q:
        if roles.has_any_role(user, *roles.ADMIN_ROLES):
            return Q()
        return Q(user_id=user.pk)

    def can(self, user: Any, action: str, obj: RoleAssignment) -> bool:
        if action in READ_ACTIONS:
            return obj.user_id == user.pk or roles.has_any_role(user, *roles.ADMIN_ROLES)
        if action == "revoke":
            return roles.can_grant(user, obj.role) and self._manages(user, obj.user_id)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        """``context``: ``role`` (code) and ``target`` (the user receiving it)."""
        role = context.get("role")
        target = context.get("target")
        if role is None or target is None:
            return roles.has_any_role(user, *roles.ADMIN_ROLES)
        return roles.can_grant(user, role) and may_manage(user, target)

    @staticmethod
    def _manages(user: Any, target_id: int) -> bool:
        target = User.objects.filter(pk=target_id).first()
        return target is not None and may_manage(user, target)


@register
class DemoAccountPolicy(Policy[DemoAccount]):
    model = DemoAccount


@register
class InstancePolicy(Policy[Instance]):
    model = Instance

    def scope(self, user: Any) -> Q:
        return Q() if roles.roles_of(user) else Q(pk__in=[])

    def can(self, user: Any, action: str, obj: Instance) -> bool:
        if action in READ_ACTIONS:
            return bool(roles.roles_of(user))
        if action == "change":
            return roles.is_system_admin(user)
        return False

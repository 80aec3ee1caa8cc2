"""Authentication backend: Django's model backend with the platform's rules.

- Demo accounts (``User.is_demo``) authenticate only where demo mode is allowed: under
  production settings they can neither log in nor keep a session.
- Model permissions (used only by Django's admin) come from the ``system_admin`` role, not
  from ``is_superuser``/``is_staff`` flags, so one table — the role assignments — decides.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from ecplan.accounts.roles import is_system_admin


class EcplanModelBackend(ModelBackend):
    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.ECPLAN_DEMO_ALLOWED:
            return False
        return super().user_can_authenticate(user)

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and is_system_admin(user_obj))

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and is_system_admin(user_obj))

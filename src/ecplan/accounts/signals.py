"""Login, logout, failed logins and lockouts go to the audit trail."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from ecplan.audit.services import record


@receiver(user_logged_in, dispatch_uid="ecplan_audit_login")
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record("login", actor=user, obj=user, request=request)


@receiver(user_logged_out, dispatch_uid="ecplan_audit_logout")
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        record("logout", actor=user, obj=user, request=request)


@receiver(user_login_failed, dispatch_uid="ecplan_audit_login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    record(
        "login_failed",
        actor=None,
        request=request,
        object_type="accounts.User",
        object_type_label="用户",
        object_repr=username,
        detail=f"以用户名“{username}”登录失败",
    )


@receiver(user_locked_out, dispatch_uid="ecplan_audit_lockout")
def _locked_out(
    sender: Any, request: Any = None, username: Any = None, ip_address: Any = None, **kwargs: Any
) -> None:
    record(
        "lockout",
        actor=None,
        request=request,
        object_type="accounts.User",
        object_type_label="用户",
        object_repr=str(username or "")[:150],
        detail=f"用户名“{username or ''}”在 IP {ip_address or '未知'} 登录失败次数过多，已暂时锁定",
    )

"""Helpers shared by the sub-commands."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from typing import Any


class CommandError(Exception):
    """A command failed in a way the user can fix; printed as ``错误：…`` with exit status."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def setup_django() -> None:
    """Configure Django (only commands that need the database call this)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecplan.settings")
    import django

    django.setup()
    from ecplan.audit.context import mark_command_line

    mark_command_line(os_account())


def os_account() -> str:
    """The operating-system account running the command ("" without a passwd entry)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return ""


def acting_user(username: str) -> Any:
    """The active user a command acts for (``--as USERNAME``); their scope applies."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    try:
        user = user_model.objects.get(username=username)
    except user_model.DoesNotExist:
        raise CommandError(f"用户“{username}”不存在。") from None
    if not user.is_active:
        raise CommandError(f"用户“{username}”已停用。")
    return user


#: The built-in account read-only commands act as when no ``--as`` is given.
OPERATOR_USERNAME = "cli-operator"


def operator_user() -> Any:
    """The server's command line as a read-only principal: the account ``cli-operator``
    (领导 role: reads everything, changes nothing; no usable password, so it cannot log in
    to the web), created on first use. Whoever can run commands on the server can read the
    database anyway; the audit trail records the operating-system account beside it."""
    from ecplan.accounts.models import Role, RoleAssignment, User
    from ecplan.accounts.services import grant_role

    user = User.objects.filter(username=OPERATOR_USERNAME).first()  # policy-exempt: no user yet
    if user is None:
        user = User(username=OPERATOR_USERNAME, full_name="服务器命令行（只读）")
        user.set_unusable_password()
        user.save()
    if not user.is_active:
        raise CommandError(
            f"内置只读账户“{OPERATOR_USERNAME}”已被停用；请用 --as USERNAME 指定执行命令的用户。"
        )
    roles = RoleAssignment.objects.filter(user=user)  # policy-exempt: its own built-in role
    if not roles.filter(role=Role.LEADER).exists():
        grant_role(acting_user=None, user=user, role=Role.LEADER)
    return user


def with_user(
    fn: Callable[[argparse.Namespace, Any], int], *, read_only: bool = False, exit_code: int = 1
) -> Callable[[argparse.Namespace], int]:
    """A handler that runs ``fn(args, user)`` as the named user (``--as USERNAME`` or the
    environment variable ``ECPLAN_USER``), with that user's scope and audited as the command
    line. A read-only command given no name runs as :func:`operator_user`; a command that
    changes data refuses to run without one (``exit_code``)."""

    def handler(args: argparse.Namespace) -> int:
        username = args.as_user or os.environ.get("ECPLAN_USER", "")
        if not username and not read_only:
            raise CommandError(
                "请用 --as USERNAME 指定以哪个用户的名义执行（或设置环境变量 ECPLAN_USER）；"
                "命令按该用户的权限范围执行并记入审计。",
                exit_code,
            )
        setup_django()
        from ecplan.audit.context import operating

        try:
            user = acting_user(username) if username else operator_user()
        except CommandError as exc:
            raise CommandError(str(exc), exit_code) from None
        with operating("cli", operator=f"命令行:{os_account()}"):
            return fn(args, user)

    return handler

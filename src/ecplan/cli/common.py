"""Helpers shared by the sub-commands."""

from __future__ import annotations

import os
from typing import Any


class CommandError(Exception):
    """A command failed in a way the user can fix; printed as ``错误：…`` with exit status."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def setup_django() -> None:
    """Configure Django (only commands that need the database call this)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecplan.settings")
    import getpass

    import django

    django.setup()
    from ecplan.audit.context import mark_command_line

    try:
        operator = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        operator = ""
    mark_command_line(operator)


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


def command_user(username: str, *, read_only: bool, what: str) -> Any:
    """The user a command acts for: ``--as``/``ECPLAN_USER`` when given; otherwise, for a
    read-only command, :func:`operator_user`; a command that changes data needs a name."""
    if username:
        return acting_user(username)
    if read_only:
        return operator_user()
    raise CommandError(
        f"请用 --as USERNAME 指定以哪个用户的名义执行（或设置环境变量 ECPLAN_USER）；{what}"
    )

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

"""Menu counts of the workflow: steps waiting for the user's review, unread notifications."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest

from ecplan.accounts.policies import viewable


def workflow_menu(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from ecplan.workflow.models import Notification
    from ecplan.workflow.policies import queue

    def counts() -> dict[str, int]:
        try:
            return {
                "queue": queue(user).count(),
                "unread": viewable(user, Notification).filter(read_at__isnull=True).count(),
            }
        except DatabaseError:  # before the first migration
            return {"queue": 0, "unread": 0}

    cached: dict[str, dict[str, int]] = {}

    def lazy() -> dict[str, int]:
        if "v" not in cached:
            cached["v"] = counts()
        return cached["v"]

    return {"workflow_counts": _Lazy(lazy)}


class _Lazy:
    """Counted only when a template reads it (pages without the menu pay nothing)."""

    def __init__(self, fn: Any) -> None:
        self._fn = fn

    def __getitem__(self, key: str) -> int:
        return int(self._fn()[key])

    def __getattr__(self, key: str) -> int:
        if key.startswith("_"):
            raise AttributeError(key)
        return int(self._fn()[key])

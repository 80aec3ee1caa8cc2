"""Where the current action comes from: the web request being served, or a command line.

:class:`ecplan.audit.middleware.AuditRequestMiddleware` sets the request for the duration of
each web request, so a service that records an event with only ``acting_user`` still gets the
IP address and browser. Command-line code wraps its work in :func:`operating` to mark events as
coming from the command line and name the operator.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_request: ContextVar[Any] = ContextVar("ecplan_audit_request", default=None)
_channel: ContextVar[str | None] = ContextVar("ecplan_audit_channel", default=None)
_operator: ContextVar[str] = ContextVar("ecplan_audit_operator", default="")


def current_request() -> Any:
    return _request.get()


def current_channel() -> str | None:
    return _channel.get()


def current_operator() -> str:
    return _operator.get()


@contextmanager
def serving(request: Any) -> Iterator[None]:
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


@contextmanager
def operating(channel: str, operator: str = "") -> Iterator[None]:
    """Mark events recorded inside as coming from ``channel`` (``"cli"``) by ``operator``."""
    t1 = _channel.set(channel)
    t2 = _operator.set(operator)
    try:
        yield
    finally:
        _channel.reset(t1)
        _operator.reset(t2)


def mark_command_line(operator: str = "") -> None:
    """Mark every event this thread records from now on as coming from the command line.

    Called once by the ``ecplan`` command after Django is set up; web requests served by the
    same process run in other threads and keep their own channel.
    """
    _channel.set("cli")
    _operator.set(operator)

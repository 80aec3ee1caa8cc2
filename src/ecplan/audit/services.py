"""Writing to the audit trail — the one way other apps record what happened.

Typical use in a service function (inside its ``transaction.atomic``, so the event is stored
exactly when the change is)::

    from ecplan.audit.services import record, record_update, snapshot

    before = snapshot(report)
    report.status = "submitted"
    report.save()
    record_update(report, actor=acting_user, before=before, action="submit")

The request (IP address, browser, path) is taken from the request being served when none is
passed; from the command line, wrap work in :func:`ecplan.audit.context.operating`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from ecplan.audit import context
from ecplan.audit.actions import ACTIONS
from ecplan.audit.models import AuditEvent, Channel

__all__ = ["client_ip", "diff", "record", "record_create", "record_delete", "record_update"]

#: Field names never written to the audit trail, on any model.
SECRET_FIELDS = frozenset({"password"})


def client_ip(request: Any) -> str | None:
    """The client's IP address (the same rule as the login lockout uses)."""
    from ecplan.accounts.net import client_ip as _client_ip

    return _client_ip(request)


def record(
    action: str,
    *,
    actor: Any,
    obj: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    request: Any = None,
    detail: str = "",
    object_type: str = "",
    object_type_label: str = "",
    object_id: str | int | None = None,
    object_repr: str = "",
) -> AuditEvent:
    """Append one event to the audit trail and return it.

    Parameters
    ----------
    action
        A registered action code (:data:`ecplan.audit.actions.ACTIONS`): ``create``,
        ``update``, ``delete``, ``submit``, ``approve``, ``return``, ``import``, ``export`` …
    actor
        The user who acted; ``None`` (or an anonymous user) for the system or a failed login.
    obj
        The object acted on. Its type (``app_label.Model``), primary key and ``str()`` are
        stored; ``object_type`` / ``object_id`` / ``object_repr`` override them, or describe
        something that is not a model row (an export file, a username that failed to log in).
    changes
        Field-level changes ``{"field": {"old": …, "new": …}}`` — see :func:`diff`.
    request
        The HTTP request, for the IP address, browser and path. Default: the request being
        served (set by ``AuditRequestMiddleware``), if any.
    detail
        Free text: what a reader of the trail needs that the fields do not say.
    """
    if action not in ACTIONS:
        raise ValueError(
            f"未注册的审计操作 {action!r}；请用 ecplan.audit.actions.register_action 注册。"
        )
    request = request if request is not None else context.current_request()
    event = AuditEvent(action=action, detail=detail)
    if actor is not None and getattr(actor, "is_authenticated", False):
        event.actor = actor
        event.actor_username = actor.get_username()
        event.actor_name = getattr(actor, "full_name", "") or ""
        event.actor_roles = _roles_text(actor)
    else:
        event.actor_username = context.current_operator()
    if request is not None:
        event.channel = Channel.WEB
        event.ip_address = client_ip(request)
        meta = getattr(request, "META", {})
        event.user_agent = str(meta.get("HTTP_USER_AGENT", ""))[:300]
        event.request_method = str(getattr(request, "method", "") or "")[:10]
        event.request_path = str(getattr(request, "path", "") or "")[:500]
    else:
        event.channel = context.current_channel() or Channel.SYSTEM
    if obj is not None:
        meta_opts = obj._meta
        event.object_type = meta_opts.label
        event.object_type_label = str(meta_opts.verbose_name)
        event.object_id = "" if obj.pk is None else str(obj.pk)
        event.object_repr = str(obj)[:300]
    if object_type:
        event.object_type = object_type
    if object_type_label:
        event.object_type_label = object_type_label
    if object_id is not None:
        event.object_id = str(object_id)
    if object_repr:
        event.object_repr = object_repr[:300]
    event.changes = {k: v for k, v in (changes or {}).items() if k not in SECRET_FIELDS}
    event.save()
    return event


def snapshot(
    obj: models.Model, *, fields: Iterable[str] | None = None, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """The values of ``obj``'s concrete fields, JSON-ready, for a later :func:`diff`.

    Foreign keys become ``{"id": pk, "repr": str(related)}``; decimals, dates and UUIDs become
    strings (decimals keep every digit); file fields their name. Password fields and the
    model's ``audit_exclude`` names are left out.
    """
    wanted = set(fields) if fields is not None else None
    skip = set(exclude) | SECRET_FIELDS | set(getattr(obj, "audit_exclude", ()))
    out: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        if wanted is not None and field.name not in wanted:
            continue
        if field.is_relation:
            rel_id = getattr(obj, field.attname)
            if rel_id is None:
                out[field.name] = None
            else:
                related = getattr(obj, field.name)
                out[field.name] = {"id": _jsonable(rel_id), "repr": str(related)}
        else:
            out[field.name] = _jsonable(field.value_from_object(obj))
    return out


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{"field": {"old": …, "new": …}}`` for every key whose value differs.

    Related objects compare by id only (a renamed related row is not a change of this one).
    """
    changes: dict[str, dict[str, Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if _comparable(old) != _comparable(new):
            changes[key] = {"old": old, "new": new}
    return changes


def record_create(
    obj: models.Model,
    *,
    actor: Any,
    action: str = "create",
    request: Any = None,
    detail: str = "",
) -> AuditEvent:
    """Record a new row with all its field values as ``new``."""
    changes = {k: {"old": None, "new": v} for k, v in snapshot(obj).items() if v not in (None, "")}
    return record(action, actor=actor, obj=obj, changes=changes, request=request, detail=detail)


def record_update(
    obj: models.Model,
    *,
    actor: Any,
    before: Mapping[str, Any],
    action: str = "update",
    request: Any = None,
    detail: str = "",
    always: bool = False,
) -> AuditEvent | None:
    """Record the changes of ``obj`` since ``before`` (a :func:`snapshot`).

    Returns ``None`` and records nothing when no field changed, unless ``always`` (use it for
    actions that matter in themselves, such as ``approve``).
    """
    fields = before.keys()
    changes = diff(before, snapshot(obj, fields=fields))
    if not changes and not always and action == "update":
        return None
    return record(action, actor=actor, obj=obj, changes=changes, request=request, detail=detail)


def record_delete(
    obj: models.Model,
    *,
    actor: Any,
    request: Any = None,
    detail: str = "",
) -> AuditEvent:
    """Record that ``obj`` is being deleted, with its last values as ``old``.

    Call before ``obj.delete()`` (the primary key is gone afterwards).
    """
    changes = {k: {"old": v, "new": None} for k, v in snapshot(obj).items() if v not in (None, "")}
    return record("delete", actor=actor, obj=obj, changes=changes, request=request, detail=detail)


def _comparable(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"id", "repr"}:
        return ("fk", value["id"])
    return value


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes | memoryview):
        return f"<{len(bytes(value))} 字节>"
    return str(value)


def _roles_text(actor: Any) -> str:
    from ecplan.accounts.roles import assignments_of

    return "；".join(a.label for a in assignments_of(actor))[:500]

"""The append-only audit trail.

An :class:`AuditEvent` says who did what, when, from where, to which object, and what changed
(old → new per field). Rows are only ever inserted: the model refuses ``save()`` of an existing
row and ``delete()``, its queryset refuses ``update()`` and ``delete()``, the admin is
read-only, and database triggers (migration 0002, SQLite and PostgreSQL) reject ``UPDATE``,
``DELETE`` and (PostgreSQL) ``TRUNCATE`` on the table whatever the client. Write events through
:func:`ecplan.audit.services.record`.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from ecplan.audit.actions import action_label


class AuditTrailIsAppendOnly(RuntimeError):
    """Raised on any attempt to change or remove an audit event."""


def _refuse(what: str) -> NoReturn:
    raise AuditTrailIsAppendOnly(f"审计日志只能追加，不能{what}。")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        _refuse("修改")

    def delete(self) -> NoReturn:
        _refuse("删除")

    def bulk_update(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("修改")

    def _raw_delete(self, using: Any) -> NoReturn:
        _refuse("删除")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("修改")


class AuditJSONEncoder(DjangoJSONEncoder):
    """Keeps Chinese characters as they are (not ``\\uXXXX``), so free-text search finds them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class Channel(models.TextChoices):
    WEB = "web", "网页"
    CLI = "cli", "命令行"
    SYSTEM = "system", "系统"


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField("时间", default=timezone.now, editable=False, db_index=True)
    action = models.CharField("操作", max_length=40, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    actor_name = models.CharField("姓名", max_length=60, blank=True)
    actor_roles = models.CharField("当时的角色", max_length=500, blank=True)
    channel = models.CharField("途径", max_length=10, choices=Channel.choices)
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器标识", max_length=300, blank=True)
    request_method = models.CharField("请求方法", max_length=10, blank=True)
    request_path = models.CharField("请求地址", max_length=500, blank=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True, db_index=True)
    object_type_label = models.CharField("对象类型名称", max_length=100, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=300, blank=True)
    changes = models.JSONField("字段变更", default=dict, blank=True, encoder=AuditJSONEncoder)
    detail = models.TextField("说明", blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]
        default_permissions = ("view",)

    def __str__(self) -> str:
        who = self.actor_username or "（系统）"
        what = f" {self.object_type_label}“{self.object_repr}”" if self.object_repr else ""
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {who} {self.action_label}{what}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or self.pk is not None:
            _refuse("修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        _refuse("删除")

    @property
    def action_label(self) -> str:
        return action_label(self.action)

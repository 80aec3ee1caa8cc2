from __future__ import annotations

from django.db import models


class Instance(models.Model):
    """Settings of this installation (a single row, id=1)."""

    is_demo = models.BooleanField("演示实例", default=False)
    demo_loaded_at = models.DateTimeField("演示数据载入时间", null=True, blank=True)

    class Meta:
        verbose_name = "实例设置"
        verbose_name_plural = "实例设置"

    def __str__(self) -> str:
        return "演示实例" if self.is_demo else "实例"

    @classmethod
    def current(cls) -> Instance:
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj

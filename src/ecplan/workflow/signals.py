"""Cache invalidation only: a saved or deleted schedule clears the calendar's cached rules."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ecplan.workflow.models import ReportingSchedule
from ecplan.workflow.reporting_calendar import clear_cache


@receiver(post_save, sender=ReportingSchedule)
@receiver(post_delete, sender=ReportingSchedule)
def _schedule_changed(sender: Any, **kwargs: Any) -> None:
    clear_cache()

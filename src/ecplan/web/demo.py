"""Demo mode: `ecplan serve --demo` marks the instance as a demonstration and fills an empty
database with the demo city. Each app contributes a step (a dotted path to a callable taking
``stdout``); steps run in order, once, inside one transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from ecplan.web.models import Instance

# Ordered: accounts need organisations and enterprises from the data step.
DEMO_STEPS: list[str] = [
    "ecplan.reporting.demo.load_demo_city",  # the demo city: enterprises, reports, statistics
    "ecplan.monitoring.demo.load_demo_evaluation_data",  # its binding targets (after the city)
    "ecplan.accounts.demo.create_demo_accounts",  # one account per role (keep after data steps)
]


class DemoNotAllowed(RuntimeError):
    pass


def enable_demo(stdout: TextIO) -> bool:
    """Mark the instance as a demo and load demo data once. Returns True if data was loaded."""
    if not settings.ECPLAN_DEMO_ALLOWED:
        raise DemoNotAllowed("生产环境配置下不允许演示模式（--demo）。")
    with transaction.atomic():
        inst = Instance.current()
        inst.is_demo = True
        first = inst.demo_loaded_at is None
        if first:
            for dotted in DEMO_STEPS:
                step: Callable[[TextIO], None] = import_string(dotted)
                step(stdout)
            inst.demo_loaded_at = timezone.now()
        inst.save()
    return first

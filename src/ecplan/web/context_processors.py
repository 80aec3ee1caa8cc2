from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest
from django.utils.translation import gettext


def platform(request: HttpRequest) -> dict[str, Any]:
    """Platform name and the demo flag (演示数据 banner) for every page."""
    from ecplan.web.models import Instance

    try:
        is_demo = Instance.objects.filter(pk=1, is_demo=True).exists()
    except DatabaseError:  # before the first migration
        is_demo = False
    # the default name has an English translation; a configured name is shown as configured
    return {"platform_name": gettext(settings.ECPLAN_PLATFORM_NAME), "is_demo": is_demo}

"""The client's IP address, for the login lockout (django-axes) and the audit trail.

Without a reverse proxy the address is ``REMOTE_ADDR``. Behind one, set
``ECPLAN_PROXY_COUNT`` to the number of proxies that append to ``X-Forwarded-For``; the client
is then the entry that many places from the right — entries further left are whatever the
client sent and are not trusted.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings


def client_ip(request: Any) -> str | None:
    meta = getattr(request, "META", {}) or {}
    proxies = int(getattr(settings, "ECPLAN_PROXY_COUNT", 0) or 0)
    candidate: str | None = meta.get("REMOTE_ADDR")
    if proxies > 0:
        forwarded = [p.strip() for p in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
    return _valid(candidate)


def _valid(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None

"""``flush`` that respects the append-only audit trail.

Outside the test suite this is Django's ``flush``: the audit table's triggers refuse to empty
it, so a database with audit events cannot be flushed. In the test suite
(``ECPLAN_ENV=test``) transactional tests flush the database after each test; there the
triggers are dropped for the flush and created again at once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import flush
from django.db import connections

from ecplan.audit.triggers import create_triggers, drop_triggers


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        if not getattr(settings, "TESTING", False):
            super().handle(**options)
            return
        connection = connections[options.get("database", "default")]
        drop_triggers(connection)
        try:
            super().handle(**options)
        finally:
            create_triggers(connection)

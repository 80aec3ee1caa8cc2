"""Write operations on organisations."""

from __future__ import annotations

from django.db import transaction

from ecplan.core.registry import Registry
from ecplan.organisations.models import Area, Organisation, Region


@transaction.atomic
def sync_registry(registry: Registry) -> Region:
    """Create or update the region, organisations and areas of ``registry``.

    Idempotent: running it again with the same file changes nothing. Entries are matched by
    code; an entry removed from the file is left in place (it may be referenced by data).
    """
    region, _ = Region.objects.update_or_create(
        code=registry.region.code,
        defaults={"name": registry.region.name, "province": registry.region.province},
    )
    for org in registry.organisations:
        Organisation.objects.update_or_create(
            region=region,
            code=org.code,
            defaults={
                "name": org.name,
                "full_name": org.full_name,
                "aliases": list(org.aliases),
                "kind": org.kind,
                "is_plan_office": org.plan_office,
            },
        )
    by_code: dict[str, Area] = {}
    # Parents are listed before children in a valid registry (the city first).
    pending = list(registry.areas)
    while pending:
        progressed = False
        for entry in list(pending):
            if entry.parent is not None and entry.parent not in by_code:
                continue
            area, _ = Area.objects.update_or_create(
                region=region,
                code=entry.code,
                defaults={
                    "name": entry.name,
                    "aliases": list(entry.aliases),
                    "kind": entry.kind,
                    "parent": by_code.get(entry.parent) if entry.parent else None,
                    "parent_confidence": entry.parent_confidence,
                },
            )
            by_code[entry.code] = area
            pending.remove(entry)
            progressed = True
        if not progressed:  # pragma: no cover - Registry validation prevents cycles
            raise ValueError("地区的 parent 关系存在循环")
    return region

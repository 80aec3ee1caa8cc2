"""Which department reports which indicator follows the plan's responsibility data."""

from __future__ import annotations

from ecplan.accounts.testing import World
from ecplan.plans.services import load_shipped_plans
from ecplan.reporting.models import IndicatorAssignment
from ecplan.reporting.services import sync_indicator_assignments


def _assigned(indicator: str) -> set[str]:
    return set(
        IndicatorAssignment.objects.filter(indicator=indicator).values_list(
            "organisation__name", flat=True
        )
    )


def test_assignments_follow_the_plan_and_are_idempotent(world: World) -> None:
    load_shipped_plans()
    admin = world.persona("plan_admin").user
    first = sync_indicator_assignments("yangzhou-2025", acting_user=admin)
    assert first.created > 10
    assert "市住建局" in _assigned("existing_building_retrofit_area_m2")
    assert "市机关事务管理局" in _assigned("pi_energy_per_area_change")
    assert _assigned("nonfossil_share")
    # indicators of per-entity rules are assigned too (PUE of new data centres …)
    assert _assigned("pue_new_dc")
    assert _assigned("dc_green_standard")
    again = sync_indicator_assignments("yangzhou-2025", acting_user=admin)
    assert again.created == 0
    assert again.kept == first.created

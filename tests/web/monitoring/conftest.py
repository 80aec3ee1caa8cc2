"""Fixtures of the evaluation tests: the persona world, the shipped plan, and the small
hand-built city of :mod:`builders` stored through the data-collection services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from ecplan.accounts.testing import World
from ecplan.monitoring.entry import BindingTargetRecord
from ecplan.monitoring.services import enter_binding_targets
from ecplan.plans.models import Plan
from ecplan.plans.services import load_shipped_plans
from ecplan.reporting import services as reporting
from ecplan.reporting.models import IndicatorAssignment
from ecplan.reporting.services import save_installations

from . import builders

PLAN = "yangzhou-2025"


@dataclass
class City:
    world: World
    plan: Any
    admin: Any

    @property
    def version(self) -> Any:
        return self.plan.current_version


@pytest.fixture
def world(db: None) -> World:
    return World.build()


@pytest.fixture
def plan(world: World) -> Any:
    load_shipped_plans()
    return Plan.objects.select_related("current_version", "region").get(code=PLAN)


@pytest.fixture
def admin(world: World) -> Any:
    return world.persona("plan_admin").user


@pytest.fixture
def assignments(plan: Any, admin: Any) -> None:
    """Department indicator assignments; quarterly unless a test changes one."""
    reporting.sync_indicator_assignments(PLAN, acting_user=admin, frequency="quarter")


def set_frequency(indicator: str, frequency: str) -> None:
    IndicatorAssignment.objects.filter(plan_code=PLAN, indicator=indicator).update(
        frequency=frequency
    )


@pytest.fixture
def bindings(plan: Any, admin: Any) -> None:
    out = enter_binding_targets(
        PLAN,
        [
            BindingTargetRecord(
                "扬州市", "energy_intensity_change_new_basis", "14%", source="测试文件"
            ),
            BindingTargetRecord(
                "仪征市", "energy_intensity_change_new_basis", 0.12, source="测试文件"
            ),
            BindingTargetRecord("扬州市", "co2_intensity_change", "18%", source="测试文件"),
            BindingTargetRecord("扬州市", "nonfossil_share", "13%", source="测试文件"),
        ],
        acting_user=admin,
    )
    assert out.stored, out.summary()


@pytest.fixture
def statistics(plan: Any, admin: Any) -> None:
    builders.save_statistics(admin, builders.city_statistics() + builders.yizheng_statistics())


@pytest.fixture
def plant(world: World, admin: Any) -> None:
    out = save_installations(builders.installations(world.e_yizheng.credit_code), acting_user=admin)
    assert out.stored, out.issues.to_text()


@pytest.fixture
def energy(world: World, admin: Any, plant: None) -> None:
    months = [f"2023-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 10)]
    builders.save_energy(admin, builders.energy_reports(world.e_yizheng.credit_code, months))


@pytest.fixture
def city(world: World, plan: Any, admin: Any, bindings: None, statistics: None) -> City:
    return City(world=world, plan=plan, admin=admin)

"""The demo city's binding targets: entered through the plan office's path, marked 演示数据,
and the demo step is registered after the demo city."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from ecplan.cli import main
from ecplan.demo.calibration import AREA_BINDING
from ecplan.monitoring.demo import load_demo_evaluation_data
from ecplan.monitoring.models import BindingTarget, BindingTargetRevision
from ecplan.web.demo import DEMO_STEPS


def test_demo_step_follows_the_demo_city() -> None:
    city = DEMO_STEPS.index("ecplan.reporting.demo.load_demo_city")
    assert DEMO_STEPS.index("ecplan.monitoring.demo.load_demo_evaluation_data") == city + 1


def test_demo_binding_targets_are_stored_as_demo_revisions(plan: Any, capsys: Any) -> None:
    assert main(["binding-targets", "demo", "--as", "t-plan_admin"]) == 0
    out = capsys.readouterr().out
    assert "演示数据" in out
    assert "新增 15 项" in out  # city: energy, CO2, non-fossil; six areas: energy and CO2
    # no department is assigned the retrofit series yet (no demo city loaded): said, not stored
    assert "没有分配报送单位" in out
    revisions = BindingTargetRevision.objects.select_related("binding__area")
    assert revisions.count() == 15
    assert all(r.is_demo for r in revisions)
    city = BindingTarget.objects.get(
        area__code="321000", indicator="energy_intensity_change_new_basis"
    )
    assert city.current is not None
    assert city.current.value == Decimal("0.14")
    assert "演示" in city.current.source
    for code, (energy, co2) in AREA_BINDING.items():
        e = BindingTarget.objects.get(
            area__code=code, indicator="energy_intensity_change_new_basis"
        )
        c = BindingTarget.objects.get(area__code=code, indicator="co2_intensity_change")
        assert e.current is not None
        assert e.current.value == Decimal(repr(energy))
        assert c.current is not None
        assert c.current.value == Decimal(repr(co2))
    # loading again changes nothing (no second revision)
    assert main(["binding-targets", "demo", "--as", "t-plan_admin"]) == 0
    assert "未变化 15 项" in capsys.readouterr().out
    assert BindingTargetRevision.objects.count() == 15


def test_demo_binding_targets_need_the_plan_office(plan: Any, capsys: Any) -> None:
    assert main(["binding-targets", "demo", "--as", "t-leader"]) == 1
    assert "计划管理部门" in capsys.readouterr().err
    assert not BindingTarget.objects.exists()


def test_demo_step_without_the_demo_city_says_what_to_do(plan: Any, settings: Any) -> None:
    settings.ECPLAN_DEMO_CITY = True
    with pytest.raises(ValueError, match="请先载入演示城市"):
        load_demo_evaluation_data(io.StringIO())
    settings.ECPLAN_DEMO_CITY = False
    load_demo_evaluation_data(io.StringIO())  # the city is off: nothing to enter
    assert not BindingTarget.objects.exists()

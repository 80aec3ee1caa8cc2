"""Edge cases through the wiring: no data, a single month, a target with no value, a missing
baseline, a zone inside an area, an intensity change of exactly zero, and the reference
example of the progress arithmetic (青海省统计局) carried through stored statistics."""

from __future__ import annotations

from typing import Any

import pytest

from ecplan.core.evaluation import YearMonth
from ecplan.monitoring.engine import evaluate
from ecplan.monitoring.entry import BindingTargetRecord
from ecplan.monitoring.presenters import run_json
from ecplan.monitoring.services import enter_binding_targets, run_evaluation
from ecplan.reporting import services as reporting
from ecplan.reporting.records import StatisticRecord, StatisticsReportRecord

from . import builders
from .conftest import PLAN, set_frequency


def _target(ev: Any, key: str) -> Any:
    return next(t for t in ev.targets if t.key == key)


def test_no_data_at_all(plan: Any, admin: Any) -> None:
    ev = evaluate(plan.current_version, as_of=YearMonth(2025, 9))
    statuses = {t.key: t.result for t in ev.targets}
    no_subject = {k for k, r in statuses.items() if r.reason.value == "no_entities_subject"}
    # rules with nobody subject to them (no new data centre, no budget-managed enterprise,
    # no key unit in the registry) are met vacuously and say so
    assert no_subject == {"dc-pue", "key-unit-energy-budget", "key-unit-monthly-reporting"}
    others = {r.status.value for k, r in statuses.items() if k not in no_subject}
    assert others <= {"无数据", "目标未设定"}
    assert statuses["existing-building-retrofit-area-2025"].status.value == "目标未设定"
    assert statuses["fyp14-energy-intensity"].status.value == "目标未设定"  # no binding entered
    # a 无数据 explanation names the missing series once, in one sentence per reason
    retrofit = statuses["retrofit-savings-2025"]
    assert retrofit.status.value == "无数据"
    assert "原因：" in retrofit.explanation
    assert "节能降碳改造形成的节能量" in retrofit.explanation
    assert "。。" not in retrofit.explanation
    assert not [a for a in ev.areas if a.level is not None]
    # the command's JSON lists every county-level area, each with the reason
    run = run_evaluation(PLAN, as_of=YearMonth(2025, 9), acting_user=admin)
    data = run_json(run, admin)
    assert {d["district"] for d in data["districts"]} == {
        "广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市"
    }  # fmt: skip
    assert all(d["warning_level"] is None and d["missing_reason"] for d in data["districts"])


def test_a_single_month(world: Any, plan: Any, admin: Any, assignments: None) -> None:
    set_frequency("retrofit_project_count", "month")
    builders.save_indicators(
        admin,
        [builders.indicator_report("市工信局", "2025-01", {"retrofit_project_count": (8, "项")})],
    )
    ev = evaluate(plan.current_version, as_of=YearMonth(2025, 1))
    t = _target(ev, "green-retrofit-projects-2025")
    # 8 projects against 序时进度 100 × 1 ÷ 12 = 8.33: 96 % → 进度正常, flagged single month
    assert t.result.value == 8
    assert t.result.required == pytest.approx(100 / 12)
    assert t.result.status.value == "进度正常"
    assert "single_month" in [f.value for f in t.result.flags]
    refs = [r for i in t.result.trail.children[0].inputs for r in i.refs]
    assert refs
    assert refs[0].kind == "indicator_value"
    assert refs[0].approver is not None


def test_a_target_without_value_still_shows_what_was_reported(
    plan: Any, admin: Any, assignments: None
) -> None:
    builders.save_indicators(
        admin,
        [
            builders.indicator_report(
                "市住建局", "2025-Q1", {"existing_building_retrofit_area_m2": (50, "万平方米")}
            )
        ],
    )
    ev = evaluate(plan.current_version, as_of=YearMonth(2025, 3))
    t = _target(ev, "existing-building-retrofit-area-2025")
    assert t.result.status.value == "目标未设定"
    assert t.result.value == pytest.approx(500_000)
    assert "XXX" in t.result.explanation


def test_a_missing_baseline(world: Any, plan: Any, admin: Any, plant: None) -> None:
    # steel reports only for 2025: 吨钢综合能耗 has no 2023 base year → 无数据 (baseline_missing)
    months = [f"2025-{m:02d}" for m in range(1, 4)]
    builders.save_energy(admin, builders.energy_reports(world.e_yizheng.credit_code, months))
    ev = evaluate(plan.current_version, as_of=YearMonth(2025, 3))
    t = _target(ev, "steel-energy-per-tonne-2025")
    assert t.result.status.value == "无数据"
    assert t.result.reason.value == "baseline_missing"
    assert "2023" in t.result.explanation


def test_a_zone_is_never_counted_twice(world: Any, plan: Any, admin: Any) -> None:
    # statistics are refused for a functional zone: its figures belong to its county-level area
    refused = reporting.save_statistics(
        [
            StatisticsReportRecord(
                "扬州经济技术开发区",
                "2025-Q1",
                [StatisticRecord("energy_total_tce", 10.0, "万吨标准煤")],
            )
        ],
        acting_user=admin,
        state="approved",
        confirm_warnings=True,
    )
    assert not refused.stored
    assert "功能区" in refused.issues.to_text()
    # an enterprise in the zone is one key unit of 邗江区, counted once
    e = world.e_zone
    e.key_unit_class = "over_10k"
    e.save()
    from ecplan.reporting.records import EnergyLineRecord, EnergyReportRecord

    builders.save_energy(
        admin,
        [
            EnergyReportRecord(
                e.credit_code, "2025-01", lines=[EnergyLineRecord("烟煤", "吨", consumed=1000.0)]
            )
        ],
    )
    ev = evaluate(plan.current_version, as_of=YearMonth(2025, 1))
    t = _target(ev, "key-enterprises-guided-2025")
    assert t.result.value == 1
    # the 晴雨表 has rows for the city and the county-level areas only
    assert all(a.area.kind != "functional_zone" for a in ev.areas)


def _area_stats(area: str, data: dict[str, tuple[float, float]]) -> list[StatisticsReportRecord]:
    """``period → (new-basis energy 万tce, GDP index)``; no deductions, so E_new = E_total."""
    out = []
    for period, (energy, index) in data.items():
        item = "gdp_index_previous_year" if "Q" not in period else "gdp_index_same_period"
        lines = [
            StatisticRecord("energy_total_tce", energy, "万吨标准煤"),
            StatisticRecord("nonfossil_energy_tce", 0.0, "万吨标准煤"),
            StatisticRecord(item, index, "上年=100" if "Q" not in period else "上年同期=100"),
        ]
        out.append(StatisticsReportRecord(area, period, lines))
    return out


def test_an_intensity_change_of_exactly_zero_is_level_one(plan: Any, admin: Any) -> None:
    builders.save_statistics(
        admin,
        _area_stats(
            "高邮市",
            {"2023": (300.0, 100.0), "2024-Q1": (80.0, 100.0), "2025-Q1": (80.0, 100.0)},
        ),
    )
    enter_binding_targets(
        PLAN, [BindingTargetRecord("高邮市", "能耗强度降低", "14%")], acting_user=admin
    )
    ev = evaluate(plan.current_version, as_of=YearMonth(2025, 3))
    w = next(
        a
        for a in ev.areas
        if a.area.name == "高邮市" and a.year == 2025 and a.dimension == "intensity"
    )
    assert w.intensity_change == 0.0
    assert w.level == 1
    assert "持平" in w.payload["explanation"]
    assert "未下降" in w.payload["explanation"]


def test_qinghai_reference_example_through_stored_statistics(plan: Any, admin: Any) -> None:
    """青海省统计局 统计方法说明 [V]: a 17 % five-year target; the first three years change by
    +1.51 %, −2.20 %, −4.18 % (cumulative −4.87 %, 26.8 % of the target); the last two years
    must achieve 12.75 %, i.e. 6.59 % a year. GDP indices of 100 make each year's intensity
    change equal the energy change, so the stored statistics carry exactly these changes."""
    e2020 = 1000.0
    e2021 = e2020 * (1 + 0.0151)
    e2022 = e2021 * (1 - 0.0220)
    e2023 = e2022 * (1 - 0.0418)
    builders.save_statistics(
        admin,
        _area_stats(
            "宝应县",
            {
                "2020": (e2020, 100.0),
                "2021": (e2021, 100.0),
                "2022": (e2022, 100.0),
                "2023": (e2023, 100.0),
                "2023-Q1": (250.0, 100.0),
                "2024-Q1": (240.0, 100.0),
            },
        ),
    )
    enter_binding_targets(
        PLAN,
        [BindingTargetRecord("宝应县", "能耗强度降低", "17%", base_year=2020, target_year=2025)],
        acting_user=admin,
    )
    ev = evaluate(plan.current_version, as_of=YearMonth(2024, 3))
    w = next(
        a
        for a in ev.areas
        if a.area.name == "宝应县" and a.year == 2024 and a.dimension == "intensity"
    )
    requirement = w.payload["requirement"]
    assert requirement["cumulative_reduction"] == pytest.approx(0.0487, abs=5e-5)
    assert requirement["progress_share"] == pytest.approx(0.268, abs=5e-4)
    assert requirement["remaining_reduction"] == pytest.approx(0.1275, abs=5e-5)
    assert w.required_reduction == pytest.approx(0.0659, abs=5e-5)
    # 2024 Q1: 240 ÷ 250 − 1 = −4 % < 6.59 % → 二级
    assert w.intensity_change == pytest.approx(-0.04)
    assert w.level == 2

"""Golden values of the small hand-built city (``builders.py``), as of 2025-09, each computed
by hand below from the numbers of the fixture — independently of the evaluation code.

Conventions: statistics in 万吨标准煤 (×10 000 = tce); 烟煤 converts to standard coal at the
GB/T 2589 raw-coal coefficient 0.7143 tce/t (both bases); GDP indices 上年（同期）= 100.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from ecplan.core.evaluation import YearMonth
from ecplan.monitoring.engine import Evaluation, evaluate
from ecplan.monitoring.regional import ytd_change

K_COAL = 0.7143  # tce/t, GB/T 2589-2020 Appendix A, 原煤 (烟煤 has no coefficient of its own)


def target(ev: Evaluation, key: str) -> Any:
    return next(t for t in ev.targets if t.key == key)


def warning(ev: Evaluation, area: str, year: int, months: int, dimension: str = "intensity") -> Any:
    return next(
        a
        for a in ev.areas
        if a.area.name == area
        and a.year == year
        and a.months == months
        and a.dimension == dimension
    )


@pytest.fixture
def ev(city: Any, energy: None) -> Evaluation:
    return evaluate(city.version, as_of=YearMonth(2025, 9))


def test_share_targets(ev: Evaluation) -> None:
    # 非化石能源消费占比 2025年1—9月: 330 ÷ 1650 = 20 % (published non-fossil figure).
    t = target(ev, "nonfossil-share-2025")
    assert t.result.value == pytest.approx(330 / 1650, rel=1e-12)
    # target 20 %左右, tolerance 5 % of 20 % (plan setting) = 1 pp; met, not yet final
    assert t.result.status.value == "进度正常"
    assert t.result.tolerance_origin == "计划设定"
    assert t.result.data_through == YearMonth(2025, 9)
    # 煤炭占比: coal 84 万t × 10 = 840 万t × 0.7143 = 600.012 万tce ÷ 1650 = 36.364 %
    t = target(ev, "coal-share-primary-2025")
    assert t.result.value == pytest.approx(840 * K_COAL / 1650, rel=1e-12)
    assert t.result.status.value == "进度正常"
    # 电煤占比: power coal 84 × 6 = 504 万t ÷ 840 万t = 60 % (the coefficient cancels);
    # 60 ÷ 75 = 80 % < 90 % → 严重滞后
    t = target(ev, "power-coal-share-2025")
    assert t.result.value == pytest.approx(0.6, rel=1e-12)
    assert t.result.status.value == "严重滞后"
    # the latest quarter alone: (504 − 336) ÷ (840 − 560) = 60 % as well
    assert t.result.value_latest == pytest.approx(0.6, rel=1e-12)
    # 非化石能源发电量占比: quarters carry no generation; latest year 2024: solar 20 + 5 × 4 = 40,
    # coal 300 (亿kWh) → 40 ÷ 340 = 11.76 %, data through 2024-12
    t = target(ev, "nonfossil-generation-share-2025")
    assert t.result.value == pytest.approx(40 / 340, rel=1e-12)
    assert t.result.data_through == YearMonth(2024, 12)
    assert "data_lag" in [f.value for f in t.result.flags]


def test_nonfossil_deduction_against_the_time_proportional_requirement(ev: Evaluation) -> None:
    # 330 万tce by September against 550 万tce for the year: 序时进度 550 × 9 ÷ 12 = 412.5,
    # 330 ÷ 412.5 = 80 % → 滞后 (80 % is the lower end of 滞后)
    t = target(ev, "nonfossil-deduction-2025")
    assert t.result.value == pytest.approx(3_300_000, rel=1e-12)
    assert t.result.required == pytest.approx(5_500_000 * 9 / 12, rel=1e-12)
    assert t.result.achievement_ratio == pytest.approx(0.8, rel=1e-12)
    assert t.result.status.value == "滞后"


def test_generation_coal_rate_on_the_supply_basis(ev: Evaluation) -> None:
    # unit G1, each month 85 000 tce, 30 000 万kWh generated, 1 800 万kWh station use;
    # supply basis (plan setting, unconfirmed): 85 000 × 10⁶ ÷ (3.0e8 − 1.8e7) = 301.42 gce/kWh
    t = target(ev, "generation-coal-rate-2025")
    assert t.result.value == pytest.approx(85_000 * 1e6 / (3.0e8 - 1.8e7), rel=1e-12)
    # 290 ÷ 301.42 = 96.2 % → 滞后
    assert t.result.status.value == "滞后"
    assert any("未经确认" in n for n in t.result.notes)


def test_steel_energy_per_tonne_against_2023(ev: Evaluation) -> None:
    # 2025: 10 000 tce ÷ 40 000 t = 250 kgce/t; 2023: 10 204 ÷ 40 000 = 255.1 kgce/t;
    # change 250 ÷ 255.1 − 1 = −1.9992 %; target −2 %左右 (±5 % → −1.9 %): met, not final
    t = target(ev, "steel-energy-per-tonne-2025")
    assert t.result.value == pytest.approx(250 / 255.1 - 1, rel=1e-12)
    assert t.result.baseline is not None
    assert t.result.baseline.value == pytest.approx(255.1, rel=1e-12)
    assert t.result.status.value == "进度正常"
    assert "met_within_tolerance" in [f.value for f in t.result.flags]


def test_caustic_soda_and_pta_capacity_against_the_benchmarks(ev: Evaluation) -> None:
    # liquid ≥30 %: 4 650 ÷ 15 000 × 1000 = 310 kgce/t ≤ 标杆 315 → 200 000 t at benchmark;
    # solid ≥98 %: 5 600 ÷ 8 000 × 1000 = 700 kgce/t > 标杆 620, > 基准 685 → worse than 基准.
    # share = 200 000 ÷ 300 000 = 66.67 % > 30 % → 进度正常 (levels [U]: uncertain)
    t = target(ev, "caustic-soda-benchmark-capacity-2025")
    assert t.result.value == pytest.approx(200_000 / 300_000, rel=1e-12)
    assert t.result.status.value == "进度正常"
    assert t.measurement is not None
    assert t.measurement.uncertain
    assert t.measurement.extra["capacity_below_baseline_t"] == pytest.approx(100_000)
    # the milestone: 100 000 t still worse than 基准 → not done; progress 1 − 1/3 against
    # 9/12 of the year → 0.6667 ÷ 0.75 = 88.9 % → 滞后
    m = target(ev, "caustic-soda-below-baseline-exit")
    assert m.result.status.value == "滞后"
    # PTA: the shipped 2023 benchmark list has no confirmed PTA levels → 无数据 with the reason
    pta = target(ev, "pta-benchmark-capacity-2025")
    assert pta.result.status.value == "无数据"
    assert "能效标杆水平未设定" in pta.result.explanation
    assert target(ev, "pta-below-baseline-exit").result.status.value == "无数据"


def test_data_centre_pue_rule_names_the_breach(ev: Evaluation) -> None:
    # 1 250 ÷ 1 000 万kWh = 1.25, not below 1.2 → the only new centre breaches → 严重滞后
    t = target(ev, "dc-pue")
    assert t.result.value == pytest.approx(1.25, rel=1e-12)
    assert [e.complies for e in t.result.entities] == [False]
    assert t.result.status.value == "严重滞后"


def test_service_energy_growth_compared_with_value_added_growth(ev: Evaluation) -> None:
    # 330 ÷ 310 − 1 = 6.45 % against the tertiary value-added index 106 → 6 %: higher → 滞后
    t = target(ev, "service-energy-growth-2025")
    assert t.result.value == pytest.approx(330 / 310 - 1, rel=1e-12)
    assert t.measurement is not None
    assert t.measurement.reference_value == pytest.approx(0.06, rel=1e-9)
    assert t.result.status.value == "滞后"


def _e_new(total: float, nonfossil: float, feed_wan_t: float) -> float:
    """New-basis energy, 万tce: total − non-fossil − feedstock coal × 0.7143."""
    return total - nonfossil - feed_wan_t * K_COAL


def test_city_energy_intensity_chained_since_2020(ev: Evaluation) -> None:
    e = {
        2020: _e_new(2000, 260, 100),  # 1668.57
        2021: _e_new(2060, 290, 100),  # 1698.57
        2022: _e_new(2080, 310, 105),  # 1694.9985
        2023: _e_new(2130, 350, 105),  # 1704.9985
        2024: _e_new(2200, 400, 110),  # 1721.427
    }
    index = {2021: 1.074, 2022: 1.025, 2023: 1.06, 2024: 1.058}
    changes = [(e[y] / e[y - 1]) / index[y] - 1 for y in range(2021, 2025)]
    # 2025 Q1–Q3 against 2024 Q1–Q3, GDP index 105.4
    ytd = (_e_new(1650, 330, 84) / _e_new(1620, 290, 81)) / 1.054 - 1
    expected = math.prod(1 + c for c in [*changes, ytd]) - 1
    t = target(ev, "fyp14-energy-intensity")
    assert t.measurement is not None
    assert t.measurement.value == pytest.approx(expected, rel=1e-12)
    # the target is the city's binding target entered by the plan office (14 %), not in the text
    assert t.result.target == pytest.approx(-0.14)
    assert t.result.status.value == "进度正常"
    assert t.warning_level == 3
    assert any("计划管理部门录入的约束性指标" in n for n in t.result.notes)
    refs = [r for i in t.result.trail.inputs for r in i.refs]
    assert any(r.kind == "binding_target" for r in refs)


def test_yizheng_barometer_levels_and_requirements(ev: Evaluation) -> None:
    k = K_COAL
    e = {
        2020: 500 - 50 - 60 * k,
        2021: 510 - 55 - 60 * k,
        2022: 530 - 58 - 62 * k,
        2023: 535 - 62 - 62 * k,
        2024: 545 - 70 - 64 * k,
    }
    index = {2021: 1.06, 2022: 1.02, 2023: 1.05, 2024: 1.05}
    change = {y: (e[y] / e[y - 1]) / index[y] - 1 for y in range(2021, 2025)}
    # 2022: intensity rose (+1.743 %) → 一级
    assert change[2022] == pytest.approx(0.017433, abs=1e-6)
    assert warning(ev, "仪征市", 2022, 12).level == 1

    def requirement(year: int) -> float:
        # remaining task R = 1 − (1 − T) ÷ Π(1 − rᵢ); per year 1 − (1 − R)^(1/(n − k))
        achieved = [-change[y] for y in range(2021, year)]
        if not achieved:
            return 1 - (1 - 0.12) ** (1 / 5)
        remaining = 1 - (1 - 0.12) / math.prod(1 - r for r in achieved)
        return 1 - (1 - remaining) ** (1 / (5 - len(achieved)))

    # 2021: −4.502 % against 2.524 % (1 − 0.88^(1/5)) → 三级
    w = warning(ev, "仪征市", 2021, 12)
    assert w.required_reduction == pytest.approx(requirement(2021), rel=1e-12)
    assert w.required_reduction == pytest.approx(0.025243, abs=1e-6)
    assert w.level == 3
    # 2024 Q1: (130 − 15 − 16k) ÷ (125 − 14 − 16k) ÷ 1.05 − 1 = −0.94 %: fell, but less than the
    # 2024 requirement 2.596 % → 二级
    q1 = ((130 - 15 - 16 * k) / (125 - 14 - 16 * k)) / 1.05 - 1
    w = warning(ev, "仪征市", 2024, 3)
    assert w.intensity_change == pytest.approx(q1, rel=1e-12)
    assert w.required_reduction == pytest.approx(requirement(2024), rel=1e-12)
    assert w.level == 2
    assert w.payload["rule_text"]
    # 2025 Q1 rose (+0.796 %) → 一级; H1 fell 2.927 % against 0.513 % → 三级
    assert warning(ev, "仪征市", 2025, 3).level == 1
    h1 = warning(ev, "仪征市", 2025, 6)
    assert h1.intensity_change == pytest.approx(
        ((270 - 36 - 32 * k) / (265 - 33 - 32 * k)) / 1.04 - 1, rel=1e-12
    )
    assert h1.required_reduction == pytest.approx(requirement(2025), rel=1e-12)
    assert h1.level == 3


def test_consumption_warning_uses_a_derived_allowance_when_none_is_entered(ev: Evaluation) -> None:
    k = K_COAL
    w = warning(ev, "仪征市", 2025, 6, "consumption")
    growth = (270 - 36 - 32 * k) / (265 - 33 - 32 * k) - 1
    required = warning(ev, "仪征市", 2025, 6).required_reduction
    assert w.energy_growth == pytest.approx(growth, rel=1e-12)
    # allowed = (1 + g_GDP) × (1 − required) − 1, labelled as a platform derivation
    assert w.allowed_growth == pytest.approx(1.04 * (1 - required) - 1, rel=1e-12)
    assert w.payload["allowed_growth_derived"] is True
    assert "平台推算" in w.payload["allowed_growth_source"]


def test_co2_intensity_change_of_2022(city: Any) -> None:
    """CO2 = (coal − feedstock) × EF(烟煤) + net imported electricity × 江苏 grid factor."""
    from ecplan.monitoring.data import DataContext

    # EF(烟煤), GB/T 32151.22-2024 Table C.1: NCV 19.570 GJ/t × 0.0261 tC/GJ × 93 % × 44/12
    ef_coal = 19.570 * 0.0261 * 0.93 * 44 / 12
    co2_2021 = (1480 - 100) * 1e4 * ef_coal + 160e8 * 0.6451e-3  # 江苏 2021: 0.6451 kg/kWh
    co2_2022 = (1460 - 105) * 1e4 * ef_coal + 160e8 * 0.5978e-3  # 江苏 2022: 0.5978 kg/kWh
    ctx = DataContext(region=city.plan.region, as_of=YearMonth(2025, 9))
    change = ytd_change(ctx, city.world.city, 2022, 12, measure="co2")
    assert change.quantity_current == pytest.approx(co2_2022, rel=1e-9)
    assert change.quantity_previous == pytest.approx(co2_2021, rel=1e-9)
    assert change.value == pytest.approx((co2_2022 / co2_2021) / 1.025 - 1, rel=1e-9)
    # the 2020 base has no published grid factor in the shipped sets: the binding CO2 target
    # says so instead of guessing
    ev = evaluate(city.version, as_of=YearMonth(2025, 9))
    co2 = target(ev, "fyp14-co2-intensity")
    assert co2.result.status.value == "无数据"
    assert "2020" in co2.result.explanation


def test_annual_figures_old_and_new_basis(ev: Evaluation) -> None:
    fig = next(
        a
        for a in ev.areas
        if a.dimension == "figures" and a.area.name == "扬州市" and a.year == 2021
    )
    values = fig.payload["figures"]
    assert values["energy_total_tce"] == pytest.approx(20_600_000)
    assert values["energy_new_basis_tce"] == pytest.approx(_e_new(2060, 290, 100) * 1e4, rel=1e-12)
    # GDP at 2020 prices: 6 048.33 亿元 × 1.074
    assert values["gdp_constant_10k_yuan"] == pytest.approx(6048.33e4 * 1.074, rel=1e-12)
    assert values["intensity_new_tce_per_10k_yuan"] == pytest.approx(
        _e_new(2060, 290, 100) * 1e4 / (6048.33e4 * 1.074), rel=1e-12
    )

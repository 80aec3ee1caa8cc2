"""Department reports, per-entity statuses, binding targets and the retrofit ledger (演示数据).

Departments report the plan indicators that are not computed from energy data (buildings,
transport, public institutions, solid waste, inspections); per-entity records give the status
of coal boilers, steel ultra-low-emission retrofits, data centres and the plan's milestones;
the plan office enters the 14th Five-Year binding targets and their allocation to the areas;
the industry bureau keeps the ledger of energy-saving retrofit projects. All synthetic.
"""

from __future__ import annotations

from typing import Final, Literal

from ecplan.demo import calibration as cal
from ecplan.demo.model import (
    BindingTarget,
    DemoCity,
    EntityStatus,
    IndicatorReport,
    RetrofitProject,
)
from ecplan.demo.periods import Month
from ecplan.demo.rng import Stream
from ecplan.demo.roster import Boiler, DataCentre
from ecplan.demo.simulate import SimEnterprise, parse_date
from ecplan.demo.statistics import AREAS, CITY, CityAccounts

DEMO_NOTE: Final = "演示数据（虚构）"
Basis = Literal["当期", "累计", "期末"]
MILESTONE_NOTE: Final = "演示数据：虚构进展，不代表该单位的实际情况"

#: level series code → (plan indicator code, baseline year)
LEVEL_TO_PLAN: Final[dict[str, tuple[str, int]]] = {
    "transport_carbon_intensity": ("transport_carbon_intensity_change", 2020),
    "container_rail_water_volume": ("container_rail_water_volume_change", 2020),
    "pi_energy_per_area": ("pi_energy_per_area_change", 2020),
    "pi_co2_per_area": ("pi_co2_per_area_change", 2020),
    "pi_energy_per_capita": ("pi_energy_per_capita_change", 2020),
}
#: Year-to-date progress of a level through 2025, by quarter (share of the 2024→2025 move).
QUARTER_PROGRESS: Final = (0.55, 0.75, 0.90, 1.0)
#: Cumulative share of an annual amount reached by the end of each quarter.
QUARTER_CUMULATIVE: Final = (0.16, 0.38, 0.66, 1.0)
#: Plan milestones and their synthetic progress: milestone id → [(quarter, status)].
MILESTONE_PROGRESS: Final[dict[str, tuple[tuple[str, str], ...]]] = {
    "guoxin-usc-unit": (("2024-Q4", "在建"), ("2025-Q2", "在建"), ("2025-Q4", "在建")),
    "close-huadian-yangzhou": (("2024-Q4", "推进中"), ("2025-Q2", "推进中"), ("2025-Q3", "已关停")),
    "close-guoxin-yizheng-chp": (
        ("2024-Q4", "推进中"),
        ("2025-Q2", "推进中"),
        ("2025-Q4", "推进中"),
    ),
    "close-yizheng-chemical-fibre": (("2024-Q2", "推进中"), ("2024-Q3", "已关停")),
    "close-port-chp": (("2024-Q4", "部分关停"), ("2025-Q2", "已关停")),
    "close-shiyou-boiler": (("2024-Q4", "推进中"), ("2025-Q1", "已关停")),
    "steel-ultra-low-emission": (
        ("2024-Q4", "推进中"),
        ("2025-Q3", "推进中"),
        ("2025-Q4", "推进中"),
    ),
}
#: Steel enterprises' ultra-low-emission retrofit completion (roster key → month or None).
STEEL_ULE: Final[dict[str, str | None]] = {
    "steel-a": "2024-11",
    "steel-b": "2025-09",
    "steel-c": None,
}
RETROFIT_KINDS: Final = (
    "电机系统节能改造",
    "余热余压利用改造",
    "空压机系统节能改造",
    "燃煤锅炉节能和超低排放改造",
    "能量系统优化改造",
    "变压器能效提升改造",
    "循环水及冷却系统改造",
    "工业窑炉节能改造",
    "照明及楼宇节能改造",
    "数据中心制冷系统改造",
)


def department_reports(
    city: DemoCity, sims: list[SimEnterprise], accounts: CityAccounts, seed: int
) -> None:
    """Add indicator reports, statuses, binding targets and the retrofit ledger to ``city``."""
    city.indicators.extend(_level_indicators())
    city.indicators.extend(_value_indicators())
    city.indicators.extend(_service_growth())
    names = {(i.credit_code, i.code): i.name for i in city.installations}
    city.statuses.extend(_statuses(sims, names))
    city.binding_targets.extend(_binding_targets())
    city.retrofits.extend(_retrofits(sims, seed))
    _ = accounts


def _level_indicators() -> list[IndicatorReport]:
    out: list[IndicatorReport] = []
    for code, (dept, unit, series) in cal.DEPARTMENT_LEVELS.items():
        plan_code, base_year = LEVEL_TO_PLAN[code]
        base = series[base_year]
        for year, level in series.items():
            out.append(
                IndicatorReport(
                    plan_code, dept, CITY, str(year), level / base - 1.0, "fraction", "期末",
                    level, unit, base_year, base, DEMO_NOTE,
                )
            )  # fmt: skip
        amount = code == "container_rail_water_volume"
        for q in range(1, 5):
            if amount:
                level = series[2025] * QUARTER_CUMULATIVE[q - 1]
                base_q = series[base_year] * QUARTER_CUMULATIVE[q - 1]
            else:
                level = series[2024] + (series[2025] - series[2024]) * QUARTER_PROGRESS[q - 1]
                base_q = base
            out.append(
                IndicatorReport(
                    plan_code, dept, CITY, f"2025-Q{q}", level / base_q - 1.0, "fraction", "累计",
                    level, unit, base_year, base_q,
                    DEMO_NOTE + ("；基期为2020年同期" if amount else ""),
                )
            )  # fmt: skip
    return out


def _value_indicators() -> list[IndicatorReport]:
    out: list[IndicatorReport] = []
    for code, (dept, unit, series) in cal.DEPARTMENT_VALUES.items():
        amount = unit == "m2"
        for year, value in series.items():
            year_basis: Basis = "当期" if amount else "期末"
            out.append(
                IndicatorReport(
                    code, dept, CITY, str(year), value, unit, year_basis, comment=DEMO_NOTE
                )
            )
        if 2025 not in series or unit == "个":
            continue
        prev = series.get(2024, series[2025])
        for q in range(1, 5):
            q_basis: Basis
            if amount:
                share = QUARTER_CUMULATIVE[q - 1] - (QUARTER_CUMULATIVE[q - 2] if q > 1 else 0.0)
                value, q_basis = series[2025] * share, "当期"
            else:
                value, q_basis = prev + (series[2025] - prev) * QUARTER_PROGRESS[q - 1], "累计"
            out.append(
                IndicatorReport(
                    code, dept, CITY, f"2025-Q{q}", value, unit, q_basis, comment=DEMO_NOTE
                )
            )
    return out


def _service_growth() -> list[IndicatorReport]:
    out = []
    for year, g in cal.TERTIARY_REAL_GROWTH.items():
        out.append(IndicatorReport("service_value_added_growth", "statistics", CITY, str(year), g, "fraction", "累计", comment=DEMO_NOTE))  # fmt: skip
        for q in range(1, 5):
            out.append(IndicatorReport("service_value_added_growth", "statistics", CITY, f"{year}-Q{q}", g, "fraction", "累计", comment=DEMO_NOTE))  # fmt: skip
    return out


def _quarter_ends() -> list[tuple[str, Month]]:
    out = [(str(y), Month(y, 12)) for y in range(2021, 2025)]
    out += [(f"2025-Q{q}", Month(2025, 3 * q)) for q in range(1, 5)]
    return out


def _statuses(sims: list[SimEnterprise], names: dict[tuple[str, str], str]) -> list[EntityStatus]:
    """Per-entity statuses; the subject is the installation's or enterprise's name, or the
    plan's milestone id."""
    out: list[EntityStatus] = []
    for sim in sims:
        for unit in sim.spec.units:
            code = names[(sim.credit_code, unit.key)]
            if isinstance(unit, Boiler):
                for period, end in _quarter_ends():
                    if parse_date(unit.commissioned) > end.last_day:
                        continue
                    if unit.closed and parse_date(unit.closed) <= end.last_day:
                        status = "已关停"
                    elif (
                        unit.retrofit_completed
                        and parse_date(unit.retrofit_completed) <= end.last_day
                    ):
                        status = "已完成"
                    else:
                        status = "未完成"
                    out.append(EntityStatus("boiler_retrofit_status", code, period, status, "development-reform", DEMO_NOTE))  # fmt: skip
            elif isinstance(unit, DataCentre):
                status = "符合" if unit.green_standard else "不符合"
                out.append(
                    EntityStatus("dc_green_standard", code, "2025", status, "data", DEMO_NOTE)
                )
        if sim.spec.key in STEEL_ULE:
            done = STEEL_ULE[sim.spec.key]
            for period, end in _quarter_ends():
                status = "已完成" if done and Month.parse(done) <= end else "未完成"
                out.append(EntityStatus("steel_ultra_low_emission_status", sim.name, period, status, "ecology-environment", DEMO_NOTE))  # fmt: skip
        if sim.sector.budget_managed:
            for year in (2024, 2025):
                out.append(EntityStatus("key_unit_energy_budget", sim.name, str(year), "已实行", "industry-it", DEMO_NOTE))  # fmt: skip
    for milestone, steps in MILESTONE_PROGRESS.items():
        indicator = {
            "guoxin-usc-unit": "unit_construction_status",
            "steel-ultra-low-emission": "steel_ultra_low_emission_status",
        }.get(milestone, "unit_closure_status")
        for period, status in steps:
            out.append(EntityStatus(indicator, milestone, period, status, "development-reform", MILESTONE_NOTE))  # fmt: skip
    return out


def _binding_targets() -> list[BindingTarget]:
    note = "演示数据：虚构的“十四五”约束性指标及分解，仅供演示"
    e = cal.BINDING_ENERGY_INTENSITY_REDUCTION.value
    c = cal.BINDING_CO2_INTENSITY_REDUCTION.value
    out = [
        BindingTarget(CITY, "energy_intensity_change_new_basis", 2020, 2025, e, "fraction", "reduction", note),
        BindingTarget(CITY, "co2_intensity_change", 2020, 2025, c, "fraction", "reduction", note),
        BindingTarget(CITY, "nonfossil_share", 2020, 2025, cal.BINDING_NONFOSSIL_SHARE.value, "fraction", "level",
                      "扬州市“十四五”生态环境保护规划目标（公开数据[V]）；用于演示"),
    ]  # fmt: skip
    for area in AREAS:
        ea, ca = cal.AREA_BINDING[area]
        out.append(BindingTarget(area, "energy_intensity_change_new_basis", 2020, 2025, ea, "fraction", "reduction", note))  # fmt: skip
        out.append(BindingTarget(area, "co2_intensity_change", 2020, 2025, ca, "fraction", "reduction", note))  # fmt: skip
    return out


def _retrofits(sims: list[SimEnterprise], seed: int) -> list[RetrofitProject]:
    out: list[RetrofitProject] = []
    eligible = [s for s in sims if s.sector.key not in ("wte",)]
    for year, (count, savings, co2) in cal.RETROFIT_YEARS.items():
        stream = Stream(seed, "retrofits", year)
        raw = [stream.factor(0.9) for _ in range(count)]
        co2_ratio = [2.62 * stream.factor(0.08) for _ in range(count)]
        s_total = sum(raw)
        project_savings = [savings * r / s_total for r in raw]
        c_total = sum(s * k for s, k in zip(project_savings, co2_ratio, strict=True))
        # completion months: later in the year more often (year-end rush)
        month_weights = [0.5, 0.5, 0.8, 0.8, 0.9, 1.0, 0.9, 0.9, 1.0, 1.1, 1.3, 1.9]
        cum = [sum(month_weights[: i + 1]) for i in range(12)]
        for i in range(count):
            sim = eligible[stream.integer(0, len(eligible) - 1)]
            u = stream.uniform(0.0, cum[-1])
            month = next(k for k in range(12) if u <= cum[k]) + 1
            completed = Month(year, month)
            started = completed.add(-stream.integer(3, 10))
            kind = stream.choice(RETROFIT_KINDS)
            if sim.sector.key == "datacentre":
                kind = "数据中心制冷系统改造"
            s = project_savings[i]
            out.append(
                RetrofitProject(
                    code=f"GZ{year}-{i + 1:03d}",
                    name=f"{sim.name.removesuffix('有限公司')}{kind}项目",
                    credit_code=sim.credit_code,
                    enterprise_name=sim.name,
                    area_code=sim.area,
                    sector=sim.sector.label,
                    started=str(started),
                    completed=str(completed),
                    savings_tce=round(s, 1),
                    co2_reduction_t=round(co2 * s * co2_ratio[i] / c_total, 1),
                    investment_10k_yuan=round(s * stream.uniform(0.25, 0.6), 1),
                    method="GB/T 13234 用能单位节能量计算方法：改造前后单位产品能耗比较（演示数据）",
                )
            )
    out.sort(key=lambda r: (r.completed, r.code))
    return out

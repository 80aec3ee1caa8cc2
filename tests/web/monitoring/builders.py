"""A small hand-built city for the evaluation tests: statistics of 扬州市 and 仪征市, enterprise
reports of a few installations, department reports, binding targets — every number chosen so
that the expected results can be computed by hand in the tests.

All data are stored through the data-collection services (``save_statistics`` …) as approved
(back-filled by the plan office), exactly as the demo loader does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from ecplan.reporting import services as reporting
from ecplan.reporting.records import (
    EnergyLineRecord,
    EnergyReportRecord,
    IndicatorReportRecord,
    IndicatorValueRecord,
    InstallationFiguresRecord,
    InstallationRecord,
    StatisticRecord,
    StatisticsReportRecord,
)

WAN = 10_000.0

#: City statistics, annual (万吨标准煤; feedstock and coal in 万吨 of 烟煤; GDP 亿元).
#: year: (E_total, non-fossil, feedstock coal 万t, coal consumed 万t, power coal 万t,
#:        heat coal 万t, GDP index 上年=100, GDP current)
CITY_YEARS: dict[int, tuple[float, float, float, float, float, float, float, float]] = {
    2020: (2000.0, 260.0, 100.0, 1500.0, 1000.0, 100.0, 103.5, 6048.33),
    2021: (2060.0, 290.0, 100.0, 1480.0, 1000.0, 100.0, 107.4, 6696.43),
    2022: (2080.0, 310.0, 105.0, 1460.0, 990.0, 100.0, 102.5, 7105.00),
    2023: (2130.0, 350.0, 105.0, 1440.0, 1000.0, 100.0, 106.0, 7423.26),
    2024: (2200.0, 400.0, 110.0, 1420.0, 1000.0, 110.0, 105.8, 7809.64),
}
#: City statistics, quarters cumulative from January:
#: (E_total, non-fossil, feedstock coal 万t, GDP index 上年同期=100, service energy 万tce,
#:  tertiary value-added index 上年同期=100)
CITY_QUARTERS: dict[str, tuple[float, float, float, float, float, float]] = {
    "2024-Q1": (520.0, 90.0, 27.0, 105.9, 100.0, 105.0),
    "2024-Q2": (1060.0, 190.0, 54.0, 105.8, 205.0, 105.0),
    "2024-Q3": (1620.0, 290.0, 81.0, 105.8, 310.0, 105.0),
    "2025-Q1": (535.0, 100.0, 28.0, 105.6, 105.0, 106.0),
    "2025-Q2": (1085.0, 215.0, 56.0, 105.5, 214.0, 106.0),
    "2025-Q3": (1650.0, 330.0, 84.0, 105.4, 330.0, 106.0),
}
#: 仪征市, annual: (E_total, non-fossil, feedstock coal 万t, GDP index 上年=100)
YIZHENG_YEARS: dict[int, tuple[float, float, float, float]] = {
    2020: (500.0, 50.0, 60.0, 103.0),
    2021: (510.0, 55.0, 60.0, 106.0),
    2022: (530.0, 58.0, 62.0, 102.0),
    2023: (535.0, 62.0, 62.0, 105.0),
    2024: (545.0, 70.0, 64.0, 105.0),
}
#: 仪征市, quarters: (E_total, non-fossil, feedstock coal 万t, GDP index 上年同期=100)
YIZHENG_QUARTERS: dict[str, tuple[float, float, float, float]] = {
    "2023-Q1": (125.0, 14.0, 16.0, 105.0),
    "2024-Q1": (130.0, 15.0, 16.0, 105.0),
    "2024-Q2": (265.0, 33.0, 32.0, 105.0),
    "2025-Q1": (136.0, 16.0, 16.0, 104.0),
    "2025-Q2": (270.0, 36.0, 32.0, 104.0),
}


def _stat(
    item: str, value: float, unit: str, breakdown: str = "", subject: str = ""
) -> StatisticRecord:
    return StatisticRecord(item=item, value=value, unit=unit, breakdown=breakdown, subject=subject)


def city_statistics() -> list[StatisticsReportRecord]:
    out = []
    for year, (total, nf, feed, coal, power, heat, index, gdp) in CITY_YEARS.items():
        lines = [
            _stat("energy_total_tce", total, "万吨标准煤"),
            _stat("nonfossil_energy_tce", nf, "万吨标准煤"),
            _stat("energy_consumption", coal, "万吨", "bituminous_coal"),
            _stat("feedstock", feed, "万吨", "bituminous_coal"),
            _stat("power_input", power, "万吨", "bituminous_coal"),
            _stat("heat_input", heat, "万吨", "bituminous_coal"),
            _stat("gdp_index_previous_year", index, "上年=100"),
            _stat("gdp_current", gdp, "亿元"),
            _stat("generation", 300.0, "亿千瓦时", "coal"),
            _stat("generation", 20.0 + 5.0 * (year - 2020), "亿千瓦时", "solar"),
            _stat("net_imported_electricity", 160.0, "亿千瓦时"),
        ]
        out.append(StatisticsReportRecord(area="扬州市", period=str(year), lines=lines))
    for period, (total, nf, feed, index, service, va) in CITY_QUARTERS.items():
        lines = [
            _stat("energy_total_tce", total, "万吨标准煤"),
            _stat("nonfossil_energy_tce", nf, "万吨标准煤"),
            _stat("energy_consumption", feed * 10, "万吨", "bituminous_coal"),
            _stat("feedstock", feed, "万吨", "bituminous_coal"),
            _stat("power_input", feed * 6, "万吨", "bituminous_coal"),
            _stat("gdp_index_same_period", index, "上年同期=100"),
            _stat("service_energy_tce", service, "万吨标准煤"),
            _stat("value_added_index_same_period", va, "上年同期=100", "tertiary"),
        ]
        out.append(StatisticsReportRecord(area="扬州市", period=period, lines=lines))
    return out


def yizheng_statistics() -> list[StatisticsReportRecord]:
    out = []
    for year, (total, nf, feed, index) in YIZHENG_YEARS.items():
        lines = [
            _stat("energy_total_tce", total, "万吨标准煤"),
            _stat("nonfossil_energy_tce", nf, "万吨标准煤"),
            _stat("energy_consumption", feed * 3, "万吨", "bituminous_coal"),
            _stat("feedstock", feed, "万吨", "bituminous_coal"),
            _stat("gdp_index_previous_year", index, "上年=100"),
        ]
        out.append(StatisticsReportRecord(area="仪征市", period=str(year), lines=lines))
    for period, (total, nf, feed, index) in YIZHENG_QUARTERS.items():
        lines = [
            _stat("energy_total_tce", total, "万吨标准煤"),
            _stat("nonfossil_energy_tce", nf, "万吨标准煤"),
            _stat("energy_consumption", feed * 3, "万吨", "bituminous_coal"),
            _stat("feedstock", feed, "万吨", "bituminous_coal"),
            _stat("gdp_index_same_period", index, "上年同期=100"),
        ]
        out.append(StatisticsReportRecord(area="仪征市", period=period, lines=lines))
    return out


def save_statistics(
    user: Any, records: Sequence[StatisticsReportRecord], *, state: str = "approved"
) -> Any:
    out = reporting.save_statistics(
        records, acting_user=user, state=state, reason="测试数据", confirm_warnings=True
    )
    assert out.stored, out.issues.to_text()
    return out


def installations(credit_code: str) -> list[InstallationRecord]:
    """PTA ×2, caustic soda ×2 (two variants), a new data centre, a coal plant with one unit,
    two coal boilers (≥ 35 t/h and < 35 t/h)."""
    return [
        InstallationRecord(credit_code, "PTA-A", "A号PTA装置", "production_unit", product="pta", capacity_t_per_a=1_000_000),
        InstallationRecord(credit_code, "PTA-B", "B号PTA装置", "production_unit", product="pta", capacity_t_per_a=3_000_000),
        InstallationRecord(credit_code, "NAOH-30", "液碱装置", "production_unit", product="caustic_soda", variant="liquid_30", capacity_t_per_a=200_000),
        InstallationRecord(credit_code, "NAOH-98", "固碱装置", "production_unit", product="caustic_soda", variant="solid_98", capacity_t_per_a=100_000),
        InstallationRecord(credit_code, "STEEL", "电炉", "production_unit", product="crude_steel", variant="eaf", capacity_t_per_a=500_000),
        InstallationRecord(credit_code, "DC-1", "新建数据中心", "data_centre", dc_status="new", it_capacity_kw=5000, commissioned_on=dt.date(2024, 1, 1)),
        InstallationRecord(credit_code, "PLANT", "燃煤电厂", "plant", plant_type="power", capacity_mw=600, fuel="coal"),
        InstallationRecord(credit_code, "G1", "1号机组", "generating_unit", capacity_mw=600, fuel="coal", parent="PLANT"),
        InstallationRecord(credit_code, "B-75", "75蒸吨锅炉", "boiler", evaporation_t_per_h=75, fuel="coal"),
        InstallationRecord(credit_code, "B-20", "20蒸吨锅炉", "boiler", evaporation_t_per_h=20, fuel="coal"),
    ]  # fmt: skip


#: Monthly figures of the installations (the same every month of a year):
#: PTA-A 40 000 t at 80 kgce/t; PTA-B 240 000 t at 40 kgce/t; liquid soda 15 000 t at
#: 310 kgce/t (标杆 315); solid soda 8 000 t at 700 kgce/t (基准 685: worse);
#: steel 40 000 t at 250 kgce/t (2025) / 255.1 kgce/t (2023); data centre 1.25 (2025);
#: unit G1: 300 000 MWh generated, 18 000 MWh station use, 85 000 tce.
def installation_figures(year: int) -> list[InstallationFiguresRecord]:
    steel_energy = 10_000.0 if year >= 2025 else 10_204.0
    return [
        InstallationFiguresRecord("PTA-A", {"output_t": (40_000, "吨"), "energy_tce": (3_200, "吨标准煤")}),
        InstallationFiguresRecord("PTA-B", {"output_t": (240_000, "吨"), "energy_tce": (9_600, "吨标准煤")}),
        InstallationFiguresRecord("NAOH-30", {"output_t": (15_000, "吨"), "energy_tce": (4_650, "吨标准煤")}),
        InstallationFiguresRecord("NAOH-98", {"output_t": (8_000, "吨"), "energy_tce": (5_600, "吨标准煤")}),
        InstallationFiguresRecord("STEEL", {"output_t": (40_000, "吨"), "energy_tce": (steel_energy, "吨标准煤")}),
        InstallationFiguresRecord("DC-1", {"electricity_total_kwh": (1250, "万千瓦时"), "electricity_it_kwh": (1000, "万千瓦时")}),
        InstallationFiguresRecord("G1", {"generation_kwh": (30_000, "万千瓦时"), "station_use_kwh": (1_800, "万千瓦时"), "standard_coal_tce": (85_000, "吨标准煤")}),
    ]  # fmt: skip


def energy_reports(credit_code: str, months: Sequence[str]) -> list[EnergyReportRecord]:
    return [
        EnergyReportRecord(
            credit_code,
            m,
            lines=[EnergyLineRecord("烟煤", "吨", consumed=20_000.0)],
            installations=installation_figures(int(m[:4])),
        )
        for m in months
    ]


def save_energy(
    user: Any, records: Sequence[EnergyReportRecord], *, state: str = "approved"
) -> Any:
    out = reporting.save_energy_reports(
        records, acting_user=user, state=state, reason="测试数据", confirm_warnings=True
    )
    assert out.stored, out.issues.to_text()
    return out


def indicator_report(
    organisation: str, period: str, values: Mapping[str, Any], *, plan_code: str = "yangzhou-2025"
) -> IndicatorReportRecord:
    records = []
    for key, spec in values.items():
        indicator, _, subject = key.partition("@")
        if isinstance(spec, str):
            records.append(IndicatorValueRecord(indicator, text_value=spec, subject=subject))
        else:
            value, unit = spec
            records.append(IndicatorValueRecord(indicator, value=value, unit=unit, subject=subject))
    return IndicatorReportRecord(
        organisation=organisation, period=period, values=records, plan_code=plan_code
    )


def save_indicators(
    user: Any, records: Sequence[IndicatorReportRecord], *, state: str = "approved"
) -> Any:
    out = reporting.save_indicator_reports(
        records, acting_user=user, state=state, reason="测试数据", confirm_warnings=True
    )
    assert out.stored, out.issues.to_text()
    return out


def final_plan_file(tmp_path: Any, *, scheme: str | None = "shortfall_pp") -> Any:
    """A v2 of the shipped plan: the final text with XXX filled (800 万平方米) and, with
    ``scheme``, the plan setting choosing the intensity warning scheme."""
    import shutil
    from pathlib import Path

    from ecplan.plans import services as plan_services

    shipped = Path(plan_services.__file__).resolve().parent / "data/yangzhou"
    for name in ("organisations.yaml", "yangzhou-2025.txt", "yangzhou-2025.yaml"):
        shutil.copy(shipped / name, tmp_path / name)
    yaml_edits = [
        ("  status: 征求意见稿\n  version: v1\n", "  status: 正式稿\n  version: v2\n"),
        (
            '    value: null\n    comparator: ">="\n    direction: higher_is_better\n    deadline: 2025年\n    state: not_set\n'
            "    source_quote: 完成既有建筑节能改造面积XXX万平方米以上\n    wording: XXX万平方米以上\n    placeholder: XXX\n",
            '    value: 800\n    comparator: ">="\n    direction: higher_is_better\n    deadline: 2025年\n'
            "    source_quote: 完成既有建筑节能改造面积800万平方米以上\n    wording: 800万平方米以上\n",
        ),
        ("面积XXX万平方米以上（全省", "面积800万平方米以上（全省"),
    ]
    if scheme:
        yaml_edits.append(
            (
                "\nsections:\n",
                "  - key: intensity_warning_scheme\n"
                "    label: 能耗强度预警方案\n"
                f"    value: {scheme}\n"
                "    choices: {ndrc: 国家规则, shortfall_pp: 差距分档, completion_ratio: 完成率分档}\n"
                "    from_text: false\n"
                "    confirmed: true\n"
                "    note: 测试：计划选用的预警方案\n"
                "\nsections:\n",
            )
        )
    text_edits = [("（征求意见稿）", "（正式稿）"), ("XXX万平方米", "800万平方米")]
    for name, changes in (("yangzhou-2025.yaml", yaml_edits), ("yangzhou-2025.txt", text_edits)):
        path = tmp_path / name
        content = path.read_text(encoding="utf-8")
        for old, new in changes:
            assert old in content, old
            content = content.replace(old, new)
        path.write_text(content, encoding="utf-8")
    return tmp_path / "yangzhou-2025.yaml"

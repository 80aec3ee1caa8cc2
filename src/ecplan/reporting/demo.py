"""The demo city (:mod:`ecplan.demo`) in the data-collection formats, and its loading.

* :func:`to_records` turns a generated :class:`~ecplan.demo.model.DemoCity` into the plain
  records of :mod:`ecplan.reporting.records` (registry, monthly energy reports with outputs,
  installation figures and self-generation, city and area statistics, department indicator
  values) — Django-free;
* :func:`write_import_files` writes those records as workbooks in the importer's formats
  (:mod:`ecplan.reporting.formats`) — what ``ecplan demo-data --out`` adds beside the plain
  tables, so the files go through ``ecplan import`` unchanged — Django-free;
* :func:`load_city` stores them through :mod:`ecplan.reporting.services`, all or nothing, as
  approved history marked 演示数据; :func:`load_demo_city` is the demo step of
  ``ecplan serve --demo`` (``ecplan.web.demo.DEMO_STEPS``).

This glue lives in the reporting app rather than in ``ecplan.demo`` because it depends on the
app: ``ecplan.demo`` stays free of Django and of the apps (import-linter). Django is imported
only inside the loading functions, so the converter runs in commands that need no database.

What cannot be stored yet (no place in the data model): the 14th Five-Year binding targets,
the retrofit-project ledger, inter-provincial green certificates, the CHP split of coal
between power and heat per unit (kept as a remark), per-entity statuses of indicators no plan
target or milestone assigns (data-centre green standard, energy budgets) and the level series
behind the relative-change indicators (kept in the comment). They are in the plain files.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TextIO

from ecplan.demo.model import DemoCity
from ecplan.reporting.records import (
    ElectricityRecord,
    EnergyLineRecord,
    EnergyReportRecord,
    EnterpriseRecord,
    IndicatorReportRecord,
    IndicatorValueRecord,
    InstallationFiguresRecord,
    InstallationRecord,
    OutputRecord,
    StatisticRecord,
    StatisticsReportRecord,
)

PLAN_CODE: Final = "yangzhou-2025"
CITY_CODE: Final = "321000"
LOADER_USERNAME: Final = "demo-data"
DEMO_REASON: Final = "演示数据（虚构），由 ecplan demo-data 生成"
#: plain-record kinds → the registry's installation kinds
KINDS: Final = {
    "production_unit": "production_unit",
    "data_centre": "data_centre",
    "plant": "plant",
    "generating_unit": "generating_unit",
    "coal_boiler": "boiler",
}
PRODUCTS: Final = {"PTA": "pta", "烧碱": "caustic_soda", "粗钢": "crude_steel", "其他产品": "other"}
#: (product, variant) → product code of the output catalogue
OUTPUT_PRODUCTS: Final = {
    ("PTA", ""): "pta",
    ("烧碱", "离子膜法液碱≥30%"): "caustic_soda_liquid_30",
    ("烧碱", "离子膜法液碱≥45%"): "caustic_soda_liquid_45",
    ("烧碱", "离子膜法固碱≥98%"): "caustic_soda_solid_98",
    ("粗钢", "高炉—转炉长流程"): "crude_steel_bf_bof",
    ("粗钢", "电炉短流程"): "crude_steel_eaf",
}
SEPARATELY_LISTED_OUTPUT: Final = "高性能纤维材料"
#: statistics of the demo (monthly, 当期) summed into the bureau's cumulative items
STAT_TOTALS: Final = {
    "energy_total_tce": ("energy_total_tce", "吨标准煤"),
    "energy_nonfossil_tce": ("nonfossil_energy_tce", "吨标准煤"),
    "electricity_net_import_kwh": ("net_imported_electricity", "千瓦时"),
    "electricity_net_import_nonfossil_kwh": ("net_imported_nonfossil_electricity", "千瓦时"),
}
GENERATION_SOURCES: Final = ("coal", "gas", "wind", "solar", "biomass")
NON_FOSSIL_SOURCES: Final = ("wind", "solar", "biomass")
SECTORS: Final = ("primary", "secondary", "tertiary")
#: indicators whose per-entity status a plan milestone asks for (others have no assignment)
STATUS_INDICATORS: Final = frozenset(
    {
        "boiler_retrofit_status",
        "steel_ultra_low_emission_status",
        "unit_closure_status",
        "unit_construction_status",
    }
)


class DemoLoadError(RuntimeError):
    """The demo data could not be stored (nothing was); the message lists the problems."""


@dataclass
class DemoRecords:
    """The demo city as records of the data-collection services."""

    enterprises: list[EnterpriseRecord] = field(default_factory=list)
    installations: list[InstallationRecord] = field(default_factory=list)
    energy: dict[int, list[EnergyReportRecord]] = field(default_factory=dict)
    statistics: list[StatisticsReportRecord] = field(default_factory=list)
    indicators: list[IndicatorReportRecord] = field(default_factory=list)


# -- converting ---------------------------------------------------------------------------------


def _registry(city: DemoCity) -> tuple[list[EnterpriseRecord], list[InstallationRecord]]:
    enterprises = [
        EnterpriseRecord(
            credit_code=e.credit_code,
            name=e.name,
            area=e.area_code,
            zone=e.zone_code,
            industry_code=e.industry_code,
            key_unit_class=e.key_unit_class,
            budget_managed=e.budget_managed,
            is_demo=True,
        )
        for e in city.enterprises
    ]
    installations = []
    for i in city.installations:
        kind = KINDS[i.kind]
        r = InstallationRecord(
            credit_code=i.credit_code,
            code=i.code,
            name=i.name,
            kind=kind,
            commissioned_on=i.commissioned,
            closed_on=i.closed,
            notes=i.notes,
            parent=i.parent,
            is_demo=True,
        )
        if kind == "production_unit":
            r.product = PRODUCTS[i.product]
            r.variant = i.variant
            r.capacity_t_per_a = i.capacity
        elif kind == "data_centre":
            r.it_capacity_kw = i.capacity
            r.dc_status = i.status
        elif kind == "plant":
            r.plant_type = i.plant_type
            r.capacity_mw = i.capacity
            r.fuel = i.fuel
        elif kind == "generating_unit":
            r.capacity_mw = i.capacity
            r.fuel = i.fuel
        else:
            r.evaporation_t_per_h = i.capacity
            r.fuel = i.fuel
        installations.append(r)
    # plants before the units and boilers that name them
    installations.sort(key=lambda r: r.kind != "plant")
    return enterprises, installations


def _energy(city: DemoCity) -> dict[int, list[EnergyReportRecord]]:
    reports: dict[tuple[str, str], EnergyReportRecord] = {}

    def report(code: str, period: str) -> EnergyReportRecord:
        key = (code, period)
        if key not in reports:
            reports[key] = EnergyReportRecord(credit_code=code, period=period)
        return reports[key]

    lines: dict[tuple[str, str, str], EnergyLineRecord] = {}
    for r in city.energy_reports:
        line = EnergyLineRecord(
            carrier=r.carrier_name,
            unit=r.unit,
            purchased=r.purchased,
            consumed=round(r.consumed, 6),
            feedstock=r.feedstock or None,
            power_heat=r.power_generation or None,
            closing_stock=r.closing_stock,
        )
        report(r.credit_code, r.period).lines.append(line)
        lines[(r.credit_code, r.period, r.carrier)] = line
    own_units = {(i.credit_code, i.code) for i in city.installations if i.variant == "自备"}
    plant_of = {(i.credit_code, i.code): i.parent for i in city.installations if i.parent}
    supplied: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    plant_heat: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for p in city.plants:
        figures: dict[str, tuple[float, str]] = {
            "generation_kwh": (p.generation_kwh, "千瓦时"),
            "station_use_kwh": (p.station_use_kwh, "千瓦时"),
            "standard_coal_tce": (p.fuel_tce, "吨标准煤"),
        }
        if p.fuel == "煤炭":
            figures["coal_t"] = (p.fuel_quantity, p.fuel_unit)
        if p.fuel_for_heat_tce:  # a CHP unit's split of its coal between heat and power
            figures["heat_standard_coal_tce"] = (p.fuel_for_heat_tce, "吨标准煤")
        remark = ""
        report(p.credit_code, p.period).installations.append(
            InstallationFiguresRecord(p.installation, figures, remark=remark)
        )
        # heat is measured at the plant (the registry keeps 供热量 on plants and boilers)
        if p.heat_supplied_gj:
            acc = plant_heat[(p.credit_code, p.period, plant_of[(p.credit_code, p.installation)])]
            acc[0] += p.heat_supplied_gj
            acc[1] += p.fuel_for_heat_tce
        if (p.credit_code, p.installation) not in own_units:
            supplied[(p.credit_code, p.period)][0] += p.supplied_kwh
            supplied[(p.credit_code, p.period)][1] += p.heat_supplied_gj
    for (code, period, plant), (gj, heat_tce) in sorted(plant_heat.items()):
        report(code, period).installations.append(
            InstallationFiguresRecord(
                plant,
                {"heat_supplied_gj": (round(gj, 1), "吉焦")},
                remark=f"供热耗用标准煤 {heat_tce:.2f} 吨（机组合计）",
            )
        )
    for (code, period), (kwh, gj) in supplied.items():
        rep = report(code, period)
        for carrier, unit, amount in (
            ("electricity", "万千瓦时", kwh / 1e4),
            ("heat", "百万千焦", gj),
        ):
            if amount <= 0:
                continue
            existing = lines.get((code, period, carrier))
            if existing is None:
                name = "电力" if carrier == "electricity" else "热力"
                existing = EnergyLineRecord(name, unit, purchased=0.0, consumed=0.0)
                rep.lines.append(existing)
            line = existing
            line.supplied_out = round(amount, 4 if unit == "万千瓦时" else 1)
    for pm in city.production:
        rep = report(pm.credit_code, pm.period)
        product = OUTPUT_PRODUCTS.get((pm.product, pm.variant), SEPARATELY_LISTED_OUTPUT)
        rep.outputs.append(OutputRecord(product, pm.output_t, "吨", installation=pm.installation))
        rep.installations.append(
            InstallationFiguresRecord(
                pm.installation,
                {"output_t": (pm.output_t, "吨"), "energy_tce": (pm.energy_tce, "吨标准煤")},
            )
        )
    for d in city.data_centres:
        report(d.credit_code, d.period).installations.append(
            InstallationFiguresRecord(
                d.installation,
                {
                    "electricity_total_kwh": (d.total_electricity_kwh, "千瓦时"),
                    "electricity_it_kwh": (d.it_electricity_kwh, "千瓦时"),
                },
            )
        )
    for g in city.green_power:
        report(g.credit_code, g.period).electricity = ElectricityRecord(
            self_generated=(g.self_generated_kwh / 1e4, "万千瓦时")
            if g.self_generated_kwh
            else None,
            self_generated_renewable=(
                (g.self_generated_renewable_kwh / 1e4, "万千瓦时")
                if g.self_generated_renewable_kwh
                else None
            ),
            green_electricity=(
                (g.green_power_purchased_kwh / 1e4, "万千瓦时")
                if g.green_power_purchased_kwh
                else None
            ),
            green_certificates=float(g.green_certificates) if g.green_certificates else None,
        )
    by_year: dict[int, list[EnergyReportRecord]] = defaultdict(list)
    for (_, period), rec in sorted(reports.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        by_year[int(period[:4])].append(rec)
    return dict(by_year)


def _cumulative_periods(year: int, months: set[str]) -> list[tuple[str, list[str]]]:
    """(period, months) of the bureau's cumulative periods wholly inside ``months``."""
    out = []
    for q in range(1, 5):
        wanted = [f"{year}-{m:02d}" for m in range(1, 3 * q + 1)]
        if all(m in months for m in wanted):
            out.append((f"{year}-Q{q}", wanted))
    full = [f"{year}-{m:02d}" for m in range(1, 13)]
    if all(m in months for m in full):
        out.append((str(year), full))
    return out


def _statistics(city: DemoCity) -> list[StatisticsReportRecord]:
    stat: dict[tuple[str, str, str], float] = {
        (s.area_code, s.period, s.indicator): s.value for s in city.statistics
    }
    carriers: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in city.area_carriers:
        carriers[(row.area_code, row.period)].append(row)
    project = next((i.name for i in city.installations if i.separately_listed), "能耗单列项目")
    months = {s.period for s in city.statistics if len(s.period) == 7 and s.period[5] != "Q"}
    areas = [a.code for a in city.areas if a.kind != "functional_zone"]
    out: list[StatisticsReportRecord] = []
    for year in sorted({int(m[:4]) for m in months}):
        for period, ms in _cumulative_periods(year, months):
            is_year = len(period) == 4
            for area in areas:
                lines: list[StatisticRecord] = []

                def add(item: str, value: float | None, unit: str, breakdown: str = "",
                        subject: str = "", lines: list[StatisticRecord] = lines) -> None:  # fmt: skip
                    if value is not None:
                        lines.append(StatisticRecord(item, value, unit, breakdown, subject))

                def total(key: str, area: str = area, ms: list[str] = ms) -> float | None:
                    vals = [stat.get((area, m, key)) for m in ms]
                    return (
                        None
                        if any(v is None for v in vals)
                        else sum(v for v in vals if v is not None)
                    )

                for key, (item, unit) in STAT_TOTALS.items():
                    add(item, total(key), unit)
                listed = total("energy_separately_listed_tce")
                if listed:
                    add("separately_listed_tce", listed, "吨标准煤", "project", project)
                summed: dict[str, list[Any]] = {}
                for m in ms:
                    for row in carriers[(area, m)]:
                        acc = summed.setdefault(
                            row.carrier, [row.carrier_name, row.unit, 0.0, 0.0, 0.0, 0.0]
                        )
                        acc[2] += row.consumption
                        acc[3] += row.feedstock
                        acc[4] += row.power_input
                        acc[5] += row.heat_input
                for name, unit, consumption, feedstock, power, heat in summed.values():
                    add("energy_consumption", consumption, unit, name)
                    for item, value in (
                        ("feedstock", feedstock),
                        ("power_input", power),
                        ("heat_input", heat),
                    ):
                        if value > 0:
                            add(item, value, unit, name)
                for source in GENERATION_SOURCES:
                    kwh = total(f"generation_{source}_kwh")
                    add("generation", kwh, "千瓦时", source)
                    if source in NON_FOSSIL_SOURCES:
                        add("primary_electricity", kwh, "千瓦时", source)
                add(
                    "gdp_current",
                    sum(
                        stat[(area, f"{year}-Q{q}", "gdp_current")]
                        for q in range(1, len(ms) // 3 + 1)
                    ),
                    "亿元",
                )
                growth = stat[(area, period if not is_year else f"{year}-Q4", "gdp_real_growth")]
                if is_year:
                    add(
                        "gdp_index_previous_year",
                        100.0 * (1.0 + stat[(area, period, "gdp_real_growth")]),
                        "上年=100",
                    )
                    for sector in SECTORS:
                        add(
                            "value_added",
                            stat[(area, period, f"value_added_{sector}")],
                            "亿元",
                            sector,
                        )
                else:
                    add("gdp_index_same_period", 100.0 * (1.0 + growth), "上年同期=100")
                if area == CITY_CODE:
                    tertiary = (
                        stat.get((area, period, "energy_tertiary_tce"))
                        if is_year
                        else sum(
                            stat[(area, f"{year}-Q{q}", "energy_tertiary_tce")]
                            for q in range(1, len(ms) // 3 + 1)
                        )
                    )
                    add("service_energy_tce", tertiary, "吨标准煤")
                    for sector in ("tertiary", "primary"):
                        g = stat.get((area, str(year), f"value_added_{sector}_real_growth"))
                        if g is not None:
                            add(
                                "value_added_index_same_period",
                                100.0 * (1.0 + g),
                                "上年同期=100",
                                sector,
                            )
                    if is_year:
                        add("population", stat[(area, period, "population")], "万人")
                out.append(StatisticsReportRecord(area=area, period=period, lines=lines))
    return out  # fmt: skip


def _year_end(periods: Iterable[tuple[str, str]]) -> dict[str, str]:
    """year → the status at its last reported period (quarters of the year, or the year)."""
    out: dict[str, tuple[str, str]] = {}
    for period, status in periods:
        year = period[:4]
        if year not in out or period >= out[year][0]:
            out[year] = (period, status)
    return {year: status for year, (_, status) in out.items()}


def _indicators(
    city: DemoCity, assignments: Mapping[str, Sequence[str]] | None
) -> list[IndicatorReportRecord]:
    """Yearly department reports (the assignments' default frequency)."""

    def organisations(indicator: str, department: str) -> list[str]:
        if assignments is None:
            return [department]
        assigned = list(assignments.get(indicator, ()))
        if not assigned:
            return []
        return [department] if department in assigned else assigned[:1]

    values: dict[tuple[str, str], list[IndicatorValueRecord]] = defaultdict(list)
    for r in city.indicators:
        if len(r.period) != 4 or r.indicator == "service_value_added_growth":
            continue  # quarterly detail stays in the files; the growth is a statistic
        comment = r.comment
        if r.level_value is not None:
            comment += (
                f"；指标水平 {r.level_value:g} {r.level_unit}"
                f"（{r.baseline_year}年基期 {r.baseline_level:g} {r.level_unit}）"
            )
        for org in organisations(r.indicator, r.department):
            values[(org, r.period)].append(
                IndicatorValueRecord(r.indicator, value=r.value, unit=r.unit, comment=comment)
            )
    grouped: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    departments: dict[tuple[str, str], str] = {}
    for s in city.statuses:
        if s.indicator in STATUS_INDICATORS:
            grouped[(s.indicator, s.subject, s.comment)].append((s.period, s.status))
            departments[(s.indicator, s.subject)] = s.department
    for (indicator, subject, comment), periods in grouped.items():
        for org in organisations(indicator, departments[(indicator, subject)]):
            for year, status in sorted(_year_end(periods).items()):
                values[(org, year)].append(
                    IndicatorValueRecord(
                        indicator, text_value=status, subject=subject, comment=comment
                    )
                )
    return [
        IndicatorReportRecord(organisation=org, period=period, values=vals, plan_code=PLAN_CODE)
        for (org, period), vals in sorted(values.items())
    ]


def to_records(
    city: DemoCity, *, assignments: Mapping[str, Sequence[str]] | None = None
) -> DemoRecords:
    """The demo city as data-collection records.

    ``assignments`` maps an indicator code to the organisation codes assigned to report it
    (from the database when loading); without it the demo's own department choices are used.
    """
    enterprises, installations = _registry(city)
    return DemoRecords(
        enterprises=enterprises,
        installations=installations,
        energy=_energy(city),
        statistics=_statistics(city),
        indicators=_indicators(city, assignments),
    )


# -- import files -------------------------------------------------------------------------------

IMPORT_PREFIX: Final = "演示数据-导入-"
_WORKBOOK_DATE: Final = dt.datetime(2025, 1, 1)
_WAN: Final = {"万千瓦时": 1e-4, "吉焦": 1.0, "吨": 1.0, "吨标准煤": 1.0, "小时": 1.0}


def _kwh_units(
    values: dict[str, tuple[float, str]], key: str, header_unit: str | None
) -> float | None:
    """A figure in the unit of the sheet's header (the reader converts by the header unit)."""
    if key not in values:
        return None
    value, unit = values[key]
    if unit == header_unit or header_unit is None:
        return value
    if unit == "千瓦时" and header_unit == "万千瓦时":
        return value / 1e4
    return value  # pragma: no cover - the converter writes the header units otherwise


def _sheet_rows(
    records: DemoRecords, kind: str, year: int | None = None
) -> dict[str, list[dict[str, Any]]]:
    from ecplan.reporting import formats as fm

    if kind == "enterprises":
        return {
            fm.ENTERPRISE_SHEET.name: [
                {"credit_code": e.credit_code, "name": e.name, "area": e.area, "zone": e.zone,
                 "industry_code": e.industry_code, "key_unit_class": e.key_unit_class,
                 "budget_managed": e.budget_managed}
                for e in records.enterprises
            ],
            fm.INSTALLATION_REGISTRY_SHEET.name: [
                {k: getattr(i, k) for k in (
                    "credit_code", "code", "name", "kind", "product", "variant", "capacity_t_per_a",
                    "it_capacity_kw", "dc_status", "plant_type", "capacity_mw", "evaporation_t_per_h",
                    "fuel", "parent", "commissioned_on", "closed_on", "notes")}
                for i in records.installations
            ],
        }  # fmt: skip
    if kind == "energy":
        assert year is not None
        energy, outputs, figures, electricity = [], [], [], []
        inst_sheet = fm.INSTALLATION_SHEET
        for rep in records.energy.get(year, []):
            base = {"credit_code": rep.credit_code, "period": rep.period}
            for ln in rep.lines:
                energy.append({**base, "carrier": ln.carrier, "unit": ln.unit, "purchased": ln.purchased,
                               "consumed": ln.consumed, "feedstock": ln.feedstock,
                               "power_heat": ln.power_heat, "supplied_out": ln.supplied_out,
                               "closing_stock": ln.closing_stock})  # fmt: skip
            for o in rep.outputs:
                outputs.append({**base, "product": o.product, "installation": o.installation,
                                "quantity": o.quantity, "unit": o.unit})  # fmt: skip
            for f in rep.installations:
                row: dict[str, Any] = {**base, "installation": f.installation, "remark": f.remark}
                for key in inst_sheet.value_keys:
                    row[key] = _kwh_units(f.values, key, inst_sheet.column(key).unit)
                figures.append(row)
            e = rep.electricity
            if e is not None:
                electricity.append({
                    **base,
                    "self_generated": e.self_generated[0] if e.self_generated else None,
                    "self_generated_renewable": e.self_generated_renewable[0] if e.self_generated_renewable else None,
                    "green_electricity": e.green_electricity[0] if e.green_electricity else None,
                    "green_certificates": e.green_certificates,
                })  # fmt: skip
        return {
            fm.ENERGY_SHEET.name: energy,
            fm.OUTPUT_SHEET.name: outputs,
            inst_sheet.name: figures,
            fm.ELECTRICITY_SHEET.name: electricity,
        }
    if kind == "statistics":
        return {
            fm.STATISTICS_SHEET.name: [
                {"area": s.area, "period": s.period, "item": ln.item, "breakdown": ln.breakdown,
                 "subject": ln.subject, "value": ln.value, "unit": ln.unit}
                for s in records.statistics
                for ln in s.lines
            ]
        }  # fmt: skip
    return {
        fm.INDICATOR_SHEET.name: [
            {"organisation": r.organisation, "period": r.period, "indicator": v.indicator,
             "subject": v.subject, "value": v.value, "unit": v.unit, "text_value": v.text_value,
             "comment": v.comment}
            for r in records.indicators
            for v in r.values
        ]
    }  # fmt: skip


def _write_workbook(path: Path, kind: str, sheets: Mapping[str, list[dict[str, Any]]]) -> None:
    import xlsxwriter

    from ecplan.reporting import formats as fm

    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False})
    wb.set_properties({"title": "演示数据（虚构）", "created": _WORKBOOK_DATE})
    title = wb.add_format({"bold": True, "font_color": "#C00000"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    text = wb.add_format({"num_format": "@"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    for sheet in fm.FORMATS[kind]:
        rows = sheets.get(sheet.name, [])
        ws = wb.add_worksheet(sheet.name)
        ws.write_string(0, 0, f"演示数据（虚构）：{sheet.title}", title)
        for c, col in enumerate(sheet.columns):
            header = f"{col.label}（{col.unit}）" if col.unit else col.label
            ws.write_string(1, c, header, head)
            ws.set_column(
                c,
                c,
                max(10, min(30, 2 * len(header))),
                text if col.kind in ("code", "period") else None,
            )
        for r, row in enumerate(rows, start=2):
            for c, col in enumerate(sheet.columns):
                value = row.get(col.key)
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    ws.write_string(r, c, "是" if value else "否")
                elif isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
                elif isinstance(value, int | float) and col.kind == "number":
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
    wb.close()


def write_import_files(city: DemoCity, out_dir: str | Path) -> list[Path]:
    """Write the demo city as workbooks the importer reads (``ecplan import FILE``): the
    registry, one energy-report workbook per year, the statistics and the department
    indicators. File names start with ``演示数据-导入-``; each sheet has a 演示数据 title row."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    records = to_records(city)
    written = []
    path = out / f"{IMPORT_PREFIX}企业与装置名录.xlsx"
    _write_workbook(path, "enterprises", _sheet_rows(records, "enterprises"))
    written.append(path)
    # one workbook per quarter: a few hundred reports per file, the size of a real upload
    for year, batch in sorted(records.energy.items()):
        for q in range(1, 5):
            months = {f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)}
            part = [r for r in batch if r.period in months]
            if not part:
                continue
            path = out / f"{IMPORT_PREFIX}企业能源月报-{year}Q{q}.xlsx"
            _write_workbook(
                path, "energy", _sheet_rows(DemoRecords(energy={year: part}), "energy", year)
            )
            written.append(path)
    for kind, stem in (("statistics", "统计数据"), ("indicator", "部门指标")):
        path = out / f"{IMPORT_PREFIX}{stem}.xlsx"
        _write_workbook(path, kind, _sheet_rows(records, kind))
        written.append(path)
    return written


# -- loading ---------------------------------------------------------------------------------------


@dataclass
class LoadSummary:
    """What :func:`load_city` stored."""

    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        return "\n".join([*self.lines, f"用时 {self.seconds:.1f} 秒。"])


def loader_user() -> Any:
    """The account the demo step acts as: ``demo-data``, a plan administrator of the plan
    office (who may register enterprises and back-fill approved reports) that cannot log in
    (no usable password), created once, marked as demo."""
    from ecplan.accounts.models import Role, User
    from ecplan.accounts.services import grant_role
    from ecplan.organisations.models import Organisation

    user = User.objects.filter(username=LOADER_USERNAME).first()
    if user is None:
        user = User(username=LOADER_USERNAME, full_name="演示·数据载入（系统）", is_demo=True)
        user.set_unusable_password()
        user.save()
        office = Organisation.objects.get(region__code=CITY_CODE, is_plan_office=True)
        grant_role(acting_user=None, user=user, role=Role.PLAN_ADMIN, scope=office)
    return user


def _assignments() -> dict[str, list[str]]:
    from ecplan.reporting.models import IndicatorAssignment

    out: dict[str, list[str]] = defaultdict(list)
    for a in (
        IndicatorAssignment.objects.filter(plan_code=PLAN_CODE, active=True)
        .select_related("organisation")
        .order_by("organisation__code")
    ):
        out[a.indicator].append(a.organisation.code)
    return dict(out)


def _require(outcome: Any, what: str) -> None:
    if not outcome.stored:
        text = (
            outcome.issues.to_text() if hasattr(outcome.issues, "to_text") else str(outcome.issues)
        )
        raise DemoLoadError(f"演示数据未能载入（{what}），未写入任何数据：\n{text}")


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner see the rows this transaction has stored so far.

    The whole city is stored in one transaction, and autovacuum never analyses uncommitted
    rows: without statistics the planner may pick a nested loop over the growing report tables
    for the services' month-on-month look-up (observed once: minutes for one look-up).
    ``ANALYZE`` may run inside a transaction and sees its own rows. SQLite needs nothing.
    """
    from django.db import connection

    from ecplan.reporting.models import EnergyLine, Report, Revision

    if connection.vendor == "postgresql":
        tables = ", ".join(
            connection.ops.quote_name(m._meta.db_table) for m in (Report, Revision, EnergyLine)
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tables}")


def load_city(
    city: DemoCity, *, acting_user: Any = None, stdout: TextIO | None = None
) -> LoadSummary:
    """Store ``city`` through the data-collection services in one transaction.

    Reports are stored as approved history (the back-filling right of plan and system
    administrators) with the reason 演示数据; registry rows and reports are marked ``is_demo``,
    and the instance becomes a demo instance (every page shows the 演示数据 banner).
    Raises :class:`DemoLoadError` — and stores nothing — if any part is refused.
    """
    from django.conf import settings
    from django.db import transaction

    from ecplan.organisations.models import Region
    from ecplan.reporting import services

    if not settings.ECPLAN_DEMO_ALLOWED:
        raise DemoLoadError("生产环境配置（ECPLAN_ENV=production）下不能载入演示数据。")
    t0 = time.perf_counter()
    summary = LoadSummary()
    with transaction.atomic():
        if not Region.objects.filter(code=CITY_CODE).exists():
            from ecplan.plans.services import load_shipped_plans

            load_shipped_plans()
        user = acting_user if acting_user is not None else loader_user()
        services.sync_indicator_assignments(PLAN_CODE, acting_user=user, frequency="year")
        records = to_records(city, assignments=_assignments())
        out = services.save_enterprises(records.enterprises, acting_user=user)
        _require(out, "企业名录")
        summary.lines.append(f"企业 {len(records.enterprises)} 家：{out.summary()}")
        out = services.save_installations(records.installations, acting_user=user)
        _require(out, "用能装置")
        summary.lines.append(f"用能装置 {len(records.installations)} 套：{out.summary()}")
        for year, batch in sorted(records.energy.items()):
            outcome = services.save_energy_reports(
                batch, acting_user=user, state="approved", reason=DEMO_REASON,
                confirm_warnings=True,
            )  # fmt: skip
            _require(outcome, f"{year}年企业能源月报")
            _refresh_statistics()
            summary.lines.append(
                f"{year}年企业能源月报：{len(outcome.changes)} 份，{outcome.counts['lines']} 行数据"
            )
        outcome = services.save_statistics(
            records.statistics, acting_user=user, state="approved", reason=DEMO_REASON,
            confirm_warnings=True, is_demo=True,
        )  # fmt: skip
        _require(outcome, "统计数据")
        summary.lines.append(f"统计数据：{outcome.summary()}")
        outcome = services.save_indicator_reports(
            records.indicators, acting_user=user, state="approved", reason=DEMO_REASON,
            confirm_warnings=True, is_demo=True,
        )  # fmt: skip
        _require(outcome, "部门指标")
        summary.lines.append(f"部门指标：{outcome.summary()}")
        # an instance holding demo data shows the 演示数据 banner on every page
        from ecplan.web.models import Instance

        instance = Instance.current()
        if not instance.is_demo:
            instance.is_demo = True
            instance.save(update_fields=["is_demo"])
    summary.seconds = time.perf_counter() - t0
    if stdout is not None:
        print("已载入演示数据（虚构）：", file=stdout)
        for line in summary.lines:
            print(f"  {line}", file=stdout)
    return summary


def load_demo_city(stdout: TextIO) -> None:
    """Demo step of ``ecplan serve --demo``: generate the default demo city and load it
    (unless the setting ``ECPLAN_DEMO_CITY`` is off)."""
    from django.conf import settings

    from ecplan.demo import generate_city

    if not settings.ECPLAN_DEMO_CITY:
        print("演示城市数据未载入（ECPLAN_DEMO_CITY=0）。", file=stdout)
        return
    load_city(generate_city(), stdout=stdout)

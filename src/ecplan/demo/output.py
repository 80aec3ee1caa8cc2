"""Writing the demo city as files: CSV tables and one workbook, all labelled 演示数据.

File names start with ``演示数据-``; every workbook sheet carries a title row
``演示数据（虚构）：…`` above its header (the importer skips title rows). CSV files are UTF-8
with BOM and Chinese headers, written by :func:`ecplan.tabular.export_table`. The energy
consumption is written in the long form ``ecplan calc energy`` and the importer read
(主体, 期间, 能源品种, 数量, 单位, 用途: entity = unified social credit code).

Output is byte-identical for the same seed and range: rows are in a fixed order, numbers are
written with ``repr`` (shortest round-trip form) and the workbook's creation date is fixed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import xlsxwriter

from ecplan import __version__
from ecplan.demo.model import USE_LABELS, DemoCity
from ecplan.tabular import ExportColumn, export_table

PREFIX: Final = "演示数据-"
TITLE_PREFIX: Final = "演示数据（虚构）："
#: Fixed creation date written into the workbook so that its bytes do not depend on the clock.
WORKBOOK_DATE: Final = dt.datetime(2025, 1, 1)
KEY_UNIT_LABELS: Final = {
    "over_10k": "年综合能耗1万吨标准煤及以上",
    "5k_to_10k": "年综合能耗5千至1万吨标准煤",
}
INSTALLATION_KINDS: Final = {
    "production_unit": "生产装置",
    "plant": "电厂或热电厂",
    "data_centre": "数据中心",
    "generating_unit": "发电机组",
    "coal_boiler": "燃煤锅炉",
}
STATISTIC_LABELS: Final[dict[str, str]] = {
    "energy_total_tce": "能源消费总量（等价值）",
    "energy_nonfossil_tce": "非化石能源消费量",
    "energy_feedstock_tce": "原料用能",
    "energy_separately_listed_tce": "能耗单列（国家重大项目）",
    "energy_coal_tce": "煤炭消费量（折标准煤）",
    "energy_power_heat_coal_tce": "发电供热用煤（折标准煤）",
    "energy_other_nonfossil_tce": "非电非化石能源消费量（太阳能热利用、地热、生物质燃料等）",
    "electricity_consumption_kwh": "全社会用电量",
    "generation_coal_kwh": "燃煤发电量",
    "generation_gas_kwh": "燃气发电量",
    "generation_solar_kwh": "太阳能发电量",
    "generation_wind_kwh": "风力发电量",
    "generation_biomass_kwh": "生物质（含垃圾焚烧）发电量",
    "station_use_kwh": "发电厂用电量",
    "gdp_current": "地区生产总值（现价）",
    "gdp_constant_2020": "地区生产总值（2020年不变价）",
    "gdp_real_growth": "地区生产总值实际增速（可比价）",
    "value_added_primary": "第一产业增加值（现价）",
    "value_added_secondary": "第二产业增加值（现价）",
    "value_added_tertiary": "第三产业增加值（现价）",
    "value_added_tertiary_real_growth": "第三产业增加值实际增速",
    "value_added_primary_real_growth": "第一产业增加值实际增速",
    "energy_tertiary_tce": "第三产业（服务业）能源消费量",
    "population": "年末常住人口",
    "electricity_net_import_kwh": "净调入电量",
    "electricity_net_import_nonfossil_kwh": "净调入电量中的非化石能源电量",
    "green_certificates_interprovincial_mwh": "跨省购入绿证对应电量",
}
DEPARTMENT_LABELS: Final = {
    "development-reform": "市发改委",
    "industry-it": "市工信局",
    "ecology-environment": "市生态环境局",
    "housing-construction": "市住建局",
    "transport": "市交通局",
    "data": "市数据局",
    "government-offices": "市机关事务管理局",
    "statistics": "市统计局",
}


@dataclass(frozen=True)
class Table:
    """One output table: file stem, sheet name, title, columns and row builder."""

    stem: str
    sheet: str
    title: str
    columns: Sequence[ExportColumn]
    rows: Callable[[DemoCity], list[dict[str, Any]]]


def _c(key: str, header: str, unit: str | None = None, kind: str = "text") -> ExportColumn:
    return ExportColumn(key, header, unit, kind)  # type: ignore[arg-type]  # kinds listed below


def _area_names(city: DemoCity) -> dict[str, str]:
    return {a.code: a.name for a in city.areas}


def _enterprise_names(city: DemoCity) -> dict[str, str]:
    return {e.credit_code: e.name for e in city.enterprises}


def _enterprises(city: DemoCity) -> list[dict[str, Any]]:
    areas = _area_names(city)
    return [
        {
            "credit_code": e.credit_code,
            "name": e.name,
            "industry_code": e.industry_code,
            "industry_name": e.industry_name,
            "sector": e.sector_label,
            "area": areas[e.area_code],
            "zone": areas[e.zone_code] if e.zone_code else "",
            "key_unit_class": KEY_UNIT_LABELS[e.key_unit_class],
            "budget_managed": e.budget_managed,
            "energy_2024_tce": round(e.energy_2024_tce, 2),
            "is_demo": True,
        }
        for e in city.enterprises
    ]


def _installations(city: DemoCity) -> list[dict[str, Any]]:
    return [
        {
            "code": i.code,
            "credit_code": i.credit_code,
            "kind": INSTALLATION_KINDS[i.kind],
            "name": i.name,
            "product": i.product,
            "variant": i.variant,
            "capacity": i.capacity,
            "capacity_unit": i.capacity_unit,
            "fuel": i.fuel,
            "commissioned": i.commissioned,
            "closed": i.closed,
            "status": i.status,
            "retrofit_completed": i.retrofit_completed,
            "separately_listed": i.separately_listed,
            "parent": i.parent,
            "plant_type": {"chp": "热电联产", "power": "发电厂"}.get(i.plant_type, ""),
            "notes": i.notes,
        }
        for i in city.installations
    ]


def _long(city: DemoCity) -> list[dict[str, Any]]:
    return [
        {
            "entity": r.entity,
            "period": r.period,
            "carrier": r.carrier,
            "quantity": r.quantity,
            "unit": r.unit,
            "use": USE_LABELS[r.use],
        }
        for r in city.long_rows()
    ]


def _reports(city: DemoCity) -> list[dict[str, Any]]:
    names = _enterprise_names(city)
    return [
        {
            "entity": r.credit_code,
            "name": names[r.credit_code],
            "period": r.period,
            "carrier": r.carrier_name,
            "unit": r.unit,
            "purchased": r.purchased,
            "consumed": round(r.consumed, 4),
            "feedstock": r.feedstock,
            "power": r.power_generation,
            "stock": r.closing_stock,
        }
        for r in city.energy_reports
    ]


def _production(city: DemoCity) -> list[dict[str, Any]]:
    return [
        {
            "installation": p.installation,
            "entity": p.credit_code,
            "period": p.period,
            "product": p.product,
            "variant": p.variant,
            "output_t": p.output_t,
            "energy_tce": p.energy_tce,
            "electricity_kwh": p.electricity_kwh,
        }
        for p in city.production
    ]


def _dcs(city: DemoCity) -> list[dict[str, Any]]:
    return [
        {
            "installation": d.installation,
            "entity": d.credit_code,
            "period": d.period,
            "total": d.total_electricity_kwh,
            "it": d.it_electricity_kwh,
        }
        for d in city.data_centres
    ]


def _plants(city: DemoCity) -> list[dict[str, Any]]:
    return [
        {
            "installation": p.installation,
            "entity": p.credit_code,
            "period": p.period,
            "fuel": p.fuel,
            "generation": p.generation_kwh,
            "station": p.station_use_kwh,
            "heat": p.heat_supplied_gj,
            "fuel_quantity": p.fuel_quantity,
            "fuel_unit": p.fuel_unit,
            "fuel_tce": p.fuel_tce,
            "fuel_heat_tce": p.fuel_for_heat_tce,
        }
        for p in city.plants
    ]


def _green(city: DemoCity) -> list[dict[str, Any]]:
    return [
        {
            "entity": g.credit_code,
            "period": g.period,
            "self_all": g.self_generated_kwh,
            "self": g.self_generated_renewable_kwh,
            "green": g.green_power_purchased_kwh,
            "certs": g.green_certificates,
        }
        for g in city.green_power
    ]


def _statistics(city: DemoCity) -> list[dict[str, Any]]:
    areas = _area_names(city)
    return [
        {
            "area_code": s.area_code,
            "area": areas[s.area_code],
            "period": s.period,
            "indicator": s.indicator,
            "label": STATISTIC_LABELS[s.indicator],
            "value": s.value,
            "unit": s.unit,
            "basis": s.basis,
        }
        for s in city.statistics
    ]


def _balance(city: DemoCity) -> list[dict[str, Any]]:
    return [
        {
            "period": b.period,
            "line": b.line,
            "carrier": b.carrier_name,
            "unit": b.unit,
            "quantity": b.quantity,
            "tce": b.tce,
            "feedstock": b.feedstock,
            "power_heat": b.power_heat,
            "nonfossil_share": b.nonfossil_share,
        }
        for b in city.balance
    ]


def _area_carriers(city: DemoCity) -> list[dict[str, Any]]:
    areas = _area_names(city)
    return [
        {
            "area_code": r.area_code,
            "area": areas[r.area_code],
            "period": r.period,
            "carrier": r.carrier_name,
            "unit": r.unit,
            "consumption": r.consumption,
            "feedstock": r.feedstock,
            "power": r.power_input,
            "heat": r.heat_input,
        }
        for r in city.area_carriers
    ]


def _indicators(city: DemoCity) -> list[dict[str, Any]]:
    areas = _area_names(city)
    return [
        {
            "indicator": r.indicator,
            "department": DEPARTMENT_LABELS.get(r.department, r.department),
            "area": areas[r.area_code],
            "period": r.period,
            "value": r.value,
            "unit": r.unit,
            "basis": r.basis,
            "level_value": r.level_value,
            "level_unit": r.level_unit,
            "baseline_year": r.baseline_year,
            "baseline_level": r.baseline_level,
            "comment": r.comment,
        }
        for r in city.indicators
    ]


def _statuses(city: DemoCity) -> list[dict[str, Any]]:
    return [
        {
            "indicator": s.indicator,
            "subject": s.subject,
            "period": s.period,
            "status": s.status,
            "department": DEPARTMENT_LABELS.get(s.department, s.department),
            "comment": s.comment,
        }
        for s in city.statuses
    ]


def _binding(city: DemoCity) -> list[dict[str, Any]]:
    areas = _area_names(city)
    return [
        {
            "area": areas[b.area_code],
            "area_code": b.area_code,
            "indicator": b.indicator,
            "base_year": b.base_year,
            "target_year": b.target_year,
            "value": b.value,
            "unit": b.unit,
            "kind": "降低率" if b.kind == "reduction" else "目标水平",
            "note": b.note,
        }
        for b in city.binding_targets
    ]


def _retrofits(city: DemoCity) -> list[dict[str, Any]]:
    areas = _area_names(city)
    return [
        {
            "code": r.code,
            "name": r.name,
            "entity": r.credit_code,
            "enterprise": r.enterprise_name,
            "area": areas[r.area_code],
            "sector": r.sector,
            "started": r.started,
            "completed": r.completed,
            "savings": r.savings_tce,
            "co2": r.co2_reduction_t,
            "investment": r.investment_10k_yuan,
            "method": r.method,
        }
        for r in city.retrofits
    ]


TABLES: Final[tuple[Table, ...]] = (
    Table("企业名录", "企业名录", "重点用能企业名录", (
        _c("credit_code", "统一社会信用代码", kind="code"), _c("name", "企业名称"),
        _c("industry_code", "行业代码（GB/T 4754）", kind="code"), _c("industry_name", "行业名称"),
        _c("sector", "演示行业分组"), _c("area", "所在县级地区"), _c("zone", "所在功能区"),
        _c("key_unit_class", "重点用能单位类别"), _c("budget_managed", "实行能耗预算管理", kind="bool"),
        _c("energy_2024_tce", "2024年综合能耗", "吨标准煤", "number"), _c("is_demo", "演示数据", kind="bool"),
    ), _enterprises),
    Table("装置", "装置与机组", "生产装置、数据中心、发电机组与燃煤锅炉", (
        _c("code", "装置编号", kind="code"), _c("credit_code", "统一社会信用代码", kind="code"),
        _c("kind", "类型"), _c("name", "名称"), _c("product", "产品或形式"), _c("variant", "品种/状态"),
        _c("capacity", "能力", kind="number"), _c("capacity_unit", "能力单位"), _c("fuel", "燃料"),
        _c("commissioned", "投产日期", kind="date"), _c("closed", "关停日期", kind="date"),
        _c("status", "状态"), _c("retrofit_completed", "节能和超低排放改造完成日期", kind="date"),
        _c("separately_listed", "能耗单列", kind="bool"), _c("parent", "所属电厂", kind="code"),
        _c("plant_type", "电厂类型"), _c("notes", "说明"),
    ), _installations),
    Table("能源消费-长表", "能源消费长表", "重点用能企业能源消费（长表：主体=统一社会信用代码）", (
        _c("entity", "主体", kind="code"), _c("period", "期间", kind="period"),
        _c("carrier", "能源品种"), _c("quantity", "数量", kind="number"), _c("unit", "单位"),
        _c("use", "用途"),
    ), _long),
    Table("能源月报", "能源月报", "重点用能企业能源购进、消费与库存（月报）", (
        _c("entity", "统一社会信用代码", kind="code"), _c("name", "企业名称"),
        _c("period", "期间", kind="period"), _c("carrier", "能源品种"), _c("unit", "计量单位"),
        _c("purchased", "购进量", kind="number"), _c("consumed", "消费量", kind="number"),
        _c("feedstock", "其中：用作原料", kind="number"), _c("power", "其中：发电供热", kind="number"),
        _c("stock", "期末库存量", kind="number"),
    ), _reports),
    Table("装置产量与能耗", "装置产量与能耗", "生产装置产量与能耗（当量值）", (
        _c("installation", "装置编号", kind="code"), _c("entity", "统一社会信用代码", kind="code"),
        _c("period", "期间", kind="period"), _c("product", "产品"), _c("variant", "品种"),
        _c("output_t", "产量", "吨", "number"), _c("energy_tce", "装置综合能耗", "吨标准煤", "number"),
        _c("electricity_kwh", "其中：耗电量", "千瓦时", "number"),
    ), _production),
    Table("数据中心用电", "数据中心用电", "数据中心总耗电量与IT设备耗电量", (
        _c("installation", "装置编号", kind="code"), _c("entity", "统一社会信用代码", kind="code"),
        _c("period", "期间", kind="period"), _c("total", "总耗电量", "千瓦时", "number"),
        _c("it", "IT设备耗电量", "千瓦时", "number"),
    ), _dcs),
    Table("发电机组运行", "发电机组运行", "发电机组发电量、厂用电量、供热量与燃料消耗", (
        _c("installation", "机组编号", kind="code"), _c("entity", "统一社会信用代码", kind="code"),
        _c("period", "期间", kind="period"), _c("fuel", "燃料"),
        _c("generation", "发电量", "千瓦时", "number"), _c("station", "厂用电量", "千瓦时", "number"),
        _c("heat", "供热量", "吉焦", "number"), _c("fuel_quantity", "燃料消耗量", kind="number"),
        _c("fuel_unit", "燃料计量单位"), _c("fuel_tce", "燃料折标准煤", "吨标准煤", "number"),
        _c("fuel_heat_tce", "其中：供热耗用", "吨标准煤", "number"),
    ), _plants),
    Table("绿电绿证", "绿电绿证", "自发电量、绿电交易电量与绿证", (
        _c("entity", "统一社会信用代码", kind="code"), _c("period", "期间", kind="period"),
        _c("self_all", "自发电量", "千瓦时", "number"),
        _c("self", "其中：可再生能源发电量", "千瓦时", "number"),
        _c("green", "购入绿电电量", "千瓦时", "number"), _c("certs", "购入绿证", "张", "integer"),
    ), _green),
    Table("统计数据", "统计数据", "城市与县级地区统计数据（统计局口径）", (
        _c("area_code", "地区代码", kind="code"), _c("area", "地区"), _c("period", "期间"),
        _c("indicator", "指标代码", kind="code"), _c("label", "指标"), _c("value", "数值", kind="number"),
        _c("unit", "单位"), _c("basis", "口径"),
    ), _statistics),
    Table("能源平衡表", "能源平衡表", "全市能源平衡表（分品种）", (
        _c("period", "期间"), _c("line", "项目"), _c("carrier", "能源品种"), _c("unit", "计量单位"),
        _c("quantity", "实物量", kind="number"), _c("tce", "折标准煤", "吨标准煤", "number"),
        _c("feedstock", "其中：用作原料（实物量）", kind="number"),
        _c("power_heat", "其中：发电供热（实物量）", kind="number"),
        _c("nonfossil_share", "非化石能源占比", kind="number"),
    ), _balance),
    Table("分地区分品种能源消费", "分地区分品种", "城市与县级地区分品种能源消费（实物量，月度）", (
        _c("area_code", "地区代码", kind="code"), _c("area", "地区"), _c("period", "期间", kind="period"),
        _c("carrier", "能源品种"), _c("unit", "计量单位"), _c("consumption", "消费量", kind="number"),
        _c("feedstock", "其中：原料用能", kind="number"), _c("power", "其中：火力发电投入", kind="number"),
        _c("heat", "其中：供热投入", kind="number"),
    ), _area_carriers),
    Table("部门指标", "部门指标", "部门填报的计划指标", (
        _c("indicator", "指标代码", kind="code"), _c("department", "填报部门"), _c("area", "地区"),
        _c("period", "期间"), _c("value", "数值", kind="number"), _c("unit", "单位"), _c("basis", "口径"),
        _c("level_value", "指标水平值", kind="number"), _c("level_unit", "水平值单位"),
        _c("baseline_year", "基期年份", kind="integer"), _c("baseline_level", "基期水平值", kind="number"),
        _c("comment", "说明"),
    ), _indicators),
    Table("逐项状态", "逐项状态", "锅炉、钢铁企业、数据中心与计划节点的逐项状态", (
        _c("indicator", "指标代码", kind="code"), _c("subject", "对象（装置编号、信用代码或节点）", kind="code"),
        _c("period", "期间"), _c("status", "状态"), _c("department", "填报部门"), _c("comment", "说明"),
    ), _statuses),
    Table("约束性指标", "约束性指标", "“十四五”约束性指标及分解（计划管理部门录入）", (
        _c("area", "地区"), _c("area_code", "地区代码", kind="code"), _c("indicator", "指标代码", kind="code"),
        _c("base_year", "基期年份", kind="integer"), _c("target_year", "目标年份", kind="integer"),
        _c("value", "数值", kind="number"), _c("unit", "单位"), _c("kind", "类型"), _c("note", "说明"),
    ), _binding),
    Table("节能改造项目", "节能改造项目", "节能降碳改造项目台账", (
        _c("code", "项目编号", kind="code"), _c("name", "项目名称"),
        _c("entity", "统一社会信用代码", kind="code"), _c("enterprise", "实施单位"), _c("area", "所在地区"),
        _c("sector", "行业"), _c("started", "开工年月", kind="period"), _c("completed", "完成年月", kind="period"),
        _c("savings", "节能量", "吨标准煤", "number"), _c("co2", "减排二氧化碳", "吨", "number"),
        _c("investment", "投资额", "万元", "number"), _c("method", "节能量计算方法"),
    ), _retrofits),
)  # fmt: skip


def readme_text(city: DemoCity, tables: Mapping[str, int]) -> str:
    lines = [
        "演示数据（虚构）",
        "================",
        "",
        f"本目录由 ecplan {__version__} 的演示数据生成器生成（ecplan demo-data），",
        f"随机种子 {city.seed}，期间 {city.start} 至 {city.end}，地区 {city.region_name}（{city.region_code}）。",
        "",
        "全部企业名称、统一社会信用代码、装置、能耗和部门填报数据均为虚构，只用于演示和测试，",
        "不代表任何真实企业或政府部门的数据。城市层面的GDP、人口等少数数字取自公开资料，",
        "其余为按计划目标推算和人为设定的演示值；校准依据和算式见 docs/demo-data.md。",
        "同一随机种子和期间，重新生成的文件逐字节相同。",
        "",
        "文件：",
    ]
    for t in TABLES:
        lines.append(f"  {PREFIX}{t.stem}.csv  {t.title}（{tables.get(t.stem, 0)} 行）")
    lines.append(f"  {PREFIX}{city.region_name}.xlsx  以上各表的工作簿（每个工作表一张表）")
    lines.append(
        f"  {PREFIX}导入-*.xlsx  平台导入格式的工作簿（企业与装置名录、按季度的企业能源月报、"
        "统计数据、部门指标；ecplan demo-data --out 写出），可用 ecplan import 逐个导入。"
        "经文件导入的记录不带“演示数据”标记；演示实例请用 ecplan demo-data --load 或 "
        "ecplan serve --demo。"
    )
    lines.append("")
    lines.append(
        "能源消费长表可直接用于 ecplan calc energy 和数据导入（列：主体、期间、能源品种、数量、单位、用途）。"
    )
    return "\n".join(lines) + "\n"


def write_city(city: DemoCity, out_dir: str | Path, *, workbook: bool = True) -> list[Path]:
    """Write every table as CSV (and all of them in one workbook) into ``out_dir``.

    Returns the paths written, in order. Existing files of the same names are replaced.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    counts: dict[str, int] = {}
    built: list[tuple[Table, list[dict[str, Any]]]] = []
    for table in TABLES:
        rows = table.rows(city)
        counts[table.stem] = len(rows)
        built.append((table, rows))
        path = out / f"{PREFIX}{table.stem}.csv"
        export_table(rows, table.columns, "csv", path)
        written.append(path)
    if workbook:
        path = out / f"{PREFIX}{city.region_name}.xlsx"
        _write_workbook(path, built)
        written.append(path)
    readme = out / f"{PREFIX}说明.txt"
    readme.write_text(readme_text(city, counts), encoding="utf-8")
    written.append(readme)
    return written


def _write_workbook(path: Path, tables: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False})
    wb.set_properties(
        {
            "title": "演示数据（虚构）",
            "subject": "ecplan 演示城市",
            "comments": "演示数据：虚构，仅供演示和测试",
            "created": WORKBOOK_DATE,
        }
    )
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    title = wb.add_format({"bold": True, "font_size": 13, "font_color": "#C00000"})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    text_fmt = wb.add_format({"num_format": "@"})
    for table, rows in tables:
        ws = wb.add_worksheet(f"{table.sheet}（演示）"[:31])
        ws.write_string(0, 0, TITLE_PREFIX + table.title, title)
        for c, col in enumerate(table.columns):
            ws.write_string(1, c, col.header_text, head)
            width = max(10.0, min(40.0, 2.2 * len(col.header_text) + 2))
            ws.set_column(c, c, width, text_fmt if col.kind in ("code", "period") else None)
        for r, row in enumerate(rows, start=2):
            for c, col in enumerate(table.columns):
                value = row.get(col.key)
                if value is None:
                    continue
                if isinstance(value, bool):
                    ws.write_string(r, c, "是" if value else "否")
                elif isinstance(value, dt.date):
                    ws.write_datetime(
                        r, c, dt.datetime(value.year, value.month, value.day), date_fmt
                    )
                elif isinstance(value, int | float) and col.kind in ("number", "integer"):
                    ws.write_number(r, c, value)
                else:
                    ws.write_string(r, c, str(value))
        ws.freeze_panes(2, 0)
        if table.columns:
            ws.autofilter(1, 0, max(1, len(rows) + 1), len(table.columns) - 1)
    wb.close()

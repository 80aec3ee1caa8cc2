"""Downloadable templates, pre-filled with the reporter's own enterprises or indicators.

:func:`template_bytes` writes an ``.xlsx`` for one report type and one user: the sheets and
columns of :mod:`ecplan.reporting.formats` (Chinese headers with units, drop-down lists,
input messages, a 填表说明 sheet), pre-filled rows for what the user reports — an enterprise
its carriers (those of its last report, else the common ones), installations and products;
a department its assigned indicators; the statistics bureau every area and item. Pre-filled
identity cells are protected against accidental edits (no password: the importer checks
everything anyway).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, cast

from ecplan.accounts import policies
from ecplan.core import CARRIERS, accepted_units, get_carrier
from ecplan.core.plan.vocabulary import INDICATORS
from ecplan.organisations.models import Area, Enterprise, Installation, Organisation
from ecplan.reporting import catalogue as cat
from ecplan.reporting import formats as fm
from ecplan.reporting.models import EnergyLine, IndicatorAssignment, Revision, RevisionQuerySet
from ecplan.reporting.periods import Period
from ecplan.reporting.windows import default_period
from ecplan.tabular import TemplateSheet, write_template

__all__ = ["COMMON_CARRIERS", "template_bytes", "template_filename"]

#: Offered to an enterprise without an earlier report.
COMMON_CARRIERS = ("烟煤", "天然气", "电力", "热力", "柴油", "汽油")
STATISTICS_CARRIERS = (
    "原煤",
    "洗精煤",
    "焦炭",
    "原油",
    "汽油",
    "柴油",
    "燃料油",
    "液化石油气",
    "天然气",
    "电力",
    "热力",
)

_INSTRUCTIONS: dict[str, list[str]] = {
    "energy": [
        "本模板用于重点用能企业按月填报能源购进、消费与库存、主要产品产量、重点装置运行和自发电、绿电情况。",
        "模板已预填本单位的企业、常用能源品种、装置和期间；灰色单元格为预填内容，请勿修改。需要增加品种或产品时，在表格下方空白行填写。",
        "同一能源品种的购进量、消费量、原料用能、发电供热投入、外供量、期末库存均按“计量单位”列的单位填写；"
        "“其中”两列是消费量的一部分，不能大于消费量。",
        "数量只填数字，不要带单位或文字；没有发生的项目留空，数量为零填 0。可以使用千位分隔符和全角数字，平台会自动识别。",
        "原煤请尽量按无烟煤、烟煤、褐煤分别填报（计算二氧化碳排放需要）；煤泥、转炉煤气、沼气等没有默认折标系数的品种须填写实测低位发热量。",
        "“装置运行”表头括号中的单位可以改为同类单位（如把“万千瓦时”改为“千瓦时”），平台按表头单位换算。",
        "一份文件可以包含多家企业、多个月份；上传时全部检查，有任何错误则不导入任何数据，请按问题清单逐项修改后重新上传。",
        "与上月相比变化超过 3 倍的数据会给出提醒，核实无误后确认即可导入。",
    ],
    "statistics": [
        "本模板用于统计部门填报全市及各县级地区的能源平衡、电力、地区生产总值和增加值等统计数据。",
        "季度数据为 1 月至该季度末的累计数，期间写 2025-Q1、2025-Q2…；年度数据期间写 2025。",
        "按品种、电源或产业分项的指标须在“分项”列填写品种、电源或产业；合计数“分项”留空。能耗单列项目每个项目一行，项目名称填在“项目”列。",
        "发电用煤、供热用煤即煤炭品种的“火力发电投入”“供热投入”。",
        "地区生产总值指数按统计部门公布的口径填写：年度为上年=100，季度累计为上年同期=100；平台保存公布值，不自行推算不变价。",
        "功能区的数据并入所在县级地区，不单独填报。",
    ],
    "indicator": [
        "本模板用于各部门填报行动计划中由本部门负责的指标，已按计划责任分工预填指标。",
        "按指标的填报频次填写期间：月 2025-03、季度 2025-Q1、年 2025。",
        "数值类指标填写“数值”和“单位”；是否类或等级类指标填写“文字值”（如 是、否、A 级）。",
        "逐个项目或设施填报的指标，每个对象一行，在“对象”列填写名称。",
        "证明材料请在平台的指标填报页面上传。",
    ],
    "enterprises": [
        "本模板用于计划管理部门维护重点用能企业名录及其用能装置。",
        "统一社会信用代码按 GB 32100 校验；所在县级地区填写区、县或县级市，功能区可空。",
        "装置类型：生产装置、数据中心、电厂或热电厂、发电机组、锅炉；各类型需填写的字段见下表说明。",
        "生产装置填写产品与产能（烧碱按折百吨，注明液碱≥30%、液碱≥45%或固碱≥98%；粗钢注明长流程或电炉）；"
        "数据中心填写 IT 设备容量和建设性质；电厂和机组填写装机容量和燃料；锅炉填写额定蒸发量。",
        "发电机组和电厂锅炉在“所属电厂编号”填写所属电厂的装置编号，电厂须写在其机组之前。",
    ],
}


def template_filename(report_type: str, period: str | None = None) -> str:
    label = fm.REPORT_TYPE_LABELS[report_type]
    return f"{label}模板{('_' + period) if period else ''}.xlsx"


def template_bytes(report_type: str, *, acting_user: Any, period: str | None = None) -> bytes:
    """The ``.xlsx`` template of ``report_type`` pre-filled for ``acting_user``."""
    builder = {
        "energy": _energy,
        "statistics": _statistics,
        "indicator": _indicator,
        "enterprises": _enterprises,
    }[report_type]
    sheets = builder(acting_user, period)
    buf = io.BytesIO()
    write_template(buf, sheets, instructions=_INSTRUCTIONS[report_type])
    return buf.getvalue()


def _default_period(report_type: str, kind: str) -> str:
    return str(default_period(report_type, kind))


def _reported_enterprises(user: Any) -> list[Enterprise]:
    return [
        e
        for e in policies.viewable(user, Enterprise).select_related("area").order_by("credit_code")
        if policies.can(user, "report", e)
    ]


def _energy(user: Any, period: str | None) -> Sequence[TemplateSheet]:
    month = period or _default_period("energy", "month")
    enterprises = _reported_enterprises(user)
    last_carriers: dict[int, list[tuple[str, str]]] = {}
    revisions = cast(RevisionQuerySet, policies.viewable(user, Revision))
    newest = (
        revisions.filter(report__enterprise__in=enterprises, report__report_type="energy")
        .newest()
        .order_by("report__enterprise_id", "-report__period_start")
    )
    latest_rev: dict[int, int] = {}
    for rev in newest.values("pk", "report__enterprise_id"):
        latest_rev.setdefault(rev["report__enterprise_id"], rev["pk"])
    lines = policies.viewable(user, EnergyLine).filter(revision_id__in=list(latest_rev.values()))
    by_rev: dict[int, list[tuple[str, str]]] = {}
    for ln in lines.order_by("position").values("revision_id", "carrier_text", "unit"):
        by_rev.setdefault(ln["revision_id"], []).append((ln["carrier_text"], ln["unit"]))
    for ent_id, rev_id in latest_rev.items():
        last_carriers[ent_id] = by_rev.get(rev_id, [])
    installations = (
        policies.viewable(user, Installation)
        .filter(enterprise__in=enterprises, closed_on__isnull=True)
        .order_by("enterprise_id", "code")
    )
    energy_rows, output_rows, inst_rows, elec_rows = [], [], [], []
    for e in enterprises:
        ident = {"credit_code": e.credit_code, "enterprise_name": e.name, "period": month}
        carriers = last_carriers.get(e.pk) or [
            (c, get_carrier(c).default_unit) for c in COMMON_CARRIERS
        ]
        for carrier, unit in carriers:
            energy_rows.append({**ident, "carrier": carrier, "unit": unit})
        elec_rows.append(dict(ident))
    kind_labels = dict(Installation.Kind.choices)
    for inst in installations:
        e = inst.enterprise
        ident = {"credit_code": e.credit_code, "enterprise_name": e.name, "period": month}
        inst_rows.append(
            {
                **ident,
                "installation": inst.code,
                "installation_name": inst.name,
                "installation_kind": kind_labels.get(inst.kind, inst.kind),
            }
        )
        product = _product_label(inst)
        if product:
            output_rows.append(
                {**ident, "product": product, "installation": inst.code, "unit": "吨"}
            )
    carrier_names = tuple(c.name_zh for c in CARRIERS)
    units = accepted_units()
    locked = ("credit_code", "enterprise_name", "period")
    return [
        _sheet(fm.ENERGY_SHEET, energy_rows, locked, {"carrier": carrier_names, "unit": units}),
        _sheet(fm.OUTPUT_SHEET, output_rows, locked, {}),
        _sheet(
            fm.INSTALLATION_SHEET,
            inst_rows,
            (*locked, "installation", "installation_name", "installation_kind"),
            {},
        ),
        _sheet(fm.ELECTRICITY_SHEET, elec_rows, locked, {}),
    ]


def _product_label(inst: Installation) -> str:
    for p in cat.PRODUCTS:
        if p.installation_product == inst.product and (not p.variant or p.variant == inst.variant):
            return p.label
    return ""


def _sheet(
    fmt: fm.SheetFormat,
    rows: list[dict[str, Any]],
    locked: Sequence[str],
    choices: dict[str, tuple[str, ...]],
    blank_rows: int = 200,
) -> TemplateSheet:
    return TemplateSheet(
        fmt.name,
        [c.template(choices.get(c.key)) for c in fmt.columns],
        rows=rows,
        locked_keys=tuple(locked) if rows else (),
        title=fmt.title or None,
        blank_rows=blank_rows,
    )


def _statistics(user: Any, period: str | None) -> Sequence[TemplateSheet]:
    quarter = period or _default_period("statistics", "quarter")
    areas = [
        a
        for a in policies.viewable(user, Area).order_by("id")
        if a.kind == Area.Kind.CITY or a.is_county_level
    ]
    bureau = policies.viewable(user, Organisation).filter(code="statistics").first()
    if bureau is None or not policies.can(user, "report", bureau):
        areas = []
    rows: list[dict[str, Any]] = []
    for area in areas:
        base = {"area": area.name, "period": quarter}
        for item in cat.STATISTIC_ITEMS:
            if item.breakdown == "carrier":
                for name in STATISTICS_CARRIERS:
                    carrier = get_carrier(name)
                    if item.code == "feedstock" and not carrier.feedstock_capable:
                        continue
                    if item.code in ("power_input", "heat_input") and not carrier.is_fossil:
                        continue
                    rows.append(
                        {
                            **base,
                            "item": item.label,
                            "breakdown": name,
                            "unit": carrier.default_unit,
                        }
                    )
            elif item.breakdown == "source":
                for source in cat.SOURCES:
                    if item.code == "primary_electricity" and not source.non_fossil:
                        continue
                    rows.append(
                        {
                            **base,
                            "item": item.label,
                            "breakdown": source.label,
                            "unit": item.default_unit,
                        }
                    )
            elif item.breakdown == "sector":
                for sector in cat.SECTORS:
                    rows.append(
                        {
                            **base,
                            "item": item.label,
                            "breakdown": sector.label,
                            "unit": item.default_unit,
                        }
                    )
            elif item.breakdown == "project":
                continue
            else:
                rows.append({**base, "item": item.label, "unit": item.default_unit})
    choices = {
        "area": tuple(a.name for a in areas) or None,
        "item": tuple(i.label for i in cat.STATISTIC_ITEMS),
    }
    return [
        _sheet(
            fm.STATISTICS_SHEET,
            rows,
            ("area", "period", "item", "breakdown"),
            {k: v for k, v in choices.items() if v},
        )
    ]


def _indicator(user: Any, period: str | None) -> Sequence[TemplateSheet]:
    assignments = (
        policies.viewable(user, IndicatorAssignment)
        .filter(active=True)
        .select_related("organisation")
        .order_by("organisation_id", "indicator")
    )
    rows = []
    for a in assignments:
        if not policies.can(user, "report", a.organisation):
            continue
        d = INDICATORS.get(a.indicator)
        when = period
        if when is None or Period.parse(when).kind != a.frequency:
            when = _default_period("indicator", a.frequency)
        rows.append(
            {
                "organisation": a.organisation.name,
                "period": when,
                "indicator": a.indicator,
                "indicator_name": d.label if d else a.indicator,
                "unit": "" if a.unit == "1" else a.unit,
            }
        )
    return [_sheet(fm.INDICATOR_SHEET, rows, ("organisation", "indicator", "indicator_name"), {})]


def _enterprises(user: Any, period: str | None) -> Sequence[TemplateSheet]:
    enterprises = policies.viewable(user, Enterprise).select_related("area", "zone")
    class_labels = dict(Enterprise.KeyUnitClass.choices)
    rows = [
        {
            "credit_code": e.credit_code,
            "name": e.name,
            "area": e.area.name,
            "zone": e.zone.name if e.zone else None,
            "industry_code": e.industry_code or None,
            "key_unit_class": class_labels.get(e.key_unit_class),
            "budget_managed": e.budget_managed,
        }
        for e in enterprises.order_by("credit_code")
    ]
    inst_rows = []
    for i in (
        policies.viewable(user, Installation)
        .select_related("enterprise", "parent")
        .order_by("enterprise__credit_code", "parent_id", "code")
    ):
        inst_rows.append(
            {
                "credit_code": i.enterprise.credit_code,
                "code": i.code,
                "name": i.name,
                "kind": i.get_kind_display(),
                "product": i.get_product_display() if i.product else None,
                "variant": i.get_variant_display() if i.variant else None,
                "capacity_t_per_a": _num(i.capacity_t_per_a),
                "it_capacity_kw": _num(i.it_capacity_kw),
                "dc_status": i.get_dc_status_display() if i.dc_status else None,
                "plant_type": i.get_plant_type_display() if i.plant_type else None,
                "capacity_mw": _num(i.capacity_mw),
                "evaporation_t_per_h": _num(i.evaporation_t_per_h),
                "fuel": i.get_fuel_display() if i.fuel else None,
                "parent": i.parent.code if i.parent else None,
                "commissioned_on": i.commissioned_on,
                "closed_on": i.closed_on,
                "notes": i.notes or None,
            }
        )
    areas = tuple(a.name for a in policies.viewable(user, Area).order_by("id") if a.is_county_level)
    zones = tuple(
        a.name
        for a in policies.viewable(user, Area).order_by("id")
        if a.kind == Area.Kind.FUNCTIONAL_ZONE
    )
    return [
        _sheet(
            fm.ENTERPRISE_SHEET,
            rows,
            (),
            {
                "area": areas,
                "zone": zones,
                "key_unit_class": tuple(lbl for _, lbl in Enterprise.KeyUnitClass.choices),
            },
        ),
        _sheet(
            fm.INSTALLATION_REGISTRY_SHEET,
            inst_rows,
            (),
            {
                "kind": tuple(lbl for _, lbl in Installation.Kind.choices),
                "product": tuple(lbl for _, lbl in Installation.Product.choices),
                "variant": tuple(lbl for _, lbl in Installation.Variant.choices),
                "dc_status": tuple(lbl for _, lbl in Installation.DataCentreStatus.choices),
                "plant_type": tuple(lbl for _, lbl in Installation.PlantType.choices),
                "fuel": tuple(lbl for _, lbl in Installation.Fuel.choices),
            },
        ),
    ]


def _num(value: Any) -> float | None:
    return float(value) if value is not None else None

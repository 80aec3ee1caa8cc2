"""Exports of collected data, scoped by the acting user's policies and audited.

Kinds (``ecplan export KIND``, the 导出 links of the pages):

==================  ==========================================================================
``enterprises``     the enterprise registry and installations (xlsx: the registry template's
                    two sheets, so an export can be edited and imported again)
``energy-reports``  energy report lines; xlsx: the energy template's four sheets, filled
``energy-results``  accounting results per report: tce on both bases, CO2, factor sets,
                    complete/uncertain flags
``statistics``      statistics lines (the statistics template's columns)
``indicator-values`` department indicator values (the indicator template's columns)
==================  ==========================================================================

Which revision of each report: ``newest`` (default; its state is a column), ``approved``
(the latest approved), ``preview`` (latest submitted or approved, marked). CSV is UTF-8 with
BOM; text that a spreadsheet would run as a formula is written with a leading apostrophe.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from ecplan.accounts import policies
from ecplan.audit.services import record as audit_record
from ecplan.core.plan.vocabulary import INDICATORS
from ecplan.organisations.models import Enterprise, Installation
from ecplan.reporting import catalogue as cat
from ecplan.reporting import formats as fm
from ecplan.reporting.models import (
    ElectricityFacts,
    EnergyLine,
    EnergyResult,
    EnergyResultQuerySet,
    IndicatorValue,
    InstallationLine,
    OutputLine,
    Revision,
    RevisionQuerySet,
    StatisticLine,
)
from ecplan.reporting.periods import Period, parse_period
from ecplan.tabular import ExportColumn, TemplateSheet, export_table, write_template

__all__ = ["KINDS", "ExportResult", "export"]

KINDS: dict[str, str] = {
    "enterprises": "企业与装置名录",
    "energy-reports": "企业能源月报",
    "energy-results": "企业能耗与碳排放核算结果",
    "statistics": "统计数据",
    "indicator-values": "部门指标值",
}
REVISION_CHOICES = ("newest", "approved", "preview")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ExportResult:
    data: bytes
    filename: str
    content_type: str
    rows: int
    notes: list[str] = field(default_factory=list)


class ExportError(ValueError):
    """A request the export cannot serve (Chinese message)."""


def _revisions(user: Any, report_type: str, period: Period | None, which: str) -> RevisionQuerySet:
    qs = cast(RevisionQuerySet, policies.viewable(user, Revision)).filter(
        report__report_type=report_type
    )
    if period is not None:
        qs = qs.filter(report__period_start__gte=period.start, report__period_end__lte=period.end)
    if which == "approved":
        return qs.approved()
    if which == "preview":
        return qs.effective(preview=True)
    return qs.newest()


def _meta(rev: Revision) -> dict[str, Any]:
    return {
        "revision": rev.number,
        "state": rev.get_state_display(),
        "is_demo": rev.report.is_demo,
    }


_META_COLUMNS = [
    ExportColumn("revision", "修订号", kind="integer", num_format="0", width=8),
    ExportColumn("state", "状态", width=8),
]


def export(
    kind: str,
    *,
    acting_user: Any,
    fmt: str = "xlsx",
    period: str | None = None,
    revisions: str = "newest",
    audit: bool = True,
) -> ExportResult:
    """Export ``kind`` for ``acting_user`` (only what their policies let them see).

    Raises
    ------
    ExportError
        Unknown kind, format, period or revision choice.
    """
    if kind not in KINDS:
        raise ExportError(f"未知的导出内容“{kind}”，可选：{'、'.join(KINDS)}")
    if fmt not in ("xlsx", "csv", "json"):
        raise ExportError(f"未知的格式“{fmt}”，可选：xlsx、csv、json")
    if revisions not in REVISION_CHOICES:
        raise ExportError(f"未知的修订选择“{revisions}”，可选：{'、'.join(REVISION_CHOICES)}")
    try:
        p = parse_period(period) if period else None
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    builder = {
        "enterprises": _enterprises,
        "energy-reports": _energy_reports,
        "energy-results": _energy_results,
        "statistics": _statistics,
        "indicator-values": _indicator_values,
    }[kind]
    sheets = builder(acting_user, p, revisions)
    rows_total = sum(len(rows) for _, _, rows in sheets)
    demo = any(r.get("is_demo") for _, _, rows in sheets for r in rows)
    notes = [f"导出时间按平台时区（Asia/Shanghai）；修订：{_REVISION_LABELS[revisions]}。"]
    if demo:
        notes.insert(0, "演示数据：含合成的演示数据，不代表真实情况。")
    title = KINDS[kind] + (f"（{p.label}）" if p else "")
    buf = io.BytesIO()
    if fmt == "xlsx" and kind in ("enterprises", "energy-reports"):
        write_template(
            buf,
            [
                TemplateSheet(
                    name, [_template_column(c) for c in cols], rows=rows, title=title, blank_rows=0
                )
                for name, cols, rows in sheets
            ],
            instructions=notes,
            protect=False,
        )
    elif fmt == "json":
        payload = {
            "title": title,
            "notes": notes,
            "sheets": [
                {
                    "name": name,
                    "columns": [{"key": c.key, "header": c.header, "unit": c.unit} for c in cols],
                    "rows": [{c.key: _json(r.get(c.key)) for c in cols} for r in rows],
                }
                for name, cols, rows in sheets
            ],
        }
        buf.write(json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))
    else:
        name, cols, rows = sheets[0]
        if fmt == "csv":
            rows = [_csv_safe(r) for r in rows]
        export_table(
            rows,
            cols,
            "xlsx" if fmt == "xlsx" else "csv",
            buf,
            sheet_name=name,
            title=title,
            notes=notes,
        )
    suffix = f"_{p}" if p else ""
    result = ExportResult(
        data=buf.getvalue(),
        filename=f"{KINDS[kind]}{suffix}.{fmt}",
        content_type={
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "csv": "text/csv; charset=utf-8",
            "json": "application/json",
        }[fmt],
        rows=rows_total,
        notes=notes,
    )
    if audit:
        audit_record(
            "export",
            actor=acting_user,
            detail=f"导出{KINDS[kind]}（{fmt}，期间 {period or '全部'}，修订 {revisions}）：{rows_total} 行",
            object_type="reporting.Report" if kind != "enterprises" else "organisations.Enterprise",
            object_type_label=KINDS[kind],
            object_repr=result.filename,
        )
    return result


_REVISION_LABELS = {
    "newest": "每份报表的最新修订（含草稿，状态见“状态”列）",
    "approved": "每份报表最新的已审核修订",
    "preview": "每份报表最新的已提交或已审核修订（已提交的为预览）",
}


def _template_column(c: ExportColumn) -> Any:
    from ecplan.tabular import TemplateColumn

    return TemplateColumn(c.key, c.header, unit=c.unit, kind=c.kind, width=c.width)


def _json(v: Any) -> Any:
    import datetime as dt

    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _csv_safe(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: ("'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
        for k, v in row.items()
    }


def _columns(sheet: fm.SheetFormat, skip: Sequence[str] = ()) -> list[ExportColumn]:
    return [
        ExportColumn(
            c.key,
            c.label,
            unit=c.unit if c.kind == "number" or c.unit else None,
            kind=c.kind,
            width=c.width,
        )
        for c in sheet.columns
        if c.key not in skip
    ]


Sheet = tuple[str, list[ExportColumn], list[dict[str, Any]]]


def _enterprises(user: Any, period: Period | None, which: str) -> list[Sheet]:
    from ecplan.reporting.workbooks import _enterprises as registry_rows

    sheets = registry_rows(user, None)
    demo = set(
        policies.viewable(user, Enterprise)
        .filter(is_demo=True)
        .values_list("credit_code", flat=True)
    )
    out: list[Sheet] = []
    for spec, fmt_sheet in zip(
        sheets, (fm.ENTERPRISE_SHEET, fm.INSTALLATION_REGISTRY_SHEET), strict=True
    ):
        rows = [dict(r, is_demo=r.get("credit_code") in demo) for r in spec.rows]
        out.append((spec.name, _columns(fmt_sheet), rows))
    return out


def _ident(rev: Revision) -> dict[str, Any]:
    e = rev.report.enterprise
    assert e is not None
    return {"credit_code": e.credit_code, "enterprise_name": e.name, "period": rev.report.period}


def _energy_reports(user: Any, period: Period | None, which: str) -> list[Sheet]:
    revs = list(
        _revisions(user, "energy", period, which)
        .select_related("report__enterprise")
        .order_by("report__enterprise__credit_code", "report__period_start")
    )
    by_pk = {r.pk: r for r in revs}
    ids = list(by_pk)
    energy, outputs, inst, elec = [], [], [], []
    for ln in (
        policies.viewable(user, EnergyLine)
        .filter(revision_id__in=ids)
        .order_by("revision_id", "position")
    ):
        rev = by_pk[ln.revision_id]
        energy.append(
            {
                **_ident(rev),
                **_meta(rev),
                "carrier": ln.carrier_text,
                "unit": ln.unit,
                "purchased": ln.purchased,
                "consumed": ln.consumed,
                "feedstock": ln.feedstock,
                "power_heat": ln.power_heat,
                "supplied_out": ln.supplied_out,
                "closing_stock": ln.closing_stock,
                "lcv": ln.lcv,
                "remark": ln.remark or None,
            }
        )
    products = {p.code: p.label for p in cat.PRODUCTS}
    for o in (
        policies.viewable(user, OutputLine)
        .filter(revision_id__in=ids)
        .select_related("installation")
        .order_by("revision_id", "position")
    ):
        rev = by_pk[o.revision_id]
        outputs.append(
            {
                **_ident(rev),
                **_meta(rev),
                "product": products.get(o.product, o.product),
                "installation": o.installation.code if o.installation else None,
                "quantity": o.quantity,
                "unit": o.unit,
                "remark": o.remark or None,
            }
        )
    kind_labels = dict(Installation.Kind.choices)
    for i in (
        policies.viewable(user, InstallationLine)
        .filter(revision_id__in=ids)
        .select_related("installation")
        .order_by("revision_id", "position")
    ):
        rev = by_pk[i.revision_id]
        row = {
            **_ident(rev),
            **_meta(rev),
            "installation": i.installation.code,
            "installation_name": i.installation.name,
            "installation_kind": kind_labels.get(i.installation.kind),
            "remark": i.remark or None,
        }
        for key, _, unit, _ in fm.INSTALLATION_COLUMNS:
            v = getattr(i, key)
            row[key] = None if v is None else v / _TEMPLATE_FACTOR.get(unit, 1.0)
        inst.append(row)
    for f in (
        policies.viewable(user, ElectricityFacts)
        .filter(revision_id__in=ids)
        .order_by("revision_id")
    ):
        rev = by_pk[f.revision_id]
        elec.append(
            {
                **_ident(rev),
                **_meta(rev),
                "self_generated": _per_10k(f.self_generated_kwh),
                "self_generated_renewable": _per_10k(f.self_generated_renewable_kwh),
                "green_electricity": _per_10k(f.green_electricity_kwh),
                "green_certificates": f.green_certificates,
                "remark": f.remark or None,
            }
        )
    return [
        (fm.ENERGY_SHEET.name, _columns(fm.ENERGY_SHEET) + _META_COLUMNS, energy),
        (fm.OUTPUT_SHEET.name, _columns(fm.OUTPUT_SHEET) + _META_COLUMNS, outputs),
        (fm.INSTALLATION_SHEET.name, _columns(fm.INSTALLATION_SHEET) + _META_COLUMNS, inst),
        (fm.ELECTRICITY_SHEET.name, _columns(fm.ELECTRICITY_SHEET) + _META_COLUMNS, elec),
    ]


#: template unit → canonical units per template unit (exports write the template's units)
_TEMPLATE_FACTOR = {"万千瓦时": 10_000.0}


def _per_10k(v: float | None) -> float | None:
    return None if v is None else v / 10_000.0


def _energy_results(user: Any, period: Period | None, which: str) -> list[Sheet]:
    revs = _revisions(user, "energy", period, which)
    results = (
        cast(EnergyResultQuerySet, policies.viewable(user, EnergyResult))
        .current()
        .filter(revision__in=revs.values("pk"))
        .select_related("revision__report__enterprise")
        .order_by("revision__report__enterprise__credit_code", "revision__report__period_start")
    )
    rows = []
    for r in results:
        rev = r.revision
        rows.append(
            {
                **_ident(rev),
                **_meta(rev),
                "result_version": r.version,
                "energy_tce_calorific": r.energy_tce_calorific,
                "energy_tce_equivalent": r.energy_tce_equivalent,
                "new_basis_tce_calorific": r.new_basis_tce_calorific,
                "new_basis_tce_equivalent": r.new_basis_tce_equivalent,
                "feedstock_tce_calorific": r.feedstock_tce_calorific,
                "non_fossil_tce_calorific": r.non_fossil_tce_calorific,
                "co2_t": r.co2_t,
                "complete": r.complete,
                "uncertain": r.uncertain,
                "factor_sets": "；".join(f"{s['id']} v{s['version']}" for s in r.factor_sets),
            }
        )
    columns = [
        ExportColumn("credit_code", "统一社会信用代码", kind="code", width=22),
        ExportColumn("enterprise_name", "企业名称", width=24),
        ExportColumn("period", "期间", kind="period", width=10),
        *_META_COLUMNS,
        ExportColumn("result_version", "结果版本", kind="integer", num_format="0", width=8),
        ExportColumn("energy_tce_calorific", "综合能耗（当量值）", "吨标准煤", "number"),
        ExportColumn("energy_tce_equivalent", "综合能耗（等价值）", "吨标准煤", "number"),
        ExportColumn("new_basis_tce_calorific", "新口径能耗（当量值）", "吨标准煤", "number"),
        ExportColumn("new_basis_tce_equivalent", "新口径能耗（等价值）", "吨标准煤", "number"),
        ExportColumn("feedstock_tce_calorific", "原料用能（当量值）", "吨标准煤", "number"),
        ExportColumn("non_fossil_tce_calorific", "非化石能源（当量值）", "吨标准煤", "number"),
        ExportColumn("co2_t", "二氧化碳排放", "吨", "number"),
        ExportColumn("complete", "核算完整", kind="bool", width=8),
        ExportColumn("uncertain", "含未确认系数", kind="bool", width=8),
        ExportColumn("factor_sets", "所用因子集及版本", width=50),
    ]
    return [("核算结果", columns, rows)]


def _statistics(user: Any, period: Period | None, which: str) -> list[Sheet]:
    revs = _revisions(user, "statistics", period, which).select_related("report__area")
    by_pk = {r.pk: r for r in revs}
    items = {i.code: i.label for i in cat.STATISTIC_ITEMS}
    rows = []
    for ln in (
        policies.viewable(user, StatisticLine)
        .filter(revision_id__in=list(by_pk))
        .order_by("revision__report__area_id", "revision__report__period_start", "position")
    ):
        rev = by_pk[ln.revision_id]
        assert rev.report.area is not None
        rows.append(
            {
                "area": rev.report.area.name,
                "period": rev.report.period,
                **_meta(rev),
                "item": items.get(ln.item, ln.item),
                "breakdown": _breakdown_label(ln),
                "subject": ln.subject or None,
                "value": ln.value,
                "unit": ln.unit,
                "remark": ln.remark or None,
            }
        )
    return [(fm.STATISTICS_SHEET.name, _columns(fm.STATISTICS_SHEET) + _META_COLUMNS, rows)]


def _breakdown_label(ln: StatisticLine) -> str | None:
    if not ln.breakdown:
        return None
    if ln.breakdown in cat.SOURCE_BY_CODE:
        return cat.SOURCE_BY_CODE[ln.breakdown].label
    if ln.breakdown in cat.SECTOR_BY_CODE:
        return cat.SECTOR_BY_CODE[ln.breakdown].label
    from ecplan.core import get_carrier

    try:
        return get_carrier(ln.breakdown).name_zh
    except ValueError:
        return ln.breakdown


def _indicator_values(user: Any, period: Period | None, which: str) -> list[Sheet]:
    revs = _revisions(user, "indicator", period, which).select_related("report__organisation")
    by_pk = {r.pk: r for r in revs}
    rows = []
    for v in (
        policies.viewable(user, IndicatorValue)
        .filter(revision_id__in=list(by_pk))
        .select_related("evidence")
        .order_by("revision__report__organisation_id", "revision__report__period_start", "position")
    ):
        rev = by_pk[v.revision_id]
        assert rev.report.organisation is not None
        d = INDICATORS.get(v.indicator)
        rows.append(
            {
                "organisation": rev.report.organisation.name,
                "period": rev.report.period,
                **_meta(rev),
                "indicator": v.indicator,
                "indicator_name": d.label if d else v.indicator,
                "subject": v.subject or None,
                "value": v.value,
                "unit": v.unit or None,
                "text_value": v.text_value or None,
                "comment": v.comment or None,
                "evidence": v.evidence.original_name if v.evidence else None,
            }
        )
    columns = (
        _columns(fm.INDICATOR_SHEET)
        + _META_COLUMNS
        + [ExportColumn("evidence", "证明材料", width=24)]
    )
    return [(fm.INDICATOR_SHEET.name, columns, rows)]

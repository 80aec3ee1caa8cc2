"""Validation of records: every rule a report must pass before anything is stored.

The checker never touches the database: :mod:`ecplan.reporting.services` loads what it needs
into a :class:`Context` (enterprises by credit code, installations, areas, organisations,
indicator assignments) and passes records in. Every problem becomes a
:class:`~ecplan.tabular.CellIssue` placed at the record's sheet, row and column (or naming the
report when a program built the record), with a Chinese message and how to fix it. Errors
block the whole import; warnings (提醒) are shown for confirmation.

The output is a list of :class:`PreparedReport`: the owner, period and the normalised lines
of each report, grouped in sections, ready for the services to merge with the previous
revision and store.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecplan.accounts.credit_code import CHARSET, credit_code_check, is_valid_credit_code
from ecplan.core.plan.vocabulary import INDICATORS, UNITS
from ecplan.reporting import catalogue as cat
from ecplan.reporting.models import ENERGY_MEASURES, INSTALLATION_MEASURES
from ecplan.reporting.periods import Period, PeriodError, parse_period
from ecplan.reporting.records import (
    ElectricityRecord,
    EnergyLineRecord,
    EnergyReportRecord,
    IndicatorReportRecord,
    IndicatorValueRecord,
    InstallationFiguresRecord,
    Origin,
    OutputRecord,
    StatisticRecord,
    StatisticsReportRecord,
)
from ecplan.reporting.windows import WindowStatus, window_status
from ecplan.tabular import CellIssue, IssueList
from ecplan.tabular.normalise import clean_code_text

__all__ = [
    "Context",
    "LineData",
    "PreparedReport",
    "check_energy_reports",
    "check_indicator_reports",
    "check_statistics_reports",
    "norm_name",
]

#: Sections of each report type and the line model that holds them (see services).
ENERGY_SECTIONS = ("energy", "outputs", "installations", "electricity")
STATISTICS_SECTIONS = ("balance", "economy", "power", "separately_listed")
INDICATOR_SECTIONS = ("indicators",)
SECTION_LABELS = {
    "energy": "能源消费",
    "outputs": "产品产量",
    "installations": "装置运行",
    "electricity": "自发电与绿电",
    "balance": "能源平衡",
    "power": "电力",
    "economy": "经济指标",
    "separately_listed": "能耗单列项目",
    "indicators": "指标值",
}
STATISTIC_SECTION_OF_ITEM = {
    "energy_total_tce": "balance",
    "energy_consumption": "balance",
    "feedstock": "balance",
    "power_input": "balance",
    "heat_input": "balance",
    "nonfossil_energy_tce": "balance",
    "service_energy_tce": "balance",
    "primary_electricity": "power",
    "net_imported_electricity": "power",
    "net_imported_nonfossil_electricity": "power",
    "generation": "power",
    "electricity_consumption": "power",
    "green_certificate_electricity": "power",
    "separately_listed_tce": "separately_listed",
    "gdp_current": "economy",
    "gdp_index_previous_year": "economy",
    "gdp_index_same_period": "economy",
    "value_added": "economy",
    "value_added_index_same_period": "economy",
    "population": "economy",
}
#: Statistics items that may be negative (a net export of electricity).
SIGNED_ITEMS = frozenset({"net_imported_electricity", "net_imported_nonfossil_electricity"})


def norm_name(text: object) -> str:
    """How names are compared: NFKC, no spaces, case-folded."""
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


# -- prepared output -------------------------------------------------------------------------


@dataclass
class LineData:
    """One line ready to store: its section, identity inside the section, field values."""

    section: str
    key: tuple[Any, ...]
    values: dict[str, Any]
    origin: Origin | None = None


@dataclass
class PreparedReport:
    """A checked report: who, which period, and the sections it provides."""

    report_type: str
    period: Period
    label: str
    enterprise: Any = None
    organisation: Any = None
    area: Any = None
    sections: dict[str, dict[tuple[Any, ...], LineData]] = field(default_factory=dict)
    origin: Origin | None = None
    window: WindowStatus | None = None

    @property
    def key(self) -> tuple[str, int | None, int | None, int | None, str]:
        return (
            self.report_type,
            getattr(self.enterprise, "pk", None),
            getattr(self.organisation, "pk", None),
            getattr(self.area, "pk", None),
            str(self.period),
        )


# -- context ------------------------------------------------------------------------------------


@dataclass
class Context:
    """What the checker needs from the database and the acting user, loaded by the services.

    Attributes
    ----------
    user : the acting user
    enterprises : credit code → Enterprise, for every code the records mention that exists
    installations : (enterprise id, installation code) → Installation
    areas : normalised code / name / alias → Area (the acting user's regions)
    organisations : normalised code / name / alias → Organisation
    assignments : (organisation id, plan code) → {indicator code → IndicatorAssignment}
    may_report : callable(obj) → bool — the ``report`` permission on an enterprise or
        organisation (``ecplan.accounts.policies.can``)
    may_see : callable(obj) → bool — the ``view`` permission
    may_backfill : bool — the acting user may store periods outside the open window after
        confirming a warning (plan and system administrators: 补录历史数据)
    today : the date the open reporting windows are judged on
    """

    user: Any
    enterprises: dict[str, Any] = field(default_factory=dict)
    installations: dict[tuple[int, str], Any] = field(default_factory=dict)
    areas: dict[str, Any] = field(default_factory=dict)
    organisations: dict[str, Any] = field(default_factory=dict)
    assignments: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)
    may_report: Callable[[Any], bool] = lambda obj: False
    may_see: Callable[[Any], bool] = lambda obj: False
    may_backfill: bool = False
    today: dt.date = field(default_factory=dt.date.today)


# -- issue placement ----------------------------------------------------------------------------


#: Chinese names of record fields, for messages about records a program or form built.
FIELD_LABELS = {
    "credit_code": "统一社会信用代码",
    "enterprise_name": "企业名称",
    "period": "期间",
    "carrier": "能源品种",
    "unit": "计量单位",
    "purchased": "购进量",
    "consumed": "消费量",
    "feedstock": "原料用能",
    "power_heat": "发电供热投入",
    "supplied_out": "外供量",
    "closing_stock": "期末库存",
    "lcv": "实测低位发热量",
    "product": "产品",
    "quantity": "数量",
    "installation": "装置编号",
    "area": "地区",
    "zone": "功能区",
    "organisation": "部门",
    "item": "指标",
    "breakdown": "分项",
    "subject": "对象",
    "value": "数值",
    "indicator": "指标",
    "evidence": "证明材料",
    "name": "名称",
    "code": "编号",
    "kind": "类型",
}


class _Reporter:
    """Adds issues at a record's place (sheet/row/column), or naming the report."""

    def __init__(self, issues: IssueList) -> None:
        self.issues = issues

    def add(
        self,
        origin: Origin | None,
        key: str | None,
        message: str,
        hint: str = "",
        *,
        code: str,
        value: object = None,
        severity: str = "error",
        where: str = "",
    ) -> None:
        if origin is not None and origin.sheet is not None:
            column = origin.columns.get(key) if key else None
            label = origin.labels.get(key, key) if key else None
            issue = CellIssue(
                origin.sheet,
                origin.row,
                column,
                label,
                None if value is None else _text(value),
                message,
                hint,
                "warning" if severity == "warning" else "error",
                code,
            )
        else:
            prefix = f"{where}：" if where else ""
            issue = CellIssue(
                None,
                None,
                None,
                FIELD_LABELS.get(key, key) if key else None,
                None if value is None else _text(value),
                prefix + message,
                hint,
                "warning" if severity == "warning" else "error",
                code,
            )
        self.issues.add(issue)


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _row_ref(origin: Origin | None) -> str:
    if origin is None or origin.row is None:
        return "前面的记录"
    sheet = f"工作表“{origin.sheet}”" if origin.sheet else ""
    return f"{sheet}第 {origin.row} 行"


# -- shared checks ------------------------------------------------------------------------------


def _finite(value: float | None) -> bool:
    return value is None or (isinstance(value, int | float) and math.isfinite(value))


def check_credit_code(
    code: str, rep: _Reporter, origin: Origin | None, where: str, key: str = "credit_code"
) -> str | None:
    """The normalised code, or ``None`` after reporting why it is not a valid code."""
    text = clean_code_text(code or "")
    if not text:
        rep.add(
            origin,
            key,
            "统一社会信用代码不能为空。",
            "请填写 18 位统一社会信用代码。",
            code="missing",
            where=where,
        )
        return None
    if len(text) != 18 or any(ch not in CHARSET for ch in text):
        rep.add(
            origin,
            key,
            f"“{text}”不是有效的统一社会信用代码（应为 18 位数字或大写字母，不含 I、O、Z、S、V）。",
            "请核对营业执照上的代码。",
            code="credit_code_format",
            value=code,
            where=where,
        )
        return None
    if not is_valid_credit_code(text):
        rep.add(
            origin,
            key,
            f"统一社会信用代码“{text}”的校验位不正确（按 GB 32100 第 18 位应为“{credit_code_check(text[:17])}”）。",
            "代码可能抄错了一位，请核对营业执照。",
            code="credit_code_check",
            value=code,
            where=where,
        )
        return None
    return text


def _check_window(
    report_type: str,
    period: Period,
    ctx: Context,
    rep: _Reporter,
    origin: Origin | None,
    where: str,
) -> WindowStatus:
    status = window_status(report_type, period, today=ctx.today)
    if status.is_open:
        return status
    if status.not_yet_ended:
        rep.add(
            origin,
            "period",
            f"{period.label}尚未结束，不能填报。",
            status.hint,
            code="period_not_ended",
            value=str(period),
            where=where,
        )
    elif ctx.may_backfill:
        rep.add(
            origin,
            "period",
            f"{period.label}不在当前填报期内（{status.describe()}）。",
            "作为计划管理员，确认后将作为历史数据补录。",
            code="period_backfill",
            value=str(period),
            severity="warning",
            where=where,
        )
    else:
        rep.add(
            origin,
            "period",
            f"{period.label}不在当前填报期内（{status.describe()}）。",
            "请核对期间；如需补报，请联系计划管理部门。",
            code="period_closed",
            value=str(period),
            where=where,
        )
    return status


def _period(
    text: str, kinds: tuple[str, ...], rep: _Reporter, origin: Origin | None, where: str
) -> Period | None:
    try:
        return parse_period(text, kinds=kinds)
    except PeriodError as exc:
        rep.add(origin, "period", str(exc) + "。", code="period_invalid", value=text, where=where)
        return None


def _negative(
    record_values: Mapping[str, float | None],
    labels: Mapping[str, str],
    rep: _Reporter,
    origin: Origin | None,
    where: str,
) -> bool:
    bad = False
    for key, value in record_values.items():
        if value is None:
            continue
        if not _finite(value):
            rep.add(
                origin,
                key,
                f"“{labels.get(key, key)}”不是有限的数字。",
                "请填写数字。",
                code="not_number",
                value=value,
                where=where,
            )
            bad = True
        elif value < 0:
            rep.add(
                origin,
                key,
                f"“{labels.get(key, key)}”为负数（{_text(value)}）。",
                "请填写零或正数。",
                code="negative",
                value=value,
                where=where,
            )
            bad = True
    return bad


# -- energy reports -----------------------------------------------------------------------------

_MEASURE_LABELS = dict(ENERGY_MEASURES)
_INSTALLATION_MEASURES = {m[0]: m for m in INSTALLATION_MEASURES}
_MEASURE_DIMENSION = {
    "t": "mass",
    "tce": "standard_coal",
    "kWh": "electricity",
    "GJ": "heat",
}
#: relative tolerance when comparing parts with totals (float noise only)
_REL = 1e-9


def _exceeds(part: float, whole: float) -> bool:
    return part > whole + _REL * max(abs(whole), 1.0)


def check_energy_reports(
    records: Sequence[EnergyReportRecord], ctx: Context, issues: IssueList
) -> list[PreparedReport]:
    """Check monthly energy reports; records of the same enterprise and month are merged
    (one file may spread a report over several sheets)."""
    from ecplan.reporting import accounting as acc

    rep = _Reporter(issues)
    prepared: dict[tuple[int, str], PreparedReport] = {}
    seen_rows: dict[tuple[Any, ...], Origin | None] = {}
    valid_codes: dict[str, str] = {}
    periods: dict[str, Period] = {}
    names: dict[int, str] = {}
    for record in records:
        where = f"企业 {record.credit_code} {record.period}"
        code = valid_codes.get(record.credit_code)
        if code is None:
            code = check_credit_code(record.credit_code, rep, record.origin, where)
            if code is not None:
                valid_codes[record.credit_code] = code
        period = periods.get(record.period)
        if period is None:
            period = _period(record.period, ("month",), rep, record.origin, where)
            if period is not None:
                periods[record.period] = period
        if code is None or period is None:
            continue
        enterprise = ctx.enterprises.get(code)
        if enterprise is None or not ctx.may_see(enterprise):
            rep.add(
                record.origin,
                "credit_code",
                f"统一社会信用代码“{code}”不是已登记的重点用能企业，或不在您的权限范围内。",
                "请核对代码；新企业须先由计划管理部门登记。",
                code="enterprise_unknown",
                value=code,
                where=where,
            )
            continue
        if not ctx.may_report(enterprise):
            rep.add(
                record.origin,
                "credit_code",
                f"您无权填报“{enterprise.name}”的数据。",
                "只能填报本单位的数据；如有疑问请联系计划管理部门。",
                code="enterprise_out_of_scope",
                value=code,
                where=where,
            )
            continue
        if enterprise.pk not in names:
            names[enterprise.pk] = norm_name(enterprise.name)
        if record.enterprise_name and norm_name(record.enterprise_name) != names[enterprise.pk]:
            rep.add(
                record.origin,
                "enterprise_name",
                f"企业名称“{record.enterprise_name}”与统一社会信用代码“{code}”登记的名称“{enterprise.name}”不符。",
                "请核对代码和名称是否对应；如企业已更名，请联系计划管理部门更新登记信息。",
                code="enterprise_mismatch",
                value=record.enterprise_name,
                where=where,
            )
            continue
        label = f"{enterprise.name} {period.label}"
        report = prepared.get((enterprise.pk, str(period)))
        if report is None:
            report = PreparedReport(
                report_type="energy",
                period=period,
                label=label,
                enterprise=enterprise,
                origin=record.origin,
            )
            report.window = _check_window("energy", period, ctx, rep, record.origin, label)
            prepared[(enterprise.pk, str(period))] = report
        for section in record.provided_sections():
            report.sections.setdefault(section, {})
        for line in record.lines:
            _energy_line(line, report, rep, seen_rows, acc, label)
        for output in record.outputs:
            _output_line(output, report, ctx, rep, seen_rows, acc, label)
        for figures in record.installations:
            _installation_line(figures, report, ctx, rep, seen_rows, acc, label)
        if record.electricity is not None:
            _electricity(record.electricity, report, rep, seen_rows, acc, label)
    return list(prepared.values())


def _duplicate(
    seen: dict[tuple[Any, ...], Origin | None],
    key: tuple[Any, ...],
    origin: Origin | None,
    rep: _Reporter,
    field_key: str,
    what: str,
    where: str,
) -> bool:
    if key in seen:
        rep.add(
            origin,
            field_key,
            f"{what}重复：与{_row_ref(seen[key])}是同一企业、同一期间的同一项。",
            "每项只能填写一行，请删除或合并重复的行。",
            code="duplicate",
            where=where,
        )
        return True
    seen[key] = origin
    return False


def _energy_line(
    line: EnergyLineRecord,
    report: PreparedReport,
    rep: _Reporter,
    seen: dict[tuple[Any, ...], Origin | None],
    acc: Any,
    where: str,
) -> None:
    from ecplan.core import AccountingError

    origin = line.origin
    values = {key: getattr(line, key) for key, _ in ENERGY_MEASURES}
    if all(v is None for v in values.values()):
        rep.add(
            origin,
            "consumed",
            "这一行没有填写任何数量。",
            "请填写消费量等数量，或删除这一行。",
            code="empty_line",
            where=where,
        )
        return
    bad = _negative(
        {**values, "lcv": line.lcv},
        {**_MEASURE_LABELS, "lcv": "实测低位发热量"},
        rep,
        origin,
        where,
    )
    try:
        carrier = acc.carrier_for(line.carrier)
    except AccountingError as exc:
        rep.add(
            origin,
            "carrier",
            acc.account_error_text(exc),
            "请从下拉列表中选择能源品种。",
            code="carrier_unknown",
            value=line.carrier,
            where=where,
        )
        return
    try:
        unit = acc.unit_for(line.unit, carrier)
    except AccountingError as exc:
        rep.add(
            origin,
            "unit",
            acc.account_error_text(exc),
            code="unit_invalid",
            value=line.unit,
            where=where,
        )
        return
    if _duplicate(
        seen,
        ("energy", report.key, carrier.code),
        origin,
        rep,
        "carrier",
        f"能源品种“{carrier.name_zh}”",
        where,
    ):
        return
    if bad:
        return
    consumed = line.consumed
    parts = {"feedstock": line.feedstock, "power_heat": line.power_heat}
    ok = True
    for key, part in parts.items():
        if part is None or part == 0:
            continue
        if consumed is None:
            rep.add(
                origin,
                key,
                f"填写了“{_MEASURE_LABELS[key]}”，但没有填写消费量。",
                "“其中”项是消费量的一部分，请填写消费量。",
                code="part_without_total",
                value=part,
                where=where,
            )
            ok = False
        elif _exceeds(part, consumed):
            rep.add(
                origin,
                key,
                f"“{_MEASURE_LABELS[key]}”（{_text(part)}）大于消费量（{_text(consumed)}）。",
                "“其中”项是消费量的一部分，不能大于消费量；请核对数量和单位。",
                code=f"{key}_exceeds_consumption",
                value=part,
                where=where,
            )
            ok = False
    if (
        ok
        and consumed is not None
        and line.feedstock
        and line.power_heat
        and _exceeds(line.feedstock + line.power_heat, consumed)
    ):
        rep.add(
            origin,
            "power_heat",
            f"原料用能与发电供热投入之和（{_text(line.feedstock + line.power_heat)}）大于消费量（{_text(consumed)}）。",
            "两者都是消费量的一部分，且互不重叠；请核对。",
            code="parts_exceed_consumption",
            value=line.power_heat,
            where=where,
        )
        ok = False
    if line.feedstock and not carrier.feedstock_capable:
        rep.add(
            origin,
            "feedstock",
            f"“{carrier.name_zh}”不能作为原料用能（只有煤炭、石油、天然气及其制品可以，发改环资〔2022〕803号）。",
            "请把这部分填在消费量中，原料用能填 0 或留空。",
            code="feedstock_not_allowed",
            value=line.feedstock,
            where=where,
        )
        ok = False
    if not ok:
        return
    multiplier = unit.multiplier
    data: dict[str, Any] = {
        "carrier": carrier.code,
        "carrier_text": line.carrier.strip(),
        "unit": line.unit.strip(),
        "canonical_unit": unit.canonical,
        "unit_multiplier": multiplier,
        "lcv": line.lcv,
        "lcv_unit": acc.lcv_unit_for(unit.dimension.value) if line.lcv is not None else "",
        "remark": line.remark,
        "raw": line.raw,
    }
    for key, value in values.items():
        data[key] = value
        data[f"{key}_canonical"] = None if value is None else value * multiplier
    _place(data, origin)
    report.sections["energy"][(carrier.code,)] = LineData("energy", (carrier.code,), data, origin)


def _place(data: dict[str, Any], origin: Origin | None) -> None:
    data["source_row"] = origin.row if origin is not None else None
    data["source_sheet"] = (origin.sheet or "")[:40] if origin is not None else ""


def _installation(
    code: str,
    report: PreparedReport,
    ctx: Context,
    rep: _Reporter,
    origin: Origin | None,
    field_key: str,
    where: str,
) -> Any:
    text = (code or "").strip()
    found = ctx.installations.get((report.enterprise.pk, text))
    if found is None:
        known = sorted(c for (e, c) in ctx.installations if e == report.enterprise.pk)
        listing = "、".join(known) if known else "（该企业尚未登记装置）"
        rep.add(
            origin,
            field_key,
            f"装置编号“{text}”不是“{report.enterprise.name}”已登记的装置。",
            f"已登记的装置编号：{listing}。新装置须先由计划管理部门登记。",
            code="installation_unknown",
            value=text,
            where=where,
        )
    return found


def _output_line(
    output: OutputRecord,
    report: PreparedReport,
    ctx: Context,
    rep: _Reporter,
    seen: dict[tuple[Any, ...], Origin | None],
    acc: Any,
    where: str,
) -> None:
    from ecplan.core import AccountingError

    origin = output.origin
    name = (output.product or "").strip()
    if not name:
        rep.add(
            origin, "product", "产品名称不能为空。", "请填写产品名称。", code="missing", where=where
        )
        return
    if output.quantity is None:
        rep.add(
            origin,
            "quantity",
            "产量不能为空。",
            "请填写产量；没有产量请填 0。",
            code="missing",
            where=where,
        )
        return
    if _negative({"quantity": output.quantity}, {"quantity": "产量"}, rep, origin, where):
        return
    product_code = cat.find_product(name)
    installation = None
    if output.installation:
        installation = _installation(
            output.installation, report, ctx, rep, origin, "installation", where
        )
        if installation is None:
            return
        if product_code is not None:
            product = cat.PRODUCT_BY_CODE[product_code]
            if installation.product and (
                installation.product != product.installation_product
                or (product.variant and installation.variant != product.variant)
            ):
                rep.add(
                    origin,
                    "product",
                    f"产品“{product.label}”与装置“{installation}”登记的产品“{installation.product_label}”不符。",
                    "请核对装置编号和产品。",
                    code="product_mismatch",
                    value=name,
                    where=where,
                )
                return
    canonical: float | None = None
    canonical_unit = ""
    unit_text = (output.unit or "").strip()
    try:
        parsed = acc.measure_unit(unit_text, "mass")
        canonical = output.quantity * parsed.multiplier
        canonical_unit = parsed.canonical
    except AccountingError as exc:
        if product_code is not None or not unit_text:
            rep.add(
                origin,
                "unit",
                acc.account_error_text(exc),
                "该产品的产量按质量填报（吨、万吨）。",
                code="unit_invalid",
                value=unit_text,
                where=where,
            )
            return
    key = (product_code or name, installation.pk if installation is not None else None)
    if _duplicate(
        seen, ("outputs", report.key, *key), origin, rep, "product", f"产品“{name}”", where
    ):
        return
    data = {
        "product": product_code or name,
        "installation_id": installation.pk if installation is not None else None,
        "quantity": output.quantity,
        "unit": unit_text,
        "quantity_canonical": canonical,
        "canonical_unit": canonical_unit,
        "remark": output.remark,
        "raw": output.raw,
    }
    _place(data, origin)
    report.sections["outputs"][key] = LineData("outputs", key, data, origin)


def _installation_line(
    figures: InstallationFiguresRecord,
    report: PreparedReport,
    ctx: Context,
    rep: _Reporter,
    seen: dict[tuple[Any, ...], Origin | None],
    acc: Any,
    where: str,
) -> None:
    from ecplan.core import AccountingError

    origin = figures.origin
    installation = _installation(
        figures.installation, report, ctx, rep, origin, "installation", where
    )
    if installation is None:
        return
    if _duplicate(
        seen,
        ("installations", report.key, installation.pk),
        origin,
        rep,
        "installation",
        f"装置“{installation.code}”",
        where,
    ):
        return
    data: dict[str, Any] = {
        "installation_id": installation.pk,
        "remark": figures.remark,
        "raw": figures.raw,
    }
    ok = True
    for key, (value, unit_text) in figures.values.items():
        spec = _INSTALLATION_MEASURES.get(key)
        if spec is None:
            rep.add(origin, key, f"未知的装置指标“{key}”。", code="measure_unknown", where=where)
            ok = False
            continue
        _, label, canonical_unit, _, kinds = spec
        if value is None:
            continue
        if installation.kind not in kinds:
            rep.add(
                origin,
                key,
                f"{installation.get_kind_display()}“{installation.code}”不填报“{label}”。",
                "请把该单元格留空。",
                code="measure_not_applicable",
                value=value,
                where=where,
            )
            ok = False
            continue
        if _negative({key: value}, {key: label}, rep, origin, where):
            ok = False
            continue
        if canonical_unit == "h":
            data[key] = value
            continue
        try:
            parsed = acc.measure_unit(unit_text, _MEASURE_DIMENSION[canonical_unit])
        except AccountingError as exc:
            rep.add(
                origin,
                key,
                f"“{label}”：" + acc.account_error_text(exc),
                code="unit_invalid",
                value=unit_text,
                where=where,
            )
            ok = False
            continue
        data[key] = value * parsed.multiplier
    if not ok:
        return
    total, it = data.get("electricity_total_kwh"), data.get("electricity_it_kwh")
    if total is not None and it is not None and _exceeds(it, total):
        rep.add(
            origin,
            "electricity_it_kwh",
            "IT设备耗电量大于数据中心总耗电量（PUE 不可能小于 1）。",
            "请核对两项耗电量及其单位。",
            code="it_exceeds_total",
            where=where,
        )
        return
    coal, heat_coal = data.get("standard_coal_tce"), data.get("heat_standard_coal_tce")
    if heat_coal is not None and (coal is None or _exceeds(heat_coal, coal)):
        rep.add(
            origin,
            "heat_standard_coal_tce",
            "供热耗用标准煤量大于耗用标准煤量（或未填写耗用标准煤量）。",
            "供热耗用是耗用标准煤量的一部分，请核对。",
            code="heat_coal_exceeds_coal",
            where=where,
        )
        return
    gen, station = data.get("generation_kwh"), data.get("station_use_kwh")
    if gen is not None and station is not None and _exceeds(station, gen):
        rep.add(
            origin,
            "station_use_kwh",
            "厂用电量大于发电量。",
            "请核对两项电量及其单位。",
            code="station_use_exceeds_generation",
            where=where,
        )
        return
    if all(data.get(k) is None for k in _INSTALLATION_MEASURES):
        rep.add(
            origin,
            "installation",
            "这一行没有填写任何数值。",
            "请填写数值，或删除这一行。",
            code="empty_line",
            where=where,
        )
        return
    end = report.period.end
    if installation.closed_on is not None and installation.closed_on < report.period.start:
        rep.add(
            origin,
            "installation",
            f"装置“{installation.code}”已于 {installation.closed_on:%Y-%m-%d} 关停，但填报了 {report.period.label} 的运行数据。",
            "请核对装置编号；如装置已恢复运行，请联系计划管理部门更新登记信息。",
            code="installation_closed",
            severity="warning",
            where=where,
        )
    elif installation.commissioned_on is not None and installation.commissioned_on > end:
        rep.add(
            origin,
            "installation",
            f"装置“{installation.code}”登记的投产日期为 {installation.commissioned_on:%Y-%m-%d}，晚于 {report.period.label}。",
            "请核对装置编号或投产日期。",
            code="installation_not_commissioned",
            severity="warning",
            where=where,
        )
    _place(data, origin)
    report.sections["installations"][(installation.pk,)] = LineData(
        "installations", (installation.pk,), data, origin
    )


def _electricity(
    record: ElectricityRecord,
    report: PreparedReport,
    rep: _Reporter,
    seen: dict[tuple[Any, ...], Origin | None],
    acc: Any,
    where: str,
) -> None:
    from ecplan.core import AccountingError

    origin = record.origin
    if _duplicate(
        seen, ("electricity", report.key), origin, rep, "self_generated", "自发电与绿电", where
    ):
        return
    labels = {
        "self_generated": "自发电量",
        "self_generated_renewable": "其中：可再生能源发电量",
        "green_electricity": "购入绿色电力",
        "green_certificates": "绿证",
    }
    data: dict[str, Any] = {"remark": record.remark, "raw": record.raw}
    ok = True
    for key in ("self_generated", "self_generated_renewable", "green_electricity"):
        pair = getattr(record, key)
        if pair is None or pair[0] is None:
            data[f"{key}_kwh"] = None
            continue
        value, unit_text = pair
        if _negative({key: value}, labels, rep, origin, where):
            ok = False
            continue
        try:
            parsed = acc.measure_unit(unit_text, "electricity")
        except AccountingError as exc:
            rep.add(
                origin,
                key,
                f"“{labels[key]}”：" + acc.account_error_text(exc),
                code="unit_invalid",
                value=unit_text,
                where=where,
            )
            ok = False
            continue
        data[f"{key}_kwh"] = value * parsed.multiplier
    certs = record.green_certificates
    if certs is not None and _negative({"green_certificates": certs}, labels, rep, origin, where):
        ok = False
    data["green_certificates"] = certs
    if not ok:
        return
    total, renewable = data.get("self_generated_kwh"), data.get("self_generated_renewable_kwh")
    if renewable is not None and (total is None or _exceeds(renewable, total)):
        rep.add(
            origin,
            "self_generated_renewable",
            "可再生能源发电量大于自发电量（或未填写自发电量）。",
            "可再生能源发电量是自发电量的一部分，请核对。",
            code="renewable_exceeds_self_generated",
            where=where,
        )
        return
    if all(
        data.get(k) is None
        for k in (
            "self_generated_kwh",
            "self_generated_renewable_kwh",
            "green_electricity_kwh",
            "green_certificates",
        )
    ):
        return
    _place(data, origin)
    report.sections["electricity"][("electricity",)] = LineData(
        "electricity", ("electricity",), data, origin
    )


# -- statistics -----------------------------------------------------------------------------------


def _resolve_area(text: str, ctx: Context) -> Any:
    return ctx.areas.get(norm_name(text))


def _resolve_organisation(text: str, ctx: Context) -> Any:
    return ctx.organisations.get(norm_name(text))


def check_statistics_reports(
    records: Sequence[StatisticsReportRecord], ctx: Context, issues: IssueList
) -> list[PreparedReport]:
    """Check city and area statistics (quarters cumulative from January, or years)."""
    from ecplan.core import AccountingError
    from ecplan.reporting import accounting as acc

    rep = _Reporter(issues)
    prepared: dict[tuple[int, str], PreparedReport] = {}
    seen: dict[tuple[Any, ...], Origin | None] = {}
    for record in records:
        where = f"{record.area} {record.period}"
        area = _resolve_area(record.area, ctx)
        if area is None:
            rep.add(
                record.origin,
                "area",
                f"未知的地区“{record.area}”。",
                "请填写全市或县级地区的名称或行政区划代码（如 仪征市、321081）。",
                code="area_unknown",
                value=record.area,
                where=where,
            )
            continue
        if area.kind == "functional_zone":
            parent = area.parent.name if area.parent else "所在县级地区"
            rep.add(
                record.origin,
                "area",
                f"“{area.name}”是功能区，统计数据按县级地区填报（并入{parent}）。",
                "请填写全市或县级地区。",
                code="area_zone",
                value=record.area,
                where=where,
            )
            continue
        organisation = _resolve_organisation(record.organisation or "statistics", ctx)
        if organisation is None:
            rep.add(
                record.origin,
                "organisation",
                f"未知的填报单位“{record.organisation}”。",
                code="organisation_unknown",
                value=record.organisation,
                where=where,
            )
            continue
        if not ctx.may_report(organisation):
            rep.add(
                record.origin,
                "area",
                f"您无权以“{organisation.name}”的名义填报统计数据。",
                "统计数据由统计部门的填报员或计划管理员填报。",
                code="organisation_out_of_scope",
                where=where,
            )
            continue
        period = _period(record.period, ("quarter", "year"), rep, record.origin, where)
        if period is None:
            continue
        label = f"{area.name} {period.label}统计数据"
        report = prepared.get((area.pk, str(period)))
        if report is None:
            report = PreparedReport(
                "statistics",
                period,
                label,
                organisation=organisation,
                area=area,
                origin=record.origin,
            )
            report.window = _check_window("statistics", period, ctx, rep, record.origin, label)
            prepared[(area.pk, str(period))] = report
        for section in record.sections or ():
            report.sections.setdefault(section, {})
        for line in record.lines:
            _statistic_line(line, report, rep, seen, acc, AccountingError, label)
    for report in prepared.values():
        _statistics_consistency(report, rep)
    return list(prepared.values())


def _statistic_line(
    line: StatisticRecord,
    report: PreparedReport,
    rep: _Reporter,
    seen: dict[tuple[Any, ...], Origin | None],
    acc: Any,
    accounting_error: type[Exception],
    where: str,
) -> None:
    origin = line.origin
    item_code = cat.find_item(line.item or "")
    if item_code is None:
        rep.add(
            origin,
            "item",
            f"未知的统计指标“{line.item}”。",
            "请从下拉列表中选择指标（见“填表说明”）。",
            code="item_unknown",
            value=line.item,
            where=where,
        )
        return
    item = cat.STATISTIC_ITEM_BY_CODE[item_code]
    if line.value is None:
        rep.add(
            origin,
            "value",
            f"“{item.label}”的数值不能为空。",
            "请填写数值，或删除这一行。",
            code="missing",
            where=where,
        )
        return
    if not _finite(line.value):
        rep.add(origin, "value", "数值不是有限的数字。", code="not_number", where=where)
        return
    if line.value < 0 and item_code not in SIGNED_ITEMS:
        rep.add(
            origin,
            "value",
            f"“{item.label}”为负数（{_text(line.value)}）。",
            "请填写零或正数。",
            code="negative",
            value=line.value,
            where=where,
        )
        return
    breakdown = ""
    carrier = None
    text = (line.breakdown or "").strip()
    if item.breakdown == "carrier":
        try:
            carrier = acc.carrier_for(text)
        except accounting_error as exc:
            rep.add(
                origin,
                "breakdown",
                acc.account_error_text(exc),
                "请从下拉列表中选择能源品种。",
                code="carrier_unknown",
                value=text,
                where=where,
            )
            return
        breakdown = carrier.code
        if item_code == "feedstock" and not carrier.feedstock_capable:
            rep.add(
                origin,
                "breakdown",
                f"“{carrier.name_zh}”不能作为原料用能。",
                "原料用能只包括煤炭、石油、天然气及其制品。",
                code="feedstock_not_allowed",
                value=text,
                where=where,
            )
            return
    elif item.breakdown == "source":
        found = cat.find_source(text)
        if found is None:
            names = "、".join(s.label for s in cat.SOURCES)
            rep.add(
                origin,
                "breakdown",
                f"未知的电源类型“{text}”。",
                f"可选：{names}。",
                code="source_unknown",
                value=text,
                where=where,
            )
            return
        if item_code == "primary_electricity" and not cat.SOURCE_BY_CODE[found].non_fossil:
            rep.add(
                origin,
                "breakdown",
                f"一次电力只包括非化石能源发电，“{cat.SOURCE_BY_CODE[found].label}”不属于一次电力。",
                "火电请填在“发电量（分电源）”中。",
                code="source_not_primary",
                value=text,
                where=where,
            )
            return
        breakdown = found
    elif item.breakdown == "sector":
        found = cat.find_sector(text)
        if found is None:
            names = "、".join(s.label for s in cat.SECTORS)
            rep.add(
                origin,
                "breakdown",
                f"未知的产业“{text}”。",
                f"可选：{names}。",
                code="sector_unknown",
                value=text,
                where=where,
            )
            return
        breakdown = found
    elif text and item.breakdown == "":
        rep.add(
            origin,
            "breakdown",
            f"“{item.label}”是合计数，不分项。",
            "请把“分项”留空。",
            code="breakdown_not_allowed",
            value=text,
            where=where,
        )
        return
    subject = (line.subject or "").strip()
    if item.breakdown == "project" and not subject:
        rep.add(
            origin,
            "subject",
            "能耗单列项目须填写项目名称。",
            "请在“项目”列填写项目名称。",
            code="missing",
            where=where,
        )
        return
    if item.breakdown != "project" and subject:
        rep.add(
            origin,
            "subject",
            f"“{item.label}”不填写项目名称。",
            "请把“项目”列留空。",
            code="subject_not_allowed",
            value=subject,
            where=where,
        )
        return
    unit_text = (line.unit or "").strip() or item.default_unit
    converted = _statistic_unit(item, unit_text, carrier, acc, accounting_error)
    if isinstance(converted, str):
        rep.add(origin, "unit", converted, code="unit_invalid", value=unit_text, where=where)
        return
    multiplier, canonical_unit = converted
    if item.unit_kind == "index" and not 50 <= line.value <= 200:
        rep.add(
            origin,
            "value",
            f"“{item.label}”为 {_text(line.value)}，不在常见范围（50–200）内。",
            "指数以上年（同期）为 100；增长 6% 应填 106，而不是 6 或 1.06。",
            code="index_implausible",
            value=line.value,
            severity="warning",
            where=where,
        )
    key = (item_code, breakdown, subject)
    if _duplicate(
        seen,
        ("statistics", report.key, *key),
        origin,
        rep,
        "item",
        f"“{item.label}”{('（' + text + '）') if text else ''}",
        where,
    ):
        return
    section = STATISTIC_SECTION_OF_ITEM[item_code]
    data = {
        "item": item_code,
        "breakdown": breakdown,
        "subject": subject,
        "value": line.value,
        "unit": unit_text,
        "value_canonical": line.value * multiplier,
        "canonical_unit": canonical_unit,
        "remark": line.remark,
        "raw": line.raw,
    }
    _place(data, origin)
    report.sections.setdefault(section, {})[key] = LineData(section, key, data, origin)


def _statistic_unit(
    item: cat.StatisticItem,
    unit_text: str,
    carrier: Any,
    acc: Any,
    accounting_error: type[Exception],
) -> tuple[float, str] | str:
    """(multiplier, canonical unit), or a Chinese message."""
    kind = item.unit_kind
    if kind in ("carrier", "standard_coal", "electricity"):
        try:
            if kind == "carrier":
                parsed = acc.unit_for(unit_text, carrier)
            else:
                parsed = acc.measure_unit(unit_text, kind)
        except accounting_error as exc:
            return str(acc.account_error_text(exc))
        return float(parsed.multiplier), str(parsed.canonical)
    if kind == "money":
        factor = cat.MONEY_UNITS.get(unit_text)
        if factor is None:
            return f"“{item.label}”的单位应为 {'、'.join(cat.MONEY_UNITS)}，而不是“{unit_text}”。"
        return factor, "10k_yuan"
    if kind == "index":
        if unit_text not in cat.INDEX_UNITS:
            return f"“{item.label}”的单位应为“{item.default_unit}”，而不是“{unit_text}”。"
        return 1.0, "index"
    factor = cat.PERSON_UNITS.get(unit_text)
    if factor is None:
        return f"“{item.label}”的单位应为 {'、'.join(cat.PERSON_UNITS)}，而不是“{unit_text}”。"
    return factor, "persons"


def _statistics_consistency(report: PreparedReport, rep: _Reporter) -> None:
    balance = report.sections.get("balance", {})
    consumption = {k[1]: d for k, d in balance.items() if k[0] == "energy_consumption"}
    for item_code, label in (
        ("feedstock", "原料用能"),
        ("power_input", "发电投入"),
        ("heat_input", "供热投入"),
    ):
        for key, line in balance.items():
            if key[0] != item_code:
                continue
            total = consumption.get(key[1])
            part = line.values["value_canonical"]
            if total is None:
                rep.add(
                    line.origin,
                    "value",
                    f"填写了{label}，但没有填写该品种的能源消费量。",
                    "“其中”项是消费量的一部分，请填写该品种的消费量。",
                    code="part_without_total",
                    where=report.label,
                )
            elif _exceeds(part, total.values["value_canonical"]):
                rep.add(
                    line.origin,
                    "value",
                    f"{label}大于该品种的能源消费量。",
                    "请核对数量和单位。",
                    code=f"{item_code}_exceeds_consumption",
                    where=report.label,
                )
    for carrier, total in consumption.items():
        parts = sum(
            balance[k].values["value_canonical"]
            for k in (
                ("feedstock", carrier, ""),
                ("power_input", carrier, ""),
                ("heat_input", carrier, ""),
            )
            if k in balance
        )
        if _exceeds(parts, total.values["value_canonical"]):
            rep.add(
                total.origin,
                "value",
                "原料用能、发电投入与供热投入之和大于该品种的能源消费量。",
                "三者都是消费量的一部分，且互不重叠；请核对。",
                code="parts_exceed_consumption",
                where=report.label,
            )
    power = report.sections.get("power", {})
    net = power.get(("net_imported_electricity", "", ""))
    nonfossil = power.get(("net_imported_nonfossil_electricity", "", ""))
    if nonfossil is not None and net is not None:
        n, t = nonfossil.values["value_canonical"], net.values["value_canonical"]
        if t >= 0 and _exceeds(n, t):
            rep.add(
                nonfossil.origin,
                "value",
                "净调入非化石能源电力大于净调入电力。",
                "请核对两项电量。",
                code="nonfossil_exceeds_import",
                where=report.label,
            )
    economy = report.sections.get("economy", {})
    gdp = economy.get(("gdp_current", "", ""))
    sectors = [economy.get(("value_added", s, "")) for s in ("primary", "secondary", "tertiary")]
    if gdp is not None and all(s is not None for s in sectors):
        total = sum(s.values["value_canonical"] for s in sectors if s is not None)
        g = gdp.values["value_canonical"]
        if g > 0 and abs(total - g) > 0.01 * g:
            rep.add(
                gdp.origin,
                "value",
                f"三次产业增加值之和（{total / 10000:.2f} 亿元）与地区生产总值（{g / 10000:.2f} 亿元）相差超过 1%。",
                "请核对；如统计部门公布的数据本身如此，可确认后导入。",
                code="sectors_do_not_add_up",
                severity="warning",
                where=report.label,
            )


# -- department indicators ------------------------------------------------------------------------


def _unit_factor(unit_text: str, canonical: str) -> float | None:
    """Factor from ``unit_text`` to the indicator's canonical unit (plan vocabulary)."""
    if unit_text in ("", canonical):
        return 1.0
    found = UNITS.get(unit_text)
    if found is not None and found.canonical == canonical:
        return float(found.factor)
    for name, u in UNITS.items():
        if u.canonical == canonical and norm_name(name) == norm_name(unit_text):
            return float(u.factor)
    return None


def _indicator_code(text: str, candidates: Iterable[str]) -> str | None:
    wanted = norm_name(text)
    for code in candidates:
        d = INDICATORS.get(code)
        if wanted in (norm_name(code), norm_name(d.label) if d else ""):
            return code
    return None


def check_indicator_reports(
    records: Sequence[IndicatorReportRecord], ctx: Context, issues: IssueList
) -> list[PreparedReport]:
    """Check department indicator reports against the indicator assignments."""
    rep = _Reporter(issues)
    prepared: dict[tuple[int, str], PreparedReport] = {}
    seen: dict[tuple[Any, ...], Origin | None] = {}
    for record in records:
        where = f"{record.organisation} {record.period}"
        organisation = _resolve_organisation(record.organisation, ctx)
        if organisation is None:
            rep.add(
                record.origin,
                "organisation",
                f"未知的部门“{record.organisation}”。",
                "请填写部门简称，如 市住建局。",
                code="organisation_unknown",
                value=record.organisation,
                where=where,
            )
            continue
        if not ctx.may_report(organisation):
            rep.add(
                record.origin,
                "organisation",
                f"您无权填报“{organisation.name}”的指标。",
                "只能填报本部门的指标。",
                code="organisation_out_of_scope",
                value=record.organisation,
                where=where,
            )
            continue
        period = _period(record.period, ("month", "quarter", "year"), rep, record.origin, where)
        if period is None:
            continue
        plans = sorted({plan for (org, plan) in ctx.assignments if org == organisation.pk})
        plan_code = record.plan_code or (plans[0] if len(plans) == 1 else "")
        assigned = ctx.assignments.get((organisation.pk, plan_code), {})
        if not assigned:
            rep.add(
                record.origin,
                "indicator",
                f"“{organisation.name}”没有需要填报的计划指标"
                + (f"（计划 {plan_code}）" if plan_code else "")
                + "。",
                "指标填报分工由计划管理部门维护；如有疑问请联系计划管理部门。",
                code="no_assignment",
                where=where,
            )
            continue
        label = f"{organisation.name} {period.label}指标"
        report = prepared.get((organisation.pk, str(period)))
        if report is None:
            report = PreparedReport(
                "indicator", period, label, organisation=organisation, origin=record.origin
            )
            report.window = _check_window("indicator", period, ctx, rep, record.origin, label)
            report.sections["indicators"] = {}
            prepared[(organisation.pk, str(period))] = report
        for value in record.values:
            _indicator_value(value, report, plan_code, assigned, rep, seen, label)
    return list(prepared.values())


def _indicator_value(
    value: IndicatorValueRecord,
    report: PreparedReport,
    plan_code: str,
    assigned: Mapping[str, Any],
    rep: _Reporter,
    seen: dict[tuple[Any, ...], Origin | None],
    where: str,
) -> None:
    origin = value.origin
    code = _indicator_code(value.indicator or "", assigned)
    if code is None:
        names = "、".join(INDICATORS[c].label if c in INDICATORS else c for c in sorted(assigned))
        rep.add(
            origin,
            "indicator",
            f"“{value.indicator}”不是“{report.organisation.name}”负责填报的指标。",
            f"本部门填报的指标：{names}。",
            code="indicator_not_assigned",
            value=value.indicator,
            where=where,
        )
        return
    assignment = assigned[code]
    if assignment.frequency != report.period.kind:
        freq = {"month": "月", "quarter": "季度", "year": "年"}[assignment.frequency]
        rep.add(
            origin,
            "period",
            f"指标“{_indicator_label(code)}”按{freq}填报，而{report.period.label}不是{freq}。",
            f"请按{freq}填写期间。",
            code="frequency_mismatch",
            value=str(report.period),
            where=where,
        )
        return
    canonical = assignment.unit
    text_value = (value.text_value or "").strip()
    if value.value is None and not text_value:
        rep.add(
            origin,
            "value",
            "数值不能为空。",
            "请填写数值；是否类指标请填写“是”或“否”。",
            code="missing",
            where=where,
        )
        return
    if value.value is not None and not _finite(value.value):
        rep.add(origin, "value", "数值不是有限的数字。", code="not_number", where=where)
        return
    unit_text = (value.unit or "").strip()
    canonical_value: float | None = None
    if value.value is not None:
        factor = _unit_factor(unit_text, canonical)
        if factor is None:
            rep.add(
                origin,
                "unit",
                f"单位“{unit_text}”不能换算为指标“{_indicator_label(code)}”的单位“{canonical}”。",
                f"请填写“{canonical}”或可换算的单位。",
                code="unit_invalid",
                value=unit_text,
                where=where,
            )
            return
        canonical_value = value.value * factor
    subject = (value.subject or "").strip()
    key = (plan_code, code, subject)
    if _duplicate(
        seen,
        ("indicators", report.key, *key),
        origin,
        rep,
        "indicator",
        f"指标“{_indicator_label(code)}”" + (f"（{subject}）" if subject else ""),
        where,
    ):
        return
    data = {
        "plan_code": plan_code,
        "indicator": code,
        "subject": subject,
        "value": value.value,
        "text_value": text_value,
        "unit": unit_text or (canonical if value.value is not None else ""),
        "value_canonical": canonical_value,
        "canonical_unit": canonical if value.value is not None else "",
        "comment": value.comment,
        "evidence_id": value.evidence_id,
        "remark": "",
        "raw": value.raw,
    }
    _place(data, origin)
    report.sections["indicators"][key] = LineData("indicators", key, data, origin)


def _indicator_label(code: str) -> str:
    d = INDICATORS.get(code)
    return d.label if d else code


_INDUSTRY_CODE = re.compile(r"^[A-T]?\d{2,4}$")


def industry_code_ok(code: str) -> bool:
    """GB/T 4754-2017 code: an optional section letter and a 2–4 digit class (``C2614``)."""
    return bool(_INDUSTRY_CODE.match(code))

"""Reading report workbooks and CSV files into records (Django-free).

:func:`read_workbook` recognises the report type (by sheet names, else by the header of the
first data sheet), reads every known sheet with :func:`ecplan.tabular.read_table` (header
aliases, merged cells reported, Excel error values and formulas without values reported,
total rows skipped), parses every cell with the shared normalisers (full-width digits,
thousands separators, dates, periods, codes) and builds the plain records that
:mod:`ecplan.reporting.services` validates and stores. Cell problems go into the same
:class:`~ecplan.tabular.IssueList` as the domain rules, each at its sheet, row and column.

Rows whose value cells are all empty are template rows nobody filled in and are skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ecplan.reporting import formats as fm
from ecplan.reporting.formats import SheetFormat
from ecplan.reporting.records import (
    ElectricityRecord,
    EnergyLineRecord,
    EnergyReportRecord,
    EnterpriseRecord,
    IndicatorReportRecord,
    IndicatorValueRecord,
    InstallationFiguresRecord,
    InstallationRecord,
    Origin,
    OutputRecord,
    StatisticRecord,
    StatisticsReportRecord,
)
from ecplan.tabular import IssueList, Sheet, Table, Workbook, read_table
from ecplan.tabular.reading import find_header, normalise_header

__all__ = ["ReadResult", "detect_type", "read_workbook"]

#: Sheets a template carries that are not data.
_NOT_DATA = {normalise_header("填表说明"), normalise_header("_lists")}


@dataclass
class ReadResult:
    """Records read from a file, ready for the services."""

    report_type: str
    records: list[Any] = field(default_factory=list)
    installation_records: list[InstallationRecord] = field(default_factory=list)
    sheets_read: list[str] = field(default_factory=list)
    sections: frozenset[str] = frozenset()


def _data_sheets(workbook: Workbook) -> list[Sheet]:
    return [
        s
        for s in workbook.sheets
        if s.visible and normalise_header(s.name) not in _NOT_DATA and not s.name.startswith("_")
    ]


def _match_sheet(sheet: Sheet, fmt: SheetFormat) -> bool:
    names = {normalise_header(n) for n in (fmt.name, *fmt.aliases)}
    return normalise_header(sheet.name) in names


def detect_type(workbook: Workbook) -> str | None:
    """The report type of a workbook: by its sheet names, else by the header of its first
    data sheet (a CSV file has one sheet, named after the file)."""
    sheets = _data_sheets(workbook)
    for report_type, formats in fm.FORMATS.items():
        if any(_match_sheet(s, f) for s in sheets for f in formats):
            return report_type
    if not sheets:
        return None
    rows = []
    for row in sheets[0].rows():
        rows.append(row)
        if len(rows) >= 40:
            break
    best: tuple[int, str] | None = None
    candidates = [(t, f) for t, fs in fm.FORMATS.items() for f in fs] + [("energy", fm.LONG_SHEET)]
    for report_type, fmt in candidates:
        match = find_header(rows, fmt.fields())
        if match is None or match.missing:
            continue
        score = len(match.columns)
        if best is None or score > best[0]:
            best = (score, report_type)
    return best[1] if best else None


def _format_for(sheet: Sheet, formats: Sequence[SheetFormat], single: bool) -> SheetFormat | None:
    for fmt in formats:
        if _match_sheet(sheet, fmt):
            return fmt
    if not single:
        return None
    rows = []
    for row in sheet.rows():
        rows.append(row)
        if len(rows) >= 40:
            break
    best: tuple[int, SheetFormat] | None = None
    for fmt in formats:
        match = find_header(rows, fmt.fields())
        if match is not None and not match.missing:
            score = len(match.columns)
            if best is None or score > best[0]:
                best = (score, fmt)
    return best[1] if best else None


def read_workbook(
    workbook: Workbook, issues: IssueList, *, report_type: str | None = None
) -> ReadResult:
    """Read every recognised sheet of ``workbook`` into records.

    Parameters
    ----------
    workbook : an opened, checked workbook (:func:`ecplan.tabular.open_workbook`)
    issues : where cell and sheet problems go
    report_type : ``energy``, ``statistics``, ``indicator`` or ``enterprises``; detected
        when not given

    Returns
    -------
    ReadResult
        ``report_type`` is empty when it could not be recognised (an error is in ``issues``).
    """
    found = report_type or detect_type(workbook)
    if found is None:
        issues.error(
            sheet=None,
            row=None,
            column=None,
            field=None,
            value=None,
            message="无法识别文件的报表类型：没有模板中的工作表名称，第一个工作表的表头也不符合任何报表。",
            hint="请使用平台下载的模板填报，不要修改工作表名称和表头；或在导入时指定报表类型。",
            code="type_unknown",
        )
        return ReadResult("")
    result = ReadResult(found)
    formats = list(fm.FORMATS[found])
    if found == "energy":
        formats.append(fm.LONG_SHEET)
    sheets = _data_sheets(workbook)
    single = len(sheets) == 1
    tables: list[tuple[SheetFormat, Table]] = []
    for sheet in sheets:
        fmt = _format_for(sheet, formats, single)
        if fmt is None:
            if any(not r.is_blank for r in sheet.rows()):
                issues.warning(
                    sheet=sheet.name,
                    row=None,
                    column=None,
                    field=None,
                    value=None,
                    message="未识别的工作表，其中的数据没有导入。",
                    hint=f"{fm.REPORT_TYPE_LABELS[found]}的工作表为："
                    + "、".join(f.name for f in fm.FORMATS[found])
                    + "。",
                    code="sheet_unknown",
                )
            continue
        table = read_table(sheet, fmt.fields(), merged="report", issues=issues)
        if table.header_row is None or any(
            i.code in ("missing_column", "duplicate_column") and i.sheet == sheet.name
            for i in issues.errors
        ):
            continue
        tables.append((fmt, table))
        result.sheets_read.append(sheet.name)
    if not tables:
        if not issues.has_errors:
            issues.error(
                sheet=None,
                row=None,
                column=None,
                field=None,
                value=None,
                message=f"文件中没有{fm.REPORT_TYPE_LABELS[found]}的工作表。",
                hint="请使用平台下载的模板。",
                code="no_sheet",
            )
        return result
    sections = frozenset(fmt.section for fmt, _ in tables)
    result.sections = sections
    for fmt, table in tables:
        reader = _READERS[fmt.name]
        reader(fmt, table, result)
    if not result.records and not result.installation_records and not issues.has_errors:
        issues.error(
            sheet=None,
            row=None,
            column=None,
            field=None,
            value=None,
            message="文件中没有填写任何数据。",
            hint="请在模板中填写数据后再上传。",
            code="no_data",
        )
    return result


# -- helpers --------------------------------------------------------------------------------------


class _Places:
    """Origins of the rows of one table; the column maps are built once and shared."""

    def __init__(self, table: Table) -> None:
        self.sheet = table.sheet
        self.columns = dict(table.letters)
        self.labels = dict(table.labels)
        self._extra: dict[tuple[tuple[str, str], ...], tuple[dict[str, str], dict[str, str]]] = {}

    def __call__(self, row: int, extra: dict[str, str] | None = None) -> Origin:
        if not extra:
            return Origin(self.sheet, row, self.columns, self.labels)
        key = tuple(sorted(extra.items()))
        maps = self._extra.get(key)
        if maps is None:
            columns, labels = dict(self.columns), dict(self.labels)
            for k, source in extra.items():
                if source in columns:
                    columns[k] = columns[source]
                    labels[k] = labels[source]
            maps = self._extra[key] = (columns, labels)
        return Origin(self.sheet, row, maps[0], maps[1])


def _blank(record: Any, keys: Sequence[str]) -> bool:
    return all(record.cell(k).is_empty for k in keys if k in record.table.columns)


def _raw(record: Any, keys: Sequence[str]) -> dict[str, Any]:
    out = {}
    for k in keys:
        if k in record.table.columns:
            v = record.raw(k)
            if isinstance(v, str):
                out[k] = v
    return out


def _number(record: Any, key: str) -> float | None:
    if key not in record.table.columns:
        return None
    value = record.number(key, allow_negative=False)
    return float(value) if value is not None else None


def _date(record: Any, key: str) -> dt.date | None:
    if key not in record.table.columns:
        return None
    value = record.date(key)
    return value if isinstance(value, dt.date) else None


def _header_unit(table: Table, key: str, default: str | None) -> str:
    match = table.columns.get(key)
    return (match.unit if match is not None and match.unit else default) or ""


def _text(record: Any, key: str) -> str:
    if key not in record.table.columns:
        return ""
    return record.text(key) or ""


# -- readers per sheet --------------------------------------------------------------------------------


def _energy(fmt: SheetFormat, table: Table, result: ReadResult) -> None:
    place = _Places(table)
    keys = fmt.value_keys
    for record in table.records:
        if _blank(record, keys):
            continue
        mark = len(table.issues)
        code = record.code("credit_code") or ""
        period = record.period("period") or ""
        line = EnergyLineRecord(
            carrier=_text(record, "carrier"),
            unit=_text(record, "unit"),
            purchased=_number(record, "purchased"),
            consumed=_number(record, "consumed"),
            feedstock=_number(record, "feedstock"),
            power_heat=_number(record, "power_heat"),
            supplied_out=_number(record, "supplied_out"),
            closing_stock=_number(record, "closing_stock"),
            lcv=_number(record, "lcv"),
            remark=_text(record, "remark"),
            raw=_raw(record, keys),
            origin=place(record.row),
        )
        if not code or not period or not line.carrier or not line.unit or len(table.issues) > mark:
            continue
        result.records.append(
            EnergyReportRecord(
                code,
                period,
                lines=[line],
                enterprise_name=_text(record, "enterprise_name") or None,
                sections=result.sections,
                origin=place(record.row),
            )
        )


def _long(fmt: SheetFormat, table: Table, result: ReadResult) -> None:
    """The long form of ``ecplan calc energy``: one row per entity, period, carrier and use."""
    place = _Places(table)
    grouped: dict[tuple[str, str, str], tuple[EnergyLineRecord, dict[str, int]]] = {}
    for record in table.records:
        if _blank(record, ("quantity",)):
            continue
        mark = len(table.issues)
        code = record.code("credit_code") or ""
        period = record.period("period") or ""
        carrier = _text(record, "carrier")
        unit = _text(record, "unit")
        quantity = _number(record, "quantity")
        use_text = _text(record, "use")
        measures = fm.USES.get(use_text.strip().casefold()) or fm.USES.get(use_text.strip())
        if measures is None:
            record.issue(
                "use",
                f"未知的用途“{use_text}”。",
                "可填：燃料、原料、发电供热、非能源（或 fuel、feedstock、power_generation、"
                "non_energy）；留空为燃料。",
                code="use_unknown",
            )
            continue
        if not code or not period or not carrier or not unit or quantity is None:
            continue
        if len(table.issues) > mark:
            continue
        key = (code, period, " ".join(carrier.split()))
        origin = place(
            record.row,
            {"consumed": "quantity", "feedstock": "quantity", "power_heat": "quantity"},
        )
        if key not in grouped:
            line = EnergyLineRecord(carrier=carrier, unit=unit, raw={"rows": []}, origin=origin)
            grouped[key] = (line, {})
        line, seen_uses = grouped[key]
        use_key = measures[-1]
        if use_key in seen_uses:
            record.issue(
                "use",
                f"与第 {seen_uses[use_key]} 行重复：同一主体、期间、能源品种和用途只能有一行。",
                "请合并重复的行。",
                code="duplicate",
            )
            continue
        seen_uses[use_key] = record.row
        if " ".join(line.unit.split()) != " ".join(unit.split()):
            record.issue(
                "unit",
                f"同一能源品种请使用同一计量单位（{line.origin.row if line.origin else '前面'} 行为“{line.unit}”）。",
                "请统一单位后重新上传。",
                code="unit_inconsistent",
            )
            continue
        for measure in measures:
            setattr(line, measure, (getattr(line, measure) or 0.0) + quantity)
        line.raw["rows"].append(
            {"row": record.row, "quantity": record.raw("quantity"), "use": use_text}
        )
    for (code, period, _), (line, _) in grouped.items():
        result.records.append(
            EnergyReportRecord(
                code, period, lines=[line], sections=frozenset({"energy"}), origin=line.origin
            )
        )


def _output(fmt: SheetFormat, table: Table, result: ReadResult) -> None:
    place = _Places(table)
    for record in table.records:
        if _blank(record, fmt.value_keys):
            continue
        mark = len(table.issues)
        code = record.code("credit_code") or ""
        period = record.period("period") or ""
        quantity = _number(record, "quantity")
        output = OutputRecord(
            product=_text(record, "product"),
            quantity=quantity,
            unit=_text(record, "unit"),
            installation=_text(record, "installation"),
            remark=_text(record, "remark"),
            raw=_raw(record, ("quantity",)),
            origin=place(record.row),
        )
        if not code or not period or quantity is None or len(table.issues) > mark:
            continue
        result.records.append(
            EnergyReportRecord(
                code,
                period,
                outputs=[output],
                enterprise_name=_text(record, "enterprise_name") or None,
                sections=result.sections,
                origin=output.origin,
            )
        )


def _installation(fmt: SheetFormat, table: Table, result: ReadResult) -> None:
    place = _Places(table)
    units = {
        key: _header_unit(table, key, default) for key, _, default, _ in fm.INSTALLATION_COLUMNS
    }
    for record in table.records:
        if _blank(record, fmt.value_keys):
            continue
        mark = len(table.issues)
        code = record.code("credit_code") or ""
        period = record.period("period") or ""
        values: dict[str, tuple[float, str]] = {}
        for key in fmt.value_keys:
            v = _number(record, key)
            if v is not None:
                values[key] = (v, units[key])
        figures = InstallationFiguresRecord(
            installation=_text(record, "installation"),
            values=values,
            remark=_text(record, "remark"),
            raw=_raw(record, fmt.value_keys),
            origin=place(record.row),
        )
        if (
            not code
            or not period
            or not figures.installation
            or not values
            or len(table.issues) > mark
        ):
            continue
        result.records.append(
            EnergyReportRecord(
                code,
                period,
                installations=[figures],
                enterprise_name=_text(record, "enterprise_name") or None,
                sections=result.sections,
                origin=figures.origin,
            )
        )


def _electricity(fmt: SheetFormat, table: Table, result: ReadResult) -> None:
    place = _Places(table)
    for record in table.records:
        if _blank(record, fmt.value_keys):
            continue
        mark = len(table.issues)
        code = record.code("credit_code") or ""
        period = record.period("period") or ""
        pairs: dict[str, tuple[float, str] | None] = {}
        for key in ("self_generated", "self_generated_renewable", "green_electricity"):
            v = _number(record, key)
            pairs[key] = (v, _header_unit(table, key, "万千瓦时")) if v is not None else None
        facts = ElectricityRecord(
            self_generated=pairs["self_generated"],
            self_generated_renewable=pairs["self_generated_renewable"],
            green_electricity=pairs["green_electricity"],
            green_certificates=_number(record, "green_certificates"),
            remark=_text(record, "remark"),
            raw=_raw(record, fmt.value_keys),
            origin=place(record.row),
        )
        if not code or not period or len(table.issues) > mark:
            continue
        result.records.append(
            EnergyReportRecord(
                code,
                period,
                electricity=facts,
                enterprise_name=_text(record, "enterprise_name") or None,
                sections=result.sections,
                origin=facts.origin,
            )
        )


def _statistics(fmt: SheetFormat, table: Table, result: ReadResult) -> None:
    place = _Places(table)
    for record in table.records:
        if _blank(record, ("value",)):
            continue
        mark = len(table.issues)
        value = record.number("value")
        origin = place(record.row)
        line = StatisticRecord(
            item=_text(record, "item"),
            value=value,
            unit=_text(record, "unit"),
            breakdown=_text(record, "breakdown"),
            subject=_text(record, "subject"),
            remark=_text(record, "remark"),
            raw=_raw(record, ("value",)),
            origin=origin,
        )
        area = _text(record, "area")
        period = _period_text(record)
        if not area or not period or value is None or len(table.issues) > mark:
            continue
        result.records.append(StatisticsReportRecord(area, period, lines=[line], origin=origin))


def _period_text(record: Any) -> str:
    """A period cell as text: quarters and years stay as typed; a date cell becomes its
    month (a statistics period is never a day)."""
    v = record.raw("period")
    if isinstance(v, dt.date):
        return f"{v.year:04d}-{v.month:02d}"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return _text(record, "period")


def _indicator(fmt: SheetFormat, table: Table, result: ReadResult) -> None:
    place = _Places(table)
    for record in table.records:
        if _blank(record, fmt.value_keys):
            continue
        mark = len(table.issues)
        origin = place(record.row)
        value = IndicatorValueRecord(
            indicator=_text(record, "indicator"),
            value=record.number("value", allow_percent=True)
            if "value" in record.table.columns
            else None,
            unit=_text(record, "unit"),
            text_value=_text(record, "text_value"),
            subject=_text(record, "subject"),
            comment=_text(record, "comment"),
            raw=_raw(record, ("value",)),
            origin=origin,
        )
        organisation = _text(record, "organisation")
        period = _period_text(record)
        if not organisation or not period or not value.indicator or len(table.issues) > mark:
            continue
        result.records.append(
            IndicatorReportRecord(organisation, period, values=[value], origin=origin)
        )


def _enterprise(fmt: SheetFormat, table: Table, result: ReadResult) -> None:
    place = _Places(table)
    for record in table.records:
        code = record.code("credit_code") or ""
        origin = place(record.row)
        result.records.append(
            EnterpriseRecord(
                credit_code=code,
                name=_text(record, "name"),
                area=_text(record, "area"),
                zone=_text(record, "zone") or None,
                industry_code=record.code("industry_code", required=False) or ""
                if "industry_code" in table.columns
                else "",
                key_unit_class=_text(record, "key_unit_class") or "other",
                budget_managed=bool(record.boolean("budget_managed"))
                if "budget_managed" in table.columns
                else False,
                origin=origin,
            )
        )


def _installation_registry(fmt: SheetFormat, table: Table, result: ReadResult) -> None:
    place = _Places(table)
    for record in table.records:
        origin = place(record.row)

        result.installation_records.append(
            InstallationRecord(
                credit_code=record.code("credit_code") or "",
                code=_text(record, "code"),
                name=_text(record, "name"),
                kind=_text(record, "kind"),
                product=_text(record, "product"),
                variant=_text(record, "variant"),
                capacity_t_per_a=_number(record, "capacity_t_per_a"),
                it_capacity_kw=_number(record, "it_capacity_kw"),
                dc_status=_text(record, "dc_status"),
                plant_type=_text(record, "plant_type"),
                capacity_mw=_number(record, "capacity_mw"),
                evaporation_t_per_h=_number(record, "evaporation_t_per_h"),
                fuel=_text(record, "fuel"),
                parent=_text(record, "parent"),
                commissioned_on=_date(record, "commissioned_on"),
                closed_on=_date(record, "closed_on"),
                notes=_text(record, "notes"),
                origin=origin,
            )
        )


_READERS = {
    fm.ENERGY_SHEET.name: _energy,
    fm.LONG_SHEET.name: _long,
    fm.OUTPUT_SHEET.name: _output,
    fm.INSTALLATION_SHEET.name: _installation,
    fm.ELECTRICITY_SHEET.name: _electricity,
    fm.STATISTICS_SHEET.name: _statistics,
    fm.INDICATOR_SHEET.name: _indicator,
    fm.ENTERPRISE_SHEET.name: _enterprise,
    fm.INSTALLATION_REGISTRY_SHEET.name: _installation_registry,
}

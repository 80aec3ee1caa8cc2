"""Writing Excel: fill-in templates and table exports, with Chinese headers.

Generic building blocks on XlsxWriter; the report types (which columns, which drop-downs,
which rows pre-filled) are defined by the data-collection code that calls them.

A template written here reads back with :func:`ecplan.tabular.reading.read_table`: headers
are ``标签（单位）`` and the reader matches the label and reports the unit.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal

import xlsxwriter

ColumnKind = Literal["text", "number", "integer", "percent", "period", "date", "code", "bool"]

#: the longest inline drop-down list Excel accepts (characters, separators included)
_INLINE_LIST_MAX = 255
_LISTS_SHEET = "_lists"
_INSTRUCTIONS_SHEET = "填表说明"
_NUM_FORMATS: dict[str, str] = {
    "text": "@",
    "code": "@",
    "period": "@",
    "number": "#,##0.####",
    "integer": "#,##0",
    "percent": "0.00%",
    "date": "yyyy-mm-dd",
    "bool": "@",
}


@dataclass(frozen=True)
class TemplateColumn:
    """One column of a fill-in template.

    Attributes
    ----------
    key : str
        Identifier (the key of the matching reader Field).
    header : str
        Chinese header (``"数量"``); the unit is appended as ``数量（吨）``.
    unit : str or None
    kind : {"text", "number", "integer", "percent", "period", "date", "code", "bool"}
        Sets the cell format (text for codes and periods, so Excel keeps leading zeros and
        does not turn ``2025-03`` into a date) and the data validation.
    required : bool
        Marked in the instructions sheet (and with a darker header).
    choices : sequence of str, optional
        Drop-down list (long lists go to a hidden sheet); other entries are refused by Excel.
    min_value, max_value : float, optional
        For numbers: Excel refuses entries outside.
    help : str, optional
        Shown as an input message on the column and in the instructions sheet.
    width : float, optional
        Column width in characters.
    """

    key: str
    header: str
    unit: str | None = None
    kind: ColumnKind = "text"
    required: bool = False
    choices: Sequence[str] | None = None
    min_value: float | None = None
    max_value: float | None = None
    help: str | None = None
    width: float | None = None

    @property
    def header_text(self) -> str:
        return f"{self.header}（{self.unit}）" if self.unit else self.header


@dataclass(frozen=True)
class TemplateSheet:
    """One data sheet of a template.

    Attributes
    ----------
    name : str
        Sheet name (at most 31 characters, no ``[]:*?/\\``).
    columns : sequence of TemplateColumn
    rows : sequence of mappings key → value
        Pre-filled rows (e.g. the reporter's own enterprises).
    locked_keys : sequence of str
        Columns whose pre-filled cells are protected (e.g. credit code and name).
    title : str, optional
        A title row above the header (the reader skips it).
    blank_rows : int
        Unlocked, formatted rows offered below the pre-filled ones.
    """

    name: str
    columns: Sequence[TemplateColumn]
    rows: Sequence[Mapping[str, Any]] = ()
    locked_keys: Sequence[str] = ()
    title: str | None = None
    blank_rows: int = 200


def write_template(
    target: str | os.PathLike[str] | BinaryIO,
    sheets: Sequence[TemplateSheet],
    *,
    instructions: Sequence[str] = (),
    protect: bool = True,
) -> None:
    """Write a fill-in workbook: data sheets with a frozen, protected header row, column
    formats, drop-downs, input messages, pre-filled rows, and a 填表说明 sheet listing the
    instructions and every column (unit, required, allowed values, help).

    Protection has no password: it prevents accidental edits of headers and pre-filled cells,
    not deliberate ones (the importer validates everything anyway).
    """
    wb = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_numbers": False})
    fmt_header = wb.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter",
         "locked": True}
    )  # fmt: skip
    fmt_header_req = wb.add_format(
        {"bold": True, "bg_color": "#BDD7EE", "border": 1, "text_wrap": True, "valign": "vcenter",
         "locked": True}
    )  # fmt: skip
    fmt_title = wb.add_format({"bold": True, "font_size": 13, "locked": True})
    data_formats = {
        kind: wb.add_format({"num_format": nf, "locked": False})
        for kind, nf in _NUM_FORMATS.items()
    }
    locked_formats = {
        kind: wb.add_format({"num_format": nf, "locked": True, "bg_color": "#F2F2F2"})
        for kind, nf in _NUM_FORMATS.items()
    }
    lists_ws = None
    list_col = 0
    instructions_ws = wb.add_worksheet(_INSTRUCTIONS_SHEET)
    for spec in sheets:
        ws = wb.add_worksheet(spec.name)
        header_row = 0
        if spec.title:
            ws.write_string(0, 0, spec.title, fmt_title)
            header_row = 1
        first_data = header_row + 1
        last_data = first_data + len(spec.rows) + spec.blank_rows - 1
        for c, col in enumerate(spec.columns):
            ws.write_string(
                header_row, c, col.header_text, fmt_header_req if col.required else fmt_header
            )
            width = col.width or max(10.0, min(40.0, 2.2 * len(col.header_text) + 2))
            ws.set_column(c, c, width, data_formats[col.kind])
            validation = _validation(col)
            if col.choices:
                joined = ",".join(col.choices)
                if len(joined) <= _INLINE_LIST_MAX and not any("," in x for x in col.choices):
                    validation = {"validate": "list", "source": list(col.choices)}
                else:
                    if lists_ws is None:
                        lists_ws = wb.add_worksheet(_LISTS_SHEET)
                        lists_ws.hide()
                    for r, choice in enumerate(col.choices):
                        lists_ws.write_string(r, list_col, str(choice))
                    letter = xlsxwriter.utility.xl_col_to_name(list_col)
                    name = f"list_{_safe_name(spec.name)}_{c}"
                    wb.define_name(
                        name, f"='{_LISTS_SHEET}'!${letter}$1:${letter}${len(col.choices)}"
                    )
                    validation = {"validate": "list", "source": f"={name}"}
                    list_col += 1
                validation.update(
                    error_title="无效的选项",
                    error_message=f"“{col.header}”只能从下拉列表中选择。",
                )
            if validation is not None:
                if col.help:
                    validation.update(input_title=col.header[:32], input_message=col.help[:255])
                ws.data_validation(first_data, c, last_data, c, validation)
        for r, row in enumerate(spec.rows, start=first_data):
            for c, col in enumerate(spec.columns):
                value = row.get(col.key)
                fmt = (
                    locked_formats[col.kind]
                    if col.key in spec.locked_keys
                    else data_formats[col.kind]
                )
                _write_value(ws, r, c, value, col.kind, fmt)
        ws.freeze_panes(first_data, 0)
        ws.set_row(header_row, 32)
        if protect:
            ws.protect(
                "",
                {
                    "insert_rows": True,
                    "delete_rows": True,
                    "format_columns": True,
                    "sort": True,
                    "autofilter": True,
                },
            )
    _write_instructions(wb, instructions_ws, sheets, instructions)
    if sheets:
        wb.worksheets()[1].activate()
    wb.close()


def _safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text)[:40] or "sheet"


def _validation(col: TemplateColumn) -> dict[str, Any] | None:
    if col.kind in ("number", "integer", "percent"):
        lo = col.min_value if col.min_value is not None else -1e300
        hi = col.max_value if col.max_value is not None else 1e300
        what = "整数" if col.kind == "integer" else "数字"
        return {
            "validate": "integer" if col.kind == "integer" else "decimal",
            "criteria": "between",
            "minimum": lo,
            "maximum": hi,
            "error_title": "不是有效的数值",
            "error_message": f"“{col.header}”只能填写{what}"
            + (f"，且不小于 {col.min_value:g}" if col.min_value is not None else "")
            + (f"，且不大于 {col.max_value:g}" if col.max_value is not None else "")
            + "。",
        }
    if col.kind == "bool":
        return {"validate": "list", "source": ["是", "否"]}
    if col.help:
        return {"validate": "any"}
    return None


def _write_value(ws: Any, r: int, c: int, value: Any, kind: str, fmt: Any) -> None:
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, dt.datetime | dt.date):
        if kind == "period":
            ws.write_string(r, c, f"{value.year:04d}-{value.month:02d}", fmt)
        else:
            ws.write_datetime(r, c, value, fmt)
    elif isinstance(value, int | float) and kind not in ("text", "code", "period"):
        if isinstance(value, float) and not math.isfinite(value):
            ws.write_blank(r, c, None, fmt)
        else:
            ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _write_instructions(
    wb: Any, ws: Any, sheets: Sequence[TemplateSheet], instructions: Sequence[str]
) -> None:
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    ws.set_column(0, 0, 18)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 3, 10)
    ws.set_column(4, 4, 36)
    ws.set_column(5, 5, 50)
    ws.write_string(0, 0, "填表说明", title)
    r = 2
    for i, line in enumerate(instructions, start=1):
        ws.merge_range(r, 0, r, 5, f"{i}. {line}", wrap)
        ws.set_row(r, 15 * max(1, math.ceil(len(line) / 60)))
        r += 1
    r += 1
    for spec in sheets:
        ws.write_string(r, 0, f"工作表“{spec.name}”的各列", bold)
        r += 1
        for c, text in enumerate(["列名", "单位", "必填", "格式", "可选值", "说明"]):
            ws.write_string(r, c, text, head)
        r += 1
        for col in spec.columns:
            choices = "、".join(col.choices[:30]) if col.choices else ""
            if col.choices and len(col.choices) > 30:
                choices += f" 等 {len(col.choices)} 项（见下拉列表）"
            kind_zh = {
                "text": "文本",
                "code": "文本（代码）",
                "period": "年-月，如 2025-03",
                "number": "数字",
                "integer": "整数",
                "percent": "百分数",
                "date": "日期，如 2025-03-01",
                "bool": "是/否",
            }[col.kind]
            values = [
                col.header,
                col.unit or "",
                "是" if col.required else "",
                kind_zh,
                choices,
                col.help or "",
            ]
            for c, text in enumerate(values):
                ws.write_string(r, c, text, wrap)
            r += 1
        r += 1


# --------------------------------------------------------------------------------------------
# exports


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export.

    Attributes
    ----------
    key : str
        Key in each row mapping; also the JSON key.
    header : str
        Chinese header; the unit is appended as ``标签（单位）``.
    unit : str or None
    kind : {"text", "number", "integer", "percent", "period", "date", "code", "bool"}
    num_format : str, optional
        Excel number format (display only: full precision is stored).
    width : float, optional
    """

    key: str
    header: str
    unit: str | None = None
    kind: ColumnKind = "text"
    num_format: str | None = None
    width: float | None = None

    @property
    def header_text(self) -> str:
        return f"{self.header}（{self.unit}）" if self.unit else self.header


ExportFormat = Literal["xlsx", "csv", "json"]


def export_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[ExportColumn],
    fmt: ExportFormat,
    target: str | os.PathLike[str] | BinaryIO,
    *,
    sheet_name: str = "数据",
    title: str | None = None,
    notes: Sequence[str] = (),
) -> None:
    """Write a table as xlsx, CSV or JSON with Chinese headers.

    * xlsx: optional title row, bold frozen header with units, number formats for display
      (values keep full precision), auto-filter, notes below the table (e.g. 演示数据, sources).
    * csv: UTF-8 with BOM (so that Excel opens Chinese text correctly), header ``标签（单位）``;
      ``title`` and ``notes`` are not written (the file stays machine-readable).
    * json: ``{"title", "notes", "columns": [{key, header, unit}], "rows": [{key: value}]}``,
      dates as ISO text.
    """
    if fmt == "xlsx":
        _export_xlsx(rows, columns, target, sheet_name=sheet_name, title=title, notes=notes)
        return
    if fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow([c.header_text for c in columns])
        for row in rows:
            writer.writerow([_csv_value(row.get(c.key)) for c in columns])
        _emit(target, ("\ufeff" + text.getvalue()).encode("utf-8"))
        return
    if fmt == "json":
        payload = {
            "title": title,
            "notes": list(notes),
            "columns": [{"key": c.key, "header": c.header, "unit": c.unit} for c in columns],
            "rows": [{c.key: _json_value(row.get(c.key)) for c in columns} for row in rows],
        }
        _emit(target, json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8"))
        return
    raise ValueError(f"unknown export format {fmt!r}")


def _emit(target: str | os.PathLike[str] | BinaryIO, data: bytes) -> None:
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as fh:
            fh.write(data)
    else:
        target.write(data)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return "" if not math.isfinite(value) else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _export_xlsx(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[ExportColumn],
    target: str | os.PathLike[str] | BinaryIO,
    *,
    sheet_name: str,
    title: str | None,
    notes: Sequence[str],
) -> None:
    wb = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet(sheet_name[:31])
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    fmt_title = wb.add_format({"bold": True, "font_size": 13})
    formats = {
        i: wb.add_format({"num_format": c.num_format or _NUM_FORMATS.get(c.kind, "General")})
        for i, c in enumerate(columns)
    }
    r = 0
    if title:
        ws.write_string(0, 0, title, fmt_title)
        r = 1
    header_row = r
    for c, col in enumerate(columns):
        ws.write_string(r, c, col.header_text, head)
        ws.set_column(c, c, col.width or max(10.0, min(40.0, 2.2 * len(col.header_text) + 2)))
    for row in rows:
        r += 1
        for c, col in enumerate(columns):
            _write_value(ws, r, c, row.get(col.key), col.kind, formats[c])
    ws.freeze_panes(header_row + 1, 0)
    if columns:
        ws.autofilter(header_row, 0, max(r, header_row), len(columns) - 1)
    for note in notes:
        r += 2 if note is notes[0] else 1
        ws.write_string(r, 0, note)
    wb.close()


__all__ = [
    "ColumnKind",
    "ExportColumn",
    "ExportFormat",
    "TemplateColumn",
    "TemplateSheet",
    "export_table",
    "write_template",
]

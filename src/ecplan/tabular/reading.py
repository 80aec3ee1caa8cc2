"""Reading workbooks and CSV files: sheets, rows, cells with their positions; header
detection by aliases; tables of records with per-cell validation into an IssueList.

Values are read with python-calamine (``.xlsx``, ``.xls``, ``.ods``): cached values only, never
formulas. What calamine cannot tell is filled in from the intake pre-scan: Excel error values
(``#DIV/0!``, ``#REF!`` …) and formulas without a cached value both read as empty cells, and
are reported as such instead of being mistaken for blanks.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Literal

import polars as pl

from ecplan.tabular import normalise as nz
from ecplan.tabular.intake import (
    CheckedFile,
    FileKind,
    IntakeLimits,
    SheetScan,
    check_file,
    column_index,
    column_letter,
)
from ecplan.tabular.issues import CellIssue, IssueList, TabularFileError

CellValue = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
MergedPolicy = Literal["report", "fill", "ignore"]

_TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总合计", "累计", "合计数"})


# --------------------------------------------------------------------------------------------
# cells, rows, sheets, workbooks


@dataclass(frozen=True)
class Cell:
    """One cell with its position.

    Attributes
    ----------
    value : str, float, int, bool, date, datetime, time, timedelta or None
        The cached value (None for an empty cell; also None for an error value or a formula
        without cached value — see ``error`` and ``formula_without_value``).
    sheet : str
    row : int
        1-based row number.
    column : str
        Column letter.
    error : str or None
        The Excel error shown in the cell (``"#DIV/0!"``), if any.
    formula_without_value : bool
        The cell holds a formula whose result was never saved in the file.
    """

    value: CellValue
    sheet: str
    row: int
    column: str
    error: str | None = None
    formula_without_value: bool = False

    @property
    def ref(self) -> str:
        return f"{self.column}{self.row}"

    @property
    def is_empty(self) -> bool:
        if self.error is not None or self.formula_without_value:
            return False
        v = self.value
        return v is None or (isinstance(v, str) and nz.clean_text(v) == "")


@dataclass(frozen=True)
class Row:
    """One row: its 1-based number and its cells from column A on."""

    number: int
    cells: tuple[Cell, ...]

    @property
    def is_blank(self) -> bool:
        return all(c.is_empty for c in self.cells)

    def get(self, index: int) -> Cell | None:
        """Cell by 0-based column index (None beyond the row's last cell)."""
        return self.cells[index] if 0 <= index < len(self.cells) else None


@dataclass(frozen=True)
class MergedRange:
    """A merged cell range, 1-based and inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def ref(self) -> str:
        return (
            f"{column_letter(self.first_col)}{self.first_row}:"
            f"{column_letter(self.last_col)}{self.last_row}"
        )


class Sheet:
    """A worksheet (or the single table of a CSV file)."""

    def __init__(
        self,
        name: str,
        *,
        source: object = None,
        frame: pl.DataFrame | None = None,
        merged: Sequence[MergedRange] = (),
        scan: SheetScan | None = None,
        is_csv: bool = False,
        visible: bool = True,
    ) -> None:
        self.name = name
        self.merged_ranges: list[MergedRange] = list(merged)
        self.scan = scan
        self.is_csv = is_csv
        self.visible = visible
        self._source = source
        self._frame = frame

    def __repr__(self) -> str:
        return f"Sheet({self.name!r})"

    def rows(self) -> Iterator[Row]:
        """Every row from row 1 (including blank ones), cells from column A."""
        if self._source is not None:
            return _calamine_rows(self.name, self._source, self.scan)
        if self._frame is not None:
            return _frame_rows(self.name, self._frame)
        return iter(())


def _calamine_rows(name: str, sheet: object, scan: SheetScan | None) -> Iterator[Row]:
    start = getattr(sheet, "start", None)
    col_offset = start[1] if start else 0
    errors = scan.error_cells if scan else {}
    no_value = scan.formulas_without_value if scan else frozenset()
    for r, values in enumerate(sheet.iter_rows(), start=1):  # type: ignore[attr-defined]  # calamine sheet
        cells: list[Cell] = [Cell(None, name, r, column_letter(c + 1)) for c in range(col_offset)]
        for c, v in enumerate(values, start=col_offset + 1):
            letter = column_letter(c)
            ref = f"{letter}{r}"
            value: CellValue = None if v == "" else v
            err = errors.get(ref)
            cells.append(Cell(value, name, r, letter, err, ref in no_value))
        yield Row(r, tuple(cells))


def _frame_rows(name: str, frame: pl.DataFrame) -> Iterator[Row]:
    letters = [column_letter(i + 1) for i in range(frame.width)]
    for r, values in enumerate(frame.iter_rows(), start=1):
        yield Row(
            r,
            tuple(Cell(v, name, r, letters[i]) for i, v in enumerate(values)),
        )


class Workbook:
    """An opened, checked file. Use :func:`open_workbook`."""

    def __init__(self, file: CheckedFile, sheets: list[Sheet], handle: object = None) -> None:
        self.file = file
        self.sheets = sheets
        self._handle = handle

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise TabularFileError(
            "missing_sheet",
            f"找不到工作表“{name}”（文件中的工作表：{'、'.join(self.sheet_names) or '无'}）",
            "请使用下载的模板，不要修改工作表名称",
            filename=self.file.filename,
        )

    def close(self) -> None:
        close = getattr(self._handle, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):  # closing twice is harmless
                close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_workbook(
    source: bytes | str | os.PathLike[str] | BinaryIO | CheckedFile,
    *,
    limits: IntakeLimits | None = None,
    filename: str | None = None,
    encoding: str | None = None,
) -> Workbook:
    """Check (see :func:`ecplan.tabular.intake.check_file`) and open a spreadsheet or CSV.

    Parameters
    ----------
    source : bytes, path, binary file or an already checked file
    limits : IntakeLimits
        Required unless ``source`` is a :class:`CheckedFile`.
    filename : str, optional
        Name shown in messages.
    encoding : str, optional
        Force a text encoding for CSV.

    Raises
    ------
    TabularFileError

    Examples
    --------
    >>> from ecplan.tabular import IntakeLimits, open_workbook
    >>> wb = open_workbook("report.xlsx", limits=IntakeLimits(max_bytes=20 * 1024 * 1024))
    ... # doctest: +SKIP
    """
    if isinstance(source, CheckedFile):
        checked = source
    else:
        if limits is None:
            raise TypeError("limits is required when opening an unchecked file")
        checked = check_file(source, limits=limits, filename=filename, encoding=encoding)
    if checked.kind is FileKind.CSV:
        frame = csv_frame(checked)
        return Workbook(checked, [Sheet(checked.filename, frame=frame, is_csv=True)])
    return _open_calamine(checked)


def _open_calamine(checked: CheckedFile) -> Workbook:
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    corrupt = TabularFileError(
        "corrupt",
        "文件内容已损坏，无法读取",
        "请在 Excel 中打开并另存为 .xlsx 后重新上传",
        filename=checked.filename,
    )
    try:
        handle = CalamineWorkbook.from_filelike(io.BytesIO(checked.data))
    except CalamineError as exc:
        if "password" in str(exc).lower() or type(exc).__name__ == "PasswordError":
            raise TabularFileError(
                "encrypted",
                "文件已加密（设置了密码）",
                "请取消密码保护后另存为 .xlsx 再上传",
                filename=checked.filename,
            ) from exc
        raise corrupt from exc
    except Exception as exc:  # calamine surfaces malformed files in several ways
        raise corrupt from exc
    sheets: list[Sheet] = []
    try:
        for meta in handle.sheets_metadata:
            if meta.typ in (SheetTypeEnum.MacroSheet, SheetTypeEnum.Vba):
                raise TabularFileError(
                    "macro_enabled",
                    f"工作表“{meta.name}”是宏表",
                    "请在 Excel 中“另存为” Excel 工作簿（*.xlsx，不含宏）后重新上传",
                    filename=checked.filename,
                )
            if meta.typ is SheetTypeEnum.ChartSheet:
                continue
            scan = checked.sheet_scans.get(meta.name)
            try:
                raw = handle.get_sheet_by_name(meta.name)
            except CalamineError as exc:
                if "Cell limit" in str(exc):
                    raise TabularFileError(
                        "too_many_cells",
                        f"工作表“{meta.name}”的数据区域过大",
                        "请删除数据区域之外的内容和格式后重新上传",
                        filename=checked.filename,
                    ) from exc
                raise corrupt from exc
            merged = [
                MergedRange(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1)
                for a, b in (raw.merged_cell_ranges or [])
            ]
            sheets.append(
                Sheet(
                    meta.name,
                    source=raw,
                    merged=merged,
                    scan=scan,
                    visible=meta.visible is SheetVisibleEnum.Visible,
                )
            )
    except TabularFileError:
        handle.close()
        raise
    except Exception as exc:  # malformed XML inside a sheet and the like
        handle.close()
        raise corrupt from exc
    return Workbook(checked, sheets, handle)


# --------------------------------------------------------------------------------------------
# CSV


def csv_frame(checked: CheckedFile) -> pl.DataFrame:
    """All records of a checked text file as string columns ``column_1`` …, one row per
    record (blank lines kept as null rows, so that row numbers match what Excel shows)."""
    sep = checked.delimiter or ","
    options = {
        "has_header": False,
        "infer_schema": False,
        "separator": sep,
        "quote_char": '"',
        "raise_if_empty": False,
    }
    data = checked.data
    try:
        frame = pl.read_csv(io.BytesIO(data), **options)  # type: ignore[arg-type]  # options are valid read_csv keywords
    except pl.exceptions.ComputeError:
        # A record wider than the first one: read again behind a synthetic first line as
        # wide as the widest record, so that no field is dropped, then remove that line.
        width = _max_fields(data.decode("utf-8"), sep)
        padded = (sep * (width - 1) + "\n").encode() + data
        try:
            frame = pl.read_csv(io.BytesIO(padded), **options).slice(1)  # type: ignore[arg-type]  # valid keywords
        except pl.exceptions.PolarsError as exc:
            raise _bad_csv(checked, exc) from exc
    except pl.exceptions.PolarsError as exc:
        raise _bad_csv(checked, exc) from exc
    return frame.rename({c: f"column_{i + 1}" for i, c in enumerate(frame.columns)})


def _bad_csv(checked: CheckedFile, exc: Exception) -> TabularFileError:
    return TabularFileError(
        "corrupt",
        "CSV 文件格式有误，无法按列读取（可能有未配对的引号）",
        "请用 Excel 打开后另存为 .xlsx 或 CSV UTF-8 再上传",
        filename=checked.filename,
    )


def _max_fields(text: str, sep: str) -> int:
    width = 1
    for record in csv.reader(io.StringIO(text), delimiter=sep):
        width = max(width, len(record))
    return width


# --------------------------------------------------------------------------------------------
# header detection and tables


@dataclass(frozen=True)
class Field:
    """A column the caller expects.

    Attributes
    ----------
    key : str
        Identifier used in code (``"quantity"``).
    label : str
        Name shown to users in messages (``"数量"``).
    aliases : tuple of str
        Other accepted header texts (``("quantity", "qty", "消费量")``); the label and the key
        are always accepted. Matching ignores case, spaces, full-/half-width differences, a
        leading ``*`` (required marker) and anything in brackets (``数量（吨）`` matches
        ``数量``; the bracketed text is reported as the header's unit).
    required : bool
        The column must be present and its cells must not be empty.
    """

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = True

    def names(self) -> set[str]:
        return {normalise_header(n) for n in (self.label, self.key, *self.aliases)} - {""}


_BRACKETS = re.compile(r"[(（\[【〔<《][^)）\]】〕>》]*[)）\]】〕>》]")


def normalise_header(text: object) -> str:
    """The form in which header texts are compared."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", nz.display(text))
    s = _BRACKETS.sub("", s)
    s = re.sub(r"[\s*:：]+", "", s)
    return s.lower()


def header_unit(text: object) -> str | None:
    """The text in brackets of a header (``数量（吨）`` → ``吨``), if any."""
    if text is None:
        return None
    found = _BRACKETS.search(unicodedata.normalize("NFKC", nz.display(text)))
    return found.group(0)[1:-1].strip() or None if found else None


@dataclass(frozen=True)
class ColumnMatch:
    """Where a field was found."""

    key: str
    label: str
    column: str
    index: int
    header: str
    unit: str | None


@dataclass(frozen=True)
class HeaderMatch:
    """The header row found in a sheet."""

    row: int
    columns: Mapping[str, ColumnMatch]
    missing: tuple[Field, ...]
    duplicates: tuple[tuple[Field, str, str], ...]  # field, first column, second column
    other_columns: Mapping[str, str]  # letter → header text of unmatched, non-empty headers


def match_header(row: Row, fields: Sequence[Field]) -> HeaderMatch:
    """Match one row's texts against the fields."""
    lookup: dict[str, Field] = {}
    for f in fields:
        for n in f.names():
            lookup.setdefault(n, f)
    columns: dict[str, ColumnMatch] = {}
    duplicates: list[tuple[Field, str, str]] = []
    others: dict[str, str] = {}
    for index, cell in enumerate(row.cells):
        if cell.is_empty or not isinstance(cell.value, str):
            if not cell.is_empty:
                others[cell.column] = nz.display(cell.value)
            continue
        found = lookup.get(normalise_header(cell.value))
        if found is None:
            others[cell.column] = cell.value.strip()
            continue
        if found.key in columns:
            duplicates.append((found, columns[found.key].column, cell.column))
            continue
        columns[found.key] = ColumnMatch(
            found.key, found.label, cell.column, index, cell.value.strip(), header_unit(cell.value)
        )
    missing = tuple(f for f in fields if f.required and f.key not in columns)
    return HeaderMatch(row.number, columns, missing, tuple(duplicates), others)


def find_header(
    rows: Sequence[Row], fields: Sequence[Field], *, max_scan_rows: int = 30
) -> HeaderMatch | None:
    """The header among the first ``max_scan_rows`` non-blank rows: the first row with the
    most fields matched (at least one). Title rows and blank rows above it are skipped."""
    best: HeaderMatch | None = None
    scanned = 0
    for row in rows:
        if row.is_blank:
            continue
        scanned += 1
        if scanned > max_scan_rows:
            break
        match = match_header(row, fields)
        if match.columns and (best is None or len(match.columns) > len(best.columns)):
            best = match
            if not match.missing and len(match.columns) == len(fields):
                break
    return best


class Record:
    """One data row of a :class:`Table`, with typed accessors that record problems in the
    table's issue list and return None for a bad or empty cell."""

    def __init__(self, table: Table, row: int, cells: Mapping[str, Cell]) -> None:
        self.table = table
        self.row = row
        self.cells = cells

    def __repr__(self) -> str:
        return f"Record(row={self.row}, { {k: c.value for k, c in self.cells.items()} })"

    def cell(self, key: str) -> Cell:
        cell = self.cells.get(key)
        if cell is None:
            match = self.table.columns.get(key)
            return Cell(None, self.table.sheet, self.row, match.column if match else "")
        return cell

    def raw(self, key: str) -> CellValue:
        return self.cell(key).value

    def _get(self, key: str, parser: object, required: bool | None, **kwargs: object) -> object:
        cell = self.cell(key)
        field = self.table.fields.get(key)
        label = field.label if field else key
        if cell.error is not None or cell.formula_without_value:
            return None  # reported when the table was read
        must = field.required if (required is None and field) else bool(required)
        try:
            value = parser(cell.value, **kwargs)  # type: ignore[operator]  # a parse_* function
        except nz.CellValueError as exc:
            self.table.issues.add(
                CellIssue(
                    self.table.sheet,
                    self.row,
                    cell.column or None,
                    label,
                    nz.display(cell.value),
                    exc.message,
                    exc.hint,
                    "error",
                    exc.code,
                )
            )
            return None
        if value is None and must:
            self.table.issues.add(
                CellIssue(
                    self.table.sheet,
                    self.row,
                    cell.column or None,
                    label,
                    None,
                    "必填，不能为空。",
                    f"请填写{label}。",
                    "error",
                    "missing",
                )
            )
        return value

    def number(
        self,
        key: str,
        *,
        required: bool | None = None,
        allow_percent: bool = False,
        allow_negative: bool = True,
    ) -> float | None:
        """See :func:`ecplan.tabular.normalise.parse_number`."""
        value = self._get(
            key,
            nz.parse_number,
            required,
            allow_percent=allow_percent,
            allow_negative=allow_negative,
        )
        return value if isinstance(value, float) else None

    def period(self, key: str, *, required: bool | None = None) -> str | None:
        """See :func:`ecplan.tabular.normalise.parse_period`."""
        value = self._get(key, nz.parse_period, required)
        return value if isinstance(value, str) else None

    def date(self, key: str, *, required: bool | None = None) -> dt.date | None:
        value = self._get(key, nz.parse_date, required)
        return value if isinstance(value, dt.date) else None

    def code(
        self,
        key: str,
        *,
        required: bool | None = None,
        expected_length: int | None = None,
        upper: bool = True,
    ) -> str | None:
        """See :func:`ecplan.tabular.normalise.parse_code`."""
        value = self._get(
            key, nz.parse_code, required, expected_length=expected_length, upper=upper
        )
        return value if isinstance(value, str) else None

    def boolean(self, key: str, *, required: bool | None = None) -> bool | None:
        value = self._get(key, nz.parse_bool, required)
        return value if isinstance(value, bool) else None

    def text(
        self, key: str, *, required: bool | None = None, max_length: int | None = None
    ) -> str | None:
        value = self._get(key, nz.parse_text, required, max_length=max_length)
        return value if isinstance(value, str) else None

    def issue(self, key: str | None, message: str, hint: str = "", *, code: str = "",
              severity: Literal["error", "warning"] = "error") -> CellIssue:  # fmt: skip
        """Record a caller's own problem (a domain rule) at this row and field."""
        cell = self.cell(key) if key else None
        field = self.table.fields.get(key) if key else None
        issue = CellIssue(
            self.table.sheet,
            self.row,
            (cell.column or None) if cell else None,
            field.label if field else key,
            nz.display(cell.value) if cell and cell.value is not None else None,
            message,
            hint,
            severity,
            code,
        )
        self.table.issues.add(issue)
        return issue


@dataclass
class Table:
    """The records of one sheet under a detected header.

    Attributes
    ----------
    sheet : str
    header_row : int or None
        None when no header was found (then ``issues`` says why and ``records`` is empty).
    columns : mapping key → ColumnMatch
    fields : mapping key → Field
    records : list of Record
        Non-blank data rows, in order.
    issues : IssueList
        Problems of the sheet and of every accessor called on its records.
    other_columns : mapping letter → header text of columns no field matched
    skipped_total_rows : list of int
        Rows skipped because they are totals (合计/小计/总计).
    """

    sheet: str
    header_row: int | None
    columns: dict[str, ColumnMatch]
    fields: dict[str, Field]
    records: list[Record] = field(default_factory=list)
    issues: IssueList = field(default_factory=IssueList)
    other_columns: dict[str, str] = field(default_factory=dict)
    skipped_total_rows: list[int] = field(default_factory=list)

    @property
    def labels(self) -> dict[str, str]:
        return {k: f.label for k, f in self.fields.items()}

    @property
    def letters(self) -> dict[str, str]:
        return {k: m.column for k, m in self.columns.items()}

    def to_frame(self) -> pl.DataFrame:
        """The records as string columns (one per matched field) plus ``row`` — the input of
        :func:`ecplan.tabular.frames.normalise_frame`. Dates become ISO text, numbers their
        shortest exact text."""
        data: dict[str, list[object]] = {"row": [r.row for r in self.records]}
        for key in self.columns:
            data[key] = [_to_text(r.cell(key)) for r in self.records]
        schema = {"row": pl.Int64, **dict.fromkeys(self.columns, pl.String)}
        return pl.DataFrame(data, schema=schema)


def _to_text(cell: Cell) -> str | None:
    v = cell.value
    if v is None or cell.error is not None:
        return None
    if isinstance(v, float):
        return nz.display(v) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return nz.display(v)


def read_table(
    sheet: Sheet,
    fields: Sequence[Field],
    *,
    merged: MergedPolicy = "report",
    max_scan_rows: int = 30,
    skip_total_rows: bool = True,
    issues: IssueList | None = None,
) -> Table:
    """Find the header of ``sheet`` and read the records below it.

    Parameters
    ----------
    sheet : Sheet
    fields : sequence of Field
    merged : {"report", "fill", "ignore"}
        Merged cells in the data area: report them as errors (default: a merged range holds
        its value only in its first cell, so the other rows would silently lose it), fill
        every cell of the range with the first cell's value, or ignore them.
    max_scan_rows : int
        How many non-blank rows to search for the header (title rows come first).
    skip_total_rows : bool
        Skip rows whose first filled cell is 合计/小计/总计 (with a warning).
    issues : IssueList, optional
        Collect into this list (to gather several sheets in one); a new one otherwise.

    Examples
    --------
    >>> fields = [Field("entity", "主体", ("统一社会信用代码",)), Field("quantity", "数量")]
    >>> table = read_table(workbook.sheets[0], fields)  # doctest: +SKIP
    >>> for record in table.records:  # doctest: +SKIP
    ...     qty = record.number("quantity", allow_negative=False)
    >>> table.issues.to_lines()  # doctest: +SKIP
    """
    issue_list = issues if issues is not None else IssueList()
    by_key = {f.key: f for f in fields}
    rows = list(sheet.rows())
    header = find_header(rows, fields, max_scan_rows=max_scan_rows)
    accepted = "；".join(
        f"{f.label}：" + "、".join(dict.fromkeys([f.label, *f.aliases, f.key])) for f in fields
    )
    if header is None:
        issue_list.error(
            sheet=sheet.name,
            row=None,
            column=None,
            field=None,
            value=None,
            message=f"找不到表头：前 {max_scan_rows} 行中没有任何一行包含所需的列名。",
            hint=f"请保留模板的表头行。可接受的列名——{accepted}。",
            code="header_not_found",
        )
        return Table(sheet.name, None, {}, by_key, issues=issue_list)
    table = Table(
        sheet.name,
        header.row,
        dict(header.columns),
        by_key,
        issues=issue_list,
        other_columns=dict(header.other_columns),
    )
    for f in header.missing:
        issue_list.error(
            sheet=sheet.name,
            row=header.row,
            column=None,
            field=f.label,
            value=None,
            message=f"表头中缺少“{f.label}”列。",
            hint="可接受的列名：" + "、".join(dict.fromkeys([f.label, *f.aliases, f.key])) + "。",
            code="missing_column",
        )
    for f, first, second in header.duplicates:
        issue_list.error(
            sheet=sheet.name,
            row=header.row,
            column=second,
            field=f.label,
            value=None,
            message=f"“{f.label}”列出现了两次（{first} 列和 {second} 列）。",
            hint="请删除多余的一列。",
            code="duplicate_column",
        )
    if header.missing or header.duplicates:
        return table
    data_rows = [r for r in rows if r.number > header.row]
    fill = _merged_fill(sheet, header, data_rows, merged, issue_list)
    index_by_key = {k: m.index for k, m in header.columns.items()}
    unnamed: dict[str, list[int]] = {}
    for row in data_rows:
        cells: dict[str, Cell] = {}
        for key, index in index_by_key.items():
            cell = row.get(index) or Cell(None, sheet.name, row.number, column_letter(index + 1))
            if (row.number, index) in fill:
                cell = Cell(fill[(row.number, index)], sheet.name, row.number, cell.column)
            cells[key] = cell
        if all(c.is_empty for c in cells.values()):
            continue
        first_filled = next((c for c in row.cells if not c.is_empty), None)
        if (
            skip_total_rows
            and first_filled is not None
            and isinstance(first_filled.value, str)
            and re.sub(r"\s+", "", first_filled.value) in _TOTAL_WORDS
        ):
            table.skipped_total_rows.append(row.number)
            issue_list.warning(
                sheet=sheet.name,
                row=row.number,
                column=first_filled.column,
                field=None,
                value=first_filled.value,
                message="这是合计行，未作为数据导入。",
                hint="合计由系统计算；如这不是合计行，请修改该单元格内容。",
                code="total_row_skipped",
            )
            continue
        for key, cell in cells.items():
            label = by_key[key].label
            if cell.error is not None:
                issue_list.error(
                    sheet=sheet.name,
                    row=row.number,
                    column=cell.column,
                    field=label,
                    value=cell.error,
                    message=f"单元格显示错误值 {cell.error}（公式计算出错）。",
                    hint="请修正公式，或直接填写数值。",
                    code="excel_error",
                )
            elif cell.formula_without_value:
                issue_list.error(
                    sheet=sheet.name,
                    row=row.number,
                    column=cell.column,
                    field=label,
                    value=None,
                    message="单元格是公式，但文件中没有保存计算结果。",
                    hint="请在 Excel 中打开文件、保存后重新上传，或把公式改为数值。",
                    code="formula_without_value",
                )
        for cell in row.cells:
            if (
                cell.column not in header.other_columns
                and cell.column not in {m.column for m in header.columns.values()}
                and not cell.is_empty
            ):
                unnamed.setdefault(cell.column, []).append(row.number)
        table.records.append(Record(table, row.number, cells))
    for letter, row_numbers in sorted(unnamed.items(), key=lambda kv: column_index(kv[0])):
        shown = "、".join(str(n) for n in row_numbers[:5]) + ("…" if len(row_numbers) > 5 else "")
        issue_list.warning(
            sheet=sheet.name,
            row=None,
            column=letter,
            field=None,
            value=None,
            message=f"该列没有表头，但第 {shown} 行有内容，这些内容未导入。",
            hint="如需导入，请把内容移到对应的列；否则请删除。",
            code="unnamed_column",
        )
    return table


def _merged_fill(
    sheet: Sheet,
    header: HeaderMatch,
    data_rows: list[Row],
    policy: MergedPolicy,
    issues: IssueList,
) -> dict[tuple[int, int], CellValue]:
    fill: dict[tuple[int, int], CellValue] = {}
    if policy == "ignore" or not sheet.merged_ranges:
        return fill
    wanted = {m.index + 1: m for m in header.columns.values()}
    rows_by_number = {r.number: r for r in data_rows}
    for rng in sheet.merged_ranges:
        if rng.last_row <= header.row:
            continue
        cols = [c for c in range(rng.first_col, rng.last_col + 1) if c in wanted]
        if not cols:
            continue
        if policy == "report":
            first = wanted[cols[0]]
            rows_text = (
                f"第 {max(rng.first_row, header.row + 1)}–{rng.last_row} 行"
                if rng.last_row > rng.first_row
                else f"第 {rng.first_row} 行"
            )
            issues.error(
                sheet=sheet.name,
                row=max(rng.first_row, header.row + 1),
                column=first.column,
                field=first.label,
                value=None,
                message=f"{rows_text} {rng.ref} 是合并单元格，合并后只有第一格有值，其余行会被当作空白。",
                hint="请取消合并单元格，并在每一行填写完整内容。",
                code="merged_cells",
            )
            continue
        top = rows_by_number.get(rng.first_row)
        top_cell = top.get(rng.first_col - 1) if top else None
        value = top_cell.value if top_cell else None
        for r in range(max(rng.first_row, header.row + 1), rng.last_row + 1):
            for c in cols:
                fill[(r, c - 1)] = value
    return fill


# --------------------------------------------------------------------------------------------
# frames for the vectorised path


@dataclass(frozen=True)
class FrameTable:
    """A table read straight into a polars frame of strings (see :func:`read_frame`).

    Attributes
    ----------
    frame : polars.DataFrame
        ``row`` (Int64, row number as Excel shows it) and one String column per matched field
        (named by the field's key); blank rows are dropped.
    sheet : str
    header_row : int or None
    columns : mapping key → ColumnMatch
    issues : IssueList
        Header problems and, for workbooks, Excel error values and formulas without value.
    """

    frame: pl.DataFrame
    sheet: str
    header_row: int | None
    columns: Mapping[str, ColumnMatch]
    issues: IssueList

    @property
    def letters(self) -> dict[str, str]:
        return {k: m.column for k, m in self.columns.items()}


def read_frame(
    workbook: Workbook,
    fields: Sequence[Field],
    *,
    sheet: str | None = None,
    max_scan_rows: int = 30,
) -> FrameTable:
    """Read one sheet (the first by default) into a frame of strings for
    :func:`ecplan.tabular.frames.normalise_frame`. For CSV no Python runs per row."""
    target = workbook.sheet(sheet) if sheet is not None else workbook.sheets[0]
    frame_source = target._frame
    if frame_source is None:
        table = read_table(target, fields, merged="report", max_scan_rows=max_scan_rows)
        return FrameTable(
            table.to_frame(), target.name, table.header_row, table.columns, table.issues
        )
    issues = IssueList()
    head_rows = list(_frame_rows(target.name, frame_source.head(max_scan_rows * 4 + 50)))
    header = find_header(head_rows, fields, max_scan_rows=max_scan_rows)
    if header is None or header.missing or header.duplicates:
        probe = Sheet(target.name, frame=frame_source.head(max_scan_rows * 4 + 50), is_csv=True)
        table = read_table(probe, fields, max_scan_rows=max_scan_rows, issues=issues)
        empty = pl.DataFrame(schema={"row": pl.Int64, **{f.key: pl.String for f in fields}})
        return FrameTable(empty, target.name, table.header_row, table.columns, issues)
    names = frame_source.columns
    selected = frame_source.with_row_index("row", offset=1).select(
        pl.col("row").cast(pl.Int64),
        *(pl.col(names[m.index]).alias(k) for k, m in header.columns.items()),
    )
    data = selected.slice(header.row)
    keys = list(header.columns)
    blank = pl.all_horizontal([nz_blank(pl.col(k)) for k in keys])
    data = data.filter(~blank)
    return FrameTable(data, target.name, header.row, header.columns, issues)


def nz_blank(expr: pl.Expr) -> pl.Expr:
    """True where a string cell is empty after cleaning."""
    from ecplan.tabular.frames import cleaned_text

    cleaned = cleaned_text(expr)
    return cleaned.is_null() | (cleaned == "")

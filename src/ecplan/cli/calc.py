"""``ecplan calc energy``: convert a long table of energy use to standard coal and CO2.

Reads a CSV or Excel file in long form (one row per entity × period × carrier × use), checks
every cell, converts with :func:`ecplan.core.batch.convert` and writes per-row results with
their provenance plus totals by entity and period and by carrier (docs/batch.md). A file with
any error is refused as a whole — every bad cell listed in Chinese with its row, column and
reason, nothing written — unless ``--skip-invalid`` is given.

Needs no database and never imports Django; polars and the core are imported only when the
command runs, so ``ecplan --help`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ecplan.cli.common import CommandError

if TYPE_CHECKING:
    import polars as pl

    from ecplan.core.batch import BatchResult
    from ecplan.core.factors import FactorLibrary
    from ecplan.tabular import CellIssue, CheckedFile, IssueList

ORDER = 30

EPILOG = """\
文件格式（长表，每行一个主体、一个月、一个能源品种、一种用途）：
  主体 entity        必填，企业名称或统一社会信用代码
  期间 period        必填，年月：2025-03、2025年3月、202503、Excel 日期均可
  能源品种 carrier   必填，名称或别名：原煤、烟煤、天然气、电力、外购电力、光伏……
  数量 quantity      必填，实物量，不能为负；可带千位分隔符、全角数字
  单位 unit          必填，如 吨、万立方米、万千瓦时、百万千焦、吨标准煤；
                     也可写在数量列表头的括号里，如“数量（吨）”
  用途 use           可选：燃料（默认）、原料、发电供热、非能源
  能耗单列           可选：是/否
  地区 area          可选：给出时另按地区和期间合计
表头可用中文或英文，前面可以有标题行。

输出（-o 的扩展名决定格式，也可用 --format 指定）：
  json  一个对象：rows、totals（by_entity_period、by_carrier …）、provenance、errors
  csv   OUT.csv 为逐行明细；另写 OUT.totals-entity-period.csv、OUT.totals-carrier.csv、
        OUT.provenance.csv（有地区列时另有 OUT.totals-area-period.csv；
        --skip-invalid 且有错误时另有 OUT.errors.csv）
  xlsx  工作表：说明、明细、按主体和期间合计、按品种合计、因子来源（、问题清单）

有任何错误时整份文件不予处理：逐条列出行号、列和原因，不写任何结果文件，退出码为 1。
加 --skip-invalid 时只处理无错误的行，问题清单随结果一并写出。详见 docs/batch.md。
"""

FIELD_SPECS: tuple[tuple[str, str, tuple[str, ...], bool], ...] = (
    (
        "entity",
        "主体",
        ("entity", "企业", "企业名称", "单位名称", "用能单位", "统一社会信用代码"),
        True,
    ),
    ("area", "地区", ("area", "区县", "所在地区", "地市", "城市", "行政区划"), False),
    ("period", "期间", ("period", "月份", "年月", "统计期", "日期", "时间"), True),
    ("carrier", "能源品种", ("carrier", "品种", "能源名称", "能源种类", "能源"), True),
    ("quantity", "数量", ("quantity", "实物量", "消费量", "用量"), True),
    ("unit", "单位", ("unit", "计量单位"), False),
    ("use", "用途", ("use", "用能用途", "使用用途"), False),
    ("separately_listed", "能耗单列", ("separately_listed", "是否单列", "单列"), False),
)
LABELS = {key: label for key, label, _, _ in FIELD_SPECS}
TOTAL_WORDS = frozenset({"合计", "总计", "小计", "总合计", "累计", "合计数"})

# --- output layout: key, Chinese header, unit ------------------------------------------------

ROW_COLUMNS: tuple[tuple[str, str, str | None], ...] = (
    ("row", "源文件行号", None),
    ("entity", "主体", None),
    ("area", "地区", None),
    ("period", "期间", None),
    ("carrier", "能源品种", None),
    ("carrier_name", "标准品种名称", None),
    ("quantity", "数量", None),
    ("unit", "单位", None),
    ("use", "用途", None),
    ("canonical_quantity", "折算实物量", None),
    ("canonical_unit", "折算单位", None),
    ("tce_per_unit", "折标系数", "tce/折算单位"),
    ("energy_tce", "折标准煤", "tce"),
    ("ef_tco2_per_unit", "排放因子", "tCO2/折算单位"),
    ("co2_t", "二氧化碳", "tCO2"),
    ("series", "新口径归类", None),
    ("co2_method", "排放计算方法", None),
    ("tce_ref", "折标系数来源编号", None),
    ("co2_ref", "排放因子来源编号", None),
    ("tce_source", "折标系数来源", None),
    ("co2_source", "排放因子来源", None),
    ("uncertain", "含未确认数值", None),
    ("fallback", "因子年份或地区替代", None),
    ("co2_note", "排放说明", None),
)
"""Per-row output; ``tce_source``/``co2_source`` (the labels of the references) only in Excel,
where a person reads the rows — CSV and JSON carry the reference numbers."""

SHORT_SERIES = {
    "fossil": "化石能源",
    "non_fossil": "非化石能源",
    "feedstock": "原料用能",
    "separately_listed": "能耗单列",
}
SHORT_METHODS = {
    "combustion": "燃料燃烧",
    "electricity": "外购电力",
    "heat": "外购热力",
    "feedstock": "原料用能，不计",
    "non_energy": "非能源用途，不计",
    "no_fossil_co2": "非化石等，不计",
    "not_computed": "未计算",
}

TOTAL_HEADERS: dict[str, tuple[str, str | None]] = {
    "entity": ("主体", None),
    "area": ("地区", None),
    "period": ("期间", None),
    "carrier_code": ("品种代码", None),
    "carrier_name": ("品种名称", None),
    "rows": ("行数", None),
    "energy_tce": ("综合能耗", "tce"),
    "fossil_tce": ("化石能源", "tce"),
    "non_fossil_tce": ("新口径扣除：非化石能源", "tce"),
    "feedstock_tce": ("新口径扣除：原料用能", "tce"),
    "separately_listed_tce": ("新口径扣除：能耗单列", "tce"),
    "new_basis_tce": ("新口径能耗", "tce"),
    "power_generation_tce": ("其中发电供热用能", "tce"),
    "non_energy_tce": ("其中非能源用途", "tce"),
    "co2_t": ("二氧化碳", "tCO2"),
    "combustion_co2_t": ("燃料燃烧排放", "tCO2"),
    "electricity_co2_t": ("外购电力排放", "tCO2"),
    "heat_co2_t": ("外购热力排放", "tCO2"),
    "co2_missing_rows": ("未计算排放的行数", None),
    "co2_complete": ("排放完整", None),
    "uncertain": ("含未确认数值", None),
    "uncertain_coefficients": ("未确认的系数", None),
    "fallback": ("含年份或地区替代", None),
    "factor_sets": ("因子集及版本", None),
    "provenance_refs": ("因子来源编号", None),
}

PROVENANCE_HEADERS: dict[str, tuple[str, str | None]] = {
    "ref": ("编号", None),
    "quantity": ("用于", None),
    "label": ("来源", None),
    "name": ("名称", None),
    "value": ("数值", None),
    "unit": ("单位", None),
    "formula": ("公式", None),
    "factor_set_id": ("因子集", None),
    "factor_set_version": ("版本", None),
    "factor_set_title": ("因子集名称", None),
    "factor_set_kind": ("因子集类别", None),
    "factor_set_digest": ("内容摘要（SHA-256）", None),
    "factor_set_origin": ("内置或载入", None),
    "row_id": ("数据行", None),
    "document": ("出处", None),
    "locator": ("位置", None),
    "published_value": ("原文数值", None),
    "published_unit": ("原文单位", None),
    "confidence": ("可信度代码", None),
    "confidence_label": ("可信度", None),
    "uncertain": ("未确认", None),
    "coefficient_basis": ("口径", None),
    "year": ("数据年份", None),
    "region": ("地区", None),
    "requested_year": ("所需年份", None),
    "requested_region": ("所需地区", None),
    "year_fallback": ("年份替代", None),
    "region_fallback": ("地区替代", None),
    "fallback": ("有替代", None),
    "alternatives": ("资料中的其他取值", None),
    "notes": ("说明", None),
    "components": ("组成", None),
}

ERROR_HEADERS: dict[str, tuple[str, str | None]] = {
    "severity": ("级别", None),
    "sheet": ("工作表或文件", None),
    "row": ("行", None),
    "column": ("列", None),
    "field": ("字段", None),
    "value": ("填写内容", None),
    "message": ("问题", None),
    "hint": ("修改建议", None),
    "code": ("原因代码", None),
}

GROUPINGS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("by_entity_period", ("entity", "period"), "totals-entity-period", "按主体和期间合计"),
    ("by_area_period", ("area", "period"), "totals-area-period", "按地区和期间合计"),
    ("by_carrier", ("carrier_code",), "totals-carrier", "按品种合计"),
)

XLSX_MAX_ROWS = 1_048_575  # data rows under the header


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "calc",
        help="批量计算：折标准煤与二氧化碳 (batch calculations)",
        description="批量计算（不需要数据库）。",
    )
    sub = p.add_subparsers(title="子命令", metavar="子命令", dest="calc_command", required=True)
    e = sub.add_parser(
        "energy",
        help="把能源消费长表折算为标准煤和二氧化碳 (convert a long table to tce and CO2)",
        description=(
            "读取 CSV 或 Excel 长表，逐格校验，把每一行折算为标准煤（当量值或等价值）和二氧化碳，"
            "并按主体和期间、按能源品种合计；每个数值都注明所用系数的因子集、版本和出处。"
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    e.add_argument("file", type=Path, metavar="FILE", help="CSV 或 Excel（.xlsx/.xls/.ods）文件")
    e.add_argument(
        "--basis",
        default="calorific",
        metavar="{calorific,equivalent}",
        help="折标口径：calorific 当量值（默认）或 equivalent 等价值（也可写 当量值/等价值）",
    )
    e.add_argument(
        "--year",
        type=int,
        help="所有行统一采用该年份的因子（默认：各行期间所在年份；尚未发布的年份采用最近年份并注明）",
    )
    e.add_argument("--region", default="江苏", help="电网排放因子和煤耗率的地区（默认 江苏）")
    e.add_argument(
        "--factor-set",
        action="append",
        metavar="ID[@版本]",
        help="指定因子集（可重复），如 ndrc-2013-steel-fuels；见 ecplan factors list",
    )
    e.add_argument(
        "--generation-coal-rate",
        type=float,
        metavar="GCE_PER_KWH",
        help="等价值口径下电力的煤耗率 [gce/kWh]，代替因子集中的数值",
    )
    e.add_argument(
        "--heat-supply-coal-rate",
        type=float,
        metavar="KGCE_PER_GJ",
        help="等价值口径下热力的供热煤耗率 [kgce/GJ]（内置因子集没有此项）",
    )
    e.add_argument(
        "--format",
        choices=("json", "csv", "xlsx"),
        help="输出格式（默认按 -o 的扩展名；没有 -o 时为 json，写到标准输出）",
    )
    e.add_argument("-o", "--output", type=Path, metavar="OUT", help="输出文件")
    e.add_argument(
        "--skip-invalid",
        action="store_true",
        help="跳过有错误的行，只处理其余的行；问题清单随结果写出",
    )
    e.add_argument(
        "--errors",
        type=Path,
        metavar="FILE",
        help="另把问题清单写入该文件（.xlsx、.csv 或 .json），文件被拒绝时也写",
    )
    e.add_argument("--sheet", help="Excel 工作表名称（默认：第一个有表头的工作表）")
    e.add_argument("--encoding", help="CSV 的文字编码（默认自动识别 UTF-8、GBK/GB18030）")
    e.set_defaults(handler=run_energy)


# --- options ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    basis: str
    year: int | None
    region: str
    library: FactorLibrary
    factor_set: tuple[str, ...]
    generation_coal_rate: float | None
    heat_supply_coal_rate: float | None
    fmt: str
    output: Path | None


def _options(args: argparse.Namespace) -> Options:
    from ecplan.core.accounting import normalise_basis
    from ecplan.core.errors import AccountingError
    from ecplan.core.factors import library_for
    from ecplan.core.regions import normalise_region

    fmt = args.format
    if fmt is None:
        suffix = args.output.suffix.lower() if args.output else ""
        fmt = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}.get(suffix)
        if fmt is None:
            if args.output is not None:
                raise CommandError(
                    f"无法从输出文件名“{args.output.name}”判断格式：请用 .json、.csv 或 .xlsx，"
                    "或用 --format 指定。"
                )
            fmt = "json"
    if fmt in ("csv", "xlsx") and args.output is None:
        raise CommandError(f"{fmt} 格式需要用 -o 指定输出文件。")
    if args.year is not None and not 1990 <= args.year <= 2100:
        raise CommandError(f"年份 {args.year} 不合理（应在 1990–2100 之间）。")
    try:
        basis = normalise_basis(args.basis)
        region = normalise_region(args.region)
        library = library_for(tuple(args.factor_set) if args.factor_set else None)
    except AccountingError as exc:
        raise CommandError(exc.message) from None
    return Options(
        basis=basis,
        year=args.year,
        region=region,
        library=library,
        factor_set=tuple(args.factor_set or ()),
        generation_coal_rate=args.generation_coal_rate,
        heat_supply_coal_rate=args.heat_supply_coal_rate,
        fmt=fmt,
        output=args.output,
    )


# --- reading ---------------------------------------------------------------------------------


@dataclass
class InputTable:
    """The file's data as string columns, where they came from, and the problems so far."""

    frame: pl.DataFrame
    name: str
    sheet: str
    letters: dict[str, str]
    issues: IssueList
    bad_cells: set[tuple[int, str]] = field(default_factory=set)
    header_unit: str | None = None
    rows_read: int = 0


def _fields() -> list[Any]:
    from ecplan.tabular import Field

    return [Field(key, label, aliases, required) for key, label, aliases, required in FIELD_SPECS]


def _read(args: argparse.Namespace) -> InputTable:
    """Check and read the file (CSV or workbook) into string columns with row numbers."""
    from ecplan.tabular import TabularFileError

    path: Path = args.file
    try:
        with open(path, "rb") as fh:
            magic = fh.read(8)
    except OSError as exc:
        raise CommandError(f"无法读取文件“{path}”（{exc.strerror}）。") from None
    try:
        if magic.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
            return _read_workbook(path, args)
        return _read_csv(path, args)
    except TabularFileError as exc:
        raise CommandError(exc.text()) from None


def _read_workbook(path: Path, args: argparse.Namespace) -> InputTable:
    from ecplan.tabular import (
        CellValueError,
        IntakeLimits,
        check_file,
        open_workbook,
        parse_period,
        read_table,
    )

    checked = check_file(path, limits=IntakeLimits(max_bytes=None))
    fields = _fields()
    with open_workbook(checked) as wb:
        sheets = [wb.sheet(args.sheet)] if args.sheet else [s for s in wb.sheets if s.visible]
        chosen = None
        for sheet in sheets:
            candidate = read_table(sheet, fields)
            if candidate.header_row is not None and not candidate.issues.has_errors:
                chosen = candidate
                break
            if chosen is None or (candidate.header_row is not None and chosen.header_row is None):
                chosen = candidate
        if chosen is None:
            raise CommandError(f"文件“{checked.filename}”中没有可读取的工作表。")
        table = InputTable(
            chosen.to_frame(), checked.filename, chosen.sheet, chosen.letters, chosen.issues
        )
        if "quantity" in chosen.columns and "unit" not in chosen.columns:
            table.header_unit = chosen.columns["quantity"].unit
        # A number in the period column: Excel stores a typed 2025.10 as 2025.1.
        if "period" in chosen.columns:
            letter = chosen.columns["period"].column
            for record in chosen.records:
                value = record.raw("period")
                if isinstance(value, int | float) and not isinstance(value, bool):
                    try:
                        parse_period(value)
                    except CellValueError as exc:
                        table.issues.error(
                            sheet=chosen.sheet,
                            row=record.row,
                            column=letter,
                            field=LABELS["period"],
                            value=value,
                            message=exc.message,
                            hint=exc.hint,
                            code=exc.code,
                        )
    _require_unit(table, chosen.columns)
    return table


class _NotUtf8(Exception):
    """The fast intake's file turned out not to be UTF-8 further down."""


def _check_csv(path: Path, args: argparse.Namespace) -> tuple[CheckedFile, bool]:
    """The intake check of a text file, and whether its bytes are known to be valid UTF-8.

    A big file whose first MiB passes :func:`check_file` as UTF-8 (type, encoding, delimiter,
    HTML/XML disguises) is taken as it is; the reader then refuses any invalid UTF-8 further
    down (polars validates every string), and the whole file goes through
    :func:`check_file` again, which says what is wrong or finds GB18030. This avoids
    holding a decoded copy of a big file. Anything else goes through :func:`check_file` whole.
    """
    import codecs

    from ecplan.tabular import CheckedFile, FileKind, IntakeLimits, check_file

    limits = IntakeLimits(max_bytes=None)
    head_size = 1 << 20
    size = path.stat().st_size
    with open(path, "rb") as fh:
        head = fh.read(head_size + 1)
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if size <= head_size or utf16 or b"\n" not in head:
        return check_file(path, limits=limits, encoding=args.encoding), True
    probe = check_file(head[: head.rfind(b"\n") + 1], limits=limits, filename=path.name,
                       encoding=args.encoding)  # fmt: skip
    if probe.kind is not FileKind.CSV or probe.encoding not in ("utf-8", "utf-8-sig"):
        return check_file(path, limits=limits, encoding=args.encoding), True
    data = path.read_bytes()
    if b"\x00" in data:
        return check_file(path, limits=limits, encoding=args.encoding), True
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    checked = CheckedFile(
        kind=FileKind.CSV,
        data=data,
        filename=path.name,
        size_bytes=size,
        encoding=probe.encoding,
        delimiter=probe.delimiter,
    )
    return checked, False


def _csv_strings(checked: CheckedFile, validated: bool) -> pl.DataFrame:
    """Every record as string columns ``column_1`` …, blank lines kept as null rows (so row
    numbers are Excel's). Title rows narrower than the table are read apart, so that polars
    reads the table in one pass; otherwise :func:`ecplan.tabular.reading.csv_frame`."""
    import csv
    import io

    import polars as pl

    from ecplan.tabular.reading import csv_frame

    sep = checked.delimiter or ","
    data = checked.data
    sample = data[: 256 * 1024]
    cut = sample.rfind(b"\n")
    lines = sample[:cut].decode("utf-8", errors="replace").split("\n") if cut > 0 else []
    records = [next(csv.reader([line], delimiter=sep), []) for line in lines]
    width = max((len(r) for r in records), default=0)
    lead: list[list[str | None]] = []
    for line, record in zip(lines, records, strict=True):
        if len(record) >= width or '"' in line:
            break
        lead.append([cell or None for cell in record])
    plain = not lead  # no title rows: polars can read the file as it is
    titled = bool(lead) and len(lead) < len(lines) and len(records[len(lead)]) == width
    if plain or titled:
        try:
            body = pl.read_csv(
                io.BytesIO(data),
                has_header=False,
                infer_schema=False,
                separator=sep,
                quote_char='"',
                skip_lines=len(lead),
                raise_if_empty=False,
            )
        except pl.exceptions.PolarsError as exc:
            if "utf-8" in str(exc).lower() and not validated:
                raise _NotUtf8 from exc
            body = None  # a wider record further down: the general reader handles it
        if body is not None and (plain or body.width == width):
            head = pl.DataFrame(
                [[*r, *([None] * (body.width - len(r)))] for r in lead],
                schema=dict.fromkeys(body.columns, pl.String),
                orient="row",
            )
            frame = pl.concat([head, body], how="vertical")
            return frame.rename({c: f"column_{i + 1}" for i, c in enumerate(frame.columns)})
    if not validated:
        try:
            checked.data.decode("utf-8")
        except UnicodeDecodeError:
            raise _NotUtf8 from None
    return csv_frame(checked)


def _read_csv(path: Path, args: argparse.Namespace) -> InputTable:
    """As :func:`ecplan.tabular.read_frame` for CSV, with the fast intake, reader and blank
    row filter of this command."""
    import polars as pl

    from ecplan.tabular import (
        Cell,
        IntakeLimits,
        IssueList,
        Row,
        Sheet,
        check_file,
        column_letter,
        find_header,
        read_table,
    )
    from ecplan.tabular.frames import blank_rows

    checked, validated = _check_csv(path, args)
    try:
        frame = _csv_strings(checked, validated)
    except _NotUtf8:
        checked = check_file(path, limits=IntakeLimits(max_bytes=None), encoding=args.encoding)
        frame = _csv_strings(checked, True)
    del checked  # the bytes are not needed any more
    name = path.name
    fields = _fields()
    head = frame.head(200)
    letters = [column_letter(i + 1) for i in range(head.width)]
    head_rows = [
        Row(r, tuple(Cell(v, name, r, letters[i]) for i, v in enumerate(values)))
        for r, values in enumerate(head.iter_rows(), start=1)
    ]
    header = find_header(head_rows, fields)
    issues = IssueList()
    if header is None or header.missing or header.duplicates:
        probe = read_table(Sheet(name, frame=head, is_csv=True), fields, issues=issues)
        empty = pl.DataFrame(schema={"row": pl.Int64, **{f.key: pl.String for f in fields}})
        return InputTable(empty, name, name, dict(probe.letters), issues)
    names = frame.columns
    data = frame.with_row_index("row", offset=1).select(
        pl.col("row").cast(pl.Int64),
        *(pl.col(names[m.index]).alias(k) for k, m in header.columns.items()),
    )
    data = data.slice(header.row)
    data = data.filter(~blank_rows(data, list(header.columns)))
    table = InputTable(data, name, name, {k: m.column for k, m in header.columns.items()}, issues)
    if "quantity" in header.columns and "unit" not in header.columns:
        table.header_unit = header.columns["quantity"].unit
    _require_unit(table, header.columns)
    return table


def _require_unit(table: InputTable, columns: Mapping[str, Any]) -> None:
    if "unit" in columns or "quantity" not in columns or table.header_unit is not None:
        return
    table.issues.error(
        sheet=table.sheet,
        row=None,
        column=None,
        field=LABELS["unit"],
        value=None,
        message="表头中缺少“单位”列。",
        hint="请加一列“单位”（如 吨、万立方米、万千瓦时），或把单位写在数量列表头的括号里，如“数量（吨）”。",
        code="missing_column",
    )


def _skip_total_rows(table: InputTable) -> None:
    """CSV: rows whose entity cell is 合计/总计/小计 are totals, not data (as for workbooks)."""
    import polars as pl

    if "entity" not in table.frame.columns or table.frame.height == 0:
        return
    names = table.frame.get_column("entity").unique().drop_nulls()
    words = [v for v in names.to_list() if "".join(v.split()) in TOTAL_WORDS]
    if not words:
        return
    is_total = pl.col("entity").is_in(words).fill_null(False)
    for row, value in table.frame.filter(is_total).select("row", "entity").iter_rows():
        table.issues.warning(
            sheet=table.sheet,
            row=row,
            column=table.letters.get("entity"),
            field=LABELS["entity"],
            value=value,
            message="这是合计行，未作为数据计算。",
            hint="合计由系统计算；如这不是合计行，请修改该单元格内容。",
            code="total_row_skipped",
        )
    table.frame = table.frame.filter(~is_total)


# --- checking and converting -----------------------------------------------------------------


def _mark_bad_cells(table: InputTable) -> None:
    """Cells the reader already refused (Excel errors, formulas without value, merges)."""
    keys = {label: key for key, label in LABELS.items()}
    for issue in table.issues.errors:
        if issue.row is not None and issue.field in keys:
            table.bad_cells.add((issue.row, keys[issue.field]))


def _normalise(table: InputTable) -> pl.DataFrame:
    """Clean and check the cells; returns the frame for :func:`convert` (bad cells null)."""
    import polars as pl

    from ecplan.tabular import ColumnRule, normalise_frame

    rules = {
        "entity": ColumnRule("text", required=True),
        "period": ColumnRule("period", required=True),
        "carrier": ColumnRule("text", required=True),
        "quantity": ColumnRule("number", required=True, allow_negative=False),
    }
    for optional in ("area", "unit", "use", "separately_listed"):
        if optional in table.frame.columns:
            rules[optional] = ColumnRule("text", required=optional == "unit")
    rules = {k: v for k, v in rules.items() if k in table.frame.columns}
    result = normalise_frame(table.frame, rules)
    for issue in result.issues(sheet=table.sheet, labels=LABELS, letters=table.letters):
        if issue.row is not None and issue.field is not None:
            key = next((k for k, v in LABELS.items() if v == issue.field), "")
            if (issue.row, key) in table.bad_cells:
                continue
            table.bad_cells.add((issue.row, key))
        table.issues.add(issue)
    frame = result.clean
    if "unit" not in frame.columns:
        frame = frame.with_columns(pl.lit(table.header_unit, dtype=pl.String).alias("unit"))
    # Long tables repeat few distinct texts (enterprises, months, carriers): as categoricals
    # they take a small integer per row instead of a string, and group faster.
    text = [c for c in ("entity", "area", "period", "carrier", "unit", "use") if c in frame.columns]
    return frame.with_columns(pl.col(text).cast(pl.Categorical))


def _convert(frame: pl.DataFrame, options: Options, bad_rows: Sequence[int]) -> BatchResult:
    import polars as pl

    from ecplan.core.batch import convert
    from ecplan.core.errors import AccountingError

    if bad_rows:
        frame = frame.with_columns((~pl.col("row").is_in(list(bad_rows))).alias("__valid"))
    try:
        return convert(
            frame,
            valid_column="__valid" if bad_rows else None,
            basis=options.basis,
            year=options.year,
            region=options.region,
            factor_set=options.library,
            generation_coal_rate=options.generation_coal_rate,
            heat_supply_coal_rate=options.heat_supply_coal_rate,
        )
    except AccountingError as exc:
        raise CommandError(exc.message) from None


def _add_batch_issues(table: InputTable, result: BatchResult) -> None:
    from ecplan.tabular import CellIssue

    for row, column, value, reason, message in result.errors.iter_rows():
        if (row, column) in table.bad_cells:
            continue  # the cell's own problem (not a number, not a month …) is listed already
        table.bad_cells.add((row, column))
        table.issues.add(
            CellIssue(
                table.sheet,
                row,
                table.letters.get(column),
                LABELS.get(column, column),
                value or None,
                message,
                "",
                "error",
                reason,
            )
        )
    if result.warnings.height:
        grouped = (
            result.warnings.group_by("message", maintain_order=True)
            .agg(_first_rows(), _count())
            .iter_rows()
        )
        for message, rows, count in grouped:
            shown = "、".join(str(r) for r in rows) + ("…" if count > len(rows) else "")
            table.issues.add(
                CellIssue(
                    table.sheet,
                    None,
                    table.letters.get("carrier"),
                    LABELS["carrier"],
                    None,
                    f"共 {count} 行（第 {shown} 行）未计算二氧化碳：{message}",
                    "这些行的折标准煤照常计算；合计中的“未计算排放的行数”注明了缺少的行数。",
                    "warning",
                    "co2_not_computed",
                )
            )


def _first_rows() -> Any:
    import polars as pl

    return pl.col("row").head(8).alias("rows")


def _count() -> Any:
    import polars as pl

    return pl.len().alias("count")


# --- output frames ---------------------------------------------------------------------------


def _row_table(result: BatchResult, rows: pl.DataFrame, *, fmt: str) -> pl.DataFrame:
    """Per-row output: input columns, results and provenance references; codes (JSON) or
    short Chinese labels (CSV, Excel) for use, series and CO2 method.

    The per-combination columns are made categorical before they are spread to the rows, so
    millions of rows cost one small integer per cell, not a string."""
    import polars as pl

    from ecplan.core.batch import USE_LABELS

    human = fmt != "json"

    def label(column: str, mapping: dict[str, str]) -> pl.Expr:
        text = pl.col(column).cast(pl.String)
        return text.replace_strict(mapping, default=None) if human else text

    def flag(column: str) -> pl.Expr:
        return pl.col(column).replace_strict({True: "是", False: "否"}, return_dtype=pl.String)

    combos = result.combos.select(
        pl.col("carrier_name"),
        label("use_code", USE_LABELS).alias("use"),
        pl.col("canonical_unit"),
        pl.col("tce_per_unit"),
        pl.col("ef_tco2_per_unit"),
        label("series", SHORT_SERIES),
        label("co2_method", SHORT_METHODS),
        *([pl.col("tce_source"), pl.col("co2_source")] if fmt == "xlsx" else []),
        flag("uncertain") if human else pl.col("uncertain"),
        flag("fallback") if human else pl.col("fallback"),
        pl.col("co2_note"),
    )
    combos = combos.with_columns(
        pl.col(c).cast(pl.Enum(sorted(set(combos.get_column(c).drop_nulls().to_list()))))
        for c, dtype in combos.schema.items()
        if dtype == pl.String
    )
    idx = rows.get_column("combo")
    detail = {c: combos.get_column(c).gather(idx) for c in combos.columns}
    out = rows.select(
        "row",
        "entity",
        *(["area"] if "area" in rows.columns else []),
        "period",
        "carrier",
        "quantity",
        "unit",
        "canonical_quantity",
        "energy_tce",
        "co2_t",
        "tce_ref",
        "co2_ref",
    ).with_columns(series.alias(name) for name, series in detail.items())
    return out.select(k for k, _, _ in ROW_COLUMNS if k in out.columns)


def _totals(result: BatchResult, skip: bool) -> tuple[dict[str, pl.DataFrame], dict[str, Any]]:
    """The totals of every grouping the file allows, and the grand total (one pass)."""
    import polars as pl

    names = (
        result.combos.select("carrier_code", "carrier_name")
        .unique()
        .drop_nulls()
        .with_columns(pl.col("carrier_code").cast(pl.String))
    )
    groupings = [
        (key, by) for key, by, _, _ in GROUPINGS if all(c in result.rows.columns for c in by)
    ]
    frames = result.totals(*(by for _, by in groupings), (), skip_invalid=skip)
    out: dict[str, pl.DataFrame] = {}
    for (key, by), totals in zip(groupings, frames, strict=False):
        totals = totals.with_columns(pl.col(c).cast(pl.String) for c in by)
        if by == ("carrier_code",):
            totals = totals.join(names, on="carrier_code", how="left", maintain_order="left")
            totals = totals.select("carrier_code", "carrier_name", *totals.columns[1:-1])
        out[key] = totals
    return out, frames[-1].row(0, named=True)


# --- writing ---------------------------------------------------------------------------------


def _text_for_humans(frame: pl.DataFrame) -> pl.DataFrame:
    """Booleans as 是/否 and lists as text, for CSV and Excel."""
    import polars as pl

    exprs = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Boolean:
            exprs.append(
                pl.when(pl.col(name)).then(pl.lit("是")).when(~pl.col(name)).then(pl.lit("否"))
                .alias(name)
            )  # fmt: skip
        elif isinstance(dtype, pl.List):
            exprs.append(pl.col(name).cast(pl.List(pl.String)).list.join("、").alias(name))
    return frame.with_columns(exprs) if exprs else frame


def _headers(frame: pl.DataFrame, spec: dict[str, tuple[str, str | None]]) -> list[str]:
    return [
        f"{spec[c][0]}（{spec[c][1]}）" if c in spec and spec[c][1] else spec.get(c, (c, None))[0]
        for c in frame.columns
    ]


ROW_HEADERS = {k: (h, u) for k, h, u in ROW_COLUMNS}


class Writer:
    """Writes every output to a temporary name and renames them all at the end, so a failure
    leaves no half-written result."""

    def __init__(self) -> None:
        self.pending: list[tuple[Path, Path]] = []

    def target(self, final: Path) -> Path:
        tmp = final.with_name(f".{final.name}.{os.getpid()}.part")
        self.pending.append((tmp, final))
        return tmp

    def commit(self) -> list[Path]:
        for tmp, final in self.pending:
            os.replace(tmp, final)
        return [final for _, final in self.pending]

    def abort(self) -> None:
        for tmp, _ in self.pending:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


def _write_csv(frame: pl.DataFrame, spec: dict[str, tuple[str, str | None]], path: Path) -> None:
    out = _text_for_humans(frame)
    out.rename(dict(zip(out.columns, _headers(out, spec), strict=True))).write_csv(
        path, include_bom=True
    )


def _csv_paths(output: Path) -> dict[str, Path]:
    stem = output.name[: -len(output.suffix)] if output.suffix else output.name
    paths = {"rows": output}
    for key, _, suffix, _ in GROUPINGS:
        paths[key] = output.with_name(f"{stem}.{suffix}.csv")
    paths["provenance"] = output.with_name(f"{stem}.provenance.csv")
    paths["errors"] = output.with_name(f"{stem}.errors.csv")
    return paths


def _issue_frame(issues: Sequence[CellIssue]) -> pl.DataFrame:
    import polars as pl

    schema = {
        "severity": pl.String,
        "sheet": pl.String,
        "row": pl.Int64,
        "column": pl.String,
        "field": pl.String,
        "value": pl.String,
        "message": pl.String,
        "hint": pl.String,
        "code": pl.String,
    }
    data = [
        {
            "severity": "错误" if i.severity == "error" else "提醒",
            "sheet": i.sheet,
            "row": i.row,
            "column": i.column,
            "field": i.field,
            "value": i.value,
            "message": i.message,
            "hint": i.hint,
            "code": i.code,
        }
        for i in issues
    ]
    return pl.DataFrame(data, schema=schema)


def _write_issue_file(issues: IssueList, path: Path, writer: Writer) -> None:
    suffix = path.suffix.lower()
    target = writer.target(path)
    if suffix == ".xlsx":
        target.write_bytes(issues.to_xlsx(title="问题清单"))
    elif suffix == ".json":
        target.write_text(issues.to_json(indent=1), encoding="utf-8")
    elif suffix == ".csv":
        _write_csv(_issue_frame(list(issues)), ERROR_HEADERS, target)
    else:
        writer.pending.pop()
        raise CommandError(f"问题清单文件“{path.name}”的扩展名应为 .xlsx、.csv 或 .json。")


def _summary(
    result: BatchResult, options: Options, table: InputTable, rows: int, total: dict[str, Any]
) -> dict[str, Any]:
    from ecplan.core.batch import TOTAL_COLUMNS

    return {
        "file": table.name,
        "sheet": table.sheet,
        "basis": result.basis,
        "basis_label": result.basis_label,
        "year": options.year,
        "year_rule": (
            f"统一采用 {options.year} 年的因子"
            if options.year
            else "各行采用期间所在年份的因子；尚未发布的年份采用最近年份（见因子来源中的替代说明）"
        ),
        "region": result.region,
        "factor_sets": [f"{fs.id} v{fs.version}" for fs in result.factor_sets],
        "rows_read": table.rows_read,
        "rows_converted": rows,
        "rows_skipped": table.rows_read - rows,
        "total": {k: total.get(k) for k in TOTAL_COLUMNS} if rows else None,
    }


def _json_default(value: object) -> object:
    return str(value)


def _json_array(stream: TextIO, frame: pl.DataFrame, chunk: int = 100_000) -> None:
    """Write a frame as a JSON array of row objects, a slice at a time (bounded memory)."""
    if frame.height == 0:
        stream.write("[]")
        return
    stream.write("[")
    for start in range(0, frame.height, chunk):
        text = frame.slice(start, chunk).write_json()
        if start:
            stream.write(",")
        stream.write(text[1:-1])
    stream.write("]")


def _write_json(
    target: TextIO | Path,
    summary: dict[str, Any],
    rows: pl.DataFrame,
    totals: dict[str, pl.DataFrame],
    provenance: pl.DataFrame,
    issues: IssueList,
) -> None:
    """One JSON object; the big arrays are written by polars without Python per row."""
    head = {"schema": "ecplan.calc-energy/1", **summary}
    errors = [i.to_dict() for i in issues if i.severity == "error"]
    warnings = [i.to_dict() for i in issues if i.severity == "warning"]

    def emit(stream: TextIO) -> None:
        stream.write(json.dumps(head, ensure_ascii=False, default=_json_default)[:-1])
        stream.write(', "rows": ')
        _json_array(stream, rows)
        stream.write(', "totals": {')
        for i, (name, frame) in enumerate(totals.items()):
            stream.write(f'{", " if i else ""}"{name}": ')
            _json_array(stream, frame)
        stream.write('}, "provenance": ')
        _json_array(stream, provenance)
        stream.write(', "errors": ' + json.dumps(errors, ensure_ascii=False))
        stream.write(', "warnings": ' + json.dumps(warnings, ensure_ascii=False) + "}\n")

    if isinstance(target, Path):
        with open(target, "w", encoding="utf-8") as fh:
            emit(fh)
    else:
        emit(target)


def _write_xlsx(
    path: Path,
    summary: dict[str, Any],
    rows: pl.DataFrame,
    totals: dict[str, pl.DataFrame],
    provenance: pl.DataFrame,
    issues: IssueList,
) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False, "nan_inf_to_errors": True}
    )
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    bold = wb.add_format({"bold": True})
    ws = wb.add_worksheet("说明")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 90)
    lines: list[tuple[str, object]] = [
        ("能源消费折标准煤和二氧化碳计算结果", ""),
        ("源文件", summary["file"]),
        ("工作表", summary["sheet"]),
        ("折标口径", f"{summary['basis_label']}（{summary['basis']}）"),
        ("年份", summary["year_rule"]),
        ("地区（电网因子、煤耗率）", summary["region"]),
        ("所用因子集及版本", "、".join(summary["factor_sets"])),
        ("读取行数", summary["rows_read"]),
        ("计算行数", summary["rows_converted"]),
        ("跳过的行数（有错误）", summary["rows_skipped"]),
    ]
    total = summary.get("total") or {}
    for key in (
        "energy_tce",
        "new_basis_tce",
        "feedstock_tce",
        "non_fossil_tce",
        "separately_listed_tce",
        "co2_t",
        "co2_missing_rows",
        "uncertain_coefficients",
    ):
        if key in total:
            name, unit = TOTAL_HEADERS[key]
            lines.append((f"合计：{name}" + (f"（{unit}）" if unit else ""), total[key]))
    lines.append(
        ("说明", "数值为全精度；“因子来源”工作表列出每个系数的因子集、版本、出处和可信度。")
    )
    for r, (label, value) in enumerate(lines):
        ws.write_string(r, 0, label, bold)
        ws.write(r, 1, value if value is not None else "")

    def sheet(name: str, frame: pl.DataFrame, spec: dict[str, tuple[str, str | None]]) -> None:
        out = _text_for_humans(frame)
        headers = _headers(out, spec)
        chunks = max(1, -(-out.height // XLSX_MAX_ROWS))
        for part in range(chunks):
            title = name if part == 0 else f"{name}({part + 1})"
            w = wb.add_worksheet(title[:31])
            for c, text in enumerate(headers):
                w.write_string(0, c, text, head)
                w.set_column(c, c, max(10.0, min(36.0, 1.6 * len(text) + 2)))
            w.freeze_panes(1, 0)
            piece = out.slice(part * XLSX_MAX_ROWS, XLSX_MAX_ROWS)
            for r, values in enumerate(piece.iter_rows(), start=1):
                w.write_row(r, 0, values)

    sheet("明细", rows, ROW_HEADERS)
    for key, _, _, title in GROUPINGS:
        if key in totals:
            sheet(title, totals[key], TOTAL_HEADERS)
    sheet("因子来源", provenance, PROVENANCE_HEADERS)
    if len(issues):
        sheet("问题清单", _issue_frame(list(issues)), ERROR_HEADERS)
    wb.close()


# --- the command -----------------------------------------------------------------------------


def run_energy(
    args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    stdout = out or sys.stdout
    stderr = err or sys.stderr
    options = _options(args)
    table = _read(args)
    _skip_total_rows(table)
    structural = {"header_not_found", "missing_column", "duplicate_column"}
    if any(i.code in structural for i in table.issues.errors):
        _report_refusal(table.issues, args, stderr)
        return 1
    _mark_bad_cells(table)
    frame = _normalise(table)
    table.rows_read = table.frame.height
    table.frame = table.frame.clear()  # the raw text is not needed any more
    result = _convert(frame, options, sorted({r for r, _ in table.bad_cells}))
    del frame
    _add_batch_issues(table, result)
    issues = table.issues.sorted()
    if issues.has_errors and not args.skip_invalid:
        _report_refusal(issues, args, stderr)
        return 1
    valid = result.valid_rows()
    writer = Writer()
    human = stderr if options.output is None else stdout
    try:
        totals, grand_total = _totals(result, skip=args.skip_invalid)
        summary = _summary(result, options, table, valid.height, grand_total)
        rows = _row_table(result, valid, fmt=options.fmt)
        provenance = result.provenance
        written_errors: Path | None = None
        if args.errors is not None and len(issues):
            _write_issue_file(issues, args.errors, writer)
            written_errors = args.errors
        if options.fmt == "json":
            if options.output is None:
                _write_json(stdout, summary, rows, totals, provenance, issues)
            else:
                _write_json(
                    writer.target(options.output), summary, rows, totals, provenance, issues
                )
        elif options.fmt == "csv":
            assert options.output is not None
            paths = _csv_paths(options.output)
            _write_csv(rows, ROW_HEADERS, writer.target(paths["rows"]))
            for key, frame_ in totals.items():
                _write_csv(frame_, TOTAL_HEADERS, writer.target(paths[key]))
            _write_csv(provenance, PROVENANCE_HEADERS, writer.target(paths["provenance"]))
            if issues.has_errors and written_errors is None:
                _write_csv(
                    _issue_frame(list(issues)), ERROR_HEADERS, writer.target(paths["errors"])
                )
        else:
            assert options.output is not None
            _write_xlsx(writer.target(options.output), summary, rows, totals, provenance, issues)
        written = writer.commit()
    except BaseException:
        writer.abort()
        raise
    for line in _summary_lines(summary, issues, written):
        print(line, file=human)
    for line in issues.to_lines(with_severity=True):
        print(line, file=stderr)
    return 0


def _report_refusal(issues: IssueList, args: argparse.Namespace, stderr: TextIO) -> None:
    issues = issues.sorted()
    for line in issues.to_lines(with_severity=True):
        print(line, file=stderr)
    rows = {i.row for i in issues.errors if i.row is not None}
    print(
        f"文件“{args.file.name}”有错误，整份文件未处理，没有写入任何结果文件。"
        f"{issues.summary()}涉及 {len(rows)} 行。请改正后重新运行，"
        "或加 --skip-invalid 只处理无错误的行。",
        file=stderr,
    )
    if args.errors is not None:
        writer = Writer()
        try:
            _write_issue_file(issues, args.errors, writer)
            writer.commit()
        except BaseException:
            writer.abort()
            raise
        print(f"问题清单已写入 {args.errors}。", file=stderr)


def _summary_lines(
    summary: dict[str, Any], issues: IssueList, written: list[Path]
) -> Iterator[str]:
    from ecplan.core.provenance import format_number

    yield (
        f"已计算 {summary['rows_converted']} 行（读取 {summary['rows_read']} 行"
        + (f"，跳过有错误的 {summary['rows_skipped']} 行" if summary["rows_skipped"] else "")
        + f"），折标口径：{summary['basis_label']}。"
    )
    total = summary.get("total")
    if total:
        yield (
            f"综合能耗 {format_number(total['energy_tce'])} tce，新口径 "
            f"{format_number(total['new_basis_tce'])} tce；二氧化碳 "
            f"{format_number(total['co2_t'])} tCO2"
            + ("" if total["co2_complete"] else f"（{total['co2_missing_rows']} 行未计算）")
            + "。"
        )
        if total["uncertain"]:
            yield f"注意：用到了未确认的系数：{total['uncertain_coefficients']}。"
    yield "所用因子集：" + ("、".join(summary["factor_sets"]) or "无") + "。"
    for path in written:
        yield f"已写入 {path}"
    if issues:
        yield issues.summary()

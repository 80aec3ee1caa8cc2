"""CSV and XLSX export of audit events (Chinese headers; cells never become formulas)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

import xlsxwriter

from ecplan.audit.models import AuditEvent
from ecplan.audit.presenters import EXPORT_HEADERS, export_row

XLSX_MAX_ROWS = 1_048_575  # one row is the header
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Prefix text a spreadsheet would read as a formula (CSV injection) with an apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_chunks(events: Iterable[AuditEvent]) -> Iterator[str]:
    """UTF-8 CSV with a byte-order mark, so Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(EXPORT_HEADERS)
    for i, event in enumerate(events, 1):
        writer.writerow([safe_cell(c) for c in export_row(event)])
        if i % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(events: Iterable[AuditEvent], about: list[tuple[str, str]]) -> IO[bytes]:
    """The events as an .xlsx in a temporary file (rewound); ``about`` fills a 说明 sheet."""
    target: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - returned to the caller, who closes it
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False})
    head = book.add_format({"bold": True, "bg_color": "#EEF2F6", "border": 1})
    sheet = book.add_worksheet("审计日志")
    widths = [8, 20, 16, 12, 30, 12, 14, 10, 30, 60, 40, 16, 30, 8, 30]
    for col, (title, width) in enumerate(zip(EXPORT_HEADERS, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, head)
    sheet.freeze_panes(1, 0)
    rows = 0
    for rows, event in enumerate(events, 1):
        for col, cell in enumerate(export_row(event)):
            sheet.write_string(rows, col, cell)
    sheet.autofilter(0, 0, max(rows, 1), len(EXPORT_HEADERS) - 1)
    info = book.add_worksheet("说明")
    info.set_column(0, 0, 16)
    info.set_column(1, 1, 80)
    for r, (key, value) in enumerate(about):
        info.write_string(r, 0, key, head)
        info.write_string(r, 1, value)
    book.close()
    target.seek(0)
    return target


def chunked(qs: Any, size: int = 2000) -> Iterator[AuditEvent]:
    """Iterate a large queryset without loading it at once."""
    yield from qs.iterator(chunk_size=size)

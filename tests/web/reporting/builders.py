"""Builders of report files for the data-collection tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from ecplan.reporting.formats import ENERGY_SHEET, INSTALLATION_SHEET

ENERGY_HEADER = [c.label + (f"（{c.unit}）" if c.unit else "") for c in ENERGY_SHEET.columns]
INSTALLATION_HEADER = [
    c.label + (f"（{c.unit}）" if c.unit else "") for c in INSTALLATION_SHEET.columns
]


class Formula(str):
    """A cell written as a formula (with no cached value)."""


def xlsx(sheets: dict[str, Sequence[Sequence[Any]]], *, merge: str | None = None) -> bytes:
    """A real .xlsx; strings are written as text (never as formulas) unless ``Formula``."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, Formula):
                    ws.write_formula(r, c, value)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write(r, c, value)
        if merge:
            ws.merge_range(merge, rows[1][0] if len(rows) > 1 else "")
    wb.close()
    return buf.getvalue()


def energy_row(code: str, period: str, carrier: str, unit: str, **values: Any) -> list[Any]:
    """A row of the 能源消费 sheet in column order."""
    keys = [c.key for c in ENERGY_SHEET.columns]
    row: dict[str, Any] = {
        "credit_code": code,
        "period": period,
        "carrier": carrier,
        "unit": unit,
        **values,
    }
    return [row.get(k) for k in keys]


def energy_file(rows: Sequence[Sequence[Any]]) -> bytes:
    return xlsx({"能源消费": [ENERGY_HEADER, *rows]})


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig") -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)

"""Builders of real files for the tabular tests (imported as a plain module)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

import xlsxwriter

from ecplan.tabular import IntakeLimits

LIMITS = IntakeLimits(max_bytes=20 * 1024 * 1024)

MiB = 1024 * 1024


def xlsx_bytes(sheets: dict[str, Sequence[Sequence[Any]]], **options: Any) -> bytes:
    """A real .xlsx written by XlsxWriter; rows start at A1."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, **options})
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    wb.close()
    return buf.getvalue()


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> bytes:  # fmt: skip
    """Copy a zip, changing (or dropping, when ``change`` returns None) entries, adding others."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:  # fmt: skip
        for info in src.infolist():
            content = change(info.filename, src.read(info))
            if content is not None:
                dst.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            dst.writestr(name, content)
    return out.getvalue()

"""Hostile inputs: always a clean Chinese refusal or clean issues, never an unhandled
exception."""

from __future__ import annotations

import contextlib
import io
import random
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tabular_builders import LIMITS, xlsx_bytes

from ecplan.tabular import Field, TabularFileError, open_workbook, read_table

FIELDS = [Field("entity", "主体"), Field("period", "期间"), Field("quantity", "数量")]
BASE = xlsx_bytes({"S": [["主体", "期间", "数量"], ["A", "2025-03", 1], ["B", "2025-04", "x"]]})


def read_everything(data: bytes, name: str = "x.xlsx") -> None:
    """Open and read every sheet as an import would; only clean outcomes are allowed."""
    try:
        with open_workbook(data, limits=LIMITS, filename=name) as wb:
            for sheet in wb.sheets:
                table = read_table(sheet, FIELDS)
                for record in table.records:
                    record.code("entity")
                    record.period("period")
                    record.number("quantity")
                for line in table.issues.to_lines():
                    assert line
    except TabularFileError as exc:
        assert exc.message  # noqa: PT017  # the refusal itself is what is checked
        assert exc.code  # noqa: PT017  # the refusal itself is what is checked


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes(data):
    read_everything(data)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(BASE)))
def test_truncated_xlsx(cut):
    read_everything(BASE[:cut])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(0, 255)), min_size=1, max_size=20))  # fmt: skip
def test_corrupted_bytes_in_xlsx(changes):
    data = bytearray(BASE)
    for pos, value in changes:
        data[pos] = value
    read_everything(bytes(data))


def _mutate_entries(seed: int) -> bytes:
    rng = random.Random(seed)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(BASE)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            if rng.random() < 0.5 and content:
                cut = rng.randrange(len(content))
                content = content[:cut] + bytes(rng.randrange(256) for _ in range(rng.randrange(8))) + content[cut + 1 :]  # fmt: skip
            dst.writestr(info.filename, content)
    return out.getvalue()


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10**9))
def test_valid_zip_with_broken_xml(seed):
    read_everything(_mutate_entries(seed))


cells = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=10),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.sampled_from(["=1/0", "=A1+", "=SUM(C:C)", "#REF!", "约100", "2025年3月", "合计"]),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(cells, max_size=6), max_size=12),
    st.lists(
        st.tuples(st.integers(1, 12), st.integers(1, 6), st.integers(0, 3), st.integers(0, 2)),
        max_size=3,
    ),
    st.integers(1, 4),
)
def test_generated_workbooks_with_formulas_and_merged_cells(rows, merges, sheets):
    wb = openpyxl.Workbook()
    for s in range(sheets):
        ws = wb.active if s == 0 else wb.create_sheet()
        ws.title = f"表{s}"
        ws.append(["主体", "期间", "数量"])
        for row in rows:
            ws.append(row)
        for r, c, dr, dc in merges:
            with contextlib.suppress(ValueError):  # overlapping ranges are refused by openpyxl
                ws.merge_cells(start_row=r, start_column=c, end_row=r + dr, end_column=c + dc)
    buf = io.BytesIO()
    wb.save(buf)
    read_everything(buf.getvalue())


def test_many_sheets_and_an_empty_workbook():
    read_everything(xlsx_bytes({f"S{i}": [["主体", "期间", "数量"], ["A", "2025-03", i]] for i in range(60)}))  # fmt: skip
    read_everything(xlsx_bytes({}))


def test_sheet_declaring_a_million_rows_reads_without_exhausting_memory():
    buf = io.BytesIO()
    import xlsxwriter

    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("S")
    ws.write_row(0, 0, ["主体", "期间", "数量"])
    ws.write_row(1, 0, ["A", "2025-03", 1])
    ws.write(1_048_575, 0, "B")
    wb.close()
    with open_workbook(buf.getvalue(), limits=LIMITS) as book:
        table = read_table(book.sheets[0], FIELDS)
    assert [r.row for r in table.records] == [2, 1_048_576]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_random_text_files(text, encoding):
    read_everything(text.encode(encoding), "x.csv")


def test_bogus_xml_encoding_declaration_is_a_clean_refusal():
    """Regression: a mangled ``encoding="TF-8"`` made ElementTree raise LookupError."""
    src = zipfile.ZipFile(io.BytesIO(BASE))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b'encoding="UTF-8"', b'encoding="TF-8"', 1)
                assert b"TF-8" in data
            dst.writestr(item, data)
    with pytest.raises(TabularFileError) as err:
        open_workbook(out.getvalue(), limits=LIMITS, filename="x.xlsx").close()
    assert err.value.code == "corrupt"

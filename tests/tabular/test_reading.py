"""Reading: positions, header detection, merged cells, Excel errors, formulas, dates, CSV."""

from __future__ import annotations

import codecs
import datetime as dt
import io

import openpyxl
import pytest
from tabular_builders import LIMITS, xlsx_bytes

from ecplan.tabular import Field, open_workbook, read_frame, read_table

FIELDS = [
    Field("entity", "主体", ("统一社会信用代码", "entity")),
    Field("period", "期间", ("period", "月份")),
    Field("quantity", "数量", ("quantity",)),
    Field("note", "备注", required=False),
]


def table_of(data: bytes, *, name: str = "报表.xlsx", sheet: int = 0, **kwargs):
    wb = open_workbook(data, limits=LIMITS, filename=name)
    return read_table(wb.sheets[sheet], FIELDS, **kwargs)


def test_positions_are_excel_rows_and_letters():
    data = xlsx_bytes({"能源消费": [["主体", "期间", "数量"], ["A", "2025-03", 5]]})
    wb = open_workbook(data, limits=LIMITS)
    rows = list(wb.sheet("能源消费").rows())
    cell = rows[1].cells[2]
    assert (cell.sheet, cell.row, cell.column, cell.ref, cell.value) == (
        "能源消费",
        2,
        "C",
        "C2",
        5.0,
    )


def test_header_below_title_and_blank_rows_with_units_and_trailing_columns():
    openpyxl_wb = openpyxl.Workbook()
    ws = openpyxl_wb.active
    ws.title = "能源消费"
    ws["B2"] = "2025年3月能源消费报表"
    ws["B4"] = "统一社会信用代码"
    ws["C4"] = "期间"
    ws["D4"] = "数量（吨）"
    ws["E4"] = "*备注"
    ws["B5"] = "91320000MA1XXXXX0X"
    ws["C5"] = "2025-03"
    ws["D5"] = "1,234.5"
    ws["B7"] = "91320000MA1YYYYY0Y"
    ws["C7"] = dt.datetime(2025, 3, 1)
    ws["D7"] = 12
    ws["H1"] = None  # trailing empty column
    buf = io.BytesIO()
    openpyxl_wb.save(buf)
    table = table_of(buf.getvalue())
    assert table.header_row == 4
    assert table.columns["quantity"].column == "D"
    assert table.columns["quantity"].unit == "吨"
    assert [r.row for r in table.records] == [5, 7]
    values = [(r.code("entity"), r.period("period"), r.number("quantity")) for r in table.records]
    assert values == [
        ("91320000MA1XXXXX0X", "2025-03", 1234.5),
        ("91320000MA1YYYYY0Y", "2025-03", 12.0),
    ]
    assert not table.issues


def test_english_headers_are_accepted():
    data = xlsx_bytes({"S": [["Entity", "PERIOD", "Quantity"], ["A", "2025-03", 1]]})
    assert table_of(data).header_row == 1


def test_missing_and_duplicate_columns():
    table = table_of(xlsx_bytes({"S": [["主体", "数量"], ["A", 1]]}))
    assert [i.code for i in table.issues] == ["missing_column"]
    assert table.issues[0].text() == (
        "工作表“S”第 1 行（期间）：表头中缺少“期间”列。可接受的列名：期间、period、月份。"
    )
    table = table_of(xlsx_bytes({"S": [["主体", "期间", "数量", "数量"], ["A", "2025-03", 1, 2]]}))
    assert [i.code for i in table.issues] == ["duplicate_column"]
    assert "C 列和 D 列" in table.issues[0].message


def test_no_header_at_all():
    table = table_of(xlsx_bytes({"S": [["x", "y"], [1, 2]]}))
    assert table.header_row is None
    assert table.records == []
    assert table.issues[0].code == "header_not_found"
    assert "数量" in table.issues[0].hint


def test_cell_issue_text_matches_the_house_format():
    data = xlsx_bytes({"能源消费": [["主体", "期间", "数量"]] + [["A", "2025-03", 1]] * 10 + [["A", "2025-03", "约100"]]})  # fmt: skip
    table = table_of(data)
    for record in table.records:
        record.number("quantity")
    assert table.issues.to_lines() == [
        "工作表“能源消费”第 12 行 C 列（数量）：“约100”不是数字（估计值）。请只填写准确的数字，例如 100。"
    ]


def test_required_values_and_custom_issues():
    data = xlsx_bytes({"S": [["主体", "期间", "数量", "备注"], ["A", None, 3, None]]})
    table = table_of(data)
    record = table.records[0]
    assert record.period("period") is None
    assert record.text("note") is None
    record.issue("quantity", "原料用量大于消费量。", "请核对。", code="feedstock_gt_use")
    assert [i.code for i in table.issues] == ["missing", "feedstock_gt_use"]
    assert table.issues[1].value == "3"
    assert table.issues[1].column == "C"


def test_merged_cells_reported_or_filled():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "S"
    ws.append(["标题"])
    ws.merge_cells("A1:C1")  # merged title: fine
    ws.append(["主体", "期间", "数量"])
    ws.append(["A", "2025-01", 1])
    ws.append([None, "2025-02", 2])
    ws.append([None, "2025-03", 3])
    ws.merge_cells("A3:A5")
    buf = io.BytesIO()
    wb.save(buf)
    reported = table_of(buf.getvalue())
    assert [i.code for i in reported.issues] == ["merged_cells"]
    assert (
        reported.issues[0]
        .text()
        .startswith("工作表“S”第 3 行 A 列（主体）：第 3–5 行 A3:A5 是合并单元格")
    )
    filled = table_of(buf.getvalue(), merged="fill")
    assert [r.text("entity") for r in filled.records] == ["A", "A", "A"]
    assert not filled.issues


def test_excel_errors_and_formulas_without_cached_value_are_reported():
    wb = openpyxl.Workbook()  # openpyxl writes formulas without cached values
    ws = wb.active
    ws.title = "S"
    ws.append(["主体", "期间", "数量"])
    ws.append(["A", "2025-03", "=1+1"])
    ws.append(["B", "2025-03", "#DIV/0!"])
    buf = io.BytesIO()
    wb.save(buf)
    table = table_of(buf.getvalue())
    assert [(i.row, i.column, i.code) for i in table.issues] == [
        (2, "C", "formula_without_value"),
        (3, "C", "excel_error"),
    ]
    assert "#DIV/0!" in table.issues[1].message
    assert [r.number("quantity", required=False) for r in table.records] == [None, None]
    assert len(table.issues) == 2  # no second issue from the accessor


def test_formulas_with_cached_values_read_their_value():
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("S")
    ws.write_row(0, 0, ["主体", "期间", "数量"])
    ws.write_row(1, 0, ["A", "2025-03"])
    ws.write_formula(1, 2, "=2*21", None, 42)
    wb.close()
    table = table_of(buf.getvalue())
    assert table.records[0].number("quantity") == 42.0


def test_total_rows_are_skipped_with_a_warning():
    data = xlsx_bytes({"S": [["主体", "期间", "数量"], ["A", "2025-03", 1], ["合 计", None, 1]]})
    table = table_of(data)
    assert [r.row for r in table.records] == [2]
    assert table.skipped_total_rows == [3]
    assert table.issues.warnings[0].code == "total_row_skipped"
    assert not table.issues.has_errors


def test_content_under_no_header_is_not_silently_lost():
    data = xlsx_bytes({"S": [["主体", "期间", "数量"], ["A", "2025-03", 1, None, "多余"]]})
    table = table_of(data)
    assert [(i.column, i.code, i.severity) for i in table.issues] == [
        ("E", "unnamed_column", "warning")
    ]


def test_empty_workbook_and_empty_sheet():
    table = table_of(xlsx_bytes({"空": []}))
    assert table.issues[0].code == "header_not_found"


def test_csv_rows_blank_lines_and_bom():
    text = '说明：2025年报表\n\n主体,期间,数量\nA,2025-03," 1,234 "\n\nB,2025/4,２\n'
    wb = open_workbook(codecs.BOM_UTF8 + text.encode(), limits=LIMITS, filename="报表.csv")
    table = read_table(wb.sheets[0], FIELDS)
    assert table.header_row == 3
    assert [r.row for r in table.records] == [4, 6]
    assert [r.number("quantity") for r in table.records] == [1234.0, 2.0]
    assert table.records[1].period("period") == "2025-04"
    assert wb.sheets[0].name == "报表.csv"


def test_gbk_csv_reads_chinese():
    data = "主体,期间,数量\n示例钢铁有限公司,2025-03,5\n".encode("gbk")
    table = read_table(open_workbook(data, limits=LIMITS).sheets[0], FIELDS)
    assert table.records[0].text("entity") == "示例钢铁有限公司"


def test_ragged_csv_lines_keep_extra_fields():
    data = "主体,期间,数量\nA,2025-03,1,extra\nB,2025-03\n".encode()
    table = read_table(open_workbook(data, limits=LIMITS).sheets[0], FIELDS)
    assert [r.row for r in table.records] == [2, 3]
    assert [i.code for i in table.issues] == ["unnamed_column"]


def test_read_frame_from_csv_and_xlsx_agree():
    rows = [
        ["标题"],
        [],
        ["主体", "期间", "数量"],
        ["A", "2025-03", "1,234"],
        [],
        ["B", "2025-04", "5"],
    ]
    csv_text = "\n".join(",".join(f'"{v}"' for v in r) for r in rows) + "\n"
    from_csv = read_frame(open_workbook(csv_text.encode(), limits=LIMITS), FIELDS)
    from_xlsx = read_frame(open_workbook(xlsx_bytes({"S": rows}), limits=LIMITS), FIELDS)
    assert from_csv.header_row == from_xlsx.header_row == 3
    assert (
        from_csv.frame.to_dicts()
        == from_xlsx.frame.to_dicts()
        == [
            {"row": 4, "entity": "A", "period": "2025-03", "quantity": "1,234"},
            {"row": 6, "entity": "B", "period": "2025-04", "quantity": "5"},
        ]
    )
    assert from_csv.letters == {"entity": "A", "period": "B", "quantity": "C"}


def test_read_frame_header_problems_are_issues():
    result = read_frame(open_workbook(b"a,b\n1,2\n", limits=LIMITS), FIELDS)
    assert result.frame.height == 0
    assert result.issues[0].code == "header_not_found"


def test_missing_sheet_is_a_clear_refusal():
    from ecplan.tabular import TabularFileError

    wb = open_workbook(xlsx_bytes({"甲": [["a"]]}), limits=LIMITS)
    with pytest.raises(TabularFileError, match="找不到工作表“乙”"):
        wb.sheet("乙")

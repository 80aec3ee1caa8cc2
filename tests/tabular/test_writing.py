"""Templates and exports: written with XlsxWriter, read back through the same readers."""

from __future__ import annotations

import io
import json

import openpyxl
from tabular_builders import LIMITS

from ecplan.tabular import (
    CellIssue,
    ExportColumn,
    Field,
    IssueList,
    TemplateColumn,
    TemplateSheet,
    export_table,
    open_workbook,
    read_table,
    write_template,
)

CARRIERS = [f"能源品种{i:03d}" for i in range(120)]  # too long for an inline list
COLUMNS = [
    TemplateColumn("entity", "统一社会信用代码", kind="code", required=True),
    TemplateColumn("period", "期间", kind="period", required=True, help="写成 2025-03"),
    TemplateColumn("carrier", "能源品种", choices=CARRIERS, required=True),
    TemplateColumn("use", "用途", choices=["燃料", "原料"]),
    TemplateColumn("quantity", "数量", unit="吨", kind="number", min_value=0, required=True),
]
FIELDS = [
    Field("entity", "统一社会信用代码"),
    Field("period", "期间"),
    Field("carrier", "能源品种"),
    Field("use", "用途", required=False),
    Field("quantity", "数量"),
]


def make_template() -> bytes:
    buf = io.BytesIO()
    write_template(
        buf,
        [
            TemplateSheet(
                "能源消费",
                COLUMNS,
                rows=[
                    {"entity": "0913200000000000X1", "period": "2025-03", "carrier": "能源品种001"}
                ],
                locked_keys=["entity"],
                title="2025年3月能源消费月报（演示数据）",
            )
        ],
        instructions=["数量填写实物量。", "期间写成 2025-03。"],
    )
    return buf.getvalue()


def test_template_structure():
    wb = openpyxl.load_workbook(io.BytesIO(make_template()))
    assert wb.sheetnames == ["填表说明", "能源消费", "_lists"]
    assert wb["_lists"].sheet_state == "hidden"
    ws = wb["能源消费"]
    assert [c.value for c in ws[2]] == [
        "统一社会信用代码",
        "期间",
        "能源品种",
        "用途",
        "数量（吨）",
    ]
    assert ws.freeze_panes == "A3"
    assert ws.protection.sheet
    assert ws["A2"].protection.locked  # header
    assert ws["A3"].protection.locked  # pre-filled, locked column
    assert ws["A3"].number_format == "@"  # codes stay text
    validations = {str(v.sqref).split(":")[0]: v for v in ws.data_validations.dataValidation}
    assert validations["C3"].formula1.startswith("list_")  # long list via hidden sheet
    assert validations["D3"].formula1 == '"燃料,原料"'
    assert validations["E3"].type == "decimal"
    instructions = [c.value for row in wb["填表说明"].iter_rows() for c in row if c.value]
    assert "1. 数量填写实物量。" in instructions
    assert "数量" in instructions
    assert "吨" in instructions


def test_template_round_trip_fill_and_read_back():
    wb = openpyxl.load_workbook(io.BytesIO(make_template()))
    ws = wb["能源消费"]
    ws["E3"] = 1234.5
    ws["A4"] = "0913200000000000X2"
    ws["B4"] = "2025-03"
    ws["C4"] = "能源品种002"
    ws["E4"] = "约100"
    buf = io.BytesIO()
    wb.save(buf)
    book = open_workbook(buf.getvalue(), limits=LIMITS, filename="月报.xlsx")
    table = read_table(book.sheet("能源消费"), FIELDS)
    assert table.header_row == 2
    assert table.columns["quantity"].unit == "吨"
    got = [(r.code("entity"), r.period("period"), r.text("carrier"), r.number("quantity")) for r in table.records]  # fmt: skip
    assert got == [
        ("0913200000000000X1", "2025-03", "能源品种001", 1234.5),
        ("0913200000000000X2", "2025-03", "能源品种002", None),
    ]
    assert table.issues.to_lines() == [
        "工作表“能源消费”第 4 行 E 列（数量）：“约100”不是数字（估计值）。请只填写准确的数字，例如 100。"
    ]


def test_export_formats_round_trip():
    rows = [
        {"entity": "0012", "energy_tce": 1234.56789, "period": "2025-03"},
        {"entity": "0013", "energy_tce": None, "period": "2025-04"},
    ]
    columns = [
        ExportColumn("entity", "主体", kind="code"),
        ExportColumn("period", "期间", kind="period"),
        ExportColumn("energy_tce", "能耗", unit="吨标准煤", kind="number"),
    ]
    csv_buf = io.BytesIO()
    export_table(rows, columns, "csv", csv_buf)
    assert csv_buf.getvalue().startswith(b"\xef\xbb\xbf")
    assert csv_buf.getvalue().decode("utf-8-sig").splitlines() == [
        "主体,期间,能耗（吨标准煤）",
        "0012,2025-03,1234.56789",
        "0013,2025-04,",
    ]
    json_buf = io.BytesIO()
    export_table(rows, columns, "json", json_buf, title="演示数据")
    payload = json.loads(json_buf.getvalue())
    assert payload["rows"] == rows
    assert payload["columns"][2] == {"key": "energy_tce", "header": "能耗", "unit": "吨标准煤"}
    xlsx_buf = io.BytesIO()
    export_table(
        rows, columns, "xlsx", xlsx_buf, title="能耗（演示数据）", notes=["来源：演示数据"]
    )
    fields = [
        Field("entity", "主体"),
        Field("period", "期间"),
        Field("energy_tce", "能耗", required=False),
    ]
    for data in (xlsx_buf.getvalue(), csv_buf.getvalue()):
        table = read_table(
            open_workbook(data, limits=LIMITS).sheets[0], fields, skip_total_rows=False
        )
        values = [(r.code("entity"), r.number("energy_tce")) for r in table.records[:2]]
        assert values == [("0012", 1234.56789), ("0013", None)]  # full precision kept


def test_issue_list_renderings():
    issues = IssueList(max_issues=2)
    issues.error(sheet="能源消费", row=12, column="D", field="数量", value="约100",
                 message="“约100”不是数字。", hint="请只填写数字，例如 100。", code="not_number")  # fmt: skip
    issues.warning(sheet="能源消费", row=3, column="E", field="数量", value=5000.0,
                   message="环比增长 300%。", hint="请确认。", code="jump")  # fmt: skip
    issues.add(
        CellIssue("能源消费", 20, "D", "数量", "x", "“x”不是数字。", "", "error", "not_number")
    )
    assert issues.error_count == 2
    assert issues.warning_count == 1
    assert issues.to_lines() == [
        "工作表“能源消费”第 12 行 D 列（数量）：“约100”不是数字。请只填写数字，例如 100。",
        "工作表“能源消费”第 3 行 E 列（数量）：环比增长 300%。请确认。",
        "……另有 1 个问题未列出（共 2 个错误、1 个提醒。）",
    ]
    assert [i.row for i in issues.sorted(["能源消费"])] == [3, 12]
    payload = json.loads(issues.to_json())
    assert payload["error_count"] == 2
    assert payload["issues"][1]["value"] == "5000"
    report = openpyxl.load_workbook(io.BytesIO(issues.to_xlsx()))
    ws = report.active
    assert [c.value for c in ws[2]] == [
        "级别",
        "工作表",
        "行",
        "列",
        "字段",
        "填写内容",
        "问题",
        "修改建议",
    ]
    assert [c.value for c in ws[3]][:6] == ["错误", "能源消费", 12, "D", "数量", "约100"]


def test_file_level_issue_location():
    issue = CellIssue(None, None, None, None, None, "文件为空。")
    assert issue.text() == "文件为空。"
    assert CellIssue("S", None, "E", None, None, "m").text() == "工作表“S”E 列：m"

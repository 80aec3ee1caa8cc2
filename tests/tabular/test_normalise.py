"""Scalar cell parsers: what is accepted, what is refused, and the exact Chinese text."""

from __future__ import annotations

import datetime as dt

import pytest

from ecplan.tabular import (
    CellValueError,
    parse_bool,
    parse_code,
    parse_date,
    parse_number,
    parse_period,
    parse_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234.5", 1234.5),
        ("1,234.5", 1234.5),
        ("1，234", 1234.0),
        ("１２３４．５", 1234.5),
        ("１，２３４", 1234.0),
        (" 12 ", 12.0),
        ("\u00a012\u00a0", 12.0),
        ("\u300012", 12.0),
        ("-12", -12.0),
        ("－12", -12.0),
        ("−12", -12.0),
        ("+3", 3.0),
        ("1.5e3", 1500.0),
        ("1.5E-3", 0.0015),
        (".5", 0.5),
        ("0", 0.0),
        ("1,234,567.125", 1234567.125),
        (12, 12.0),
        (12.25, 12.25),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_numbers_accepted(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code", "text"),
    [
        ("约100", "approximate", "“约100”不是数字（估计值）。请只填写准确的数字，例如 100。"),
        ("100左右", "approximate", "“100左右”不是数字（估计值）。请只填写准确的数字，例如 100。"),
        ("12吨", "has_unit", "“12吨”不是数字（含有单位或文字）。请只填写数字，例如 12；单位以表头或单位列为准。"),
        ("1,234 kWh", "has_unit", "“1,234 kWh”不是数字（含有单位或文字）。请只填写数字，例如 1234；单位以表头或单位列为准。"),
        ("-", "placeholder", "“-”不是数字。没有数据请留空；数值为零请填写 0。"),
        ("/", "placeholder", "“/”不是数字。没有数据请留空；数值为零请填写 0。"),
        ("无", "placeholder", "“无”不是数字。没有数据请留空；数值为零请填写 0。"),
        ("N/A", "placeholder", "“N/A”不是数字。没有数据请留空；数值为零请填写 0。"),
        ("1,23", "bad_grouping", "“1,23”的千位分隔符位置不对。请写成 1,234.5 或不加分隔符写成 1234.5。"),
        ("12%", "percent_not_allowed", "“12%”是百分数，本列不接受百分号。请只填写数字，例如 12。"),
        ("abc", "not_number", "“abc”不是数字。请只填写数字，例如 100。"),
        ("1.2.3", "not_number", "“1.2.3”不是数字。请只填写数字，例如 1.2。"),
        ("1e999", "out_of_range", "“1e999”超出了可表示的数值范围。请检查数值是否多写了位数。"),
        (True, "bool_in_number", "“TRUE”是逻辑值，不是数字。请只填写数字，例如 100。"),
        (dt.date(2025, 3, 1), "date_in_number", "“2025-03-01”是日期，不是数字。请把该单元格格式改为“常规”或“数值”后填写数字。"),
    ],
)  # fmt: skip
def test_numbers_refused_with_precise_message(raw, code, text):
    with pytest.raises(CellValueError) as info:
        parse_number(raw)
    assert info.value.code == code
    assert info.value.message + info.value.hint == text


def test_percent_when_allowed():
    assert parse_number("12.5%", allow_percent=True) == pytest.approx(0.125)
    assert parse_number("１２．５％", allow_percent=True) == pytest.approx(0.125)


def test_negative_when_refused():
    with pytest.raises(CellValueError) as info:
        parse_number("－5", allow_negative=False)
    assert info.value.code == "negative"
    assert parse_number("0", allow_negative=False) == 0.0
    assert parse_number("-0", allow_negative=False) == 0.0


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03", "2025-03"),
        ("2025-3", "2025-03"),
        ("2025/3", "2025-03"),
        ("2025.03", "2025-03"),
        ("2025年3月", "2025-03"),
        ("2025 年 03 月份", "2025-03"),
        ("202503", "2025-03"),
        ("２０２５－０３", "2025-03"),
        ("2025-03-15", "2025-03"),
        ("2025/3/1 0:00", "2025-03"),
        ("2025年3月1日", "2025-03"),
        ("2025-03-01T08:30:00", "2025-03"),
        (dt.date(2025, 3, 9), "2025-03"),
        (dt.datetime(2025, 12, 31, 23, 0), "2025-12"),
        (45717.0, "2025-03"),  # Excel serial of 2025-03-01
        (45717.75, "2025-03"),
        ("45717", "2025-03"),
        (202503, "2025-03"),
        (202503.0, "2025-03"),
        (2025.03, "2025-03"),
        (2025.12, "2025-12"),
        ("", None),
        (None, None),
    ],
)
def test_periods_accepted(raw, expected):
    assert parse_period(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("2025", "year_only"),
        (2025, "year_only"),
        ("2025年", "year_only"),
        ("2025-13", "bad_month"),
        ("2025-00", "bad_month"),
        ("202513", "bad_month"),
        ("2025-02-30", "bad_date"),
        ("1850-03", "bad_year"),
        ("三月", "not_period"),
        ("25-03", "not_period"),
        (2025.1, "ambiguous_period"),
        (True, "bool_in_period"),
        (12.0, "not_period"),
    ],
)
def test_periods_refused(raw, code):
    with pytest.raises(CellValueError) as info:
        parse_period(raw)
    assert info.value.code == code
    assert "2025-03" in info.value.hint or "2025-01" in info.value.hint or "-03" in info.value.hint


def test_period_messages():
    with pytest.raises(CellValueError) as info:
        parse_period("2024")
    assert str(info.value) == "“2024”只有年份，缺少月份。请写成“年-月”，例如 2024-03。"
    with pytest.raises(CellValueError) as info:
        parse_period(2025.1)
    assert "无法判断是 1 月还是 10 月" in info.value.message


def test_text_period_with_one_decimal_is_read_as_typed():
    # as text, "2025.1" is what the clerk typed: January
    assert parse_period("2025.1") == "2025-01"
    assert parse_period("2025.10") == "2025-10"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91320000MA1XXXXX0X", "91320000MA1XXXXX0X"),
        (" 91320000ma1xxxxx0x ", "91320000MA1XXXXX0X"),
        ("９１３２００００ＭＡ１ＸＸＸＸＸ０Ｘ", "91320000MA1XXXXX0X"),
        ("0012", "0012"),
        ("'0012", "0012"),
        ("9132 0000 MA1X XXXX 0X", "91320000MA1XXXXX0X"),
        (321000, "321000"),
        (321000.0, "321000"),
        (None, None),
        ("", None),
    ],
)
def test_codes_kept_as_text(raw, expected):
    assert parse_code(raw) == expected


def test_code_from_number_cell_that_lost_digits_is_refused():
    with pytest.raises(CellValueError) as info:
        parse_code(9.13200001234568e17)
    assert info.value.code == "code_precision_lost"
    assert "文本" in info.value.hint
    with pytest.raises(CellValueError) as info:
        parse_code(12.0, expected_length=4)
    assert info.value.code == "code_leading_zeros_lost"
    with pytest.raises(CellValueError) as info:
        parse_code("123", expected_length=18)
    assert info.value.code == "code_length"
    with pytest.raises(CellValueError):
        parse_code(1.5)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("是", True), ("否", False), ("Y", True), ("no", False), (True, True), (0, False),
     ("√", True), ("×", False), (" 是 ", True), ("", None), (None, None)],
)  # fmt: skip
def test_booleans(raw, expected):
    assert parse_bool(raw) is expected


def test_boolean_refused():
    with pytest.raises(CellValueError, match="不是“是”或“否”"):
        parse_bool("也许")


def test_dates():
    assert parse_date(45717.0) == dt.date(2025, 3, 1)
    assert parse_date("2025年3月1日") == dt.date(2025, 3, 1)
    assert parse_date(dt.datetime(2025, 3, 1, 8)) == dt.date(2025, 3, 1)
    with pytest.raises(CellValueError):
        parse_date("2025-02-30")
    with pytest.raises(CellValueError):
        parse_date(12.0)


def test_text():
    assert parse_text("\u3000 示例 \u00a0") == "示例"
    assert parse_text(12.0) == "12"
    assert parse_text("  ") is None
    with pytest.raises(CellValueError, match="超过上限"):
        parse_text("一二三", max_length=2)

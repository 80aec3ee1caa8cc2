"""The vectorised normaliser agrees with the scalar parsers, value for value, reason for
reason, message for message."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecplan.tabular import CellValueError, ColumnRule, normalise_frame
from ecplan.tabular.normalise import parse_code, parse_number, parse_period

# texts people really type, plus arbitrary noise
_pieces = st.sampled_from(
    ["0", "1", "2", "9", "０", "５", "．", ".", ",", "，", "-", "－", "−", "+", "%", "％", "e",
     "E", " ", "\u00a0", "\u3000", "约", "吨", "年", "月", "/", "日", "份", ":", "T", "无",
     "N/A", "2025", "202503", "45717", "12", "13", "00", "1,234", "3", "左右"]
)  # fmt: skip
texts = st.one_of(
    st.lists(_pieces, max_size=8).map("".join),
    st.text(max_size=12),
    st.floats(allow_nan=False).map(repr),
    st.integers(-(10**20), 10**20).map(str),
)


def scalar(parser, value, **kwargs):
    try:
        return parser(value, **kwargs), None
    except CellValueError as exc:
        return None, exc.code


@settings(max_examples=400, deadline=None)
@given(st.lists(texts, min_size=1, max_size=30), st.booleans(), st.booleans())
def test_numbers_agree(values, allow_percent, allow_negative):
    rule = ColumnRule("number", allow_percent=allow_percent, allow_negative=allow_negative)
    frame = pl.DataFrame({"row": list(range(len(values))), "v": values})
    result = normalise_frame(frame, {"v": rule})
    reasons = dict(zip(result.invalid["row"].to_list(), result.invalid["reason"].to_list(), strict=True))  # fmt: skip
    for i, (value, got) in enumerate(zip(values, result.clean["v"].to_list(), strict=True)):
        expected, code = scalar(
            parse_number, value, allow_percent=allow_percent, allow_negative=allow_negative
        )
        assert got == expected, value
        assert reasons.get(i) == code, value


@settings(max_examples=400, deadline=None)
@given(st.lists(texts, min_size=1, max_size=30))
def test_periods_agree(values):
    frame = pl.DataFrame({"row": list(range(len(values))), "p": values})
    result = normalise_frame(frame, {"p": ColumnRule("period")})
    reasons = dict(zip(result.invalid["row"].to_list(), result.invalid["reason"].to_list(), strict=True))  # fmt: skip
    for i, (value, got) in enumerate(zip(values, result.clean["p"].to_list(), strict=True)):
        expected, code = scalar(parse_period, value)
        assert got == expected, value
        assert reasons.get(i) == code, value


_code_text = st.text(
    alphabet=st.sampled_from(list("0123456789ABCXabcx９１ＭＡ '\u3000\u00a0\t-")), max_size=20
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_code_text, min_size=1, max_size=20))
def test_codes_agree(values):
    frame = pl.DataFrame({"row": list(range(len(values))), "c": values})
    result = normalise_frame(frame, {"c": ColumnRule("code")})
    for value, got in zip(values, result.clean["c"].to_list(), strict=True):
        assert got == parse_code(value), value


def test_messages_are_those_of_the_scalar_path():
    frame = pl.DataFrame(
        {
            "row": [12, 13, 14, 15],
            "quantity": ["约100", "１，２３４．５", None, "12吨"],
            "period": ["2025年3月", "2025-13", "202503", "2025/4"],
        }
    )
    rules = {
        "quantity": ColumnRule("number", required=True),
        "period": ColumnRule("period", required=True),
    }
    result = normalise_frame(frame, rules)
    assert result.clean["quantity"].to_list() == [None, 1234.5, None, None]
    assert result.clean["period"].to_list() == ["2025-03", None, "2025-03", "2025-04"]
    issues = result.issues(
        sheet="能源消费", labels={"quantity": "数量", "period": "期间"},
        letters={"quantity": "D", "period": "B"},
    )  # fmt: skip
    assert issues.to_lines() == [
        "工作表“能源消费”第 12 行 D 列（数量）：“约100”不是数字（估计值）。请只填写准确的数字，例如 100。",
        "工作表“能源消费”第 13 行 B 列（期间）：“2025-13”中的月份不在 1–12 之间。请写成“年-月”，例如 2025-03。",
        "工作表“能源消费”第 14 行 D 列（数量）：必填，不能为空。请填写数量。",
        "工作表“能源消费”第 15 行 D 列（数量）：“12吨”不是数字（含有单位或文字）。请只填写数字，例如 12；单位以表头或单位列为准。",
    ]
    assert result.valid_rows()["row"].to_list() == []
    assert not result.ok


def test_valid_rows_and_code_length():
    frame = pl.DataFrame({"row": [2, 3], "c": ["９１３２", "12345"], "q": ["1", "abc"]})
    result = normalise_frame(
        frame, {"c": ColumnRule("code", expected_length=4), "q": ColumnRule("number")}
    )
    assert result.clean["c"].to_list() == ["9132", None]
    assert sorted(result.invalid["reason"].to_list()) == ["code_length", "not_number"]
    assert result.valid_rows()["row"].to_list() == [2]


def test_unknown_column_is_a_programming_error():
    with pytest.raises(KeyError):
        normalise_frame(pl.DataFrame({"row": [1]}), {"x": ColumnRule("number")})

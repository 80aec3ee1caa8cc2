"""The shortcuts that make normalise_frame fast on big tables change no outcome.

* numbers: a bare polars cast settles a cell only when the scalar parser would return the same
  value for it (any text the cast turns into a finite number is one the number grammar
  accepts, with the same value);
* periods, codes, text: normalised once per distinct value and mapped back;
* blank rows: one pattern test instead of cleaning every cell.
"""

from __future__ import annotations

import math

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ecplan.tabular import CellValueError, ColumnRule, normalise_frame
from ecplan.tabular.frames import blank_rows, cleaned_text
from ecplan.tabular.normalise import CHAR_MAP, parse_number, parse_period

_number_chars = st.text(alphabet="0123456789.eE+-, %xinfaNIF_\t", max_size=10)


@settings(max_examples=300, deadline=None)
@given(st.lists(_number_chars, min_size=1, max_size=50))
def test_a_finite_bare_cast_is_what_the_parser_returns(values: list[str]) -> None:
    cast = pl.Series(values, dtype=pl.String).cast(pl.Float64, strict=False).to_list()
    for text, fast in zip(values, cast, strict=True):
        if fast is None or not math.isfinite(fast):
            continue
        assert parse_number(text) == fast, text


def _scalar(parser: object, value: object, **kwargs: object) -> tuple[object, str | None]:
    try:
        return parser(value, **kwargs), None  # type: ignore[operator]
    except CellValueError as exc:
        return None, exc.code


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["1,234.5", "12", "-3", "１２", " 7 ", "约5", "", None, "1e999"]),
             min_size=1, max_size=200),
    st.booleans(),
    st.booleans(),
)  # fmt: skip
def test_numbers_mixing_plain_and_messy_cells(
    values: list[str | None], allow_negative: bool, required: bool
) -> None:
    frame = pl.DataFrame({"row": list(range(2, len(values) + 2)), "q": values})
    rule = ColumnRule("number", required=required, allow_negative=allow_negative)
    result = normalise_frame(frame, {"q": rule})
    reasons = dict(zip(result.invalid["row"], result.invalid["reason"], strict=True))
    for i, (value, got) in enumerate(zip(values, result.clean["q"], strict=True)):
        expected, code = _scalar(parse_number, value, allow_negative=allow_negative)
        if code is None and expected is None and required:
            code = "missing"
        assert got == expected, value
        assert reasons.get(i + 2) == code, value


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["2025-03", "2025年3月", "202503", "2025-13", "", None, " 2025/4 "]),
        min_size=1,
        max_size=100,
    )
)
def test_periods_repeated_many_times(values: list[str | None]) -> None:
    frame = pl.DataFrame({"row": list(range(len(values))), "p": values})
    result = normalise_frame(frame, {"p": ColumnRule("period", required=True)})
    reasons = dict(zip(result.invalid["row"], result.invalid["reason"], strict=True))
    for i, (value, got) in enumerate(zip(values, result.clean["p"], strict=True)):
        expected, code = _scalar(parse_period, value)
        assert got == expected, value
        assert reasons.get(i) == (code or ("missing" if expected is None else None)), value


def test_unchanged_text_is_kept_and_changed_text_mapped() -> None:
    frame = pl.DataFrame(
        {"row": [1, 2, 3, 4], "a": ["甲", "乙", "甲", "乙"], "b": ["甲 ", "乙", "\u3000甲", None]}
    )
    result = normalise_frame(frame, {"a": ColumnRule("text"), "b": ColumnRule("text")})
    assert result.clean["a"].to_list() == ["甲", "乙", "甲", "乙"]
    assert result.clean["b"].to_list() == ["甲", "乙", "甲", None]
    assert result.invalid.height == 0


_blank_alphabet = [*CHAR_MAP, " ", "\r", "\n", "a", "1", "\x0b", "\u2028"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.text(alphabet=_blank_alphabet, max_size=4)),
            st.one_of(st.none(), st.text(alphabet=_blank_alphabet, max_size=4)),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_blank_rows_are_rows_that_clean_to_nothing(
    cells: list[tuple[str | None, str | None]],
) -> None:
    frame = pl.DataFrame(cells, schema={"a": pl.String, "b": pl.String}, orient="row")
    cleaned = frame.select(
        (cleaned_text(pl.col(c)).is_null() | (cleaned_text(pl.col(c)) == "")).alias(c)
        for c in ("a", "b")
    )
    expected = (cleaned["a"] & cleaned["b"]).to_list()
    assert blank_rows(frame, ["a", "b"]).to_list() == expected

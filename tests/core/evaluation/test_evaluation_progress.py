"""Reference tests of the progress arithmetic: 序时进度 and the annual reduction requirement.

Published worked example (青海省统计局, 单位GDP能耗降低率的计算方法 — reproducing NBS/NDRC
practice, http://125.72.25.21/qhStats_19/method/200910/t20091013_237651.html, [V] in
../shared/reference/policy-mechanics.md §1.5): a 17 % five-year target is 3.66 % a year;
annual changes +1.51 %, −2.20 %, −4.18 % chain to a 4.87 % fall (26.8 % of the target on the
log basis) and leave 12.75 % for the last two years, about 6.59 % a year.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecplan.core.evaluation import (
    ProgressInputError,
    YearMonth,
    annual_requirement,
    cumulative_requirement,
    time_proportional_requirement,
)

QINGHAI_CHANGES = [-0.0151, 0.0220, 0.0418]  # as reductions: +1.51 % is a reduction of −1.51 %


def test_average_annual_requirement_reference() -> None:
    # 1 − (1 − 0.17)^(1/5) = 1 − 0.83^0.2 = 1 − 0.963423 = 0.036577 → 3.66 %
    d = annual_requirement(0.17, 5)
    assert d.method == "average_annual"
    assert round(d.required_reduction, 4) == 0.0366
    assert d.required_reduction == pytest.approx(1 - 0.83**0.2)
    assert d.cumulative_reduction is None
    assert d.remaining_reduction == 0.17
    assert d.remaining_years == 5
    assert "1 − (1 − 17%)^(1/5) = 3.658%" in d.explanation


def test_remaining_requirement_reference() -> None:
    d = annual_requirement(0.17, 5, QINGHAI_CHANGES, first_year=2006)
    # Π(1 − rᵢ) = 1.0151 × 0.978 × 0.9582 = 0.9512701…; R_cum = 4.873 % → 4.87 %
    assert round(d.cumulative_reduction or 0, 4) == 0.0487
    # progress share = ln(0.9512701) / ln(0.83) = −0.049958 / −0.186330 = 0.2681 → 26.8 %
    assert round(d.progress_share or 0, 3) == 0.268
    # remaining = 1 − 0.83 / 0.9512701 = 1 − 0.872518 = 0.127482 → 12.75 %
    assert round(d.remaining_reduction, 4) == 0.1275
    # per year over 2 years = 1 − 0.872518^(1/2) = 1 − 0.934087 = 0.065913 → 6.59 %
    assert round(d.required_reduction, 4) == 0.0659
    assert d.remaining_years == 2
    assert d.for_year == 2009
    assert d.method == "remaining"
    assert "2006年上升1.51%" in d.explanation
    assert "(1 + 1.51%)" in d.explanation
    assert "2009年进度要求：降低6.591%" in d.explanation


def test_last_year_requirement_is_the_whole_remaining_task() -> None:
    # Jiangsu-style case [S]: 14 % over 2021–2025, four years chained to 13 %.
    # Take annual reductions whose product is 0.87 exactly: 1 − 0.87^(1/4) each.
    r = 1 - 0.87**0.25
    d = annual_requirement(0.14, 5, [r, r, r, r], first_year=2021, area="江都区")
    # remaining = 1 − 0.86 / 0.87 = 0.01149425…
    assert d.cumulative_reduction == pytest.approx(0.13)
    assert d.remaining_reduction == pytest.approx(1 - 0.86 / 0.87)
    assert d.required_reduction == d.remaining_reduction
    assert d.for_year == 2025
    assert "仅剩1年" in d.explanation
    assert d.explanation.startswith("江都区单位地区生产总值能耗目标：2021–2025年累计降低14%")
    data = d.to_dict()
    json.dumps(data)
    assert data["trail"]["steps"][0]["label"] == "累计降低率"


def test_over_achieved_target_allows_a_rise() -> None:
    # 10 % target, 3 years of 5 % each: Π = 0.857375 → remaining = 1 − 0.9 / 0.857375 = −0.0497
    d = annual_requirement(0.10, 4, [0.05, 0.05, 0.05])
    assert d.remaining_reduction == pytest.approx(1 - 0.9 / 0.95**3)
    assert d.required_reduction < 0
    assert "已超额完成" in d.explanation


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.0, 5), "0 与 1 之间"),
        ((1.0, 5), "0 与 1 之间"),
        ((0.14, 0), "1–20"),
        ((0.14, 5, [0.03] * 5), "已无剩余年份"),
        ((0.14, 5, [1.0]), "应小于 1"),
        ((0.14, 5, [float("nan")]), "有限数字"),
    ],
)
def test_requirement_input_errors(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ProgressInputError, match=message):
        annual_requirement(*args)


def test_cumulative_requirement() -> None:
    # after 3 of 5 years: 1 − 0.83^(3/5) = 1 − 0.894223 = 0.105777
    m = cumulative_requirement(0.17, 5, 3)
    assert m.required_cumulative_reduction == pytest.approx(1 - 0.83**0.6)
    assert cumulative_requirement(0.17, 5, 5).required_cumulative_reduction == pytest.approx(0.17)
    assert cumulative_requirement(0.17, 5, 0).required_cumulative_reduction == 0
    with pytest.raises(ProgressInputError):
        cumulative_requirement(0.17, 5, 6)


def test_time_proportional_requirement() -> None:
    jan, dec = YearMonth(2025, 1), YearMonth(2025, 12)
    # 100 × 9 ÷ 12 = 75
    r = time_proportional_requirement(
        100, start=jan, deadline=dec, through=YearMonth(2025, 9), unit="项"
    )
    assert (r.required, r.months_elapsed, r.months_total) == (75.0, 9, 12)
    assert r.expression == "100项 × 9 ÷ 12"
    # a single month: 100 × 1 ÷ 12 = 8.333…
    assert time_proportional_requirement(
        100, start=jan, deadline=dec, through=jan
    ).required == pytest.approx(100 / 12)
    # data beyond the deadline count as the deadline: the full target
    late = time_proportional_requirement(100, start=jan, deadline=dec, through=YearMonth(2026, 3))
    assert (late.required, late.through) == (100.0, dec)
    # a window across years: 2024-07 … 2025-06 through 2024-12 → 6 of 12 months
    span = time_proportional_requirement(
        10, start=YearMonth(2024, 7), deadline=YearMonth(2025, 6), through=YearMonth(2024, 12)
    )
    assert span.required == 5.0
    with pytest.raises(ProgressInputError, match="窗口内尚无数据"):
        time_proportional_requirement(100, start=jan, deadline=dec, through=YearMonth(2024, 12))


@given(
    st.floats(min_value=0.01, max_value=0.5),
    st.integers(min_value=2, max_value=10),
    st.data(),
)
def test_meeting_every_annual_requirement_reaches_the_target(
    total: float, years: int, data: st.DataObject
) -> None:
    """Chaining the required reductions year after year lands exactly on the target."""
    k = data.draw(st.integers(min_value=0, max_value=years - 1))
    achieved = data.draw(
        st.lists(st.floats(min_value=-0.05, max_value=0.1), min_size=k, max_size=k)
    )
    d = annual_requirement(total, years, achieved)
    chain = achieved + [d.required_reduction] * d.remaining_years
    product = math.prod(1 - r for r in chain)
    assert 1 - product == pytest.approx(total, abs=1e-9)


def test_annual_requirement_for_a_later_year_names_that_year() -> None:
    # an evaluator that lacks 2021–2024 falls back to the even rate for 2025 and says so:
    # 1 − (1 − 12 %)^(1/5) = 2.524 %, labelled 2025, not 2021
    d = annual_requirement(0.12, 5, first_year=2021, for_year=2025, area="仪征市")
    assert d.required_reduction == pytest.approx(1 - 0.88 ** (1 / 5), rel=1e-12)
    assert d.for_year == 2025
    assert "2025年进度要求" in d.explanation
    assert "（2025年）" in d.trail.title
    # the default stays the year after the achieved ones
    assert annual_requirement(0.12, 5, [0.03], first_year=2021).for_year == 2022
    with pytest.raises(ProgressInputError, match="for_year"):
        annual_requirement(0.12, 5, [0.03, 0.02], first_year=2021, for_year=2022)
    with pytest.raises(ProgressInputError, match="for_year"):
        annual_requirement(0.12, 5, first_year=2021, for_year=2026)

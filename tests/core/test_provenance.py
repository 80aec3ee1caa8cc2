"""Results explain themselves and survive a JSON round trip."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from ecplan.core import (
    Calculation,
    calculation_from_dict,
    cumulative_reduction_result,
    electricity_co2_result,
    format_number,
    fuel_co2_result,
    to_tce_result,
)


@pytest.mark.parametrize(
    "make",
    [
        lambda: to_tce_result(12.5, "万吨", "原煤"),
        lambda: to_tce_result(1, "万千瓦时", "电力", basis="等价值", year=2025),
        lambda: fuel_co2_result(3, "万立方米", "天然气"),
        lambda: fuel_co2_result(3, "吨", "原煤", use="原料用能"),
        lambda: electricity_co2_result(1e6, year=2024, green_certificates=10),
        lambda: cumulative_reduction_result([0.01, 0.02]),
    ],
)
def test_json_round_trip(make: Callable[[], Calculation]) -> None:
    calc = make()
    text = json.dumps(calc.to_dict(), ensure_ascii=False)
    back = calculation_from_dict(json.loads(text))
    assert back == calc
    assert type(back) is type(calc)


def test_uncertain_values_stay_flagged() -> None:
    calc = to_tce_result(1, "吨", "石脑油")
    assert calc.uncertain
    assert calc.to_dict()["uncertain"] is True
    assert "【含未确认数值】" in calc.explain()
    assert "【未确认数值】" in calc.explain()


def test_explain_answers_where_the_number_comes_from() -> None:
    text = to_tce_result(1, "万千瓦时", "电力", basis="等价值", year=2025).explain()
    assert "公式：E = Q × m × k_等价" in text
    assert "因子集 generation-coal-rate v1" in text
    assert "2025年无数据，采用 2024年" in text
    assert "江苏无数据，采用全国" in text
    assert "供电煤耗" in text


def test_factor_sets_used_are_listed_with_digest() -> None:
    calc = electricity_co2_result(1e6, year=2023)
    (ref,) = calc.factor_sets
    assert ref.id == "mee-grid-co2-2023"
    assert ref.version == "1"
    assert len(ref.digest) == 64


def test_unknown_schema_is_refused() -> None:
    with pytest.raises(ValueError, match="格式"):
        calculation_from_dict({"schema": "other", "type": "calculation"})
    with pytest.raises(ValueError, match="类型"):
        calculation_from_dict({"schema": "ecplan.calculation/1", "type": "nope"})


def test_format_number_is_display_only() -> None:
    assert format_number(0.7143) == "0.7143"
    assert format_number(1234567.891, 6) == "1234568"
    assert format_number(3.0239999999999996, 8) == "3.024"
    assert format_number(None) == "—"

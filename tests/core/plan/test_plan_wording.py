"""The comparison wording rules and the section-number reader."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ecplan.core.plan.vocabulary import (
    expected_comparator,
    label_number,
    numbers_in,
    read_wording,
    requirement_phrase,
)


@pytest.mark.parametrize(
    ("words", "direction", "comparator"),
    [
        ("100项以上", "higher_is_better", ">="),  # 以上 includes the number
        ("不得低于20%", "higher_is_better", ">="),  # 不低于 includes it
        ("达95%", "higher_is_better", ">="),  # 达 includes it
        ("达到20%左右", "higher_is_better", ">="),
        ("超过30%", "higher_is_better", ">"),  # 超过 excludes it
        ("须低于1.2", "lower_is_better", "<"),  # 低于 excludes it
        ("下降至50%左右", "lower_is_better", "<="),  # 下降至: lower is better
        ("提升至75%左右", "higher_is_better", ">="),  # 提升至: higher is better
        ("达到290克标准煤/千瓦时", "lower_is_better", "<="),  # a coal rate: lower is better
        ("不高于其增加值增速", "lower_is_better", "<="),
        ("比2020年下降5%", "lower_is_better", "<="),  # signed change -5: at least that fall
        ("下降3%以上", "lower_is_better", "<="),  # 以上 of a fall: a fall of 3 or more
        ("较2020年增长16%以上", "higher_is_better", ">="),
        ("约10万吨标准煤", "higher_is_better", None),  # no comparator stated
    ],
)
def test_wording_fixes_the_comparator(words: str, direction: str, comparator: str | None) -> None:
    assert expected_comparator(read_wording(words), direction) == comparator


def test_wording_flags() -> None:
    assert read_wording("达到20%左右").approximate
    assert read_wording("约26万吨").approximate
    assert not read_wording("尽最大努力完成“十四五”节能降碳约束性指标").approximate  # 约束 ≠ 约
    assert read_wording("力争达到50%").aspirational
    assert read_wording("下降至50%左右").direction == "lower_is_better"
    assert read_wording("下降至50%左右").change is None  # a level, not a change
    assert read_wording("较2023年降低2%左右").change == "decrease"
    assert read_wording("不低于20%").comparator == ">="  # not read again as 低于


@pytest.mark.parametrize(
    ("label", "number"),
    [
        ("1、", 1),
        ("1.", 1),
        ("1. ", 1),
        ("（1）", 1),
        ("（三）", 3),
        ("（七）", 7),
        ("十二、", 12),
        ("二、", 2),
        ("", None),
        ("甲", None),
    ],
)
def test_label_numbers(label: str, number: int | None) -> None:
    assert label_number(label) == number


def test_numbers_in_text_respect_boundaries() -> None:
    assert numbers_in("吨钢综合能耗较2023年降低2%左右") == {Decimal(2023), Decimal(2)}
    assert numbers_in("电能利用效率须低于1.2") == {Decimal("1.2")}
    assert Decimal(20) not in numbers_in("2025年")


def test_requirement_phrase() -> None:
    assert requirement_phrase(">=", Decimal(20), "%", approximate=True) == "≥ 20%（左右）"
    assert requirement_phrase("<", Decimal("1.2"), "比值") == "< 1.2"
    assert requirement_phrase("<=", Decimal(-5), "%", relative_change=True) == "降幅 ≥ 5%"
    assert requirement_phrase(">=", None, "万平方米") == "≥ 未设定 万平方米"


def test_every_indicator_code_and_unit_is_documented() -> None:
    from plan_testdata import REPO

    from ecplan.core.plan.vocabulary import INDICATORS, UNITS

    doc = (REPO / "docs/plan-format.md").read_text(encoding="utf-8")
    assert [code for code in INDICATORS if f"| `{code}` |" not in doc] == []
    table = doc[doc.index("## Units") :]
    assert [name for name in UNITS if name not in table] == []

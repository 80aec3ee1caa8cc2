"""Reference tests of the 晴雨表 warning rules: every band boundary of every scheme.

Expected levels are worked out by hand in the comments. Sources: 发改办环资〔2021〕629号 (ndrc);
杭州市“十二五”节能预警调控方案 (shortfall bands); a prefecture's 2010 plan (completion bands);
Caixin 2021-06-04 (consumption growth) — see docs/warnings.md.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ecplan.core
from ecplan.core.evaluation import (
    SettingsError,
    WarningInputError,
    WarningLevel,
    WarningPeriod,
    WarningSettings,
    annual_requirement,
    assess_consumption_warning,
    assess_intensity_warning,
    proxy_intensity_change,
    warning_level,
)

# -- public API ----------------------------------------------------------------------------


def test_warning_level_is_importable_from_ecplan_core() -> None:
    assert ecplan.core.warning_level is warning_level
    # Intensity fell 1 % against a 3 % requirement → fell, but less than required → 二级.
    assert ecplan.core.warning_level(-0.01, 0.03) == 2
    assert type(ecplan.core.warning_level(-0.01, 0.03)) is int


# -- ndrc ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "required", "level"),
    [
        (0.015, 0.03, 1),  # rose 1.5 % → 不降反升 → 一级
        (0.0, 0.03, 1),  # exactly flat: not a fall → 一级
        (-0.0, 0.03, 1),  # negative zero is still zero
        (1e-17, 0.03, 1),  # binary noise around zero counts as zero
        (-1e-17, 0.03, 1),
        (-0.0001, 0.03, 2),  # fell 0.01 % < 3 % → 二级
        (-0.0299, 0.03, 2),  # fell 2.99 % < 3 % → 二级
        (-0.03, 0.03, 3),  # fell exactly the requirement → meets it → 三级
        (-0.0301, 0.03, 3),  # fell more than required → 三级
        (-0.05, 0.0, 3),  # requirement 0: any fall meets it
        (0.001, -0.01, 1),  # requirement allows a 1 % rise, but the national rule: rising = 一级
        (-0.001, -0.01, 3),
    ],
)
def test_ndrc_rule(change: float, required: float, level: int) -> None:
    assert warning_level(change, required) == level
    assert warning_level(change, required, scheme="ndrc") == level


def test_ndrc_exact_requirement_computed_with_rounding_noise_meets_it() -> None:
    # (1 − 0.01) / (1 + 0.0206185567...) − 1 should be −3 %; whatever the binary noise, a
    # fall equal to the requirement up to rounding meets it.
    change = 0.97 * 1.000000000000001 - 1.0  # −0.02999999999999903
    assert warning_level(change, 0.03) == 3


def test_ndrc_result_carries_rule_numbers_and_labels() -> None:
    w = assess_intensity_warning(
        0.0, 0.0235, period=WarningPeriod(2025, 9), area="江都区", plan_version="v1"
    )
    assert w.level is WarningLevel.RED
    assert (w.level_label, w.colour, w.situation) == ("一级", "红", "十分严峻")
    assert w.scheme == "ndrc"
    assert "629号" in w.scheme_title
    assert w.confidence == "verified-from-source"
    assert w.rule_text.startswith("一级")
    assert "恰为0" in w.rule_text
    assert any("恰为0" in n for n in w.notes)
    assert w.intensity_change == 0.0
    assert w.required_reduction == 0.0235
    assert "江都区2025年前三季度" in w.explanation
    assert "持平" in w.explanation
    assert "一级预警（红色，十分严峻）" in w.explanation
    data = w.to_dict()
    json.dumps(data)
    assert data["level"] == 1
    assert data["period"]["label"] == "2025年前三季度"
    assert data["period"]["basis"] == "quarterly"
    assert data["trail"]["plan_version"] == "v1"
    assert [i["name"] for i in data["trail"]["inputs"]][:2] == [
        "intensity_change",
        "required_reduction",
    ]


def test_ndrc_yellow_explains_the_shortfall() -> None:
    # fell 1.2 %, required 2.35 % → short by 2.35 − 1.2 = 1.15 percentage points → 二级.
    w = assess_intensity_warning(-0.012, 0.0235, period=WarningPeriod(2025, 6), area="江都区")
    assert w.level == 2
    assert w.reduction == pytest.approx(0.012)
    assert w.shortfall_pp == pytest.approx(1.15)
    assert w.completion_ratio == pytest.approx(0.012 / 0.0235)
    assert "差1.15个百分点" in w.explanation
    assert "二级预警（黄色，比较严峻）" in w.explanation


def test_level_labels() -> None:
    assert [lv.label for lv in WarningLevel] == ["一级", "二级", "三级"]
    assert [lv.colour for lv in WarningLevel] == ["红", "黄", "绿"]
    assert [lv.situation for lv in WarningLevel] == ["十分严峻", "比较严峻", "基本顺利"]
    assert WarningLevel.YELLOW.full_label == "二级预警（黄色，比较严峻）"


# -- shortfall bands (Hangzhou) --------------------------------------------------------------

# shortfall_pp = (required − reduction) × 100, required = 3 %.
H1_CASES = [
    (-0.0271, 3, "未预警"),  # (3 − 2.71) = 0.29 pp < 0.3 → no warning → 三级
    (-0.027, 2, "I级（黄色）"),  # 0.3 pp: lower end of I级, included
    (-0.0201, 2, "I级（黄色）"),  # 0.99 pp
    (-0.02, 2, "I级（黄色）"),  # 1.0 pp: upper end of I级 (>1 starts II级)
    (-0.0199, 2, "II级（橙色）"),  # 1.01 pp
    (-0.01, 2, "II级（橙色）"),  # 2.0 pp: upper end of II级 (">2" is III级)
    (-0.0099, 1, "III级（红色）"),  # 2.01 pp → Hangzhou III级 red = 一级
    (0.01, 1, "III级（红色）"),  # rose 1 %: 4 pp short
]


@pytest.mark.parametrize(("change", "level", "label"), H1_CASES)
def test_hangzhou_first_half_bands(change: float, level: int, label: str) -> None:
    w = assess_intensity_warning(change, 0.03, scheme="shortfall_pp", period=WarningPeriod(2025, 6))
    assert (int(w.level), w.source_level_label) == (level, label)
    assert warning_level(change, 0.03, scheme="shortfall_pp", months=6) == level
    assert "III级→一级" in " ".join(w.notes)  # the inverted numbering is stated


Q3_CASES = [
    (-0.0301, 3, "未预警"),  # requirement exceeded
    (-0.03, 3, "未预警"),  # shortfall exactly 0 → no warning
    (-0.0299, 2, "I级（黄色）"),  # 0.01 pp < 0.5
    (-0.0251, 2, "I级（黄色）"),  # 0.49 pp
    (-0.025, 2, "II级（橙色）"),  # 0.5 pp: lower end of orange, included
    (-0.02, 2, "II级（橙色）"),  # 1.0 pp: upper end of orange (">1" is red)
    (-0.0199, 1, "III级（红色）"),  # 1.01 pp
]


@pytest.mark.parametrize(("change", "level", "label"), Q3_CASES)
def test_hangzhou_first_three_quarters_bands(change: float, level: int, label: str) -> None:
    w = assess_intensity_warning(change, 0.03, scheme="shortfall_pp", period=WarningPeriod(2025, 9))
    assert (int(w.level), w.source_level_label) == (level, label)
    assert warning_level(change, 0.03, scheme="shortfall_pp", months=9) == level


def test_shortfall_bands_for_periods_the_source_does_not_cover_say_so() -> None:
    # Q1 uses the first-half bands, the full year the Q1–Q3 bands; both flagged uncertain.
    q1 = assess_intensity_warning(-0.02, 0.03, scheme="shortfall_pp", period=WarningPeriod(2025, 3))
    year = assess_intensity_warning(
        -0.02, 0.03, scheme="shortfall_pp", period=WarningPeriod(2025, 12)
    )
    assert q1.scheme_title == "差距分档（杭州，上半年）"
    assert year.scheme_title == "差距分档（杭州，前三季度）"
    assert any("不确定" in n and "1—3月" in n for n in q1.notes)
    h1 = assess_intensity_warning(-0.02, 0.03, scheme="shortfall_pp", period=WarningPeriod(2025, 6))
    assert not any("只规定了" in n for n in h1.notes)


def test_shortfall_scheme_needs_a_period() -> None:
    with pytest.raises(WarningInputError, match="period 或 months"):
        warning_level(-0.01, 0.03, scheme="shortfall_pp")


# -- completion-ratio bands ------------------------------------------------------------------

# ratio = reduction ÷ required, required = 4 %.
COMPLETION_CASES = [
    (-0.04, 3, "绿色（0级）"),  # 4 ÷ 4 = 100 % → green
    (-0.0399, 2, "黄色"),  # 99.75 %
    (-0.036, 2, "黄色"),  # 3.6 ÷ 4 = 90 % (0.8999999999999999 in binary): yellow includes 90 %
    (-0.0359, 2, "橙色"),  # 89.75 %
    (-0.0201, 2, "橙色"),  # 50.25 %
    (-0.02, 1, "红色"),  # 50 %: "≤50 % red"
    (0.01, 1, "红色"),  # rose: −25 %
]


@pytest.mark.parametrize(("change", "level", "label"), COMPLETION_CASES)
def test_completion_ratio_bands(change: float, level: int, label: str) -> None:
    w = assess_intensity_warning(change, 0.04, scheme="completion_ratio")
    assert (int(w.level), w.source_level_label) == (level, label)
    assert warning_level(change, 0.04, scheme="completion_ratio") == level


def test_completion_ratio_with_non_positive_requirement_is_met_or_not() -> None:
    # Requirement −1 % (a rise of up to 1 % is allowed): ratio meaningless.
    assert warning_level(0.005, -0.01, scheme="completion_ratio") == 3  # rose 0.5 % ≤ 1 %
    assert warning_level(0.02, -0.01, scheme="completion_ratio") == 1  # rose 2 % > 1 %
    w = assess_intensity_warning(0.02, -0.01, scheme="completion_ratio")
    assert w.completion_ratio is None
    assert any("完成率无意义" in n for n in w.notes)


def test_scheme_from_plan_settings() -> None:
    settings = WarningSettings.from_mapping({"intensity_scheme": "completion_ratio"})
    w = assess_intensity_warning(-0.02, 0.04, settings=settings)
    assert w.scheme == "completion_ratio"
    assert w.level == 1  # 2 ÷ 4 = 50 % → red


def test_custom_bands_from_plan() -> None:
    settings = WarningSettings.from_mapping(
        {
            "intensity_scheme": "shortfall_pp",
            "shortfall_later": {
                "title": "本市差距分档",
                "bands": [
                    {
                        "lower": None,
                        "upper": 0,
                        "lower_inclusive": False,
                        "upper_inclusive": True,
                        "level": 3,
                        "label": "正常",
                    },
                    {
                        "lower": 0,
                        "upper": 1,
                        "lower_inclusive": False,
                        "upper_inclusive": False,
                        "level": 2,
                        "label": "关注",
                    },
                    {
                        "lower": 1,
                        "upper": None,
                        "lower_inclusive": True,
                        "upper_inclusive": False,
                        "level": 1,
                        "label": "预警",
                    },
                ],
            },
        }
    )
    # shortfall (3 − 2) = 1 pp → "预警" (lower end included) → 一级
    w = assess_intensity_warning(-0.02, 0.03, settings=settings, period=WarningPeriod(2025, 9))
    assert (int(w.level), w.source_level_label, w.confidence) == (1, "预警", "plan-setting")


# -- inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"intensity_change": float("nan"), "required_reduction": 0.03}, "intensity_change"),
        ({"intensity_change": -0.01, "required_reduction": float("inf")}, "required_reduction"),
        ({"intensity_change": -1.0, "required_reduction": 0.03}, "−100%"),
        ({"intensity_change": -0.01, "required_reduction": 1.0}, "应小于 1"),
    ],
)
def test_bad_inputs_are_refused_in_chinese(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(WarningInputError, match=message):
        assess_intensity_warning(**kwargs)


def test_unknown_scheme() -> None:
    with pytest.raises(WarningInputError, match="不认识的预警方案“rainbow”"):
        warning_level(-0.01, 0.03, scheme="rainbow")


def test_requirement_derivation_is_embedded_and_must_agree() -> None:
    derivation = annual_requirement(
        0.14, 5, [0.03, 0.03, 0.03, 0.035], first_year=2021, area="江都区"
    )
    w = assess_intensity_warning(
        -0.02, derivation.required_reduction, requirement=derivation, period=WarningPeriod(2025, 6)
    )
    assert w.trail.children[0].title.startswith("江都区")
    with pytest.raises(WarningInputError, match="不一致"):
        assess_intensity_warning(-0.02, 0.05, requirement=derivation)


# -- periods and the monthly view ------------------------------------------------------------


def test_periods_are_quarterly_unless_a_proxy_is_described() -> None:
    assert WarningPeriod.quarter(2025, 1).label == "2025年一季度"
    assert WarningPeriod(2025, 6).label == "2025年上半年"
    assert WarningPeriod(2025, 12).label == "2025年全年"
    with pytest.raises(WarningInputError, match="GDP按季度发布"):
        WarningPeriod(2025, 5)
    monthly = WarningPeriod(2025, 5, proxy="沿用一季度累计GDP增速")
    assert monthly.basis == "monthly_proxy"
    assert "代理" in monthly.label
    w = assess_intensity_warning(-0.02, 0.03, period=monthly)
    assert "GDP增速为代理值——沿用一季度累计GDP增速" in w.explanation


def test_proxy_intensity_change() -> None:
    # (1 + 2 %) ÷ (1 + 5 %) − 1 = 1.02 / 1.05 − 1 = −0.0285714…
    p = proxy_intensity_change(0.02, 0.05, proxy="沿用上半年累计GDP增速")
    assert p.intensity_change == pytest.approx(1.02 / 1.05 - 1)
    assert "估计值" in p.explanation
    assert "沿用上半年累计GDP增速" in p.trail.notes[0]
    with pytest.raises(WarningInputError, match="proxy"):
        proxy_intensity_change(0.02, 0.05, proxy=" ")


# -- energy-consumption growth -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("growth", "measure", "level"),
    [
        # allowed 5 %; growth-rate measure: (g − 5 %) ÷ 5 %
        (0.05, "growth_rate", 3),  # not above the allowed growth → green
        (0.049, "growth_rate", 3),
        (0.055, "growth_rate", 2),  # 0.5 ÷ 5 = 10 %: "within 10 %" → yellow
        (0.0551, "growth_rate", 1),  # 0.51 ÷ 5 = 10.2 % → red
        # amount measure: (1 + g) ÷ 1.05 − 1
        (0.155, "amount", 2),  # 1.155 ÷ 1.05 − 1 = 10 % → yellow
        (0.156, "amount", 1),  # 1.156 ÷ 1.05 − 1 = 10.095 % → red
        (0.0551, "amount", 2),  # 1.0551 ÷ 1.05 − 1 = 0.486 % → yellow
    ],
)
def test_consumption_growth_rule(growth: float, measure: str, level: int) -> None:
    settings = WarningSettings.from_mapping({"consumption_gap_measure": measure})
    w = assess_consumption_warning(growth, 0.05, settings=settings)
    assert int(w.level) == level


def test_consumption_growth_default_takes_the_more_severe_measure_and_says_why() -> None:
    # 4 % vs 3 %: by rate 1 ÷ 3 = 33.3 % (red); by amount 1.04 ÷ 1.03 − 1 = 0.97 % (yellow).
    w = assess_consumption_warning(0.04, 0.03, area="宝应县", period=WarningPeriod.quarter(2025, 2))
    assert w.level == 1
    assert w.measure == "both"
    assert w.gap_share_growth_rate == pytest.approx(1 / 3)
    assert w.gap_share_amount == pytest.approx(1.04 / 1.03 - 1)
    assert w.confidence == "from-secondary-source"
    assert any("未经来源确认" in n for n in w.notes)
    assert "取较严重者" in w.explanation
    assert "宝应县2025年上半年" in w.explanation
    json.dumps(w.to_dict())
    measure_input = w.trail.input("measure")
    assert measure_input.confidence == "uncertain"


def test_consumption_growth_with_zero_allowed_growth_uses_the_amount() -> None:
    # allowed 0 %: (g − 0) ÷ 0 undefined → amount: 1.01 ÷ 1 − 1 = 1 % ≤ 10 % → yellow.
    w = assess_consumption_warning(0.01, 0.0)
    assert (w.level, w.measure, w.gap_share_growth_rate) == (2, "amount", None)
    settings = WarningSettings.from_mapping({"consumption_gap_measure": "growth_rate"})
    w2 = assess_consumption_warning(0.01, 0.0, settings=settings)
    assert w2.measure == "amount"
    assert any("改按消费量计" in n for n in w2.notes)


def test_consumption_red_share_is_configurable_and_validated() -> None:
    settings = WarningSettings.from_mapping(
        {"consumption_red_gap_share": 0.2, "consumption_gap_measure": "growth_rate"}
    )
    # 0.0551 vs 0.05: 10.2 % ≤ 20 % → yellow under the plan's 20 %
    assert assess_consumption_warning(0.0551, 0.05, settings=settings).level == 2
    with pytest.raises(SettingsError, match="consumption_red_gap_share"):
        WarningSettings.from_mapping({"consumption_red_gap_share": 10})


# -- properties ------------------------------------------------------------------------------

changes = st.floats(min_value=-0.5, max_value=0.5, allow_nan=False)
requirements = st.floats(min_value=-0.05, max_value=0.2, allow_nan=False)
schemes = st.sampled_from(["ndrc", "shortfall_pp", "completion_ratio"])
months = st.sampled_from([3, 6, 9, 12])


@given(changes, changes, requirements, schemes, months)
def test_a_larger_fall_never_gives_a_worse_level(
    a: float, b: float, required: float, scheme: str, m: int
) -> None:
    better, worse = min(a, b), max(a, b)  # the more negative change is the larger fall
    assert warning_level(better, required, scheme=scheme, months=m) >= warning_level(
        worse, required, scheme=scheme, months=m
    )


@given(changes, requirements, requirements, schemes, months)
def test_a_stricter_requirement_never_gives_a_better_level(
    change: float, r1: float, r2: float, scheme: str, m: int
) -> None:
    lax, strict = min(r1, r2), max(r1, r2)
    if scheme == "completion_ratio" and (lax <= 0) != (strict <= 0):
        return  # the completion ratio is not defined on one side: different rule
    assert warning_level(change, strict, scheme=scheme, months=m) <= warning_level(
        change, lax, scheme=scheme, months=m
    )


@given(st.floats(min_value=-0.5, max_value=1.0), st.floats(min_value=-0.5, max_value=1.0))
def test_consumption_growth_is_monotone(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    assert (
        assess_consumption_warning(low, 0.03).level >= assess_consumption_warning(high, 0.03).level
    )

"""Evaluation settings: unofficial defaults say so, plan settings are validated with locations."""

from __future__ import annotations

import pytest

from ecplan.core.evaluation import (
    COMPLETION_RATIO_BANDS,
    HANGZHOU_FIRST_HALF_BANDS,
    Band,
    BandScheme,
    EvaluationSettings,
    SettingsError,
    StatusSettings,
    Tolerance,
    WarningSettings,
    YearMonth,
    YearMonthError,
)


def test_defaults_are_marked_unofficial() -> None:
    s = StatusSettings()
    assert (s.on_track_ratio, s.lagging_ratio, s.level_lagging_ratio, s.entity_lagging_share) == (
        0.95,
        0.80,
        0.90,
        0.90,
    )
    assert s.approximate_tolerance == Tolerance("relative", 0.02)
    assert s.origin_label("on_track_ratio") == "非官方默认值"
    assert s.confidence("on_track_ratio") == "unofficial-default"
    assert WarningSettings().intensity_scheme == "ndrc"
    assert WarningSettings().origin_label("intensity_scheme") == "非官方默认值"


def test_plan_block_marks_what_the_plan_set() -> None:
    settings = EvaluationSettings.from_mapping(
        {
            "status": {
                "on_track_ratio": 0.9,
                "approximate_tolerance": {"kind": "absolute", "amount": 0.005},
            },
            "warnings": {"intensity_scheme": "shortfall_pp"},
        }
    )
    assert settings.status.on_track_ratio == 0.9
    assert settings.status.origin_label("on_track_ratio") == "计划设定"
    assert settings.status.origin_label("lagging_ratio") == "非官方默认值"
    assert settings.status.approximate_tolerance.absolute_for(0.2) == 0.005
    assert settings.warnings.origin_label("intensity_scheme") == "计划设定"
    assert EvaluationSettings.from_mapping(None) == EvaluationSettings()
    assert settings.to_dict()["status"]["plan_set"] == ["approximate_tolerance", "on_track_ratio"]


@pytest.mark.parametrize(
    ("block", "location", "words"),
    [
        ({"status": {"on_track_ratio": 95}}, "evaluation.status.on_track_ratio", "0.95"),
        ({"status": {"on_track_ratio": "高"}}, "evaluation.status.on_track_ratio", "应为数字"),
        ({"status": {"lagging_ratio": 0.97}}, "evaluation.status.lagging_ratio", "不能高于"),
        ({"status": {"on_trak_ratio": 0.9}}, "evaluation.status.on_trak_ratio", "不认识的设置项"),
        (
            {"status": {"approximate_tolerance": {"kind": "percent", "amount": 1}}},
            "evaluation.status.approximate_tolerance.kind",
            "relative 或 absolute",
        ),
        (
            {"warnings": {"intensity_scheme": "traffic"}},
            "evaluation.warnings.intensity_scheme",
            "可用",
        ),
        (
            {"warnings": {"consumption_gap_measure": "level"}},
            "evaluation.warnings.consumption_gap_measure",
            "growth_rate",
        ),
        (
            {"warnings": {"shortfall_first_half_max_months": 13}},
            "evaluation.warnings.shortfall_first_half_max_months",
            "1–12",
        ),
        ({"colour": {}}, "evaluation.colour", "不认识的设置项"),
    ],
)
def test_bad_settings_name_the_location(
    block: dict[str, object], location: str, words: str
) -> None:
    with pytest.raises(SettingsError) as err:
        EvaluationSettings.from_mapping(block)
    assert err.value.location == location
    assert words in str(err.value)
    assert str(err.value).startswith("评价设置 ")


def test_band_schemes_must_cover_every_value_once() -> None:
    def scheme(*bands: Band) -> BandScheme:
        return BandScheme("x", "x", "shortfall_pp", bands, "计划设定", "plan-setting")

    with pytest.raises(SettingsError, match="首尾相接"):
        scheme(Band(None, 1, False, True, 3, "a"), Band(2, None, False, False, 1, "b"))
    with pytest.raises(SettingsError, match="一真一假"):
        scheme(Band(None, 1, False, True, 3, "a"), Band(1, None, True, False, 1, "b"))
    with pytest.raises(SettingsError, match="一真一假"):
        scheme(Band(None, 1, False, False, 3, "a"), Band(1, None, False, False, 1, "b"))
    with pytest.raises(SettingsError, match="无下限"):
        scheme(Band(0, None, True, False, 3, "a"))
    with pytest.raises(SettingsError, match="不变好"):
        scheme(Band(None, 1, False, True, 1, "a"), Band(1, None, False, False, 3, "b"))
    with pytest.raises(SettingsError, match="1、2 或 3"):
        Band(None, None, False, False, 4, "a")


def test_shipped_band_schemes_describe_themselves() -> None:
    rules = HANGZHOU_FIRST_HALF_BANDS.rule_texts()
    assert rules[1] == "降低率差距≥0.3且≤1个百分点：I级（黄色） → 二级（黄）"
    assert rules[3] == "降低率差距>2个百分点：III级（红色） → 一级（红）"
    assert COMPLETION_RATIO_BANDS.rule_texts()[0] == "完成率≤50%：红色 → 一级（红）"
    assert HANGZHOU_FIRST_HALF_BANDS.confidence == "verified-from-source"
    assert "相反" in HANGZHOU_FIRST_HALF_BANDS.note


def test_tolerance() -> None:
    assert Tolerance("relative", 0.02).absolute_for(-0.05) == pytest.approx(0.001)
    with pytest.raises(SettingsError, match="不能为负数"):
        Tolerance("absolute", -1)
    with pytest.raises(SettingsError, match="50%"):
        Tolerance("relative", 0.8)


def test_year_month() -> None:
    assert (
        YearMonth.parse("2025-09")
        == YearMonth.parse("2025年9月")
        == YearMonth.parse("2025/9")
        == YearMonth(2025, 9)
    )
    assert str(YearMonth(2025, 9)) == "2025-09"
    assert YearMonth(2025, 9).label == "2025年9月"
    assert YearMonth(2024, 11).months_through(YearMonth(2025, 2)) == 4
    assert YearMonth(2025, 12).plus_months(1) == YearMonth(2026, 1)
    assert YearMonth(2025, 1) < YearMonth(2025, 2)
    with pytest.raises(YearMonthError, match="YYYY-MM"):
        YearMonth.parse("九月")
    with pytest.raises(YearMonthError, match="月份 13"):
        YearMonth(2025, 13)

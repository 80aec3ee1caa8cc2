"""Target status rules: every status for every kind, both directions, comparators, 左右, 力争.

Each expected status is worked out by hand in the comments (default thresholds, all 非官方默认值:
序时 on track ≥ 95 %, lagging ≥ 80 %; level lagging ≥ 90 %; per-entity lagging ≥ 90 %;
左右 tolerance ±2 % of the target value). See docs/status-rules.md.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecplan.core.evaluation import (
    Baseline,
    Comparator,
    Direction,
    EntityValue,
    Flag,
    Observation,
    ObservationError,
    Reason,
    Status,
    StatusSettings,
    TargetKind,
    TargetSpec,
    TargetSpecError,
    TargetStatusResult,
    Tolerance,
    Trail,
    TrailInput,
    YearMonth,
    comparator_from_wording,
    target_status,
)

M = YearMonth.parse
C, D, K = Comparator, Direction, TargetKind
HIGHER, LOWER = D.HIGHER_IS_BETTER, D.LOWER_IS_BETTER
S = Status


def spec(**kw: Any) -> TargetSpec:
    base: dict[str, Any] = {"id": "t", "indicator": "指标", "deadline": M("2025-12")}
    base.update(kw)
    return TargetSpec(**base)


def run(
    target: TargetSpec, as_of: str = "2025-09", settings: StatusSettings | None = None, **kw: Any
) -> TargetStatusResult:
    return target_status(target, Observation(as_of=M(as_of), **kw), settings=settings)


# ---------------------------------------------------------------------------------------
# Cumulative counts and sums, higher is better (全年组织实施绿色化改造项目100项以上)
# ---------------------------------------------------------------------------------------

RETROFIT = spec(
    id="retrofit-projects",
    indicator="绿色化改造项目",
    kind=K.CUMULATIVE,
    value=100,
    unit="项",
    comparator=comparator_from_wording("以上"),
)


def test_cumulative_example_reads_like_an_analyst_note() -> None:
    # 序时进度 = 100 × 9 ÷ 12 = 75; 72 ÷ 75 = 0.96 ≥ 0.95 → 进度正常
    r = run(RETROFIT, value_ytd=72)
    assert (r.status, r.reason) == (S.ON_TRACK, Reason.WITHIN_ON_TRACK_BAND)
    assert (r.value, r.target, r.required) == (72, 100, 75)
    assert r.gap == -3
    assert r.achievement_ratio == pytest.approx(0.96)
    for piece in (
        "截至2025年9月，绿色化改造项目累计72项",
        "序时进度应为75项（100项 × 9 ÷ 12）",
        "完成序时进度的96%",
        "按默认阈值（完成序时进度≥95%为进度正常",
        "非官方）判定为进度正常",
    ):
        assert piece in r.explanation


def test_latest_period_value_is_shown_not_judged() -> None:
    r = run(RETROFIT, value_ytd=72, value_latest=9)
    assert r.status is S.ON_TRACK
    assert r.value_latest == 9
    assert "累计72项（最近一期新增9项）" in r.explanation
    assert r.trail.input("value_latest").value == 9
    level = run(NON_FOSSIL, value_ytd=0.21, value_latest=0.18)
    assert "年初至今为21%（最近一期为18%）" in level.explanation
    assert level.status is S.ON_TRACK


@pytest.mark.parametrize(
    ("value", "status", "reason"),
    [
        (80, S.ON_TRACK, Reason.AT_OR_AHEAD_OF_SCHEDULE),  # 80 ÷ 75 = 106.7 %
        (75, S.ON_TRACK, Reason.AT_OR_AHEAD_OF_SCHEDULE),  # exactly 序时
        (71.25, S.ON_TRACK, Reason.WITHIN_ON_TRACK_BAND),  # 71.25 ÷ 75 = 95 %: band included
        (71.2, S.LAGGING, Reason.BEHIND_SCHEDULE),  # 94.93 %
        (60, S.LAGGING, Reason.BEHIND_SCHEDULE),  # 60 ÷ 75 = 80 %: lagging included
        (59.9, S.SEVERELY_LAGGING, Reason.BEHIND_SCHEDULE),  # 79.87 %
        (0, S.SEVERELY_LAGGING, Reason.BEHIND_SCHEDULE),
        (100, S.COMPLETED, Reason.TARGET_REACHED),  # 100 ≥ 100 (以上 includes the number)
    ],
)
def test_cumulative_bands(value: float, status: Status, reason: Reason) -> None:
    r = run(RETROFIT, value_ytd=value)
    assert (r.status, r.reason) == (status, reason)


def test_cumulative_reached_early_is_completed() -> None:
    r = run(RETROFIT, value_ytd=101)
    assert r.status is S.COMPLETED
    assert Flag.REACHED_EARLY in r.flags
    assert not r.final


def test_cumulative_exclusive_comparator() -> None:
    over = spec(kind=K.CUMULATIVE, value=100, unit="项", comparator=comparator_from_wording("超过"))
    # “超过100项”: 100 does not exceed 100; still ahead of 序时 (100 ÷ 75 = 133 %)
    r = run(over, value_ytd=100)
    assert (r.status, r.reason) == (S.ON_TRACK, Reason.AT_OR_AHEAD_OF_SCHEDULE)
    assert run(over, value_ytd=101).status is S.COMPLETED
    # at the deadline 100 is a miss: 100 ÷ 100 = 100 %, but not met → at best 滞后
    final = run(over, as_of="2025-12", value_ytd=100)
    assert (final.status, final.reason) == (S.LAGGING, Reason.MISSED_AT_DEADLINE)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (100, S.COMPLETED),
        (96, S.LAGGING),  # 96 ÷ 100 = 96 % ≥ 95 %, but the year is over: never 进度正常
        (80, S.LAGGING),  # 80 %
        (79, S.SEVERELY_LAGGING),  # 79 %
    ],
)
def test_cumulative_at_the_deadline(value: float, status: Status) -> None:
    r = run(RETROFIT, as_of="2025-12", value_ytd=value)
    assert r.status is status
    assert r.final
    assert r.required == 100
    if status is not S.COMPLETED:
        assert r.reason is Reason.MISSED_AT_DEADLINE
        assert "目标期已结束" in r.explanation


def test_cumulative_approximate_target() -> None:
    # “实现节能约10万吨标准煤”: tolerance ±2 % of 10 = ±0.2 → 9.8 counts as reached
    saving = spec(
        kind=K.CUMULATIVE, value=10, unit="万吨标准煤", approximate=True, indicator="节能量"
    )
    r = run(saving, as_of="2025-12", value_ytd=9.85)
    assert r.status is S.COMPLETED
    assert Flag.MET_WITHIN_TOLERANCE in r.flags
    assert r.threshold == pytest.approx(9.8)
    assert "非官方默认值" in r.explanation
    # 9.79 < 9.8: missed; 9.79 ÷ 10 = 97.9 % → 滞后 at the deadline
    assert run(saving, as_of="2025-12", value_ytd=9.79).status is S.LAGGING


def test_a_single_month_of_data() -> None:
    # January: 100 × 1 ÷ 12 = 8.333; 8 ÷ 8.333 = 96 % → 进度正常, flagged as one month only
    r = run(RETROFIT, as_of="2025-01", value_ytd=8)
    assert r.status is S.ON_TRACK
    assert r.required == pytest.approx(100 / 12)
    assert r.achievement_ratio == pytest.approx(0.96)
    assert Flag.SINGLE_MONTH in r.flags
    assert any("仅有1个月" in n for n in r.notes)


def test_data_lag_uses_the_months_the_data_cover() -> None:
    # as of September, data through August: 100 × 8 ÷ 12 = 66.67; 64 ÷ 66.67 = 96 %
    r = run(RETROFIT, value_ytd=64, data_through=M("2025-08"))
    assert r.status is S.ON_TRACK
    assert r.required == pytest.approx(200 / 3)
    assert r.data_through == M("2025-08")
    assert Flag.DATA_LAG in r.flags
    assert "数据截至2025年8月" in " ".join(r.notes)


def test_missing_months_are_flagged() -> None:
    r = run(RETROFIT, value_ytd=72, months_covered=8)
    assert Flag.DATA_INCOMPLETE in r.flags
    assert "应有9个月的数据，实有8个月" in " ".join(r.notes)


def test_cumulative_no_data_and_no_data_in_window() -> None:
    r = run(RETROFIT)
    assert (r.status, r.reason, r.value) == (S.NO_DATA, Reason.NO_DATA, None)
    second_half = spec(kind=K.CUMULATIVE, value=50, unit="项", start=M("2025-07"))
    r2 = run(second_half, as_of="2025-06", value_ytd=3)
    assert (r2.status, r2.reason) == (S.NO_DATA, Reason.NO_DATA_IN_WINDOW)


def test_cumulative_target_not_set_still_shows_the_value() -> None:
    # “完成既有建筑节能改造面积XXX万平方米以上”
    area = spec(
        kind=K.CUMULATIVE,
        value=None,
        unit="万平方米",
        text="XXX万平方米以上",
        indicator="既有建筑节能改造面积",
    )
    r = run(area, value_ytd=30)
    assert (r.status, r.reason, r.value, r.target) == (S.NOT_SET, Reason.TARGET_NOT_SET, 30, None)
    assert "计划未给出“既有建筑节能改造面积”的目标值（计划原文：XXX万平方米以上）" in r.explanation
    assert "30万平方米（仅展示）" in r.explanation
    assert run(area).status is S.NOT_SET


def test_plan_thresholds_replace_the_defaults_and_say_so() -> None:
    plan = StatusSettings.from_mapping({"on_track_ratio": 0.9})
    # 68 ÷ 75 = 90.67 %: 滞后 by default, 进度正常 under the plan's 90 %
    assert run(RETROFIT, value_ytd=68).status is S.LAGGING
    r = run(RETROFIT, value_ytd=68, settings=plan)
    assert r.status is S.ON_TRACK
    # on_track_ratio is the plan's, lagging_ratio still the default: both origins shown
    assert "≥90%为进度正常［计划设定］" in r.explanation
    assert "［非官方默认值］" in r.explanation
    confidences = {i.name: i.confidence for i in r.trail.inputs}
    assert confidences["setting.on_track_ratio"] == "plan-setting"
    assert confidences["setting.lagging_ratio"] == "unofficial-default"
    both = StatusSettings.from_mapping({"on_track_ratio": 0.9, "lagging_ratio": 0.7})
    assert "按计划设定阈值（" in run(RETROFIT, value_ytd=68, settings=both).explanation


# ---------------------------------------------------------------------------------------
# Cumulative caps, lower is better (能源消费总量不高于1200万吨标准煤)
# ---------------------------------------------------------------------------------------

CAP = spec(
    kind=K.CUMULATIVE,
    value=1200,
    unit="万吨标准煤",
    comparator=C.LE,
    direction=LOWER,
    indicator="能源消费总量",
)


@pytest.mark.parametrize(
    ("value", "status", "reason"),
    [
        (
            850,
            S.ON_TRACK,
            Reason.AT_OR_AHEAD_OF_SCHEDULE,
        ),  # 序时上限 1200 × 9 ÷ 12 = 900; 900 ÷ 850 = 105.9 %
        (900 / 0.95, S.ON_TRACK, Reason.WITHIN_ON_TRACK_BAND),  # 900 ÷ 947.37 = 95 %
        (950, S.LAGGING, Reason.BEHIND_SCHEDULE),  # 94.74 %
        (1125, S.LAGGING, Reason.BEHIND_SCHEDULE),  # 900 ÷ 1125 = 80 %
        (1126, S.SEVERELY_LAGGING, Reason.BEHIND_SCHEDULE),  # 79.93 %
        (1250, S.SEVERELY_LAGGING, Reason.CAP_EXCEEDED),  # over the annual cap: 72 %
    ],
)
def test_cap_bands(value: float, status: Status, reason: Reason) -> None:
    r = run(CAP, value_ytd=value)
    assert (r.status, r.reason) == (status, reason)
    assert not r.final


def test_cap_exceeded_is_at_best_lagging() -> None:
    # two-year cap 2400 (2024-01 … 2025-12), as of 2025-11: 序时 2400 × 23 ÷ 24 = 2300;
    # 2410 > 2400 → cap exceeded; 2300 ÷ 2410 = 95.4 % would be 进度正常 → capped at 滞后
    two_year = spec(
        kind=K.CUMULATIVE,
        value=2400,
        unit="万吨标准煤",
        comparator=C.LE,
        direction=LOWER,
        start=M("2024-01"),
    )
    r = run(two_year, as_of="2025-11", value_ytd=2410)
    assert (r.status, r.reason) == (S.LAGGING, Reason.CAP_EXCEEDED)
    assert r.required == pytest.approx(2300)
    assert "已超过全期上限" in r.explanation


@pytest.mark.parametrize(
    ("comparator", "value", "status"),
    [
        (C.LE, 1200, S.COMPLETED),  # 不高于 includes 1200
        (C.LE, 1201, S.LAGGING),  # 1200 ÷ 1201 = 99.9 % but over the cap → 滞后
        (C.LT, 1200, S.LAGGING),  # 低于 excludes 1200
        (C.LT, 1199, S.COMPLETED),
    ],
)
def test_cap_at_the_deadline(comparator: Comparator, value: float, status: Status) -> None:
    cap = spec(
        kind=K.CUMULATIVE, value=1200, unit="万吨标准煤", comparator=comparator, direction=LOWER
    )
    assert run(cap, as_of="2025-12", value_ytd=value).status is status


# ---------------------------------------------------------------------------------------
# Level / share / ratio, higher is better (非化石能源消费占比达到20%左右)
# ---------------------------------------------------------------------------------------

NON_FOSSIL = spec(
    id="non-fossil-share",
    indicator="非化石能源消费占比",
    kind=K.SHARE,
    value=0.20,
    unit="%",
    approximate=True,
    comparator=comparator_from_wording("达到"),
)


@pytest.mark.parametrize(
    ("as_of", "value", "status", "reason"),
    [
        ("2025-09", 0.21, S.ON_TRACK, Reason.MEETS_TARGET_TO_DATE),
        ("2025-12", 0.21, S.COMPLETED, Reason.MET_AT_DEADLINE),
        ("2025-09", 0.196, S.ON_TRACK, Reason.MEETS_TARGET_TO_DATE),  # 20 % − 2 % × 20 % = 19.6 %
        ("2025-09", 0.195, S.LAGGING, Reason.BELOW_TARGET),  # 19.5 ÷ 20 = 97.5 %
        ("2025-09", 0.18, S.LAGGING, Reason.BELOW_TARGET),  # 18 ÷ 20 = 90 %: lagging included
        ("2025-09", 0.179, S.SEVERELY_LAGGING, Reason.BELOW_TARGET),  # 89.5 %
        ("2025-12", 0.19, S.LAGGING, Reason.MISSED_AT_DEADLINE),  # 95 %
        ("2025-12", 0.17, S.SEVERELY_LAGGING, Reason.MISSED_AT_DEADLINE),  # 85 %
    ],
)
def test_share_higher_is_better(as_of: str, value: float, status: Status, reason: Reason) -> None:
    r = run(NON_FOSSIL, as_of=as_of, value_ytd=value)
    assert (r.status, r.reason) == (status, reason)


def test_tolerance_is_shown_with_its_origin() -> None:
    r = run(NON_FOSSIL, value_ytd=0.197)
    assert Flag.MET_WITHIN_TOLERANCE in r.flags
    assert r.threshold == pytest.approx(0.196)
    assert r.tolerance == Tolerance("relative", 0.02)
    assert r.tolerance_origin == "非官方默认值"
    assert "“左右”容差目标值的±2%，即±0.4个百分点，非官方默认值" in r.explanation
    assert "视为达到的界限为≥19.6%" in r.explanation
    # per-target plan setting: ±0.5 percentage points
    own = spec(
        kind=K.SHARE, value=0.20, unit="%", approximate=True, tolerance=Tolerance("absolute", 0.005)
    )
    r2 = run(own, value_ytd=0.1951)  # 19.51 % ≥ 19.5 %
    assert r2.status is S.ON_TRACK
    assert r2.tolerance_origin == "计划设定"
    assert "±0.5个百分点，计划设定" in r2.explanation
    # plan-wide default tolerance set by the plan
    plan = StatusSettings.from_mapping(
        {"approximate_tolerance": {"kind": "absolute", "amount": 0.01}}
    )
    r3 = run(NON_FOSSIL, value_ytd=0.19, settings=plan)  # 19 % ≥ 20 % − 1 pp
    assert (r3.status, r3.tolerance_origin) == (S.ON_TRACK, "计划设定")


def test_without_tolerance_the_exact_target_is_needed() -> None:
    exact = spec(kind=K.SHARE, value=0.20, unit="%")
    assert run(exact, value_ytd=0.2).status is S.ON_TRACK  # ≥ includes 20 %
    assert run(exact, value_ytd=0.1999).status is S.LAGGING


@pytest.mark.parametrize(
    ("comparator", "value", "met"),
    [
        (C.GE, 0.30, True),  # 不低于30 %: 30 % meets it
        (C.GT, 0.30, False),  # 超过30 %: 30 % does not
        (C.GT, 0.3001, True),
        (C.EQ, 0.30, True),  # 达到30 %: read as reach at least
        (C.EQ, 0.35, True),  # doing better than the target is never a failure
        (C.EQ, 0.29, False),
    ],
)
def test_inclusive_and_exclusive_comparators_higher(
    comparator: Comparator, value: float, met: bool
) -> None:
    pta = spec(
        kind=K.SHARE,
        value=0.30,
        unit="%",
        comparator=comparator,
        indicator="PTA能效标杆水平以上产能占比",
    )
    r = run(pta, value_ytd=value)
    assert (r.status is S.ON_TRACK) is met
    if not met:
        assert r.status is S.LAGGING  # 30 ÷ 30 = 100 % or 29 ÷ 30 = 96.7 % ≥ 90 %


def test_inclusive_boundary_survives_binary_rounding() -> None:
    # 0.1 + 0.2 = 0.30000000000000004 and 0.7 × 3 / 7 = 0.29999999999999993 both equal 30 %
    pta = spec(kind=K.SHARE, value=0.30, unit="%", comparator=C.GE)
    assert run(pta, value_ytd=0.7 * 3 / 7).status is S.ON_TRACK
    gt = spec(kind=K.SHARE, value=0.30, unit="%", comparator=C.GT)
    assert run(gt, value_ytd=0.1 + 0.2).status is S.LAGGING


# ---------------------------------------------------------------------------------------
# Level / ratio, lower is better
# ---------------------------------------------------------------------------------------

COAL = spec(
    kind=K.SHARE,
    value=0.50,
    unit="%",
    approximate=True,
    comparator=comparator_from_wording("下降至"),
    direction=LOWER,
    indicator="煤炭占一次能源消费比重",
)


@pytest.mark.parametrize(
    ("as_of", "value", "status"),
    [
        ("2025-09", 0.49, S.ON_TRACK),
        ("2025-12", 0.49, S.COMPLETED),
        ("2025-09", 0.51, S.ON_TRACK),  # 50 % + 2 % × 50 % = 51 %: inside 左右
        ("2025-09", 0.52, S.LAGGING),  # 50 ÷ 52 = 96.2 %
        ("2025-09", 0.5 / 0.9, S.LAGGING),  # 50 ÷ 55.56 = 90 %
        ("2025-09", 0.56, S.SEVERELY_LAGGING),  # 50 ÷ 56 = 89.3 %
    ],
)
def test_share_lower_is_better(as_of: str, value: float, status: Status) -> None:
    r = run(COAL, as_of=as_of, value_ytd=value)
    assert r.status is status
    if status is S.LAGGING:
        assert "比目标高" in r.explanation


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (289, S.ON_TRACK),
        (290, S.ON_TRACK),  # “达到290”: reaching it exactly
        (291, S.LAGGING),  # 290 ÷ 291 = 99.66 %
        (322.2, S.LAGGING),  # 290 ÷ 322.2 = 90.006 %
        (323, S.SEVERELY_LAGGING),  # 290 ÷ 323 = 89.78 %
    ],
)
def test_ratio_lower_is_better_with_reach_wording(value: float, status: Status) -> None:
    coal_rate = spec(
        kind=K.RATIO,
        value=290,
        unit="克标准煤/千瓦时",
        comparator=C.EQ,
        direction=LOWER,
        indicator="全市综合发电效率",
    )
    assert run(coal_rate, value_ytd=value).status is status


def test_exclusive_lower_bound() -> None:
    pue = spec(
        kind=K.RATIO,
        value=1.2,
        comparator=comparator_from_wording("低于"),
        direction=LOWER,
        indicator="电能利用效率",
    )
    assert run(pue, value_ytd=1.19).status is S.ON_TRACK
    r = run(pue, value_ytd=1.2)  # 低于1.2 excludes 1.2; 1.2 ÷ 1.2 = 100 % ≥ 90 % → 滞后
    assert r.status is S.LAGGING
    assert r.achievement_ratio == 1.0
    le = spec(kind=K.RATIO, value=1.2, comparator=C.LE, direction=LOWER)
    assert run(le, value_ytd=1.2).status is S.ON_TRACK


def test_level_target_zero_needs_a_severe_gap() -> None:
    # 服务业能耗增速不高于其增加值增速: indicator = energy growth − value-added growth ≤ 0
    diff_spec = spec(
        kind=K.LEVEL,
        value=0.0,
        unit="%",
        comparator=C.LE,
        direction=LOWER,
        indicator="服务业能耗增速与增加值增速之差",
    )
    assert run(diff_spec, value_ytd=-0.01).status is S.ON_TRACK
    r = run(diff_spec, value_ytd=0.02)
    assert (r.status, r.achievement_ratio) == (S.LAGGING, None)
    assert Flag.SEVERITY_UNGRADED in r.flags
    graded = spec(
        kind=K.LEVEL, value=0.0, unit="%", comparator=C.LE, direction=LOWER, severe_gap=0.01
    )
    assert run(graded, value_ytd=0.01).status is S.LAGGING  # gap 1 pp = severe_gap: not above
    assert run(graded, value_ytd=0.02).status is S.SEVERELY_LAGGING


def test_negative_target_higher_is_better_is_graded_by_the_gap() -> None:
    # “增速不低于−5%”: the ratio −10 % ÷ −5 % = 2 would read as over-achievement; it is not used
    floor = spec(kind=K.LEVEL, value=-0.05, unit="%", severe_gap=0.02, indicator="增速")
    assert run(floor, value_ytd=-0.04).status is S.ON_TRACK
    assert run(floor, value_ytd=-0.06).status is S.LAGGING  # 1 pp short ≤ 2 pp
    r = run(floor, value_ytd=-0.1)  # 5 pp short > 2 pp
    assert (r.status, r.achievement_ratio) == (S.SEVERELY_LAGGING, None)


SERVICE = spec(
    id="service-energy-growth",
    indicator="服务业能耗增速",
    kind=TargetKind.from_plan_kind("comparison"),
    unit="%",
    comparator=C.LE,
    direction=LOWER,
    compare_to="服务业增加值增速",
)


@pytest.mark.parametrize(
    ("as_of", "value", "reference", "status", "reason"),
    [
        ("2025-09", 0.03, 0.05, S.ON_TRACK, Reason.MEETS_TARGET_TO_DATE),  # 3 % ≤ 5 %
        (
            "2025-09",
            0.05,
            0.05,
            S.ON_TRACK,
            Reason.MEETS_TARGET_TO_DATE,
        ),  # 不高于 includes equality
        ("2025-12", 0.05, 0.05, S.COMPLETED, Reason.MET_AT_DEADLINE),
        ("2025-09", 0.06, 0.05, S.LAGGING, Reason.BELOW_TARGET),  # no ratio, no severe_gap → 滞后
        ("2025-09", 0.06, None, S.NO_DATA, Reason.REFERENCE_MISSING),
    ],
)
def test_comparison_with_another_indicator(
    as_of: str, value: float, reference: float | None, status: Status, reason: Reason
) -> None:
    r = run(SERVICE, as_of=as_of, value_ytd=value, reference_value=reference)
    assert (r.status, r.reason) == (status, reason)
    if reference is not None:
        assert r.target == reference
        assert "目标为不高于服务业增加值增速（5%）" in r.explanation


def test_comparison_graded_by_severe_gap() -> None:
    graded = spec(
        kind=K.COMPARISON,
        unit="%",
        comparator=C.LE,
        direction=LOWER,
        compare_to="增加值增速",
        severe_gap=0.02,
    )
    # 8 % vs 5 %: 3 pp over > 2 pp → 严重滞后; 6 % vs 5 %: 1 pp → 滞后
    assert run(graded, value_ytd=0.08, reference_value=0.05).status is S.SEVERELY_LAGGING
    assert run(graded, value_ytd=0.06, reference_value=0.05).status is S.LAGGING
    with pytest.raises(TargetSpecError, match="compare_to"):
        spec(kind=K.COMPARISON, unit="%", comparator=C.LE, direction=LOWER)
    with pytest.raises(TargetSpecError, match="没有数值"):
        spec(kind=K.COMPARISON, value=0.0, comparator=C.LE, direction=LOWER, compare_to="x")
    with pytest.raises(TargetSpecError, match="只有与另一指标比较"):
        spec(kind=K.SHARE, value=0.2, compare_to="x")


def test_plan_kinds_map() -> None:
    assert TargetKind.from_plan_kind("amount") is K.CUMULATIVE
    assert TargetKind.from_plan_kind("count") is K.CUMULATIVE
    assert TargetKind.from_plan_kind("relative_change") is K.RELATIVE_CHANGE


def test_level_single_month_and_no_data() -> None:
    r = run(NON_FOSSIL, as_of="2025-01", value_ytd=0.21)
    assert r.status is S.ON_TRACK
    assert Flag.SINGLE_MONTH in r.flags
    none = run(NON_FOSSIL)
    assert (none.status, none.reason) == (S.NO_DATA, Reason.NO_DATA)
    not_set = spec(kind=K.SHARE, value=None, unit="%")
    assert run(not_set, value_ytd=0.2).status is S.NOT_SET


# ---------------------------------------------------------------------------------------
# Relative change against a baseline year
# ---------------------------------------------------------------------------------------

STEEL = spec(
    id="steel-energy",
    indicator="吨钢综合能耗",
    kind=K.RELATIVE_CHANGE,
    value=-0.02,
    unit="千克标准煤/吨",
    approximate=True,
    comparator=C.LE,
    direction=LOWER,
    baseline=Baseline(2023, 560.0, "2023年统计年报"),
    text="吨钢综合能耗较2023年降低2%左右",
)


@pytest.mark.parametrize(
    ("as_of", "value", "status"),
    [
        ("2025-12", 548, S.COMPLETED),  # 548 ÷ 560 − 1 = −2.143 % ≤ −2 %
        ("2025-09", 548, S.ON_TRACK),
        ("2025-09", 549, S.ON_TRACK),  # −1.964 % ≤ −2 % × 0.98 = −1.96 %: inside 左右
        ("2025-09", 549.9, S.LAGGING),  # −1.804 %: 1.804 ÷ 2 = 90.2 %
        ("2025-09", 552, S.SEVERELY_LAGGING),  # −1.429 %: 71.4 %
        ("2025-09", 570, S.SEVERELY_LAGGING),  # +1.786 %: rose
    ],
)
def test_relative_change_decrease(as_of: str, value: float, status: Status) -> None:
    r = run(STEEL, as_of=as_of, value_ytd=value)
    assert r.status is status
    assert r.value == pytest.approx(value / 560 - 1)
    assert r.value_ytd == value
    assert "较2023年降低2%左右" in r.explanation


def test_relative_change_explanation() -> None:
    r = run(STEEL, value_ytd=552)
    assert "吨钢综合能耗为552千克标准煤/吨，较2023年（560千克标准煤/吨）降低1.429%" in r.explanation
    assert "实际降幅 1.429% ÷ 要求降幅 2% = 71.43%" in r.explanation
    assert r.trail.steps[0].label == "较2023年变化率"


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (
            11.6,
            S.ON_TRACK,
        ),  # 11.6 ÷ 10 − 1 = 16 % (0.15999999999999992 in binary): 以上 includes it
        (11.5, S.LAGGING),  # 15 % ÷ 16 % = 93.75 %
        (11.4, S.SEVERELY_LAGGING),  # 14 % ÷ 16 % = 87.5 %
    ],
)
def test_relative_change_increase(value: float, status: Status) -> None:
    containers = spec(
        kind=K.RELATIVE_CHANGE,
        value=0.16,
        unit="万标箱",
        comparator=C.GE,
        baseline=Baseline(2020, 10.0),
        indicator="集装箱铁水联运量",
    )
    assert run(containers, value_ytd=value).status is status


def test_missing_baseline() -> None:
    no_base = spec(
        kind=K.RELATIVE_CHANGE,
        value=-0.05,
        unit="克/吨公里",
        comparator=C.LE,
        direction=LOWER,
        baseline=Baseline(2020, None),
        indicator="营运交通工具单位周转量碳排放强度",
    )
    r = run(no_base, value_ytd=80.0)
    assert (r.status, r.reason, r.value) == (S.NO_DATA, Reason.BASELINE_MISSING, None)
    assert "缺少基准年（2020年）的营运交通工具单位周转量碳排放强度数值" in r.explanation
    assert run(STEEL).reason is Reason.NO_DATA  # baseline known, no current value


# ---------------------------------------------------------------------------------------
# Per-entity rules (新建及改扩建数据中心电能利用效率须低于1.2)
# ---------------------------------------------------------------------------------------

PUE = spec(
    id="dc-pue",
    indicator="新建及改扩建数据中心电能利用效率",
    kind=K.PER_ENTITY,
    value=1.2,
    comparator=comparator_from_wording("须低于"),
    direction=LOWER,
)


def dcs(*values: float | None) -> tuple[EntityValue, ...]:
    return tuple(EntityValue(f"数据中心{i + 1}", v) for i, v in enumerate(values))


def test_per_entity_all_comply() -> None:
    r = run(PUE, entities=dcs(1.15, 1.18))
    assert (r.status, r.reason, r.value) == (S.ON_TRACK, Reason.ALL_ENTITIES_COMPLY, 1.18)
    assert run(PUE, as_of="2025-12", entities=dcs(1.15, 1.18)).status is S.COMPLETED


def test_per_entity_breaches() -> None:
    # 1.2 is not below 1.2: 1 of 2 comply = 50 % < 90 % → 严重滞后
    r = run(PUE, entities=dcs(1.15, 1.2))
    assert (r.status, r.reason, r.value) == (S.SEVERELY_LAGGING, Reason.ENTITY_VIOLATIONS, 1.2)
    assert [e.complies for e in r.entities] == [True, False]
    assert "数据中心2（1.2）" in r.explanation
    # 9 of 10 comply = 90 % → 滞后
    r2 = run(PUE, entities=dcs(*([1.1] * 9), 1.3))
    assert (r2.status, r2.achievement_ratio) == (S.LAGGING, 0.9)


def test_per_entity_higher_is_better() -> None:
    rule = spec(kind=K.PER_ENTITY, value=0.95, unit="%", indicator="新增公务用车新能源比例")
    r = run(rule, entities=(EntityValue("市级机关", 1.0), EntityValue("某区机关", 0.9)))
    assert (r.status, r.value) == (S.SEVERELY_LAGGING, 0.9)  # worst entity; 1 of 2 comply


def test_per_entity_data_cases() -> None:
    assert run(PUE).status is S.NO_DATA  # nothing reported
    missing = run(PUE, entities=dcs(None, None))
    assert (missing.status, missing.reason) == (S.NO_DATA, Reason.ENTITY_VALUES_MISSING)
    none_subject = run(PUE, entities=())
    assert (none_subject.status, none_subject.reason) == (S.ON_TRACK, Reason.NO_ENTITIES_SUBJECT)
    partial = run(PUE, entities=dcs(1.1, None))
    assert partial.status is S.ON_TRACK
    assert Flag.DATA_INCOMPLETE in partial.flags
    assert run(spec(kind=K.PER_ENTITY, value=None), entities=dcs(1.1)).status is S.NOT_SET


# ---------------------------------------------------------------------------------------
# Milestones (到2025年底全市钢铁企业完成超低排放改造)
# ---------------------------------------------------------------------------------------

ULTRA_LOW = spec(
    id="steel-ule",
    indicator="钢铁企业超低排放改造",
    kind=K.MILESTONE,
    start=M("2025-01"),
    text="全市钢铁企业完成超低排放改造",
)


@pytest.mark.parametrize(
    ("progress", "status", "reason"),
    [
        # as of June: 6 of 12 months → expected 50 %
        (0.5, S.ON_TRACK, Reason.MILESTONE_ON_SCHEDULE),
        (0.475, S.ON_TRACK, Reason.MILESTONE_ON_SCHEDULE),  # 47.5 ÷ 50 = 95 %
        (0.45, S.LAGGING, Reason.MILESTONE_BEHIND_SCHEDULE),  # 90 %
        (0.39, S.SEVERELY_LAGGING, Reason.MILESTONE_BEHIND_SCHEDULE),  # 78 %
        (None, S.ON_TRACK, Reason.MILESTONE_PENDING),
    ],
)
def test_milestone_paced(progress: float | None, status: Status, reason: Reason) -> None:
    r = run(ULTRA_LOW, as_of="2025-06", milestone_done=False, milestone_progress=progress)
    assert (r.status, r.reason) == (status, reason)


def test_milestone_before_its_window_opens_is_pending() -> None:
    # evaluated as of 2023-07 with progress already reported: no month of 2025-01 … 2025-12 has
    # elapsed, so there is no time-proportional requirement yet (no error, no lagging)
    r = run(ULTRA_LOW, as_of="2023-07", milestone_done=False, milestone_progress=0.3)
    assert (r.status, r.reason) == (S.ON_TRACK, Reason.MILESTONE_PENDING)
    assert "2025年1月未到" in r.explanation
    assert r.value == 0.3


def test_milestone_done_overdue_no_data_not_set() -> None:
    done = run(ULTRA_LOW, as_of="2025-06", milestone_done=True, milestone_done_on=M("2025-05"))
    assert (done.status, done.value) == (S.COMPLETED, 1.0)
    late = run(ULTRA_LOW, as_of="2026-02", milestone_done=True, milestone_done_on=M("2026-01"))
    assert late.status is S.COMPLETED
    assert Flag.LATE_COMPLETION in late.flags
    overdue = run(ULTRA_LOW, as_of="2026-01", milestone_done=False)
    assert (overdue.status, overdue.reason) == (S.SEVERELY_LAGGING, Reason.MILESTONE_OVERDUE)
    # the deadline month itself is not overdue yet
    assert run(ULTRA_LOW, as_of="2025-12", milestone_done=False).status is S.ON_TRACK
    assert run(ULTRA_LOW, as_of="2025-06").status is S.NO_DATA
    undated = spec(kind=K.MILESTONE, deadline=None, indicator="绿色园区建设")
    r = run(undated, milestone_done=False)
    assert (r.status, r.reason) == (S.NOT_SET, Reason.TARGET_NOT_SET)
    assert "期限" in r.explanation


# ---------------------------------------------------------------------------------------
# 力争 and previews
# ---------------------------------------------------------------------------------------

ROOFTOP_PV = spec(
    id="rooftop-pv",
    indicator="新建公共机构建筑屋顶光伏覆盖率",
    kind=K.SHARE,
    value=0.5,
    unit="%",
    aspirational=True,
)


def test_aspirational_target_is_never_severely_lagging() -> None:
    # 20 % ÷ 50 % = 40 % < 90 % would be 严重滞后; 力争 caps it at 滞后 and says so
    r = run(ROOFTOP_PV, value_ytd=0.2)
    assert r.status is S.LAGGING
    assert {Flag.ASPIRATIONAL, Flag.ASPIRATIONAL_CAPPED} <= set(r.flags)
    assert r.status_label == "滞后（力争目标）"
    assert "目标为力争不低于50%" in r.explanation
    assert "按阈值本应判为严重滞后" in r.explanation
    assert "判定为严重滞后" not in r.explanation
    assert r.explanation.endswith("判定为滞后。")
    good = run(ROOFTOP_PV, value_ytd=0.55)
    assert (good.status, good.status_label) == (S.ON_TRACK, "进度正常（力争目标）")
    overdue = run(spec(kind=K.MILESTONE, aspirational=True), as_of="2026-03", milestone_done=False)
    assert overdue.status is S.LAGGING


def test_preview_is_labelled() -> None:
    r = run(RETROFIT, value_ytd=72, preview=True)
    assert r.preview
    assert r.status_label == "进度正常（预览）"
    assert r.explanation.startswith("【预览：含未审核数据】")
    assert Flag.PREVIEW in r.flags


# ---------------------------------------------------------------------------------------
# Result and trail
# ---------------------------------------------------------------------------------------


def test_result_serialises_with_its_trail() -> None:
    value_trail = Trail(
        "项目台账汇总", "按月汇总已验收项目数", inputs=(TrailInput("count", "项目数", 72, "项"),)
    )
    obs = Observation(
        as_of=M("2025-09"), value_ytd=72, source="项目台账（已审核）", trail=value_trail
    )
    r = target_status(RETROFIT, obs, plan_version="yangzhou-2025@征求意见稿")
    data = json.loads(json.dumps(r.to_dict(), ensure_ascii=False))
    for key in (
        "id",
        "indicator",
        "unit",
        "value",
        "target",
        "comparator",
        "status",
        "reason",
        "trail",
    ):
        assert key in data
    assert (data["status"], data["status_code"], data["comparator"]) == (
        "进度正常",
        "on_track",
        ">=",
    )
    trail = Trail.from_dict(data["trail"])
    assert trail == r.trail
    assert trail.plan_version == "yangzhou-2025@征求意见稿"
    assert trail.children == (value_trail,)
    assert trail.input("value_ytd").source == "项目台账（已审核）"
    assert trail.input("setting.on_track_ratio").confidence == "unofficial-default"
    assert trail.steps[0].expression == "100项 × 9 ÷ 12 = 75项"


# ---------------------------------------------------------------------------------------
# Invalid specifications and observations
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "field", "words"),
    [
        (
            {"kind": K.SHARE, "value": 0.2, "comparator": C.GE, "direction": LOWER},
            "comparator",
            "越高越好",
        ),
        ({"kind": K.SHARE, "value": 0.2, "comparator": C.LT}, "comparator", "越低越好"),
        (
            {"kind": K.SHARE, "value": 0.2, "tolerance": Tolerance("relative", 0.01)},
            "tolerance",
            "左右",
        ),
        ({"kind": K.MILESTONE, "value": 1.0}, "value", "里程碑"),
        (
            {"kind": K.RELATIVE_CHANGE, "value": -0.02, "comparator": C.LE, "direction": LOWER},
            "baseline",
            "基准",
        ),
        ({"kind": K.SHARE, "value": 0.2, "baseline": Baseline(2020, 1.0)}, "baseline", "只有"),
        (
            {"kind": K.RELATIVE_CHANGE, "value": 0.1, "baseline": Baseline(2020, 0.0)},
            "baseline.value",
            "正数",
        ),
        (
            {"kind": K.RELATIVE_CHANGE, "value": 0.1, "baseline": Baseline(2025, 1.0)},
            "baseline.year",
            "早于",
        ),
        ({"kind": K.CUMULATIVE, "value": 0}, "value", "正数"),
        ({"kind": K.CUMULATIVE, "value": 10, "start": M("2026-01")}, "start", "晚于"),
        ({"kind": "tier", "value": 1}, "kind", "可用"),
        ({"kind": K.SHARE, "value": 0.2, "comparator": "大约"}, "comparator", "可用"),
        ({"kind": K.SHARE, "value": float("nan")}, "value", "有限数字"),
    ],
)
def test_bad_specs_are_refused_with_the_field(kw: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(TargetSpecError) as err:
        spec(**kw)
    assert err.value.field == field
    assert words in str(err.value)
    assert str(err.value).startswith("目标 t 的 ")


def test_strings_are_accepted_for_enums_and_months() -> None:
    s = TargetSpec(
        id="x",
        indicator="y",
        kind="cumulative",
        deadline="2025年12月",
        value=5,
        comparator="以上",
        direction="higher_is_better",
    )
    assert (s.kind, s.comparator, s.deadline) == (K.CUMULATIVE, C.GE, M("2025-12"))


@pytest.mark.parametrize(
    ("kw", "words"),
    [
        ({"data_through": M("2025-10")}, "晚于评价月"),
        ({"milestone_progress": 1.5}, "0–1"),
        ({"milestone_done": False, "milestone_done_on": M("2025-05")}, "milestone_done"),
        ({"months_covered": -1}, "非负整数"),
        ({"value_ytd": float("inf")}, "有限数字"),
    ],
)
def test_bad_observations(kw: dict[str, Any], words: str) -> None:
    with pytest.raises(ObservationError, match=words):
        Observation(as_of=M("2025-09"), **kw)


# ---------------------------------------------------------------------------------------
# Properties: a better value never gives a worse status
# ---------------------------------------------------------------------------------------

months = st.sampled_from(["2025-01", "2025-06", "2025-09", "2025-12", "2026-02"])


def _rank(r: TargetStatusResult) -> int:
    assert r.status.rank is not None, r.explanation
    return r.status.rank


@st.composite
def level_specs(draw: st.DrawFn) -> TargetSpec:
    direction = draw(st.sampled_from([HIGHER, LOWER]))
    comparator = draw(
        st.sampled_from([C.GE, C.GT, C.EQ] if direction is HIGHER else [C.LE, C.LT, C.EQ])
    )
    kind = draw(st.sampled_from([K.LEVEL, K.SHARE, K.RATIO, K.RELATIVE_CHANGE]))
    value = draw(st.floats(min_value=-0.5, max_value=2.0).filter(lambda v: abs(v) > 1e-6))
    approximate = draw(st.booleans())
    return spec(
        kind=kind,
        value=value,
        comparator=comparator,
        direction=direction,
        approximate=approximate,
        aspirational=draw(st.booleans()),
        severe_gap=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=1))),
        baseline=Baseline(2020, draw(st.floats(min_value=0.1, max_value=10)))
        if kind is K.RELATIVE_CHANGE
        else None,
    )


@given(
    level_specs(),
    st.floats(min_value=-3, max_value=30),
    st.floats(min_value=-3, max_value=30),
    months,
)
def test_level_monotone(target: TargetSpec, a: float, b: float, as_of: str) -> None:
    lo, hi = min(a, b), max(a, b)
    better, worse = (hi, lo) if target.direction is HIGHER else (lo, hi)
    assert _rank(run(target, as_of=as_of, value_ytd=better)) >= _rank(
        run(target, as_of=as_of, value_ytd=worse)
    )


@given(
    st.sampled_from(
        [
            (HIGHER, C.GE),
            (HIGHER, C.GT),
            (HIGHER, C.EQ),
            (LOWER, C.LE),
            (LOWER, C.LT),
            (LOWER, C.EQ),
        ]
    ),
    st.floats(min_value=1, max_value=1000),
    st.booleans(),
    st.floats(min_value=0, max_value=2000),
    st.floats(min_value=0, max_value=2000),
    months,
)
def test_cumulative_monotone(
    direction_comparator: tuple[Direction, Comparator],
    value: float,
    approximate: bool,
    a: float,
    b: float,
    as_of: str,
) -> None:
    direction, comparator = direction_comparator
    target = spec(
        kind=K.CUMULATIVE,
        value=value,
        comparator=comparator,
        direction=direction,
        approximate=approximate,
    )
    lo, hi = min(a, b), max(a, b)
    better, worse = (hi, lo) if direction is HIGHER else (lo, hi)
    assert _rank(run(target, as_of=as_of, value_ytd=better)) >= _rank(
        run(target, as_of=as_of, value_ytd=worse)
    )


@given(
    st.lists(st.floats(min_value=0.5, max_value=2.0), min_size=1, max_size=6),
    st.data(),
)
def test_per_entity_monotone(values: list[float], data: st.DataObject) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(values) - 1))
    improved = list(values)
    improved[i] = data.draw(st.floats(min_value=0.5, max_value=values[i]))  # lower PUE is better
    assert _rank(run(PUE, entities=dcs(*improved))) >= _rank(run(PUE, entities=dcs(*values)))


@given(
    st.floats(min_value=0, max_value=1),
    st.floats(min_value=0, max_value=1),
    st.sampled_from(["2025-02", "2025-06", "2025-11"]),
)
def test_milestone_progress_monotone(a: float, b: float, as_of: str) -> None:
    lo, hi = min(a, b), max(a, b)
    high = run(ULTRA_LOW, as_of=as_of, milestone_done=False, milestone_progress=hi)
    low = run(ULTRA_LOW, as_of=as_of, milestone_done=False, milestone_progress=lo)
    assert _rank(high) >= _rank(low)


@given(level_specs(), st.floats(min_value=-3, max_value=30), months)
def test_aspirational_targets_are_never_severely_lagging(
    target: TargetSpec, value: float, as_of: str
) -> None:
    r = run(target, as_of=as_of, value_ytd=value)
    if target.aspirational:
        assert r.status is not S.SEVERELY_LAGGING

"""City and area statistics: storage, rules, scope, and indicators computed from them."""

from __future__ import annotations

from typing import Any

import pytest

from ecplan.accounts.policies import viewable
from ecplan.accounts.testing import World
from ecplan.reporting.computed import compute
from ecplan.reporting.models import Report, StatisticLine
from ecplan.reporting.periods import Period
from ecplan.reporting.records import StatisticRecord, StatisticsReportRecord
from ecplan.reporting.services import import_file, save_statistics

from .builders import xlsx


@pytest.fixture(autouse=True)
def _open_windows(settings: Any) -> None:
    settings.ECPLAN_REPORTING_WINDOWS = {"statistics": 36500}


def _city(**extra: Any) -> list[StatisticRecord]:
    lines = [
        StatisticRecord("能源消费总量", 2000, "万吨标准煤"),
        StatisticRecord("能源消费量", 1500, "万吨", breakdown="原煤"),
        StatisticRecord("火力发电投入", 900, "万吨", breakdown="原煤"),
        StatisticRecord("供热投入", 100, "万吨", breakdown="原煤"),
        StatisticRecord("原料用能", 50, "万吨", breakdown="原煤"),
        StatisticRecord("发电量", 300, "亿千瓦时", breakdown="燃煤发电"),
        StatisticRecord("发电量", 40, "亿千瓦时", breakdown="光伏"),
        StatisticRecord("发电量", 20, "亿千瓦时", breakdown="风电"),
        StatisticRecord("净调入电力", 100, "亿千瓦时"),
        StatisticRecord("其中：净调入非化石能源电力", 30, "亿千瓦时"),
        StatisticRecord("地区生产总值（现价）", 7809.64, "亿元"),
        StatisticRecord("地区生产总值指数（上年=100）", 105.8, "上年=100"),
        StatisticRecord("增加值（现价，分产业）", 346.72, "亿元", breakdown="第一产业"),
        StatisticRecord("增加值（现价，分产业）", 3653.54, "亿元", breakdown="第二产业"),
        StatisticRecord("增加值（现价，分产业）", 3809.38, "亿元", breakdown="第三产业"),
        StatisticRecord("能耗单列项目能耗", 12, "万吨标准煤", subject="示例重大项目"),
    ]
    return lines


def test_statistics_are_stored_for_the_bureau(world: World, statistician: Any) -> None:
    outcome = save_statistics(
        [StatisticsReportRecord("扬州市", "2024", lines=_city())], acting_user=statistician
    )
    assert outcome.stored, outcome.issues.to_text()
    report = Report.objects.get()
    assert (report.area, report.organisation.code, report.period_kind) == (
        world.city,
        "statistics",
        "year",
    )
    gdp = StatisticLine.objects.get(item="gdp_current")
    assert gdp.value_canonical == pytest.approx(7809.64 * 10_000)
    assert gdp.canonical_unit == "10k_yuan"
    coal = StatisticLine.objects.get(item="energy_consumption", breakdown="raw_coal")
    assert coal.value_canonical == 15_000_000


@pytest.mark.parametrize(
    ("record", "code"),
    [
        (StatisticsReportRecord("扬州经济技术开发区", "2024", lines=_city()), "area_zone"),
        (StatisticsReportRecord("月球", "2024", lines=_city()), "area_unknown"),
        (StatisticsReportRecord("扬州市", "2024-03", lines=_city()), "period_invalid"),
        (
            StatisticsReportRecord(
                "扬州市",
                "2024",
                lines=[
                    StatisticRecord("能源消费量", 10, "万吨", breakdown="原煤"),
                    StatisticRecord("原料用能", 20, "万吨", breakdown="原煤"),
                ],
            ),
            "feedstock_exceeds_consumption",
        ),
        (
            StatisticsReportRecord(
                "扬州市", "2024", lines=[StatisticRecord("地区生产总值（现价）", 10, "亿美元")]
            ),
            "unit_invalid",
        ),
        (
            StatisticsReportRecord(
                "扬州市",
                "2024",
                lines=[StatisticRecord("一次电力", 10, "亿千瓦时", breakdown="燃煤发电")],
            ),
            "source_not_primary",
        ),
        (
            StatisticsReportRecord("扬州市", "2024", lines=[StatisticRecord("幸福指数", 10, "")]),
            "item_unknown",
        ),
        (
            StatisticsReportRecord(
                "扬州市", "2024", lines=[StatisticRecord("能源消费总量", -5, "万吨标准煤")]
            ),
            "negative",
        ),
    ],
)
def test_statistics_rules(
    world: World, statistician: Any, record: StatisticsReportRecord, code: str
) -> None:
    outcome = save_statistics([record], acting_user=statistician)
    assert not outcome.stored
    assert code in [i.code for i in outcome.issues.errors], outcome.issues.to_text()
    assert Report.objects.count() == 0


def test_net_export_of_electricity_may_be_negative(world: World, statistician: Any) -> None:
    record = StatisticsReportRecord(
        "仪征市", "2024-Q2", lines=[StatisticRecord("净调入电力", -3, "亿千瓦时")]
    )
    assert save_statistics([record], acting_user=statistician).stored


def test_only_the_bureau_and_the_plan_office_report_statistics(world: World) -> None:
    record = StatisticsReportRecord("扬州市", "2024", lines=_city())
    for persona in ("dept_reporter", "area_user", "enterprise", "leader"):
        outcome = save_statistics([record], acting_user=world.persona(persona).user)
        assert not outcome.stored, persona
    assert save_statistics([record], acting_user=world.persona("plan_admin").user).stored


def test_who_sees_statistics(world: World, statistician: Any) -> None:
    save_statistics(
        [
            StatisticsReportRecord("扬州市", "2024", lines=_city()),
            StatisticsReportRecord(
                "仪征市", "2024", lines=[StatisticRecord("能源消费总量", 1, "万吨标准煤")]
            ),
            StatisticsReportRecord(
                "邗江区", "2024", lines=[StatisticRecord("能源消费总量", 1, "万吨标准煤")]
            ),
        ],
        acting_user=statistician,
    )
    seen = {
        key: set(viewable(world.persona(key).user, Report).values_list("area__name", flat=True))
        for key in ("leader", "dept_reviewer", "area_user", "enterprise", "no_role")
    }
    assert seen["leader"] == seen["dept_reviewer"] == {"扬州市", "仪征市", "邗江区"}
    assert seen["area_user"] == {"扬州市", "邗江区"}
    assert seen["enterprise"] == seen["no_role"] == set()


def test_indicators_computed_from_statistics(world: World, statistician: Any) -> None:
    from ecplan.reporting.services import set_revision_state

    outcome = save_statistics(
        [StatisticsReportRecord("扬州市", "2024", lines=_city())], acting_user=statistician
    )
    leader = world.persona("leader").user
    period = Period.of_year(2024)
    # only approved data counts; preview shows submitted data, marked
    assert compute("power_coal_share", acting_user=leader, period=period) == []
    set_revision_state(outcome.revisions[0], "submitted", acting_user=statistician)
    preview = compute("power_coal_share", acting_user=leader, period=period, preview=True)
    assert preview[0].preview
    set_revision_state(
        outcome.revisions[0], "approved", acting_user=world.persona("plan_admin").user
    )
    (power,) = compute("power_coal_share", acting_user=leader, period=period)
    assert not power.preview
    assert power.value == pytest.approx((900 + 100) / 1500 * 100)
    (generation,) = compute("nonfossil_generation_share", acting_user=leader, period=period)
    assert generation.value == pytest.approx(60 / 360 * 100)
    (share,) = compute("nonfossil_share", acting_user=leader, period=period)
    assert 0 < share.value < 100


def test_statistics_file_import(world: World, statistician: Any) -> None:
    header = ["地区", "期间", "指标", "分项", "项目", "数值", "计量单位", "备注"]
    data = xlsx(
        {
            "统计数据": [
                header,
                ["扬州市", "2024", "地区生产总值（现价）", None, None, "7,809.64", "亿元", None],
                ["扬州市", "2024", "增加值（现价，分产业）", "服务业", None, 3809.38, "亿元", None],
                [
                    "扬州市",
                    "2024",
                    "地区生产总值指数（上年=100）",
                    None,
                    None,
                    5.8,
                    "上年=100",
                    None,
                ],
            ]
        }
    )
    outcome = import_file(data, acting_user=statistician, filename="统计.xlsx")
    assert outcome.needs_confirmation  # an index of 5.8 is a growth rate, not an index
    assert [w.code for w in outcome.issues.warnings] == ["index_implausible"]
    assert outcome.issues.warnings[0].row == 4
    assert Report.objects.count() == 0

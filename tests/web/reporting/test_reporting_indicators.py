"""Department indicator reports: assignments, units, frequency, scope."""

from __future__ import annotations

from typing import Any

import pytest

from ecplan.accounts.testing import World
from ecplan.reporting.models import IndicatorAssignment, IndicatorValue
from ecplan.reporting.records import IndicatorReportRecord, IndicatorValueRecord
from ecplan.reporting.services import import_file, save_indicator_reports

from .builders import xlsx


@pytest.fixture(autouse=True)
def _setup(world: World, settings: Any) -> None:
    settings.ECPLAN_REPORTING_WINDOWS = {"indicator": 36500}
    IndicatorAssignment.objects.create(
        plan_code="yangzhou-2025",
        indicator="existing_building_retrofit_area_m2",
        organisation=world.dept,
        frequency="year",
        unit="m2",
    )
    IndicatorAssignment.objects.create(
        plan_code="yangzhou-2025",
        indicator="dc_green_standard",
        organisation=world.dept,
        frequency="quarter",
        unit="1",
    )


def _save(world: World, persona: str, *records: IndicatorReportRecord) -> Any:
    return save_indicator_reports(list(records), acting_user=world.persona(persona).user)


def test_values_with_units_and_text(world: World) -> None:
    outcome = _save(
        world,
        "dept_reporter",
        IndicatorReportRecord(
            "市工信局",
            "2024",
            values=[IndicatorValueRecord("既有建筑节能改造面积", 3.5, "万平方米", comment="全年")],
        ),
        IndicatorReportRecord(
            "市工信局",
            "2024-Q4",
            values=[
                IndicatorValueRecord("dc_green_standard", text_value="是", subject="示例数据中心")
            ],
        ),
    )
    assert outcome.stored, outcome.issues.to_text()
    area = IndicatorValue.objects.get(indicator="existing_building_retrofit_area_m2")
    assert (area.value, area.unit, area.value_canonical) == (3.5, "万平方米", 35_000)
    assert IndicatorValue.objects.get(indicator="dc_green_standard").text_value == "是"


@pytest.mark.parametrize(
    ("record", "code"),
    [
        (
            IndicatorReportRecord(
                "市工信局",
                "2024-Q1",
                values=[IndicatorValueRecord("existing_building_retrofit_area_m2", 1, "m2")],
            ),
            "frequency_mismatch",
        ),
        (
            IndicatorReportRecord(
                "市工信局",
                "2024",
                values=[IndicatorValueRecord("existing_building_retrofit_area_m2", 1, "吨")],
            ),
            "unit_invalid",
        ),
        (
            IndicatorReportRecord(
                "市工信局", "2024", values=[IndicatorValueRecord("nonfossil_share", 20, "%")]
            ),
            "indicator_not_assigned",
        ),
        (
            IndicatorReportRecord(
                "市住建局",
                "2024",
                values=[IndicatorValueRecord("existing_building_retrofit_area_m2", 1, "m2")],
            ),
            "organisation_out_of_scope",
        ),
        (
            IndicatorReportRecord(
                "市工信局",
                "2024",
                values=[IndicatorValueRecord("existing_building_retrofit_area_m2")],
            ),
            "missing",
        ),
    ],
)
def test_indicator_rules(world: World, record: IndicatorReportRecord, code: str) -> None:
    outcome = _save(world, "dept_reporter", record)
    assert code in [i.code for i in outcome.issues.errors], outcome.issues.to_text()
    assert IndicatorValue.objects.count() == 0


def test_indicator_file(world: World) -> None:
    header = ["填报部门", "期间", "指标代码", "指标名称", "对象", "数值", "单位", "文字值", "说明"]
    data = xlsx(
        {
            "指标值": [
                header,
                [
                    "市工信局",
                    "2024",
                    "existing_building_retrofit_area_m2",
                    "既有建筑节能改造面积",
                    None,
                    "１２",
                    "万平方米",
                    None,
                    None,
                ],
                [
                    "市工信局",
                    "2024-Q3",
                    "dc_green_standard",
                    None,
                    "示例数据中心",
                    None,
                    None,
                    "否",
                    "未达标",
                ],
            ]
        }
    )
    outcome = import_file(
        data, acting_user=world.persona("dept_reporter").user, filename="指标.xlsx"
    )
    assert outcome.stored, outcome.issues.to_text()
    assert IndicatorValue.objects.count() == 2


def test_csv_exports_do_not_carry_formulas(world: World) -> None:
    from ecplan.reporting.exports import export

    outcome = _save(
        world,
        "dept_reporter",
        IndicatorReportRecord(
            "市工信局",
            "2024",
            values=[
                IndicatorValueRecord(
                    "existing_building_retrofit_area_m2", 1, "m2", comment='=HYPERLINK("http://x")'
                )
            ],
        ),
    )
    assert outcome.stored
    text = export(
        "indicator-values", acting_user=world.persona("dept_reporter").user, fmt="csv"
    ).data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text

"""The reporting calendar (windows, deadlines, configuration) and the missing-submission
list."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ecplan.reporting.models import IndicatorAssignment
from ecplan.reporting.periods import Period
from ecplan.reporting.windows import open_periods, window_status
from ecplan.workflow import services
from ecplan.workflow.models import ReportingSchedule
from ecplan.workflow.testing import bare_report

from .conftest import PERIOD, TODAY, Cast


@pytest.mark.django_db
def test_monthly_energy_reports_are_due_on_the_10th_of_the_next_month() -> None:
    w = window_status("energy", Period.month(2025, 3), today=TODAY)
    assert (w.opens, w.deadline, w.closes) == (
        dt.date(2025, 4, 1),
        dt.date(2025, 4, 10),
        dt.date(2025, 6, 14),
    )
    assert w.is_open
    assert not w.is_late
    assert "截止日 2025-04-10" in w.describe()
    assert w.deadline_text == "2025-04-10（还有 2 天）"  # type: ignore[attr-defined]
    late = window_status("energy", Period.month(2025, 3), today=dt.date(2025, 4, 13))
    assert late.is_late
    assert late.deadline_text == "2025-04-10（已逾期 3 天）"


@pytest.mark.django_db
def test_default_deadlines_of_quarters_and_years() -> None:
    q = window_status("statistics", Period.quarter(2025, 1), today=TODAY)
    assert q.deadline == dt.date(2025, 4, 25)  # type: ignore[attr-defined]
    y = window_status("statistics", Period.of_year(2024), today=TODAY)
    assert y.deadline == dt.date(2025, 3, 31)  # type: ignore[attr-defined]
    i = window_status("indicator", Period.of_year(2024), today=TODAY)
    assert i.deadline == dt.date(2025, 1, 31)  # type: ignore[attr-defined]
    february = window_status("indicator", Period.month(2025, 1), today=TODAY)
    assert february.deadline == dt.date(2025, 2, 15)  # type: ignore[attr-defined]


def test_the_plan_office_changes_the_calendar_and_the_importer_follows(cast: Cast) -> None:
    schedule = ReportingSchedule.objects.get(report_type="energy", period_kind="month")
    services.save_schedule(
        schedule,
        {"deadline_day": 15, "window_days": 40, "reminder_offsets": [5, -2, 0, 0]},
        acting_user=cast.plan,
    )
    w = window_status("energy", Period.month(2025, 3), today=TODAY)
    assert (w.deadline, w.closes) == (dt.date(2025, 4, 15), dt.date(2025, 5, 10))  # type: ignore[attr-defined]
    schedule.refresh_from_db()
    assert schedule.reminder_offsets == [-2, 0, 5]
    assert open_periods("energy", "month", today=dt.date(2025, 5, 12)) == [Period.month(2025, 4)]


def test_a_deadline_outside_the_window_is_refused(cast: Cast) -> None:
    schedule = ReportingSchedule.objects.get(report_type="energy", period_kind="month")
    with pytest.raises(services.WorkflowError, match="截止日须在填报期内"):
        services.save_schedule(
            schedule, {"deadline_month_offset": 3, "window_days": 30}, acting_user=cast.plan
        )
    schedule.refresh_from_db()
    assert schedule.window_days == 75


def test_the_missing_list_names_every_owner_state_and_reviewer(cast: Cast, draft: Any) -> None:
    world = cast.world
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    bare_report("energy", world.e_gaoyou, PERIOD)  # a draft
    rows = {r.owner: r for r in services.obligations("energy", PERIOD, today=TODAY)}
    assert set(rows) == {world.e_yizheng, world.e_gaoyou, world.e_zone}
    assert rows[world.e_yizheng].state == "submitted"
    assert rows[world.e_yizheng].waiting_for == "仪征市（区县用户）"
    assert rows[world.e_gaoyou].state == "draft"
    assert rows[world.e_zone].state == "missing"
    assert rows[world.e_zone].responsible == "邗江区（区县用户）"
    assert rows[world.e_yizheng].responsible_users  # 仪征市's reviewers are named
    assert rows[world.e_yizheng].reporters == [cast.reporter]
    assert not rows[world.e_zone].submitted
    late = services.obligations("energy", PERIOD, today=dt.date(2025, 4, 15))
    assert {r.owner: r.overdue_days for r in late}[world.e_zone] == 5


def test_the_missing_list_is_scoped(cast: Cast) -> None:
    world = cast.world
    area = world.persona("area_user").user  # 邗江区 and its zone
    assert [r.owner for r in services.obligations("energy", PERIOD, user=area)] == [world.e_zone]
    # 市工信局 reviews every enterprise's energy report (step 2): it sees them all
    assert len(services.obligations("energy", PERIOD, user=cast.gxj)) == 3
    assert services.obligations("energy", PERIOD, user=cast.dept_reporter) == []


def test_indicator_obligations_follow_the_assignments(cast: Cast) -> None:
    world = cast.world
    IndicatorAssignment.objects.create(
        plan_code="yangzhou-2025",
        indicator="x",
        organisation=world.dept,
        frequency="year",
        unit="%",
    )
    rows = services.obligations("indicator", "2024", today=dt.date(2025, 1, 20))
    assert [(r.owner, r.state, r.responsible) for r in rows] == [
        (world.dept, "missing", "计划管理部门（计划管理员）")
    ]
    assert services.obligations("indicator", "2024-Q4") == []  # nobody reports quarterly


def test_statistics_obligations_cover_the_city_and_each_county_level_area(cast: Cast) -> None:
    rows = services.obligations("statistics", "2025-Q1", today=TODAY)
    names = [r.area.name for r in rows]
    assert names[0] == "扬州市"
    assert "仪征市" in names
    assert "扬州经济技术开发区" not in names


def test_the_missing_page(cast: Cast, draft: Any) -> None:
    client = cast.client(cast.plan)
    page = client.get("/workflow/missing/", {"report_type": "energy", "period": PERIOD})
    text = page.content.decode()
    assert page.status_code == 200
    assert "测试高邮电子有限公司" in text
    assert "未填报" in text
    assert "草稿" in text
    assert "仪征市（区县用户）" in text
    assert "无填报账户" in text
    bad = client.get("/workflow/missing/", {"report_type": "energy", "period": "2025-13"})
    assert "不是有效的期间" in bad.content.decode()


def test_the_calendar_page_shows_open_periods_and_the_plan_office_edits_it(cast: Cast) -> None:
    page = cast.client(cast.reporter).get("/workflow/calendar/")
    assert page.status_code == 200
    assert "截止前 3 天" in page.content.decode()
    schedule = ReportingSchedule.objects.get(report_type="energy", period_kind="month")
    assert (
        cast.client(cast.reporter).get(f"/workflow/calendar/{schedule.pk}/edit/").status_code == 403
    )
    client = cast.client(cast.plan)
    form = {
        "expected": "on",
        "opens_after_days": 1,
        "window_days": 75,
        "deadline_month_offset": 1,
        "deadline_day": 12,
        "reminder_text": "-3，0、2",
        "remind_reviewers": "on",
    }
    assert client.post(f"/workflow/calendar/{schedule.pk}/edit/", form).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.deadline_day, schedule.reminder_offsets) == (12, [-3, 0, 2])
    bad = client.post(f"/workflow/calendar/{schedule.pk}/edit/", {**form, "reminder_text": "三天"})
    assert "不是整数天数" in bad.content.decode()


def test_the_deployment_setting_still_overrides_window_lengths(cast: Cast, settings: Any) -> None:
    settings.ECPLAN_REPORTING_WINDOWS = {"statistics": 36500}
    w = window_status("statistics", Period.of_year(2020), today=TODAY)
    assert w.is_open
    assert w.deadline == dt.date(2021, 3, 31)  # type: ignore[attr-defined]
    page = cast.client(cast.plan).get("/workflow/calendar/").content.decode()
    assert "由部署设置 ECPLAN_REPORTING_WINDOWS 指定" in page

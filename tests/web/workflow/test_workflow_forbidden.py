"""Every forbidden transition is refused with a Chinese reason, and nothing changes."""

from __future__ import annotations

from typing import Any

import pytest

from ecplan.accounts.policies import can
from ecplan.accounts.testing import grant, make_user
from ecplan.reporting.models import Revision
from ecplan.workflow import services
from ecplan.workflow.models import WorkflowEvent
from ecplan.workflow.testing import bare_report, save_energy

from .conftest import PERIOD, TODAY, Cast


@pytest.fixture
def submitted(cast: Cast, draft: Any) -> Any:
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    return draft


def _state(report: Any) -> str:
    return str(Revision.objects.filter(report=report).order_by("-number").first().state)  # type: ignore[union-attr]


def _refused(report: Any, user: Any, match: str, decision: str = "approve") -> None:
    events = WorkflowEvent.objects.count()
    version = type(report).objects.get(pk=report.pk).version
    with pytest.raises(services.WorkflowRefused, match=match):
        services.decide(report, decision, acting_user=user, comment="意见")
    assert not can(user, decision, report)
    assert WorkflowEvent.objects.count() == events
    assert type(report).objects.get(pk=report.pk).version == version


def test_an_enterprise_never_approves_its_own_report(cast: Cast, submitted: Any) -> None:
    _refused(submitted, cast.reporter, "企业不能审核本企业的报表")
    _refused(submitted, cast.reporter, "企业不能审核本企业的报表", "return")
    assert _state(submitted) == "submitted"


def test_an_area_reviewer_who_also_reports_for_the_enterprise_may_not_approve_it(
    cast: Cast, submitted: Any
) -> None:
    grant(cast.area, "enterprise_reporter", cast.world.e_yizheng)
    _refused(submitted, cast.area, "企业不能审核本企业的报表")


def test_a_department_reporter_cannot_approve(cast: Cast, submitted: Any) -> None:
    _refused(submitted, cast.dept_reporter, "不是该环节的审核人")


def test_a_reviewer_of_another_area_is_out_of_scope(cast: Cast, submitted: Any) -> None:
    _refused(submitted, cast.gaoyou, "当前等待仪征市（区县用户）审核（第 1 步）")


def test_the_second_step_cannot_act_before_the_first(cast: Cast, submitted: Any) -> None:
    _refused(submitted, cast.gxj, "当前等待仪征市")


def test_leaders_only_read(cast: Cast, submitted: Any) -> None:
    _refused(submitted, cast.leader, "领导账户只能查看")
    with pytest.raises(services.WorkflowRefused, match="领导账户只能查看"):
        services.submit(submitted, acting_user=cast.leader, today=TODAY)


def test_a_reviewer_cannot_review_data_they_submitted(cast: Cast) -> None:
    import datetime as dt

    # the plan office's own indicator report, submitted by a plan administrator
    report = bare_report("indicator", cast.world.plan_office, "2024", created_by=cast.plan)
    services.submit(report, acting_user=cast.plan, today=dt.date(2025, 1, 20))
    _refused(report, cast.plan, "不能审核自己提交的数据")
    services.approve(report, acting_user=cast.plan2)
    assert _state(report) == "approved"


def test_a_reviewer_cannot_review_data_they_entered(cast: Cast) -> None:
    import datetime as dt

    report = bare_report("indicator", cast.world.plan_office, "2024", created_by=cast.plan2)
    services.submit(report, acting_user=cast.plan, today=dt.date(2025, 1, 20))
    _refused(report, cast.plan2, "不能审核自己填报的数据")


def test_one_person_cannot_decide_both_steps(cast: Cast, submitted: Any) -> None:
    both = make_user(
        "t-both", ("area_user", cast.world.yizheng), ("dept_reviewer", cast.world.dept)
    )
    services.approve(submitted, acting_user=both)
    _refused(submitted, both, "同一人不能完成同一次提交的两级审核")
    services.approve(submitted, acting_user=cast.gxj)
    assert _state(submitted) == "approved"


def test_double_approval_is_refused(cast: Cast, submitted: Any) -> None:
    services.approve(submitted, acting_user=cast.area)
    services.approve(submitted, acting_user=cast.gxj)
    _refused(submitted, cast.gxj2, "已于 .* 审核通过，无需重复审核")
    _refused(submitted, cast.gxj2, "无需重复审核", "return")


def test_the_same_step_cannot_be_decided_twice(cast: Cast, submitted: Any) -> None:
    from ecplan.workflow.models import ReviewStep

    step = ReviewStep.objects.get(status="pending")
    services.decide(step, "approve", acting_user=cast.area)
    with pytest.raises(
        services.WorkflowError, match=r"本环节已由 仪征审核员 于 .* 审核通过，无需重复操作"
    ):
        services.decide(step, "approve", acting_user=cast.area2)


def test_returning_without_a_reason_is_refused(cast: Cast, submitted: Any) -> None:
    with pytest.raises(services.WorkflowError, match="退回须填写原因"):
        services.return_report(submitted, acting_user=cast.area, reason="")
    assert _state(submitted) == "submitted"


def test_nothing_to_review_in_a_draft(cast: Cast, draft: Any) -> None:
    _refused(draft, cast.area, "报表尚未提交")


def test_submitting_twice_is_refused(cast: Cast, submitted: Any) -> None:
    with pytest.raises(
        services.WorkflowRefused, match="第 1 版已提交（等待仪征市（区县用户）审核）"
    ):
        services.submit(submitted, acting_user=cast.reporter, today=TODAY)


def test_an_approved_revision_cannot_be_submitted_again(cast: Cast, submitted: Any) -> None:
    services.approve(submitted, acting_user=cast.area)
    services.approve(submitted, acting_user=cast.gxj)
    with pytest.raises(services.WorkflowRefused, match="已审核通过，数据已锁定"):
        services.submit(submitted, acting_user=cast.reporter, today=TODAY)


def test_only_the_owner_submits(cast: Cast, draft: Any) -> None:
    for user in (cast.area, cast.gxj, cast.dept_reporter):
        with pytest.raises(services.WorkflowRefused, match="不是“测试仪征化工有限公司”的填报人"):
            services.submit(draft, acting_user=user, today=TODAY)
    assert _state(draft) == "draft"


def test_a_closed_window_refuses_the_reporter_but_not_the_plan_office(
    cast: Cast, draft: Any
) -> None:
    import datetime as dt

    late = dt.date(2025, 7, 1)  # March closed 75 days after its end
    with pytest.raises(services.WorkflowRefused, match=r"填报期已截止.*联系计划管理部门"):
        services.submit(draft, acting_user=cast.reporter, today=late)
    sub = services.submit(draft, acting_user=cast.plan, today=late)
    assert sub.late


def test_a_period_not_yet_ended_cannot_be_submitted(cast: Cast) -> None:
    import datetime as dt

    report = bare_report("energy", cast.world.e_yizheng, "2025-04")
    with pytest.raises(services.WorkflowRefused, match="2025年4月尚未结束"):
        services.submit(report, acting_user=cast.reporter, today=dt.date(2025, 4, 20))


def test_a_locked_revision_cannot_be_edited_in_place(cast: Cast, submitted: Any) -> None:
    services.approve(submitted, acting_user=cast.area)
    services.approve(submitted, acting_user=cast.gxj)
    first = Revision.objects.get(report=submitted, number=1)
    status = services.edit_status(submitted, first)
    assert not status.allowed
    assert "已锁定，不能直接修改" in status.message
    assert "第 2 版" in status.message
    overall = services.edit_status(submitted)
    assert overall.allowed
    assert not overall.in_place
    assert overall.reason_required
    assert "审核通过前，第 1 版仍为有效数据" in overall.message
    # what the storage does with new data: a new revision, the approved one untouched
    lines = list(first.energy_lines.values_list("carrier", "consumed"))
    save_energy(cast.reporter, cast.world.e_yizheng, PERIOD, today=TODAY, coal_t=1)
    first.refresh_from_db()
    assert first.state == "approved"
    assert list(first.energy_lines.values_list("carrier", "consumed")) == lines
    assert not services.edit_status(submitted, first).allowed  # now an old revision
    assert "历史版本" in services.edit_status(submitted, first).message


def test_a_draft_is_edited_in_place(cast: Cast, draft: Any) -> None:
    status = services.edit_status(draft)
    assert status.allowed
    assert status.in_place
    assert status.message == ""


def test_only_the_plan_office_changes_the_configuration(cast: Cast) -> None:
    from ecplan.workflow.models import ReportingSchedule

    with pytest.raises(services.WorkflowRefused, match="只有计划管理员"):
        services.save_route("energy", [services.StageInput("area")], acting_user=cast.gxj)
    schedule = ReportingSchedule.objects.get(report_type="energy", period_kind="month")
    with pytest.raises(services.WorkflowRefused, match="只有计划管理员"):
        services.save_schedule(schedule, {"deadline_day": 15}, acting_user=cast.area)

"""Every transition of the review workflow through the services: submit, two-step approval,
return with a reason, correction, resubmission, withdrawal, supersession, and which revision
counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from ecplan.audit.models import AuditEvent
from ecplan.reporting.models import Revision
from ecplan.workflow import services
from ecplan.workflow.models import (
    Notification,
    ReviewStep,
    Submission,
    WorkflowEvent,
)
from ecplan.workflow.testing import bare_report, save_energy

from .conftest import PERIOD, TODAY, Cast


def _revision(report: Any, number: int) -> Revision:
    return Revision.objects.get(report=report, number=number)


def _actions(report: Any) -> list[str]:
    return list(
        WorkflowEvent.objects.filter(report=report).order_by("id").values_list("action", flat=True)
    )


def test_two_step_review_by_the_area_then_the_industry_bureau(
    cast: Cast, draft: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submit(draft, acting_user=cast.reporter, today=TODAY)
    rev = _revision(draft, 1)
    assert rev.state == "submitted"
    steps = list(submission.steps.order_by("position"))
    assert [(s.label, s.status) for s in steps] == [
        ("仪征市（区县用户）", "pending"),
        ("市工信局（部门审核员）", "waiting"),
    ]
    assert not submission.late
    assert submission.deadline.isoformat() == "2025-04-10"
    # the area's reviewers are told, by message and e-mail
    assert Notification.objects.filter(recipient=cast.area, kind="to_review").count() == 1
    assert [m.to for m in mail.outbox] == [["yz@example.cn"]]
    assert "待审核" in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        services.approve(draft, acting_user=cast.area, comment="数据完整")
    rev.refresh_from_db()
    assert rev.state == "submitted"  # still under review: step 2 waits
    assert not Revision.objects.approved().filter(pk=rev.pk).exists()
    assert ReviewStep.objects.get(submission=submission, position=2).status == "pending"
    assert Notification.objects.filter(recipient=cast.gxj, kind="to_review").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.approve(draft, acting_user=cast.gxj)
    rev.refresh_from_db()
    assert rev.state == "approved"
    assert rev.state_changed_by == cast.gxj
    assert list(Revision.objects.approved()) == [rev]
    submission.refresh_from_db()
    assert submission.status == "approved"
    assert submission.closed_at is not None
    decided = [(s.position, s.decided_by, s.status, s.comment) for s in submission.steps.all()]
    assert decided == [(1, cast.area, "approved", "数据完整"), (2, cast.gxj, "approved", "")]
    assert _actions(draft) == ["submit", "approve_step", "approve"]
    assert Notification.objects.filter(recipient=cast.reporter, kind="approved").count() == 1
    assert mail.outbox[-1].to == ["reporter@example.cn"]
    actions = set(
        AuditEvent.objects.filter(object_type="reporting.Revision").values_list("action", flat=True)
    )
    assert {"submit", "approve"} <= actions


def test_return_needs_a_reason_and_the_correction_is_a_new_revision(cast: Cast, draft: Any) -> None:
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    with pytest.raises(services.WorkflowError, match="退回须填写原因"):
        services.return_report(draft, acting_user=cast.area, reason="  ")
    assert _revision(draft, 1).state == "submitted"  # nothing happened

    services.return_report(draft, acting_user=cast.area, reason="电力消费量偏高，请核实")
    first = _revision(draft, 1)
    assert (first.state, first.state_reason) == ("returned", "电力消费量偏高，请核实")
    assert Notification.objects.filter(recipient=cast.reporter, kind="returned").exists()
    hash_before = first.content_hash

    # the reporter corrects: a new draft revision, the returned one stays as it was
    save_energy(cast.reporter, cast.world.e_yizheng, PERIOD, today=TODAY, electricity_10k_kwh=250)
    second = _revision(draft, 2)
    first.refresh_from_db()
    assert (second.state, second.based_on_id) == ("draft", first.pk)
    assert (first.state, first.content_hash) == ("returned", hash_before)
    assert first.energy_lines.get(carrier="electricity").consumed == 300

    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    services.approve(draft, acting_user=cast.area)
    services.approve(draft, acting_user=cast.gxj)
    assert list(Revision.objects.approved()) == [_revision(draft, 2)]
    assert _actions(draft) == ["submit", "return", "submit", "approve_step", "approve"]


def test_resubmitting_a_returned_revision_unchanged_needs_a_comment(cast: Cast, draft: Any) -> None:
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    services.return_report(draft, acting_user=cast.area, reason="请核实电力")
    with pytest.raises(services.WorkflowError, match="写明理由"):
        services.submit(draft, acting_user=cast.reporter, today=TODAY)
    services.submit(draft, acting_user=cast.reporter, comment="已核实，新产线投产", today=TODAY)
    assert _revision(draft, 1).state == "submitted"
    assert Submission.objects.filter(report=draft).count() == 2
    assert _actions(draft) == ["submit", "return", "resubmit"]


def test_a_correction_after_approval_is_reviewed_again_and_the_approved_one_counts_meanwhile(
    cast: Cast, draft: Any
) -> None:
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    services.approve(draft, acting_user=cast.area)
    services.approve(draft, acting_user=cast.gxj)
    first = _revision(draft, 1)

    save_energy(
        cast.reporter, cast.world.e_yizheng, PERIOD, today=TODAY, reason="更正煤耗", coal_t=900
    )
    second = _revision(draft, 2)
    assert second.state == "draft"
    assert second.reason == "更正煤耗"
    assert list(Revision.objects.approved()) == [first]
    assert list(Revision.objects.effective(preview=True)) == [first]

    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    preview = list(Revision.objects.effective(preview=True))
    assert preview == [second]
    assert preview[0].is_preview
    assert list(Revision.objects.effective()) == [first]

    services.approve(draft, acting_user=cast.area)
    services.approve(draft, acting_user=cast.gxj)
    assert list(Revision.objects.approved()) == [second]
    first.refresh_from_db()
    assert first.state == "approved"  # superseded, never overwritten


def test_a_one_step_route_is_configuration(cast: Cast, draft: Any) -> None:
    services.save_route("energy", [services.StageInput("area")], acting_user=cast.plan)
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    services.approve(draft, acting_user=cast.area)
    assert _revision(draft, 1).state == "approved"
    assert AuditEvent.objects.filter(action="configure").exists()


def test_the_route_can_send_energy_reports_to_the_industry_bureau_only(
    cast: Cast, draft: Any
) -> None:
    services.save_route(
        "energy", [services.StageInput("organisation", "industry-it")], acting_user=cast.plan
    )
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    with pytest.raises(services.WorkflowRefused):
        services.approve(draft, acting_user=cast.area)
    services.approve(draft, acting_user=cast.gxj)
    assert _revision(draft, 1).state == "approved"


@pytest.mark.parametrize("report_type", ["indicator", "statistics"])
def test_department_reports_are_reviewed_by_the_plan_office(cast: Cast, report_type: str) -> None:
    import datetime as dt

    from ecplan.organisations.models import Organisation

    world = cast.world
    if report_type == "indicator":
        owner, reporter, area = world.dept, cast.dept_reporter, None
    else:
        from ecplan.accounts.testing import make_user

        owner = Organisation.objects.get(region=world.region, code="statistics")
        reporter = make_user("t-stat", ("dept_reporter", owner))
        area = world.city
    report = bare_report(report_type, owner, "2024", area=area, created_by=reporter)
    services.submit(report, acting_user=reporter, today=dt.date(2025, 1, 20))
    step = ReviewStep.objects.get(submission__report=report)
    assert step.label == "计划管理部门（计划管理员）"
    with pytest.raises(services.WorkflowRefused):
        services.approve(report, acting_user=cast.gxj)
    services.approve(report, acting_user=cast.plan)
    assert Revision.objects.get(report=report).state == "approved"


def test_the_own_department_can_review_first(cast: Cast) -> None:
    import datetime as dt

    services.save_route(
        "indicator",
        [services.StageInput("own_department"), services.StageInput("plan_office")],
        acting_user=cast.plan,
    )
    report = bare_report("indicator", cast.world.dept, "2024", created_by=cast.dept_reporter)
    services.submit(report, acting_user=cast.dept_reporter, today=dt.date(2025, 1, 20))
    services.approve(report, acting_user=cast.gxj)  # 市工信局's own reviewer
    services.approve(report, acting_user=cast.plan)
    assert Revision.objects.get(report=report).state == "approved"


def test_the_reporter_may_withdraw_before_anyone_decided(cast: Cast, draft: Any) -> None:
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    with pytest.raises(services.WorkflowError, match="撤回须填写原因"):
        services.withdraw(draft, acting_user=cast.reporter, reason="")
    services.withdraw(draft, acting_user=cast.reporter, reason="煤耗填错了")
    rev = _revision(draft, 1)
    assert (rev.state, rev.state_reason) == ("returned", "撤回：煤耗填错了")
    assert Submission.objects.get(report=draft).status == "withdrawn"
    assert Notification.objects.filter(recipient=cast.area, kind="withdrawn").exists()
    assert not ReviewStep.objects.filter(status="pending").exists()


def test_no_withdrawal_once_a_step_is_approved(cast: Cast, draft: Any) -> None:
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    services.approve(draft, acting_user=cast.area)
    with pytest.raises(services.WorkflowError, match="不能再撤回"):
        services.withdraw(draft, acting_user=cast.reporter, reason="想修改")


def test_new_data_while_under_review_supersedes_the_submission(cast: Cast, draft: Any) -> None:
    from ecplan.workflow.policies import queue

    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    step = ReviewStep.objects.get(status="pending")
    assert list(queue(cast.area)) == [step]
    save_energy(cast.reporter, cast.world.e_yizheng, PERIOD, today=TODAY, coal_t=990)
    assert list(queue(cast.area)) == []  # nothing to review: the newest revision is a draft
    with pytest.raises(services.WorkflowError, match="第 1 版已被第 2 版（草稿）取代"):
        services.decide(step, "approve", acting_user=cast.area)
    assert services.close_superseded() == 1
    assert Submission.objects.get(report=draft).status == "superseded"
    assert _actions(draft) == ["submit", "supersede"]
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    assert _revision(draft, 2).state == "submitted"


def test_a_revision_stored_as_submitted_is_reviewed_along_the_route(cast: Cast) -> None:
    report = bare_report(
        "energy", cast.world.e_yizheng, PERIOD, state="submitted", created_by=cast.plan
    )
    from ecplan.workflow.policies import pending_step

    step = pending_step(report)
    assert step is not None
    assert step.label == "仪征市（区县用户）"
    services.approve(report, acting_user=cast.area)
    sub = Submission.objects.get(report=report)
    assert sub.submitted_by == cast.plan
    services.approve(report, acting_user=cast.gxj)
    assert Revision.objects.get(report=report).state == "approved"


def test_revisions_stored_as_submitted_are_routed_and_announced(cast: Cast) -> None:
    from ecplan.workflow.policies import queue

    report = bare_report(
        "energy", cast.world.e_yizheng, PERIOD, state="submitted", created_by=cast.plan
    )
    assert list(queue(cast.area)) == []
    assert services.sync_submissions() == (0, 1)
    assert services.sync_submissions() == (0, 0)  # once
    assert [s.submission.report for s in queue(cast.area)] == [report]
    assert Notification.objects.filter(recipient=cast.area, kind="to_review").exists()
    assert "补录" in WorkflowEvent.objects.get(report=report).comment

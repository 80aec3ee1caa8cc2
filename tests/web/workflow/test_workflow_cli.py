"""``ecplan submissions``: acting as a named user, within that user's scope; exit codes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ecplan.audit.models import AuditEvent
from ecplan.cli import main
from ecplan.reporting.models import Report, Revision
from ecplan.workflow.testing import open_month, save_energy

from .conftest import Cast


@pytest.fixture
def reports(cast: Cast) -> list[Report]:
    """Drafts of the current open month for e_yizheng (the enterprise persona's) and e_gaoyou."""
    from ecplan.accounts.testing import make_user

    world = cast.world
    gy = make_user("t-gy-rep", ("enterprise_reporter", world.e_gaoyou))
    return [
        save_energy(cast.reporter, world.e_yizheng, open_month()),
        save_energy(gy, world.e_gaoyou, open_month()),
    ]


def _state(report: Report) -> str:
    return str(Revision.objects.get(report=report).state)


def test_commands_need_an_acting_user(
    cast: Cast, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ECPLAN_USER", raising=False)
    assert main(["submissions", "list"]) == 2
    assert "--as" in capsys.readouterr().err
    assert main(["submissions", "list", "--as", "nobody"]) == 2
    assert "用户“nobody”不存在" in capsys.readouterr().err


def test_list_shows_only_what_the_user_may_see(
    cast: Cast, reports: list[Report], capsys: Any
) -> None:
    assert main(["submissions", "list", "--as", "t-enterprise"]) == 0
    out = capsys.readouterr().out
    assert "测试仪征化工有限公司" in out
    assert "测试高邮电子有限公司" not in out
    assert "草稿" in out
    assert "共 1 份" in out
    assert main(["submissions", "list", "--as", "t-plan_admin", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 2
    assert {r["state"] for r in data["reports"]} == {"draft"}
    assert data["reports"][0]["deadline"]


def test_submit_then_review_in_batches(
    cast: Cast, reports: list[Report], capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine, theirs = reports
    monkeypatch.setenv("ECPLAN_USER", "t-enterprise")
    # by id: the other enterprise's report is not even visible
    assert main(["submissions", "submit", str(theirs.pk)]) == 2
    assert "找不到报表，或您无权查看" in capsys.readouterr().err
    assert main(["submissions", "submit", "--period", str(open_month()), "--dry-run"]) == 0
    assert "将提交" in capsys.readouterr().out
    assert _state(mine) == "draft"
    assert main(["submissions", "submit", "--period", str(open_month())]) == 0
    assert "已提交" in capsys.readouterr().out
    assert _state(mine) == "submitted"
    assert AuditEvent.objects.filter(action="submit", channel="cli").exists()

    # the reporter cannot approve its own report: refused, exit 1, with the reason
    assert main(["submissions", "approve", str(mine.pk)]) == 1
    assert "企业不能审核本企业的报表" in capsys.readouterr().err

    # 仪征市's reviewer: the queue by period
    monkeypatch.setenv("ECPLAN_USER", "t-yz-area")
    assert main(["submissions", "list", "--waiting-for-me"]) == 0
    out = capsys.readouterr().out
    assert "测试仪征化工有限公司" in out
    assert "等待仪征市（区县用户）审核" in out
    assert (
        main(["submissions", "approve", "--period", str(open_month()), "--comment", "核对无误"])
        == 0
    )
    assert "已审核通过" in capsys.readouterr().out
    assert main(["submissions", "approve", "--period", str(open_month())]) == 3  # queue empty
    capsys.readouterr()

    # 市工信局 returns: the reason is required
    monkeypatch.setenv("ECPLAN_USER", "t-dept_reviewer")
    assert main(["submissions", "return", str(mine.pk)]) == 2
    assert "--reason" in capsys.readouterr().err
    assert (
        main(
            [
                "submissions",
                "return",
                str(mine.pk),
                "--reason",
                "电力偏高，请核实",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["done"] == 1
    assert data["results"][0]["ok"]
    assert _state(mine) == "returned"
    assert Revision.objects.get(report=mine).state_reason == "电力偏高，请核实"


def test_a_reviewer_out_of_scope_cannot_reach_the_report(
    cast: Cast, reports: list[Report], capsys: Any
) -> None:
    mine, _ = reports
    assert main(["submissions", "submit", str(mine.pk), "--as", "t-enterprise"]) == 0
    capsys.readouterr()
    assert main(["submissions", "approve", str(mine.pk), "--as", "t-gy-area"]) == 2
    assert "无权查看" in capsys.readouterr().err
    # a leader sees it but may not act
    assert main(["submissions", "approve", str(mine.pk), "--as", "t-leader"]) == 1
    assert "领导账户只能查看" in capsys.readouterr().err
    assert _state(mine) == "submitted"


def test_a_batch_without_a_selection_is_refused(cast: Cast, capsys: Any) -> None:
    assert main(["submissions", "approve", "--as", "t-plan_admin"]) == 2
    assert "请指定报表编号" in capsys.readouterr().err


def test_the_missing_list_on_the_command_line(
    cast: Cast, reports: list[Report], capsys: Any
) -> None:
    period = str(open_month())
    assert main(["submissions", "missing", "--period", period, "--as", "t-plan_admin"]) == 0
    out = capsys.readouterr().out
    assert "测试经开区机械有限公司" in out
    assert "未填报" in out
    assert "草稿未提交" in out
    assert (
        main(
            [
                "submissions",
                "missing",
                "--period",
                period,
                "--as",
                "t-area_user",
                "--format",
                "json",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert [r["owner"] for r in data["rows"]] == ["测试经开区机械有限公司"]


def test_an_empty_selection_says_why_and_what_to_do(
    cast: Cast, reports: list[Report], capsys: Any
) -> None:
    period = str(open_month())
    mine = reports[0]
    reporter = cast.reporter.username
    assert main(["submissions", "submit", "--period", period, "--as", reporter]) == 0
    capsys.readouterr()
    # step 2 waits for step 1: 市工信局 finds nothing in its queue and is told why
    gxj = cast.gxj.username
    assert main(["submissions", "approve", "--period", period, "--as", gxj]) == 3
    assert "不在您的待审核队列中" in capsys.readouterr().err
    args = ["submissions", "return", "--period", period, "--reason", "请核实电力", "--as"]
    assert main([*args, cast.area.username]) == 0
    # a returned report is not taken by a batch submit: the reporter is told how
    assert main(["submissions", "submit", "--period", period, "--as", reporter]) == 3
    err = capsys.readouterr().err
    assert "已退回的报表 1 份" in err
    assert f"ecplan submissions submit {mine.pk} --comment" in err
    comment = ["--comment", "已核实，数据无误", "--as", reporter]
    assert main(["submissions", "submit", str(mine.pk), *comment]) == 0
    assert _state(mine) == "submitted"


def test_history_on_the_command_line(cast: Cast, reports: list[Report], capsys: Any) -> None:
    from ecplan.workflow import services

    period = open_month()
    mine = reports[0]
    services.submit(mine, acting_user=cast.reporter)
    services.return_report(mine, acting_user=cast.area, reason="请核实煤耗")
    save_energy(cast.reporter, cast.world.e_yizheng, period, reason="按台账更正", coal_t=900)
    services.submit(mine, acting_user=cast.reporter)
    services.approve(mine, acting_user=cast.area, comment="已核对")
    services.approve(mine, acting_user=cast.gxj)
    capsys.readouterr()
    assert main(["submissions", "history", str(mine.pk), "--as", cast.leader.username]) == 0
    out = capsys.readouterr().out
    assert "第 1 版 退回" in out
    assert "请核实煤耗" in out
    assert "第 2 版 已审核（当前有效）" in out
    assert "修订原因：按台账更正" in out
    assert "修改 能源消费 烟煤：购进量 1,200 → 1,080；消费量 1,000 → 900" in out
    assert f"第1步 仪征市（区县用户）：{cast.area.full_name}" in out
    args = ["submissions", "history", str(mine.pk), "--format", "json", "--as"]
    assert main([*args, cast.reporter.username]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["state"] for r in data["revisions"]] == ["returned", "approved"]
    # another area's reviewer may not see it
    assert main(["submissions", "history", str(mine.pk), "--as", cast.gaoyou.username]) == 2
    assert "无权查看" in capsys.readouterr().err

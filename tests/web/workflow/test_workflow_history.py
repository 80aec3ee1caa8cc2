"""The history of a report: every revision, every decision, field-by-field diffs."""

from __future__ import annotations

from typing import Any

from ecplan.reporting.records import EnergyLineRecord, EnergyReportRecord
from ecplan.reporting.services import save_energy_reports
from ecplan.workflow import services
from ecplan.workflow.history import report_history

from .conftest import PERIOD, TODAY, Cast


def _save(cast: Cast, lines: list[Any], reason: str = "") -> None:
    record = EnergyReportRecord(cast.world.e_yizheng.credit_code, PERIOD, lines=lines)
    outcome = save_energy_reports(
        [record], acting_user=cast.reporter, reason=reason, confirm_warnings=True, today=TODAY
    )
    assert outcome.stored, outcome.issues.to_text()


def _story(cast: Cast, draft: Any) -> None:
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    services.approve(draft, acting_user=cast.area, comment="已核对")
    services.return_report(draft, acting_user=cast.gxj, reason="天然气用量缺少发票依据")
    _save(
        cast,
        [
            EnergyLineRecord("烟煤", "吨", purchased=1200, consumed=900),
            EnergyLineRecord("电力", "万千瓦时", purchased=300, consumed=300),
            EnergyLineRecord("汽油", "吨", consumed=5),
        ],
        reason="按发票更正",
    )
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    services.approve(draft, acting_user=cast.area)
    services.approve(draft, acting_user=cast.gxj, comment="同意")


def test_history_lists_every_revision_decision_and_diff(cast: Cast, draft: Any) -> None:
    _story(cast, draft)
    first, second = report_history(draft)
    assert (first.revision.number, first.revision.state) == (1, "returned")
    assert [
        (e.action, e.step.position if e.step else None, e.actor, e.comment) for e in first.events
    ] == [
        ("submit", None, cast.reporter, ""),
        ("approve_step", 1, cast.area, "已核对"),
        ("return", 2, cast.gxj, "天然气用量缺少发票依据"),
    ]
    assert first.diff == []  # nothing before it
    assert second.revision.reason == "按发票更正"
    assert second.is_effective
    assert [e.action for e in second.events] == ["submit", "approve_step", "approve"]
    changes = {(c.kind, c.line): c for c in second.diff}
    coal = changes[("changed", "烟煤")]
    assert [(f.label, f.old, f.new) for f in coal.changes] == [("消费量", 1000.0, 900.0)]
    assert ("removed", "天然气") in changes
    added = changes[("added", "汽油")]
    assert ("消费量", None, 5.0) in [(f.label, f.old, f.new) for f in added.changes]
    # the accounting totals moved with the data
    assert {c.field for c in second.result_changes} >= {"energy_tce_equivalent", "co2_t"}
    old, new = (
        next(c for c in second.result_changes if c.field == "co2_t").old,
        next(c for c in second.result_changes if c.field == "co2_t").new,
    )
    assert new < old
    assert second.to_dict()["diff"]


def test_the_history_page_shows_who_when_why_and_old_to_new(cast: Cast, draft: Any) -> None:
    _story(cast, draft)
    page = cast.client(cast.reporter).get(f"/workflow/reports/{draft.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    for expected in (
        "第 2 版",
        "当前有效",
        "修订原因：按发票更正",
        "天然气用量缺少发票依据",
        "第 2 步 · 市工信局（部门审核员）",
        "仪征审核员",
        "已核对",
        "<td>烟煤</td><td>修改</td><td>消费量</td><td>1,000</td><td>900</td>",
        "<td>天然气</td><td>删除</td>",
        "<td>汽油</td><td>新增</td>",
    ):
        assert expected in text, expected


def test_the_industry_bureau_reviewer_sees_the_history_of_reports_routed_to_it(
    cast: Cast, draft: Any
) -> None:
    from ecplan.accounts.policies import viewable
    from ecplan.reporting.models import Report

    gxj = cast.client(cast.gxj)
    assert not viewable(cast.gxj, Report).filter(pk=draft.pk).exists()  # not its enterprise
    assert gxj.get(f"/workflow/reports/{draft.pk}/").status_code == 404  # nothing routed yet
    _story(cast, draft)
    assert gxj.get(f"/workflow/reports/{draft.pk}/").status_code == 200
    assert cast.client(cast.gaoyou).get(f"/workflow/reports/{draft.pk}/").status_code == 404

"""Which data count (``ecplan.workflow.counted``): approved only, a preview of submitted data
marked as such, the data as of a past moment, scoped by the user, and who approved."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ecplan.reporting.models import EnergyLine, Revision
from ecplan.workflow import services
from ecplan.workflow.counted import (
    CountedError,
    approval_of,
    counted,
    counted_lines,
    counted_results,
    preview_used,
)
from ecplan.workflow.testing import save_energy

from .conftest import PERIOD, TODAY, Cast


def _rev(report: Any, number: int) -> Revision:
    return Revision.objects.get(report=report, number=number)


def _approve(cast: Cast, report: Any) -> None:
    services.submit(report, acting_user=cast.reporter, today=TODAY)
    services.approve(report, acting_user=cast.area, comment="已核对")
    services.approve(report, acting_user=cast.gxj, comment="同意")


def test_drafts_returned_and_submitted_data_do_not_count_officially(cast: Cast, draft: Any) -> None:
    assert list(counted()) == []
    assert list(counted(include_submitted=True)) == []  # a draft never counts
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    assert list(counted()) == []
    preview = list(counted(include_submitted=True))
    assert preview == [_rev(draft, 1)]
    assert preview[0].is_preview
    assert preview_used(counted(include_submitted=True))
    assert not preview_used(counted())
    services.return_report(draft, acting_user=cast.area, reason="请核实电力")
    assert list(counted(include_submitted=True)) == []  # a returned one neither


def test_approved_data_count_and_lines_and_results_follow(cast: Cast, draft: Any) -> None:
    _approve(cast, draft)
    first = _rev(draft, 1)
    rows = list(counted(report_type="energy"))
    assert rows == [first]
    assert not rows[0].is_preview
    assert list(counted(report_type="statistics")) == []
    coal = counted_lines(EnergyLine).get(carrier_text="烟煤")
    assert (coal.revision_id, coal.consumed) == (first.pk, 1000.0)
    results = list(counted_results())
    assert [r.revision_id for r in results] == [first.pk]
    assert results[0].energy_tce_equivalent > 0

    # a correction under review: the approved revision still counts, the preview shows the new
    save_energy(cast.reporter, cast.world.e_yizheng, PERIOD, today=TODAY, reason="更正", coal_t=900)
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    assert counted_lines(EnergyLine).get(carrier_text="烟煤").consumed == 1000.0
    preview_coal = counted_lines(EnergyLine, include_submitted=True).get(carrier_text="烟煤")
    assert (preview_coal.consumed, preview_coal.revision.state) == (900.0, "submitted")
    assert [r.revision.number for r in counted_results(include_submitted=True)] == [2]


def test_as_of_gives_what_counted_at_that_moment(cast: Cast, draft: Any) -> None:
    before_any = timezone.now()
    _approve(cast, draft)
    after_first = timezone.now()
    save_energy(cast.reporter, cast.world.e_yizheng, PERIOD, today=TODAY, reason="更正", coal_t=900)
    _approve(cast, draft)
    assert list(counted()) == [_rev(draft, 2)]
    assert list(counted(as_of=before_any)) == []
    assert list(counted(as_of=after_first)) == [_rev(draft, 1)]
    assert counted_lines(EnergyLine, as_of=after_first).get(carrier_text="烟煤").consumed == 1000.0
    assert [r.revision.number for r in counted_results(as_of=after_first)] == [1]
    assert list(counted(as_of=timezone.localdate())) == [_rev(draft, 2)]  # end of today
    with pytest.raises(CountedError, match="只能是已审核数据"):
        counted(include_submitted=True, as_of=after_first)


def test_counted_data_obey_the_users_scope(cast: Cast, draft: Any) -> None:
    _approve(cast, draft)
    assert list(counted(user=cast.area)) == [_rev(draft, 1)]
    assert list(counted(user=cast.reporter)) == [_rev(draft, 1)]
    assert list(counted(user=cast.gaoyou)) == []  # another area
    assert list(counted_lines(EnergyLine, user=cast.gaoyou)) == []
    assert list(counted_results(user=cast.gaoyou)) == []


def test_approval_of_says_who_approved_when_and_each_step(cast: Cast, draft: Any) -> None:
    services.submit(draft, acting_user=cast.reporter, today=TODAY)
    assert approval_of(_rev(draft, 1)) is None
    services.approve(draft, acting_user=cast.area, comment="已核对")
    services.approve(draft, acting_user=cast.gxj, comment="同意")
    approval = approval_of(_rev(draft, 1))
    assert approval is not None
    assert approval.approved_by == cast.gxj.full_name
    assert approval.approved_at is not None
    assert [(s.position, s.decided_by, s.comment) for s in approval.steps] == [
        (1, "仪征审核员", "已核对"),
        (2, cast.gxj.full_name, "同意"),
    ]
    assert "第1步 仪征市（区县用户）：仪征审核员" in approval.text
    assert approval.text.startswith(f"第 1 版由 {cast.gxj.full_name} 于 ")


def test_the_approval_text_uses_local_time(cast: Cast, draft: Any) -> None:
    _approve(cast, draft)
    revision = _rev(draft, 1)
    approval = approval_of(revision)
    assert approval is not None
    local = timezone.localtime(revision.state_changed_at)
    assert f" 于 {local:%Y-%m-%d %H:%M} 审核通过" in approval.text

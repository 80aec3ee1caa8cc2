"""Storing energy reports through the services: revisions, all-or-nothing, results."""

from __future__ import annotations

from typing import Any

import pytest

from ecplan.accounts.testing import World
from ecplan.reporting.models import EnergyLine, EnergyResult, Report, Revision
from ecplan.reporting.records import EnergyLineRecord, EnergyReportRecord
from ecplan.reporting.services import save_energy_reports

from .conftest import TODAY


def _report(world: World, period: str = "2025-03", **kw: Any) -> EnergyReportRecord:
    lines = kw.pop("lines", None) or [
        EnergyLineRecord("烟煤", "吨", purchased=1200, consumed=1000, power_heat=600),
        EnergyLineRecord("天然气", "万立方米", consumed=50, feedstock=20),
        EnergyLineRecord("电力", "万千瓦时", purchased=300, consumed=300),
    ]
    return EnergyReportRecord(world.e_yizheng.credit_code, period, lines=lines, **kw)


def test_a_report_is_stored_with_lines_and_a_result(world: World) -> None:
    user = world.persona("enterprise").user
    outcome = save_energy_reports([_report(world)], acting_user=user, today=TODAY)
    assert outcome.stored, outcome.issues.to_text()
    report = Report.objects.get()
    revision = Revision.objects.get()
    assert (revision.number, revision.state) == (1, "draft")
    assert EnergyLine.objects.filter(revision=revision).count() == 3
    result = EnergyResult.objects.get(revision=revision)
    assert result.energy_tce_calorific > 0
    assert result.energy_tce_equivalent > result.energy_tce_calorific  # electricity 等价值
    assert result.feedstock_tce_calorific > 0
    assert result.factor_sets
    assert report.version == 1


def test_feedstock_above_consumption_stores_nothing(world: World) -> None:
    user = world.persona("enterprise").user
    bad = _report(world, lines=[EnergyLineRecord("天然气", "万立方米", consumed=10, feedstock=20)])
    outcome = save_energy_reports([bad], acting_user=user, today=TODAY)
    assert not outcome.stored
    assert [i.code for i in outcome.issues.errors] == ["feedstock_exceeds_consumption"]
    assert Report.objects.count() == 0


def test_a_change_to_a_submitted_revision_is_a_new_revision(world: World) -> None:
    from ecplan.reporting.services import set_revision_state

    user = world.persona("enterprise").user
    save_energy_reports([_report(world)], acting_user=user, today=TODAY)
    first = Revision.objects.get()
    set_revision_state(first, "submitted", acting_user=user, action="submit")
    changed = _report(world, lines=[EnergyLineRecord("烟煤", "吨", consumed=900)])
    outcome = save_energy_reports([changed], acting_user=user, today=TODAY, confirm_warnings=True)
    assert outcome.stored, outcome.issues.to_text()
    assert [r.number for r in Revision.objects.order_by("number")] == [1, 2]
    first.refresh_from_db()
    assert first.state == "submitted"
    assert EnergyLine.objects.filter(revision=first).count() == 3


@pytest.mark.parametrize("persona", ["area_user", "dept_reporter", "leader", "no_role"])
def test_others_cannot_report_the_enterprise(world: World, persona: str) -> None:
    outcome = save_energy_reports(
        [_report(world)], acting_user=world.persona(persona).user, today=TODAY
    )
    assert not outcome.stored
    assert outcome.issues.has_errors
    assert Report.objects.count() == 0


def test_a_stale_version_is_refused_and_nothing_changes(world: World) -> None:
    from ecplan.reporting.services import ConcurrentEditError

    user = world.persona("enterprise").user
    save_energy_reports([_report(world)], acting_user=user, today=TODAY)
    report = Report.objects.get()
    seen = report.version
    # someone else saves a change
    other = _report(world, lines=[EnergyLineRecord("烟煤", "吨", consumed=999)])
    assert save_energy_reports([other], acting_user=user, today=TODAY, confirm_warnings=True).stored
    # a form opened before that change must not overwrite it
    mine = _report(world, lines=[EnergyLineRecord("烟煤", "吨", consumed=1)])
    with pytest.raises(ConcurrentEditError, match="已被他人修改"):
        save_energy_reports(
            [mine],
            acting_user=user,
            today=TODAY,
            expected_versions={report.pk: seen},
            confirm_warnings=True,
        )
    assert EnergyLine.objects.get(carrier="bituminous_coal").consumed == 999


def test_saving_identical_content_changes_nothing(world: World) -> None:
    user = world.persona("enterprise").user
    save_energy_reports([_report(world)], acting_user=user, today=TODAY)
    version = Report.objects.get().version
    again = save_energy_reports([_report(world)], acting_user=user, today=TODAY)
    assert again.stored
    assert again.counts["unchanged"] == 1
    assert Report.objects.get().version == version
    assert Revision.objects.count() == 1


def test_parts_not_provided_are_carried_over(world: World, plant: dict[str, Any]) -> None:
    from ecplan.reporting.models import InstallationLine
    from ecplan.reporting.records import InstallationFiguresRecord
    from ecplan.reporting.services import set_revision_state

    user = world.persona("enterprise").user
    first = _report(
        world,
        installations=[
            InstallationFiguresRecord(
                "PTA-1", {"output_t": (80000.0, "吨"), "energy_tce": (3000.0, "吨标准煤")}
            )
        ],
    )
    save_energy_reports([first], acting_user=user, today=TODAY)
    set_revision_state(Revision.objects.get(), "submitted", acting_user=user)
    energy_only = _report(world, lines=[EnergyLineRecord("烟煤", "吨", consumed=950)])
    outcome = save_energy_reports(
        [energy_only], acting_user=user, today=TODAY, confirm_warnings=True
    )
    assert outcome.stored
    # the dropped energy lines were announced as a warning before saving
    assert "lines_removed" in [w.code for w in outcome.issues.warnings]
    second = Revision.objects.get(number=2)
    assert InstallationLine.objects.filter(revision=second).count() == 1
    assert EnergyLine.objects.filter(revision=second).count() == 1


def test_only_approved_revisions_count_and_preview_is_marked(world: World) -> None:
    from ecplan.reporting.services import set_revision_state

    user = world.persona("enterprise").user
    admin = world.persona("plan_admin").user
    save_energy_reports([_report(world)], acting_user=user, today=TODAY)
    first = Revision.objects.get()
    assert not Revision.objects.effective(preview=True).exists()
    set_revision_state(first, "submitted", acting_user=user, action="submit")
    (preview,) = Revision.objects.effective(preview=True)
    assert preview.is_preview
    assert not EnergyLine.objects.effective().exists()
    set_revision_state(first, "approved", acting_user=admin, action="approve")
    assert EnergyLine.objects.effective().count() == 3
    # a correction after approval is a new draft; the approved revision keeps counting
    changed = _report(world, lines=[EnergyLineRecord("烟煤", "吨", consumed=1)])
    save_energy_reports([changed], acting_user=user, today=TODAY, confirm_warnings=True)
    assert list(Revision.objects.approved()) == [first]
    assert EnergyLine.objects.effective().count() == 3
    assert EnergyResult.objects.effective().get().revision == first
    second = Revision.objects.get(number=2)
    set_revision_state(second, "submitted", acting_user=user)
    (newest,) = Revision.objects.effective(preview=True)
    assert (newest.number, newest.is_preview) == (2, True)
    with pytest.raises(ValueError, match="最新修订"):
        set_revision_state(first, "returned", acting_user=admin)

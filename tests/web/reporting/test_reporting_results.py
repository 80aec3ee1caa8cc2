"""Versioned accounting results: computed when data is stored, restated only explicitly."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from ecplan.accounts.testing import World
from ecplan.audit.models import AuditEvent
from ecplan.core import store_factor_set
from ecplan.reporting.models import EnergyResult, Restatement, Revision
from ecplan.reporting.records import EnergyLineRecord, EnergyReportRecord
from ecplan.reporting.services import restate_results, save_energy_reports

DATA = Path(__file__).parent / "data"


@pytest.fixture
def private_factor_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ECPLAN_DATA_DIR", str(tmp_path))
    return tmp_path


def _store(world: World) -> Revision:
    record = EnergyReportRecord(
        world.e_yizheng.credit_code,
        "2024-06",
        lines=[EnergyLineRecord("电力", "万千瓦时", consumed=1000)],
    )
    outcome = save_energy_reports(
        [record], acting_user=world.persona("enterprise").user, today=dt.date(2024, 7, 10)
    )
    assert outcome.stored, outcome.issues.to_text()
    return Revision.objects.get()


def test_restatement_adds_a_version_and_keeps_the_old_one(
    world: World, private_factor_dir: Path
) -> None:
    revision = _store(world)
    v1 = EnergyResult.objects.get(revision=revision)
    assert v1.version == 1
    assert [s["id"] for s in v1.factor_sets if s["kind"] == "grid_co2"] == ["mee-grid-co2-2023"]
    admin = world.persona("plan_admin").user
    # nothing changed: no new version
    same = restate_results([revision], acting_user=admin, reason="核对")
    assert (same.restated, same.unchanged) == (0, 1)
    assert Restatement.objects.count() == 0
    # a newer grid factor is loaded: an explicit restatement makes version 2
    store_factor_set(DATA / "example-grid-co2-2024")
    outcome = restate_results([revision], acting_user=admin, reason="载入2024年电网排放因子")
    assert outcome.restated == 1
    v1.refresh_from_db()
    v2 = EnergyResult.objects.get(revision=revision, version=2)
    assert v1.co2_t != v2.co2_t
    assert v2.co2_t == pytest.approx(1000 * 10_000 * 0.57 / 1000)
    assert [s["id"] for s in v2.factor_sets if s["kind"] == "grid_co2"] == ["example-grid-co2-2024"]
    assert v2.restatement == outcome.restatement
    assert outcome.restatement is not None
    assert outcome.restatement.reason == "载入2024年电网排放因子"
    assert list(EnergyResult.objects.filter(revision=revision).current()) == [v2]
    event = AuditEvent.objects.get(action="restate")
    assert "载入2024年电网排放因子" in event.detail


def test_results_are_never_changed_in_place(world: World) -> None:
    revision = _store(world)
    result = EnergyResult.objects.get(revision=revision)
    result.co2_t = 0
    with pytest.raises(ValueError, match="不可修改"):
        result.save()


@pytest.mark.parametrize("persona", ["enterprise", "area_user", "dept_reporter", "leader"])
def test_only_administrators_restate(world: World, persona: str) -> None:
    revision = _store(world)
    with pytest.raises(PermissionDenied):
        restate_results([revision], acting_user=world.persona(persona).user, reason="x")


def test_a_reason_is_required(world: World) -> None:
    revision = _store(world)
    with pytest.raises(ValueError, match="原因"):
        restate_results([revision], acting_user=world.persona("plan_admin").user, reason=" ")

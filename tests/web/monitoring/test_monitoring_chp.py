"""The city's coal rate deducts a CHP unit's coal for heat: the unit's reported split
(其中：供热耗用标准煤量) first; heat supplied × the heat-supply coal rate only where no split is
reported; a unit with heat but neither is left out and named."""

from __future__ import annotations

from typing import Any

import pytest

from ecplan.core.evaluation import YearMonth
from ecplan.monitoring.engine import evaluate
from ecplan.reporting.records import EnergyReportRecord, InstallationFiguresRecord

from . import builders
from .test_monitoring_golden import target

MONTHS = [f"2025-{m:02d}" for m in range(1, 10)]


def _reports(credit_code: str, g1: dict[str, tuple[float, str]]) -> list[EnergyReportRecord]:
    out = []
    for rec in builders.energy_reports(credit_code, MONTHS):
        figures = [f for f in rec.installations if f.installation != "G1"]
        figures.append(InstallationFiguresRecord("G1", g1))
        out.append(
            EnergyReportRecord(rec.credit_code, rec.period, lines=rec.lines, installations=figures)
        )
    return out


G1 = {
    "generation_kwh": (30_000, "万千瓦时"),
    "station_use_kwh": (1_800, "万千瓦时"),
    "standard_coal_tce": (85_000, "吨标准煤"),
    "heat_supplied_gj": (150_000, "吉焦"),
}


def test_reported_heat_coal_is_deducted_and_traced(city: Any, plant: None) -> None:
    g1 = {**G1, "heat_standard_coal_tce": (6_000, "吨标准煤")}
    builders.save_energy(city.admin, _reports(city.world.e_yizheng.credit_code, g1))
    t = target(evaluate(city.version, as_of=YearMonth(2025, 9)), "generation-coal-rate-2025")
    # (85 000 − 6 000) × 10⁶ ÷ (3.0e8 − 1.8e7) = 280.14 gce/kWh ≤ 290 → on track
    assert t.result.value == pytest.approx(79_000 * 1e6 / (3.0e8 - 1.8e7), rel=1e-12)
    names = {i.name: i for c in t.result.trail.children for i in c.inputs}
    assert names["G1.heat_standard_coal_tce"].value == pytest.approx(9 * 6_000)
    assert len(names["G1.heat_standard_coal_tce"].refs) == 9


def test_unit_with_heat_but_no_split_and_no_rate_is_left_out(city: Any, plant: None) -> None:
    builders.save_energy(city.admin, _reports(city.world.e_yizheng.credit_code, G1))
    t = target(evaluate(city.version, as_of=YearMonth(2025, 9)), "generation-coal-rate-2025")
    assert t.result.value is None
    notes = [n for tr in (t.result.trail, *t.result.trail.children) for n in tr.notes]
    assert any("1号机组" in n and "供热煤耗率" in n for n in notes), notes

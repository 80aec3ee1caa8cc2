"""Every target, milestone and per-entity rule of the Yangzhou plan has demo data to evaluate."""

from __future__ import annotations

from pathlib import Path

from ecplan.core.plan import INDICATORS, load_plan
from ecplan.demo.model import DemoCity

PLAN = Path(__file__).resolve().parents[2] / "src/ecplan/plans/data/yangzhou/yangzhou-2025.yaml"

#: Indicators computed from the demo's energy data, and which records carry their inputs.
COMPUTED: dict[str, str] = {
    "nonfossil_share": "statistics",
    "nonfossil_deduction_tce": "statistics",
    "coal_share_primary": "statistics",
    "power_coal_share": "statistics",
    "nonfossil_generation_share": "statistics",
    "energy_intensity_change_new_basis": "statistics",
    "co2_intensity_change": "balance",
    "service_energy_growth": "statistics",
    "generation_coal_rate": "plants",
    "steel_energy_per_tonne_change": "production",
    "pta_benchmark_capacity_share": "production",
    "caustic_soda_benchmark_capacity_share": "production",
    "pta_below_baseline_capacity_t": "production",
    "caustic_soda_below_baseline_capacity_t": "production",
    "pue_new_dc": "data_centres",
    "retrofit_savings_tce": "retrofits",
    "retrofit_co2_reduction_t": "retrofits",
    "retrofit_project_count": "retrofits",
    "key_units_guided_count": "enterprises",
}
#: Per-entity statuses the demo reports (others are project-level rules with no projects yet).
STATUS_INDICATORS = {
    "boiler_retrofit_status", "dc_green_standard", "steel_ultra_low_emission_status",
    "unit_closure_status", "unit_construction_status", "key_unit_energy_budget",
}  # fmt: skip


def test_every_target_has_data(city: DemoCity) -> None:
    plan = load_plan(PLAN).plan
    reported = {r.indicator for r in city.indicators}
    for target in plan.targets:
        code = target.indicator
        if code in COMPUTED:
            assert getattr(city, COMPUTED[code]), code
        else:
            assert code in reported, f"{target.id}: no department report for {code}"
    # the comparison target needs the reported value-added growth too
    assert "service_value_added_growth" in reported
    # binding targets without a value in the plan text are entered by the plan office
    entered = {b.indicator for b in city.binding_targets if b.area_code == "321000"}
    for target in plan.targets:
        if target.value is None and target.value_entry == "plan_office":
            assert target.indicator in entered, target.id


def test_every_milestone_has_a_status_or_data(city: DemoCity) -> None:
    plan = load_plan(PLAN).plan
    subjects = {s.subject for s in city.statuses}
    indicators = {s.indicator for s in city.statuses} | {r.indicator for r in city.indicators}
    for m in plan.milestones:
        if m.indicator in COMPUTED:
            continue
        assert m.id in subjects or m.indicator in indicators, m.id


def test_reported_values_use_the_indicators_canonical_unit(city: DemoCity) -> None:
    for r in city.indicators:
        unit = INDICATORS[r.indicator].unit
        assert r.unit == {"%": "fraction"}.get(unit, unit), (r.indicator, r.unit, unit)
        if r.unit == "fraction":
            assert -1.0 < r.value < 1.5, r
    for s in city.statuses:
        assert s.indicator in INDICATORS or s.indicator in STATUS_INDICATORS, s.indicator
    assert {s.indicator for s in city.statuses} >= STATUS_INDICATORS


def test_relative_change_reports_carry_their_levels_and_baseline(city: DemoCity) -> None:
    changes = [r for r in city.indicators if r.indicator.endswith("_change")]
    assert {r.indicator for r in changes} == {
        "transport_carbon_intensity_change", "container_rail_water_volume_change",
        "pi_energy_per_area_change", "pi_co2_per_area_change", "pi_energy_per_capita_change",
    }  # fmt: skip
    for r in changes:
        assert r.level_value is not None
        assert r.baseline_level
        assert r.baseline_year == 2020
        assert abs(r.value - (r.level_value / r.baseline_level - 1.0)) < 1e-12
    final = {r.indicator: r.value for r in changes if r.period == "2025"}
    assert final["transport_carbon_intensity_change"] <= -0.05  # met
    assert final["container_rail_water_volume_change"] >= 0.16  # met
    assert final["pi_energy_per_area_change"] <= -0.06  # met
    assert final["pi_co2_per_area_change"] > -0.07  # missed
    assert final["pi_energy_per_capita_change"] <= -0.07  # met

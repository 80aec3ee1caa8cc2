"""Property tests (hypothesis) of the accounting invariants."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ecplan.core import (
    CARRIERS,
    AccountingError,
    Calculation,
    Dimension,
    EnergyClass,
    EnergyUse,
    FactorLibrary,
    UnitError,
    average_annual_reduction,
    comprehensive_energy_consumption,
    conversion_table,
    cumulative_reduction,
    electricity_co2,
    intensity_change,
    intensity_reduction,
    parse_unit,
    progress_share,
    remaining_reduction,
    shipped_sets,
    to_tce,
    to_tce_result,
)
from ecplan.core.units import UNITS, Unit

LIB = FactorLibrary(shipped_sets())
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _convertible() -> list[tuple[str, str]]:
    """(carrier, unit) pairs that convert on the calorific basis with the shipped sets."""
    pairs = []
    for c in CARRIERS:
        for unit in UNITS:
            if unit.dimension in c.dimensions:
                try:
                    to_tce(1, unit.symbol, c.code, factor_set=LIB)
                except AccountingError:
                    continue
                pairs.append((c.code, unit.symbol))
    return pairs


CONVERTIBLE = _convertible()
FOSSIL_FUELS = sorted(
    {c for c, u in CONVERTIBLE if next(x for x in CARRIERS if x.code == c).is_fossil}
)
quantities = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)
rates = st.floats(min_value=-0.5, max_value=0.5, allow_nan=False)


def test_most_carriers_convert() -> None:
    assert len({c for c, _ in CONVERTIBLE}) >= 60


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(CONVERTIBLE),
            quantities,
            st.sampled_from(["consumed", "exported"]),
            st.booleans(),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_total_is_the_sum_of_the_lines_and_of_the_series(
    lines: list[tuple[tuple[str, str], float, str, bool, bool]],
) -> None:
    uses = []
    for (carrier, unit), qty, flow, feedstock, listed in lines:
        c = next(x for x in CARRIERS if x.code == carrier)
        use = "feedstock" if feedstock and c.feedstock_capable and flow == "consumed" else "fuel"
        uses.append(EnergyUse(carrier, qty, unit, flow=flow, use=use, separately_listed=listed))
    r = comprehensive_energy_consumption(uses, factor_set=LIB)
    assert r.value == sum(p.value for p in r.parts)
    deductions = r.separately_listed_tce + r.feedstock_tce + r.non_fossil_tce
    assert r.new_basis_tce + deductions == pytest.approx(r.value, rel=1e-9, abs=1e-6)
    assert r.consumed_tce - r.exported_tce == pytest.approx(r.value, rel=1e-9, abs=1e-6)


SAME_DIMENSION = [
    (a, b)
    for a in UNITS
    for b in UNITS
    if a.dimension is b.dimension and a.dimension is not Dimension.LIQUID_VOLUME
]


@SETTINGS
@given(st.sampled_from(SAME_DIMENSION), quantities)
def test_unit_round_trip(pair: tuple[Unit, Unit], q: float) -> None:
    a, b = pair
    canonical = q * parse_unit(a.symbol).multiplier
    in_b = canonical / parse_unit(b.symbol).multiplier
    back = in_b * parse_unit(b.symbol).multiplier / parse_unit(a.symbol).multiplier
    assert back == pytest.approx(q, rel=1e-12, abs=1e-300)


@SETTINGS
@given(st.sampled_from(FOSSIL_FUELS), quantities, st.integers(2020, 2030))
def test_bases_agree_for_non_electric_fuels(carrier: str, q: float, year: int) -> None:
    unit = next(u for c, u in CONVERTIBLE if c == carrier)
    calorific = to_tce(q, unit, carrier, basis="calorific", factor_set=LIB)
    equivalent = to_tce(q, unit, carrier, basis="等价值", year=year, factor_set=LIB)
    assert calorific == equivalent


@SETTINGS
@given(st.sampled_from(CONVERTIBLE), quantities, quantities)
def test_to_tce_is_monotone_in_quantity(pair: tuple[str, str], q1: float, q2: float) -> None:
    lo, hi = sorted((q1, q2))
    assert to_tce(lo, pair[1], pair[0], factor_set=LIB) <= to_tce(
        hi, pair[1], pair[0], factor_set=LIB
    )


@SETTINGS
@given(st.sampled_from(CONVERTIBLE), quantities)
def test_batch_table_reproduces_scalar(pair: tuple[str, str], q: float) -> None:
    carrier, unit = pair
    result = to_tce_result(q, unit, carrier, factor_set=LIB)
    parsed = parse_unit(unit)
    row = next(
        r
        for r in TABLE
        if r["carrier"] == result.carrier and r["dimension"] == parsed.dimension.value
    )
    k = row["tce_per_unit"]
    assert isinstance(k, float)
    assert q * parsed.multiplier * k == result.value


TABLE = conversion_table(factor_set=LIB)


@SETTINGS
@given(st.lists(rates, min_size=1, max_size=6), st.integers(0, 5), st.floats(0.0, 0.2))
def test_cumulative_reduction_is_monotone(rs: list[float], i: int, bump: float) -> None:
    i %= len(rs)
    higher = list(rs)
    higher[i] = min(rs[i] + bump, 0.9)
    assert cumulative_reduction(higher) >= cumulative_reduction(rs) - 1e-15


@SETTINGS
@given(st.floats(0.01, 0.6), st.lists(rates, min_size=0, max_size=5))
def test_remaining_completes_the_target(total: float, achieved: list[float]) -> None:
    left = remaining_reduction(total, achieved)
    chained = cumulative_reduction([*achieved, left]) if achieved else left
    assert chained == pytest.approx(total, abs=1e-12)


@SETTINGS
@given(st.floats(0.01, 0.6), st.floats(0.01, 0.6), st.integers(1, 10))
def test_average_and_progress_are_monotone(t1: float, t2: float, n: int) -> None:
    lo, hi = sorted((t1, t2))
    assert average_annual_reduction(lo, n) <= average_annual_reduction(hi, n) + 1e-15
    assert progress_share(lo, hi) <= progress_share(hi, hi) + 1e-12
    assert progress_share(hi, hi) == pytest.approx(1.0)
    steady = average_annual_reduction(hi, n)
    assert progress_share(cumulative_reduction([steady]), hi) == pytest.approx(1 / n)


@SETTINGS
@given(st.floats(-0.3, 0.3), st.floats(-0.3, 0.3), st.floats(1, 1e6), st.floats(1, 1e6))
def test_change_and_reduction_agree(ge: float, gg: float, e0: float, g0: float) -> None:
    change = intensity_change(ge, gg)
    reduction = intensity_reduction(e0, g0, e0 * (1 + ge), g0 * (1 + gg))
    assert reduction == pytest.approx(-change, abs=1e-12)


@SETTINGS
@given(st.floats(0, 1e9), st.floats(0, 1e9), st.floats(0, 1e9))
def test_more_green_power_never_raises_emissions(kwh: float, g1: float, g2: float) -> None:
    lo, hi = sorted((g1, g2))
    assume(lo > 0)
    with_lo = electricity_co2(kwh, year=2023, green_kwh=lo, factor_set=LIB)
    with_hi = electricity_co2(kwh, year=2023, green_kwh=hi, factor_set=LIB)
    assert with_hi <= with_lo


@SETTINGS
@given(st.text(max_size=12))
def test_garbage_units_fail_cleanly(text: str) -> None:
    from ecplan.core.units import normalise_unit_text, unit_table

    known = {str(r["spelling"]): r["dimension"] for r in unit_table()}
    key = normalise_unit_text(text)
    if key in known and known[key] != "liquid_volume":
        assert math.isfinite(parse_unit(text).multiplier)
    else:
        with pytest.raises(UnitError):
            parse_unit(text)


@SETTINGS
@given(st.sampled_from(CONVERTIBLE), quantities)
def test_results_round_trip_json(pair: tuple[str, str], q: float) -> None:
    r = to_tce_result(q, pair[1], pair[0], factor_set=LIB)
    back = Calculation.from_dict(json.loads(json.dumps(r.to_dict())))
    assert back == r


def test_non_fossil_carriers_are_all_in_the_non_fossil_series() -> None:
    uses = [
        EnergyUse(c.code, 1, c.default_unit)
        for c in CARRIERS
        if c.energy_class is EnergyClass.NON_FOSSIL and c.code != "biogas"
    ]
    r = comprehensive_energy_consumption(uses, factor_set=LIB)
    assert r.non_fossil_tce == pytest.approx(r.value)
    assert r.new_basis_tce == pytest.approx(0.0, abs=1e-12)

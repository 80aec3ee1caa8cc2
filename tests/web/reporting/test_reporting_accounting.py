"""The reporting accounting bridge gives exactly the core's numbers.

``ecplan.reporting.accounting`` resolves each coefficient once per batch through the core's
public functions and applies the core's documented arithmetic; these tests compare its totals
with :func:`ecplan.core.comprehensive_energy_consumption` and :func:`ecplan.core.co2_emissions`
called on the same account, bit for bit.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ecplan.core import (
    AccountingError,
    co2_emissions,
    comprehensive_energy_consumption,
)
from ecplan.reporting.accounting import (
    Coefficients,
    LineInput,
    coefficient_from_data,
    compute_energy_account,
    energy_uses,
)

# Carriers with every coefficient on both bases and for CO2 in the shipped factor sets.
CARRIERS = [
    ("bituminous_coal", "吨"),
    ("anthracite", "万吨"),
    ("coke", "吨"),
    ("natural_gas", "万立方米"),
    ("diesel", "吨"),
    ("gasoline", "千克"),
    ("lpg", "吨"),
    ("electricity", "万千瓦时"),
    ("solar", "千瓦时"),
    ("other_energy", "吨标准煤"),
]

quantities = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)


@st.composite
def accounts(draw: st.DrawFn) -> list[LineInput]:
    chosen = draw(
        st.lists(st.sampled_from(CARRIERS), min_size=1, max_size=len(CARRIERS), unique=True)
    )
    lines = []
    for code, unit in chosen:
        consumed = draw(quantities)
        feedstock = None
        if code in ("bituminous_coal", "natural_gas", "coke") and draw(st.booleans()):
            feedstock = draw(st.floats(min_value=0, max_value=consumed, allow_nan=False))
        supplied = draw(st.one_of(st.none(), quantities)) if code == "electricity" else None
        lines.append(LineInput(code, code, unit, consumed, feedstock, supplied))
    return lines


@settings(max_examples=60, deadline=None)
@given(lines=accounts(), year=st.sampled_from([2021, 2022, 2023, 2024]))
def test_totals_are_the_cores_bit_for_bit(lines: list[LineInput], year: int) -> None:
    account = compute_energy_account(lines, year=year, region="江苏省", coefficients=Coefficients())
    uses = energy_uses(lines)
    try:
        calorific = comprehensive_energy_consumption(uses, basis="calorific")
        equivalent = comprehensive_energy_consumption(
            uses, basis="equivalent", year=year, region="江苏省"
        )
        co2 = co2_emissions(uses, year=year, region="江苏省")
    except AccountingError:
        assert not account.complete
        return
    assert account.complete, account.problems
    assert account.energy_tce_calorific == calorific.value
    assert account.new_basis_tce_calorific == calorific.new_basis_tce
    assert account.feedstock_tce_calorific == calorific.feedstock_tce
    assert account.non_fossil_tce_calorific == calorific.non_fossil_tce
    assert account.energy_tce_equivalent == equivalent.value
    assert account.new_basis_tce_equivalent == equivalent.new_basis_tce
    assert account.co2_t == co2.value
    assert account.combustion_co2_t == co2.combustion_co2_t
    assert account.electricity_co2_t == co2.electricity_co2_t
    assert account.uncertain == (calorific.uncertain or equivalent.uncertain or co2.uncertain)
    used = {(s.id, s.version) for c in (calorific, equivalent, co2) for s in c.factor_sets}
    assert {(s["id"], s["version"]) for s in account.factor_sets} == used


def test_a_line_the_core_cannot_convert_is_left_out_and_recorded() -> None:
    lines = [
        LineInput("raw_coal", "原煤", "吨", 100.0, None, None),
        LineInput("electricity", "电力", "万千瓦时", 10.0, None, None),
    ]
    account = compute_energy_account(lines, year=2024, region="江苏省")
    assert not account.complete
    assert [(p["carrier"], p["calc"]) for p in account.problems] == [("raw_coal", "co2")]
    assert "煤种" in account.problems[0]["message"]
    # the coal still counts in energy, the electricity in CO2
    only_coal = compute_energy_account(lines[:1], year=2024, region="江苏省")
    assert only_coal.energy_tce_calorific > 0
    assert account.co2_t == account.electricity_co2_t > 0


def test_every_coefficient_used_is_kept_with_its_source() -> None:
    lines = [LineInput("electricity", "电力", "万千瓦时", 10.0, None, None)]
    cache = Coefficients()
    account = compute_energy_account(lines, year=2024, region="江苏省", coefficients=cache)
    line = account.calculation["lines"][0]
    for key in ("calorific", "equivalent"):
        for ref in line[key]["coefficients"]:
            coef = coefficient_from_data(cache.snapshots[ref])
            assert coef.document
            assert coef.confidence_label
            assert ref in account.calculation["coefficients"]
    grid = account.calculation["co2"]["electricity"]["coefficients"][-1]
    assert cache.snapshots[grid]["factor_set"]["id"].startswith("mee-grid")


def test_a_measured_heating_value_gives_the_cores_numbers() -> None:
    lines = [
        LineInput("coal_slime", "煤泥", "万吨", 2.5, None, None, lcv=12_500.0, lcv_unit="kJ/kg")
    ]
    account = compute_energy_account(lines, year=2024, region="江苏省")
    core = comprehensive_energy_consumption(energy_uses(lines), basis="calorific")
    assert account.energy_tce_calorific == core.value
    assert account.complete or all(p["calc"] == "co2" for p in account.problems)

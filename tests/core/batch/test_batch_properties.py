"""Property tests: the vectorised batch path gives the scalar API's results, row by row.

Rows are drawn from every carrier (by code, Chinese name and alias), every unit spelling of
every dimension (and some units of the wrong dimension, liquids, garbage), every use spelling,
periods before, inside and after the published factor years, and both bases. For each row the
expectation comes from the scalar functions themselves:

* ``energy_tce`` — :func:`to_tce_result` and, for the line as an account of one line,
  :func:`comprehensive_energy_consumption` (``0.0 + x`` is ``x``): bit for bit;
* ``co2_t`` — :func:`co2_emissions` of the one-line account (fuel combustion, electricity at
  the grid factor of the year, heat, 0 for feedstock and carriers without fossil CO2): bit for
  bit; non-energy use is 0; where the scalar path raises, the batch row has no CO2 and a
  warning;
* errors — a row is refused exactly when a scalar function raises for it;
* totals — exactly the correctly rounded sum (:func:`math.fsum`) of the rows, and within the
  rounding bound of the scalar account, which sums line by line (|Δ| ≤ n·ε·Σ|x|).
"""

from __future__ import annotations

import math
import sys

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecplan.core import (
    CARRIERS,
    AccountingError,
    EnergyUse,
    FactorLibrary,
    co2_emissions,
    comprehensive_energy_consumption,
    get_carrier,
    parse_unit,
    shipped_sets,
    to_tce_result,
)
from ecplan.core.batch import convert
from ecplan.core.units import UNITS

LIB = FactorLibrary(shipped_sets())
SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CARRIER_SPELLINGS = sorted(
    {s for c in CARRIERS for s in (c.code, c.name_zh, *c.aliases[:2])} | {"不存在的能源", ""}
)
SECONDARY = ["电力", "electricity", "电量", "热力", "蒸汽", "外购热力"]
UNIT_SPELLINGS = sorted({s for u in UNITS for s in (u.symbol, *u.aliases[:2])} | {"桶", " 吨 "})
USE_SPELLINGS = [
    None,
    "",
    "燃料",
    "fuel",
    "原料",
    "feedstock",
    "发电供热",
    "power_generation",
    "非能源",
    "non_energy",
    "乱填",
]
SCALAR_USE = {"fuel": "fuel", "feedstock": "feedstock", "power_generation": "fuel"}
USE_CODE = {
    None: "fuel",
    "": "fuel",
    "燃料": "fuel",
    "fuel": "fuel",
    "原料": "feedstock",
    "feedstock": "feedstock",
    "发电供热": "power_generation",
    "power_generation": "power_generation",
    "非能源": "non_energy",
    "non_energy": "non_energy",
}

quantities = st.one_of(
    st.floats(min_value=0, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.sampled_from([0.0, 1.0, 0.1, 123.456, 1e-9, 9.999e11]),
)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, object]:
    # electricity and heat often: their factors depend on the year, the region and the basis
    carrier = draw(st.one_of(st.sampled_from(CARRIER_SPELLINGS), st.sampled_from(SECONDARY)))
    # mostly a unit that fits the carrier, sometimes any unit at all
    fitting: list[str] = []
    try:
        c = get_carrier(carrier)
        fitting = [u.symbol for u in UNITS if u.dimension in c.dimensions]
    except AccountingError:
        pass
    units = st.sampled_from(fitting) if fitting else st.sampled_from(UNIT_SPELLINGS)
    unit = draw(st.one_of(units, units, units, st.sampled_from(UNIT_SPELLINGS)))
    return {
        "carrier": carrier,
        "unit": unit,
        "quantity": draw(quantities),
        "use": draw(st.sampled_from(USE_SPELLINGS)),
        "period": f"{draw(st.integers(2019, 2027))}-{draw(st.integers(1, 12)):02d}",
        "separately_listed": draw(st.booleans()),
    }


REGIONS = ["江苏", "全国", "华北", "南方", "广东"]


def _scalar(row: dict[str, object], basis: str, region: str = "江苏") -> dict[str, object]:
    """What the scalar API says about one row: error, energy, CO2, series."""
    use = USE_CODE.get(row["use"])  # type: ignore[arg-type]
    year = int(str(row["period"])[:4])
    q = float(row["quantity"])  # type: ignore[arg-type]
    carrier, unit = str(row["carrier"]), str(row["unit"])
    if use is None:
        return {"error": True}
    try:
        c = get_carrier(carrier)
        if use in ("feedstock", "non_energy") and not c.feedstock_capable:
            return {"error": True}
        conv = to_tce_result(q, unit, c, basis=basis, year=year, region=region, factor_set=LIB)
        line = EnergyUse(
            c.code,
            q,
            unit,
            use=SCALAR_USE.get(use, "fuel"),
            separately_listed=bool(row["separately_listed"]),
        )
        account = comprehensive_energy_consumption(
            [line], basis=basis, year=year, region=region, factor_set=LIB
        )
    except AccountingError:
        return {"error": True}
    out: dict[str, object] = {
        "error": False,
        "energy": conv.value,
        "account": account.value,
        "series": account.parts[0].series,  # type: ignore[attr-defined]
        "tce_set": conv.coefficients[-1].factor_set,
    }
    if use == "non_energy":
        out["co2"] = 0.0
        return out
    try:
        out["co2"] = co2_emissions([line], year=year, region=region, factor_set=LIB).value
    except AccountingError:
        out["co2"] = None
    return out


@SETTINGS
@given(
    st.lists(rows(), min_size=1, max_size=40),
    st.sampled_from(["calorific", "equivalent"]),
    st.sampled_from(REGIONS),
)
def test_every_row_equals_the_scalar_api(
    data: list[dict[str, object]], basis: str, region: str
) -> None:
    frame = pl.DataFrame(data, schema_overrides={"quantity": pl.Float64})
    result = convert(frame, basis=basis, region=region, factor_set=LIB)
    refused = set(result.errors.get_column("row").to_list())
    warned = set(result.warnings.get_column("row").to_list())
    provenance = {r["ref"]: r for r in result.provenance.iter_rows(named=True)}
    for i, (row, got) in enumerate(zip(data, result.rows.iter_rows(named=True), strict=True)):
        expected = _scalar(row, basis, region)
        where = f"row {i + 1}: {row}"
        assert (i + 1 in refused) == expected["error"], where
        assert got["ok"] == (not expected["error"]), where
        if expected["error"]:
            assert got["energy_tce"] is None, where
            assert got["co2_t"] is None, where
            continue
        # bit for bit: the same IEEE operations in the same order
        assert got["energy_tce"] == expected["energy"] == expected["account"], where
        assert math.copysign(1, got["energy_tce"]) == math.copysign(1, expected["energy"])
        assert got["series"] == expected["series"], where
        tce_prov = provenance[got["tce_ref"]]
        assert got["energy_tce"] == got["canonical_quantity"] * tce_prov["value"], where
        fs = expected["tce_set"]
        assert tce_prov["factor_set_id"] == (fs.id if fs else None), where
        if expected["co2"] is None:
            assert got["co2_t"] is None, where
            assert got["co2_method"] == "not_computed", where
            assert i + 1 in warned, where
        else:
            assert got["co2_t"] == expected["co2"], where
            assert i + 1 not in warned, where
            if got["co2_ref"] is not None:
                assert (
                    got["co2_t"] == got["canonical_quantity"] * provenance[got["co2_ref"]]["value"]
                )


@SETTINGS
@given(
    st.lists(rows(), min_size=1, max_size=60),
    st.sampled_from(["calorific", "equivalent"]),
    st.randoms(use_true_random=False),
)
def test_totals_are_exact_sums_whatever_the_row_order(
    data: list[dict[str, object]], basis: str, rnd: object
) -> None:
    frame = pl.DataFrame(data, schema_overrides={"quantity": pl.Float64}).with_columns(
        pl.int_range(0, len(data)).mod(3).cast(pl.String).alias("entity")
    )
    result = convert(frame, basis=basis, factor_set=LIB)
    totals = result.totals_by("entity", skip_invalid=True)
    valid = result.valid_rows()
    shuffled = frame.sample(fraction=1.0, shuffle=True, seed=rnd.randrange(2**32))  # type: ignore[attr-defined]
    again = convert(shuffled, basis=basis, factor_set=LIB).totals_by("entity", skip_invalid=True)
    assert totals.drop("provenance_refs").equals(again.drop("provenance_refs"))
    eps = sys.float_info.epsilon
    for total in totals.iter_rows(named=True):
        mine = valid.filter(pl.col("entity") == total["entity"])
        energy = mine.get_column("energy_tce").to_list()
        co2 = [x for x in mine.get_column("co2_t").to_list() if x is not None]
        assert total["rows"] == mine.height
        assert total["energy_tce"] == math.fsum(energy)
        assert total["co2_t"] == math.fsum(co2)
        assert total["co2_missing_rows"] == mine.height - len(co2)
        series = {
            s: math.fsum(
                e for e, k in zip(energy, mine.get_column("series"), strict=True) if k == s
            )
            for s in ("non_fossil", "feedstock", "separately_listed")
        }
        assert total["non_fossil_tce"] == series["non_fossil"]
        assert total["feedstock_tce"] == series["feedstock"]
        assert total["separately_listed_tce"] == series["separately_listed"]
        # the scalar account of the same lines sums them one by one: equal within its rounding
        lines = [
            EnergyUse(
                str(r["carrier_code"]),
                float(r["quantity"]),
                str(r["unit"]),
                use=SCALAR_USE.get(USE_CODE[r["use"]], "fuel"),
                separately_listed=bool(r["separately_listed"]),
            )
            for r in mine.iter_rows(named=True)
        ]
        years = set(mine.get_column("year").to_list())
        if len(years) == 1 and lines:
            account = comprehensive_energy_consumption(
                lines, basis=basis, year=years.pop(), factor_set=LIB
            )
            bound = len(lines) * eps * math.fsum(abs(x) for x in energy) + 1e-300
            assert abs(account.value - total["energy_tce"]) <= bound
            assert abs(account.new_basis_tce - total["new_basis_tce"]) <= 4 * bound
            assert abs(account.feedstock_tce - total["feedstock_tce"]) <= bound


def test_unit_multipliers_are_those_of_parse_unit() -> None:
    frame = pl.DataFrame(
        {
            "carrier": ["原煤", "天然气", "电力", "热力"],
            "quantity": [1.5, 2.5, 3.5, 4.5],
            "unit": ["万吨", "亿立方米", "万千瓦时", "百万千焦"],
        }
    )
    result = convert(frame, factor_set=LIB)
    got = result.with_provenance().get_column("unit_multiplier").to_list()
    assert got == [parse_unit(u).multiplier for u in frame.get_column("unit")]

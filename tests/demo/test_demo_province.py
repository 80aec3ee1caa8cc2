"""Province-scale tables: shape, determinism, validity (no timing — see benchmarks/)."""

from __future__ import annotations

import polars as pl
import pytest

from ecplan.accounts.credit_code import is_valid_credit_code
from ecplan.demo.identity import is_fictional_name
from ecplan.demo.periods import Month
from ecplan.demo.province import CARRIERS, CITIES, generate_province


@pytest.fixture(scope="module")
def small() -> pl.DataFrame:
    return generate_province(
        enterprises=130, start=Month(2024, 1), end=Month(2024, 12), with_city=True
    ).long


def test_default_is_13_cities_3000_enterprises_60_months_20_carriers() -> None:
    data = generate_province()
    assert data.long.height == 3000 * 60 * 20 == 3_600_000
    assert data.long.columns == ["entity", "period", "carrier", "quantity", "unit", "use"]
    assert data.enterprises.height == 3000
    assert data.enterprises["city_code"].n_unique() == 13
    assert data.long["period"].n_unique() == 60
    assert data.long["carrier"].n_unique() == 20
    assert data.city_totals.height == 13 * 60 * 20
    assert data.long["quantity"].min() >= 0  # type: ignore[operator]  # a float


def test_same_seed_same_frame_other_seed_other_frame(small: pl.DataFrame) -> None:
    again = generate_province(
        enterprises=130, start=Month(2024, 1), end=Month(2024, 12), with_city=True
    ).long
    assert small.equals(again)
    other = generate_province(
        seed=1, enterprises=130, start=Month(2024, 1), end=Month(2024, 12)
    ).long
    assert not small.drop("city_code").equals(other)


def test_rows_are_valid_long_form(small: pl.DataFrame) -> None:
    assert small.height == 130 * 12 * len(CARRIERS)
    assert set(small["use"].unique()) <= {"燃料", "原料", "发电供热"}
    assert small["entity"].map_elements(is_valid_credit_code, return_dtype=pl.Boolean).all()
    assert (small["entity"].str.slice(2, 6) == small["city_code"]).all()
    nonzero = (small["quantity"] > 0).mean()
    assert 0.3 < nonzero < 0.8  # dense template: unused carriers reported as 0
    units = dict(small.select("carrier", "unit").unique().iter_rows())
    assert units["电力"] == "万千瓦时"
    assert units["天然气"] == "万立方米"
    assert units["烟煤"] == "吨"


def test_city_totals_are_the_sums_of_the_long_table() -> None:
    data = generate_province(
        enterprises=130, start=Month(2024, 1), end=Month(2024, 3), with_city=True
    )
    sums = data.long.group_by("city_code", "period", "carrier").agg(pl.col("quantity").sum())
    joined = data.city_totals.join(sums, on=["city_code", "period", "carrier"], suffix="_long")
    assert joined.height == data.city_totals.height
    assert ((joined["quantity"] - joined["quantity_long"]).abs() < 1e-6).all()
    assert set(data.city_totals["city_code"]) == {code for code, *_ in CITIES}


def test_enterprise_names_are_fictional() -> None:
    data = generate_province(enterprises=500, start=Month(2025, 1), end=Month(2025, 1))
    names = data.enterprises["name"].to_list()
    assert len(set(names)) == len(names)
    assert all(is_fictional_name(n) for n in names)
    assert (data.enterprises["annual_tce"] >= 5000).all()

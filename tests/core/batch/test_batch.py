"""The batch path's behaviour on worked examples: provenance, bases, years, deductions,
errors, warnings, totals."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ecplan.core import (
    FactorLibrary,
    InputError,
    electricity_co2,
    fuel_co2,
    shipped_sets,
    to_tce,
    to_tce_result,
)
from ecplan.core import batch as batch_module
from ecplan.core.batch import SERIES, TOTAL_COLUMNS, convert, normalise_use

LIB = FactorLibrary(shipped_sets())


def table(**columns: list[object]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema_overrides={"quantity": pl.Float64})


def test_a_small_account_with_provenance_per_row_and_per_total() -> None:
    frame = table(
        entity=["甲", "甲", "甲", "乙"],
        period=["2023-05", "2023-05", "2025-01", "2023-05"],
        carrier=["烟煤", "电力", "电力", "焦炉煤气"],
        quantity=[1000.0, 50.0, 50.0, 10.0],
        unit=["吨", "万千瓦时", "万千瓦时", "万立方米"],
    )
    result = convert(frame, factor_set=LIB)
    assert result.ok
    rows = result.with_provenance()
    coal, power_2023, power_2025, gas = rows.iter_rows(named=True)
    assert coal["energy_tce"] == to_tce(1000, "吨", "烟煤", factor_set=LIB)
    assert coal["co2_t"] == fuel_co2(1000, "吨", "烟煤", factor_set=LIB)
    assert coal["tce_source"] == "gbt2589-2020 v1 CC01"
    assert coal["co2_source"].startswith("gbt32151.22-2024-fuels v1 ")
    assert power_2023["co2_t"] == electricity_co2(500_000, year=2023, factor_set=LIB)
    assert not power_2023["fallback"]
    # 2025 has no published factor yet: the 2023 one is used, and every place says so
    assert power_2025["co2_t"] == power_2023["co2_t"]
    assert power_2025["fallback"]
    prov = result.provenance.filter(pl.col("ref") == power_2025["co2_ref"]).row(0, named=True)
    assert (prov["year"], prov["requested_year"], prov["year_fallback"]) == (2023, 2025, True)
    assert "2023" in prov["notes"]
    assert prov["factor_set_id"] == "mee-grid-co2-2023"
    assert prov["factor_set_digest"]
    assert prov["document"]
    assert prov["confidence"]
    # 焦炉煤气's coefficient is a documented choice flagged uncertain
    assert gas["uncertain"]
    assert gas["tce_confidence"] == "uncertain"
    totals = result.totals_by("entity")
    assert totals.columns == ["entity", *TOTAL_COLUMNS]
    by_entity = {t["entity"]: t for t in totals.iter_rows(named=True)}
    first, second = by_entity["甲"], by_entity["乙"]
    assert first["entity"] == "甲"
    assert first["rows"] == 3
    assert first["fallback"]
    assert not first["uncertain"]
    assert first["uncertain_coefficients"] == ""
    assert "mee-grid-co2-2023 v1" in first["factor_sets"]
    assert sorted(first["provenance_refs"]) == sorted(
        {coal["tce_ref"], coal["co2_ref"], power_2023["tce_ref"], power_2023["co2_ref"],
         power_2025["co2_ref"]}
    )  # fmt: skip
    assert second["uncertain"]
    assert "NBS-COG" in second["uncertain_coefficients"]
    assert {fs.id for fs in result.factor_sets} >= {"gbt2589-2020", "mee-grid-co2-2023"}


def test_equivalent_basis_uses_the_coal_rate_of_each_rows_year() -> None:
    frame = table(
        period=["2020-06", "2024-06", "2024-06"],
        carrier=["电力", "电力", "原煤"],
        quantity=[1.0, 1.0, 1.0],
        unit=["万千瓦时", "万千瓦时", "吨"],
    )
    result = convert(frame, basis="等价值", factor_set=LIB)
    y2020, y2024, coal = result.rows.get_column("energy_tce").to_list()
    assert y2020 == to_tce(1, "万千瓦时", "电力", basis="equivalent", year=2020, factor_set=LIB)
    assert y2024 == to_tce(1, "万千瓦时", "电力", basis="equivalent", year=2024, factor_set=LIB)
    assert y2020 != y2024
    assert coal == to_tce(1, "吨", "原煤", factor_set=LIB)
    assert result.basis == "equivalent"
    assert result.basis_label == "等价值"
    # a fixed year and an explicit coal rate override the rows' years
    fixed = convert(frame, basis="equivalent", year=2020, factor_set=LIB)
    assert fixed.rows.get_column("energy_tce").to_list()[:2] == [y2020, y2020]
    rate = convert(frame, basis="equivalent", generation_coal_rate=290, factor_set=LIB)
    assert (
        rate.rows.get_column("energy_tce")[0]
        == to_tce_result(
            1, "万千瓦时", "电力", basis="equivalent", generation_coal_rate=290, factor_set=LIB
        ).value
    )


def test_uses_and_new_basis_series() -> None:
    frame = table(
        entity=["甲"] * 6,
        carrier=["天然气", "天然气", "烟煤", "润滑油", "光伏", "柴油"],
        quantity=[10.0, 5.0, 100.0, 2.0, 30.0, 4.0],
        unit=["万立方米", "万立方米", "吨", "吨", "万千瓦时", "吨"],
        use=["燃料", "原料", "发电供热", "非能源", None, "fuel"],
        separately_listed=[False, False, False, False, False, True],
        period=["2023-01"] * 6,
    )
    result = convert(frame, factor_set=LIB)
    rows = result.rows
    assert rows.get_column("series").to_list() == [
        "fossil", "feedstock", "fossil", "fossil", "non_fossil", "separately_listed",
    ]  # fmt: skip
    assert rows.get_column("co2_method").to_list() == [
        "combustion", "feedstock", "combustion", "non_energy", "no_fossil_co2", "combustion",
    ]  # fmt: skip
    co2 = rows.get_column("co2_t").to_list()
    assert co2[1] == 0.0
    assert co2[3] == 0.0
    assert co2[4] == 0.0
    assert co2[2] == fuel_co2(100, "吨", "烟煤", factor_set=LIB)
    total = result.total()
    energy = rows.get_column("energy_tce").to_list()
    assert total["feedstock_tce"] == energy[1]
    assert total["non_fossil_tce"] == energy[4]
    assert total["separately_listed_tce"] == energy[5]
    assert total["power_generation_tce"] == energy[2]
    assert total["non_energy_tce"] == energy[3]
    assert total["new_basis_tce"] == pytest.approx(energy[0] + energy[2] + energy[3], rel=1e-15)
    assert total["fossil_tce"] == pytest.approx(total["energy_tce"] - energy[4], rel=1e-15)
    assert total["co2_t"] == pytest.approx(co2[0] + co2[2] + co2[5], rel=1e-15)
    assert set(SERIES) >= set(rows.get_column("series").cast(pl.String).to_list())


def test_a_chosen_factor_set_is_used_and_recorded() -> None:
    frame = table(carrier=["焦炭"], quantity=[100.0], unit=["吨"])
    default = convert(frame, factor_set=LIB).with_provenance().row(0, named=True)
    steel = convert(frame, factor_set=LIB.select("ndrc-2013-steel-fuels")).with_provenance()
    chosen = steel.row(0, named=True)
    assert chosen["co2_t"] == fuel_co2(100, "吨", "焦炭", factor_set="ndrc-2013-steel-fuels")
    assert chosen["co2_t"] != default["co2_t"]
    assert chosen["co2_source"].startswith("ndrc-2013-steel-fuels v1 ")
    assert chosen["tce_source"] == default["tce_source"]


def test_errors_name_the_row_the_column_and_the_reason_in_chinese() -> None:
    frame = table(
        row=[5, 6, 7, 8, 9, 10, 11],
        carrier=["烟煤", "煤炭石", "天然气", "电力", "柴油", "煤泥", "烟煤"],
        quantity=[-1.0, 1.0, 1.0, 1.0, 1.0, 1.0, None],
        unit=["吨", "吨", "吨", "万千瓦时", "升", "吨", "吨"],
        use=["燃料", "燃料", "燃料", "原料", "乱填", None, None],
        period=["2023-01", "2023-01", "2023-01", "2023-01", "2023-13", "2023-01", "2023-01"],
    )
    result = convert(frame, factor_set=LIB)
    assert not result.ok
    errors = result.errors.select("row", "column", "reason").rows()
    assert errors == [
        (5, "quantity", "negative"),
        (6, "carrier", "carrier_unknown"),
        (7, "unit", "unit_mismatch"),
        (8, "use", "use_not_allowed"),
        (9, "period", "not_period"),
        (9, "unit", "unit_density"),
        (9, "use", "use_invalid"),
        (10, "carrier", "coefficient_required"),
        (11, "quantity", "missing"),
    ]
    messages = dict(zip(result.errors["row"], result.errors["message"], strict=False))
    assert "可用单位：立方米、万立方米" in messages[7]
    assert "未知的能源品种“煤炭石”" in messages[6]
    assert "负数" in messages[5]
    assert result.rows.get_column("ok").to_list() == [False] * 7
    with pytest.raises(InputError, match="skip_invalid"):
        result.totals_by("carrier")
    assert result.totals_by(skip_invalid=True).height == 1
    assert result.total(skip_invalid=True)["rows"] == 0


def test_rows_whose_co2_cannot_be_computed_convert_with_a_warning() -> None:
    frame = table(
        carrier=["原煤", "蒸汽", "电力", "烟煤"],
        quantity=[1.0, 2.0, 3.0, 4.0],
        unit=["吨", "吨", "万千瓦时", "吨"],
        period=["2023-01", "2023-01", "2019-01", "2023-01"],
    )
    result = convert(frame, factor_set=LIB)
    assert result.ok
    assert result.rows.get_column("co2_t").to_list()[:3] == [None, None, None]
    assert result.warnings.get_column("row").to_list() == [1, 2, 3]
    assert "无烟煤" in result.warnings["message"][0]  # choose the coal type
    assert "热力" in result.warnings["message"][1]  # report steam as heat
    assert "2019" in result.warnings["message"][2]  # no grid factor that early
    total = result.total()
    assert total["co2_missing_rows"] == 3
    assert not total["co2_complete"]
    assert total["co2_t"] == result.rows["co2_t"][3]


def test_caller_refused_rows_are_left_out() -> None:
    frame = table(carrier=["烟煤", "烟煤"], quantity=[1.0, 2.0], unit=["吨", "吨"])
    frame = frame.with_columns(pl.Series("checked", [True, False]))
    result = convert(frame, factor_set=LIB, valid_column="checked")
    assert not result.ok
    assert result.errors.height == 0
    assert result.valid_rows().height == 1
    assert result.total(skip_invalid=True)["energy_tce"] == to_tce(1, "吨", "烟煤", factor_set=LIB)


def test_text_columns_may_be_categorical_or_enum_and_periods_dates() -> None:
    base = table(
        carrier=["烟煤", "电力", "烟煤"],
        quantity=[1.0, 2.0, 3.0],
        unit=["吨", "万千瓦时", "吨"],
        period=["2023-02", "2023-02", "2022-11"],
    )
    expected = convert(base, factor_set=LIB).rows
    categorical = base.with_columns(pl.col("carrier", "unit").cast(pl.Categorical))
    enum = base.with_columns(pl.col("carrier").cast(pl.Enum(["电力", "烟煤"])))
    dated = base.with_columns(pl.col("period").str.to_date("%Y-%m"))
    for variant in (categorical, enum, dated, base.lazy()):
        rows = convert(variant, factor_set=LIB).rows
        for column in ("energy_tce", "co2_t", "year", "tce_ref", "co2_ref"):
            assert rows.get_column(column).to_list() == expected.get_column(column).to_list()


def test_a_hash_collision_falls_back_to_the_exact_assignment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = batch_module._combined_hash

    def colliding(keys: list[str], seeds: tuple[int, ...]) -> pl.Expr:
        if seeds == batch_module._SEED:
            return pl.lit(7, dtype=pl.UInt64)  # every combination shares the first hash
        return real(keys, seeds)

    frame = table(
        carrier=["烟煤", "电力", "天然气", "烟煤"],
        quantity=[1.0, 2.0, 3.0, 4.0],
        unit=["吨", "万千瓦时", "万立方米", "t"],
        period=["2023-01"] * 4,
    )
    expected = convert(frame, factor_set=LIB).rows.get_column("energy_tce").to_list()
    monkeypatch.setattr(batch_module, "_combined_hash", colliding)
    result = convert(frame, factor_set=LIB)
    assert result.rows.get_column("energy_tce").to_list() == expected
    assert result.combos.height == 4


def test_same_table_same_bits() -> None:
    frame = table(
        entity=[f"企业{i % 7}" for i in range(300)],
        carrier=["烟煤", "电力", "天然气"] * 100,
        quantity=[1.0 / (i + 3) for i in range(300)],
        unit=["吨", "万千瓦时", "万立方米"] * 100,
        period=[f"2023-{i % 12 + 1:02d}" for i in range(300)],
    )
    first = convert(frame, factor_set=LIB).totals_by("entity", "period")
    second = convert(frame.reverse(), factor_set=LIB).totals_by("entity", "period")
    assert first.equals(second)


def test_bad_frames_are_programming_errors() -> None:
    with pytest.raises(InputError, match="carrier"):
        convert(pl.DataFrame({"quantity": [1.0], "unit": ["吨"]}))
    with pytest.raises(InputError, match="数值"):
        convert(pl.DataFrame({"carrier": ["烟煤"], "quantity": ["1"], "unit": ["吨"]}))
    with pytest.raises(InputError, match="改名"):
        convert(table(carrier=["烟煤"], quantity=[1.0], unit=["吨"], energy_tce=[0.0]))
    result = convert(table(carrier=["烟煤"], quantity=[1.0], unit=["吨"]), factor_set=LIB)
    with pytest.raises(InputError, match="列"):
        result.totals_by("nonexistent")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (None, "fuel"),
        (" ", "fuel"),
        ("燃料", "fuel"),
        ("Fuel", "fuel"),
        ("原料用能", "feedstock"),
        ("power generation", "power_generation"),
        ("发电、供热", "power_generation"),
        ("non-energy", "non_energy"),
        ("非能源", "non_energy"),
    ],
)
def test_use_spellings(text: str | None, code: str) -> None:
    assert normalise_use(text) == code


def test_unknown_use_is_refused() -> None:
    with pytest.raises(InputError):
        normalise_use("烧掉")


def test_dates_give_their_year() -> None:
    frame = table(carrier=["电力"], quantity=[1.0], unit=["万千瓦时"], period=[dt.date(2022, 7, 1)])
    row = convert(frame, factor_set=LIB).rows.row(0, named=True)
    assert row["year"] == 2022
    assert row["co2_t"] == electricity_co2(10_000, year=2022, factor_set=LIB)


def test_several_groupings_at_once_equal_one_by_one() -> None:
    frame = table(
        entity=[f"企业{i % 5}" for i in range(120)],
        area=[f"区{i % 3}" for i in range(120)],
        carrier=["烟煤", "电力", "天然气", "光伏"] * 30,
        quantity=[i * 1.37 for i in range(120)],
        unit=["吨", "万千瓦时", "万立方米", "万千瓦时"] * 30,
        use=["燃料", None, "原料", None] * 30,
        period=[f"202{3 + i % 2}-{i % 12 + 1:02d}" for i in range(120)],
    )
    result = convert(frame, factor_set=LIB)
    groupings = [("entity", "year"), ("area", "period"), ("carrier_code",), ()]
    together = result.totals(*groupings)
    for by, frame_together in zip(groupings, together, strict=True):
        assert frame_together.equals(result.totals_by(*by))
    assert together[-1].height == 1

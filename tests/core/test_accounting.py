"""tce on both bases, fuel/electricity/heat CO2, comprehensive energy consumption."""

from __future__ import annotations

import json

import pytest

from ecplan.core import (
    Calculation,
    CoefficientRequiredError,
    EnergyUse,
    FactorNotFoundError,
    InputError,
    UnitError,
    co2_emissions,
    comprehensive_energy_consumption,
    conversion_table,
    electricity_co2,
    electricity_co2_result,
    fuel_co2,
    fuel_co2_result,
    fuel_co2_table,
    to_tce,
    to_tce_result,
)
from ecplan.core.accounting import normalise_basis
from ecplan.core.units import parse_unit

# --- to_tce ---------------------------------------------------------------------------------


def test_basis_accepts_chinese_words() -> None:
    assert normalise_basis("当量值") == "calorific"
    assert normalise_basis("等价值") == "equivalent"
    assert normalise_basis("Equivalent") == "equivalent"
    with pytest.raises(InputError, match="当量值"):
        normalise_basis("标准")


def test_fuels_are_the_same_on_both_bases() -> None:
    for name in ("原煤", "柴油", "天然气", "焦炭"):
        unit = "万立方米" if name == "天然气" else "吨"
        assert to_tce(3, unit, name, basis="当量值") == to_tce(3, unit, name, basis="等价值")


def test_electricity_equivalent_uses_the_coal_rate_series_with_fallbacks() -> None:
    r = to_tce_result(1, "万千瓦时", "电力", basis="等价值", year=2025)
    coef = r.coefficients[0]
    assert r.value == pytest.approx(10_000 * 302.4e-6)
    assert coef.basis is not None
    assert coef.basis.startswith("供电煤耗")
    assert (coef.requested_year, coef.year) == (2025, 2024)
    assert (coef.requested_region, coef.region) == ("江苏", "全国")
    assert coef.year_fallback
    assert coef.region_fallback
    assert any("供电煤耗" in n for n in r.notes)


def test_electricity_equivalent_year_of_its_own_and_region_of_its_own() -> None:
    assert to_tce(1, "万千瓦时", "电力", basis="等价值", year=2023) == pytest.approx(3.03)
    sh = to_tce_result(1, "万千瓦时", "电力", basis="等价值", year=2024, region="上海市")
    assert sh.value == pytest.approx(2.8078)
    assert sh.coefficients[0].key == "statistical"
    assert not sh.coefficients[0].region_fallback


def test_no_earlier_year_is_an_error_not_a_later_year() -> None:
    with pytest.raises(FactorNotFoundError) as info:
        to_tce(1, "万千瓦时", "电力", basis="等价值", year=2019)
    assert "2019年" in str(info.value)
    assert "现有年份：2020、2023、2024" in str(info.value)


def test_caller_supplied_generation_coal_rate() -> None:
    r = to_tce_result(1, "万千瓦时", "电力", basis="等价值", generation_coal_rate=290)
    assert r.value == pytest.approx(2.9)
    assert r.coefficients[0].confidence == "caller-supplied"
    assert r.coefficients[0].published_unit == "gce/kWh"
    with pytest.raises(InputError, match="gce/kWh"):
        to_tce(1, "万千瓦时", "电力", basis="等价值", generation_coal_rate=0.29)


def test_equivalent_basis_needs_a_year() -> None:
    with pytest.raises(InputError, match="year="):
        to_tce(1, "万千瓦时", "电力", basis="等价值")


def test_heat_equivalent_needs_a_rate_none_is_shipped() -> None:
    with pytest.raises(FactorNotFoundError, match="供热煤耗率"):
        to_tce(100, "吉焦", "热力", basis="等价值", year=2024)
    r = to_tce_result(100, "吉焦", "热力", basis="等价值", heat_supply_coal_rate=40)
    assert r.value == pytest.approx(4.0)
    steam = to_tce_result(10, "吨", "蒸汽", basis="等价值", heat_supply_coal_rate=40)
    assert steam.value == pytest.approx(10 * 3.763 * 0.040)
    assert [c.symbol for c in steam.coefficients] == ["h", "k_等价"]


def test_non_fossil_power_on_both_bases() -> None:
    assert to_tce(1, "万千瓦时", "风电") == pytest.approx(1.229)
    assert to_tce(1, "万千瓦时", "光伏", basis="等价值", year=2023) == pytest.approx(3.03)
    assert to_tce(5, "吨标准煤", "生物质能") == 5.0


def test_unit_errors_name_unit_carrier_and_accepted_units() -> None:
    with pytest.raises(UnitError) as info:
        to_tce(1, "立方米", "原煤")
    assert info.value.carrier == "raw_coal"
    assert "原煤" in str(info.value)
    assert "吨" in str(info.value)
    with pytest.raises(UnitError, match="密度"):
        to_tce(100, "升", "柴油")
    with pytest.raises(UnitError):
        to_tce(1, "吨标准煤", "原煤")


def test_sub_types_use_the_statistical_line() -> None:
    r = to_tce_result(1, "吨", "烟煤")
    assert r.value == pytest.approx(0.7143)
    assert "原煤" in r.coefficients[0].notes


def test_explicit_coefficient_and_measured_lcv() -> None:
    r = to_tce_result(10, "吨", "型煤", coefficient=(0.5, "tce/t"))
    assert r.value == pytest.approx(5.0)
    assert r.coefficients[0].confidence == "caller-supplied"
    with pytest.raises(CoefficientRequiredError) as info:
        to_tce(1, "万立方米", "转炉煤气")
    assert "0.2866" in info.value.alternatives
    gas = to_tce_result(1, "万立方米", "转炉煤气", lcv=(8.4, "MJ/m3"))
    assert gas.value == pytest.approx(10_000 * 8.4e-3 / 29.307)
    with pytest.raises(UnitError):
        to_tce_result(1, "吨", "原煤", coefficient=(0.7, "tce/m3"))


def test_conflicting_values_are_shipped_as_uncertain_with_alternatives() -> None:
    briquettes = to_tce_result(1, "吨", "型煤")
    assert briquettes.value == pytest.approx(0.6)
    assert briquettes.uncertain
    assert "0.5000" in briquettes.coefficients[0].alternatives
    other = to_tce_result(1, "吨", "其他石油制品")
    assert other.value == pytest.approx(1.2)
    assert other.uncertain
    assert "1.4286" in other.coefficients[0].alternatives


def test_fresh_water_requires_an_explicit_coefficient() -> None:
    with pytest.raises(CoefficientRequiredError, match=r"0\.2571"):
        to_tce(1000, "吨", "新水")


def test_non_finite_input_is_refused() -> None:
    with pytest.raises(InputError):
        to_tce(float("nan"), "吨", "原煤")


def test_conversion_table_reproduces_to_tce_bit_for_bit() -> None:
    table = {(r["carrier"], r["dimension"]): r for r in conversion_table()}
    for carrier, unit, qty in [("原煤", "万吨", 12.5), ("天然气", "亿立方米", 0.37),
                               ("电力", "万千瓦时", 1234.5), ("热力", "百万千焦", 88.0),
                               ("柴油", "千克", 4321.0), ("型煤", "吨", 7.0)]:  # fmt: skip
        result = to_tce_result(qty, unit, carrier)
        parsed = parse_unit(unit)
        row = table[(result.carrier, parsed.dimension.value)]
        assert isinstance(row["tce_per_unit"], float)
        assert qty * parsed.multiplier * row["tce_per_unit"] == result.value
        fs = result.coefficients[0].factor_set
        assert fs is not None
        assert row["factor_set_id"] == fs.id
    assert table[("coal_slime", "mass")]["tce_per_unit"] is None
    assert "煤泥" in str(table[("coal_slime", "mass")]["error"])
    assert table[("briquettes", "mass")]["uncertain"] is True


def test_conversion_table_equivalent_basis_records_the_year_used() -> None:
    rows = conversion_table(basis="等价值", year=2025)
    elec = next(r for r in rows if r["carrier"] == "electricity")
    assert elec["year_used"] == 2024
    assert elec["year_fallback"] is True
    assert elec["region_used"] == "全国"
    assert elec["region_fallback"] is True


# --- fuel CO2 ----------------------------------------------------------------------------------


def test_fuel_co2_formula_and_provenance() -> None:
    r = fuel_co2_result(2, "万立方米", "天然气")
    assert r.value == pytest.approx(2 * 21.6219, abs=1e-4)
    symbols = [c.symbol for c in r.coefficients]
    assert symbols == ["NCV", "CC", "OF", "EF"]
    assert r.coefficients[0].published_unit == "GJ/10^4 Nm3"


def test_feedstock_is_not_combustion() -> None:
    r = fuel_co2_result(100, "吨", "原煤", use="原料用能")
    assert r.value == 0.0
    assert r.use == "feedstock"
    assert "不是燃料燃烧" in r.notes[0]
    with pytest.raises(InputError, match="原料用能"):
        fuel_co2_result(1, "万千瓦时", "电力", use="feedstock")


def test_measured_fuel_parameters() -> None:
    r = fuel_co2_result(1, "吨", "烟煤", ncv=(21.0, "GJ/t"))
    assert r.value == pytest.approx(21.0 * 0.0261 * 0.93 * 44 / 12)
    assert r.coefficients[0].confidence == "measured"
    assert r.coefficients[1].factor_set is not None  # the other parameters stay default
    full = fuel_co2_result(1, "吨", "原煤", ncv=(20, "GJ/t"), carbon_content=(26, "tC/TJ"),
                           oxidation_rate=0.95)  # fmt: skip
    assert full.value == pytest.approx(20 * 0.026 * 0.95 * 44 / 12)


def test_fuel_co2_table_matches_scalar() -> None:
    rows = {r["carrier"]: r for r in fuel_co2_table()}
    ef = rows["diesel"]["ef_tco2_per_unit"]
    assert isinstance(ef, float)
    assert 1.5 * 1000.0 * ef == fuel_co2(1.5, "千吨", "柴油")
    assert "raw_coal" not in rows


# --- electricity CO2 ---------------------------------------------------------------------------


def test_electricity_location_based_default_jiangsu() -> None:
    r = electricity_co2_result(1_000_000, year=2023)
    assert r.value == pytest.approx(582.7)
    assert r.coefficients[0].region == "江苏"
    assert not r.coefficients[0].year_fallback


def test_year_fallback_is_recorded() -> None:
    r = electricity_co2_result(1_000_000, year=2025, region="江苏省")
    assert r.value == pytest.approx(582.7)
    c = r.coefficients[0]
    assert (c.requested_year, c.year, c.year_fallback) == (2025, 2023, True)
    assert any("尚未发布" in n for n in r.notes)


def test_green_power_uses_the_excluding_market_factor() -> None:
    r = electricity_co2_result(1_000_000, year=2023, green_kwh=100_000, green_certificates=100)
    # 100 000 kWh + 100 certificates × 1 000 kWh = 200 000 kWh deducted
    assert r.deducted_kwh == 200_000
    assert r.value == pytest.approx(800_000 * 0.6096e-3)
    grid = r.coefficients[-1]
    assert grid.key == "excluding_market_non_fossil"
    assert grid.region == "全国"
    assert grid.region_fallback


def test_green_power_beyond_consumption_is_not_negative() -> None:
    r = electricity_co2_result(1000, year=2023, green_kwh=5000)
    assert r.value == 0.0
    assert any("超过用电量" in n for n in r.notes)


def test_electricity_before_the_first_factor_year_is_refused() -> None:
    with pytest.raises(FactorNotFoundError, match="2020年"):
        electricity_co2(1000, year=2020)
    with pytest.raises(InputError):
        electricity_co2(-5, year=2023)


# --- comprehensive energy consumption -----------------------------------------------------------


def _account() -> list[EnergyUse]:
    return [
        EnergyUse("原煤", 10_000, "吨", label="205-1表 原煤"),
        EnergyUse("原煤", 2_000, "吨", use="原料用能", label="合成氨原料煤"),
        EnergyUse("天然气", 300, "万立方米"),
        EnergyUse("电力", 5_000, "万千瓦时"),
        EnergyUse("光伏", 200, "万千瓦时", label="自发自用光伏"),
        EnergyUse("电力", 100, "万千瓦时", non_fossil=True, label="绿电（附绿证）"),
        EnergyUse("柴油", 50, "吨", separately_listed=True, label="国家重大项目"),
        EnergyUse("蒸汽", 1_000, "吨", flow="外供", label="外供蒸汽"),
    ]


def test_comprehensive_energy_consumption_series() -> None:
    r = comprehensive_energy_consumption(_account())
    coal = 10_000 * 0.7143
    feed = 2_000 * 0.7143
    gas = 300 * 12.143
    elec = 5_000 * 1.229
    pv = 200 * 1.229
    green = 100 * 1.229
    diesel = 50 * 1.4571
    steam = 1_000 * 0.1286
    assert r.total_tce == pytest.approx(coal + feed + gas + elec + pv + green + diesel - steam)
    assert r.feedstock_tce == pytest.approx(feed)
    assert r.non_fossil_tce == pytest.approx(pv + green)
    assert r.separately_listed_tce == pytest.approx(diesel)
    assert r.exported_tce == pytest.approx(steam)
    assert r.new_basis_tce == pytest.approx(coal + gas + elec - steam)
    assert r.fossil_tce == pytest.approx(r.total_tce - pv - green)
    assert [getattr(p, "series", None) for p in r.parts][:2] == ["fossil", "feedstock"]
    assert r.parts[-1].value < 0


def test_comprehensive_on_the_equivalent_basis() -> None:
    r = comprehensive_energy_consumption(
        [EnergyUse("电力", 1, "万千瓦时"), EnergyUse("原煤", 1, "吨")],
        basis="等价值",
        generation_coal_rate=300,
    )
    assert r.value == pytest.approx(3.0 + 0.7143)
    assert r.basis == "equivalent"


def test_comprehensive_errors_say_which_line() -> None:
    with pytest.raises(UnitError) as info:
        comprehensive_energy_consumption(
            [EnergyUse("原煤", 1, "吨"), EnergyUse("天然气", 1, "吨", label="锅炉房")]
        )
    assert str(info.value).startswith("第 2 行（锅炉房）：")
    with pytest.raises(InputError, match="不能作为原料用能"):
        comprehensive_energy_consumption([EnergyUse("电力", 1, "万千瓦时", use="feedstock")])
    with pytest.raises(InputError, match="不能为负数"):
        comprehensive_energy_consumption([EnergyUse("原煤", -1, "吨")])
    with pytest.raises(InputError, match="方向"):
        comprehensive_energy_consumption([EnergyUse("原煤", 1, "吨", flow="存货")])


def test_comprehensive_round_trips_through_json() -> None:
    r = comprehensive_energy_consumption(_account())
    data = json.loads(json.dumps(r.to_dict(), ensure_ascii=False))
    back = Calculation.from_dict(data)
    assert back == r
    assert data["uncertain"] is False


def test_co2_of_an_account() -> None:
    r = co2_emissions(
        [
            EnergyUse("烟煤", 100, "吨"),
            EnergyUse("烟煤", 50, "吨", use="原料用能"),
            EnergyUse("电力", 100, "万千瓦时"),
            EnergyUse("电力", 10, "万千瓦时", flow="外供"),
            EnergyUse("热力", 1000, "吉焦"),
            EnergyUse("风电", 5, "万千瓦时"),
        ],
        year=2023,
    )
    assert r.combustion_co2_t == pytest.approx(100 * 1.7417, abs=1e-2)
    assert r.electricity_co2_t == pytest.approx(90 * 10_000 * 0.5827e-3)
    assert r.heat_co2_t == pytest.approx(110.0)
    assert r.value == pytest.approx(r.combustion_co2_t + r.electricity_co2_t + r.heat_co2_t)
    assert r.value == pytest.approx(sum(p.value for p in r.parts))
    with pytest.raises(InputError, match="热力"):
        co2_emissions([EnergyUse("蒸汽", 1, "吨")], year=2023)


def test_grid_factor_table_reproduces_electricity_co2() -> None:
    from ecplan.core import grid_factor_table

    rows = grid_factor_table([2020, 2023, 2025], ["江苏省", "全国"])
    by_key = {(r["requested_year"], r["requested_region"], r["key"]): r for r in rows}
    avg = by_key[(2025, "江苏", "average")]
    assert avg["year"] == 2023
    assert avg["year_fallback"] is True
    value = avg["value"]
    assert isinstance(value, float)
    assert 12345.0 * value == electricity_co2(12345.0, year=2025)
    excl = by_key[(2023, "江苏", "excluding_market_non_fossil")]
    assert excl["region"] == "全国"
    assert excl["region_fallback"] is True
    missing = by_key[(2020, "全国", "average")]
    assert missing["value"] is None
    assert "2020年" in str(missing["error"])


def test_co2_of_an_account_with_green_power_and_net_export() -> None:
    green = co2_emissions(
        [
            EnergyUse("电力", 100, "万千瓦时"),
            EnergyUse("电力", 30, "万千瓦时", non_fossil=True, label="绿电"),
        ],
        year=2023,
    )
    # 130 万kWh consumed, 30 万kWh green: 100 万kWh at the excluding-market factor
    assert green.electricity_co2_t == pytest.approx(100 * 10_000 * 0.6096e-3)
    exporter = co2_emissions(
        [EnergyUse("电力", 10, "万千瓦时"), EnergyUse("电力", 50, "万千瓦时", flow="输出")],
        year=2023,
    )
    assert exporter.electricity_co2_t == pytest.approx(-40 * 10_000 * 0.5827e-3)
    assert any("净输出电力" in n for n in exporter.notes)

"""Unit parsing at the edge: Chinese statistical units, canonical units, precise errors."""

from __future__ import annotations

import pytest

from ecplan.core import Dimension, UnitError, parse_unit, to_canonical, unit_table
from ecplan.core.units import accepted_units


@pytest.mark.parametrize(
    ("text", "canonical", "multiplier"),
    [
        ("吨", "t", 1.0),
        ("万吨", "t", 10_000.0),
        ("千克", "t", 0.001),
        ("公斤", "t", 0.001),
        ("kt", "t", 1000.0),
        ("立方米", "m3", 1.0),
        ("Nm3", "m3", 1.0),
        ("万立方米", "m3", 10_000.0),
        ("10⁴ m³", "m3", 10_000.0),
        ("10^4 Nm3", "m3", 10_000.0),
        ("亿立方米", "m3", 100_000_000.0),
        ("千瓦时", "kWh", 1.0),
        ("度", "kWh", 1.0),
        ("kW·h", "kWh", 1.0),
        ("万千瓦时", "kWh", 10_000.0),
        ("亿千瓦时", "kWh", 100_000_000.0),
        ("兆瓦时", "kWh", 1000.0),
        ("MWh", "kWh", 1000.0),
        ("GWh", "kWh", 1_000_000.0),
        ("吉焦", "GJ", 1.0),
        ("百万千焦", "GJ", 1.0),
        ("MJ", "GJ", 0.001),
        ("吨标准煤", "tce", 1.0),
        ("万吨标准煤", "tce", 10_000.0),
        ("千克标准煤", "tce", 0.001),
        ("kgce", "tce", 0.001),
        ("tce", "tce", 1.0),
        ("ｋｇ", "t", 0.001),  # full-width Latin letters
        (" 万 吨 ", "t", 10_000.0),
    ],
)
def test_units_parse_to_canonical(text: str, canonical: str, multiplier: float) -> None:
    p = parse_unit(text)
    assert p.canonical == canonical
    assert p.multiplier == multiplier


def test_standard_coal_is_its_own_dimension() -> None:
    with pytest.raises(UnitError) as info:
        parse_unit("kWh", dimensions=(Dimension.STANDARD_COAL,))
    assert info.value.reason == "mismatch"


def test_unknown_unit_names_unit_carrier_and_accepted_units() -> None:
    with pytest.raises(UnitError) as info:
        parse_unit("吨吨", dimensions=(Dimension.MASS,), carrier="raw_coal", carrier_name="原煤")
    err = info.value
    assert err.unit == "吨吨"
    assert err.carrier == "raw_coal"
    assert err.reason == "unknown"
    assert "吨" in err.accepted
    assert "万吨" in err.accepted
    assert "无法识别的计量单位“吨吨”" in str(err)
    assert "原煤" in str(err)
    assert "可用单位：吨、万吨" in str(err)


def test_mismatched_unit_is_refused_with_dimension_hint() -> None:
    with pytest.raises(UnitError) as info:
        parse_unit("立方米", dimensions=(Dimension.MASS,), carrier="raw_coal", carrier_name="原煤")
    assert info.value.reason == "mismatch"
    assert "不适用于原煤" in str(info.value)
    assert "气体体积" in str(info.value)


def test_litres_need_a_density_not_a_unit_conversion() -> None:
    with pytest.raises(UnitError) as info:
        parse_unit("升", dimensions=(Dimension.MASS,), carrier="diesel", carrier_name="柴油")
    assert info.value.reason == "density"
    assert "密度" in str(info.value)


def test_calories_are_not_accepted() -> None:
    with pytest.raises(UnitError):
        parse_unit("千卡")


def test_empty_unit_is_refused() -> None:
    with pytest.raises(UnitError, match="不能为空"):
        parse_unit("  ")


def test_error_location_can_be_attached() -> None:
    with pytest.raises(UnitError) as info:
        parse_unit("吨吨")
    err = info.value.at("能源表.xlsx 第 12 行 C 列")
    assert str(err).startswith("能源表.xlsx 第 12 行 C 列：无法识别")
    assert err.location == "能源表.xlsx 第 12 行 C 列"


def test_to_canonical_multiplies_once() -> None:
    value, parsed = to_canonical(2.5, "万千瓦时")
    assert value == 2.5 * 10_000.0
    assert parsed.unit.symbol == "万千瓦时"


def test_unit_table_covers_every_spelling_consistently() -> None:
    rows = unit_table()
    spellings = {r["spelling"] for r in rows}
    assert {"万吨", "kwh", "10^4m3", "吨标准煤", "升"} <= spellings
    for r in rows:
        if r["dimension"] == "liquid_volume":
            with pytest.raises(UnitError):
                parse_unit(str(r["spelling"]))
            continue
        parsed = parse_unit(str(r["spelling"]))
        assert parsed.multiplier == r["multiplier"]
        assert parsed.canonical == r["canonical_unit"]


def test_accepted_units_lists_the_dimension_only() -> None:
    mass = accepted_units(Dimension.MASS)
    assert "吨" in mass
    assert "千瓦时" not in mass

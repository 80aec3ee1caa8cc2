"""The carrier catalogue: statistical names, aliases, classes, feedstock flags."""

from __future__ import annotations

import pytest

from ecplan.core import CARRIERS, Dimension, EnergyClass, UnknownCarrierError, get_carrier
from ecplan.core.carriers import CarrierCategory, carrier_name_table, carrier_table

STATISTICAL_NAMES = [
    "原煤", "洗精煤", "其他洗煤", "型煤", "焦炭", "焦炉煤气", "高炉煤气", "转炉煤气", "其他煤气",
    "天然气", "液化天然气", "原油", "汽油", "煤油", "柴油", "燃料油", "液化石油气", "炼厂干气",
    "石脑油", "润滑油", "石蜡", "溶剂油", "石油焦", "石油沥青", "其他石油制品", "其他能源",
    "热力", "蒸汽", "电力", "水电", "核电", "风电", "光伏", "太阳能", "生物质能",
    "其他非化石能源",
]  # fmt: skip


@pytest.mark.parametrize("name", STATISTICAL_NAMES)
def test_every_statistical_name_is_known(name: str) -> None:
    assert get_carrier(name).name_zh


def test_steam_grades_roll_up_to_steam() -> None:
    graded = [c for c in CARRIERS if c.parent == "steam"]
    assert len(graded) == 9
    assert get_carrier("10.0MPa级蒸汽").code == "steam_10mpa"
    assert get_carrier("蒸汽（<0.3MPa级）").code == "steam_below_0_3mpa"


def test_names_are_normalised() -> None:
    assert get_carrier(" 液化 石油气 ").code == "lpg"
    assert get_carrier("lpg").code == "lpg"
    assert get_carrier("蒸汽(低压)").code == "steam"
    assert get_carrier("raw_coal").name_zh == "原煤"


def test_unknown_carrier_suggests_close_names() -> None:
    with pytest.raises(UnknownCarrierError) as info:
        get_carrier("天燃气")
    assert "天然气" in info.value.suggestions
    assert "未知的能源品种“天燃气”" in str(info.value)


def test_classes_and_feedstock() -> None:
    assert get_carrier("原煤").energy_class is EnergyClass.FOSSIL
    assert get_carrier("原煤").feedstock_capable
    assert get_carrier("天然气").feedstock_capable
    assert not get_carrier("电力").feedstock_capable
    assert get_carrier("电力").energy_class is EnergyClass.SECONDARY
    assert get_carrier("风电").energy_class is EnergyClass.NON_FOSSIL
    assert get_carrier("风电").dimensions == (Dimension.ELECTRICITY,)
    assert get_carrier("新水").energy_class is EnergyClass.WORKING_MEDIUM
    assert get_carrier("其他能源").dimensions == (Dimension.STANDARD_COAL,)
    assert get_carrier("烟煤").parent == "raw_coal"
    assert get_carrier("焦炭").category is CarrierCategory.COAL_PRODUCT


def test_default_units_parse_for_their_carrier() -> None:
    from ecplan.core import parse_unit

    for c in CARRIERS:
        parsed = parse_unit(c.default_unit, dimensions=c.dimensions)
        assert parsed.dimension in c.dimensions, c.code


def test_tables_are_plain_rows() -> None:
    rows = carrier_table()
    assert len(rows) == len(CARRIERS)
    assert {"code", "name_zh", "dimensions", "feedstock_capable"} <= rows[0].keys()
    names = {r["name"]: r["code"] for r in carrier_name_table()}
    assert names["原煤"] == "raw_coal"
    assert names["lng"] == "lng"

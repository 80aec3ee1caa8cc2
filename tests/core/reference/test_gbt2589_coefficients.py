"""GB/T 2589-2020 Appendix A: the standard-coal coefficient table, reproduced row by row.

Source: GB/T 2589-2020《综合能耗计算通则》附录A 各种能源折标准煤参考系数, as reproduced in
http://www.huatuo6.cn/wenku/rdvvd/4gNGBm3BKO and independent public transcriptions
(reference/accounting-standards.md §1.2; reference/conversion_coefficients.csv CC01–CC42).
The coefficients are published in kgce per physical unit; one tonne (or 1 000 m³, 1 GJ,
10 000 kWh) of the carrier must convert to exactly the published number of tce.
"""

from __future__ import annotations

import pytest

from ecplan.core import CoefficientRequiredError, to_tce, to_tce_result

# (carrier, published coefficient, published unit, quantity, unit, expected tce)
TABLE_A = [
    ("原煤", "0.7143", "kgce/kg", 1, "吨", 0.7143),
    ("洗精煤", "0.9000", "kgce/kg", 1, "吨", 0.9),
    ("洗中煤", "0.2857", "kgce/kg", 1, "吨", 0.2857),
    ("焦炭", "0.9714", "kgce/kg", 1, "吨", 0.9714),
    ("原油", "1.4286", "kgce/kg", 1, "吨", 1.4286),
    ("燃料油", "1.4286", "kgce/kg", 1, "吨", 1.4286),
    ("汽油", "1.4714", "kgce/kg", 1, "吨", 1.4714),
    ("煤油", "1.4714", "kgce/kg", 1, "吨", 1.4714),
    ("柴油", "1.4571", "kgce/kg", 1, "吨", 1.4571),
    ("液化石油气", "1.7143", "kgce/kg", 1, "吨", 1.7143),
    ("炼厂干气", "1.5714", "kgce/kg", 1, "吨", 1.5714),
    ("油田天然气", "1.3300", "kgce/m3", 1, "万立方米", 13.3),
    ("气田天然气", "1.2143", "kgce/m3", 1, "万立方米", 12.143),
    ("高炉煤气", "0.1286", "kgce/m3", 1, "万立方米", 1.286),
    ("发生炉煤气", "0.1786", "kgce/m3", 1, "万立方米", 1.786),
    ("水煤气", "0.3571", "kgce/m3", 1, "万立方米", 3.571),
    ("甲醇", "0.6794", "kgce/kg", 1, "吨", 0.6794),
    ("热力", "0.03412", "kgce/MJ", 1, "吉焦", 0.03412),
    ("电力", "0.1229", "kgce/kWh", 1, "万千瓦时", 1.229),
    ("蒸汽", "0.1286", "kgce/kg", 1, "吨", 0.1286),
]


@pytest.mark.parametrize(("carrier", "published", "unit_pub", "qty", "unit", "tce"), TABLE_A)
def test_table_a_rows(
    carrier: str, published: str, unit_pub: str, qty: float, unit: str, tce: float
) -> None:
    """Each Appendix A row converts exactly as printed (not re-derived from kJ)."""
    result = to_tce_result(qty, unit, carrier)
    assert result.value == pytest.approx(tce, rel=1e-12)
    coef = result.coefficients[0]
    assert coef.published_value == published
    assert coef.published_unit == unit_pub
    assert coef.factor_set is not None
    assert coef.factor_set.id == "gbt2589-2020"
    assert "GB/T 2589-2020" in coef.document
    assert coef.confidence == "from-secondary-source"


def test_raw_coal_is_ratio_of_kcal_not_kj() -> None:
    """accounting-standards §1.2: 5000/7000 = 0.7143, not 20908/29307 = 0.7134."""
    assert to_tce(1000, "千克", "原煤") == pytest.approx(0.7143, rel=1e-12)


def test_electricity_calorific_value_is_0_1229() -> None:
    """电力当量值 0.1229 kgce/kWh = 3600 kJ ÷ 29307.6 kJ/kgce (NBS yearbook note)."""
    assert to_tce(1_000_000, "千瓦时", "电力", basis="当量值") == pytest.approx(122.9)


def test_heat_is_0_03412_tce_per_gj() -> None:
    """热力 0.03412 kgce/MJ = 0.03412 tce/GJ = 34.12 kgce/GJ."""
    assert to_tce(1000, "百万千焦", "热力") == pytest.approx(34.12)


def test_coal_slime_range_requires_a_measured_value() -> None:
    """煤泥 0.2857–0.4286 kgce/kg is a range: no value is picked silently."""
    with pytest.raises(CoefficientRequiredError) as info:
        to_tce(1, "吨", "煤泥")
    assert "0.2857–0.4286" in str(info.value)
    measured = to_tce_result(1, "吨", "煤泥", lcv=(10454, "kJ/kg"))
    assert measured.value == pytest.approx(10454 / 29307)
    assert measured.coefficients[0].confidence == "measured"


def test_coke_oven_gas_range_is_shipped_as_an_uncertain_choice() -> None:
    """焦炉煤气 0.5714–0.6143 kgce/m³: the NBS list's 6.143 tce/万m³, flagged uncertain."""
    result = to_tce_result(1, "万立方米", "焦炉煤气")
    assert result.value == pytest.approx(6.143)
    assert result.uncertain
    assert "0.5714" in result.coefficients[0].alternatives


# GB 30251-2024 Annex A Table A.1 graded steam, kgoe/t → kgce/t at 10/7 (accounting-standards §1.4)
STEAM = [
    ("10.0MPa级蒸汽", 131.4),
    ("5.0MPa级蒸汽", 128.6),
    ("3.5MPa级蒸汽", 125.7),
    ("2.5MPa级蒸汽", 121.4),
    ("1.5MPa级蒸汽", 114.3),
    ("1.0MPa级蒸汽", 108.6),
    ("0.7MPa级蒸汽", 102.9),
    ("0.3MPa级蒸汽", 94.3),
    ("<0.3MPa级蒸汽", 78.6),
]


@pytest.mark.parametrize(("carrier", "kgce_per_t"), STEAM)
def test_graded_steam_gb30251(carrier: str, kgce_per_t: float) -> None:
    """The derived kgce/t row of the table (rounded to 0.1 in the source)."""
    assert to_tce(1000, "吨", carrier) == pytest.approx(kgce_per_t, abs=0.05)

"""Fuel CO2 factors per physical unit: EF = NCV × carbon content × oxidation × 44/12.

Source: GB/T 32151.22-2024 附录C 表C.1 (dataset A) and the 2013 steel guideline
(发改办气候〔2013〕2526号, dataset B), as tabulated in reference/accounting-standards.md
§2.1 and §2.2 and in reference/emission_factors_fuels.csv (ef_tCO2_per_physical_unit). The note states the computed values match an independent third-party
computation, e.g. 汽油 2.925, 柴油 3.096, 天然气 21.622 tCO2/10⁴m³, 烟煤 1.742, 焦炭 2.860,
石油焦 3.212.
"""

from __future__ import annotations

import pytest

from ecplan.core import FactorNotFoundError, fuel_co2, fuel_co2_result

DATASET_A = [
    ("无烟煤", "吨", 2.522, 2.5215),
    ("烟煤", "吨", 1.742, 1.7417),
    ("褐煤", "吨", 1.173, 1.1729),
    ("洗精煤", "吨", 2.208, 2.2082),
    ("其他洗煤", "吨", 1.052, 1.0519),
    ("型煤", "吨", 1.936, 1.936),
    ("焦炭", "吨", 2.860, 2.8604),
    ("石油焦", "吨", 3.212, 3.2115),
    ("原油", "吨", 3.020, 3.0202),
    ("燃料油", "吨", 3.171, 3.1705),
    ("汽油", "吨", 2.925, 2.9251),
    ("柴油", "吨", 3.096, 3.0959),
    ("煤油", "吨", 3.033, 3.0334),
    ("液化天然气", "吨", 2.831, 2.8313),
    ("液化石油气", "吨", 3.101, 3.1013),
    ("石脑油", "吨", 3.198, 3.1981),
    ("焦油", "吨", 2.645, 2.6446),
    ("粗苯", "吨", 3.411, 3.4109),
    ("其他石油制品", "吨", 2.949, 2.9488),
    ("炼厂干气", "吨", 3.039, 3.0389),
    ("天然气", "万立方米", 21.622, 21.6219),
    ("焦炉煤气", "万立方米", 8.864, 8.8638),
    ("高炉煤气", "万立方米", 8.481, 8.4811),
    ("转炉煤气", "万立方米", 15.124, 15.124),
    ("其他煤气", "万立方米", 2.315, 2.3148),
]


@pytest.mark.parametrize(("fuel", "unit", "ef3", "ef4"), DATASET_A)
def test_dataset_a_per_unit_factors(fuel: str, unit: str, ef3: float, ef4: float) -> None:
    """accounting-standards §2.1 column EF (3 decimals) and the CSV's 4-decimal value.

    The 3-decimal column was rounded from the 4-decimal one (燃料油 3.1705 is printed 3.171),
    so it is matched within its double rounding; the 4-decimal value within half a unit.
    """
    value = fuel_co2(1, unit, fuel)
    assert value == pytest.approx(ef4, abs=5e-5)
    assert value == pytest.approx(ef3, abs=6e-4)


def test_natural_gas_per_cubic_metre() -> None:
    """天然气 21.622 tCO2/10⁴ Nm³ = 2.162 kg/m³ (§2.1)."""
    assert fuel_co2(1000, "立方米", "天然气") == pytest.approx(2.162, abs=5e-4)


DATASET_B = [
    ("无烟煤", "吨", 1.924),
    ("褐煤", "吨", 1.388),
    ("其他洗煤", "吨", 0.701),
    ("煤油", "吨", 3.152),
    ("液化天然气", "吨", 2.588),
    ("焦炉煤气", "万立方米", 7.622),
]


@pytest.mark.parametrize(("fuel", "unit", "ef"), DATASET_B)
def test_dataset_b_steel_guideline(fuel: str, unit: str, ef: float) -> None:
    """accounting-standards §2.2: the steel guideline rows that differ from dataset A."""
    result = fuel_co2_result(1, unit, fuel, factor_set="ndrc-2013-steel-fuels")
    assert round(result.value, 3) == pytest.approx(ef, abs=1e-9)
    assert result.factor_sets[0].id == "ndrc-2013-steel-fuels"


def test_raw_coal_needs_a_coal_type() -> None:
    """原煤 has no CO2 row: the coal type must be chosen, nothing is picked silently."""
    with pytest.raises(FactorNotFoundError, match="按煤种"):
        fuel_co2(1, "吨", "原煤")

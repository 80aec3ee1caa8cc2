"""MEE/NBS electricity CO2 factors, reproduced (reference/accounting-standards.md §3.1).

Sources: 生态环境部、国家统计局 公告2024年第12号 (data year 2021), 公告2024年第33号 (2022),
公告2025年第47号 (2023); values as transcribed in grid_emission_factors.csv. 1 MWh at a
factor of x kgCO2/kWh emits x tCO2.
"""

from __future__ import annotations

import pytest

from ecplan.core import electricity_co2, electricity_co2_result, heat_co2

PUBLISHED = [
    (2021, "全国", 0.5568),
    (2021, "华东", 0.5992),
    (2021, "江苏", 0.6451),
    (2022, "全国", 0.5366),
    (2022, "华东", 0.5617),
    (2022, "江苏", 0.5978),
    (2023, "全国", 0.5306),
    (2023, "华东", 0.5500),
    (2023, "江苏", 0.5827),
]


@pytest.mark.parametrize(("year", "region", "factor"), PUBLISHED)
def test_average_factors(year: int, region: str, factor: float) -> None:
    assert electricity_co2(1000, year=year, region=region) == pytest.approx(factor, rel=1e-12)


@pytest.mark.parametrize(
    ("year", "factor", "uncertain"),
    [(2021, 0.5942, True), (2022, 0.5856, False), (2023, 0.6096, False)],
)
def test_factor_excluding_market_non_fossil(year: int, factor: float, uncertain: bool) -> None:
    """With green power deducted, the rest uses the national excluding-market factor."""
    r = electricity_co2_result(2000, year=year, region="全国", green_kwh=1000)
    assert r.value == pytest.approx(factor, rel=1e-12)
    assert r.uncertain is uncertain  # 2021's 0.5942 is not confirmed from a source


def test_heat_default_factor() -> None:
    """GB/T 32150—2025 第7.5.6~7.5.7条: 0.11 tCO2/GJ."""
    assert heat_co2(100, "吉焦") == pytest.approx(11.0)

"""Share indicators from an energy balance (generation-coal method for non-fossil power)."""

from __future__ import annotations

import pytest

from ecplan.core import (
    EnergyBalance,
    InputError,
    coal_share,
    energy_shares,
    non_fossil_generation_share,
    non_fossil_share,
    non_fossil_share_result,
    power_coal_share,
)

# Synthetic figures (演示数据), chosen so that each share is easy to check by hand.
BALANCE = EnergyBalance(
    year=2023,
    total_energy_tce=20_000_000,
    coal_tce=10_000_000,
    coal_for_power_tce=7_000_000,
    coal_for_heat_tce=500_000,
    fossil_generation_kwh=30e9,
    non_fossil_generation_kwh={"光伏": 5e9, "风电": 3e9, "生物质能": 2e9},
    net_imported_electricity_kwh=8e9,
    net_imported_non_fossil_kwh=2e9,
    other_non_fossil_tce=100_000,
)


def test_non_fossil_share_uses_the_generation_coal_method() -> None:
    r = non_fossil_share_result(BALANCE)
    k = 303e-6  # 2023 national coal-power rate [tce/kWh], used for Jiangsu by fallback
    expected = ((5e9 + 3e9 + 2e9 + 2e9) * k + 100_000) / 20_000_000
    assert r.value == pytest.approx(expected)
    assert r.coefficients[0].published_value == "303"
    assert r.coefficients[0].region == "全国"
    # not the calorific 0.1229 kgce/kWh
    calorific = ((12e9) * 0.1229e-3 + 100_000) / 20_000_000
    assert r.value > 2 * calorific


def test_non_fossil_share_with_an_explicit_rate() -> None:
    assert non_fossil_share(BALANCE, generation_coal_rate=290) == pytest.approx(
        (12e9 * 290e-6 + 100_000) / 20_000_000
    )


def test_coal_and_power_coal_shares() -> None:
    assert coal_share(BALANCE) == pytest.approx(0.5)
    assert power_coal_share(BALANCE) == pytest.approx(0.75)
    assert power_coal_share(BALANCE, include_heat_supply=False) == pytest.approx(0.7)


def test_non_fossil_generation_share() -> None:
    assert non_fossil_generation_share(BALANCE) == pytest.approx(10e9 / 40e9)


def test_all_shares_at_once_serialise() -> None:
    shares = energy_shares(BALANCE)
    data = shares.to_dict()
    assert set(data) == {
        "non_fossil_share",
        "coal_share",
        "power_coal_share",
        "non_fossil_generation_share",
    }


def test_bad_balances_are_refused() -> None:
    with pytest.raises(InputError, match="不是非化石能源发电品种"):
        non_fossil_generation_share(
            EnergyBalance(year=2023, total_energy_tce=1, non_fossil_generation_kwh={"原煤": 1})
        )
    with pytest.raises(InputError, match="电煤不能多于煤炭消费量"):
        power_coal_share(
            EnergyBalance(year=2023, total_energy_tce=1, coal_tce=1, coal_for_power_tce=2)
        )
    with pytest.raises(InputError, match="能源消费总量应大于 0"):
        coal_share(EnergyBalance(year=2023, total_energy_tce=0, coal_tce=1))

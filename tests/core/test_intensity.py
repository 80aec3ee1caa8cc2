"""Intensity and progress arithmetic (beyond the published example)."""

from __future__ import annotations

import math

import pytest

from ecplan.core import (
    InputError,
    RegionalEnergy,
    constant_price_gdp,
    cumulative_reduction,
    cumulative_reduction_result,
    energy_intensity,
    intensity_reduction,
    new_basis_intensity,
    new_basis_intensity_reduction,
    new_basis_intensity_reduction_result,
    progress_share,
    remaining_reduction,
    required_cumulative_reduction,
)


def test_constant_price_gdp_chains_indices() -> None:
    assert constant_price_gdp(6048.33, [106.0]) == pytest.approx(6048.33 * 1.06)
    assert constant_price_gdp(100, []) == 100


def test_intensity_and_reduction() -> None:
    assert energy_intensity(300, 1000) == pytest.approx(0.3)
    assert intensity_reduction(100, 1000, 100, 1100) == pytest.approx(1 - 1 / 1.1)


def test_new_basis_deducts_in_both_years_gdp_unadjusted() -> None:
    base = RegionalEnergy(energy_tce=2000, gdp_10k_yuan=6000, non_fossil_tce=200, feedstock_tce=100)
    cur = RegionalEnergy(energy_tce=2100, gdp_10k_yuan=6600, non_fossil_tce=350, feedstock_tce=120,
                         separately_listed_tce=30)  # fmt: skip
    assert new_basis_intensity(base) == pytest.approx(1700 / 6000)
    expected = 1 - (1600 / 6600) / (1700 / 6000)
    assert new_basis_intensity_reduction(base, cur) == pytest.approx(expected)
    r = new_basis_intensity_reduction_result(base, cur)
    assert len(r.parts) == 2
    assert any("GDP 不调整" in n for n in r.notes)


def test_progress_required_on_a_steady_path() -> None:
    assert required_cumulative_reduction(0.17, 5, 5) == pytest.approx(0.17)
    steady = required_cumulative_reduction(0.17, 2, 5)
    assert progress_share(steady, 0.17) == pytest.approx(0.4)


def test_remaining_is_negative_when_target_exceeded() -> None:
    assert remaining_reduction(0.1, [0.06, 0.06]) < 0


def test_domain_errors_are_chinese() -> None:
    with pytest.raises(InputError, match="降低率应小于 1"):
        cumulative_reduction([0.1, 1.0])
    with pytest.raises(InputError, match="至少需要一个"):
        cumulative_reduction([])
    with pytest.raises(InputError, match="目标降低率应大于 0"):
        progress_share(0.05, 0.0)
    with pytest.raises(InputError):
        energy_intensity(1, 0)
    with pytest.raises(InputError):
        cumulative_reduction([math.inf])


def test_result_form_carries_inputs() -> None:
    r = cumulative_reduction_result([0.02, 0.03])
    assert [q.value for q in r.inputs] == [0.02, 0.03]
    assert r.formula == "R = 1 − Π(1 − r_i)"
    assert r.value == cumulative_reduction([0.02, 0.03])

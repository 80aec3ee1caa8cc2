"""The chained reduction, average, remaining task and progress share of a published example.

Source: 青海省统计局 统计方法说明 (http://125.72.25.21/qhStats_19/method/200910/t20091013_237651.html),
reproduced in reference/policy-mechanics.md §1.5: annual changes of +1.51 %, −2.20 % and
−4.18 % chain to a 4.87 % fall over three years, 1.65 % a year on average; a 17 % five-year
target means 3.66 % a year and leaves 12.75 % for the last two years (about 6.59 % a year);
progress is 26.8 % (years-equivalent 1.3398).
"""

from __future__ import annotations

import pytest

from ecplan.core import (
    average_annual_reduction,
    cumulative_reduction,
    intensity_change,
    progress_share,
    remaining_reduction,
)

CHANGES = [0.0151, -0.0220, -0.0418]  # signed annual changes of intensity
REDUCTIONS = [-c for c in CHANGES]  # reductions are positive when intensity fell


def test_three_year_chain() -> None:
    assert round(cumulative_reduction(REDUCTIONS), 4) == 0.0487


def test_average_over_three_years() -> None:
    total = cumulative_reduction(REDUCTIONS)
    assert round(average_annual_reduction(total, 3), 4) == 0.0165


def test_five_year_target_per_year() -> None:
    assert round(average_annual_reduction(0.17, 5), 4) == 0.0366


def test_remaining_task() -> None:
    left = remaining_reduction(0.17, REDUCTIONS)
    assert round(left, 4) == 0.1275
    assert round(average_annual_reduction(left, 2), 4) == 0.0659


def test_progress_share() -> None:
    p = progress_share(cumulative_reduction(REDUCTIONS), 0.17)
    assert round(p, 3) == 0.268
    # years-equivalent Y = P × n, printed as 1.3398 from the rounded 4.87 %
    assert progress_share(0.0487, 0.17) * 5 == pytest.approx(1.3398, abs=2e-4)


def test_change_from_growth_rates() -> None:
    """ΔI = (1 + g_E)/(1 + g_GDP) − 1 gives back a signed change."""
    assert intensity_change(0.0151, 0.0) == pytest.approx(0.0151)
    assert intensity_change(0.04, 0.08) == pytest.approx(1.04 / 1.08 - 1)

"""Private stand-ins for the accounting core's progress arithmetic (issue 4, item 4).

REPLACE-WITH-ACCOUNTING-CORE: when ``ecplan.core`` exports ``intensity_change``,
``cumulative_reduction``, ``average_annual_reduction``, ``remaining_reduction`` and
``progress_share``, import them from there in ``progress.py`` and ``warnings.py`` and delete
this module. Names, signatures and conventions are those of issue 4: reduction rates are
positive fractions (0.03 = a 3 % reduction), change rates are signed (−0.03 = fell 3 %).
Callers in this package validate inputs before calling.

References
----------
青海省统计局, 单位GDP能耗降低率的计算方法 (reproduces NBS/NDRC practice),
http://125.72.25.21/qhStats_19/method/200910/t20091013_237651.html [V]
"""

from __future__ import annotations

import math
from collections.abc import Iterable


def intensity_change(energy_growth: float, gdp_growth: float) -> float:
    """Signed change of intensity: (1 + g_E) / (1 + g_GDP) − 1."""
    return (1.0 + energy_growth) / (1.0 + gdp_growth) - 1.0


def cumulative_reduction(annual_reductions: Iterable[float]) -> float:
    """Chained reduction over several years: 1 − Π(1 − rᵢ)."""
    product = 1.0
    for reduction in annual_reductions:
        product *= 1.0 - reduction
    return 1.0 - product


def average_annual_reduction(total_reduction: float, years: int) -> float:
    """Equal annual reduction that chains to the total: 1 − (1 − T)^(1/n)."""
    return 1.0 - float((1.0 - total_reduction) ** (1.0 / years))


def remaining_reduction(total_reduction: float, achieved_reductions: Iterable[float]) -> float:
    """Reduction still needed after the achieved years: 1 − (1 − T) / Π(1 − rᵢ)."""
    return 1.0 - (1.0 - total_reduction) / (1.0 - cumulative_reduction(achieved_reductions))


def progress_share(cumulative_reduction: float, total_reduction: float) -> float:
    """Share of a multi-year target achieved, NBS log basis: ln(1 − R) / ln(1 − T)."""
    return math.log(1.0 - cumulative_reduction) / math.log(1.0 - total_reduction)

"""Intensity and progress arithmetic of energy-saving and carbon targets.

Conventions: rates are fractions. *Reduction* rates are positive when the quantity fell
(0.03 = a 3 % reduction); *change* rates are signed (−0.03 = fell 3 %). Growth rates are
signed changes of levels (0.05 = grew 5 %).

Every function has a float shortcut and a ``*_result`` form returning a
:class:`~ecplan.core.provenance.Calculation` with the inputs and the formula.

Only arithmetic lives here; deciding a warning level or status from these numbers belongs to
the evaluation layer.

References
----------
青海省统计局 统计方法说明（单位GDP能耗降低率的累计、年均、剩余任务计算，复述国家统计局、国家发展
改革委做法）; 发改环资〔2022〕803号 (原料用能在基期和目标年同时扣除，GDP 不调整);
发改环资〔2024〕113号 (非化石能源扣除); 国家统计局 不变价GDP 按可比价格指数链式计算.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from ecplan.core.errors import InputError
from ecplan.core.provenance import Calculation, Quantity

__all__ = [
    "RegionalEnergy",
    "average_annual_reduction",
    "average_annual_reduction_result",
    "constant_price_gdp",
    "constant_price_gdp_result",
    "cumulative_reduction",
    "cumulative_reduction_result",
    "energy_intensity",
    "energy_intensity_result",
    "intensity_change",
    "intensity_change_result",
    "intensity_reduction",
    "intensity_reduction_result",
    "new_basis_intensity",
    "new_basis_intensity_reduction",
    "new_basis_intensity_reduction_result",
    "new_basis_intensity_result",
    "progress_share",
    "progress_share_result",
    "remaining_reduction",
    "remaining_reduction_result",
    "required_cumulative_reduction",
    "required_cumulative_reduction_result",
]

REF_QINGHAI: Final = "青海省统计局 统计方法说明：能耗强度降低率的累计、年均与剩余任务计算"
REF_803: Final = "发改环资〔2022〕803号（原料用能不纳入能源消费总量控制）"
REF_113: Final = "发改环资〔2024〕113号（非化石能源不纳入能源消费总量和强度控制）"


def _num(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(name, value, "应为数字")
    v = float(value)
    if not math.isfinite(v):
        raise InputError(name, value, "应为有限数字")
    return v


def _rate(name: str, value: float, *, below_one: bool = True) -> float:
    v = _num(name, value)
    if below_one and v >= 1:
        raise InputError(name, value, "降低率应小于 1（以小数表示，0.03 表示降低 3%）")
    return v


def _growth(name: str, value: float) -> float:
    v = _num(name, value)
    if v <= -1:
        raise InputError(name, value, "增速应大于 −1（以小数表示，0.05 表示增长 5%）")
    return v


def _positive(name: str, value: float) -> float:
    v = _num(name, value)
    if v <= 0:
        raise InputError(name, value, "应大于 0")
    return v


def _fraction_input(name: str, label: str, value: float) -> Quantity:
    return Quantity(name=name, label=label, value=value, unit="1")


# --- rates --------------------------------------------------------------------------------


def intensity_change_result(energy_growth: float, gdp_growth: float) -> Calculation:
    """Signed change of intensity from the growth of energy (or CO2) and real GDP.

    ``ΔI = (1 + g_E) / (1 + g_GDP) − 1``.

    Parameters
    ----------
    energy_growth : float
        Growth of energy consumption (or CO2) over the same period of the previous year
        [fraction, signed].
    gdp_growth : float
        Real (constant-price) GDP growth [fraction, signed].

    Returns
    -------
    Calculation
        ``value`` [fraction, signed; −0.03 = intensity fell 3 %].

    References
    ----------
    国家统计局 单位GDP能耗降低率计算（policy-mechanics §1.5 第1条）.
    """
    ge = _growth("energy_growth", energy_growth)
    gg = _growth("gdp_growth", gdp_growth)
    value = (1 + ge) / (1 + gg) - 1
    return Calculation(
        value=value,
        unit="1",
        name="intensity_change_rate",
        label="强度变化率（负值为下降）",
        formula="ΔI = (1 + g_E) ÷ (1 + g_GDP) − 1",
        inputs=(
            _fraction_input("energy_growth", "能源消费（或CO2）增速 g_E", ge),
            _fraction_input("gdp_growth", "GDP 增速（不变价）g_GDP", gg),
        ),
        references=(REF_QINGHAI,),
    )


def intensity_change(energy_growth: float, gdp_growth: float) -> float:
    """Signed change of energy (or CO2) per unit of constant-price GDP [fraction].

    ``(1 + energy_growth) / (1 + gdp_growth) − 1``; −0.03 means the intensity fell 3 %.

    Examples
    --------
    >>> round(intensity_change(0.02, 0.05), 6)
    -0.028571

    References
    ----------
    国家统计局 单位GDP能耗降低率计算.
    """
    return intensity_change_result(energy_growth, gdp_growth).value


def cumulative_reduction_result(annual_reductions: Iterable[float]) -> Calculation:
    """Chained reduction over several years: ``R = 1 − Π(1 − r_i)``.

    Parameters
    ----------
    annual_reductions : iterable of float
        Reduction of each year [fraction; positive = fell, negative = rose].

    Returns
    -------
    Calculation
        ``value`` [fraction, positive = fell over the whole period].

    References
    ----------
    青海省统计局 统计方法说明（+1.51 %、−2.20 %、−4.18 % 累计下降 4.87 %）.
    """
    rates = [_rate(f"annual_reductions[{i}]", r) for i, r in enumerate(annual_reductions)]
    if not rates:
        raise InputError("annual_reductions", [], "至少需要一个年度降低率")
    product = 1.0
    for r in rates:
        product *= 1 - r
    return Calculation(
        value=1 - product,
        unit="1",
        name="reduction_rate",
        label=f"{len(rates)}年累计降低率",
        formula="R = 1 − Π(1 − r_i)",
        inputs=tuple(
            _fraction_input(f"annual_reductions[{i}]", f"第{i + 1}年降低率 r_{i + 1}", r)
            for i, r in enumerate(rates)
        ),
        references=(REF_QINGHAI,),
    )


def cumulative_reduction(annual_reductions: Iterable[float]) -> float:
    """Chained cumulative reduction ``1 − Π(1 − r_i)`` [fraction].

    Examples
    --------
    >>> round(cumulative_reduction([-0.0151, 0.0220, 0.0418]), 4)
    0.0487

    References
    ----------
    青海省统计局 统计方法说明.
    """
    return cumulative_reduction_result(annual_reductions).value


def average_annual_reduction_result(total_reduction: float, years: float) -> Calculation:
    """Average annual reduction that compounds to ``total_reduction`` over ``years``.

    ``r = 1 − (1 − T)^(1/n)``.

    References
    ----------
    青海省统计局 统计方法说明（五年下降 17 % 即年均 3.66 %）.
    """
    t = _rate("total_reduction", total_reduction)
    n = _positive("years", years)
    return Calculation(
        value=1 - (1 - t) ** (1 / n),
        unit="1",
        name="reduction_rate",
        label="年均降低率",
        formula="r = 1 − (1 − T)^(1/n)",
        inputs=(
            _fraction_input("total_reduction", "总降低率 T", t),
            Quantity(name="years", label="年数 n", value=n, unit="年"),
        ),
        references=(REF_QINGHAI,),
    )


def average_annual_reduction(total_reduction: float, years: float) -> float:
    """Average annual reduction ``1 − (1 − T)^(1/n)`` [fraction].

    Examples
    --------
    >>> round(average_annual_reduction(0.17, 5), 4)
    0.0366

    References
    ----------
    青海省统计局 统计方法说明.
    """
    return average_annual_reduction_result(total_reduction, years).value


def remaining_reduction_result(
    total_reduction: float, achieved_reductions: Iterable[float]
) -> Calculation:
    """Reduction still needed to reach a multi-year target: ``1 − (1 − T) / Π(1 − r_i)``.

    Negative when the target is already exceeded.

    References
    ----------
    青海省统计局 统计方法说明（五年目标 17 %，前三年后剩余 12.75 %）.
    """
    t = _rate("total_reduction", total_reduction)
    rates = [_rate(f"achieved_reductions[{i}]", r) for i, r in enumerate(achieved_reductions)]
    product = 1.0
    for r in rates:
        product *= 1 - r
    return Calculation(
        value=1 - (1 - t) / product,
        unit="1",
        name="reduction_rate",
        label="剩余需降低率",
        formula="r_剩余 = 1 − (1 − T) ÷ Π(1 − r_i)",
        inputs=(
            _fraction_input("total_reduction", "总目标降低率 T", t),
            *(
                _fraction_input(f"achieved_reductions[{i}]", f"已完成第{i + 1}年降低率", r)
                for i, r in enumerate(rates)
            ),
        ),
        references=(REF_QINGHAI,),
    )


def remaining_reduction(total_reduction: float, achieved_reductions: Iterable[float]) -> float:
    """What is left of a multi-year reduction target [fraction].

    ``1 − (1 − T) / Π(1 − r_i)``.

    Examples
    --------
    >>> round(remaining_reduction(0.17, [-0.0151, 0.0220, 0.0418]), 4)
    0.1275

    References
    ----------
    青海省统计局 统计方法说明.
    """
    return remaining_reduction_result(total_reduction, achieved_reductions).value


def progress_share_result(cumulative_reduction: float, total_reduction: float) -> Calculation:
    """Share of a multi-year reduction target achieved, on the logarithmic basis.

    ``P = ln(1 − R) / ln(1 − T)``: the years-equivalent of progress divided by the number of
    years (a constant annual rate gives P = k/n after k of n years).

    Parameters
    ----------
    cumulative_reduction : float
        Reduction achieved so far [fraction].
    total_reduction : float
        The target reduction over the whole period [fraction, 0 < T < 1].

    Returns
    -------
    Calculation
        ``value`` [fraction of the target; 1 = achieved; negative if intensity rose].

    References
    ----------
    青海省统计局 统计方法说明（累计下降 4.87 % 对 17 % 目标的进度为 26.8 %）.
    """
    r = _rate("cumulative_reduction", cumulative_reduction)
    t = _rate("total_reduction", total_reduction)
    if t <= 0:
        raise InputError("total_reduction", total_reduction, "目标降低率应大于 0")
    return Calculation(
        value=math.log(1 - r) / math.log(1 - t),
        unit="1",
        name="progress_share",
        label="目标完成进度（对数口径）",
        formula="P = ln(1 − R) ÷ ln(1 − T)",
        inputs=(
            _fraction_input("cumulative_reduction", "累计降低率 R", r),
            _fraction_input("total_reduction", "目标降低率 T", t),
        ),
        notes=("按对数口径计算：等速下降时，n 年中第 k 年末的进度为 k/n。",),
        references=(REF_QINGHAI,),
    )


def progress_share(cumulative_reduction: float, total_reduction: float) -> float:
    """Share of a multi-year reduction target achieved: ``ln(1 − R) / ln(1 − T)``.

    Examples
    --------
    >>> round(progress_share(0.0487, 0.17), 3)
    0.268

    References
    ----------
    青海省统计局 统计方法说明.
    """
    return progress_share_result(cumulative_reduction, total_reduction).value


def required_cumulative_reduction_result(
    total_reduction: float, years_elapsed: float, years: float
) -> Calculation:
    """Cumulative reduction required after ``k`` of ``n`` years on a steady path.

    ``R_k = 1 − (1 − T)^(k/n)`` (序时进度要求 of a multi-year target).

    References
    ----------
    policy-mechanics §1.5 第6条（多年目标的进度要求）.
    """
    t = _rate("total_reduction", total_reduction)
    n = _positive("years", years)
    k = _num("years_elapsed", years_elapsed)
    if not 0 <= k <= n:
        raise InputError("years_elapsed", years_elapsed, f"应在 0 与 {n:g} 之间")
    return Calculation(
        value=1 - (1 - t) ** (k / n),
        unit="1",
        name="reduction_rate",
        label=f"第{k:g}年末累计降低率进度要求",
        formula="R_k = 1 − (1 − T)^(k/n)",
        inputs=(
            _fraction_input("total_reduction", "总目标降低率 T", t),
            Quantity(name="years_elapsed", label="已过年数 k", value=k, unit="年"),
            Quantity(name="years", label="目标年数 n", value=n, unit="年"),
        ),
        references=(REF_QINGHAI,),
    )


def required_cumulative_reduction(
    total_reduction: float, years_elapsed: float, years: float
) -> float:
    """Cumulative reduction required after ``years_elapsed`` of ``years`` [fraction].

    References
    ----------
    policy-mechanics §1.5 第6条.
    """
    return required_cumulative_reduction_result(total_reduction, years_elapsed, years).value


# --- levels -------------------------------------------------------------------------------


def constant_price_gdp_result(base_gdp: float, volume_indices: Iterable[float]) -> Calculation:
    """GDP at the base year's constant prices, chained from volume indices.

    ``GDP_t = GDP_0 × Π(index_i / 100)``, each index on the basis previous year = 100.

    Parameters
    ----------
    base_gdp : float
        GDP of the base year at its current prices (e.g. 10 000 yuan).
    volume_indices : iterable of float
        The GDP volume (可比价) index of each following year, previous year = 100
        (e.g. 106.0 for real growth of 6 %).

    Returns
    -------
    Calculation
        ``value`` in the unit of ``base_gdp``.

    References
    ----------
    国家统计局 可比价格 GDP 指数（上年 = 100）链式计算.
    """
    g0 = _positive("base_gdp", base_gdp)
    idx = [_positive(f"volume_indices[{i}]", x) for i, x in enumerate(volume_indices)]
    value = g0
    for x in idx:
        value *= x / 100
    return Calculation(
        value=value,
        unit="基期价格",
        name="gdp_constant",
        label="不变价 GDP",
        formula="GDP_t = GDP_0 × Π(指数_i ÷ 100)",
        inputs=(
            Quantity(name="base_gdp", label="基期 GDP", value=g0, unit="基期价格"),
            *(
                Quantity(
                    name=f"volume_indices[{i}]",
                    label=f"第{i + 1}年 GDP 指数（上年=100）",
                    value=x,
                    unit="",
                )
                for i, x in enumerate(idx)
            ),
        ),
        references=("国家统计局 地区生产总值指数（上年=100）",),
    )


def constant_price_gdp(base_gdp: float, volume_indices: Iterable[float]) -> float:
    """GDP at base-year prices chained from volume indices (previous year = 100).

    Examples
    --------
    >>> round(constant_price_gdp(100.0, [105.0, 110.0]), 10)
    115.5

    References
    ----------
    国家统计局 可比价格 GDP 指数链式计算.
    """
    return constant_price_gdp_result(base_gdp, volume_indices).value


def energy_intensity_result(energy_tce: float, gdp_10k_yuan: float) -> Calculation:
    """Energy (or CO2) per unit of constant-price GDP [tce per 10 000 yuan].

    References
    ----------
    国家统计局 单位GDP能耗（能源消费量 ÷ 不变价地区生产总值）.
    """
    e = _num("energy_tce", energy_tce)
    g = _positive("gdp_10k_yuan", gdp_10k_yuan)
    return Calculation(
        value=e / g,
        unit="tce/万元",
        name="intensity_tce_per_10k_yuan",
        label="单位GDP能耗",
        formula="I = E ÷ GDP",
        inputs=(
            Quantity(name="energy_tce", label="能源消费量 E", value=e, unit="tce"),
            Quantity(name="gdp_10k_yuan", label="不变价 GDP", value=g, unit="万元"),
        ),
    )


def energy_intensity(energy_tce: float, gdp_10k_yuan: float) -> float:
    """Energy per unit of constant-price GDP [tce per 10 000 yuan].

    References
    ----------
    国家统计局 单位GDP能耗（能源消费量 ÷ 不变价地区生产总值）.
    """
    return energy_intensity_result(energy_tce, gdp_10k_yuan).value


def intensity_reduction_result(
    base_energy_tce: float, base_gdp: float, energy_tce: float, gdp: float
) -> Calculation:
    """Reduction of intensity between a base and a current period.

    ``r = 1 − (E_t / GDP_t) ÷ (E_0 / GDP_0)``, GDP of both periods at the same constant
    prices.

    Returns
    -------
    Calculation
        ``value`` [fraction, positive = intensity fell].

    References
    ----------
    国家统计局 单位GDP能耗降低率（基期与本期 GDP 按同一不变价）.
    """
    e0 = _num("base_energy_tce", base_energy_tce)
    g0 = _positive("base_gdp", base_gdp)
    e1 = _num("energy_tce", energy_tce)
    g1 = _positive("gdp", gdp)
    if e0 <= 0:
        raise InputError("base_energy_tce", base_energy_tce, "基期能源消费量应大于 0")
    value = 1 - (e1 / g1) / (e0 / g0)
    return Calculation(
        value=value,
        unit="1",
        name="reduction_rate",
        label="强度降低率",
        formula="r = 1 − (E_t ÷ GDP_t) ÷ (E_0 ÷ GDP_0)",
        inputs=(
            Quantity(name="base_energy_tce", label="基期能源消费量 E_0", value=e0, unit="tce"),
            Quantity(name="base_gdp", label="基期 GDP_0（不变价）", value=g0, unit="万元"),
            Quantity(name="energy_tce", label="本期能源消费量 E_t", value=e1, unit="tce"),
            Quantity(name="gdp", label="本期 GDP_t（不变价）", value=g1, unit="万元"),
        ),
    )


def intensity_reduction(
    base_energy_tce: float, base_gdp: float, energy_tce: float, gdp: float
) -> float:
    """Reduction of intensity from a base period [fraction, positive = fell].

    Examples
    --------
    >>> round(intensity_reduction(100.0, 1000.0, 102.0, 1050.0), 6)
    0.028571

    References
    ----------
    国家统计局 单位GDP能耗降低率.
    """
    return intensity_reduction_result(base_energy_tce, base_gdp, energy_tce, gdp).value


# --- the new basis (新口径) ------------------------------------------------------------------


@dataclass(frozen=True)
class RegionalEnergy:
    """Energy account of a region (or enterprise) for one period, for the new basis.

    Attributes
    ----------
    energy_tce : float
        Total energy consumption [tce] (statistical 等价值 basis for regions).
    gdp_10k_yuan : float
        GDP (or value added) at constant prices [10 000 yuan]; never adjusted.
    non_fossil_tce : float
        Non-fossil energy consumption deducted (发改环资〔2024〕113号) [tce].
    feedstock_tce : float
        Feedstock energy deducted (发改环资〔2022〕803号) [tce].
    separately_listed_tce : float
        Energy of separately listed projects (能耗单列) deducted [tce].
    """

    energy_tce: float
    gdp_10k_yuan: float
    non_fossil_tce: float = 0.0
    feedstock_tce: float = 0.0
    separately_listed_tce: float = 0.0

    @property
    def new_basis_energy_tce(self) -> float:
        """``energy − non-fossil − feedstock − separately listed`` [tce]."""
        return (
            self.energy_tce - self.non_fossil_tce - self.feedstock_tce - self.separately_listed_tce
        )


def _regional_inputs(prefix: str, label: str, r: RegionalEnergy) -> tuple[Quantity, ...]:
    for name in (
        "energy_tce",
        "gdp_10k_yuan",
        "non_fossil_tce",
        "feedstock_tce",
        "separately_listed_tce",
    ):
        v = _num(f"{prefix}.{name}", getattr(r, name))
        if v < 0 or (name == "gdp_10k_yuan" and v == 0):
            raise InputError(
                f"{prefix}.{name}", v, "应大于 0" if name == "gdp_10k_yuan" else "不能为负数"
            )
    return (
        Quantity(
            name=f"{prefix}.energy_tce", label=f"{label}能源消费量", value=r.energy_tce, unit="tce"
        ),
        Quantity(
            name=f"{prefix}.non_fossil_tce",
            label=f"{label}非化石能源扣除",
            value=r.non_fossil_tce,
            unit="tce",
        ),
        Quantity(
            name=f"{prefix}.feedstock_tce",
            label=f"{label}原料用能扣除",
            value=r.feedstock_tce,
            unit="tce",
        ),
        Quantity(
            name=f"{prefix}.separately_listed_tce",
            label=f"{label}能耗单列扣除",
            value=r.separately_listed_tce,
            unit="tce",
        ),
        Quantity(
            name=f"{prefix}.gdp_10k_yuan",
            label=f"{label}GDP（不变价，不调整）",
            value=r.gdp_10k_yuan,
            unit="万元",
        ),
    )


def new_basis_intensity_result(account: RegionalEnergy) -> Calculation:
    """Intensity on the new basis: fossil energy excluding feedstock and 能耗单列 per GDP.

    ``I = (E − E_非化石 − E_原料 − E_单列) ÷ GDP`` [tce per 10 000 yuan]; GDP not adjusted.

    References
    ----------
    发改环资〔2022〕803号; 发改环资〔2024〕113号; 完善能源消费强度和总量双控制度方案（能耗单列）.
    """
    inputs = _regional_inputs("account", "", account)
    energy = account.new_basis_energy_tce
    return Calculation(
        value=energy / account.gdp_10k_yuan,
        unit="tce/万元",
        name="intensity_tce_per_10k_yuan",
        label="单位GDP能耗（新口径）",
        formula="I = (E − E_非化石 − E_原料 − E_单列) ÷ GDP",
        inputs=inputs,
        notes=("GDP 不因扣除而调整。",),
        references=(REF_803, REF_113),
    )


def new_basis_intensity(account: RegionalEnergy) -> float:
    """Intensity on the new basis [tce per 10 000 yuan]; see :func:`new_basis_intensity_result`.

    References
    ----------
    发改环资〔2022〕803号; 发改环资〔2024〕113号.
    """
    return new_basis_intensity_result(account).value


def new_basis_intensity_reduction_result(
    base: RegionalEnergy, current: RegionalEnergy
) -> Calculation:
    """Intensity reduction on the new basis, deductions applied in both periods.

    ``r = 1 − I_t ÷ I_0`` with ``I = (E − E_非化石 − E_原料 − E_单列) ÷ GDP``: the same
    deductions are made in the base year and the current year; GDP is not adjusted.

    Returns
    -------
    Calculation
        ``value`` [fraction, positive = fell]; ``parts`` are the two intensities.

    References
    ----------
    发改环资〔2022〕803号（原料用能在基期和目标年同时扣除，GDP 不调整）; 发改环资〔2024〕113号.
    """
    i0 = new_basis_intensity_result(base)
    i1 = new_basis_intensity_result(current)
    if i0.value <= 0:
        raise InputError("base", base, "基期新口径能源消费量应大于 0")
    return Calculation(
        value=1 - i1.value / i0.value,
        unit="1",
        name="reduction_rate",
        label="单位GDP能耗降低率（新口径）",
        formula="r = 1 − I_t ÷ I_0（两期同口径扣除）",
        parts=(i0, i1),
        notes=("原料用能、非化石能源、能耗单列在基期和本期同时扣除，GDP 不调整。",),
        references=(REF_803, REF_113),
    )


def new_basis_intensity_reduction(base: RegionalEnergy, current: RegionalEnergy) -> float:
    """Intensity reduction on the new basis [fraction, positive = fell].

    References
    ----------
    发改环资〔2022〕803号; 发改环资〔2024〕113号.
    """
    return new_basis_intensity_reduction_result(base, current).value

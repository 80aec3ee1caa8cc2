"""Progress requirements: time-proportional progress (序时进度) and the annual reduction an
area must achieve to stay on course for its allocated multi-year target.

* :func:`time_proportional_requirement` — how much of a cumulative target (a count or a sum
  over the year) should be done by a given month: target × elapsed months ÷ total months.
* :func:`annual_requirement` — from a five-year intensity-reduction target (e.g. the
  “十四五” target allocated to a county-level area) and the reductions already achieved, the
  reduction required in the next year, with the derivation written out.
* :func:`cumulative_requirement` — the chained reduction that should have been reached after
  ``k`` of ``n`` years on an even path.

Reduction rates are positive fractions (0.03 = a 3 % reduction); a negative achieved
reduction means intensity rose that year.

References
----------
青海省统计局, 单位GDP能耗降低率的计算方法 (formulas and the worked example 17 % → 3.66 % a
year; 12.75 % left for the last two years, 6.59 % a year),
http://125.72.25.21/qhStats_19/method/200910/t20091013_237651.html [V]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ecplan.core import intensity as _arith
from ecplan.core.evaluation._format import pct, qty
from ecplan.core.evaluation.period import YearMonth
from ecplan.core.evaluation.trail import Trail, TrailInput, TrailStep

__all__ = [
    "MultiYearRequirement",
    "ProgressInputError",
    "RequirementDerivation",
    "TimeProportionalRequirement",
    "annual_requirement",
    "cumulative_requirement",
    "time_proportional_requirement",
]

_QINGHAI = (
    "青海省统计局《单位GDP能耗降低率的计算方法》（转述国家统计局、国家发展改革委做法），"
    "http://125.72.25.21/qhStats_19/method/200910/t20091013_237651.html [V]"
)


class ProgressInputError(ValueError):
    """Invalid input to a progress calculation (message in Chinese, naming the field)."""


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ProgressInputError(f"{name} 应为有限数字，收到 {value!r}")
    return float(value)


def _change_words(reduction: float) -> str:
    return f"降低{pct(reduction)}" if reduction >= 0 else f"上升{pct(-reduction)}"


# ---------------------------------------------------------------------------------------
# 序时进度
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeProportionalRequirement:
    """What a cumulative target requires by a given month (序时进度).

    Attributes
    ----------
    target : float
        The full target of the window (in the target's unit).
    start, deadline : YearMonth
        First and last month of the accumulation window.
    through : YearMonth
        Last month counted (the data's last month, capped at the deadline).
    months_elapsed, months_total : int
        Months from ``start`` to ``through`` and to ``deadline``, both ends included.
    required : float
        ``target × months_elapsed ÷ months_total``.
    expression : str
        The arithmetic as shown to a reader (``"100项 × 9 ÷ 12"``).
    """

    target: float
    start: YearMonth
    deadline: YearMonth
    through: YearMonth
    months_elapsed: int
    months_total: int
    required: float
    expression: str

    @property
    def elapsed_share(self) -> float:
        """``months_elapsed ÷ months_total``."""
        return self.months_elapsed / self.months_total

    def step(self, unit: str = "") -> TrailStep:
        return TrailStep(
            "序时进度", f"{self.expression} = {qty(self.required, unit)}", self.required, unit
        )


def time_proportional_requirement(
    target: float, *, start: YearMonth, deadline: YearMonth, through: YearMonth, unit: str = ""
) -> TimeProportionalRequirement:
    """Time-proportional requirement of a cumulative target: target × elapsed ÷ total months.

    Parameters
    ----------
    target : float
        Full target of the window, in its unit (e.g. 100 项, 10 万吨标准煤).
    start, deadline : YearMonth
        First and last month of the window (both included).
    through : YearMonth
        Last month the data covers; later than ``deadline`` counts as ``deadline``.
    unit : str
        Unit used in the written expression.

    Returns
    -------
    TimeProportionalRequirement

    Raises
    ------
    ProgressInputError
        When ``start`` is after ``deadline`` or ``through`` is before ``start``.

    Examples
    --------
    >>> r = time_proportional_requirement(
    ...     100, start=YearMonth(2025, 1), deadline=YearMonth(2025, 12), through=YearMonth(2025, 9)
    ... )
    >>> r.required, r.expression
    (75.0, '100 × 9 ÷ 12')
    """
    value = _finite(target, "target（目标值）")
    if start > deadline:
        raise ProgressInputError(f"起始月 {start} 晚于期限 {deadline}")
    if through < start:
        raise ProgressInputError(f"数据截止月 {through} 早于起始月 {start}，窗口内尚无数据")
    capped = min(through, deadline)
    elapsed = start.months_through(capped)
    total = start.months_through(deadline)
    required = value * elapsed / total
    return TimeProportionalRequirement(
        target=value,
        start=start,
        deadline=deadline,
        through=capped,
        months_elapsed=elapsed,
        months_total=total,
        required=required,
        expression=f"{qty(value, unit)} × {elapsed} ÷ {total}",
    )


# ---------------------------------------------------------------------------------------
# Annual requirement from a multi-year reduction target
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementDerivation:
    """The annual reduction required to stay on course for a multi-year reduction target.

    Attributes
    ----------
    indicator : str
        What is reduced (``"单位地区生产总值能耗"``).
    area : str or None
        The area the target is allocated to.
    total_reduction : float
        Multi-year target T (fraction, 0.14 = 14 %).
    years : int
        Length n of the target period.
    first_year : int or None
        First calendar year of the period (2021 for 十四五).
    achieved_reductions : tuple of float
        Reductions achieved in the first k years (negative = intensity rose).
    cumulative_reduction : float or None
        ``1 − Π(1 − rᵢ)``; ``None`` when no year is achieved yet.
    progress_share : float or None
        Share of T achieved on the statistical log basis, ``ln(1 − R) ÷ ln(1 − T)``;
        ``None`` when no year is achieved yet.
    remaining_reduction : float
        Reduction still needed over the remaining years; T when none is achieved;
        negative when the target is already over-achieved.
    remaining_years : int
        ``n − k``.
    required_reduction : float
        Reduction required in the next year (year k + 1): the even annual rate over the
        remaining years, ``1 − (1 − remaining)^(1/(n − k))``.
    for_year : int or None
        Calendar year ``required_reduction`` applies to.
    method : {"average_annual", "remaining"}
        ``average_annual`` when no year is achieved (``1 − (1 − T)^(1/n)``), else
        ``remaining``.
    formula : str
    explanation : str
        The derivation in Chinese, with numbers.
    trail : Trail
    """

    indicator: str
    area: str | None
    total_reduction: float
    years: int
    first_year: int | None
    achieved_reductions: tuple[float, ...]
    cumulative_reduction: float | None
    progress_share: float | None
    remaining_reduction: float
    remaining_years: int
    required_reduction: float
    for_year: int | None
    method: Literal["average_annual", "remaining"]
    formula: str
    explanation: str
    trail: Trail

    def to_dict(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "area": self.area,
            "total_reduction": self.total_reduction,
            "years": self.years,
            "first_year": self.first_year,
            "achieved_reductions": list(self.achieved_reductions),
            "cumulative_reduction": self.cumulative_reduction,
            "progress_share": self.progress_share,
            "remaining_reduction": self.remaining_reduction,
            "remaining_years": self.remaining_years,
            "required_reduction": self.required_reduction,
            "for_year": self.for_year,
            "method": self.method,
            "formula": self.formula,
            "explanation": self.explanation,
            "trail": self.trail.to_dict(),
        }


def _check_target(total_reduction: float, years: int) -> float:
    total = _finite(total_reduction, "total_reduction（目标降低率）")
    if not 0 < total < 1:
        raise ProgressInputError(
            f"total_reduction（目标降低率）应在 0 与 1 之间（不含），收到 {total_reduction!r}；如降低14%请写 0.14"
        )
    if isinstance(years, bool) or not isinstance(years, int) or not 1 <= years <= 20:
        raise ProgressInputError(f"years（目标期年数）应为 1–20 的整数，收到 {years!r}")
    return total


def annual_requirement(
    total_reduction: float,
    years: int,
    achieved_reductions: Sequence[float] = (),
    *,
    first_year: int | None = None,
    indicator: str = "单位地区生产总值能耗",
    area: str | None = None,
    target_source: str = "",
    plan_version: str | None = None,
    for_year: int | None = None,
) -> RequirementDerivation:
    """Annual reduction required to reach a multi-year reduction target, derivation shown.

    With no achieved year the requirement is the even annual rate
    ``r_avg = 1 − (1 − T)^(1/n)``. After k achieved years with reductions rᵢ, the remaining
    task is ``R = 1 − (1 − T) ÷ Π(1 − rᵢ)`` and the requirement for each of the remaining
    ``n − k`` years is ``1 − (1 − R)^(1/(n − k))`` (= R when one year is left).

    Parameters
    ----------
    total_reduction : float
        Target T over the period, fraction in (0, 1) (0.14 = 降低14%).
    years : int
        Length n of the period (5 for a five-year plan).
    achieved_reductions : sequence of float
        Reductions achieved in the first k < n years, in order (fractions; negative when
        intensity rose).
    first_year : int, optional
        First calendar year of the period (2021 for 十四五); used for labels and ``for_year``.
    indicator, area : str
        Names used in the explanation.
    target_source : str
        Where T comes from (the allocation document), recorded in the trail.
    plan_version : str, optional
        Recorded in the trail.
    for_year : int, optional
        The calendar year the requirement is for, when it is not the year after the achieved
        ones: an evaluator that lacks an earlier year's result falls back to the even annual
        rate for a later year (the derivation then names that year and says why). Defaults to
        ``first_year + len(achieved_reductions)``; must not be earlier than that.

    Returns
    -------
    RequirementDerivation

    Raises
    ------
    ProgressInputError
        T outside (0, 1), n not in 1–20, k ≥ n, or an achieved reduction ≥ 1.

    References
    ----------
    青海省统计局, 单位GDP能耗降低率的计算方法 [V] (see module docstring).

    Examples
    --------
    A 17 % five-year target is 3.66 % a year; after +1.51 %, −2.20 %, −4.18 % (a 4.87 %
    cumulative fall) 12.75 % is left for the last two years, 6.59 % a year:

    >>> round(annual_requirement(0.17, 5).required_reduction, 4)
    0.0366
    >>> d = annual_requirement(0.17, 5, [-0.0151, 0.0220, 0.0418])
    >>> round(d.remaining_reduction, 4), round(d.required_reduction, 4)
    (0.1275, 0.0659)
    """
    total = _check_target(total_reduction, years)
    achieved = tuple(
        _finite(r, f"achieved_reductions[{i}]（第{i + 1}年降低率）")
        for i, r in enumerate(achieved_reductions)
    )
    for i, r in enumerate(achieved):
        if r >= 1:
            raise ProgressInputError(
                f"achieved_reductions[{i}]（第{i + 1}年降低率）应小于 1，收到 {r!r}"
            )
    k = len(achieved)
    if k >= years:
        raise ProgressInputError(
            f"已有 {k} 年实绩，目标期共 {years} 年，已无剩余年份，不再有年度进度要求；"
            "如需评价整个目标期，请看累计降低率与进度"
        )
    if first_year is not None and (isinstance(first_year, bool) or not isinstance(first_year, int)):
        raise ProgressInputError(f"first_year（起始年份）应为整数，收到 {first_year!r}")

    def year_label(i: int) -> str:
        return f"{first_year + i}年" if first_year is not None else f"第{i + 1}年"

    period = f"{first_year}–{first_year + years - 1}年" if first_year is not None else f"{years}年"
    subject = f"{area}{indicator}" if area else indicator
    remaining_years = years - k
    if for_year is not None:
        if isinstance(for_year, bool) or not isinstance(for_year, int):
            raise ProgressInputError(f"for_year（要求所属年份）应为整数，收到 {for_year!r}")
        if first_year is not None and not first_year + k <= for_year < first_year + years:
            raise ProgressInputError(
                f"for_year（要求所属年份）{for_year} 不在目标期的剩余年份"
                f"（{first_year + k}–{first_year + years - 1}年）内"
            )
    elif first_year is not None:
        for_year = first_year + k
    inputs = [
        TrailInput(
            "total_reduction",
            f"目标期（{period}）累计降低率",
            total,
            "%",
            target_source or "目标分解",
        ),
        TrailInput("years", "目标期年数", years, "年", target_source or "目标分解"),
    ]
    steps: list[TrailStep] = []
    lines = [f"{subject}目标：{period}累计降低{pct(total)}。"]

    if k == 0:
        required = _arith.average_annual_reduction(total, years)
        cumulative: float | None = None
        share: float | None = None
        remaining = total
        method: Literal["average_annual", "remaining"] = "average_annual"
        formula = "年均降低要求 = 1 − (1 − T)^(1/n)"
        expression = f"1 − (1 − {pct(total)})^(1/{years})"
        steps.append(TrailStep("年均降低要求", f"{expression} = {pct(required)}", required, "%"))
        lines.append(f"尚无已完成年份的实绩，年均降低要求 = {expression} = {pct(required)}。")
    else:
        cumulative = _arith.cumulative_reduction(achieved)
        if cumulative >= 1:  # pragma: no cover - impossible when every r < 1
            raise ProgressInputError("累计降低率不小于 1，数据有误")
        share = _arith.progress_share(cumulative, total)
        remaining = _arith.remaining_reduction(total, achieved)
        required = (
            remaining
            if remaining_years == 1
            else _arith.average_annual_reduction(remaining, remaining_years)
        )
        method = "remaining"
        formula = (
            "累计降低率 = 1 − Π(1 − rᵢ)；剩余降低任务 R = 1 − (1 − T) ÷ Π(1 − rᵢ)；"
            "年度要求 = 1 − (1 − R)^(1/剩余年数)"
        )
        inputs.append(
            TrailInput(
                "achieved_reductions",
                "已完成年份的降低率（负数为上升）",
                achieved,
                "%",
                "已核定的年度降低率",
            )
        )
        done = "、".join(f"{year_label(i)}{_change_words(r)}" for i, r in enumerate(achieved))
        product = " × ".join(f"(1 − {pct(r)})" if r >= 0 else f"(1 + {pct(-r)})" for r in achieved)
        steps.append(TrailStep("累计降低率", f"1 − {product} = {pct(cumulative)}", cumulative, "%"))
        steps.append(
            TrailStep(
                "完成进度（统计对数法）",
                f"ln(1 − {pct(cumulative)}) ÷ ln(1 − {pct(total)}) = {pct(share)}",
                share,
                "%",
            )
        )
        remaining_expr = f"1 − (1 − {pct(total)}) ÷ (1 − {pct(cumulative)})"
        steps.append(
            TrailStep("剩余降低任务", f"{remaining_expr} = {pct(remaining)}", remaining, "%")
        )
        lines.append(
            f"已完成{k}年：{done}；累计降低率 = 1 − {product} = {pct(cumulative)}，"
            f"按统计对数法完成目标进度的{pct(share)}。"
        )
        lines.append(f"剩余降低任务 = {remaining_expr} = {pct(remaining)}。")
        if remaining_years == 1:
            lines.append(f"仅剩1年，该年需完成全部剩余任务，即降低{pct(required)}。")
        else:
            expr = f"1 − (1 − {pct(remaining)})^(1/{remaining_years})"
            steps.append(TrailStep("年度降低要求", f"{expr} = {pct(required)}", required, "%"))
            lines.append(f"剩余{remaining_years}年，年均需降低 {expr} = {pct(required)}。")
        if remaining <= 0:
            lines.append(
                f"目标已超额完成：剩余年份强度上升不超过{pct(-required)}仍可完成目标"
                "（国家晴雨表规则下，强度上升仍判一级预警）。"
            )
    when = f"{for_year}年" if for_year is not None else f"第{k + 1}年"
    lines.append(f"{when}进度要求：降低{pct(required)}。")
    trail = Trail(
        title=f"{subject}年度降低要求（{when}）",
        formula=formula,
        inputs=tuple(inputs),
        steps=tuple(steps),
        plan_version=plan_version,
        references=(_QINGHAI,),
    )
    return RequirementDerivation(
        indicator=indicator,
        area=area,
        total_reduction=total,
        years=years,
        first_year=first_year,
        achieved_reductions=achieved,
        cumulative_reduction=cumulative,
        progress_share=share,
        remaining_reduction=remaining,
        remaining_years=remaining_years,
        required_reduction=required,
        for_year=for_year,
        method=method,
        formula=formula,
        explanation="".join(lines),
        trail=trail,
    )


@dataclass(frozen=True)
class MultiYearRequirement:
    """Cumulative reduction that should be reached after ``elapsed_years`` on an even path.

    Attributes
    ----------
    total_reduction : float
    years, elapsed_years : int
    required_cumulative_reduction : float
        ``1 − (1 − T)^(k/n)``.
    expression : str
    """

    total_reduction: float
    years: int
    elapsed_years: int
    required_cumulative_reduction: float
    expression: str

    @property
    def formula(self) -> str:
        return "应达累计降低率 = 1 − (1 − T)^(k/n)"


def cumulative_requirement(
    total_reduction: float, years: int, elapsed_years: int
) -> MultiYearRequirement:
    """Chained reduction an even path reaches after ``elapsed_years``: ``1 − (1 − T)^(k/n)``.

    Parameters
    ----------
    total_reduction : float
        Target T over the period (fraction in (0, 1)).
    years : int
        Length n of the period.
    elapsed_years : int
        k, 0 ≤ k ≤ n.

    Examples
    --------
    >>> round(cumulative_requirement(0.17, 5, 3).required_cumulative_reduction, 4)
    0.1058
    """
    total = _check_target(total_reduction, years)
    if (
        isinstance(elapsed_years, bool)
        or not isinstance(elapsed_years, int)
        or not 0 <= elapsed_years <= years
    ):
        raise ProgressInputError(
            f"elapsed_years（已过年数）应为 0–{years} 的整数，收到 {elapsed_years!r}"
        )
    value = 1.0 - (1.0 - total) ** (elapsed_years / years)
    return MultiYearRequirement(
        total_reduction=total,
        years=years,
        elapsed_years=elapsed_years,
        required_cumulative_reduction=value,
        expression=f"1 − (1 − {pct(total)})^({elapsed_years}/{years}) = {pct(value)}",
    )

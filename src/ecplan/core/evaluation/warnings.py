"""晴雨表 warnings: energy-intensity and energy-consumption-growth warning levels.

Levels follow the national barometer (节能目标完成情况晴雨表): **1 = 一级, red, 十分严峻**
(worst), **2 = 二级, yellow, 比较严峻**, **3 = 三级, green, 基本顺利**.

Intensity schemes (chosen per plan, :class:`~ecplan.core.evaluation.settings.WarningSettings`):

``ndrc`` (default, official wording of 发改办环资〔2021〕629号 [V])
    一级 when intensity for the period rose year on year (不降反升). A change of exactly zero
    is *not* a fall and is 一级 too. 二级 when it fell by less than the progress requirement;
    三级 when the fall meets the requirement (a fall equal to the requirement meets it).
``shortfall_pp``
    Bands on the shortfall of the reduction against the requirement, in percentage points
    (default: Hangzhou's 十二五 预警调控方案 [V], which numbers its levels the other way round —
    its III级 red is our 一级).
``completion_ratio``
    Bands on achieved ÷ required reduction (default: a prefecture's 2010 plan [V]:
    ≥100 % green, 90–100 % yellow, 50–90 % orange, ≤50 % red).

Energy-consumption growth (:func:`assess_consumption_warning`): green when growth does not
exceed the allowed growth; otherwise red when the excess is more than 10 % of the target value,
yellow when within 10 % — Caixin's report of the 2021 barometer [S]; whether the 10 % is
measured on the growth rate or on the amount is not confirmed [U] and is a plan setting.

Warnings are assessed on year-to-date **quarterly** periods because GDP is quarterly. A monthly
view needs a proxy for GDP growth; :class:`WarningPeriod` refuses a non-quarter period unless
the proxy is described, and every result says so. See ``docs/warnings.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from ecplan.core import intensity as _arith
from ecplan.core.evaluation._format import num, pct, pp
from ecplan.core.evaluation.period import YearMonth
from ecplan.core.evaluation.progress import RequirementDerivation
from ecplan.core.evaluation.settings import (
    DEFAULT_WARNING_SETTINGS,
    INTENSITY_SCHEMES,
    BandScheme,
    WarningSettings,
    close,
)
from ecplan.core.evaluation.trail import CONFIDENCE_LABELS, Trail, TrailInput, TrailStep

__all__ = [
    "ConsumptionWarning",
    "IntensityWarning",
    "ProxyIntensityChange",
    "WarningInputError",
    "WarningLevel",
    "WarningPeriod",
    "assess_consumption_warning",
    "assess_intensity_warning",
    "proxy_intensity_change",
    "warning_level",
]

NDRC_2021_SOURCE = (
    "国家发展改革委办公厅《关于印发〈2021年上半年各地区能耗双控目标完成情况晴雨表〉的通知》"
    "（发改办环资〔2021〕629号），转载：https://www.tax100.com/thread-542865-1-1.html ；"
    "http://jsgt.org.cn/index.php/Home/Index/art/a_id/3287/c_id/45.html [V]"
)
CAIXIN_2021_SOURCE = (
    "财新网 2021-06-04 对2021年一季度能耗双控晴雨表的报道，"
    "https://m.caixin.com/m/2021-06-04/101723094.html [S]；差距按增速还是按消费量计算未经确认 [U]"
)


class WarningInputError(ValueError):
    """Invalid input to a warning assessment (message in Chinese, naming the input)."""


def _finite(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise WarningInputError(f"{name} 应为有限数字，收到 {value!r}")
    return float(value)


class WarningLevel(IntEnum):
    """Barometer level; the integer is the level number (1 = worst)."""

    RED = 1
    YELLOW = 2
    GREEN = 3

    @property
    def label(self) -> str:
        """``一级`` / ``二级`` / ``三级``."""
        return {1: "一级", 2: "二级", 3: "三级"}[self.value]

    @property
    def colour(self) -> str:
        """``红`` / ``黄`` / ``绿``."""
        return {1: "红", 2: "黄", 3: "绿"}[self.value]

    @property
    def colour_en(self) -> str:
        return {1: "red", 2: "yellow", 3: "green"}[self.value]

    @property
    def situation(self) -> str:
        """``十分严峻`` / ``比较严峻`` / ``基本顺利``."""
        return {1: "十分严峻", 2: "比较严峻", 3: "基本顺利"}[self.value]

    @property
    def full_label(self) -> str:
        """``二级预警（黄色，比较严峻）``."""
        return f"{self.label}预警（{self.colour}色，{self.situation}）"


# ---------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------

_QUARTER_LABELS = {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}


@dataclass(frozen=True)
class WarningPeriod:
    """A year-to-date assessment period.

    Parameters
    ----------
    year : int
    months : int
        Months from January covered (3 = 一季度, 6 = 上半年, 9 = 前三季度, 12 = 全年).
    proxy : str, optional
        Required when ``months`` is not a whole number of quarters: how GDP growth for the
        month was approximated (GDP is published quarterly). The result is then a monthly
        view and says so.
    """

    year: int
    months: int
    proxy: str | None = None

    def __post_init__(self) -> None:
        YearMonth(self.year, 1)  # validates the year
        if (
            isinstance(self.months, bool)
            or not isinstance(self.months, int)
            or not 1 <= self.months <= 12
        ):
            raise WarningInputError(f"months（累计月数）应为 1–12 的整数，收到 {self.months!r}")
        if self.months % 3 != 0 and not (self.proxy and self.proxy.strip()):
            raise WarningInputError(
                f"{self.year}年1—{self.months}月不是整季度：GDP按季度发布，月度预警须说明GDP代理方法"
                "（proxy，如“沿用最近一个季度的累计GDP增速”）"
            )

    @classmethod
    def quarter(cls, year: int, quarter: int) -> WarningPeriod:
        """Year to date through ``quarter`` (1–4)."""
        if isinstance(quarter, bool) or not isinstance(quarter, int) or not 1 <= quarter <= 4:
            raise WarningInputError(f"quarter（季度）应为 1–4，收到 {quarter!r}")
        return cls(year, quarter * 3)

    @property
    def end(self) -> YearMonth:
        return YearMonth(self.year, self.months)

    @property
    def basis(self) -> str:
        """``"quarterly"`` or ``"monthly_proxy"``."""
        return "quarterly" if self.proxy is None else "monthly_proxy"

    @property
    def label(self) -> str:
        if self.proxy is None:
            return f"{self.year}年{_QUARTER_LABELS[self.months]}"
        return f"{self.year}年1—{self.months}月（月度，GDP为代理值）"

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "months": self.months,
            "end": str(self.end),
            "label": self.label,
            "basis": self.basis,
            "proxy": self.proxy,
        }


@dataclass(frozen=True)
class ProxyIntensityChange:
    """A monthly intensity change computed with a GDP-growth proxy.

    Attributes
    ----------
    intensity_change : float
        ``(1 + energy_growth) ÷ (1 + gdp_growth_proxy) − 1``.
    energy_growth, gdp_growth_proxy : float
    proxy : str
        How the GDP growth was obtained.
    explanation : str
    trail : Trail
    """

    intensity_change: float
    energy_growth: float
    gdp_growth_proxy: float
    proxy: str
    explanation: str
    trail: Trail


def proxy_intensity_change(
    energy_growth: float, gdp_growth_proxy: float, *, proxy: str
) -> ProxyIntensityChange:
    """Year-to-date intensity change for a month, with GDP growth taken from a proxy.

    Parameters
    ----------
    energy_growth : float
        Year-to-date energy-consumption growth through the month (fraction, new basis).
    gdp_growth_proxy : float
        The GDP growth used in place of the unpublished monthly figure (fraction).
    proxy : str
        What the proxy is, e.g. ``"沿用2025年上半年累计GDP增速"`` or ``"采用年度GDP预期增速"``.
        Required: the result must say it is an estimate.

    Returns
    -------
    ProxyIntensityChange
    """
    g_e = _finite(energy_growth, "energy_growth（能源消费增速）")
    g_gdp = _finite(gdp_growth_proxy, "gdp_growth_proxy（GDP代理增速）")
    if g_e <= -1 or g_gdp <= -1:
        raise WarningInputError("增速应大于 −100%")
    if not (isinstance(proxy, str) and proxy.strip()):
        raise WarningInputError("proxy（GDP代理方法）不能为空：月度强度只能是估计值，必须说明依据")
    change = _arith.intensity_change(g_e, g_gdp)
    expr = f"(1 + {pct(g_e)}) ÷ (1 + {pct(g_gdp)}) − 1 = {pct(change)}"
    explanation = (
        f"月度能耗强度变化率为估计值：GDP按季度发布，本期GDP增速{proxy}（{pct(g_gdp)}）；"
        f"强度变化率 = {expr}"
    )
    trail = Trail(
        title="月度能耗强度变化率（代理估计）",
        formula="强度变化率 = (1 + 能源消费增速) ÷ (1 + GDP增速) − 1；GDP增速为代理值",
        inputs=(
            TrailInput("energy_growth", "能源消费累计增速", g_e, "%"),
            TrailInput("gdp_growth_proxy", "GDP增速（代理值）", g_gdp, "%", proxy),
        ),
        steps=(TrailStep("强度变化率（估计）", expr, change, "%"),),
        notes=(f"GDP增速为代理值：{proxy}",),
    )
    return ProxyIntensityChange(change, g_e, g_gdp, proxy, explanation, trail)


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntensityWarning:
    """An energy-intensity warning with the rule and the numbers that produced it.

    Attributes
    ----------
    scheme : str
        ``"ndrc"``, ``"shortfall_pp"`` or ``"completion_ratio"``.
    scheme_title : str
    level : WarningLevel
        1 = 一级 (red) … 3 = 三级 (green).
    source_level_label : str or None
        The level as the scheme's source names it (``"III级（红色）"``), for banded schemes.
    intensity_change : float
        Signed year-on-year change of intensity for the period (−0.03 = fell 3 %).
    reduction : float
        ``−intensity_change``.
    required_reduction : float
        The progress requirement (fraction; negative when a rise is allowed).
    shortfall_pp : float
        ``(required_reduction − reduction) × 100``; ≤ 0 when the requirement is met.
    completion_ratio : float or None
        ``reduction ÷ required_reduction`` when the requirement is positive.
    rule_text : str
        The rule that fired, in Chinese.
    rules : tuple of str
        All rules of the scheme, in Chinese.
    explanation : str
    source : str
    confidence : str
        Confidence label of the rule (``verified-from-source`` …).
    indicator, requirement_label : str
    period : WarningPeriod or None
    area : str or None
    notes : tuple of str
    trail : Trail
    """

    scheme: str
    scheme_title: str
    level: WarningLevel
    source_level_label: str | None
    intensity_change: float
    reduction: float
    required_reduction: float
    shortfall_pp: float
    completion_ratio: float | None
    rule_text: str
    rules: tuple[str, ...]
    explanation: str
    source: str
    confidence: str
    indicator: str
    requirement_label: str
    period: WarningPeriod | None
    area: str | None
    notes: tuple[str, ...]
    trail: Trail

    dimension = "intensity"

    @property
    def level_label(self) -> str:
        return self.level.label

    @property
    def colour(self) -> str:
        return self.level.colour

    @property
    def situation(self) -> str:
        return self.level.situation

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "area": self.area,
            "period": None if self.period is None else self.period.to_dict(),
            "indicator": self.indicator,
            "scheme": self.scheme,
            "scheme_title": self.scheme_title,
            "level": int(self.level),
            "level_label": self.level.label,
            "colour": self.level.colour,
            "colour_en": self.level.colour_en,
            "situation": self.level.situation,
            "source_level_label": self.source_level_label,
            "intensity_change": self.intensity_change,
            "reduction": self.reduction,
            "required_reduction": self.required_reduction,
            "requirement_label": self.requirement_label,
            "shortfall_pp": self.shortfall_pp,
            "completion_ratio": self.completion_ratio,
            "rule_text": self.rule_text,
            "rules": list(self.rules),
            "explanation": self.explanation,
            "source": self.source,
            "confidence": self.confidence,
            "confidence_label": CONFIDENCE_LABELS.get(self.confidence),
            "notes": list(self.notes),
            "trail": self.trail.to_dict(),
        }


@dataclass(frozen=True)
class ConsumptionWarning:
    """An energy-consumption-growth warning with the rule and the numbers that produced it.

    Attributes
    ----------
    level : WarningLevel
    energy_growth : float
        Year-to-date growth of energy consumption (fraction, new basis).
    allowed_growth : float
        Allowed growth for the year (fraction).
    excess_pp : float
        ``(energy_growth − allowed_growth) × 100``.
    gap_share_growth_rate : float or None
        Excess as a share of the allowed growth rate, ``(g − g_allowed) ÷ |g_allowed|``;
        ``None`` when the allowed growth is zero.
    gap_share_amount : float
        Excess of consumption over the allowed amount as a share of it,
        ``(1 + g) ÷ (1 + g_allowed) − 1``.
    measure : str
        ``"growth_rate"``, ``"amount"`` or ``"both"`` (the more severe of the two).
    red_gap_share : float
        The 10 % of the rule (or the plan's value).
    rule_text, rules, explanation, source, confidence, period, area, notes, trail
        As for :class:`IntensityWarning`.
    """

    level: WarningLevel
    energy_growth: float
    allowed_growth: float
    excess_pp: float
    gap_share_growth_rate: float | None
    gap_share_amount: float
    measure: str
    red_gap_share: float
    rule_text: str
    rules: tuple[str, ...]
    explanation: str
    source: str
    confidence: str
    period: WarningPeriod | None
    area: str | None
    notes: tuple[str, ...]
    trail: Trail

    dimension = "consumption_growth"
    scheme = "caixin_2021"
    scheme_title = "能源消费增速预警（财新报道的2021年晴雨表规则）"

    @property
    def level_label(self) -> str:
        return self.level.label

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "area": self.area,
            "period": None if self.period is None else self.period.to_dict(),
            "scheme": self.scheme,
            "scheme_title": self.scheme_title,
            "level": int(self.level),
            "level_label": self.level.label,
            "colour": self.level.colour,
            "colour_en": self.level.colour_en,
            "situation": self.level.situation,
            "energy_growth": self.energy_growth,
            "allowed_growth": self.allowed_growth,
            "excess_pp": self.excess_pp,
            "gap_share_growth_rate": self.gap_share_growth_rate,
            "gap_share_amount": self.gap_share_amount,
            "measure": self.measure,
            "red_gap_share": self.red_gap_share,
            "rule_text": self.rule_text,
            "rules": list(self.rules),
            "explanation": self.explanation,
            "source": self.source,
            "confidence": self.confidence,
            "confidence_label": CONFIDENCE_LABELS.get(self.confidence),
            "notes": list(self.notes),
            "trail": self.trail.to_dict(),
        }


# ---------------------------------------------------------------------------------------
# Intensity
# ---------------------------------------------------------------------------------------

_NDRC_RULES = (
    "一级（红色，十分严峻）：本期能耗强度同比不降反升（强度变化率≥0；恰为0视为未下降，判一级）",
    "二级（黄色，比较严峻）：能耗强度下降，但降低率未达到进度要求",
    "三级（绿色，基本顺利）：降低率达到进度要求（等于要求即为达到）",
)


def _change_words(change: float) -> str:
    if close(change, 0.0):
        return "持平（变化率为0）"
    return f"上升{pct(change)}" if change > 0 else f"降低{pct(-change)}"


def assess_intensity_warning(
    intensity_change: float,
    required_reduction: float,
    *,
    scheme: str | None = None,
    settings: WarningSettings | None = None,
    period: WarningPeriod | None = None,
    months: int | None = None,
    area: str | None = None,
    indicator: str = "单位地区生产总值能耗（新口径）",
    requirement_label: str = "年度进度要求",
    requirement: RequirementDerivation | None = None,
    change_trail: Trail | None = None,
    plan_version: str | None = None,
) -> IntensityWarning:
    """Energy-intensity warning level for a period, with rule, numbers and trail.

    Parameters
    ----------
    intensity_change : float
        Signed year-on-year change of intensity for the year-to-date period (fraction;
        −0.03 = fell 3 %), e.g. ``intensity_change(energy_growth, gdp_growth)`` of the
        accounting core on the new basis.
    required_reduction : float
        The progress requirement as a reduction rate (fraction; 0.03 = must fall 3 %),
        normally the area's annual requirement (:func:`annual_requirement`).
    scheme : {"ndrc", "shortfall_pp", "completion_ratio"}, optional
        Default: ``settings.intensity_scheme`` (``"ndrc"``).
    settings : WarningSettings, optional
        The plan's warning settings (bands); default unofficial defaults.
    period : WarningPeriod, optional
        The period assessed; needed by ``shortfall_pp`` to choose its bands (or ``months``).
    months : int, optional
        Year-to-date months, when no ``period`` is given.
    area, indicator, requirement_label : str
        Used in the explanation.
    requirement : RequirementDerivation, optional
        Derivation of ``required_reduction``; embedded in the trail. Must agree with it.
    change_trail : Trail, optional
        Trail of ``intensity_change``; embedded in the trail.
    plan_version : str, optional

    Returns
    -------
    IntensityWarning

    Raises
    ------
    WarningInputError
        Non-finite inputs, an unknown scheme, a ``requirement`` that disagrees with
        ``required_reduction``, or ``shortfall_pp`` without a period.

    References
    ----------
    发改办环资〔2021〕629号 [V]; 杭州市“十二五”节能预警调控方案 [V]; see ``docs/warnings.md``.
    """
    change = _finite(intensity_change, "intensity_change（强度变化率）")
    required = _finite(required_reduction, "required_reduction（进度要求降低率）")
    if change <= -1:
        raise WarningInputError(
            f"intensity_change（强度变化率）应大于 −100%，收到 {intensity_change!r}"
        )
    if required >= 1:
        raise WarningInputError(
            f"required_reduction（进度要求）应小于 1，收到 {required_reduction!r}"
        )
    used = settings if settings is not None else DEFAULT_WARNING_SETTINGS
    key = scheme if scheme is not None else used.intensity_scheme
    if key not in INTENSITY_SCHEMES:
        raise WarningInputError(f"不认识的预警方案“{key}”；可用：{'、'.join(INTENSITY_SCHEMES)}")
    if requirement is not None and not close(requirement.required_reduction, required):
        raise WarningInputError(
            f"requirement 推导出的进度要求 {requirement.required_reduction!r} 与 required_reduction {required!r} 不一致"
        )
    if period is not None and months is not None and months != period.months:
        raise WarningInputError(f"months={months} 与 period 的 {period.months} 个月不一致")
    ytd_months = period.months if period is not None else months

    reduction = -change
    # Snap a change within binary rounding of zero to zero: 0 counts as "not falling".
    if close(change, 0.0):
        change, reduction = 0.0, 0.0
    shortfall_pp = (required - reduction) * 100.0
    ratio = reduction / required if required > 0 and not close(required, 0.0) else None
    notes: list[str] = []
    steps = [
        TrailStep("降低率", f"−({pct(change)}) = {pct(reduction)}", reduction, "%"),
        TrailStep(
            "与进度要求的差距",
            f"({pct(required)} − {pct(reduction)}) × 100 = {num(shortfall_pp)}个百分点",
            shortfall_pp,
            "个百分点",
        ),
    ]
    if ratio is not None:
        steps.append(
            TrailStep("完成率", f"{pct(reduction)} ÷ {pct(required)} = {pct(ratio)}", ratio, "%")
        )
    where = f"{area}" if area else ""
    when = period.label if period is not None else "本期"
    observed = f"{where}{when}{indicator}同比{_change_words(change)}，{requirement_label}为" + (
        f"降低{pct(required)}" if required >= 0 else f"上升不超过{pct(-required)}"
    )
    source_label: str | None = None
    band_scheme: BandScheme | None = None

    if key == "ndrc":
        title = INTENSITY_SCHEMES["ndrc"]
        rules: tuple[str, ...] = _NDRC_RULES
        source, confidence = NDRC_2021_SOURCE, "verified-from-source"
        if change >= 0:
            level = WarningLevel.RED
            rule = rules[0]
            verdict = "强度未下降" if change == 0 else "强度不降反升"
            if change == 0:
                notes.append("强度变化率恰为0：按“未下降”判一级（平台对国家规则“不降反升”的解读）")
            if required <= 0:
                notes.append("进度要求允许强度上升，但国家规则以“不降反升”判一级，仍判一级")
        elif reduction > required and not close(reduction, required):
            level, rule, verdict = WarningLevel.GREEN, rules[2], "降低率达到进度要求"
        elif close(reduction, required):
            level, rule, verdict = WarningLevel.GREEN, rules[2], "降低率恰等于进度要求，视为达到"
        else:
            level, rule = WarningLevel.YELLOW, rules[1]
            verdict = f"强度下降但降低率未达到进度要求（差{pp(required - reduction)}）"
        measure_text = verdict
    else:
        if key == "shortfall_pp":
            if ytd_months is None:
                raise WarningInputError(
                    "差距分档方案（shortfall_pp）按期间选用分档（上半年/前三季度），请给出 period 或 months"
                )
            band_scheme = used.shortfall_bands_for(ytd_months)
            measured = shortfall_pp
            if ytd_months not in (6, 9) and band_scheme.key.startswith("hangzhou"):
                notes.append(
                    f"杭州方案只规定了上半年和前三季度的分档；本期为1—{ytd_months}月，"
                    f"按设置套用“{band_scheme.title}”（不确定）"
                )
            measure_text = (
                f"降低率比进度要求{'少' if shortfall_pp > 0 else '多'}{pp(abs(shortfall_pp) / 100)}"
            )
        else:
            band_scheme = used.completion_bands
            measured = math.nan if ratio is None else ratio
            measure_text = (
                f"完成率 = 降低率 ÷ 要求 = {pct(reduction)} ÷ {pct(required)} = {pct(ratio)}"
                if ratio is not None
                else "进度要求不为正，完成率无意义"
            )
        title = band_scheme.title
        rules = band_scheme.rule_texts()
        source, confidence = band_scheme.source, band_scheme.confidence
        if band_scheme.note:
            notes.append(band_scheme.note)
        if math.isnan(measured):
            met = reduction > required or close(reduction, required)
            level = WarningLevel.GREEN if met else WarningLevel.RED
            source_label = None
            rule = "进度要求不为正（允许上升）：降低率不低于要求判三级，否则判一级（平台规则）"
            notes.append("进度要求不为正时完成率无意义，按“是否达到要求”判三级或一级（平台规则）")
            verdict = "达到要求" if met else "未达到要求"
        else:
            band = band_scheme.classify(measured)
            level = WarningLevel(band.level)
            source_label = band.label
            rule = f"{band.describe(band_scheme.measure)}：{band.label} → {level.label}（{level.colour}）"
            verdict = f"属“{band.label}”档"
        measure_text = f"{measure_text}，{verdict}"

    explanation = f"{observed}；{measure_text}，按{title}判为{level.full_label}。"
    if period is not None and period.proxy is not None:
        explanation += f"（月度视图：GDP增速为代理值——{period.proxy}）"
        notes.append(f"月度视图，GDP增速为代理值：{period.proxy}")
    inputs = [
        TrailInput(
            "intensity_change",
            f"{indicator}同比变化率",
            change,
            "%",
            "能耗与GDP核算" if change_trail is None else change_trail.title,
        ),
        TrailInput(
            "required_reduction",
            requirement_label,
            required,
            "%",
            "目标分解推导" if requirement is None else requirement.trail.title,
        ),
        TrailInput("scheme", "预警方案", key, "", used.origin_label("intensity_scheme")),
    ]
    if period is not None:
        inputs.append(TrailInput("period", "评价期", period.label))
    children = tuple(
        t
        for t in (change_trail, None if requirement is None else requirement.trail)
        if t is not None
    )
    trail = Trail(
        title=f"{where}{when}能耗强度预警",
        formula="降低率 = −强度变化率；" + "；".join(rules),
        inputs=tuple(inputs),
        steps=tuple(steps),
        plan_version=plan_version,
        notes=tuple(notes),
        references=(source,),
        children=children,
    )
    return IntensityWarning(
        scheme=key,
        scheme_title=title,
        level=level,
        source_level_label=source_label,
        intensity_change=change,
        reduction=reduction,
        required_reduction=required,
        shortfall_pp=shortfall_pp,
        completion_ratio=ratio,
        rule_text=rule,
        rules=tuple(rules),
        explanation=explanation,
        source=source,
        confidence=confidence,
        indicator=indicator,
        requirement_label=requirement_label,
        period=period,
        area=area,
        notes=tuple(notes),
        trail=trail,
    )


def warning_level(
    intensity_change: float,
    required_reduction: float,
    *,
    scheme: str = "ndrc",
    settings: WarningSettings | None = None,
    months: int | None = None,
) -> int:
    """晴雨表 level of an energy-intensity change: 1 = 一级 (red), 2 = 二级 (yellow), 3 = 三级 (green).

    Parameters
    ----------
    intensity_change : float
        Signed year-on-year change of intensity (fraction; −0.03 = fell 3 %).
    required_reduction : float
        Progress requirement as a reduction rate (fraction; 0.03 = must fall 3 %).
    scheme : {"ndrc", "shortfall_pp", "completion_ratio"}, default "ndrc"
        ``ndrc``: 一级 when intensity rose or stayed flat (a change of exactly 0 is not a
        fall), 二级 when it fell by less than the requirement, 三级 otherwise.
    settings : WarningSettings, optional
        Band definitions for the banded schemes.
    months : int, optional
        Year-to-date months; ``shortfall_pp`` needs it to choose its bands.

    Returns
    -------
    int

    Examples
    --------
    >>> warning_level(0.0, 0.03)
    1
    >>> warning_level(-0.02, 0.03)
    2
    >>> warning_level(-0.03, 0.03)
    3
    """
    return int(
        assess_intensity_warning(
            intensity_change, required_reduction, scheme=scheme, settings=settings, months=months
        ).level
    )


# ---------------------------------------------------------------------------------------
# Energy-consumption growth
# ---------------------------------------------------------------------------------------


def assess_consumption_warning(
    energy_growth: float,
    allowed_growth: float,
    *,
    settings: WarningSettings | None = None,
    period: WarningPeriod | None = None,
    area: str | None = None,
    growth_trail: Trail | None = None,
    plan_version: str | None = None,
) -> ConsumptionWarning:
    """Energy-consumption-growth warning level: growth against the allowed growth.

    三级 (green) when growth does not exceed the allowed growth; otherwise 一级 (red) when the
    excess is more than ``red_gap_share`` (10 %) of the target value and 二级 (yellow) when it
    is within it [S]. The excess is measured on the growth rate
    (``(g − g_allowed) ÷ |g_allowed|``) or on the amount (``(1 + g) ÷ (1 + g_allowed) − 1``)
    as the plan sets; no source confirms which [U], so by default both are computed and the
    more severe level is kept.

    Parameters
    ----------
    energy_growth : float
        Year-to-date growth of energy consumption, new basis (fraction; 0.04 = +4 %).
    allowed_growth : float
        Growth allowed for the year (fraction).
    settings : WarningSettings, optional
    period : WarningPeriod, optional
    area : str, optional
    growth_trail : Trail, optional
        Trail of ``energy_growth``, embedded.
    plan_version : str, optional

    Returns
    -------
    ConsumptionWarning
    """
    g = _finite(energy_growth, "energy_growth（能源消费增速）")
    allowed = _finite(allowed_growth, "allowed_growth（允许增速）")
    if g <= -1 or allowed <= -1:
        raise WarningInputError("增速应大于 −100%")
    used = settings if settings is not None else DEFAULT_WARNING_SETTINGS
    red_share = used.consumption_red_gap_share
    excess_pp = (g - allowed) * 100.0
    share_rate = None if close(allowed, 0.0) else (g - allowed) / abs(allowed)
    share_amount = (1.0 + g) / (1.0 + allowed) - 1.0
    notes: list[str] = []
    rules = (
        "三级（绿色）：能源消费增速不高于允许增速",
        f"二级（黄色）：超过允许增速，超出幅度不大于目标值的{pct(red_share)}",
        f"一级（红色）：超过允许增速，超出幅度大于目标值的{pct(red_share)}",
    )
    within = g < allowed or close(g, allowed)

    def level_for(share: float) -> WarningLevel:
        if share > red_share and not close(share, red_share):
            return WarningLevel.RED
        return WarningLevel.YELLOW

    measure_setting = used.consumption_gap_measure
    steps = [
        TrailStep(
            "超出允许增速",
            f"({pct(g)} − {pct(allowed)}) × 100 = {num(excess_pp)}个百分点",
            excess_pp,
            "个百分点",
        ),
        TrailStep(
            "按消费量计的超出比例",
            f"(1 + {pct(g)}) ÷ (1 + {pct(allowed)}) − 1 = {pct(share_amount)}",
            share_amount,
            "%",
        ),
    ]
    if share_rate is not None:
        steps.append(
            TrailStep(
                "按增速计的超出比例",
                f"({pct(g)} − {pct(allowed)}) ÷ |{pct(allowed)}| = {pct(share_rate)}",
                share_rate,
                "%",
            )
        )
    if within:
        level = WarningLevel.GREEN
        measure = measure_setting or "both"
        rule = rules[0]
        detail = "未超过允许增速"
    else:
        if measure_setting == "amount" or (measure_setting is None and share_rate is None):
            measure = "amount"
            level = level_for(share_amount)
            detail = f"消费量超出允许量{pct(share_amount)}（按消费量计）"
            if measure_setting is None:
                notes.append("允许增速为0，按增速计的比例无意义，仅按消费量计")
        elif measure_setting == "growth_rate":
            if share_rate is None:
                measure = "amount"
                level = level_for(share_amount)
                detail = f"允许增速为0，按增速计无意义，改按消费量计：超出{pct(share_amount)}"
                notes.append("允许增速为0，按增速计的比例无意义，改按消费量计")
            else:
                measure = "growth_rate"
                level = level_for(share_rate)
                detail = f"超出幅度为允许增速的{pct(share_rate)}（按增速计）"
        else:
            assert share_rate is not None
            by_rate, by_amount = level_for(share_rate), level_for(share_amount)
            level = min(by_rate, by_amount)
            measure = "both"
            detail = (
                f"按增速计超出幅度为允许增速的{pct(share_rate)}（{by_rate.label}），"
                f"按消费量计超出{pct(share_amount)}（{by_amount.label}），取较严重者"
            )
            notes.append(
                "“超出目标值10%”按增速还是按消费量计算未经来源确认，两种口径都计算并取较严重者；计划可设定其一"
            )
        rule = rules[2] if level is WarningLevel.RED else rules[1]
    where = area or ""
    when = period.label if period is not None else "本期"
    explanation = (
        f"{where}{when}能源消费量同比增长{pct(g)}，允许增速{pct(allowed)}，"
        f"{'超出' + pp(g - allowed) if not within else '未超出'}；{detail}，"
        f"按能源消费增速预警规则（红黄分界为目标值的{pct(red_share)}，{used.origin_label('consumption_red_gap_share')}，"
        f"来源为媒体报道，未经官方文本确认）判为{level.full_label}。"
    )
    if period is not None and period.proxy is not None:
        notes.append(f"月度视图：{period.proxy}")
    notes.append("规则来自媒体报道（二手来源），差距口径不确定，仅供参考")
    trail = Trail(
        title=f"{where}{when}能源消费增速预警",
        formula="；".join(rules),
        inputs=(
            TrailInput(
                "energy_growth",
                "能源消费累计增速（新口径）",
                g,
                "%",
                "" if growth_trail is None else growth_trail.title,
            ),
            TrailInput("allowed_growth", "允许增速", allowed, "%", "目标分解"),
            TrailInput(
                "red_gap_share",
                "红黄分界（超出目标值的比例）",
                red_share,
                "%",
                used.origin_label("consumption_red_gap_share"),
                "plan-setting"
                if "consumption_red_gap_share" in used.plan_set
                else "from-secondary-source",
            ),
            TrailInput(
                "measure",
                "差距口径",
                measure,
                "",
                used.origin_label("consumption_gap_measure"),
                "plan-setting" if "consumption_gap_measure" in used.plan_set else "uncertain",
            ),
        ),
        steps=tuple(steps),
        plan_version=plan_version,
        notes=tuple(notes),
        references=(CAIXIN_2021_SOURCE,),
        children=() if growth_trail is None else (growth_trail,),
    )
    return ConsumptionWarning(
        level=level,
        energy_growth=g,
        allowed_growth=allowed,
        excess_pp=excess_pp,
        gap_share_growth_rate=share_rate,
        gap_share_amount=share_amount,
        measure=measure,
        red_gap_share=red_share,
        rule_text=rule,
        rules=rules,
        explanation=explanation,
        source=CAIXIN_2021_SOURCE,
        confidence="from-secondary-source",
        period=period,
        area=area,
        notes=tuple(notes),
        trail=trail,
    )

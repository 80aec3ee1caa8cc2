"""Evaluation settings: status thresholds and warning schemes, configurable per plan.

No official text fixes the thresholds that separate 进度正常, 滞后 and 严重滞后, the width of
“左右”, or (except for the NDRC intensity rule) the warning bands. The defaults here are the
platform's own choices, marked **非官方默认值 (unofficial defaults)** wherever they are shown;
a plan sets its own values in its ``evaluation`` block (see :meth:`EvaluationSettings.from_mapping`)
and results then say **计划设定 (plan setting)**. The rationale for each default is in
``docs/status-rules.md`` and ``docs/warnings.md``.

Every setting is validated when it is built; a bad value raises :class:`SettingsError` with the
setting's location, the problem and how to fix it, in Chinese.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ecplan.core.evaluation._format import num, pct

__all__ = [
    "COMPLETION_RATIO_BANDS",
    "DEFAULT_SETTINGS",
    "DEFAULT_STATUS_SETTINGS",
    "DEFAULT_WARNING_SETTINGS",
    "HANGZHOU_FIRST_HALF_BANDS",
    "HANGZHOU_FIRST_THREE_QUARTERS_BANDS",
    "INTENSITY_SCHEMES",
    "Band",
    "BandScheme",
    "EvaluationSettings",
    "SettingsError",
    "StatusSettings",
    "Tolerance",
    "WarningSettings",
]

_EPS_REL = 1e-9
_EPS_ABS = 1e-12


def close(a: float, b: float) -> bool:
    """Equal up to binary rounding (relative 1e-9, absolute 1e-12); used at every boundary."""
    return math.isclose(a, b, rel_tol=_EPS_REL, abs_tol=_EPS_ABS)


class SettingsError(ValueError):
    """An evaluation setting is invalid.

    Attributes
    ----------
    location : str
        Where the setting is (``evaluation.status.on_track_ratio``).
    """

    def __init__(self, location: str, message: str) -> None:
        self.location = location
        super().__init__(f"评价设置 {location}：{message}")


def _number(value: object, location: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingsError(location, f"应为数字，收到 {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise SettingsError(location, f"应为有限数，收到 {value!r}")
    return number


def _fraction(value: object, location: str, *, allow_zero: bool = False) -> float:
    number = _number(value, location)
    low_ok = number >= 0 if allow_zero else number > 0
    if not (low_ok and number <= 1):
        bound = "0（含）" if allow_zero else "0（不含）"
        raise SettingsError(
            location, f"应为 {bound} 到 1（含）之间的小数，收到 {value!r}；如 95% 请写 0.95"
        )
    return number


def _check_keys(data: Mapping[str, Any], allowed: Sequence[str], location: str) -> None:
    if not isinstance(data, Mapping):
        raise SettingsError(location, f"应为映射（键: 值），收到 {type(data).__name__}")
    unknown = [key for key in data if key not in allowed]
    if unknown:
        raise SettingsError(
            f"{location}.{unknown[0]}",
            f"不认识的设置项；可用设置项：{'、'.join(allowed)}",
        )


# ---------------------------------------------------------------------------------------
# Tolerance of 左右 / 约
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tolerance:
    """How far below (or above) a “左右/约” target still counts as met.

    Parameters
    ----------
    kind : {"relative", "absolute"}
        ``relative``: ``amount`` is a fraction of the target value (0.02 = ±2 % of the
        target); ``absolute``: ``amount`` is in the target's own unit (for ``%`` targets a
        fraction, 0.005 = ±0.5 个百分点).
    amount : float
        Non-negative.
    """

    kind: Literal["relative", "absolute"]
    amount: float

    def __post_init__(self) -> None:
        if self.kind not in ("relative", "absolute"):
            raise SettingsError(
                "tolerance.kind", "应为 relative（相对目标值）或 absolute（绝对值）"
            )
        amount = _number(self.amount, "tolerance.amount")
        if amount < 0:
            raise SettingsError("tolerance.amount", f"不能为负数，收到 {self.amount!r}")
        if self.kind == "relative" and amount > 0.5:
            raise SettingsError(
                "tolerance.amount", f"相对容差应不超过 0.5（目标值的50%），收到 {self.amount!r}"
            )

    def absolute_for(self, target: float) -> float:
        """The tolerance in the target's unit."""
        return self.amount * abs(target) if self.kind == "relative" else self.amount

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "amount": self.amount}

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], location: str = "tolerance") -> Tolerance:
        _check_keys(data, ("kind", "amount"), location)
        if "kind" not in data or "amount" not in data:
            raise SettingsError(location, "需同时给出 kind（relative/absolute）和 amount")
        kind = data["kind"]
        if kind not in ("relative", "absolute"):
            raise SettingsError(f"{location}.kind", f"应为 relative 或 absolute，收到 {kind!r}")
        return cls(kind=kind, amount=_number(data["amount"], f"{location}.amount"))


# ---------------------------------------------------------------------------------------
# Status thresholds
# ---------------------------------------------------------------------------------------

_STATUS_LABELS: dict[str, str] = {
    "on_track_ratio": "累计类目标：完成序时进度比例达到此值即为进度正常",
    "lagging_ratio": "累计类和里程碑：完成序时进度比例达到此值为滞后，低于此值为严重滞后",
    "level_lagging_ratio": "水平、占比、比率和较基准年变化类目标：未达标时达成度达到此值为滞后，低于为严重滞后",
    "entity_lagging_share": "逐项规则：有不符合对象时，符合比例达到此值为滞后，低于为严重滞后",
    "approximate_tolerance": "“左右/约”目标的默认容差",
}


@dataclass(frozen=True)
class StatusSettings:
    """Thresholds of the target status rules (see ``docs/status-rules.md``).

    All defaults are **非官方默认值**: no official text fixes them.

    Parameters
    ----------
    on_track_ratio : float, default 0.95
        Cumulative targets: share of the time-proportional requirement (序时进度) at or above
        which the status is 进度正常 even though the requirement is not fully met.
    lagging_ratio : float, default 0.80
        Cumulative targets and milestones: at or above → 滞后, below → 严重滞后.
    level_lagging_ratio : float, default 0.90
        Level, share, ratio and relative-change targets not met: achievement ratio at or
        above → 滞后, below → 严重滞后.
    entity_lagging_share : float, default 0.90
        Per-entity rules with a breach: share of compliant entities at or above → 滞后,
        below → 严重滞后.
    approximate_tolerance : Tolerance, default ±2 % of the target value
        Tolerance of “左右/约” targets that do not set their own.
    plan_set : frozenset of str
        Names of the settings the plan set itself; the others are unofficial defaults.
    """

    on_track_ratio: float = 0.95
    lagging_ratio: float = 0.80
    level_lagging_ratio: float = 0.90
    entity_lagging_share: float = 0.90
    approximate_tolerance: Tolerance = field(
        default_factory=lambda: Tolerance(kind="relative", amount=0.02)
    )
    plan_set: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        loc = "evaluation.status"
        on_track = _fraction(self.on_track_ratio, f"{loc}.on_track_ratio")
        lagging = _fraction(self.lagging_ratio, f"{loc}.lagging_ratio")
        _fraction(self.level_lagging_ratio, f"{loc}.level_lagging_ratio")
        _fraction(self.entity_lagging_share, f"{loc}.entity_lagging_share")
        if lagging > on_track:
            raise SettingsError(
                f"{loc}.lagging_ratio",
                f"滞后下限 {lagging} 不能高于进度正常阈值 on_track_ratio {on_track}",
            )
        if not isinstance(self.approximate_tolerance, Tolerance):
            raise SettingsError(f"{loc}.approximate_tolerance", "应为 Tolerance")
        unknown = set(self.plan_set) - set(_STATUS_LABELS)
        if unknown:
            raise SettingsError(f"{loc}.plan_set", f"不认识的设置项：{'、'.join(sorted(unknown))}")

    def label(self, name: str) -> str:
        """Chinese description of setting ``name``."""
        return _STATUS_LABELS[name]

    def is_plan_set(self, name: str) -> bool:
        """True when the plan set ``name`` itself (else it is an unofficial default)."""
        return name in self.plan_set

    def origin_label(self, name: str) -> str:
        """``"计划设定"`` or ``"非官方默认值"`` for setting ``name``."""
        return "计划设定" if self.is_plan_set(name) else "非官方默认值"

    def confidence(self, name: str) -> str:
        """Trail confidence label of setting ``name``."""
        return "plan-setting" if self.is_plan_set(name) else "unofficial-default"

    def to_dict(self) -> dict[str, Any]:
        return {
            "on_track_ratio": self.on_track_ratio,
            "lagging_ratio": self.lagging_ratio,
            "level_lagging_ratio": self.level_lagging_ratio,
            "entity_lagging_share": self.entity_lagging_share,
            "approximate_tolerance": self.approximate_tolerance.to_dict(),
            "plan_set": sorted(self.plan_set),
        }

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], location: str = "evaluation.status"
    ) -> StatusSettings:
        """Build from a plan's ``evaluation.status`` block; the keys given become plan settings."""
        _check_keys(data, tuple(_STATUS_LABELS), location)
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key == "approximate_tolerance":
                kwargs[key] = Tolerance.from_mapping(value, f"{location}.{key}")
            else:
                kwargs[key] = _number(value, f"{location}.{key}")
        return cls(**kwargs, plan_set=frozenset(data))


# ---------------------------------------------------------------------------------------
# Warning bands
# ---------------------------------------------------------------------------------------

BandMeasure = Literal["shortfall_pp", "completion_ratio"]

_MEASURE_TEXT: dict[str, tuple[str, str]] = {
    # measure → (name, unit shown after numbers)
    "shortfall_pp": ("降低率差距", "个百分点"),
    "completion_ratio": ("完成率", ""),
}

_LEVEL_SHORT = {1: "一级（红）", 2: "二级（黄）", 3: "三级（绿）"}


@dataclass(frozen=True)
class Band:
    """One band of a banded warning scheme.

    A value ``x`` is in the band when it lies between ``lower`` and ``upper`` (``None`` =
    unbounded), each end included or not as flagged.

    Parameters
    ----------
    lower, upper : float or None
        Band ends in the scheme's measure (percentage points for ``shortfall_pp``, a fraction
        for ``completion_ratio``).
    lower_inclusive, upper_inclusive : bool
        Whether each end belongs to the band.
    level : int
        Platform level 1 (一级, red, worst), 2 or 3 (三级, green).
    label : str
        The level as the source names it (``"III级（红色）"``), kept because some sources
        number their levels the other way round.
    """

    lower: float | None
    upper: float | None
    lower_inclusive: bool
    upper_inclusive: bool
    level: int
    label: str

    def __post_init__(self) -> None:
        if self.level not in (1, 2, 3) or isinstance(self.level, bool):
            raise SettingsError("band.level", f"应为 1、2 或 3，收到 {self.level!r}")
        for name in ("lower", "upper"):
            value = getattr(self, name)
            if value is not None:
                _number(value, f"band.{name}")
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise SettingsError("band", f"下限 {self.lower} 大于上限 {self.upper}")

    def contains(self, x: float) -> bool:
        if self.lower is not None:
            if close(x, self.lower):
                if not self.lower_inclusive:
                    return False
            elif x < self.lower:
                return False
        if self.upper is not None:
            if close(x, self.upper):
                if not self.upper_inclusive:
                    return False
            elif x > self.upper:
                return False
        return True

    def describe(self, measure: BandMeasure) -> str:
        """Chinese text of the band, e.g. ``降低率差距 >1 且 ≤2 个百分点``."""
        name, unit = _MEASURE_TEXT[measure]

        def show(v: float) -> str:
            return pct(v) if measure == "completion_ratio" else num(v)

        parts = []
        if self.lower is not None:
            parts.append(f"{'≥' if self.lower_inclusive else '>'}{show(self.lower)}")
        if self.upper is not None:
            parts.append(f"{'≤' if self.upper_inclusive else '<'}{show(self.upper)}")
        text = "且".join(parts) if parts else "任意值"
        return f"{name}{text}{unit}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower": self.lower,
            "upper": self.upper,
            "lower_inclusive": self.lower_inclusive,
            "upper_inclusive": self.upper_inclusive,
            "level": self.level,
            "label": self.label,
        }


@dataclass(frozen=True)
class BandScheme:
    """A banded warning scheme: contiguous bands that cover every value exactly once.

    Parameters
    ----------
    key : str
        Identifier (``"hangzhou_first_half"``).
    title : str
        Chinese title.
    measure : {"shortfall_pp", "completion_ratio"}
        ``shortfall_pp``: (required reduction − achieved reduction) in percentage points;
        ``completion_ratio``: achieved reduction ÷ required reduction.
    bands : tuple of Band
        Ascending in the measure, contiguous, first unbounded below, last unbounded above.
        Levels must never get better as the measure gets worse.
    source : str
        Where the scheme comes from.
    confidence : str
        Confidence label of the bands (``verified-from-source`` …).
    note : str
        How the ends of the bands were read where the source is ambiguous.
    """

    key: str
    title: str
    measure: BandMeasure
    bands: tuple[Band, ...]
    source: str
    confidence: str
    note: str = ""

    def __post_init__(self) -> None:
        loc = f"band_scheme[{self.key}]"
        if self.measure not in _MEASURE_TEXT:
            raise SettingsError(f"{loc}.measure", "应为 shortfall_pp 或 completion_ratio")
        bands = self.bands
        if not bands:
            raise SettingsError(f"{loc}.bands", "至少需要一个分档")
        if bands[0].lower is not None or bands[-1].upper is not None:
            raise SettingsError(
                f"{loc}.bands", "第一档须无下限（lower: null），最后一档须无上限（upper: null）"
            )
        for i, (a, b) in enumerate(itertools.pairwise(bands)):
            if a.upper is None or b.lower is None or not close(a.upper, b.lower):
                raise SettingsError(
                    f"{loc}.bands[{i + 1}]",
                    f"分档须首尾相接：上一档上限 {a.upper}，本档下限 {b.lower}",
                )
            if a.upper_inclusive == b.lower_inclusive:
                raise SettingsError(
                    f"{loc}.bands[{i + 1}]",
                    f"边界值 {b.lower} 须恰属于一档：上一档 upper_inclusive 与本档 lower_inclusive 应一真一假",
                )
            worse_up = self.measure == "shortfall_pp"
            if (worse_up and b.level > a.level) or (not worse_up and b.level < a.level):
                raise SettingsError(
                    f"{loc}.bands[{i + 1}]",
                    "等级须随差距增大（或完成率降低）而不变好；请检查各档 level 的顺序",
                )

    def classify(self, x: float) -> Band:
        """The band containing ``x``."""
        for band in self.bands:
            if band.contains(x):
                return band
        raise AssertionError(
            f"validated bands cover every value, {x} not covered"
        )  # pragma: no cover

    def rule_texts(self) -> tuple[str, ...]:
        """One Chinese line per band: range, source label, platform level."""
        return tuple(
            f"{band.describe(self.measure)}：{band.label} → {_LEVEL_SHORT[band.level]}"
            for band in self.bands
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "measure": self.measure,
            "bands": [band.to_dict() for band in self.bands],
            "source": self.source,
            "confidence": self.confidence,
            "note": self.note,
        }

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], location: str, measure: BandMeasure
    ) -> BandScheme:
        allowed = ("key", "title", "bands", "source", "confidence", "note")
        _check_keys(data, allowed, location)
        raw_bands = data.get("bands")
        if not isinstance(raw_bands, list) or not raw_bands:
            raise SettingsError(f"{location}.bands", "应为非空列表")
        bands = []
        band_keys = ("lower", "upper", "lower_inclusive", "upper_inclusive", "level", "label")
        for i, raw in enumerate(raw_bands):
            where = f"{location}.bands[{i}]"
            _check_keys(raw, band_keys, where)
            missing = [k for k in band_keys if k not in raw]
            if missing:
                raise SettingsError(where, f"缺少：{'、'.join(missing)}")
            for flag in ("lower_inclusive", "upper_inclusive"):
                if not isinstance(raw[flag], bool):
                    raise SettingsError(f"{where}.{flag}", "应为 true 或 false")
            bands.append(
                Band(
                    lower=None if raw["lower"] is None else _number(raw["lower"], f"{where}.lower"),
                    upper=None if raw["upper"] is None else _number(raw["upper"], f"{where}.upper"),
                    lower_inclusive=raw["lower_inclusive"],
                    upper_inclusive=raw["upper_inclusive"],
                    level=raw["level"],
                    label=str(raw["label"]),
                )
            )
        confidence = str(data.get("confidence", "plan-setting"))
        return cls(
            key=str(data.get("key", location.rsplit(".", 1)[-1])),
            title=str(data.get("title", "计划设定的分档")),
            measure=measure,
            bands=tuple(bands),
            source=str(data.get("source", "计划设定")),
            confidence=confidence,
            note=str(data.get("note", "")),
        )


_HANGZHOU_SOURCE = (
    "杭州市“十二五”节能预警调控方案，转载：http://www.24-hour-golf.com/News/13030.html [V]"
)

#: Hangzhou, first half (上半年): shortfall 0.3–1 pp → I级 yellow, 1–2 pp → II级 orange,
#: >2 pp → III级 red. Hangzhou numbers its levels the other way round (III = worst).
HANGZHOU_FIRST_HALF_BANDS = BandScheme(
    key="hangzhou_first_half",
    title="差距分档（杭州，上半年）",
    measure="shortfall_pp",
    bands=(
        Band(None, 0.3, False, False, 3, "未预警"),
        Band(0.3, 1.0, True, True, 2, "I级（黄色）"),
        Band(1.0, 2.0, False, True, 2, "II级（橙色）"),
        Band(2.0, None, False, False, 1, "III级（红色）"),
    ),
    source=_HANGZHOU_SOURCE,
    confidence="verified-from-source",
    note=(
        "来源写“0.3–1个百分点”“1–2个百分点”“2个百分点以上”，边界值归属未明示；"
        "本平台按“>2”为最高档推断各区间含上端（1个百分点属I级、2个百分点属II级），"
        "差距不足0.3个百分点不预警（边界解读不确定，可按计划调整）。"
        "杭州的等级编号与国家相反（III级最严重），映射为平台等级：III级→一级，II级和I级→二级，未预警→三级。"
    ),
)

#: Hangzhou, first three quarters (前三季度): shortfall <0.5 pp → yellow, 0.5–1 pp → orange,
#: >1 pp → red.
HANGZHOU_FIRST_THREE_QUARTERS_BANDS = BandScheme(
    key="hangzhou_first_three_quarters",
    title="差距分档（杭州，前三季度）",
    measure="shortfall_pp",
    bands=(
        Band(None, 0.0, False, True, 3, "未预警"),
        Band(0.0, 0.5, False, False, 2, "I级（黄色）"),
        Band(0.5, 1.0, True, True, 2, "II级（橙色）"),
        Band(1.0, None, False, False, 1, "III级（红色）"),
    ),
    source=_HANGZHOU_SOURCE,
    confidence="verified-from-source",
    note=(
        "来源写“差距0.5个百分点以内”“0.5–1个百分点”“1个百分点以上”；"
        "本平台按0.5个百分点属橙色档、1个百分点属橙色档、达到要求（差距≤0）不预警解读（边界解读不确定）。"
        "映射：III级（红）→一级，II级（橙）和I级（黄）→二级，未预警→三级。"
    ),
)

#: A prefecture's 2010 plan: completion ratio ≥100 % green, 90–100 % yellow, 50–90 % orange,
#: ≤50 % red.
COMPLETION_RATIO_BANDS = BandScheme(
    key="completion_ratio_2010",
    title="完成率分档（某设区市2010年方案）",
    measure="completion_ratio",
    bands=(
        Band(None, 0.5, False, True, 1, "红色"),
        Band(0.5, 0.9, False, False, 2, "橙色"),
        Band(0.9, 1.0, True, False, 2, "黄色"),
        Band(1.0, None, True, False, 3, "绿色（0级）"),
    ),
    source="某设区市2010年节能预警方案，转载：http://www.kleyou.net/html/text/lar/172153/17215398_1.html [V]",
    confidence="verified-from-source",
    note=(
        "完成率 = 实际降低率 ÷ 要求降低率。来源：≥100%绿色，90%–100%黄色，50%–90%橙色，≤50%红色；"
        "本平台按90%属黄色档、50%属红色档解读。映射：红→一级，橙和黄→二级，绿→三级。"
    ),
)

#: Intensity warning schemes a plan can choose.
INTENSITY_SCHEMES: dict[str, str] = {
    "ndrc": "国家发展改革委晴雨表规则（发改办环资〔2021〕629号）",
    "shortfall_pp": "降低率差距分档（百分点，默认杭州方案）",
    "completion_ratio": "完成率分档（默认某设区市2010年方案）",
}

_WARNING_LABELS: dict[str, str] = {
    "intensity_scheme": "能耗强度预警方案",
    "shortfall_first_half": "差距分档：上半年及以前各期",
    "shortfall_later": "差距分档：上半年以后各期",
    "shortfall_first_half_max_months": "差距分档：累计月数不超过此值用上半年分档",
    "completion_bands": "完成率分档",
    "consumption_red_gap_share": "能源消费增速预警：超出目标的幅度大于目标值的此比例为一级（红）",
    "consumption_gap_measure": "能源消费增速预警：差距按增速（growth_rate）还是按消费量（amount）计算",
}


@dataclass(frozen=True)
class WarningSettings:
    """Which warning scheme a plan uses and the scheme parameters (see ``docs/warnings.md``).

    Parameters
    ----------
    intensity_scheme : {"ndrc", "shortfall_pp", "completion_ratio"}, default "ndrc"
        Intensity warning scheme; ``ndrc`` is the official rule.
    shortfall_first_half : BandScheme
        Bands of ``shortfall_pp`` for year-to-date periods of up to
        ``shortfall_first_half_max_months`` months (default: Hangzhou, first half).
    shortfall_later : BandScheme
        Bands of ``shortfall_pp`` for longer periods (default: Hangzhou, first three quarters).
    shortfall_first_half_max_months : int, default 6
        Hangzhou publishes bands only for H1 and Q1–Q3; which one applies to Q1 and to the
        full year is the platform's reading (uncertain).
    completion_bands : BandScheme
        Bands of ``completion_ratio`` (default: a prefecture's 2010 plan).
    consumption_red_gap_share : float, default 0.10
        Energy-consumption growth: missing the allowed growth by more than this share of the
        target value → 一级 (red), by less or equal → 二级 (yellow). [S] Caixin, 2021-06-04.
    consumption_gap_measure : {"growth_rate", "amount"} or None, default None
        What the 10 % is measured on — not confirmed by any source [U]. ``None`` computes
        both and keeps the more severe level, saying so.
    plan_set : frozenset of str
        Names of the settings the plan set itself.
    """

    intensity_scheme: str = "ndrc"
    shortfall_first_half: BandScheme = HANGZHOU_FIRST_HALF_BANDS
    shortfall_later: BandScheme = HANGZHOU_FIRST_THREE_QUARTERS_BANDS
    shortfall_first_half_max_months: int = 6
    completion_bands: BandScheme = COMPLETION_RATIO_BANDS
    consumption_red_gap_share: float = 0.10
    consumption_gap_measure: Literal["growth_rate", "amount"] | None = None
    plan_set: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        loc = "evaluation.warnings"
        if self.intensity_scheme not in INTENSITY_SCHEMES:
            raise SettingsError(
                f"{loc}.intensity_scheme",
                f"不认识的方案“{self.intensity_scheme}”；可用：{'、'.join(INTENSITY_SCHEMES)}",
            )
        for name, measure in (
            ("shortfall_first_half", "shortfall_pp"),
            ("shortfall_later", "shortfall_pp"),
            ("completion_bands", "completion_ratio"),
        ):
            scheme = getattr(self, name)
            if not isinstance(scheme, BandScheme) or scheme.measure != measure:
                raise SettingsError(f"{loc}.{name}", f"应为按 {measure} 分档的方案")
        months = self.shortfall_first_half_max_months
        if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 12:
            raise SettingsError(
                f"{loc}.shortfall_first_half_max_months", f"应为 1–12 的整数，收到 {months!r}"
            )
        _fraction(self.consumption_red_gap_share, f"{loc}.consumption_red_gap_share")
        if self.consumption_gap_measure not in (None, "growth_rate", "amount"):
            raise SettingsError(
                f"{loc}.consumption_gap_measure",
                f"应为 growth_rate、amount 或留空，收到 {self.consumption_gap_measure!r}",
            )
        unknown = set(self.plan_set) - set(_WARNING_LABELS)
        if unknown:
            raise SettingsError(f"{loc}.plan_set", f"不认识的设置项：{'、'.join(sorted(unknown))}")

    def origin_label(self, name: str) -> str:
        return "计划设定" if name in self.plan_set else "非官方默认值"

    def shortfall_bands_for(self, months: int) -> BandScheme:
        """The ``shortfall_pp`` bands for a year-to-date period of ``months`` months."""
        if months <= self.shortfall_first_half_max_months:
            return self.shortfall_first_half
        return self.shortfall_later

    def to_dict(self) -> dict[str, Any]:
        return {
            "intensity_scheme": self.intensity_scheme,
            "shortfall_first_half": self.shortfall_first_half.to_dict(),
            "shortfall_later": self.shortfall_later.to_dict(),
            "shortfall_first_half_max_months": self.shortfall_first_half_max_months,
            "completion_bands": self.completion_bands.to_dict(),
            "consumption_red_gap_share": self.consumption_red_gap_share,
            "consumption_gap_measure": self.consumption_gap_measure,
            "plan_set": sorted(self.plan_set),
        }

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any], location: str = "evaluation.warnings"
    ) -> WarningSettings:
        """Build from a plan's ``evaluation.warnings`` block; the keys given become plan settings."""
        _check_keys(data, tuple(_WARNING_LABELS), location)
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            where = f"{location}.{key}"
            if key in ("shortfall_first_half", "shortfall_later"):
                kwargs[key] = BandScheme.from_mapping(value, where, "shortfall_pp")
            elif key == "completion_bands":
                kwargs[key] = BandScheme.from_mapping(value, where, "completion_ratio")
            elif key == "consumption_red_gap_share":
                kwargs[key] = _number(value, where)
            else:
                kwargs[key] = value
        return cls(**kwargs, plan_set=frozenset(data))


@dataclass(frozen=True)
class EvaluationSettings:
    """All evaluation settings of a plan: ``status`` thresholds and ``warnings`` schemes."""

    status: StatusSettings = field(default_factory=StatusSettings)
    warnings: WarningSettings = field(default_factory=WarningSettings)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status.to_dict(), "warnings": self.warnings.to_dict()}

    @classmethod
    def from_mapping(
        cls, data: Mapping[str, Any] | None, location: str = "evaluation"
    ) -> EvaluationSettings:
        """Read a plan's ``evaluation`` block (``None`` or ``{}`` → all unofficial defaults).

        Raises
        ------
        SettingsError
            With the location of the first bad setting and how to fix it.
        """
        if data is None:
            return cls()
        _check_keys(data, ("status", "warnings"), location)
        return cls(
            status=StatusSettings.from_mapping(data.get("status") or {}, f"{location}.status"),
            warnings=WarningSettings.from_mapping(
                data.get("warnings") or {}, f"{location}.warnings"
            ),
        )


DEFAULT_STATUS_SETTINGS = StatusSettings()
DEFAULT_WARNING_SETTINGS = WarningSettings()
DEFAULT_SETTINGS = EvaluationSettings()

"""Target status as of a period: value, target, gap, status, reason and explanation.

:func:`target_status` takes a :class:`TargetSpec` (what the plan asks: indicator, value,
comparator, direction, 左右 tolerance, 力争, kind, baseline, deadline) and an
:class:`Observation` (what the data say as of a month) and returns a
:class:`TargetStatusResult` with one of six statuses — 已完成, 进度正常, 滞后, 严重滞后, 无数据,
目标未设定 — a machine-readable :class:`Reason`, flags, a Chinese explanation with the
arithmetic, and a :class:`~ecplan.core.evaluation.trail.Trail`.

The rules, thresholds and their rationale are documented in ``docs/status-rules.md``. In
short:

* the comparator decides whether a value meets a bound: 以上/不低于/达到 include the number
  (≥), 超过 excludes it (>), 不高于/以下 include it (≤), 低于 excludes it (<); ``=`` (为) is
  read as “reach at least” in the better direction, since doing better than a policy target
  is never a failure;
* “左右/约” targets relax the bound by a tolerance in the unfavourable direction (a plan
  setting, shown as such);
* level, share, ratio and relative-change targets compare the year-to-date value with the
  target; cumulative counts and sums compare with the time-proportional requirement
  (序时进度 = target × elapsed months ÷ total months); per-entity rules check every entity;
  milestones check completion and the deadline;
* 力争 (aspirational) targets are never 严重滞后 because of the aspiration: the status is at
  worst 滞后 and says 力争目标.

Every boundary comparison treats numbers equal up to binary rounding (relative 1e-9) as
equal, so a value computed as 0.95000000000000001 meets a “≥ 95 %” bound.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ecplan.core.evaluation._format import diff, pct, qty
from ecplan.core.evaluation.period import YearMonth
from ecplan.core.evaluation.progress import time_proportional_requirement
from ecplan.core.evaluation.settings import (
    DEFAULT_STATUS_SETTINGS,
    StatusSettings,
    Tolerance,
    close,
)
from ecplan.core.evaluation.trail import Trail, TrailInput, TrailStep

__all__ = [
    "Baseline",
    "Comparator",
    "Direction",
    "EntityCheck",
    "EntityValue",
    "Flag",
    "Observation",
    "ObservationError",
    "Reason",
    "Status",
    "TargetKind",
    "TargetSpec",
    "TargetSpecError",
    "TargetStatusResult",
    "comparator_from_wording",
    "target_status",
]


# ---------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------


class Comparator(StrEnum):
    """How a value is compared with the target value."""

    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="

    @property
    def symbol(self) -> str:
        return {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}[self.value]

    @property
    def inclusive(self) -> bool:
        """True when the target number itself meets the bound."""
        return self in (Comparator.GE, Comparator.LE, Comparator.EQ)

    @property
    def words(self) -> str:
        return {">=": "不低于", ">": "超过", "<=": "不高于", "<": "低于", "=": "达到"}[self.value]


_WORDING: dict[str, Comparator] = {
    **dict.fromkeys(
        (
            ">=",
            "≥",
            "以上",
            "及以上",
            "不低于",
            "不少于",
            "至少",
            "达到",
            "达",
            "提升至",
            "提高至",
            "增长至",
        ),
        Comparator.GE,
    ),
    **dict.fromkeys((">", "超过", "高于", "多于", "大于"), Comparator.GT),
    **dict.fromkeys(
        (
            "<=",
            "≤",
            "以下",
            "及以下",
            "不高于",
            "不超过",
            "至多",
            "不大于",
            "下降至",
            "降至",
            "降低至",
            "控制在",
        ),
        Comparator.LE,
    ),
    **dict.fromkeys(("<", "低于", "少于", "小于", "须低于"), Comparator.LT),
    **dict.fromkeys(("=", "为", "等于"), Comparator.EQ),
}


def comparator_from_wording(word: str) -> Comparator:
    """The comparator a Chinese plan wording means.

    以上/不低于/达到/达 → ≥ (the number itself meets it); 超过/高于 → >; 以下/不高于/不超过/
    下降至 → ≤; 低于 → <; 为/等于 → =. Symbols (``>=``, ``≥`` …) are accepted too.

    Raises
    ------
    ValueError
        For an unknown word, listing the accepted ones.
    """
    key = word.strip() if isinstance(word, str) else word
    if key in _WORDING:
        return _WORDING[key]
    raise ValueError(f"不认识的比较用语“{word}”；可用：{'、'.join(_WORDING)}")


class Direction(StrEnum):
    """Which way is better for the indicator."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"

    @property
    def label(self) -> str:
        return "越高越好" if self is Direction.HIGHER_IS_BETTER else "越低越好"


class TargetKind(StrEnum):
    """What kind of target it is, which decides how it is evaluated."""

    LEVEL = "level"
    SHARE = "share"
    RATIO = "ratio"
    RELATIVE_CHANGE = "relative_change"
    CUMULATIVE = "cumulative"
    PER_ENTITY = "per_entity"
    MILESTONE = "milestone"
    COMPARISON = "comparison"

    @property
    def label(self) -> str:
        return {
            "level": "期末水平值",
            "share": "占比",
            "ratio": "比率或强度",
            "relative_change": "较基准年变化",
            "cumulative": "累计量（序时进度）",
            "per_entity": "逐项规则",
            "milestone": "里程碑",
            "comparison": "与另一指标比较",
        }[self.value]

    @property
    def is_level_like(self) -> bool:
        return self in (
            TargetKind.LEVEL,
            TargetKind.SHARE,
            TargetKind.RATIO,
            TargetKind.RELATIVE_CHANGE,
            TargetKind.COMPARISON,
        )

    @classmethod
    def from_plan_kind(cls, kind: str) -> TargetKind:
        """The kind for a plan file's target kind (``amount``/``count`` are cumulative)."""
        mapped = {"amount": "cumulative", "count": "cumulative"}.get(kind, kind)
        return cls(mapped)


class Status(StrEnum):
    """The six statuses; the value is the Chinese label users see."""

    COMPLETED = "已完成"
    ON_TRACK = "进度正常"
    LAGGING = "滞后"
    SEVERELY_LAGGING = "严重滞后"
    NO_DATA = "无数据"
    NOT_SET = "目标未设定"

    @property
    def code(self) -> str:
        """English identifier (``"on_track"``)."""
        return {
            "已完成": "completed",
            "进度正常": "on_track",
            "滞后": "lagging",
            "严重滞后": "severely_lagging",
            "无数据": "no_data",
            "目标未设定": "target_not_set",
        }[self.value]

    @property
    def rank(self) -> int | None:
        """4 = 已完成 (best) … 1 = 严重滞后; ``None`` for 无数据 and 目标未设定."""
        return {"已完成": 4, "进度正常": 3, "滞后": 2, "严重滞后": 1}.get(self.value)


class Reason(StrEnum):
    """Machine-readable reason for a status."""

    TARGET_NOT_SET = "target_not_set"
    NO_DATA = "no_data"
    NO_DATA_IN_WINDOW = "no_data_in_window"
    BASELINE_MISSING = "baseline_missing"
    MET_AT_DEADLINE = "met_at_deadline"
    TARGET_REACHED = "target_reached"
    MEETS_TARGET_TO_DATE = "meets_target_to_date"
    AT_OR_AHEAD_OF_SCHEDULE = "at_or_ahead_of_schedule"
    WITHIN_ON_TRACK_BAND = "within_on_track_band"
    BEHIND_SCHEDULE = "behind_schedule"
    BELOW_TARGET = "below_target"
    MISSED_AT_DEADLINE = "missed_at_deadline"
    CAP_EXCEEDED = "cap_exceeded"
    ALL_ENTITIES_COMPLY = "all_entities_comply"
    NO_ENTITIES_SUBJECT = "no_entities_subject"
    ENTITY_VIOLATIONS = "entity_violations"
    ENTITY_VALUES_MISSING = "entity_values_missing"
    MILESTONE_DONE = "milestone_done"
    MILESTONE_PENDING = "milestone_pending"
    MILESTONE_ON_SCHEDULE = "milestone_on_schedule"
    MILESTONE_BEHIND_SCHEDULE = "milestone_behind_schedule"
    MILESTONE_OVERDUE = "milestone_overdue"
    REFERENCE_MISSING = "reference_missing"


class Flag(StrEnum):
    """Secondary machine-readable facts about a result."""

    FINAL = "final"
    PREVIEW = "preview"
    DATA_LAG = "data_lag"
    DATA_INCOMPLETE = "data_incomplete"
    SINGLE_MONTH = "single_month"
    MET_WITHIN_TOLERANCE = "met_within_tolerance"
    ASPIRATIONAL = "aspirational"
    ASPIRATIONAL_CAPPED = "aspirational_capped"
    SEVERITY_UNGRADED = "severity_ungraded"
    LATE_COMPLETION = "late_completion"
    REACHED_EARLY = "reached_early"


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


class TargetSpecError(ValueError):
    """A target specification is inconsistent.

    Attributes
    ----------
    target_id : str
    field : str
    """

    def __init__(self, target_id: str, field_name: str, message: str) -> None:
        self.target_id = target_id
        self.field = field_name
        super().__init__(f"目标 {target_id} 的 {field_name}：{message}")


class ObservationError(ValueError):
    """An observation is inconsistent (message in Chinese, naming the field)."""


def _finite_or_none(value: object, where: str, error: type[ValueError]) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise error(f"{where} 应为有限数字或空，收到 {value!r}")
    return float(value)


def _as_month(value: object, where: str, error: type[ValueError]) -> YearMonth:
    if isinstance(value, YearMonth):
        return value
    if isinstance(value, str):
        try:
            return YearMonth.parse(value)
        except ValueError as exc:
            raise error(f"{where}：{exc}") from exc
    raise error(f"{where} 应为年月（YYYY-MM），收到 {value!r}")


@dataclass(frozen=True)
class Baseline:
    """Baseline of a relative-change target (“较2023年降低2%”).

    Parameters
    ----------
    year : int
        Baseline year.
    value : float or None
        Indicator value in the baseline year, in the target's unit; ``None`` when it is not
        (yet) known — the status is then 无数据 with reason ``baseline_missing``.
    source : str
        Where the baseline value comes from.
    """

    year: int
    value: float | None
    source: str = ""


@dataclass(frozen=True)
class TargetSpec:
    """What a plan target asks for.

    Parameters
    ----------
    id : str
        Target identifier in the plan.
    indicator : str
        Indicator name in Chinese (``"非化石能源消费占比"``).
    kind : TargetKind
        ``level``/``share``/``ratio``: the value at the deadline; ``relative_change``: change
        against a baseline year; ``cumulative``: a count or sum accumulated from ``start`` to
        ``deadline`` (序时进度); ``per_entity``: a bound every entity must meet (every new
        data centre PUE < 1.2); ``milestone``: something to be done by the deadline.
    deadline : YearMonth or None
        Last month of the target (到2025年底 → 2025-12). ``None``: the plan gives no deadline
        → status 目标未设定.
    value : float or None
        Target value in ``unit``; for ``relative_change`` the signed change as a fraction
        (降低2% → −0.02, 增长16% → 0.16). ``None``: not set in the plan (e.g. “XXX”) → status
        目标未设定. Milestones have no value.
    unit : str
        Unit of the indicator; ``"%"`` means values are fractions shown as percentages.
    comparator : Comparator, default ≥
        See :func:`comparator_from_wording`. Must agree with ``direction``.
    direction : Direction, default higher is better
    approximate : bool
        “左右/约”: the bound is relaxed by a tolerance.
    tolerance : Tolerance, optional
        Tolerance for this target (a plan setting); else the plan's default.
    aspirational : bool
        “力争”: at worst 滞后, never 严重滞后, and labelled 力争目标.
    start : YearMonth, optional
        First month of a cumulative window (default January of the deadline year) or the start
        of a milestone (to pace reported progress).
    baseline : Baseline, optional
        Required for ``relative_change``; not allowed otherwise.
    severe_gap : float, optional
        For targets whose achievement ratio is undefined (target 0 or negative with higher
        is better, comparisons): a shortfall larger than this (in ``unit``) is 严重滞后.
    compare_to : str
        ``comparison`` targets: the other indicator the value is compared with (服务业能耗增速
        不高于其**增加值增速**); its value comes with the observation (``reference_value``).
    text : str
        The plan's wording of the target.
    source : str
        Where in the plan the target is (section, row of the 分解表).
    """

    id: str
    indicator: str
    kind: TargetKind
    deadline: YearMonth | None
    value: float | None = None
    unit: str = ""
    comparator: Comparator = Comparator.GE
    direction: Direction = Direction.HIGHER_IS_BETTER
    approximate: bool = False
    tolerance: Tolerance | None = None
    aspirational: bool = False
    start: YearMonth | None = None
    baseline: Baseline | None = None
    severe_gap: float | None = None
    compare_to: str = ""
    text: str = ""
    source: str = ""

    def __post_init__(self) -> None:
        tid = self.id if isinstance(self.id, str) and self.id else "?"

        def fail(name: str, message: str) -> TargetSpecError:
            return TargetSpecError(tid, name, message)

        if not isinstance(self.id, str) or not self.id.strip():
            raise fail("id", "不能为空")
        if not isinstance(self.indicator, str) or not self.indicator.strip():
            raise fail("indicator", "指标名称不能为空")
        for name, enum in (
            ("kind", TargetKind),
            ("comparator", Comparator),
            ("direction", Direction),
        ):
            raw = getattr(self, name)
            if not isinstance(raw, enum):
                try:
                    converted: StrEnum = (
                        comparator_from_wording(raw)
                        if enum is Comparator and isinstance(raw, str)
                        else enum(raw)
                    )
                except ValueError as exc:
                    allowed = "、".join(m.value for m in enum)
                    raise fail(name, f"取值“{raw}”无效；可用：{allowed}") from exc
                object.__setattr__(self, name, converted)
        for name in ("deadline", "start"):
            raw = getattr(self, name)
            if raw is not None:
                try:
                    object.__setattr__(self, name, _as_month(raw, name, TargetSpecError))
                except TargetSpecError as exc:
                    raise fail(name, str(exc)) from exc
        try:
            object.__setattr__(self, "value", _finite_or_none(self.value, "value", ValueError))
            object.__setattr__(
                self, "severe_gap", _finite_or_none(self.severe_gap, "severe_gap", ValueError)
            )
        except ValueError as exc:
            raise fail("value", str(exc)) from exc
        if self.severe_gap is not None and self.severe_gap < 0:
            raise fail("severe_gap", "不能为负数")
        if self.start is not None and self.deadline is not None and self.start > self.deadline:
            raise fail("start", f"起始月 {self.start} 晚于期限 {self.deadline}")

        higher = self.direction is Direction.HIGHER_IS_BETTER
        if self.comparator in (Comparator.GE, Comparator.GT) and not higher:
            raise fail(
                "comparator",
                f"“{self.comparator.words}”（{self.comparator.symbol}）只适用于越高越好的指标，"
                "但 direction 为越低越好；请核对比较用语或方向",
            )
        if self.comparator in (Comparator.LE, Comparator.LT) and higher:
            raise fail(
                "comparator",
                f"“{self.comparator.words}”（{self.comparator.symbol}）只适用于越低越好的指标，"
                "但 direction 为越高越好；请核对比较用语或方向",
            )
        if self.tolerance is not None:
            if not isinstance(self.tolerance, Tolerance):
                raise fail("tolerance", "应为 Tolerance")
            if not self.approximate:
                raise fail("tolerance", "只有“左右/约”目标（approximate）才能设容差")

        if self.kind is TargetKind.COMPARISON:
            if not (isinstance(self.compare_to, str) and self.compare_to.strip()):
                raise fail("compare_to", "与另一指标比较的目标必须写明比较对象（compare_to）")
            if self.value is not None:
                raise fail("value", "与另一指标比较的目标没有数值，比较对象的值随观测数据给出")
        elif self.compare_to:
            raise fail("compare_to", "只有与另一指标比较（comparison）的目标才有比较对象")
        if self.kind is TargetKind.MILESTONE and self.value is not None:
            raise fail("value", "里程碑目标没有数值；有数值的目标请用 cumulative 或 level 等类型")
        if self.kind is TargetKind.RELATIVE_CHANGE:
            if not isinstance(self.baseline, Baseline):
                raise fail("baseline", "较基准年变化目标必须给出基准（年份和基准值，基准值可暂缺）")
            base = self.baseline
            if isinstance(base.year, bool) or not isinstance(base.year, int):
                raise fail("baseline.year", f"应为整数年份，收到 {base.year!r}")
            if self.deadline is not None and base.year >= self.deadline.year:
                raise fail(
                    "baseline.year", f"基准年 {base.year} 应早于期限年份 {self.deadline.year}"
                )
            try:
                bvalue = _finite_or_none(base.value, "baseline.value", ValueError)
            except ValueError as exc:
                raise fail("baseline.value", str(exc)) from exc
            if bvalue is not None and bvalue <= 0:
                raise fail(
                    "baseline.value",
                    f"基准值应为正数（变化率 = 当前值 ÷ 基准值 − 1），收到 {base.value!r}",
                )
        elif self.baseline is not None:
            raise fail("baseline", "只有较基准年变化（relative_change）目标才有基准")
        if self.kind is TargetKind.CUMULATIVE and self.value is not None and self.value <= 0:
            raise fail("value", f"累计量目标应为正数，收到 {self.value!r}")

    @property
    def window_start(self) -> YearMonth:
        """First month of a cumulative window: ``start`` or January of the deadline year."""
        if self.start is not None:
            return self.start
        if self.deadline is None:
            raise TargetSpecError(self.id, "deadline", "期限未设定，无法确定累计起始月")
        return YearMonth(self.deadline.year, 1)


@dataclass(frozen=True)
class EntityValue:
    """One entity's value for a per-entity rule (a data centre's PUE).

    ``value`` is ``None`` when the entity is known but has not reported.
    """

    entity: str
    value: float | None
    source: str = ""


@dataclass(frozen=True)
class EntityCheck:
    """The result of a per-entity rule for one entity."""

    entity: str
    value: float | None
    complies: bool | None

    def to_dict(self) -> dict[str, Any]:
        return {"entity": self.entity, "value": self.value, "complies": self.complies}


@dataclass(frozen=True)
class Observation:
    """What the data say about a target as of a month.

    Parameters
    ----------
    as_of : YearMonth
        Month the status is evaluated for.
    value_ytd : float, optional
        Year-to-date value: the cumulative sum or count since the window start for cumulative
        targets; the year-to-date level (share, ratio, intensity) otherwise. For
        ``relative_change`` targets, the indicator's own level (the change against the
        baseline is computed). ``None``: no data.
    value_latest : float, optional
        Value of the latest single period (month or quarter), shown only.
    data_through : YearMonth, optional
        Last month the data cover (default ``as_of``). May not be after ``as_of``.
    months_covered : int, optional
        Months that actually have data in the window; fewer than the months elapsed flags
        the result as incomplete. ``None``: every month up to ``data_through``.
    preview : bool
        The value includes unapproved data; the result is a preview.
    entities : tuple of EntityValue, optional
        Per-entity rules: every entity subject to the rule. ``None``: not reported;
        ``()``: reported, no entity subject to the rule.
    milestone_done : bool, optional
        Milestones: done or not; ``None``: not reported.
    milestone_done_on : YearMonth, optional
        Month the milestone was done.
    milestone_progress : float, optional
        Milestones: reported share done (0–1), paced against ``start``–``deadline``.
    reference_value : float, optional
        ``comparison`` targets: the year-to-date value of the indicator compared with.
    source : str
        Description of where the value comes from (``"企业能源月报汇总（已审核）"``).
    trail : Trail, optional
        The value's own calculation trail, embedded as a child of the status trail.
    """

    as_of: YearMonth
    value_ytd: float | None = None
    value_latest: float | None = None
    data_through: YearMonth | None = None
    months_covered: int | None = None
    preview: bool = False
    entities: tuple[EntityValue, ...] | None = None
    milestone_done: bool | None = None
    milestone_done_on: YearMonth | None = None
    milestone_progress: float | None = None
    reference_value: float | None = None
    source: str = ""
    trail: Trail | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "as_of", _as_month(self.as_of, "as_of", ObservationError))
        for name in ("data_through", "milestone_done_on"):
            raw = getattr(self, name)
            if raw is not None:
                object.__setattr__(self, name, _as_month(raw, name, ObservationError))
        for name in ("value_ytd", "value_latest", "milestone_progress", "reference_value"):
            object.__setattr__(
                self, name, _finite_or_none(getattr(self, name), name, ObservationError)
            )
        if self.data_through is not None and self.data_through > self.as_of:
            raise ObservationError(
                f"data_through（数据截止月 {self.data_through}）晚于评价月 as_of {self.as_of}；"
                "评价不能使用评价期之后的数据"
            )
        covered = self.months_covered
        if covered is not None and (
            isinstance(covered, bool) or not isinstance(covered, int) or covered < 0
        ):
            raise ObservationError(f"months_covered（有数据的月数）应为非负整数，收到 {covered!r}")
        progress = self.milestone_progress
        if progress is not None and not 0 <= progress <= 1:
            raise ObservationError(
                f"milestone_progress（完成比例）应在 0–1 之间，收到 {progress!r}"
            )
        if self.milestone_done_on is not None and self.milestone_done is not True:
            raise ObservationError(
                "给出了 milestone_done_on（完成月份），但 milestone_done 不是“已完成”"
            )
        if self.entities is not None:
            entities = tuple(self.entities)
            for i, item in enumerate(entities):
                if not isinstance(item, EntityValue):
                    raise ObservationError(f"entities[{i}] 应为 EntityValue")
                _finite_or_none(
                    item.value, f"entities[{i}].value（{item.entity}）", ObservationError
                )
            object.__setattr__(self, "entities", entities)

    @property
    def through(self) -> YearMonth:
        """Last month the data cover: ``data_through`` or ``as_of``."""
        return self.data_through if self.data_through is not None else self.as_of


# ---------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetStatusResult:
    """Status of one target as of a month.

    Attributes
    ----------
    target_id, indicator, unit : str
    kind : TargetKind
    comparator : Comparator
    direction : Direction
    status : Status
    reason : Reason
    flags : tuple of Flag
    explanation : str
        Chinese, with the arithmetic and the thresholds used.
    as_of : YearMonth
    data_through : YearMonth or None
        Last month of the data used.
    value : float or None
        The value compared: year-to-date level, cumulative amount, change against the
        baseline (fraction) for relative-change targets, the worst entity value for
        per-entity rules, the share done for milestones.
    value_ytd, value_latest : float or None
        As observed.
    target : float or None
        The plan's target value.
    threshold : float or None
        The bound after the 左右 tolerance (= ``target`` when there is none).
    required : float or None
        What is required by ``data_through``: the time-proportional requirement for
        cumulative targets, the expected share for paced milestones, the target otherwise.
    gap : float or None
        ``value − required`` (signed, in the compared unit).
    achievement_ratio : float or None
        How much of the requirement is achieved (see ``docs/status-rules.md``).
    tolerance : Tolerance or None
        Tolerance used, for 左右/约 targets.
    tolerance_origin : str or None
        ``"计划设定"`` or ``"非官方默认值"``.
    aspirational : bool
    final : bool
        The data reach the deadline: the status is the final verdict.
    preview : bool
        Unapproved data included.
    baseline : Baseline or None
    entities : tuple of EntityCheck
    notes : tuple of str
    trail : Trail
    """

    target_id: str
    indicator: str
    unit: str
    kind: TargetKind
    comparator: Comparator
    direction: Direction
    status: Status
    reason: Reason
    flags: tuple[Flag, ...]
    explanation: str
    as_of: YearMonth
    data_through: YearMonth | None
    value: float | None
    value_ytd: float | None
    value_latest: float | None
    target: float | None
    threshold: float | None
    required: float | None
    gap: float | None
    achievement_ratio: float | None
    tolerance: Tolerance | None
    tolerance_origin: str | None
    aspirational: bool
    final: bool
    preview: bool
    baseline: Baseline | None
    entities: tuple[EntityCheck, ...]
    notes: tuple[str, ...]
    trail: Trail

    @property
    def status_label(self) -> str:
        """Status as shown: ``"滞后（力争目标）"`` for aspirational targets, plus 预览."""
        label = self.status.value
        if self.aspirational and self.status.rank is not None:
            label += "（力争目标）"
        if self.preview:
            label += "（预览）"
        return label

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; numbers unrounded."""
        ratio = self.achievement_ratio
        return {
            "id": self.target_id,
            "indicator": self.indicator,
            "unit": self.unit,
            "kind": self.kind.value,
            "comparator": self.comparator.value,
            "direction": self.direction.value,
            "value": self.value,
            "value_ytd": self.value_ytd,
            "value_latest": self.value_latest,
            "target": self.target,
            "threshold": self.threshold,
            "required": self.required,
            "gap": self.gap,
            "achievement_ratio": ratio if ratio is None or math.isfinite(ratio) else None,
            "status": self.status.value,
            "status_code": self.status.code,
            "status_label": self.status_label,
            "reason": self.reason.value,
            "flags": [f.value for f in self.flags],
            "explanation": self.explanation,
            "as_of": str(self.as_of),
            "data_through": None if self.data_through is None else str(self.data_through),
            "tolerance": None if self.tolerance is None else self.tolerance.to_dict(),
            "tolerance_origin": self.tolerance_origin,
            "aspirational": self.aspirational,
            "final": self.final,
            "preview": self.preview,
            "baseline": None
            if self.baseline is None
            else {
                "year": self.baseline.year,
                "value": self.baseline.value,
                "source": self.baseline.source,
            },
            "entities": [e.to_dict() for e in self.entities],
            "notes": list(self.notes),
            "trail": self.trail.to_dict(),
        }


# ---------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------


def _ge(a: float, b: float) -> bool:
    return a > b or close(a, b)


def _le(a: float, b: float) -> bool:
    return a < b or close(a, b)


def _meets(value: float, bound: float, comparator: Comparator, direction: Direction) -> bool:
    if comparator is Comparator.GE or (
        comparator is Comparator.EQ and direction is Direction.HIGHER_IS_BETTER
    ):
        return _ge(value, bound)
    if comparator is Comparator.GT:
        return value > bound and not close(value, bound)
    if comparator is Comparator.LE or comparator is Comparator.EQ:
        return _le(value, bound)
    return value < bound and not close(value, bound)


def _achievement_ratio(value: float, required: float, direction: Direction) -> float | None:
    """How much of ``required`` ``value`` achieves; ``None`` where no ratio is meaningful.

    Higher is better, required > 0: value ÷ required. Lower is better, required > 0:
    required ÷ value (∞ when value ≤ 0). Lower is better, required < 0 (a required fall):
    value ÷ required = achieved fall ÷ required fall.
    """
    if direction is Direction.HIGHER_IS_BETTER:
        return value / required if required > 0 and not close(required, 0) else None
    if required > 0 and not close(required, 0):
        return math.inf if value <= 0 else required / value
    if required < 0 and not close(required, 0):
        return value / required
    return None


def _worse(a: Status, b: Status) -> Status:
    rank_a, rank_b = a.rank or 0, b.rank or 0
    return a if rank_a <= rank_b else b


def _ratio_text(
    value: float, required: float, ratio: float, direction: Direction, unit: str
) -> str:
    if direction is Direction.HIGHER_IS_BETTER:
        return f"{qty(value, unit)} ÷ {qty(required, unit)} = {pct(ratio)}"
    if required > 0:
        if math.isinf(ratio):
            return "实际值不大于0，视为完全达到"
        return f"{qty(required, unit)} ÷ {qty(value, unit)} = {pct(ratio)}"
    return f"实际降幅 {pct(-value)} ÷ 要求降幅 {pct(-required)} = {pct(ratio)}"


class _Builder:
    """Collects the pieces of one result while the rules run."""

    def __init__(
        self,
        spec: TargetSpec,
        obs: Observation,
        settings: StatusSettings,
        plan_version: str | None,
    ) -> None:
        self.spec = spec
        self.obs = obs
        self.settings = settings
        self.plan_version = plan_version
        self.flags: list[Flag] = []
        self.notes: list[str] = []
        self.inputs: list[TrailInput] = []
        self.steps: list[TrailStep] = []
        self.sentences: list[str] = []
        self.settings_used: list[str] = []
        self.value: float | None = None
        self.required: float | None = None
        self.ratio: float | None = None
        self.threshold: float | None = None
        self.entities: tuple[EntityCheck, ...] = ()
        self.formula = ""
        self.tolerance: Tolerance | None = None
        self.tolerance_origin: str | None = None
        self.final = False
        if spec.aspirational:
            self.flags.append(Flag.ASPIRATIONAL)
        if obs.preview:
            self.flags.append(Flag.PREVIEW)
            self.notes.append("含未审核数据（预览），不作为正式评价结果")

    @property
    def deadline(self) -> YearMonth:
        """The deadline; :func:`target_status` settles a missing one before any rule runs."""
        assert self.spec.deadline is not None
        return self.spec.deadline

    # -- building blocks ----------------------------------------------------------------------

    def flag(self, flag: Flag, note: str | None = None) -> None:
        if flag not in self.flags:
            self.flags.append(flag)
        if note and note not in self.notes:
            self.notes.append(note)

    def use_setting(self, name: str) -> None:
        if name not in self.settings_used:
            self.settings_used.append(name)

    def thresholds_phrase(self, items: Sequence[tuple[str, str]]) -> str:
        for _, name in items:
            self.use_setting(name)
        origins = {self.settings.origin_label(name) for _, name in items}
        if origins == {"非官方默认值"}:
            return f"按默认阈值（{'，'.join(t for t, _ in items)}；非官方）"
        if origins == {"计划设定"}:
            return f"按计划设定阈值（{'，'.join(t for t, _ in items)}）"
        parts = "，".join(f"{t}［{self.settings.origin_label(n)}］" for t, n in items)
        return f"按阈值（{parts}）"

    def tolerance_for(self, target: float) -> float:
        spec = self.spec
        if not spec.approximate:
            self.threshold = target
            return target
        if spec.tolerance is not None:
            tol, origin = spec.tolerance, "计划设定"
        else:
            tol = self.settings.approximate_tolerance
            origin = self.settings.origin_label("approximate_tolerance")
            self.use_setting("approximate_tolerance")
        self.tolerance, self.tolerance_origin = tol, origin
        if spec.tolerance is not None:
            self.inputs.append(
                TrailInput(
                    "tolerance",
                    "本目标“左右”容差",
                    f"{tol.kind}:{tol.amount}",
                    "",
                    "计划设定",
                    "plan-setting",
                )
            )
        amount = tol.absolute_for(target)
        bound = target - amount if spec.direction is Direction.HIGHER_IS_BETTER else target + amount
        self.threshold = bound
        return bound

    def target_phrase(
        self, target: float, unit: str, lead: str | None = None, lead_note: str | None = "即变化率"
    ) -> str:
        """``不低于20%左右（“左右”容差…；即≥19.6%）``; ``lead`` replaces the leading words."""
        spec = self.spec
        symbol = spec.comparator.symbol
        if spec.comparator is Comparator.EQ:
            symbol = "≥" if spec.direction is Direction.HIGHER_IS_BETTER else "≤"
        text = lead if lead is not None else f"{spec.comparator.words}{qty(target, unit)}"
        extras = []
        if lead is not None and lead_note is not None:
            extras.append(f"{lead_note}{symbol}{qty(target, unit)}")
        if spec.approximate and self.tolerance is not None and self.threshold is not None:
            tol = self.tolerance
            how = (
                f"目标值的±{pct(tol.amount)}，即±{diff(tol.absolute_for(target), unit)}"
                if tol.kind == "relative"
                else f"±{diff(tol.amount, unit)}"
            )
            text += "左右"
            extras.append(
                f"“左右”容差{how}，{self.tolerance_origin}；视为达到的界限为{symbol}{qty(self.threshold, unit)}"
            )
        if extras:
            text += "（" + "，".join(extras) + "）"
        if spec.aspirational:
            text = "力争" + text
        return text

    def common_inputs(self, target_unit: str) -> None:
        spec, obs = self.spec, self.obs
        self.inputs.append(
            TrailInput(
                "target",
                f"目标值（{spec.comparator.symbol}{'，左右' if spec.approximate else ''}"
                f"{'，力争' if spec.aspirational else ''}）",
                spec.value,
                target_unit,
                spec.source or "计划文本",
            )
        )
        self.inputs.append(
            TrailInput(
                "deadline",
                "目标期限",
                None if spec.deadline is None else str(spec.deadline),
                "",
                spec.source or "计划文本",
            )
        )
        self.inputs.append(TrailInput("as_of", "评价月份", str(obs.as_of)))
        self.inputs.append(
            TrailInput("data_through", "数据截止月份", str(obs.through), "", obs.source or "")
        )

    def period_facts(self) -> None:
        obs = self.obs
        if obs.through < obs.as_of:
            self.flag(
                Flag.DATA_LAG,
                f"评价月份为{obs.as_of.label}，数据截至{obs.through.label}（数据滞后）",
            )

    def latest_words(self, unit: str, label: str = "最近一期为") -> str:
        """``（最近一期为18.2%）`` when the observation has a latest-period value."""
        latest = self.obs.value_latest
        return "" if latest is None else f"（{label}{qty(latest, unit)}）"

    def months_check(self, expected: int) -> None:
        covered = self.obs.months_covered
        if covered is not None and covered < expected:
            self.flag(
                Flag.DATA_INCOMPLETE,
                f"应有{expected}个月的数据，实有{covered}个月；累计值或年内平均值可能不完整",
            )
        if expected == 1 or covered == 1:
            self.flag(Flag.SINGLE_MONTH, "仅有1个月的数据，判断受月度波动影响较大")

    def finish(
        self, status: Status, reason: Reason, *, target: float | None, target_unit: str
    ) -> TargetStatusResult:
        spec, obs, settings = self.spec, self.obs, self.settings
        if spec.aspirational and status is Status.SEVERELY_LAGGING:
            status = Status.LAGGING
            self.flag(Flag.ASPIRATIONAL_CAPPED)
            last = self.sentences[-1] if self.sentences else ""
            verdict = _status_verdict(Status.SEVERELY_LAGGING)
            if last.endswith(verdict):
                self.sentences[-1] = last[: -len(verdict)] + "按阈值本应判为严重滞后"
            self.sentences.append(
                "该目标为“力争”目标，不因未达到力争值而判为严重滞后，最差判为滞后，"
                + _status_verdict(Status.LAGGING)
            )
        if self.final:
            self.flag(Flag.FINAL)
        explanation = "；".join(s.rstrip("。；") for s in self.sentences if s) + "。"
        explanation = explanation.replace("；判定为", "，判定为")
        if obs.preview:
            explanation = "【预览：含未审核数据】" + explanation
        for name in self.settings_used:
            value: Any = getattr(settings, name)
            if isinstance(value, Tolerance):
                value = f"{value.kind}:{value.amount}"
            self.inputs.append(
                TrailInput(
                    f"setting.{name}",
                    f"评价阈值：{settings.label(name)}",
                    value,
                    "",
                    settings.origin_label(name),
                    settings.confidence(name),
                )
            )
        gap = None
        if self.value is not None and self.required is not None:
            gap = self.value - self.required
        trail = Trail(
            title=f"{spec.indicator} 目标状态（{obs.as_of.label}）",
            formula=self.formula,
            inputs=tuple(self.inputs),
            steps=tuple(self.steps),
            plan_version=self.plan_version,
            notes=tuple(self.notes),
            references=("docs/status-rules.md（平台规则，阈值为非官方默认值或计划设定）",),
            children=() if obs.trail is None else (obs.trail,),
        )
        return TargetStatusResult(
            target_id=spec.id,
            indicator=spec.indicator,
            unit=spec.unit,
            kind=spec.kind,
            comparator=spec.comparator,
            direction=spec.direction,
            status=status,
            reason=reason,
            flags=tuple(self.flags),
            explanation=explanation,
            as_of=obs.as_of,
            data_through=obs.through
            if status is not Status.NO_DATA or obs.value_ytd is not None
            else None,
            value=self.value,
            value_ytd=obs.value_ytd,
            value_latest=obs.value_latest,
            target=target,
            threshold=self.threshold,
            required=self.required,
            gap=gap,
            achievement_ratio=self.ratio,
            tolerance=self.tolerance,
            tolerance_origin=self.tolerance_origin,
            aspirational=spec.aspirational,
            final=self.final,
            preview=obs.preview,
            baseline=spec.baseline,
            entities=self.entities,
            notes=tuple(self.notes),
            trail=trail,
        )


def _status_verdict(status: Status) -> str:
    return f"判定为{status.value}"


# -- level, share, ratio, relative change ----------------------------------------------


def _evaluate_level(b: _Builder) -> TargetStatusResult:
    spec, obs, settings = b.spec, b.obs, b.settings
    relative = spec.kind is TargetKind.RELATIVE_CHANGE
    comparison = spec.kind is TargetKind.COMPARISON
    unit = "%" if relative else spec.unit
    b.common_inputs(unit)
    when = f"截至{obs.through.label}"
    if comparison:
        b.inputs.append(
            TrailInput(
                "reference_value",
                f"比较对象：{spec.compare_to}",
                obs.reference_value,
                spec.unit,
                obs.source or "",
            )
        )
        b.formula = f"{spec.indicator} {spec.comparator.symbol} {spec.compare_to}（年初至今）"
        if obs.reference_value is None:
            b.sentences.append(f"{when}没有比较对象“{spec.compare_to}”的数据，无法比较")
            return b.finish(Status.NO_DATA, Reason.REFERENCE_MISSING, target=None, target_unit=unit)
        target = obs.reference_value
    else:
        assert spec.value is not None
        target = spec.value

    if relative:
        assert spec.baseline is not None
        base = spec.baseline
        b.inputs.append(
            TrailInput(
                "baseline_value",
                f"基准值（{base.year}年）",
                base.value,
                spec.unit,
                base.source or "",
            )
        )
        b.formula = "较基准年变化率 = 当前值 ÷ 基准值 − 1；与目标变化率比较"
        if base.value is None:
            b.value = None
            b.sentences.append(
                f"缺少基准年（{base.year}年）的{spec.indicator}数值，无法计算较{base.year}年的变化，"
                "请补录基准值"
            )
            return b.finish(
                Status.NO_DATA, Reason.BASELINE_MISSING, target=target, target_unit=unit
            )
    elif not comparison:
        b.formula = f"年初至今值与目标值比较（{spec.comparator.symbol}）"
    b.inputs.append(
        TrailInput("value_ytd", "年初至今值", obs.value_ytd, spec.unit, obs.source or "")
    )
    b.inputs.append(
        TrailInput("value_latest", "最近一期值", obs.value_latest, spec.unit, obs.source or "")
    )
    if obs.value_ytd is None:
        b.sentences.append(f"{when}没有{spec.indicator}的数据")
        return b.finish(Status.NO_DATA, Reason.NO_DATA, target=target, target_unit=unit)

    b.period_facts()
    b.months_check(YearMonth(obs.through.year, 1).months_through(obs.through))
    if relative:
        assert spec.baseline is not None
        assert spec.baseline.value is not None
        base_value = spec.baseline.value
        value = obs.value_ytd / base_value - 1.0
        b.steps.append(
            TrailStep(
                f"较{spec.baseline.year}年变化率",
                f"{qty(obs.value_ytd, spec.unit)} ÷ {qty(base_value, spec.unit)} − 1 = {pct(value)}",
                value,
                "%",
            )
        )
        change = f"上升{pct(value)}" if value > 0 else f"降低{pct(-value)}" if value < 0 else "持平"
        observed = (
            f"{when}，{spec.indicator}为{qty(obs.value_ytd, spec.unit)}，较{spec.baseline.year}年"
            f"（{qty(base_value, spec.unit)}）{change}（变化率{pct(value)}）"
        )
    else:
        value = obs.value_ytd
        observed = f"{when}，{spec.indicator}年初至今为{qty(value, unit)}{b.latest_words(unit)}"
    b.value = value
    b.required = target
    bound = b.tolerance_for(target)
    b.final = obs.through >= b.deadline
    met = _meets(value, bound, spec.comparator, spec.direction)
    if relative:
        assert spec.baseline is not None
        sense = "降低" if target < 0 else "增长"
        target_text = b.target_phrase(
            target, unit, lead=f"较{spec.baseline.year}年{sense}{pct(abs(target))}"
        )
    elif comparison:
        target_text = b.target_phrase(
            target,
            unit,
            lead=f"{spec.comparator.words}{spec.compare_to}（{qty(target, unit)}）",
            lead_note=None,
        )
    else:
        target_text = b.target_phrase(target, unit)
    b.sentences.append(f"{observed}，目标为{target_text}（期限{b.deadline.label}）")

    if met:
        if spec.approximate and not _meets(value, target, spec.comparator, spec.direction):
            b.flag(Flag.MET_WITHIN_TOLERANCE)
            b.sentences.append("未达到目标值本身，但在“左右”容差之内，视为达到")
        else:
            b.sentences.append("已达到目标")
        if b.final:
            b.sentences.append(f"数据已覆盖至期限，{_status_verdict(Status.COMPLETED)}")
            return b.finish(
                Status.COMPLETED, Reason.MET_AT_DEADLINE, target=target, target_unit=unit
            )
        b.sentences.append(f"尚未到期（期末值可能变化），{_status_verdict(Status.ON_TRACK)}")
        return b.finish(
            Status.ON_TRACK, Reason.MEETS_TARGET_TO_DATE, target=target, target_unit=unit
        )

    reason = Reason.MISSED_AT_DEADLINE if b.final else Reason.BELOW_TARGET
    short = (
        f"比目标低{diff(target - value, unit)}"
        if spec.direction is Direction.HIGHER_IS_BETTER
        else f"比目标高{diff(value - target, unit)}"
    )
    b.sentences.append(f"目标期已结束仍未达到，{short}" if b.final else f"未达到目标，{short}")
    ratio = None if comparison else _achievement_ratio(value, target, spec.direction)
    b.ratio = ratio
    if ratio is not None:
        b.steps.append(
            TrailStep(
                "达成度",
                _ratio_text(value, target, ratio, spec.direction, unit),
                ratio if math.isfinite(ratio) else None,
                "%",
            )
        )
        limit = settings.level_lagging_ratio
        status = Status.LAGGING if _ge(ratio, limit) else Status.SEVERELY_LAGGING
        phrase = b.thresholds_phrase(
            [(f"达成度≥{pct(limit)}为滞后、<{pct(limit)}为严重滞后", "level_lagging_ratio")]
        )
        b.sentences.append(
            f"达成度 {_ratio_text(value, target, ratio, spec.direction, unit)}，{phrase}{_status_verdict(status)}"
        )
    elif spec.severe_gap is not None:
        shortfall = abs(value - target)
        status = (
            Status.SEVERELY_LAGGING
            if shortfall > spec.severe_gap and not close(shortfall, spec.severe_gap)
            else Status.LAGGING
        )
        b.sentences.append(
            f"{'与另一指标比较' if comparison else '目标值为' + qty(target, unit)}，无法计算达成度；按计划设定，差距超过{diff(spec.severe_gap, unit)}为严重滞后，"
            f"{_status_verdict(status)}"
        )
    else:
        status = Status.LAGGING
        b.flag(
            Flag.SEVERITY_UNGRADED,
            "达成度无意义（目标值为0、越高越好而目标为负，或与另一指标比较），且未设定严重滞后差距（severe_gap），未区分严重程度",
        )
        b.sentences.append(f"无法计算达成度，且计划未设定严重滞后差距，{_status_verdict(status)}")
    return b.finish(status, reason, target=target, target_unit=unit)


# -- cumulative ------------------------------------------------------------------------


def _evaluate_cumulative(b: _Builder) -> TargetStatusResult:
    spec, obs, settings = b.spec, b.obs, b.settings
    assert spec.value is not None
    target, unit = spec.value, spec.unit
    start = spec.window_start
    b.common_inputs(unit)
    b.inputs.append(
        TrailInput("window_start", "累计起始月份", str(start), "", spec.source or "计划文本")
    )
    b.inputs.append(TrailInput("value_ytd", "累计值", obs.value_ytd, unit, obs.source or ""))
    b.inputs.append(
        TrailInput("value_latest", "最近一期新增", obs.value_latest, unit, obs.source or "")
    )
    b.formula = "序时进度 = 目标值 × 已过月数 ÷ 总月数；完成序时进度比例 = 累计值 ÷ 序时进度"
    if spec.direction is Direction.LOWER_IS_BETTER:
        b.formula = "序时进度（控制上限）= 目标值 × 已过月数 ÷ 总月数；完成比例 = 序时进度 ÷ 累计值"
    if obs.value_ytd is None:
        b.sentences.append(f"截至{obs.through.label}没有{spec.indicator}的数据")
        return b.finish(Status.NO_DATA, Reason.NO_DATA, target=target, target_unit=unit)
    if obs.through < start:
        b.sentences.append(
            f"数据截至{obs.through.label}，早于累计起始月{start.label}，窗口内尚无数据"
        )
        return b.finish(Status.NO_DATA, Reason.NO_DATA_IN_WINDOW, target=target, target_unit=unit)

    b.period_facts()
    tp = time_proportional_requirement(
        target, start=start, deadline=b.deadline, through=obs.through, unit=unit
    )
    b.months_check(tp.months_elapsed)
    b.steps.append(tp.step(unit))
    value = obs.value_ytd
    b.value, b.required = value, tp.required
    b.final = obs.through >= b.deadline
    bound = b.tolerance_for(target)
    full_met = _meets(value, bound, spec.comparator, spec.direction)
    period_words = (
        f"{start.label}至{tp.through.label}"
        if start.year != tp.through.year or start.month != 1
        else f"截至{tp.through.label}"
    )
    b.sentences.append(
        f"{period_words}，{spec.indicator}累计{qty(value, unit)}{b.latest_words(unit, '最近一期新增')}，目标为{b.target_phrase(target, unit)}"
        f"（{start.label}至{b.deadline.label}）"
    )
    progress_items = [
        (f"完成序时进度≥{pct(settings.on_track_ratio)}为进度正常", "on_track_ratio"),
        (
            f"{pct(settings.lagging_ratio)}（含）至{pct(settings.on_track_ratio)}为滞后、"
            f"<{pct(settings.lagging_ratio)}为严重滞后",
            "lagging_ratio",
        ),
    ]

    def grade(ratio: float) -> Status:
        if _ge(ratio, 1.0) or _ge(ratio, settings.on_track_ratio):
            return Status.ON_TRACK
        if _ge(ratio, settings.lagging_ratio):
            return Status.LAGGING
        return Status.SEVERELY_LAGGING

    if spec.direction is Direction.HIGHER_IS_BETTER:
        if full_met:
            if spec.approximate and not _meets(value, target, spec.comparator, spec.direction):
                b.flag(Flag.MET_WITHIN_TOLERANCE)
                b.sentences.append("在“左右/约”容差之内，视为达到全期目标")
            else:
                b.sentences.append("已达到全期目标")
            if not b.final:
                b.flag(Flag.REACHED_EARLY)
                b.sentences.append(
                    f"提前完成（累计量不会因后续月份减少），{_status_verdict(Status.COMPLETED)}"
                )
            else:
                b.sentences.append(_status_verdict(Status.COMPLETED))
            b.ratio = value / tp.required
            return b.finish(
                Status.COMPLETED, Reason.TARGET_REACHED, target=target, target_unit=unit
            )
        ratio = value / tp.required
        b.ratio = ratio
        status = grade(ratio)
        b.steps.append(
            TrailStep(
                "完成序时进度比例",
                f"{qty(value, unit)} ÷ {qty(tp.required, unit)} = {pct(ratio)}",
                ratio,
                "%",
            )
        )
        if b.final:
            status = _worse(status, Status.LAGGING)
            b.sentences.append(
                f"目标期已结束，未达到全期目标，完成目标的{pct(ratio)}（{qty(value, unit)} ÷ {qty(target, unit)}），"
                f"{b.thresholds_phrase(progress_items[1:])}{_status_verdict(status)}"
            )
            return b.finish(status, Reason.MISSED_AT_DEADLINE, target=target, target_unit=unit)
        b.sentences.append(
            f"序时进度应为{qty(tp.required, unit)}（{tp.expression}），完成序时进度的{pct(ratio)}，"
            f"{b.thresholds_phrase(progress_items)}{_status_verdict(status)}"
        )
        reason = (
            Reason.AT_OR_AHEAD_OF_SCHEDULE
            if _ge(ratio, 1.0)
            else Reason.WITHIN_ON_TRACK_BAND
            if status is Status.ON_TRACK
            else Reason.BEHIND_SCHEDULE
        )
        return b.finish(status, reason, target=target, target_unit=unit)

    # lower is better: a cap on a cumulative quantity (energy budget, coal use)
    ratio = math.inf if value <= 0 else tp.required / value
    b.ratio = ratio
    if math.isfinite(ratio):
        b.steps.append(
            TrailStep(
                "完成比例（上限 ÷ 实际）",
                f"{qty(tp.required, unit)} ÷ {qty(value, unit)} = {pct(ratio)}",
                ratio,
                "%",
            )
        )
    if b.final and full_met:
        b.sentences.append(f"目标期已结束，累计值未超过上限，{_status_verdict(Status.COMPLETED)}")
        return b.finish(Status.COMPLETED, Reason.MET_AT_DEADLINE, target=target, target_unit=unit)
    status = grade(ratio)
    ratio_words = (
        "实际值不大于0"
        if math.isinf(ratio)
        else f"{qty(tp.required, unit)} ÷ {qty(value, unit)} = {pct(ratio)}"
    )
    if not full_met:
        status = _worse(status, Status.LAGGING)
        b.sentences.append(
            f"已超过全期上限{qty(bound, unit)}，按序时上限{qty(tp.required, unit)}（{tp.expression}）计完成比例 {ratio_words}，"
            f"{b.thresholds_phrase(progress_items)}；已超上限，最好也只判为滞后，{_status_verdict(status)}"
        )
        return b.finish(status, Reason.CAP_EXCEEDED, target=target, target_unit=unit)
    b.sentences.append(
        f"序时上限应为{qty(tp.required, unit)}（{tp.expression}），完成比例（上限 ÷ 实际）{ratio_words}，"
        f"{b.thresholds_phrase(progress_items)}{_status_verdict(status)}"
    )
    reason = (
        Reason.AT_OR_AHEAD_OF_SCHEDULE
        if _ge(ratio, 1.0)
        else Reason.WITHIN_ON_TRACK_BAND
        if status is Status.ON_TRACK
        else Reason.BEHIND_SCHEDULE
    )
    return b.finish(status, reason, target=target, target_unit=unit)


# -- per-entity rule -------------------------------------------------------------------


def _evaluate_per_entity(b: _Builder) -> TargetStatusResult:
    spec, obs, settings = b.spec, b.obs, b.settings
    assert spec.value is not None
    target, unit = spec.value, spec.unit
    b.common_inputs(unit)
    b.formula = (
        f"每个对象的值须{spec.comparator.symbol}目标值；符合比例 = 符合对象数 ÷ 有数据对象数"
    )
    when = f"截至{obs.through.label}"
    if obs.entities is None:
        b.sentences.append(f"{when}未报告适用“{spec.indicator}”规则的对象情况")
        return b.finish(Status.NO_DATA, Reason.NO_DATA, target=target, target_unit=unit)
    b.period_facts()
    b.final = obs.through >= b.deadline
    bound = b.tolerance_for(target)
    rule = b.target_phrase(target, unit)
    b.inputs.append(
        TrailInput(
            "entities",
            "各对象的值",
            tuple(f"{e.entity}={'' if e.value is None else repr(e.value)}" for e in obs.entities),
            unit,
            obs.source or "",
        )
    )
    checks = tuple(
        EntityCheck(
            e.entity,
            e.value,
            None if e.value is None else _meets(e.value, bound, spec.comparator, spec.direction),
        )
        for e in obs.entities
    )
    b.entities = checks
    if not checks:
        b.sentences.append(f"{when}，没有适用“{spec.indicator}{rule}”规则的对象")
        status = Status.COMPLETED if b.final else Status.ON_TRACK
        b.sentences.append(_status_verdict(status))
        return b.finish(status, Reason.NO_ENTITIES_SUBJECT, target=target, target_unit=unit)
    present = [c for c in checks if c.complies is not None]
    missing = [c.entity for c in checks if c.complies is None]
    if missing:
        b.flag(
            Flag.DATA_INCOMPLETE,
            f"{len(missing)}个对象未报告数值：{'、'.join(missing[:10])}{'等' if len(missing) > 10 else ''}",
        )
    if not present:
        b.sentences.append(f"{when}，适用规则的{len(checks)}个对象均未报告{spec.indicator}")
        return b.finish(
            Status.NO_DATA, Reason.ENTITY_VALUES_MISSING, target=target, target_unit=unit
        )
    values = [c.value for c in present if c.value is not None]
    worst = min(values) if spec.direction is Direction.HIGHER_IS_BETTER else max(values)
    b.value, b.required = worst, target
    breaches = [c for c in present if c.complies is False]
    share = (len(present) - len(breaches)) / len(present)
    b.ratio = share
    b.steps.append(
        TrailStep(
            "符合比例",
            f"{len(present) - len(breaches)} ÷ {len(present)} = {pct(share)}",
            share,
            "%",
        )
    )
    head = f"{when}，适用“{spec.indicator}{rule}”规则且有数据的对象{len(present)}个"
    if not breaches:
        status = Status.COMPLETED if b.final else Status.ON_TRACK
        b.sentences.append(
            f"{head}，全部符合（最不利值{qty(worst, unit)}），{_status_verdict(status)}"
        )
        reason = Reason.ALL_ENTITIES_COMPLY
        return b.finish(status, reason, target=target, target_unit=unit)
    named = "、".join(
        f"{c.entity}（{qty(c.value, unit)}）" for c in breaches[:10] if c.value is not None
    )
    more = f"等{len(breaches)}个" if len(breaches) > 10 else ""
    limit = settings.entity_lagging_share
    status = Status.LAGGING if _ge(share, limit) else Status.SEVERELY_LAGGING
    phrase = b.thresholds_phrase(
        [(f"符合比例≥{pct(limit)}为滞后、<{pct(limit)}为严重滞后", "entity_lagging_share")]
    )
    b.sentences.append(
        f"{head}，{len(breaches)}个不符合：{named}{more}；符合比例{pct(share)}，{phrase}{_status_verdict(status)}"
    )
    return b.finish(status, Reason.ENTITY_VIOLATIONS, target=target, target_unit=unit)


# -- milestone -------------------------------------------------------------------------


def _evaluate_milestone(b: _Builder) -> TargetStatusResult:
    spec, obs, settings = b.spec, b.obs, b.settings
    b.common_inputs("")
    b.inputs.append(
        TrailInput("milestone_done", "是否完成", obs.milestone_done, "", obs.source or "")
    )
    b.inputs.append(
        TrailInput(
            "milestone_progress", "报告的完成比例", obs.milestone_progress, "%", obs.source or ""
        )
    )
    b.formula = "完成 → 已完成；逾期未完成 → 严重滞后；未到期时按报告的完成比例与时间进度比较"
    subject = spec.text or spec.indicator
    when = f"截至{obs.as_of.label}"
    if obs.milestone_done is None:
        b.sentences.append(f"{when}未报告“{subject}”的完成情况")
        return b.finish(Status.NO_DATA, Reason.NO_DATA, target=None, target_unit="")
    b.period_facts()
    b.final = obs.as_of >= b.deadline
    if obs.milestone_done:
        b.value = 1.0
        done_on = obs.milestone_done_on
        if done_on is not None and done_on > b.deadline:
            b.flag(Flag.LATE_COMPLETION, f"于{done_on.label}完成，晚于期限{b.deadline.label}")
            b.sentences.append(
                f"“{subject}”已于{done_on.label}完成（逾期，期限{b.deadline.label}）"
            )
        else:
            on = f"于{done_on.label}" if done_on is not None else ""
            b.sentences.append(f"“{subject}”已{on}完成（期限{b.deadline.label}）")
        b.sentences.append(_status_verdict(Status.COMPLETED))
        return b.finish(Status.COMPLETED, Reason.MILESTONE_DONE, target=None, target_unit="")
    b.value = obs.milestone_progress
    if obs.as_of > b.deadline:
        b.sentences.append(
            f"{when}，“{subject}”仍未完成，已超过期限{b.deadline.label}，{_status_verdict(Status.SEVERELY_LAGGING)}"
        )
        return b.finish(
            Status.SEVERELY_LAGGING, Reason.MILESTONE_OVERDUE, target=None, target_unit=""
        )
    progress = obs.milestone_progress
    if progress is None or spec.start is None or obs.as_of < spec.start:
        if progress is None:
            why = "未报告完成比例"
        elif spec.start is None:
            why = "计划未给出起始月份，无法按时间进度比较"
        else:  # evaluated before the milestone's window opens: no time has elapsed yet
            why = (
                f"计划起始月份{spec.start.label}未到，尚不按时间进度比较（报告完成{pct(progress)}）"
            )
        b.sentences.append(
            f"{when}，“{subject}”尚未完成，期限{b.deadline.label}未到；{why}，暂{_status_verdict(Status.ON_TRACK)}"
        )
        return b.finish(Status.ON_TRACK, Reason.MILESTONE_PENDING, target=None, target_unit="")
    tp = time_proportional_requirement(
        1.0, start=spec.start, deadline=b.deadline, through=obs.as_of
    )
    expected = tp.required
    b.required = expected
    b.steps.append(
        TrailStep(
            "应完成比例（时间进度）",
            f"{tp.months_elapsed} ÷ {tp.months_total} = {pct(expected)}",
            expected,
            "%",
        )
    )
    ratio = progress / expected
    b.ratio = ratio
    b.steps.append(
        TrailStep(
            "完成时间进度比例", f"{pct(progress)} ÷ {pct(expected)} = {pct(ratio)}", ratio, "%"
        )
    )
    if _ge(ratio, 1.0) or _ge(ratio, settings.on_track_ratio):
        status = Status.ON_TRACK
    elif _ge(ratio, settings.lagging_ratio):
        status = Status.LAGGING
    else:
        status = Status.SEVERELY_LAGGING
    phrase = b.thresholds_phrase(
        [
            (f"≥{pct(settings.on_track_ratio)}为进度正常", "on_track_ratio"),
            (f"<{pct(settings.lagging_ratio)}为严重滞后", "lagging_ratio"),
        ]
    )
    b.sentences.append(
        f"{when}，“{subject}”报告完成{pct(progress)}，按时间进度（{spec.start.label}至{b.deadline.label}，"
        f"已过{tp.months_elapsed}/{tp.months_total}个月）应完成{pct(expected)}，完成时间进度的{pct(ratio)}，"
        f"{phrase}{_status_verdict(status)}"
    )
    reason = (
        Reason.MILESTONE_ON_SCHEDULE
        if status is Status.ON_TRACK
        else Reason.MILESTONE_BEHIND_SCHEDULE
    )
    return b.finish(status, reason, target=None, target_unit="")


# ---------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------


def target_status(
    spec: TargetSpec,
    observation: Observation,
    *,
    settings: StatusSettings | None = None,
    plan_version: str | None = None,
) -> TargetStatusResult:
    """Status of a plan target as of a month, with reason, explanation and trail.

    Parameters
    ----------
    spec : TargetSpec
        What the plan asks.
    observation : Observation
        What the data say as of ``observation.as_of``.
    settings : StatusSettings, optional
        The plan's thresholds; default :data:`DEFAULT_STATUS_SETTINGS` (unofficial).
    plan_version : str, optional
        Recorded in the trail.

    Returns
    -------
    TargetStatusResult

    Notes
    -----
    Precedence: a target with no value or no deadline → 目标未设定 (the observed value is
    still shown); a
    relative-change target with no baseline value → 无数据 (``baseline_missing``); no data →
    无数据; otherwise the rules of the kind (``docs/status-rules.md``). Aspirational (力争)
    targets are capped at 滞后.

    Examples
    --------
    >>> spec = TargetSpec(
    ...     id="retrofit-projects", indicator="绿色化改造项目", kind=TargetKind.CUMULATIVE,
    ...     deadline=YearMonth(2025, 12), value=100, unit="项",
    ... )
    >>> r = target_status(spec, Observation(as_of=YearMonth(2025, 9), value_ytd=72))
    >>> r.status.value, r.required, round(r.achievement_ratio, 2)
    ('进度正常', 75.0, 0.96)
    """
    if not isinstance(spec, TargetSpec):
        raise TypeError("spec 应为 TargetSpec")
    if not isinstance(observation, Observation):
        raise TypeError("observation 应为 Observation")
    used = settings if settings is not None else DEFAULT_STATUS_SETTINGS
    b = _Builder(spec, observation, used, plan_version)

    valueless = (TargetKind.MILESTONE, TargetKind.COMPARISON)
    if spec.deadline is None or (spec.value is None and spec.kind not in valueless):
        unit = "%" if spec.kind is TargetKind.RELATIVE_CHANGE else spec.unit
        b.common_inputs(unit)
        b.inputs.append(
            TrailInput(
                "value_ytd", "年初至今值", observation.value_ytd, spec.unit, observation.source
            )
        )
        b.formula = "目标值未设定，不作判定"
        b.value = observation.value_ytd if spec.kind is not TargetKind.RELATIVE_CHANGE else None
        if spec.kind is TargetKind.RELATIVE_CHANGE and observation.value_ytd is not None:
            base = spec.baseline
            if base is not None and base.value is not None:
                b.value = observation.value_ytd / base.value - 1.0
        shown = ""
        if observation.value_ytd is not None:
            shown = f"；截至{observation.through.label}实际为{qty(observation.value_ytd, spec.unit)}（仅展示）"
        wording = f"（计划原文：{spec.text}）" if spec.text else ""
        missing = [
            name
            for name, absent in (
                ("目标值", spec.value is None and spec.kind not in valueless),
                ("期限", spec.deadline is None),
            )
            if absent
        ]
        what = "和".join(missing)
        b.sentences.append(
            f"计划未给出“{spec.indicator}”的{what}{wording}{shown}；{what}确定后方可判定"
        )
        return b.finish(Status.NOT_SET, Reason.TARGET_NOT_SET, target=spec.value, target_unit=unit)

    if spec.kind.is_level_like:
        return _evaluate_level(b)
    if spec.kind is TargetKind.CUMULATIVE:
        return _evaluate_cumulative(b)
    if spec.kind is TargetKind.PER_ENTITY:
        return _evaluate_per_entity(b)
    return _evaluate_milestone(b)

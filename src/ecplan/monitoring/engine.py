"""The plan evaluation: every target, milestone, rule and binding target of a plan version as of
a month, and the 晴雨表 of the city and its county-level areas.

:func:`evaluate` wires the data (:mod:`ecplan.monitoring.data`), the indicator computations
(:mod:`ecplan.monitoring.indicators`) and the core's rules (``target_status``,
``annual_requirement``, ``assess_intensity_warning``, ``assess_consumption_warning``) with
the plan's own settings, and returns an in-memory :class:`Evaluation`. Storing it is
:func:`ecplan.monitoring.services.run_evaluation`'s job. ``docs/evaluation.md`` describes the
wiring; ``docs/indicators.md`` every indicator.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ecplan.core import FactorLibrary
from ecplan.core.evaluation import (
    Baseline,
    Comparator,
    Direction,
    EntityValue,
    EvaluationSettings,
    FactorSetRef,
    Observation,
    SettingsError,
    SourceRef,
    StatusSettings,
    TargetKind,
    TargetSpec,
    TargetStatusResult,
    Tolerance,
    Trail,
    WarningPeriod,
    WarningSettings,
    YearMonth,
    annual_requirement,
    assess_consumption_warning,
    assess_intensity_warning,
    target_status,
)
from ecplan.core.plan.vocabulary import INDICATORS as PLAN_INDICATORS
from ecplan.core.plan.vocabulary import UNITS
from ecplan.monitoring.data import DataContext, fingerprint, library_fingerprint, system_rows
from ecplan.monitoring.display import num, pct
from ecplan.monitoring.indicators import (
    Measurement,
    Query,
    benchmark_capacity,
    entities_reported,
    measure,
    pue_new_dc,
    reported_level,
)
from ecplan.monitoring.models import BindingIndicator, BindingTarget, TargetValue
from ecplan.monitoring.regional import Change, annual_figures, period_label, ytd_change
from ecplan.monitoring.trails import Missing, TrailBuilder
from ecplan.organisations.models import Area
from ecplan.plans.models import (
    Mention,
    Milestone,
    PlanSetting,
    PlanVersion,
    Responsibility,
    Rule,
    Target,
)
from ecplan.reporting.models import IndicatorAssignment

__all__ = [
    "ENGINE_VERSION",
    "AreaOutcome",
    "Evaluation",
    "PlanContext",
    "TargetOutcome",
    "evaluate",
    "input_fingerprint",
    "load_plan_context",
    "text_done",
]

#: Changes whenever the evaluation wiring changes what it computes: part of every run's
#: fingerprint, so a stored run is never reused across versions of these rules.
ENGINE_VERSION = "1"

_DONE_WORDS = frozenset(
    {
        "已完成",
        "完成",
        "已关停",
        "已关闭",
        "已退出",
        "已淘汰",
        "已投产",
        "已建成",
        "是",
        "符合",
        "已实行",
        "达标",
        "已达到",
        "达到",
        "done",
    }
)
_NOT_DONE_WORDS = frozenset(
    {
        "未完成",
        "推进中",
        "进行中",
        "在建",
        "部分关停",
        "否",
        "不符合",
        "未实行",
        "未达到",
        "未开工",
        "未达标",
        "open",
        "in_progress",
    }
)


def _norm_text(text: str) -> str:
    return "".join((text or "").split())


def text_done(text: str) -> bool | None:
    """``True``/``False`` for a reported status text, ``None`` when it is not recognised."""
    t = _norm_text(text)
    if t in _DONE_WORDS or (t.startswith("已") and t not in _NOT_DONE_WORDS and "未" not in t):
        return True
    if t in _NOT_DONE_WORDS or t.startswith(("未", "不")):
        return False
    return None


# -- the plan ------------------------------------------------------------------------------------


@dataclass
class PlanContext:
    """A plan version with everything the evaluation needs from the plans and monitoring apps."""

    version: PlanVersion
    settings: EvaluationSettings
    setting_values: dict[str, Any]
    setting_confirmed: dict[str, bool]
    setting_rows: list[PlanSetting]
    targets: list[Target]
    milestones: list[Milestone]
    rules: list[Rule]
    organisations: dict[tuple[str, str], list[tuple[int, str]]]
    tasks: dict[tuple[str, str], int | None]
    bindings: dict[tuple[str, int], BindingTarget]
    target_values: dict[str, TargetValue]
    settings_origin: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.version.plan.code} {self.version.label}（{self.version.status}）"

    def binding(self, indicator: str, area_id: int) -> BindingTarget | None:
        return self.bindings.get((indicator, area_id))


def evaluation_settings(rows: Iterable[PlanSetting]) -> tuple[EvaluationSettings, dict[str, str]]:
    """The core's settings from a plan's settings rows (unknown keys are ignored).

    ``approx_tolerance_relative`` → the default tolerance of 左右/约 targets; ``status_*`` →
    status thresholds; ``intensity_warning_scheme``, ``consumption_red_gap_share``,
    ``consumption_gap_measure`` → warning settings. Everything else stays an unofficial
    default.
    """
    status: dict[str, Any] = {}
    warnings: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for row in rows:
        value = row.value
        note = "计划设定" + ("" if row.confirmed else "（未确认）")
        if row.key == "approx_tolerance_relative" and isinstance(value, int | float | str):
            status["approximate_tolerance"] = {"kind": "relative", "amount": float(value)}
            origin["approximate_tolerance"] = note
        elif row.key.startswith("status_") and isinstance(value, int | float | str):
            status[row.key.removeprefix("status_")] = float(value)
            origin[row.key.removeprefix("status_")] = note
        elif row.key == "intensity_warning_scheme":
            warnings["intensity_scheme"] = str(value)
            origin["intensity_scheme"] = note
        elif row.key == "consumption_red_gap_share":
            warnings["consumption_red_gap_share"] = float(value)
            origin["consumption_red_gap_share"] = note
        elif row.key == "consumption_gap_measure":
            warnings["consumption_gap_measure"] = str(value)
            origin["consumption_gap_measure"] = note
        elif row.key == "shortfall_first_half_max_months":
            warnings["shortfall_first_half_max_months"] = int(value)
            origin["shortfall_first_half_max_months"] = note
    try:
        return (
            EvaluationSettings(
                status=StatusSettings.from_mapping(status),
                warnings=WarningSettings.from_mapping(warnings),
            ),
            origin,
        )
    except SettingsError as exc:
        raise ValueError(f"计划设置有误：{exc}") from exc


@dataclass(frozen=True)
class _VersionContent:
    """What a plan version holds that never changes (a loaded version is never edited)."""

    setting_rows: list[PlanSetting]
    settings: EvaluationSettings
    origin: dict[str, str]
    targets: list[Target]
    milestones: list[Milestone]
    rules: list[Rule]
    tasks: dict[tuple[str, str], int | None]
    organisations: dict[tuple[str, str], list[tuple[int, str]]]


_VERSION_CACHE: dict[tuple[int, str, str], _VersionContent] = {}


def _version_content(version: PlanVersion) -> _VersionContent:
    """The immutable content of a plan version, read once per process (keyed by the version,
    its content hash and load time, so a reloaded database never meets stale rows)."""
    key = (version.pk, version.content_hash, version.loaded_at.isoformat())
    cached = _VERSION_CACHE.get(key)
    if cached is not None:
        return cached
    setting_rows = list(system_rows(PlanSetting).filter(version=version).order_by("position"))
    settings, origin = evaluation_settings(setting_rows)
    targets = list(system_rows(Target).filter(version=version).order_by("position"))
    milestones = list(system_rows(Milestone).filter(version=version).order_by("position"))
    rules = list(system_rows(Rule).filter(version=version).order_by("position"))
    places: dict[tuple[str, int], list[tuple[str, str]]] = defaultdict(list)
    tasks: dict[tuple[str, str], int | None] = {}
    for m in (
        system_rows(Mention)
        .filter(version=version)
        .select_related("target", "milestone", "rule", "task", "table_row__task")
    ):
        obj = m.target or m.milestone or m.rule
        if obj is None:
            continue
        kind = "target" if m.target else "milestone" if m.milestone else "rule"
        key_ = (kind, obj.key)
        for place_kind in ("section", "task", "table_row"):
            pid = getattr(m, f"{place_kind}_id")
            if pid:
                places[(place_kind, pid)].append(key_)
        task = m.task or (m.table_row.task if m.table_row else None)
        if task is not None and tasks.get(key_) is None:
            tasks[key_] = task.number
        tasks.setdefault(key_, None)
    organisations: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for r in (
        system_rows(Responsibility)
        .filter(version=version, organisation__isnull=False)
        .select_related("organisation")
    ):
        for place_kind in ("section", "task", "table_row"):
            pid = getattr(r, f"{place_kind}_id")
            if not pid:
                continue
            for key_ in places.get((place_kind, pid), []):
                entry = (r.organisation_id, r.organisation.name)
                if entry not in organisations[key_]:
                    organisations[key_].append(entry)
    content = _VersionContent(
        setting_rows, settings, origin, targets, milestones, rules, tasks, dict(organisations)
    )
    if len(_VERSION_CACHE) > 16:
        _VERSION_CACHE.clear()
    _VERSION_CACHE[key] = content
    return content


def load_plan_context(version: PlanVersion) -> PlanContext:
    """Read a plan version and the values the plan office entered for it."""
    content = _version_content(version)
    setting_rows = content.setting_rows
    settings, origin = content.settings, content.origin
    targets, milestones, rules = content.targets, content.milestones, content.rules
    tasks = content.tasks
    organisations: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for k, v in content.organisations.items():
        organisations[k] = list(v)
    by_indicator: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for t in targets:
        by_indicator[t.indicator].append(("target", t.key))
    for ms in milestones:
        if ms.indicator:
            by_indicator[ms.indicator].append(("milestone", ms.key))
    for a in (
        system_rows(IndicatorAssignment)
        .filter(plan_code=version.plan.code, active=True)
        .select_related("organisation")
    ):
        for key in by_indicator.get(a.indicator, []):
            entry = (a.organisation_id, a.organisation.name)
            if entry not in organisations[key]:
                organisations[key].append(entry)
    bindings = {
        (b.indicator, b.area_id): b
        for b in system_rows(BindingTarget)
        .filter(plan=version.plan, current__isnull=False)
        .select_related("current__entered_by", "area")
        .order_by("base_year", "target_year")
        if b.indicator != BindingIndicator.ENERGY_GROWTH
    }
    for b in (
        system_rows(BindingTarget)
        .filter(plan=version.plan, current__isnull=False, indicator=BindingIndicator.ENERGY_GROWTH)
        .select_related("current__entered_by", "area")
    ):
        bindings[(f"{b.indicator}:{b.target_year}", b.area_id)] = b
    values = {
        v.target_key: v
        for v in system_rows(TargetValue)
        .filter(plan=version.plan, current__isnull=False)
        .select_related("current__entered_by")
    }
    return PlanContext(
        version=version,
        settings=settings,
        setting_values={r.key: r.value for r in setting_rows},
        setting_confirmed={r.key: r.confirmed for r in setting_rows},
        setting_rows=setting_rows,
        targets=targets,
        milestones=milestones,
        rules=rules,
        organisations=dict(organisations),
        tasks=tasks,
        bindings=bindings,
        target_values=values,
        settings_origin=origin,
    )


# -- results -----------------------------------------------------------------------------------


@dataclass
class TargetOutcome:
    """One evaluated target, milestone, rule or binding target."""

    key: str
    object_kind: str
    name: str
    indicator: str
    unit: str
    result: TargetStatusResult
    measurement: Measurement | None
    warning_level: int | None = None
    organisations: list[tuple[int, str]] = field(default_factory=list)
    task_number: int | None = None
    area_id: int | None = None
    area_name: str = ""
    deadline: YearMonth | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.result.to_dict()
        data["deadline"] = None if self.deadline is None else str(self.deadline)
        data["name"] = self.name
        data["indicator_label"] = data.get("indicator")
        data["indicator"] = self.indicator
        data["unit"] = self.unit
        data["object_kind"] = self.object_kind
        data["id"] = self.key
        data["warning_level"] = self.warning_level
        data["task"] = self.task_number
        data["departments"] = [name for _, name in self.organisations]
        data["area"] = self.area_name or None
        m = self.measurement
        data["uncertain"] = bool(m and m.uncertain)
        data["missing_reason"] = (m.missing if m else "") or None
        data["indicator_notes"] = list(m.notes) if m else []
        data["source"] = m.source if m else ""
        data["reference_value"] = m.reference_value if m else None
        if m and m.entity_rows:
            data["entity_rows"] = m.entity_rows
        if m and m.extra:
            data["indicator_extra"] = m.extra
        data.update(self.extra)
        return data


@dataclass
class AreaOutcome:
    """One 晴雨表 warning (or the reason it cannot be given)."""

    area: Area
    year: int
    months: int
    dimension: str
    level: int | None
    intensity_change: float | None = None
    required_reduction: float | None = None
    energy_growth: float | None = None
    allowed_growth: float | None = None
    missing_reason: str = ""
    payload_source: dict[str, Any] | Callable[[], dict[str, Any]] = field(default_factory=dict)

    @property
    def payload(self) -> dict[str, Any]:
        """The warning as JSON (rule, numbers, explanation, trail); built when first asked for
        — storing a run or showing it — not while evaluating."""
        if callable(self.payload_source):
            self.payload_source = self.payload_source()
        return self.payload_source

    @property
    def period_label(self) -> str:
        return (
            period_label(self.year, self.months)
            if self.months == 12
            else WarningPeriod(self.year, self.months).label
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.payload,
            "district": self.area.name,
            "district_code": self.area.code,
            "period": f"{self.year}-Q{self.months // 3}",
            "period_label": self.period_label,
            "dimension": self.dimension,
            "warning_level": self.level,
            "intensity_change": self.intensity_change,
            "required_reduction": self.required_reduction,
            "energy_growth": self.energy_growth,
            "allowed_growth": self.allowed_growth,
            "missing_reason": self.missing_reason or None,
            "warning_period": self.payload.get("period"),
        }


@dataclass
class Evaluation:
    """An evaluation in memory (what a run stores)."""

    context: PlanContext
    as_of: YearMonth
    preview: bool
    targets: list[TargetOutcome]
    areas: list[AreaOutcome]
    data_through: YearMonth | None
    factor_sets: list[FactorSetRef]
    inputs: dict[str, Any]
    fingerprint: str
    accounting_rules: list[dict[str, Any]] = field(default_factory=list)
    data: DataContext | None = None

    def latest_areas(self) -> list[AreaOutcome]:
        """The latest intensity warning of each area (the 晴雨表's current column)."""
        latest: dict[int, AreaOutcome] = {}
        for a in self.areas:
            if a.dimension != "intensity":
                continue
            cur = latest.get(a.area.pk)
            if cur is None or (a.year, a.months) > (cur.year, cur.months):
                latest[a.area.pk] = a
        return list(latest.values())

    def settings_dict(self) -> dict[str, Any]:
        out = self.context.settings.to_dict()
        out["origin"] = dict(self.context.settings_origin)
        out["plan_settings"] = [
            {
                "key": r.key,
                "label": r.label,
                "value": r.value,
                "confirmed": r.confirmed,
                "from_text": r.from_text,
                "note": r.note,
            }
            for r in self.context.setting_rows
        ]
        return out

    def to_json(self) -> dict[str, Any]:
        version = self.context.version
        latest = {a.area.pk: a for a in self.latest_areas()}
        consumption: dict[tuple[int, int, int], AreaOutcome] = {
            (a.area.pk, a.year, a.months): a for a in self.areas if a.dimension == "consumption"
        }
        districts: list[dict[str, Any]] = []
        city: list[dict[str, Any]] = []
        for a in latest.values():
            row = a.to_dict()
            c = consumption.get((a.area.pk, a.year, a.months))
            row["consumption"] = c.to_dict() if c is not None else None
            (city if a.area.kind == Area.Kind.CITY else districts).append(row)
        return {
            "plan": {
                "id": version.plan.code,
                "version": version.label,
                "status": version.status,
                "title": version.title,
                "content_hash": version.content_hash,
            },
            "as_of": str(self.as_of),
            "preview": self.preview,
            "data_through": None if self.data_through is None else str(self.data_through),
            "fingerprint": self.fingerprint,
            "engine_version": ENGINE_VERSION,
            "settings": self.settings_dict(),
            "factor_sets": [f.to_dict() for f in self.factor_sets],
            "targets": [t.to_dict() for t in self.targets],
            "districts": districts,
            "city": city[0] if city else None,
            "barometer": [
                {k: v for k, v in a.to_dict().items() if k not in ("trail", "warning")}
                for a in self.areas
            ],
            "accounting_rules": self.accounting_rules,
        }


# -- specs and observations ---------------------------------------------------------------------


def _tolerance(t: Target) -> Tolerance | None:
    if not t.approximate or t.tolerance_setting or t.tolerance_value is None:
        return None
    if t.tolerance_mode == "absolute" and t.tolerance_absolute_canonical is not None:
        return Tolerance("absolute", float(t.tolerance_absolute_canonical))
    return Tolerance("relative", float(t.tolerance_value))


def _binding_ref(b: BindingTarget) -> SourceRef:
    rev = b.current
    assert rev is not None
    who = rev.entered_by
    return SourceRef(
        kind="binding_target",
        id=str(rev.pk),
        description=f"计划管理部门录入：{b}，第{rev.number}次录入"
        + (f"（依据：{rev.source}）" if rev.source else "")
        + ("（演示数据）" if rev.is_demo else ""),
        submitter=(getattr(who, "full_name", "") or who.get_username()) if who else None,
        approved_at=rev.entered_at.isoformat(timespec="seconds"),
        status="entered",
        extra=(("value", str(rev.value)), ("binding_id", b.pk), ("revision_number", rev.number)),
    )


def _target_value(t: Target, pc: PlanContext) -> tuple[float | None, str, SourceRef | None]:
    """The canonical target value: as written, or entered by the plan office."""
    if t.state == Target.State.ACTIVE and t.value_canonical is not None:
        return float(t.value_canonical), "计划文本", None
    city = None
    if t.value_entry == "plan_office":
        for (indicator, _area_id), b in pc.bindings.items():
            if indicator == t.indicator and b.area.kind == Area.Kind.CITY:
                city = b
                break
        if city is not None and city.current is not None:
            value = float(city.current.value)
            signed = -value if city.value_kind == "reduction" else value
            return signed, "计划管理部门录入的约束性指标", _binding_ref(city)
        return None, "约束性指标尚未录入", None
    entry = pc.target_values.get(t.key)
    if entry is not None and entry.current is not None:
        unit = UNITS.get(entry.current.unit)
        factor = unit.factor if unit is not None else Decimal(1)
        value = float(entry.current.value * factor)
        who = entry.current.entered_by
        ref = SourceRef(
            kind="target_value",
            id=str(entry.current.pk),
            description=f"计划管理部门录入：{t.name} = {entry.current.value} {entry.current.unit}，"
            f"第{entry.current.number}次录入"
            + (f"（依据：{entry.current.source}）" if entry.current.source else ""),
            submitter=(getattr(who, "full_name", "") or who.get_username()) if who else None,
            approved_at=entry.current.entered_at.isoformat(timespec="seconds"),
            status="entered",
        )
        return value, "计划管理部门录入", ref
    return None, "计划文本未给出数值", None


def _deadline(t_year: int | None, pc: PlanContext) -> tuple[YearMonth, bool]:
    if t_year is not None:
        return YearMonth(t_year, 12), True
    return YearMonth(pc.version.plan_year, 12), False


def _year_of(deadline: str) -> int | None:
    digits = "".join(ch for ch in deadline if ch.isdigit())[:4]
    return int(digits) if len(digits) == 4 else None


def _observation(
    m: Measurement, as_of: YearMonth, *, relative: bool = False, trail: Trail | None = None
) -> Observation:
    value = m.value
    if relative and value is not None and m.index_based:
        value = 1.0 + value
    return Observation(
        as_of=as_of,
        value_ytd=value,
        value_latest=m.latest,
        data_through=m.data_through,
        months_covered=m.months_covered,
        preview=m.preview,
        entities=m.entities,
        milestone_done=m.milestone_done,
        milestone_done_on=m.milestone_done_on,
        milestone_progress=m.milestone_progress,
        reference_value=m.reference_value,
        source=m.missing or m.source,
        trail=trail if trail is not None else m.trail,
    )


def _with_notes(
    result: TargetStatusResult, m: Measurement | None, extra: Iterable[str] = ()
) -> TargetStatusResult:
    notes = list(result.notes)
    explanation = result.explanation
    if (
        m is not None
        and m.missing
        and result.status.code == "no_data"
        and m.missing not in explanation
    ):
        explanation = f"{explanation.rstrip('。')}。原因：{m.missing}"
    for n in [*(m.notes if m else []), *extra]:
        if n and n not in notes:
            notes.append(n)
    if (
        m is not None
        and m.uncertain
        and "结果使用了未经来源确认的数值，须按“不确定”看待" not in notes
    ):
        notes.append("结果使用了未经来源确认的数值，须按“不确定”看待")
    trail = result.trail.with_factor_sets(
        *[f for f in (m.factor_sets if m else []) if f not in result.trail.factor_sets]
    )
    return dataclasses.replace(result, notes=tuple(notes), explanation=explanation, trail=trail)


def _add_ref(result: TargetStatusResult, name: str, ref: SourceRef | None) -> TargetStatusResult:
    if ref is None:
        return result
    try:
        trail = result.trail.with_refs(name, ref)
    except KeyError:
        trail = result.trail.with_notes(f"目标值来源：{ref.description}")
    return dataclasses.replace(result, trail=trail)


class _Evaluator:
    def __init__(self, ctx: DataContext, pc: PlanContext, as_of: YearMonth) -> None:
        self.ctx = ctx
        self.pc = pc
        self.as_of = as_of
        self.city = ctx.city
        self.status_settings = pc.settings.status
        self.city_warning: int | None = None

    def query(
        self,
        *,
        deadline: YearMonth | None,
        window_start: YearMonth | None = None,
        baseline_year: int | None = None,
        area: Area | None = None,
    ) -> Query:
        limit = self.as_of if deadline is None or deadline > self.as_of else deadline
        area = area or self.city
        assert area is not None
        return Query(
            area=area,
            as_of=self.as_of,
            limit=limit,
            window_start=window_start,
            baseline_year=baseline_year,
            settings=self.pc.setting_values,
            confirmed=self.pc.setting_confirmed,
        )

    # -- targets -------------------------------------------------------------------------
    def target(self, t: Target) -> TargetOutcome:
        deadline, _ = _deadline(t.deadline_year, self.pc)
        kind = TargetKind.from_plan_kind(t.kind)
        start = YearMonth(t.deadline_year, 1) if kind is TargetKind.CUMULATIVE else None
        q = self.query(deadline=deadline, window_start=start, baseline_year=t.baseline_year)
        m = measure(self.ctx, t.indicator, q)
        value, value_source, value_ref = _target_value(t, self.pc)
        relative = kind is TargetKind.RELATIVE_CHANGE
        baseline = None
        if relative:
            if m.index_based:
                base_value: float | None = 1.0
                base_source = (
                    f"基期（{t.baseline_year}年）指数 = 1：指标为较基期的变化率，由逐年数据链式计算"
                )
            else:
                base_value = m.baseline_value
                base_source = f"{t.baseline_year}年水平，见指标计算过程"
            baseline = Baseline(int(t.baseline_year or 0), base_value, base_source)
        indicator_def = PLAN_INDICATORS.get(t.indicator)
        spec = TargetSpec(
            id=t.key,
            indicator=t.name,
            kind=kind,
            deadline=deadline,
            value=value,
            unit="%" if t.canonical_unit == "fraction" else t.canonical_unit,
            comparator=Comparator(t.comparator),
            direction=Direction(t.direction),
            approximate=t.approximate,
            tolerance=_tolerance(t),
            aspirational=t.aspirational,
            start=start,
            baseline=baseline,
            compare_to=PLAN_INDICATORS[t.compare_to].label
            if t.compare_to in PLAN_INDICATORS
            else t.compare_to,
            text=t.source_quote,
            source=f"计划 {self.pc.label}，目标 {t.key}",
        )
        obs = _observation(m, self.as_of, relative=relative)
        result = target_status(spec, obs, settings=self.status_settings, plan_version=self.pc.label)
        extra_notes = []
        if t.state == Target.State.NOT_SET and value is not None:
            extra_notes.append(f"计划文本未给出数值，目标值为{value_source}（计划文件保持原文）")
        if relative and m.index_based and m.value is not None:
            extra_notes.append(f"较{t.baseline_year}年变化率：{pct(m.value)}")
        result = _with_notes(result, m, extra_notes)
        result = _add_ref(result, "target", value_ref)
        warning_level = None
        if t.indicator == BindingIndicator.ENERGY_INTENSITY:
            warning_level = self.city_warning
        return TargetOutcome(
            key=t.key,
            deadline=deadline,
            object_kind="target",
            name=t.name,
            indicator=t.indicator,
            unit=indicator_def.unit if indicator_def else t.canonical_unit,
            result=result,
            measurement=m,
            warning_level=warning_level,
            organisations=self.pc.organisations.get(("target", t.key), []),
            task_number=self.pc.tasks.get(("target", t.key)),
            extra={
                "target_as_written": {
                    "value": None if t.value is None else float(t.value),
                    "unit": t.unit,
                    "requirement": t.requirement,
                    "state": t.state,
                },
                "target_source": value_source,
            },
        )

    # -- milestones ----------------------------------------------------------------------
    def milestone(self, ms: Milestone) -> TargetOutcome:
        year = _year_of(ms.deadline)
        deadline, stated = _deadline(year, self.pc)
        q = self.query(deadline=None)
        m = self._milestone_measurement(ms, q)
        if ms.state == "done" and m.milestone_done is None:
            m.milestone_done = True
            m.notes.append("计划文件载入时的状态为“已完成”")
        spec = TargetSpec(
            id=ms.key,
            indicator=ms.title,
            kind=TargetKind.MILESTONE,
            deadline=deadline,
            start=YearMonth(self.pc.version.plan_year, 1),
            text=ms.source_quote,
            source=f"计划 {self.pc.label}，里程碑 {ms.key}",
        )
        result = target_status(
            spec,
            _observation(m, self.as_of),
            settings=self.status_settings,
            plan_version=self.pc.label,
        )
        notes = (
            [] if stated else [f"计划未写明期限，按计划年度末（{deadline.label}）评价（平台读法）"]
        )
        result = _with_notes(result, m, notes)
        return TargetOutcome(
            key=ms.key,
            deadline=deadline,
            object_kind="milestone",
            name=ms.title,
            indicator=ms.indicator,
            unit="status",
            result=result,
            measurement=m,
            organisations=self.pc.organisations.get(("milestone", ms.key), []),
            task_number=self.pc.tasks.get(("milestone", ms.key)),
        )

    def _milestone_measurement(self, ms: Milestone, q: Query) -> Measurement:
        code = ms.indicator
        if code in ("pta_below_baseline_capacity_t", "caustic_soda_below_baseline_capacity_t"):
            product = "pta" if code.startswith("pta") else "caustic_soda"
            share = benchmark_capacity(self.ctx, q, product)
            m = Measurement(
                code=code,
                trail=share.trail,
                missing=share.missing,
                notes=list(share.notes),
                preview=share.preview,
                uncertain=share.uncertain,
                factor_sets=list(share.factor_sets),
                entity_rows=share.entity_rows,
                data_through=share.data_through,
            )
            below = share.extra.get("capacity_below_baseline_t")
            if share.value is not None and below is not None:
                m.value = below
                m.milestone_done = below <= 0
                total = share.extra.get("capacity_total_t") or 0.0
                m.milestone_progress = max(0.0, 1.0 - below / total) if total else None
                m.notes.append(f"基准水平以下产能 {num(below)} 吨/年")
            return m
        if code in ("official_vehicle_nev_share", "key_unit_inspection_coverage"):
            level = reported_level(self.ctx, q, code)
            if level.value is not None:
                level.milestone_progress = max(0.0, min(1.0, level.value))
                level.milestone_done = level.value >= 1.0 - 1e-9
                if level.milestone_done and level.data_through is not None:
                    level.milestone_done_on = level.data_through
            return level
        if code == "boiler_retrofit_status":
            return self._boilers(ms, q)
        # status of the milestone itself, or of its entities (steel enterprises)
        subjects = {ms.key, ms.subject, ms.title}
        statuses = entities_reported(self.ctx, code, q.limit)
        own = [v for s, v in statuses.items() if s in subjects]
        entities = {s: v for s, v in statuses.items() if s not in subjects}
        tb = TrailBuilder(
            f"{ms.title}：完成情况",
            "按责任部门填报的状态判定：已完成（已关停、已投产等）或未完成（推进中、在建等）",
        )
        m = Measurement(code=code, source="部门填报（里程碑状态）")
        if code == "steel_ultra_low_emission_status" and entities:
            done_flags = []
            for subject, v in sorted(entities.items()):
                flag = text_done(v.text_value) if v.value is None else v.value >= 1
                tb.input(
                    f"entity[{subject}]",
                    f"{subject} {v.period.label}填报状态",
                    v.text_value or v.value,
                    refs=(v.ref(),),
                )
                done_flags.append(flag)
                m.entity_rows.append(
                    {
                        "entity": self._enterprise_name(subject),
                        "status": v.text_value,
                        "done": flag,
                        "period": str(v.period),
                    }
                )
            known = [f for f in done_flags if f is not None]
            m.milestone_progress = sum(1 for f in known if f) / len(done_flags)
            m.milestone_done = bool(done_flags) and all(f is True for f in done_flags)
            tb.step(
                "完成比例",
                f"{sum(1 for f in known if f)} ÷ {len(done_flags)}",
                m.milestone_progress,
                "%",
            )
            m.data_through = max(v.end for v in entities.values())
            if m.milestone_done:
                m.milestone_done_on = m.data_through
            m.take(tb)
            return m
        if not own:
            m.missing = (
                f"截至{q.limit.label}没有“{ms.title}”的状态填报（指标 {code}，对象 {ms.key}）"
            )
            return m
        v = own[-1] if len(own) == 1 else max(own, key=lambda x: (x.end, x.line_id))
        done = text_done(v.text_value) if v.value is None else v.value >= 1
        tb.input(
            "status",
            f"{v.organisation} {v.period.label}填报状态",
            v.text_value or v.value,
            refs=(v.ref(),),
        )
        if done is None:
            tb.note(
                f"填报状态“{v.text_value}”不是平台认识的完成用语，按未完成计；请用“已完成/已关停/推进中”等"
            )
            done = False
        m.milestone_done = done
        m.data_through = v.end
        if done:
            history = [
                x
                for x in self.ctx.reported.get(code, [])
                if x.subject in subjects and x.end <= q.limit
            ]
            first_done = next(
                (
                    x
                    for x in history
                    if (text_done(x.text_value) if x.value is None else x.value >= 1)
                ),
                v,
            )
            m.milestone_done_on = first_done.end
        m.take(tb)
        return m

    def _enterprise_name(self, subject: str) -> str:
        for e in self.ctx.enterprises.values():
            if subject in (e.credit_code, e.name):
                return str(e.name)
        return subject

    def _boilers(self, ms: Milestone, q: Query) -> Measurement:
        threshold = 35.0
        for c in ms.criteria or []:
            if c.get("indicator") == "boiler_rated_capacity" and c.get("value") is not None:
                threshold = float(c["value"])
        end_date = self.ctx.end_date
        boilers = [
            i
            for i in self.ctx.installations.values()
            if i.kind == "boiler"
            and (i.fuel in ("coal", ""))
            and (i.evaporation_t_per_h or 0) >= threshold
            and (i.commissioned_on is None or i.commissioned_on <= end_date)
        ]
        statuses = entities_reported(self.ctx, "boiler_retrofit_status", q.limit)
        tb = TrailBuilder(
            f"{ms.title}（{num(threshold)}蒸吨/小时及以上燃煤锅炉）",
            "完成比例 = 已完成改造或已关停的锅炉台数 ÷ 范围内锅炉台数",
        )
        m = Measurement(code="boiler_retrofit_status", source="装置名录 + 部门填报（锅炉改造状态）")
        if not boilers and not statuses:
            m.missing = f"登记册中没有{num(threshold)}蒸吨/小时及以上的燃煤锅炉，也没有改造状态填报"
            return m
        done_count = 0
        total = 0
        last: YearMonth | None = None
        for b in boilers:
            keys = {b.code, f"{b.credit_code}-{b.code}", b.name, b.label}
            v = next((statuses[k] for k in keys if k in statuses), None)
            closed = b.closed_on is not None and b.closed_on <= end_date
            done = True if closed else (text_done(v.text_value) if v is not None else None)
            total += 1
            done_count += 1 if done else 0
            if v is not None:
                last = max(last, v.end) if last else v.end
            tb.input(
                f"boiler[{b.code}]",
                f"{b.label}（{num(b.evaporation_t_per_h or 0)}蒸吨/小时）",
                "已关停" if closed else (v.text_value if v else "未填报"),
                refs=(v.ref(),) if v is not None else (),
            )
            m.entity_rows.append(
                {
                    "entity": b.label,
                    "evaporation_t_per_h": b.evaporation_t_per_h,
                    "status": "已关停" if closed else (v.text_value if v else None),
                    "done": done,
                }
            )
        if total == 0:
            m.missing = "范围内没有燃煤锅炉"
            return m
        if last is None and not any(
            b.closed_on is not None and b.closed_on <= end_date for b in boilers
        ):
            m.missing = f"截至{q.limit.label}没有范围内锅炉（{total}台）的改造状态填报（指标 boiler_retrofit_status）"
            m.take(tb)
            return m
        unreported = sum(1 for row in m.entity_rows if row["status"] is None)
        if unreported:
            tb.note(f"{unreported}台锅炉未填报改造状态，按未完成计")
        m.milestone_progress = done_count / total
        m.milestone_done = done_count == total
        m.data_through = last
        tb.step("完成比例", f"{done_count} ÷ {total}", m.milestone_progress, "%")
        if m.milestone_done and last is not None:
            m.milestone_done_on = last
        m.take(tb)
        return m

    # -- rules ---------------------------------------------------------------------------
    def rule(self, r: Rule) -> TargetOutcome | None:
        if r.scope == "accounting":
            return None
        year = _year_of(r.deadline)
        deadline, stated = _deadline(year, self.pc)
        q = self.query(deadline=None)
        criteria = list(r.criteria or [])
        first = criteria[0] if criteria else {}
        indicator = str(first.get("indicator", ""))
        notes = (
            [] if stated else [f"规则未写明期限，按计划年度末（{deadline.label}）评价（平台读法）"]
        )
        if indicator == "pue_new_dc":
            m = pue_new_dc(self.ctx, q)
            spec_kwargs: dict[str, Any] = {
                "kind": TargetKind.PER_ENTITY,
                "value": float(first.get("value", 1.2)),
                "comparator": Comparator(str(first.get("comparator", "<"))),
                "direction": Direction.LOWER_IS_BETTER,
                "unit": "",
            }
            unit = "ratio"
        elif indicator == "energy_price_preference_count":
            m = reported_level(self.ctx, q, indicator)
            spec_kwargs = {
                "kind": TargetKind.LEVEL,
                "value": 0.0,
                "comparator": Comparator("<="),
                "direction": Direction.LOWER_IS_BETTER,
                "unit": "个",
            }
            unit = "个"
        elif indicator == "key_unit_monthly_reporting":
            m = self._monthly_reporting(q)
            spec_kwargs = {
                "kind": TargetKind.PER_ENTITY,
                "value": 1.0,
                "comparator": Comparator(">="),
                "direction": Direction.HIGHER_IS_BETTER,
                "unit": "%",
            }
            unit = "fraction"
        else:
            m = self._entity_statuses(r, criteria, q)
            spec_kwargs = {
                "kind": TargetKind.PER_ENTITY,
                "value": 1.0,
                "comparator": Comparator(">="),
                "direction": Direction.HIGHER_IS_BETTER,
                "unit": "（1=符合）",
            }
            unit = "status"
        spec = TargetSpec(
            id=r.key,
            indicator=r.title,
            deadline=deadline,
            text=r.source_quote,
            source=f"计划 {self.pc.label}，规则 {r.key}",
            **spec_kwargs,
        )
        result = target_status(
            spec,
            _observation(m, self.as_of),
            settings=self.status_settings,
            plan_version=self.pc.label,
        )
        result = _with_notes(result, m, notes)
        return TargetOutcome(
            key=r.key,
            deadline=deadline,
            object_kind="rule",
            name=r.title,
            indicator=indicator,
            unit=unit,
            result=result,
            measurement=m,
            organisations=self.pc.organisations.get(("rule", r.key), []),
            task_number=self.pc.tasks.get(("rule", r.key)),
        )

    def _monthly_reporting(self, q: Query) -> Measurement:
        start = YearMonth(q.limit.year, 1)
        elapsed = start.months_through(q.limit)
        keys = [
            e
            for e in self.ctx.enterprises.values()
            if e.key_unit_class in ("over_10k", "5k_to_10k")
        ]
        tb = TrailBuilder(
            f"重点用能单位按月报送（{start.label}至{q.limit.label}）",
            "逐个重点用能单位：已报送（已审核）的月数 ÷ 应报送月数；全部报送为符合",
        )
        m = Measurement(code="key_unit_monthly_reporting", source="平台能源月报报送记录")
        if not keys:
            m.entities = ()
            tb.note("登记册中没有重点用能单位（一类或二类）")
            m.take(tb)
            return m
        totals = self.ctx.enterprise_totals(start, q.limit)
        entities = []
        for e in keys:
            months = totals[e.pk].months if e.pk in totals else 0
            share = months / elapsed if elapsed > 0 else 0.0
            entities.append(EntityValue(e.name, share, "能源月报"))
            m.entity_rows.append(
                {"entity": e.name, "months_reported": months, "months_due": elapsed}
            )
        tb.step("应报送月数", f"{start.label}至{q.limit.label}", elapsed, "月")
        m.entities = tuple(entities)
        m.value = min(e.value for e in entities if e.value is not None)
        m.data_through = q.limit
        m.take(tb)
        return m

    def _entity_statuses(self, r: Rule, criteria: list[dict[str, Any]], q: Query) -> Measurement:
        tb = TrailBuilder(
            f"{r.title}：逐项核对", "逐个对象：全部条件符合为 1，否则为 0；按填报的最新状态"
        )
        m = Measurement(
            code=",".join(str(c.get("indicator")) for c in criteria), source="部门填报（逐项状态）"
        )
        per_subject: dict[str, list[bool | None]] = defaultdict(list)
        subjects_expected: set[str] | None = None
        if r.key == "key-unit-energy-budget":
            subjects_expected = {e.name for e in self.ctx.enterprises.values() if e.budget_managed}
        last: YearMonth | None = None
        reported_any = False
        for c in criteria:
            code = str(c.get("indicator"))
            values = entities_reported(self.ctx, code, q.limit)
            reported_any = reported_any or bool(values)
            for subject, v in values.items():
                name = self._enterprise_name(subject)
                if c.get("value") is not None and v.value is not None:
                    wanted = float(c["value"]) * (0.01 if c.get("unit") == "%" else 1.0)
                    comparator = str(c.get("comparator", ">="))
                    ok: bool | None = {
                        ">=": v.value >= wanted,
                        ">": v.value > wanted,
                        "<=": v.value <= wanted,
                        "<": v.value < wanted,
                    }.get(comparator, False)
                else:
                    level = str(c.get("level") or "")
                    text = _norm_text(v.text_value)
                    ok = text_done(v.text_value)
                    if (level and _norm_text(level) in text) or (
                        level.startswith("环保绩效A级") and text.upper().startswith("A")
                    ):
                        ok = True
                per_subject[name].append(ok)
                last = max(last, v.end) if last else v.end
                tb.input(
                    f"{code}[{subject}]",
                    f"{name}：{c.get('level') or c.get('indicator')}",
                    v.text_value or v.value,
                    refs=(v.ref(),),
                )
        if subjects_expected is not None:
            for name in subjects_expected:
                per_subject.setdefault(name, [None])
        if not per_subject:
            if subjects_expected is not None:
                m.entities = ()
                tb.note("登记册中没有实行能耗预算管理的企业")
            else:
                m.entities = None
                m.missing = (
                    f"截至{q.limit.label}没有“{r.title}”的逐项填报（适用对象：{r.applies_to}）"
                )
            m.take(tb)
            return m
        entities = []
        for name, flags in sorted(per_subject.items()):
            if any(f is None for f in flags) or len(flags) < len(criteria):
                value = None
            else:
                value = 1.0 if all(flags) else 0.0
            entities.append(EntityValue(name, value, "部门填报"))
            m.entity_rows.append(
                {"entity": name, "complies": None if value is None else value == 1.0}
            )
        m.entities = tuple(entities)
        known = [e.value for e in entities if e.value is not None]
        m.value = min(known) if known else None
        m.data_through = last
        if not reported_any:
            m.missing = f"截至{q.limit.label}没有“{r.title}”的逐项填报"
        m.take(tb)
        return m

    # -- binding targets -----------------------------------------------------------------
    def bindings(self, warnings: dict[int, int | None]) -> list[TargetOutcome]:
        out = []
        for (indicator, area_id), b in sorted(
            self.pc.bindings.items(), key=lambda kv: (kv[1].indicator, kv[1].area_id)
        ):
            if indicator.startswith(BindingIndicator.ENERGY_GROWTH):
                continue
            area = self.ctx.all_areas.get(area_id)
            if area is None or b.current is None:
                continue
            deadline = YearMonth(b.target_year, 12)
            value = float(b.current.value)
            if indicator == BindingIndicator.NONFOSSIL_SHARE:
                q = self.query(deadline=deadline, area=area)
                m = measure(self.ctx, "nonfossil_share", q)
                spec = TargetSpec(
                    id=f"binding:{indicator}:{area.code}",
                    indicator=f"{area.name}“十四五”非化石能源消费比重（约束性指标）",
                    kind=TargetKind.SHARE,
                    deadline=deadline,
                    value=value,
                    unit="%",
                    comparator=Comparator(">="),
                    direction=Direction.HIGHER_IS_BETTER,
                    source=str(b),
                )
                obs = _observation(m, self.as_of)
                unit = "fraction"
                code = "nonfossil_share"
            else:
                q = self.query(deadline=deadline, baseline_year=b.base_year, area=area)
                code = indicator
                m = measure(self.ctx, code, q)
                name = BindingIndicator(indicator).label
                spec = TargetSpec(
                    id=f"binding:{indicator}:{area.code}",
                    indicator=f"{area.name}“十四五”{name}（约束性指标）",
                    kind=TargetKind.RELATIVE_CHANGE,
                    deadline=deadline,
                    value=-value,
                    unit="%",
                    comparator=Comparator("<="),
                    direction=Direction.LOWER_IS_BETTER,
                    baseline=Baseline(b.base_year, 1.0, f"基期（{b.base_year}年）指数 = 1"),
                    source=str(b),
                )
                obs = _observation(m, self.as_of, relative=True)
                unit = "fraction"
            result = target_status(
                spec, obs, settings=self.status_settings, plan_version=self.pc.label
            )
            result = _with_notes(result, m)
            result = _add_ref(result, "target", _binding_ref(b))
            out.append(
                TargetOutcome(
                    key=spec.id,
                    deadline=deadline,
                    object_kind="binding",
                    name=spec.indicator,
                    indicator=code,
                    unit=unit,
                    result=result,
                    measurement=m,
                    warning_level=warnings.get(area_id)
                    if indicator == BindingIndicator.ENERGY_INTENSITY
                    else None,
                    area_id=area_id,
                    area_name=area.name,
                    extra={
                        "binding": {
                            "base_year": b.base_year,
                            "target_year": b.target_year,
                            "value": value,
                            "revision": b.current.number,
                            "source": b.current.source,
                        }
                    },
                )
            )
        return out

    # -- 晴雨表 ----------------------------------------------------------------------------
    def barometer(self) -> list[AreaOutcome]:
        out: list[AreaOutcome] = []
        warnings_settings = self.pc.settings.warnings
        for area in self.ctx.areas:
            binding = self.pc.binding(BindingIndicator.ENERGY_INTENSITY, area.pk)
            periods = [
                (y, m)
                for y, m in self.ctx.stat_periods(area.pk)
                if m % 3 == 0 and YearMonth(y, m) <= self.as_of
            ]
            annual: dict[int, Change | Missing] = {}

            def annual_change(
                year: int, area: Area = area, annual: dict[int, Change | Missing] = annual
            ) -> Change | Missing:
                if year not in annual:
                    try:
                        annual[year] = ytd_change(self.ctx, area, year, 12)
                    except Missing as exc:
                        annual[year] = exc
                return annual[year]

            for y, m in periods:
                if binding is not None and not (binding.base_year < y <= binding.target_year):
                    continue
                period = WarningPeriod(y, m)
                try:
                    change = ytd_change(self.ctx, area, y, m) if m != 12 else annual_change(y)
                    if isinstance(change, Missing):
                        raise change
                except Missing as exc:
                    out.append(
                        AreaOutcome(
                            area,
                            y,
                            m,
                            "intensity",
                            None,
                            missing_reason=exc.reason,
                            payload_source={"explanation": exc.reason},
                        )
                    )
                    continue
                if binding is None or binding.current is None:
                    reason = (
                        f"未录入{area.name}的“十四五”能耗强度降低目标（细化分解），无法确定进度要求"
                    )
                    out.append(
                        AreaOutcome(
                            area,
                            y,
                            m,
                            "intensity",
                            None,
                            intensity_change=change.value,
                            energy_growth=change.growth,
                            missing_reason=reason,
                            payload_source={
                                "explanation": f"{area.name}{period.label}能耗强度（新口径）同比变化{pct(change.value)}；{reason}",
                                "change_trail": change.trail.to_dict(),
                            },
                        )
                    )
                    continue
                total = float(binding.current.value)
                n = binding.target_year - binding.base_year
                achieved: list[float] = []
                notes: list[str] = []
                for yy in range(binding.base_year + 1, y):
                    a = annual_change(yy)
                    if isinstance(a, Missing):
                        notes.append(f"缺少{yy}年度强度变化（{a.reason}），进度要求按年均降低率计")
                        achieved = []
                        break
                    achieved.append(-a.value)
                req_key = ("requirement", area.pk, y, tuple(achieved))
                derivation = self.ctx.memo.get(req_key)
                if derivation is None:
                    derivation = annual_requirement(
                        total,
                        n,
                        achieved,
                        first_year=binding.base_year + 1,
                        for_year=y if binding.base_year < y <= binding.target_year else None,
                        indicator="单位地区生产总值能耗（新口径）",
                        area=area.name,
                        target_source=str(binding),
                        plan_version=self.pc.label,
                    )
                    self.ctx.memo[req_key] = derivation
                warning = assess_intensity_warning(
                    change.value,
                    derivation.required_reduction,
                    settings=warnings_settings,
                    period=period,
                    area=area.name,
                    requirement=derivation,
                    change_trail=change.trail,
                    plan_version=self.pc.label,
                )
                ref = _binding_ref(binding)
                try:
                    trail = warning.trail.with_refs("required_reduction", ref)
                except KeyError:
                    trail = warning.trail
                if notes:
                    trail = trail.with_notes(*notes)
                warning = dataclasses.replace(warning, trail=trail, notes=(*warning.notes, *notes))
                binding_data = {
                    "value": total,
                    "base_year": binding.base_year,
                    "target_year": binding.target_year,
                    "revision": binding.current.number,
                    "source": binding.current.source,
                }

                def data(
                    warning: Any = warning,
                    derivation: Any = derivation,
                    change: Change = change,
                    binding_data: dict[str, Any] = binding_data,
                ) -> dict[str, Any]:
                    result: dict[str, Any] = warning.to_dict()
                    result["requirement"] = derivation.to_dict()
                    result["binding"] = binding_data
                    result["preview"] = change.preview
                    result["uncertain"] = change.uncertain
                    result["energy_growth"] = change.growth
                    result["gdp_growth"] = change.gdp_growth
                    return result

                out.append(
                    AreaOutcome(
                        area,
                        y,
                        m,
                        "intensity",
                        int(warning.level),
                        intensity_change=change.value,
                        required_reduction=derivation.required_reduction,
                        energy_growth=change.growth,
                        payload_source=data,
                    )
                )
                out.append(
                    self._consumption(area, y, m, change, derivation.required_reduction, period)
                )
        return out

    def figures(self) -> list[AreaOutcome]:
        """Annual energy and carbon figures of the city and each county-level area."""
        out: list[AreaOutcome] = []
        for area in self.ctx.areas:
            years = sorted(
                {y for y, m in self.ctx.stat_periods(area.pk) if m == 12 and y <= self.as_of.year}
            )
            for y in years:
                f = annual_figures(self.ctx, area, y)
                payload = {
                    "figures": f.values,
                    "missing": f.missing,
                    "preview": f.preview,
                    "uncertain": f.uncertain,
                    "trail": f.trail.to_dict(),
                    "explanation": f"{area.name}{y}年能源消费与碳排放",
                }
                out.append(
                    AreaOutcome(
                        area,
                        y,
                        12,
                        "figures",
                        None,
                        missing_reason="；".join(dict.fromkeys(f.missing.values())),
                        payload_source=payload,
                    )
                )
        return out

    def _consumption(
        self, area: Area, y: int, m: int, change: Change, required: float, period: WarningPeriod
    ) -> AreaOutcome:
        entered = self.pc.bindings.get((f"{BindingIndicator.ENERGY_GROWTH}:{y}", area.pk))
        assert change.growth is not None
        assert change.gdp_growth is not None
        tb = TrailBuilder(
            f"{area.name}{period.label}能源消费（新口径）增速",
            "能源消费增速 = 新口径能耗 ÷ 上年同期 − 1",
        )
        tb.child(change.trail, preview=change.preview, uncertain=change.uncertain)
        tb.input(
            "energy_growth", "能源消费增速（新口径）", change.growth, "%", source="见下级计算过程"
        )
        if entered is not None and entered.current is not None:
            allowed = float(entered.current.value)
            allowed_source = "计划管理部门录入的能源消费增速控制目标"
            ref: SourceRef | None = _binding_ref(entered)
            derived = False
        else:
            allowed = (1.0 + change.gdp_growth) * (1.0 - required) - 1.0
            allowed_source = (
                f"未录入能源消费增速控制目标：由GDP实际增速{pct(change.gdp_growth)}和强度进度要求{pct(required)}推算，"
                f"(1 + {pct(change.gdp_growth)}) × (1 − {pct(required)}) − 1 = {pct(allowed)}（平台推算，非官方）"
            )
            ref = None
            derived = True
        tb.input(
            "allowed_growth",
            "允许增速",
            allowed,
            "%",
            source=allowed_source,
            refs=(ref,) if ref else (),
        )
        warning = assess_consumption_warning(
            change.growth,
            allowed,
            settings=self.pc.settings.warnings,
            period=period,
            area=area.name,
            growth_trail=tb.build(),
            plan_version=self.pc.label,
        )

        def data() -> dict[str, Any]:
            result: dict[str, Any] = warning.to_dict()
            result["allowed_growth_source"] = allowed_source
            result["allowed_growth_derived"] = derived
            if derived:
                result["notes"] = [*result.get("notes", []), allowed_source]
            return result

        return AreaOutcome(
            area,
            y,
            m,
            "consumption",
            int(warning.level),
            intensity_change=change.value,
            required_reduction=required,
            energy_growth=change.growth,
            allowed_growth=allowed,
            payload_source=data,
        )


def _accounting_rules(pc: PlanContext) -> list[dict[str, Any]]:
    return [
        {
            "id": r.key,
            "title": r.title,
            "requirement": r.requirement,
            "applied": "在新口径能耗、强度的计算中执行：原料用能、非化石能源（及能耗单列）在基期和当期同时扣除",
        }
        for r in pc.rules
        if r.scope == "accounting"
    ]


def input_fingerprint(
    pc: PlanContext, ctx: DataContext, as_of: YearMonth, preview: bool
) -> tuple[str, dict[str, Any]]:
    """The fingerprint of everything an evaluation reads, and the inputs it is made of."""
    ids = ctx.input_signature()
    entries = {
        "bindings": sorted(b.current_id for b in pc.bindings.values() if b.current_id),
        "target_values": sorted(v.current_id for v in pc.target_values.values() if v.current_id),
    }
    parts = {
        "engine": ENGINE_VERSION,
        "plan_version": pc.version.pk,
        "plan_content": pc.version.content_hash,
        "as_of": str(as_of),
        "preview": preview,
        "inputs": ids,
        "entries": entries,
        "factor_sets": library_fingerprint(ctx.library),
        "settings": pc.settings.to_dict(),
        "assignments": sorted(
            [k[0], k[1], org] for k, orgs in pc.organisations.items() for org, _ in orgs
        ),
    }
    return fingerprint(parts), {**ids, **entries, "factor_sets": parts["factor_sets"]}


def evaluate(
    version: PlanVersion,
    *,
    as_of: YearMonth,
    preview: bool = False,
    library: FactorLibrary | None = None,
    pinned_revisions: Iterable[int] | None = None,
    pinned_results: Iterable[int] | None = None,
    context: PlanContext | None = None,
    data: DataContext | None = None,
) -> Evaluation:
    """Evaluate every target, milestone, rule and binding target of ``version`` as of
    ``as_of``, and the 晴雨表 of the city and its county-level areas up to ``as_of``."""
    with gc_paused():
        return _evaluate(
            version,
            as_of=as_of,
            preview=preview,
            library=library,
            pinned_revisions=pinned_revisions,
            pinned_results=pinned_results,
            context=context,
            data=data,
        )


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an evaluation builds its (acyclic) results.

    An evaluation allocates tens of thousands of small frozen objects (trail inputs, source
    references); with the collector running, its full collections over every live object of the
    process cost more than the evaluation itself. Reference counting still frees everything;
    the collector resumes (and catches up) afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _evaluate(
    version: PlanVersion,
    *,
    as_of: YearMonth,
    preview: bool,
    library: FactorLibrary | None,
    pinned_revisions: Iterable[int] | None,
    pinned_results: Iterable[int] | None,
    context: PlanContext | None,
    data: DataContext | None,
) -> Evaluation:
    pc = context or load_plan_context(version)
    ctx = data or DataContext(
        region=version.plan.region,
        as_of=as_of,
        preview=preview,
        library=library,
        pinned_revisions=pinned_revisions,
        pinned_results=pinned_results,
    )
    key, inputs = input_fingerprint(pc, ctx, as_of, preview)
    ev = _Evaluator(ctx, pc, as_of)
    areas = ev.barometer()
    figures = ev.figures()
    latest: dict[int, int | None] = {}
    for a in areas:
        if a.dimension == "intensity":
            latest[a.area.pk] = a.level if a.level is not None else latest.get(a.area.pk)
    if ctx.city is not None:
        ev.city_warning = latest.get(ctx.city.pk)
    targets: list[TargetOutcome] = [ev.target(t) for t in pc.targets]
    targets += [ev.milestone(ms) for ms in pc.milestones]
    targets += [o for o in (ev.rule(r) for r in pc.rules) if o is not None]
    targets += ev.bindings(latest)
    sets: list[FactorSetRef] = []
    through: YearMonth | None = None
    for t in targets:
        if t.measurement is not None:
            for ref in t.measurement.factor_sets:
                if ref not in sets:
                    sets.append(ref)
            d = t.measurement.data_through
            if d is not None and (through is None or d > through):
                through = d
    for a in areas:
        if a.level is not None:
            end = YearMonth(a.year, a.months)
            through = end if through is None or end > through else through
    return Evaluation(
        context=pc,
        as_of=as_of,
        preview=preview,
        targets=targets,
        areas=areas + figures,
        data_through=through,
        factor_sets=sets,
        inputs=inputs,
        fingerprint=key,
        accounting_rules=_accounting_rules(pc),
        data=ctx,
    )

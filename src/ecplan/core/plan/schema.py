"""The schema of a plan file: an action plan as data that can be checked against its text.

A plan file (YAML) holds the plan's metadata, its sections in order with their verbatim text,
its tasks, its target breakdown table (分解表), and every quantified target, milestone and
per-project rule, each stored once with the exact words of the plan that state it
(``source_quote``) and referenced by id from every place that repeats it.

The format is not specific to one city; ``docs/plan-format.md`` describes it field by field.
These models check what can be checked inside one object (types, required fields, consistent
combinations); :mod:`ecplan.core.plan.checks` checks the whole file against the plan text and
the organisations registry.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from ecplan.core.plan.vocabulary import (
    DEADLINE_PATTERN,
    Comparator,
    Direction,
    TargetKind,
    deadline_year,
)

FORMAT = "ecplan-plan"

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


def _check_id(value: str) -> str:
    if not value or value[0] == "-" or any(ch not in _ID_CHARS for ch in value):
        raise ValueError(
            f"标识“{value}”无效：只能用小写英文字母、数字和连字符（-），且不以连字符开头"
        )
    return value


def _check_key(value: str) -> str:
    if (
        not value
        or not value[0].isascii()
        or not value[0].isalpha()
        or any(ch not in _ID_CHARS and ch != "_" for ch in value)
    ):
        raise ValueError(f"键名“{value}”无效：只能用小写英文字母、数字和下划线（_），以字母开头")
    return value


def _check_deadline(value: str) -> str:
    import re

    if not re.match(DEADLINE_PATTERN, value):
        raise ValueError(f"期限“{value}”无效：应写作“2025年”或“2025年底”")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("不能为空")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Key = Annotated[str, AfterValidator(_check_key)]
Deadline = Annotated[str, AfterValidator(_check_deadline)]
Text = Annotated[str, AfterValidator(_not_blank)]

SectionKind = Literal["goals", "tasks", "mechanisms", "safeguards", "group", "item", "other"]
TargetState = Literal["active", "not_set"]
MilestoneState = Literal["open", "in_progress", "done", "cancelled"]
MilestoneKind = Literal["construction", "closure", "retrofit", "coverage", "procurement", "other"]
RuleScope = Literal["per_project", "per_entity", "accounting", "prohibition"]
ValueEntry = Literal["text", "plan_office"]
ToleranceMode = Literal["relative", "absolute"]

SECTION_KIND_LABELS: dict[str, str] = {
    "goals": "主要目标",
    "tasks": "重点任务",
    "mechanisms": "管理机制",
    "safeguards": "保障措施",
    "group": "任务类别",
    "item": "条目",
    "other": "其他",
}
TARGET_STATE_LABELS: dict[str, str] = {"active": "有效", "not_set": "目标未设定"}
MILESTONE_STATE_LABELS: dict[str, str] = {
    "open": "未完成",
    "in_progress": "推进中",
    "done": "已完成",
    "cancelled": "已取消",
}
MILESTONE_KIND_LABELS: dict[str, str] = {
    "construction": "建设",
    "closure": "关停退出",
    "retrofit": "改造",
    "coverage": "全覆盖",
    "procurement": "采购或配置",
    "other": "其他",
}
RULE_SCOPE_LABELS: dict[str, str] = {
    "per_project": "逐个项目",
    "per_entity": "逐个单位或设施",
    "accounting": "核算口径",
    "prohibition": "禁止性要求",
}
ROLE_LABELS: dict[str, str] = {
    "lead": "牵头",
    "joint": "共同负责",
    "cooperating": "按职责分工负责（配合）",
    "generic": "各有关部门",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- references --------------------------------------------------------------------------


class Ref(_Strict):
    """A reference from a place in the plan (section, task, table row) to a stored object.

    ``quote`` gives the exact words at that place when they differ from the object's
    ``source_quote`` (the table often abbreviates); it is checked against that place's text.
    """

    id: Id
    quote: str | None = None


def _refs(value: Any) -> Any:
    """Let a plan file write ``[a, b]`` as well as ``[{id: a, quote: …}]``."""
    if isinstance(value, list | tuple):
        return [{"id": v} if isinstance(v, str) else v for v in value]
    return value


class _HasRefs(_Strict):
    targets: tuple[Ref, ...] = ()
    milestones: tuple[Ref, ...] = ()
    rules: tuple[Ref, ...] = ()

    @field_validator("targets", "milestones", "rules", mode="before")
    @classmethod
    def _ref_list(cls, value: Any) -> Any:
        return _refs(value)


# -- responsibility -------------------------------------------------------------------------


class Responsibility(_Strict):
    """Who is responsible, as the plan writes it.

    ``（市发改委牵头，市工信局、生态环境局等部门按职责分工负责）`` → ``lead: 市发改委``,
    ``cooperating: [市工信局, 生态环境局]``, ``and_others: true``.
    ``（市工信局、发改委、生态环境局等部门按职责分工负责）`` → ``joint`` (several, no lead).
    ``（市工信局牵头，市各有关部门按职责分工负责）`` → ``generic: 市各有关部门``.
    Names are written as in the text and resolved through the organisations registry.
    """

    quote: Text
    lead: str | None = None
    joint: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    generic: str | None = None
    and_others: bool = False

    @model_validator(mode="after")
    def _roles(self) -> Responsibility:
        if self.lead and self.joint:
            raise ValueError(
                "lead（牵头）与 joint（共同负责）不能同时填写：有牵头部门时其余部门为 cooperating"
            )
        if len(self.joint) == 1:
            raise ValueError("joint（共同负责）至少需要两个部门；只有一个部门时请填写 lead")
        if not (self.lead or self.joint or self.cooperating or self.generic):
            raise ValueError("责任分工至少要有 lead、joint、cooperating 或 generic 之一")
        return self

    @property
    def named(self) -> tuple[tuple[str, str], ...]:
        """``(role, name)`` for every named organisation, in reading order."""
        out: list[tuple[str, str]] = []
        if self.lead:
            out.append(("lead", self.lead))
        out += [("joint", n) for n in self.joint]
        out += [("cooperating", n) for n in self.cooperating]
        return tuple(out)


# -- sections, tasks, table -------------------------------------------------------------------


class Task(_HasRefs):
    """A numbered task (重点任务 sub-task); ``number`` runs through the whole plan (1–13)."""

    id: Id
    number: int = Field(ge=1)
    label: str = ""
    title: Text
    text: Text
    responsibility: Responsibility | None = None


class Section(_HasRefs):
    """A section of the plan in reading order, with its printed label and verbatim heading.

    ``number`` is the section's position among its siblings (1, 2, …); ``label`` is the
    number as printed ("1、", "（1）", "（三）"), which must denote the same number.
    """

    id: Id
    kind: SectionKind
    number: int | None = Field(default=None, ge=1)
    label: str = ""
    heading: Text
    title: Text
    text: str = ""
    responsibility: Responsibility | None = None
    sections: tuple[Section, ...] = ()
    tasks: tuple[Task, ...] = ()


class TableRow(_HasRefs):
    """A row of the target breakdown table (重点工作目标分解表)."""

    number: int = Field(ge=1)
    task: Id
    text: Text
    departments: tuple[str, ...] = Field(min_length=1)


class TableGroup(_Strict):
    heading: Text
    section: Id
    rows: tuple[TableRow, ...] = Field(min_length=1)


class BreakdownTable(_Strict):
    title: Text
    columns: tuple[str, ...] = ()
    groups: tuple[TableGroup, ...] = Field(min_length=1)

    @property
    def rows(self) -> tuple[TableRow, ...]:
        return tuple(row for group in self.groups for row in group.rows)


# -- targets, milestones, rules ---------------------------------------------------------------


class Tolerance(_Strict):
    """How far from the number an approximate (左右/约) target may be and still count as met.

    Never from the plan text: a plan setting that the plan office confirms.
    ``relative``: a fraction of the target value (0.05 = 5 %); ``absolute``: in the target's unit.
    """

    value: Decimal = Field(ge=0)
    mode: ToleranceMode = "relative"


class Target(_Strict):
    """A quantified target, stored once and referenced by id from every place stating it."""

    id: Id
    name: Text
    indicator: str
    subject: str = ""
    kind: TargetKind
    unit: str
    value: Decimal | None = None
    comparator: Comparator
    comparator_stated: bool = True
    direction: Direction
    approximate: bool = False
    tolerance: Tolerance | None = None
    aspirational: bool = False
    baseline_year: int | None = None
    baseline_stated: bool | None = None
    baseline_note: str = ""
    deadline: Deadline
    deadline_stated: bool = True
    state: TargetState = "active"
    value_entry: ValueEntry = "text"
    compare_to: str | None = None
    source_quote: Text
    wording: str | None = None
    basis: str = ""
    basis_quote: str | None = None
    context: str = ""
    context_quote: str | None = None
    placeholder: str | None = None
    settings: tuple[str, ...] = ()
    notes: str = ""

    @model_validator(mode="after")
    def _consistent(self) -> Target:
        higher = self.direction == "higher_is_better"
        if higher and self.comparator not in (">=", ">"):
            raise ValueError(
                f"方向为越高越好（higher_is_better）时比较符应为 >= 或 >，而不是 {self.comparator}"
            )
        if not higher and self.comparator not in ("<=", "<"):
            raise ValueError(
                f"方向为越低越好（lower_is_better）时比较符应为 <= 或 <，而不是 {self.comparator}"
            )
        if self.kind == "comparison":
            if not self.compare_to:
                raise ValueError("kind 为 comparison（与另一指标比较）时必须填写 compare_to")
            if self.value is not None:
                raise ValueError("kind 为 comparison 时不填 value：目标是与 compare_to 指标比较")
        elif self.compare_to:
            raise ValueError("只有 kind 为 comparison 时才能填写 compare_to")
        if self.kind != "comparison":
            if self.value is None and self.state != "not_set":
                raise ValueError(
                    "value 为空的目标，state 必须为 not_set（目标未设定）——不得自行补数"
                )
            if self.value is not None and self.state == "not_set":
                raise ValueError("state 为 not_set（目标未设定）的目标不能有 value")
        if self.kind == "relative_change":
            if self.baseline_year is None or self.baseline_stated is None:
                raise ValueError(
                    "较基期变化率目标必须填写 baseline_year 和 baseline_stated（文本是否写明基期）"
                )
            if self.value is not None and self.value == 0:
                raise ValueError("较基期变化率目标的 value 不能为 0")
        if self.baseline_year is not None and self.baseline_stated is None:
            raise ValueError("填写了 baseline_year 时必须说明 baseline_stated（文本是否写明基期）")
        if self.baseline_stated is False and not self.baseline_note:
            raise ValueError("基期为推断（baseline_stated: false）时必须在 baseline_note 说明依据")
        if self.tolerance is not None and not self.approximate:
            raise ValueError("只有 approximate（左右/约）目标才能有 tolerance")
        if self.value is not None and self.wording is None:
            raise ValueError(
                "有数值的目标必须填写 wording：source_quote 中陈述该数值与比较关系的原文"
            )
        if not self.deadline_stated and not self.notes:
            raise ValueError("期限为推断（deadline_stated: false）时必须在 notes 说明依据")
        if self.value_entry == "plan_office" and self.state != "not_set":
            raise ValueError(
                "value_entry 为 plan_office（由计划管理部门录入）的目标 state 应为 not_set"
            )
        return self

    @property
    def deadline_year(self) -> int:
        return deadline_year(self.deadline)


class Criterion(_Strict):
    """One requirement of a rule or milestone: a threshold (PUE < 1.2) or a level (标杆水平)."""

    indicator: str
    comparator: Comparator | None = None
    value: Decimal | None = None
    unit: str = ""
    level: str | None = None
    wording: str | None = None

    @model_validator(mode="after")
    def _either(self) -> Criterion:
        if self.value is None and self.level is None:
            raise ValueError("条件（criterion）应有 value（数值门槛）或 level（等级要求）")
        if self.value is not None and (self.comparator is None or self.wording is None):
            raise ValueError("有数值门槛的条件必须填写 comparator 和 wording（原文中的表述）")
        return self


class Milestone(_Strict):
    """Something to be built, closed, retrofitted or covered, tracked by its state."""

    id: Id
    title: Text
    subject: Text
    action: Text
    kind: MilestoneKind
    description: str = ""
    deadline: Deadline | None = None
    state: MilestoneState = "open"
    indicator: str | None = None
    criteria: tuple[Criterion, ...] = ()
    source_quote: Text
    errata: tuple[Id, ...] = ()
    notes: str = ""


class Rule(_Strict):
    """A requirement each project or entity must meet (not a city-wide total)."""

    id: Id
    title: Text
    scope: RuleScope
    applies_to: Text
    condition: str = ""
    requirement: Text
    criteria: tuple[Criterion, ...] = ()
    deadline: Deadline | None = None
    source_quote: Text
    notes: str = ""


class Erratum(_Strict):
    """An error in the plan text, kept verbatim in the data and corrected only in ``reading``."""

    id: Id
    quote: Text
    reading: Text
    note: Text


# -- metadata and settings -------------------------------------------------------------------


class ImplementedDocument(_Strict):
    title: Text
    issuer: Text
    quote: Text


class RegionRef(_Strict):
    code: Text
    name: Text


class PlanMeta(_Strict):
    id: Id
    title: Text
    status: Text
    version: Text
    date: dt.date | None = None
    date_note: str = ""
    region: RegionRef
    plan_year: int = Field(ge=2000, le=2100)
    implements: tuple[ImplementedDocument, ...] = ()
    text_file: Text
    registry_file: Text
    preamble: str = ""
    change_note: str = ""

    @model_validator(mode="after")
    def _date(self) -> PlanMeta:
        if self.date is None and not self.date_note:
            raise ValueError("没有 date（印发日期）时必须在 date_note 说明原因，例如文本未注明日期")
        return self


class PlanSetting(_Strict):
    """A setting the plan needs that its text does not fix (tolerance of 左右, 290's basis …)."""

    key: Key
    label: Text
    value: bool | int | Decimal | str
    unit: str = ""
    choices: dict[str, str] = Field(default_factory=dict)
    from_text: bool = False
    confirmed: bool = False
    note: Text

    @model_validator(mode="after")
    def _choice(self) -> PlanSetting:
        if self.choices and str(self.value) not in self.choices:
            raise ValueError(f"取值“{self.value}”不在 choices 中，允许：{', '.join(self.choices)}")
        return self


class IndicatorEntry(_Strict):
    """An indicator a plan defines beyond the built-in list (``vocabulary.INDICATORS``)."""

    code: Key
    label: Text
    unit: str
    source: Literal["computed", "reported", "entered"] = "reported"
    description: str = ""


class UnitEntry(_Strict):
    name: Text
    canonical: Text
    factor: Decimal = Field(gt=0)
    label: str = ""


class PlanFile(_Strict):
    """A whole plan file."""

    format: Literal["ecplan-plan"]
    format_version: Literal[1]
    plan: PlanMeta
    settings: tuple[PlanSetting, ...] = ()
    indicators: tuple[IndicatorEntry, ...] = ()
    units: tuple[UnitEntry, ...] = ()
    sections: tuple[Section, ...] = Field(min_length=1)
    table: BreakdownTable | None = None
    targets: tuple[Target, ...] = ()
    milestones: tuple[Milestone, ...] = ()
    rules: tuple[Rule, ...] = ()
    errata: tuple[Erratum, ...] = ()

    # -- navigation ---------------------------------------------------------------------
    def walk_sections(self) -> list[tuple[str, Section, Section | None, int]]:
        """Every section in reading order as ``(location, section, parent, depth)``."""
        out: list[tuple[str, Section, Section | None, int]] = []

        def visit(
            loc: str, sections: tuple[Section, ...], parent: Section | None, depth: int
        ) -> None:
            for i, section in enumerate(sections):
                here = f"{loc}[{i}]"
                out.append((here, section, parent, depth))
                visit(f"{here}.sections", section.sections, section, depth + 1)

        visit("sections", self.sections, None, 0)
        return out

    def walk_tasks(self) -> list[tuple[str, Task, Section]]:
        """Every task in reading order as ``(location, task, section)``."""
        return [
            (f"{loc}.tasks[{j}]", task, section)
            for loc, section, _, _ in self.walk_sections()
            for j, task in enumerate(section.tasks)
        ]

    @property
    def tasks(self) -> list[Task]:
        return [task for _, task, _ in self.walk_tasks()]

    def setting(self, key: str) -> PlanSetting | None:
        return next((s for s in self.settings if s.key == key), None)

    def target(self, target_id: str) -> Target | None:
        return next((t for t in self.targets if t.id == target_id), None)


Section.model_rebuild()


# -- derived values ---------------------------------------------------------------------------

APPROX_TOLERANCE_SETTING = "approx_tolerance_relative"


class ResolvedTolerance(_Strict):
    """The tolerance that applies to an approximate target, with where it comes from.

    ``absolute`` is the tolerance in the target's own unit (``value × target`` for a relative
    tolerance), computed in full precision. ``from_text`` is always false: 左右/约 never say how
    much.
    """

    value: Decimal
    mode: ToleranceMode
    absolute: Decimal | None
    unit: str
    setting: str | None
    confirmed: bool
    from_text: bool = False
    note: str = ""


def resolve_tolerance(plan: PlanFile, target: Target) -> ResolvedTolerance | None:
    """The tolerance of ``target`` (its own, else the plan setting), or ``None`` if exact."""
    if not target.approximate:
        return None
    unit = "百分点" if target.unit == "%" else target.unit
    if target.tolerance is not None:
        tol = target.tolerance
        setting_key: str | None = None
        confirmed = False
        note = "本目标单独设置的容差（非计划文本规定）"
    else:
        setting = plan.setting(APPROX_TOLERANCE_SETTING)
        if setting is None or isinstance(setting.value, bool | str):
            return None
        tol = Tolerance(value=Decimal(setting.value), mode="relative")
        setting_key = setting.key
        confirmed = setting.confirmed
        note = setting.note
    if tol.mode == "absolute":
        absolute: Decimal | None = tol.value
    elif target.value is not None:
        absolute = abs(target.value) * tol.value
    else:
        absolute = None
    return ResolvedTolerance(
        value=tol.value,
        mode=tol.mode,
        absolute=absolute,
        unit=unit,
        setting=setting_key,
        confirmed=confirmed,
        note=note,
    )

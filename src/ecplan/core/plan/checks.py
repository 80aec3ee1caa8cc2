"""Checks of a whole plan file against its text and its organisations registry.

:func:`check_plan` returns every problem found (not only the first), each as
``(location, Chinese message)`` with the path inside the file, so that whoever edits the file
can fix them all in one pass. Problems make the file invalid; warnings (text the file does not
encode) are reported but do not.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from ecplan.core.plan.schema import (
    APPROX_TOLERANCE_SETTING,
    Criterion,
    Milestone,
    PlanFile,
    Ref,
    Responsibility,
    Rule,
    Section,
    Target,
    Task,
)
from ecplan.core.plan.vocabulary import (
    INDICATORS,
    UNITS,
    UnitDef,
    expected_comparator,
    format_number,
    label_number,
    numbers_in,
    read_wording,
)
from ecplan.core.registry import Registry

Problem = tuple[str, str]

_HINT_VERBATIM = "请从计划文本原样复制（注意全角标点“，”“（）”“、”和空格）"


@dataclass
class CheckResult:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Holder:
    """A place in the plan that states things: a section, a task or a table row."""

    location: str
    label: str
    text: str
    refs: dict[str, tuple[Ref, ...]]
    task_id: str | None = None


class _Checker:
    def __init__(self, plan: PlanFile, text: str, text_name: str, registry: Registry | None):
        self.plan = plan
        self.text = text
        self.text_name = text_name
        self.registry = registry
        self.result = CheckResult()
        self.units: dict[str, UnitDef] = dict(UNITS)
        self.indicators: set[str] = set(INDICATORS)
        self.indicator_units: dict[str, str] = {code: d.unit for code, d in INDICATORS.items()}
        self.holders: list[_Holder] = []

    # -- helpers -------------------------------------------------------------------------
    def problem(self, loc: str, msg: str) -> None:
        self.result.problems.append((loc, msg))

    def verbatim(self, loc: str, quote: str, what: str, within: str | None = None) -> bool:
        """Is ``quote`` found word for word in the plan text (or in ``within``)?"""
        haystack = self.text if within is None else within
        if quote and quote in haystack:
            return True
        where = f"计划文本 {self.text_name} 中" if within is None else "所在位置的原文中"
        self.problem(loc, f"{what}在{where}找不到原文：“{_short(quote, 60)}”。{_HINT_VERBATIM}")
        return False

    def organisation(self, loc: str, name: str) -> None:
        if self.registry is None:
            return
        if self.registry.resolve_organisation(name) is None:
            self.problem(
                loc,
                f"未知部门“{name}”：不在组织机构登记册 {self.plan.plan.registry_file} 中，也不是其中任何部门的别名。"
                "请核对名称，或在登记册中补充该部门（或为已有部门补充别名）",
            )

    # -- top level -----------------------------------------------------------------------
    def run(self) -> CheckResult:
        self.check_meta()
        self.check_vocabulary()
        self.check_unique_ids()
        self.check_sections()
        self.check_table()
        self.check_refs()
        self.check_targets()
        self.check_milestones_rules()
        self.check_errata()
        self.check_coverage()
        return self.result

    def check_meta(self) -> None:
        meta = self.plan.plan
        self.verbatim("plan.title", meta.title, "标题 title ")
        self.verbatim("plan.status", meta.status, "状态 status ")
        if meta.preamble:
            self.verbatim("plan.preamble", meta.preamble, "引言 preamble ")
        for i, doc in enumerate(meta.implements):
            loc = f"plan.implements[{i}]"
            if (
                self.verbatim(f"{loc}.quote", doc.quote, "所落实文件的 quote ")
                and doc.title not in doc.quote
            ):
                self.problem(f"{loc}.title", f"文件名“{doc.title}”不在其 quote 原文中")
        if self.registry is not None and self.registry.region.code != meta.region.code:
            self.problem(
                "plan.region.code",
                f"地区代码 {meta.region.code} 与组织机构登记册 {meta.registry_file} 的地区代码 "
                f"{self.registry.region.code}（{self.registry.region.name}）不一致",
            )
        keys = Counter(s.key for s in self.plan.settings)
        for i, s in enumerate(self.plan.settings):
            if keys[s.key] > 1:
                self.problem(f"settings[{i}].key", f"计划设置 {s.key} 重复")

    def check_vocabulary(self) -> None:
        for i, entry in enumerate(self.plan.indicators):
            if entry.code in self.indicators:
                self.problem(
                    f"indicators[{i}].code", f"指标代码 {entry.code} 已存在（内置或重复定义）"
                )
            self.indicators.add(entry.code)
            self.indicator_units[entry.code] = entry.unit
        for i, unit in enumerate(self.plan.units):
            if unit.name in self.units:
                self.problem(f"units[{i}].name", f"单位 {unit.name} 已存在（内置或重复定义）")
            self.units[unit.name] = UnitDef(unit.name, unit.canonical, unit.factor, unit.label)

    def check_unique_ids(self) -> None:
        groups: list[tuple[str, str, list[tuple[str, str]]]] = [
            (
                "章节",
                "sections",
                [(loc + ".id", s.id) for loc, s, _, _ in self.plan.walk_sections()],
            ),
            ("任务", "tasks", [(loc + ".id", t.id) for loc, t, _ in self.plan.walk_tasks()]),
            (
                "目标",
                "targets",
                [(f"targets[{i}].id", t.id) for i, t in enumerate(self.plan.targets)],
            ),
            (
                "里程碑",
                "milestones",
                [(f"milestones[{i}].id", m.id) for i, m in enumerate(self.plan.milestones)],
            ),
            ("规则", "rules", [(f"rules[{i}].id", r.id) for i, r in enumerate(self.plan.rules)]),
            ("勘误", "errata", [(f"errata[{i}].id", e.id) for i, e in enumerate(self.plan.errata)]),
        ]
        for what, _, items in groups:
            counts = Counter(ident for _, ident in items)
            seen: set[str] = set()
            for loc, ident in items:
                if counts[ident] > 1 and ident in seen:
                    self.problem(
                        loc, f"{what}标识 {ident} 重复：每个{what}只能定义一次，其他位置用标识引用"
                    )
                seen.add(ident)

    # -- sections and tasks --------------------------------------------------------------
    def check_responsibility(self, loc: str, resp: Responsibility, holder_text: str) -> None:
        if not self.verbatim(f"{loc}.quote", resp.quote, "责任分工 quote ", within=holder_text):
            return
        for role, name in resp.named:
            field_name = {"lead": "lead", "joint": "joint", "cooperating": "cooperating"}[role]
            if name not in resp.quote:
                self.problem(f"{loc}.{field_name}", f"部门“{name}”不在责任分工原文“{resp.quote}”中")
            self.organisation(f"{loc}.{field_name}", name)
        if resp.generic and resp.generic not in resp.quote:
            self.problem(f"{loc}.generic", f"“{resp.generic}”不在责任分工原文“{resp.quote}”中")
        if resp.and_others and "等" not in resp.quote:
            self.problem(f"{loc}.and_others", "原文没有“等”，and_others 应为 false")
        if not resp.and_others and "等" in resp.quote and not resp.generic:
            self.problem(
                f"{loc}.and_others", "原文写有“等部门”（名单未列尽），and_others 应为 true"
            )

    def check_numbering(
        self, loc: str, number: int | None, label: str, expected: int, what: str
    ) -> None:
        if number is not None and number != expected:
            self.problem(
                f"{loc}.number", f"{what}编号应为 {expected}（按文中顺序），而不是 {number}"
            )
        if label:
            read = label_number(label)
            if read is None:
                self.problem(
                    f"{loc}.label", f"无法识别编号“{label}”（支持“1、”“1.”“（1）”“（三）”等）"
                )
            elif number is not None and read != number:
                self.problem(
                    f"{loc}.label", f"印刷编号“{label}”表示 {read}，与 number {number} 不一致"
                )

    def check_sections(self) -> None:
        def visit(loc: str, sections: tuple[Section, ...]) -> None:
            numbered = 0
            for i, section in enumerate(sections):
                here = f"{loc}[{i}]"
                if section.number is not None:
                    numbered += 1
                    self.check_numbering(here, section.number, section.label, numbered, "章节")
                elif section.label:
                    self.problem(
                        f"{here}.number", f"有印刷编号“{section.label}”的章节必须填写 number"
                    )
                self.verbatim(f"{here}.heading", section.heading, "章节标题 heading ")
                if section.title not in section.heading:
                    self.problem(
                        f"{here}.title", f"标题“{section.title}”不在 heading“{section.heading}”中"
                    )
                if section.label and not section.heading.startswith(section.label):
                    self.problem(f"{here}.label", f"heading 应以印刷编号“{section.label}”开头")
                if section.text:
                    self.verbatim(f"{here}.text", section.text, "章节正文 text ")
                if section.responsibility is not None:
                    self.check_responsibility(
                        f"{here}.responsibility", section.responsibility, section.text
                    )
                self.holders.append(
                    _Holder(
                        here,
                        f"章节“{section.heading}”",
                        section.heading + "\n" + section.text,
                        {
                            "targets": section.targets,
                            "milestones": section.milestones,
                            "rules": section.rules,
                        },
                    )
                )
                for j, task in enumerate(section.tasks):
                    self.check_task(f"{here}.tasks[{j}]", task, section, j + 1)
                visit(f"{here}.sections", section.sections)

        visit("sections", self.plan.sections)
        for n, (loc, task, _) in enumerate(self.plan.walk_tasks(), start=1):
            if task.number != n:
                self.problem(
                    f"{loc}.number",
                    f"任务编号应按文中顺序连续编排，这里应为 {n}，而不是 {task.number}",
                )

    def check_task(self, loc: str, task: Task, section: Section, position: int) -> None:
        if task.label:
            read = label_number(task.label)
            if read is None:
                self.problem(
                    f"{loc}.label", f"无法识别编号“{task.label}”（支持“1、”“1.”“（1）”“（三）”等）"
                )
            elif read != position:
                self.problem(
                    f"{loc}.label",
                    f"印刷编号“{task.label}”表示 {read}，但它是本节第 {position} 项任务",
                )
        self.verbatim(f"{loc}.text", task.label + task.text, "任务原文（label + text）")
        if task.title not in task.text and task.title != section.title:
            self.problem(
                f"{loc}.title", f"任务名称“{task.title}”既不在任务原文中，也不是所在章节的标题"
            )
        if task.responsibility is not None:
            self.check_responsibility(f"{loc}.responsibility", task.responsibility, task.text)
        self.holders.append(
            _Holder(
                loc,
                f"任务 {task.number}（{task.title}）",
                task.text,
                {"targets": task.targets, "milestones": task.milestones, "rules": task.rules},
                task_id=task.id,
            )
        )

    # -- the breakdown table -----------------------------------------------------------------
    def check_table(self) -> None:
        table = self.plan.table
        if table is None:
            return
        self.verbatim("table.title", table.title, "分解表标题 title ")
        for i, column in enumerate(table.columns):
            self.verbatim(f"table.columns[{i}]", column, "分解表列名 ")
        tasks = {
            loc_task.id: (loc_task, section) for _, loc_task, section in self.plan.walk_tasks()
        }
        section_ids = {s.id for _, s, _, _ in self.plan.walk_sections()}
        used_tasks: dict[str, int] = {}
        expected = 0
        for g, group in enumerate(table.groups):
            gloc = f"table.groups[{g}]"
            self.verbatim(f"{gloc}.heading", group.heading, "分解表分组标题 heading ")
            if group.section not in section_ids:
                self.problem(f"{gloc}.section", f"章节 {group.section} 不存在")
            for r, row in enumerate(group.rows):
                rloc = f"{gloc}.rows[{r}]"
                expected += 1
                if row.number != expected:
                    self.problem(
                        f"{rloc}.number",
                        f"分解表序号应连续，这里应为 {expected}，而不是 {row.number}",
                    )
                self.verbatim(f"{rloc}.text", row.text, f"分解表第 {row.number} 行事项名称 text ")
                cell = "\n".join(row.departments)
                if cell not in self.text:
                    self.problem(
                        f"{rloc}.departments",
                        f"责任部门“{'、'.join(row.departments)}”与计划文本中该行的写法不一致（应逐个照录，顺序不变）",
                    )
                for d, name in enumerate(row.departments):
                    self.organisation(f"{rloc}.departments[{d}]", name)
                if row.task not in tasks:
                    self.problem(f"{rloc}.task", f"任务 {row.task} 不存在")
                else:
                    _, section = tasks[row.task]
                    if section.id != group.section:
                        self.problem(
                            f"{rloc}.task",
                            f"任务 {row.task} 属于章节 {section.id}，不属于本分组的章节 {group.section}",
                        )
                    if row.task in used_tasks:
                        self.problem(
                            f"{rloc}.task",
                            f"任务 {row.task} 已由分解表第 {used_tasks[row.task]} 行概括，一项任务只对应一行",
                        )
                    used_tasks[row.task] = row.number
                self.holders.append(
                    _Holder(
                        rloc,
                        f"分解表第 {row.number} 行",
                        row.text,
                        {"targets": row.targets, "milestones": row.milestones, "rules": row.rules},
                        task_id=row.task,
                    )
                )

    # -- references ---------------------------------------------------------------------------
    def check_refs(self) -> None:
        objects: dict[str, dict[str, Target | Milestone | Rule]] = {
            "targets": {t.id: t for t in self.plan.targets},
            "milestones": {m.id: m for m in self.plan.milestones},
            "rules": {r.id: r for r in self.plan.rules},
        }
        names = {"targets": "目标", "milestones": "里程碑", "rules": "规则"}
        referenced: dict[str, set[str]] = {k: set() for k in objects}
        task_refs: dict[str, dict[str, set[str]]] = {}
        for holder in self.holders:
            if holder.task_id is not None and not holder.location.startswith("table"):
                task_refs[holder.task_id] = {k: {r.id for r in v} for k, v in holder.refs.items()}
        for holder in self.holders:
            for kind, refs in holder.refs.items():
                seen: set[str] = set()
                for i, ref in enumerate(refs):
                    loc = f"{holder.location}.{kind}[{i}]"
                    obj = objects[kind].get(ref.id)
                    if obj is None:
                        self.problem(loc, f"引用了不存在的{names[kind]} {ref.id}（悬空引用）")
                        continue
                    if ref.id in seen:
                        self.problem(loc, f"{names[kind]} {ref.id} 在此处被重复引用")
                    seen.add(ref.id)
                    referenced[kind].add(ref.id)
                    quote = ref.quote if ref.quote is not None else obj.source_quote
                    what = f"{names[kind]} {ref.id} 在{holder.label}的原文" + (
                        "（quote）" if ref.quote else "（source_quote）"
                    )
                    if not self.verbatim(
                        loc + (".quote" if ref.quote else ""), quote, what, within=holder.text
                    ):
                        continue
                    if (
                        isinstance(obj, Target)
                        and obj.value is not None
                        and abs(obj.value) not in numbers_in(quote)
                    ):
                        self.problem(
                            loc,
                            f"目标 {ref.id} 的数值 {format_number(abs(obj.value))} 未出现在此处引用的原文“{_short(quote)}”中",
                        )
                    if (
                        holder.location.startswith("table")
                        and holder.task_id in task_refs
                        and ref.id not in task_refs[holder.task_id].get(kind, set())
                    ):
                        self.problem(
                            loc,
                            f"分解表引用的{names[kind]} {ref.id} 未在其对应任务 {holder.task_id} 中引用：分解表只概括任务的内容",
                        )
        listed: dict[str, list[str]] = {
            "targets": [t.id for t in self.plan.targets],
            "milestones": [m.id for m in self.plan.milestones],
            "rules": [r.id for r in self.plan.rules],
        }
        for kind, idents in listed.items():
            for i, ident in enumerate(idents):
                if ident not in referenced[kind]:
                    self.problem(
                        f"{kind}[{i}]",
                        f"{names[kind]} {ident} 没有被任何章节、任务或分解表行引用：请在陈述它的位置加上引用",
                    )

    def holders_of(self, kind: str, ident: str) -> list[_Holder]:
        return [h for h in self.holders if any(r.id == ident for r in h.refs.get(kind, ()))]

    # -- targets ----------------------------------------------------------------------------
    def check_targets(self) -> None:
        for i, target in enumerate(self.plan.targets):
            self.check_target(f"targets[{i}]", target)

    def check_target(self, loc: str, t: Target) -> None:
        who = f"目标 {t.id}"
        if t.indicator not in self.indicators:
            self.problem(
                f"{loc}.indicator",
                f"{who}：未知指标代码“{t.indicator}”。请使用 docs/plan-format.md 列出的代码，或在 indicators 中定义",
            )
        if t.compare_to is not None and t.compare_to not in self.indicators:
            self.problem(f"{loc}.compare_to", f"{who}：未知指标代码“{t.compare_to}”")
        unit = self.units.get(t.unit)
        if unit is None:
            self.problem(
                f"{loc}.unit",
                f"{who}：未知单位“{t.unit}”（可用：{'、'.join(self.units)}；或在 units 中定义）",
            )
        elif (
            t.indicator in self.indicator_units
            and self.indicator_units[t.indicator] != unit.canonical
        ):
            self.problem(
                f"{loc}.unit",
                f"{who}：单位“{t.unit}”（计算单位 {unit.canonical}）与指标 {t.indicator} 的计算单位 "
                f"{self.indicator_units[t.indicator]} 不一致",
            )
        for j, key in enumerate(t.settings):
            if self.plan.setting(key) is None:
                self.problem(f"{loc}.settings[{j}]", f"{who}：计划设置 {key} 不存在")
        if (
            t.approximate
            and t.tolerance is None
            and self.plan.setting(APPROX_TOLERANCE_SETTING) is None
        ):
            self.problem(
                f"{loc}.approximate",
                f"{who}：“左右/约”目标需要容差：请在 settings 中设置 {APPROX_TOLERANCE_SETTING}，或为本目标填写 tolerance",
            )
        if not self.verbatim(f"{loc}.source_quote", t.source_quote, f"{who} 的 source_quote "):
            return
        for name, quote in (("basis_quote", t.basis_quote), ("context_quote", t.context_quote)):
            if quote is not None:
                self.verbatim(f"{loc}.{name}", quote, f"{who} 的 {name} ")
        if t.placeholder and t.placeholder not in t.source_quote:
            self.problem(
                f"{loc}.placeholder", f"{who}：占位符“{t.placeholder}”不在 source_quote 中"
            )
        quote_numbers = numbers_in(t.source_quote)
        if t.value is not None and abs(t.value) not in quote_numbers:
            self.problem(
                f"{loc}.value",
                f"{who}：数值 {format_number(abs(t.value))} 未出现在其原文 source_quote“{_short(t.source_quote)}”中",
            )
        if t.baseline_year is not None:
            stated = Decimal(t.baseline_year) in quote_numbers
            if t.baseline_stated and not stated:
                self.problem(
                    f"{loc}.baseline_year",
                    f"{who}：基期 {t.baseline_year} 年未出现在原文中；文本未写明基期时 baseline_stated 应为 false",
                )
            if t.baseline_stated is False and stated:
                self.problem(
                    f"{loc}.baseline_stated",
                    f"{who}：原文写明了基期 {t.baseline_year} 年，baseline_stated 应为 true",
                )
        if t.deadline_stated:
            self.check_deadline(loc, who, "targets", t.id, t.deadline, t.source_quote)
        self.check_wording(loc, who, t)

    def check_deadline(
        self, loc: str, who: str, kind: str, ident: str, deadline: str | None, quote: str
    ) -> None:
        if deadline is None:
            return
        places = [quote] + [h.text for h in self.holders_of(kind, ident)]
        if not any(deadline in p for p in places):
            self.problem(
                f"{loc}.deadline",
                f"{who}：期限“{deadline}”既不在原文 source_quote 中，也不在引用它的章节、任务或分解表行中",
            )

    def check_wording(self, loc: str, who: str, t: Target) -> None:
        if t.wording is None:
            if t.comparator_stated:
                self.problem(
                    f"{loc}.comparator_stated",
                    f"{who}：没有 wording（原文表述）时 comparator_stated 应为 false，并在 notes 说明比较关系按何理解",
                )
            if t.approximate or t.aspirational:
                self.problem(
                    f"{loc}.wording", f"{who}：“左右/约/力争”目标必须填写 wording（原文表述）"
                )
            return
        if t.wording not in t.source_quote:
            self.problem(f"{loc}.wording", f"{who}：wording“{t.wording}”不在其 source_quote 中")
            return
        if t.value is not None and abs(t.value) not in numbers_in(t.wording):
            self.problem(
                f"{loc}.wording",
                f"{who}：数值 {format_number(abs(t.value))} 不在 wording“{t.wording}”中",
            )
        reading = read_wording(t.wording)
        if reading.direction and reading.direction != t.direction:
            self.problem(
                f"{loc}.direction",
                f"{who}：原文“{t.wording}”表明方向为 {reading.direction}，与 direction {t.direction} 不一致",
            )
        expected = expected_comparator(reading, t.direction)
        if expected is not None:
            if t.comparator != expected:
                self.problem(
                    f"{loc}.comparator",
                    f"{who}：原文“{t.wording}”（{'、'.join(k for k in reading.keywords if k != '约束')}）对应的比较符为 {expected}，而不是 {t.comparator}"
                    "（以上/不低于/达到含本数；超过/低于不含本数）",
                )
            if not t.comparator_stated:
                self.problem(
                    f"{loc}.comparator_stated",
                    f"{who}：原文“{t.wording}”写明了比较关系，comparator_stated 应为 true",
                )
        elif t.comparator_stated:
            self.problem(
                f"{loc}.comparator_stated",
                f"{who}：原文“{t.wording}”没有写明比较关系（以上、不低于、达到、超过、低于……），"
                "comparator_stated 应为 false，并在 notes 说明按何理解",
            )
        if reading.approximate != t.approximate:
            self.problem(
                f"{loc}.approximate",
                f"{who}：原文“{t.wording}”{'有' if reading.approximate else '没有'}“左右/约”，approximate 应为 {str(reading.approximate).lower()}",
            )
        if reading.aspirational != t.aspirational:
            self.problem(
                f"{loc}.aspirational",
                f"{who}：原文“{t.wording}”{'有' if reading.aspirational else '没有'}“力争”，aspirational 应为 {str(reading.aspirational).lower()}",
            )
        if t.kind == "relative_change" and t.value is not None:
            if reading.change == "decrease" and (t.value > 0 or t.direction != "lower_is_better"):
                self.problem(
                    f"{loc}.value",
                    f"{who}：原文“{t.wording}”是下降，较基期变化率 value 应为负数（如 -5），direction 为 lower_is_better",
                )
            if reading.change == "increase" and (t.value < 0 or t.direction != "higher_is_better"):
                self.problem(
                    f"{loc}.value",
                    f"{who}：原文“{t.wording}”是增长，较基期变化率 value 应为正数，direction 为 higher_is_better",
                )

    # -- milestones and rules -------------------------------------------------------------------
    def check_criteria(
        self, loc: str, who: str, criteria: tuple[Criterion, ...], quote: str
    ) -> None:
        for j, c in enumerate(criteria):
            cloc = f"{loc}.criteria[{j}]"
            if c.indicator not in self.indicators:
                self.problem(f"{cloc}.indicator", f"{who}：未知指标代码“{c.indicator}”")
            if c.unit and c.unit not in self.units:
                self.problem(f"{cloc}.unit", f"{who}：未知单位“{c.unit}”")
            if c.level is not None and c.level not in quote:
                self.problem(f"{cloc}.level", f"{who}：等级要求“{c.level}”不在原文 source_quote 中")
            if c.wording is None:
                continue
            if c.wording not in quote:
                self.problem(
                    f"{cloc}.wording", f"{who}：wording“{c.wording}”不在原文 source_quote 中"
                )
                continue
            if c.value is not None and c.value not in numbers_in(c.wording):
                self.problem(
                    f"{cloc}.value",
                    f"{who}：数值 {format_number(c.value)} 不在 wording“{c.wording}”中",
                )
            reading = read_wording(c.wording)
            if (
                c.comparator is not None
                and reading.comparator is not None
                and reading.comparator != c.comparator
            ):
                self.problem(
                    f"{cloc}.comparator",
                    f"{who}：原文“{c.wording}”对应的比较符为 {reading.comparator}，而不是 {c.comparator}",
                )

    def check_milestones_rules(self) -> None:
        errata = {e.id for e in self.plan.errata}
        for i, m in enumerate(self.plan.milestones):
            loc, who = f"milestones[{i}]", f"里程碑 {m.id}"
            if m.indicator is not None and m.indicator not in self.indicators:
                self.problem(f"{loc}.indicator", f"{who}：未知指标代码“{m.indicator}”")
            for j, e in enumerate(m.errata):
                if e not in errata:
                    self.problem(f"{loc}.errata[{j}]", f"{who}：勘误 {e} 不存在（悬空引用）")
            if not self.verbatim(f"{loc}.source_quote", m.source_quote, f"{who} 的 source_quote "):
                continue
            if m.subject not in m.source_quote:
                self.problem(
                    f"{loc}.subject", f"{who}：对象 subject“{m.subject}”不在原文 source_quote 中"
                )
            self.check_criteria(loc, who, m.criteria, m.source_quote)
            self.check_deadline(loc, who, "milestones", m.id, m.deadline, m.source_quote)
        for i, r in enumerate(self.plan.rules):
            loc, who = f"rules[{i}]", f"规则 {r.id}"
            if not self.verbatim(f"{loc}.source_quote", r.source_quote, f"{who} 的 source_quote "):
                continue
            if r.applies_to not in r.source_quote:
                self.problem(
                    f"{loc}.applies_to",
                    f"{who}：适用对象 applies_to“{r.applies_to}”不在原文 source_quote 中",
                )
            self.check_criteria(loc, who, r.criteria, r.source_quote)
            self.check_deadline(loc, who, "rules", r.id, r.deadline, r.source_quote)

    def check_errata(self) -> None:
        for i, e in enumerate(self.plan.errata):
            self.verbatim(f"errata[{i}].quote", e.quote, f"勘误 {e.id} 的 quote ")

    # -- coverage ----------------------------------------------------------------------------
    def check_coverage(self) -> None:
        """Warn about lines of the text that nothing in the file encodes."""
        pieces: list[str] = [self.plan.plan.title, self.plan.plan.status, self.plan.plan.preamble]
        exact: set[str] = set()
        for _, section, _, _ in self.plan.walk_sections():
            pieces += [section.heading, section.text]
            pieces += [task.label + task.text for task in section.tasks]
        if self.plan.table is not None:
            table = self.plan.table
            pieces.append(table.title)
            exact.update(table.columns)
            for group in table.groups:
                pieces.append(group.heading)
                for row in group.rows:
                    pieces.append(row.text)
                    exact.add(str(row.number))
                    exact.update(row.departments)
        exact.add(self.plan.plan.status)
        pieces = [p for p in pieces if p]
        for n, line in enumerate(self.text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped or stripped in exact or stripped.strip("（）()") in exact:
                continue
            if not any(stripped in p for p in pieces):
                self.result.warnings.append(
                    (f"{self.text_name} 第 {n} 行", f"文本未编码进计划文件：“{_short(stripped)}”")
                )


def check_plan(
    plan: PlanFile, *, text: str, text_name: str, registry: Registry | None
) -> CheckResult:
    """Check ``plan`` against its text (and registry); return all problems and warnings.

    Parameters
    ----------
    plan : PlanFile
        The validated plan file.
    text : str
        The plan's full text (the shipped ``.txt``), which every quote must be found in.
    text_name : str
        The text file's name, used in messages.
    registry : Registry or None
        The organisations registry every named department must resolve in (``None`` skips
        that check).
    """
    return _Checker(plan, text, text_name, registry).run()

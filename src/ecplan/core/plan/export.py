"""A loaded plan as plain data (the JSON of ``ecplan plan show``, stored with each version).

The shape keeps the keys the platform promises (``id``, ``title``, ``status``, ``sections``,
``tasks`` with ``number``/``title``/``responsibility``/``targets``, ``targets`` with
``id``/``indicator``/``unit``/``comparator``/``direction``/``value``/``tolerance``/
``baseline_year``/``baseline_stated``/``deadline``/``aspirational``/``responsibility``/
``state``/``source_quote``, ``milestones``, ``rules``) and adds what pages and evaluation need.
Numbers are exact: integral values as integers, others as the shortest decimal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ecplan.core.plan.loader import LoadedPlan
from ecplan.core.plan.schema import (
    MILESTONE_KIND_LABELS,
    MILESTONE_STATE_LABELS,
    ROLE_LABELS,
    RULE_SCOPE_LABELS,
    SECTION_KIND_LABELS,
    TARGET_STATE_LABELS,
    Criterion,
    PlanFile,
    Ref,
    Responsibility,
    Section,
    TableRow,
    Task,
    resolve_tolerance,
)
from ecplan.core.plan.vocabulary import (
    COMPARATOR_LABELS,
    DIRECTION_LABELS,
    INDICATORS,
    TARGET_KIND_LABELS,
    UNITS,
    UnitDef,
    requirement_phrase,
)
from ecplan.core.registry import Registry

SHAPE_VERSION = 1


def number(value: Decimal | None) -> int | float | None:
    """A Decimal as a JSON number: ``Decimal("20")`` → 20, ``Decimal("1.2")`` → 1.2."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


class _Exporter:
    def __init__(self, loaded: LoadedPlan) -> None:
        self.loaded = loaded
        self.plan: PlanFile = loaded.plan
        self.registry: Registry = loaded.registry
        self.units: dict[str, UnitDef] = dict(UNITS)
        for u in self.plan.units:
            self.units[u.name] = UnitDef(u.name, u.canonical, u.factor, u.label)
        self.indicator_labels = {code: d.label for code, d in INDICATORS.items()}
        self.indicator_labels.update({i.code: i.label for i in self.plan.indicators})
        # place → (refs, responsibility dicts)
        self.places: list[
            tuple[dict[str, Any], dict[str, tuple[Ref, ...]], list[dict[str, Any]]]
        ] = []

    def org(self, name: str) -> dict[str, Any]:
        entry = self.registry.resolve_organisation(name)
        return {
            "name": name,
            "code": entry.code if entry else None,
            "canonical_name": entry.name if entry else None,
        }

    def responsibility(self, resp: Responsibility | None) -> dict[str, Any] | None:
        if resp is None:
            return None
        return {
            "source": "text",
            "quote": resp.quote,
            "lead": self.org(resp.lead) if resp.lead else None,
            "joint": [self.org(n) for n in resp.joint],
            "cooperating": [self.org(n) for n in resp.cooperating],
            "generic": resp.generic,
            "and_others": resp.and_others,
        }

    def table_responsibility(self, row: TableRow) -> dict[str, Any]:
        single = len(row.departments) == 1
        return {
            "source": "table",
            "quote": "\n".join(row.departments),
            "lead": self.org(row.departments[0]) if single else None,
            "joint": [] if single else [self.org(n) for n in row.departments],
            "cooperating": [],
            "generic": None,
            "and_others": False,
        }

    @staticmethod
    def codes(resp: dict[str, Any] | None) -> dict[str, list[str]]:
        if resp is None:
            return {}
        out: dict[str, list[str]] = {}
        if resp["lead"]:
            out["lead"] = [resp["lead"]["code"]]
        for role in ("joint", "cooperating"):
            if resp[role]:
                out[role] = sorted(o["code"] for o in resp[role])
        return out

    # -- sections and tasks -------------------------------------------------------------
    def sections_and_tasks(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        rows_by_task = {row.task: row for row in (self.plan.table.rows if self.plan.table else ())}
        sections: list[dict[str, Any]] = []
        tasks: list[dict[str, Any]] = []

        def refs(holder: Section | Task | TableRow) -> dict[str, list[str]]:
            return {
                "targets": [r.id for r in holder.targets],
                "milestones": [r.id for r in holder.milestones],
                "rules": [r.id for r in holder.rules],
            }

        for _, section, parent, depth in self.plan.walk_sections():
            resp = self.responsibility(section.responsibility)
            sections.append(
                {
                    "id": section.id,
                    "kind": section.kind,
                    "kind_label": SECTION_KIND_LABELS[section.kind],
                    "level": depth + 1,
                    "parent": parent.id if parent else None,
                    "number": section.number,
                    "label": section.label,
                    "heading": section.heading,
                    "title": section.title,
                    "text": section.text,
                    "responsibility": resp,
                    **refs(section),
                    "tasks": [t.number for t in section.tasks],
                }
            )
            self.places.append(
                (
                    {"place": "section", "id": section.id, "label": section.heading},
                    {
                        "targets": section.targets,
                        "milestones": section.milestones,
                        "rules": section.rules,
                    },
                    [resp] if resp else [],
                )
            )
            for task in section.tasks:
                body = self.responsibility(task.responsibility)
                row = rows_by_task.get(task.id)
                table = self.table_responsibility(row) if row else None
                tasks.append(
                    {
                        "number": task.number,
                        "id": task.id,
                        "label": task.label,
                        "title": task.title,
                        "section": section.id,
                        "section_heading": section.heading,
                        "text": task.text,
                        "responsibility": body,
                        "table_row": row.number if row else None,
                        "table_text": row.text if row else None,
                        "table_responsibility": table,
                        "responsibility_differs": bool(
                            table is not None
                            and body is not None
                            and self.codes(body) != self.codes(table)
                        ),
                        **refs(task),
                    }
                )
                self.places.append(
                    (
                        {
                            "place": "task",
                            "number": task.number,
                            "id": task.id,
                            "label": f"任务 {task.number}",
                        },
                        {
                            "targets": task.targets,
                            "milestones": task.milestones,
                            "rules": task.rules,
                        },
                        [body] if body else [],
                    )
                )
        return sections, tasks

    def table(self) -> dict[str, Any] | None:
        table = self.plan.table
        if table is None:
            return None
        rows = []
        for group in table.groups:
            for row in group.rows:
                resp = self.table_responsibility(row)
                rows.append(
                    {
                        "number": row.number,
                        "group_heading": group.heading,
                        "section": group.section,
                        "task": row.task,
                        "text": row.text,
                        "departments": list(row.departments),
                        "responsibility": resp,
                        "targets": [r.id for r in row.targets],
                        "milestones": [r.id for r in row.milestones],
                        "rules": [r.id for r in row.rules],
                    }
                )
                self.places.append(
                    (
                        {
                            "place": "table_row",
                            "number": row.number,
                            "label": f"分解表第 {row.number} 行",
                        },
                        {"targets": row.targets, "milestones": row.milestones, "rules": row.rules},
                        [resp],
                    )
                )
        return {"title": table.title, "columns": list(table.columns), "rows": rows}

    def mentions(self, kind: str, ident: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Where ``ident`` is referenced (with the words there) and the responsibility there."""
        referenced: list[dict[str, Any]] = []
        responsibility: list[dict[str, Any]] = []
        for place, refs, resps in self.places:
            for ref in refs[kind]:
                if ref.id == ident:
                    referenced.append({**place, "quote": ref.quote})
                    responsibility += [{**r, "place": place} for r in resps]
        return referenced, responsibility

    # -- objects ------------------------------------------------------------------------------
    def criterion(self, c: Criterion) -> dict[str, Any]:
        return {
            "indicator": c.indicator,
            "indicator_label": self.indicator_labels.get(c.indicator, c.indicator),
            "comparator": c.comparator,
            "value": number(c.value),
            "unit": c.unit,
            "level": c.level,
            "wording": c.wording,
        }

    def targets(self) -> list[dict[str, Any]]:
        out = []
        for t in self.plan.targets:
            unit = self.units.get(t.unit)
            tol = resolve_tolerance(self.plan, t)
            referenced, responsibility = self.mentions("targets", t.id)
            out.append(
                {
                    "id": t.id,
                    "name": t.name,
                    "indicator": t.indicator,
                    "indicator_label": self.indicator_labels.get(t.indicator, t.indicator),
                    "subject": t.subject,
                    "kind": t.kind,
                    "kind_label": TARGET_KIND_LABELS[t.kind],
                    "unit": t.unit,
                    "canonical_unit": unit.canonical if unit else None,
                    "value": number(t.value),
                    "value_canonical": number(t.value * unit.factor)
                    if unit is not None and t.value is not None
                    else None,
                    "comparator": t.comparator,
                    "comparator_label": COMPARATOR_LABELS[t.comparator],
                    "comparator_stated": t.comparator_stated,
                    "requirement": requirement_phrase(
                        t.comparator,
                        t.value,
                        t.unit,
                        approximate=t.approximate,
                        aspirational=t.aspirational,
                        compare_to_label=self.indicator_labels.get(t.compare_to, t.compare_to)
                        if t.compare_to
                        else None,
                        relative_change=t.kind == "relative_change",
                    ),
                    "direction": t.direction,
                    "direction_label": DIRECTION_LABELS[t.direction],
                    "approximate": t.approximate,
                    "tolerance": None
                    if tol is None
                    else {
                        "value": number(tol.value),
                        "mode": tol.mode,
                        "absolute": number(tol.absolute),
                        "absolute_canonical": number(tol.absolute * unit.factor)
                        if tol.absolute is not None and unit is not None
                        else None,
                        "unit": tol.unit,
                        "setting": tol.setting,
                        "from_text": False,
                        "confirmed": tol.confirmed,
                        "note": tol.note,
                    },
                    "aspirational": t.aspirational,
                    "baseline_year": t.baseline_year,
                    "baseline_stated": t.baseline_stated,
                    "baseline_note": t.baseline_note,
                    "deadline": t.deadline,
                    "deadline_year": t.deadline_year,
                    "deadline_stated": t.deadline_stated,
                    "state": t.state,
                    "state_label": TARGET_STATE_LABELS[t.state],
                    "value_entry": t.value_entry,
                    "compare_to": t.compare_to,
                    "source_quote": t.source_quote,
                    "wording": t.wording,
                    "basis": t.basis,
                    "context": t.context,
                    "placeholder": t.placeholder,
                    "settings": list(t.settings),
                    "notes": t.notes,
                    "responsibility": responsibility,
                    "referenced_by": referenced,
                }
            )
        return out

    def milestones(self) -> list[dict[str, Any]]:
        errata = {e.id: e for e in self.plan.errata}
        out = []
        for m in self.plan.milestones:
            referenced, responsibility = self.mentions("milestones", m.id)
            out.append(
                {
                    "id": m.id,
                    "title": m.title,
                    "subject": m.subject,
                    "action": m.action,
                    "kind": m.kind,
                    "kind_label": MILESTONE_KIND_LABELS[m.kind],
                    "description": m.description,
                    "deadline": m.deadline,
                    "state": m.state,
                    "state_label": MILESTONE_STATE_LABELS[m.state],
                    "indicator": m.indicator,
                    "criteria": [self.criterion(c) for c in m.criteria],
                    "source_quote": m.source_quote,
                    "errata": [
                        {
                            "id": e,
                            "quote": errata[e].quote,
                            "reading": errata[e].reading,
                            "note": errata[e].note,
                        }
                        for e in m.errata
                    ],
                    "notes": m.notes,
                    "responsibility": responsibility,
                    "referenced_by": referenced,
                }
            )
        return out

    def rules(self) -> list[dict[str, Any]]:
        out = []
        for r in self.plan.rules:
            referenced, responsibility = self.mentions("rules", r.id)
            out.append(
                {
                    "id": r.id,
                    "title": r.title,
                    "scope": r.scope,
                    "scope_label": RULE_SCOPE_LABELS[r.scope],
                    "applies_to": r.applies_to,
                    "condition": r.condition,
                    "requirement": r.requirement,
                    "criteria": [self.criterion(c) for c in r.criteria],
                    "deadline": r.deadline,
                    "source_quote": r.source_quote,
                    "notes": r.notes,
                    "responsibility": responsibility,
                    "referenced_by": referenced,
                }
            )
        return out

    def run(self) -> dict[str, Any]:
        meta = self.plan.plan
        sections, tasks = self.sections_and_tasks()
        table = self.table()
        used = {t.indicator for t in self.plan.targets} | {
            t.compare_to for t in self.plan.targets if t.compare_to
        }
        used |= {m.indicator for m in self.plan.milestones if m.indicator}
        used |= {c.indicator for m in self.plan.milestones for c in m.criteria}
        used |= {c.indicator for r in self.plan.rules for c in r.criteria}
        return {
            "shape_version": SHAPE_VERSION,
            "id": meta.id,
            "title": meta.title,
            "status": meta.status,
            "version": meta.version,
            "date": meta.date.isoformat() if meta.date else None,
            "date_note": meta.date_note,
            "region": {"code": meta.region.code, "name": meta.region.name},
            "plan_year": meta.plan_year,
            "implements": [d.model_dump() for d in meta.implements],
            "preamble": meta.preamble,
            "change_note": meta.change_note,
            "text_file": meta.text_file,
            "registry_file": meta.registry_file,
            "content_hash": self.loaded.content_hash,
            "settings": [
                {
                    "key": s.key,
                    "label": s.label,
                    "value": number(s.value) if isinstance(s.value, Decimal) else s.value,
                    "unit": s.unit,
                    "choices": dict(s.choices),
                    "from_text": s.from_text,
                    "confirmed": s.confirmed,
                    "note": s.note,
                }
                for s in self.plan.settings
            ],
            "sections": sections,
            "tasks": tasks,
            "table": table,
            "targets": self.targets(),
            "milestones": self.milestones(),
            "rules": self.rules(),
            "errata": [e.model_dump() for e in self.plan.errata],
            "indicators": [
                {"code": code, "label": self.indicator_labels.get(code, code)}
                for code in sorted(used)
            ],
            "roles": dict(ROLE_LABELS),
        }


def plan_to_dict(loaded: LoadedPlan) -> dict[str, Any]:
    """The whole plan as JSON-ready data (see the module docstring for the shape)."""
    return _Exporter(loaded).run()

"""A report's full history as plain data: every revision (who, when, why, state), every
workflow event (submission, each review step's decision, return, withdrawal), and the
field-by-field differences (old → new) between consecutive revisions.

Nothing here writes. The report reaches this module through a policy
(:func:`ecplan.workflow.policies.workflow_reports`); its revisions, submissions and events are
read through the report's relations.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ecplan.reporting import services as reporting_services
from ecplan.reporting.models import (
    ElectricityFacts,
    EnergyLine,
    EnergyResult,
    IndicatorValue,
    InstallationLine,
    OutputLine,
    Report,
    ReportType,
    Revision,
    StatisticLine,
)

__all__ = ["FieldChange", "LineChange", "RevisionEntry", "report_history", "revision_diff"]

SECTION_LABELS: dict[str, str] = {
    "energy": "能源消费",
    "outputs": "产品产量",
    "installations": "装置运行",
    "electricity": "自发电与绿电",
    "balance": "能源平衡",
    "power": "电力",
    "separately_listed": "能耗单列项目",
    "economy": "经济与人口",
    "indicators": "指标值",
}
_MODEL_OF_SECTION: dict[str, type[Any]] = {
    "energy": EnergyLine,
    "outputs": OutputLine,
    "installations": InstallationLine,
    "electricity": ElectricityFacts,
    "indicators": IndicatorValue,
}
#: Fields that are bookkeeping or derived from what was entered: not shown in diffs.
_HIDDEN = frozenset(
    {
        "id",
        "revision_id",
        "position",
        "source_row",
        "source_sheet",
        "raw",
        "canonical_unit",
        "unit_multiplier",
        "installation_id",  # part of the line's label
    }
)
#: Accounting totals compared between revisions (field, label).
RESULT_FIELDS: tuple[tuple[str, str], ...] = (
    ("energy_tce_equivalent", "综合能耗（等价值，吨标准煤）"),
    ("energy_tce_calorific", "综合能耗（当量值，吨标准煤）"),
    ("co2_t", "二氧化碳排放（吨）"),
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any

    @property
    def old_text(self) -> str:
        return _text(self.old)

    @property
    def new_text(self) -> str:
        return _text(self.new)

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class LineChange:
    """One line that was added, removed or changed between two revisions."""

    section: str
    line: str  # which line: 原煤, PTA-1 …
    kind: str  # "added", "removed", "changed"
    changes: tuple[FieldChange, ...]

    KIND_LABELS = {"added": "新增", "removed": "删除", "changed": "修改"}

    @property
    def section_label(self) -> str:
        return SECTION_LABELS.get(self.section, self.section)

    @property
    def kind_label(self) -> str:
        return self.KIND_LABELS[self.kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "section_label": self.section_label,
            "line": self.line,
            "kind": self.kind,
            "changes": [c.to_dict() for c in self.changes],
        }


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "—"
        return f"{value:,.6f}".rstrip("0").rstrip(".")
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _label(section: str, name: str) -> str:
    model = _MODEL_OF_SECTION.get(section, StatisticLine)
    key = name[:-3] if name.endswith("_id") else name
    try:
        return str(model._meta.get_field(key).verbose_name)
    except Exception:
        return name


def _names(report: Report) -> dict[int, str]:
    """Installation id → "code name" of the report's enterprise (for line labels)."""
    if report.enterprise is None:
        return {}
    return {i.pk: f"{i.code} {i.name}" for i in report.enterprise.installations.all()}


def _line_label(
    report_type: str, section: str, values: Mapping[str, Any], names: dict[int, str]
) -> str:
    if section == "energy":
        return str(values.get("carrier_text") or values.get("carrier"))
    if section == "outputs":
        inst = values.get("installation_id")
        return str(values.get("product")) + (f"（{names.get(int(inst), inst)}）" if inst else "")
    if section == "installations":
        inst = values.get("installation_id")
        return str(names.get(int(inst), inst)) if inst is not None else "装置"
    if section == "electricity":
        return "自发电与绿电"
    if report_type == ReportType.STATISTICS:
        from ecplan.reporting.catalogue import STATISTIC_ITEMS

        labels = {i.code: i.label for i in STATISTIC_ITEMS}
        item = values.get("item", "")
        parts = [labels.get(item, item), values.get("breakdown"), values.get("subject")]
        return " / ".join(str(p) for p in parts if p)
    parts = [values.get("indicator"), values.get("subject")]
    return " / ".join(str(p) for p in parts if p)


def _shown(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in values.items()
        if k not in _HIDDEN and not k.endswith("_canonical") and k != "carrier"
    }


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return bool(a == b)


def revision_diff(old: Revision | None, new: Revision) -> list[LineChange]:
    """Field-by-field differences from ``old`` to ``new`` (lines of the same report).

    ``old`` ``None``: every line of ``new`` is "added".
    """
    report = new.report
    ids = [new.pk] + ([old.pk] if old is not None else [])
    content = reporting_services.load_content(report.report_type, ids)
    before = content.get(old.pk, {}) if old is not None else {}
    after = content[new.pk]
    names = _names(report)
    out: list[LineChange] = []
    order = list(SECTION_LABELS)
    sections = sorted(set(before) | set(after), key=lambda s: order.index(s) if s in order else 99)
    for section in sections:
        a, b = before.get(section, {}), after.get(section, {})
        for key in list(a) + [k for k in b if k not in a]:
            old_line, new_line = a.get(key), b.get(key)
            if old_line is not None and new_line is not None:
                ov, nv = _shown(old_line.values), _shown(new_line.values)
                changes = tuple(
                    FieldChange(k, _label(section, k), ov.get(k), nv.get(k))
                    for k in list(ov) + [k for k in nv if k not in ov]
                    if not _same(ov.get(k), nv.get(k))
                )
                if changes:
                    label = _line_label(report.report_type, section, new_line.values, names)
                    out.append(LineChange(section, label, "changed", changes))
            elif new_line is not None:
                nv = _shown(new_line.values)
                label = _line_label(report.report_type, section, new_line.values, names)
                out.append(
                    LineChange(
                        section,
                        label,
                        "added",
                        tuple(
                            FieldChange(k, _label(section, k), None, v)
                            for k, v in nv.items()
                            if v not in (None, "")
                        ),
                    )
                )
            elif old_line is not None:
                ov = _shown(old_line.values)
                label = _line_label(report.report_type, section, old_line.values, names)
                out.append(
                    LineChange(
                        section,
                        label,
                        "removed",
                        tuple(
                            FieldChange(k, _label(section, k), v, None)
                            for k, v in ov.items()
                            if v not in (None, "")
                        ),
                    )
                )
    return out


def _current_result(revision: Revision) -> EnergyResult | None:
    return revision.results.order_by("-version").first()


@dataclass
class RevisionEntry:
    """One revision with its events, submissions and the differences from the one before."""

    revision: Revision
    previous: Revision | None
    events: list[Any] = field(default_factory=list)
    submissions: list[Any] = field(default_factory=list)
    diff: list[LineChange] = field(default_factory=list)
    result: EnergyResult | None = None
    result_changes: list[FieldChange] = field(default_factory=list)
    is_effective: bool = False  # the approved revision that counts now

    @property
    def diff_counts(self) -> dict[str, int]:
        out = {"added": 0, "removed": 0, "changed": 0}
        for c in self.diff:
            out[c.kind] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        r = self.revision
        return {
            "number": r.number,
            "state": r.state,
            "state_label": r.get_state_display(),
            "based_on": r.based_on.number if r.based_on is not None else None,
            "reason": r.reason,
            "channel": r.get_channel_display(),
            "created_by": r.created_by.username if r.created_by else None,
            "created_at": r.created_at.isoformat(),
            "state_changed_by": r.state_changed_by.username if r.state_changed_by else None,
            "state_changed_at": r.state_changed_at.isoformat() if r.state_changed_at else None,
            "state_reason": r.state_reason,
            "is_effective": self.is_effective,
            "events": [
                {
                    "action": e.action,
                    "action_label": e.get_action_display(),
                    "step": e.step.position if e.step_id else None,
                    "step_label": e.step.label if e.step_id else "",
                    "actor": e.actor.username if e.actor_id else None,
                    "actor_name": e.actor_name,
                    "comment": e.comment,
                    "from_state": e.from_state,
                    "to_state": e.to_state,
                    "occurred_at": e.occurred_at.isoformat(),
                }
                for e in self.events
            ],
            "diff": [c.to_dict() for c in self.diff],
            "result_changes": [c.to_dict() for c in self.result_changes],
        }


def report_history(report: Report) -> list[RevisionEntry]:
    """Every revision of ``report``, oldest first, with events, decisions and diffs."""
    revisions = list(
        report.revisions.select_related(
            "created_by", "state_changed_by", "based_on", "import_batch"
        ).order_by("number")
    )
    events = list(
        report.workflow_events.select_related("actor", "step", "submission").order_by(
            "occurred_at", "id"
        )
    )
    submissions = list(
        report.submissions.select_related("submitted_by")
        .prefetch_related("steps__decided_by")
        .order_by("submitted_at", "id")
    )
    effective = report.revisions.approved().first()
    entries: list[RevisionEntry] = []
    previous: Revision | None = None
    for rev in revisions:
        entry = RevisionEntry(
            revision=rev,
            previous=previous,
            events=[e for e in events if e.revision_id == rev.pk],
            submissions=[s for s in submissions if s.revision_id == rev.pk],
            diff=revision_diff(previous, rev) if previous is not None else [],
            is_effective=effective is not None and effective.pk == rev.pk,
        )
        if report.report_type == ReportType.ENERGY:
            entry.result = _current_result(rev)
            old_result = _current_result(previous) if previous is not None else None
            if entry.result is not None and old_result is not None:
                entry.result_changes = [
                    FieldChange(f, label, getattr(old_result, f), getattr(entry.result, f))
                    for f, label in RESULT_FIELDS
                    if not _same(getattr(old_result, f), getattr(entry.result, f))
                ]
        entries.append(entry)
        previous = rev
    return entries


@dataclass(frozen=True)
class SectionTable:
    """The lines of one section of a revision, as a table (for the review page)."""

    section: str
    label: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (line label, cell texts)


def revision_tables(revision: Revision) -> list[SectionTable]:
    """A revision's content by section, every field as entered (what the reviewer checks)."""
    report = revision.report
    content = reporting_services.load_content(report.report_type, [revision.pk])[revision.pk]
    names = _names(report)
    order = list(SECTION_LABELS)
    out = []
    for section in sorted(content, key=lambda s: order.index(s) if s in order else 99):
        lines = list(content[section].values())
        fields: list[str] = []
        for line in lines:
            for k, v in _shown(line.values).items():
                if k not in fields and v not in (None, ""):
                    fields.append(k)
        rows = tuple(
            (
                _line_label(report.report_type, section, line.values, names),
                tuple(_text(_shown(line.values).get(f)) for f in fields),
            )
            for line in lines
        )
        out.append(
            SectionTable(
                section,
                SECTION_LABELS.get(section, section),
                tuple(_label(section, f) for f in fields),
                rows,
            )
        )
    return out

"""Calculation trails: how an evaluated number came about, in a JSON-serialisable form.

Every status and warning result embeds a :class:`Trail`: the formula in words, the inputs with
their unit, source and confidence, the intermediate steps with the arithmetic written out, the
factor-set versions and the plan version used, free notes, and the trails of the inputs
themselves (``children``), so a page can unfold "where does this number come from?" down to
the source rows.

The core does not know users or database rows. The app layer attaches them afterwards with
:meth:`Trail.with_refs` (a :class:`SourceRef` names a submission, statistic or plan row with its
submitter, approver and approval time), :meth:`Trail.with_plan_version` and
:meth:`Trail.with_factor_sets`; explanations in another JSON form (the accounting core's
calculations) are kept verbatim with :meth:`Trail.with_attachments`. Trails are immutable;
each ``with_*`` method returns a new trail.

:meth:`Trail.to_dict` gives plain JSON data (``json.dumps`` works on it, floats keep full
precision); :meth:`Trail.from_dict` reads it back, so a stored evaluation reproduces its trail.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeAlias

__all__ = [
    "CONFIDENCE_LABELS",
    "Attachment",
    "Confidence",
    "FactorSetRef",
    "JSONScalar",
    "SourceRef",
    "Trail",
    "TrailError",
    "TrailInput",
    "TrailStep",
]

JSONScalar: TypeAlias = str | int | float | bool | None
InputValue: TypeAlias = JSONScalar | tuple[JSONScalar, ...]

#: Confidence labels, the same names as the reference CSVs (``confidence`` column), plus the
#: two labels evaluation settings carry.
Confidence = Literal[
    "verified-from-source",
    "from-secondary-source",
    "uncertain",
    "plan-setting",
    "unofficial-default",
]

CONFIDENCE_LABELS: dict[str, str] = {
    "verified-from-source": "已核实（来源原文）",
    "from-secondary-source": "二手来源（待核实）",
    "uncertain": "不确定（未经来源确认）",
    "plan-setting": "计划设定",
    "unofficial-default": "非官方默认值",
}


class TrailError(ValueError):
    """A trail was built from values that cannot be stored as JSON (message in Chinese)."""


def _check_scalar(value: object, where: str) -> None:
    if value is None or isinstance(value, str | bool | int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TrailError(f"计算过程记录 {where} 的数值 {value} 不是有限数，无法保存")
        return
    raise TrailError(f"计算过程记录 {where} 的值类型 {type(value).__name__} 无法保存为 JSON")


def _check_confidence(value: str | None, where: str) -> None:
    if value is not None and value not in CONFIDENCE_LABELS:
        raise TrailError(
            f"计算过程记录 {where} 的可信度标签“{value}”无效；可用：{'、'.join(CONFIDENCE_LABELS)}"
        )


@dataclass(frozen=True)
class SourceRef:
    """A pointer to where an input came from, filled by the app layer.

    Parameters
    ----------
    kind : str
        What is referenced, e.g. ``"submission"`` (an enterprise report), ``"indicator_value"``,
        ``"statistic"``, ``"plan_target"``, ``"factor_set"``.
    id : str or None
        Identifier of the row or document.
    description : str
        Chinese description a reader understands (``"扬州某化工企业 2025年9月能源月报"``).
    submitter, approver : str or None
        Who submitted and who approved the data.
    approved_at : str or None
        ISO 8601 time of approval.
    status : str or None
        Review status of the row (``"approved"``, ``"submitted"`` …); unapproved rows make a
        result a preview.
    extra : tuple of (str, scalar)
        Anything else worth keeping (sheet and row of an import, URL of a document).
    """

    kind: str
    id: str | None = None
    description: str = ""
    submitter: str | None = None
    approver: str | None = None
    approved_at: str | None = None
    status: str | None = None
    extra: tuple[tuple[str, JSONScalar], ...] = ()

    def __post_init__(self) -> None:
        for key, value in self.extra:
            _check_scalar(value, f"来源 {self.kind}.{key}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "description": self.description,
            "submitter": self.submitter,
            "approver": self.approver,
            "approved_at": self.approved_at,
            "status": self.status,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SourceRef:
        return cls(
            kind=str(data["kind"]),
            id=data.get("id"),
            description=str(data.get("description", "")),
            submitter=data.get("submitter"),
            approver=data.get("approver"),
            approved_at=data.get("approved_at"),
            status=data.get("status"),
            extra=tuple((str(k), v) for k, v in dict(data.get("extra") or {}).items()),
        )


@dataclass(frozen=True)
class TrailInput:
    """One input of a calculation.

    Parameters
    ----------
    name : str
        Machine name, unique within the trail (``"value_ytd"``, ``"required_reduction"``).
    label : str
        Chinese name shown to the reader.
    value : scalar or tuple of scalars
        The value used, unrounded.
    unit : str
        Unit of ``value`` (``"%"`` means a fraction shown as a percentage).
    source : str
        Where the value comes from, in words (``"计划文本"``, ``"企业月报（已审核）"``).
    confidence : str or None
        One of :data:`CONFIDENCE_LABELS`.
    refs : tuple of SourceRef
        Source rows, attached by the app layer.
    """

    name: str
    label: str
    value: InputValue
    unit: str = ""
    source: str = ""
    confidence: str | None = None
    refs: tuple[SourceRef, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.value, tuple):
            for item in self.value:
                _check_scalar(item, self.name)
        else:
            _check_scalar(self.value, self.name)
        _check_confidence(self.confidence, self.name)

    def to_dict(self) -> dict[str, Any]:
        value: Any = list(self.value) if isinstance(self.value, tuple) else self.value
        out: dict[str, Any] = {
            "name": self.name,
            "label": self.label,
            "value": value,
            "unit": self.unit,
            "source": self.source,
            "confidence": self.confidence,
            "confidence_label": CONFIDENCE_LABELS.get(self.confidence or ""),
            "refs": [ref.to_dict() for ref in self.refs],
        }
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrailInput:
        raw = data.get("value")
        value: InputValue = tuple(raw) if isinstance(raw, list) else raw
        return cls(
            name=str(data["name"]),
            label=str(data.get("label", "")),
            value=value,
            unit=str(data.get("unit", "")),
            source=str(data.get("source", "")),
            confidence=data.get("confidence"),
            refs=tuple(SourceRef.from_dict(r) for r in data.get("refs") or ()),
        )


@dataclass(frozen=True)
class TrailStep:
    """An intermediate result with its arithmetic written out.

    Parameters
    ----------
    label : str
        Chinese name (``"序时进度"``).
    expression : str
        The arithmetic with the numbers, as shown to the reader (``"100项 × 9 ÷ 12"``).
    value : float, int, bool or None
        The unrounded result.
    unit : str
        Unit of ``value``.
    """

    label: str
    expression: str
    value: JSONScalar
    unit: str = ""

    def __post_init__(self) -> None:
        _check_scalar(self.value, self.label)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "expression": self.expression,
            "value": self.value,
            "unit": self.unit,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TrailStep:
        return cls(
            label=str(data["label"]),
            expression=str(data.get("expression", "")),
            value=data.get("value"),
            unit=str(data.get("unit", "")),
        )


@dataclass(frozen=True)
class FactorSetRef:
    """A factor set and the version a calculation used (``("grid-co2", "2023-v1")``)."""

    id: str
    version: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FactorSetRef:
        return cls(id=str(data["id"]), version=str(data["version"]))


@dataclass(frozen=True)
class Attachment:
    """A JSON document kept verbatim in a trail, e.g. an accounting-core calculation.

    Parameters
    ----------
    kind : str
        What the document is (``"calculation"`` for the accounting core's
        ``Calculation.to_dict()``, ``"import_row"``, …).
    data : mapping
        Plain JSON data (checked: finite numbers, string keys).
    label : str
        Chinese caption shown above it.
    """

    kind: str
    data: Mapping[str, Any]
    label: str = ""

    def __post_init__(self) -> None:
        try:
            text = json.dumps(self.data, allow_nan=False, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise TrailError(f"附件“{self.label or self.kind}”不是合法的 JSON 数据：{exc}") from exc
        # Keep an independent copy so later changes to the caller's dict cannot alter the trail.
        object.__setattr__(self, "data", json.loads(text))

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "data": json.loads(json.dumps(self.data))}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attachment:
        return cls(
            kind=str(data["kind"]), data=dict(data["data"]), label=str(data.get("label", ""))
        )


@dataclass(frozen=True)
class Trail:
    """The explanation of one calculated value.

    Parameters
    ----------
    title : str
        What was calculated (``"绿色化改造项目数 目标状态"``).
    formula : str
        The rule or formula in Chinese words and symbols.
    inputs : tuple of TrailInput
        Inputs; names are unique.
    steps : tuple of TrailStep
        Intermediate results in order.
    factor_sets : tuple of FactorSetRef
        Factor sets used directly by this calculation (see :meth:`all_factor_sets`).
    plan_version : str or None
        The plan version whose targets and settings were used.
    notes : tuple of str
        Caveats a reader must see (preview data, uncertain rule, data lag …).
    references : tuple of str
        Documents the rule comes from, with confidence marks.
    children : tuple of Trail
        Trails of inputs that were themselves calculated.
    attachments : tuple of Attachment
        Other JSON explanations kept verbatim (the accounting core's calculations).
    """

    title: str
    formula: str
    inputs: tuple[TrailInput, ...] = ()
    steps: tuple[TrailStep, ...] = ()
    factor_sets: tuple[FactorSetRef, ...] = ()
    plan_version: str | None = None
    notes: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    children: tuple[Trail, ...] = field(default=())
    attachments: tuple[Attachment, ...] = ()

    def __post_init__(self) -> None:
        names = [item.name for item in self.inputs]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise TrailError(f"计算过程记录“{self.title}”的输入名重复：{'、'.join(duplicates)}")

    # -- reading -------------------------------------------------------------------------

    def input(self, name: str) -> TrailInput:
        """The input called ``name``.

        Raises
        ------
        KeyError
            When there is no such input (the message lists the names there are).
        """
        for item in self.inputs:
            if item.name == name:
                return item
        raise KeyError(
            f"计算过程记录“{self.title}”没有输入 {name}；现有：{', '.join(i.name for i in self.inputs)}"
        )

    def all_factor_sets(self) -> tuple[FactorSetRef, ...]:
        """Factor sets used here and in every child trail, without duplicates, in order."""
        seen: list[FactorSetRef] = []
        for ref in self.factor_sets:
            if ref not in seen:
                seen.append(ref)
        for child in self.children:
            for ref in child.all_factor_sets():
                if ref not in seen:
                    seen.append(ref)
        return tuple(seen)

    # -- building ------------------------------------------------------------------------

    def with_refs(self, input_name: str, *refs: SourceRef) -> Trail:
        """A copy in which input ``input_name`` also carries ``refs``."""
        self.input(input_name)  # raises a clear KeyError for a wrong name
        inputs = tuple(
            replace(item, refs=item.refs + refs) if item.name == input_name else item
            for item in self.inputs
        )
        return replace(self, inputs=inputs)

    def with_plan_version(self, plan_version: str) -> Trail:
        """A copy that records the plan version used."""
        return replace(self, plan_version=plan_version)

    def with_factor_sets(self, *refs: FactorSetRef) -> Trail:
        """A copy that also records ``refs`` as factor sets used."""
        return replace(self, factor_sets=self.factor_sets + refs)

    def with_notes(self, *notes: str) -> Trail:
        """A copy with ``notes`` appended."""
        return replace(self, notes=self.notes + notes)

    def with_children(self, *children: Trail) -> Trail:
        """A copy with ``children`` appended."""
        return replace(self, children=self.children + children)

    def with_attachments(self, *attachments: Attachment) -> Trail:
        """A copy with ``attachments`` appended (e.g. ``Attachment("calculation", calc.to_dict())``)."""
        return replace(self, attachments=self.attachments + attachments)

    # -- JSON ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (dicts, lists, strings, finite numbers, booleans, null)."""
        return {
            "title": self.title,
            "formula": self.formula,
            "inputs": [item.to_dict() for item in self.inputs],
            "steps": [step.to_dict() for step in self.steps],
            "factor_sets": [ref.to_dict() for ref in self.factor_sets],
            "plan_version": self.plan_version,
            "notes": list(self.notes),
            "references": list(self.references),
            "children": [child.to_dict() for child in self.children],
            "attachments": [item.to_dict() for item in self.attachments],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Trail:
        """Read back what :meth:`to_dict` produced."""
        return cls(
            title=str(data["title"]),
            formula=str(data.get("formula", "")),
            inputs=tuple(TrailInput.from_dict(i) for i in data.get("inputs") or ()),
            steps=tuple(TrailStep.from_dict(s) for s in data.get("steps") or ()),
            factor_sets=tuple(FactorSetRef.from_dict(f) for f in data.get("factor_sets") or ()),
            plan_version=data.get("plan_version"),
            notes=tuple(str(n) for n in data.get("notes") or ()),
            references=tuple(str(r) for r in data.get("references") or ()),
            children=tuple(cls.from_dict(c) for c in data.get("children") or ()),
            attachments=tuple(Attachment.from_dict(a) for a in data.get("attachments") or ()),
        )

"""Building calculation trails from stored data (a thin helper over the core's ``Trail``).

:class:`TrailBuilder` collects inputs (each with the source rows it came from), steps with the
arithmetic written out, the accounting core's calculations (kept as compact coefficient
inputs, with their factor-set versions), notes and child trails, and tracks whether anything
used was a preview (submitted, not approved) or an uncertain coefficient.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ecplan.core.evaluation import (
    CONFIDENCE_LABELS,
    Attachment,
    FactorSetRef,
    SourceRef,
    Trail,
    TrailInput,
    TrailStep,
)
from ecplan.monitoring.data import StatValue
from ecplan.monitoring.display import num

__all__ = ["Converted", "Missing", "TrailBuilder", "converted"]


class Missing(Exception):
    """A value cannot be computed; ``reason`` says why in Chinese (shown as 无数据's reason)."""

    def __init__(self, reason: str, trail: Trail | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.trail = trail


def _confidence(label: str | None) -> str | None:
    return label if label in CONFIDENCE_LABELS else None


@dataclass(frozen=True)
class Converted:
    """What a trail keeps of an accounting-core conversion: the result, the coefficients as
    text (value, document, factor-set version, fallbacks, confidence), the factor sets used
    and the note when a coefficient is uncertain. Computed once per source line."""

    value: float
    source: str
    confidence: str | None
    factor_sets: tuple[FactorSetRef, ...]
    uncertain_note: str | None


def converted(calc: Any, quantity: float, unit: str) -> Converted:
    """The :class:`Converted` record of a core ``Calculation`` of ``quantity`` ``unit``."""
    parts = []
    confidence: str | None = None
    for coef in calc.coefficients:
        fs = f"，{coef.factor_set.id} v{coef.factor_set.version}" if coef.factor_set else ""
        fallback = ""
        if coef.requested_year is not None and coef.year != coef.requested_year:
            fallback = f"，按{coef.year}年值（{coef.requested_year}年未发布）"
        parts.append(
            f"{coef.name} {num(coef.value)} {coef.unit}（{coef.document}{fs}{fallback}，"
            f"{CONFIDENCE_LABELS.get(coef.confidence, coef.confidence)}）"
        )
        confidence = confidence or _confidence(coef.confidence)
    # every coefficient of the calculation and its parts, walked once (the core's
    # ``uncertain``, ``uncertain_coefficients`` and ``factor_sets`` would each walk again)
    used = calc.all_coefficients()
    note = None
    uncertain = {c.name for c in used if c.uncertain}
    if uncertain:
        names = "、".join(sorted(uncertain))
        note = f"使用了未经来源确认的数值（{names}），结果须按“不确定”看待"
    sets = dict.fromkeys(c.factor_set for c in used if c.factor_set is not None)
    return Converted(
        value=float(calc.value),
        source=f"{num(quantity)} {unit} × " + "；".join(parts) if parts else "",
        confidence=confidence,
        factor_sets=tuple(FactorSetRef(fs.id, fs.version) for fs in sets),
        uncertain_note=note,
    )


class TrailBuilder:
    """Accumulates one trail (see the module docstring)."""

    def __init__(self, title: str, formula: str, *, references: Iterable[str] = ()) -> None:
        self.title = title
        self.formula = formula
        self.inputs: list[TrailInput] = []
        self.steps: list[TrailStep] = []
        self.notes: list[str] = []
        self.references: list[str] = list(references)
        self.children: list[Trail] = []
        self.attachments: list[Attachment] = []
        self.factor_sets: list[FactorSetRef] = []
        self.preview = False
        self.uncertain = False
        self._names: set[str] = set()

    # -- inputs ------------------------------------------------------------------------------
    def _name(self, name: str) -> str:
        base, n = name, 2
        while name in self._names:
            name = f"{base}#{n}"
            n += 1
        self._names.add(name)
        return name

    def input(
        self,
        name: str,
        label: str,
        value: Any,
        unit: str = "",
        *,
        source: str = "",
        confidence: str | None = None,
        refs: Iterable[SourceRef] = (),
    ) -> None:
        refs = tuple(refs)
        if any(r.status not in (None, "approved") for r in refs):
            self.preview = True
        self.inputs.append(
            TrailInput(
                self._name(name),
                label,
                value,
                unit,
                source,
                _confidence(confidence),
                refs,
            )
        )

    def stat(self, name: str, label: str, sv: StatValue, *, source: str = "") -> float:
        """Add a statistics line as an input (with its source row) and return its value."""
        self.input(
            name,
            label,
            sv.value,
            sv.unit,
            source=source or f"统计数据（{sv.revision.label}）",
            refs=(sv.ref(label),),
        )
        return sv.value

    def step(self, label: str, expression: str, value: Any, unit: str = "") -> None:
        self.steps.append(TrailStep(label, expression, value, unit))

    def note(self, *notes: str) -> None:
        for n in notes:
            if n and n not in self.notes:
                self.notes.append(n)

    def child(self, trail: Trail, *, preview: bool = False, uncertain: bool = False) -> None:
        self.children.append(trail)
        self.preview = self.preview or preview
        self.uncertain = self.uncertain or uncertain

    def absorb(self, other: TrailBuilder) -> Trail:
        """Build ``other`` and add it as a child, carrying its preview/uncertain marks."""
        trail = other.build()
        self.child(trail, preview=other.preview, uncertain=other.uncertain)
        for ref in other.factor_sets:
            self.add_factor_set(ref)
        return trail

    def add_factor_set(self, ref: FactorSetRef) -> None:
        if ref not in self.factor_sets:
            self.factor_sets.append(ref)

    def calculation(self, calc: Any, label: str = "", *, attach: bool = True) -> None:
        """Record an accounting-core ``Calculation``: its factor sets, uncertainty and (when
        ``attach``) the calculation itself verbatim."""
        for fs in calc.factor_sets:
            self.add_factor_set(FactorSetRef(fs.id, fs.version))
        if calc.uncertain:
            self.uncertain = True
            names = "、".join(sorted({c.name for c in calc.uncertain_coefficients}))
            self.note(f"使用了未经来源确认的数值（{names}），结果须按“不确定”看待")
        if attach:
            self.attachments.append(Attachment("calculation", calc.to_dict(), label or calc.label))

    def coefficient_input(
        self,
        name: str,
        label: str,
        quantity: float,
        unit: str,
        calc: Any,
        *,
        result_unit: str,
        refs: Iterable[SourceRef] = (),
    ) -> float:
        """An input converted by the core (tce, CO2): the result, with the coefficient, its
        document, factor-set version and confidence written into the source text."""
        return self.converted_input(
            name, label, converted(calc, quantity, unit), result_unit=result_unit, refs=refs
        )

    def converted_input(
        self,
        name: str,
        label: str,
        conv: Converted,
        *,
        result_unit: str,
        refs: Iterable[SourceRef] = (),
    ) -> float:
        """Add a :class:`Converted` value as an input (see :meth:`coefficient_input`)."""
        self.input(
            name,
            label,
            conv.value,
            result_unit,
            source=conv.source,
            confidence=conv.confidence,
            refs=refs,
        )
        for ref in conv.factor_sets:
            self.add_factor_set(ref)
        if conv.uncertain_note:
            self.uncertain = True
            self.note(conv.uncertain_note)
        return conv.value

    # -- result -------------------------------------------------------------------------------
    def build(self) -> Trail:
        notes = list(self.notes)
        if self.preview:
            notes.insert(0, "【预览】含已提交但尚未审核的数据")
        return Trail(
            title=self.title,
            formula=self.formula,
            inputs=tuple(self.inputs),
            steps=tuple(self.steps),
            factor_sets=tuple(self.factor_sets),
            notes=tuple(notes),
            references=tuple(self.references),
            children=tuple(self.children),
            attachments=tuple(self.attachments),
        )

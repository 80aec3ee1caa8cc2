"""Result objects that explain themselves: inputs, coefficients with sources, formula.

Every calculation of the core has a *result-object form* returning a :class:`Calculation`
(or a subclass with typed extra fields) beside its float shortcut. A calculation carries

* ``value`` and ``unit`` — the number, in full precision;
* ``inputs`` — the quantities it was given (:class:`Quantity`, with the unit as given and the
  canonical value used);
* ``coefficients`` — every coefficient used (:class:`Coefficient`): value, unit, the value
  and unit as published, source document and locator, confidence label, factor set id +
  version + digest, the year and region of the row used and whether that was a fallback;
* ``formula`` — the formula in symbols, and ``method`` / ``references`` — the standard or
  notice it follows;
* ``parts`` — the calculations it was built from (the lines of a comprehensive energy
  consumption, the factors of a chained reduction), so trails can be walked;
* ``notes`` — Chinese notes on choices made (a year fallback, a clamp).

``uncertain`` is true when any coefficient used, here or in a part, is labelled
``uncertain``: it stays flagged in every result that uses such a value.

:meth:`Calculation.to_dict` / :meth:`Calculation.from_dict` round-trip through plain JSON
(``json.dumps`` works on the dict), so results can be stored as versioned records;
:meth:`Calculation.explain` renders the trail in Chinese.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Literal, TypeVar, get_args

__all__ = [
    "CONFIDENCE_LABELS",
    "Calculation",
    "Coefficient",
    "Confidence",
    "FactorSetRef",
    "Quantity",
    "calculation_from_dict",
    "format_number",
    "register_calculation",
]

Confidence = Literal[
    "verified-from-source",
    "from-secondary-source",
    "uncertain",
    "measured",
    "caller-supplied",
    "definition",
]
"""Confidence label of a coefficient.

The first three are the labels of the reference data (README: [V]/[S]/[U]); ``measured``
is a value measured by the reporting unit (实测低位发热量), ``caller-supplied`` a value the
caller passed explicitly (a generation coal rate for a scenario), ``definition`` an exact
constant (44/12, 1 000 kg per t).
"""

CONFIDENCE_VALUES: Final[tuple[str, ...]] = get_args(Confidence)

CONFIDENCE_LABELS: Final[dict[str, str]] = {
    "verified-from-source": "已核实",
    "from-secondary-source": "二手来源",
    "uncertain": "未确认",
    "measured": "实测",
    "caller-supplied": "调用方指定",
    "definition": "定义常数",
}

SCHEMA: Final = "ecplan.calculation/1"


def format_number(x: float | None, digits: int = 6) -> str:
    """Format a number for display (the one place results are rounded for reading).

    Values are kept in full precision everywhere else; this only shortens them for text.
    """
    if x is None:
        return "—"
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    magnitude = abs(x)
    if magnitude >= 1e15 or magnitude < 1e-6:
        return f"{x:.{digits}g}"
    if x == int(x):
        return f"{int(x)}"
    decimals = max(digits - math.floor(math.log10(magnitude)) - 1, 0)
    return f"{x:.{decimals}f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, kw_only=True)
class FactorSetRef:
    """Which factor set (and exactly which version of it) a coefficient came from.

    Attributes
    ----------
    id, version : str
        Identity of the set; ``id`` + ``version`` never change content.
    kind : str
        ``conversion``, ``fuel_co2``, ``grid_co2`` …
    title : str
        Human title (Chinese).
    digest : str
        SHA-256 of the set's canonical content, to prove what was used.
    origin : {"shipped", "loaded"}
        Shipped with the platform or loaded into the data directory.
    """

    id: str
    version: str
    kind: str
    title: str
    digest: str
    origin: str

    @property
    def label(self) -> str:
        """``gbt2589-2020 v1``."""
        return f"{self.id} v{self.version}"


@dataclass(frozen=True, kw_only=True)
class Coefficient:
    """A coefficient used by a calculation, with where it comes from.

    Attributes
    ----------
    name : str
        Chinese name (``折标准煤系数``, ``电网排放因子``).
    symbol : str
        Symbol in the formula (``k``, ``EF``).
    value : float
        Value used in the arithmetic, in ``unit``.
    unit : str
        Unit of ``value`` (canonical: ``tce/t``, ``tCO2/kWh`` …).
    published_value, published_unit : str or None
        The value and unit exactly as the source gives them (``0.7143``, ``kgce/kg``).
    confidence : Confidence
        Confidence label (see :data:`CONFIDENCE_LABELS`).
    document : str
        Source document (standard or notice, with number and edition).
    locator : str
        Where in / behind the document the value was read (table, clause, URL).
    row_id : str or None
        Row identifier inside the factor set.
    factor_set : FactorSetRef or None
        The factor set, or ``None`` for caller-supplied, measured and definition values.
    key : str or None
        What was looked up (carrier code, grid basis).
    basis : str or None
        The basis of the value (``当量值``, ``供电煤耗``, ``电力平均``).
    year, region : int or None, str or None
        Data year and region of the row used.
    requested_year, requested_region : int or None, str or None
        What the calculation asked for; differing values mean a documented fallback.
    alternatives : str
        Other values found in the sources (for conflicts and ranges).
    notes : str
        Notes of the row (Chinese).
    """

    name: str
    symbol: str
    value: float
    unit: str
    confidence: str
    document: str = ""
    locator: str = ""
    published_value: str | None = None
    published_unit: str | None = None
    row_id: str | None = None
    factor_set: FactorSetRef | None = None
    key: str | None = None
    basis: str | None = None
    year: int | None = None
    region: str | None = None
    requested_year: int | None = None
    requested_region: str | None = None
    alternatives: str = ""
    notes: str = ""

    @property
    def uncertain(self) -> bool:
        """The value is not confirmed from a source (label ``uncertain``)."""
        return self.confidence == "uncertain"

    @property
    def year_fallback(self) -> bool:
        """A year other than the requested one was used (the latest earlier year)."""
        return self.requested_year is not None and self.year != self.requested_year

    @property
    def region_fallback(self) -> bool:
        """A region other than the requested one was used (全国 for a province)."""
        return self.requested_region is not None and self.region != self.requested_region

    @property
    def confidence_label(self) -> str:
        return CONFIDENCE_LABELS.get(self.confidence, self.confidence)

    def to_row(self) -> dict[str, Any]:
        """Flat plain row (for tables, CSV and the batch path's per-row provenance)."""
        fs = self.factor_set
        return {
            "name": self.name,
            "symbol": self.symbol,
            "value": self.value,
            "unit": self.unit,
            "published_value": self.published_value,
            "published_unit": self.published_unit,
            "confidence": self.confidence,
            "uncertain": self.uncertain,
            "document": self.document,
            "locator": self.locator,
            "row_id": self.row_id,
            "factor_set_id": fs.id if fs else None,
            "factor_set_version": fs.version if fs else None,
            "factor_set_digest": fs.digest if fs else None,
            "factor_set_origin": fs.origin if fs else None,
            "key": self.key,
            "basis": self.basis,
            "year": self.year,
            "region": self.region,
            "requested_year": self.requested_year,
            "requested_region": self.requested_region,
            "year_fallback": self.year_fallback,
            "region_fallback": self.region_fallback,
            "alternatives": self.alternatives,
            "notes": self.notes,
        }

    def describe(self) -> str:
        """One line in Chinese: value, unit, source, confidence, factor set, fallbacks."""
        text = f"{self.name} {self.symbol} = {format_number(self.value, 8)} {self.unit}"
        if self.published_value is not None and (
            self.published_value != format_number(self.value, 8) or self.published_unit != self.unit
        ):
            text += f"（原值 {self.published_value} {self.published_unit or ''}）".replace(
                " ）", "）"
            )
        bits = [b for b in (self.document, self.locator) if b]
        if self.basis:
            bits.append(f"口径：{self.basis}")
        if self.year is not None:
            bits.append(f"{self.year}年")
        if self.region:
            bits.append(self.region)
        bits.append(self.confidence_label)
        if self.factor_set is not None:
            bits.append(f"因子集 {self.factor_set.label}")
        text += "；" + "；".join(bits)
        if self.year_fallback:
            text += f"；【{self.requested_year}年无数据，采用 {self.year}年】"
        if self.region_fallback:
            text += f"；【{self.requested_region}无数据，采用{self.region}】"
        if self.uncertain:
            text += "；【未确认数值】"
        if self.alternatives:
            text += f"；其他取值：{self.alternatives}"
        return text


@dataclass(frozen=True, kw_only=True)
class Quantity:
    """An input of a calculation.

    Attributes
    ----------
    name : str
        Identifier (``quantity``, ``energy_growth``).
    label : str
        Chinese label (``实物量``, ``能源消费增速``).
    value : float or str or None
        The value as given (a number, or text such as a carrier name).
    unit : str
        Unit as given (``万吨``), ``1`` for fractions, empty for text.
    canonical_value : float or None
        The value in the canonical unit, when a unit conversion took place.
    canonical_unit : str or None
        The canonical unit (``t``).
    """

    name: str
    label: str
    value: float | str | None
    unit: str = ""
    canonical_value: float | None = None
    canonical_unit: str | None = None

    def describe(self) -> str:
        if isinstance(self.value, str) or self.value is None:
            return f"{self.label}：{self.value if self.value is not None else '—'}"
        text = f"{self.label} = {format_number(self.value, 10)} {self.unit}".rstrip()
        if self.canonical_value is not None and self.canonical_unit != self.unit:
            text += f"（= {format_number(self.canonical_value, 10)} {self.canonical_unit}）"
        return text


_REGISTRY: dict[str, type[Calculation]] = {}
C = TypeVar("C", bound="type[Calculation]")


def register_calculation(cls: C) -> C:
    """Class decorator: make a :class:`Calculation` subclass restorable by ``from_dict``."""
    _REGISTRY[cls.type_name] = cls
    return cls


@dataclass(frozen=True, kw_only=True)
class Calculation:
    """A computed value with everything needed to explain it.

    Attributes
    ----------
    value : float
        The result in full precision.
    unit : str
        Unit of the result (``tce``, ``tCO2``, ``1`` for fractions).
    name : str
        Identifier with unit (``energy_tce``, ``co2_t``, ``reduction_rate``).
    label : str
        Chinese label (``折标准煤量（当量值）``).
    formula : str
        Formula in symbols (``E = Q × k``); symbols are defined by inputs and coefficients.
    method : str
        Method and clause (``GB/T 2589-2020 第8章``).
    inputs : tuple of Quantity
    coefficients : tuple of Coefficient
    parts : tuple of Calculation
        Sub-results this one is built from.
    notes : tuple of str
        Chinese notes on choices made.
    references : tuple of str
        Standards and notices the method follows.
    """

    type_name: ClassVar[str] = "calculation"

    value: float
    unit: str
    name: str
    label: str
    formula: str
    method: str = ""
    inputs: tuple[Quantity, ...] = ()
    coefficients: tuple[Coefficient, ...] = ()
    parts: tuple[Calculation, ...] = ()
    notes: tuple[str, ...] = ()
    references: tuple[str, ...] = ()

    # --- provenance queries -----------------------------------------------------------
    def walk(self) -> Iterator[Calculation]:
        """This calculation and all its parts, depth first."""
        yield self
        for part in self.parts:
            yield from part.walk()
        for extra in self._extra_calculations():
            yield from extra.walk()

    def all_coefficients(self) -> tuple[Coefficient, ...]:
        """Every coefficient used here or in any part (duplicates removed, order kept)."""
        seen: dict[Coefficient, None] = {}
        for calc in self.walk():
            for coef in calc.coefficients:
                seen.setdefault(coef, None)
        return tuple(seen)

    @property
    def uncertain(self) -> bool:
        """True if any coefficient used (here or in a part) is labelled ``uncertain``."""
        return any(c.uncertain for c in self.all_coefficients())

    @property
    def uncertain_coefficients(self) -> tuple[Coefficient, ...]:
        return tuple(c for c in self.all_coefficients() if c.uncertain)

    @property
    def factor_sets(self) -> tuple[FactorSetRef, ...]:
        """Every factor set version used, in order of first use."""
        seen: dict[FactorSetRef, None] = {}
        for coef in self.all_coefficients():
            if coef.factor_set is not None:
                seen.setdefault(coef.factor_set, None)
        return tuple(seen)

    def _extra_calculations(self) -> tuple[Calculation, ...]:
        base = {f.name for f in dataclasses.fields(Calculation)}
        out: list[Calculation] = []
        for f in dataclasses.fields(self):
            if f.name in base:
                continue
            v = getattr(self, f.name)
            if isinstance(v, Calculation):
                out.append(v)
        return tuple(out)

    # --- JSON -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Plain, JSON-serialisable form (``json.dumps(calc.to_dict())`` works)."""
        out: dict[str, Any] = {"schema": SCHEMA, "type": self.type_name}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            out[f.name] = _to_plain(v)
        out["uncertain"] = self.uncertain
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Calculation:
        """Rebuild a calculation (of the right subclass) from :meth:`to_dict` output."""
        return calculation_from_dict(data)

    # --- text -------------------------------------------------------------------------
    def headline(self) -> str:
        flag = "【含未确认数值】" if self.uncertain else ""
        return f"{self.label} = {format_number(self.value, 8)} {self.unit}{flag}"

    def explain(self, indent: str = "") -> str:
        """The trail in Chinese: result, formula, inputs, coefficients, notes, parts."""
        lines = [indent + self.headline()]
        sub = indent + "  "
        lines.append(f"{sub}公式：{self.formula}")
        if self.method:
            lines.append(f"{sub}方法：{self.method}")
        for q in self.inputs:
            lines.append(f"{sub}输入：{q.describe()}")
        for c in self.coefficients:
            lines.append(f"{sub}系数：{c.describe()}")
        for n in self.notes:
            lines.append(f"{sub}说明：{n}")
        for extra in self._extra_calculations():
            lines.append(extra.explain(sub))
        for part in self.parts:
            lines.append(part.explain(sub))
        if self.references and not indent:
            lines.append(f"{sub}依据：{'；'.join(self.references)}")
        return "\n".join(lines)


def _to_plain(v: Any) -> Any:
    if isinstance(v, Calculation):
        return v.to_dict()
    if isinstance(v, FactorSetRef | Coefficient | Quantity):
        return {f.name: _to_plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    if isinstance(v, tuple | list):
        return [_to_plain(x) for x in v]
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError(f"不能序列化非有限数值 {v!r}")
    return v


def _coefficient_from(d: Mapping[str, Any]) -> Coefficient:
    data = dict(d)
    fs = data.get("factor_set")
    data["factor_set"] = FactorSetRef(**fs) if fs else None
    return Coefficient(**data)


def calculation_from_dict(data: Mapping[str, Any]) -> Calculation:
    """Rebuild a calculation from :meth:`Calculation.to_dict` output.

    Raises
    ------
    ValueError
        Unknown ``schema`` or ``type``.
    """
    if data.get("schema") != SCHEMA:
        raise ValueError(f"不支持的计算结果格式：{data.get('schema')!r}")
    type_name = data.get("type", "")
    cls = _REGISTRY.get(type_name)
    if cls is None:
        raise ValueError(f"未知的计算结果类型：{type_name!r}")
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        v = data[f.name]
        if f.name == "inputs":
            kwargs[f.name] = tuple(Quantity(**q) for q in v)
        elif f.name == "coefficients":
            kwargs[f.name] = tuple(_coefficient_from(c) for c in v)
        elif f.name == "parts":
            kwargs[f.name] = tuple(calculation_from_dict(p) for p in v)
        elif f.name in {"notes", "references"}:
            kwargs[f.name] = tuple(v)
        elif isinstance(v, dict) and v.get("schema") == SCHEMA:
            kwargs[f.name] = calculation_from_dict(v)
        elif isinstance(v, list):
            kwargs[f.name] = tuple(
                calculation_from_dict(x) if isinstance(x, dict) else x for x in v
            )
        else:
            kwargs[f.name] = v
    return cls(**kwargs)


register_calculation(Calculation)

"""Physical units of Chinese energy statistics, parsed at the edge into canonical units.

Every quantity entering the core is converted once, here, from the unit it was reported in
(吨, 万立方米, 万千瓦时, 百万千焦, 万吨标准煤 …) into the canonical unit of its dimension:

=================  ==============  ======================================================
dimension          canonical unit  examples of accepted units
=================  ==============  ======================================================
``mass``           ``t``           吨, 万吨, 千克/公斤, t, kt, kg
``volume``         ``m3``          立方米, 万立方米, 亿立方米, m3, Nm3, 10^4 m3
``electricity``    ``kWh``         千瓦时/度, 万千瓦时, 亿千瓦时, 兆瓦时, kWh, MWh, GWh
``heat``           ``GJ``          吉焦, 百万千焦, 兆焦, 千焦, GJ, MJ, kJ, TJ
``standard_coal``  ``tce``         吨标准煤, 万吨标准煤, 千克标准煤, tce, kgce, gce
=================  ==============  ======================================================

Standard coal is a dimension of its own: a kWh is never turned into tce by a unit
conversion, only by a sourced coefficient (:mod:`ecplan.core.accounting`). Electricity and
heat are separate dimensions too, because Chinese statistics report electricity in kWh and
heat in GJ; a number in the other unit is almost always a row mix-up. Liquid volumes (升, L)
are recognised only to refuse them with a clear message: turning litres of diesel into tonnes
needs the fuel's density, which is not a unit conversion. Calorie units (千卡, kcal) are not
accepted, because the standards use two different calories (4.1816 and 4.1868 kJ/kcal).

:func:`parse_unit` is the reusable entry point (unit text → canonical unit + multiplier);
:func:`unit_table` exposes the same mapping as plain rows for the vectorised batch path, which
must multiply ``quantity * multiplier`` exactly as :func:`to_canonical` does.

References
----------
GB/T 2589-2020 综合能耗计算通则 (units of the coefficient table); 国家统计局《能源统计报表
制度》 (reporting units of the 205-1 energy form: 吨, 万立方米, 万千瓦时, 百万千焦, 吨标准煤).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import cache
from typing import Final

from ecplan.core.errors import UnitError

__all__ = [
    "CANONICAL_UNITS",
    "DIMENSION_LABELS",
    "Dimension",
    "ParsedUnit",
    "Unit",
    "accepted_units",
    "normalise_unit_text",
    "parse_unit",
    "to_canonical",
    "unit_table",
]


class Dimension(StrEnum):
    """Physical dimension of a reported quantity."""

    MASS = "mass"
    VOLUME = "volume"
    ELECTRICITY = "electricity"
    HEAT = "heat"
    STANDARD_COAL = "standard_coal"
    LIQUID_VOLUME = "liquid_volume"


DIMENSION_LABELS: Final[dict[Dimension, str]] = {
    Dimension.MASS: "质量",
    Dimension.VOLUME: "气体体积（标准状态）",
    Dimension.ELECTRICITY: "电量",
    Dimension.HEAT: "热量",
    Dimension.STANDARD_COAL: "标准煤",
    Dimension.LIQUID_VOLUME: "液体体积",
}

CANONICAL_UNITS: Final[dict[Dimension, str]] = {
    Dimension.MASS: "t",
    Dimension.VOLUME: "m3",
    Dimension.ELECTRICITY: "kWh",
    Dimension.HEAT: "GJ",
    Dimension.STANDARD_COAL: "tce",
    Dimension.LIQUID_VOLUME: "L",
}


@dataclass(frozen=True)
class Unit:
    """A unit the platform knows.

    Attributes
    ----------
    symbol : str
        Display symbol (``万吨``, ``kWh``).
    name_zh : str
        Chinese name used in messages.
    dimension : Dimension
        What the unit measures.
    factor : fractions.Fraction
        Exact size of one unit in the canonical unit of its dimension (万吨 → 10000).
    aliases : tuple of str
        Other spellings accepted (already normalised by :func:`normalise_unit_text`).
    """

    symbol: str
    name_zh: str
    dimension: Dimension
    factor: Fraction
    aliases: tuple[str, ...] = ()

    @property
    def canonical(self) -> str:
        """Canonical unit of the dimension (``t``, ``m3``, ``kWh``, ``GJ``, ``tce``)."""
        return CANONICAL_UNITS[self.dimension]

    @property
    def multiplier(self) -> float:
        """``factor`` as a float: canonical quantity = quantity × multiplier."""
        return float(self.factor)


def _u(symbol: str, name_zh: str, dim: Dimension, factor: int | Fraction, *aliases: str) -> Unit:
    return Unit(symbol, name_zh, dim, Fraction(factor), tuple(aliases))


_M, _V, _E, _H, _C, _L = (
    Dimension.MASS,
    Dimension.VOLUME,
    Dimension.ELECTRICITY,
    Dimension.HEAT,
    Dimension.STANDARD_COAL,
    Dimension.LIQUID_VOLUME,
)

# Order matters only for display (accepted_units lists them in this order).
UNITS: Final[tuple[Unit, ...]] = (
    # mass, canonical t
    _u("吨", "吨", _M, 1, "t", "tonne", "tonnes", "公吨"),
    _u("万吨", "万吨", _M, 10_000, "万t", "10^4t"),
    _u("千克", "千克", _M, Fraction(1, 1000), "kg", "公斤"),
    _u("千吨", "千吨", _M, 1000, "kt", "10^3t"),
    _u("亿吨", "亿吨", _M, 100_000_000, "亿t", "10^8t"),
    # gas volume at standard conditions, canonical m3
    _u("立方米", "立方米", _V, 1, "m3", "nm3", "标准立方米", "标立方米", "标方", "方"),
    _u(
        "万立方米",
        "万立方米",
        _V,
        10_000,
        "万m3",
        "万nm3",
        "10^4m3",
        "10^4nm3",
        "万标准立方米",
        "万标立方米",
        "万标方",
        "万方",
    ),
    _u("千立方米", "千立方米", _V, 1000, "10^3m3", "10^3nm3", "千方"),
    _u("百万立方米", "百万立方米", _V, 1_000_000, "10^6m3", "10^6nm3"),
    _u(
        "亿立方米",
        "亿立方米",
        _V,
        100_000_000,
        "亿m3",
        "亿nm3",
        "10^8m3",
        "10^8nm3",
        "亿标准立方米",
        "亿方",
    ),
    # electricity, canonical kWh
    _u("千瓦时", "千瓦时", _E, 1, "kwh", "kw·h", "kw.h", "kw-h", "千瓦·时", "千瓦小时", "度"),
    _u("万千瓦时", "万千瓦时", _E, 10_000, "万kwh", "万kw·h", "10^4kwh", "万度"),
    _u("亿千瓦时", "亿千瓦时", _E, 100_000_000, "亿kwh", "亿kw·h", "10^8kwh", "亿度"),
    _u("兆瓦时", "兆瓦时", _E, 1000, "mwh", "mw·h", "千千瓦时"),
    _u("吉瓦时", "吉瓦时", _E, 1_000_000, "gwh", "gw·h", "百万千瓦时"),
    _u("太瓦时", "太瓦时", _E, 1_000_000_000, "twh", "tw·h"),
    # heat, canonical GJ
    _u("吉焦", "吉焦", _H, 1, "gj", "吉焦耳", "百万千焦", "10^6kj"),
    _u("兆焦", "兆焦", _H, Fraction(1, 1000), "mj", "兆焦耳", "千千焦"),
    _u("千焦", "千焦", _H, Fraction(1, 1_000_000), "kj", "千焦耳"),
    _u("太焦", "太焦", _H, 1000, "tj", "太焦耳"),
    _u("万吉焦", "万吉焦", _H, 10_000, "万gj", "万百万千焦", "10^4gj"),
    # standard coal equivalent, canonical tce
    _u("吨标准煤", "吨标准煤", _C, 1, "tce", "吨标煤", "t标准煤", "吨标准煤当量"),
    _u("万吨标准煤", "万吨标准煤", _C, 10_000, "万tce", "万吨标煤", "10^4tce"),
    _u("亿吨标准煤", "亿吨标准煤", _C, 100_000_000, "亿tce", "亿吨标煤"),
    _u(
        "千克标准煤",
        "千克标准煤",
        _C,
        Fraction(1, 1000),
        "kgce",
        "千克标煤",
        "公斤标准煤",
        "公斤标煤",
    ),
    _u("克标准煤", "克标准煤", _C, Fraction(1, 1_000_000), "gce", "克标煤"),
    # liquid volume: recognised only to refuse (needs a density)
    _u("升", "升", _L, 1, "l", "公升", "立升"),
    _u("千升", "千升", _L, 1000, "kl"),
)

# Shown in error messages and docs (a readable subset of all spellings).
_DISPLAY: Final[dict[Dimension, tuple[str, ...]]] = {
    _M: ("吨", "万吨", "千克", "千吨", "亿吨", "t", "kt", "kg"),
    _V: ("立方米", "万立方米", "千立方米", "百万立方米", "亿立方米", "m3", "Nm3", "10^4 m3"),
    _E: ("千瓦时", "度", "万千瓦时", "亿千瓦时", "兆瓦时", "吉瓦时", "kWh", "MWh", "GWh"),
    _H: ("吉焦", "百万千焦", "兆焦", "千焦", "太焦", "万吉焦", "GJ", "MJ", "kJ", "TJ"),
    _C: ("吨标准煤", "万吨标准煤", "千克标准煤", "克标准煤", "tce", "kgce", "gce"),
    _L: ("升", "千升", "L"),
}


def normalise_unit_text(text: str) -> str:
    """Normalise a unit spelling for lookup.

    Full-width characters become half-width, superscripts (m³, 10⁴) become plain digits with
    ``^`` for powers of ten, spaces disappear and Latin letters are folded to lower case;
    Chinese characters are unchanged.
    """
    t = text.strip()
    for sup, plain in (("10⁴", "10^4"), ("10⁸", "10^8"), ("10³", "10^3"), ("10⁶", "10^6")):
        t = t.replace(sup, plain)
    t = unicodedata.normalize("NFKC", t)
    t = "".join(t.split())
    t = t.replace("•", "·").replace("∙", "·").replace("**", "^").replace("*", "^")
    t = t.casefold()
    if t.startswith(("×10^", "x10^")):
        t = t[1:]
    return t


@cache
def _lookup() -> dict[str, Unit]:
    table: dict[str, Unit] = {}
    for unit in UNITS:
        for spelling in (unit.symbol, *unit.aliases):
            key = normalise_unit_text(spelling)
            if key in table and table[key] is not unit:  # pragma: no cover - table sanity
                raise RuntimeError(f"duplicate unit spelling {spelling!r}")
            table[key] = unit
    return table


@dataclass(frozen=True)
class ParsedUnit:
    """The result of :func:`parse_unit`.

    Attributes
    ----------
    text : str
        The unit as given.
    unit : Unit
        The unit recognised.
    """

    text: str
    unit: Unit

    @property
    def dimension(self) -> Dimension:
        return self.unit.dimension

    @property
    def canonical(self) -> str:
        """Canonical unit of the dimension."""
        return self.unit.canonical

    @property
    def multiplier(self) -> float:
        """Canonical quantity = quantity × multiplier."""
        return self.unit.multiplier


def accepted_units(*dimensions: Dimension) -> tuple[str, ...]:
    """Readable list of accepted units for the given dimensions (all when none given)."""
    dims = dimensions or tuple(d for d in Dimension if d is not Dimension.LIQUID_VOLUME)
    out: list[str] = []
    for d in dims:
        out.extend(_DISPLAY[d])
    return tuple(out)


def parse_unit(
    text: str,
    *,
    dimensions: tuple[Dimension, ...] | None = None,
    carrier: str | None = None,
    carrier_name: str | None = None,
) -> ParsedUnit:
    """Parse a unit text into a known unit.

    Parameters
    ----------
    text : str
        Unit as written in a report (``万吨``, ``10⁴ m³``, ``kWh``, ``吨标准煤`` …).
    dimensions : tuple of Dimension, optional
        Dimensions allowed here (those of an energy carrier). A known unit of another
        dimension raises :class:`~ecplan.core.errors.UnitError` with ``reason="mismatch"``.
    carrier, carrier_name : str, optional
        Carrier code and Chinese name, used only in the error message and fields.

    Returns
    -------
    ParsedUnit
        The recognised unit, its canonical unit and multiplier.

    Raises
    ------
    ecplan.core.errors.UnitError
        Unknown unit, a unit of the wrong dimension, or a liquid volume.
    """
    if not isinstance(text, str) or not text.strip():
        raise UnitError(
            str(text) if text is not None else "",
            reason="unknown",
            accepted=accepted_units(*(dimensions or ())),
            carrier=carrier,
            carrier_name=carrier_name,
            hint="计量单位不能为空。",
        )
    unit = _lookup().get(normalise_unit_text(text))
    allowed = dimensions or ()
    if unit is None:
        raise UnitError(
            text,
            reason="unknown",
            accepted=accepted_units(*allowed),
            carrier=carrier,
            carrier_name=carrier_name,
        )
    if unit.dimension is Dimension.LIQUID_VOLUME and Dimension.LIQUID_VOLUME not in allowed:
        raise UnitError(
            text,
            reason="density",
            accepted=accepted_units(*allowed),
            carrier=carrier,
            carrier_name=carrier_name,
        )
    if allowed and unit.dimension not in allowed:
        wanted = "或".join(DIMENSION_LABELS[d] for d in allowed)
        raise UnitError(
            text,
            reason="mismatch",
            accepted=accepted_units(*allowed),
            carrier=carrier,
            carrier_name=carrier_name,
            hint=f"（“{text}”是{DIMENSION_LABELS[unit.dimension]}单位，此处应为{wanted}单位。）",
        )
    return ParsedUnit(text, unit)


def to_canonical(quantity: float, unit: str | ParsedUnit) -> tuple[float, ParsedUnit]:
    """Convert a quantity to the canonical unit of its dimension.

    Parameters
    ----------
    quantity : float
        Amount in ``unit``.
    unit : str or ParsedUnit
        Unit text or an already parsed unit.

    Returns
    -------
    (float, ParsedUnit)
        ``quantity * multiplier`` [canonical unit] and the parsed unit. The batch path must
        use the same single multiplication to reproduce the value exactly.
    """
    parsed = unit if isinstance(unit, ParsedUnit) else parse_unit(unit)
    return quantity * parsed.multiplier, parsed


def unit_table() -> list[dict[str, str | float]]:
    """Every accepted unit spelling as a plain row, for vectorised joins.

    Returns
    -------
    list of dict
        Keys: ``spelling`` (normalised, see :func:`normalise_unit_text`), ``symbol``,
        ``dimension``, ``canonical_unit``, ``multiplier`` (float; canonical = quantity ×
        multiplier). Liquid-volume units are included with their dimension so that a batch
        importer can refuse them with the same message.
    """
    rows: list[dict[str, str | float]] = []
    for key, unit in sorted(_lookup().items()):
        rows.append(
            {
                "spelling": key,
                "symbol": unit.symbol,
                "dimension": unit.dimension.value,
                "canonical_unit": unit.canonical,
                "multiplier": unit.multiplier,
            }
        )
    return rows

"""The bridge between stored report lines and the accounting core (``ecplan.core``).

Nothing here owns a coefficient or a rule: carriers, units, coefficients (with their source,
factor set and confidence) come from the core, per distinct key, through its public functions
(:func:`~ecplan.core.tce_coefficient`, :func:`~ecplan.core.fuel_co2_result`,
:func:`~ecplan.core.electricity_co2_result`, :func:`~ecplan.core.heat_co2_result`,
:func:`~ecplan.core.to_tce_result` for measured heating values). The arithmetic is the core's
documented batch arithmetic (``ecplan.core.accounting`` module docstring)::

    canonical  = quantity * unit_multiplier
    energy_tce = canonical * k          (signed: exported lines negative)
    co2_t      = canonical * ef

summed line by line in report order, and the series rules of
:func:`~ecplan.core.comprehensive_energy_consumption` and :func:`~ecplan.core.co2_emissions`.
``tests/web/reporting/test_reporting_accounting.py`` checks that the totals are identical
(bit for bit) to the core's own functions. Resolving each coefficient once per batch instead
of once per line is what makes an import of a year of reports take seconds.

Mapping of a stored line (NBS 205-1 style) to the core's account:

* ``consumed − feedstock`` → a fuel line (``use="fuel"``); it includes the inputs to own power
  and heat generation (``power_heat``), which are fuel burned on site;
* ``feedstock`` → a feedstock line (``use="feedstock"``, deducted in the new basis, no
  combustion CO2);
* ``supplied_out`` → an exported line (``flow="exported"``, deducted by GB/T 2589; electricity
  and heat supplied out are also deducted from purchased electricity and heat for CO2);
* purchases and stocks are not consumption and do not enter the account.

A line the core cannot convert (no coefficient for the year, 原煤 without a coal type for
CO2 …) is left out of that total only, and the result records why (``problems``) and is
marked incomplete — never silently.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ecplan.core import (
    AccountingError,
    Carrier,
    CarrierCategory,
    Coefficient,
    Dimension,
    EnergyUse,
    ParsedUnit,
    electricity_co2_result,
    fuel_co2_result,
    get_carrier,
    heat_co2_result,
    normalise_region,
    parse_unit,
    tce_coefficient,
    to_tce_result,
)

__all__ = [
    "BASES",
    "Coefficients",
    "EnergyAccount",
    "LineInput",
    "account_error_text",
    "carrier_for",
    "coefficient_data",
    "coefficient_from_data",
    "compute_energy_account",
    "energy_uses",
    "factor_digest",
    "lcv_unit_for",
    "measure_unit",
    "unit_for",
]

BASES = ("calorific", "equivalent")
SCHEMA = "ecplan.energy-account/1"


def carrier_for(text: str) -> Carrier:
    """The carrier named by ``text`` (code, Chinese name or alias); raises
    :class:`ecplan.core.UnknownCarrierError`."""
    return get_carrier(text)


def unit_for(text: str, carrier: Carrier) -> ParsedUnit:
    """``text`` as a unit of ``carrier``'s dimensions; raises :class:`ecplan.core.UnitError`."""
    return parse_unit(
        text, dimensions=carrier.dimensions, carrier=carrier.code, carrier_name=carrier.name_zh
    )


def measure_unit(text: str, dimension: str) -> ParsedUnit:
    """``text`` as a unit of ``dimension`` (``electricity``, ``heat``, ``mass``,
    ``standard_coal``); raises :class:`ecplan.core.UnitError`."""
    return parse_unit(text, dimensions=(Dimension(dimension),))


def lcv_unit_for(dimension: str) -> str:
    """The unit a measured low heating value is entered in for a carrier of ``dimension``."""
    return "kJ/m3" if dimension == Dimension.VOLUME.value else "kJ/kg"


def account_error_text(exc: AccountingError) -> str:
    """The core's Chinese message without the location prefix it may carry."""
    return str(exc.message)


@dataclass(frozen=True)
class LineInput:
    """One stored energy line, as the accounting needs it (quantities in ``unit``)."""

    carrier: str
    carrier_text: str
    unit: str
    consumed: float | None
    feedstock: float | None
    supplied_out: float | None
    lcv: float | None = None
    lcv_unit: str = ""


def energy_uses(lines: Iterable[LineInput]) -> list[EnergyUse]:
    """The core's account lines for stored energy lines, in order (see the module docstring)."""
    uses: list[EnergyUse] = []
    for line in lines:
        lcv = (line.lcv, line.lcv_unit) if line.lcv is not None and line.lcv_unit else None
        fuel = (line.consumed or 0.0) - (line.feedstock or 0.0)
        if fuel > 0:
            uses.append(
                EnergyUse(
                    line.carrier,
                    fuel,
                    line.unit,
                    use="fuel",
                    label=f"{line.carrier_text}（燃料动力）",
                    lcv=lcv,
                )
            )
        if line.feedstock:
            uses.append(
                EnergyUse(
                    line.carrier,
                    line.feedstock,
                    line.unit,
                    use="feedstock",
                    label=f"{line.carrier_text}（原料用能）",
                    lcv=lcv,
                )
            )
        if line.supplied_out:
            uses.append(
                EnergyUse(
                    line.carrier,
                    line.supplied_out,
                    line.unit,
                    flow="exported",
                    label=f"{line.carrier_text}（外供）",
                    lcv=lcv,
                )
            )
    return uses


# -- coefficients, resolved once per key ------------------------------------------------------


@dataclass
class _Resolved:
    value: float | None
    coefficients: tuple[Coefficient, ...] = ()
    error: AccountingError | None = None


def coefficient_data(c: Coefficient) -> dict[str, Any]:
    """A coefficient as plain data (every field, the factor set as a mapping)."""
    return dataclasses.asdict(c)


def coefficient_from_data(data: Mapping[str, Any]) -> Coefficient:
    """Rebuild a :class:`~ecplan.core.Coefficient` stored with :func:`coefficient_data`."""
    from ecplan.core import FactorSetRef

    values = dict(data)
    fs = values.get("factor_set")
    values["factor_set"] = FactorSetRef(**fs) if fs else None
    return Coefficient(**values)


class Coefficients:
    """Coefficients resolved through the core, cached for one batch (an import, a
    restatement). Create a new instance to pick up factor sets loaded since."""

    def __init__(self) -> None:
        self._tce: dict[tuple[str, str, str, int, str | None], _Resolved] = {}
        self._fuel: dict[str, _Resolved] = {}
        # by identity: the resolved coefficients are kept alive by this cache, and hashing a
        # frozen dataclass of twenty fields on every line is what made imports slow
        self._keys: dict[int, tuple[Coefficient, str]] = {}
        self._by_value: dict[Coefficient, str] = {}
        self._units: dict[tuple[str, str], tuple[Carrier, ParsedUnit]] = {}
        self._measured: dict[tuple[Any, ...], _Resolved] = {}
        #: content key → the coefficient as plain data (stored once, shared by results)
        self.snapshots: dict[str, dict[str, Any]] = {}

    def key_of(self, c: Coefficient) -> str:
        """A content key of the coefficient (SHA-256 of its plain data, 16 hex digits)."""
        found = self._keys.get(id(c))
        if found is not None and found[0] is c:
            return found[1]
        by_value = self._by_value.get(c)
        if by_value is not None:
            self._keys[id(c)] = (c, by_value)
            return by_value
        data = coefficient_data(c)
        key = hashlib.sha256(
            json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()
        ).hexdigest()[:16]
        self._keys[id(c)] = (c, key)
        self._by_value[c] = key
        self.snapshots[key] = data
        return key

    def carrier_unit(self, carrier: str, unit: str) -> tuple[Carrier, ParsedUnit]:
        key = (carrier, unit)
        found = self._units.get(key)
        if found is None:
            c = get_carrier(carrier)
            found = (c, unit_for(unit, c))
            self._units[key] = found
        return found

    def tce_measured(
        self,
        carrier: Carrier,
        parsed: ParsedUnit,
        basis: str,
        lcv: tuple[float, str],
        year: int,
        region: str | None,
    ) -> _Resolved:
        """The coefficient from a measured heating value, through the core: ``to_tce_result``
        of one canonical unit gives exactly the factor it multiplies by."""
        key = (carrier.code, parsed.canonical, basis, lcv, year, region)
        found = self._measured.get(key)
        if found is None:
            try:
                conv = to_tce_result(
                    1.0, parsed.canonical, carrier, basis=basis, lcv=lcv, year=year, region=region
                )
                found = _Resolved(conv.value, tuple(conv.coefficients))
            except AccountingError as exc:
                found = _Resolved(None, error=exc)
            self._measured[key] = found
        return found

    def tce(
        self, carrier: Carrier, dimension: Dimension, basis: str, year: int, region: str | None
    ) -> _Resolved:
        key = (carrier.code, dimension.value, basis, year, region)
        found = self._tce.get(key)
        if found is None:
            try:
                f = tce_coefficient(carrier, dimension, basis=basis, year=year, region=region)
                found = _Resolved(f.value, tuple(f.coefficients))
            except AccountingError as exc:
                found = _Resolved(None, error=exc)
            self._tce[key] = found
        return found

    def fuel(self, carrier: Carrier) -> _Resolved:
        found = self._fuel.get(carrier.code)
        if found is None:
            dim = carrier.dimensions[0]
            unit = {"mass": "t", "volume": "m3", "standard_coal": "tce"}.get(dim.value, "t")
            try:
                r = fuel_co2_result(1.0, unit, carrier)
                found = _Resolved(r.coefficients[-1].value, tuple(r.coefficients))
            except AccountingError as exc:
                found = _Resolved(None, error=exc)
            self._fuel[carrier.code] = found
        return found


# -- the account of one report -----------------------------------------------------------------


@dataclass
class EnergyAccount:
    """The accounting result of one energy report revision (plain data, ready to store)."""

    energy_tce_calorific: float = 0.0
    energy_tce_equivalent: float = 0.0
    new_basis_tce_calorific: float = 0.0
    new_basis_tce_equivalent: float = 0.0
    feedstock_tce_calorific: float = 0.0
    feedstock_tce_equivalent: float = 0.0
    non_fossil_tce_calorific: float = 0.0
    non_fossil_tce_equivalent: float = 0.0
    co2_t: float = 0.0
    combustion_co2_t: float = 0.0
    electricity_co2_t: float = 0.0
    heat_co2_t: float = 0.0
    uncertain: bool = False
    complete: bool = True
    problems: list[dict[str, Any]] = field(default_factory=list)
    factor_sets: list[dict[str, Any]] = field(default_factory=list)
    factor_digest: str = ""
    calculation: dict[str, Any] = field(default_factory=dict)
    calculation_co2: dict[str, Any] = field(default_factory=dict)


_SERIES_LABELS = {
    "fossil": "化石能源",
    "non_fossil": "非化石能源",
    "feedstock": "原料用能",
    "separately_listed": "能耗单列",
}
CALC_LABELS = {"calorific": "当量值", "equivalent": "等价值", "co2": "二氧化碳"}


def compute_energy_account(
    lines: Sequence[LineInput],
    *,
    year: int,
    region: str | None = None,
    coefficients: Coefficients | None = None,
) -> EnergyAccount:
    """Comprehensive energy consumption on both bases and energy-related CO2 of one report.

    Parameters
    ----------
    lines : sequence of LineInput
    year : int
        Data year (the 等价值 coal rate and the grid factor of that year, or the core's
        documented fallback to the latest earlier year).
    region : str, optional
        Province of the enterprise (the core's default region when not given).
    coefficients : Coefficients, optional
        A cache shared by the reports of one batch.

    Returns
    -------
    EnergyAccount
        Totals, the factor sets used, ``problems`` (lines left out of a total, with the
        core's Chinese message) and ``calculation``: the lines with every coefficient used.
    """
    coefs = coefficients or Coefficients()
    reg = normalise_region(region) if region else None
    acc = EnergyAccount()
    used: dict[str, Coefficient] = {}

    def ref(cs: Iterable[Coefficient]) -> list[str]:
        ids = []
        for c in cs:
            key = coefs.key_of(c)
            used.setdefault(key, c)
            ids.append(key)
        return ids

    def problem(index: int, calc: str, use: EnergyUse, exc: AccountingError) -> None:
        acc.complete = False
        acc.problems.append(
            {
                "line": index,
                "calc": calc,
                "calc_label": CALC_LABELS[calc],
                "carrier": use.carrier,
                "label": use.label,
                "code": getattr(exc, "code", "accounting_error"),
                "error_type": type(exc).__name__,
                "message": account_error_text(exc),
            }
        )

    uses = energy_uses(lines)
    co2 = _Co2(coefs, year, reg, ref)
    sums = {b: {"total": 0.0, "feedstock": 0.0, "non_fossil": 0.0, "sep": 0.0} for b in BASES}
    out_lines: list[dict[str, Any]] = []
    for index, use in enumerate(uses, start=1):
        c, parsed = coefs.carrier_unit(use.carrier, use.unit)
        canonical = use.quantity * parsed.multiplier
        exported = use.flow == "exported"
        sign = -1.0 if exported else 1.0
        feedstock = use.use == "feedstock"
        non_fossil = c.is_non_fossil if use.non_fossil is None else bool(use.non_fossil)
        series = "feedstock" if feedstock else ("non_fossil" if non_fossil else "fossil")
        row: dict[str, Any] = {
            "label": use.label,
            "carrier": c.code,
            "carrier_name": c.name_zh,
            "flow": "exported" if exported else "consumed",
            "use": "feedstock" if feedstock else "fuel",
            "series": series,
            "series_label": _SERIES_LABELS[series],
            "quantity": use.quantity,
            "unit": use.unit,
            "canonical": canonical,
            "canonical_unit": parsed.canonical,
        }
        for basis in BASES:
            if use.lcv is not None:
                resolved = coefs.tce_measured(c, parsed, basis, use.lcv, year, reg)
            else:
                resolved = coefs.tce(c, parsed.dimension, basis, year, reg)
            value = canonical * resolved.value if resolved.value is not None else 0.0
            if resolved.error is not None or resolved.value is None:
                assert resolved.error is not None
                problem(index, basis, use, resolved.error)
                row[basis] = {"error": account_error_text(resolved.error)}
                continue
            signed = sign * value
            s = sums[basis]
            s["total"] += signed
            if series == "feedstock":
                s["feedstock"] += signed
            elif series == "non_fossil":
                s["non_fossil"] += signed
            row[basis] = {
                "k": resolved.value,
                "tce": signed,
                "coefficients": ref(resolved.coefficients),
            }
        row["co2"] = co2.line(
            c,
            canonical,
            use,
            exported,
            feedstock,
            lambda exc, i=index, u=use: problem(i, "co2", u, exc),
        )
        out_lines.append(row)
    for basis in BASES:
        s = sums[basis]
        setattr(acc, f"energy_tce_{basis}", s["total"])
        setattr(acc, f"feedstock_tce_{basis}", s["feedstock"])
        setattr(acc, f"non_fossil_tce_{basis}", s["non_fossil"])
        setattr(
            acc, f"new_basis_tce_{basis}", s["total"] - s["sep"] - s["feedstock"] - s["non_fossil"]
        )
    co2.finish(
        acc,
        lambda carrier, label, exc: problem(
            0, "co2", EnergyUse(carrier, 0.0, "", label=label), exc
        ),
    )
    acc.uncertain = any(coef.uncertain for coef in used.values())
    sets: dict[tuple[str, str], dict[str, Any]] = {}
    for coef in used.values():
        fs = coef.factor_set
        if fs is not None:
            sets.setdefault(
                (fs.id, fs.version),
                {
                    "id": fs.id,
                    "version": fs.version,
                    "kind": fs.kind,
                    "title": fs.title,
                    "digest": fs.digest,
                    "origin": fs.origin,
                },
            )
    acc.factor_sets = sorted(sets.values(), key=lambda s: (s["id"], s["version"]))
    acc.factor_digest = factor_digest(acc.factor_sets)
    acc.calculation = {
        "schema": SCHEMA,
        "year": year,
        "region": reg,
        "lines": out_lines,
        "coefficients": sorted(used),
        "co2": acc.calculation_co2,
        "formula": {
            "energy": "E = Σ消费量折标 − Σ外供量折标（GB/T 2589-2020）；新口径 = E − 原料用能 − 非化石能源",
            "co2": "CO2 = Σ燃料燃烧排放 + 净购入电力 × EF_电 + 净购入热力 × EF_热",
        },
    }
    return acc


class _Co2:
    """Energy-related CO2 by the rules of :func:`ecplan.core.co2_emissions`: fuels burned
    line by line (cached emission factors, ``canonical × EF``); electricity and heat netted
    over the report (consumed − exported) and converted by the core once per report."""

    def __init__(self, coefs: Coefficients, year: int, region: str | None, ref: Any) -> None:
        self.coefs = coefs
        self.year = year
        self.region = region
        self.ref = ref
        self.fuel_values: list[float] = []
        self.net_kwh = 0.0
        self.green_kwh = 0.0
        self.net_gj = 0.0
        self.has_electricity = False
        self.has_heat = False

    def line(
        self,
        c: Carrier,
        canonical: float,
        use: EnergyUse,
        exported: bool,
        feedstock: bool,
        problem: Any,
    ) -> dict[str, Any]:
        sign = -1.0 if exported else 1.0
        if c.category is CarrierCategory.ELECTRICITY:
            self.net_kwh += sign * canonical
            if use.non_fossil and not exported:
                self.green_kwh += canonical
            self.has_electricity = True
            return {"kind": "electricity", "net_kwh": sign * canonical}
        if c.code == "heat":
            self.net_gj += sign * canonical
            self.has_heat = True
            return {"kind": "heat", "net_gj": sign * canonical}
        if c.category is CarrierCategory.HEAT:
            from ecplan.core import InputError

            exc = InputError(
                "carrier", use.carrier, "外购蒸汽请按热量（吉焦）填报为“热力”后计算排放"
            )
            problem(exc)
            return {"kind": "heat", "error": account_error_text(exc)}
        if not c.is_fossil or exported:
            return {"kind": "none", "co2_t": 0.0}
        if feedstock:
            self.fuel_values.append(0.0)
            return {"kind": "feedstock", "co2_t": 0.0, "note": "原料用能不计燃料燃烧排放"}
        r = self.coefs.fuel(c)
        if r.value is None:
            assert r.error is not None
            problem(r.error)
            return {"kind": "fuel", "error": account_error_text(r.error)}
        value = canonical * r.value
        self.fuel_values.append(value)
        return {
            "kind": "fuel",
            "ef": r.value,
            "co2_t": value,
            "coefficients": self.ref(r.coefficients),
        }

    def finish(self, acc: EnergyAccount, problem: Any) -> None:
        acc.combustion_co2_t = sum(self.fuel_values)
        summary: dict[str, Any] = {}
        if self.has_electricity:
            net = self.net_kwh
            try:
                kwargs: dict[str, Any] = {"year": self.year}
                if self.region is not None:
                    kwargs["region"] = self.region
                if net >= 0:
                    r = electricity_co2_result(net, green_kwh=self.green_kwh, **kwargs)
                    acc.electricity_co2_t = r.value
                else:
                    r = electricity_co2_result(-net, **kwargs)
                    acc.electricity_co2_t = -r.value
                summary["electricity"] = {
                    "net_kwh": net,
                    "co2_t": acc.electricity_co2_t,
                    "formula": r.formula,
                    "notes": list(r.notes),
                    "coefficients": self.ref(r.coefficients),
                }
            except AccountingError as exc:
                problem("electricity", "净购入电力", exc)
                summary["electricity"] = {"net_kwh": net, "error": account_error_text(exc)}
        if self.has_heat:
            net_gj = self.net_gj
            try:
                h = heat_co2_result(abs(net_gj), "GJ")
                acc.heat_co2_t = h.value if net_gj >= 0 else -h.value
                summary["heat"] = {
                    "net_gj": net_gj,
                    "co2_t": acc.heat_co2_t,
                    "coefficients": self.ref(h.coefficients),
                }
            except AccountingError as exc:
                problem("heat", "净购入热力", exc)
                summary["heat"] = {"net_gj": net_gj, "error": account_error_text(exc)}
        acc.co2_t = acc.combustion_co2_t + acc.electricity_co2_t + acc.heat_co2_t
        acc.calculation_co2 = summary


def factor_digest(factor_sets: Sequence[Mapping[str, Any]]) -> str:
    """A fingerprint of the factor sets and versions used (equal digests: same sets)."""
    text = json.dumps(
        [[s["id"], s["version"], s.get("digest", "")] for s in factor_sets], ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

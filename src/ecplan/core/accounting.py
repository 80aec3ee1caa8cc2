"""Energy and CO2 accounting: standard coal on both bases, fuel/electricity/heat CO2,
comprehensive energy consumption with the new-basis (新口径) deductions.

Every calculation has a float shortcut (``to_tce``, ``fuel_co2`` …) and a result-object
form (``to_tce_result`` …) returning a :class:`~ecplan.core.provenance.Calculation` that
explains itself. The shortcut is always ``<name>_result(...).value``.

Arithmetic (the batch path must follow the same order to get bit-identical results)::

    canonical = quantity * unit_multiplier            # units.parse_unit
    energy_tce = canonical * k                        # k from tce_coefficient / conversion_table
    co2_t      = canonical * ef                       # ef from fuel_co2_table
    co2_t      = kwh * ef_grid                        # ef_grid in tCO2/kWh

where each per-unit coefficient (k, ef, ef_grid) is computed once, exactly, from the
published decimal values and rounded once to float.

References
----------
GB/T 2589-2020 综合能耗计算通则; GB/T 32151.22-2024 附录C; GB/T 32150—2025 (heat 0.11
tCO2/GJ); 生态环境部、国家统计局 电力二氧化碳排放因子公告; 发改环资〔2022〕803号 (原料用能);
发改环资〔2024〕113号 (非化石能源与绿证); 发改能源〔2023〕1044号 (1 张绿证 = 1 000 kWh).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, Literal

from ecplan.core.carriers import Carrier, CarrierCategory, EnergyClass, get_carrier
from ecplan.core.errors import AccountingError, InputError
from ecplan.core.factors import FactorLibrary, FactorSource, library_for
from ecplan.core.factorsets import KJ_PER_KGCE, parse_ratio_unit
from ecplan.core.provenance import Calculation, Coefficient, Quantity, register_calculation
from ecplan.core.regions import DEFAULT_REGION, normalise_region
from ecplan.core.units import CANONICAL_UNITS, Dimension, parse_unit

__all__ = [
    "BASIS_LABELS",
    "CERTIFICATE_KWH",
    "Basis",
    "Co2Emissions",
    "ComprehensiveEnergyConsumption",
    "ElectricityCo2",
    "EnergyLineResult",
    "EnergyUse",
    "FuelCo2",
    "TceConversion",
    "TceFactor",
    "co2_emissions",
    "comprehensive_energy_consumption",
    "conversion_table",
    "electricity_co2",
    "electricity_co2_result",
    "fuel_co2",
    "fuel_co2_result",
    "fuel_co2_table",
    "grid_factor_table",
    "heat_co2",
    "heat_co2_result",
    "normalise_basis",
    "tce_coefficient",
    "to_tce",
    "to_tce_result",
]

Basis = Literal["calorific", "equivalent"]
BASIS_LABELS: Final[dict[str, str]] = {"calorific": "当量值", "equivalent": "等价值"}
_BASIS_ALIASES: Final[dict[str, str]] = {
    "calorific": "calorific",
    "当量值": "calorific",
    "当量": "calorific",
    "equivalent": "equivalent",
    "等价值": "equivalent",
    "等价": "equivalent",
}

CERTIFICATE_KWH: Final = 1000.0
"""One green-power certificate (绿证) = 1 000 kWh (发改能源〔2023〕1044号)."""

REF_GBT2589: Final = "GB/T 2589-2020 综合能耗计算通则"
REF_GBT32151: Final = "GB/T 32151.22-2024 温室气体排放核算与报告要求 附录C"
REF_MEE_GRID: Final = "生态环境部、国家统计局 电力二氧化碳排放因子公告"
REF_803: Final = "发改环资〔2022〕803号（原料用能不纳入能源消费总量控制）"
REF_113: Final = "发改环资〔2024〕113号（绿证与节能降碳政策衔接）"


def normalise_basis(basis: str) -> Basis:
    """``calorific``/``当量值`` → ``calorific``; ``equivalent``/``等价值`` → ``equivalent``.

    Raises
    ------
    ecplan.core.errors.InputError

    References
    ----------
    GB/T 2589-2020 第3章（能量的当量值、能源的等价值）.
    """
    found = _BASIS_ALIASES.get(str(basis).strip().casefold()) or _BASIS_ALIASES.get(
        str(basis).strip()
    )
    if found == "calorific":
        return "calorific"
    if found == "equivalent":
        return "equivalent"
    raise InputError("basis", basis, "折算口径应为 calorific（当量值）或 equivalent（等价值）")


def _finite(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(name, value, "应为数字")
    v = float(value)
    if not math.isfinite(v):
        raise InputError(name, value, "应为有限数字")
    return v


def _non_negative(name: str, value: float) -> float:
    v = _finite(name, value)
    if v < 0:
        raise InputError(name, value, "不能为负数")
    return v


# --- the per-unit standard-coal coefficient --------------------------------------------


@dataclass(frozen=True)
class TceFactor:
    """The per-unit coefficient used to convert one carrier in one dimension.

    Attributes
    ----------
    value : float
        tce per canonical unit (``energy_tce = canonical_quantity * value``).
    unit : str
        ``tce/t``, ``tce/m3``, ``tce/kWh``, ``tce/GJ`` or ``tce/tce``.
    coefficients : tuple of Coefficient
        The coefficient(s) behind ``value`` (two for steam on the 等价值 basis: heat content
        × heat-supply coal rate).
    formula : str
        How ``value`` is formed from the coefficients.
    notes : tuple of str
    """

    value: float
    unit: str
    coefficients: tuple[Coefficient, ...]
    formula: str = "k"
    notes: tuple[str, ...] = ()


def _caller_coefficient(
    name: str,
    symbol: str,
    value: Fraction,
    unit: str,
    published: str,
    published_unit: str,
    *,
    confidence: str = "caller-supplied",
    basis: str | None = None,
    notes: str = "",
) -> Coefficient:
    return Coefficient(
        name=name,
        symbol=symbol,
        value=float(value),
        unit=unit,
        published_value=published,
        published_unit=published_unit,
        confidence=confidence,
        document="调用方提供" if confidence == "caller-supplied" else "实测值",
        basis=basis,
        notes=notes,
    )


def _explicit_coefficient(
    carrier: Carrier,
    dimension: Dimension,
    coefficient: tuple[float, str] | None,
    lcv: tuple[float, str] | None,
) -> TceFactor | None:
    if coefficient is not None and lcv is not None:
        raise InputError("coefficient", coefficient, "coefficient 与 lcv 只能给出一个")
    per = CANONICAL_UNITS[dimension]
    if coefficient is not None:
        value, unit = coefficient
        v = _finite("coefficient", value)
        if v <= 0:
            raise InputError("coefficient", value, "折标系数必须大于 0")
        try:
            ratio = parse_ratio_unit(unit, "standard_coal", (dimension,))
        except AccountingError as exc:
            raise exc.at("coefficient 单位") from None
        k = ratio.canonical(Fraction(v))
        coef = _caller_coefficient(
            "折标准煤系数", "k", k, f"tce/{per}", repr(v), unit, basis="调用方指定"
        )
        return TceFactor(float(k), f"tce/{per}", (coef,))
    if lcv is not None:
        value, unit = lcv
        v = _finite("lcv", value)
        if v <= 0:
            raise InputError("lcv", value, "低位发热量必须大于 0")
        try:
            ratio = parse_ratio_unit(unit, "heat", (dimension,))
        except AccountingError as exc:
            raise exc.at("lcv 单位") from None
        gj_per_unit = ratio.canonical(Fraction(v))
        k = gj_per_unit / Fraction(KJ_PER_KGCE, 1000)  # GJ per tce = 29.307
        lcv_coef = _caller_coefficient(
            "实测低位发热量",
            "Q_net",
            gj_per_unit,
            f"GJ/{per}",
            repr(v),
            unit,
            confidence="measured",
        )
        std = Coefficient(
            name="标准煤热值",
            symbol="29.307",
            value=KJ_PER_KGCE / 1000,
            unit="GJ/tce",
            confidence="definition",
            document=REF_GBT2589,
            locator="1 kgce = 29307 kJ",
        )
        return TceFactor(float(k), f"tce/{per}", (lcv_coef, std), "Q_net ÷ 29.307")
    return None


def tce_coefficient(
    carrier: str | Carrier,
    dimension: Dimension = Dimension.MASS,
    *,
    basis: str = "calorific",
    year: int | None = None,
    region: str | None = None,
    generation_coal_rate: float | None = None,
    heat_supply_coal_rate: float | None = None,
    factor_set: FactorSource = None,
) -> TceFactor:
    """The standard-coal coefficient for a carrier reported in a given dimension.

    Parameters
    ----------
    carrier : str or Carrier
        Carrier name, alias or code.
    dimension : Dimension
        Dimension of the reported quantity (``electricity`` for hydro kWh, ``mass`` for coal).
    basis : {"calorific", "equivalent", "当量值", "等价值"}
        当量值 or 等价值. They differ only for electricity (kWh) and heat / steam.
    year : int, optional
        Data year; needed on the 等价值 basis for electricity and heat unless a rate is given.
    region : str, optional
        Region of the coal-rate series (default 江苏, falling back to 全国).
    generation_coal_rate : float, optional
        Coal rate of electricity [gce/kWh] to use instead of the series.
    heat_supply_coal_rate : float, optional
        Heat-supply coal rate [kgce/GJ] to use instead of the series.
    factor_set : FactorSource, optional
        Factor library or sets to use (default: shipped + loaded sets).

    Returns
    -------
    TceFactor
        ``value`` [tce per canonical unit] and the coefficients behind it.

    Raises
    ------
    ecplan.core.errors.FactorNotFoundError, ecplan.core.errors.CoefficientRequiredError
        No coefficient (or no rate for the year) — never silently replaced.

    References
    ----------
    GB/T 2589-2020 附录A (当量值 coefficients: 电力 0.1229 kgce/kWh, 热力 0.03412 kgce/MJ);
    国家统计局 (等价值: electricity at the year's generation coal rate).
    """
    c = get_carrier(carrier)
    b = normalise_basis(basis)
    lib = library_for(factor_set)
    if dimension not in c.dimensions:
        raise InputError("dimension", dimension.value, f"{c.name_zh}不能按该量纲计量")
    if dimension is Dimension.STANDARD_COAL:
        coef = Coefficient(
            name="标准煤量",
            symbol="1",
            value=1.0,
            unit="tce/tce",
            confidence="definition",
            notes="已按标准煤填报，不再折算。",
        )
        return TceFactor(1.0, "tce/tce", (coef,), "1")
    if dimension is Dimension.ELECTRICITY:
        if b == "calorific":
            coef = lib.conversion_coefficient("electricity")
            return TceFactor(coef.value, coef.unit, (coef,))
        return _electricity_equivalent(lib, year, region, generation_coal_rate)
    if dimension is Dimension.HEAT:
        if b == "calorific":
            coef = lib.conversion_coefficient("heat")
            return TceFactor(coef.value, coef.unit, (coef,))
        return _heat_equivalent(lib, year, region, heat_supply_coal_rate)
    # mass / volume: a carrier-specific coefficient
    if b == "equivalent" and c.category is CarrierCategory.HEAT:
        # Steam on the 等价值 basis: its heat content at the heat-supply coal rate.
        h = lib.heat_content(c)
        rate = _heat_equivalent(lib, year, region, heat_supply_coal_rate)
        value = h.value * rate.value
        return TceFactor(
            value,
            "tce/t",
            (h, *rate.coefficients),
            "h × k_等价",
            ("蒸汽按等价值：单位热值 × 供热煤耗率。",),
        )
    coef = lib.conversion_coefficient(c)
    notes: tuple[str, ...] = ()
    if c.energy_class is EnergyClass.WORKING_MEDIUM:
        notes = ("耗能工质按能源等价值折算（GB/T 2589），当量值与等价值口径相同。",)
    return TceFactor(coef.value, coef.unit, (coef,), "k", notes)


def _electricity_equivalent(
    lib: FactorLibrary, year: int | None, region: str | None, rate: float | None
) -> TceFactor:
    if rate is not None:
        r = _finite("generation_coal_rate", rate)
        if not 100 <= r <= 600:
            raise InputError(
                "generation_coal_rate", rate, "发电煤耗率单位为 gce/kWh，合理范围约 100–600"
            )
        k = Fraction(r) / 1_000_000
        coef = _caller_coefficient(
            "电力等价值折标系数（煤耗率）",
            "k_等价",
            k,
            "tce/kWh",
            repr(r),
            "gce/kWh",
            basis="调用方指定的煤耗率",
        )
        return TceFactor(float(k), "tce/kWh", (coef,), "k_等价")
    if year is None:
        raise InputError(
            "year",
            None,
            "按等价值折算电力需要数据年份（year=），或给出发电煤耗率（generation_coal_rate=，gce/kWh）",
        )
    coef = lib.generation_coal_rate(year, region or DEFAULT_REGION)
    notes: list[str] = []
    if coef.key == "supply":
        notes.append(
            "所用煤耗率为供电煤耗（含厂用电），高于国家统计局等价值所用的发电煤耗；"
            "载入当地统计部门公布的等价值折标系数后将自动改用。"
        )
    return TceFactor(coef.value, coef.unit, (coef,), "k_等价", tuple(notes))


def _heat_equivalent(
    lib: FactorLibrary, year: int | None, region: str | None, rate: float | None
) -> TceFactor:
    if rate is not None:
        r = _finite("heat_supply_coal_rate", rate)
        if not 20 <= r <= 80:
            raise InputError(
                "heat_supply_coal_rate", rate, "供热煤耗率单位为 kgce/GJ，合理范围约 20–80"
            )
        k = Fraction(r) / 1000
        coef = _caller_coefficient(
            "热力等价值折标系数（供热煤耗率）",
            "k_等价",
            k,
            "tce/GJ",
            repr(r),
            "kgce/GJ",
            basis="调用方指定的供热煤耗率",
        )
        return TceFactor(float(k), "tce/GJ", (coef,), "k_等价")
    if year is None:
        raise InputError(
            "year",
            None,
            "按等价值折算热力需要数据年份（year=），或给出供热煤耗率（heat_supply_coal_rate=，kgce/GJ）",
        )
    coef = lib.heat_supply_coal_rate(year, region or DEFAULT_REGION)
    return TceFactor(coef.value, coef.unit, (coef,), "k_等价")


# --- to_tce ------------------------------------------------------------------------------


@register_calculation
@dataclass(frozen=True, kw_only=True)
class TceConversion(Calculation):
    """A quantity of one carrier converted to standard coal (:func:`to_tce_result`)."""

    type_name = "tce_conversion"

    carrier: str
    carrier_name: str
    basis: str
    dimension: str


def to_tce_result(
    quantity: float,
    unit: str,
    carrier: str | Carrier,
    *,
    basis: str = "calorific",
    generation_coal_rate: float | None = None,
    heat_supply_coal_rate: float | None = None,
    coefficient: tuple[float, str] | None = None,
    lcv: tuple[float, str] | None = None,
    year: int | None = None,
    region: str | None = None,
    factor_set: FactorSource = None,
) -> TceConversion:
    """Convert a quantity of an energy carrier to tonnes of standard coal, with provenance.

    Parameters
    ----------
    quantity : float
        Amount in ``unit``.
    unit : str
        Reporting unit (``吨``, ``万立方米``, ``万千瓦时``, ``百万千焦``, ``吨标准煤`` …).
    carrier : str or Carrier
        Carrier name, alias or code (``原煤``, ``天然气``, ``电力``, ``光伏`` …).
    basis : {"calorific", "equivalent", "当量值", "等价值"}
        当量值 (default) or 等价值; they differ only for electricity and heat.
    generation_coal_rate : float, optional
        Coal rate for electricity on the 等价值 basis [gce/kWh]; default: the series of the
        year and region (a statistics bureau coefficient, else 发电煤耗, else 供电煤耗).
    heat_supply_coal_rate : float, optional
        Heat-supply coal rate for heat on the 等价值 basis [kgce/GJ].
    coefficient : (float, str), optional
        An explicit coefficient with its unit, e.g. ``(0.6, "tce/t")``; overrides the
        factor sets (recorded as caller-supplied).
    lcv : (float, str), optional
        A measured low heating value, e.g. ``(20908, "kJ/kg")``: coefficient = LCV ÷ 29 307
        kJ/kgce (GB/T 2589 gives measured values priority over Appendix A).
    year, region : int, str, optional
        Data year and region of the coal-rate series (等价值 only; region default 江苏).
    factor_set : FactorSource, optional
        Factor library or sets to use (default: shipped + loaded sets).

    Returns
    -------
    TceConversion
        ``value`` [tce], inputs, coefficients with sources, formula, basis.

    Raises
    ------
    ecplan.core.errors.UnitError
        Unknown unit or a unit of the wrong dimension for the carrier (message lists the
        accepted units).
    ecplan.core.errors.UnknownCarrierError
    ecplan.core.errors.CoefficientRequiredError
        The carrier has no default coefficient (煤泥, 转炉煤气, 沼气, 新水).
    ecplan.core.errors.FactorNotFoundError

    References
    ----------
    GB/T 2589-2020 综合能耗计算通则（第8章 折算为标准煤的要求；附录A）.
    """
    q = _finite("quantity", quantity)
    c = get_carrier(carrier)
    b = normalise_basis(basis)
    parsed = parse_unit(unit, dimensions=c.dimensions, carrier=c.code, carrier_name=c.name_zh)
    canonical = q * parsed.multiplier
    factor = _explicit_coefficient(c, parsed.dimension, coefficient, lcv) or tce_coefficient(
        c,
        parsed.dimension,
        basis=b,
        year=year,
        region=region,
        generation_coal_rate=generation_coal_rate,
        heat_supply_coal_rate=heat_supply_coal_rate,
        factor_set=factor_set,
    )
    value = canonical * factor.value
    formula = "E = Q × m" if factor.formula == "1" else f"E = Q × m × {factor.formula}"
    notes = list(factor.notes)
    if c.code in {"electricity", "heat"} or parsed.dimension in (
        Dimension.ELECTRICITY,
        Dimension.HEAT,
    ):
        notes.append(f"折算口径：{BASIS_LABELS[b]}。")
    return TceConversion(
        value=value,
        unit="tce",
        name="energy_tce",
        label=f"{c.name_zh}折标准煤量（{BASIS_LABELS[b]}）",
        formula=formula,
        method="GB/T 2589-2020 第8章：实物量 × 折标准煤系数",
        inputs=(
            Quantity(
                name="quantity",
                label=f"{c.name_zh}实物量 Q",
                value=q,
                unit=unit,
                canonical_value=canonical,
                canonical_unit=parsed.canonical,
            ),
            Quantity(
                name="unit_multiplier",
                label=f"单位换算 m（{parsed.unit.symbol} → {parsed.canonical}）",
                value=parsed.multiplier,
                unit="1",
            ),
        ),
        coefficients=factor.coefficients,
        notes=tuple(notes),
        references=(REF_GBT2589,),
        carrier=c.code,
        carrier_name=c.name_zh,
        basis=b,
        dimension=parsed.dimension.value,
    )


def to_tce(
    quantity: float,
    unit: str,
    carrier: str,
    *,
    basis: str = "calorific",
    generation_coal_rate: float | None = None,
    year: int | None = None,
    region: str | None = None,
    factor_set: FactorSource = None,
) -> float:
    """Tonnes of standard coal of a quantity of an energy carrier [tce].

    Shortcut for ``to_tce_result(...).value``; see :func:`to_tce_result` for the
    parameters, the errors and the provenance.

    Examples
    --------
    >>> to_tce(100, "吨", "原煤")
    71.43
    >>> round(to_tce(1, "万千瓦时", "电力"), 6)
    1.229

    References
    ----------
    GB/T 2589-2020 综合能耗计算通则 附录A.
    """
    return to_tce_result(
        quantity,
        unit,
        carrier,
        basis=basis,
        generation_coal_rate=generation_coal_rate,
        year=year,
        region=region,
        factor_set=factor_set,
    ).value


def conversion_table(
    *,
    basis: str = "calorific",
    year: int | None = None,
    region: str | None = None,
    generation_coal_rate: float | None = None,
    heat_supply_coal_rate: float | None = None,
    factor_set: FactorSource = None,
) -> list[dict[str, object]]:
    """Every (carrier, dimension) with its tce coefficient, as plain rows for joins.

    The vectorised batch path joins its rows on ``(carrier, dimension)`` (after mapping
    names with :func:`ecplan.core.carriers.carrier_name_table` and units with
    :func:`ecplan.core.units.unit_table`) and computes ``quantity * multiplier * tce_per_unit``
    — bit-identical to :func:`to_tce`.

    Returns
    -------
    list of dict
        Keys: ``carrier``, ``carrier_name``, ``dimension``, ``canonical_unit``, ``basis``,
        ``tce_per_unit`` (float, or None when no default exists), ``error`` (Chinese message
        when None), ``confidence`` (lowest of the coefficients), ``uncertain``,
        ``factor_set_id``, ``factor_set_version``, ``factor_set_digest``, ``row_id``,
        ``document``, ``locator``, ``coefficient_basis``, ``year_used``, ``region_used``,
        ``year_fallback``, ``region_fallback``.

    References
    ----------
    GB/T 2589-2020 附录A; 国家统计局 能源统计报表制度.
    """
    from ecplan.core.carriers import CARRIERS

    b = normalise_basis(basis)
    lib = library_for(factor_set)
    out: list[dict[str, object]] = []
    for c in CARRIERS:
        for dim in c.dimensions:
            row: dict[str, object] = {
                "carrier": c.code,
                "carrier_name": c.name_zh,
                "dimension": dim.value,
                "canonical_unit": CANONICAL_UNITS[dim],
                "basis": b,
            }
            try:
                f = tce_coefficient(
                    c,
                    dim,
                    basis=b,
                    year=year,
                    region=region,
                    generation_coal_rate=generation_coal_rate,
                    heat_supply_coal_rate=heat_supply_coal_rate,
                    factor_set=lib,
                )
            except AccountingError as exc:
                row.update(_empty_provenance())
                row.update({"tce_per_unit": None, "error": exc.message})
                out.append(row)
                continue
            main = f.coefficients[-1] if f.formula == "h × k_等价" else f.coefficients[0]
            row.update(
                {
                    "tce_per_unit": f.value,
                    "error": "",
                    "confidence": _lowest(f.coefficients),
                    "uncertain": any(x.uncertain for x in f.coefficients),
                    "factor_set_id": main.factor_set.id if main.factor_set else None,
                    "factor_set_version": main.factor_set.version if main.factor_set else None,
                    "factor_set_digest": main.factor_set.digest if main.factor_set else None,
                    "row_id": main.row_id,
                    "document": main.document,
                    "locator": main.locator,
                    "coefficient_basis": main.basis,
                    "year_used": main.year,
                    "region_used": main.region,
                    "year_fallback": main.year_fallback,
                    "region_fallback": main.region_fallback,
                }
            )
            out.append(row)
    return out


def _empty_provenance() -> dict[str, object]:
    return {
        "confidence": None,
        "uncertain": False,
        "factor_set_id": None,
        "factor_set_version": None,
        "factor_set_digest": None,
        "row_id": None,
        "document": None,
        "locator": None,
        "coefficient_basis": None,
        "year_used": None,
        "region_used": None,
        "year_fallback": False,
        "region_fallback": False,
    }


_CONFIDENCE_ORDER: Final = (
    "uncertain",
    "from-secondary-source",
    "caller-supplied",
    "measured",
    "verified-from-source",
    "definition",
)


def _lowest(coefs: Iterable[Coefficient]) -> str:
    labels = [c.confidence for c in coefs]
    return min(labels, key=lambda x: _CONFIDENCE_ORDER.index(x) if x in _CONFIDENCE_ORDER else 0)


# --- fuel CO2 ----------------------------------------------------------------------------

Use = Literal["combustion", "feedstock"]
_USE_ALIASES: Final[dict[str, str]] = {
    "combustion": "combustion",
    "fuel": "combustion",
    "燃料": "combustion",
    "燃烧": "combustion",
    "燃料燃烧": "combustion",
    "feedstock": "feedstock",
    "原料": "feedstock",
    "原料用能": "feedstock",
}


def _normalise_use(use: str) -> Use:
    found = _USE_ALIASES.get(str(use).strip().casefold()) or _USE_ALIASES.get(str(use).strip())
    if found == "combustion":
        return "combustion"
    if found == "feedstock":
        return "feedstock"
    raise InputError("use", use, "用途应为 combustion（燃料燃烧）或 feedstock（原料用能）")


@register_calculation
@dataclass(frozen=True, kw_only=True)
class FuelCo2(Calculation):
    """CO2 from burning a fuel (:func:`fuel_co2_result`)."""

    type_name = "fuel_co2"

    carrier: str
    carrier_name: str
    use: str


def fuel_co2_result(
    quantity: float,
    unit: str,
    fuel: str | Carrier,
    *,
    use: str = "combustion",
    ncv: tuple[float, str] | None = None,
    carbon_content: tuple[float, str] | None = None,
    oxidation_rate: float | None = None,
    factor_set: FactorSource = None,
) -> FuelCo2:
    """CO2 emitted by burning a fuel, with provenance.

    ``co2_t = activity × NCV × CC × OF × 44/12``, evaluated as ``canonical × EF`` with the
    per-unit factor EF computed exactly from the row's published parameters.

    Parameters
    ----------
    quantity : float
        Amount of fuel in ``unit``.
    unit : str
        ``吨``, ``万立方米`` …
    fuel : str or Carrier
        Fuel name or code. 原煤 has no default: choose the coal type (无烟煤/烟煤/褐煤).
    use : {"combustion", "feedstock"}
        ``feedstock`` (原料用能) is not combustion: the result is 0 tCO2 with a note, because
        the carbon goes into the product or is accounted as a process emission by the sector
        guideline. Chinese 燃料/原料用能 are accepted.
    ncv : (float, str), optional
        Measured net calorific value, e.g. ``(21.5, "GJ/t")``.
    carbon_content : (float, str), optional
        Measured carbon content per unit heat, e.g. ``(0.0262, "tC/GJ")``.
    oxidation_rate : float, optional
        Measured oxidation rate (fraction, 0–1].
    factor_set : FactorSource, optional
        Default dataset A (GB/T 32151.22-2024); ``"ndrc-2013-steel-fuels"`` for dataset B.

    Returns
    -------
    FuelCo2
        ``value`` [tCO2].

    Raises
    ------
    ecplan.core.errors.FactorNotFoundError
        No parameters for the fuel (原煤 without a coal type, electricity, …).
    ecplan.core.errors.UnitError

    References
    ----------
    GB/T 32151.22-2024 附录C 表C.1; 24个行业温室气体核算指南（发改办气候〔2013〕2526号等）;
    发改环资〔2022〕803号 (原料用能).
    """
    q = _finite("quantity", quantity)
    c = get_carrier(fuel)
    u = _normalise_use(use)
    parsed = parse_unit(unit, dimensions=c.dimensions, carrier=c.code, carrier_name=c.name_zh)
    canonical = q * parsed.multiplier
    activity = Quantity(
        name="quantity",
        label=f"{c.name_zh}消耗量 AD",
        value=q,
        unit=unit,
        canonical_value=canonical,
        canonical_unit=parsed.canonical,
    )
    if u == "feedstock":
        if not c.feedstock_capable:
            raise InputError("use", use, f"{c.name_zh}不能作为原料用能（{REF_803}）")
        return FuelCo2(
            value=0.0,
            unit="tCO2",
            name="co2_t",
            label=f"{c.name_zh}燃料燃烧CO2排放（原料用能）",
            formula="CO2 = 0（原料用能不是燃料燃烧）",
            method="原料用能不计燃料燃烧排放",
            inputs=(activity,),
            notes=(
                "原料用能不是燃料燃烧：碳进入产品，或按行业核算指南作为工业过程排放另行核算，"
                "此处不计燃烧排放。",
            ),
            references=(REF_803, REF_GBT32151),
            carrier=c.code,
            carrier_name=c.name_zh,
            use=u,
        )
    per = CANONICAL_UNITS[parsed.dimension]
    if ncv is None and carbon_content is None and oxidation_rate is None:
        params = library_for(factor_set).fuel_parameters(c)
        coefs: tuple[Coefficient, ...] = (
            params.ncv,
            params.carbon_content,
            params.oxidation_rate,
            params.ef,
        )
        ef = params.ef.value
    else:
        coefs, ef = _measured_fuel(
            c, parsed.dimension, ncv, carbon_content, oxidation_rate, factor_set
        )
    value = canonical * ef
    return FuelCo2(
        value=value,
        unit="tCO2",
        name="co2_t",
        label=f"{c.name_zh}燃料燃烧CO2排放",
        formula="CO2 = AD × m × EF，EF = NCV × CC × OF × 44/12",
        method="排放因子法（燃料燃烧）",
        inputs=(
            activity,
            Quantity(name="unit_multiplier", label="单位换算 m", value=parsed.multiplier, unit="1"),
        ),
        coefficients=coefs,
        notes=(f"EF 单位：tCO2/{per}。",),
        references=(REF_GBT32151,),
        carrier=c.code,
        carrier_name=c.name_zh,
        use=u,
    )


def _measured_fuel(
    c: Carrier,
    dimension: Dimension,
    ncv: tuple[float, str] | None,
    carbon_content: tuple[float, str] | None,
    oxidation_rate: float | None,
    factor_set: FactorSource,
) -> tuple[tuple[Coefficient, ...], float]:
    per = CANONICAL_UNITS[dimension]
    defaults = None
    try:
        defaults = library_for(factor_set).fuel_parameters(c)
    except AccountingError:
        if ncv is None or carbon_content is None or oxidation_rate is None:
            raise
    parts: list[Coefficient] = []
    if ncv is not None:
        v = _finite("ncv", ncv[0])
        if v <= 0:
            raise InputError("ncv", ncv, "低位发热量必须大于 0")
        n = parse_ratio_unit(ncv[1], "heat", (dimension,)).canonical(Fraction(v))
        parts.append(
            _caller_coefficient(
                "低位发热量", "NCV", n, f"GJ/{per}", repr(v), ncv[1], confidence="measured"
            )
        )
    else:
        assert defaults is not None
        n = Fraction(defaults.ncv.value)
        parts.append(defaults.ncv)
    if carbon_content is not None:
        v = _finite("carbon_content", carbon_content[0])
        if v <= 0:
            raise InputError("carbon_content", carbon_content, "单位热值含碳量必须大于 0")
        cc = parse_ratio_unit(carbon_content[1], "carbon", (Dimension.HEAT,)).canonical(Fraction(v))
        parts.append(
            _caller_coefficient(
                "单位热值含碳量",
                "CC",
                cc,
                "tC/GJ",
                repr(v),
                carbon_content[1],
                confidence="measured",
            )
        )
    else:
        assert defaults is not None
        cc = Fraction(defaults.carbon_content.value)
        parts.append(defaults.carbon_content)
    if oxidation_rate is not None:
        v = _finite("oxidation_rate", oxidation_rate)
        if not 0 < v <= 1:
            raise InputError("oxidation_rate", oxidation_rate, "碳氧化率应在 0 与 1 之间")
        ox = Fraction(v)
        parts.append(
            _caller_coefficient("碳氧化率", "OF", ox, "1", repr(v), "1", confidence="measured")
        )
    else:
        assert defaults is not None
        ox = Fraction(defaults.oxidation_rate.value)
        parts.append(defaults.oxidation_rate)
    ef = float(n * cc * ox * Fraction(44, 12))
    parts.append(
        Coefficient(
            name="单位实物量排放因子",
            symbol="EF",
            value=ef,
            unit=f"tCO2/{per}",
            confidence="measured",
            document="由实测与缺省参数计算",
            notes="EF = NCV × CC × OF × 44/12",
        )
    )
    return tuple(parts), ef


def fuel_co2(quantity: float, unit: str, fuel: str, *, factor_set: FactorSource = None) -> float:
    """CO2 from burning a fuel [tCO2]: activity × NCV × carbon content × oxidation × 44/12.

    Shortcut for ``fuel_co2_result(...).value`` (combustion; for feedstock use see
    :func:`fuel_co2_result` with ``use="feedstock"``, which is not combustion).

    Examples
    --------
    >>> round(fuel_co2(1, "吨", "汽油"), 3)
    2.925

    References
    ----------
    GB/T 32151.22-2024 附录C 表C.1.
    """
    return fuel_co2_result(quantity, unit, fuel, factor_set=factor_set).value


def fuel_co2_table(*, factor_set: FactorSource = None) -> list[dict[str, object]]:
    """The fuel CO2 parameters in force, one row per fuel, for vectorised joins.

    Returns
    -------
    list of dict
        Keys: ``carrier``, ``carrier_name``, ``dimension``, ``canonical_unit``,
        ``ncv_gj_per_unit``, ``carbon_tc_per_gj``, ``oxidation_rate``, ``ef_tco2_per_unit``
        (the float :func:`fuel_co2` multiplies by), ``confidence``, ``uncertain``,
        ``factor_set_id``, ``factor_set_version``, ``factor_set_digest``, ``row_id``,
        ``document``, ``locator``.

    References
    ----------
    GB/T 32151.22-2024 附录C 表C.1.
    """
    from ecplan.core.carriers import CARRIERS

    lib = library_for(factor_set)
    out: list[dict[str, object]] = []
    for c in CARRIERS:
        try:
            p = lib.fuel_parameters(c)
        except AccountingError:
            continue
        assert p.ef.factor_set is not None
        out.append(
            {
                "carrier": c.code,
                "carrier_name": c.name_zh,
                "dimension": c.dimensions[0].value,
                "canonical_unit": CANONICAL_UNITS[c.dimensions[0]],
                "ncv_gj_per_unit": p.ncv.value,
                "carbon_tc_per_gj": p.carbon_content.value,
                "oxidation_rate": p.oxidation_rate.value,
                "ef_tco2_per_unit": p.ef.value,
                "confidence": p.ef.confidence,
                "uncertain": p.ef.uncertain,
                "factor_set_id": p.ef.factor_set.id,
                "factor_set_version": p.ef.factor_set.version,
                "factor_set_digest": p.ef.factor_set.digest,
                "row_id": p.ef.row_id,
                "document": p.ef.document,
                "locator": p.ef.locator,
            }
        )
    return out


# --- electricity and heat CO2 --------------------------------------------------------------


@register_calculation
@dataclass(frozen=True, kw_only=True)
class ElectricityCo2(Calculation):
    """CO2 of purchased electricity, location-based (:func:`electricity_co2_result`)."""

    type_name = "electricity_co2"

    year: int
    region: str
    electricity_kwh: float
    green_kwh: float
    deducted_kwh: float


def electricity_co2_result(
    kwh: float,
    *,
    year: int,
    region: str = DEFAULT_REGION,
    green_kwh: float = 0.0,
    green_certificates: float = 0.0,
    factor_set: FactorSource = None,
) -> ElectricityCo2:
    """CO2 of electricity consumption with the provincial grid factor of the year.

    Without green power: ``co2_t = kwh × EF_average``. With green power or certificates
    deducted: ``co2_t = (kwh − green) × EF_excl``, where EF_excl is the factor that excludes
    market-traded non-fossil electricity, so the green power is not counted twice. Green
    power beyond the consumption is not deducted further (noted).

    Parameters
    ----------
    kwh : float
        Electricity consumed [kWh].
    year : int
        Data year; the factor of that year is used if published, else the latest earlier
        one (recorded).
    region : str
        Province or grid (default 江苏). The excluding-market factor is published only for
        全国, so a province falls back to it (recorded).
    green_kwh : float
        Green electricity purchased (绿电交易) [kWh].
    green_certificates : float
        Green certificates (绿证) surrendered; 1 certificate = 1 000 kWh.
    factor_set : FactorSource, optional

    Returns
    -------
    ElectricityCo2
        ``value`` [tCO2].

    References
    ----------
    生态环境部、国家统计局 电力二氧化碳排放因子公告（公告2024年第33号、公告2025年第47号）;
    发改环资〔2024〕113号; 发改能源〔2023〕1044号 (1 张绿证 = 1 000 kWh).
    """
    e = _non_negative("kwh", kwh)
    g = _non_negative("green_kwh", green_kwh)
    n = _non_negative("green_certificates", green_certificates)
    reg = normalise_region(region)
    lib = library_for(factor_set)
    inputs = [Quantity(name="kwh", label="用电量 E", value=e, unit="kWh")]
    coefs: list[Coefficient] = []
    notes: list[str] = []
    green_total = g + n * CERTIFICATE_KWH
    if g:
        inputs.append(Quantity(name="green_kwh", label="绿电交易电量", value=g, unit="kWh"))
    if n:
        inputs.append(
            Quantity(
                name="green_certificates",
                label="绿证数量",
                value=n,
                unit="张",
                canonical_value=n * CERTIFICATE_KWH,
                canonical_unit="kWh",
            )
        )
        coefs.append(
            Coefficient(
                name="绿证电量",
                symbol="c",
                value=CERTIFICATE_KWH,
                unit="kWh/张",
                confidence="from-secondary-source",
                document="发改能源〔2023〕1044号",
                locator="1 个绿证单位对应 1000 千瓦时可再生能源电量",
            )
        )
    if green_total == 0:
        ef = lib.grid_factor(year, reg, "average")
        value = e * ef.value
        formula = "CO2 = E × EF_电力平均"
        deducted = 0.0
    else:
        ef = lib.grid_factor(year, reg, "excluding_market_non_fossil")
        deducted = min(green_total, e)
        remaining = e - deducted
        value = remaining * ef.value
        formula = "CO2 = (E − G) × EF_不含市场化非化石"
        if green_total > e:
            notes.append(
                f"绿电与绿证电量合计 {green_total:g} kWh 超过用电量，超出的 "
                f"{green_total - e:g} kWh 不再抵扣。"
            )
        notes.append(
            "扣除绿电/绿证后，其余电量采用不包括市场化交易非化石能源电量的排放因子，避免重复计算。"
        )
    coefs.append(ef)
    if ef.region_fallback:
        notes.append(f"{reg}没有该口径的排放因子，采用{ef.region}的数值。")
    if ef.year_fallback:
        notes.append(
            f"{year}年的排放因子尚未发布（第N年公告第N−2年数据），采用最近的 {ef.year}年数值；"
            "新因子发布并载入后可重新计算。"
        )
    return ElectricityCo2(
        value=value,
        unit="tCO2",
        name="co2_t",
        label="外购电力CO2排放",
        formula=formula,
        method="排放因子法（外购电力，基于位置）",
        inputs=tuple(inputs),
        coefficients=tuple(coefs),
        notes=tuple(notes),
        references=(REF_MEE_GRID, REF_113),
        year=year,
        region=reg,
        electricity_kwh=e,
        green_kwh=green_total,
        deducted_kwh=deducted,
    )


def grid_factor_table(
    years: Iterable[int],
    regions: Iterable[str] = (DEFAULT_REGION,),
    *,
    bases: Sequence[str] = ("average", "excluding_market_non_fossil"),
    factor_set: FactorSource = None,
) -> list[dict[str, object]]:
    """The grid factor resolved for each requested (year, region, basis), as plain rows.

    The batch path resolves each distinct key once here and joins on
    ``(requested_year, requested_region, key)``; ``co2_t = kwh * value`` reproduces
    :func:`electricity_co2` exactly. A key without any factor (a year before the first
    published one) gives ``value`` None and the Chinese ``error``.

    Returns
    -------
    list of dict
        :meth:`Coefficient.to_row` keys (``value`` in tCO2/kWh, ``year``/``region`` used,
        ``year_fallback``, ``region_fallback``, factor-set id/version/digest, source,
        confidence) plus ``error``.

    References
    ----------
    生态环境部、国家统计局 电力二氧化碳排放因子公告.
    """
    lib = library_for(factor_set)
    out: list[dict[str, object]] = []
    for year in years:
        for region in regions:
            reg = normalise_region(region)
            for basis in bases:
                try:
                    row: dict[str, object] = {
                        **lib.grid_factor(year, reg, basis).to_row(),
                        "error": "",
                    }
                except AccountingError as exc:
                    row = {
                        "value": None,
                        "key": basis,
                        "requested_year": year,
                        "requested_region": reg,
                        "error": exc.message,
                    }
                out.append(row)
    return out


def electricity_co2(
    kwh: float,
    *,
    year: int,
    region: str = DEFAULT_REGION,
    green_kwh: float = 0.0,
    factor_set: FactorSource = None,
) -> float:
    """CO2 of electricity consumption [tCO2], location-based, provincial factor of the year.

    With ``green_kwh`` deducted, the remainder uses the factor excluding market-traded
    non-fossil electricity. Shortcut for ``electricity_co2_result(...).value``.

    References
    ----------
    生态环境部、国家统计局 电力二氧化碳排放因子公告; 发改环资〔2024〕113号.
    """
    return electricity_co2_result(
        kwh, year=year, region=region, green_kwh=green_kwh, factor_set=factor_set
    ).value


def heat_co2_result(
    quantity: float, unit: str = "GJ", *, factor_set: FactorSource = None
) -> Calculation:
    """CO2 of purchased heat [tCO2] with the default factor 0.11 tCO2/GJ.

    Parameters
    ----------
    quantity : float
        Heat in ``unit`` (吉焦, 百万千焦, GJ, MJ …). Steam in tonnes must first be converted
        to heat with its enthalpy.

    References
    ----------
    GB/T 32150—2025 第7.5.6~7.5.7条.
    """
    q = _finite("quantity", quantity)
    heat = get_carrier("heat")
    parsed = parse_unit(
        unit,
        dimensions=heat.dimensions,
        carrier=heat.code,
        carrier_name="热力（按热量计）",
    )
    canonical = q * parsed.multiplier
    ef = library_for(factor_set).heat_factor()
    return Calculation(
        value=canonical * ef.value,
        unit="tCO2",
        name="co2_t",
        label="外购热力CO2排放",
        formula="CO2 = H × m × EF_热",
        method="排放因子法（外购热力）",
        inputs=(
            Quantity(
                name="quantity",
                label="热量 H",
                value=q,
                unit=unit,
                canonical_value=canonical,
                canonical_unit="GJ",
            ),
        ),
        coefficients=(ef,),
        references=("GB/T 32150—2025 工业企业温室气体排放核算和报告通则",),
    )


def heat_co2(quantity: float, unit: str = "GJ", *, factor_set: FactorSource = None) -> float:
    """CO2 of purchased heat [tCO2]; shortcut for :func:`heat_co2_result`.

    References
    ----------
    GB/T 32150—2025 第7.5.6~7.5.7条 (0.11 tCO2/GJ).
    """
    return heat_co2_result(quantity, unit, factor_set=factor_set).value


# --- comprehensive energy consumption ------------------------------------------------------

Flow = Literal["consumed", "exported"]
_FLOW_ALIASES: Final[dict[str, str]] = {
    "consumed": "consumed",
    "消费": "consumed",
    "消耗": "consumed",
    "输入": "consumed",
    "购入": "consumed",
    "exported": "exported",
    "输出": "exported",
    "外供": "exported",
    "外销": "exported",
    "回收外供": "exported",
}


@dataclass(frozen=True)
class EnergyUse:
    """One line of an enterprise's (or region's) energy account.

    Attributes
    ----------
    carrier : str
        Carrier name or code.
    quantity : float
        Amount in ``unit`` (≥ 0; the direction is ``flow``).
    unit : str
        Reporting unit.
    flow : {"consumed", "exported"}
        Energy consumed, or energy supplied outside the boundary (输出/外供), which GB/T 2589
        deducts. Chinese 消费/输出/外供 are accepted.
    use : {"fuel", "feedstock"}
        ``feedstock`` = 原料用能 (发改环资〔2022〕803号), deducted in the new basis.
    separately_listed : bool
        Energy of a project listed separately (能耗单列), deducted in the new basis.
    non_fossil : bool or None
        Count the line as non-fossil (e.g. green electricity with certificates at enterprise
        level — a configurable rule); ``None`` = the carrier's class.
    label : str
        Where the line comes from (``205-1表 第3行``), kept in the provenance.
    coefficient, lcv : (float, str), optional
        Explicit coefficient or measured low heating value (see :func:`to_tce_result`).
    """

    carrier: str
    quantity: float
    unit: str
    flow: str = "consumed"
    use: str = "fuel"
    separately_listed: bool = False
    non_fossil: bool | None = None
    label: str = ""
    coefficient: tuple[float, str] | None = None
    lcv: tuple[float, str] | None = None


SERIES_LABELS: Final[dict[str, str]] = {
    "fossil": "化石能源（计入新口径）",
    "non_fossil": "非化石能源（新口径扣除）",
    "feedstock": "原料用能（新口径扣除）",
    "separately_listed": "能耗单列（新口径扣除）",
}


@register_calculation
@dataclass(frozen=True, kw_only=True)
class EnergyLineResult(Calculation):
    """One line of :func:`comprehensive_energy_consumption`: signed tce and its series."""

    type_name = "energy_line"

    carrier: str
    flow: str
    use: str
    series: str
    line_label: str = ""


@register_calculation
@dataclass(frozen=True, kw_only=True)
class ComprehensiveEnergyConsumption(Calculation):
    """Comprehensive energy consumption with the new-basis deductions as separate series.

    ``value`` (= ``total_tce``) is consumption minus exported energy on ``basis``. Each line
    belongs to exactly one series — ``separately_listed`` before ``feedstock`` before
    ``non_fossil`` before ``fossil`` — so the deductions never overlap and
    ``new_basis_tce = total_tce − separately_listed_tce − feedstock_tce − non_fossil_tce``.
    """

    type_name = "comprehensive_energy_consumption"

    basis: str
    consumed_tce: float
    exported_tce: float
    feedstock_tce: float
    non_fossil_tce: float
    separately_listed_tce: float
    new_basis_tce: float

    @property
    def total_tce(self) -> float:
        return self.value

    @property
    def fossil_tce(self) -> float:
        """Total minus non-fossil energy (the old-basis fossil energy)."""
        return self.value - self.non_fossil_tce


def _normalise_flow(flow: str) -> Flow:
    found = _FLOW_ALIASES.get(str(flow).strip().casefold()) or _FLOW_ALIASES.get(str(flow))
    if found == "consumed":
        return "consumed"
    if found == "exported":
        return "exported"
    raise InputError("flow", flow, "方向应为 consumed（消费）或 exported（输出/外供）")


def comprehensive_energy_consumption(
    uses: Iterable[EnergyUse],
    *,
    basis: str = "calorific",
    year: int | None = None,
    region: str | None = None,
    generation_coal_rate: float | None = None,
    heat_supply_coal_rate: float | None = None,
    factor_set: FactorSource = None,
) -> ComprehensiveEnergyConsumption:
    """Comprehensive energy consumption of an energy-using unit (GB/T 2589) [tce].

    Energy consumed minus energy exported across the boundary, on either basis, with the
    new-basis (新口径) deductions kept as separate series: feedstock (原料用能), non-fossil
    energy and separately-listed energy (能耗单列).

    Parameters
    ----------
    uses : iterable of EnergyUse
        The lines of the account.
    basis : {"calorific", "equivalent", "当量值", "等价值"}
    year, region : optional
        Data year and region of the coal-rate series (等价值 basis).
    generation_coal_rate : float, optional
        [gce/kWh] for electricity on the 等价值 basis.
    heat_supply_coal_rate : float, optional
        [kgce/GJ] for heat on the 等价值 basis.
    factor_set : FactorSource, optional

    Returns
    -------
    ComprehensiveEnergyConsumption
        ``value``/``total_tce``, ``consumed_tce``, ``exported_tce``, ``feedstock_tce``,
        ``non_fossil_tce``, ``separately_listed_tce``, ``new_basis_tce``; ``parts`` are the
        lines (:class:`EnergyLineResult`), each with its :class:`TceConversion`.

    Raises
    ------
    ecplan.core.errors.AccountingError
        Any line that cannot be converted; the message starts with the line number and label.

    References
    ----------
    GB/T 2589-2020 综合能耗计算通则; 发改环资〔2022〕803号; 发改环资〔2024〕113号;
    完善能源消费强度和总量双控制度方案（2021，能耗单列）.
    """
    b = normalise_basis(basis)
    lib = library_for(factor_set)
    lines: list[EnergyLineResult] = []
    sums = {"consumed": 0.0, "exported": 0.0}
    series_sum = {"fossil": 0.0, "non_fossil": 0.0, "feedstock": 0.0, "separately_listed": 0.0}
    total = 0.0
    for i, use in enumerate(uses, start=1):
        where = f"第 {i} 行" + (f"（{use.label}）" if use.label else "")
        try:
            line = _line(use, b, year, region, generation_coal_rate, heat_supply_coal_rate, lib)
        except AccountingError as exc:
            raise exc.at(where) from None
        lines.append(line)
        total += line.value
        sums[line.flow] += abs(line.value)
        series_sum[line.series] += line.value
    new_basis = (
        total - series_sum["separately_listed"] - series_sum["feedstock"] - series_sum["non_fossil"]
    )
    return ComprehensiveEnergyConsumption(
        value=total,
        unit="tce",
        name="energy_tce",
        label=f"综合能耗（{BASIS_LABELS[b]}）",
        formula="E = Σ消费量折标 − Σ输出量折标；新口径 = E − 能耗单列 − 原料用能 − 非化石能源",
        method="GB/T 2589-2020：综合能耗 = 消耗的各种能源折标准煤之和 − 输出（回收外供）的能源",
        inputs=(Quantity(name="lines", label="能源行数", value=float(len(lines)), unit="行"),),
        parts=tuple(lines),
        notes=("每行只归入一个序列（能耗单列 > 原料用能 > 非化石能源 > 化石能源），扣除不重复。",),
        references=(REF_GBT2589, REF_803, REF_113),
        basis=b,
        consumed_tce=sums["consumed"],
        exported_tce=sums["exported"],
        feedstock_tce=series_sum["feedstock"],
        non_fossil_tce=series_sum["non_fossil"],
        separately_listed_tce=series_sum["separately_listed"],
        new_basis_tce=new_basis,
    )


def _line(
    use: EnergyUse,
    basis: Basis,
    year: int | None,
    region: str | None,
    generation_coal_rate: float | None,
    heat_supply_coal_rate: float | None,
    lib: FactorLibrary,
) -> EnergyLineResult:
    flow = _normalise_flow(use.flow)
    purpose = _normalise_use(use.use)
    c = get_carrier(use.carrier)
    _non_negative("quantity", use.quantity)
    if purpose == "feedstock":
        if not c.feedstock_capable:
            raise InputError(
                "use",
                use.use,
                f"{c.name_zh}不能作为原料用能（煤炭、石油、天然气及其制品，{REF_803}）",
            )
        if flow == "exported":
            raise InputError("use", use.use, "输出（外供）的能源不能标为原料用能")
    conv = to_tce_result(
        use.quantity,
        use.unit,
        c,
        basis=basis,
        generation_coal_rate=generation_coal_rate,
        heat_supply_coal_rate=heat_supply_coal_rate,
        coefficient=use.coefficient,
        lcv=use.lcv,
        year=year,
        region=region,
        factor_set=lib,
    )
    non_fossil = c.is_non_fossil if use.non_fossil is None else bool(use.non_fossil)
    if use.separately_listed:
        series = "separately_listed"
    elif purpose == "feedstock":
        series = "feedstock"
    elif non_fossil:
        series = "non_fossil"
    else:
        series = "fossil"
    sign = -1.0 if flow == "exported" else 1.0
    notes: list[str] = []
    if use.non_fossil and not c.is_non_fossil:
        notes.append("按调用方规则计为非化石能源（如附绿证的绿色电力）。")
    direction = "输出" if flow == "exported" else "消费"
    return EnergyLineResult(
        value=sign * conv.value,
        unit="tce",
        name="energy_tce",
        label=f"{use.label or c.name_zh}（{direction}，{SERIES_LABELS[series]}）",
        formula="E_行 = −E" if flow == "exported" else "E_行 = E",
        parts=(conv,),
        notes=tuple(notes),
        carrier=c.code,
        flow=flow,
        use="feedstock" if purpose == "feedstock" else "fuel",
        series=series,
        line_label=use.label,
    )


# --- energy-related CO2 of an account -------------------------------------------------------


@register_calculation
@dataclass(frozen=True, kw_only=True)
class Co2Emissions(Calculation):
    """Energy-related CO2 of an account (:func:`co2_emissions`)."""

    type_name = "co2_emissions"

    combustion_co2_t: float
    electricity_co2_t: float
    heat_co2_t: float


def co2_emissions(
    uses: Sequence[EnergyUse],
    *,
    year: int,
    region: str = DEFAULT_REGION,
    factor_set: FactorSource = None,
) -> Co2Emissions:
    """Energy-related CO2 of an account by the emission-factor method [tCO2].

    Fossil fuels consumed as fuel: combustion CO2 (:func:`fuel_co2_result`); feedstock
    lines: 0 (not combustion). Electricity: net purchased (consumed − exported) with
    :func:`electricity_co2_result` — consumed lines marked ``non_fossil=True`` (green power
    with certificates) are deducted as green power, the rest at the factor excluding
    market-traded non-fossil electricity. Heat: net purchased × 0.11 tCO2/GJ. Non-fossil carriers
    and working media: no fossil CO2. Exported fuels are not deducted — a plant exporting
    by-product fuels follows its sector guideline's carbon balance instead.

    Raises
    ------
    ecplan.core.errors.AccountingError
        A line that cannot be computed (e.g. 原料煤 without a coal type; steam in tonnes —
        report purchased steam as heat in GJ); the message starts with the line number.

    References
    ----------
    GB/T 32150—2025; GB/T 32151.22-2024 附录C; 生态环境部、国家统计局 电力二氧化碳排放因子公告.
    """
    lib = library_for(factor_set)
    parts: list[Calculation] = []
    notes = ["原料用能、非化石能源和耗能工质不计燃料燃烧排放；外供燃料不抵扣。"]
    comb = 0.0
    net_kwh = green_kwh = 0.0
    net_gj = 0.0
    has_electricity = has_heat = False
    for i, use in enumerate(uses, start=1):
        where = f"第 {i} 行" + (f"（{use.label}）" if use.label else "")
        try:
            c = get_carrier(use.carrier)
            flow = _normalise_flow(use.flow)
            purpose = _normalise_use(use.use)
            sign = -1.0 if flow == "exported" else 1.0
            if c.category is CarrierCategory.ELECTRICITY:
                parsed = parse_unit(
                    use.unit, dimensions=c.dimensions, carrier=c.code, carrier_name=c.name_zh
                )
                kwh = _non_negative("quantity", use.quantity) * parsed.multiplier
                net_kwh += sign * kwh
                if use.non_fossil and flow == "consumed":
                    green_kwh += kwh
                has_electricity = True
            elif c.code == "heat":
                parsed = parse_unit(
                    use.unit, dimensions=c.dimensions, carrier=c.code, carrier_name=c.name_zh
                )
                net_gj += sign * _non_negative("quantity", use.quantity) * parsed.multiplier
                has_heat = True
            elif c.category is CarrierCategory.HEAT:
                raise InputError(
                    "carrier", use.carrier, "外购蒸汽请按热量（吉焦）填报为“热力”后计算排放"
                )
            elif c.is_fossil and flow == "consumed":
                parts.append(
                    fuel_co2_result(use.quantity, use.unit, c, use=purpose, factor_set=lib)
                )
        except AccountingError as exc:
            raise exc.at(where) from None
    comb = sum(p.value for p in parts)
    elec = 0.0
    if has_electricity:
        if net_kwh >= 0:
            r = electricity_co2_result(
                net_kwh, year=year, region=region, green_kwh=green_kwh, factor_set=lib
            )
            elec = r.value
        else:
            # A net exporter: the exported surplus is deducted at the grid average factor.
            r = electricity_co2_result(-net_kwh, year=year, region=region, factor_set=lib)
            elec = -r.value
            notes.append(f"净输出电力 {-net_kwh:g} kWh，按电网平均排放因子扣减。")
        parts.append(r)
    heat = 0.0
    if has_heat:
        h = heat_co2_result(abs(net_gj), "GJ", factor_set=lib)
        heat = h.value if net_gj >= 0 else -h.value
        if net_gj < 0:
            notes.append(f"净输出热力 {-net_gj:g} GJ，按热力排放因子扣减。")
        parts.append(h)
    total = comb + elec + heat
    return Co2Emissions(
        value=total,
        unit="tCO2",
        name="co2_t",
        label="能源活动CO2排放",
        formula="CO2 = Σ燃料燃烧排放 + 净购入电力 × EF_电 + 净购入热力 × EF_热",
        method="排放因子法",
        parts=tuple(parts),
        notes=tuple(notes),
        references=("GB/T 32150—2025", REF_GBT32151, REF_MEE_GRID, REF_113),
        combustion_co2_t=comb,
        electricity_co2_t=elec,
        heat_co2_t=heat,
    )

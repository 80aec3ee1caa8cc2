"""The energy carriers the demo data reports, and the coefficients it is calibrated with.

Names and units are those of the statistical forms (能源品种 and 计量单位 as the importer and
``ecplan calc energy`` read them). Coefficients are not kept here: they come from the
accounting core's *shipped* factor sets (GB/T 2589 reference values, calorific basis 当量值;
NBS statistical values where GB/T 2589 has none) — the same numbers the platform converts
the files back with. Only the shipped sets are used, never sets an administrator loaded into
the data directory, so the demo output depends on the code version alone.

The equivalent-value (等价值) coefficient of electricity — used to count electricity in
regional energy totals and non-fossil electricity by the 发电煤耗法 — is the core's
generation coal rate for 江苏 and the year (the core falls back to the national coal-fired
supply coal rate of the latest earlier year; see :func:`equivalent_kgce_per_kwh`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from ecplan.core import Coefficient, to_tce
from ecplan.core.factors import FactorLibrary
from ecplan.core.factorstore import shipped_sets

EnergyClass = Literal["fossil", "non_fossil", "secondary", "other"]
Category = Literal["coal", "oil", "gas", "electricity", "heat", "non_fossil", "other"]


@dataclass(frozen=True)
class DemoCarrier:
    """A carrier as the demo data reports it.

    Attributes
    ----------
    code : str
        Carrier code of the accounting core's catalogue (``raw_coal``).
    name_zh : str
        Statistical name (能源品种) written in the files.
    unit : str
        Statistical unit (计量单位) written in the files.
    energy_class, category : str
        Fossil / non-fossil / secondary; grouping for coal, oil and gas shares.
    feedstock_capable : bool
        May be reported as 原料用能.
    """

    code: str
    name_zh: str
    unit: str
    energy_class: EnergyClass
    category: Category
    feedstock_capable: bool

    @property
    def tce_per_unit(self) -> float:
        """Tonnes of standard coal per ``unit``, calorific basis (当量值) [tce/unit]."""
        return _TCE_PER_UNIT[self.code]

    @property
    def coefficient(self) -> Coefficient:
        """The core's coefficient (value per the factor set's own unit, source, confidence)."""
        return shipped_library().conversion_coefficient(self.name_zh)


CARRIERS: Final[tuple[DemoCarrier, ...]] = (
    DemoCarrier("raw_coal", "原煤", "吨", "fossil", "coal", True),
    # the demo's coal: bituminous thermal coal, so that CO2 can be computed (GB/T 32151 has no
    # parameters for coal of unspecified rank); standard coal as 原煤 (its statistical line)
    DemoCarrier("bituminous_coal", "烟煤", "吨", "fossil", "coal", True),
    DemoCarrier("cleaned_coal", "洗精煤", "吨", "fossil", "coal", True),
    DemoCarrier("coke", "焦炭", "吨", "fossil", "coal", True),
    DemoCarrier("blast_furnace_gas", "高炉煤气", "万立方米", "fossil", "coal", True),
    DemoCarrier("coke_oven_gas", "焦炉煤气", "万立方米", "fossil", "coal", True),
    DemoCarrier("other_coal_gas", "其他煤气", "万立方米", "fossil", "coal", True),
    DemoCarrier("natural_gas", "天然气", "万立方米", "fossil", "gas", True),
    DemoCarrier("lng", "液化天然气", "吨", "fossil", "gas", True),
    DemoCarrier("gasoline", "汽油", "吨", "fossil", "oil", True),
    DemoCarrier("kerosene", "煤油", "吨", "fossil", "oil", True),
    DemoCarrier("diesel", "柴油", "吨", "fossil", "oil", True),
    DemoCarrier("fuel_oil", "燃料油", "吨", "fossil", "oil", True),
    DemoCarrier("lpg", "液化石油气", "吨", "fossil", "oil", True),
    DemoCarrier("naphtha", "石脑油", "吨", "fossil", "oil", True),
    DemoCarrier("petroleum_coke", "石油焦", "吨", "fossil", "oil", True),
    DemoCarrier("electricity", "电力", "万千瓦时", "secondary", "electricity", False),
    DemoCarrier("heat", "热力", "百万千焦", "secondary", "heat", False),
    DemoCarrier("steam", "蒸汽", "吨", "secondary", "heat", False),
    # self-generated solar electricity: 当量值 like any electricity at the user
    DemoCarrier("solar", "太阳能发电", "万千瓦时", "non_fossil", "non_fossil", False),
    # reported directly in standard coal (biomass fuel, refuse-derived fuel)
    DemoCarrier("biomass", "生物质能", "吨标准煤", "non_fossil", "non_fossil", False),
    DemoCarrier("other_energy", "其他能源", "吨标准煤", "other", "other", False),
)

BY_CODE: Final[dict[str, DemoCarrier]] = {c.code: c for c in CARRIERS}


@cache
def shipped_library() -> FactorLibrary:
    """The core's shipped factor sets only (never sets loaded into the data directory)."""
    return FactorLibrary(shipped_sets())


def _tce_per_unit() -> dict[str, float]:
    lib = shipped_library()
    return {c.code: to_tce(1.0, c.unit, c.name_zh, factor_set=lib) for c in CARRIERS}


_TCE_PER_UNIT: Final[dict[str, float]] = _tce_per_unit()


def equivalent_kgce_per_kwh(year: int) -> float:
    """Equivalent-value coefficient of electricity for ``year`` in 江苏 [kgce/kWh]."""
    return _equivalent(year)


@cache
def _equivalent(year: int) -> float:
    coefficient = shipped_library().generation_coal_rate(year, "江苏")
    if coefficient.unit != "tce/kWh":  # pragma: no cover - the core's canonical unit
        raise ValueError(f"unexpected unit {coefficient.unit}")
    return coefficient.value * 1000.0


#: The equivalent-value coefficients of the calibrated years [kgce/kWh].
EQUIVALENT_KGCE_PER_KWH: Final[dict[int, float]] = {
    y: equivalent_kgce_per_kwh(y) for y in range(2020, 2026)
}
#: Calorific (当量值) coefficient of electricity [kgce/kWh] (1 万千瓦时 = 10^4 kWh).
CALORIFIC_KGCE_PER_KWH: Final = _TCE_PER_UNIT["electricity"] / 10.0
#: Calorific coefficient of heat [tce/GJ] (百万千焦 = GJ).
HEAT_TCE_PER_GJ: Final = _TCE_PER_UNIT["heat"]


def carrier(code: str) -> DemoCarrier:
    """The demo carrier with this code (KeyError names the code)."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"演示数据没有能源品种代码 {code!r}") from None

"""The energy carriers the demo data reports, with the coefficients it is calibrated with.

Names and units are those of the statistical forms (能源品种 and 计量单位 as the importer and
``ecplan calc energy`` read them). The coefficient of each carrier is the GB/T 2589 reference
value (calorific basis, 当量值) or the NBS statistical value that the shared reference table
gives; the ``source`` column names its row id in ``conversion_coefficients.csv`` of the
reference data, and ``confidence`` repeats that row's label. The generator works in tonnes of
standard coal and converts to physical units with these coefficients, so the accounting core
converting the files back gets the calibrated tonnes (the core's factor sets are built from the
same reference rows).

The equivalent-value (等价值) coefficient of electricity — the generation coal rate used to
count electricity in regional energy totals and non-fossil electricity by the 发电煤耗法 — is a
per-year series, see :data:`EQUIVALENT_KGCE_PER_KWH`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

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
    tce_per_unit : float
        Tonnes of standard coal per ``unit`` on the calorific basis (当量值) [tce/unit].
    energy_class, category : str
        Fossil / non-fossil / secondary; grouping for coal, oil and gas shares.
    feedstock_capable : bool
        May be reported as 原料用能.
    source : str
        Row id in the shared reference table ``conversion_coefficients.csv``.
    confidence : str
        That row's confidence label.
    """

    code: str
    name_zh: str
    unit: str
    tce_per_unit: float
    energy_class: EnergyClass
    category: Category
    feedstock_capable: bool
    source: str
    confidence: str


_S = "from-secondary-source"
_U = "uncertain"

CARRIERS: Final[tuple[DemoCarrier, ...]] = (
    DemoCarrier("raw_coal", "原煤", "吨", 0.7143, "fossil", "coal", True, "CC01", _S),
    DemoCarrier("cleaned_coal", "洗精煤", "吨", 0.9000, "fossil", "coal", True, "CC02", _S),
    DemoCarrier("coke", "焦炭", "吨", 0.9714, "fossil", "coal", True, "CC06", _S),
    # 1.2860 tce per 10^4 m3 (0.1286 kgce/m3)
    DemoCarrier("blast_furnace_gas", "高炉煤气", "万立方米", 1.2860, "fossil", "coal", True, "CC08", _S),
    # statistical short-list value for natural gas of unspecified origin: 1.2143 kgce/m3
    DemoCarrier("natural_gas", "天然气", "万立方米", 12.143, "fossil", "gas", True, "CC17", _S),
    DemoCarrier("lng", "液化天然气", "吨", 1.7572, "fossil", "gas", True, "CC18", _U),
    DemoCarrier("gasoline", "汽油", "吨", 1.4714, "fossil", "oil", True, "CC20", _S),
    DemoCarrier("kerosene", "煤油", "吨", 1.4714, "fossil", "oil", True, "CC21", _S),
    DemoCarrier("diesel", "柴油", "吨", 1.4571, "fossil", "oil", True, "CC22", _S),
    DemoCarrier("fuel_oil", "燃料油", "吨", 1.4286, "fossil", "oil", True, "CC23", _S),
    DemoCarrier("lpg", "液化石油气", "吨", 1.7143, "fossil", "oil", True, "CC24", _S),
    DemoCarrier("naphtha", "石脑油", "吨", 1.5000, "fossil", "oil", True, "CC26", _U),
    DemoCarrier("petroleum_coke", "石油焦", "吨", 1.0918, "fossil", "oil", True, "CC30", _U),
    # 当量值: 0.1229 kgce/kWh = 1.229 tce per 10^4 kWh
    DemoCarrier("electricity", "电力", "万千瓦时", 1.229, "secondary", "electricity", False, "CC40", _S),
    # 0.03412 kgce/MJ = 0.03412 tce per GJ (百万千焦 = GJ)
    DemoCarrier("heat", "热力", "百万千焦", 0.03412, "secondary", "heat", False, "CC39", _S),
    DemoCarrier("steam", "蒸汽", "吨", 0.1286, "secondary", "heat", False, "CC42", _S),
    # self-generated solar electricity, 当量值 like any electricity at the user
    DemoCarrier("solar", "太阳能发电", "万千瓦时", 1.229, "non_fossil", "non_fossil", False, "CC40", _S),
    # reported directly in standard coal (biomass fuel, refuse-derived fuel)
    DemoCarrier("biomass", "生物质能", "吨标准煤", 1.0, "non_fossil", "non_fossil", False, "-", _S),
    DemoCarrier("other_energy", "其他能源", "吨标准煤", 1.0, "other", "other", False, "-", _S),
    DemoCarrier("other_coal_gas", "其他煤气", "万立方米", 1.786, "fossil", "coal", True, "CC10", _S),
)  # fmt: skip

BY_CODE: Final[dict[str, DemoCarrier]] = {c.code: c for c in CARRIERS}

#: Equivalent-value (等价值) coefficient of electricity by year [kgce/kWh]. Sourced values are
#: the national average coal-fired supply coal rates of the shared reference data (2020:
#: 305.5 gce/kWh [S]; 2023: 303 [V, approximate]; 2024: 302.4 [S]); 2021, 2022 are linear
#: interpolations and 2025 an extrapolation — demo choices. No Jiangsu or Yangzhou
#: statistical coefficient was found.
EQUIVALENT_KGCE_PER_KWH: Final[dict[int, float]] = {
    2020: 0.3055,
    2021: 0.3047,
    2022: 0.3038,
    2023: 0.3030,
    2024: 0.3024,
    2025: 0.3015,
}

#: Calorific (当量值) coefficient of electricity [kgce/kWh], GB/T 2589 (CC40).
CALORIFIC_KGCE_PER_KWH: Final = 0.1229
#: Calorific coefficient of heat [tce/GJ], GB/T 2589 (CC39).
HEAT_TCE_PER_GJ: Final = 0.03412


def carrier(code: str) -> DemoCarrier:
    """The demo carrier with this code (KeyError names the code)."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise KeyError(f"演示数据没有能源品种代码 {code!r}") from None


def to_physical(code: str, tce: float) -> float:
    """Tonnes of standard coal → the carrier's statistical unit (calorific basis)."""
    return tce / carrier(code).tce_per_unit


def to_tce(code: str, quantity: float) -> float:
    """The carrier's statistical unit → tonnes of standard coal (calorific basis)."""
    return quantity * carrier(code).tce_per_unit

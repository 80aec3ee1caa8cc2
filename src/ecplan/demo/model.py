"""The records the demo generator produces (plain frozen dataclasses, no Django).

Units are in the field names where the type does not carry them (``_tce``, ``_kwh``, ``_gj``,
``_t``, ``_m3``); quantities in the energy reports are in the carrier's statistical unit
(``unit``), as a clerk fills them in. Every record is demo data (演示数据); the loader marks the
stored rows ``is_demo``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

UseCode = Literal["fuel", "feedstock", "power_generation", "non_energy"]

#: Use codes and the Chinese words the long form writes (the core's vocabulary).
USE_LABELS: dict[str, str] = {
    "fuel": "燃料",
    "feedstock": "原料",
    "power_generation": "发电供热",
    "non_energy": "非能源",
}


@dataclass(frozen=True)
class AreaRef:
    """A county-level area or functional zone of the registry."""

    code: str
    name: str
    kind: str
    parent: str | None


@dataclass(frozen=True)
class Enterprise:
    """A key energy-using enterprise (重点用能单位)."""

    credit_code: str
    name: str
    industry_code: str
    industry_name: str
    sector: str
    sector_label: str
    area_code: str
    zone_code: str | None
    key_unit_class: Literal["over_10k", "5k_to_10k"]
    budget_managed: bool
    energy_2024_tce: float
    """Comprehensive energy consumption in 2024 (calorific basis) — sets the key-unit class."""


@dataclass(frozen=True)
class Installation:
    """A production unit, data centre, generating unit or coal boiler of an enterprise.

    ``capacity`` is in ``capacity_unit``: 吨/年 (products; caustic soda in 折百 tonnes), 兆瓦
    (generating units), 千瓦 (data-centre IT load), 蒸吨/小时 (boilers).
    """

    code: str
    """Unique inside the enterprise (``PTA1``, ``U3``, ``DC1``, ``B2``, ``PLANT``)."""
    credit_code: str
    kind: Literal["production_unit", "data_centre", "plant", "generating_unit", "coal_boiler"]
    name: str
    product: str
    variant: str
    capacity: float
    capacity_unit: str
    fuel: str
    commissioned: dt.date
    closed: dt.date | None
    status: str
    """data centres: new / expanded / existing; units: 在运 / 已关停 / 在建; boilers: 已改造 / 未改造."""
    retrofit_completed: dt.date | None = None
    separately_listed: bool = False
    notes: str = ""
    parent: str = ""
    """Code of the plant (same enterprise) a generating unit or a plant boiler belongs to."""
    plant_type: str = ""
    """Plants: power / chp (发电厂 / 热电联产)."""


@dataclass(frozen=True)
class EnergyReport:
    """One carrier of one enterprise's monthly energy report (205-1 style)."""

    credit_code: str
    period: str
    carrier: str
    carrier_name: str
    unit: str
    purchased: float
    fuel: float
    """Consumption that is neither feedstock nor for power/heat generation (燃料及其他)."""
    feedstock: float
    power_generation: float
    closing_stock: float | None

    @property
    def consumed(self) -> float:
        """Total consumption (消费量) = fuel + feedstock + power/heat generation."""
        return self.fuel + self.feedstock + self.power_generation


@dataclass(frozen=True)
class LongRow:
    """One row of the long form (entity, period, carrier, quantity, unit, use)."""

    entity: str
    period: str
    carrier: str
    quantity: float
    unit: str
    use: UseCode


@dataclass(frozen=True)
class ProductionMonth:
    """Monthly output and energy of a production unit (PTA, caustic soda, crude steel …)."""

    installation: str
    credit_code: str
    period: str
    product: str
    variant: str
    output_t: float
    energy_tce: float
    """Comprehensive energy of the unit, calorific basis (当量值)."""
    electricity_kwh: float


@dataclass(frozen=True)
class DataCentreMonth:
    installation: str
    credit_code: str
    period: str
    total_electricity_kwh: float
    it_electricity_kwh: float


@dataclass(frozen=True)
class PlantMonth:
    """Monthly operation of a generating unit."""

    installation: str
    credit_code: str
    period: str
    fuel: str
    generation_kwh: float
    station_use_kwh: float
    heat_supplied_gj: float
    fuel_quantity: float
    fuel_unit: str
    fuel_tce: float
    fuel_for_heat_tce: float

    @property
    def supplied_kwh(self) -> float:
        return self.generation_kwh - self.station_use_kwh


@dataclass(frozen=True)
class GreenPowerMonth:
    """Self-generated renewable electricity, green power bought, green certificates."""

    credit_code: str
    period: str
    self_generated_kwh: float
    """All self-generated electricity used on site (own units and rooftop PV)."""
    self_generated_renewable_kwh: float
    green_power_purchased_kwh: float
    green_certificates: int


@dataclass(frozen=True)
class Statistic:
    """A published statistic of the city or an area (统计局口径).

    ``period`` is ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``; ``basis`` is 当期 (the period alone) or
    累计 (year to date).
    """

    area_code: str
    period: str
    indicator: str
    value: float
    unit: str
    basis: Literal["当期", "累计"] = "当期"


@dataclass(frozen=True)
class BalanceRow:
    """One line of the city's energy balance by carrier for a period."""

    period: str
    line: str
    carrier: str
    carrier_name: str
    unit: str
    quantity: float
    tce: float
    """Standard coal: calorific for fuels, equivalent (发电煤耗法) for electricity lines."""
    feedstock: float = 0.0
    power_heat: float = 0.0
    nonfossil_share: float | None = None


@dataclass(frozen=True)
class AreaCarrierMonth:
    """Energy consumption of one carrier in an area (or the city) and month, as the energy
    balance has it: consumption with its feedstock, power-input and heat-input parts, in the
    carrier's statistical unit."""

    area_code: str
    period: str
    carrier: str
    carrier_name: str
    unit: str
    consumption: float
    feedstock: float = 0.0
    power_input: float = 0.0
    heat_input: float = 0.0


@dataclass(frozen=True)
class IndicatorReport:
    """A department's report of a plan indicator for a period.

    ``value`` is in the plan's canonical unit (fractions for %); for relative-change
    indicators the department's level series is given too (``level_value`` in ``level_unit``)
    with the baseline year's level.
    """

    indicator: str
    department: str
    area_code: str
    period: str
    value: float
    unit: str
    basis: Literal["当期", "累计", "期末"] = "期末"
    level_value: float | None = None
    level_unit: str = ""
    baseline_year: int | None = None
    baseline_level: float | None = None
    comment: str = ""


@dataclass(frozen=True)
class EntityStatus:
    """A per-entity status record (boiler retrofit, data-centre standard, milestone …)."""

    indicator: str
    subject: str
    """Installation code, enterprise credit code or plan milestone id."""
    period: str
    status: str
    department: str
    comment: str = ""


@dataclass(frozen=True)
class BindingTarget:
    """A 14th Five-Year binding target entered by the plan office (demo: synthetic)."""

    area_code: str
    indicator: str
    base_year: int
    target_year: int
    value: float
    unit: str
    kind: Literal["reduction", "level"]
    note: str


@dataclass(frozen=True)
class RetrofitProject:
    """An energy-saving retrofit project of the ledger (节能降碳改造项目)."""

    code: str
    name: str
    credit_code: str | None
    enterprise_name: str
    area_code: str
    sector: str
    started: str
    completed: str
    savings_tce: float
    co2_reduction_t: float
    investment_10k_yuan: float
    method: str


@dataclass
class DemoCity:
    """Everything the demo generator produces for one city."""

    seed: int
    start: str
    end: str
    region_code: str
    region_name: str
    areas: list[AreaRef] = field(default_factory=list)
    enterprises: list[Enterprise] = field(default_factory=list)
    installations: list[Installation] = field(default_factory=list)
    energy_reports: list[EnergyReport] = field(default_factory=list)
    production: list[ProductionMonth] = field(default_factory=list)
    data_centres: list[DataCentreMonth] = field(default_factory=list)
    plants: list[PlantMonth] = field(default_factory=list)
    green_power: list[GreenPowerMonth] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    balance: list[BalanceRow] = field(default_factory=list)
    area_carriers: list[AreaCarrierMonth] = field(default_factory=list)
    indicators: list[IndicatorReport] = field(default_factory=list)
    statuses: list[EntityStatus] = field(default_factory=list)
    binding_targets: list[BindingTarget] = field(default_factory=list)
    retrofits: list[RetrofitProject] = field(default_factory=list)

    def long_rows(self) -> list[LongRow]:
        """The energy reports in long form: one row per carrier and use with a quantity."""
        out: list[LongRow] = []
        for r in self.energy_reports:
            parts: tuple[tuple[UseCode, float], ...] = (
                ("fuel", r.fuel),
                ("feedstock", r.feedstock),
                ("power_generation", r.power_generation),
            )
            for use, qty in parts:
                if qty > 0:
                    out.append(LongRow(r.credit_code, r.period, r.carrier_name, qty, r.unit, use))
        return out

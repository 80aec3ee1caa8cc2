"""Month-by-month simulation of the key enterprises: energy demand, installations, plants.

Each enterprise has a *site* demand (its energy outside the modelled installations: annual
tonnes × growth × seasonality) and its installations (production units: output × unit energy;
data centres: IT load × PUE; generating units: generation × coal rate, plus the heat they
supply). Demands for electricity and heat are then met: electricity from own rooftop PV, own
generating units and the grid; heat from own units, or bought from the area's heat-supplying
plants, or raised in own gas boilers where the area has no heat network. The reports written
from this (:mod:`ecplan.demo.city`) are what a clerk would fill in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ecplan.demo import calibration as cal
from ecplan.demo.carriers import BY_CODE, CALORIFIC_KGCE_PER_KWH, HEAT_TCE_PER_GJ
from ecplan.demo.model import DataCentreMonth, PlantMonth, ProductionMonth
from ecplan.demo.periods import Month, covid_factor, spring_festival_factor
from ecplan.demo.profiles import PROFILES, PUE_SEASON, activity, year_weights
from ecplan.demo.rng import Stream
from ecplan.demo.roster import (
    Boiler,
    DataCentre,
    EnterpriseSpec,
    GeneratingUnit,
    ProductUnit,
    Sector,
)

#: t of standard coal per kWh on the calorific basis.
TCE_PER_KWH = CALORIFIC_KGCE_PER_KWH / 1000.0
#: Areas with a heat network fed by reporting plants (others raise steam in own boilers).
HEAT_NETWORK_AREAS = frozenset({"321081", "321003", "321002", "321012"})
#: Heat bought by users that do not report, as a share of the reporting users' purchases.
UNREPORTED_HEAT_SHARE = 0.25
#: Efficiency of own gas boilers that replace purchased heat where there is no network.
OWN_BOILER_EFFICIENCY = 0.88
FUEL_OF = {"coal": "bituminous_coal", "gas": "natural_gas", "waste": "biomass"}


def parse_month(text: str) -> Month:
    return Month(int(text[:4]), int(text[5:7]))


def parse_date(text: str) -> dt.date:
    if len(text) == 7:
        return dt.date(int(text[:4]), int(text[5:7]), 1)
    return dt.date.fromisoformat(text)


def active_share(month: Month, start: dt.date | None, end: dt.date | None) -> float:
    """Share of the days of ``month`` between ``start`` and ``end`` (inclusive)."""
    lo = month.first_day if start is None else max(start, month.first_day)
    hi = month.last_day if end is None else min(end, month.last_day)
    if hi < lo:
        return 0.0
    return ((hi - lo).days + 1) / month.days


@dataclass
class Ledger:
    """What one enterprise used in one month, before it is written as a report."""

    fuel: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    feedstock: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    power: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    elec_kwh: float = 0.0
    heat_gj: float = 0.0
    steam_gj: float = 0.0
    own_heat: bool = False
    own_supply_kwh: float = 0.0
    pv_kwh: float = 0.0
    dl_fuel_tce: float = 0.0
    dl_elec_kwh: float = 0.0
    exported_kwh: float = 0.0
    exported_heat_gj: float = 0.0

    def add_mix(
        self,
        tce: float,
        mix: Mapping[str, float],
        feedstock: Mapping[str, float],
        *,
        to_network: bool,
    ) -> None:
        for code, share in mix.items():
            part = tce * share
            if code == "electricity":
                self.elec_kwh += part / TCE_PER_KWH
            elif code in ("heat", "steam"):
                if to_network:
                    gj = part / HEAT_TCE_PER_GJ
                    if code == "heat":
                        self.heat_gj += gj
                    else:
                        self.steam_gj += gj
                else:
                    self.fuel["natural_gas"] += part / OWN_BOILER_EFFICIENCY
            else:
                fs = feedstock.get(code, 0.0)
                self.feedstock[code] += part * fs
                self.fuel[code] += part * (1.0 - fs)


@dataclass
class UnitMonth:
    unit: GeneratingUnit
    generation_kwh: float
    station_use_kwh: float
    power_fuel_tce: float
    heat_gj: float = 0.0
    heat_fuel_tce: float = 0.0


@dataclass
class SimEnterprise:
    """One enterprise being simulated."""

    spec: EnterpriseSpec
    sector: Sector
    area: str
    zone: str | None
    ledgers: dict[Month, Ledger] = field(default_factory=dict)
    units: dict[Month, list[UnitMonth]] = field(default_factory=dict)
    production: list[ProductionMonth] = field(default_factory=list)
    data_centres: list[DataCentreMonth] = field(default_factory=list)
    credit_code: str = ""
    name: str = ""

    @property
    def start(self) -> dt.date | None:
        return parse_date(self.spec.start) if self.spec.start else None

    @property
    def end(self) -> dt.date | None:
        if not self.spec.end:
            return None
        return parse_month(self.spec.end).last_day

    def is_active(self, month: Month) -> bool:
        return active_share(month, self.start, self.end) > 0


def _growth_index(spec: EnterpriseSpec, sector: Sector, stream: Stream) -> dict[int, float]:
    index = {cal.FIRST_YEAR: 1.0}
    for year in cal.YEARS[1:]:
        g = spec.growth.get(year, sector.growth) if spec.growth else sector.growth
        index[year] = index[year - 1] * (1.0 + g + stream.normal(0.0, 0.012))
    return index


def _step_factor(spec: EnterpriseSpec, month: Month) -> float:
    f = 1.0
    for start, factor in spec.steps:
        if month >= parse_month(start):
            f *= factor
    return f


def _ramp(month: Month, commissioned: dt.date, ramp_months: int) -> float:
    if ramp_months <= 0:
        return 1.0
    k = month.index - Month(commissioned.year, commissioned.month).index
    if k >= ramp_months:
        return 1.0
    return 0.35 + 0.65 * (k + 1) / ramp_months


def simulate_enterprise(sim: SimEnterprise, months: list[Month], seed: int) -> None:
    """Fill ``sim`` with demands, production, data-centre and generating-unit months."""
    spec, sector = sim.spec, sim.sector
    stream = Stream(seed, "energy", spec.key)
    growth = _growth_index(spec, sector, stream)
    mix = spec.mix if spec.mix is not None else sector.mix
    feedstock = spec.feedstock if spec.feedstock is not None else sector.feedstock
    network = sim.area in HEAT_NETWORK_AREAS
    own_heat_units = [u for u in spec.units if isinstance(u, GeneratingUnit) and u.own_supply]
    solar_w = {y: year_weights(y, "solar") for y in cal.YEARS}
    for month in months:
        share = active_share(month, sim.start, sim.end)
        if share <= 0:
            continue
        ledger = Ledger()
        # site energy
        if spec.site_tce > 0:
            site = (
                spec.site_tce
                * growth[month.year]
                / 365.0
                * activity(month, sector.season, sf_depth=sector.sf_depth, covid=sector.covid)
                * share
                * _step_factor(spec, month)
                * stream.factor(0.025)
            )
            own_heat_now = any(
                active_share(month, parse_date(u.commissioned), _closed(u)) > 0
                for u in own_heat_units
            )
            ledger.add_mix(site, mix, feedstock, to_network=network or own_heat_now)
        for unit in spec.units:
            if isinstance(unit, ProductUnit):
                _product_month(sim, unit, month, ledger, stream, network)
            elif isinstance(unit, DataCentre):
                _dc_month(sim, unit, month, ledger, stream)
            elif isinstance(unit, GeneratingUnit):
                um = _unit_month(unit, month, stream)
                if um is not None:
                    sim.units.setdefault(month, []).append(um)
        # rooftop PV (self-consumed)
        pv_mw = spec.pv_mw.get(month.year, 0.0)
        if pv_mw > 0:
            ledger.pv_kwh = min(
                pv_mw * 1000.0 * cal.SOLAR_HOURS * solar_w[month.year][month.month]
                * stream.factor(0.06),
                0.6 * ledger.elec_kwh,
            )  # fmt: skip
        sim.ledgers[month] = ledger


def _closed(unit: GeneratingUnit | ProductUnit) -> dt.date | None:
    return parse_date(unit.closed) if unit.closed else None


def _product_month(
    sim: SimEnterprise,
    unit: ProductUnit,
    month: Month,
    ledger: Ledger,
    stream: Stream,
    network: bool,
) -> None:
    commissioned = parse_date(unit.commissioned)
    share = active_share(month, commissioned, _closed(unit))
    if share <= 0:
        return
    sector = sim.sector
    ramp = _ramp(month, commissioned, unit.ramp_months)
    output = (
        unit.capacity_t
        / 365.0
        * month.days
        * share
        * unit.utilisation
        * PROFILES["process"][month.month - 1]
        * spring_festival_factor(month, sector.sf_depth * 0.5)
        * covid_factor(month, sensitivity=sector.covid * 0.6)
        * ramp
        * stream.factor(0.02)
    )
    ue = unit.unit_energy[month.year] * (1.0 + 0.08 * (1.0 - ramp)) * stream.factor(0.008)
    energy = output * ue / 1000.0
    ledger.add_mix(energy, unit.mix, unit.feedstock, to_network=network)
    elec = energy * unit.mix.get("electricity", 0.0) / TCE_PER_KWH
    if unit.separately_listed:
        ledger.dl_elec_kwh += elec
        ledger.dl_fuel_tce += energy * sum(
            s for c, s in unit.mix.items() if c not in ("electricity", "heat", "steam")
        )
    sim.production.append(
        ProductionMonth(
            installation=unit.key,
            credit_code=sim.credit_code,
            period=str(month),
            product=unit.product,
            variant=unit.variant,
            output_t=round(output, 2),
            energy_tce=round(energy, 2),
            electricity_kwh=round(elec, 0),
        )
    )


def _dc_month(
    sim: SimEnterprise, unit: DataCentre, month: Month, ledger: Ledger, stream: Stream
) -> None:
    commissioned = parse_date(unit.commissioned)
    share = active_share(month, commissioned, None)
    if share <= 0:
        return
    it_kw = unit.it_kw
    if unit.expanded and month >= parse_month(unit.expanded):
        it_kw += unit.expansion_kw * _ramp(month, parse_date(unit.expanded), 8)
    util = unit.utilisation * _ramp(month, commissioned, unit.ramp_months)
    it_kwh = it_kw * 24.0 * month.days * share * util * stream.factor(0.02)
    pue = unit.pue[month.year] * PUE_SEASON[month.month - 1] * stream.factor(0.004)
    total = it_kwh * pue
    ledger.elec_kwh += total
    sim.data_centres.append(
        DataCentreMonth(
            installation=unit.key,
            credit_code=sim.credit_code,
            period=str(month),
            total_electricity_kwh=round(total, 0),
            it_electricity_kwh=round(it_kwh, 0),
        )
    )


def _unit_month(unit: GeneratingUnit, month: Month, stream: Stream) -> UnitMonth | None:
    hours = unit.hours.get(month.year, 0.0)
    if hours <= 0:
        return None
    commissioned = parse_date(unit.commissioned)
    closed = _closed(unit)
    active = [
        m for m in range(1, 13) if active_share(Month(month.year, m), commissioned, closed) > 0
    ]
    if month.month not in active:
        return None
    weights = year_weights(month.year, "power", range(min(active), max(active) + 1))
    share = active_share(month, commissioned, closed)
    gen = unit.capacity_mw * 1000.0 * hours * weights[month.month] * share * stream.factor(0.03)
    gen *= covid_factor(month, sensitivity=0.15)
    station = gen * unit.station_use * stream.factor(0.01)
    rate = unit.rate[month.year] * stream.factor(0.004)
    # coal units: rate per kWh supplied; gas and waste: fuel per kWh generated
    fuel = (gen - station) * rate / 1e6 if unit.fuel == "coal" else gen * rate / 1e6
    return UnitMonth(unit, gen, station, fuel)


def resolve_heat(sims: list[SimEnterprise], months: list[Month], seed: int) -> None:
    """Meet heat demand: own units first, then the area's heat-supplying plants."""
    stream = Stream(seed, "heat")
    for month in months:
        demand: dict[str, float] = defaultdict(float)
        for sim in sims:
            ledger = sim.ledgers.get(month)
            if ledger is None:
                continue
            own = [um for um in sim.units.get(month, []) if um.unit.own_supply]
            if own:
                total_cap = sum(um.unit.capacity_mw for um in own)
                need = ledger.heat_gj + ledger.steam_gj
                for um in own:
                    um.heat_gj = need * um.unit.capacity_mw / total_cap
                ledger.own_heat = True
                ledger.own_supply_kwh = sum(um.generation_kwh - um.station_use_kwh for um in own)
            else:
                demand[sim.area] += ledger.heat_gj + ledger.steam_gj
        for area, need in demand.items():
            suppliers = [
                um
                for sim in sims
                if sim.area == area
                for um in sim.units.get(month, [])
                if um.unit.heat_weight > 0 and not um.unit.own_supply
            ]
            if not suppliers:
                continue
            weight = sum(um.unit.heat_weight * um.unit.capacity_mw for um in suppliers)
            total = need * (1.0 + UNREPORTED_HEAT_SHARE) * stream.factor(0.02)
            for um in suppliers:
                fixed = um.unit.heat_fixed_gj * month.days / 365.0
                um.heat_gj = fixed + total * um.unit.heat_weight * um.unit.capacity_mw / weight
        for sim in sims:
            for um in sim.units.get(month, []):
                um.heat_fuel_tce = um.heat_gj * um.unit.heat_rate / 1000.0
                ledger = sim.ledgers[month]
                fuel = FUEL_OF[um.unit.fuel]
                ledger.power[fuel] += um.power_fuel_tce + um.heat_fuel_tce
                if not um.unit.own_supply:
                    ledger.exported_kwh += um.generation_kwh - um.station_use_kwh
                    ledger.exported_heat_gj += um.heat_gj


def plant_months(sim: SimEnterprise) -> list[PlantMonth]:
    """The generating-unit records of an enterprise."""
    out: list[PlantMonth] = []
    for month in sorted(sim.units):
        for um in sim.units[month]:
            fuel = FUEL_OF[um.unit.fuel]
            total = um.power_fuel_tce + um.heat_fuel_tce
            c = BY_CODE[fuel]
            qty, unit_label = total / c.tce_per_unit, c.unit
            out.append(
                PlantMonth(
                    installation=um.unit.key,
                    credit_code=sim.credit_code,
                    period=str(month),
                    fuel={"coal": "煤炭", "gas": "天然气", "waste": "垃圾焚烧"}[um.unit.fuel],
                    generation_kwh=round(um.generation_kwh, 0),
                    station_use_kwh=round(um.station_use_kwh, 0),
                    heat_supplied_gj=round(um.heat_gj, 1),
                    fuel_quantity=round(qty, 4 if unit_label == "万立方米" else 2),
                    fuel_unit=unit_label,
                    fuel_tce=round(total, 2),
                    fuel_for_heat_tce=round(um.heat_fuel_tce, 2),
                )
            )
    return out


def boilers(spec: EnterpriseSpec) -> list[Boiler]:
    return [u for u in spec.units if isinstance(u, Boiler)]

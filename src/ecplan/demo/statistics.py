"""City and area statistics as the statistics bureau would publish them (演示数据).

The bureau's totals are not the sum of the key enterprises: enterprises are a subset, and the
rest of the economy (smaller firms, services, households, transport, farms) is added here as a
*residual* per area and month. The residual is solved so that the published figures meet the
calibration (:mod:`ecplan.demo.calibration`):

* city energy consumption E (等价值) from the designed new-basis intensity path:
  ``E = (E_new + feedstock + separately listed) ÷ (1 − non-fossil share)``;
* each area's new-basis energy from its designed intensity path (which sets the 晴雨表 levels);
* the city's coal share, through the residual coal;
* the non-fossil share, through the non-fossil content of net imported electricity.

Regional energy is counted the way regional balances count it: fossil fuels burned in the area
(power-plant coal included once), plus net electricity inflow at the equivalent value, plus
non-electric non-fossil energy. An area that exports electricity gets the equivalent value of
its exports deducted, so plant coal is never counted twice.

Identities that hold by construction (and are tested): for every area and month
``E = E_new + non-fossil + feedstock + separately listed``; areas add up to the city; every
enterprise quantity is contained in the published totals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from ecplan.core.registry import Registry
from ecplan.demo import calibration as cal
from ecplan.demo.carriers import BY_CODE, EQUIVALENT_KGCE_PER_KWH
from ecplan.demo.model import AreaCarrierMonth, BalanceRow, Statistic
from ecplan.demo.periods import Month, covid_factor, month_range, spring_festival_factor
from ecplan.demo.profiles import PROFILES, year_weights
from ecplan.demo.rng import Stream
from ecplan.demo.simulate import FUEL_OF, TCE_PER_KWH, SimEnterprise

CITY: Final = "321000"
AREAS: Final = ("321002", "321003", "321012", "321023", "321081", "321084")
#: Where the non-reporting farms and distributed plants stand (shares by area, synthetic).
SOLAR_AREA: Final = {"321002": 0.08, "321003": 0.12, "321012": 0.15, "321023": 0.25, "321081": 0.10, "321084": 0.30}  # fmt: skip
WIND_AREA: Final = {"321002": 0.0, "321003": 0.0, "321012": 0.15, "321023": 0.45, "321081": 0.0, "321084": 0.40}  # fmt: skip
BIOMASS_AREA: Final = {"321002": 0.0, "321003": 0.0, "321012": 0.0, "321023": 0.6, "321081": 0.0, "321084": 0.4}  # fmt: skip
#: Split of the residual oil products (synthetic: road transport dominates).
OIL_SPLIT: Final = {"gasoline": 0.36, "diesel": 0.44, "kerosene": 0.04, "fuel_oil": 0.06, "lpg": 0.10}  # fmt: skip
#: Split of the residual feedstock (synthetic).
FEEDSTOCK_SPLIT: Final = {"naphtha": 0.5, "natural_gas": 0.5}


class CalibrationError(RuntimeError):
    """The roster does not fit inside the calibrated totals (a residual would be negative)."""


def g_equiv(year: int) -> float:
    """Equivalent-value coefficient of electricity [t of standard coal per kWh]."""
    return EQUIVALENT_KGCE_PER_KWH[year] / 1000.0


@dataclass
class Cell:
    """Enterprise aggregates of one area and month."""

    fossil: float = 0.0
    coal: float = 0.0
    power_coal: float = 0.0
    feedstock: float = 0.0
    dl_fuel: float = 0.0
    dl_elec_kwh: float = 0.0
    cons_kwh: float = 0.0
    fossil_supply_kwh: float = 0.0
    nf_supply_kwh: float = 0.0
    gen_coal_kwh: float = 0.0
    gen_gas_kwh: float = 0.0
    gen_waste_kwh: float = 0.0
    station_kwh: float = 0.0
    heat_supplied_gj: float = 0.0
    pv_kwh: float = 0.0


def _norm(weights: dict[int, float]) -> dict[int, float]:
    total = sum(weights.values())
    return {k: v / total for k, v in weights.items()}


class CityAccounts:
    """Solves and holds the city's and areas' statistics."""

    def __init__(self, sims: list[SimEnterprise], registry: Registry, seed: int) -> None:
        self.sims = sims
        self.registry = registry
        self.seed = seed
        self.months = month_range(Month(cal.FIRST_YEAR, 1), Month(cal.LAST_YEAR, 12))
        self.cells: dict[tuple[str, Month], Cell] = defaultdict(Cell)
        # (area, carrier, month) → [fuel, feedstock, power and heat] tce of the enterprises
        self.carrier_tce: dict[tuple[str, str, Month], list[float]] = defaultdict(
            lambda: [0.0, 0.0, 0.0]
        )
        self.heat_fuel: dict[tuple[str, str, Month], float] = defaultdict(float)
        self._aggregate()
        self._design_gdp()
        self._design_energy()
        self._solve()

    # ---------------------------------------------------------------------------------
    # enterprise aggregates

    def _aggregate(self) -> None:
        for sim in self.sims:
            for month, ledger in sim.ledgers.items():
                cell = self.cells[(sim.area, month)]
                for part, store in enumerate((ledger.fuel, ledger.feedstock, ledger.power)):
                    for code, tce in store.items():
                        c = BY_CODE[code]
                        self.carrier_tce[(sim.area, code, month)][part] += tce
                        if c.energy_class in ("fossil", "other"):
                            cell.fossil += tce
                        if c.category == "coal":
                            cell.coal += tce
                            if part == 2:
                                cell.power_coal += tce
                        if part == 1:
                            cell.feedstock += tce
                cell.dl_fuel += ledger.dl_fuel_tce
                cell.dl_elec_kwh += ledger.dl_elec_kwh
                cell.cons_kwh += ledger.elec_kwh
                cell.pv_kwh += ledger.pv_kwh
                cell.nf_supply_kwh += ledger.pv_kwh
                self.carrier_tce[(sim.area, "solar", month)][0] += ledger.pv_kwh * TCE_PER_KWH
            for month, units in sim.units.items():
                cell = self.cells[(sim.area, month)]
                for um in units:
                    supply = um.generation_kwh - um.station_use_kwh
                    fuel_code = FUEL_OF[um.unit.fuel]
                    self.heat_fuel[(sim.area, fuel_code, month)] += um.heat_fuel_tce
                    cell.station_kwh += um.station_use_kwh
                    cell.heat_supplied_gj += um.heat_gj
                    if um.unit.fuel == "waste":
                        cell.nf_supply_kwh += supply
                        cell.gen_waste_kwh += um.generation_kwh
                    else:
                        cell.fossil_supply_kwh += supply
                        if um.unit.fuel == "coal":
                            cell.gen_coal_kwh += um.generation_kwh
                        else:
                            cell.gen_gas_kwh += um.generation_kwh

    def ent_year(self, attr: str, year: int, area: str | None = None) -> float:
        areas = (area,) if area else AREAS
        return float(
            sum(
                getattr(self.cells[(a, m)], attr)
                for a in areas
                for m in self.months
                if m.year == year
            )
        )

    # ---------------------------------------------------------------------------------
    # GDP

    def _design_gdp(self) -> None:
        years = cal.YEARS
        self.gdp = {y: cal.GDP_CURRENT[y].value for y in years}
        self.real_growth = {y: cal.GDP_REAL_GROWTH[y].value for y in years}
        const = {2020: self.gdp[2020]}
        for y in years[1:]:
            const[y] = const[y - 1] * (1.0 + self.real_growth[y])
        self.gdp_const = const
        # areas: current prices
        fixed = {k: f.value for k, f in cal.AREA_GDP_PUBLIC.items()}
        seeds = dict(cal.AREA_GDP_SEED_2020)
        area_cur: dict[tuple[str, int], float] = {}
        for y in years:
            if y > 2020:
                nominal = self.gdp[y] / self.gdp[y - 1] - 1.0
                seeds = {
                    a: area_cur[(a, y - 1)] * (1.0 + nominal + cal.AREA_GROWTH_DEVIATION[a])
                    for a in AREAS
                }
            fixed_y = {a: v for (a, fy), v in fixed.items() if fy == y}
            free = [a for a in AREAS if a not in fixed_y]
            room = self.gdp[y] - sum(fixed_y.values())
            free_total = sum(seeds[a] for a in free)
            for a in AREAS:
                area_cur[(a, y)] = fixed_y[a] if a in fixed_y else seeds[a] * room / free_total
        self.area_gdp = area_cur
        # areas: constant (2020) prices, scaled each year to the city's volume
        area_const: dict[tuple[str, int], float] = {(a, 2020): area_cur[(a, 2020)] for a in AREAS}
        for y in years[1:]:
            raw = {
                a: area_const[(a, y - 1)]
                * (1.0 + self.real_growth[y] + cal.AREA_GROWTH_DEVIATION[a])
                for a in AREAS
            }
            k = const[y] / sum(raw.values())
            for a in AREAS:
                area_const[(a, y)] = raw[a] * k
        self.area_gdp_const = area_const
        # quarters: real GDP shares, slightly different by area (seeded)
        stream = Stream(self.seed, "gdp-quarters")
        self.q_share: dict[tuple[str, int], tuple[float, ...]] = {}
        for a in AREAS:
            for y in (2019, *years):
                base = cal.QUARTER_GDP_SHARES_2020 if y == 2020 else cal.QUARTER_GDP_SHARES
                raw_q = [s * stream.factor(0.004) for s in base]
                t = sum(raw_q)
                self.q_share[(a, y)] = tuple(s / t for s in raw_q)
        # 2019 base (for 2020 year-to-date growth): the 2020 level ÷ 2020 growth
        for a in AREAS:
            area_const[(a, 2019)] = area_const[(a, 2020)] / (1.0 + self.real_growth[2020])

    def area_quarter_const(self, area: str, year: int, q: int) -> float:
        if area == CITY:
            return sum(self.area_quarter_const(a, year, q) for a in AREAS)
        return self.area_gdp_const[(area, year)] * self.q_share[(area, year)][q - 1]

    def area_quarter_current(self, area: str, year: int, q: int) -> float:
        if area == CITY:
            return sum(self.area_quarter_current(a, year, q) for a in AREAS)
        return self.area_gdp[(area, year)] * self.q_share[(area, year)][q - 1]

    def ytd_real_growth(self, area: str, year: int, q: int) -> float:
        now = sum(self.area_quarter_const(area, year, k) for k in range(1, q + 1))
        before = sum(self.area_quarter_const(area, year - 1, k) for k in range(1, q + 1))
        return now / before - 1.0

    def annual_gdp_const(self, area: str, year: int) -> float:
        if area == CITY:
            return self.gdp_const[year]
        return self.area_gdp_const[(area, year)]

    # ---------------------------------------------------------------------------------
    # energy design

    def _design_energy(self) -> None:
        years = cal.YEARS
        self.fs = dict(cal.FEEDSTOCK_TCE)
        self.dl = {
            y: self.ent_year("dl_fuel", y) + self.ent_year("dl_elec_kwh", y) * g_equiv(y)
            for y in years
        }
        e2020 = cal.TOTAL_ENERGY_2020_TCE.value
        s = cal.NONFOSSIL_SHARE
        en = {2020: e2020 * (1.0 - s[2020]) - self.fs[2020] - self.dl[2020]}
        for y in years[1:]:
            en[y] = (
                en[y - 1] * (1.0 + self.real_growth[y]) * (1.0 + cal.NEW_BASIS_INTENSITY_CHANGE[y])
            )
        self.en = en
        self.e_total = {y: (en[y] + self.fs[y] + self.dl[y]) / (1.0 - s[y]) for y in years}
        self.nf = {y: s[y] * self.e_total[y] for y in years}
        # areas
        area_en = {(a, 2020): cal.AREA_NEW_BASIS_SHARE_2020[a] * en[2020] for a in AREAS}
        for y in years[1:]:
            raw = {}
            for a in AREAS:
                g_a = self.area_gdp_const[(a, y)] / self.area_gdp_const[(a, y - 1)] - 1.0
                raw[a] = area_en[(a, y - 1)] * (1.0 + g_a) * (1.0 + cal.AREA_INTENSITY_CHANGE[a][y])
            k = en[y] / sum(raw.values())
            for a in AREAS:
                area_en[(a, y)] = raw[a] * k
        self.area_en_year = area_en
        # monthly profile of new-basis energy by area
        self.area_en: dict[tuple[str, Month], float] = {}
        for a in AREAS:
            for y in years:
                months = [m for m in self.months if m.year == y]
                h1, h2 = cal.AREA_HALF_YEAR_SHIFT.get((a, y), (1.0, 1.0))
                w = {
                    m.month: PROFILES["area_energy"][m.month - 1]
                    * m.days
                    * spring_festival_factor(m, 0.25)
                    * covid_factor(m, sensitivity=0.5)
                    * (h1 if m.month <= 6 else h2)
                    for m in months
                }
                w = _norm(w)
                for m in months:
                    self.area_en[(a, m)] = area_en[(a, y)] * w[m.month]

    # ---------------------------------------------------------------------------------
    # the residual

    def _solve(self) -> None:
        years = cal.YEARS
        self.cons_year = dict(cal.ELECTRICITY_CONSUMPTION_KWH)
        self.sigma: dict[int, float] = {}
        self.res_elec: dict[tuple[str, Month], float] = {}
        self.res_fossil: dict[tuple[str, Month], float] = {}
        self.res_fs: dict[tuple[str, Month], float] = {}
        self.res_coal: dict[tuple[str, Month], float] = {}
        self.res_power_coal: dict[tuple[str, Month], float] = {}
        self.other_nf: dict[tuple[str, Month], float] = {}
        self.res_gen: dict[tuple[str, str, Month], float] = {}
        self.min_residual_ratio = 1.0
        for y in years:
            months = [m for m in self.months if m.year == y]
            g = g_equiv(y)
            ent_cons = self.ent_year("cons_kwh", y)
            r_e = self.cons_year[y] - ent_cons
            if r_e <= 0:
                raise CalibrationError(f"{y}年重点企业用电量超过全社会用电量")
            onf_y = cal.OTHER_NONFOSSIL_TCE[y]
            self.sigma[y] = (self.nf[y] - onf_y) / (g * self.cons_year[y])
            fs_res_y = self.fs[y] - self.ent_year("feedstock", y)
            if fs_res_y < 0:
                raise CalibrationError(f"{y}年重点企业原料用能超过全市原料用能")
            w_e = year_weights(y, "residual_electricity")
            w_s = year_weights(y, "services")
            w_p = year_weights(y, "process")
            w_solar = year_weights(y, "solar")
            w_wind = year_weights(y, "wind")
            gdp_share = {a: self.area_gdp[(a, y)] / self.gdp[y] for a in AREAS}
            for m in months:
                for a in AREAS:
                    self.res_elec[(a, m)] = (
                        r_e * w_e[m.month] * cal.AREA_RESIDUAL_ELECTRICITY_SHARE[a]
                    )
                    self.other_nf[(a, m)] = onf_y * w_s[m.month] * gdp_share[a]
                    self.res_fs[(a, m)] = (
                        fs_res_y * w_p[m.month] * cal.AREA_RESIDUAL_FEEDSTOCK_SHARE[a]
                    )
                    self.res_gen[("solar", a, m)] = (
                        cal.SOLAR_MW[y] * 1000 * cal.SOLAR_HOURS * w_solar[m.month] * SOLAR_AREA[a]
                    )
                    self.res_gen[("wind", a, m)] = (
                        cal.WIND_MW[y] * 1000 * cal.WIND_HOURS * w_wind[m.month] * WIND_AREA[a]
                    )
                    self.res_gen[("biomass", a, m)] = (
                        cal.BIOMASS_POWER_KWH
                        * m.days
                        / (365 + (1 if y % 4 == 0 else 0))
                        * BIOMASS_AREA[a]
                    )
                    cell = self.cells[(a, m)]
                    cons = cell.cons_kwh + self.res_elec[(a, m)]
                    dl = cell.dl_fuel + cell.dl_elec_kwh * g
                    known = (
                        cell.fossil - cell.feedstock - dl
                        + cons * (1.0 - self.sigma[y]) * g
                        - cell.fossil_supply_kwh * g
                    )  # fmt: skip
                    r_f = self.area_en[(a, m)] - known + self.res_fs[(a, m)]
                    non_fs = r_f - self.res_fs[(a, m)]
                    ratio = non_fs / self.area_en[(a, m)]
                    self.min_residual_ratio = min(self.min_residual_ratio, ratio)
                    if non_fs <= 0:
                        raise CalibrationError(
                            f"{a} {m}：重点企业的新口径能耗超过了地区设计值（余量 {non_fs:.0f} 吨标准煤）"
                        )
                    self.res_fossil[(a, m)] = r_f
            # residual coal to reach the coal share
            coal_target = cal.COAL_SHARE[y] * self.e_total[y]
            r_c = coal_target - self.ent_year("coal", y)
            nrpc = cal.NON_REPORTING_POWER_COAL * self.ent_year("power_coal", y)
            if r_c < nrpc:
                raise CalibrationError(f"{y}年重点企业煤炭消费已超过全市煤炭占比设计值")
            weights = {
                (a, m): (self.res_fossil[(a, m)] - self.res_fs[(a, m)])
                * cal.AREA_RESIDUAL_COAL_WEIGHT[a]
                for a in AREAS
                for m in months
            }
            total_w = sum(weights.values())
            for key, w in weights.items():
                coal = r_c * w / total_w
                if coal > 0.95 * (self.res_fossil[key] - self.res_fs[key]):
                    raise CalibrationError(f"{key}：剩余煤炭超过剩余化石能源")
                self.res_coal[key] = coal
                self.res_power_coal[key] = nrpc * coal / r_c

    # ---------------------------------------------------------------------------------
    # published figures

    def area_month(self, area: str, month: Month) -> dict[str, float]:
        """Energy figures of an area (or the city) for a month [tce, kWh]."""
        if area == CITY:
            out: dict[str, float] = defaultdict(float)
            for a in AREAS:
                for k, v in self.area_month(a, month).items():
                    out[k] += v
            return dict(out)
        y = month.year
        g = g_equiv(y)
        cell = self.cells[(area, month)]
        cons = cell.cons_kwh + self.res_elec[(area, month)]
        fossil = cell.fossil + self.res_fossil[(area, month)]
        onf = self.other_nf[(area, month)]
        total = fossil + (cons - cell.fossil_supply_kwh) * g + onf
        nf = cons * self.sigma[y] * g + onf
        fs = cell.feedstock + self.res_fs[(area, month)]
        dl = cell.dl_fuel + cell.dl_elec_kwh * g
        res_gen = sum(self.res_gen[(s, area, month)] for s in ("solar", "wind", "biomass"))
        local_supply = cell.fossil_supply_kwh + cell.nf_supply_kwh + res_gen
        # non-fossil electricity consumed is σ × consumption; local generation (as the balance
        # counts primary electricity) covers part of it, the rest came in with net imports
        nf_generation = res_gen + cell.pv_kwh + cell.gen_waste_kwh
        return {
            "energy_total_tce": total,
            "energy_nonfossil_tce": nf,
            "energy_feedstock_tce": fs,
            "energy_separately_listed_tce": dl,
            "energy_new_basis_tce": total - nf - fs - dl,
            "energy_coal_tce": cell.coal + self.res_coal[(area, month)],
            "energy_power_heat_coal_tce": cell.power_coal + self.res_power_coal[(area, month)],
            "energy_fossil_tce": fossil,
            "energy_other_nonfossil_tce": onf,
            "electricity_consumption_kwh": cons,
            "generation_coal_kwh": cell.gen_coal_kwh,
            "generation_gas_kwh": cell.gen_gas_kwh,
            "generation_solar_kwh": self.res_gen[("solar", area, month)] + cell.pv_kwh,
            "generation_wind_kwh": self.res_gen[("wind", area, month)],
            "generation_biomass_kwh": self.res_gen[("biomass", area, month)] + cell.gen_waste_kwh,
            "station_use_kwh": cell.station_kwh,
            "local_supply_kwh": local_supply,
            "electricity_net_import_kwh": cons - local_supply,
            "electricity_net_import_nonfossil_kwh": cons * self.sigma[y] - nf_generation,
            "heat_supplied_gj": cell.heat_supplied_gj,
        }

    def year_totals(self, area: str, year: int) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for m in self.months:
            if m.year == year:
                for k, v in self.area_month(area, m).items():
                    out[k] += v
        return dict(out)

    def city_electricity(
        self, year: int, months: Iterable[Month] | None = None
    ) -> dict[str, float]:
        """Net imports and their non-fossil content for the city [kWh]."""
        ms = [m for m in self.months if m.year == year] if months is None else list(months)
        cons = sup = nf_local = 0.0
        for m in ms:
            f = self.area_month(CITY, m)
            cons += f["electricity_consumption_kwh"]
            sup += f["local_supply_kwh"]
            nf_local += (
                f["generation_solar_kwh"] + f["generation_wind_kwh"] + f["generation_biomass_kwh"]
            )
        imports = cons - sup
        sigma = self.sigma[ms[0].year]
        # The non-fossil electricity consumed is σ × consumption; what local plants generate
        # (generation, as the balance counts primary electricity) is local, the rest came in.
        imports_nf = sigma * cons - nf_local
        return {
            "electricity_consumption_kwh": cons,
            "net_import_kwh": imports,
            "net_import_nonfossil_kwh": imports_nf,
            "local_nonfossil_generation_kwh": nf_local,
        }

    def tertiary_energy(self) -> dict[Month, float]:
        level = cal.TERTIARY_ENERGY_2020_TCE
        out: dict[Month, float] = {}
        for y in cal.YEARS:
            if y > 2020:
                level *= 1.0 + cal.TERTIARY_ENERGY_GROWTH[y]
            months = [m for m in self.months if m.year == y]
            shift = (0.985, 1.015) if y == 2025 else (1.0, 1.0)
            w = _norm(
                {
                    m.month: PROFILES["services"][m.month - 1]
                    * m.days
                    * covid_factor(m, sensitivity=0.6)
                    * (shift[0] if m.month <= 6 else shift[1])
                    for m in months
                }
            )
            for m in months:
                out[m] = level * w[m.month]
        return out

    # ---------------------------------------------------------------------------------
    # output records

    def statistics(self) -> list[Statistic]:
        out: list[Statistic] = []
        areas = (CITY, *AREAS)
        energy_keys = (
            ("energy_total_tce", "吨标准煤"),
            ("energy_nonfossil_tce", "吨标准煤"),
            ("energy_feedstock_tce", "吨标准煤"),
            ("energy_separately_listed_tce", "吨标准煤"),
            ("energy_coal_tce", "吨标准煤"),
            ("energy_power_heat_coal_tce", "吨标准煤"),
            ("energy_other_nonfossil_tce", "吨标准煤"),
            ("electricity_consumption_kwh", "千瓦时"),
            ("electricity_net_import_kwh", "千瓦时"),
        )
        # the non-fossil part of net imports is a city figure (an area exporting power has
        # no meaningful non-fossil import); areas publish their non-fossil energy total
        city_keys = (("electricity_net_import_nonfossil_kwh", "千瓦时"),)
        gen_keys = (
            ("generation_coal_kwh", "千瓦时"),
            ("generation_gas_kwh", "千瓦时"),
            ("generation_solar_kwh", "千瓦时"),
            ("generation_wind_kwh", "千瓦时"),
            ("generation_biomass_kwh", "千瓦时"),
            ("station_use_kwh", "千瓦时"),
        )
        tertiary = self.tertiary_energy()
        for y in cal.YEARS:
            months = [m for m in self.months if m.year == y]
            for area in areas:
                monthly = {m: self.area_month(area, m) for m in months}
                keys = energy_keys + gen_keys + (city_keys if area == CITY else ())
                for key, unit in keys:
                    for m in months:
                        out.append(Statistic(area, str(m), key, monthly[m][key], unit))
                    out.append(
                        Statistic(area, str(y), key, sum(monthly[m][key] for m in months), unit)
                    )
                # GDP
                for q in range(1, 5):
                    period = f"{y}-Q{q}"
                    out.append(
                        Statistic(
                            area,
                            period,
                            "gdp_current",
                            self.area_quarter_current(area, y, q),
                            "亿元",
                        )
                    )
                    out.append(
                        Statistic(
                            area,
                            period,
                            "gdp_constant_2020",
                            self.area_quarter_const(area, y, q),
                            "亿元",
                        )
                    )
                    out.append(
                        Statistic(
                            area,
                            period,
                            "gdp_real_growth",
                            self.ytd_real_growth(area, y, q),
                            "比率",
                            "累计",
                        )
                    )
                gdp_y = self.gdp[y] if area == CITY else self.area_gdp[(area, y)]
                out.append(Statistic(area, str(y), "gdp_current", gdp_y, "亿元"))
                out.append(
                    Statistic(
                        area, str(y), "gdp_constant_2020", self.annual_gdp_const(area, y), "亿元"
                    )
                )
                growth = (
                    self.real_growth[y]
                    if area == CITY
                    else self.annual_gdp_const(area, y) / self.annual_gdp_const(area, y - 1) - 1.0
                )
                out.append(Statistic(area, str(y), "gdp_real_growth", growth, "比率", "累计"))
                for idx, sector in enumerate(("primary", "secondary", "tertiary")):
                    out.append(
                        Statistic(
                            area,
                            str(y),
                            f"value_added_{sector}",
                            self.sector_va(area, y)[idx],
                            "亿元",
                        )
                    )
            # city-only series
            out.append(Statistic(CITY, str(y), "population", cal.POPULATION[y].value, "万人"))
            out.append(
                Statistic(
                    CITY,
                    str(y),
                    "value_added_tertiary_real_growth",
                    cal.TERTIARY_REAL_GROWTH[y],
                    "比率",
                    "累计",
                )
            )
            out.append(
                Statistic(
                    CITY,
                    str(y),
                    "value_added_primary_real_growth",
                    cal.PRIMARY_REAL_GROWTH[y],
                    "比率",
                    "累计",
                )
            )
            out.append(
                Statistic(
                    CITY,
                    str(y),
                    "energy_tertiary_tce",
                    sum(tertiary[m] for m in months),
                    "吨标准煤",
                )
            )
            for q in range(1, 5):
                qm = [m for m in months if m.quarter == q]
                out.append(
                    Statistic(
                        CITY,
                        f"{y}-Q{q}",
                        "energy_tertiary_tce",
                        sum(tertiary[m] for m in qm),
                        "吨标准煤",
                    )
                )
                out.append(
                    Statistic(
                        CITY,
                        f"{y}-Q{q}",
                        "value_added_tertiary_real_growth",
                        cal.TERTIARY_REAL_GROWTH[y],
                        "比率",
                        "累计",
                    )
                )
            out.append(
                Statistic(
                    CITY,
                    str(y),
                    "green_certificates_interprovincial_mwh",
                    cal.INTERPROVINCIAL_CERTIFICATES_MWH[y],
                    "兆瓦时",
                )
            )
        return out  # fmt: skip

    def sector_va(self, area: str, year: int) -> tuple[float, float, float]:
        if not hasattr(self, "_va"):
            self._va = self._fit_sector_va()
        return self._va[(area, year)]

    def city_sector_va(self, year: int) -> tuple[float, float, float]:
        if year in cal.SECTOR_VALUE_ADDED:
            a, b, c = cal.SECTOR_VALUE_ADDED[year]
            return (a.value, b.value, c.value)
        if year in cal.SECTOR_SHARES_SYNTHETIC:
            s = cal.SECTOR_SHARES_SYNTHETIC[year]
        else:  # pragma: no cover - every calibrated year has a split
            s = (0.045, 0.47, 0.485)
        return (self.gdp[year] * s[0], self.gdp[year] * s[1], self.gdp[year] * s[2])

    def _fit_sector_va(self) -> dict[tuple[str, int], tuple[float, float, float]]:
        """Area × sector value added fitted to area GDP (rows) and city sectors (columns)."""
        out: dict[tuple[str, int], tuple[float, float, float]] = {}
        for y in cal.YEARS:
            t = (y - cal.FIRST_YEAR) / (cal.LAST_YEAR - cal.FIRST_YEAR)
            cells: dict[str, list[float]] = {}
            fixed: dict[str, tuple[float, float, float]] = {}
            for a in AREAS:
                if (a, y) in cal.AREA_SECTOR_PUBLIC:
                    fixed[a] = cal.AREA_SECTOR_PUBLIC[(a, y)]
                    continue
                s0, s1 = cal.AREA_SECTOR_SHARES[a]
                cells[a] = [self.area_gdp[(a, y)] * ((1 - t) * s0[i] + t * s1[i]) for i in range(3)]
            col_target = [
                self.city_sector_va(y)[i] - sum(f[i] for f in fixed.values()) for i in range(3)
            ]
            for _ in range(200):
                for i in range(3):
                    col = sum(cells[a][i] for a in cells)
                    for a in cells:
                        cells[a][i] *= col_target[i] / col
                for a in cells:
                    row = sum(cells[a])
                    for i in range(3):
                        cells[a][i] *= self.area_gdp[(a, y)] / row
            for a in AREAS:
                if a in fixed:
                    out[(a, y)] = fixed[a]
                else:
                    out[(a, y)] = (cells[a][0], cells[a][1], cells[a][2])
            out[(CITY, y)] = self.city_sector_va(y)
        return out

    def balance(self) -> list[BalanceRow]:
        """The city's energy balance by carrier, per quarter and per year."""
        out: list[BalanceRow] = []
        for y in cal.YEARS:
            months = [m for m in self.months if m.year == y]
            periods = [(f"{y}-Q{q}", [m for m in months if m.quarter == q]) for q in range(1, 5)]
            periods.append((str(y), months))
            for period, ms in periods:
                out.extend(self._balance_rows(period, ms))
        return out

    def area_carriers(self, area: str, ms: list[Month]) -> dict[str, list[float]]:
        """Consumption by carrier of an area (or the city) over ``ms``, enterprises and
        residual together: carrier → [fuel, feedstock, power input, heat input] [tce]."""
        areas = AREAS if area == CITY else (area,)
        carriers: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
        wanted = set(ms)
        for (a, code, m), parts in self.carrier_tce.items():
            if a in areas and m in wanted and code != "solar":
                if BY_CODE[code].energy_class == "secondary":
                    continue
                heat = self.heat_fuel.get((a, code, m), 0.0)
                carriers[code][0] += parts[0]
                carriers[code][1] += parts[1]
                carriers[code][2] += parts[2] - heat
                carriers[code][3] += heat
        for a in areas:
            for m in ms:
                y = m.year
                key = (a, m)
                coal = self.res_coal[key]
                carriers["bituminous_coal"][0] += coal - self.res_power_coal[key]
                carriers["bituminous_coal"][2] += self.res_power_coal[key]
                for code, share in FEEDSTOCK_SPLIT.items():
                    carriers[code][1] += self.res_fs[key] * share
                og = self.res_fossil[key] - self.res_fs[key] - coal
                oil = og * cal.RESIDUAL_OIL_SHARE[y]
                for code, share in OIL_SPLIT.items():
                    carriers[code][0] += oil * share
                carriers["natural_gas"][0] += og - oil
        return dict(carriers)

    def carrier_rows(self) -> list[AreaCarrierMonth]:
        """Consumption by carrier for every area (and the city) and month, physical units."""
        order = [c.code for c in BY_CODE.values()]
        out: list[AreaCarrierMonth] = []
        for area in (CITY, *AREAS):
            for m in self.months:
                carriers = self.area_carriers(area, [m])
                for code in sorted(carriers, key=order.index):
                    c = BY_CODE[code]
                    fuel, fs, power, heat = (x / c.tce_per_unit for x in carriers[code])
                    out.append(
                        AreaCarrierMonth(
                            area, str(m), code, c.name_zh, c.unit, fuel + fs + power + heat,
                            fs, power, heat,
                        )
                    )  # fmt: skip
                kwh = self.area_month(area, m)["electricity_consumption_kwh"]
                out.append(
                    AreaCarrierMonth(area, str(m), "electricity", "电力", "万千瓦时", kwh / 1e4)
                )
        return out

    def _balance_rows(self, period: str, ms: list[Month]) -> list[BalanceRow]:
        y = ms[0].year
        g = g_equiv(y)
        carriers = self.area_carriers(CITY, ms)
        rows: list[BalanceRow] = []
        for code in sorted(carriers, key=lambda c: [x.code for x in BY_CODE.values()].index(c)):
            c = BY_CODE[code]
            fuel, fs, power, heat = carriers[code]
            pw = power + heat
            tce = fuel + fs + pw
            rows.append(
                BalanceRow(period, "消费量", code, c.name_zh, c.unit, tce / c.tce_per_unit, tce,
                           fs / c.tce_per_unit, pw / c.tce_per_unit)
            )  # fmt: skip
        f: dict[str, float] = defaultdict(float)
        for m in ms:
            for k, v in self.area_month(CITY, m).items():
                f[k] += v
        e = self.city_electricity(y, ms)
        wan = 1e4
        for line, code, name, kwh, nf in (
            ("全社会用电量", "electricity", "电力", e["electricity_consumption_kwh"], None),
            ("本地发电量（燃煤）", "electricity", "电力", f["generation_coal_kwh"], 0.0),
            ("本地发电量（燃气）", "electricity", "电力", f["generation_gas_kwh"], 0.0),
            ("本地发电量（风电）", "wind", "风电", f["generation_wind_kwh"], 1.0),
            ("本地发电量（太阳能）", "solar", "太阳能发电", f["generation_solar_kwh"], 1.0),
            ("本地发电量（生物质及垃圾焚烧）", "biomass", "生物质能", f["generation_biomass_kwh"], 1.0),
            ("发电厂用电量", "electricity", "电力", f["station_use_kwh"], None),
            ("净调入电量", "electricity", "电力", e["net_import_kwh"],
             e["net_import_nonfossil_kwh"] / e["net_import_kwh"]),
        ):  # fmt: skip
            rows.append(
                BalanceRow(period, line, code, name, "万千瓦时", kwh / wan, kwh * g,
                           nonfossil_share=nf)
            )  # fmt: skip
        onf = sum(self.other_nf[(a, m)] for a in AREAS for m in ms)
        rows.append(
            BalanceRow(
                period, "非电非化石能源", "other_non_fossil", "其他非化石能源", "吨标准煤", onf, onf
            )
        )
        rows.append(BalanceRow(period, "热力供应量（报告电厂）", "heat", "热力", "百万千焦",
                               f["heat_supplied_gj"], 0.0))  # fmt: skip
        for line, stat in (
            ("能源消费总量（等价值）", "energy_total_tce"),
            ("其中：非化石能源", "energy_nonfossil_tce"),
            ("其中：原料用能", "energy_feedstock_tce"),
            ("其中：能耗单列", "energy_separately_listed_tce"),
            ("新口径能耗", "energy_new_basis_tce"),
            ("煤炭消费量", "energy_coal_tce"),
            ("其中：发电供热用煤", "energy_power_heat_coal_tce"),
        ):
            rows.append(BalanceRow(period, line, "total", "合计", "吨标准煤", f[stat], f[stat]))
        return rows

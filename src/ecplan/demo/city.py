"""The demo city: roster, enterprise reports, statistics and department reports together.

:func:`generate_city` is the entry point. It always simulates the whole calibrated span
(2020-01 to 2025-12) and then keeps the requested months, so a shorter range is exactly a
slice of the default output, and the same seed gives the same numbers whatever range is asked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import ecplan
from ecplan.core.registry import Registry, load_registry
from ecplan.demo import calibration as cal
from ecplan.demo.carriers import BY_CODE, HEAT_TCE_PER_GJ
from ecplan.demo.identity import NameBook
from ecplan.demo.model import (
    AreaRef,
    DemoCity,
    EnergyReport,
    Enterprise,
    GreenPowerMonth,
    Installation,
)
from ecplan.demo.periods import Month, month_range
from ecplan.demo.rng import Stream
from ecplan.demo.roster import (
    CORE,
    GENERIC_AREA_WEIGHTS,
    GENERIC_BUDGET_TCE,
    GENERIC_MIN_TCE,
    SECTORS,
    ZONE_OF_AREA,
    ZONE_SECTORS,
    Boiler,
    DataCentre,
    EnterpriseSpec,
    GeneratingUnit,
    ProductUnit,
)
from ecplan.demo.simulate import (
    TCE_PER_KWH,
    SimEnterprise,
    parse_date,
    plant_months,
    resolve_heat,
    simulate_enterprise,
)

DEFAULT_SEED: Final = 2025
SPAN_START: Final = Month(cal.FIRST_YEAR, 1)
SPAN_END: Final = Month(cal.LAST_YEAR, 12)
MIN_ENTERPRISES: Final = len(CORE) + 5
MAX_ENTERPRISES: Final = 200
REGISTRY_PATH: Final = (
    Path(ecplan.__file__).resolve().parent / "plans" / "data" / "yangzhou" / "organisations.yaml"
)
#: Shares of the generic enterprises by area (roughly by industrial weight; synthetic).
GENERIC_AREA_SHARES: Final[dict[str, float]] = {
    "321002": 0.13,
    "321003": 0.27,
    "321012": 0.22,
    "321023": 0.11,
    "321081": 0.11,
    "321084": 0.16,
}
#: Reporting precision of each statistical unit (decimal places).
PRECISION: Final[dict[str, int]] = {
    "吨": 2,
    "万立方米": 4,
    "万千瓦时": 4,
    "百万千焦": 1,
    "吨标准煤": 2,
}
#: Days of consumption held in stock at month end, for storable carriers.
STOCK_DAYS: Final[dict[str, float]] = {
    "bituminous_coal": 18.0,
    "cleaned_coal": 15.0,
    "coke": 10.0,
    "diesel": 8.0,
    "gasoline": 6.0,
    "fuel_oil": 12.0,
    "lpg": 6.0,
    "naphtha": 9.0,
    "biomass": 12.0,
}


class DemoDataError(ValueError):
    """A request the demo generator cannot satisfy (message in Chinese)."""


def load_yangzhou_registry() -> Registry:
    return load_registry(REGISTRY_PATH)


def _apportion(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Largest-remainder apportionment of ``total`` items by ``weights`` (deterministic)."""
    s = sum(weights.values())
    raw = {k: total * w / s for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    rest = total - sum(out.values())
    for k in sorted(raw, key=lambda k: (-(raw[k] - out[k]), k))[:rest]:
        out[k] += 1
    return out


def generic_specs(count: int, seed: int) -> list[EnterpriseSpec]:
    """``count`` enterprises from the other industries, sized to the fixed energy budget."""
    stream = Stream(seed, "roster", "generic")
    per_area = _apportion(count, GENERIC_AREA_SHARES)
    specs: list[tuple[str, str, str | None, float]] = []
    for area in sorted(per_area):
        sectors = _apportion(per_area[area], GENERIC_AREA_WEIGHTS[area])
        for sector in sorted(sectors):
            for _ in range(sectors[sector]):
                zone = None
                for z in ZONE_OF_AREA.get(area, ()):
                    if sector in ZONE_SECTORS[z] and stream.chance(0.6):
                        zone = z
                        break
                specs.append((area, sector, zone, stream.factor(0.7)))
    sizes = [w for *_, w in specs]
    budget = GENERIC_BUDGET_TCE
    scaled = [budget * w / sum(sizes) for w in sizes]
    for _ in range(10):
        low = [i for i, v in enumerate(scaled) if v < GENERIC_MIN_TCE]
        if not low:
            break
        fixed = GENERIC_MIN_TCE * len(low)
        rest = [i for i in range(len(scaled)) if i not in low]
        rest_total = sum(sizes[i] for i in rest)
        for i in low:
            scaled[i] = GENERIC_MIN_TCE
        for i in rest:
            scaled[i] = max(GENERIC_MIN_TCE, (budget - fixed) * sizes[i] / rest_total)
    return [
        EnterpriseSpec(f"gen-{i:03d}", sector, area, zone, site_tce=size)
        for i, ((area, sector, zone, _), size) in enumerate(zip(specs, scaled, strict=True))
    ]


def build_sims(seed: int, n_enterprises: int) -> list[SimEnterprise]:
    """The roster as simulation objects, with names and credit codes assigned."""
    if not MIN_ENTERPRISES <= n_enterprises <= MAX_ENTERPRISES:
        raise DemoDataError(
            f"企业数 {n_enterprises} 超出范围：演示城市的重点用能企业数应在 "
            f"{MIN_ENTERPRISES}–{MAX_ENTERPRISES} 家之间（默认 {cal.KEY_ENTERPRISES_DEFAULT} 家）。"
        )
    specs = [*CORE, *generic_specs(n_enterprises - len(CORE), seed)]
    book = NameBook(seed)
    terms = Stream(seed, "roster", "terms")
    sims = []
    for spec in specs:
        sector = SECTORS[spec.sector]
        sim = SimEnterprise(spec, sector, spec.area, spec.zone)
        sim.credit_code = book.credit_code(spec.area)
        sim.name = book.name(spec.term or terms.choice(sector.terms))
        sims.append(sim)
    return sims


#: Plant codes: the enterprise's public plant, and a self-owned plant inside a manufacturer.
PLANT_CODE: Final = "PLANT"
OWN_PLANT_CODE: Final = "ZB"
FUEL_LABELS: Final = {"coal": "煤炭", "gas": "天然气", "waste": "垃圾焚烧"}


def _plants(sim: SimEnterprise, name: str) -> list[Installation]:
    """One plant per group of generating units (public units; self-owned units)."""
    out: list[Installation] = []
    units = [u for u in sim.spec.units if isinstance(u, GeneratingUnit)]
    for own, code in ((False, PLANT_CODE), (True, OWN_PLANT_CODE)):
        group = [u for u in units if u.own_supply == own]
        if not group:
            continue
        fuels = {u.fuel for u in group}
        chp = any(u.heat_weight > 0 or u.own_supply or "热电" in u.kind for u in group)
        dates = [parse_date(u.commissioned) for u in group]
        closes = [parse_date(u.closed) if u.closed else None for u in group]
        closed = max(c for c in closes if c) if all(closes) else None
        running = [u for u in group if parse_date(u.commissioned) <= SPAN_END.last_day]
        label = "自备电厂" if own else ("热电厂" if chp else "电厂")
        out.append(
            Installation(
                code, sim.credit_code, "plant", f"{name} {label}", label, "",
                sum(u.capacity_mw for u in running), "兆瓦", FUEL_LABELS[sorted(fuels)[0]],
                min(dates), closed, "已关停" if closed and closed <= SPAN_END.last_day else "在运",
                plant_type="chp" if chp else "power",
            )
        )  # fmt: skip
    return out


def installation_records(sim: SimEnterprise, name: str) -> list[Installation]:
    """The enterprise's installations; codes are unique inside the enterprise."""
    out: list[Installation] = _plants(sim, name)
    has_plant = any(i.code == PLANT_CODE for i in out)
    for unit in sim.spec.units:
        code = unit.key
        if isinstance(unit, ProductUnit):
            closed = parse_date(unit.closed) if unit.closed else None
            title = (
                "高性能纤维材料项目（能耗单列）"
                if unit.separately_listed
                else f"{unit.product}装置"
            )
            out.append(
                Installation(
                    code, sim.credit_code, "production_unit", f"{name} {title} {unit.key}",
                    unit.product, unit.variant, unit.capacity_t,
                    "吨/年（折百）" if unit.product == "烧碱" else "吨/年", "",
                    parse_date(unit.commissioned), closed,
                    "已关停" if closed and closed <= SPAN_END.last_day else "在运",
                    separately_listed=unit.separately_listed,
                    notes="能耗单列的国家重大项目（演示设定）" if unit.separately_listed else "",
                )
            )  # fmt: skip
        elif isinstance(unit, DataCentre):
            status = {"new": "新建", "expanded": "改扩建", "existing": "存量"}[unit.status]
            notes = []
            if unit.expanded:
                notes.append(f"扩建投运 {unit.expanded}，新增IT负荷 {unit.expansion_kw:g} kW")
            if not unit.green_standard:
                notes.append("未按国家绿色数据中心标准设计建设（演示设定）")
            out.append(
                Installation(
                    code, sim.credit_code, "data_centre", f"{name} 数据中心 {unit.key}",
                    "数据中心", status, unit.it_kw + unit.expansion_kw, "千瓦（IT负荷）", "",
                    parse_date(unit.commissioned), None, unit.status, notes="；".join(notes),
                )
            )  # fmt: skip
        elif isinstance(unit, GeneratingUnit):
            commissioned = parse_date(unit.commissioned)
            closed = parse_date(unit.closed) if unit.closed else None
            if commissioned > SPAN_END.last_day:
                status = "在建"
            elif closed and closed <= SPAN_END.last_day:
                status = "已关停"
            else:
                status = "在运"
            out.append(
                Installation(
                    code, sim.credit_code, "generating_unit", f"{name} {unit.key}号机组",
                    unit.kind, "自备" if unit.own_supply else "公用", unit.capacity_mw, "兆瓦",
                    FUEL_LABELS[unit.fuel], commissioned, closed, status,
                    parent=OWN_PLANT_CODE if unit.own_supply else PLANT_CODE,
                )
            )  # fmt: skip
        elif isinstance(unit, Boiler):
            closed = parse_date(unit.closed) if unit.closed else None
            done = parse_date(unit.retrofit_completed) if unit.retrofit_completed else None
            if closed and closed <= SPAN_END.last_day:
                status = "已关停"
            elif done and done <= SPAN_END.last_day:
                status = "已改造"
            else:
                status = "未改造"
            out.append(
                Installation(
                    code, sim.credit_code, "coal_boiler", f"{name} {unit.key}号燃煤锅炉",
                    "燃煤锅炉", "", unit.capacity_tph, "蒸吨/小时", "煤炭",
                    parse_date(unit.commissioned), closed, status, retrofit_completed=done,
                    parent=PLANT_CODE if has_plant else "",
                )
            )  # fmt: skip
    return out


def _round(value: float, unit: str) -> float:
    return round(value, PRECISION.get(unit, 2))


def energy_reports(
    sim: SimEnterprise, seed: int
) -> tuple[list[EnergyReport], list[GreenPowerMonth]]:
    """The enterprise's monthly reports (physical units, with stocks) and green-power rows."""
    stream = Stream(seed, "stocks", sim.spec.key)
    reports: list[EnergyReport] = []
    green: list[GreenPowerMonth] = []
    stock: dict[str, float] = {}
    for month in sorted(sim.ledgers):
        ledger = sim.ledgers[month]
        per_day = 1.0 / month.days
        carriers = sorted(set(ledger.fuel) | set(ledger.feedstock) | set(ledger.power))
        for code in carriers:
            c = BY_CODE[code]
            fuel = ledger.fuel.get(code, 0.0) / c.tce_per_unit
            fs = ledger.feedstock.get(code, 0.0) / c.tce_per_unit
            pw = ledger.power.get(code, 0.0) / c.tce_per_unit
            if fuel + fs + pw <= 0:
                continue
            fuel, fs, pw = (_round(x, c.unit) for x in (fuel, fs, pw))
            consumed = fuel + fs + pw
            closing: float | None = None
            purchased = consumed
            if code in STOCK_DAYS:
                days = STOCK_DAYS[code]
                opening = stock.get(code, consumed * per_day * days)
                closing = _round(consumed * per_day * days * stream.factor(0.15), c.unit)
                purchased = consumed + closing - opening
                if purchased < 0:
                    closing = _round(opening - consumed, c.unit)
                    purchased = 0.0
                stock[code] = closing
            reports.append(
                EnergyReport(
                    sim.credit_code, str(month), code, c.name_zh, c.unit,
                    _round(purchased, c.unit), fuel, fs, pw, closing,
                )
            )  # fmt: skip
        grid_kwh = max(0.0, ledger.elec_kwh - ledger.pv_kwh - ledger.own_supply_kwh)
        if grid_kwh > 0:
            q = _round(grid_kwh / 1e4, "万千瓦时")
            reports.append(
                EnergyReport(
                    sim.credit_code,
                    str(month),
                    "electricity",
                    "电力",
                    "万千瓦时",
                    q,
                    q,
                    0.0,
                    0.0,
                    None,
                )
            )
        if ledger.pv_kwh > 0:
            q = _round(ledger.pv_kwh / 1e4, "万千瓦时")
            reports.append(
                EnergyReport(
                    sim.credit_code,
                    str(month),
                    "solar",
                    "太阳能发电",
                    "万千瓦时",
                    0.0,
                    q,
                    0.0,
                    0.0,
                    None,
                )
            )
        if not ledger.own_heat:
            if ledger.heat_gj > 0:
                q = _round(ledger.heat_gj, "百万千焦")
                reports.append(
                    EnergyReport(
                        sim.credit_code,
                        str(month),
                        "heat",
                        "热力",
                        "百万千焦",
                        q,
                        q,
                        0.0,
                        0.0,
                        None,
                    )
                )
            if ledger.steam_gj > 0:
                q = _round(ledger.steam_gj * HEAT_TCE_PER_GJ / BY_CODE["steam"].tce_per_unit, "吨")
                reports.append(
                    EnergyReport(
                        sim.credit_code, str(month), "steam", "蒸汽", "吨", q, q, 0.0, 0.0, None
                    )
                )
        share = sim.spec.green_share.get(month.year, 0.0)
        certs = sim.spec.certificates.get(month.year, 0)
        if ledger.pv_kwh > 0 or ledger.own_supply_kwh > 0 or share > 0 or certs > 0:
            green.append(
                GreenPowerMonth(
                    sim.credit_code, str(month), round(ledger.pv_kwh + ledger.own_supply_kwh, 0),
                    round(ledger.pv_kwh, 0),
                    round(grid_kwh * share * stream.factor(0.05), 0), round(certs / 12),
                )
            )  # fmt: skip
    return reports, green


def comprehensive_tce(sim: SimEnterprise, months: list[Month]) -> float:
    """Comprehensive energy consumption (GB/T 2589, calorific basis) over ``months``:
    energy consumed minus electricity and heat delivered to others."""
    total = 0.0
    for month in months:
        ledger = sim.ledgers.get(month)
        if ledger is None:
            continue
        fuels = (
            sum(ledger.fuel.values()) + sum(ledger.feedstock.values()) + sum(ledger.power.values())
        )
        grid = max(0.0, ledger.elec_kwh - ledger.pv_kwh - ledger.own_supply_kwh)
        heat = 0.0 if ledger.own_heat else (ledger.heat_gj + ledger.steam_gj) * HEAT_TCE_PER_GJ
        total += fuels + (grid + ledger.pv_kwh) * TCE_PER_KWH + heat
        total -= ledger.exported_kwh * TCE_PER_KWH + ledger.exported_heat_gj * HEAT_TCE_PER_GJ
    return total


def enterprise_record(sim: SimEnterprise, name: str) -> Enterprise:
    months = sorted(sim.ledgers)
    last12 = months[-12:]
    annual = comprehensive_tce(sim, last12) * 12.0 / max(1, len(last12))
    cls = "over_10k" if annual >= cal.KEY_UNIT_UPPER_CLASS_TCE.value else "5k_to_10k"
    code, label = sim.sector.industry
    return Enterprise(
        credit_code=sim.credit_code,
        name=name,
        industry_code=code,
        industry_name=label,
        sector=sim.sector.key,
        sector_label=sim.sector.label,
        area_code=sim.area,
        zone_code=sim.zone,
        key_unit_class=cls,  # type: ignore[arg-type]  # literal from the comparison above
        budget_managed=sim.sector.budget_managed,
        energy_2024_tce=comprehensive_tce(sim, [m for m in months if m.year == 2024]),
    )


def area_refs(registry: Registry) -> list[AreaRef]:
    return [AreaRef(a.code, a.name, a.kind, a.parent) for a in registry.areas]


def generate_city(
    *,
    seed: int = DEFAULT_SEED,
    enterprises: int = cal.KEY_ENTERPRISES_DEFAULT,
    start: Month = SPAN_START,
    end: Month = SPAN_END,
) -> DemoCity:
    """Generate the demo city (扬州市, 演示数据).

    Parameters
    ----------
    seed : int
        Seed of every random stream; the same seed gives byte-identical files.
    enterprises : int
        Number of key enterprises (the fixed core plus generic ones).
    start, end : Month
        Months to keep, inside the calibrated span 2020-01 … 2025-12.
    """
    if start < SPAN_START or end > SPAN_END:
        raise DemoDataError(
            f"演示数据只覆盖 {SPAN_START} 至 {SPAN_END}（按2020—2025年公开数据校准），"
            f"请求的区间 {start} 至 {end} 超出范围。"
        )
    if end < start:
        raise DemoDataError(f"结束月份 {end} 早于开始月份 {start}。")
    from ecplan.demo.reports import department_reports
    from ecplan.demo.statistics import CityAccounts

    registry = load_yangzhou_registry()
    months = month_range(SPAN_START, SPAN_END)
    sims = build_sims(seed, enterprises)
    for sim in sims:
        simulate_enterprise(sim, months, seed)
    resolve_heat(sims, months, seed)
    city = DemoCity(
        seed=seed,
        start=str(start),
        end=str(end),
        region_code=registry.region.code,
        region_name=registry.region.name,
        areas=area_refs(registry),
    )
    for sim in sims:
        name = sim.name
        city.enterprises.append(enterprise_record(sim, name))
        city.installations.extend(installation_records(sim, name))
        reports, green = energy_reports(sim, seed)
        city.energy_reports.extend(reports)
        city.green_power.extend(green)
        city.production.extend(sim.production)
        city.data_centres.extend(sim.data_centres)
        city.plants.extend(plant_months(sim))
    accounts = CityAccounts(sims, registry, seed)
    city.statistics.extend(accounts.statistics())
    city.balance.extend(accounts.balance())
    city.area_carriers.extend(accounts.carrier_rows())
    department_reports(city, sims, accounts, seed)
    return _slice(city, start, end)


def _in(period: str, start: Month, end: Month) -> bool:
    """Whether a period (YYYY, YYYY-Qn or YYYY-MM) lies wholly inside [start, end]."""
    if len(period) == 4:
        y = int(period)
        return Month(y, 1) >= start and Month(y, 12) <= end
    if period[5] == "Q":
        y, q = int(period[:4]), int(period[6])
        return Month(y, 3 * q - 2) >= start and Month(y, 3 * q) <= end
    m = Month.parse(period)
    return start <= m <= end


def _slice(city: DemoCity, start: Month, end: Month) -> DemoCity:
    if start == SPAN_START and end == SPAN_END:
        return city

    def keep(period: str) -> bool:
        return _in(period, start, end)

    city.energy_reports = [r for r in city.energy_reports if keep(r.period)]
    city.production = [r for r in city.production if keep(r.period)]
    city.data_centres = [r for r in city.data_centres if keep(r.period)]
    city.plants = [r for r in city.plants if keep(r.period)]
    city.green_power = [r for r in city.green_power if keep(r.period)]
    city.statistics = [r for r in city.statistics if keep(r.period)]
    city.balance = [r for r in city.balance if keep(r.period)]
    city.area_carriers = [r for r in city.area_carriers if keep(r.period)]
    city.indicators = [r for r in city.indicators if keep(r.period)]
    city.statuses = [r for r in city.statuses if keep(r.period)]
    city.retrofits = [r for r in city.retrofits if keep(r.completed)]
    active = {r.credit_code for r in city.energy_reports}
    city.enterprises = [e for e in city.enterprises if e.credit_code in active]
    city.installations = [i for i in city.installations if i.credit_code in active]
    return city

"""Statistics are consistent with, but not the sum of, the enterprise reports."""

from __future__ import annotations

from collections import defaultdict

import pytest

from ecplan.demo import calibration as cal
from ecplan.demo.carriers import BY_CODE, HEAT_TCE_PER_GJ
from ecplan.demo.model import DemoCity
from ecplan.demo.periods import Month, spring_festival_days
from ecplan.demo.statistics import AREAS, CITY

KEYS = (
    "energy_total_tce",
    "energy_nonfossil_tce",
    "energy_feedstock_tce",
    "energy_separately_listed_tce",
)


def _stats(city: DemoCity) -> dict[tuple[str, str, str], float]:
    return {(s.area_code, s.period, s.indicator): s.value for s in city.statistics}


def test_areas_add_up_to_the_city_every_month(city: DemoCity) -> None:
    st = _stats(city)
    months = sorted(
        {s.period for s in city.statistics if len(s.period) == 7 and s.period[5] != "Q"}
    )
    assert len(months) == 72
    for m in months:
        for key in (*KEYS, "energy_coal_tce", "electricity_consumption_kwh"):
            total = sum(st[(a, m, key)] for a in AREAS)
            assert total == pytest.approx(st[(CITY, m, key)], rel=1e-9), (m, key)


def test_new_basis_is_total_minus_the_three_deductions_and_stays_positive(city: DemoCity) -> None:
    st = _stats(city)
    for (area, period, key), total in st.items():
        if key != "energy_total_tce":
            continue
        nf, fs, dl = (st[(area, period, k)] for k in KEYS[1:])
        assert 0 <= nf < total
        assert 0 <= fs < total
        assert 0 <= dl < total
        assert total - nf - fs - dl > 0.3 * total


def test_enterprises_are_a_subset_of_the_city_by_carrier(city: DemoCity) -> None:
    consumed: dict[tuple[str, str], float] = defaultdict(float)
    rows: dict[tuple[str, str], int] = defaultdict(int)
    for r in city.energy_reports:
        if BY_CODE[r.carrier].energy_class in ("fossil", "other"):
            consumed[(r.period[:4], r.carrier_name)] += r.consumed
            rows[(r.period[:4], r.carrier_name)] += 3
    balance = {(b.period, b.carrier_name): b.quantity for b in city.balance if b.line == "消费量"}
    for (year, carrier), qty in consumed.items():
        # reports are rounded (0.01 t, 0.0001 万 per figure); the balance adds unrounded amounts
        assert qty <= balance[(year, carrier)] + 0.005 * rows[(year, carrier)], (year, carrier)
    # reporting enterprises are a large part of coal, but not all of it
    for year in map(str, cal.YEARS):
        ratio = consumed[(year, "烟煤")] / balance[(year, "烟煤")]
        assert 0.6 < ratio < 0.97


def test_enterprise_totals_fit_inside_their_areas(city: DemoCity) -> None:
    st = _stats(city)
    area_of = {e.credit_code: e.area_code for e in city.enterprises}
    coal: dict[tuple[str, str], float] = defaultdict(float)
    power_coal: dict[tuple[str, str], float] = defaultdict(float)
    elec: dict[tuple[str, str], float] = defaultdict(float)
    for r in city.energy_reports:
        key = (area_of[r.credit_code], r.period[:4])
        tce = BY_CODE[r.carrier].tce_per_unit
        if BY_CODE[r.carrier].category == "coal":
            coal[key] += r.consumed * tce
            power_coal[key] += r.power_generation * tce
        if r.carrier == "electricity":
            elec[key] += r.consumed * 1e4
    for (area, year), value in coal.items():
        assert value <= st[(area, year, "energy_coal_tce")] * (1 + 1e-6), (area, year)
        assert power_coal[(area, year)] <= st[(area, year, "energy_power_heat_coal_tce")] * (
            1 + 1e-6
        )
        assert elec[(area, year)] < st[(area, year, "electricity_consumption_kwh")]


def test_power_plant_coal_is_counted_once(city: DemoCity) -> None:
    """Plant coal appears as the plant's coal (发电供热) and in the city's power coal; the
    electricity the plants deliver is not counted again in the city total."""
    st = _stats(city)
    for year in map(str, cal.YEARS):
        plants = sum(
            p.fuel_tce for p in city.plants if p.fuel == "煤炭" and p.period.startswith(year)
        )
        city_power = st[(CITY, year, "energy_power_heat_coal_tce")]
        assert plants <= city_power < plants * 1.05
        supplied = sum(p.supplied_kwh for p in city.plants if p.period.startswith(year))
        # the total is fossil fuel + net electricity inflow, so it stays below fuel + all use
        fossil_plus_all_electricity = st[(CITY, year, "energy_total_tce")] + supplied * cal_g(
            int(year)
        )
        assert st[(CITY, year, "energy_total_tce")] < fossil_plus_all_electricity


def cal_g(year: int) -> float:
    from ecplan.demo.carriers import EQUIVALENT_KGCE_PER_KWH

    return EQUIVALENT_KGCE_PER_KWH[year] / 1000


def test_heat_bought_by_enterprises_comes_from_the_areas_plants(city: DemoCity) -> None:
    area_of = {e.credit_code: e.area_code for e in city.enterprises}
    bought: dict[tuple[str, str], float] = defaultdict(float)
    supplied: dict[tuple[str, str], float] = defaultdict(float)
    for r in city.energy_reports:
        if r.carrier in ("heat", "steam"):
            bought[(area_of[r.credit_code], r.period)] += (
                r.consumed * BY_CODE[r.carrier].tce_per_unit / HEAT_TCE_PER_GJ
            )
    own = {(i.credit_code, i.code) for i in city.installations if i.variant == "自备"}
    for p in city.plants:
        if (p.credit_code, p.installation) not in own:
            supplied[(area_of[p.credit_code], p.period)] += p.heat_supplied_gj
    checked = 0
    for key, gj in bought.items():
        if supplied.get(key):
            assert gj <= supplied[key], key
            checked += 1
    assert checked > 200


def test_separately_listed_energy_only_after_the_project_starts(city: DemoCity) -> None:
    st = _stats(city)
    assert st[(CITY, "2024", "energy_separately_listed_tce")] == 0
    assert 300_000 < st[(CITY, "2025", "energy_separately_listed_tce")] < 600_000
    assert (
        st[("321081", "2025", "energy_separately_listed_tce")]
        == st[(CITY, "2025", "energy_separately_listed_tce")]
    )


def test_seasonality_spring_festival_and_summer_peak(city: DemoCity) -> None:
    st = _stats(city)
    for year in (2021, 2022, 2023, 2024, 2025):
        sf = max((Month(year, 1), Month(year, 2)), key=spring_festival_days)
        per_day = st[(CITY, str(sf), "energy_total_tce")] / sf.days
        march = st[(CITY, f"{year}-03", "energy_total_tce")] / 31
        assert per_day < march  # the Spring Festival month is slower
        aug = st[(CITY, f"{year}-08", "electricity_consumption_kwh")]
        apr = st[(CITY, f"{year}-04", "electricity_consumption_kwh")]
        assert aug / 31 > 1.1 * apr / 30  # summer cooling
    gen = [p for p in city.plants if p.fuel == "煤炭"]
    by_month = defaultdict(float)
    for p in gen:
        if p.period.startswith("2023"):
            by_month[p.period[5:]] += p.generation_kwh
    assert by_month["08"] > by_month["04"]


def test_reports_balance_stocks_and_are_never_negative(city: DemoCity) -> None:
    previous: dict[tuple[str, str], float] = {}
    checked = 0
    for r in city.energy_reports:  # ordered by enterprise, then month
        assert min(r.purchased, r.fuel, r.feedstock, r.power_generation) >= 0, r
        assert r.consumed > 0, r
        if r.closing_stock is None:
            bought = 0.0 if r.carrier == "solar" else r.consumed  # own rooftop PV is not bought
            assert r.purchased == pytest.approx(bought, abs=1e-6), r
            continue
        assert r.closing_stock >= 0, r
        key = (r.credit_code, r.carrier)
        if key in previous:
            # opening + purchased − consumed = closing (to the reporting precision)
            assert previous[key] + r.purchased - r.consumed == pytest.approx(
                r.closing_stock, abs=0.02
            )
            checked += 1
        previous[key] = r.closing_stock
    assert checked > 5000


def test_area_carrier_tables_add_up_and_contain_the_enterprises(city: DemoCity) -> None:
    table: dict[tuple[str, str, str], float] = defaultdict(float)
    for r in city.area_carriers:
        table[(r.area_code, r.period[:4], r.carrier)] += r.consumption
        assert r.feedstock + r.power_input + r.heat_input <= r.consumption * (1 + 1e-9)
    for (area, year, carrier), value in table.items():
        if area == CITY:
            parts = sum(table.get((a, year, carrier), 0.0) for a in AREAS)
            assert parts == pytest.approx(value, rel=1e-9, abs=1e-6)
    area_of = {e.credit_code: e.area_code for e in city.enterprises}
    reported: dict[tuple[str, str, str], float] = defaultdict(float)
    for r in city.energy_reports:
        if BY_CODE[r.carrier].energy_class in ("fossil", "other"):
            reported[(area_of[r.credit_code], r.period[:4], r.carrier)] += r.consumed
    for key, qty in reported.items():
        assert qty <= table[key] + 0.05 * 36, key  # rounding of the reports
    coal = [
        r for r in city.area_carriers if r.carrier == "bituminous_coal" and r.period == "2025-07"
    ]
    assert sum(r.heat_input for r in coal if r.area_code == "321081") > 0  # CHP heat in 仪征

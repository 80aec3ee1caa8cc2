"""Regional figures from the statistics: energy on the old and new basis, CO2, GDP growth,
year-to-date intensity changes and their chain back to the base year.

All arithmetic goes through the accounting core (``to_tce_result``, ``fuel_co2_result``,
``electricity_co2_result``, ``intensity_change_result``); this module picks the statistics
lines, records them as trail inputs with their source rows and says what is missing.

Definitions (``docs/indicators.md`` §2):

* energy on the **old basis**: 能源消费总量 (等价值) as the statistics bureau publishes it;
* energy on the **new basis**: 能源消费总量 − 非化石能源消费量 − 原料用能 − 能耗单列项目能耗,
  the same deductions in every period compared (发改环资〔2022〕803号, 〔2024〕113号); feedstock
  reported by carrier in physical units is converted with the core's coefficients;
* **CO2** (energy-related): Σ fossil fuels consumed (less the part used as feedstock) × their
  emission factors — power and heat plants' fuel included, so the region's own generation is
  counted where it is burned — plus net imported electricity × the provincial grid factor of the
  year (a net export is deducted at the same factor); heat is produced locally and not counted
  again; non-fossil energy has no fossil CO2;
* **year-to-date intensity change**: ``ΔI = (X_t ÷ X_{t−1}) ÷ (1 + g_GDP) − 1`` with X the
  new-basis energy (or CO2) of January to the period's end month in both years and g_GDP the
  real growth from the GDP index (上年同期 = 100; for a year, 上年 = 100);
* **cumulative change since the base year**: ``Π(1 + ΔI_y) − 1`` over the completed years,
  times the current year-to-date change — the chained method of the statistics bureaus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecplan.core import (
    AccountingError,
    electricity_co2_result,
    fuel_co2_result,
    get_carrier,
    intensity_change_result,
    to_tce_result,
)
from ecplan.core.carriers import EnergyClass
from ecplan.core.evaluation import FactorSetRef, Trail
from ecplan.monitoring.data import DataContext, StatSet, StatValue
from ecplan.monitoring.display import num, pct, wan
from ecplan.monitoring.trails import Converted, Missing, TrailBuilder, converted
from ecplan.organisations.models import Area

__all__ = [
    "Change",
    "co2_t",
    "cumulative_change",
    "energy_new_basis",
    "gdp_growth",
    "period_label",
    "tce_of",
    "ytd_change",
]

REF_803 = "发改环资〔2022〕803号（原料用能在基期和当期同时扣除，GDP不调整）[V]"
REF_113 = "发改环资〔2024〕113号（非化石能源不纳入能源消耗总量和强度调控）[V]"
REF_SEPARATE = "完善能源消费强度和总量双控制度方案（2021，能耗单列）[V]"
REF_CHAIN = "青海省统计局 统计方法说明：单位GDP能耗降低率的链式计算 [V]；policy-mechanics §1.5 [S]"


def period_label(year: int, months: int) -> str:
    if months == 12:
        return f"{year}年"
    return f"{year}年1—{months}月"


def _memo_convert(ctx: DataContext, key: tuple[Any, ...], compute: Any) -> Converted:
    """A conversion by the core, computed once per data context (a statistics line is used by
    several periods' changes, the chains and the annual figures)."""
    cached = ctx.memo.get(key)
    if cached is None:
        try:
            cached = compute()
        except AccountingError as exc:
            cached = exc
        ctx.memo[key] = cached
    if isinstance(cached, AccountingError):
        raise cached
    return cached  # type: ignore[no-any-return]  # a Converted stored above


def tce_of(
    tb: TrailBuilder,
    ctx: DataContext,
    sv: StatValue,
    name: str,
    label: str,
    *,
    year: int,
    basis: str = "equivalent",
) -> float:
    """A carrier line of the statistics in tce (the core's coefficient, recorded)."""
    if sv.unit == "tce":
        return tb.stat(name, label, sv)
    try:
        conv = _memo_convert(
            ctx,
            ("tce", sv.line_id, basis, year),
            lambda: converted(
                to_tce_result(
                    sv.value, sv.unit, sv.breakdown, basis=basis, year=year, factor_set=ctx.library
                ),
                sv.value,
                sv.unit,
            ),
        )
    except AccountingError as exc:
        raise Missing(f"{label}无法折算标准煤：{exc}") from exc
    return tb.converted_input(name, label, conv, result_unit="tce", refs=(sv.ref(label),))


def _carrier_label(code: str) -> str:
    try:
        return get_carrier(code).name_zh
    except AccountingError:
        return code


def energy_new_basis(
    tb: TrailBuilder, ctx: DataContext, s: StatSet, prefix: str, *, old_basis: bool = False
) -> float:
    """New-basis energy of a statistics period (or the old basis with ``old_basis``) [tce]."""
    label = f"{s.area_name}{period_label(s.period.year, s.months)}"
    total_line = s.get("energy_total_tce")
    if total_line is None:
        raise Missing(f"{label}统计数据缺少“能源消费总量”")
    total = tb.stat(f"{prefix}.energy_total_tce", f"{label}能源消费总量（等价值）", total_line)
    if old_basis:
        return total
    nf_line = s.get("nonfossil_energy_tce")
    if nf_line is None:
        raise Missing(f"{label}统计数据缺少“非化石能源消费量”，无法按新口径扣除")
    nonfossil = tb.stat(f"{prefix}.nonfossil_tce", f"{label}非化石能源消费量", nf_line)
    feedstock = 0.0
    feed_lines = s.all("feedstock")
    for sv in feed_lines:
        feedstock += tce_of(
            tb,
            ctx,
            sv,
            f"{prefix}.feedstock_tce[{sv.breakdown}]",
            f"{label}原料用能（{_carrier_label(sv.breakdown)}）",
            year=s.period.year,
        )
    if not feed_lines:
        tb.note(f"{label}统计数据未填报原料用能，按 0 扣除")
    separate = 0.0
    for sv in s.all("separately_listed_tce"):
        separate += tb.stat(
            f"{prefix}.separately_listed_tce[{sv.subject}]",
            f"{label}能耗单列项目：{sv.subject or '（未写项目名称）'}",
            sv,
        )
    value = total - nonfossil - feedstock - separate
    tb.step(
        f"{label}新口径能耗",
        f"{wan(total)} − {wan(nonfossil)} − {wan(feedstock)} − {wan(separate)}",
        value,
        "tce",
    )
    if value <= 0:
        raise Missing(f"{label}新口径能耗不为正（{wan(value)}），请核对统计数据")
    return value


def co2_t(tb: TrailBuilder, ctx: DataContext, s: StatSet, prefix: str) -> float:
    """Energy-related CO2 of a statistics period [tCO2] (see the module docstring)."""
    label = f"{s.area_name}{period_label(s.period.year, s.months)}"
    year = s.period.year
    consumed = list(s.all("energy_consumption"))
    if not consumed:
        raise Missing(f"{label}统计数据缺少分品种能源消费量，无法核算二氧化碳排放")
    feedstock = {sv.breakdown: sv for sv in s.all("feedstock")}
    total = 0.0
    problems: list[str] = []
    for sv in consumed:
        try:
            carrier = get_carrier(sv.breakdown)
        except AccountingError:
            problems.append(f"未知品种 {sv.breakdown}")
            continue
        if carrier.energy_class != EnergyClass.FOSSIL:
            continue
        quantity = sv.value
        feed = feedstock.get(sv.breakdown)
        if feed is not None and feed.unit == sv.unit:
            quantity -= feed.value
        if quantity <= 0:
            continue
        refs = [sv.ref(f"{carrier.name_zh}消费量")]
        if feed is not None:
            refs.append(feed.ref(f"{carrier.name_zh}原料用能（不燃烧，扣除）"))
        try:
            conv = _memo_convert(
                ctx,
                ("co2", sv.line_id, feed.line_id if feed is not None else None),
                lambda q=quantity, line=sv: converted(
                    fuel_co2_result(q, line.unit, line.breakdown, factor_set=ctx.library),
                    q,
                    line.unit,
                ),
            )
        except AccountingError as exc:
            problems.append(f"{carrier.name_zh}：{exc}")
            continue
        total += tb.converted_input(
            f"{prefix}.co2[{sv.breakdown}]",
            f"{label}{carrier.name_zh}燃烧排放",
            conv,
            result_unit="tCO2",
            refs=refs,
        )
    if problems:
        raise Missing(f"{label}部分品种无法核算二氧化碳排放：" + "；".join(problems))
    net = s.get("net_imported_electricity")
    if net is None:
        elec = s.get("energy_consumption", "electricity")
        gen = s.all("generation")
        if elec is None or not gen:
            raise Missing(
                f"{label}统计数据缺少“净调入电力”（也无法由全社会用电量减本地发电量推得），"
                "无法核算调入电力的排放"
            )
        kwh = tb.stat(f"{prefix}.electricity_kwh", f"{label}电力消费量", elec)
        local = 0.0
        for g in gen:
            local += tb.stat(
                f"{prefix}.generation[{g.breakdown}]", f"{label}本地发电量（{g.breakdown}）", g
            )
        net_kwh = kwh - local
        tb.step(f"{label}净调入电量（推算）", f"{num(kwh)} − {num(local)}", net_kwh, "kWh")
        tb.note(f"{label}净调入电量由电力消费量减本地发电量推算（未扣厂用电和线损，平台读法）")
    else:
        net_kwh = tb.stat(f"{prefix}.net_imported_kwh", f"{label}净调入电力", net)
    if net_kwh != 0:
        try:
            grid = _memo_convert(
                ctx,
                ("electricity_co2", year, abs(net_kwh)),
                lambda: converted(
                    electricity_co2_result(abs(net_kwh), year=year, factor_set=ctx.library),
                    abs(net_kwh),
                    "kWh",
                ),
            )
        except AccountingError as exc:
            raise Missing(f"{label}调入电力排放无法核算：{exc}") from exc
        sign = 1.0 if net_kwh > 0 else -1.0
        co2 = tb.converted_input(
            f"{prefix}.co2[net_imported_electricity]",
            f"{label}净调入电力排放" + ("" if sign > 0 else "（净调出，扣减）"),
            grid,
            result_unit="tCO2",
        )
        total += sign * co2
    tb.step(f"{label}二氧化碳排放", "化石燃料燃烧排放之和 + 净调入电力排放", total, "tCO2")
    if total <= 0:
        raise Missing(f"{label}二氧化碳排放不为正，请核对统计数据")
    return total


def gdp_growth(tb: TrailBuilder, s: StatSet, prefix: str) -> float:
    """Real GDP growth of the period from the volume index (fraction)."""
    label = f"{s.area_name}{period_label(s.period.year, s.months)}"
    if s.months == 12:
        sv = s.get("gdp_index_previous_year") or s.get("gdp_index_same_period")
    else:
        sv = s.get("gdp_index_same_period")
    if sv is None:
        which = "上年=100" if s.months == 12 else "上年同期=100"
        raise Missing(f"{label}统计数据缺少地区生产总值指数（{which}）")
    index = tb.stat(f"{prefix}.gdp_index", f"{label}地区生产总值指数", sv)
    growth = index / 100.0 - 1.0
    tb.step(f"{label}GDP实际增速", f"{num(index)} ÷ 100 − 1", growth, "%")
    return growth


@dataclass(frozen=True)
class Change:
    """A year-to-date or cumulative change with its trail."""

    value: float
    year: int
    months: int
    trail: Trail
    preview: bool
    uncertain: bool
    factor_sets: tuple[FactorSetRef, ...] = ()
    quantity_current: float | None = None
    quantity_previous: float | None = None
    growth: float | None = None
    gdp_growth: float | None = None
    yearly: tuple[tuple[int, int, float], ...] = field(default_factory=tuple)


_WHAT = {
    "energy": ("单位GDP能耗（新口径）", "新口径能耗", "E"),
    "energy_old": ("单位GDP能耗（旧口径：能源消费总量）", "能源消费总量", "E"),
    "co2": ("单位GDP二氧化碳排放", "二氧化碳排放", "C"),
}


def _quantity(tb: TrailBuilder, ctx: DataContext, s: StatSet, prefix: str, measure: str) -> float:
    if measure == "co2":
        return co2_t(tb, ctx, s, prefix)
    return energy_new_basis(tb, ctx, s, prefix, old_basis=measure == "energy_old")


def ytd_change(
    ctx: DataContext, area: Area, year: int, months: int, *, measure: str = "energy"
) -> Change:
    """Year-on-year change of intensity for January–``months`` of ``year``.

    Memoised per data context (a change is used by the 晴雨表, the chains of the binding
    targets and the plan's targets; the result and its trail are immutable).

    Raises
    ------
    Missing
        When a statistic needed is not there (the reason names it).
    """
    key = ("ytd_change", area.pk, year, months, measure)
    cached = ctx.memo.get(key)
    if cached is None:
        try:
            cached = _ytd_change(ctx, area, year, months, measure)
        except Missing as exc:
            cached = exc
        ctx.memo[key] = cached
    if isinstance(cached, Missing):
        raise Missing(cached.reason, cached.trail)
    return cached


def _ytd_change(ctx: DataContext, area: Area, year: int, months: int, measure: str) -> Change:
    title, qlabel, sym = _WHAT[measure]
    label = period_label(year, months)
    cur = ctx.stat(area.pk, year, months)
    prev = ctx.stat(area.pk, year - 1, months)
    if cur is None:
        raise Missing(f"{area.name}没有{label}的统计数据")
    if prev is None:
        raise Missing(f"{area.name}没有上年同期（{period_label(year - 1, months)}）的统计数据")
    tb = TrailBuilder(
        f"{area.name}{label}{title}同比变化率",
        f"ΔI = ({sym}_t ÷ {sym}_t−1) ÷ (1 + g_GDP) − 1；{qlabel}两期同口径，GDP按可比价（指数）计算",
        references=(REF_803, REF_113, REF_SEPARATE, REF_CHAIN)
        if measure == "energy"
        else (REF_CHAIN,),
    )
    q1 = _quantity(tb, ctx, cur, "current", measure)
    q0 = _quantity(tb, ctx, prev, "previous", measure)
    growth = q1 / q0 - 1.0
    tb.step(f"{qlabel}增速", f"{num(q1)} ÷ {num(q0)} − 1", growth, "%")
    g = gdp_growth(tb, cur, "current")
    calc = intensity_change_result(growth, g)
    tb.calculation(calc, attach=False)  # the step below writes the same arithmetic out
    tb.step("强度变化率", f"(1 + {pct(growth)}) ÷ (1 + {pct(g)}) − 1", calc.value, "%")
    return Change(
        value=float(calc.value),
        year=year,
        months=months,
        trail=tb.build(),
        preview=tb.preview,
        uncertain=tb.uncertain,
        factor_sets=tuple(tb.factor_sets),
        quantity_current=q1,
        quantity_previous=q0,
        growth=growth,
        gdp_growth=g,
    )


def cumulative_change(
    ctx: DataContext,
    area: Area,
    base_year: int,
    year: int,
    months: int,
    *,
    measure: str = "energy",
) -> Change:
    """Change of intensity from ``base_year`` to January–``months`` of ``year``, chained.

    ``Π(1 + ΔI_y) − 1`` over the years after the base year up to ``year − 1`` (annual
    changes), times the year-to-date change of ``year``.
    """
    title, _, _ = _WHAT[measure]
    if year <= base_year:
        raise Missing(f"{period_label(year, months)}不晚于基期{base_year}年，无变化率可算")
    tb = TrailBuilder(
        f"{area.name}{title}较{base_year}年变化率（截至{period_label(year, months)}）",
        "R = Π(1 + ΔI_y) − 1：基期后各完整年度的同比变化率与当年累计同比变化率连乘",
        references=(REF_CHAIN,),
    )
    factor = 1.0
    yearly: list[tuple[int, int, float]] = []
    expression: list[str] = []
    for y in range(base_year + 1, year + 1):
        m = 12 if y < year else months
        change = ytd_change(ctx, area, y, m, measure=measure)
        tb.child(change.trail, preview=change.preview, uncertain=change.uncertain)
        for ref in change.factor_sets:
            tb.add_factor_set(ref)
        tb.input(
            f"change[{y}]",
            f"{period_label(y, m)}强度同比变化率",
            change.value,
            "%",
            source="见下级计算过程",
        )
        factor *= 1.0 + change.value
        yearly.append((y, m, change.value))
        expression.append(f"(1 + {pct(change.value)})")
    value = factor - 1.0
    tb.step("累计变化率", " × ".join(expression) + " − 1", value, "%")
    return Change(
        value=value,
        year=year,
        months=months,
        trail=tb.build(),
        preview=tb.preview,
        uncertain=tb.uncertain,
        factor_sets=tuple(tb.factor_sets),
        yearly=tuple(yearly),
    )


def latest_change(
    ctx: DataContext,
    area: Area,
    *,
    limit_year: int,
    limit_months: int,
    base_year: int | None = None,
    measure: str = "energy",
) -> Change:
    """The latest computable change up to ``limit_year``/``limit_months``: year-to-date year on
    year, or (with ``base_year``) cumulative since the base year.

    Raises
    ------
    Missing
        With the reason of the latest period tried when none can be computed.
    """
    first_reason: str | None = None
    for y, m in reversed(ctx.stat_periods(area.pk)):
        if (y, m) > (limit_year, limit_months):
            continue
        if base_year is not None and y <= base_year:
            break
        try:
            if base_year is None:
                return ytd_change(ctx, area, y, m, measure=measure)
            return cumulative_change(ctx, area, base_year, y, m, measure=measure)
        except Missing as exc:
            first_reason = first_reason or exc.reason
    raise Missing(first_reason or f"{area.name}没有可用于计算的统计数据")


@dataclass(frozen=True)
class Figures:
    """A region's annual energy and carbon figures (old and new basis, intensities)."""

    year: int
    values: dict[str, float | None]
    missing: dict[str, str]
    trail: Trail
    preview: bool
    uncertain: bool


def annual_figures(ctx: DataContext, area: Area, year: int, base_year: int = 2020) -> Figures:
    """Energy (old and new basis), GDP at ``base_year`` prices, intensities and CO2 of ``year``.

    GDP at constant prices chains the volume indices from the base year's current-price GDP
    (``constant_price_gdp``); intensities are energy (or CO2) ÷ that GDP [per 万元].
    """
    from ecplan.core import constant_price_gdp_result

    s = ctx.stat(area.pk, year, 12)
    tb = TrailBuilder(
        f"{area.name}{year}年能源消费、碳排放与强度",
        "旧口径 = 能源消费总量；新口径 = 能源消费总量 − 非化石能源 − 原料用能 − 能耗单列；"
        f"强度 = 能耗（或排放）÷ {base_year}年价格GDP（GDP按指数链式计算）",
        references=(REF_803, REF_113),
    )
    values: dict[str, float | None] = dict.fromkeys(
        (
            "energy_total_tce",
            "energy_new_basis_tce",
            "gdp_constant_10k_yuan",
            "intensity_old_tce_per_10k_yuan",
            "intensity_new_tce_per_10k_yuan",
            "co2_t",
            "co2_intensity_t_per_10k_yuan",
        )
    )
    missing: dict[str, str] = {}
    if s is None:
        missing["all"] = f"{area.name}没有{year}年的统计数据"
        return Figures(year, values, missing, tb.build(), False, False)
    try:
        values["energy_total_tce"] = energy_new_basis(tb, ctx, s, "old", old_basis=True)
    except Missing as exc:
        missing["energy_total_tce"] = exc.reason
    try:
        values["energy_new_basis_tce"] = energy_new_basis(tb, ctx, s, "new")
    except Missing as exc:
        missing["energy_new_basis_tce"] = exc.reason
    base = ctx.stat(area.pk, base_year, 12)
    base_gdp = base.get("gdp_current") if base is not None else None
    indices = []
    for y in range(base_year + 1, year + 1):
        ys = ctx.stat(area.pk, y, 12)
        sv = (ys.get("gdp_index_previous_year") or ys.get("gdp_index_same_period")) if ys else None
        if sv is None:
            missing["gdp_constant_10k_yuan"] = f"{area.name}缺少{y}年地区生产总值指数（上年=100）"
            break
        indices.append(tb.stat(f"gdp_index[{y}]", f"{y}年地区生产总值指数（上年=100）", sv))
    if base_gdp is None:
        missing["gdp_constant_10k_yuan"] = f"{area.name}缺少{base_year}年地区生产总值（现价）"
    elif "gdp_constant_10k_yuan" not in missing:
        g0 = tb.stat("gdp_base", f"{base_year}年地区生产总值（现价）", base_gdp)
        calc = constant_price_gdp_result(g0, indices)
        tb.calculation(calc, attach=False)
        values["gdp_constant_10k_yuan"] = float(calc.value)
        tb.step(
            f"{year}年GDP（{base_year}年价格）",
            f"{num(g0)} × " + " × ".join(f"{num(i)}/100" for i in indices) if indices else num(g0),
            calc.value,
            "万元",
        )
    try:
        values["co2_t"] = co2_t(tb, ctx, s, "co2")
    except Missing as exc:
        missing["co2_t"] = exc.reason
    gdp = values["gdp_constant_10k_yuan"]
    if gdp:
        for key, source in (
            ("intensity_old_tce_per_10k_yuan", "energy_total_tce"),
            ("intensity_new_tce_per_10k_yuan", "energy_new_basis_tce"),
            ("co2_intensity_t_per_10k_yuan", "co2_t"),
        ):
            q = values[source]
            if q is not None:
                values[key] = q / gdp
                tb.step(key, f"{num(q)} ÷ {num(gdp)}", q / gdp, "每万元")
    return Figures(year, values, missing, tb.build(), tb.preview, tb.uncertain)

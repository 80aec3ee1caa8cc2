"""Indicator definitions and their computation from approved data.

Every plan indicator code (``docs/plan-format.md``) is defined here once: its formula, the
national statistical definition it follows, the data it reads, the confidence of the method
and a function computing it as of a month (:func:`measure`). ``docs/indicators.md`` is the
written form of :data:`DEFINITIONS` (a test keeps the two in step).

Three methods:

* ``computed`` — from statistics, enterprise reports (installation lines, accounting
  results) with the accounting core;
* ``reported`` — a department's reported series (``IndicatorValue``), summed over the window
  for amounts and counts, the latest value for levels;
* ``entered`` — per-entity statuses and milestone states reported by departments.

A :class:`Measurement` carries the value (year-to-date level, sum since the window start,
change since the baseline, worst entity), the latest period's value, the last month covered,
whether it includes preview data, and the calculation trail with the source rows. When a value
cannot be computed, ``missing`` says why (the status is then 无数据 with that reason).

Other parts of the platform that want a computed value beside a reported one (the reporting
pages' side-by-side view) call :func:`measure` with a :class:`Query`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ecplan.core import (
    AccountingError,
    EnergyBalance,
    coal_share_result,
    non_fossil_generation_share_result,
    non_fossil_share_result,
    power_coal_share_result,
)
from ecplan.core.carriers import CarrierCategory, EnergyClass
from ecplan.core.evaluation import EntityValue, FactorSetRef, SourceRef, Trail, YearMonth
from ecplan.core.plan.vocabulary import INDICATORS as PLAN_INDICATORS
from ecplan.monitoring.data import DataContext, InstallationInfo, ReportedValue, StatSet
from ecplan.monitoring.display import num, wan
from ecplan.monitoring.regional import (
    REF_113,
    Change,
    latest_change,
    period_label,
    tce_of,
)
from ecplan.monitoring.trails import Missing, TrailBuilder
from ecplan.organisations.models import Area

__all__ = [
    "DEFINITIONS",
    "KEY_UNIT_THRESHOLD_TCE",
    "IndicatorDefinition",
    "Measurement",
    "Query",
    "change_for",
    "city_area",
    "entities_reported",
    "measure",
]

Method = Literal["computed", "reported", "entered"]

#: Key energy-using units: annual comprehensive energy of at least 5 000 tce (the plan's
#: 3（3） wording; 重点用能单位节能管理办法 art. 2 for the 10 000 / 5 000 tce classes).
KEY_UNIT_THRESHOLD_TCE = 5000.0


# -- inputs and results ------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What to measure: where, as of when, over which window.

    Parameters
    ----------
    area : Area
        The city or a county-level area.
    as_of : YearMonth
        The evaluation month.
    limit : YearMonth
        Last month whose data may be used: ``as_of``, or the target's deadline when earlier.
    window_start : YearMonth, optional
        First month of a cumulative window (counts and sums).
    baseline_year : int, optional
        Base year of a change (2020 for the 14th Five-Year targets, 2023 for 吨钢综合能耗).
    settings : mapping
        The plan's settings (``generation_coal_rate_basis``, ``heat_supply_coal_rate`` …).
    """

    area: Area
    as_of: YearMonth
    limit: YearMonth
    window_start: YearMonth | None = None
    baseline_year: int | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    confirmed: Mapping[str, bool] = field(default_factory=dict)


@dataclass
class Measurement:
    """An indicator's value as of a month, with its trail (see the module docstring)."""

    code: str
    value: float | None = None
    latest: float | None = None
    data_through: YearMonth | None = None
    months_covered: int | None = None
    trail: Trail | None = None
    missing: str = ""
    notes: list[str] = field(default_factory=list)
    preview: bool = False
    uncertain: bool = False
    factor_sets: list[FactorSetRef] = field(default_factory=list)
    baseline_value: float | None = None
    index_based: bool = False
    entities: tuple[EntityValue, ...] | None = None
    entity_rows: list[dict[str, Any]] = field(default_factory=list)
    reference_value: float | None = None
    reference_label: str = ""
    milestone_done: bool | None = None
    milestone_done_on: YearMonth | None = None
    milestone_progress: float | None = None
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def take(self, tb: TrailBuilder) -> Trail:
        """Adopt the trail of ``tb`` (and its preview, uncertainty and factor sets)."""
        self.trail = tb.build()
        self.preview = self.preview or tb.preview
        self.uncertain = self.uncertain or tb.uncertain
        for ref in tb.factor_sets:
            if ref not in self.factor_sets:
                self.factor_sets.append(ref)
        for note in tb.notes:
            if note not in self.notes:
                self.notes.append(note)
        return self.trail


def _missing(code: str, reason: str, trail: Trail | None = None) -> Measurement:
    return Measurement(code=code, missing=reason, trail=trail)


@dataclass(frozen=True)
class IndicatorDefinition:
    """One indicator: what it is, how it is computed, from which data, how sure we are."""

    code: str
    label: str
    unit: str
    method: Method
    formula: str
    definition: str
    data: str
    confidence: str
    compute: Callable[[DataContext, Query], Measurement]


# -- statistics-based levels ------------------------------------------------------------------


def _year_start(month: YearMonth) -> YearMonth:
    return YearMonth(month.year, 1)


def _limit_date(month: YearMonth) -> dt.date:
    from ecplan.monitoring.data import month_end

    return month_end(month)


ShareFn = Callable[[TrailBuilder, DataContext, StatSet], tuple[float, float]]


def _stat_share(
    ctx: DataContext,
    q: Query,
    code: str,
    title: str,
    formula: str,
    references: tuple[str, ...],
    fn: ShareFn,
    *,
    need: tuple[str, ...] = (),
) -> Measurement:
    """A ratio of two statistics of the latest period (year to date), plus the latest quarter
    on its own (difference of the cumulative figures)."""
    periods = [(y, m) for y, m in ctx.stat_periods(q.area.pk) if YearMonth(y, m) <= q.limit]
    first_reason = ""
    for y, m in reversed(periods):
        s = ctx.stat(q.area.pk, y, m)
        if s is None or not all(s.has(i) for i in need):
            first_reason = first_reason or (
                f"{q.area.name}{period_label(y, m)}统计数据缺少"
                + "、".join(i for i in need if s is None or not s.has(i))
            )
            continue
        tb = TrailBuilder(
            f"{title}（{q.area.name}，{period_label(y, m)}）", formula, references=references
        )
        try:
            numerator, denominator = fn(tb, ctx, s)
        except Missing as exc:
            first_reason = first_reason or exc.reason
            continue
        if denominator <= 0:
            first_reason = first_reason or f"{title}的分母不为正"
            continue
        value = numerator / denominator
        tb.step(title, f"{num(numerator)} ÷ {num(denominator)}", value, "%")
        result = Measurement(
            code=code,
            value=value,
            data_through=s.end,
            months_covered=s.months,
            source=f"统计数据（{s.revision.label}）",
        )
        result.take(tb)
        if m > 3:
            prev = ctx.stat(q.area.pk, y, m - 3)
            if prev is not None and all(prev.has(i) for i in need):
                try:
                    n0, d0 = fn(TrailBuilder("", ""), ctx, prev)
                    if denominator - d0 > 0:
                        result.latest = (numerator - n0) / (denominator - d0)
                except Missing:
                    pass
        else:
            result.latest = value
        return result
    return _missing(code, first_reason or f"{q.area.name}截至{q.limit.label}没有所需的统计数据")


def _coal_tce(tb: TrailBuilder, ctx: DataContext, s: StatSet, item: str, label: str) -> float:
    total = 0.0
    for sv in s.all(item):
        try:
            from ecplan.core import get_carrier

            carrier = get_carrier(sv.breakdown)
        except AccountingError:
            continue
        if carrier.category != CarrierCategory.COAL:
            continue
        total += tce_of(
            tb,
            ctx,
            sv,
            f"{item}[{sv.breakdown}]",
            f"{label}（{carrier.name_zh}）",
            year=s.period.year,
        )
    return total


def _nonfossil_share_fn(tb: TrailBuilder, ctx: DataContext, s: StatSet) -> tuple[float, float]:
    label = period_label(s.period.year, s.months)
    total_line = s.get("energy_total_tce")
    if total_line is None:
        raise Missing(f"{s.area_name}{label}统计数据缺少能源消费总量")
    nf = s.get("nonfossil_energy_tce")
    if nf is not None:
        total = tb.stat("energy_total_tce", f"{label}能源消费总量（等价值）", total_line)
        value = tb.stat("nonfossil_energy_tce", f"{label}非化石能源消费量", nf)
        tb.note("非化石能源消费量为统计部门公布值（一次电力按发电煤耗计算法折算）")
        return value, total
    # No published figure: compute from primary electricity and non-electric non-fossil energy.
    by_source = {
        sv.breakdown: sv for sv in s.all("primary_electricity") if sv.breakdown in _SOURCE_CARRIERS
    }
    imported = s.get("net_imported_nonfossil_electricity")
    if not by_source and imported is None:
        raise Missing(f"{s.area_name}{label}统计数据既无非化石能源消费量，也无一次电力")
    total = tb.stat("energy_total_tce", f"{label}能源消费总量（等价值）", total_line)
    kwh: dict[str, float] = {}
    for source, sv in by_source.items():
        kwh[_SOURCE_CARRIERS[source]] = tb.stat(
            f"primary_electricity[{source}]", f"{label}本地一次电力（{source}）", sv
        )
    imported_kwh = (
        tb.stat("net_imported_nonfossil_kwh", f"{label}净调入非化石能源电力", imported)
        if imported is not None
        else 0.0
    )
    other = 0.0
    for sv in s.all("energy_consumption"):
        from ecplan.core import get_carrier

        try:
            carrier = get_carrier(sv.breakdown)
        except AccountingError:
            continue
        if carrier.energy_class == EnergyClass.NON_FOSSIL and sv.unit != "kWh":
            other += tce_of(
                tb,
                ctx,
                sv,
                f"other_nonfossil[{sv.breakdown}]",
                f"{label}{carrier.name_zh}（非电，按热值折算）",
                year=s.period.year,
                basis="calorific",
            )
    try:
        calc = non_fossil_share_result(
            EnergyBalance(
                year=s.period.year,
                total_energy_tce=total,
                non_fossil_generation_kwh=kwh,
                net_imported_non_fossil_kwh=imported_kwh,
                other_non_fossil_tce=other,
            ),
            factor_set=ctx.library,
        )
    except AccountingError as exc:
        raise Missing(f"非化石能源消费占比无法计算：{exc}") from exc
    tb.calculation(calc)
    tb.note("统计数据未公布非化石能源消费量：由一次电力（发电煤耗计算法）和非电非化石能源推算")
    return float(calc.value) * total, total


_SOURCE_CARRIERS = {
    "hydro": "hydro",
    "nuclear": "nuclear",
    "wind": "wind",
    "solar": "solar",
    "biomass": "biomass",
    "other_non_fossil": "other_non_fossil",
}


def nonfossil_share(ctx: DataContext, q: Query) -> Measurement:
    return _stat_share(
        ctx,
        q,
        "nonfossil_share",
        "非化石能源消费占比",
        "S = 非化石能源消费量 ÷ 能源消费总量（等价值；一次电力按发电煤耗计算法折算）",
        ("国家统计局 能源平衡表（发电煤耗计算法）[S]；accounting-standards §7.1",),
        _nonfossil_share_fn,
        need=("energy_total_tce",),
    )


def _coal_share_fn(tb: TrailBuilder, ctx: DataContext, s: StatSet) -> tuple[float, float]:
    label = period_label(s.period.year, s.months)
    total_line = s.get("energy_total_tce")
    if total_line is None or not s.has("energy_consumption"):
        raise Missing(f"{s.area_name}{label}统计数据缺少能源消费总量或分品种消费量")
    total = tb.stat("energy_total_tce", f"{label}能源消费总量（等价值）", total_line)
    coal = _coal_tce(tb, ctx, s, "energy_consumption", f"{label}煤炭消费量")
    calc = coal_share_result(
        EnergyBalance(year=s.period.year, total_energy_tce=total, coal_tce=coal)
    )
    tb.calculation(calc)
    tb.note(
        "煤炭按一次煤炭品种（原煤、洗精煤、其他洗煤、型煤）计入，焦炭、煤气等煤制品不重复计入"
        "（炼焦、制气用煤已在原煤中）；口径为平台读法，待统计部门确认"
    )
    return coal, total


def coal_share_primary(ctx: DataContext, q: Query) -> Measurement:
    return _stat_share(
        ctx,
        q,
        "coal_share_primary",
        "煤炭占一次能源消费比重",
        "S = 煤炭消费量（折标准煤，含发电供热用煤）÷ 能源消费总量",
        ("policy-mechanics §4（煤炭占一次能源消费比重）[U]",),
        _coal_share_fn,
        need=("energy_total_tce", "energy_consumption"),
    )


def _power_coal_fn(tb: TrailBuilder, ctx: DataContext, s: StatSet) -> tuple[float, float]:
    label = period_label(s.period.year, s.months)
    if not (s.has("power_input") or s.has("heat_input")):
        raise Missing(f"{s.area_name}{label}统计数据缺少发电、供热用煤（火力发电投入、供热投入）")
    coal = _coal_tce(tb, ctx, s, "energy_consumption", f"{label}煤炭消费量")
    power = _coal_tce(tb, ctx, s, "power_input", f"{label}发电用煤")
    heat = _coal_tce(tb, ctx, s, "heat_input", f"{label}供热用煤")
    try:
        calc = power_coal_share_result(
            EnergyBalance(
                year=s.period.year,
                total_energy_tce=max(coal, 1.0),
                coal_tce=coal,
                coal_for_power_tce=power,
                coal_for_heat_tce=heat,
            )
        )
    except AccountingError as exc:
        raise Missing(f"电煤占比无法计算：{exc}") from exc
    tb.calculation(calc)
    tb.note("电煤含供热用煤（通常口径，未经官方确认）")
    return power + heat, coal


def power_coal_share(ctx: DataContext, q: Query) -> Measurement:
    return _stat_share(
        ctx,
        q,
        "power_coal_share",
        "电煤占煤炭消费比重",
        "S = (发电用煤 + 供热用煤) ÷ 煤炭消费量（均折标准煤）",
        ("policy-mechanics §4（电煤占煤炭消费比重）[U]",),
        _power_coal_fn,
        need=("energy_consumption",),
    )


def _generation_share_fn(tb: TrailBuilder, ctx: DataContext, s: StatSet) -> tuple[float, float]:
    from ecplan.reporting.catalogue import SOURCE_BY_CODE

    label = period_label(s.period.year, s.months)
    fossil = 0.0
    nonfossil: dict[str, float] = {}
    for sv in s.all("generation"):
        src = SOURCE_BY_CODE.get(sv.breakdown)
        if src is None:
            continue
        value = tb.stat(f"generation[{sv.breakdown}]", f"{label}{src.label}发电量", sv)
        if src.non_fossil:
            carrier = _SOURCE_CARRIERS.get(sv.breakdown, "other_non_fossil")
            nonfossil[carrier] = nonfossil.get(carrier, 0.0) + value
        else:
            fossil += value
    try:
        calc = non_fossil_generation_share_result(
            EnergyBalance(
                year=s.period.year,
                total_energy_tce=0.0,
                fossil_generation_kwh=fossil,
                non_fossil_generation_kwh=nonfossil,
            )
        )
    except AccountingError as exc:
        raise Missing(f"非化石能源发电量占比无法计算：{exc}") from exc
    tb.calculation(calc)
    total = fossil + sum(nonfossil.values())
    return total * float(calc.value), total


def nonfossil_generation_share(ctx: DataContext, q: Query) -> Measurement:
    return _stat_share(
        ctx,
        q,
        "nonfossil_generation_share",
        "非化石能源发电量占比",
        "S = 本地非化石能源发电量 ÷ 本地全部发电量",
        ("policy-mechanics §4（非化石能源发电量占比）[V]",),
        _generation_share_fn,
        need=("generation",),
    )


def nonfossil_deduction(ctx: DataContext, q: Query) -> Measurement:
    """非化石能源消费扣减量: the non-fossil consumption of the window's year to date."""
    start = q.window_start or _year_start(q.limit)
    s = None
    for y, m in reversed(ctx.stat_periods(q.area.pk)):
        if y == start.year and YearMonth(y, m) <= q.limit:
            candidate = ctx.stat(q.area.pk, y, m)
            if candidate is not None and (
                candidate.has("nonfossil_energy_tce") or candidate.has("primary_electricity")
            ):
                s = candidate
                break
    if s is None:
        return _missing(
            "nonfossil_deduction_tce",
            f"{q.area.name}{start.year}年截至{q.limit.label}没有非化石能源消费量的统计数据",
        )
    label = period_label(s.period.year, s.months)
    tb = TrailBuilder(
        f"非化石能源消费扣减量（{q.area.name}，{label}）",
        "扣减量 = 当期非化石能源消费量（统计口径，一次电力按发电煤耗计算法）"
        "＋ 跨省绿证对应电量（统计项尚未提供，未计入）",
        references=(REF_113, "policy-mechanics §1.6 [V]/[S]"),
    )
    try:
        numerator, _ = _nonfossil_share_fn(tb, ctx, s)
    except Missing as exc:
        return _missing("nonfossil_deduction_tce", exc.reason)
    tb.step("非化石能源消费扣减量", f"{wan(numerator)}", numerator, "tce")
    tb.note(
        "跨省绿证交易对应的扣减（上限为所需节能量的50%）尚无统计项，未计入；"
        "提供后按发改环资〔2024〕113号计入"
    )
    result = Measurement(
        code="nonfossil_deduction_tce",
        value=numerator,
        data_through=s.end,
        months_covered=s.months,
        source=f"统计数据（{s.revision.label}）",
    )
    result.take(tb)
    return result


# -- intensity changes ---------------------------------------------------------------------------


def _change_measurement(code: str, change: Change, source: str) -> Measurement:
    result = Measurement(
        code=code,
        value=change.value,
        latest=change.yearly[-1][2] if change.yearly else change.value,
        data_through=YearMonth(change.year, change.months),
        months_covered=change.months,
        index_based=True,
        source=source,
    )
    result.trail = change.trail
    result.preview = change.preview
    result.uncertain = change.uncertain
    result.factor_sets = [r for r in change.factor_sets if isinstance(r, FactorSetRef)]
    return result


def _intensity(code: str, measure: str) -> Callable[[DataContext, Query], Measurement]:
    def compute(ctx: DataContext, q: Query) -> Measurement:
        base = q.baseline_year if q.baseline_year is not None else 2020
        try:
            change = latest_change(
                ctx,
                q.area,
                limit_year=q.limit.year,
                limit_months=q.limit.month - q.limit.month % 3,
                base_year=base,
                measure=measure,
            )
        except Missing as exc:
            return _missing(code, exc.reason)
        return _change_measurement(code, change, "统计数据（能源平衡、地区生产总值及指数）")

    return compute


# -- department reports ------------------------------------------------------------------------

_KIND_ORDER = {"year": 0, "quarter": 1, "month": 2}


def _reported_values(ctx: DataContext, code: str, limit: YearMonth) -> list[ReportedValue]:
    return [v for v in ctx.reported.get(code, []) if v.end <= limit]


def reported_sum(ctx: DataContext, q: Query, code: str) -> Measurement:
    """Sum of a department's reported amounts over the window (values are amounts of their own
    period, 当期). Per year the period kind reaching furthest is used (a year report rather
    than its quarters when both cover December), so nothing is counted twice."""
    start = q.window_start or _year_start(q.limit)
    values = [
        v
        for v in _reported_values(ctx, code, q.limit)
        if not v.subject
        and v.value is not None
        and YearMonth(v.period.year, v.period.first_month) >= start
    ]
    if not values:
        return _missing(
            code,
            f"{start.label}至{q.limit.label}没有“{_label(code)}”的填报数据（已审核）",
        )
    by_year: dict[int, dict[str, list[ReportedValue]]] = defaultdict(lambda: defaultdict(list))
    for v in values:
        by_year[v.period.year][v.period.kind].append(v)
    chosen: list[ReportedValue] = []
    months: set[tuple[int, int]] = set()
    for _year, kinds in sorted(by_year.items()):
        best = max(
            kinds.items(),
            key=lambda kv: (max(v.end for v in kv[1]), -_KIND_ORDER[kv[0]]),
        )[1]
        # latest line per period (a period reported twice counts once)
        per_period: dict[str, ReportedValue] = {}
        for v in best:
            per_period[str(v.period)] = v
        for v in per_period.values():
            chosen.append(v)
            for p in v.period.months():
                months.add((p.year, p.index))
    chosen.sort(key=lambda v: v.period.end)
    tb = TrailBuilder(
        f"{_label(code)}（{start.label}至{q.limit.label}累计）",
        "累计值 = 窗口内各期填报值（当期数）之和",
    )
    total = 0.0
    for v in chosen:
        assert v.value is not None
        total += v.value
        tb.input(
            f"{code}[{v.period}]",
            f"{v.organisation} {v.period.label}填报",
            v.value,
            v.unit,
            source=v.comment or "部门填报",
            refs=(v.ref(),),
        )
    tb.step("累计", " + ".join(num(v.value or 0.0) for v in chosen), total, chosen[0].unit)
    result = Measurement(
        code=code,
        value=total,
        latest=chosen[-1].value,
        data_through=chosen[-1].end,
        months_covered=len(months),
        source="部门填报",
    )
    result.take(tb)
    return result


def reported_level(ctx: DataContext, q: Query, code: str, *, change: bool = False) -> Measurement:
    """The latest reported level (or change against the base year, ``change``)."""
    values = [
        v for v in _reported_values(ctx, code, q.limit) if not v.subject and v.value is not None
    ]
    if not values:
        return _missing(code, f"截至{q.limit.label}没有“{_label(code)}”的填报数据（已审核）")
    latest = max(values, key=lambda v: (v.end, -_KIND_ORDER[v.period.kind], v.line_id))
    tb = TrailBuilder(
        f"{_label(code)}（{latest.period.label}）",
        "部门填报的较基期变化率（下降为负）" if change else "部门填报值（期末或年初至今）",
    )
    assert latest.value is not None
    tb.input(
        code,
        f"{latest.organisation} {latest.period.label}填报",
        latest.value,
        latest.unit,
        source=latest.comment or "部门填报",
        refs=(latest.ref(),),
    )
    earlier = [v for v in values if v is not latest and v.end < latest.end]
    result = Measurement(
        code=code,
        value=latest.value,
        latest=latest.value,
        data_through=latest.end,
        months_covered=latest.period.last_month if latest.period.kind != "month" else 1,
        index_based=change,
        source=f"部门填报（{latest.organisation}）",
    )
    if earlier:
        result.extra["previous"] = {"period": str(earlier[-1].period), "value": earlier[-1].value}
    result.take(tb)
    return result


def _label(code: str) -> str:
    d = PLAN_INDICATORS.get(code)
    return d.label if d else code


def _reported_sum_fn(code: str) -> Callable[[DataContext, Query], Measurement]:
    return lambda ctx, q: reported_sum(ctx, q, code)


def _reported_level_fn(
    code: str, *, change: bool = False
) -> Callable[[DataContext, Query], Measurement]:
    return lambda ctx, q: reported_level(ctx, q, code, change=change)


# -- enterprise reports ---------------------------------------------------------------------------


def _ytd_window(q: Query) -> tuple[YearMonth, YearMonth]:
    return _year_start(q.limit), q.limit


def _unit_energy(
    ctx: DataContext, tb: TrailBuilder, inst: InstallationInfo, start: YearMonth, end: YearMonth
) -> tuple[float, float, YearMonth | None, int] | None:
    """Σ energy_tce and Σ output_t of a production unit's readings in the window."""
    energy = 0.0
    output = 0.0
    last: YearMonth | None = None
    count = 0
    refs = []
    for r in ctx.readings(inst.id, start, end):
        e, o = r.values.get("energy_tce"), r.values.get("output_t")
        if e is None or o is None:
            continue
        energy += e
        output += o
        last = r.month
        count += 1
        refs.append(r.ref(inst))
    if count == 0 or output <= 0:
        return None
    tb.input(
        f"{inst.code}.energy_tce",
        f"{inst.label} 综合能耗（{start.label}至{last.label if last else end.label}）",
        energy,
        "tce",
        source=f"企业能源月报装置行 {count} 个月",
        refs=refs,
    )
    tb.input(f"{inst.code}.output_t", f"{inst.label} 产量", output, "t", refs=())
    return energy, output, last, count


def steel_energy_per_tonne(ctx: DataContext, q: Query) -> Measurement:
    """吨钢综合能耗 of the city's steel producers, year to date and in the base year."""
    code = "steel_energy_per_tonne_change"
    base_year = q.baseline_year or 2023
    units = [
        i
        for i in ctx.installations.values()
        if i.kind == "production_unit" and i.product == "crude_steel"
    ]
    if not units:
        return _missing(code, "登记册中没有粗钢生产装置")
    start, end = _ytd_window(q)
    tb = TrailBuilder(
        f"吨钢综合能耗（{start.label}至{end.label}，较{base_year}年）",
        "吨钢综合能耗 = Σ装置综合能耗 ÷ Σ粗钢产量（千克标准煤/吨）；变化率 = 本期 ÷ 基期 − 1",
        references=("GB 21256 粗钢生产主要工序单位产品能源消耗限额 [V]；企业级公式为通行做法 [U]",),
    )
    energy = output = 0.0
    last: YearMonth | None = None
    for inst in units:
        got = _unit_energy(ctx, tb, inst, start, end)
        if got is None:
            continue
        energy += got[0]
        output += got[1]
        last = got[2] if last is None or (got[2] and got[2] > last) else last
    if output <= 0 or last is None:
        return _missing(code, f"{start.label}至{end.label}没有粗钢装置的产量和能耗数据（已审核）")
    level = energy * 1000.0 / output
    tb.step("本期吨钢综合能耗", f"{num(energy)} × 1000 ÷ {num(output)}", level, "kgce/t")
    base_tb = TrailBuilder(f"{base_year}年吨钢综合能耗（基期）", "Σ综合能耗 ÷ Σ产量")
    base_energy = base_output = 0.0
    for inst in units:
        got = _unit_energy(ctx, base_tb, inst, YearMonth(base_year, 1), YearMonth(base_year, 12))
        if got is None:
            continue
        base_energy += got[0]
        base_output += got[1]
    base_level = base_energy * 1000.0 / base_output if base_output > 0 else None
    if base_level is not None:
        base_tb.step(
            "基期吨钢综合能耗",
            f"{num(base_energy)} × 1000 ÷ {num(base_output)}",
            base_level,
            "kgce/t",
        )
    tb.absorb(base_tb)
    result = Measurement(
        code=code,
        value=level,
        latest=level,
        data_through=last,
        months_covered=last.month,
        baseline_value=base_level,
        source="企业能源月报（粗钢装置产量与综合能耗）",
    )
    if base_level is not None:
        tb.step(
            "较基期变化率", f"{num(level)} ÷ {num(base_level)} − 1", level / base_level - 1.0, "%"
        )
    else:
        result.extra["baseline_missing"] = f"{base_year}年没有粗钢装置的完整数据"
    result.take(tb)
    return result


_PRODUCT_TEXT = {"pta": "PTA", "caustic_soda": "烧碱"}
_PRODUCT_LABEL = {"pta": "PTA", "caustic_soda": "烧碱"}


def _benchmark_levels(ctx: DataContext, product: str) -> dict[str, dict[str, dict[str, Any]]]:
    """``{variant label: {"标杆水平": row, "基准水平": row}}`` from the factor library."""
    out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in ctx.library.benchmarks(_PRODUCT_TEXT[product]):
        level = str(row.get("level"))
        if level in ("标杆水平", "基准水平"):
            out[str(row.get("variant") or "")][level] = row
    return out


def benchmark_capacity(ctx: DataContext, q: Query, product: str) -> Measurement:
    """Capacity share at or better than 标杆 and capacity worse than 基准 for ``product``
    (memoised per data context: the share target and the 基准 milestone use the same units)."""
    key = ("benchmark_capacity", product, str(q.limit))
    cached = ctx.memo.get(key)
    if cached is None:
        cached = ctx.memo[key] = _benchmark_capacity(ctx, q, product)
    return cached


def _benchmark_capacity(ctx: DataContext, q: Query, product: str) -> Measurement:
    code = f"{product}_benchmark_capacity_share"
    name = _PRODUCT_LABEL[product]
    levels = _benchmark_levels(ctx, product)
    start, end = _ytd_window(q)
    units = [
        i
        for i in ctx.installations.values()
        if i.kind == "production_unit"
        and i.product == product
        and i.operating_in(_limit_date(start).replace(day=1), _limit_date(end))
    ]
    if not units:
        return _missing(code, f"登记册中没有在运行的{name}装置")
    tb = TrailBuilder(
        f"{name}能效标杆水平以上产能占比（{start.label}至{end.label}）",
        "占比 = 单位产品综合能耗 ≤ 标杆值的装置产能 ÷ 有数据装置的总产能；"
        "单位产品综合能耗 = Σ综合能耗 ÷ Σ产量（越低越好"
        + ("；烧碱分品种、按折百吨" if product == "caustic_soda" else "")
        + "）",
        references=(
            "工业重点领域能效标杆水平和基准水平（2023年版），发改产业〔2023〕723号 [U]（数值未经官方文本核对）",
            "policy-mechanics §4（能效标杆水平以上产能占比）[S]",
        ),
    )
    missing_levels: list[str] = []
    rows: list[dict[str, Any]] = []
    cap_total = cap_benchmark = cap_below_base = 0.0
    last: YearMonth | None = None
    uncertain_levels = False
    for inst in units:
        variant = inst.variant_label if product == "caustic_soda" else ""
        level_rows = levels.get(variant) if variant else next(iter(levels.values()), None)
        bench_row = (level_rows or {}).get("标杆水平")
        base_row = (level_rows or {}).get("基准水平")
        bench = bench_row.get("value") if bench_row else None
        base = base_row.get("value") if base_row else None
        if bench_row is None or bench is None:
            note = (bench_row or {}).get("notes") or "因子集中没有该产品（品种）的标杆水平"
            missing_levels.append(f"{name}{('（' + variant + '）') if variant else ''}：{note}")
            continue
        for row in (bench_row, base_row):
            if row and row.get("uncertain"):
                uncertain_levels = True
        got = _unit_energy(ctx, tb, inst, start, end)
        if got is None:
            rows.append(
                {"unit": inst.label, "capacity_t": inst.capacity_t_per_a, "unit_energy": None}
            )
            tb.note(f"{inst.label}{start.label}至{end.label}无产量或能耗数据，未计入")
            continue
        energy, output, month, _ = got
        last = month if last is None or (month and month > last) else last
        unit_energy = energy * 1000.0 / output
        cap = inst.capacity_t_per_a or 0.0
        at_benchmark = unit_energy <= float(bench)
        below_base = base is not None and unit_energy > float(base)
        cap_total += cap
        cap_benchmark += cap if at_benchmark else 0.0
        cap_below_base += cap if below_base else 0.0
        tb.step(
            f"{inst.label}单位产品综合能耗",
            f"{num(energy)} × 1000 ÷ {num(output)}；标杆 {num(float(bench))}"
            + (f"，基准 {num(float(base))}" if base is not None else "")
            + " 千克标准煤/吨",
            unit_energy,
            "kgce/t",
        )
        rows.append(
            {
                "unit": inst.label,
                "variant": variant,
                "capacity_t": cap,
                "unit_energy_kgce_per_t": unit_energy,
                "benchmark": float(bench),
                "baseline": float(base) if base is not None else None,
                "at_benchmark": at_benchmark,
                "worse_than_baseline": below_base,
            }
        )
        tb.input(
            f"{inst.code}.capacity_t", f"{inst.label}设计产能", cap, "t/a", source="企业与装置名录"
        )
    if missing_levels:
        reason = (
            "能效标杆水平未设定："
            + "；".join(dict.fromkeys(missing_levels))
            + "。管理员载入确认值后方可计算"
        )
        result = _missing(code, reason)
        result.extra["levels_missing"] = True
        tb.note(reason)
        result.take(tb)
        result.value = None
        return result
    if cap_total <= 0 or last is None:
        return _missing(code, f"{start.label}至{end.label}没有{name}装置的产量和能耗数据（已审核）")
    share = cap_benchmark / cap_total
    tb.step("标杆水平以上产能占比", f"{num(cap_benchmark)} ÷ {num(cap_total)}", share, "%")
    tb.step(
        "基准水平以下产能",
        "单位产品综合能耗劣于（高于）基准值的装置产能之和",
        cap_below_base,
        "t/a",
    )
    if uncertain_levels:
        tb.note("能效标杆、基准水平值未经官方文本确认（不确定），结论须按不确定看待")
    result = Measurement(
        code=code,
        value=share,
        latest=share,
        data_through=last,
        months_covered=last.month,
        source="企业能源月报（装置产量与综合能耗）；能效标杆/基准水平（因子集）",
        entity_rows=rows,
    )
    result.extra["capacity_below_baseline_t"] = cap_below_base
    result.extra["capacity_total_t"] = cap_total
    result.take(tb)
    result.uncertain = result.uncertain or uncertain_levels
    return result


def below_baseline_capacity(ctx: DataContext, q: Query, product: str) -> Measurement:
    share = benchmark_capacity(ctx, q, product)
    code = f"{product}_below_baseline_capacity_t"
    result = Measurement(
        code=code,
        value=share.extra.get("capacity_below_baseline_t") if share.value is not None else None,
        data_through=share.data_through,
        months_covered=share.months_covered,
        trail=share.trail,
        missing=share.missing,
        notes=list(share.notes),
        preview=share.preview,
        uncertain=share.uncertain,
        factor_sets=list(share.factor_sets),
        entity_rows=share.entity_rows,
        source=share.source,
    )
    return result


def _heat_rate(ctx: DataContext, q: Query, year: int) -> tuple[float | None, str]:
    """Heat-supply coal rate [tce/GJ] to split a CHP unit's coal, and where it came from."""
    try:
        coef = ctx.library.heat_supply_coal_rate(year)
        return float(coef.value), f"{coef.document}（{coef.name}，{coef.confidence}）"
    except AccountingError:
        pass
    setting = q.settings.get("heat_supply_coal_rate")
    if isinstance(setting, int | float) and setting > 0:
        return float(setting) / 1000.0, "计划设置 heat_supply_coal_rate（千克标准煤/吉焦）"
    return None, ""


def generation_coal_rate(ctx: DataContext, q: Query) -> Measurement:
    """The city's coal-fired coal rate [gce/kWh], 供电 or 发电 per the plan setting."""
    code = "generation_coal_rate"
    basis = str(q.settings.get("generation_coal_rate_basis") or "supply")
    confirmed = bool(q.confirmed.get("generation_coal_rate_basis"))
    start, end = _ytd_window(q)
    insts = ctx.installations
    coal_units = [i for i in insts.values() if i.kind == "generating_unit" and i.fuel == "coal"]
    with_unit_data = {i.parent_id for i in coal_units if ctx.readings(i.id, start, end)}
    plants = [
        i
        for i in insts.values()
        if i.kind == "plant" and i.fuel == "coal" and i.id not in with_unit_data
    ]
    basis_label = (
        "供电煤耗（标准煤 ÷ 供电量）" if basis == "supply" else "发电煤耗（标准煤 ÷ 发电量）"
    )
    tb = TrailBuilder(
        f"全市燃煤机组综合发电煤耗（{basis_label}，{start.label}至{end.label}）",
        "煤耗 = Σ发电用标准煤 ÷ Σ"
        + ("(发电量 − 厂用电量)" if basis == "supply" else "发电量")
        + "；热电联产机组的供热用煤从标准煤中扣除：用企业填报的“其中：供热耗用标准煤量”，"
        + "未填报时按供热量 × 供热煤耗率分摊",
        references=(
            "供电煤耗定义（标准煤 ÷ 供电量）[V]；GB 21258-2024 燃煤发电机组单位产品能源消耗限额 [S]",
        ),
    )
    tb.note(
        f"“290克标准煤/千瓦时”的口径按计划设置 generation_coal_rate_basis = {basis}（{basis_label}）评价"
        + ("" if confirmed else "，该设置未经确认")
    )
    heat_rate, heat_source = _heat_rate(ctx, q, end.year)
    coal_tce = kwh = 0.0
    last: YearMonth | None = None
    excluded: list[str] = []
    for inst in [*coal_units, *plants]:
        readings = ctx.readings(inst.id, start, end)
        if not readings:
            continue
        std = sum(r.values.get("standard_coal_tce") or 0.0 for r in readings)
        gen = sum(r.values.get("generation_kwh") or 0.0 for r in readings)
        use = sum(r.values.get("station_use_kwh") or 0.0 for r in readings)
        # heat coal: the unit's own split where it reported one, else heat supplied × rate
        reported = [r for r in readings if r.values.get("heat_standard_coal_tce") is not None]
        heat_reported_tce = sum(r.values["heat_standard_coal_tce"] or 0.0 for r in reported)
        heat = sum(
            r.values.get("heat_supplied_gj") or 0.0
            for r in readings
            if r.values.get("heat_standard_coal_tce") is None
        )
        if gen <= 0 or std <= 0:
            continue
        heat_tce = heat_reported_tce
        if heat > 0:
            if heat_rate is None:
                excluded.append(inst.label)
                continue
            heat_tce += heat * heat_rate
        supplied = gen - use if basis == "supply" else gen
        coal_tce += std - heat_tce
        kwh += supplied
        last = max(last, readings[-1].month) if last else readings[-1].month
        tb.input(
            f"{inst.code}.standard_coal_tce",
            f"{inst.label} 耗用标准煤",
            std,
            "tce",
            source=f"企业能源月报装置行 {len(readings)} 个月",
            refs=[r.ref(inst) for r in readings],
        )
        tb.input(f"{inst.code}.generation_kwh", f"{inst.label} 发电量", gen, "kWh")
        if basis == "supply":
            tb.input(f"{inst.code}.station_use_kwh", f"{inst.label} 厂用电量", use, "kWh")
        if heat_reported_tce:
            tb.input(
                f"{inst.code}.heat_standard_coal_tce",
                f"{inst.label} 其中：供热耗用标准煤（企业填报，扣除）",
                heat_reported_tce,
                "tce",
                source=f"企业能源月报装置行 {len(reported)} 个月",
                refs=[r.ref(inst) for r in reported],
            )
        if heat > 0:
            tb.input(
                f"{inst.code}.heat_tce",
                f"{inst.label} 供热用煤（按供热量分摊，扣除）",
                heat * (heat_rate or 0.0),
                "tce",
                source=f"供热量 {num(heat)} GJ × 供热煤耗率 {num(heat_rate or 0.0)} tce/GJ（{heat_source}）",
            )
    if excluded:
        tb.note(
            "以下热电联产机组有供热量，但未载入供热煤耗率，无法分摊供热用煤，未计入："
            + "、".join(excluded)
            + "。请在因子集（heat_supply_coal_rate）或计划设置 heat_supply_coal_rate 中提供"
        )
    if kwh <= 0 or last is None:
        result = _missing(
            code,
            f"{start.label}至{end.label}没有可用的燃煤机组发电和耗煤数据（已审核）"
            + ("；有供热的热电联产机组因缺供热煤耗率未计入" if excluded else ""),
        )
        result.take(tb)
        return result
    rate = coal_tce * 1_000_000.0 / kwh
    tb.step("综合发电煤耗", f"{num(coal_tce)} × 10⁶ ÷ {num(kwh)}", rate, "gce/kWh")
    result = Measurement(
        code=code,
        value=rate,
        latest=rate,
        data_through=last,
        months_covered=last.month,
        source="企业能源月报（燃煤机组运行数据）",
    )
    result.extra["basis"] = basis
    result.extra["basis_confirmed"] = confirmed
    result.take(tb)
    if not confirmed:
        result.notes.append("煤耗口径（供电/发电）为计划设置，未经确认")
    return result


def pue_new_dc(ctx: DataContext, q: Query) -> Measurement:
    """PUE of every new or expanded data centre, year to date (per entity)."""
    code = "pue_new_dc"
    start, end = _ytd_window(q)
    dcs = [
        i
        for i in ctx.installations.values()
        if i.kind == "data_centre"
        and i.dc_status in ("new", "expanded")
        and i.operating_in(_limit_date(start).replace(day=1), _limit_date(end))
    ]
    tb = TrailBuilder(
        f"新建及改扩建数据中心电能利用效率（{start.label}至{end.label}）",
        "PUE = 数据中心总耗电量 ÷ IT设备耗电量（逐个数据中心）",
        references=("PUE 定义 [V]；GB 40879-2021 数据中心能效限定值及能效等级 [S]",),
    )
    entities: list[EntityValue] = []
    rows: list[dict[str, Any]] = []
    last: YearMonth | None = None
    for dc in dcs:
        readings = [
            r
            for r in ctx.readings(dc.id, start, end)
            if r.values.get("electricity_total_kwh") and r.values.get("electricity_it_kwh")
        ]
        if not readings:
            entities.append(EntityValue(dc.label, None, "未填报"))
            rows.append({"entity": dc.label, "status": dc.dc_status, "pue": None})
            continue
        total = sum(r.values["electricity_total_kwh"] or 0.0 for r in readings)
        it = sum(r.values["electricity_it_kwh"] or 0.0 for r in readings)
        pue = total / it
        last = max(last, readings[-1].month) if last else readings[-1].month
        tb.input(
            f"{dc.code}.electricity_total_kwh",
            f"{dc.label} 总耗电量",
            total,
            "kWh",
            source=f"企业能源月报装置行 {len(readings)} 个月",
            refs=[r.ref(dc) for r in readings],
        )
        tb.input(f"{dc.code}.electricity_it_kwh", f"{dc.label} IT设备耗电量", it, "kWh")
        tb.step(f"{dc.label} PUE", f"{num(total)} ÷ {num(it)}", pue, "")
        entities.append(EntityValue(dc.label, pue, "企业能源月报"))
        rows.append(
            {"entity": dc.label, "status": dc.dc_status, "pue": pue, "months": len(readings)}
        )
    values = [e.value for e in entities if e.value is not None]
    result = Measurement(
        code=code,
        value=max(values) if values else None,
        data_through=last,
        months_covered=last.month if last else None,
        entities=tuple(entities),
        entity_rows=rows,
        source="企业能源月报（数据中心用电）",
    )
    if not dcs:
        tb.note("登记册中没有新建或改扩建的数据中心")
    result.take(tb)
    return result


def key_units_guided(ctx: DataContext, q: Query) -> Measurement:
    """Key energy-using units (registry class 一类/二类, ≥ 5 000 tce) that report monthly to
    the platform in the last 12 months — the units the platform guides and monitors."""
    code = "key_units_guided_count"
    end = q.limit
    start = end.plus_months(-11)
    totals = ctx.enterprise_totals(start, end)
    if not totals:
        return _missing(code, f"{start.label}至{end.label}没有企业能源月报（已审核）")
    end = max(t.last_month for t in totals.values())
    tb = TrailBuilder(
        f"纳入指导推动的重点用能企业（{start.label}至{end.label}）",
        "个数 = 企业名录中登记为重点用能单位（年综合能耗5000吨标准煤以上）、近12个月按月报送能源月报的企业数",
        references=("重点用能单位节能管理办法（2018）第二条 [V]；计划 3（3）",),
    )
    count = 0
    rows: list[dict[str, Any]] = []
    unclassed: list[str] = []
    counted = []
    for enterprise_id, e in sorted(ctx.enterprises.items()):
        total = totals.get(enterprise_id)
        energy = total.energy_tce_calorific if total else 0.0
        if e.key_unit_class not in ("over_10k", "5k_to_10k"):
            if energy >= KEY_UNIT_THRESHOLD_TCE:
                unclassed.append(f"{e.name}（近12个月 {num(energy)} 吨标准煤）")
            continue
        rows.append(
            {
                "entity": e.name,
                "class": e.get_key_unit_class_display(),
                "energy_tce": energy,
                "months": total.months if total else 0,
            }
        )
        if total is None:
            continue
        count += 1
        counted.append((e, total))
    infos = ctx.energy_infos([t.last_revision_id for _, t in counted])
    for e, total in counted:
        info = infos.get(total.last_revision_id)
        refs: tuple[SourceRef, ...] = ()
        if info is not None:
            refs = (
                info.ref(
                    kind="enterprise_energy",
                    id=str(e.pk),
                    description=f"{e.name} {start.label}至{end.label}能源月报 {total.months} 份（最近：{info.label}）",
                ),
            )
            if info.preview:
                tb.preview = True
        tb.input(
            f"enterprise[{e.pk}]",
            f"{e.name}（{e.get_key_unit_class_display()}）近12个月综合能耗",
            total.energy_tce_calorific,
            "tce",
            source=f"企业能源月报核算结果 {total.months} 个月",
            refs=refs,
        )
    tb.step("企业个数", f"{count} 家重点用能单位按月报送", count, "家")
    if unclassed:
        tb.note(
            "以下企业近12个月综合能耗达到5000吨标准煤，但企业名录未登记为重点用能单位，未计入（请核对名录）："
            + "、".join(unclassed)
        )
    result = Measurement(
        code=code,
        value=float(count),
        latest=float(count),
        data_through=end,
        months_covered=end.month if end.year == q.limit.year else 12,
        entity_rows=rows,
        source="企业名录（重点用能单位类别）+ 企业能源月报",
    )
    result.take(tb)
    return result


def service_energy_growth(ctx: DataContext, q: Query) -> Measurement:
    """服务业能耗增速 (year to date, year on year) and the value-added growth it is compared
    with."""
    code = "service_energy_growth"
    first_reason = ""
    for y, m in reversed(ctx.stat_periods(q.area.pk)):
        if YearMonth(y, m) > q.limit:
            continue
        cur = ctx.stat(q.area.pk, y, m)
        prev = ctx.stat(q.area.pk, y - 1, m)
        if cur is None or cur.get("service_energy_tce") is None:
            continue
        if prev is None or prev.get("service_energy_tce") is None:
            first_reason = (
                first_reason or f"{period_label(y - 1, m)}没有第三产业能源消费量，无法计算增速"
            )
            continue
        label = period_label(y, m)
        tb = TrailBuilder(
            f"服务业能耗增速与增加值增速（{q.area.name}，{label}）",
            "能耗增速 = 第三产业能源消费量 ÷ 上年同期 − 1；增加值增速 = 第三产业增加值指数（上年同期=100）÷ 100 − 1（不变价）",
            references=("国家统计局 三次产业划分规定 [V]；policy-mechanics §4（弹性系数方法）[S]",),
        )
        cur_line, prev_line = cur.get("service_energy_tce"), prev.get("service_energy_tce")
        assert cur_line is not None
        assert prev_line is not None
        e1 = tb.stat("service_energy_tce.current", f"{label}第三产业能源消费量", cur_line)
        e0 = tb.stat(
            "service_energy_tce.previous", f"{period_label(y - 1, m)}第三产业能源消费量", prev_line
        )
        growth = e1 / e0 - 1.0
        tb.step("服务业能耗增速", f"{num(e1)} ÷ {num(e0)} − 1", growth, "%")
        reference: float | None = None
        ref_label = ""
        va = cur.get("value_added_index_same_period", "tertiary")
        if va is not None:
            index = tb.stat("service_va_index", f"{label}第三产业增加值指数（上年同期=100）", va)
            reference = index / 100.0 - 1.0
            tb.step("服务业增加值增速", f"{num(index)} ÷ 100 − 1", reference, "%")
            ref_label = "统计数据（第三产业增加值指数）"
        else:
            reported = [
                v
                for v in _reported_values(ctx, "service_value_added_growth", cur.end)
                if not v.subject and v.value is not None and v.period.year == y
            ]
            if reported:
                best = max(reported, key=lambda v: (v.end, -_KIND_ORDER[v.period.kind]))
                reference = best.value
                tb.input(
                    "service_value_added_growth",
                    f"{best.organisation} {best.period.label}填报的服务业增加值增速",
                    best.value,
                    "%",
                    refs=(best.ref(),),
                )
                ref_label = "部门填报"
                if best.end != cur.end:
                    tb.note(
                        f"增加值增速为{best.period.label}的填报值，与能耗增速期间（{label}）不完全一致"
                    )
        result = Measurement(
            code=code,
            value=growth,
            latest=growth,
            data_through=cur.end,
            months_covered=cur.months,
            reference_value=reference,
            reference_label=ref_label,
            source=f"统计数据（{cur.revision.label}）",
        )
        result.take(tb)
        return result
    return _missing(code, first_reason or f"截至{q.limit.label}没有第三产业能源消费量的统计数据")


# -- the registry -------------------------------------------------------------------------------


def _def(
    code: str,
    method: Method,
    formula: str,
    definition: str,
    data: str,
    confidence: str,
    compute: Callable[[DataContext, Query], Measurement],
    *,
    unit: str | None = None,
    label: str | None = None,
) -> IndicatorDefinition:
    d = PLAN_INDICATORS.get(code)
    return IndicatorDefinition(
        code=code,
        label=label or (d.label if d else code),
        unit=unit or (d.unit if d else ""),
        method=method,
        formula=formula,
        definition=definition,
        data=data,
        confidence=confidence,
        compute=compute,
    )


def _benchmark(product: str) -> Callable[[DataContext, Query], Measurement]:
    return lambda ctx, q: benchmark_capacity(ctx, q, product)


def _below(product: str) -> Callable[[DataContext, Query], Measurement]:
    return lambda ctx, q: below_baseline_capacity(ctx, q, product)


_STAT = "统计数据：能源消费总量、非化石能源消费量"
DEFINITIONS: dict[str, IndicatorDefinition] = {
    d.code: d
    for d in (
        _def(
            "nonfossil_share",
            "computed",
            "非化石能源消费量 ÷ 能源消费总量",
            "国家统计局能源平衡表口径：一次电力按发电煤耗计算法折算；统计部门未公布非化石能源消费量时，"
            "由本地一次电力、净调入非化石电力（发电煤耗法）和非电非化石能源（按热值）推算",
            f"{_STAT}（或一次电力、净调入非化石电力、非化石品种消费量）",
            "from-secondary-source",
            nonfossil_share,
        ),
        _def(
            "nonfossil_deduction_tce",
            "computed",
            "当年累计非化石能源消费量（+ 跨省绿证，待有统计项）",
            "发改环资〔2024〕113号：非化石能源不纳入能耗总量和强度调控；跨省绿证计入受让方（上限为所需节能量的50%）",
            "统计数据：非化石能源消费量（季度累计）",
            "from-secondary-source",
            nonfossil_deduction,
        ),
        _def(
            "coal_share_primary",
            "computed",
            "煤炭消费量（折标准煤）÷ 能源消费总量",
            "一次煤炭品种（原煤、洗精煤、其他洗煤、型煤）的消费量，含发电供热用煤；煤制品不重复计入",
            "统计数据：分品种能源消费量、能源消费总量",
            "uncertain",
            coal_share_primary,
        ),
        _def(
            "power_coal_share",
            "computed",
            "(发电用煤 + 供热用煤) ÷ 煤炭消费量",
            "电煤含供热用煤（通常口径）；均折标准煤",
            "统计数据：火力发电投入、供热投入（煤炭品种）、分品种能源消费量",
            "uncertain",
            power_coal_share,
        ),
        _def(
            "generation_coal_rate",
            "computed",
            "Σ发电用标准煤 ÷ Σ供电量（或发电量）",
            "供电煤耗 = 标准煤耗用量 ÷ (发电量 − 厂用电量)；发电煤耗 = 标准煤耗用量 ÷ 发电量；"
            "口径由计划设置 generation_coal_rate_basis 决定（未经确认）；热电联产机组按供热量 × 供热煤耗率扣除供热用煤",
            "企业能源月报：燃煤机组（或电厂）的发电量、厂用电量、供热量、耗用标准煤量",
            "from-secondary-source",
            generation_coal_rate,
        ),
        _def(
            "nonfossil_generation_share",
            "computed",
            "非化石能源发电量 ÷ 全部发电量",
            "本地发电口径",
            "统计数据：分电源发电量",
            "verified-from-source",
            nonfossil_generation_share,
        ),
        _def(
            "energy_intensity_change_new_basis",
            "computed",
            "Π(1 + ΔI_y) − 1，ΔI = (E_t ÷ E_t−1) ÷ (1 + g_GDP) − 1，E = 能源消费总量 − 非化石 − 原料用能 − 能耗单列",
            "发改环资〔2022〕803号、〔2024〕113号：原料用能、非化石能源（及能耗单列）在基期和当期同时扣除，GDP不调整；"
            "GDP按可比价（由统计部门的GDP指数链式计算）",
            "统计数据：能源消费总量、非化石能源、原料用能（分品种）、能耗单列项目能耗、GDP指数",
            "verified-from-source",
            _intensity("energy_intensity_change_new_basis", "energy"),
        ),
        _def(
            "co2_intensity_change",
            "computed",
            "Π(1 + ΔC_y) − 1，ΔC = (C_t ÷ C_t−1) ÷ (1 + g_GDP) − 1",
            "能源活动二氧化碳：化石燃料消费量（扣除原料用能）× 排放因子 + 净调入电力 × 省级电网排放因子（当年）",
            "统计数据：分品种能源消费量、原料用能、净调入电力、GDP指数；因子集：燃料排放因子、电网排放因子",
            "from-secondary-source",
            _intensity("co2_intensity_change", "co2"),
        ),
        _def(
            "retrofit_savings_tce",
            "reported",
            "窗口内各期填报的改造节能量之和",
            "GB/T 13234 用能单位节能量计算方法；平台尚无改造项目台账，采用市工信局按期填报的汇总值",
            "部门填报（市工信局）：节能降碳改造形成的节能量（当期数）",
            "from-secondary-source",
            _reported_sum_fn("retrofit_savings_tce"),
        ),
        _def(
            "retrofit_co2_reduction_t",
            "reported",
            "窗口内各期填报的改造减排量之和",
            "改造项目减排二氧化碳量，由填报部门按项目核算后汇总",
            "部门填报（文本未指定责任部门，由计划管理部门填报）：改造减排二氧化碳量（当期数）",
            "from-secondary-source",
            _reported_sum_fn("retrofit_co2_reduction_t"),
        ),
        _def(
            "retrofit_project_count",
            "reported",
            "窗口内各期填报的改造项目数之和",
            "期内组织实施（完成）的绿色化改造项目个数",
            "部门填报（市工信局）：绿色化改造项目数（当期数）",
            "from-secondary-source",
            _reported_sum_fn("retrofit_project_count"),
        ),
        _def(
            "steel_energy_per_tonne_change",
            "computed",
            "(Σ综合能耗 ÷ Σ粗钢产量)_本期 ÷ (…)_2023 − 1",
            "吨钢综合能耗 = 钢铁企业综合能耗 ÷ 粗钢产量（GB 21256 工序限额为背景；企业级公式为通行做法）",
            "企业能源月报：粗钢装置的产量和综合能耗",
            "uncertain",
            steel_energy_per_tonne,
        ),
        _def(
            "pta_benchmark_capacity_share",
            "computed",
            "单位产品综合能耗 ≤ 标杆值的PTA装置产能 ÷ PTA装置总产能",
            "工业重点领域能效标杆水平和基准水平（2023年版）；单位产品能耗越低越好；PTA标杆/基准值未确认时不计算",
            "企业能源月报：PTA装置产量和综合能耗；装置名录：设计产能；因子集：能效标杆水平",
            "uncertain",
            _benchmark("pta"),
        ),
        _def(
            "caustic_soda_benchmark_capacity_share",
            "computed",
            "单位产品综合能耗 ≤ 标杆值的烧碱装置产能（折百，分品种）÷ 烧碱装置总产能",
            "工业重点领域能效标杆水平和基准水平（2023年版）：离子膜法液碱≥30%、≥45%、固碱≥98%分别对标；折百吨",
            "企业能源月报：烧碱装置产量（折百）和综合能耗；装置名录：品种、设计产能；因子集：能效标杆水平",
            "uncertain",
            _benchmark("caustic_soda"),
        ),
        _def(
            "pta_below_baseline_capacity_t",
            "computed",
            "单位产品综合能耗劣于基准值的PTA装置产能之和",
            "同上；完成技术改造或淘汰退出时为零",
            "同 PTA 标杆水平以上产能占比",
            "uncertain",
            _below("pta"),
        ),
        _def(
            "caustic_soda_below_baseline_capacity_t",
            "computed",
            "单位产品综合能耗劣于基准值的烧碱装置产能之和（折百）",
            "同上；完成技术改造或淘汰退出时为零",
            "同烧碱标杆水平以上产能占比",
            "uncertain",
            _below("caustic_soda"),
        ),
        _def(
            "service_energy_growth",
            "computed",
            "第三产业能源消费量 ÷ 上年同期 − 1，与第三产业增加值增速（不变价）比较",
            "国家统计局三次产业划分；能耗增速不高于增加值增速即能源消费弹性系数不大于1",
            "统计数据：第三产业能源消费量、第三产业增加值指数（或部门填报的增加值增速）",
            "from-secondary-source",
            service_energy_growth,
        ),
        _def(
            "service_value_added_growth",
            "reported",
            "第三产业增加值指数 ÷ 100 − 1",
            "不变价增速",
            "统计数据或部门填报",
            "verified-from-source",
            _reported_level_fn("service_value_added_growth"),
        ),
        _def(
            "pue_new_dc",
            "computed",
            "总耗电量 ÷ IT设备耗电量（逐个数据中心，年初至今）",
            "PUE 定义；GB 40879-2021（1级1.20、2级1.30、3级1.50）",
            "企业能源月报：数据中心总耗电量和IT设备耗电量；装置名录：新建/改扩建",
            "verified-from-source",
            pue_new_dc,
        ),
        _def(
            "key_units_guided_count",
            "computed",
            "企业名录登记的重点用能单位（≥5000吨标准煤）中近12个月按月报送的企业数",
            "重点用能单位节能管理办法（2018）：年综合能耗1万吨标准煤以上及指定的5000—10000吨标准煤单位",
            "企业名录（重点用能单位类别）；企业能源月报核算结果（EnergyResult 当前版本）",
            "verified-from-source",
            key_units_guided,
        ),
        *(
            _def(
                code,
                "reported",
                "窗口内各期填报值之和"
                if code == "existing_building_retrofit_area_m2"
                else "最近一期填报值",
                definition,
                f"部门填报：{PLAN_INDICATORS[code].label}",
                confidence,
                _reported_sum_fn(code)
                if code == "existing_building_retrofit_area_m2"
                else _reported_level_fn(code, change=code.endswith("_change")),
            )
            for code, definition, confidence in (
                (
                    "existing_building_retrofit_area_m2",
                    "期内完成节能改造的既有建筑面积之和（当期数）",
                    "verified-from-source",
                ),
                (
                    "public_building_rooftop_pv_coverage",
                    "已安装光伏屋顶面积 ÷ 可安装屋顶面积（分母口径未经确认）",
                    "uncertain",
                ),
                (
                    "building_renewable_substitution",
                    "城镇建筑可再生能源利用量 ÷ 城镇建筑能耗（公式未经确认）",
                    "uncertain",
                ),
                (
                    "transport_carbon_intensity_change",
                    "营运车船二氧化碳排放 ÷ 换算周转量，较2020年变化率",
                    "verified-from-source",
                ),
                (
                    "container_rail_water_volume_change",
                    "集装箱铁水联运量较2020年变化率",
                    "verified-from-source",
                ),
                (
                    "pi_energy_per_area_change",
                    "公共机构能耗 ÷ 建筑面积，较2020年变化率",
                    "verified-from-source",
                ),
                (
                    "pi_co2_per_area_change",
                    "公共机构二氧化碳排放 ÷ 建筑面积，较2020年变化率",
                    "from-secondary-source",
                ),
                (
                    "pi_energy_per_capita_change",
                    "公共机构能耗 ÷ 用能人数，较2020年变化率",
                    "verified-from-source",
                ),
                (
                    "industrial_solid_waste_utilisation",
                    "综合利用量 ÷（产生量 + 综合利用往年贮存量）",
                    "verified-from-source",
                ),
                (
                    "official_vehicle_nev_share",
                    "期内新增公务用车中新能源车辆数 ÷ 新增公务用车数",
                    "from-secondary-source",
                ),
                (
                    "key_unit_inspection_coverage",
                    "已开展节能监察的重点用能单位数 ÷ 重点用能单位总数",
                    "from-secondary-source",
                ),
                (
                    "energy_price_preference_count",
                    "现行对两高行业的水电气价格优惠政策个数（应为零）",
                    "from-secondary-source",
                ),
            )
        ),
    )
}


def measure(ctx: DataContext, code: str, query: Query) -> Measurement:
    """The value of indicator ``code`` for ``query``; an unknown code is a measurement with
    ``missing`` saying so."""
    definition = DEFINITIONS.get(code)
    if definition is None:
        return _missing(code, f"指标“{_label(code)}”（{code}）尚无计算方法，也不是填报指标")
    return definition.compute(ctx, query)


def entities_reported(
    ctx: DataContext, code: str, limit: YearMonth, *, subjects: Iterable[str] | None = None
) -> dict[str, ReportedValue]:
    """The latest reported value per subject (per-entity statuses)."""
    wanted = None if subjects is None else set(subjects)
    out: dict[str, ReportedValue] = {}
    for v in _reported_values(ctx, code, limit):
        if not v.subject or (wanted is not None and v.subject not in wanted):
            continue
        out[v.subject] = v
    return out


def city_area(ctx: DataContext) -> Area:
    city = ctx.city
    if city is None:
        raise Missing("地区登记册中没有全市")
    return city


def change_for(
    ctx: DataContext, area: Area, *, base_year: int, limit: YearMonth, measure_: str
) -> Change:
    return latest_change(
        ctx,
        area,
        limit_year=limit.year,
        limit_months=limit.month - limit.month % 3,
        base_year=base_year,
        measure=measure_,
    )

"""Indicators ecplan can compute from stored data, shown beside the reported values.

A small registry: indicator code → a function computing it for a period from the data the
user may see (approved data; ``preview=True`` adds submitted data, marked). The indicator
page shows each computed value next to the department's reported one; the evaluation work
registers more with :func:`register` (same signature) and may reuse
:func:`statistics_balance`, which turns the statistics bureau's figures into the core's
:class:`~ecplan.core.EnergyBalance`.

All arithmetic is the core's (``ecplan.core.shares``); this module only gathers inputs.
Computed shares are returned in percent, as the plan states them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from ecplan.accounts import policies
from ecplan.core import (
    AccountingError,
    Calculation,
    CarrierCategory,
    EnergyBalance,
    coal_share_result,
    get_carrier,
    non_fossil_generation_share_result,
    non_fossil_share_result,
    power_coal_share_result,
    to_tce,
)
from ecplan.organisations.models import Area, Enterprise, Installation
from ecplan.reporting.models import InstallationLine, Revision, RevisionQuerySet, StatisticLine
from ecplan.reporting.periods import Period

__all__ = [
    "REGISTRY",
    "ComputedValue",
    "computable",
    "compute",
    "register",
    "statistics_balance",
    "statistics_figures",
]


@dataclass(frozen=True)
class ComputedValue:
    """A computed indicator value with what it was computed from."""

    indicator: str
    value: float | None
    unit: str
    period: str
    subject: str = ""
    formula: str = ""
    inputs: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    preview: bool = False
    uncertain: bool = False
    error: str = ""


@dataclass
class ComputeContext:
    user: Any
    period: Period
    preview: bool = False
    area: Area | None = None
    cache: dict[str, Any] = field(default_factory=dict)

    def revisions(self, report_type: str) -> RevisionQuerySet:
        qs = cast(RevisionQuerySet, policies.viewable(self.user, Revision)).filter(
            report__report_type=report_type
        )
        return qs.effective(preview=self.preview)


Computer = Callable[[ComputeContext], list[ComputedValue]]
REGISTRY: dict[str, Computer] = {}


def register(indicator: str) -> Callable[[Computer], Computer]:
    """Decorator: ``fn(context) -> [ComputedValue]`` computes ``indicator``."""

    def decorate(fn: Computer) -> Computer:
        REGISTRY[indicator] = fn
        return fn

    return decorate


def computable(indicator: str) -> bool:
    return indicator in REGISTRY


def compute(
    indicator: str,
    *,
    acting_user: Any,
    period: Period,
    preview: bool = False,
    area: Area | None = None,
) -> list[ComputedValue]:
    """The computed values of ``indicator`` for ``period`` (empty: not computable or no data)."""
    fn = REGISTRY.get(indicator)
    if fn is None:
        return []
    return fn(ComputeContext(acting_user, period, preview, area))


# -- statistics → the core's energy balance ---------------------------------------------------


def statistics_figures(
    ctx: ComputeContext, area: Area
) -> tuple[dict[tuple[str, str], float], bool]:
    """The statistics lines of ``area`` for exactly ``ctx.period`` (canonical values by
    ``(item, breakdown)``; separately listed projects summed) and whether they are preview."""
    revs = ctx.revisions("statistics").filter(report__area=area, report__period=str(ctx.period))
    rev = revs.first()
    if rev is None:
        return {}, False
    out: dict[tuple[str, str], float] = defaultdict(float)
    for ln in policies.viewable(ctx.user, StatisticLine).filter(revision=rev):
        out[(ln.item, ln.breakdown)] += ln.value_canonical
    return dict(out), bool(getattr(rev, "is_preview", False))


_SOURCE_CARRIER = {
    "hydro": "水电",
    "nuclear": "核电",
    "wind": "风电",
    "solar": "太阳能发电",
    "biomass": "生物质能",
    "other_non_fossil": "其他非化石能源",
}


def statistics_balance(
    ctx: ComputeContext, area: Area
) -> tuple[EnergyBalance | None, list[str], bool]:
    """The core's :class:`~ecplan.core.EnergyBalance` of ``area`` from its statistics
    (``None`` without 能源消费总量), the notes on how it was assembled, and the preview flag.

    Coal = 能源消费量 of coal carriers converted to tce (当量值; coal has one basis); coal for
    power and heat = 火力发电投入 / 供热投入 of coal carriers; generation by source; net
    imported electricity and its non-fossil part as published.
    """
    figures, preview = statistics_figures(ctx, area)
    total = figures.get(("energy_total_tce", ""))
    notes: list[str] = []
    if total is None:
        return None, ["缺少“能源消费总量”"], preview

    def coal_tce(item: str) -> float:
        s = 0.0
        for (it, breakdown), value in figures.items():
            if it != item or not breakdown:
                continue
            c = get_carrier(breakdown)
            if c.category is CarrierCategory.COAL:
                s += to_tce(value, _canonical_unit(c), c.code)
        return s

    non_fossil = {
        _SOURCE_CARRIER[b]: v
        for (it, b), v in figures.items()
        if it == "generation" and b in _SOURCE_CARRIER and v
    }
    fossil = sum(
        v for (it, b), v in figures.items() if it == "generation" and b and b not in _SOURCE_CARRIER
    )
    balance = EnergyBalance(
        year=ctx.period.year,
        total_energy_tce=total,
        coal_tce=coal_tce("energy_consumption"),
        coal_for_power_tce=coal_tce("power_input"),
        coal_for_heat_tce=coal_tce("heat_input"),
        fossil_generation_kwh=fossil,
        non_fossil_generation_kwh=non_fossil,
        net_imported_electricity_kwh=figures.get(("net_imported_electricity", ""), 0.0),
        net_imported_non_fossil_kwh=figures.get(("net_imported_nonfossil_electricity", ""), 0.0),
        region=(area.region.province or "江苏").removesuffix("省"),
    )
    notes.append("煤炭按原煤等煤炭品种的实物量折标准煤（当量值）合计。")
    return balance, notes, preview


def _canonical_unit(carrier: Any) -> str:
    return {
        "mass": "t",
        "volume": "m3",
        "electricity": "kWh",
        "heat": "GJ",
        "standard_coal": "tce",
    }[carrier.dimensions[0].value]


def _areas(ctx: ComputeContext) -> list[Area]:
    if ctx.area is not None:
        return [ctx.area]
    return [a for a in policies.viewable(ctx.user, Area).order_by("id") if a.kind == Area.Kind.CITY]


def _share(
    ctx: ComputeContext, indicator: str, fn: Callable[[EnergyBalance], Calculation]
) -> list[ComputedValue]:
    out = []
    for area in _areas(ctx):
        balance, notes, preview = statistics_balance(ctx, area)
        if balance is None:
            continue
        try:
            calc = fn(balance)
        except AccountingError as exc:
            out.append(
                ComputedValue(
                    indicator,
                    None,
                    "%",
                    str(ctx.period),
                    area.name,
                    error=exc.message,
                    preview=preview,
                )
            )
            continue
        out.append(
            ComputedValue(
                indicator,
                calc.value * 100,
                "%",
                str(ctx.period),
                area.name,
                calc.formula,
                tuple((q.label, q.describe()) for q in calc.inputs),
                (*notes, *calc.notes),
                preview,
                calc.uncertain,
            )
        )
    return out


@register("nonfossil_share")
def _nonfossil_share(ctx: ComputeContext) -> list[ComputedValue]:
    return _share(ctx, "nonfossil_share", non_fossil_share_result)


@register("coal_share_primary")
def _coal_share(ctx: ComputeContext) -> list[ComputedValue]:
    return _share(ctx, "coal_share_primary", coal_share_result)


@register("power_coal_share")
def _power_coal_share(ctx: ComputeContext) -> list[ComputedValue]:
    return _share(ctx, "power_coal_share", power_coal_share_result)


@register("nonfossil_generation_share")
def _nonfossil_generation_share(ctx: ComputeContext) -> list[ComputedValue]:
    return _share(ctx, "nonfossil_generation_share", non_fossil_generation_share_result)


@register("service_value_added_growth")
def _service_value_added_growth(ctx: ComputeContext) -> list[ComputedValue]:
    out = []
    for area in _areas(ctx):
        figures, preview = statistics_figures(ctx, area)
        index = figures.get(("value_added_index_same_period", "tertiary"))
        if index is None:
            continue
        out.append(
            ComputedValue(
                "service_value_added_growth",
                index - 100,
                "%",
                str(ctx.period),
                area.name,
                "增速 = 指数（上年同期=100）− 100",
                (("第三产业增加值指数", f"{index:g}"),),
                preview=preview,
            )
        )
    return out


@register("service_energy_growth")
def _service_energy_growth(ctx: ComputeContext) -> list[ComputedValue]:
    out = []
    last = ComputeContext(ctx.user, ctx.period.same_period_last_year(), ctx.preview, ctx.area)
    for area in _areas(ctx):
        now, preview = statistics_figures(ctx, area)
        before, _ = statistics_figures(last, area)
        e1, e0 = now.get(("service_energy_tce", "")), before.get(("service_energy_tce", ""))
        if e1 is None or not e0:
            continue
        out.append(
            ComputedValue(
                "service_energy_growth",
                (e1 / e0 - 1) * 100,
                "%",
                str(ctx.period),
                area.name,
                "增速 = 本期 ÷ 上年同期 − 1",
                (
                    ("本期第三产业能源消费量", f"{e1:g} tce"),
                    (f"{last.period.label}", f"{e0:g} tce"),
                ),
                preview=preview,
            )
        )
    return out


@register("pue_new_dc")
def _pue(ctx: ComputeContext) -> list[ComputedValue]:
    """PUE of each new or expanded data centre over the months of the period."""
    months = ctx.revisions("energy").filter(
        report__period_start__gte=ctx.period.start, report__period_end__lte=ctx.period.end
    )
    lines = (
        policies.viewable(ctx.user, InstallationLine)
        .filter(
            revision__in=months.values("pk"),
            installation__kind=Installation.Kind.DATA_CENTRE,
            installation__dc_status__in=["new", "expanded"],
        )
        .select_related("installation__enterprise")
    )
    sums: dict[int, list[Any]] = {}
    for ln in lines:
        entry = sums.setdefault(ln.installation_id, [ln.installation, 0.0, 0.0, 0])
        if ln.electricity_total_kwh is not None and ln.electricity_it_kwh:
            entry[1] += ln.electricity_total_kwh
            entry[2] += ln.electricity_it_kwh
            entry[3] += 1
    out = []
    for inst, total, it, n in sums.values():
        if not it:
            continue
        out.append(
            ComputedValue(
                "pue_new_dc",
                total / it,
                "1",
                str(ctx.period),
                f"{inst.enterprise.name} {inst.name}",
                "PUE = Σ总耗电量 ÷ ΣIT设备耗电量",
                (
                    ("总耗电量", f"{total:g} kWh"),
                    ("IT设备耗电量", f"{it:g} kWh"),
                    ("月份数", str(n)),
                ),
            )
        )
    return out


@register("key_units_guided_count")
def _key_units(ctx: ComputeContext) -> list[ComputedValue]:
    count = (
        policies.viewable(ctx.user, Enterprise)
        .filter(key_unit_class__in=["over_10k", "5k_to_10k"])
        .count()
    )
    return [
        ComputedValue(
            "key_units_guided_count",
            float(count),
            "家",
            str(ctx.period),
            "",
            "登记为重点用能单位（年综合能耗 5 千吨标准煤及以上）的企业数",
            notes=("按企业名录的重点用能单位类别计数。",),
        )
    ]

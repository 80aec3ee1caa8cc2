"""The evaluation's indicators offered to the data-collection pages' computed-value registry.

``ecplan.reporting.computed`` shows computed values beside the departments' reported ones.
Indicators it does not compute itself are registered here (at app start, only codes not yet
registered), each a thin wrapper over :func:`ecplan.monitoring.indicators.measure` for the
report's period — the same definitions as the evaluation (``docs/indicators.md``). Values go
out in the registry's convention (fractions as percent).

The registry is called for a user; the evaluation reads the region's data as the system, so
the wrappers answer only users who see evaluations (not enterprise users) and return the
aggregate value with the inputs' labels, never per-enterprise rows.
"""

from __future__ import annotations

from typing import Any

from ecplan.core.evaluation import YearMonth
from ecplan.monitoring.display import num

__all__ = ["CODES", "register_all"]

#: code → base year of a change (None for levels and amounts)
CODES: dict[str, int | None] = {
    "nonfossil_deduction_tce": None,
    "generation_coal_rate": None,
    "steel_energy_per_tonne_change": 2023,
    "pta_benchmark_capacity_share": None,
    "caustic_soda_benchmark_capacity_share": None,
    "pta_below_baseline_capacity_t": None,
    "caustic_soda_below_baseline_capacity_t": None,
    "energy_intensity_change_new_basis": 2020,
    "co2_intensity_change": 2020,
}


def _computer(code: str, base_year: int | None) -> Any:
    def compute(ctx: Any) -> list[Any]:
        from ecplan.accounts.policies import viewable
        from ecplan.monitoring.data import DataContext
        from ecplan.monitoring.indicators import DEFINITIONS, Query, measure
        from ecplan.monitoring.policies import reads_evaluations
        from ecplan.organisations.models import Area
        from ecplan.reporting.computed import ComputedValue

        if not reads_evaluations(ctx.user):
            return []
        area = ctx.area
        if area is None:
            area = viewable(ctx.user, Area).filter(kind=Area.Kind.CITY).order_by("id").first()
        if area is None:
            return []
        as_of = YearMonth(ctx.period.year, ctx.period.last_month)
        data = DataContext(region=area.region, as_of=as_of, preview=ctx.preview)
        m = measure(
            data,
            code,
            Query(
                area=area,
                as_of=as_of,
                limit=as_of,
                window_start=YearMonth(ctx.period.year, 1),
                baseline_year=base_year,
            ),
        )
        unit = DEFINITIONS[code].unit
        value = m.value
        if value is not None and m.baseline_value is not None:
            value = value / m.baseline_value - 1.0
        shown_unit = unit
        if value is not None and unit == "fraction":
            value, shown_unit = value * 100, "%"
        trail = m.trail
        inputs = tuple(
            (
                i.label,
                f"{num(i.value)} {i.unit}" if isinstance(i.value, int | float) else str(i.value),
            )
            for i in (trail.inputs[:12] if trail is not None else ())
        )
        return [
            ComputedValue(
                code,
                value,
                shown_unit,
                str(ctx.period),
                area.name,
                trail.formula if trail is not None else "",
                inputs,
                tuple(m.notes),
                m.preview,
                m.uncertain,
                m.missing,
            )
        ]

    return compute


def register_all() -> None:
    """Register the wrappers for the codes the reporting registry does not compute itself."""
    from ecplan.reporting import computed

    for code, base_year in CODES.items():
        if not computed.computable(code):
            computed.register(code)(_computer(code, base_year))

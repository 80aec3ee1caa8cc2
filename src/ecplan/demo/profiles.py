"""Monthly profiles (seasonality) of activity, by kind of user (synthetic shapes).

Each profile is 12 multipliers around 1: heating and cooling months raise power generation,
services and data-centre cooling; solar follows irradiance, wind the windier cold season.
Spring Festival and the 2020 COVID-19 months are applied on top (see
:mod:`ecplan.demo.periods`).
"""

from __future__ import annotations

from typing import Final

from ecplan.demo.periods import Month, covid_factor, spring_festival_factor

PROFILES: Final[dict[str, tuple[float, ...]]] = {
    "process": (1.00, 0.99, 1.00, 1.00, 1.00, 0.99, 1.00, 1.00, 1.00, 1.00, 1.00, 1.01),
    "manufacturing": (1.02, 1.00, 1.03, 1.01, 1.00, 1.00, 0.97, 0.97, 1.00, 0.99, 1.01, 1.03),
    "steel": (1.00, 0.98, 1.01, 1.01, 1.01, 1.00, 0.98, 0.98, 1.00, 1.01, 1.01, 1.00),
    "power": (1.09, 0.96, 0.93, 0.89, 0.93, 1.00, 1.15, 1.17, 1.00, 0.91, 0.94, 1.07),
    "services": (1.08, 1.02, 0.95, 0.90, 0.93, 1.02, 1.15, 1.16, 1.00, 0.92, 0.90, 1.02),
    "datacentre": (0.97, 0.96, 0.98, 0.99, 1.00, 1.02, 1.04, 1.04, 1.02, 1.00, 0.99, 0.98),
    "residual_electricity": (
        1.06,
        0.93,
        0.95,
        0.93,
        0.96,
        1.02,
        1.14,
        1.15,
        1.00,
        0.93,
        0.94,
        1.04,
    ),
    "area_energy": (1.03, 0.94, 0.99, 0.97, 0.98, 1.00, 1.05, 1.06, 1.00, 0.98, 0.99, 1.04),
    "solar": (0.65, 0.75, 0.95, 1.10, 1.22, 1.12, 1.25, 1.30, 1.10, 1.00, 0.83, 0.70),
    "wind": (1.15, 1.12, 1.20, 1.10, 0.95, 0.85, 0.85, 0.84, 0.90, 0.95, 1.02, 1.10),
    "flat": (1.0,) * 12,
}

#: Data-centre PUE by month relative to the annual value (cooling load).
PUE_SEASON: Final = (0.965, 0.96, 0.97, 0.985, 1.0, 1.02, 1.04, 1.04, 1.02, 1.0, 0.98, 0.97)


def activity(month: Month, profile: str, *, sf_depth: float = 0.0, covid: float = 0.0) -> float:
    """Activity of ``month`` relative to an average day, times the days of the month.

    The result summed over a normal year is close to 365 (before Spring Festival and COVID).
    """
    base = PROFILES[profile][month.month - 1]
    return (
        base
        * month.days
        * spring_festival_factor(month, sf_depth)
        * covid_factor(month, sensitivity=covid)
    )


def year_weights(year: int, profile: str, months: range = range(1, 13)) -> dict[int, float]:
    """Normalised weights of the given months of ``year`` (sum 1) for ``profile`` (no
    Spring Festival or COVID effects: used to spread fixed annual totals)."""
    raw = {m: PROFILES[profile][m - 1] * Month(year, m).days for m in months}
    total = sum(raw.values())
    return {m: v / total for m, v in raw.items()}

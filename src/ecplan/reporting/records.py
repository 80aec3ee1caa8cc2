"""Plain records: what a report file, a form or a program hands to the services.

Django-free dataclasses. The importer builds them from spreadsheet rows; the pages from forms;
programs (the demo-data generator, scripts) build them directly and pass them to
:mod:`ecplan.reporting.services`. All three go through the same validation and storage, so a
record refused from a file is refused from a program with the same Chinese message.

Numbers are floats in the unit given next to them (``unit``), exactly as entered; codes and
names are text as entered (credit codes are normalised: full-width → half-width, upper-case).
``origin`` tells messages where the record came from (sheet, row, column letters); records a
program builds leave it empty and messages name the record instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ElectricityRecord",
    "EnergyLineRecord",
    "EnergyReportRecord",
    "EnterpriseRecord",
    "IndicatorReportRecord",
    "IndicatorValueRecord",
    "InstallationFiguresRecord",
    "InstallationRecord",
    "Origin",
    "OutputRecord",
    "StatisticRecord",
    "StatisticsReportRecord",
]


@dataclass(frozen=True)
class Origin:
    """Where a record came from, for messages.

    Attributes
    ----------
    sheet : str or None
        Worksheet (or file) name.
    row : int or None
        1-based row number as Excel shows it.
    columns : mapping field key → column letter
    labels : mapping field key → column header as the user knows it
    """

    sheet: str | None = None
    row: int | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)


# -- registry ---------------------------------------------------------------------------------


@dataclass
class EnterpriseRecord:
    """An enterprise to create or update (matched by credit code).

    ``area`` and ``zone`` are area codes or names (``321081``, ``仪征市``, ``扬州经济技术开发区``).
    """

    credit_code: str
    name: str
    area: str
    zone: str | None = None
    industry_code: str = ""
    key_unit_class: str = "other"
    budget_managed: bool = False
    is_demo: bool = False
    origin: Origin | None = None


@dataclass
class InstallationRecord:
    """An installation to create or update (matched by enterprise credit code + code).

    ``kind``, ``product``, ``variant``, ``dc_status``, ``plant_type`` and ``fuel`` take the
    codes or the Chinese labels of :class:`ecplan.organisations.models.Installation`;
    ``parent`` is the code of the plant a generating unit or boiler belongs to.
    """

    credit_code: str
    code: str
    name: str
    kind: str
    product: str = ""
    variant: str = ""
    capacity_t_per_a: float | None = None
    it_capacity_kw: float | None = None
    dc_status: str = ""
    plant_type: str = ""
    capacity_mw: float | None = None
    evaporation_t_per_h: float | None = None
    fuel: str = ""
    parent: str = ""
    commissioned_on: dt.date | None = None
    closed_on: dt.date | None = None
    notes: str = ""
    is_demo: bool = False
    origin: Origin | None = None


# -- enterprise energy report -------------------------------------------------------------------


@dataclass
class EnergyLineRecord:
    """One carrier of a monthly energy report; every quantity in ``unit``.

    ``feedstock`` (原料用能) and ``power_heat`` (发电供热投入) are parts of ``consumed``.
    ``lcv`` is a measured low heating value in kJ per kg (mass carriers) or per m3 (gases),
    needed for carriers without a default coefficient (煤泥, 转炉煤气, 沼气 …).
    """

    carrier: str
    unit: str
    purchased: float | None = None
    consumed: float | None = None
    feedstock: float | None = None
    power_heat: float | None = None
    supplied_out: float | None = None
    closing_stock: float | None = None
    lcv: float | None = None
    remark: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None


@dataclass
class OutputRecord:
    """Output of a product (``installation``: code of the installation that made it)."""

    product: str
    quantity: float | None
    unit: str
    installation: str = ""
    remark: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None


@dataclass
class InstallationFiguresRecord:
    """Measurements of one installation in the month.

    ``values`` maps a measure key (``output_t``, ``energy_tce``, ``electricity_total_kwh``,
    ``electricity_it_kwh``, ``generation_kwh``, ``station_use_kwh``, ``heat_supplied_gj``,
    ``coal_t``, ``standard_coal_tce``, ``heat_standard_coal_tce``, ``operating_hours_h``) to ``(value, unit)``; the unit
    may be any unit of the measure's dimension (``万千瓦时`` for ``generation_kwh``).
    """

    installation: str
    values: dict[str, tuple[float, str]] = field(default_factory=dict)
    remark: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None


@dataclass
class ElectricityRecord:
    """Self-generation and green power of the month, each ``(value, unit)``; certificates are
    a count (张)."""

    self_generated: tuple[float, str] | None = None
    self_generated_renewable: tuple[float, str] | None = None
    green_electricity: tuple[float, str] | None = None
    green_certificates: float | None = None
    remark: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None


@dataclass
class EnergyReportRecord:
    """An enterprise's monthly energy report.

    ``sections`` names the parts this record provides: a new revision takes those parts from
    the record and keeps the other parts of the previous revision (a file with only the energy
    sheet does not erase the installation figures). By default the parts that hold data.
    ``enterprise_name``, when given, must match the registered name of the credit code.
    """

    credit_code: str
    period: str
    lines: list[EnergyLineRecord] = field(default_factory=list)
    outputs: list[OutputRecord] = field(default_factory=list)
    installations: list[InstallationFiguresRecord] = field(default_factory=list)
    electricity: ElectricityRecord | None = None
    enterprise_name: str | None = None
    sections: frozenset[str] | None = None
    origin: Origin | None = None

    def provided_sections(self) -> frozenset[str]:
        if self.sections is not None:
            return self.sections
        found = set()
        if self.lines:
            found.add("energy")
        if self.outputs:
            found.add("outputs")
        if self.installations:
            found.add("installations")
        if self.electricity is not None:
            found.add("electricity")
        return frozenset(found)


# -- statistics -----------------------------------------------------------------------------------


@dataclass
class StatisticRecord:
    """One statistics figure: ``item`` (a code or label of
    :data:`ecplan.reporting.catalogue.STATISTIC_ITEMS`), ``breakdown`` (carrier, source or
    sector, by code or name; empty for totals), ``subject`` (project name of separately
    listed energy)."""

    item: str
    value: float | None
    unit: str
    breakdown: str = ""
    subject: str = ""
    remark: str = ""
    raw: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None


@dataclass
class StatisticsReportRecord:
    """Statistics of one area (the city or a county-level area, by code or name) and period
    (quarter ``2025-Q1``, cumulative from January, or year ``2025``). ``organisation`` is the
    reporting body (default: the region's statistics bureau, code ``statistics``)."""

    area: str
    period: str
    lines: list[StatisticRecord] = field(default_factory=list)
    organisation: str = "statistics"
    sections: frozenset[str] | None = None
    origin: Origin | None = None


# -- department indicators ------------------------------------------------------------------------


@dataclass
class IndicatorValueRecord:
    """A department's value of one plan indicator: a number with its unit, or a text value
    (是/否, a grade) for indicators recorded per project or facility (``subject``)."""

    indicator: str
    value: float | None = None
    unit: str = ""
    text_value: str = ""
    subject: str = ""
    comment: str = ""
    evidence_id: int | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None


@dataclass
class IndicatorReportRecord:
    """A department's indicator report for one period (month, quarter or year)."""

    organisation: str
    period: str
    values: list[IndicatorValueRecord] = field(default_factory=list)
    plan_code: str = ""
    origin: Origin | None = None

"""The data an evaluation reads, with where every number came from.

:class:`DataContext` loads, once per evaluation and only for the plan's region, the revisions
that count as of a month (``Revision.objects.effective(preview=…)``: approved data, or with
``preview`` also submitted data, marked as such) — or exactly the revisions a stored run
recorded, to reproduce it — and their lines:

* statistics (``StatisticLine``) by area and period — the city's and the areas' energy
  balance, GDP and indices (quarters cumulative from January, and years);
* department indicator values (``IndicatorValue``) by indicator;
* installation measurements (``InstallationLine``) of enterprises' monthly energy reports;
* enterprises' monthly accounting results (``EnergyResult``, the current version of each
  effective revision).

Every value keeps its :class:`RevisionInfo` (report, revision number, state, submitter,
approver, dates, import file) and line id, so calculation trails can point at the source
rows (:meth:`RevisionInfo.ref`).

The evaluation reads all data of the region as the system, for the plan office; what each user
then sees of the results is decided by the monitoring policies. Lines reading models directly
are therefore marked ``policy-exempt``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ecplan.core import FactorLibrary, default_library
from ecplan.core.evaluation import SourceRef, YearMonth
from ecplan.organisations.models import Area, Installation, Region
from ecplan.reporting.models import (
    EnergyResult,
    IndicatorValue,
    InstallationLine,
    ReportType,
    Revision,
    State,
    StatisticLine,
)
from ecplan.reporting.periods import Period

__all__ = [
    "DataContext",
    "EnterpriseTotal",
    "InstallationInfo",
    "InstallationReading",
    "ReportedValue",
    "RevisionInfo",
    "StatSet",
    "StatValue",
    "library_fingerprint",
    "month_end",
    "system_rows",
]

_STATE_LABELS = {"draft": "草稿", "submitted": "已提交", "approved": "已审核", "returned": "退回"}


def system_rows(model: Any) -> Any:
    """All rows of ``model``: the evaluation reads the region's data as the system, for the plan
    office; what users then see of the results is decided by the monitoring policies."""
    manager = model._default_manager  # policy-exempt: evaluation reads as the system
    return manager


def month_end(month: YearMonth) -> dt.date:
    """Last day of ``month``."""
    return Period.month(month.year, month.month).end


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


@dataclass(frozen=True)
class RevisionInfo:
    """Who and when of one revision (the provenance every value carries)."""

    id: int
    report_id: int
    report_type: str
    period: str
    period_label: str
    number: int
    state: str
    preview: bool
    owner: str
    area: str
    created_by: str | None
    created_at: str | None
    approver: str | None
    approved_at: str | None
    channel: str
    import_file: str | None
    is_demo: bool

    @property
    def label(self) -> str:
        """``扬州市 2025年第1季度 统计数据 第2版（已审核）``."""
        kind = {"energy": "能源月报", "statistics": "统计数据", "indicator": "部门指标"}.get(
            self.report_type, self.report_type
        )
        owner = self.area or self.owner
        state = _STATE_LABELS.get(self.state, self.state)
        demo = "（演示数据）" if self.is_demo else ""
        return f"{owner} {self.period_label} {kind} 第{self.number}版（{state}）{demo}"

    def ref(
        self,
        *,
        kind: str = "revision",
        id: str | None = None,
        description: str | None = None,
        extra: Iterable[tuple[str, Any]] = (),
    ) -> SourceRef:
        """A trail reference to this revision (or to one of its lines)."""
        more: list[tuple[str, Any]] = [
            ("revision_id", self.id),
            ("report_id", self.report_id),
            ("period", self.period),
            ("revision_number", self.number),
            ("submitted_at", self.created_at),
        ]
        if self.owner:
            more.append(("owner", self.owner))
        if self.import_file:
            more.append(("import_file", self.import_file))
        if self.preview:
            more.append(("preview", True))
        more.extend(extra)
        return SourceRef(
            kind=kind,
            id=id if id is not None else str(self.id),
            description=description or self.label,
            submitter=self.created_by,
            approver=self.approver,
            approved_at=self.approved_at,
            status=self.state,
            extra=tuple(more),
        )


@dataclass(frozen=True)
class StatValue:
    """One statistics line: item, breakdown, value in its canonical unit."""

    line_id: int
    item: str
    breakdown: str
    subject: str
    value: float
    unit: str
    value_entered: float
    unit_entered: str
    source_row: int | None
    source_sheet: str
    revision: RevisionInfo
    _refs: dict[str, SourceRef] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def ref(self, label: str = "") -> SourceRef:
        cached = self._refs.get(label)
        if cached is None:
            cached = self._refs[label] = self._ref(label)
        return cached

    def _ref(self, label: str) -> SourceRef:
        what = label or self.item + (f"[{self.breakdown}]" if self.breakdown else "")
        row = f"，{self.source_sheet}第{self.source_row}行" if self.source_row else ""
        return self.revision.ref(
            kind="statistic_line",
            id=str(self.line_id),
            description=f"{self.revision.label}：{what} = {self.value_entered:g} {self.unit_entered}{row}",
            extra=(("line_id", self.line_id), ("item", self.item), ("breakdown", self.breakdown)),
        )


@dataclass
class StatSet:
    """The statistics of one area for one period (a quarter, cumulative from January, or a
    year)."""

    area_id: int
    area_name: str
    period: Period
    revision: RevisionInfo
    lines: dict[tuple[str, str, str], StatValue] = field(default_factory=dict)

    @property
    def months(self) -> int:
        """Months from January the figures cover (3, 6, 9, 12)."""
        return self.period.last_month

    @property
    def end(self) -> YearMonth:
        return YearMonth(self.period.year, self.period.last_month)

    def get(self, item: str, breakdown: str = "") -> StatValue | None:
        return self.lines.get((item, breakdown, ""))

    def all(self, item: str) -> list[StatValue]:
        """Every line of ``item`` (all breakdowns and subjects), in stored order."""
        return [v for (i, _, _), v in self.lines.items() if i == item]

    def has(self, item: str) -> bool:
        return any(i == item for (i, _, _) in self.lines)


@dataclass(frozen=True)
class ReportedValue:
    """A department's value of one plan indicator for one period."""

    line_id: int
    indicator: str
    plan_code: str
    subject: str
    value: float | None
    unit: str
    text_value: str
    unit_entered: str
    comment: str
    period: Period
    organisation: str
    revision: RevisionInfo

    @property
    def end(self) -> YearMonth:
        return YearMonth(self.period.year, self.period.last_month)

    def ref(self) -> SourceRef:
        shown = self.text_value if self.value is None else f"{self.value:g} {self.unit}"
        subject = f"（{self.subject}）" if self.subject else ""
        return self.revision.ref(
            kind="indicator_value",
            id=str(self.line_id),
            description=f"{self.revision.label}：{self.indicator}{subject} = {shown}",
            extra=(("line_id", self.line_id), ("indicator", self.indicator)),
        )


@dataclass(frozen=True)
class InstallationInfo:
    """An installation as the indicators need it."""

    id: int
    code: str
    name: str
    kind: str
    product: str
    variant: str
    variant_label: str
    capacity_t_per_a: float | None
    dc_status: str
    plant_type: str
    fuel: str
    evaporation_t_per_h: float | None
    parent_id: int | None
    commissioned_on: dt.date | None
    closed_on: dt.date | None
    enterprise_id: int
    enterprise_name: str
    credit_code: str
    area_id: int
    zone_id: int | None
    is_demo: bool

    @property
    def label(self) -> str:
        return f"{self.enterprise_name} {self.name}（{self.code}）"

    def operating_in(self, start: dt.date, end: dt.date) -> bool:
        """Commissioned by ``end`` and not closed before ``start``."""
        if self.commissioned_on is not None and self.commissioned_on > end:
            return False
        return not (self.closed_on is not None and self.closed_on < start)


@dataclass(frozen=True)
class InstallationReading:
    """One installation's measurements of one month (canonical units)."""

    line_id: int
    installation_id: int
    month: YearMonth
    values: dict[str, float | None]
    revision: RevisionInfo
    _refs: dict[int, SourceRef] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def ref(self, installation: InstallationInfo) -> SourceRef:
        cached = self._refs.get(installation.id)
        if cached is None:
            cached = self._refs[installation.id] = self._ref(installation)
        return cached

    def _ref(self, installation: InstallationInfo) -> SourceRef:
        shown = "，".join(f"{k}={v:g}" for k, v in self.values.items() if v is not None)
        return self.revision.ref(
            kind="installation_line",
            id=str(self.line_id),
            description=f"{installation.label} {self.month.label}：{shown}",
            extra=(("line_id", self.line_id), ("installation", installation.code)),
        )


@dataclass(frozen=True)
class EnterpriseTotal:
    """An enterprise's monthly accounting results summed over a window."""

    enterprise_id: int
    energy_tce_calorific: float
    energy_tce_equivalent: float
    months: int
    last_revision_id: int
    last_month: YearMonth


def library_fingerprint(library: FactorLibrary) -> list[list[str]]:
    """``[[id, version, digest], …]`` of the active factor sets, sorted."""
    return sorted([fs.id, fs.version, fs.digest] for fs in library.active)


class DataContext:
    """The data of one region as of a month (see the module docstring).

    Parameters
    ----------
    region : Region
    as_of : YearMonth
        Periods ending after this month are not read.
    preview : bool
        Also count submitted (not yet approved) revisions; values from them are previews.
    library : FactorLibrary, optional
        Factor sets for conversions (default: the platform's current library).
    pinned_revisions : iterable of int, optional
        Read exactly these revisions instead of the effective ones (reproducing a run).
    pinned_results : iterable of int, optional
        With ``pinned_revisions``: exactly these accounting-result versions.
    """

    def __init__(
        self,
        *,
        region: Region,
        as_of: YearMonth,
        preview: bool = False,
        library: FactorLibrary | None = None,
        pinned_revisions: Iterable[int] | None = None,
        pinned_results: Iterable[int] | None = None,
    ) -> None:
        self.region = region
        self.as_of = as_of
        self.preview = preview
        self.library = library if library is not None else default_library()
        self.pinned_revisions = None if pinned_revisions is None else frozenset(pinned_revisions)
        self.pinned_results = None if pinned_results is None else frozenset(pinned_results)
        self.end_date = month_end(as_of)
        self._energy_infos: dict[int, RevisionInfo] = {}
        #: memoised computations of this context (year-to-date changes …), keyed by their inputs
        self.memo: dict[tuple[Any, ...], Any] = {}

    # -- revisions ---------------------------------------------------------------------------
    def _pinned(self, name: str, ids: frozenset[int]) -> Any:
        """``ids`` for an ``__in`` filter: a list when short, else a temporary table (a stored
        run of a province has hundreds of thousands of ids, beyond the database's parameter
        limit)."""
        if len(ids) <= 500:
            return sorted(ids)
        from django.db import connection
        from django.db.models.expressions import RawSQL

        table = f"ecplan_pinned_{name}_{abs(hash((id(self), name)))}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {table} (id integer primary key)")
            cursor.execute(f"DELETE FROM {table}")
            cursor.executemany(f"INSERT INTO {table} (id) VALUES (%s)", [(i,) for i in sorted(ids)])
        return RawSQL(
            f"SELECT id FROM {table}", ()
        )  # the table name is generated above, no user input

    def _revisions(self, report_type: str) -> Any:
        if self.pinned_revisions is not None:
            qs = system_rows(Revision).filter(
                pk__in=self._pinned("revisions", self.pinned_revisions)
            )
        else:
            qs = system_rows(Revision).effective(preview=self.preview)
        qs = qs.filter(report__report_type=report_type, report__period_end__lte=self.end_date)
        if report_type == ReportType.ENERGY:
            qs = qs.filter(report__enterprise__region=self.region)
        elif report_type == ReportType.STATISTICS:
            qs = qs.filter(report__area__region=self.region)
        else:
            qs = qs.filter(report__organisation__region=self.region)
        return qs

    def _infos(self, report_type: str, ids: Iterable[int] | None = None) -> dict[int, RevisionInfo]:
        if ids is not None:
            out: dict[int, RevisionInfo] = {}
            wanted = sorted(set(ids))
            for i in range(0, len(wanted), 500):
                out.update(
                    self._load_infos(system_rows(Revision).filter(pk__in=wanted[i : i + 500]))
                )
            return out
        return self._load_infos(self._revisions(report_type))

    def _load_infos(self, qs: Any) -> dict[int, RevisionInfo]:
        rows = qs.values(
            "pk",
            "number",
            "state",
            "channel",
            "created_at",
            "state_changed_at",
            "report_id",
            "report__report_type",
            "report__period",
            "report__is_demo",
            "report__area__name",
            "report__organisation__name",
            "report__enterprise__name",
            "created_by__full_name",
            "created_by__username",
            "state_changed_by__full_name",
            "state_changed_by__username",
            "import_batch__original_name",
        )
        out: dict[int, RevisionInfo] = {}
        labels: dict[str, str] = {}
        for r in rows:
            approved = r["state"] == State.APPROVED
            period = r["report__period"]
            if period not in labels:
                labels[period] = _period_label(period)
            out[r["pk"]] = RevisionInfo(
                id=r["pk"],
                report_id=r["report_id"],
                report_type=r["report__report_type"],
                period=period,
                period_label=labels[period],
                number=r["number"],
                state=r["state"],
                preview=not approved,
                owner=r["report__enterprise__name"] or r["report__organisation__name"] or "",
                area=r["report__area__name"] or "",
                created_by=r["created_by__full_name"] or r["created_by__username"],
                created_at=_iso(r["created_at"]),
                approver=(r["state_changed_by__full_name"] or r["state_changed_by__username"])
                if approved
                else None,
                approved_at=_iso(r["state_changed_at"]) if approved else None,
                channel=r["channel"],
                import_file=r["import_batch__original_name"],
                is_demo=r["report__is_demo"],
            )
        return out

    @cached_property
    def statistics_revisions(self) -> dict[int, RevisionInfo]:
        return self._infos(ReportType.STATISTICS)

    @cached_property
    def indicator_revisions(self) -> dict[int, RevisionInfo]:
        return self._infos(ReportType.INDICATOR)

    @cached_property
    def energy_revision_ids(self) -> list[int]:
        """Ids of the effective energy revisions (enterprises' monthly reports)."""
        return list(self._revisions(ReportType.ENERGY).values_list("pk", flat=True))

    def energy_infos(self, ids: Iterable[int]) -> dict[int, RevisionInfo]:
        """Provenance of the given energy revisions (loaded on demand: a trail names only the
        revisions it uses, not every monthly report of the region)."""
        missing = [i for i in set(ids) if i not in self._energy_infos]
        if missing:
            self._energy_infos.update(self._infos(ReportType.ENERGY, missing))
        return {i: self._energy_infos[i] for i in ids if i in self._energy_infos}

    # -- areas --------------------------------------------------------------------------------
    @cached_property
    def areas(self) -> list[Area]:
        """The city first, then county-level areas (zones are not separate statistical units)."""
        rows = list(system_rows(Area).filter(region=self.region).order_by("id"))
        city = [a for a in rows if a.kind == Area.Kind.CITY]
        counties = [a for a in rows if a.is_county_level]
        return city + counties

    @cached_property
    def city(self) -> Area | None:
        return next((a for a in self.areas if a.kind == Area.Kind.CITY), None)

    @cached_property
    def all_areas(self) -> dict[int, Area]:
        return {a.pk: a for a in system_rows(Area).filter(region=self.region)}

    # -- statistics ---------------------------------------------------------------------------
    @cached_property
    def statistics(self) -> dict[int, dict[str, StatSet]]:
        """``{area id: {period: StatSet}}`` for every effective statistics revision."""
        infos = self.statistics_revisions
        sets: dict[int, StatSet] = {}
        rev_area: dict[int, tuple[int, str, str]] = {}
        for rev in self._revisions(ReportType.STATISTICS).values(
            "pk", "report__area_id", "report__area__name", "report__period"
        ):
            rev_area[rev["pk"]] = (
                rev["report__area_id"],
                rev["report__area__name"],
                rev["report__period"],
            )
        for rev_id, (area_id, area_name, period) in rev_area.items():
            sets[rev_id] = StatSet(area_id, area_name, Period.parse(period), infos[rev_id])
        lines = (
            system_rows(StatisticLine)
            .filter(revision_id__in=list(rev_area))
            .order_by("revision_id", "position", "id")
            .values(
                "id",
                "revision_id",
                "item",
                "breakdown",
                "subject",
                "value",
                "unit",
                "value_canonical",
                "canonical_unit",
                "source_row",
                "source_sheet",
            )
        )
        for line in lines:
            s = sets[line["revision_id"]]
            s.lines[(line["item"], line["breakdown"], line["subject"])] = StatValue(
                line_id=line["id"],
                item=line["item"],
                breakdown=line["breakdown"],
                subject=line["subject"],
                value=line["value_canonical"],
                unit=line["canonical_unit"],
                value_entered=line["value"],
                unit_entered=line["unit"],
                source_row=line["source_row"],
                source_sheet=line["source_sheet"],
                revision=s.revision,
            )
        out: dict[int, dict[str, StatSet]] = defaultdict(dict)
        for s in sets.values():
            out[s.area_id][str(s.period)] = s
        return dict(out)

    def stat(self, area_id: int, year: int, months: int) -> StatSet | None:
        """The statistics of ``area_id`` for January to month ``months`` of ``year``.

        A full year uses the year report if there is one, else the fourth quarter's
        cumulative figures.
        """
        by_period = self.statistics.get(area_id, {})
        if months == 12 and str(year) in by_period:
            return by_period[str(year)]
        if months % 3:
            return None
        return by_period.get(f"{year}-Q{months // 3}")

    def stat_periods(self, area_id: int) -> list[tuple[int, int]]:
        """``(year, months)`` of every period with statistics of the area, in time order."""
        out: set[tuple[int, int]] = set()
        for s in self.statistics.get(area_id, {}).values():
            out.add((s.period.year, s.months))
        return sorted(out)

    def latest_stat(self, area_id: int, *items: str, year: int | None = None) -> StatSet | None:
        """The latest period of the area (optionally in ``year``) holding every ``item``."""
        for y, m in reversed(self.stat_periods(area_id)):
            if year is not None and y != year:
                continue
            s = self.stat(area_id, y, m)
            if s is not None and all(s.has(i) for i in items):
                return s
        return None

    # -- department indicator values ------------------------------------------------------------
    @cached_property
    def reported(self) -> dict[str, list[ReportedValue]]:
        """``{indicator: [ReportedValue …]}`` in period order."""
        infos = self.indicator_revisions
        meta: dict[int, tuple[str, str]] = {
            r["pk"]: (r["report__period"], r["report__organisation__name"])
            for r in self._revisions(ReportType.INDICATOR).values(
                "pk", "report__period", "report__organisation__name"
            )
        }
        out: dict[str, list[ReportedValue]] = defaultdict(list)
        rows = (
            system_rows(IndicatorValue)
            .filter(revision_id__in=list(meta))
            .order_by("revision_id", "position", "id")
            .values(
                "id",
                "revision_id",
                "plan_code",
                "indicator",
                "subject",
                "value_canonical",
                "canonical_unit",
                "text_value",
                "unit",
                "comment",
            )
        )
        for row in rows:
            period, org = meta[row["revision_id"]]
            out[row["indicator"]].append(
                ReportedValue(
                    line_id=row["id"],
                    indicator=row["indicator"],
                    plan_code=row["plan_code"],
                    subject=row["subject"],
                    value=row["value_canonical"],
                    unit=row["canonical_unit"],
                    text_value=row["text_value"],
                    unit_entered=row["unit"],
                    comment=row["comment"],
                    period=Period.parse(period),
                    organisation=org,
                    revision=infos[row["revision_id"]],
                )
            )
        for values in out.values():
            values.sort(key=lambda v: (v.period.end, v.period.start, v.line_id))
        return dict(out)

    # -- installations ----------------------------------------------------------------------------
    @cached_property
    def installations(self) -> dict[int, InstallationInfo]:
        rows = (
            system_rows(Installation)
            .filter(enterprise__region=self.region)
            .select_related("enterprise")
        )
        out = {}
        for i in rows:
            e = i.enterprise
            out[i.pk] = InstallationInfo(
                id=i.pk,
                code=i.code,
                name=i.name,
                kind=i.kind,
                product=i.product,
                variant=i.variant,
                variant_label=i.get_variant_display() if i.variant else "",
                capacity_t_per_a=float(i.capacity_t_per_a)
                if i.capacity_t_per_a is not None
                else None,
                dc_status=i.dc_status,
                plant_type=i.plant_type,
                fuel=i.fuel,
                evaporation_t_per_h=float(i.evaporation_t_per_h)
                if i.evaporation_t_per_h is not None
                else None,
                parent_id=i.parent_id,
                commissioned_on=i.commissioned_on,
                closed_on=i.closed_on,
                enterprise_id=e.pk,
                enterprise_name=e.name,
                credit_code=e.credit_code,
                area_id=e.area_id,
                zone_id=e.zone_id,
                is_demo=i.is_demo,
            )
        return out

    _READING_FIELDS = (
        "output_t",
        "energy_tce",
        "electricity_total_kwh",
        "electricity_it_kwh",
        "generation_kwh",
        "station_use_kwh",
        "heat_supplied_gj",
        "coal_t",
        "standard_coal_tce",
        "heat_standard_coal_tce",
    )

    def installation_readings_of(self, year: int) -> dict[int, list[InstallationReading]]:
        """``{installation id: [InstallationReading …]}`` of the months of ``year``, read once
        per year asked for (the indicators read the current year and their base years only,
        not every month the platform holds)."""
        by_year: dict[int, dict[int, list[InstallationReading]]] = self.__dict__.setdefault(
            "_readings_by_year", {}
        )
        cached = by_year.get(year)
        if cached is not None:
            return cached
        fields = self._READING_FIELDS
        rows = list(
            system_rows(InstallationLine)
            .filter(
                revision__in=self._revisions(ReportType.ENERGY)
                .filter(report__year=year)
                .values("pk")
            )
            .values("id", "revision_id", "installation_id", *fields)
        )
        infos = self.energy_infos({row["revision_id"] for row in rows})
        out: dict[int, list[InstallationReading]] = defaultdict(list)
        for row in rows:
            period = Period.parse(infos[row["revision_id"]].period)
            out[row["installation_id"]].append(
                InstallationReading(
                    line_id=row["id"],
                    installation_id=row["installation_id"],
                    month=YearMonth(period.year, period.index),
                    values={f: row[f] for f in fields},
                    revision=infos[row["revision_id"]],
                )
            )
        for readings in out.values():
            readings.sort(key=lambda r: r.month)
        by_year[year] = dict(out)
        return by_year[year]

    def readings(
        self, installation_id: int, start: YearMonth, end: YearMonth
    ) -> list[InstallationReading]:
        """Readings of ``installation_id`` from ``start`` to ``end`` (months, inclusive)."""
        return [
            r
            for year in range(start.year, end.year + 1)
            for r in self.installation_readings_of(year).get(installation_id, [])
            if start <= r.month <= end
        ]

    # -- enterprises' monthly results -------------------------------------------------------------
    def _results(self) -> Any:
        """Current accounting-result versions of the effective energy revisions."""
        if self.pinned_results is not None:
            return system_rows(EnergyResult).filter(
                pk__in=self._pinned("results", self.pinned_results)
            )
        return (
            system_rows(EnergyResult)
            .current()
            .filter(revision__in=self._revisions(ReportType.ENERGY).values("pk"))
        )

    def _enterprise_month_rows(self, first: dt.date) -> list[tuple[int, Any, float, float, int]]:
        """``(enterprise, period end, 当量值 tce, 等价值 tce, revision)`` of the current results
        from ``first`` (at the latest January of the year before ``as_of``) to ``as_of`` —
        one query serves the 12-month and the year-to-date windows."""
        first = min(first, dt.date(self.as_of.year - 1, 1, 1))
        loaded = self.memo.get(("enterprise_month_rows",))
        if loaded is not None and loaded[0] <= first:
            return loaded[1]  # type: ignore[no-any-return]  # stored below
        rows = list(
            self._results()
            .filter(
                revision__report__period_start__gte=first,
                revision__report__period_end__lte=self.end_date,
            )
            .values_list(
                "revision__report__enterprise_id",
                "revision__report__period_end",
                "energy_tce_calorific",
                "energy_tce_equivalent",
                "revision_id",
            )
        )
        self.memo[("enterprise_month_rows",)] = (first, rows)
        return rows

    def enterprise_totals(self, start: YearMonth, end: YearMonth) -> dict[int, EnterpriseTotal]:
        """Per enterprise, over the monthly reports from ``start`` to ``end``: comprehensive
        energy (当量值 and 等价值), months reported and the latest revision (months after
        ``as_of`` are never loaded)."""
        first = month_end(start).replace(day=1)
        last = month_end(end)
        sums: dict[int, list[Any]] = {}
        for (
            enterprise_id,
            period_end,
            calorific,
            equivalent,
            revision_id,
        ) in self._enterprise_month_rows(first):
            if not first <= period_end <= last:
                continue
            row = sums.get(enterprise_id)
            if row is None:
                row = sums[enterprise_id] = [0.0, 0.0, set(), revision_id, period_end]
            row[0] += calorific
            row[1] += equivalent
            row[2].add(period_end)
            if period_end > row[4] or (period_end == row[4] and revision_id > row[3]):
                row[3], row[4] = revision_id, period_end
        return {
            enterprise_id: EnterpriseTotal(
                enterprise_id=enterprise_id,
                energy_tce_calorific=row[0],
                energy_tce_equivalent=row[1],
                months=len(row[2]),
                last_revision_id=row[3],
                last_month=YearMonth(row[4].year, row[4].month),
            )
            for enterprise_id, row in sums.items()
        }

    @cached_property
    def enterprises(self) -> dict[int, Any]:
        from ecplan.organisations.models import Enterprise

        return {e.pk: e for e in system_rows(Enterprise).filter(region=self.region)}

    # -- fingerprint ----------------------------------------------------------------------------
    def input_signature(self) -> dict[str, Any]:
        """A compact signature of every revision and result this context reads, for the
        fingerprint: the statistics and department revisions by id; the (many) energy revisions
        and their accounting results by count, sums, sum of squares and maximum of the ids,
        computed in the database in one query. Revisions and result versions are only ever
        added (a change is a new row with a higher id) and a revision's state only moves
        forward, so any change of what counts changes the signature; a restatement adds a
        result version and changes it too."""
        from django.db.models import Count, F, Max, Sum

        if self.pinned_results is not None:
            results = self._results()
        else:
            results = system_rows(EnergyResult).filter(
                revision__in=self._revisions(ReportType.ENERGY).values("pk")
            )
        row = results.aggregate(
            n=Count("pk"),
            s=Sum("pk"),
            q=Sum(F("pk") * F("pk")),
            m=Max("pk"),
            rn=Count("revision_id", distinct=True),
            rs=Sum("revision_id"),
            rm=Max("revision_id"),
        )
        return {
            "statistics": sorted(self.statistics_revisions),
            "indicators": sorted(self.indicator_revisions),
            "energy": [int(row[k] or 0) for k in ("n", "s", "q", "m", "rn", "rs", "rm")],
        }

    def input_ids(self) -> dict[str, list[int]]:
        """Ids of every revision and accounting result this context reads."""
        revisions = sorted(
            {
                *self.statistics_revisions,
                *self.indicator_revisions,
                *self.energy_revision_ids,
            }
        )
        results = sorted(self._results().values_list("pk", flat=True))
        return {"revisions": revisions, "energy_results": results}


def _period_label(code: str) -> str:
    p = Period.parse(code)
    if p.kind == "quarter":
        return f"{p.year}年1—{p.last_month}月" if p.index > 1 else f"{p.year}年1—3月"
    return p.label


def fingerprint(parts: dict[str, Any]) -> str:
    """SHA-256 of a JSON document (keys sorted)."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def latest_data_month(plan_code: str) -> YearMonth | None:
    """The last month covered by approved data of the plan's region (the default 评价月份)."""
    from django.db.models import Max

    from ecplan.plans.models import Plan

    plan = system_rows(Plan).filter(code=plan_code).select_related("region").first()
    if plan is None:
        return None
    region = plan.region
    ends = []
    for path in (
        "report__enterprise__region",
        "report__area__region",
        "report__organisation__region",
    ):
        end = (
            system_rows(Revision)
            .approved()
            .filter(**{path: region})
            .aggregate(m=Max("report__period_end"))["m"]
        )
        if end is not None:
            ends.append(end)
    if not ends:
        return None
    last = max(ends)
    return YearMonth(last.year, last.month)

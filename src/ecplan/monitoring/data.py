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
from collections.abc import Iterable, Iterator
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
    "EnterpriseMonth",
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


def _person(user: Any) -> str | None:
    if user is None:
        return None
    return (getattr(user, "full_name", "") or user.get_username()) or None


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

    def ref(self, label: str = "") -> SourceRef:
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

    def ref(self, installation: InstallationInfo) -> SourceRef:
        shown = "，".join(f"{k}={v:g}" for k, v in self.values.items() if v is not None)
        return self.revision.ref(
            kind="installation_line",
            id=str(self.line_id),
            description=f"{installation.label} {self.month.label}：{shown}",
            extra=(("line_id", self.line_id), ("installation", installation.code)),
        )


@dataclass(frozen=True)
class EnterpriseMonth:
    """An enterprise's accounting result for one month (current result version)."""

    result_id: int
    result_version: int
    enterprise_id: int
    month: YearMonth
    energy_tce_calorific: float
    energy_tce_equivalent: float
    revision: RevisionInfo


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

    # -- revisions ---------------------------------------------------------------------------
    def _revisions(self, report_type: str) -> Any:
        if self.pinned_revisions is not None:
            qs = system_rows(Revision).filter(pk__in=self.pinned_revisions)
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

    def _infos(self, report_type: str) -> dict[int, RevisionInfo]:
        qs = self._revisions(report_type).select_related(
            "report__area",
            "report__organisation",
            "report__enterprise",
            "created_by",
            "state_changed_by",
            "import_batch",
        )
        out: dict[int, RevisionInfo] = {}
        for rev in qs:
            report = rev.report
            approved = rev.state == State.APPROVED
            owner = report.enterprise or report.organisation
            out[rev.pk] = RevisionInfo(
                id=rev.pk,
                report_id=report.pk,
                report_type=report.report_type,
                period=report.period,
                period_label=_period_label(report.period),
                number=rev.number,
                state=rev.state,
                preview=not approved,
                owner=str(owner) if owner is not None else "",
                area=report.area.name if report.area_id else "",
                created_by=_person(rev.created_by),
                created_at=_iso(rev.created_at),
                approver=_person(rev.state_changed_by) if approved else None,
                approved_at=_iso(rev.state_changed_at) if approved else None,
                channel=rev.channel,
                import_file=rev.import_batch.original_name if rev.import_batch_id else None,
                is_demo=report.is_demo,
            )
        return out

    @cached_property
    def statistics_revisions(self) -> dict[int, RevisionInfo]:
        return self._infos(ReportType.STATISTICS)

    @cached_property
    def indicator_revisions(self) -> dict[int, RevisionInfo]:
        return self._infos(ReportType.INDICATOR)

    @cached_property
    def energy_revisions(self) -> dict[int, RevisionInfo]:
        return self._infos(ReportType.ENERGY)

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

    @cached_property
    def installation_readings(self) -> dict[int, list[InstallationReading]]:
        """``{installation id: [InstallationReading …]}`` by month."""
        infos = self.energy_revisions
        periods = {
            r["pk"]: r["report__period"]
            for r in self._revisions(ReportType.ENERGY).values("pk", "report__period")
        }
        fields = (
            "output_t",
            "energy_tce",
            "electricity_total_kwh",
            "electricity_it_kwh",
            "generation_kwh",
            "station_use_kwh",
            "heat_supplied_gj",
            "coal_t",
            "standard_coal_tce",
        )
        out: dict[int, list[InstallationReading]] = defaultdict(list)
        rows = (
            system_rows(InstallationLine)
            .filter(revision_id__in=list(periods))
            .order_by("installation_id", "revision_id")
            .values("id", "revision_id", "installation_id", *fields)
        )
        for row in rows:
            period = Period.parse(periods[row["revision_id"]])
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
        return dict(out)

    def readings(
        self, installation_id: int, start: YearMonth, end: YearMonth
    ) -> list[InstallationReading]:
        return [
            r
            for r in self.installation_readings.get(installation_id, [])
            if start <= r.month <= end
        ]

    # -- enterprises' monthly results -------------------------------------------------------------
    @cached_property
    def enterprise_months(self) -> dict[int, list[EnterpriseMonth]]:
        """``{enterprise id: [EnterpriseMonth …]}`` (current result version of each revision)."""
        infos = self.energy_revisions
        if self.pinned_results is not None:
            qs = system_rows(EnergyResult).filter(pk__in=self.pinned_results)
        else:
            qs = system_rows(EnergyResult).current().filter(revision_id__in=list(infos))
        rows = qs.values(
            "id",
            "version",
            "revision_id",
            "revision__report__enterprise_id",
            "revision__report__period",
            "energy_tce_calorific",
            "energy_tce_equivalent",
        )
        out: dict[int, list[EnterpriseMonth]] = defaultdict(list)
        for row in rows:
            period = Period.parse(row["revision__report__period"])
            out[row["revision__report__enterprise_id"]].append(
                EnterpriseMonth(
                    result_id=row["id"],
                    result_version=row["version"],
                    enterprise_id=row["revision__report__enterprise_id"],
                    month=YearMonth(period.year, period.index),
                    energy_tce_calorific=row["energy_tce_calorific"],
                    energy_tce_equivalent=row["energy_tce_equivalent"],
                    revision=infos[row["revision_id"]],
                )
            )
        for months in out.values():
            months.sort(key=lambda m: m.month)
        return dict(out)

    @cached_property
    def enterprises(self) -> dict[int, Any]:
        from ecplan.organisations.models import Enterprise

        return {e.pk: e for e in system_rows(Enterprise).filter(region=self.region)}

    def latest_energy_month(self) -> YearMonth | None:
        months = [m.month for ms in self.enterprise_months.values() for m in ms]
        return max(months) if months else None

    # -- fingerprint ----------------------------------------------------------------------------
    def input_ids(self) -> dict[str, list[int]]:
        """Ids of every revision and accounting result this context reads."""
        revisions = sorted(
            {
                *self.statistics_revisions,
                *self.indicator_revisions,
                *self.energy_revisions,
            }
        )
        results = sorted(m.result_id for ms in self.enterprise_months.values() for m in ms)
        return {"revisions": revisions, "energy_results": results}

    def iter_refs(self) -> Iterator[RevisionInfo]:
        yield from self.statistics_revisions.values()
        yield from self.indicator_revisions.values()
        yield from self.energy_revisions.values()


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

"""Writing reports, registry entries and results — the one write path for pages, files,
the command line and programs.

Public functions (all keyword-only after the records, with an explicit ``acting_user``; see
``docs/data-collection.md`` for the full contract):

=============================  ===============================================================
``save_enterprises``           create or update enterprises (plan office)
``save_installations``         create or update installations (plan office)
``save_energy_reports``        monthly energy reports of enterprises
``save_statistics``            city and area statistics (statistics bureau, plan office)
``save_indicator_reports``     department indicator values
``set_revision_state``         the workflow's hook: change a revision's state
``restate_results``            recompute accounting results with the factors in force now
``sync_indicator_assignments`` derive who reports which indicator from a plan
``attach_evidence``            store an evidence file for a report
=============================  ===============================================================

Every ``save_*`` validates all records first (:mod:`ecplan.reporting.checks`) and stores in
one transaction only when nothing is wrong: an error anywhere stores nothing. Warnings (a
month-on-month jump, a back-filled period, lines the new revision drops) stop the save until
the caller confirms them (``confirm_warnings=True``). ``dry_run=True`` validates and reports
what would change without writing.

Revisions: a report's newest revision is changed in place only while it is a draft; when it
is submitted, approved or returned, saving makes a new revision based on it. Saving the same
content again changes nothing. Parts of a report a record does not provide (a file with only
the energy sheet) are carried over from the previous revision.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone

from ecplan.accounts import policies, roles
from ecplan.audit.services import record as audit_record
from ecplan.organisations.models import Area, Enterprise, Installation, Organisation
from ecplan.reporting import checks
from ecplan.reporting.checks import Context, LineData, PreparedReport
from ecplan.reporting.models import (
    LOCKED_STATES,
    Attachment,
    Channel,
    CoefficientSnapshot,
    ElectricityFacts,
    EnergyLine,
    EnergyResult,
    ImportBatch,
    IndicatorAssignment,
    IndicatorValue,
    InstallationLine,
    OutputLine,
    Report,
    ReportType,
    Restatement,
    Revision,
    State,
    StatisticLine,
)
from ecplan.reporting.records import (
    EnergyReportRecord,
    IndicatorReportRecord,
    StatisticsReportRecord,
)
from ecplan.tabular import CellIssue, IssueList

__all__ = [
    "ConcurrentEditError",
    "Outcome",
    "ReportChange",
    "save_energy_reports",
    "save_indicator_reports",
    "save_statistics",
    "set_revision_state",
]

#: A month-on-month change of a carrier's consumption by more than this factor is a warning.
DEFAULT_JUMP_RATIO = 3.0
#: Fields that do not count as content (where a value came from, not what it is).
_NOT_CONTENT = frozenset({"position", "source_row", "source_sheet", "raw", "id", "revision_id"})


class ConcurrentEditError(Exception):
    """Someone else changed the report since it was loaded (optimistic lock)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        super().__init__(
            f"“{report}”已被他人修改（您打开之后有新的保存）。为避免覆盖对方的修改，本次保存未执行；"
            "请重新打开报表，核对最新内容后再保存。"
        )


# -- outcome ------------------------------------------------------------------------------------


@dataclass
class ReportChange:
    """What a save did (or, in a dry run, would do) to one report."""

    label: str
    action: str  # "created", "revised", "draft_updated", "unchanged"
    report_id: int | None
    revision_number: int | None
    line_count: int
    removed_lines: list[str] = field(default_factory=list)

    ACTION_LABELS = {
        "created": "新建报表",
        "revised": "新增修订",
        "draft_updated": "更新草稿",
        "unchanged": "无变化",
    }

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS[self.action]

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "action": self.action,
            "action_label": self.action_label,
            "report_id": self.report_id,
            "revision": self.revision_number,
            "lines": self.line_count,
            "removed_lines": self.removed_lines,
        }


@dataclass
class Outcome:
    """The result of a save or import.

    ``stored`` is true only when everything was written; otherwise nothing was.
    ``needs_confirmation``: no errors, but warnings the caller has not confirmed.
    """

    issues: IssueList
    changes: list[ReportChange] = field(default_factory=list)
    stored: bool = False
    dry_run: bool = False
    needs_confirmation: bool = False
    batch: ImportBatch | None = None
    revisions: list[Revision] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(ReportChange.ACTION_LABELS, 0)
        for c in self.changes:
            out[c.action] += 1
        out["lines"] = sum(c.line_count for c in self.changes if c.action != "unchanged")
        return out

    def summary(self) -> str:
        c = self.counts
        parts = [
            f"{ReportChange.ACTION_LABELS[a]} {c[a]} 份" for a in ReportChange.ACTION_LABELS if c[a]
        ]
        head = "（试运行，未写入）" if self.dry_run else ""
        body = "、".join(parts) if parts else "没有可导入的数据"
        return f"{head}{body}；共 {c['lines']} 行数据。"

    def to_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "dry_run": self.dry_run,
            "needs_confirmation": self.needs_confirmation,
            "counts": self.counts,
            "summary": self.summary(),
            "changes": [c.to_dict() for c in self.changes],
            "error_count": self.issues.error_count,
            "warning_count": self.issues.warning_count,
            "issues": self.issues.to_dicts(),
            "batch": self.batch.pk if self.batch is not None else None,
        }


# -- context ------------------------------------------------------------------------------------


def _regions_of(user: Any) -> list[int]:
    from ecplan.organisations.models import Region

    return list(policies.viewable(user, Region).values_list("pk", flat=True))


def build_context(
    user: Any,
    *,
    credit_codes: Iterable[str] = (),
    today: dt.date | None = None,
) -> Context:
    """Load what the checker needs for ``user``."""
    from ecplan.tabular.normalise import clean_code_text

    codes = {clean_code_text(c or "") for c in credit_codes}
    enterprises = {
        e.credit_code: e
        for e in Enterprise.objects.filter(credit_code__in=codes).select_related("region")
    }
    installations = {
        (i.enterprise_id, i.code): i
        for i in Installation.objects.filter(enterprise__in=list(enterprises.values()))
    }
    region_ids = _regions_of(user)
    areas: dict[str, Any] = {}
    for area in Area.objects.filter(region_id__in=region_ids).select_related("parent"):
        for name in (area.code, area.name, *area.aliases):
            areas.setdefault(checks.norm_name(name), area)
    organisations: dict[str, Any] = {}
    for org in Organisation.objects.filter(region_id__in=region_ids):
        for name in (org.code, org.name, org.full_name, *org.aliases):
            if name:
                organisations.setdefault(checks.norm_name(name), org)
    assignments: dict[tuple[int, str], dict[str, Any]] = defaultdict(dict)
    for a in IndicatorAssignment.objects.filter(
        active=True, organisation__region_id__in=region_ids
    ):
        assignments[(a.organisation_id, a.plan_code)][a.indicator] = a
    see_cache: dict[tuple[str, int], bool] = {}
    report_cache: dict[tuple[str, int], bool] = {}

    def may_see(obj: Any) -> bool:
        key = (type(obj).__name__, obj.pk)
        if key not in see_cache:
            see_cache[key] = policies.can(user, "view", obj)
        return see_cache[key]

    def may_report(obj: Any) -> bool:
        key = (type(obj).__name__, obj.pk)
        if key not in report_cache:
            report_cache[key] = policies.can(user, "report", obj)
        return report_cache[key]

    return Context(
        user=user,
        enterprises=enterprises,
        installations=installations,
        areas=areas,
        organisations=organisations,
        assignments=dict(assignments),
        may_report=may_report,
        may_see=may_see,
        may_backfill=roles.has_any_role(user, "plan_admin", "system_admin"),
        today=today or timezone.localdate(),
    )


# -- sections and content -------------------------------------------------------------------------

_ENERGY_MODELS: dict[str, type[Model]] = {
    "energy": EnergyLine,
    "outputs": OutputLine,
    "installations": InstallationLine,
    "electricity": ElectricityFacts,
}


def section_model(report_type: str, section: str) -> type[Model]:
    if report_type == ReportType.ENERGY:
        return _ENERGY_MODELS[section]
    if report_type == ReportType.STATISTICS:
        return StatisticLine
    return IndicatorValue


def line_models(report_type: str) -> list[type[Model]]:
    if report_type == ReportType.ENERGY:
        return list(_ENERGY_MODELS.values())
    if report_type == ReportType.STATISTICS:
        return [StatisticLine]
    return [IndicatorValue]


def _line_key(model: type[Model], values: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]]:
    if model is EnergyLine:
        return "energy", (values["carrier"],)
    if model is OutputLine:
        return "outputs", (values["product"], values["installation_id"])
    if model is InstallationLine:
        return "installations", (values["installation_id"],)
    if model is ElectricityFacts:
        return "electricity", ("electricity",)
    if model is StatisticLine:
        section = checks.STATISTIC_SECTION_OF_ITEM.get(values["item"], "balance")
        return section, (values["item"], values["breakdown"], values["subject"])
    return "indicators", (values["plan_code"], values["indicator"], values["subject"])


def load_content(
    report_type: str, revision_ids: Sequence[int]
) -> dict[int, dict[str, dict[tuple[Any, ...], LineData]]]:
    """The lines of revisions, grouped by section and key (for carry-over, diffs, warnings)."""
    content: dict[int, dict[str, dict[tuple[Any, ...], LineData]]] = {
        rid: {} for rid in revision_ids
    }
    if not revision_ids:
        return content
    for model in line_models(report_type):
        for ids in _chunks(list(revision_ids)):
            for values in model._default_manager.filter(revision_id__in=ids).values():
                rid = values.pop("revision_id")
                values.pop("id")
                section, key = _line_key(model, values)
                content[rid].setdefault(section, {})[key] = LineData(section, key, values)
    return content


def _chunks(items: Sequence[Any], size: int = 5000) -> Iterable[Sequence[Any]]:
    """Slices of ``items`` small enough for one ``IN (…)`` on every database."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def content_hash(sections: Mapping[str, Mapping[tuple[Any, ...], LineData]]) -> str:
    """SHA-256 of the content (values and units, not where they came from).

    Built from ``repr`` of sorted tuples: floats print exactly (shortest round trip), so equal
    content gives equal digests and any change of a value or unit a different one.
    """
    payload = []
    for section in sorted(sections):
        lines = sections[section]
        rows = sorted(
            (
                repr(key),
                tuple(sorted((k, v) for k, v in line.values.items() if k not in _NOT_CONTENT)),
            )
            for key, line in lines.items()
        )
        payload.append((section, rows))
    return hashlib.sha256(repr(payload).encode("utf-8")).hexdigest()


def _describe_key(report_type: str, section: str, line: LineData) -> str:
    v = line.values
    if section == "energy":
        return str(v.get("carrier_text") or v.get("carrier"))
    if section == "outputs":
        return str(v.get("product"))
    if section == "installations":
        return f"装置 {v.get('installation_id')}"
    if section == "electricity":
        return "自发电与绿电"
    if report_type == ReportType.STATISTICS:
        return "/".join(x for x in (v.get("item"), v.get("breakdown"), v.get("subject")) if x)
    return "/".join(x for x in (v.get("indicator"), v.get("subject")) if x)


# -- the save pipeline -------------------------------------------------------------------------------


@dataclass
class _Plan:
    prepared: PreparedReport
    report: Report | None
    newest: Revision | None
    sections: dict[str, dict[tuple[Any, ...], LineData]]
    hash: str
    action: str
    removed: list[str]
    account: Any = None
    coefficients: Any = None


def _existing_reports(prepared: Sequence[PreparedReport]) -> dict[tuple[Any, ...], Report]:
    """The stored reports of the prepared ones, by (type, owner id, period).

    Queried by owners and periods (a superset), then matched exactly: one OR term per report
    would exceed what a database accepts for a year of a hundred enterprises.
    """
    if not prepared:
        return {}
    wanted = {_short_key(p) for p in prepared}
    by_type: dict[str, tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
    for report_type, owner, period in wanted:
        owners, periods = by_type[report_type]
        owners.add(owner)
        periods.add(period)
    field = {"energy": "enterprise_id", "statistics": "area_id", "indicator": "organisation_id"}
    found: dict[tuple[Any, ...], Report] = {}
    for report_type, (owners, periods) in by_type.items():
        owner_field = field[report_type]
        for r in Report.objects.filter(
            report_type=report_type,
            **{f"{owner_field}__in": owners},
            period__in=periods,
        ):
            key = (report_type, getattr(r, owner_field), r.period)
            if key in wanted:
                found[key] = r
    return found


def _short_key(p: PreparedReport) -> tuple[Any, ...]:
    if p.report_type == ReportType.ENERGY:
        return ("energy", p.enterprise.pk, str(p.period))
    if p.report_type == ReportType.STATISTICS:
        return ("statistics", p.area.pk, str(p.period))
    return ("indicator", p.organisation.pk, str(p.period))


def _jump_ratio() -> float:
    return float(getattr(settings, "ECPLAN_JUMP_RATIO", DEFAULT_JUMP_RATIO))


def _plan(report_type: str, prepared: list[PreparedReport], issues: IssueList) -> list[_Plan]:
    existing = _existing_reports(prepared)
    newest: dict[int, Revision] = {}
    for ids in _chunks([r.pk for r in existing.values()]):
        for rev in Revision.objects.filter(report_id__in=ids).newest():
            newest[rev.report_id] = rev
    previous = load_content(report_type, [r.pk for r in newest.values()])
    plans: list[_Plan] = []
    for p in prepared:
        report = existing.get(_short_key(p))
        last = newest.get(report.pk) if report is not None else None
        old = previous.get(last.pk, {}) if last is not None else {}
        sections: dict[str, dict[tuple[Any, ...], LineData]] = {}
        removed: list[str] = []
        for section, lines in old.items():
            if section not in p.sections:
                sections[section] = dict(lines)
        for section, lines in p.sections.items():
            sections[section] = lines
            for key, line in old.get(section, {}).items():
                if key not in lines:
                    removed.append(_describe_key(report_type, section, line))
        sections = {s: lines for s, lines in sections.items() if lines}
        digest = content_hash(sections)
        if last is None:
            action = "created" if report is None else "revised"
        elif last.content_hash == digest:
            action = "unchanged"
        elif last.state == State.DRAFT:
            action = "draft_updated"
        else:
            action = "revised"
        if removed and action != "unchanged":
            shown = "、".join(removed[:10]) + (
                f" 等 {len(removed)} 项" if len(removed) > 10 else ""
            )
            issues.add(
                CellIssue(
                    p.origin.sheet if p.origin else None,
                    None,
                    None,
                    None,
                    None,
                    f"{p.label}：上一版（第 {last.number if last else '?'} 版）中的 {len(removed)} 行"
                    f"在本次数据中没有，保存后新版本将不再包含：{shown}。",
                    "如这些数据应保留，请把它们补回文件后重新上传；确认删除请继续。",
                    "warning",
                    "lines_removed",
                )
            )
        plans.append(_Plan(p, report, last, sections, digest, action, removed))
    return plans


def _energy_checks(plans: list[_Plan], issues: IssueList) -> None:
    """Accounting of every changed energy report, warnings for lines the reporter can make
    computable (a measured heating value, a coal type), and the month-on-month jumps."""
    from ecplan.reporting import accounting as acc

    changed = [pl for pl in plans if pl.action != "unchanged"]
    coefficients = acc.Coefficients()
    rep = checks._Reporter(issues)
    subtyped = _subtyped()
    for pl in changed:
        lines = list(pl.sections.get("energy", {}).values())
        region = pl.prepared.enterprise.region.province or None
        pl.account = acc.compute_energy_account(
            [_line_input(line) for line in lines],
            year=pl.prepared.period.year,
            region=region,
            coefficients=coefficients,
        )
        pl.coefficients = coefficients
        by_carrier = {line.values["carrier"]: line for line in lines}
        warned: set[tuple[str, str]] = set()
        for problem in pl.account.problems:
            hint = _REPORTER_FIXES.get((problem["error_type"], problem["calc"] == "co2"))
            carrier = problem["carrier"]
            if hint is None or (carrier, problem["error_type"]) in warned:
                continue
            if problem["error_type"] == "FactorNotFoundError" and carrier not in subtyped:
                continue
            warned.add((carrier, problem["error_type"]))
            line = by_carrier.get(carrier)
            rep.add(
                line.origin if line is not None else pl.prepared.origin,
                "carrier",
                f"{problem['calc_label']}无法核算：{problem['message']}",
                hint,
                code="not_computable",
                value=line.values["carrier_text"] if line is not None else carrier,
                severity="warning",
                where=pl.prepared.label,
            )
    _jump_warnings(changed, plans, issues)


#: (core error type, is CO2) → how the reporter can make the line computable
_REPORTER_FIXES = {
    (
        "CoefficientRequiredError",
        False,
    ): "请在“实测低位发热量”列填写该品种的实测值（千焦/千克或千焦/立方米）；"
    "不填写则该品种不计入综合能耗。",
    ("FactorNotFoundError", True): "请按具体品种填报（如原煤按无烟煤、烟煤、褐煤分别填报）；"
    "否则该品种不计入二氧化碳排放。",
}


def _subtyped() -> frozenset[str]:
    """Carriers with sub-types (原煤 → 无烟煤、烟煤、褐煤): reporting the sub-type helps."""
    from ecplan.core import CARRIERS

    return frozenset(c.parent for c in CARRIERS if c.parent)


def _line_input(line: LineData) -> Any:
    from ecplan.reporting.accounting import LineInput

    v = line.values
    return LineInput(
        carrier=v["carrier"],
        carrier_text=v.get("carrier_text") or v["carrier"],
        unit=v["unit"],
        consumed=v.get("consumed"),
        feedstock=v.get("feedstock"),
        supplied_out=v.get("supplied_out"),
        lcv=v.get("lcv"),
        lcv_unit=v.get("lcv_unit") or "",
    )


def _jump_warnings(changed: list[_Plan], plans: list[_Plan], issues: IssueList) -> None:
    if not changed:
        return
    ratio = _jump_ratio()
    in_batch = {(pl.prepared.enterprise.pk, str(pl.prepared.period)): pl for pl in plans}
    wanted = {
        (pl.prepared.enterprise.pk, str(pl.prepared.period.previous())) for pl in changed
    } - set(in_batch)
    stored: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    if wanted:
        reports = Report.objects.filter(
            report_type="energy",
            enterprise_id__in={e for e, _ in wanted},
            period__in={p for _, p in wanted},
        )
        revs = Revision.objects.filter(report__in=reports).newest().select_related("report")
        by_rev = {
            r.pk: (r.report.enterprise_id, r.report.period)
            for r in revs
            if (r.report.enterprise_id, r.report.period) in wanted
        }
        for rid, carrier, consumed in EnergyLine.objects.filter(
            revision_id__in=list(by_rev)
        ).values_list("revision_id", "carrier", "consumed_canonical"):
            if consumed is not None:
                ent_id, period_code = by_rev[rid]
                stored[(int(ent_id or 0), period_code)][carrier] = consumed
    rep = checks._Reporter(issues)
    for pl in changed:
        prev_period = pl.prepared.period.previous()
        key = (pl.prepared.enterprise.pk, str(prev_period))
        before: dict[str, float | None]
        if key in in_batch:
            before = {
                k[0]: ln.values.get("consumed_canonical")
                for k, ln in in_batch[key].sections.get("energy", {}).items()
            }
        else:
            before = dict(stored.get(key, {}))
        for (carrier,), energy_line in pl.sections.get("energy", {}).items():
            now = energy_line.values.get("consumed_canonical")
            was = before.get(carrier)
            if not now or not was or now <= 0 or was <= 0:
                continue
            factor = now / was
            if factor > ratio or factor < 1 / ratio:
                unit = energy_line.values["unit"]
                mult = energy_line.values["unit_multiplier"] or 1.0
                rep.add(
                    energy_line.origin,
                    "consumed",
                    f"“{energy_line.values['carrier_text']}”消费量 {checks._text(now / mult)} {unit}，"
                    f"是上月（{prev_period.label}：{checks._text(was / mult)} {unit}）的 {factor:.2f} 倍，变化异常。",
                    "请核对数量和单位（如万吨误填为吨）；确认无误可继续导入。",
                    code="month_on_month_jump",
                    severity="warning",
                    where=pl.prepared.label,
                )


def _run(
    report_type: str,
    prepared: list[PreparedReport],
    issues: IssueList,
    *,
    acting_user: Any,
    reason: str,
    state: str,
    confirm_warnings: bool,
    dry_run: bool,
    channel: str,
    expected_versions: Mapping[int, int] | None,
    batch_factory: Any = None,
    is_demo: bool = False,
) -> Outcome:
    outcome = Outcome(issues=issues, dry_run=dry_run)
    if state not in (State.DRAFT, State.SUBMITTED, State.APPROVED):
        raise ValueError(f"不支持以状态 {state!r} 保存")
    if state != State.DRAFT and not roles.has_any_role(acting_user, "plan_admin", "system_admin"):
        issues.add(
            CellIssue(
                None,
                None,
                None,
                None,
                None,
                f"只有计划管理员可以直接以“{State(state).label}”状态保存（历史数据补录）。",
                "请以草稿保存，再按审核流程提交。",
                "error",
                "state_not_allowed",
            )
        )
    if issues.has_errors:
        return outcome
    plans = _plan(report_type, prepared, issues)
    if report_type == ReportType.ENERGY:
        _energy_checks(plans, issues)
    outcome.changes = [
        ReportChange(
            pl.prepared.label,
            pl.action,
            pl.report.pk if pl.report is not None else None,
            (pl.newest.number + (0 if pl.action in ("unchanged", "draft_updated") else 1))
            if pl.newest is not None
            else 1,
            sum(len(lines) for lines in pl.sections.values()),
            pl.removed,
        )
        for pl in plans
    ]
    if issues.has_errors:
        return outcome
    if issues.warning_count and not confirm_warnings:
        outcome.needs_confirmation = True
        return outcome
    if dry_run:
        return outcome
    with transaction.atomic():
        batch = batch_factory() if batch_factory is not None else None
        outcome.revisions = _store(
            report_type,
            plans,
            acting_user=acting_user,
            reason=reason,
            state=state,
            channel=channel,
            batch=batch,
            expected_versions=expected_versions or {},
            is_demo=is_demo,
        )
        if batch is not None:
            batch.summary = {
                "counts": outcome.counts,
                "changes": [c.to_dict() for c in outcome.changes],
            }
            batch.warnings = [i.to_dict() for i in issues.warnings]
            batch.warnings_confirmed = issues.warning_count
            batch.save(update_fields=["summary", "warnings", "warnings_confirmed"])
        for change, pl in zip(outcome.changes, plans, strict=True):
            if pl.report is not None:
                change.report_id = pl.report.pk
        _audit(report_type, outcome, plans, acting_user=acting_user, batch=batch, reason=reason)
    outcome.batch = batch
    outcome.stored = True
    return outcome


def _store(
    report_type: str,
    plans: list[_Plan],
    *,
    acting_user: Any,
    reason: str,
    state: str,
    channel: str,
    batch: ImportBatch | None,
    expected_versions: Mapping[int, int],
    is_demo: bool,
) -> list[Revision]:
    now = timezone.now()
    # optimistic lock: every existing report touched must still be at the version the
    # caller saw; the update increments it
    # optimistic lock: every existing report touched must still be at the version the caller
    # saw (forms: ``expected_versions``; imports: the version read when the file was checked)
    expected = {
        pl.report.pk: expected_versions.get(pl.report.pk, pl.report.version)
        for pl in plans
        if pl.report is not None and pl.action != "unchanged"
    }
    for ids in _chunks(list(expected)):
        current = Report.objects.select_for_update().filter(pk__in=ids).values_list("pk", "version")
        for pk, version in current:
            if version != expected[pk]:
                raise ConcurrentEditError(
                    next(pl.report for pl in plans if pl.report and pl.report.pk == pk)
                )
        Report.objects.filter(pk__in=ids).update(version=F("version") + 1, updated_at=now)
    new_reports = []
    for pl in plans:
        if pl.report is None:
            p = pl.prepared
            pl.report = Report(
                report_type=report_type,
                enterprise=p.enterprise,
                organisation=p.organisation,
                area=p.area,
                period=str(p.period),
                period_kind=p.period.kind,
                period_start=p.period.start,
                period_end=p.period.end,
                year=p.period.year,
                version=1,
                is_demo=is_demo or bool(getattr(p.enterprise, "is_demo", False)),
            )
            new_reports.append(pl.report)
    Report.objects.bulk_create(new_reports)
    new_revisions: list[Revision] = []
    updated_drafts: list[Revision] = []
    for pl in plans:
        if pl.action == "unchanged":
            continue
        if pl.action == "draft_updated":
            assert pl.newest is not None
            rev = pl.newest
            rev.content_hash = pl.hash
            rev.reason = reason or rev.reason
            rev.channel = channel
            rev.import_batch = batch
            rev.created_by = acting_user
            if state != State.DRAFT:
                rev.state = state
                rev.state_changed_at = now
                rev.state_changed_by = acting_user
                rev.state_reason = reason
            updated_drafts.append(rev)
            continue
        number = pl.newest.number + 1 if pl.newest is not None else 1
        rev = Revision(
            report=pl.report,
            number=number,
            state=state,
            based_on=pl.newest,
            reason=reason,
            channel=channel,
            import_batch=batch,
            content_hash=pl.hash,
            created_by=acting_user,
            state_changed_at=now if state != State.DRAFT else None,
            state_changed_by=acting_user if state != State.DRAFT else None,
            state_reason=reason if state != State.DRAFT else "",
        )
        new_revisions.append(rev)
        pl.newest = rev
    Revision.objects.bulk_create(new_revisions)
    if updated_drafts:
        for ids in _chunks([r.pk for r in updated_drafts]):
            for model in line_models(report_type):
                model._default_manager.filter(revision_id__in=ids).delete()
            EnergyResult.objects.filter(revision_id__in=ids).delete()
        for rev in updated_drafts:
            rev.save()
    by_model: dict[type[Model], list[Model]] = defaultdict(list)
    results: list[EnergyResult] = []
    for pl in plans:
        if pl.action == "unchanged":
            continue
        stored_revision = pl.newest
        assert stored_revision is not None
        for section, lines in pl.sections.items():
            model = section_model(report_type, section)
            for position, line in enumerate(lines.values()):
                values = dict(line.values)
                values["position"] = position
                by_model[model].append(model(revision=stored_revision, **values))
        if pl.account is not None:
            results.append(_result(stored_revision, pl.account, version=1))
    for model, objs in by_model.items():
        model._default_manager.bulk_create(objs, batch_size=2000)
    store_coefficients(
        {pl.coefficients for pl in plans if pl.coefficients is not None},
        {key for r in results for key in r.calculation.get("coefficients", [])},
    )
    EnergyResult.objects.bulk_create(results, batch_size=500)
    return [pl.newest for pl in plans if pl.newest is not None and pl.action != "unchanged"]


def store_coefficients(caches: Iterable[Any], keys: set[str]) -> None:
    """Store the coefficients results refer to (once each: content-addressed)."""
    if not keys:
        return
    known = set(CoefficientSnapshot.objects.filter(key__in=keys).values_list("key", flat=True))
    data: dict[str, dict[str, Any]] = {}
    for cache in caches:
        data.update({k: v for k, v in cache.snapshots.items() if k in keys and k not in known})
    CoefficientSnapshot.objects.bulk_create(
        [
            CoefficientSnapshot(key=k, data=json.loads(json.dumps(v, default=str)))
            for k, v in data.items()
        ],
        ignore_conflicts=True,
    )


def _result(
    revision: Revision, account: Any, *, version: int, restatement: Restatement | None = None
) -> EnergyResult:
    return EnergyResult(
        revision=revision,
        version=version,
        restatement=restatement,
        energy_tce_calorific=account.energy_tce_calorific,
        energy_tce_equivalent=account.energy_tce_equivalent,
        new_basis_tce_calorific=account.new_basis_tce_calorific,
        new_basis_tce_equivalent=account.new_basis_tce_equivalent,
        feedstock_tce_calorific=account.feedstock_tce_calorific,
        feedstock_tce_equivalent=account.feedstock_tce_equivalent,
        non_fossil_tce_calorific=account.non_fossil_tce_calorific,
        non_fossil_tce_equivalent=account.non_fossil_tce_equivalent,
        co2_t=account.co2_t,
        combustion_co2_t=account.combustion_co2_t,
        electricity_co2_t=account.electricity_co2_t,
        heat_co2_t=account.heat_co2_t,
        uncertain=account.uncertain,
        complete=account.complete,
        problems=account.problems,
        factor_sets=account.factor_sets,
        factor_digest=account.factor_digest,
        calculation=account.calculation,
    )


_TYPE_LABELS = {
    ReportType.ENERGY: ("reporting.Report", "企业能源月报"),
    ReportType.STATISTICS: ("reporting.Report", "统计数据"),
    ReportType.INDICATOR: ("reporting.Report", "部门指标"),
}


def _audit(
    report_type: str,
    outcome: Outcome,
    plans: list[_Plan],
    *,
    acting_user: Any,
    batch: ImportBatch | None,
    reason: str,
) -> None:
    changed = [
        (c, pl) for c, pl in zip(outcome.changes, plans, strict=True) if c.action != "unchanged"
    ]
    object_type, type_label = _TYPE_LABELS[ReportType(report_type)]
    listing = [
        {
            "report": pl.report.pk if pl.report else None,
            "label": c.label,
            "action": c.action,
            "revision": c.revision_number,
            "lines": c.line_count,
            "removed": c.removed_lines,
        }
        for c, pl in changed[:2000]
    ]
    changes: dict[str, Any] = {"reports": {"old": None, "new": listing}}
    if len(changed) > 2000:
        changes["reports_not_listed"] = {"old": None, "new": len(changed) - 2000}
    detail = outcome.summary() + (f" 原因：{reason}" if reason else "")
    if batch is not None:
        audit_record(
            "import",
            actor=acting_user,
            obj=batch,
            changes=changes,
            detail=f"文件“{batch.original_name}”（{type_label}）：{detail}",
        )
        return
    if len(changed) == 1:
        c, pl = changed[0]
        rev = pl.newest
        audit_record(
            "update" if c.action == "draft_updated" else "create",
            actor=acting_user,
            obj=rev,
            changes=changes,
            detail=detail,
        )
    elif changed:
        audit_record(
            "create",
            actor=acting_user,
            changes=changes,
            detail=f"{type_label}：{detail}",
            object_type=object_type,
            object_type_label=type_label,
            object_repr=f"{len(changed)} 份{type_label}",
        )


# -- public save functions ------------------------------------------------------------------------


def save_energy_reports(
    records: Sequence[EnergyReportRecord],
    *,
    acting_user: Any,
    reason: str = "",
    state: str = State.DRAFT,
    confirm_warnings: bool = False,
    dry_run: bool = False,
    channel: str = Channel.API,
    expected_versions: Mapping[int, int] | None = None,
    today: dt.date | None = None,
    issues: IssueList | None = None,
    batch_factory: Any = None,
) -> Outcome:
    """Validate and store monthly energy reports (all or nothing).

    Parameters
    ----------
    records : sequence of EnergyReportRecord
    acting_user : the user; their scope applies (``report`` on each enterprise)
    reason : why (shown in the revision history; recommended for corrections)
    state : ``draft`` (default); plan and system administrators may store ``submitted`` or
        ``approved`` directly to back-fill history that was reviewed outside the platform
    confirm_warnings : store although there are warnings (the caller showed them)
    dry_run : validate and report what would change, write nothing
    channel : ``form``, ``import`` or ``api``
    expected_versions : report id → the ``Report.version`` the caller loaded (forms);
        a mismatch raises :class:`ConcurrentEditError` and stores nothing
    today : the date open reporting windows are judged on (default: today)
    issues : collect into this list (the importer passes the one its reader filled)

    Returns
    -------
    Outcome
    """
    issues = issues if issues is not None else IssueList()
    ctx = build_context(acting_user, credit_codes=[r.credit_code for r in records], today=today)
    prepared = checks.check_energy_reports(records, ctx, issues)
    return _run(
        ReportType.ENERGY,
        prepared,
        issues,
        acting_user=acting_user,
        reason=reason,
        state=state,
        confirm_warnings=confirm_warnings,
        dry_run=dry_run,
        channel=channel,
        expected_versions=expected_versions,
        batch_factory=batch_factory,
    )


def save_statistics(
    records: Sequence[StatisticsReportRecord],
    *,
    acting_user: Any,
    reason: str = "",
    state: str = State.DRAFT,
    confirm_warnings: bool = False,
    dry_run: bool = False,
    channel: str = Channel.API,
    expected_versions: Mapping[int, int] | None = None,
    today: dt.date | None = None,
    issues: IssueList | None = None,
    batch_factory: Any = None,
    is_demo: bool = False,
) -> Outcome:
    """Validate and store city and area statistics (all or nothing); parameters as
    :func:`save_energy_reports`. ``is_demo`` labels new reports as demo data."""
    issues = issues if issues is not None else IssueList()
    ctx = build_context(acting_user, today=today)
    prepared = checks.check_statistics_reports(records, ctx, issues)
    return _run(
        ReportType.STATISTICS,
        prepared,
        issues,
        acting_user=acting_user,
        reason=reason,
        state=state,
        confirm_warnings=confirm_warnings,
        dry_run=dry_run,
        channel=channel,
        expected_versions=expected_versions,
        batch_factory=batch_factory,
        is_demo=is_demo,
    )


def save_indicator_reports(
    records: Sequence[IndicatorReportRecord],
    *,
    acting_user: Any,
    reason: str = "",
    state: str = State.DRAFT,
    confirm_warnings: bool = False,
    dry_run: bool = False,
    channel: str = Channel.API,
    expected_versions: Mapping[int, int] | None = None,
    today: dt.date | None = None,
    issues: IssueList | None = None,
    batch_factory: Any = None,
    is_demo: bool = False,
) -> Outcome:
    """Validate and store department indicator reports (all or nothing); parameters as
    :func:`save_energy_reports`."""
    issues = issues if issues is not None else IssueList()
    ctx = build_context(acting_user, today=today)
    prepared = checks.check_indicator_reports(records, ctx, issues)
    _check_evidence(prepared, issues)
    return _run(
        ReportType.INDICATOR,
        prepared,
        issues,
        acting_user=acting_user,
        reason=reason,
        state=state,
        confirm_warnings=confirm_warnings,
        dry_run=dry_run,
        channel=channel,
        expected_versions=expected_versions,
        batch_factory=batch_factory,
        is_demo=is_demo,
    )


def _check_evidence(prepared: list[PreparedReport], issues: IssueList) -> None:
    """Evidence referred to by values must be the same department's."""
    wanted = {
        line.values["evidence_id"]: (p, line)
        for p in prepared
        for line in p.sections.get("indicators", {}).values()
        if line.values.get("evidence_id")
    }
    if not wanted:
        return
    owners = dict(Attachment.objects.filter(pk__in=wanted).values_list("pk", "organisation_id"))
    rep = checks._Reporter(issues)
    for pk, (p, line) in wanted.items():
        if owners.get(pk) != p.organisation.pk:
            rep.add(
                line.origin,
                "evidence",
                "证明材料不存在，或不属于本部门。",
                "请重新上传证明材料。",
                code="evidence_unknown",
                where=p.label,
            )


# -- workflow hook ------------------------------------------------------------------------------------


@transaction.atomic
def set_revision_state(
    revision: Revision,
    state: str,
    *,
    acting_user: Any,
    reason: str = "",
    expected_version: int | None = None,
    action: str | None = None,
) -> Revision:
    """Change the state of a report's newest revision — the hook the review workflow builds on.

    This function enforces only what storage needs: the revision must be the report's newest,
    the optimistic lock must hold, and the change is audited (``action``: ``submit``,
    ``approve``, ``return`` …; default ``update``). *Who* may make *which* transition (an
    enterprise may not approve its own report, a reviewer chain) is the workflow's rule, to be
    checked by its services before calling this.

    Raises
    ------
    ConcurrentEditError
        ``expected_version`` is given and the report has changed since.
    ValueError
        Not the newest revision, or an unknown state.
    """
    from ecplan.audit.services import record_update, snapshot

    if state not in State.values:
        raise ValueError(f"未知的状态 {state!r}")
    report = Report.objects.select_for_update().get(pk=revision.report_id)
    newest = Revision.objects.filter(report=report).order_by("-number").first()
    if newest is None or newest.pk != revision.pk:
        raise ValueError("只能变更报表最新修订的状态；旧修订保持原状")
    if expected_version is not None and report.version != expected_version:
        raise ConcurrentEditError(report)
    before = snapshot(revision, fields=["state", "state_reason"])
    revision.state = state
    revision.state_changed_at = timezone.now()
    revision.state_changed_by = acting_user
    revision.state_reason = reason
    revision.save(
        update_fields=[
            "state",
            "state_changed_at",
            "state_changed_by",
            "state_reason",
            "updated_at",
        ]
    )
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=timezone.now())
    record_update(
        revision,
        actor=acting_user,
        before=before,
        action=action or "update",
        detail=reason,
        always=True,
    )
    return revision


def is_locked(revision: Revision) -> bool:
    return revision.state in LOCKED_STATES


# -- registry: enterprises and installations -----------------------------------------------------------


@dataclass
class RegistryOutcome:
    """The result of saving enterprises or installations (all or nothing)."""

    issues: IssueList
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stored: bool = False
    dry_run: bool = False
    objects: list[Any] = field(default_factory=list)

    def summary(self) -> str:
        head = "（试运行，未写入）" if self.dry_run else ""
        return f"{head}新建 {self.created} 个，修改 {self.updated} 个，无变化 {self.unchanged} 个。"

    def to_dict(self) -> dict[str, Any]:
        return {
            "stored": self.stored,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "summary": self.summary(),
            "error_count": self.issues.error_count,
            "warning_count": self.issues.warning_count,
            "issues": self.issues.to_dicts(),
        }


_KEY_UNIT_CLASS = {
    "over_10k": "over_10k",
    "5k_to_10k": "5k_to_10k",
    "other": "other",
    **{checks.norm_name(c.label): c.value for c in Enterprise.KeyUnitClass},
    checks.norm_name("1万吨以上"): "over_10k",
    checks.norm_name("1万吨标准煤及以上"): "over_10k",
    checks.norm_name("5千至1万吨"): "5k_to_10k",
    checks.norm_name("5000-10000吨"): "5k_to_10k",
    checks.norm_name("其他"): "other",
}


def _choice(choices: Any, text: str) -> str | None:
    """A TextChoices value from its code or Chinese label (``None`` if neither)."""
    wanted = checks.norm_name(text or "")
    for value, label in choices.choices:
        if wanted in (checks.norm_name(value), checks.norm_name(label)):
            return str(value)
    return None


def save_enterprises(
    records: Sequence[Any],
    *,
    acting_user: Any,
    dry_run: bool = False,
    issues: IssueList | None = None,
    channel: str = Channel.API,
) -> RegistryOutcome:
    """Create or update enterprises, matched by credit code (plan and system administrators).

    Each record is an :class:`~ecplan.reporting.records.EnterpriseRecord`. The credit code
    must pass the GB 32100 check; the area must be a county-level area of the acting user's
    region and the zone, if any, one of its functional zones.
    """
    from ecplan.accounts.policies import can_create

    issues = issues if issues is not None else IssueList()
    outcome = RegistryOutcome(issues=issues, dry_run=dry_run)
    rep = checks._Reporter(issues)
    if not can_create(acting_user, Enterprise):
        rep.add(
            None,
            None,
            "您无权登记或修改企业。",
            "企业由计划管理部门登记。",
            code="permission_denied",
        )
        return outcome
    ctx = build_context(acting_user, credit_codes=[r.credit_code for r in records])
    seen: dict[Any, Any] = {}
    planned: list[tuple[Any, dict[str, Any], Any]] = []
    for r in records:
        where = f"企业 {r.credit_code}"
        code = checks.check_credit_code(r.credit_code, rep, r.origin, where)
        name = (r.name or "").strip()
        if not name:
            rep.add(
                r.origin,
                "name",
                "企业名称不能为空。",
                "请填写营业执照上的名称。",
                code="missing",
                where=where,
            )
        area = ctx.areas.get(checks.norm_name(r.area or ""))
        if area is None or not area.is_county_level:
            rep.add(
                r.origin,
                "area",
                f"“{r.area}”不是本市的县级地区。",
                "请填写区、县或县级市的名称或行政区划代码（如 仪征市、321081）。",
                code="area_unknown",
                value=r.area,
                where=where,
            )
            area = None
        zone = None
        if r.zone:
            zone = ctx.areas.get(checks.norm_name(r.zone))
            if zone is None or zone.kind != Area.Kind.FUNCTIONAL_ZONE:
                rep.add(
                    r.origin,
                    "zone",
                    f"“{r.zone}”不是本市的功能区。",
                    "请核对功能区名称，或留空。",
                    code="zone_unknown",
                    value=r.zone,
                    where=where,
                )
                zone = None
            elif area is not None and zone.parent_id != area.pk:
                rep.add(
                    r.origin,
                    "zone",
                    f"功能区“{zone.name}”不在“{area.name}”境内（属于{zone.parent}）。",
                    "请核对所在县级地区和功能区。",
                    code="zone_mismatch",
                    value=r.zone,
                    where=where,
                )
                zone = None
        key_class = _KEY_UNIT_CLASS.get(checks.norm_name(r.key_unit_class or "other"))
        if key_class is None:
            rep.add(
                r.origin,
                "key_unit_class",
                f"未知的重点用能单位类别“{r.key_unit_class}”。",
                "可选：" + "、".join(c.label for c in Enterprise.KeyUnitClass) + "。",
                code="choice_unknown",
                value=r.key_unit_class,
                where=where,
            )
        industry = clean_industry(r.industry_code)
        if industry and not checks.industry_code_ok(industry):
            rep.add(
                r.origin,
                "industry_code",
                f"“{r.industry_code}”不是 GB/T 4754 行业代码。",
                "请填写门类字母加 2–4 位数字，如 C2614，或只填数字 2614。",
                code="industry_code",
                value=r.industry_code,
                where=where,
            )
        if code is None or area is None or not name or key_class is None:
            continue
        if code in seen:
            rep.add(
                r.origin,
                "credit_code",
                f"统一社会信用代码“{code}”重复（与{checks._row_ref(seen[code])}）。",
                "每个企业只填写一行。",
                code="duplicate",
                where=where,
            )
            continue
        seen[code] = r.origin
        values = {
            "name": name,
            "area": area,
            "zone": zone,
            "industry_code": industry,
            "key_unit_class": key_class,
            "budget_managed": bool(r.budget_managed),
            "is_demo": bool(r.is_demo),
            "region": area.region,
        }
        planned.append((code, values, ctx.enterprises.get(code)))
    if issues.has_errors or dry_run:
        for _code, values, existing in planned:
            _count_registry(outcome, existing, values)
        return outcome
    with transaction.atomic():
        from ecplan.audit.services import record_create, record_update, snapshot

        for code, values, existing in planned:
            if existing is None:
                obj = Enterprise.objects.create(credit_code=code, **values)
                record_create(obj, actor=acting_user)
                outcome.created += 1
            elif _differs(existing, values):
                before = snapshot(existing)
                for k, v in values.items():
                    setattr(existing, k, v)
                existing.save()
                record_update(existing, actor=acting_user, before=before)
                outcome.updated += 1
                obj = existing
            else:
                outcome.unchanged += 1
                obj = existing
            outcome.objects.append(obj)
    outcome.stored = True
    return outcome


def clean_industry(code: str | None) -> str:
    from ecplan.tabular.normalise import clean_code_text

    return clean_code_text(code or "")


def _differs(obj: Model, values: Mapping[str, Any]) -> bool:
    return any(getattr(obj, k) != v for k, v in values.items())


def _count_registry(outcome: RegistryOutcome, existing: Any, values: Mapping[str, Any]) -> None:
    if existing is None:
        outcome.created += 1
    elif _differs(existing, values):
        outcome.updated += 1
    else:
        outcome.unchanged += 1


_INSTALLATION_DECIMALS = (
    "capacity_t_per_a",
    "it_capacity_kw",
    "capacity_mw",
    "evaporation_t_per_h",
)


def save_installations(
    records: Sequence[Any],
    *,
    acting_user: Any,
    dry_run: bool = False,
    issues: IssueList | None = None,
    channel: str = Channel.API,
) -> RegistryOutcome:
    """Create or update installations, matched by enterprise credit code + installation code
    (plan and system administrators). Each record is an
    :class:`~ecplan.reporting.records.InstallationRecord`; choice fields take codes or Chinese
    labels; a generating unit's or boiler's ``parent`` is the code of its plant (in the
    database or earlier in the same batch)."""
    from decimal import Decimal

    from ecplan.accounts.policies import can_create

    issues = issues if issues is not None else IssueList()
    outcome = RegistryOutcome(issues=issues, dry_run=dry_run)
    rep = checks._Reporter(issues)
    if not can_create(acting_user, Installation):
        rep.add(
            None,
            None,
            "您无权登记或修改用能装置。",
            "装置由计划管理部门登记。",
            code="permission_denied",
        )
        return outcome
    ctx = build_context(acting_user, credit_codes=[r.credit_code for r in records])
    seen: dict[tuple[Any, ...], Any] = {}
    planned: list[tuple[Installation, Installation | None, str]] = []
    batch_plants: dict[tuple[int, str], Installation] = {}
    choice_fields = {
        "kind": Installation.Kind,
        "product": Installation.Product,
        "variant": Installation.Variant,
        "dc_status": Installation.DataCentreStatus,
        "plant_type": Installation.PlantType,
        "fuel": Installation.Fuel,
    }
    for r in records:
        where = f"装置 {r.credit_code} {r.code}"
        code = checks.check_credit_code(r.credit_code, rep, r.origin, where)
        enterprise = ctx.enterprises.get(code) if code else None
        if code and enterprise is None:
            rep.add(
                r.origin,
                "credit_code",
                f"统一社会信用代码“{code}”不是已登记的企业。",
                "请先登记企业（企业表），再登记其装置。",
                code="enterprise_unknown",
                value=code,
                where=where,
            )
        inst_code = (r.code or "").strip()
        if not inst_code:
            rep.add(
                r.origin,
                "code",
                "装置编号不能为空。",
                "请填写企业内唯一的编号，如 PTA-1。",
                code="missing",
                where=where,
            )
        values: dict[str, Any] = {}
        ok = enterprise is not None and bool(inst_code)
        for name, choices in choice_fields.items():
            text = getattr(r, name) or ""
            if not text:
                values[name] = ""
                continue
            found = _choice(choices, text)
            if found is None:
                rep.add(
                    r.origin,
                    name,
                    f"“{text}”不是有效的选项。",
                    "可选：" + "、".join(str(lbl) for _, lbl in choices.choices) + "。",
                    code="choice_unknown",
                    value=text,
                    where=where,
                )
                ok = False
            values[name] = found or ""
        for name in _INSTALLATION_DECIMALS:
            v = getattr(r, name)
            values[name] = None if v is None else Decimal(repr(float(v)))
        if not ok:
            continue
        assert enterprise is not None
        key = (enterprise.pk, inst_code)
        if key in seen:
            rep.add(
                r.origin,
                "code",
                f"装置编号“{inst_code}”重复（与{checks._row_ref(seen[key])}）。",
                "同一企业的装置编号不能重复。",
                code="duplicate",
                where=where,
            )
            continue
        seen[key] = r.origin
        existing = ctx.installations.get(key)
        parent = None
        if r.parent:
            parent = batch_plants.get((enterprise.pk, r.parent.strip())) or ctx.installations.get(
                (enterprise.pk, r.parent.strip())
            )
            if parent is None:
                rep.add(
                    r.origin,
                    "parent",
                    f"所属电厂“{r.parent}”不是该企业已登记的装置。",
                    "请先登记电厂（同一文件中电厂写在机组之前），或核对编号。",
                    code="parent_unknown",
                    value=r.parent,
                    where=where,
                )
                continue
        obj = Installation(
            enterprise=enterprise,
            parent=parent,
            code=inst_code,
            name=(r.name or "").strip() or inst_code,
            commissioned_on=r.commissioned_on,
            closed_on=r.closed_on,
            notes=r.notes or "",
            is_demo=bool(r.is_demo),
            **values,
        )
        problems = obj.kind_problems()
        for fld, message in problems:
            rep.add(r.origin, fld, message, code="installation_invalid", where=where)
        if problems:
            continue
        if obj.kind == Installation.Kind.PLANT:
            batch_plants[key] = existing or obj
        planned.append((obj, existing, inst_code))
    if issues.has_errors or dry_run:
        for obj, existing, _ in planned:
            _count_registry(outcome, existing, _installation_values(obj))
        return outcome
    with transaction.atomic():
        from ecplan.audit.services import record_create, record_update, snapshot

        for obj, existing, _ in planned:
            if obj.parent is not None and obj.parent.pk is None:
                obj.parent = batch_plants[(obj.enterprise_id, obj.parent.code)]
            values = _installation_values(obj)
            if existing is None:
                obj.save()
                record_create(obj, actor=acting_user)
                outcome.created += 1
                outcome.objects.append(obj)
                if obj.kind == Installation.Kind.PLANT:
                    batch_plants[(obj.enterprise_id, obj.code)] = obj
            elif _differs(existing, values):
                before = snapshot(existing)
                for k, v in values.items():
                    setattr(existing, k, v)
                existing.save()
                record_update(existing, actor=acting_user, before=before)
                outcome.updated += 1
                outcome.objects.append(existing)
            else:
                outcome.unchanged += 1
                outcome.objects.append(existing)
    outcome.stored = True
    return outcome


def _installation_values(obj: Installation) -> dict[str, Any]:
    fields = (
        "parent",
        "name",
        "kind",
        "product",
        "variant",
        "dc_status",
        "plant_type",
        "fuel",
        *_INSTALLATION_DECIMALS,
        "commissioned_on",
        "closed_on",
        "notes",
        "is_demo",
    )
    return {f: getattr(obj, f) for f in fields}


# -- indicator assignments ----------------------------------------------------------------------------


@dataclass
class AssignmentOutcome:
    created: int = 0
    kept: int = 0
    plan_code: str = ""

    def summary(self) -> str:
        return f"计划 {self.plan_code}：新增指标分工 {self.created} 项，保留已有 {self.kept} 项。"


def derive_assignments(version: Any) -> dict[tuple[str, int], dict[str, Any]]:
    """Who reports which indicator, read from a plan version's responsibility data.

    For every target and milestone with an indicator, and every indicator a per-project or
    per-entity rule is checked by (PUE, green data-centre standard, energy budgets …): the
    places that state it (sections,
    tasks, breakdown-table rows), and there the organisations named as 牵头 (lead) or 共同负责
    (joint); where a place names only co-operating departments, those. A target no place
    assigns goes to the plan office. Returns ``(indicator, organisation id) → {unit,
    target_keys, basis}``.
    """
    from ecplan.core.plan.vocabulary import INDICATORS
    from ecplan.plans.models import Mention, Milestone, Responsibility, Rule, Target

    mentions = Mention.objects.filter(version=version).values(
        "section_id", "task_id", "table_row_id", "target_id", "milestone_id", "rule_id"
    )
    places: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    for m in mentions:
        if m["target_id"]:
            obj = ("target", m["target_id"])
        elif m["milestone_id"]:
            obj = ("milestone", m["milestone_id"])
        elif m["rule_id"]:
            obj = ("rule", m["rule_id"])
        else:
            continue
        for kind in ("section", "task", "table_row"):
            if m[f"{kind}_id"]:
                places[obj].append((kind, m[f"{kind}_id"]))
    resp: dict[tuple[str, int], list[tuple[str, int, str]]] = defaultdict(list)
    for r in Responsibility.objects.filter(version=version, organisation__isnull=False).values(
        "section_id", "task_id", "table_row_id", "role", "organisation_id", "name"
    ):
        for kind in ("section", "task", "table_row"):
            if r[f"{kind}_id"]:
                resp[(kind, r[f"{kind}_id"])].append((r["role"], r["organisation_id"], r["name"]))
    plan_office = Organisation.objects.filter(
        region=version.plan.region, is_plan_office=True
    ).first()
    out: dict[tuple[str, int], dict[str, Any]] = {}

    def assign(indicator: str, unit: str, key: str, obj: tuple[str, int]) -> None:
        named: list[tuple[int, str]] = []
        for place in places.get(obj, []):
            here = resp.get(place, [])
            leads = [(o, n) for role, o, n in here if role in ("lead", "joint")]
            named += leads or [(o, n) for role, o, n in here if role == "cooperating"]
        basis = "、".join(dict.fromkeys(n for _, n in named))
        if not named and plan_office is not None:
            named = [(plan_office.pk, plan_office.name)]
            basis = "计划未明确责任部门，由计划管理部门填报"
        for org_id, _ in dict.fromkeys(named):
            entry = out.setdefault(
                (indicator, org_id), {"unit": unit, "target_keys": [], "basis": basis}
            )
            if key not in entry["target_keys"]:
                entry["target_keys"].append(key)

    for t in Target.objects.filter(version=version):
        d = INDICATORS.get(t.indicator)
        assign(t.indicator, d.unit if d else t.canonical_unit, t.key, ("target", t.pk))
    for m in Milestone.objects.filter(version=version).exclude(indicator=""):
        d = INDICATORS.get(m.indicator)
        assign(m.indicator, d.unit if d else "1", m.key, ("milestone", m.pk))
    for r in Rule.objects.filter(version=version):
        # per-project and per-entity rules: their criteria are recorded object by object
        for indicator in dict.fromkeys(
            c.get("indicator") for c in r.criteria if c.get("indicator")
        ):
            d = INDICATORS.get(indicator)
            assign(indicator, d.unit if d else "1", r.key, ("rule", r.pk))
    return out


@transaction.atomic
def sync_indicator_assignments(
    plan_code: str, *, acting_user: Any, frequency: str = "year"
) -> AssignmentOutcome:
    """Create the indicator assignments a plan's current version implies (plan office).

    Idempotent; assignments the plan office changed or added are kept (existing rows are
    never overwritten), new ones get ``frequency``.
    """
    from ecplan.plans.models import Plan

    plan = Plan.objects.select_related("current_version", "region").get(code=plan_code)
    if plan.current_version is None:
        raise ValueError(f"计划 {plan_code} 没有当前版本")
    outcome = AssignmentOutcome(plan_code=plan_code)
    derived = derive_assignments(plan.current_version)
    existing = set(
        IndicatorAssignment.objects.filter(plan_code=plan_code).values_list(
            "indicator", "organisation_id"
        )
    )
    new = [
        IndicatorAssignment(
            plan_code=plan_code,
            indicator=indicator,
            organisation_id=org_id,
            frequency=frequency,
            unit=info["unit"],
            target_keys=info["target_keys"],
            basis=info["basis"],
        )
        for (indicator, org_id), info in sorted(derived.items())
        if (indicator, org_id) not in existing
    ]
    IndicatorAssignment.objects.bulk_create(new)
    outcome.created = len(new)
    outcome.kept = len(existing)
    if new and acting_user is not None:
        audit_record(
            "create",
            actor=acting_user,
            detail=outcome.summary(),
            object_type="reporting.IndicatorAssignment",
            object_type_label="指标填报分工",
            object_repr=f"{plan_code}：{len(new)} 项",
        )
    return outcome


# -- restatement ------------------------------------------------------------------------------------------


@dataclass
class RestatementOutcome:
    restatement: Restatement | None
    examined: int = 0
    restated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"检查 {self.examined} 份报表修订：{self.restated} 份因因子集变化生成新的结果版本，"
            f"{self.unchanged} 份结果不变。"
        )


def restate_results(
    revisions: Iterable[Revision] | Any,
    *,
    acting_user: Any,
    reason: str,
    scope: Mapping[str, Any] | None = None,
    dry_run: bool = False,
) -> RestatementOutcome:
    """Recompute the accounting results of energy revisions with the factors in force now.

    A revision whose current result was computed with other factor sets (or other numbers)
    gets a new result version linked to a :class:`Restatement` that records who, when and
    why; the old versions stay untouched. Revisions whose result would not change get
    nothing. Plan and system administrators only; ``reason`` is required.

    Raises
    ------
    PermissionDenied
    ValueError
        An empty reason.
    """
    from django.core.exceptions import PermissionDenied

    from ecplan.reporting import accounting as acc

    if not policies.can_create(acting_user, Restatement):
        raise PermissionDenied("只有计划管理员或系统管理员可以重新核算")
    if not (reason or "").strip():
        raise ValueError("重新核算须说明原因")
    revs = list(
        Revision.objects.filter(
            pk__in=[r.pk for r in revisions], report__report_type=ReportType.ENERGY
        ).select_related("report__enterprise__region")
    )
    outcome = RestatementOutcome(restatement=None, examined=len(revs))
    current = {r.revision_id: r for r in EnergyResult.objects.filter(revision__in=revs).current()}
    content = load_content(ReportType.ENERGY, [r.pk for r in revs])
    cache = acc.Coefficients()
    planned: list[tuple[Revision, Any, int]] = []
    for rev in revs:
        lines = list(content[rev.pk].get("energy", {}).values())
        account = acc.compute_energy_account(
            [_line_input(line) for line in lines],
            year=rev.report.year,
            region=rev.report.enterprise.region.province or None if rev.report.enterprise else None,
            coefficients=cache,
        )
        old = current.get(rev.pk)
        if old is not None and _same_result(old, account):
            outcome.unchanged += 1
            continue
        planned.append((rev, account, (old.version + 1) if old is not None else 1))
    outcome.restated = len(planned)
    if dry_run or not planned:
        return outcome
    with transaction.atomic():
        restatement = Restatement.objects.create(
            reason=reason.strip(),
            scope=dict(scope or {}),
            created_by=acting_user,
            summary={
                "examined": outcome.examined,
                "restated": outcome.restated,
                "unchanged": outcome.unchanged,
            },
        )
        results = [
            _result(rev, account, version=version, restatement=restatement)
            for rev, account, version in planned
        ]
        store_coefficients([cache], {k for r in results for k in r.calculation["coefficients"]})
        EnergyResult.objects.bulk_create(results, batch_size=500)
        audit_record(
            "restate",
            actor=acting_user,
            obj=restatement,
            changes={
                "results": {
                    "old": None,
                    "new": [
                        {"revision": rev.pk, "report": rev.report_id, "version": version}
                        for rev, _, version in planned[:2000]
                    ],
                }
            },
            detail=f"{outcome.summary()} 原因：{reason.strip()}",
        )
    outcome.restatement = restatement
    return outcome


_RESULT_FIELDS = (
    "energy_tce_calorific",
    "energy_tce_equivalent",
    "new_basis_tce_calorific",
    "new_basis_tce_equivalent",
    "co2_t",
    "complete",
)


def _same_result(old: EnergyResult, account: Any) -> bool:
    return old.factor_digest == account.factor_digest and all(
        getattr(old, f) == getattr(account, f) for f in _RESULT_FIELDS
    )


# -- file imports --------------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """The result of :func:`import_file` (all or nothing)."""

    filename: str
    report_type: str
    issues: IssueList
    outcome: Outcome | None = None
    registry: list[RegistryOutcome] = field(default_factory=list)
    dry_run: bool = False
    refused: bool = False

    @property
    def stored(self) -> bool:
        if self.outcome is not None:
            return self.outcome.stored
        return bool(self.registry) and all(r.stored for r in self.registry)

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.outcome is not None and self.outcome.needs_confirmation)

    @property
    def batch(self) -> ImportBatch | None:
        return self.outcome.batch if self.outcome is not None else None

    def summary(self) -> str:
        if self.refused:
            return "文件未导入：" + self.issues.summary()
        if self.outcome is not None:
            text = self.outcome.summary()
        else:
            text = "；".join(r.summary() for r in self.registry) or "没有可导入的数据。"
        if self.issues.has_errors:
            return f"发现错误，未导入任何数据（{self.issues.summary()}）"
        if self.needs_confirmation:
            return f"有 {self.issues.warning_count} 个提醒需要确认后才能导入。" + text
        return text

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.filename,
            "report_type": self.report_type,
            "stored": self.stored,
            "dry_run": self.dry_run,
            "needs_confirmation": self.needs_confirmation,
            "summary": self.summary(),
            "error_count": self.issues.error_count,
            "warning_count": self.issues.warning_count,
            "issues": self.issues.to_dicts(),
        }
        if self.outcome is not None:
            data["counts"] = self.outcome.counts
            data["changes"] = [c.to_dict() for c in self.outcome.changes]
            data["batch"] = self.outcome.batch.pk if self.outcome.batch else None
        if self.registry:
            data["registry"] = [r.to_dict() for r in self.registry]
        return data


def upload_limits(channel: str) -> Any:
    """Intake limits: the platform's upload size for the web, ten times that on the command
    line (analysts' long tables)."""
    from ecplan.tabular import IntakeLimits

    max_bytes = int(getattr(settings, "ECPLAN_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
    return IntakeLimits(max_bytes=max_bytes * (10 if channel == "cli" else 1))


def _source_bytes(source: Any, limits: Any) -> tuple[bytes, str | None]:
    import os

    if isinstance(source, bytes | bytearray):
        return bytes(source), None
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        if limits.max_bytes is not None and os.path.getsize(path) > limits.max_bytes:
            return b"", os.path.basename(path)  # intake refuses by size without reading it all
        with open(path, "rb") as fh:
            return fh.read(), os.path.basename(path)
    data = source.read()
    return data, getattr(source, "name", None)


def import_file(
    source: Any,
    *,
    acting_user: Any,
    filename: str | None = None,
    report_type: str | None = None,
    dry_run: bool = False,
    confirm_warnings: bool = False,
    state: str = State.DRAFT,
    reason: str = "",
    channel: str = "web",
    today: dt.date | None = None,
) -> ImportOutcome:
    """Import a workbook or CSV file: check it, read it, validate it, store it — or nothing.

    Files that are not spreadsheets, too large, macro-enabled, encrypted or zip bombs are
    refused before parsing (``ecplan.tabular`` intake). Every cell and domain problem is
    listed with sheet, row and column. Nothing is stored when there is an error, or a
    warning not confirmed; a successful import keeps the file (``ImportBatch``) and records
    who, when and what changed, with an audit event. ``channel``: ``web`` or ``cli``.
    """
    import os

    from django.core.files.base import ContentFile

    from ecplan.reporting.importing import read_workbook
    from ecplan.tabular import TabularFileError, check_file, open_workbook

    # every problem is counted; the first thousands are listed (a file wrong on every row
    # would otherwise make a page, and a session, of megabytes)
    issues = IssueList(max_issues=5000 if channel == "cli" else 1000)
    limits = upload_limits(channel)
    data, name = _source_bytes(source, limits)
    name = filename or name or "上传文件"
    result = ImportOutcome(
        filename=name, report_type=report_type or "", issues=issues, dry_run=dry_run
    )
    try:
        if not data and limits.max_bytes is not None and not isinstance(source, bytes | bytearray):
            size = os.path.getsize(os.fspath(source))
            raise TabularFileError(
                "too_large",
                f"文件大小 {size / 1024 / 1024:.1f} MB，超过上限 {limits.max_bytes / 1024 / 1024:.0f} MB",
                "请拆分文件，或删除无关的工作表后重新上传",
                filename=name,
            )
        checked = check_file(data, limits=limits, filename=name)
        with open_workbook(checked) as workbook:
            read = read_workbook(workbook, issues, report_type=report_type)
    except TabularFileError as exc:
        issues.add(CellIssue(None, None, None, None, None, exc.text(), "", "error", exc.code))
        result.refused = True
        _audit_refused(result, acting_user)
        return result
    result.report_type = read.report_type
    stored_files: list[str] = []

    def batch_factory() -> ImportBatch:
        batch = ImportBatch(
            report_type=read.report_type,
            original_name=name[:255],
            file_kind=checked.kind.value,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            channel=channel,
            created_by=acting_user,
        )
        batch.file.save(_safe_filename(name), ContentFile(data), save=False)
        stored_files.append(batch.file.name or "")
        batch.save()
        return batch

    try:
        if read.report_type == "enterprises":
            result.registry = _import_registry(
                read,
                acting_user=acting_user,
                issues=issues,
                dry_run=dry_run,
                batch_factory=batch_factory,
            )
        elif read.report_type:
            save: Any = {
                ReportType.ENERGY: save_energy_reports,
                ReportType.STATISTICS: save_statistics,
                ReportType.INDICATOR: save_indicator_reports,
            }[ReportType(read.report_type)]
            result.outcome = save(
                read.records,
                acting_user=acting_user,
                reason=reason,
                state=state,
                confirm_warnings=confirm_warnings,
                dry_run=dry_run,
                channel=Channel.IMPORT,
                today=today,
                issues=issues,
                batch_factory=batch_factory,
            )
    except ConcurrentEditError as exc:
        _discard_files(stored_files)
        issues.add(
            CellIssue(None, None, None, None, None, str(exc), "", "error", "concurrent_edit")
        )
        return result
    except BaseException:
        _discard_files(stored_files)
        raise
    if not result.stored:
        _discard_files(stored_files)
        if issues.has_errors and not dry_run:
            _audit_refused(result, acting_user)
    return result


def _safe_filename(name: str) -> str:
    import os
    import re

    base = os.path.basename(name.replace("\\", "/")) or "upload"
    stem, ext = os.path.splitext(base)
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", stem)[:80] or "upload"
    ext = re.sub(r"[^\w.]+", "", ext)[:10]
    return f"{stem}{ext}"


def _discard_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for n in names:
        if default_storage.exists(n):
            default_storage.delete(n)


def _audit_refused(result: ImportOutcome, acting_user: Any) -> None:
    first = [i.text() for i in result.issues.errors[:5]]
    audit_record(
        "import",
        actor=acting_user,
        detail=f"文件“{result.filename}”未导入（{result.issues.summary()}）：" + "；".join(first),
        object_type="reporting.ImportBatch",
        object_type_label="导入记录",
        object_repr=result.filename,
    )


def _import_registry(
    read: Any, *, acting_user: Any, issues: IssueList, dry_run: bool, batch_factory: Any
) -> list[RegistryOutcome]:
    """Enterprises and installations of one file in one transaction (installations may refer
    to enterprises of the same file)."""
    outcomes: list[RegistryOutcome] = []

    class _Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            if issues.has_errors:
                raise _Rollback
            enterprises = save_enterprises(read.records, acting_user=acting_user, issues=issues)
            outcomes.append(enterprises)
            if issues.has_errors:
                raise _Rollback
            if read.installation_records:
                installations = save_installations(
                    read.installation_records, acting_user=acting_user, issues=issues
                )
                outcomes.append(installations)
            if issues.has_errors or dry_run:
                raise _Rollback
            batch = batch_factory()
            batch.summary = {"registry": [o.to_dict() for o in outcomes]}
            batch.save(update_fields=["summary"])
            audit_record(
                "import",
                actor=acting_user,
                obj=batch,
                detail=f"文件“{batch.original_name}”（企业与装置名录）："
                + "；".join(o.summary() for o in outcomes),
            )
    except _Rollback:
        for o in outcomes:
            o.stored = False
            o.dry_run = dry_run
    return outcomes


def restate_selection(
    *,
    acting_user: Any,
    reason: str,
    period: str | None = None,
    credit_code: str | None = None,
    which: str = "all",
    dry_run: bool = False,
) -> RestatementOutcome:
    """:func:`restate_results` for the energy revisions of a period and/or an enterprise
    (``which``: ``all`` revisions, each report's ``newest``, or the ``approved`` ones)."""
    from ecplan.reporting.periods import parse_period

    qs = Revision.objects.filter(report__report_type=ReportType.ENERGY)
    scope: dict[str, Any] = {"revisions": which}
    if period:
        p = parse_period(period)
        qs = qs.filter(report__period_start__gte=p.start, report__period_end__lte=p.end)
        scope["period"] = str(p)
    if credit_code:
        from ecplan.tabular.normalise import clean_code_text

        code = clean_code_text(credit_code)
        if not Enterprise.objects.filter(credit_code=code).exists():
            raise ValueError(f"没有统一社会信用代码为“{code}”的企业")
        qs = qs.filter(report__enterprise__credit_code=code)
        scope["enterprise"] = code
    if which == "newest":
        qs = qs.newest()
    elif which == "approved":
        qs = qs.approved()
    return restate_results(
        list(qs), acting_user=acting_user, reason=reason, scope=scope, dry_run=dry_run
    )


def sync_assignments_as(
    plan_code: str, *, acting_user: Any, frequency: str = "year"
) -> AssignmentOutcome:
    """:func:`sync_indicator_assignments` for a plan office user (permission checked)."""
    from django.core.exceptions import PermissionDenied

    from ecplan.plans.models import Plan

    if not policies.can_create(acting_user, IndicatorAssignment):
        raise PermissionDenied("只有计划管理员或系统管理员可以生成指标填报分工")
    if not Plan.objects.filter(code=plan_code).exists():
        raise LookupError(f"没有标识为“{plan_code}”的计划（请先用 ecplan plan load 载入）")
    return sync_indicator_assignments(plan_code, acting_user=acting_user, frequency=frequency)


# -- evidence files ---------------------------------------------------------------------------------------

#: magic bytes → (content type, label) of the evidence files accepted besides spreadsheets
_EVIDENCE_KINDS = (
    (b"%PDF-", "application/pdf", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "PNG 图片"),
    (b"\xff\xd8\xff", "image/jpeg", "JPEG 图片"),
)
_EVIDENCE_ACCEPTED = "PDF、PNG/JPEG 图片或 Excel/CSV 表格"


class EvidenceRefused(ValueError):
    """An evidence file that is not accepted (Chinese message)."""


def evidence_type(data: bytes, filename: str) -> str:
    """The content type of an evidence file, or :class:`EvidenceRefused`.

    PDF and images are recognised by their magic bytes; spreadsheets must pass the tabular
    intake (no macros, no encryption, no zip bombs). The extension is never trusted.
    """
    from ecplan.tabular import TabularFileError, check_file

    limits = upload_limits("web")
    if not data:
        raise EvidenceRefused(f"文件“{filename}”是空的。")
    if limits.max_bytes is not None and len(data) > limits.max_bytes:
        raise EvidenceRefused(
            f"文件“{filename}”大小 {len(data) / 1024 / 1024:.1f} MB，超过上限 "
            f"{limits.max_bytes / 1024 / 1024:.0f} MB。"
        )
    for magic, content_type, _ in _EVIDENCE_KINDS:
        if data.startswith(magic):
            return content_type
    try:
        checked = check_file(data, limits=limits, filename=filename)
    except TabularFileError as exc:
        raise EvidenceRefused(f"{exc.text()}（证明材料可以是{_EVIDENCE_ACCEPTED}）") from None
    return {
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xls": "application/vnd.ms-excel",
        "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "csv": "text/csv",
    }[checked.kind.value]


def save_indicator_form(
    records: Sequence[IndicatorReportRecord],
    evidence: Mapping[tuple[int, int], tuple[str, bytes]],
    *,
    acting_user: Any,
    organisation: Organisation,
    period: str,
    reason: str = "",
    confirm_warnings: bool = False,
    expected_versions: Mapping[int, int] | None = None,
) -> Outcome:
    """Indicator values from the entry page, with evidence files, in one transaction.

    ``evidence`` maps (record index, value index) → (file name, bytes). The files are checked
    first (:func:`evidence_type`); they are stored only together with the values.
    """
    from django.core.files.base import ContentFile

    issues = IssueList()
    prepared: list[tuple[tuple[int, int], str, bytes, str]] = []
    for key, (name, data) in evidence.items():
        try:
            prepared.append((key, name, data, evidence_type(data, name)))
        except EvidenceRefused as exc:
            issues.add(
                CellIssue(
                    None,
                    None,
                    None,
                    "证明材料",
                    name,
                    str(exc),
                    f"证明材料可以是{_EVIDENCE_ACCEPTED}。",
                    "error",
                    "evidence_refused",
                )
            )
    if issues.has_errors:
        return Outcome(issues=issues)
    if not policies.can(acting_user, "report", organisation):
        issues.add(
            CellIssue(
                None,
                None,
                None,
                None,
                None,
                f"您无权填报“{organisation.name}”的指标。",
                "",
                "error",
                "organisation_out_of_scope",
            )
        )
        return Outcome(issues=issues)
    stored: list[str] = []

    class _Rollback(Exception):
        pass

    outcome = Outcome(issues=issues)
    try:
        with transaction.atomic():
            for (ri, vi), name, data, content_type in prepared:
                att = Attachment(
                    organisation=organisation,
                    period=period,
                    original_name=name[:255],
                    content_type=content_type,
                    size_bytes=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                    uploaded_by=acting_user,
                )
                att.file.save(_safe_filename(name), ContentFile(data), save=False)
                stored.append(att.file.name or "")
                att.save()
                records[ri].values[vi].evidence_id = att.pk
            outcome = save_indicator_reports(
                records,
                acting_user=acting_user,
                reason=reason,
                confirm_warnings=confirm_warnings,
                channel=Channel.FORM,
                expected_versions=expected_versions,
                issues=issues,
            )
            if not outcome.stored:
                raise _Rollback
    except _Rollback:
        _discard_files(stored)
    except BaseException:
        _discard_files(stored)
        raise
    return outcome

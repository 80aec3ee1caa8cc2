"""Writes of the monitoring app: entered binding targets and target values, evaluation runs.

Every function is keyword-only on ``acting_user``, checks the policy, validates everything
first and writes in one transaction (all or nothing), with an audit event per change.

* :func:`enter_binding_targets` — the plan office enters the 14th Five-Year binding targets of
  the city and their allocation to the county-level areas (page, ``ecplan binding-targets``,
  the demo loader). A changed value is a new revision; the old one stays.
* :func:`enter_target_values` — values of plan targets the text leaves unset (“XXX万平方米”).
* :func:`evaluation_for` / :func:`run_evaluation` — evaluate a plan version as of a month and
  store the run (``docs/evaluation.md``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from ecplan.audit.services import record, record_create
from ecplan.core import AccountingError, default_library
from ecplan.core.evaluation import YearMonth
from ecplan.monitoring.data import DataContext
from ecplan.monitoring.engine import (
    ENGINE_VERSION,
    Evaluation,
    evaluate,
    input_fingerprint,
    load_plan_context,
)
from ecplan.monitoring.entry import (
    BindingTargetRecord,
    EntryIssue,
    EntryOutcome,
    TargetValueRecord,
    find_binding_indicator,
    parse_fraction,
)
from ecplan.monitoring.models import (
    BINDING_VALUE_KIND,
    AreaResult,
    BindingIndicator,
    BindingTarget,
    BindingTargetRevision,
    EvaluationRun,
    ResultBlob,
    TargetResult,
    TargetValue,
    TargetValueRevision,
)
from ecplan.monitoring.policies import is_plan_office, reads_evaluations
from ecplan.organisations.models import Area
from ecplan.plans.models import Plan, PlanVersion, Target

__all__ = [
    "EntryError",
    "ReproductionError",
    "enter_binding_targets",
    "enter_target_values",
    "evaluation_for",
    "reproduce",
    "resolve_area",
    "run_evaluation",
    "store_evaluation",
]


class EntryError(ValueError):
    """The plan or the caller is wrong before any record is looked at."""


def _dec(value: Decimal) -> str:
    """A decimal as entered (no trailing zeros of the database's scale)."""
    return format(value.normalize(), "f")


def _plan(plan_code: str) -> Plan:
    try:
        return Plan.objects.select_related("region", "current_version").get(code=plan_code)
    except Plan.DoesNotExist:
        known = "、".join(Plan.objects.values_list("code", flat=True)) or "（无）"
        raise EntryError(f"计划“{plan_code}”不存在；已载入的计划：{known}") from None


def _require_plan_office(user: Any) -> None:
    if not is_plan_office(user):
        raise PermissionDenied("只有计划管理部门（计划管理员）可以录入约束性指标和目标值")


def resolve_area(region: Any, text: str) -> Area | None:
    """The area of ``region`` named ``text`` (name, alias or administrative code)."""
    wanted = "".join(str(text or "").split())
    if not wanted:
        return None
    for area in Area.objects.filter(region=region).select_related("parent"):
        names = {area.name, area.code, *area.aliases}
        if wanted in names:
            return area
    return None


# -- binding targets ----------------------------------------------------------------------


def _check_binding(
    rec: BindingTargetRecord, plan: Plan, index: int
) -> tuple[Area, str, Decimal] | list[EntryIssue]:
    where = rec.where or f"第 {index + 1} 条"
    issues: list[EntryIssue] = []
    area = resolve_area(plan.region, rec.area)
    if area is None:
        issues.append(
            EntryIssue(
                where,
                "地区",
                f"“{rec.area}”不是{plan.region.name}的地区。",
                "请填写全市或县级地区的名称或行政区划代码（如 仪征市、321081）。",
            )
        )
    elif not (area.kind == Area.Kind.CITY or area.is_county_level):
        parent = area.parent.name if area.parent else "所在县级地区"
        issues.append(
            EntryIssue(
                where,
                "地区",
                f"“{area.name}”是功能区，约束性指标分解到县级地区（功能区并入{parent}，不单独分解）。",
                "请填写全市或县级地区。",
            )
        )
    indicator = find_binding_indicator(rec.indicator)
    if indicator is None:
        names = "、".join(label for _, label in BindingIndicator.choices)
        issues.append(
            EntryIssue(where, "指标", f"不认识的约束性指标“{rec.indicator}”。", f"可用：{names}。")
        )
    years_ok = True
    for name, year in (("基期年份", rec.base_year), ("目标年份", rec.target_year)):
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            issues.append(EntryIssue(where, name, f"“{year}”不是年份。", "请填写如 2020。"))
            years_ok = False
    if years_ok and rec.target_year <= rec.base_year:
        issues.append(
            EntryIssue(
                where,
                "目标年份",
                f"目标年份 {rec.target_year} 应晚于基期年份 {rec.base_year}。",
                "“十四五”目标为 2020—2025。",
            )
        )
    value: Decimal | None = None
    if indicator is not None:
        kind = BINDING_VALUE_KIND[indicator]
        try:
            value = parse_fraction(rec.value, allow_negative=kind == "growth")
        except ValueError as exc:
            issues.append(EntryIssue(where, "数值", str(exc), ""))
        else:
            if kind in ("reduction", "level") and value == 0:
                issues.append(
                    EntryIssue(
                        where,
                        "数值",
                        "数值不能为 0。",
                        "降低目标填降低幅度（如 0.14 或 14%），比重目标填比重。",
                    )
                )
            if kind == "reduction" and value is not None and value >= 1:
                issues.append(EntryIssue(where, "数值", "降低幅度应小于 100%。"))
            if (
                indicator == BindingIndicator.ENERGY_GROWTH
                and years_ok
                and rec.target_year - rec.base_year != 1
            ):
                issues.append(
                    EntryIssue(
                        where,
                        "目标年份",
                        "能源消费增速控制目标按年度设定：目标年份应为基期年份的下一年。",
                        "如 2025 年的增速目标填 基期 2024、目标 2025。",
                    )
                )
    if issues or area is None or indicator is None or value is None:
        return issues
    return area, indicator, value


@transaction.atomic
def enter_binding_targets(
    plan_code: str,
    records: Sequence[BindingTargetRecord],
    *,
    acting_user: Any,
    reason: str = "",
    dry_run: bool = False,
    is_demo: bool = False,
) -> EntryOutcome:
    """Enter binding targets of the city and their allocation to areas (all or nothing).

    A record whose value equals the current one changes nothing; a new value becomes the
    next revision of that target (the old revision stays and remains what earlier
    evaluations used). Each change is an audit event.

    Raises
    ------
    PermissionDenied
        The acting user is not the plan office.
    EntryError
        The plan does not exist.
    """
    _require_plan_office(acting_user)
    plan = _plan(plan_code)
    outcome = EntryOutcome(dry_run=dry_run)
    checked: list[tuple[BindingTargetRecord, Area, str, Decimal]] = []
    seen: dict[tuple[int, str, int, int], str] = {}
    for i, rec in enumerate(records):
        result = _check_binding(rec, plan, i)
        if isinstance(result, list):
            outcome.issues.extend(result)
            continue
        area, indicator, value = result
        key = (area.pk, indicator, rec.base_year, rec.target_year)
        where = rec.where or f"第 {i + 1} 条"
        if key in seen:
            outcome.issues.append(
                EntryIssue(
                    where,
                    "地区",
                    f"{area.name}的同一指标（{rec.base_year}—{rec.target_year}）重复录入，"
                    f"与 {seen[key]} 相同。",
                    "每个地区、指标和期间只填一行。",
                )
            )
            continue
        seen[key] = where
        checked.append((rec, area, indicator, value))
    if outcome.issues:
        return outcome
    for rec, area, indicator, value in checked:
        binding, _created = BindingTarget.objects.get_or_create(
            plan=plan,
            indicator=indicator,
            area=area,
            base_year=rec.base_year,
            target_year=rec.target_year,
        )
        label = (
            f"{area.name} {BindingIndicator(indicator).label}（{rec.base_year}—{rec.target_year}）"
        )
        current = binding.current
        if current is not None and current.value == value:
            outcome.changes.append((label, "unchanged"))
            continue
        outcome.changes.append((label, "created" if current is None else "changed"))
        if dry_run:
            continue
        revision = BindingTargetRevision.objects.create(
            binding=binding,
            number=(current.number + 1) if current is not None else 1,
            value=value,
            source=rec.source,
            note=rec.note,
            reason=reason,
            entered_by=acting_user,
            is_demo=is_demo,
        )
        binding.current = revision
        binding.save(update_fields=["current"])
        if current is None:
            record_create(revision, actor=acting_user, detail=f"录入约束性指标：{label} = {value}")
        else:
            record(
                "update",
                actor=acting_user,
                obj=revision,
                changes={"value": {"old": _dec(current.value), "new": _dec(value)}},
                detail=f"修改约束性指标：{label}，第 {revision.number} 次录入"
                + (f"；原因：{reason}" if reason else ""),
            )
    if dry_run:
        transaction.set_rollback(True)
    outcome.stored = not dry_run
    return outcome


# -- target values -----------------------------------------------------------------------------


def _enterable_targets(plan: Plan) -> dict[str, Target]:
    """Targets of the plan's current version whose value the text leaves unset and that are
    not fed by a binding target."""
    version = plan.current_version
    if version is None:
        return {}
    return {
        t.key: t
        for t in Target.objects.filter(version=version, state=Target.State.NOT_SET)
        if t.value_entry != "plan_office"
    }


@transaction.atomic
def enter_target_values(
    plan_code: str,
    records: Sequence[TargetValueRecord],
    *,
    acting_user: Any,
    reason: str = "",
    dry_run: bool = False,
    is_demo: bool = False,
) -> EntryOutcome:
    """Enter values of plan targets the text leaves unset (all or nothing, history kept).

    Only targets of the current version with ``state: not_set`` take an entered value; the
    14th Five-Year binding targets (``value_entry: plan_office``) take theirs from the city's
    binding target (:func:`enter_binding_targets`).
    """
    _require_plan_office(acting_user)
    plan = _plan(plan_code)
    outcome = EntryOutcome(dry_run=dry_run)
    enterable = _enterable_targets(plan)
    bound = {
        t.key
        for t in Target.objects.filter(version=plan.current_version, value_entry="plan_office")
    }
    checked: list[tuple[TargetValueRecord, Target, Decimal]] = []
    for i, rec in enumerate(records):
        where = rec.where or f"第 {i + 1} 条"
        target = enterable.get(rec.target_key)
        if target is None:
            if rec.target_key in bound:
                hint = "该目标的数值来自全市约束性指标，请在“约束性指标”中录入。"
            else:
                names = "、".join(f"{t.key}（{t.name}）" for t in enterable.values()) or "（无）"
                hint = f"需要录入数值的目标：{names}。"
            outcome.issues.append(
                EntryIssue(where, "目标", f"“{rec.target_key}”不是需要录入数值的目标。", hint)
            )
            continue
        try:
            value = Decimal(str(rec.value).strip())
        except ArithmeticError:
            value = Decimal("NaN")
        if not value.is_finite():
            outcome.issues.append(
                EntryIssue(
                    where,
                    "数值",
                    f"“{rec.value}”不是数字。",
                    f"请按目标单位（{target.unit}）填写数字。",
                )
            )
            continue
        if value <= 0:
            outcome.issues.append(
                EntryIssue(where, "数值", f"{value} 应大于 0。", f"单位为{target.unit}。")
            )
            continue
        checked.append((rec, target, value))
    if outcome.issues:
        return outcome
    for rec, target, value in checked:
        entry, _ = TargetValue.objects.get_or_create(plan=plan, target_key=target.key)
        label = f"{target.name}（{target.key}）"
        current = entry.current
        if current is not None and current.value == value and current.unit == target.unit:
            outcome.changes.append((label, "unchanged"))
            continue
        outcome.changes.append((label, "created" if current is None else "changed"))
        if dry_run:
            continue
        revision = TargetValueRevision.objects.create(
            entry=entry,
            number=(current.number + 1) if current is not None else 1,
            value=value,
            unit=target.unit,
            source=rec.source,
            note=rec.note,
            reason=reason,
            entered_by=acting_user,
            is_demo=is_demo,
        )
        entry.current = revision
        entry.save(update_fields=["current"])
        if current is None:
            record_create(
                revision, actor=acting_user, detail=f"录入目标值：{label} = {value} {target.unit}"
            )
        else:
            record(
                "update",
                actor=acting_user,
                obj=revision,
                changes={"value": {"old": _dec(current.value), "new": _dec(value)}},
                detail=f"修改目标值：{label}" + (f"；原因：{reason}" if reason else ""),
            )
    if dry_run:
        transaction.set_rollback(True)
    outcome.stored = not dry_run
    return outcome


# -- evaluation runs -----------------------------------------------------------------------------


class ReproductionError(ValueError):
    """A stored run cannot be reproduced (a factor-set version it used is gone …)."""


def _blob(data: Any) -> ResultBlob:
    return _blobs([data])[0]


def _blobs(documents: Sequence[Any]) -> list[ResultBlob]:
    """The stored blob of each document (content-addressed: an identical document of an
    earlier run is shared, not stored again), in the order given."""
    texts = [
        json.dumps(d, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for d in documents
    ]
    keys = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    found: dict[str, ResultBlob] = {}
    unique = sorted(set(keys))
    for i in range(0, len(unique), 500):
        for blob in ResultBlob.objects.filter(key__in=unique[i : i + 500]):
            found[blob.key] = blob
    new: dict[str, ResultBlob] = {}
    for key, document in zip(keys, documents, strict=True):
        if key not in found and key not in new:
            new[key] = ResultBlob(key=key, data=document)
    if new:
        ResultBlob.objects.bulk_create(new.values(), batch_size=500, ignore_conflicts=True)
        missing = sorted(new)
        for i in range(0, len(missing), 500):
            for blob in ResultBlob.objects.filter(key__in=missing[i : i + 500]):
                found[blob.key] = blob
    return [found[key] for key in keys]


def _summary(ev: Evaluation) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for t in ev.targets:
        code = t.result.status.code
        statuses[code] = statuses.get(code, 0) + 1
    levels: dict[str, int] = {}
    for a in ev.latest_areas():
        key = str(a.level) if a.level is not None else "none"
        levels[key] = levels.get(key, 0) + 1
    return {
        "statuses": statuses,
        "latest_levels": levels,
        "targets": len(ev.targets),
        "warnings": len(ev.areas),
        "preview_results": sum(1 for t in ev.targets if t.result.preview),
    }


@transaction.atomic
def store_evaluation(
    ev: Evaluation, *, acting_user: Any, trigger: str, note: str = ""
) -> EvaluationRun:
    """Store an evaluation as a run with its results (content-addressed JSON)."""
    version = ev.context.version
    inputs = {**ev.inputs, **(ev.data.input_ids() if ev.data is not None else {})}
    inputs_blob = _blob(inputs)
    run = EvaluationRun.objects.create(
        plan=version.plan,
        version=version,
        as_of=str(ev.as_of),
        preview=ev.preview,
        fingerprint=ev.fingerprint,
        engine_version=ENGINE_VERSION,
        trigger=trigger,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        data_through="" if ev.data_through is None else str(ev.data_through),
        settings=ev.settings_dict(),
        factor_sets=ev.inputs.get("factor_sets", []),
        inputs={
            "blob": inputs_blob.key,
            "revisions": len(inputs.get("revisions", [])),
            "energy_results": len(inputs.get("energy_results", [])),
            "bindings": ev.inputs.get("bindings", []),
            "target_values": ev.inputs.get("target_values", []),
            "accounting_rules": ev.accounting_rules,
        },
        summary=_summary(ev),
        note=note,
    )
    through = TargetResult.organisations.through
    target_blobs = _blobs([t.to_dict() for t in ev.targets])
    rows = [
        TargetResult(
            run=run,
            key=t.key,
            object_kind=t.object_kind,
            position=position,
            name=t.name[:200],
            indicator=t.indicator[:80],
            unit=t.unit[:40],
            status=t.result.status.code,
            status_label=t.result.status_label[:40],
            warning_level=t.warning_level,
            value=t.result.value,
            target=t.result.target,
            task_number=t.task_number,
            area_id=t.area_id,
            blob=blob,
        )
        for position, (t, blob) in enumerate(zip(ev.targets, target_blobs, strict=True))
    ]
    TargetResult.objects.bulk_create(rows, batch_size=500)
    if any(r.pk is None for r in rows):  # a database that does not return inserted ids
        ids = dict(TargetResult.objects.filter(run=run).values_list("position", "pk"))
        for r in rows:
            r.pk = ids[r.position]
    through.objects.bulk_create(
        [
            through(targetresult_id=row.pk, organisation_id=org_id)
            for row, t in zip(rows, ev.targets, strict=True)
            for org_id, _ in t.organisations
        ],
        batch_size=500,
    )
    area_blobs = _blobs([a.to_dict() for a in ev.areas])
    AreaResult.objects.bulk_create(
        [
            AreaResult(
                run=run,
                area=a.area,
                year=a.year,
                months=a.months,
                dimension=a.dimension,
                level=a.level,
                intensity_change=a.intensity_change,
                required_reduction=a.required_reduction,
                energy_growth=a.energy_growth,
                allowed_growth=a.allowed_growth,
                missing_reason=a.missing_reason,
                blob=blob,
            )
            for a, blob in zip(ev.areas, area_blobs, strict=True)
        ],
        batch_size=500,
    )
    if trigger != EvaluationRun.Trigger.PAGE:
        record(
            "evaluate",
            actor=acting_user,
            obj=run,
            detail=f"评价 {version}，截至 {ev.as_of}"
            + ("（预览）" if ev.preview else "")
            + f"；{len(ev.targets)} 项目标，{len(ev.areas)} 条晴雨表记录",
        )
    return run


def _version_for(plan: Plan | str, version_label: str | None = None) -> PlanVersion:
    plan_obj = _plan(plan) if isinstance(plan, str) else plan
    if version_label:
        try:
            return PlanVersion.objects.select_related("plan__region").get(
                plan=plan_obj, label=version_label
            )
        except PlanVersion.DoesNotExist:
            labels = "、".join(plan_obj.versions.values_list("label", flat=True))
            raise EntryError(
                f"计划 {plan_obj.code} 没有版本“{version_label}”；已有版本：{labels}"
            ) from None
    if plan_obj.current_version_id is None:
        raise EntryError(f"计划 {plan_obj.code} 尚未载入任何版本")
    return PlanVersion.objects.select_related("plan__region").get(pk=plan_obj.current_version_id)


def evaluation_for(
    version: PlanVersion,
    *,
    as_of: YearMonth,
    preview: bool = False,
    acting_user: Any,
    trigger: str = EvaluationRun.Trigger.PAGE,
    force: bool = False,
    note: str = "",
) -> EvaluationRun:
    """The stored run of ``version`` as of ``as_of`` for the data as they are now.

    A run whose fingerprint equals the current inputs' (same revisions, accounting results,
    entered values, factor sets, settings and rules) is reused; otherwise the plan is
    evaluated and the result stored — so every result a page or the command shows is a stored,
    reproducible run. ``force`` evaluates and stores again even when a run matches (the
    reproduction check).

    Raises
    ------
    PermissionDenied
        The user sees no evaluation (enterprise users), or ``force``/an explicit trigger by
        someone other than the plan office.
    """
    if not reads_evaluations(acting_user):
        raise PermissionDenied("您无权查看评价结果")
    if (force or trigger == EvaluationRun.Trigger.MANUAL) and not is_plan_office(acting_user):
        raise PermissionDenied("只有计划管理部门可以重新评价")
    pc = load_plan_context(version)
    ctx = DataContext(region=version.plan.region, as_of=as_of, preview=preview)
    key, _ = input_fingerprint(pc, ctx, as_of, preview)
    if not force:
        existing = (
            EvaluationRun.objects.filter(
                version=version, as_of=str(as_of), preview=preview, fingerprint=key
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if existing is not None:
            return existing
    ev = evaluate(version, as_of=as_of, preview=preview, context=pc, data=ctx)
    return store_evaluation(ev, acting_user=acting_user, trigger=trigger, note=note)


def run_evaluation(
    plan: Plan | str,
    *,
    as_of: YearMonth,
    acting_user: Any,
    preview: bool = False,
    version_label: str | None = None,
    trigger: str = EvaluationRun.Trigger.SERVICE,
    force: bool = False,
) -> EvaluationRun:
    """Evaluate a plan (its current version, or ``version_label``) and keep the run."""
    version = _version_for(plan, version_label)
    return evaluation_for(
        version,
        as_of=as_of,
        preview=preview,
        acting_user=acting_user,
        trigger=trigger,
        force=force,
    )


def reproduce(run: EvaluationRun) -> Evaluation:
    """Evaluate again exactly what ``run`` read: the same revisions and accounting-result
    versions, the same factor-set versions, the same plan version (entered values as they are
    now are recorded by id and must be unchanged for an identical result)."""
    blob = ResultBlob.objects.filter(key=run.inputs.get("blob")).first()
    if blob is None:
        raise ReproductionError(f"评价记录 #{run.pk} 缺少输入清单，无法复现")
    refs = [f"{fs_id}@{version}" for fs_id, version, _ in run.factor_sets]
    try:
        library = default_library().select(*refs)
    except AccountingError as exc:
        raise ReproductionError(f"评价记录 #{run.pk} 所用的因子集版本已不可用：{exc}") from exc
    return evaluate(
        run.version,
        as_of=YearMonth.parse(run.as_of),
        preview=run.preview,
        library=library,
        pinned_revisions=blob.data.get("revisions", []),
        pinned_results=blob.data.get("energy_results", []),
    )

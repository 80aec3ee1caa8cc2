"""Plain data for the evaluation pages and the ``ecplan evaluate`` output.

Everything is read from a stored :class:`~ecplan.monitoring.models.EvaluationRun` through the
policies (``viewable``), so a page, the JSON of the command and a later look at the same run
show the same numbers, and each user sees only the rows their role allows.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.urls import reverse

from ecplan.accounts.policies import viewable
from ecplan.core.evaluation import CONFIDENCE_LABELS, WarningLevel, warning_level
from ecplan.monitoring.display import num, pct, show
from ecplan.monitoring.models import AreaResult, BindingTarget, EvaluationRun, TargetResult
from ecplan.monitoring.policies import follows_area
from ecplan.organisations.models import Area

__all__ = [
    "LEVEL_TEXT",
    "STATUS_CLASSES",
    "area_detail",
    "barometer",
    "progress",
    "run_header",
    "run_json",
    "target_detail",
]

#: status code → CSS class of its badge (the text label is always shown beside the colour)
STATUS_CLASSES = {
    "completed": "green",
    "on_track": "green",
    "lagging": "yellow",
    "severely_lagging": "red",
    "no_data": "grey",
    "target_not_set": "grey",
}
STATUS_ORDER = ["severely_lagging", "lagging", "on_track", "completed", "no_data", "target_not_set"]
STATUS_TEXT = {
    "completed": "已完成",
    "on_track": "进度正常",
    "lagging": "滞后",
    "severely_lagging": "严重滞后",
    "no_data": "无数据",
    "target_not_set": "目标未设定",
}
#: 晴雨表 level → (label with colour name, CSS class); 1 = 一级 is the worst
LEVEL_TEXT = {
    1: ("一级（红）", "red"),
    2: ("二级（黄）", "yellow"),
    3: ("三级（绿）", "green"),
    None: ("无法判定", "grey"),
}
KIND_TEXT = {"target": "目标", "milestone": "里程碑", "rule": "规则", "binding": "约束性指标"}


def run_header(run: EvaluationRun) -> dict[str, Any]:
    """What every evaluation page shows about the run it presents."""
    version = run.version
    return {
        "id": run.pk,
        "plan_code": run.plan.code,
        "plan_title": version.title,
        "version_label": version.label,
        "version_status": version.status,
        "is_current_version": version.is_current,
        "as_of": run.as_of,
        "as_of_label": f"{run.as_of[:4]}年{int(run.as_of[5:])}月",
        "preview": run.preview,
        "data_through": run.data_through,
        "created_at": run.created_at,
        "created_by": (getattr(run.created_by, "full_name", "") or run.created_by.get_username())
        if run.created_by
        else "系统",
        "trigger": run.get_trigger_display(),
        "fingerprint": run.fingerprint,
        "engine_version": run.engine_version,
        "factor_sets": run.factor_sets,
        "settings": run.settings,
        "summary": run.summary,
        "url": reverse("monitoring:run", args=[run.pk]),
    }


def _target_row(row: TargetResult) -> dict[str, Any]:
    data = row.blob.data
    status = row.status
    return {
        "id": row.key,
        "pk": row.pk,
        "kind": row.object_kind,
        "kind_label": KIND_TEXT.get(row.object_kind, row.object_kind),
        "name": row.name,
        "indicator": row.indicator,
        "indicator_label": data.get("indicator_label"),
        "task": row.task_number,
        "area": data.get("area"),
        "departments": data.get("departments", []),
        "value": show(row.value, data.get("unit", ""))
        if row.object_kind != "milestone"
        else _milestone_value(data),
        "target": _target_text(data),
        "status": status,
        "status_label": row.status_label,
        "status_class": STATUS_CLASSES.get(status, "grey"),
        "warning_level": row.warning_level,
        "warning_label": LEVEL_TEXT[row.warning_level][0] if row.warning_level else "",
        "warning_class": LEVEL_TEXT[row.warning_level][1] if row.warning_level else "",
        "preview": bool(data.get("preview")),
        "uncertain": bool(data.get("uncertain")),
        "aspirational": bool(data.get("aspirational")),
        "reason": data.get("missing_reason") or "",
        "data_through": data.get("data_through"),
        "url": reverse("monitoring:target", args=[row.run_id, row.pk]),
    }


def _milestone_value(data: dict[str, Any]) -> str:
    if data.get("value") is None:
        return "—"
    return f"完成 {pct(float(data['value']))}"


def _target_text(data: dict[str, Any]) -> str:
    written = data.get("target_as_written") or {}
    deadline = data.get("deadline") or ""
    if data.get("object_kind") == "milestone":
        return f"{deadline[:4]}年底前完成" if deadline else "按期完成"
    if written.get("requirement"):
        text = str(written["requirement"])
        if written.get("state") == "not_set" and data.get("target") is not None:
            text += f"（录入值 {show(data['target'], data.get('unit', ''))}）"
        return text
    target = data.get("target")
    if target is None:
        return "未设定"
    comparator = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}.get(
        data.get("comparator", ""), ""
    )
    unit = data.get("unit", "")
    if data.get("kind") == "relative_change":
        word = "降幅" if float(target) < 0 else "增幅"
        flipped = {"≤": "≥", "<": ">", "≥": "≥", ">": ">"}.get(comparator, comparator)
        return f"{word} {flipped if float(target) < 0 else comparator} {pct(abs(float(target)))}"
    return f"{comparator} {show(float(target), unit)}"


def progress(
    run: EvaluationRun,
    user: Any,
    *,
    task: str = "",
    department: str = "",
    status: str = "",
    kind: str = "",
) -> dict[str, Any]:
    """The 目标进展 page: every result the user may see, filterable."""
    rows = (
        viewable(user, TargetResult.objects.filter(run=run))
        .select_related("blob")
        .prefetch_related("organisations")
    )
    items = [_target_row(r) for r in rows.order_by("position")]
    tasks = sorted({i["task"] for i in items if i["task"]})
    departments = sorted({d for i in items for d in i["departments"]})
    filtered = [
        i
        for i in items
        if (not task or str(i["task"] or "") == task)
        and (not department or department in i["departments"])
        and (not status or i["status"] == status)
        and (not kind or i["kind"] == kind)
    ]
    counts: dict[str, int] = defaultdict(int)
    for i in filtered:
        counts[i["status"]] += 1
    return {
        "run": run_header(run),
        "items": filtered,
        "total": len(items),
        "counts": [
            {
                "status": s,
                "label": STATUS_TEXT[s],
                "class": STATUS_CLASSES[s],
                "count": counts.get(s, 0),
            }
            for s in STATUS_ORDER
        ],
        "filters": {
            "task": task,
            "department": department,
            "status": status,
            "kind": kind,
            "tasks": tasks,
            "departments": departments,
            "statuses": [(s, STATUS_TEXT[s]) for s in STATUS_ORDER],
            "kinds": list(KIND_TEXT.items()),
        },
    }


def _trail_view(trail: dict[str, Any] | None, depth: int = 0) -> dict[str, Any] | None:
    """A trail ready for the template: confidence labels, refs, children (recursively)."""
    if not trail:
        return None
    inputs = []
    for item in trail.get("inputs", []):
        value = item.get("value")
        inputs.append(
            {
                **item,
                "shown": _shown(value, item.get("unit", "")),
                "confidence_label": CONFIDENCE_LABELS.get(item.get("confidence") or "", ""),
                "uncertain": item.get("confidence") in ("uncertain", "unofficial-default"),
            }
        )
    steps = [
        {**s, "shown": _shown(s.get("value"), s.get("unit", ""))} for s in trail.get("steps", [])
    ]
    return {
        **trail,
        "inputs": inputs,
        "steps": steps,
        "depth": depth,
        "children": [_trail_view(c, depth + 1) for c in trail.get("children", [])],
    }


def _shown(value: Any, unit: str) -> str:
    if isinstance(value, bool) or value is None:
        return "—" if value is None else ("是" if value else "否")
    if isinstance(value, int | float):
        if unit == "%":
            return pct(float(value))
        return f"{num(float(value))} {unit}".strip()
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def target_detail(row: TargetResult) -> dict[str, Any]:
    """A target's result with the full 计算过程."""
    data = row.blob.data
    base = _target_row(row)
    return {
        **base,
        "run": run_header(row.run),
        "data": data,
        "explanation": data.get("explanation", ""),
        "notes": data.get("notes", []),
        "indicator_notes": data.get("indicator_notes", []),
        "flags": data.get("flags", []),
        "reason_code": data.get("reason"),
        "required": _shown(data.get("required"), "%" if data.get("unit") == "fraction" else ""),
        "gap": _shown(data.get("gap"), "%" if data.get("unit") == "fraction" else ""),
        "achievement": pct(float(data["achievement_ratio"]))
        if data.get("achievement_ratio") is not None
        else "—",
        "value_ytd": show(data.get("value_ytd"), data.get("unit", ""))
        if data.get("value_ytd") is not None and row.object_kind == "target"
        else "",
        "value_latest": show(data.get("value_latest"), data.get("unit", ""))
        if data.get("value_latest") is not None
        else "",
        "tolerance": data.get("tolerance"),
        "tolerance_origin": data.get("tolerance_origin"),
        "entities": data.get("entities", []),
        "entity_rows": data.get("entity_rows", []),
        "trail": _trail_view(data.get("trail")),
        "json": data,
    }


def _period_key(year: int, months: int) -> str:
    return f"{year}-Q{months // 3}"


def barometer(run: EvaluationRun, user: Any, *, scheme: str = "") -> dict[str, Any]:
    """The 晴雨表: areas × quarters of the run, intensity (and consumption) levels.

    ``scheme`` (``ndrc``, ``shortfall_pp``, ``completion_ratio``) recomputes the intensity
    levels from the stored numbers with another scheme for comparison — shown as such, never
    stored.
    """
    rows = viewable(
        user, AreaResult.objects.filter(run=run).exclude(dimension=AreaResult.Dimension.FIGURES)
    ).select_related("area")
    by_area: dict[int, dict[str, dict[str, AreaResult]]] = defaultdict(lambda: defaultdict(dict))
    periods: set[tuple[int, int]] = set()
    areas: dict[int, Area] = {}
    for r in rows:
        areas[r.area_id] = r.area
        by_area[r.area_id][r.dimension][_period_key(r.year, r.months)] = r
        periods.add((r.year, r.months))
    ordered_periods = sorted(periods)
    plan_scheme = str((run.settings.get("warnings") or {}).get("intensity_scheme", "ndrc"))
    compare = scheme if scheme and scheme != plan_scheme else ""
    table = []
    for area in sorted(areas.values(), key=lambda a: (a.kind != Area.Kind.CITY, a.pk)):
        cells = []
        for y, m in ordered_periods:
            key = _period_key(y, m)
            intensity = by_area[area.pk]["intensity"].get(key)
            consumption = by_area[area.pk]["consumption"].get(key)
            level = intensity.level if intensity else None
            if (
                compare
                and intensity
                and intensity.intensity_change is not None
                and intensity.required_reduction is not None
            ):
                level = warning_level(
                    intensity.intensity_change,
                    intensity.required_reduction,
                    scheme=compare,
                    months=m,
                )
            label, css = LEVEL_TEXT[level]
            c_level = consumption.level if consumption else None
            cells.append(
                {
                    "period": key,
                    "level": level,
                    "label": label if intensity else "—",
                    "class": css if intensity else "empty",
                    "change": pct(intensity.intensity_change)
                    if intensity and intensity.intensity_change is not None
                    else "",
                    "required": pct(intensity.required_reduction)
                    if intensity and intensity.required_reduction is not None
                    else "",
                    "missing": intensity.missing_reason if intensity else "",
                    "consumption_label": LEVEL_TEXT[c_level][0] if consumption else "",
                    "consumption_class": LEVEL_TEXT[c_level][1] if consumption else "",
                    "url": reverse("monitoring:warning", args=[run.pk, intensity.pk])
                    if intensity
                    else "",
                    "consumption_url": reverse("monitoring:warning", args=[run.pk, consumption.pk])
                    if consumption
                    else "",
                }
            )
        table.append(
            {
                "area": area.name,
                "code": area.code,
                "is_city": area.kind == Area.Kind.CITY,
                "url": reverse("monitoring:area", args=[run.pk, area.code]),
                "cells": cells,
            }
        )
    return {
        "run": run_header(run),
        "periods": [
            {"key": _period_key(y, m), "label": _period_label(y, m)} for y, m in ordered_periods
        ],
        "rows": table,
        "scheme": plan_scheme,
        "compare": compare,
        "schemes": [
            ("ndrc", "国家发展改革委规则"),
            ("shortfall_pp", "差距分档（百分点）"),
            ("completion_ratio", "完成率分档"),
        ],
        "legend": [{"level": k, "label": v[0], "class": v[1]} for k, v in LEVEL_TEXT.items() if k],
    }


def _period_label(year: int, months: int) -> str:
    return {
        3: f"{year}年一季度",
        6: f"{year}年上半年",
        9: f"{year}年前三季度",
        12: f"{year}年全年",
    }.get(months, f"{year}年1—{months}月")


def warning_detail(row: AreaResult) -> dict[str, Any]:
    data = row.blob.data
    trail = data.get("trail")
    return {
        "run": run_header(row.run),
        "area": row.area.name,
        "area_url": reverse("monitoring:area", args=[row.run_id, row.area.code]),
        "period_label": _period_label(row.year, row.months),
        "dimension": row.get_dimension_display(),
        "level": row.level,
        "level_label": LEVEL_TEXT[row.level][0],
        "level_class": LEVEL_TEXT[row.level][1],
        "full_label": WarningLevel(row.level).full_label if row.level else "无法判定",
        "missing": row.missing_reason,
        "explanation": data.get("explanation", ""),
        "rule_text": data.get("rule_text", ""),
        "rules": data.get("rules", []),
        "scheme_title": data.get("scheme_title", ""),
        "source": data.get("source", ""),
        "confidence_label": data.get("confidence_label") or "",
        "notes": data.get("notes", []),
        "numbers": [
            (
                "强度同比变化率",
                pct(row.intensity_change) if row.intensity_change is not None else "—",
            ),
            (
                "年度进度要求（降低率）",
                pct(row.required_reduction) if row.required_reduction is not None else "—",
            ),
            (
                "能源消费增速（新口径）",
                pct(row.energy_growth) if row.energy_growth is not None else "—",
            ),
            ("允许增速", pct(row.allowed_growth) if row.allowed_growth is not None else "—"),
        ],
        "requirement": data.get("requirement"),
        "trail": _trail_view(trail),
        "json": data,
    }


def area_detail(run: EvaluationRun, area: Area, user: Any) -> dict[str, Any]:
    """An area: its warnings by period, its binding targets, the latest numbers."""
    warnings = (
        viewable(user, AreaResult.objects.filter(run=run, area=area))
        .order_by("year", "months", "dimension")
        .select_related("blob")
    )
    rows = []
    figures = []
    for w in warnings:
        if w.dimension == AreaResult.Dimension.FIGURES:
            values = w.blob.data.get("figures", {})
            figures.append(
                {
                    "year": w.year,
                    "energy_total": show(values.get("energy_total_tce"), "tce"),
                    "energy_new": show(values.get("energy_new_basis_tce"), "tce"),
                    "gdp": "—"
                    if values.get("gdp_constant_10k_yuan") is None
                    else f"{num(values['gdp_constant_10k_yuan'] / 10_000)}亿元",
                    "intensity_old": _per(
                        values.get("intensity_old_tce_per_10k_yuan"), "吨标准煤/万元"
                    ),
                    "intensity_new": _per(
                        values.get("intensity_new_tce_per_10k_yuan"), "吨标准煤/万元"
                    ),
                    "co2": show(values.get("co2_t"), "t"),
                    "co2_intensity": _per(
                        values.get("co2_intensity_t_per_10k_yuan"), "吨二氧化碳/万元"
                    ),
                    "missing": w.missing_reason,
                    "url": reverse("monitoring:warning", args=[run.pk, w.pk]),
                }
            )
            continue
        rows.append(
            {
                "period": _period_label(w.year, w.months),
                "dimension": w.get_dimension_display(),
                "level_label": LEVEL_TEXT[w.level][0],
                "level_class": LEVEL_TEXT[w.level][1],
                "change": pct(w.intensity_change) if w.intensity_change is not None else "—",
                "required": pct(w.required_reduction) if w.required_reduction is not None else "—",
                "growth": pct(w.energy_growth) if w.energy_growth is not None else "—",
                "allowed": pct(w.allowed_growth) if w.allowed_growth is not None else "—",
                "missing": w.missing_reason,
                "url": reverse("monitoring:warning", args=[run.pk, w.pk]),
            }
        )
    bindings = viewable(user, TargetResult.objects.filter(run=run, area=area)).select_related(
        "blob"
    )
    binding_rows = [_target_row(b) for b in bindings.order_by("position")]
    entered = viewable(user, BindingTarget.objects.filter(plan=run.plan, area=area)).select_related(
        "current__entered_by"
    )
    return {
        "run": run_header(run),
        "area": {"name": area.name, "code": area.code, "kind": area.get_kind_display()},
        "warnings": rows,
        "figures": figures,
        "bindings": binding_rows,
        "entered": [
            {
                "indicator": b.get_indicator_display(),
                "years": f"{b.base_year}—{b.target_year}",
                "value": pct(float(b.current.value)) if b.current else "—",
                "revision": b.current.number if b.current else None,
                "source": b.current.source if b.current else "",
            }
            for b in entered
        ],
    }


def _per(value: Any, unit: str) -> str:
    return "—" if value is None else f"{num(float(value))} {unit}"


def run_json(run: EvaluationRun, user: Any) -> dict[str, Any]:
    """The ``ecplan evaluate`` JSON of a stored run, scoped to ``user``."""
    targets = (
        viewable(user, TargetResult.objects.filter(run=run))
        .select_related("blob")
        .order_by("position")
    )
    areas = viewable(user, AreaResult.objects.filter(run=run)).select_related("area", "blob")
    latest: dict[int, AreaResult] = {}
    consumption: dict[tuple[int, int, int], AreaResult] = {}
    history = []
    figures = []
    for a in areas.order_by("area_id", "year", "months", "dimension"):
        if a.dimension == AreaResult.Dimension.FIGURES:
            figures.append(
                {
                    "district": a.area.name,
                    "district_code": a.area.code,
                    "year": a.year,
                    **a.blob.data.get("figures", {}),
                    "missing": a.blob.data.get("missing", {}),
                }
            )
            continue
        if a.dimension == AreaResult.Dimension.INTENSITY:
            cur = latest.get(a.area_id)
            if cur is None or (a.year, a.months) >= (cur.year, cur.months):
                latest[a.area_id] = a
        else:
            consumption[(a.area_id, a.year, a.months)] = a
        history.append(
            {
                "district": a.area.name,
                "district_code": a.area.code,
                "period": _period_key(a.year, a.months),
                "dimension": a.dimension,
                "warning_level": a.level,
                "intensity_change": a.intensity_change,
                "required_reduction": a.required_reduction,
                "energy_growth": a.energy_growth,
                "allowed_growth": a.allowed_growth,
                "missing_reason": a.missing_reason or None,
            }
        )
    county_areas = viewable(user, Area.objects.filter(region=run.plan.region)).order_by("id")
    districts = []
    city = None
    for area in county_areas:
        if not (area.is_county_level or area.kind == Area.Kind.CITY):
            continue
        w = latest.get(area.pk)
        if w is None:
            if area.kind == Area.Kind.CITY or not follows_area(user, area):
                continue
            entry: dict[str, Any] = {
                "district": area.name,
                "district_code": area.code,
                "period": None,
                "intensity_change": None,
                "required_reduction": None,
                "warning_level": None,
                "missing_reason": "没有该地区的统计数据（季度累计能耗与GDP指数），无法判定晴雨表等级",
            }
        else:
            entry = dict(w.blob.data)
            entry["period"] = _period_key(w.year, w.months)
            entry["warning_level"] = w.level
            c = consumption.get((area.pk, w.year, w.months))
            entry["consumption"] = dict(c.blob.data) if c is not None else None
        if area.kind == Area.Kind.CITY:
            city = entry
        else:
            districts.append(entry)
    return {
        "run": {
            "id": run.pk,
            "created_at": run.created_at.isoformat(timespec="seconds"),
            "trigger": run.trigger,
            "fingerprint": run.fingerprint,
            "engine_version": run.engine_version,
        },
        "plan": {
            "id": run.plan.code,
            "version": run.version.label,
            "status": run.version.status,
            "title": run.version.title,
        },
        "as_of": run.as_of,
        "preview": run.preview,
        "data_through": run.data_through or None,
        "settings": run.settings,
        "factor_sets": run.factor_sets,
        "targets": [t.blob.data for t in targets],
        "districts": districts,
        "city": city,
        "barometer": history,
        "figures": figures,
        "accounting_rules": run.inputs.get("accounting_rules", []),
    }


def binding_rows(rows: Any) -> list[dict[str, Any]]:
    """Binding targets with their revision history (newest first)."""
    out = []
    for b in rows:
        revisions = sorted(b.revisions.all(), key=lambda r: -r.number)
        out.append(
            {
                "area": b.area.name,
                "indicator": b.get_indicator_display(),
                "years": f"{b.base_year}—{b.target_year}",
                "value": pct(float(b.current.value)) if b.current else "—",
                "kind": b.value_kind,
                "history": [
                    {
                        "number": r.number,
                        "value": pct(float(r.value)),
                        "source": r.source,
                        "note": r.note,
                        "reason": r.reason,
                        "entered_by": getattr(r.entered_by, "full_name", "")
                        or r.entered_by.get_username(),
                        "entered_at": r.entered_at,
                        "current": r.pk == b.current_id,
                        "is_demo": r.is_demo,
                    }
                    for r in revisions
                ],
            }
        )
    return out


def enterable_targets(plan: Any, user: Any) -> list[dict[str, Any]]:
    """Targets of the current version whose value the plan office enters (XXX …)."""
    from ecplan.plans.models import Target

    if plan.current_version_id is None:
        return []
    rows = viewable(
        user, Target.objects.filter(version_id=plan.current_version_id, state="not_set")
    )
    return [
        {
            "key": t.key,
            "name": t.name,
            "unit": t.unit,
            "quote": t.source_quote,
            "placeholder": t.placeholder,
            "context": t.context,
            "binding": t.value_entry == "plan_office",
        }
        for t in rows.order_by("position")
    ]


def target_value_rows(entries: Any) -> list[dict[str, Any]]:
    out = []
    for e in entries:
        revisions = sorted(e.revisions.all(), key=lambda r: -r.number)
        out.append(
            {
                "key": e.target_key,
                "history": [
                    {
                        "number": r.number,
                        "value": f"{r.value.normalize():f} {r.unit}",
                        "source": r.source,
                        "reason": r.reason,
                        "entered_by": getattr(r.entered_by, "full_name", "")
                        or r.entered_by.get_username(),
                        "entered_at": r.entered_at,
                        "current": r.pk == e.current_id,
                    }
                    for r in revisions
                ],
            }
        )
    return out

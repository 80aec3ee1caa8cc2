"""Plain data for the plan pages (views stay thin; templates only lay it out)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from ecplan.core.plan.vocabulary import (
    COMPARATOR_LABELS,
    DIRECTION_LABELS,
    INDICATORS,
    format_number,
)
from ecplan.organisations.models import Organisation
from ecplan.plans.models import (
    Mention,
    Plan,
    PlanVersion,
    Responsibility,
    TableRow,
    Target,
    Task,
)

ROLE_ORDER = ["lead", "joint", "cooperating", "generic"]


def number(value: Decimal | None) -> str:
    return "" if value is None else format_number(Decimal(value))


def version_query(version: PlanVersion) -> str:
    """``?version=…`` for links to a version other than the current one."""
    return "" if version.is_current else f"?version={version.label}"


def organisation_link(org: Organisation | None) -> str | None:
    if org is None:
        return None
    return reverse("organisations:detail", args=[org.region.code, org.code])


def responsibility_summary(
    rows: list[Responsibility], *, quote: str = "", and_others: bool = False
) -> dict[str, Any]:
    """Group responsibility rows of one place by role, in reading order."""
    by_role: dict[str, list[dict[str, Any]]] = {role: [] for role in ROLE_ORDER}
    for r in sorted(rows, key=lambda r: r.position):
        by_role[r.role].append(
            {
                "name": r.name,
                "canonical_name": r.organisation.name if r.organisation else r.name,
                "url": organisation_link(r.organisation),
            }
        )
    return {
        "quote": quote,
        "and_others": and_others,
        "empty": not any(by_role.values()),
        **by_role,
    }


def _mentioned(mentions: list[Mention], version: PlanVersion) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {"targets": [], "milestones": [], "rules": []}
    q = version_query(version)
    for m in sorted(mentions, key=lambda m: m.position):
        if m.target is not None:
            out["targets"].append(
                {
                    "key": m.target.key,
                    "name": m.target.name,
                    "requirement": m.target.requirement,
                    "state": m.target.state,
                    "state_label": m.target.get_state_display(),
                    "url": reverse("plans:target", args=[version.plan.code, m.target.key]) + q,
                    "quote": m.quote,
                }
            )
        elif m.milestone is not None:
            out["milestones"].append(
                {"key": m.milestone.key, "title": m.milestone.title, "quote": m.quote}
            )
        elif m.rule is not None:
            out["rules"].append({"key": m.rule.key, "title": m.rule.title, "quote": m.quote})
    return out


def _mention_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "mentions", queryset=Mention.objects.select_related("target", "milestone", "rule")
    )


def _responsibility_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "responsibilities", queryset=Responsibility.objects.select_related("organisation__region")
    )


def plan_list(plans: QuerySet[Plan]) -> list[dict[str, Any]]:
    out = []
    for plan in plans.select_related("region", "current_version").prefetch_related("versions"):
        current = plan.current_version
        out.append(
            {
                "code": plan.code,
                "title": plan.title,
                "region": plan.region.name,
                "current": None
                if current is None
                else {
                    "label": current.label,
                    "status": current.status,
                    "loaded_at": current.loaded_at,
                },
                "versions": len(plan.versions.all()),
                "url": reverse("plans:overview", args=[plan.code]),
            }
        )
    return out


def version_header(version: PlanVersion) -> dict[str, Any]:
    plan = version.plan
    return {
        "code": plan.code,
        "title": version.title,
        "status": version.status,
        "label": version.label,
        "is_current": version.is_current,
        "date": version.date,
        "date_note": version.date_note,
        "plan_year": version.plan_year,
        "region": plan.region.name,
        "implements": version.implements,
        "change_note": version.change_note,
        "content_hash": version.content_hash,
        "text_file_name": version.text_file_name,
        "loaded_at": version.loaded_at,
        "loaded_by": str(version.loaded_by) if version.loaded_by else "平台（随平台发布）",
        "query": version_query(version),
        "overview_url": reverse("plans:overview", args=[plan.code]) + version_query(version),
        "text_url": reverse("plans:text", args=[plan.code]) + version_query(version),
        "versions": [
            {
                "label": v.label,
                "status": v.status,
                "loaded_at": v.loaded_at,
                "is_current": v.is_current,
                "selected": v.pk == version.pk,
                "url": reverse("plans:overview", args=[plan.code]) + version_query(v),
            }
            for v in plan.versions.order_by("loaded_at", "id")
        ],
    }


def settings_list(version: PlanVersion) -> list[dict[str, Any]]:
    return [
        {
            "key": s.key,
            "label": s.label,
            "value": s.value_label,
            "unit": s.unit,
            "from_text": s.from_text,
            "confirmed": s.confirmed,
            "note": s.note,
        }
        for s in version.plansetting_set.all()
    ]


def _task_rows(version: PlanVersion) -> list[dict[str, Any]]:
    tasks = (
        version.task_set.all()
        .select_related("section", "table_row")
        .prefetch_related(_mention_prefetch(), _responsibility_prefetch())
        .order_by("number")
    )
    rows_by_task = {
        row.task_id: row
        for row in version.tablerow_set.all().prefetch_related(_responsibility_prefetch())
    }
    out = []
    for task in tasks:
        body = list(task.responsibilities.all())
        row = rows_by_task.get(task.pk)
        table = list(row.responsibilities.all()) if row else []
        out.append(
            {
                "number": task.number,
                "key": task.key,
                "title": task.title,
                "section": task.section.heading,
                "url": reverse("plans:task", args=[version.plan.code, task.number])
                + version_query(version),
                "responsibility": responsibility_summary(
                    body, quote=task.responsibility_quote, and_others=task.responsibility_and_others
                ),
                "table_responsibility": responsibility_summary(
                    table, quote="\n".join(row.departments) if row else ""
                ),
                "table_text": row.text if row else "",
                "table_number": row.number if row else None,
                "differs": bool(row)
                and {r.organisation_id for r in body if r.organisation_id}
                != {r.organisation_id for r in table if r.organisation_id},
                **_mentioned(list(task.mentions.all()), version),
            }
        )
    return out


def _target_row(target: Target, version: PlanVersion) -> dict[str, Any]:
    return {
        "key": target.key,
        "name": target.name,
        "indicator": target.indicator,
        "requirement": target.requirement,
        "deadline": target.deadline,
        "baseline": _baseline(target),
        "state": target.state,
        "state_label": target.get_state_display(),
        "approximate": target.approximate,
        "aspirational": target.aspirational,
        "url": reverse("plans:target", args=[version.plan.code, target.key])
        + version_query(version),
    }


def _baseline(target: Target) -> str:
    if target.baseline_year is None:
        return ""
    return f"{target.baseline_year}年" + ("" if target.baseline_stated else "（推断）")


def _criteria(criteria: list[dict[str, Any]]) -> list[str]:
    out = []
    for c in criteria:
        label = INDICATORS[c["indicator"]].label if c["indicator"] in INDICATORS else c["indicator"]
        if c.get("value") is not None:
            symbol = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}[c["comparator"]]
            unit = "" if c.get("unit") in ("", "比值") else c["unit"]
            out.append(f"{label} {symbol} {number(Decimal(str(c['value'])))}{unit}")
        else:
            out.append(f"{label}：{c['level']}")
    return out


def overview(version: PlanVersion) -> dict[str, Any]:
    """Everything the plan overview page shows for one version."""
    sections = (
        version.section_set.all()
        .prefetch_related(_mention_prefetch(), _responsibility_prefetch(), "tasks")
        .order_by("position")
    )
    section_rows = []
    for s in sections:
        section_rows.append(
            {
                "key": s.key,
                "level": s.level,
                "heading": s.heading,
                "text": s.text,
                "tasks": [
                    {
                        "number": t.number,
                        "title": t.title,
                        "url": reverse("plans:task", args=[version.plan.code, t.number])
                        + version_query(version),
                    }
                    for t in sorted(s.tasks.all(), key=lambda t: t.number)
                ],
                "responsibility": responsibility_summary(
                    list(s.responsibilities.all()),
                    quote=s.responsibility_quote,
                    and_others=s.responsibility_and_others,
                ),
                **_mentioned(list(s.mentions.all()), version),
            }
        )
    return {
        "version": version_header(version),
        "settings": settings_list(version),
        "tasks": _task_rows(version),
        "sections": section_rows,
        "targets": [_target_row(t, version) for t in version.target_set.all()],
        "milestones": [
            {
                "key": m.key,
                "title": m.title,
                "subject": m.subject,
                "kind": m.get_kind_display(),
                "deadline": m.deadline,
                "state": m.get_state_display(),
                "criteria": _criteria(m.criteria),
                "errata": m.errata,
                "source_quote": m.source_quote,
            }
            for m in version.milestone_set.all()
        ],
        "rules": [
            {
                "key": r.key,
                "title": r.title,
                "scope": r.get_scope_display(),
                "applies_to": r.applies_to,
                "condition": r.condition,
                "requirement": r.requirement,
                "criteria": _criteria(r.criteria),
                "deadline": r.deadline,
                "source_quote": r.source_quote,
            }
            for r in version.rule_set.all()
        ],
        "errata": version.data.get("errata", []),
    }


def _place(m: Mention | Responsibility, version: PlanVersion) -> dict[str, Any]:
    q = version_query(version)
    if m.task is not None:
        return {
            "label": f"重点任务 {m.task.number}：{m.task.title}",
            "text": m.task.text,
            "url": reverse("plans:task", args=[version.plan.code, m.task.number]) + q,
        }
    if m.table_row is not None:
        return {
            "label": f"分解表第 {m.table_row.number} 行",
            "text": m.table_row.text,
            "url": reverse("plans:task", args=[version.plan.code, m.table_row.task.number]) + q,
        }
    assert m.section is not None
    return {
        "label": m.section.heading,
        "text": m.section.text,
        "url": reverse("plans:overview", args=[version.plan.code]) + q,
    }


def target_detail(target: Target) -> dict[str, Any]:
    version = target.version
    mentions = target.mentions.select_related("section", "task", "table_row__task")
    places = []
    for m in mentions:
        place = _place(m, version)
        place["quote"] = m.quote or target.source_quote
        place["own_words"] = bool(m.quote)
        holder: dict[str, Any] = {"task": m.task, "table_row": m.table_row, "section": m.section}
        rows = list(
            Responsibility.objects.filter(  # policy-exempt: responsibilities of a mention of an authorised target; plan content is visible to every role
                **{k: v for k, v in holder.items() if v is not None}
            ).select_related("organisation__region")
        )
        quote = ""
        and_others = False
        if m.task is not None:
            quote, and_others = m.task.responsibility_quote, m.task.responsibility_and_others
        elif m.section is not None:
            quote, and_others = m.section.responsibility_quote, m.section.responsibility_and_others
        elif m.table_row is not None:
            quote = "\n".join(m.table_row.departments)
        place["responsibility"] = responsibility_summary(rows, quote=quote, and_others=and_others)
        places.append(place)
    settings = {s.key: s for s in version.plansetting_set.all()}
    tol_setting = settings.get(target.tolerance_setting)
    return {
        "version": version_header(version),
        "key": target.key,
        "name": target.name,
        "indicator": target.indicator,
        "indicator_label": target.indicator_label,
        "subject": target.subject,
        "kind": target.get_kind_display(),
        "requirement": target.requirement,
        "value": number(target.value),
        "unit": target.unit,
        "value_canonical": number(target.value_canonical),
        "canonical_unit": target.canonical_unit,
        # 万吨标准煤 → tce is worth showing; 20 % → 0.2 (fraction) is not.
        "show_canonical": target.canonical_unit not in ("fraction", "ratio", target.unit),
        "comparator": target.comparator,
        "comparator_label": COMPARATOR_LABELS[target.comparator],
        "comparator_stated": target.comparator_stated,
        "direction_label": DIRECTION_LABELS[target.direction],
        "approximate": target.approximate,
        "tolerance": None
        if not target.approximate
        else {
            "value": number(target.tolerance_value),
            "mode": "目标值的比例" if target.tolerance_mode == "relative" else "绝对值",
            "absolute": number(target.tolerance_absolute),
            "unit": "百分点" if target.unit == "%" else target.unit,
            "setting": target.tolerance_setting,
            "setting_label": tol_setting.label if tol_setting else "",
            "confirmed": target.tolerance_confirmed,
            "note": tol_setting.note if tol_setting else "",
        },
        "aspirational": target.aspirational,
        "baseline_year": target.baseline_year,
        "baseline_stated": target.baseline_stated,
        "baseline_note": target.baseline_note,
        "deadline": target.deadline,
        "deadline_stated": target.deadline_stated,
        "state": target.state,
        "state_label": target.get_state_display(),
        "value_entry": target.value_entry,
        "compare_to_label": target.compare_to_label if target.compare_to else "",
        "source_quote": target.source_quote,
        "wording": target.wording,
        "basis": target.basis,
        "context": target.context,
        "placeholder": target.placeholder,
        "notes": target.notes,
        "settings": [
            {
                "key": k,
                "label": settings[k].label,
                "value": settings[k].value_label,
                "confirmed": settings[k].confirmed,
                "note": settings[k].note,
            }
            for k in target.settings
            if k in settings
        ],
        "places": places,
    }


def task_detail(task: Task) -> dict[str, Any]:
    version = task.version
    row = (
        TableRow.objects.filter(task=task)  # policy-exempt: the table row of an authorised task
        .prefetch_related(_responsibility_prefetch(), _mention_prefetch())
        .first()
    )
    body = list(task.responsibilities.select_related("organisation__region"))
    table = list(row.responsibilities.all()) if row else []
    return {
        "version": version_header(version),
        "number": task.number,
        "label": task.label,
        "title": task.title,
        "section": task.section.heading,
        "text": task.text,
        "responsibility": responsibility_summary(
            body, quote=task.responsibility_quote, and_others=task.responsibility_and_others
        ),
        "table": None
        if row is None
        else {
            "number": row.number,
            "group_heading": row.group_heading,
            "text": row.text,
            "responsibility": responsibility_summary(table, quote="\n".join(row.departments)),
        },
        "differs": bool(row)
        and {r.organisation_id for r in body if r.organisation_id}
        != {r.organisation_id for r in table if r.organisation_id},
        **_mentioned(list(task.mentions.select_related("target", "milestone", "rule")), version),
    }


def department(org: Organisation, versions: QuerySet[PlanVersion]) -> dict[str, Any]:
    """What ``org`` leads, shares jointly and co-operates on in the given plan versions.

    Also lists the places that ask "各有关部门" (every relevant department) to co-operate.
    """
    rows = Responsibility.objects.filter(  # policy-exempt: rows of versions the caller got from viewable()
        version__in=versions, organisation=org
    ).select_related("version__plan", "task", "section", "table_row__task")
    generic = Responsibility.objects.filter(  # policy-exempt: rows of versions the caller got from viewable()
        version__in=versions, role=Responsibility.Role.GENERIC
    ).select_related("version__plan", "task", "section", "table_row__task")
    targets_by_place: dict[tuple[int | None, int | None, int | None], list[dict[str, Any]]] = (
        defaultdict(list)
    )
    for (
        m
    ) in Mention.objects.filter(  # policy-exempt: rows of versions the caller got from viewable()
        version__in=versions, target__isnull=False
    ).select_related("target", "version__plan"):
        assert m.target is not None
        targets_by_place[(m.task_id, m.table_row_id, m.section_id)].append(
            _target_row(m.target, m.version)
        )

    def item(r: Responsibility) -> dict[str, Any]:
        place = _place(r, r.version)
        key = (r.task_id, r.table_row_id, r.section_id)
        return {
            **place,
            "plan": r.version.plan.title,
            "sources": [r.get_source_display()],
            "names_as_written": [r.name],
            "targets": targets_by_place.get(key, []),
        }

    def merged(items: list[Responsibility]) -> list[dict[str, Any]]:
        """One entry per task (body text and table row together), in reading order."""
        out: dict[tuple[str, int], dict[str, Any]] = {}
        for r in sorted(items, key=lambda r: (r.version_id, r.position)):
            if r.table_row is not None:
                key = ("task", r.table_row.task_id)
            elif r.task_id is not None:
                key = ("task", r.task_id)
            else:
                key = ("section", r.section_id or 0)
            entry = item(r)
            if key not in out:
                out[key] = entry
                continue
            known = out[key]
            for field in ("sources", "names_as_written"):
                known[field] += [v for v in entry[field] if v not in known[field]]
            seen = {t["key"] for t in known["targets"]}
            known["targets"] += [t for t in entry["targets"] if t["key"] not in seen]
        return list(out.values())

    by_role: dict[str, list[Responsibility]] = {role: [] for role in ROLE_ORDER}
    for r in rows:
        by_role[r.role].append(r)
    groups = {role: merged(by_role[role]) for role in ROLE_ORDER}
    return {
        "name": org.name,
        "full_name": org.full_name,
        "kind": org.get_kind_display(),
        "aliases": org.aliases,
        "is_plan_office": org.is_plan_office,
        "region": org.region.name,
        "lead": groups["lead"],
        "joint": groups["joint"],
        "cooperating": groups["cooperating"],
        "generic": merged(list(generic)),
        "counts": {role: len(groups[role]) for role in ("lead", "joint", "cooperating")},
    }

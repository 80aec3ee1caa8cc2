"""Plain data for the data-collection pages (views stay thin; templates only lay it out)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from ecplan.accounts import policies
from ecplan.core import CONFIDENCE_LABELS, format_number, get_carrier
from ecplan.core.plan.vocabulary import INDICATORS
from ecplan.organisations.models import Installation
from ecplan.reporting import catalogue as cat
from ecplan.reporting.accounting import coefficient_from_data
from ecplan.reporting.models import (
    ENERGY_MEASURES,
    INSTALLATION_MEASURES,
    CoefficientSnapshot,
    ElectricityFacts,
    EnergyLine,
    EnergyResult,
    IndicatorValue,
    InstallationLine,
    OutputLine,
    Report,
    Revision,
    StatisticLine,
)
from ecplan.reporting.periods import Period

STATE_BADGES = {"draft": "", "submitted": "yellow", "approved": "green", "returned": "red"}


def num(value: float | None, digits: int = 6) -> str:
    """A number for display (the one place values are shortened)."""
    return "" if value is None else format_number(value, digits)


def report_rows(user: Any, reports: QuerySet[Report]) -> list[dict[str, Any]]:
    """Rows of a report list: owner, period, newest revision and its state."""
    newest = policies.viewable(user, Revision).filter(report=OuterRef("pk")).order_by("-number")
    qs = reports.select_related("enterprise", "organisation", "area").annotate(
        newest_number=Subquery(newest.values("number")[:1]),
        newest_state=Subquery(newest.values("state")[:1]),
    )
    rows = []
    states = dict(Revision._meta.get_field("state").choices or [])
    for r in qs:
        state = getattr(r, "newest_state", None)
        rows.append(
            {
                "url": reverse("reporting:report-detail", args=[r.pk]),
                "type": r.get_report_type_display(),
                "owner": r.owner_label,
                "period": r.period_label,
                "revision": getattr(r, "newest_number", None),
                "state": state,
                "state_label": states.get(state, ""),
                "badge": STATE_BADGES.get(state or "", ""),
                "updated_at": r.updated_at,
                "is_demo": r.is_demo,
            }
        )
    return rows


def revision_rows(report: Report, selected: Revision) -> list[dict[str, Any]]:
    rows = []
    for rev in report.revisions.select_related("created_by", "state_changed_by", "import_batch"):
        rows.append(
            {
                "number": rev.number,
                "url": reverse("reporting:report-detail", args=[report.pk])
                + f"?revision={rev.number}",
                "state": rev.state,
                "state_label": rev.get_state_display(),
                "badge": STATE_BADGES.get(rev.state, ""),
                "created_by": _name(rev.created_by),
                "created_at": rev.created_at,
                "channel": rev.get_channel_display(),
                "reason": rev.reason,
                "based_on": rev.based_on.number if rev.based_on_id and rev.based_on else None,
                "state_changed_by": _name(rev.state_changed_by),
                "state_changed_at": rev.state_changed_at,
                "state_reason": rev.state_reason,
                "batch": rev.import_batch.original_name if rev.import_batch else "",
                "batch_url": reverse("reporting:import-file", args=[rev.import_batch_id])
                if rev.import_batch_id
                else "",
                "selected": rev.pk == selected.pk,
            }
        )
    return rows


def _name(user: Any) -> str:
    if user is None:
        return ""
    return str(getattr(user, "full_name", "") or user.get_username())


def energy_sections(user: Any, revision: Revision) -> dict[str, Any]:
    lines = []
    for ln in policies.viewable(user, EnergyLine).filter(revision=revision):
        row = {
            "carrier": ln.carrier_text,
            "code": ln.carrier,
            "unit": ln.unit,
            "remark": ln.remark,
            "raw": ln.raw,
        }
        for key, _ in ENERGY_MEASURES:
            row[key] = num(getattr(ln, key))
        if ln.lcv is not None:
            row["lcv"] = f"{num(ln.lcv)} {ln.lcv_unit}"
        lines.append(row)
    outputs = [
        {
            "product": cat.PRODUCT_BY_CODE[o.product].label
            if o.product in cat.PRODUCT_BY_CODE
            else o.product,
            "installation": o.installation.code if o.installation else "",
            "quantity": num(o.quantity),
            "unit": o.unit,
        }
        for o in policies.viewable(user, OutputLine)
        .filter(revision=revision)
        .select_related("installation")
    ]
    installations = []
    for i in (
        policies.viewable(user, InstallationLine)
        .filter(revision=revision)
        .select_related("installation")
    ):
        figures = [
            {"label": label, "value": num(getattr(i, key)), "unit": canonical}
            for key, label, canonical, _, _ in INSTALLATION_MEASURES
            if getattr(i, key) is not None
        ]
        installations.append(
            {
                "code": i.installation.code,
                "name": i.installation.name,
                "kind": i.installation.get_kind_display(),
                "figures": figures,
                "pue": num(i.pue, 4) if i.pue is not None else "",
            }
        )
    facts = policies.viewable(user, ElectricityFacts).filter(revision=revision).first()
    electricity = None
    if facts is not None:
        electricity = {
            "self_generated_kwh": num(facts.self_generated_kwh),
            "self_generated_renewable_kwh": num(facts.self_generated_renewable_kwh),
            "green_electricity_kwh": num(facts.green_electricity_kwh),
            "green_certificates": num(facts.green_certificates),
        }
    return {
        "measures": [label for _, label in ENERGY_MEASURES],
        "measure_keys": [key for key, _ in ENERGY_MEASURES],
        "lines": lines,
        "outputs": outputs,
        "installations": installations,
        "electricity": electricity,
    }


def result_summaries(user: Any, revision: Revision, report: Report) -> list[dict[str, Any]]:
    out = []
    for r in (
        policies.viewable(user, EnergyResult)
        .filter(revision=revision)
        .select_related("restatement")
        .order_by("-version")
    ):
        out.append(
            {
                "version": r.version,
                "url": reverse("reporting:result-detail", args=[report.pk, revision.number])
                + f"?version={r.version}",
                "computed_at": r.computed_at,
                "energy_tce_calorific": num(r.energy_tce_calorific),
                "energy_tce_equivalent": num(r.energy_tce_equivalent),
                "new_basis_tce_calorific": num(r.new_basis_tce_calorific),
                "new_basis_tce_equivalent": num(r.new_basis_tce_equivalent),
                "feedstock_tce_calorific": num(r.feedstock_tce_calorific),
                "non_fossil_tce_calorific": num(r.non_fossil_tce_calorific),
                "co2_t": num(r.co2_t),
                "uncertain": r.uncertain,
                "complete": r.complete,
                "problems": r.problems,
                "factor_sets": [f"{s['id']} v{s['version']}" for s in r.factor_sets],
                "restatement": r.restatement.reason if r.restatement else "",
            }
        )
    return out


def statistic_rows(user: Any, revision: Revision) -> list[dict[str, Any]]:
    items = {i.code: i.label for i in cat.STATISTIC_ITEMS}
    rows = []
    for ln in policies.viewable(user, StatisticLine).filter(revision=revision):
        rows.append(
            {
                "item": items.get(ln.item, ln.item),
                "breakdown": breakdown_label(ln.breakdown),
                "subject": ln.subject,
                "value": num(ln.value),
                "unit": ln.unit,
                "canonical": num(ln.value_canonical),
                "canonical_unit": ln.canonical_unit,
            }
        )
    return rows


def breakdown_label(code: str) -> str:
    if not code:
        return ""
    if code in cat.SOURCE_BY_CODE:
        return cat.SOURCE_BY_CODE[code].label
    if code in cat.SECTOR_BY_CODE:
        return cat.SECTOR_BY_CODE[code].label
    try:
        return get_carrier(code).name_zh
    except ValueError:
        return code


def indicator_rows(user: Any, revision: Revision, period: Period) -> list[dict[str, Any]]:
    from ecplan.reporting.computed import compute

    rows = []
    computed_cache: dict[str, list[Any]] = {}
    for v in (
        policies.viewable(user, IndicatorValue).filter(revision=revision).select_related("evidence")
    ):
        if v.indicator not in computed_cache:
            computed_cache[v.indicator] = compute(v.indicator, acting_user=user, period=period)
        d = INDICATORS.get(v.indicator)
        rows.append(
            {
                "indicator": v.indicator,
                "label": d.label if d else v.indicator,
                "subject": v.subject,
                "value": num(v.value) if v.value is not None else v.text_value,
                "unit": v.unit,
                "comment": v.comment,
                "evidence": v.evidence.original_name if v.evidence else "",
                "evidence_url": reverse("reporting:evidence", args=[v.evidence_id])
                if v.evidence_id
                else "",
                "computed": [computed_view(c) for c in computed_cache[v.indicator]],
            }
        )
    return rows


def computed_view(c: Any) -> dict[str, Any]:
    return {
        "value": num(c.value, 4) if c.value is not None else "",
        "unit": c.unit,
        "subject": c.subject,
        "formula": c.formula,
        "inputs": c.inputs,
        "notes": c.notes,
        "preview": c.preview,
        "uncertain": c.uncertain,
        "error": c.error,
    }


# -- 数据来源: the provenance of a result -------------------------------------------------------------


def provenance(user: Any, result: EnergyResult) -> dict[str, Any]:
    """Every line of a result with the coefficient used on each basis and for CO2: value,
    source document and locator, factor set and version, confidence (未确认 flagged)."""
    calc = result.calculation
    keys = set(calc.get("coefficients", []))
    snapshots = {
        s.key: s.data for s in policies.viewable(user, CoefficientSnapshot).filter(key__in=keys)
    }
    coefficients = {}
    for key, data in snapshots.items():
        coef = coefficient_from_data(data)
        coefficients[key] = {
            "name": coef.name,
            "symbol": coef.symbol,
            "value": num(coef.value, 8),
            "unit": coef.unit,
            "published": f"{coef.published_value} {coef.published_unit or ''}".strip()
            if coef.published_value
            else "",
            "document": coef.document,
            "locator": coef.locator,
            "confidence": coef.confidence,
            "confidence_label": CONFIDENCE_LABELS.get(coef.confidence, coef.confidence),
            "uncertain": coef.uncertain,
            "factor_set": coef.factor_set.label if coef.factor_set else "",
            "year": coef.year,
            "region": coef.region,
            "fallback": coef.year_fallback or coef.region_fallback,
            "requested_year": coef.requested_year,
            "alternatives": coef.alternatives,
            "notes": coef.notes,
            "description": coef.describe(),
        }
    lines = []
    for ln in calc.get("lines", []):
        entry = {
            "label": ln["label"],
            "carrier": ln["carrier_name"],
            "series": ln["series_label"],
            "flow": "外供（扣减）" if ln["flow"] == "exported" else "消费",
            "quantity": num(ln["quantity"]),
            "unit": ln["unit"],
            "canonical": num(ln["canonical"]),
            "canonical_unit": ln["canonical_unit"],
            "bases": [],
            "co2": _co2_view(ln.get("co2", {}), coefficients),
        }
        for basis, label in (("calorific", "当量值"), ("equivalent", "等价值")):
            part = ln.get(basis, {})
            entry["bases"].append(
                {
                    "label": label,
                    "k": num(part.get("k"), 8) if part.get("k") is not None else "",
                    "tce": num(part.get("tce")) if part.get("tce") is not None else "",
                    "error": part.get("error", ""),
                    "coefficients": [
                        coefficients[c] for c in part.get("coefficients", []) if c in coefficients
                    ],
                }
            )
        lines.append(entry)
    co2 = calc.get("co2", {})
    net = []
    for key, label in (("electricity", "净购入电力"), ("heat", "净购入热力")):
        part = co2.get(key)
        if part:
            net.append(
                {
                    "label": label,
                    "quantity": num(part.get("net_kwh", part.get("net_gj"))),
                    "unit": "kWh" if key == "electricity" else "GJ",
                    "co2_t": num(part.get("co2_t")) if part.get("co2_t") is not None else "",
                    "error": part.get("error", ""),
                    "notes": part.get("notes", []),
                    "coefficients": [
                        coefficients[c] for c in part.get("coefficients", []) if c in coefficients
                    ],
                }
            )
    return {
        "version": result.version,
        "computed_at": result.computed_at,
        "year": calc.get("year"),
        "region": calc.get("region"),
        "formula": calc.get("formula", {}),
        "lines": lines,
        "net": net,
        "factor_sets": result.factor_sets,
        "uncertain": result.uncertain,
        "complete": result.complete,
        "problems": result.problems,
        "restatement": result.restatement.reason if result.restatement else "",
        "totals": {
            "energy_tce_calorific": num(result.energy_tce_calorific),
            "energy_tce_equivalent": num(result.energy_tce_equivalent),
            "new_basis_tce_calorific": num(result.new_basis_tce_calorific),
            "new_basis_tce_equivalent": num(result.new_basis_tce_equivalent),
            "feedstock_tce_calorific": num(result.feedstock_tce_calorific),
            "feedstock_tce_equivalent": num(result.feedstock_tce_equivalent),
            "non_fossil_tce_calorific": num(result.non_fossil_tce_calorific),
            "non_fossil_tce_equivalent": num(result.non_fossil_tce_equivalent),
            "co2_t": num(result.co2_t),
            "combustion_co2_t": num(result.combustion_co2_t),
            "electricity_co2_t": num(result.electricity_co2_t),
            "heat_co2_t": num(result.heat_co2_t),
        },
    }


def _co2_view(part: dict[str, Any], coefficients: dict[str, Any]) -> dict[str, Any]:
    kinds = {
        "fuel": "燃料燃烧",
        "electricity": "电力（按净购入计算）",
        "heat": "热力（按净购入计算）",
        "feedstock": "原料用能（不计燃烧排放）",
        "none": "不计排放",
    }
    return {
        "kind": kinds.get(part.get("kind", "none"), part.get("kind", "")),
        "ef": num(part.get("ef"), 8) if part.get("ef") is not None else "",
        "co2_t": num(part.get("co2_t")) if part.get("co2_t") is not None else "",
        "error": part.get("error", ""),
        "coefficients": [
            coefficients[c] for c in part.get("coefficients", []) if c in coefficients
        ],
    }


# -- statistics overview -------------------------------------------------------------------------------------

OVERVIEW_ITEMS = (
    ("gdp_current", "", "地区生产总值（现价）", 1 / 10_000, "亿元"),
    ("gdp_index_same_period", "", "GDP指数（上年同期=100）", 1.0, ""),
    ("energy_total_tce", "", "能源消费总量", 1 / 10_000, "万吨标准煤"),
    ("nonfossil_energy_tce", "", "非化石能源消费量", 1 / 10_000, "万吨标准煤"),
    ("service_energy_tce", "", "第三产业能源消费量", 1 / 10_000, "万吨标准煤"),
    ("electricity_consumption", "", "全社会用电量", 1 / 100_000_000, "亿千瓦时"),
    ("net_imported_electricity", "", "净调入电力", 1 / 100_000_000, "亿千瓦时"),
)


def statistics_overview(
    revisions: Iterable[Revision], lines: QuerySet[StatisticLine]
) -> dict[str, Any]:
    revs = list(revisions)
    by_rev: dict[int, dict[tuple[str, str], float]] = defaultdict(dict)
    for ln in lines.filter(revision__in=revs).values(
        "revision_id", "item", "breakdown", "subject", "value_canonical"
    ):
        key = (ln["item"], ln["breakdown"])
        by_rev[ln["revision_id"]][key] = (
            by_rev[ln["revision_id"]].get(key, 0.0) + ln["value_canonical"]
        )
    rows = []
    for rev in sorted(revs, key=lambda r: r.report.area_id or 0):
        figures = by_rev.get(rev.pk, {})
        rows.append(
            {
                "area": rev.report.area.name if rev.report.area else "",
                "url": reverse("reporting:report-detail", args=[rev.report_id]),
                "state_label": rev.get_state_display(),
                "badge": STATE_BADGES.get(rev.state, ""),
                "is_demo": rev.report.is_demo,
                "values": [
                    num(figures[(item, b)] * factor) if (item, b) in figures else "—"
                    for item, b, _, factor, _ in OVERVIEW_ITEMS
                ],
            }
        )
    return {
        "headers": [
            f"{label}（{unit}）" if unit else label for _, _, label, _, unit in OVERVIEW_ITEMS
        ],
        "rows": rows,
    }


def installation_rows(installations: Sequence[Installation]) -> list[dict[str, Any]]:
    rows = []
    for i in installations:
        capacity = ""
        if i.capacity_t_per_a is not None:
            capacity = f"{num(float(i.capacity_t_per_a))} 吨/年"
        elif i.it_capacity_kw is not None:
            capacity = f"IT {num(float(i.it_capacity_kw))} 千瓦"
        elif i.capacity_mw is not None:
            capacity = f"{num(float(i.capacity_mw))} 兆瓦"
        elif i.evaporation_t_per_h is not None:
            capacity = f"{num(float(i.evaporation_t_per_h))} 蒸吨/小时"
        rows.append(
            {
                "code": i.code,
                "name": i.name,
                "kind": i.get_kind_display(),
                "product": i.product_label,
                "capacity": capacity,
                "status": i.get_dc_status_display()
                if i.dc_status
                else (i.get_plant_type_display() if i.plant_type else ""),
                "fuel": i.get_fuel_display() if i.fuel else "",
                "parent": i.parent.code if i.parent_id and i.parent else "",
                "commissioned_on": i.commissioned_on,
                "closed_on": i.closed_on,
                "edit_url": reverse("reporting:installation-edit", args=[i.pk]),
                "is_demo": i.is_demo,
            }
        )
    return rows

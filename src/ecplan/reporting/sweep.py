"""URL sweep declarations of the data-collection pages (docs/permissions.md, "URL sweep").

Objects are made for each persona's own scope (``world.enterprise_in``, ``organisation_in``)
and for a scope it must not reach (``enterprise_out``, ``organisation_out``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from ecplan.accounts.sweep import Case, sweep
from ecplan.accounts.testing import Persona, World
from ecplan.organisations.models import Enterprise, Installation, Organisation
from ecplan.reporting.models import (
    Attachment,
    ImportBatch,
    IndicatorAssignment,
    Report,
)

ADMINS = frozenset({"system_admin", "plan_admin"})
FORBIDDEN = frozenset({403})
TODAY = dt.date(2025, 4, 10)


def _energy_report(world: World, enterprise: Enterprise) -> Report:
    from ecplan.reporting.records import EnergyLineRecord, EnergyReportRecord
    from ecplan.reporting.services import save_energy_reports

    outcome = save_energy_reports(
        [
            EnergyReportRecord(
                enterprise.credit_code,
                "2025-03",
                lines=[EnergyLineRecord("电力", "万千瓦时", consumed=10)],
            )
        ],
        acting_user=world.persona("plan_admin").user,
        today=TODAY,
    )
    assert outcome.stored, outcome.issues.to_text()
    return Report.objects.get(report_type="energy", enterprise=enterprise, period="2025-03")


def _indicator_report(world: World, organisation: Organisation) -> Report:
    from ecplan.reporting.records import IndicatorReportRecord, IndicatorValueRecord
    from ecplan.reporting.services import save_indicator_reports

    IndicatorAssignment.objects.get_or_create(
        plan_code="sweep",
        indicator="existing_building_retrofit_area_m2",
        organisation=organisation,
        defaults={"frequency": "year", "unit": "m2"},
    )
    outcome = save_indicator_reports(
        [
            IndicatorReportRecord(
                organisation.name,
                "2024",
                plan_code="sweep",
                values=[
                    IndicatorValueRecord(
                        "existing_building_retrofit_area_m2", value=1.0, unit="万平方米"
                    )
                ],
            )
        ],
        acting_user=world.persona("plan_admin").user,
        today=TODAY,
    )
    assert outcome.stored, outcome.issues.to_text()
    return Report.objects.get(report_type="indicator", organisation=organisation, period="2024")


def _reports(world: World, p: Persona) -> Case:
    allowed: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    e_in, e_out = world.enterprise_in(p), world.enterprise_out(p)
    o_in, o_out = world.organisation_in(p), world.organisation_out(p)
    if e_in is not None:
        allowed.append({"pk": _energy_report(world, e_in).pk})
    if e_out is not None:
        refused.append({"pk": _energy_report(world, e_out).pk})
    if o_in is not None:
        allowed.append({"pk": _indicator_report(world, o_in).pk})
    if o_out is not None:
        refused.append({"pk": _indicator_report(world, o_out).pk})
    return Case(allowed=allowed, refused=refused)


sweep.url("reporting:report-detail")(_reports)


@sweep.url("reporting:result-detail")
def _result(world: World, p: Persona) -> Case:
    e_in, e_out = world.enterprise_in(p), world.enterprise_out(p)
    allowed = [{"pk": _energy_report(world, e_in).pk, "number": 1}] if e_in else []
    refused = [{"pk": _energy_report(world, e_out).pk, "number": 1}] if e_out else []
    return Case(allowed=allowed, refused=refused)


def _batch(world: World, user: Any) -> ImportBatch:
    batch = ImportBatch(
        report_type="energy",
        original_name="扫描.csv",
        file_kind="csv",
        size_bytes=3,
        sha256="0" * 64,
        channel="web",
        created_by=user,
    )
    batch.file.save("sweep.csv", ContentFile(b"a,b"), save=False)
    batch.save()
    return batch


@sweep.url("reporting:import-file")
def _import_file(world: World, p: Persona) -> Case:
    other = _batch(
        world, world.persona("enterprise" if p.key != "enterprise" else "area_user").user
    )
    if p.key in ADMINS:
        return Case(allowed=[{"pk": other.pk}])
    if p.role is None:
        return Case(refused=[{"pk": other.pk}])
    own = _batch(world, p.user)
    return Case(allowed=[{"pk": own.pk}], refused=[{"pk": other.pk}])


@sweep.url("reporting:template")
def _template(world: World, p: Persona) -> Case:
    allowed_types = {
        "system_admin": ["enterprises"],
        "plan_admin": ["energy", "statistics", "indicator", "enterprises"],
        "dept_reporter": ["indicator"],
        "enterprise": ["energy"],
    }.get(p.key, [])
    every = ["energy", "statistics", "indicator", "enterprises"]
    return Case(
        allowed=[{"report_type": t} for t in allowed_types],
        refused=[{"report_type": t} for t in every if t not in allowed_types],
        refused_status=frozenset({403}),
    )


@sweep.url("reporting:export")
def _export(world: World, p: Persona) -> Case:
    # every kind answers for every persona, scoped to what the persona may see
    return Case(
        allowed=[{"kind": k} for k in ("enterprises", "energy-reports", "statistics")],
        refused=[{"kind": "no-such-kind"}],
    )


def _attachment(world: World, organisation: Organisation) -> Attachment:
    att = Attachment(
        organisation=organisation,
        period="2024",
        original_name="证明.pdf",
        content_type="application/pdf",
        size_bytes=8,
        sha256="0" * 64,
        uploaded_by=world.persona("plan_admin").user,
    )
    att.file.save("sweep.pdf", ContentFile(b"%PDF-1.4"), save=False)
    att.save()
    return att


@sweep.url("reporting:evidence")
def _evidence(world: World, p: Persona) -> Case:
    o_in, o_out = world.organisation_in(p), world.organisation_out(p)
    return Case(
        allowed=[{"pk": _attachment(world, o_in).pk}] if o_in else [],
        refused=[{"pk": _attachment(world, o_out).pk}] if o_out else [],
    )


@sweep.url("reporting:enterprise-detail")
def _enterprise_detail(world: World, p: Persona) -> Case:
    e_in, e_out = world.enterprise_in(p), world.enterprise_out(p)
    return Case(
        allowed=[{"pk": e_in.pk}] if e_in else [],
        refused=[{"pk": e_out.pk}] if e_out else [],
    )


@sweep.url("reporting:enterprise-edit")
def _enterprise_edit(world: World, p: Persona) -> Case:
    if p.key in ADMINS:
        return Case(allowed=[{"pk": world.e_gaoyou.pk}])
    refused = [{"pk": world.e_gaoyou.pk}]
    e_in = world.enterprise_in(p)
    if e_in is not None:
        refused.append({"pk": e_in.pk})  # visible, not editable: 403
    return Case(refused=refused)


@sweep.url("reporting:installation-create")
def _installation_create(world: World, p: Persona) -> Case:
    if p.key in ADMINS:
        return Case(allowed=[{"enterprise_pk": world.e_gaoyou.pk}])
    e_in = world.enterprise_in(p)
    refused = [{"enterprise_pk": world.e_gaoyou.pk}]
    if e_in is not None:
        refused.append({"enterprise_pk": e_in.pk})
    return Case(refused=refused)


def _installation(enterprise: Enterprise) -> Installation:
    inst, _ = Installation.objects.get_or_create(
        enterprise=enterprise,
        code="SWEEP-1",
        defaults={
            "name": "扫描装置",
            "kind": "production_unit",
            "product": "pta",
            "capacity_t_per_a": Decimal("1000"),
        },
    )
    return inst


@sweep.url("reporting:installation-edit")
def _installation_edit(world: World, p: Persona) -> Case:
    if p.key in ADMINS:
        return Case(allowed=[{"pk": _installation(world.e_gaoyou).pk}])
    refused = [{"pk": _installation(world.e_gaoyou).pk}]
    e_in = world.enterprise_in(p)
    if e_in is not None:
        refused.append({"pk": _installation(e_in).pk})
    return Case(refused=refused)


@sweep.url("reporting:import-issues")
def _import_issues(world: World, p: Persona) -> Case:
    # the list of the last upload of this session: none in a fresh session
    return Case(allowed=[{}], method="POST", ok=frozenset({404}))


@sweep.url("reporting:assignment-sync")
def _assignment_sync(world: World, p: Persona) -> Case:
    if p.key in ADMINS:
        return Case(allowed=[{}], method="POST", data={"plan": "no-such-plan"}, ok=frozenset({302}))
    return Case(refused=[{}], method="POST", refused_status=FORBIDDEN)


@sweep.url("reporting:restatements")
def _restatements(world: World, p: Persona) -> Case:
    if p.key in ADMINS:
        return Case(allowed=[{}])
    return Case(refused=[{}], refused_status=FORBIDDEN)


@sweep.url("reporting:indicators")
def _indicators(world: World, p: Persona) -> Case:
    IndicatorAssignment.objects.get_or_create(
        plan_code="sweep",
        indicator="existing_building_retrofit_area_m2",
        organisation=world.dept,
        defaults={"frequency": "year", "unit": "m2"},
    )
    if p.key in ("plan_admin", "dept_reporter"):
        return Case(allowed=[{}])
    return Case(refused=[{}], refused_status=FORBIDDEN)


@sweep.url("reporting:enterprise-create")
def _enterprise_create(world: World, p: Persona) -> Case:
    if p.key in ADMINS:
        return Case(allowed=[{}])
    return Case(refused=[{}], refused_status=FORBIDDEN)

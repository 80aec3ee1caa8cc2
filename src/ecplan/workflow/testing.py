"""Builders for the workflow's tests and URL sweep (they write to the database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ecplan.reporting.models import Channel, Report, Revision, State
from ecplan.reporting.periods import Period


def open_month(today: dt.date | None = None) -> Period:
    """The newest month open for energy reports on ``today`` (default: today)."""
    from ecplan.workflow.reporting_calendar import open_periods_on

    return open_periods_on("energy", "month", today or timezone.localdate())[0]


def bare_report(
    report_type: str,
    owner: Any,
    period: Period | str,
    *,
    state: str = State.DRAFT,
    area: Any = None,
    created_by: Any = None,
) -> Report:
    """A report with one revision in ``state`` and no lines (for permission tests)."""
    p = period if isinstance(period, Period) else Period.parse(period)
    fields: dict[str, Any] = {}
    if report_type == "energy":
        fields["enterprise"] = owner
    else:
        fields["organisation"] = owner
        if report_type == "statistics":
            fields["area"] = area
    report, _ = Report.objects.get_or_create(
        report_type=report_type,
        period=str(p),
        **fields,
        defaults={
            "period_kind": p.kind,
            "period_start": p.start,
            "period_end": p.end,
            "year": p.year,
            "version": 1,
        },
    )
    if not report.revisions.exists():
        Revision.objects.create(
            report=report,
            number=1,
            state=state,
            channel=Channel.API,
            created_by=created_by,
            state_changed_at=timezone.now() if state != State.DRAFT else None,
            state_changed_by=created_by if state != State.DRAFT else None,
        )
    return report


def energy_record(
    enterprise: Any,
    period: Period | str,
    *,
    coal_t: float = 1000.0,
    electricity_10k_kwh: float = 300.0,
    gas: float | None = 50.0,
) -> Any:
    """An energy report record with coal, electricity and (optionally) natural gas."""
    from ecplan.reporting.records import EnergyLineRecord, EnergyReportRecord

    lines = [
        EnergyLineRecord("烟煤", "吨", purchased=coal_t * 1.2, consumed=coal_t),
        EnergyLineRecord(
            "电力", "万千瓦时", purchased=electricity_10k_kwh, consumed=electricity_10k_kwh
        ),
    ]
    if gas is not None:
        lines.append(EnergyLineRecord("天然气", "万立方米", consumed=gas))
    return EnergyReportRecord(enterprise.credit_code, str(period), lines=lines)


def save_energy(
    user: Any,
    enterprise: Any,
    period: Period | str,
    *,
    reason: str = "",
    today: dt.date | None = None,
    **kw: Any,
) -> Report:
    """Save an energy report through the data-collection services (as ``user``)."""
    from ecplan.reporting.services import save_energy_reports

    p = period if isinstance(period, Period) else Period.parse(period)
    outcome = save_energy_reports(
        [energy_record(enterprise, p, **kw)],
        acting_user=user,
        reason=reason,
        confirm_warnings=True,
        today=today or (p.end + dt.timedelta(days=5)),
    )
    assert outcome.stored, outcome.issues.to_text()
    return Report.objects.get(report_type="energy", enterprise=enterprise, period=str(p))

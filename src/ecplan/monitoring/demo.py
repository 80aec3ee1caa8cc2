"""What the evaluation needs of the demo city beyond the data-collection loader (演示数据).

The demo generator (:mod:`ecplan.demo`) invents binding targets for the city and its six
county-level areas (synthetic; the non-fossil share follows the city's published plan) and a
ledger of energy-saving retrofit projects. The data-collection loader
(:mod:`ecplan.reporting.demo`) has no place for either, so:

* the binding targets are entered through
  :func:`ecplan.monitoring.services.enter_binding_targets` — the same path the plan office's
  page and command use — as revisions marked 演示数据, with the generator's note as source;
* the retrofit ledger becomes the responsible department's yearly reports of the plan's
  reported series (``retrofit_savings_tce``, ``retrofit_co2_reduction_t``,
  ``retrofit_project_count``: the projects completed in the year, summed), stored through
  :func:`ecplan.reporting.services.save_indicator_reports` as approved 演示数据 — what the
  department would report from its ledger.

:func:`load_demo_evaluation_data` is a step of ``ecplan serve --demo``
(``ecplan.web.demo.DEMO_STEPS``, after the demo city is loaded); ``ecplan binding-targets demo``
runs it by hand after ``ecplan demo-data --load``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, TextIO

from ecplan.demo.model import BindingTarget as DemoBindingTarget
from ecplan.demo.model import RetrofitProject
from ecplan.monitoring.entry import BindingTargetRecord, EntryOutcome
from ecplan.reporting.records import IndicatorReportRecord, IndicatorValueRecord

__all__ = [
    "DEMO_REASON",
    "RETROFIT_SERIES",
    "binding_records",
    "load_binding_targets",
    "load_demo_evaluation_data",
    "load_demo_retrofits",
    "load_retrofit_reports",
    "retrofit_records",
]

#: the plan's reported retrofit series: indicator → (ledger field or None for the count, unit)
RETROFIT_SERIES: Final[dict[str, tuple[str | None, str]]] = {
    "retrofit_savings_tce": ("savings_tce", "吨标准煤"),
    "retrofit_co2_reduction_t": ("co2_reduction_t", "吨"),
    "retrofit_project_count": (None, "项"),
}

DEMO_REASON: Final = "演示数据（虚构的“十四五”约束性指标及分解），由演示数据生成器给出"


def binding_records(targets: Iterable[DemoBindingTarget]) -> list[BindingTargetRecord]:
    """The demo generator's binding targets as entry records (area by administrative code)."""
    return [
        BindingTargetRecord(
            area=t.area_code,
            indicator=t.indicator,
            value=repr(t.value),
            base_year=t.base_year,
            target_year=t.target_year,
            source=t.note if "演示" in t.note else f"演示数据：{t.note}",
            note="演示数据（虚构），不是上级下达的指标",
            where=f"演示数据 {t.area_code} {t.indicator}",
        )
        for t in targets
    ]


def load_binding_targets(
    targets: Iterable[DemoBindingTarget], *, acting_user: Any = None, plan_code: str | None = None
) -> EntryOutcome:
    """Enter the demo binding targets for the demo plan (all or nothing), marked 演示数据.

    ``acting_user`` defaults to the demo loader's account (a plan administrator, created by
    the demo city's loading). Raises :class:`ecplan.monitoring.services.EntryError` if the
    plan is not loaded and ``ValueError`` with the issues if a record is refused.
    """
    from ecplan.accounts.models import User
    from ecplan.monitoring.services import enter_binding_targets
    from ecplan.reporting.demo import LOADER_USERNAME, PLAN_CODE

    user = acting_user
    if user is None:
        user = User.objects.filter(username=LOADER_USERNAME).first()
        if user is None:
            raise ValueError(
                f"演示数据载入账号“{LOADER_USERNAME}”不存在：请先载入演示城市（ecplan demo-data --load）。"
            )
    outcome = enter_binding_targets(
        plan_code or PLAN_CODE,
        binding_records(targets),
        acting_user=user,
        reason=DEMO_REASON,
        is_demo=True,
    )
    if outcome.issues:
        detail = "；".join(f"{i.where}：{i.field} {i.message}" for i in outcome.issues)
        raise ValueError(f"演示约束性指标未载入：{detail}")
    return outcome


def retrofit_records(
    projects: Iterable[RetrofitProject], organisations: dict[str, str], plan_code: str
) -> list[IndicatorReportRecord]:
    """Yearly department reports of the retrofit series from the project ledger: each year's
    projects completed (``completed`` = YYYY-MM), counted and their savings and CO2 summed.
    Yearly, as the plan's assignments of these series are (the demo city's other department
    reports are yearly too). ``organisations`` maps each indicator to the reporting
    organisation's code."""
    years: dict[str, list[RetrofitProject]] = {}
    for p in projects:
        years.setdefault(p.completed[:4], []).append(p)
    by_org: dict[tuple[str, str], list[IndicatorValueRecord]] = {}
    for year, done in sorted(years.items()):
        comment = f"演示数据：虚构的节能降碳改造项目台账，{year}年竣工 {len(done)} 个项目汇总"
        for indicator, (attr, unit) in RETROFIT_SERIES.items():
            org = organisations.get(indicator)
            if org is None:
                continue
            value = float(len(done)) if attr is None else sum(getattr(p, attr) for p in done)
            by_org.setdefault((org, year), []).append(
                IndicatorValueRecord(indicator, value=value, unit=unit, comment=comment)
            )
    return [
        IndicatorReportRecord(organisation=org, period=period, values=values, plan_code=plan_code)
        for (org, period), values in sorted(by_org.items())
    ]


def load_retrofit_reports(
    projects: Iterable[RetrofitProject], *, acting_user: Any, plan_code: str
) -> str:
    """Store the ledger's yearly reports (approved, 演示数据) for the organisations the plan
    assigns each series to; returns the outcome's summary. Raises ``ValueError`` if a report
    is refused (nothing stored)."""
    from ecplan.reporting import services
    from ecplan.reporting.models import IndicatorAssignment

    organisations: dict[str, str] = {}
    for a in (
        IndicatorAssignment.objects.filter(
            plan_code=plan_code, indicator__in=list(RETROFIT_SERIES), active=True
        )
        .select_related("organisation")
        .order_by("organisation__code")
    ):
        organisations.setdefault(a.indicator, a.organisation.code)
    records = retrofit_records(projects, organisations, plan_code)
    if not records:
        return "没有分配报送单位，未载入改造项目汇总"
    out = services.save_indicator_reports(
        records,
        acting_user=acting_user,
        state="approved",
        reason=DEMO_REASON,
        confirm_warnings=True,
        is_demo=True,
    )
    if not out.stored:
        raise ValueError(f"演示改造项目汇总未载入：\n{out.issues.to_text()}")
    return str(out.summary())


def load_demo_evaluation_data(stdout: TextIO) -> None:
    """Demo step of ``ecplan serve --demo``: the demo city's binding targets and its retrofit
    ledger's yearly reports (unless the setting ``ECPLAN_DEMO_CITY`` is off, as for the city)."""
    from django.conf import settings

    from ecplan.demo import generate_city

    if not settings.ECPLAN_DEMO_CITY:
        return
    # the same call as the city's own demo step, so the same city: the binding targets do not
    # depend on the months generated, the retrofit ledger holds the projects of those months
    city = generate_city()
    outcome = load_binding_targets(city.binding_targets)
    print(f"演示约束性指标（演示数据）：{outcome.summary()}", file=stdout)
    load_demo_retrofits(city, stdout)


def load_demo_retrofits(city: Any, stdout: TextIO, *, acting_user: Any = None) -> None:
    """The demo city's retrofit ledger as yearly department reports (see the module)."""
    from ecplan.accounts.models import User
    from ecplan.reporting.demo import LOADER_USERNAME, PLAN_CODE

    user = acting_user or User.objects.get(username=LOADER_USERNAME)
    summary = load_retrofit_reports(city.retrofits, acting_user=user, plan_code=PLAN_CODE)
    print(f"节能降碳改造项目年度汇总（演示数据）：{summary}", file=stdout)

"""Evaluating the whole plan, against the bare aggregation queries the evaluation needs.

Run: ``.venv/bin/python benchmarks/evaluate.py [demo|city|province|both|all]`` (default both:
city and province; all adds demo). Uses a
private SQLite database in a temporary data directory (or ``DATABASE_URL``). Results and the
machine are recorded in docs/benchmarks.md.

Data (synthetic, 演示数据, stored through the same models the platform uses; the setup is not
timed): the shipped 扬州市 plan; statistics of the city and its six county-level areas — years
and quarters (cumulative) with energy on both bases, feedstock by carrier, coal items,
generation, GDP and indices, tertiary energy and value added — stored with
``ecplan.reporting.services.save_statistics``; binding targets of the city and every area
entered with ``enter_binding_targets``; department reports of the plan's reported indicators;
and the enterprises' monthly reports as approved revisions with their accounting results and
installation lines (PTA, caustic soda, steel, data centres, coal units, boilers), inserted in
bulk:

* ``demo``: the demo city itself — ``ecplan.demo.generate_city()`` (default seed: ~100
  enterprises × 72 months, 2020-01 … 2025-12) stored by its loader, and its binding targets by
  the demo step (``ecplan.monitoring.demo``);
* ``city``: the demo city's shape — 100 enterprises × 72 months (2020-01 … 2025-12);
* ``province``: the province-scale shape the demo package generates — 3,000 enterprises ×
  60 months (2021-01 … 2025-12), 180,000 monthly reports (the 13 cities' enterprises are
  placed in the plan's region: the city evaluation reads every one of them).

Measured in the same run, as of 2025-12:

* baseline — the bare aggregation queries the evaluation needs, without trails or status
  logic: the effective statistics lines, department values and installation lines of the
  region, summed per area/period/item and per installation in Python, and the enterprises'
  12-month energy and months reported aggregated in the database;
* ``evaluate()`` — the whole plan in memory: input fingerprint, every indicator with its
  trail, every target, milestone, rule and binding target, the 晴雨表 of every area and
  quarter, the annual figures;
* ``evaluation_for(force=True)`` — the same and storing the run (what a page or the command
  does when the data changed).

Baseline and ``evaluate()`` are timed alternately five times (``ECPLAN_BENCH_REPEAT``) and the
minimum of each is reported: the machine is shared, and a busy spell should hit both.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import sys
import tempfile
import time
from collections import defaultdict
from typing import Any

DATA_DIR = tempfile.mkdtemp(prefix="ecplan-bench-evaluate-")
os.environ["ECPLAN_DATA_DIR"] = DATA_DIR
os.environ.setdefault("ECPLAN_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecplan.settings")

import django  # noqa: E402 - the environment above must be set first

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

PLAN = "yangzhou-2025"
AREAS = ["扬州市", "广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市"]
REPEAT = int(os.environ.get("ECPLAN_BENCH_REPEAT", "5"))
SHARE = {
    "扬州市": 1.0,
    "广陵区": 0.14,
    "邗江区": 0.2,
    "江都区": 0.17,
    "宝应县": 0.1,
    "仪征市": 0.27,
    "高邮市": 0.12,
}


def _setup() -> tuple[Any, Any]:
    from ecplan.accounts.testing import grant, make_user
    from ecplan.organisations.models import Organisation
    from ecplan.plans.models import Plan
    from ecplan.plans.services import load_shipped_plans

    load_shipped_plans()
    plan = Plan.objects.select_related("current_version", "region").get(code=PLAN)
    admin = make_user("bench-admin", full_name="基准测试管理员")
    grant(admin, "plan_admin", Organisation.objects.get(region=plan.region, is_plan_office=True))
    return plan, admin


def _statistics(admin: Any, first_year: int) -> None:
    from ecplan.reporting import services
    from ecplan.reporting.records import StatisticRecord as S
    from ecplan.reporting.records import StatisticsReportRecord

    rng = random.Random(7)
    records = []
    for area in AREAS:
        k = SHARE[area]
        for year in range(first_year - 1, 2026):
            t = year - 2020
            total = 2200 * k * (1.02**t)
            for months in (3, 6, 9, 12):
                f = months / 12 * rng.uniform(0.98, 1.02)
                period = str(year) if months == 12 else f"{year}-Q{months // 3}"
                lines = [
                    S("energy_total_tce", total * f, "万吨标准煤"),
                    S("nonfossil_energy_tce", total * f * (0.13 + 0.012 * t), "万吨标准煤"),
                    S("energy_consumption", 1400 * k * f, "万吨", "bituminous_coal"),
                    S("feedstock", 100 * k * f, "万吨", "bituminous_coal"),
                    S("power_input", 900 * k * f, "万吨", "bituminous_coal"),
                    S("heat_input", 100 * k * f, "万吨", "bituminous_coal"),
                    S("energy_consumption", 30 * k * f, "万吨", "diesel"),
                    S("net_imported_electricity", 160 * k * f, "亿千瓦时"),
                    S("generation", 300 * k * f, "亿千瓦时", "coal"),
                    S("generation", (20 + 5 * t) * k * f, "亿千瓦时", "solar"),
                    S("service_energy_tce", total * f * 0.15, "万吨标准煤"),
                    S("value_added_index_same_period", 105.5, "上年同期=100", "tertiary"),
                    S("gdp_current", 6000 * k * f * (1.06**t), "亿元"),
                    S("gdp_index_same_period" if months < 12 else "gdp_index_previous_year", 100 + rng.uniform(4, 7), "上年同期=100" if months < 12 else "上年=100"),
                ]  # fmt: skip
                if area == "仪征市" and year >= 2025:
                    lines.append(
                        S("separately_listed_tce", 10 * f, "万吨标准煤", subject="国家重大项目")
                    )
                records.append(StatisticsReportRecord(area, period, lines))
    out = services.save_statistics(
        records, acting_user=admin, state="approved", confirm_warnings=True, reason="基准测试"
    )
    assert out.stored, out.issues.to_text(limit=20)


def _bindings(admin: Any) -> None:
    from ecplan.monitoring.entry import BindingTargetRecord
    from ecplan.monitoring.services import enter_binding_targets

    records = [BindingTargetRecord(a, "energy_intensity_change_new_basis", "14%") for a in AREAS]
    records += [
        BindingTargetRecord("扬州市", "co2_intensity_change", "18%"),
        BindingTargetRecord("扬州市", "nonfossil_share", "13%"),
    ]
    assert enter_binding_targets(PLAN, records, acting_user=admin).stored


def _department_reports(admin: Any) -> None:
    from ecplan.reporting import services
    from ecplan.reporting.records import IndicatorReportRecord, IndicatorValueRecord

    services.sync_indicator_assignments(PLAN, acting_user=admin, frequency="quarter")
    values = {
        "市工信局": [("retrofit_savings_tce", 25_000, "吨标准煤"), ("retrofit_project_count", 27, "项")],
        "市发改委": [("retrofit_co2_reduction_t", 65_000, "吨")],
        "市住建局": [("existing_building_retrofit_area_m2", 30, "万平方米"), ("building_renewable_substitution", 8.1, "%")],
        "市交通局": [("transport_carbon_intensity_change", -5.2, "%"), ("container_rail_water_volume_change", 18, "%")],
        "市机关事务管理局": [("pi_energy_per_area_change", -6.1, "%"), ("pi_co2_per_area_change", -6.5, "%"), ("pi_energy_per_capita_change", -7.2, "%")],
    }  # fmt: skip
    records = [
        IndicatorReportRecord(org, f"2025-Q{q}", [IndicatorValueRecord(i, value=v, unit=u) for i, v, u in items], plan_code=PLAN)
        for org, items in values.items()
        for q in (1, 2, 3, 4)
    ]  # fmt: skip
    out = services.save_indicator_reports(
        records, acting_user=admin, state="approved", confirm_warnings=True, reason="基准测试"
    )
    assert out.stored, out.issues.to_text(limit=20)


def _enterprises(plan: Any, admin: Any, count: int, first_year: int) -> int:
    """Bulk-insert enterprises, installations and their approved monthly reports."""
    from ecplan.accounts.credit_code import make_credit_code
    from ecplan.organisations.models import Area, Enterprise, Installation
    from ecplan.reporting.models import EnergyResult, InstallationLine, Report, Revision
    from ecplan.reporting.periods import Period

    region = plan.region
    counties = list(Area.objects.county_level().filter(region=region).order_by("id"))
    rng = random.Random(11)
    enterprises = [
        Enterprise(
            region=region,
            credit_code=make_credit_code(counties[i % len(counties)].code, f"E{i:07d}"),
            name=f"示例基准企业{i:04d}有限公司",
            area=counties[i % len(counties)],
            key_unit_class="over_10k" if i % 3 else "5k_to_10k",
            budget_managed=i % 10 == 0,
            is_demo=True,
        )
        for i in range(count)
    ]
    Enterprise.objects.bulk_create(enterprises, batch_size=1000)
    enterprises = list(Enterprise.objects.filter(region=region).order_by("id"))
    kinds = [
        {"kind": "production_unit", "product": "pta", "capacity_t_per_a": 1_000_000},
        {"kind": "production_unit", "product": "caustic_soda", "variant": "liquid_30", "capacity_t_per_a": 200_000},
        {"kind": "production_unit", "product": "caustic_soda", "variant": "solid_98", "capacity_t_per_a": 100_000},
        {"kind": "production_unit", "product": "crude_steel", "variant": "eaf", "capacity_t_per_a": 500_000},
        {"kind": "data_centre", "dc_status": "new", "it_capacity_kw": 5000},
        {"kind": "generating_unit", "fuel": "coal", "capacity_mw": 600},
        {"kind": "boiler", "fuel": "coal", "evaporation_t_per_h": 75},
    ]  # fmt: skip
    installations = []
    for i, e in enumerate(enterprises[: max(20, count // 10)]):
        spec = kinds[i % len(kinds)]
        installations.append(
            Installation(enterprise=e, code=f"U{i}", name=f"装置{i}", is_demo=True, **spec)
        )
    Installation.objects.bulk_create(installations)
    by_enterprise: dict[int, list[Installation]] = defaultdict(list)
    for inst in Installation.objects.filter(enterprise__region=region):
        by_enterprise[inst.enterprise_id].append(inst)
    months = [Period.month(y, m) for y in range(first_year, 2026) for m in range(1, 13)]
    now = dt.datetime.now(dt.UTC)
    reports = [
        Report(
            report_type="energy",
            enterprise=e,
            period=str(p),
            period_kind="month",
            period_start=p.start,
            period_end=p.end,
            year=p.year,
            version=1,
            is_demo=True,
        )
        for e in enterprises
        for p in months
    ]
    Report.objects.bulk_create(reports, batch_size=5000)
    report_ids = dict(
        Report.objects.filter(report_type="energy").values_list("id", "enterprise_id")
    )
    revisions = [
        Revision(
            report_id=rid,
            number=1,
            state="approved",
            channel="import",
            content_hash="bench",
            created_by=admin,
            state_changed_by=admin,
            state_changed_at=now,
        )
        for rid in report_ids
    ]
    Revision.objects.bulk_create(revisions, batch_size=5000)
    rows = Revision.objects.filter(report__report_type="energy").values_list(
        "id", "report__enterprise_id", "report__period"
    )
    results = []
    lines = []
    for rev_id, enterprise_id, _period in rows:
        energy = 600 + rng.random() * 1500
        results.append(
            EnergyResult(
                revision_id=rev_id,
                version=1,
                energy_tce_calorific=energy,
                energy_tce_equivalent=energy * 1.3,
                new_basis_tce_calorific=energy,
                new_basis_tce_equivalent=energy * 1.3,
                feedstock_tce_calorific=0.0,
                feedstock_tce_equivalent=0.0,
                non_fossil_tce_calorific=0.0,
                non_fossil_tce_equivalent=0.0,
                co2_t=energy * 2.6,
                combustion_co2_t=energy * 2.0,
                electricity_co2_t=energy * 0.6,
                heat_co2_t=0.0,
                factor_sets=[],
                factor_digest="bench",
                calculation={},
            )
        )
        for inst in by_enterprise.get(enterprise_id, []):
            values: dict[str, float] = {}
            if inst.kind == "production_unit":
                output = 20_000 + rng.random() * 5_000
                unit = {"pta": 45, "caustic_soda": 330, "crude_steel": 250}[inst.product]
                values = {
                    "output_t": output,
                    "energy_tce": output * unit / 1000 * rng.uniform(0.9, 1.1),
                }
            elif inst.kind == "data_centre":
                values = {
                    "electricity_total_kwh": 1.2e7 * rng.uniform(1.1, 1.3),
                    "electricity_it_kwh": 1.0e7,
                }
            elif inst.kind == "generating_unit":
                values = {
                    "generation_kwh": 3e8,
                    "station_use_kwh": 1.8e7,
                    "standard_coal_tce": 85_000 * rng.uniform(0.97, 1.03),
                }
            lines.append(InstallationLine(revision_id=rev_id, installation=inst, **values))  # type: ignore[misc]  # benchmark data
    EnergyResult.objects.bulk_create(results, batch_size=5000)
    InstallationLine.objects.bulk_create(lines, batch_size=5000)
    return len(results)


def baseline(plan: Any, as_of: Any) -> dict[str, Any]:
    """The aggregation queries the evaluation needs, bare: no trails, no status logic."""
    from django.db.models import Count, Sum

    from ecplan.reporting.models import EnergyResult, IndicatorValue, InstallationLine, Revision

    region = plan.region
    end = dt.date(as_of.year, as_of.month, 28)
    effective = Revision.objects.effective().filter(report__period_end__lte=end)
    stats: dict[tuple[int, str, str, str], float] = defaultdict(float)
    for area, period, item, breakdown, value in statistic_line_values(effective, region):
        stats[(area, period, item, breakdown)] += value
    indicators = list(
        IndicatorValue.objects.filter(
            revision__in=effective.filter(report__organisation__region=region).values("pk")
        ).values_list("indicator", "subject", "value_canonical", "revision__report__period")
    )
    energy = effective.filter(report__enterprise__region=region).values("pk")
    installations = list(
        InstallationLine.objects.filter(
            revision__in=energy, revision__report__period_start__gte=dt.date(as_of.year, 1, 1)
        )
        .values("installation_id")
        .annotate(
            output=Sum("output_t"),
            energy=Sum("energy_tce"),
            total=Sum("electricity_total_kwh"),
            it=Sum("electricity_it_kwh"),
            gen=Sum("generation_kwh"),
            coal=Sum("standard_coal_tce"),
        )
    )
    base_steel = list(
        InstallationLine.objects.filter(revision__in=energy, revision__report__year=2023)
        .values("installation_id")
        .annotate(output=Sum("output_t"), energy=Sum("energy_tce"))
    )
    twelve = (
        dt.date(as_of.year - 1, as_of.month % 12 + 1, 1)
        if as_of.month < 12
        else dt.date(as_of.year, 1, 1)
    )
    key_units = list(
        EnergyResult.objects.current()
        .filter(revision__in=energy, revision__report__period_start__gte=twelve)
        .values("revision__report__enterprise_id")
        .annotate(
            energy=Sum("energy_tce_calorific"),
            months=Count("revision__report__period", distinct=True),
        )
    )
    reporting = list(
        EnergyResult.objects.current()
        .filter(revision__in=energy, revision__report__period_start__gte=dt.date(as_of.year, 1, 1))
        .values("revision__report__enterprise_id")
        .annotate(months=Count("revision__report__period", distinct=True))
    )
    return {
        "stats": len(stats),
        "indicators": len(indicators),
        "installations": len(installations) + len(base_steel),
        "key_units": len(key_units),
        "reporting": len(reporting),
    }


def statistic_line_values(effective: Any, region: Any) -> Any:
    from ecplan.reporting.models import StatisticLine

    return StatisticLine.objects.filter(
        revision__in=effective.filter(report__area__region=region).values("pk")
    ).values_list(
        "revision__report__area_id",
        "revision__report__period",
        "item",
        "breakdown",
        "value_canonical",
    )


def _demo_city() -> int:
    """The demo city itself (ecplan.demo, default seed) through its loader, and its binding
    targets through the demo step; returns the number of monthly energy reports."""
    import io

    from ecplan.demo import generate_city
    from ecplan.monitoring.demo import load_binding_targets
    from ecplan.reporting.demo import load_city
    from ecplan.reporting.models import Report

    city = generate_city()
    load_city(city, stdout=io.StringIO())
    load_binding_targets(city.binding_targets)
    return Report.objects.filter(report_type="energy").count()


def _time(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run(scale: str) -> None:
    from ecplan.core.evaluation import YearMonth
    from ecplan.monitoring.engine import evaluate
    from ecplan.monitoring.services import evaluation_for

    enterprises, first_year = (3000, 2021) if scale == "province" else (100, 2020)
    with transaction.atomic():
        plan, admin = _setup()
        t0 = time.perf_counter()
        if scale == "demo":
            from ecplan.organisations.models import Enterprise

            reports = _demo_city()
            enterprises = Enterprise.objects.filter(is_demo=True).count()
        else:
            _statistics(admin, first_year)
            _bindings(admin)
            _department_reports(admin)
            reports = _enterprises(plan, admin, enterprises, first_year)
        setup = time.perf_counter() - t0
        as_of = YearMonth(2025, 12)
        version = plan.current_version
        # interleaved, so that a busy spell of the (shared) machine hits both alike
        base, ev_time = float("inf"), float("inf")
        counts: Any = None
        ev: Any = None
        for _ in range(REPEAT):
            b, counts = _time(lambda: baseline(plan, as_of), 1)
            e, ev = _time(lambda: evaluate(version, as_of=as_of), 1)
            base, ev_time = min(base, b), min(ev_time, e)
        run_time, stored = _time(
            lambda: evaluation_for(version, as_of=as_of, acting_user=admin, force=True)
        )
        print(
            f"[{scale}] {enterprises} enterprises × {len(range(first_year, 2026)) * 12} months "
            f"= {reports:,} monthly reports; setup {setup:.1f} s; database {connection.vendor}"
        )
        print(f"  baseline aggregation queries: {base:.3f} s  {counts}")
        print(
            f"  evaluate(): {ev_time:.3f} s — {len(ev.targets)} results, {len(ev.areas)} area rows "
            f"— ratio {ev_time / base:.2f}× (target ≤ 3×)"
        )
        print(
            f"  evaluation_for(force=True) (evaluate and store): {run_time:.3f} s — ratio "
            f"{run_time / base:.2f}×; run #{stored.pk}"
        )
        if os.environ.get("ECPLAN_BENCH_PROFILE"):
            import cProfile
            import pstats

            timings: list[tuple[float, str]] = []

            def timed(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
                start = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timings.append((time.perf_counter() - start, sql[:300]))

            profiler = cProfile.Profile()
            with connection.execute_wrapper(timed):
                profiler.enable()
                evaluate(version, as_of=as_of)
                profiler.disable()
            for seconds, sql in sorted(timings, reverse=True)[:12]:
                print(f"{seconds:.3f} s  {sql}")
            pstats.Stats(profiler).sort_stats(
                os.environ.get("ECPLAN_BENCH_PROFILE", "cumulative")
            ).print_stats(40)
        transaction.set_rollback(True)


def main(which: str) -> None:
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, Django {django.get_version()}"
    )
    call_command("migrate", verbosity=0)
    scales = {"both": ("city", "province"), "all": ("demo", "city", "province")}
    for scale in scales.get(which, (which,)):
        run(scale)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "both")

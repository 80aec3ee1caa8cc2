"""Importing a year of enterprise energy reports, against a bare bulk insert of the same rows.

Run: ``.venv/bin/python benchmarks/import_workbook.py [enterprises] [months]`` (default 100 ×
12). Uses a private SQLite database in a temporary data directory (or ``DATABASE_URL``).
Results and the machine are recorded in docs/benchmarks.md.

* workbook: ``enterprises × months`` monthly energy reports in the energy template's
  能源消费 sheet, every carrier of the core's catalogue in every report (carriers without a
  default coefficient carry a measured heating value), quantities as a clerk types them;
* baseline (same run): ``bulk_create`` of the same report, revision and energy-line rows,
  values already parsed — no intake, no reading, no validation, no accounting;
* measured: ``ecplan.reporting.services.import_file`` end to end — file intake checks,
  reading and normalising every cell, every validation rule, the accounting of every report
  on both bases and CO2 with provenance, storage of lines, results and coefficients, the kept
  file and the audit event — in one transaction.
"""

from __future__ import annotations

import io
import os
import platform
import random
import sys
import tempfile
import time

DATA_DIR = tempfile.mkdtemp(prefix="ecplan-bench-import-")
os.environ["ECPLAN_DATA_DIR"] = DATA_DIR
os.environ.setdefault("ECPLAN_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecplan.settings")

import django  # noqa: E402 - the environment above must be set first

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

UNITS = {
    "mass": "吨",
    "volume": "万立方米",
    "electricity": "万千瓦时",
    "heat": "吉焦",
    "standard_coal": "吨标准煤",
}


def _setup(enterprises: int) -> tuple[object, list[str]]:
    from ecplan.accounts.credit_code import make_credit_code
    from ecplan.accounts.testing import grant, make_user
    from ecplan.core.registry import load_registry
    from ecplan.organisations.models import Area, Enterprise, Organisation
    from ecplan.organisations.services import sync_registry

    registry = settings.BASE_DIR / "plans" / "data" / "yangzhou" / "organisations.yaml"
    region = sync_registry(load_registry(registry))
    counties = list(Area.objects.county_level().filter(region=region))
    codes = []
    for i in range(enterprises):
        area = counties[i % len(counties)]
        code = make_credit_code(area.code, f"B{i:07d}")
        Enterprise.objects.create(
            region=region,
            credit_code=code,
            name=f"示例基准企业{i:03d}有限公司",
            area=area,
            key_unit_class="over_10k",
            is_demo=True,
        )
        codes.append(code)
    admin = make_user("bench-admin", full_name="基准测试管理员")
    grant(admin, "plan_admin", Organisation.objects.get(region=region, is_plan_office=True))
    return admin, codes


def _rows(codes: list[str], months: list[str]) -> list[dict[str, object]]:
    from ecplan.core import CARRIERS

    rng = random.Random(20250101)
    needs_lcv = {
        "coal_slime": 12_500.0,
        "converter_gas": 8_000.0,
        "biogas": 21_000.0,
        "fresh_water": None,
    }
    rows = []
    for code in codes:
        base = {c.code: rng.uniform(100, 5000) for c in CARRIERS}
        for month in months:
            for c in CARRIERS:
                if c.code == "fresh_water":
                    continue  # no coefficient and no heating value: a working medium
                # a plausible month: within ±20 % of the enterprise's usual level
                qty = round(base[c.code] * rng.uniform(0.8, 1.2), 2)
                row: dict[str, object] = {
                    "credit_code": code,
                    "period": month,
                    "carrier": c.name_zh,
                    "unit": UNITS[c.dimensions[0].value],
                    "purchased": qty,
                    "consumed": qty,
                    "closing_stock": round(rng.uniform(0, 100), 2),
                }
                if c.feedstock_capable and rng.random() < 0.2:
                    row["feedstock"] = round(qty * 0.3, 2)
                if needs_lcv.get(c.code):
                    row["lcv"] = needs_lcv[c.code]
                rows.append(row)
    return rows


def _workbook(rows: list[dict[str, object]]) -> bytes:
    from ecplan.reporting.formats import ENERGY_SHEET
    from ecplan.tabular import TemplateSheet, write_template

    buf = io.BytesIO()
    write_template(
        buf,
        [
            TemplateSheet(
                ENERGY_SHEET.name,
                [c.template() for c in ENERGY_SHEET.columns],
                rows=rows,
                blank_rows=0,
            )
        ],
        protect=False,
    )
    return buf.getvalue()


def _bare_insert(rows: list[dict[str, object]]) -> float:
    """The same rows, already parsed, straight into the tables (rolled back)."""
    from ecplan.organisations.models import Enterprise
    from ecplan.reporting.models import EnergyLine, Report, Revision
    from ecplan.reporting.periods import Period

    enterprises = {e.credit_code: e for e in Enterprise.objects.all()}
    start = time.perf_counter()
    with transaction.atomic():
        reports: dict[tuple[str, str], Report] = {}
        for row in rows:
            key = (str(row["credit_code"]), str(row["period"]))
            if key not in reports:
                p = Period.parse(key[1])
                reports[key] = Report(
                    report_type="energy",
                    enterprise=enterprises[key[0]],
                    period=key[1],
                    period_kind="month",
                    period_start=p.start,
                    period_end=p.end,
                    year=p.year,
                    version=1,
                )
        Report.objects.bulk_create(reports.values())
        revisions = {k: Revision(report=r, number=1, channel="import") for k, r in reports.items()}
        Revision.objects.bulk_create(revisions.values())
        lines = [
            EnergyLine(
                revision=revisions[(str(row["credit_code"]), str(row["period"]))],
                carrier=str(row["carrier"]),
                carrier_text=str(row["carrier"]),
                unit=str(row["unit"]),
                canonical_unit="t",
                unit_multiplier=1.0,
                purchased=row["purchased"],
                consumed=row["consumed"],
                feedstock=row.get("feedstock"),
                closing_stock=row["closing_stock"],
                purchased_canonical=row["purchased"],
                consumed_canonical=row["consumed"],
                feedstock_canonical=row.get("feedstock"),
                closing_stock_canonical=row["closing_stock"],
                lcv=row.get("lcv"),
            )
            for row in rows
        ]
        EnergyLine.objects.bulk_create(lines, batch_size=2000)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def _raw_insert(rows: list[dict[str, object]]) -> float:
    """The same energy-line rows through the database driver's ``executemany`` (rolled back):
    the floor under any ORM, for information."""
    from ecplan.reporting.models import EnergyLine, Revision

    start = time.perf_counter()
    with transaction.atomic():
        _bare_reports_for(rows)
        revision_ids = list(Revision.objects.values_list("pk", flat=True)[:1])
        table = EnergyLine._meta.db_table
        cols = [
            "revision_id",
            "position",
            "source_sheet",
            "remark",
            "raw",
            "carrier",
            "carrier_text",
            "unit",
            "canonical_unit",
            "unit_multiplier",
            "purchased",
            "consumed",
            "closing_stock",
            "lcv",
            "lcv_unit",
        ]
        params = [
            (
                revision_ids[0],
                i,
                "",
                "",
                "{}",
                str(r["carrier"]) + str(i),
                str(r["carrier"]),
                str(r["unit"]),
                "t",
                1.0,
                r["purchased"],
                r["consumed"],
                r["closing_stock"],
                r.get("lcv"),
                "",
            )
            for i, r in enumerate(rows)
        ]
        marks = ", ".join(["%s"] * len(cols))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({marks})", params)
        elapsed = time.perf_counter() - start
        transaction.set_rollback(True)
    return elapsed


def _bare_reports_for(rows: list[dict[str, object]]) -> None:
    from ecplan.organisations.models import Enterprise
    from ecplan.reporting.models import Report, Revision
    from ecplan.reporting.periods import Period

    e = Enterprise.objects.first()
    p = Period.parse(str(rows[0]["period"]))
    report = Report.objects.create(
        report_type="energy",
        enterprise=e,
        period=str(p),
        period_kind="month",
        period_start=p.start,
        period_end=p.end,
        year=p.year,
        version=1,
    )
    Revision.objects.create(report=report, number=1, channel="import")


def main(enterprises: int, months_count: int) -> None:
    call_command("migrate", verbosity=0)
    admin, codes = _setup(enterprises)
    months = [f"2024-{m:02d}" for m in range(1, months_count + 1)]
    rows = _rows(codes, months)
    data = _workbook(rows)
    print(
        f"workbook: {enterprises} enterprises × {months_count} months, {len(rows):,} rows, "
        f"{len(data) / 1024 / 1024:.1f} MB; database {connection.vendor}"
    )

    from ecplan.reporting.models import EnergyLine, EnergyResult
    from ecplan.reporting.services import import_file

    baseline = min(_bare_insert(rows) for _ in range(2))
    raw = _raw_insert(rows)
    start = time.perf_counter()
    outcome = import_file(
        data,
        acting_user=admin,
        filename="基准.xlsx",
        channel="cli",
        confirm_warnings=True,
        state="approved",
        reason="基准测试",
    )
    measured = time.perf_counter() - start
    assert outcome.stored, outcome.issues.to_text(limit=20)
    assert EnergyLine.objects.count() == len(rows)
    assert EnergyResult.objects.count() == enterprises * months_count
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )
    print(f"baseline (bare bulk insert of the same rows): {baseline:.2f} s")
    print(f"  for information, the driver's executemany of the line rows alone: {raw:.2f} s")
    print(f"import_file (intake, reading, validation, accounting, storage): {measured:.2f} s")
    print(f"ratio: {measured / baseline:.1f}× (target ≤ 5×)")
    codes: dict[str, int] = {}
    for w in outcome.issues.warnings:
        codes[w.code] = codes.get(w.code, 0) + 1
    print(f"warnings confirmed: {outcome.issues.warning_count} {codes}")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*(args + [100, 12][len(args) :]))

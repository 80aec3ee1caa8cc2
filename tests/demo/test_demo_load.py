"""Loading the demo city through the data-collection services (and ``serve --demo``)."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest

from ecplan.cli import main
from ecplan.demo import generate_city
from ecplan.demo.model import DemoCity
from ecplan.demo.periods import Month
from ecplan.organisations.models import Enterprise, Installation
from ecplan.reporting import services
from ecplan.reporting.demo import (
    LOADER_USERNAME,
    DemoLoadError,
    load_city,
    loader_user,
    to_records,
    write_import_files,
)
from ecplan.reporting.models import EnergyLine, IndicatorValue, Report, StatisticLine

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def quarter() -> DemoCity:
    return generate_city(start=Month(2025, 1), end=Month(2025, 3))


def _counts() -> dict[str, int]:
    return {
        "enterprises": Enterprise.objects.filter(is_demo=True).count(),
        "installations": Installation.objects.filter(is_demo=True).count(),
        "reports": Report.objects.count(),
        "energy_lines": EnergyLine.objects.count(),
        "statistic_lines": StatisticLine.objects.count(),
        "indicator_values": IndicatorValue.objects.count(),
    }


def test_load_stores_everything_marked_as_demo_data(quarter: DemoCity) -> None:
    summary = load_city(quarter)
    records = to_records(quarter)
    counts = _counts()
    assert counts["enterprises"] == len(quarter.enterprises) == 100
    assert counts["installations"] == len(quarter.installations)
    energy_reports = sum(len(batch) for batch in records.energy.values())
    assert Report.objects.filter(report_type="energy").count() == energy_reports == 300
    assert Report.objects.filter(is_demo=False).count() == 0
    assert counts["energy_lines"] == sum(len(r.lines) for b in records.energy.values() for r in b)
    assert Report.objects.filter(report_type="statistics").count() == 7  # city + 6 areas, Q1
    assert counts["statistic_lines"] > 100
    for report in Report.objects.all():
        assert report.revisions.latest("number").state == "approved"
    from ecplan.web.models import Instance

    assert Instance.current().is_demo  # pages show the 演示数据 banner
    user = loader_user()
    assert user.username == LOADER_USERNAME
    assert user.is_demo
    assert not user.has_usable_password()
    assert "企业 100 家" in str(summary)


def test_loading_again_changes_nothing(quarter: DemoCity) -> None:
    load_city(quarter)
    before = _counts()
    summary = load_city(quarter)
    assert _counts() == before
    assert "新建报表" not in str(summary)


def test_a_refused_record_stores_nothing(quarter: DemoCity) -> None:
    broken = dataclasses.replace(quarter)
    bad = dataclasses.replace(quarter.energy_reports[-1], carrier_name="不存在的能源")
    broken.energy_reports = [*quarter.energy_reports[:-1], bad]
    with pytest.raises(DemoLoadError, match="不存在的能源"):
        load_city(broken)
    assert _counts()["enterprises"] == 0
    assert Report.objects.count() == 0


def test_refused_under_production_settings(quarter: DemoCity, settings: Any) -> None:
    settings.ECPLAN_DEMO_ALLOWED = False
    with pytest.raises(DemoLoadError, match="生产环境"):
        load_city(quarter)
    assert _counts()["enterprises"] == 0


def test_the_cli_loads_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo-data", "--load", "--from", "2025-11", "--to", "2025-12"]) == 0
    out = capsys.readouterr().out
    assert "已载入演示数据" in out
    assert "2025年企业能源月报" in out
    # 99: the small coal CHP closed in 2025-06 and no longer reports
    assert Report.objects.filter(report_type="energy", period="2025-12").count() == 99
    assert main(["demo-data", "--load", "--from", "2025-12", "--as", "nobody"]) == 1
    assert "用户“nobody”不存在" in capsys.readouterr().err


def test_serve_demo_loads_the_city_before_the_accounts(
    quarter: DemoCity, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ecplan.accounts.demo import demo_accounts
    from ecplan.plans.services import load_shipped_plans
    from ecplan.web.demo import DEMO_STEPS, enable_demo

    assert DEMO_STEPS.index("ecplan.reporting.demo.load_demo_city") < DEMO_STEPS.index(
        "ecplan.accounts.demo.create_demo_accounts"
    )
    settings.ECPLAN_DEMO_CITY = True
    monkeypatch.setattr("ecplan.demo.generate_city", lambda: quarter)
    load_shipped_plans()
    out = io.StringIO()
    assert enable_demo(out)
    assert "已载入演示数据" in out.getvalue()
    assert Enterprise.objects.filter(is_demo=True).count() == 100  # no fallback enterprise
    enterprise_user = next(a for a in demo_accounts() if a["role"] == "enterprise_reporter")
    names = {e.name for e in Enterprise.objects.filter(area__code="321081", is_demo=True)}
    assert enterprise_user["scope"] in names
    assert not enable_demo(io.StringIO())  # once


def test_the_import_files_go_through_the_importer(quarter: DemoCity, tmp_path: Path) -> None:
    """`ecplan demo-data --out` round trip: every import workbook is accepted and stores
    what the loader stores."""
    from ecplan.plans.services import load_shipped_plans

    load_shipped_plans()
    user = loader_user()
    services.sync_indicator_assignments("yangzhou-2025", acting_user=user, frequency="year")
    paths = write_import_files(quarter, tmp_path)
    assert [p.name for p in paths] == [
        "演示数据-导入-企业与装置名录.xlsx",
        "演示数据-导入-企业能源月报-2025Q1.xlsx",
        "演示数据-导入-统计数据.xlsx",
        "演示数据-导入-部门指标.xlsx",
    ]
    for path in paths:
        result = services.import_file(
            path, acting_user=user, confirm_warnings=True, state="approved", channel="cli"
        )
        assert result.stored, (
            path.name,
            [i for i in result.issues.to_text().splitlines() if "错误" in i][:5],
        )
    records = to_records(quarter)
    counts = _counts()
    assert Enterprise.objects.count() == len(records.enterprises)
    assert Installation.objects.count() == len(records.installations)
    energy = [r for batch in records.energy.values() for r in batch]
    assert counts["reports"] == len(energy) + len(records.statistics) + len(records.indicators)
    assert counts["energy_lines"] == sum(len(r.lines) for r in energy)
    assert counts["statistic_lines"] == sum(len(r.lines) for r in records.statistics)
    # an import file has no 演示数据 column: rows imported from files are not marked as demo
    # data (the loader marks them); see docs/demo-data.md
    assert not Enterprise.objects.filter(is_demo=True).exists()


@pytest.mark.slow
def test_the_whole_demo_city_loads(city: DemoCity) -> None:
    """All 72 months, every statistics period and every department report are accepted."""
    summary = load_city(city)
    records = to_records(city)
    energy = sum(len(batch) for batch in records.energy.values())
    assert Report.objects.filter(report_type="energy").count() == energy > 6900
    assert Report.objects.filter(report_type="statistics").count() == 7 * 6 * 5
    assert Report.objects.filter(report_type="indicator").count() == len(records.indicators)
    assert StatisticLine.objects.filter(item="separately_listed_tce").exists()
    assert IndicatorValue.objects.filter(indicator="unit_closure_status").exists()
    assert "2020年企业能源月报" in str(summary)
    assert "2025年企业能源月报" in str(summary)

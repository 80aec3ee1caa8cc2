"""``ecplan evaluate`` and ``ecplan binding-targets``: acting user, scope, JSON contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ecplan.audit.models import AuditEvent
from ecplan.cli import main
from ecplan.monitoring.models import BindingTarget, EvaluationRun


def _json(capsys: Any) -> dict[str, Any]:
    return json.loads(capsys.readouterr().out)


def test_evaluate_without_a_user_runs_read_only_but_changes_need_one(
    city: Any, energy: None, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ECPLAN_USER", raising=False)
    assert main(["evaluate", "--as-of", "2025-09", "--format", "json"]) == 0
    data = _json(capsys)
    assert {d["district"] for d in data["districts"]}  # the whole city is visible
    assert EvaluationRun.objects.get().created_by.username == "cli-operator"
    assert main(["binding-targets", "set", "扬州市", "能耗强度降低", "14%"]) == 1
    assert "--as" in capsys.readouterr().err


def test_evaluate_json_contract(city: Any, energy: None, capsys: Any) -> None:
    assert main(["evaluate", "--as-of", "2025-09", "--format", "json", "--as", "t-plan_admin"]) == 0
    data = _json(capsys)
    assert data["plan"] == {
        "id": "yangzhou-2025",
        "version": "v1",
        "status": "征求意见稿",
        "title": "扬州市2025年节能降碳行动计划",
    }
    assert data["as_of"] == "2025-09"
    assert data["preview"] is False
    assert data["run"]["id"] == EvaluationRun.objects.get().pk
    for t in data["targets"]:
        for key in (
            "id",
            "indicator",
            "unit",
            "value",
            "target",
            "comparator",
            "status",
            "warning_level",
            "trail",
        ):
            assert key in t, (t["id"], key)
        assert t["status"] in ("已完成", "进度正常", "滞后", "严重滞后", "无数据", "目标未设定")
        assert t["trail"]["title"]
    by_id = {t["id"]: t for t in data["targets"]}
    assert by_id["nonfossil-share-2025"]["indicator"] == "nonfossil_share"
    assert by_id["nonfossil-share-2025"]["unit"] == "fraction"
    assert by_id["fyp14-energy-intensity"]["warning_level"] == 3
    assert by_id["coal-share-primary-2025"]["warning_level"] is None
    districts = {d["district"]: d for d in data["districts"]}
    assert set(districts) == {"广陵区", "邗江区", "江都区", "宝应县", "仪征市", "高邮市"}
    yz = districts["仪征市"]
    for key in ("district", "period", "intensity_change", "required_reduction", "warning_level"):
        assert key in yz
    assert yz["period"] == "2025-Q2"
    assert yz["warning_level"] == 3
    assert yz["trail"]["children"], "the warning explains itself down to the statistics"
    assert districts["高邮市"]["warning_level"] is None
    assert districts["高邮市"]["missing_reason"]
    assert data["city"]["district"] == "扬州市"
    # evaluating again with the same data reuses the stored run
    assert main(["evaluate", "--as-of", "2025-09", "--format", "json", "--as", "t-plan_admin"]) == 0
    assert _json(capsys)["run"]["id"] == data["run"]["id"]
    assert AuditEvent.objects.filter(action="evaluate").count() == 1


def test_evaluate_output_is_scoped_to_the_acting_user(city: Any, capsys: Any) -> None:
    assert main(["evaluate", "--as-of", "2025-06", "--format", "json", "--as", "t-area_user"]) == 0
    data = _json(capsys)
    # 邗江区's user: the city's binding targets and warnings, its own area, no other area
    assert {t["id"] for t in data["targets"]} <= {
        "binding:energy_intensity_change_new_basis:321000",
        "binding:co2_intensity_change:321000",
        "binding:nonfossil_share:321000",
    }
    assert [d["district"] for d in data["districts"]] == ["邗江区"]
    assert data["city"]["district"] == "扬州市"
    assert {b["district"] for b in data["barometer"]} <= {"扬州市", "邗江区"}
    # enterprise users see no evaluation
    assert main(["evaluate", "--as-of", "2025-06", "--as", "t-enterprise"]) == 1
    assert "无权" in capsys.readouterr().err


def test_evaluate_table_and_bad_month(city: Any, capsys: Any) -> None:
    assert main(["evaluate", "--as-of", "2025-06", "--as", "t-leader"]) == 0
    out = capsys.readouterr().out
    assert "非化石能源消费占比" in out
    assert "仪征市" in out
    assert "三级（绿）" in out
    assert main(["evaluate", "--as-of", "2025-13", "--as", "t-leader"]) == 1
    assert "--as-of" in capsys.readouterr().err


def test_binding_targets_command(plan: Any, tmp_path: Path, capsys: Any) -> None:
    assert (
        main(["binding-targets", "set", "扬州市", "能耗强度降低", "14%", "--as", "t-plan_admin"])
        == 0
    )
    assert "新增 1 项" in capsys.readouterr().out
    assert (
        main(["binding-targets", "set", "扬州市", "能耗强度降低", "14%", "--as", "t-leader"]) == 1
    )
    assert "计划管理部门" in capsys.readouterr().err
    path = tmp_path / "targets.csv"
    path.write_text(
        "地区,指标,数值,基期年份,目标年份,依据\n"
        "仪征市,单位GDP能耗降低,12%,2020,2025,测试\n"
        "扬州经济技术开发区,单位GDP能耗降低,15%,2020,2025,测试\n",
        encoding="utf-8",
    )
    assert main(["binding-targets", "import", str(path), "--as", "t-plan_admin"]) == 1
    err = capsys.readouterr().err
    assert "第 3 行" in err
    assert "功能区" in err
    assert BindingTarget.objects.count() == 1  # the bad file stored nothing
    assert main(["binding-targets", "list", "--format", "json", "--as", "t-leader"]) == 0
    rows = _json(capsys)
    assert rows[0]["area"] == "扬州市"
    assert rows[0]["revisions"][0]["value"] == "0.14"

"""``ecplan import`` / ``export`` / ``template`` / ``restate``: exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ecplan.accounts.testing import World
from ecplan.audit.models import AuditEvent
from ecplan.cli import main
from ecplan.reporting.models import Report

from .builders import energy_file, energy_row


def _write(tmp_path: Path, data: bytes, name: str = "report.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_import_needs_an_acting_user(
    world: World, tmp_path: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ECPLAN_USER", raising=False)
    path = _write(tmp_path, energy_file([]))
    assert main(["import", str(path)]) == 1
    assert "--as" in capsys.readouterr().err


def test_import_a_bad_file_exits_1_with_every_error_and_stores_nothing(
    world: World, month: str, tmp_path: Path, capsys: Any
) -> None:
    code = world.e_yizheng.credit_code
    path = _write(
        tmp_path,
        energy_file(
            [
                energy_row(code, month, "烟煤", "吨", consumed=10),
                energy_row(code, month, "神秘燃料", "吨", consumed=10),
                energy_row(code, month, "柴油", "吨", consumed="十"),
            ]
        ),
    )
    assert main(["import", str(path), "--as", "t-enterprise"]) == 1
    err = capsys.readouterr().err
    assert "第 3 行 D 列" in err
    assert "神秘燃料" in err
    assert "第 4 行 G 列" in err
    assert Report.objects.count() == 0


def test_dry_run_reports_what_would_change(
    world: World, month: str, tmp_path: Path, capsys: Any
) -> None:
    code = world.e_yizheng.credit_code
    path = _write(tmp_path, energy_file([energy_row(code, month, "烟煤", "吨", consumed=10)]))
    assert main(["import", str(path), "--as", "t-enterprise", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "试运行" in out
    assert "新建报表 1 份" in out
    assert Report.objects.count() == 0
    assert main(["import", str(path), "--as", "t-enterprise", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["stored"] is True
    assert data["counts"]["created"] == 1
    assert Report.objects.count() == 1


def test_warnings_need_confirm_warnings(
    world: World, month: str, tmp_path: Path, capsys: Any
) -> None:
    from ecplan.reporting.periods import Period

    code = world.e_yizheng.credit_code
    before = str(Period.parse(month).previous())
    path = _write(
        tmp_path,
        energy_file(
            [
                energy_row(code, before, "烟煤", "吨", consumed=10),
                energy_row(code, month, "烟煤", "吨", consumed=1000),
            ]
        ),
    )
    assert main(["import", str(path), "--as", "t-plan_admin"]) == 2
    assert "--confirm-warnings" in capsys.readouterr().err
    assert Report.objects.count() == 0
    assert main(["import", str(path), "--as", "t-plan_admin", "--confirm-warnings"]) == 0
    assert Report.objects.count() == 2


def test_export_to_stdout_and_file(
    world: World, month: str, tmp_path: Path, capsysbinary: Any
) -> None:
    code = world.e_yizheng.credit_code
    path = _write(tmp_path, energy_file([energy_row(code, month, "烟煤", "吨", consumed=10)]))
    assert main(["import", str(path), "--as", "t-enterprise"]) == 0
    capsysbinary.readouterr()
    assert main(["export", "energy-reports", "--format", "xlsx", "--as", "t-enterprise"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"PK\x03\x04")
    assert (
        main(
            [
                "export",
                "energy-reports",
                "--format",
                "csv",
                "--period",
                month,
                "--as",
                "t-enterprise",
            ]
        )
        == 0
    )
    text = capsysbinary.readouterr().out.decode("utf-8-sig")
    assert code in text
    out = tmp_path / "e.json"
    assert (
        main(["export", "enterprises", "--format", "json", "-o", str(out), "--as", "t-area_user"])
        == 0
    )
    names = {r["name"] for r in json.loads(out.read_text())["sheets"][0]["rows"]}
    assert names == {world.e_zone.name}
    assert AuditEvent.objects.filter(action="export").count() == 3


def test_export_without_a_user_runs_as_the_read_only_operator(
    world: World, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ECPLAN_USER", raising=False)
    assert main(["export", "enterprises", "--format", "json"]) == 0
    names = {r["name"] for r in json.loads(capsys.readouterr().out)["sheets"][0]["rows"]}
    assert world.e_zone.name in names
    assert world.e_yizheng.name in names  # the whole city: 领导 scope, read only
    event = AuditEvent.objects.get(action="export")
    assert event.actor is not None
    assert event.actor.username == "cli-operator"
    operator = event.actor
    assert not operator.has_usable_password()  # cannot log in to the web
    assert [a.role for a in operator.role_assignments.all()] == ["leader"]


def test_export_refuses_an_unknown_period(world: World, capsys: Any) -> None:
    assert main(["export", "statistics", "--period", "去年", "--as", "t-leader"]) == 1
    assert "期间" in capsys.readouterr().err


def test_template_and_restate(world: World, tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["template", "energy", "-o", str(out), "--as", "t-enterprise"]) == 0
    assert out.read_bytes().startswith(b"PK")
    capsys.readouterr()
    assert main(["restate", "--reason", "测试", "--as", "t-enterprise"]) == 1
    assert "只有计划管理员" in capsys.readouterr().err
    assert main(["restate", "--reason", "测试", "--as", "t-plan_admin"]) == 0
    assert "检查 0 份" in capsys.readouterr().out


def test_an_unknown_user(world: World, tmp_path: Path, capsys: Any) -> None:
    path = _write(tmp_path, energy_file([]))
    assert main(["import", str(path), "--as", "nobody"]) == 1
    assert "不存在" in capsys.readouterr().err

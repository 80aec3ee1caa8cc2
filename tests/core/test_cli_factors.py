"""``ecplan factors list|show|load`` through the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ecplan.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["factors", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_kinds_sets_and_uncertain_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "电网CO2排放因子（grid_co2）" in out
    assert "mee-grid-co2-2023 v1  内置  发布 2025-12-31  40 行" in out
    assert "nbs-statistical-coefficients v1" in out
    assert "其中未确认 11 行" in out
    assert "供热煤耗率" in out
    assert "尚无因子集" in out
    assert "载入的因子集保存在：" in out


def test_show_lists_rows_with_sources_and_flags(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "nbs-statistical-coefficients")
    assert code == 0
    assert "来源文件：" in out
    assert "【未确认】型煤：0.6000 tce/t" in out
    assert "其他取值：0.5000 tce/t" in out
    assert "转炉煤气：（不设默认值）" in out
    code, out, _ = run(capsys, "show", "mee-grid-co2-2023@1", "--format", "csv")
    assert out.startswith("row_id,year,region,basis,value,unit")
    code, out, _ = run(capsys, "show", "gbt32150-2025-heat", "--format", "json")
    assert '"digest"' in out
    assert "0.11" in out


def test_show_unknown_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "nope")
    assert code == 1
    assert "错误：没有因子集 nope" in err


def test_load_stores_and_becomes_current(
    capsys: pytest.CaptureFixture[str], example_dir: Path, data_dir: Path
) -> None:
    path = str(example_dir / "example-grid-co2-2024" / "manifest.yaml")
    code, out, _ = run(capsys, "load", path, "--dry-run")
    assert code == 0
    assert "校验通过" in out
    assert not (data_dir / "factor-sets").exists()
    code, out, _ = run(capsys, "load", path)
    assert code == 0
    assert "已载入因子集 example-grid-co2-2024 版本 1（4 行，其中未确认 4 行）" in out
    assert str(data_dir / "factor-sets") in out
    assert out.index("example-grid-co2-2024 v1（已载入）") < out.index("mee-grid-co2-2023 v1")
    code, out, _ = run(capsys, "load", path)
    assert "已存在且内容相同" in out
    code, out, _ = run(capsys, "list", "--kind", "grid_co2")
    assert "example-grid-co2-2024 v1  已载入" in out


def test_load_reports_every_problem_and_stores_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schema_version: 1\nid: bad-set\nversion: '1'\nkind: heat_co2\ntitle: 坏文件\n"
        "documents: [{key: d, title: t}]\n"
        "rows:\n  - {row_id: H, value: 0.11, unit: tCO2/kWh, confidence: uncertain}\n"
        "  - {row_id: H, value: 11, unit: tCO2/GJ, confidence: 未确认}\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "load", str(bad))
    assert code == 1
    assert "因子集文件有错误，未载入" in err
    assert "第 1 行 “unit”列" in err
    assert "第 2 行" in err
    assert "超出合理范围" in err
    assert not (data_dir / "factor-sets" / "bad-set").exists()


def test_factors_command_needs_no_django(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from ecplan.cli import main\n"
        "rc = main(['factors', 'list'])\n"
        "assert 'django.conf' not in sys.modules, 'Django was imported'\n"
        "sys.exit(rc)\n"
    )
    env = {**os.environ, "ECPLAN_DATA_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert "因子集" in out.stdout


def test_list_reports_a_set_edited_in_place(
    capsys: pytest.CaptureFixture[str], example_dir: Path
) -> None:
    from ecplan.core import store_factor_set

    stored = store_factor_set(example_dir / "example-grid-co2-2024").path
    rows = stored / "rows.csv"
    rows.write_text(rows.read_text(encoding="utf-8").replace("0.5200", "0.5300"), encoding="utf-8")
    code, out, _ = run(capsys, "list")
    assert code == 1
    assert "以下载入的因子集无法使用" in out
    assert "被修改过" in out

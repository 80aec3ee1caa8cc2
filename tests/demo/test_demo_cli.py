"""`ecplan demo-data` through the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ecplan.cli import main


def test_out_writes_the_files_without_django(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from ecplan.cli import main\n"
        f"rc = main(['demo-data', '--out', {str(tmp_path)!r}, '--no-workbook', '--from', '2025-01', '--to', '2025-06'])\n"
        "assert rc == 0\n"
        "assert 'django.conf' not in sys.modules, 'Django was imported'\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "演示数据" in out.stdout
    assert "2025-01 至 2025-06" in out.stdout
    assert (tmp_path / "演示数据-能源消费-长表.csv").exists()
    assert not (tmp_path / "演示数据-扬州市.xlsx").exists()


def test_summary_prints_the_demo_values_of_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo-data", "--summary"]) == 0
    text = capsys.readouterr().out
    assert "非化石能源消费占比" in text
    assert "目标 20%左右" in text
    assert "晴雨表" in text
    assert "仪征市" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["demo-data"], "请指定 --out DIR"),
        (["demo-data", "--summary", "--from", "2025-13"], "--from：年月“2025-13”不是有效的月份"),
        (["demo-data", "--summary", "--to", "2026-03"], "演示数据只覆盖 2020-01 至 2025-12"),
        (["demo-data", "--summary", "--enterprises", "10"], "企业数 10 超出范围"),
        (["demo-data", "--scale", "province", "--load"], "不能 --load"),
    ],
)
def test_bad_requests_exit_2_with_a_chinese_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_province_scale_writes_long_table_and_city_totals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc = main(["demo-data", "--scale", "province", "--enterprises", "40", "--from", "2025-01",
               "--to", "2025-03", "--out", str(tmp_path)])  # fmt: skip
    assert rc == 0
    assert "2400 行" in capsys.readouterr().out  # 40 × 3 × 20
    lines = (tmp_path / "演示数据-全省能源消费-长表.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "主体,期间,能源品种,数量,单位,用途"
    assert len(lines) == 2401

"""``ecplan plan show`` and ``ecplan plan validate``: no database, Chinese output, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from plan_testdata import LINHU_PLAN, YANGZHOU_PLAN

SHOW_WITHOUT_DJANGO = """
import sys
from ecplan.cli import main
code = main(sys.argv[1:])
assert not any(m == "django" or m.startswith("django.") for m in sys.modules), "Django was imported"
sys.exit(code)
"""


def ecplan(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", SHOW_WITHOUT_DJANGO, *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_show_json_has_the_promised_shape_without_starting_django() -> None:
    out = ecplan("plan", "show", "yangzhou-2025", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"id", "title", "status", "sections", "tasks", "targets", "milestones", "rules"} <= set(
        data
    )
    assert (data["id"], data["title"], data["status"]) == (
        "yangzhou-2025",
        "扬州市2025年节能降碳行动计划",
        "征求意见稿",
    )
    assert len(data["tasks"]) == 13
    for task in data["tasks"]:
        assert {"number", "title", "responsibility", "targets"} <= set(task)
    target_keys = {
        "id", "indicator", "unit", "comparator", "direction", "value", "tolerance", "baseline_year",
        "baseline_stated", "deadline", "aspirational", "responsibility", "state", "source_quote",
    }  # fmt: skip
    assert len(data["targets"]) >= 25
    for target in data["targets"]:
        assert target_keys <= set(target), target_keys - set(target)
    known = {t["id"] for t in data["targets"]}
    assert all(ref in known for task in data["tasks"] for ref in task["targets"])
    assert len(data["milestones"]) >= 10
    assert len(data["rules"]) >= 10
    assert all("source_quote" in x for x in data["milestones"] + data["rules"])


def test_show_defaults_and_table_format() -> None:
    out = ecplan("plan", "show")  # the only shipped plan
    assert out.returncode == 0, out.stderr
    assert "扬州市2025年节能降碳行动计划（征求意见稿）" in out.stdout
    assert "重点任务（13 项）" in out.stdout
    assert "≥ 20%（左右）" in out.stdout
    assert "平台设置，非文本规定" in out.stdout


def test_show_unknown_plan() -> None:
    out = ecplan("plan", "show", "nanjing-2030")
    assert out.returncode == 1
    assert "没有标识为“nanjing-2030”的计划" in out.stderr
    assert "yangzhou-2025" in out.stderr


def test_validate_good_files() -> None:
    for path in (YANGZHOU_PLAN, LINHU_PLAN):
        out = ecplan("plan", "validate", str(path))
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith("校验通过")
    out = ecplan("plan", "validate", str(YANGZHOU_PLAN))
    assert (
        "任务 13 项，分解表 13 行；目标 25 个（其中目标未设定 3 个），里程碑 12 个，规则 12 条"
        in out.stdout
    )


def test_validate_bad_file_exits_1_with_all_errors(broken_copy: Callable[..., Path]) -> None:
    path = broken_copy(
        ("    value: 39\n", "    value: 三十九\n"),
    )
    out = ecplan("plan", "validate", str(path))
    assert out.returncode == 1
    assert out.stdout == ""
    assert "校验未通过" in out.stderr
    assert "targets[9].value：应为数字（实际为 '三十九'）" in out.stderr


def test_validate_quote_and_department_errors(broken_copy: Callable[..., Path]) -> None:
    path = broken_copy(
        (
            "    source_quote: 全市综合发电效率达到290克标准煤/千瓦时\n",
            "    source_quote: 全市综合发电效率达到290克/千瓦时\n",
        ),
        ("          departments: [市交通局]", "          departments: [市交通厅]"),
    )
    out = ecplan("plan", "validate", str(path))
    assert out.returncode == 1
    assert (
        "targets[8].source_quote：目标 generation-coal-rate-2025 的 source_quote 在计划文本 yangzhou-2025.txt 中找不到原文"
        in out.stderr
    )
    assert "table.groups[4].rows[0].departments[0]：未知部门“市交通厅”" in out.stderr


def test_help_is_chinese() -> None:
    out = ecplan("plan", "--help")
    assert "查看、校验" in out.stdout
    assert "validate" in out.stdout

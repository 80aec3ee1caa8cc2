"""Malformed plan files are refused with every problem named: file, path inside it, what is
wrong — in Chinese — and nothing is loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ecplan.core.datafile import DataFileError
from ecplan.core.plan import load_plan

NONFOSSIL = """  - id: nonfossil-share-2025
    name: 非化石能源消费占比
    indicator: nonfossil_share
    subject: 全市
    kind: share
    unit: "%"
    value: 20
"""


def refused(path: Path) -> DataFileError:
    with pytest.raises(DataFileError) as err:
        load_plan(path)
    assert err.value.file == str(path.resolve())
    assert str(path.resolve()) in str(err.value)
    return err.value


def problem(err: DataFileError, location: str) -> str:
    """The message reported at ``location`` (fails if there is none)."""
    found = [msg for loc, msg in err.problems if loc == location]
    assert found, f"no problem at {location}; got {err.problems}"
    return found[0]


def test_wrong_type(broken_copy: Callable[..., Path]) -> None:
    err = refused(broken_copy((NONFOSSIL, NONFOSSIL.replace("value: 20", "value: 二十"))))
    assert "应为数字" in problem(err, "targets[0].value")
    assert "二十" in problem(err, "targets[0].value")


def test_wrong_type_list_instead_of_mapping(broken_copy: Callable[..., Path]) -> None:
    err = refused(
        broken_copy(('  region: {code: "321000", name: 扬州市}', "  region: [321000, 扬州市]"))
    )
    assert "应为映射" in problem(err, "plan.region")


def test_missing_field(broken_copy: Callable[..., Path]) -> None:
    err = refused(
        broken_copy((NONFOSSIL, NONFOSSIL.replace("    indicator: nonfossil_share\n", "")))
    )
    assert problem(err, "targets[0].indicator") == "缺少必填字段"


def test_unknown_field_is_refused(broken_copy: Callable[..., Path]) -> None:
    err = refused(
        broken_copy(
            (NONFOSSIL, NONFOSSIL.replace('    unit: "%"\n', '    unit: "%"\n    unti: "%"\n'))
        )
    )
    assert "不认识的字段" in problem(err, "targets[0].unti")


def test_quote_not_in_text(broken_copy: Callable[..., Path]) -> None:
    err = refused(
        broken_copy(
            (
                "    source_quote: 煤炭占一次能源消费比重下降至50%左右\n",
                "    source_quote: 煤炭占一次能源消费比重下降到50%左右\n",
            )
        )
    )
    msg = problem(err, "targets[6].source_quote")
    assert "coal-share-primary-2025" in msg
    assert "yangzhou-2025.txt 中找不到原文" in msg
    assert "煤炭占一次能源消费比重下降到50%左右" in msg
    assert "原样复制" in msg


def test_half_width_punctuation_in_a_quote_is_caught(broken_copy: Callable[..., Path]) -> None:
    err = refused(
        broken_copy(
            (
                "    source_quote: 2025年，服务业能耗增速不高于其增加值增速\n",
                "    source_quote: 2025年,服务业能耗增速不高于其增加值增速\n",
            )
        )
    )
    assert "找不到原文" in problem(err, "targets[14].source_quote")


def test_number_not_in_quote(broken_copy: Callable[..., Path]) -> None:
    err = refused(broken_copy((NONFOSSIL, NONFOSSIL.replace("value: 20", "value: 25"))))
    msg = problem(err, "targets[0].value")
    assert "数值 25 未出现在其原文" in msg
    # The goals section, task 3 and table row 3 all state 20, not 25.
    assert any(
        "数值 25 未出现在此处引用的原文" in m for loc, m in err.problems if loc.startswith("table")
    )


def test_unknown_department_misspelt(broken_copy: Callable[..., Path]) -> None:
    err = refused(
        broken_copy(("          departments: [市数据局]", "          departments: [市大数据局]"))
    )
    msg = problem(err, "table.groups[2].rows[1].departments[0]")
    assert "未知部门“市大数据局”" in msg
    assert "organisations.yaml" in msg


def test_unknown_department_missing_from_registry(broken_copy: Callable[..., Path]) -> None:
    # The plan is right, but the registry no longer knows the abbreviation 生态环境局.
    path = broken_copy(registry_edits=(("aliases: [生态环境局]", "aliases: []"),))
    err = refused(path)
    msg = problem(err, "sections[1].sections[0].tasks[0].responsibility.cooperating")
    assert msg.startswith("未知部门“生态环境局”")


def test_comparator_contradicting_the_wording(broken_copy: Callable[..., Path]) -> None:
    pta = '    value: 30\n    comparator: ">"\n    direction: higher_is_better\n    deadline: 2025年底\n    source_quote: 到2025年底，PTA、烧碱行业能效标杆水平以上产能占比超过30%\n    wording: 超过30%\n    notes: 原文“PTA、烧碱行业”合写一个目标，PTA与烧碱分别计算、分别评价（'
    err = refused(broken_copy((pta, pta.replace('comparator: ">"', 'comparator: ">="'))))
    msg = problem(err, "targets[12].comparator")
    assert "超过" in msg
    assert "比较符为 >" in msg


def test_dangling_reference_and_duplicate_id(broken_copy: Callable[..., Path]) -> None:
    err = refused(
        broken_copy(
            (
                "              - nonfossil-generation-share-2025\n",
                "              - nonfossil-generation-share-2052\n",
            ),
            ("  - id: power-coal-share-2025\n", "  - id: coal-share-primary-2025\n"),
        )
    )
    assert "不存在的目标 nonfossil-generation-share-2052（悬空引用）" in problem(
        err, "sections[1].sections[0].tasks[1].targets[0]"
    )
    assert "目标标识 coal-share-primary-2025 重复" in problem(err, "targets[7].id")
    # All problems of a file are reported together, not only the first.
    assert len(err.problems) >= 3


def test_section_label_must_denote_its_number(broken_copy: Callable[..., Path]) -> None:
    err = refused(broken_copy(("        label: （三）\n", "        label: （八）\n")))
    assert "表示 8，与 number 3 不一致" in problem(err, "sections[1].sections[2].label")


def test_unset_target_may_not_get_an_invented_value(broken_copy: Callable[..., Path]) -> None:
    placeholder = "    unit: 万平方米\n    value: null\n"
    err = refused(broken_copy((placeholder, "    unit: 万平方米\n    value: 1000\n")))
    assert "not_set" in problem(err, "targets[15]")


def test_inferred_baseline_cannot_be_claimed_as_stated(broken_copy: Callable[..., Path]) -> None:
    pi = '    value: -6\n    comparator: "<="\n    direction: lower_is_better\n    baseline_year: 2020\n    baseline_stated: false\n'
    err = refused(broken_copy((pi, pi.replace("baseline_stated: false", "baseline_stated: true"))))
    assert "基期 2020 年未出现在原文中" in problem(err, "targets[20].baseline_year")


def test_yaml_syntax_error_names_line(tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text("format: ecplan-plan\nplan: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_plan(bad)
    assert "YAML 语法错误" in str(err.value)
    assert "第 " in str(err.value)


def test_not_a_plan_file(tmp_path: Path) -> None:
    other = tmp_path / "x.yaml"
    other.write_text("schema_version: 1\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        load_plan(other)
    assert "不是行动计划文件" in str(err.value)


def test_missing_text_file(broken_copy: Callable[..., Path]) -> None:
    path = broken_copy(("  text_file: yangzhou-2025.txt", "  text_file: yangzhou-2052.txt"))
    err = refused(path)
    assert "计划文本文件" in problem(err, "plan.text_file")
    assert "不存在" in problem(err, "plan.text_file")

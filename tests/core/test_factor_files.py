"""Factor-set files: validation with file/row/column errors, immutable storage, precedence.

Uses the example files in tests/core/data (synthetic data, labelled as such).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ecplan.core import (
    FactorLibrary,
    FactorNotFoundError,
    FactorSetError,
    default_library,
    electricity_co2_result,
    read_factor_set,
    shipped_sets,
    store_factor_set,
    to_tce_result,
)

# --- reading and validation ------------------------------------------------------------------


def test_examples_are_valid(example_dir: Path) -> None:
    grid = read_factor_set(example_dir / "example-grid-co2-2024")
    assert (grid.id, grid.version, grid.kind, len(grid.rows)) == (
        "example-grid-co2-2024",
        "1",
        "grid_co2",
        4,
    )
    coal = read_factor_set(example_dir / "example-coal-rate-jiangsu.yaml")
    assert getattr(coal.rows[0], "region", None) == "江苏"
    assert coal.manifest.published == "2026-03"


def _grid_set(tmp_path: Path, rows: str, manifest_extra: str = "") -> Path:
    d = tmp_path / "set"
    d.mkdir()
    (d / "manifest.yaml").write_text(
        "schema_version: 1\nid: test-grid\nversion: '1'\nkind: grid_co2\ntitle: 测试\n"
        "published: 2026-01-01\ndocuments:\n  - key: d\n    title: 测试文件\n" + manifest_extra,
        encoding="utf-8",
    )
    (d / "rows.csv").write_text(
        "row_id,year,region,basis,value,unit,confidence,notes\n" + rows, encoding="utf-8"
    )
    return d


def _problems(exc: FactorSetError) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.column, p.message) for p in exc.problems]


def test_errors_name_file_row_and_column(tmp_path: Path) -> None:
    d = _grid_set(
        tmp_path,
        "A,2024,江苏,电力平均,0.57,kgCO2/kWh,uncertain,\n"
        "B,2024,江苏,电力平均,0.58,kgCO2/m3,uncertain,\n"
        "C,2024,火星,电力平均,0.58,kgCO2/kWh,uncertain,\n"
        "D,二〇二四,江苏,电力平均,abc,kgCO2/kWh,maybe,\n",
    )
    with pytest.raises(FactorSetError) as info:
        read_factor_set(d)
    problems = _problems(info.value)
    rows = {row for row, _, _ in problems}
    assert rows == {3, 4, 5}
    assert any(r == 3 and c == "unit" and "kgCO2/m3" in m for r, c, m in problems)
    assert any(r == 4 and c == "region" and "火星" in m for r, c, m in problems)
    assert any(r == 5 and c == "value" for r, c, _ in problems)
    assert any(r == 5 and c == "confidence" for r, c, _ in problems)
    text = str(info.value)
    assert "rows.csv 第 3 行 “unit”列" in text


def test_duplicates_and_plausibility(tmp_path: Path) -> None:
    d = _grid_set(
        tmp_path,
        "A,2024,江苏,电力平均,0.57,kgCO2/kWh,uncertain,\n"
        "A,2024,江苏省,电力平均,0.57,kgCO2/kWh,uncertain,\n"
        "C,2024,全国,电力平均,570,kgCO2/kWh,uncertain,\n",
    )
    with pytest.raises(FactorSetError) as info:
        read_factor_set(d)
    messages = [m for _, _, m in _problems(info.value)]
    assert any("row_id 与第 2 行重复" in m for m in messages)
    assert any("与第 2 行重复（2024年 江苏 电力平均）" in m for m in messages)
    assert any("超出合理范围" in m for m in messages)


def test_header_problems(tmp_path: Path) -> None:
    d = tmp_path / "h"
    d.mkdir()
    shutil.copy(_grid_set(tmp_path, "") / "manifest.yaml", d / "manifest.yaml")
    (d / "rows.csv").write_text("row_id,year,colour\nA,2024,red\n", encoding="utf-8")
    with pytest.raises(FactorSetError) as info:
        read_factor_set(d)
    text = str(info.value)
    assert "不认识的列：colour" in text
    assert "缺少必需的列" in text
    assert "region" in text


def test_manifest_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nid: Bad Id\nversion: v1\nkind: weather\n", encoding="utf-8")
    with pytest.raises(FactorSetError) as info:
        read_factor_set(bad)
    locations = {p.column for p in info.value.problems}
    assert {"id", "version", "kind", "title", "documents"} <= locations
    text = str(info.value)
    assert "小写字母" in text
    assert "版本号应为数字" in text


def test_csv_alone_is_explained(tmp_path: Path) -> None:
    f = tmp_path / "rows.csv"
    f.write_text("row_id\n", encoding="utf-8")
    with pytest.raises(FactorSetError, match="rows_file"):
        read_factor_set(f)


def test_non_utf8_csv(tmp_path: Path) -> None:
    d = _grid_set(tmp_path, "")
    (d / "rows.csv").write_bytes("row_id,year\n".encode("gbk") + "甲".encode("gbk"))
    with pytest.raises(FactorSetError, match="UTF-8"):
        read_factor_set(d)


def test_conversion_rows_need_a_reason_when_empty(tmp_path: Path) -> None:
    f = tmp_path / "c.yaml"
    f.write_text(
        "schema_version: 1\nid: cc\nversion: '1'\nkind: conversion\ntitle: t\n"
        "documents: [{key: d, title: t}]\n"
        "rows:\n  - {row_id: X, carrier: 原煤, unit: kgce/kg, confidence: uncertain}\n"
        "  - {row_id: Y, carrier: 柴油, value: 1.4571, unit: kgce/m3, confidence: '[S]'}\n",
        encoding="utf-8",
    )
    with pytest.raises(FactorSetError) as info:
        read_factor_set(f)
    text = str(info.value)
    assert "notes 必须说明原因" in text
    assert "m3" in text  # 柴油 is reported by mass


# --- storing: immutable, current without a code change --------------------------------------------


def test_loaded_grid_set_becomes_current(example_dir: Path, data_dir: Path) -> None:
    before = electricity_co2_result(1000, year=2024)
    assert before.coefficients[0].year == 2023  # fallback to the latest published year
    result = store_factor_set(example_dir / "example-grid-co2-2024")
    assert result.created
    assert result.path == data_dir.resolve() / "factor-sets" / "example-grid-co2-2024" / "1"
    assert (result.path / "stored.yaml").is_file()
    assert (result.path / "original" / "rows.csv").is_file()
    after = electricity_co2_result(1000, year=2024)
    assert after.value == pytest.approx(0.57)
    assert after.coefficients[0].factor_set is not None
    assert after.coefficients[0].factor_set.id == "example-grid-co2-2024"
    assert after.coefficients[0].factor_set.origin == "loaded"
    assert after.uncertain  # the example is labelled uncertain, and stays flagged
    # the past result is reproducible with the shipped sets only
    shipped = FactorLibrary(shipped_sets())
    again = electricity_co2_result(1000, year=2024, factor_set=shipped)
    assert again == before


def test_loaded_coal_rate_takes_over_the_fallback(example_dir: Path) -> None:
    store_factor_set(example_dir / "example-coal-rate-jiangsu.yaml")
    r = to_tce_result(1, "万千瓦时", "电力", basis="等价值", year=2025)
    c = r.coefficients[0]
    assert r.value == pytest.approx(2.95)
    assert (c.region, c.year, c.key) == ("江苏", 2025, "statistical")
    assert not c.year_fallback
    assert not c.region_fallback


def test_same_content_is_a_no_op_different_content_is_refused(
    example_dir: Path, tmp_path: Path
) -> None:
    src = tmp_path / "grid"
    shutil.copytree(example_dir / "example-grid-co2-2024", src)
    assert store_factor_set(src).created
    assert not store_factor_set(src).created
    rows = src / "rows.csv"
    rows.write_text(rows.read_text(encoding="utf-8").replace("0.5700", "0.5800"), encoding="utf-8")
    with pytest.raises(FactorSetError, match="不可修改") as info:
        store_factor_set(src)
    assert "版本号（如 2）" in str(info.value)
    # a new version is accepted, becomes current, and the old one stays available
    manifest = src / "manifest.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace('version: "1"', 'version: "2"'),
        encoding="utf-8",
    )
    assert store_factor_set(src).created
    lib = default_library()
    assert [fs.version for fs in lib.versions("example-grid-co2-2024")] == ["1", "2"]
    assert electricity_co2_result(1000, year=2024).value == pytest.approx(0.58)
    old = electricity_co2_result(1000, year=2024, factor_set="example-grid-co2-2024@1")
    assert old.value == pytest.approx(0.57)


def test_shipped_sets_cannot_be_overwritten(tmp_path: Path) -> None:
    shipped = next(fs for fs in shipped_sets() if fs.id == "gbt32150-2025-heat")
    assert shipped.path is not None
    copy = tmp_path / "heat"
    shutil.copytree(shipped.path, copy)
    assert not store_factor_set(copy).created  # identical: nothing to do
    rows = copy / "rows.csv"
    rows.write_text(rows.read_text(encoding="utf-8").replace("0.11", "0.12"), encoding="utf-8")
    with pytest.raises(FactorSetError, match="内置"):
        store_factor_set(copy)


def test_editing_a_stored_set_in_place_is_detected(example_dir: Path) -> None:
    stored = store_factor_set(example_dir / "example-grid-co2-2024").path
    rows = stored / "rows.csv"
    rows.write_text(rows.read_text(encoding="utf-8").replace("0.5700", "0.4000"), encoding="utf-8")
    with pytest.raises(FactorSetError, match="被修改过"):
        electricity_co2_result(1000, year=2024)


def test_a_failed_load_leaves_nothing_behind(tmp_path: Path, data_dir: Path) -> None:
    d = _grid_set(tmp_path, "A,2024,江苏,电力平均,0.57,kgCO2/kWh,uncertain,\n")
    (d / "manifest.yaml").write_text(
        (d / "manifest.yaml").read_text(encoding="utf-8") + "rows_file: missing.csv\n",
        encoding="utf-8",
    )
    with pytest.raises(FactorSetError, match="文件不存在"):
        store_factor_set(d)
    root = data_dir / "factor-sets"
    assert not root.exists() or not any(root.rglob("*.csv"))


def test_explicit_set_wins_and_pins(example_dir: Path) -> None:
    example = read_factor_set(example_dir / "example-grid-co2-2024")
    r = electricity_co2_result(1000, year=2024, region="全国", factor_set=example)
    assert r.value == pytest.approx(0.52)
    with pytest.raises(FactorNotFoundError, match="没有因子集 nope"):
        electricity_co2_result(1000, year=2024, factor_set="nope")

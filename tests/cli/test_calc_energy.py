"""``ecplan calc energy`` with real-world files: messy CSV and Excel in, results with
provenance out; broken files refused as a whole, row by row, with nothing written."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
from python_calamine import CalamineWorkbook

from ecplan.cli import main
from ecplan.core import electricity_co2, fuel_co2, to_tce

TITLE = "演示数据（合成）：某区重点用能单位2025年3月能源消费"
MESSY_ROWS = [
    # row in file, entity, period, carrier, quantity, unit, use
    (3, "演示企业甲", " 2025-03 ", "原煤", '"1,200.5"', "吨", "燃料"),
    (4, "演示企业甲", "2025年3月", "外购电力", "１２．５", "万kWh", ""),
    (6, "演示企业甲", "202503", "光伏", "3", "万千瓦时", "燃料"),
    (7, " 演示企业乙", "2025/3", "天然气 ", " 2.5 ", "万方", "原料"),
    (8, "演示企业乙", "2025-03", "LNG", "10", "t", "fuel"),
    (9, "演示企业乙", "2025-03", "烟煤", '"12,345"', "吨", "发电供热"),
    (10, "演示企业乙", "2025-03", "润滑油", "1.5", "吨", "非能源"),
]
# what the scalar API says about each row: (energy_tce, co2_t or None)
EXPECTED = {
    3: (to_tce(1200.5, "吨", "原煤"), None),  # no CO2 default for 原煤: choose the coal type
    4: (to_tce(12.5, "万千瓦时", "电力"), electricity_co2(125_000, year=2025)),
    6: (to_tce(3, "万千瓦时", "光伏"), 0.0),
    7: (to_tce(2.5, "万立方米", "天然气"), 0.0),
    8: (to_tce(10, "吨", "液化天然气"), fuel_co2(10, "吨", "液化天然气")),
    9: (to_tce(12345, "吨", "烟煤"), fuel_co2(12345, "吨", "烟煤")),
    10: (to_tce(1.5, "吨", "润滑油"), 0.0),
}


def messy_csv(header: str = "主体 , 期间,能源品种,数量,单位,用途") -> str:
    lines = [TITLE, header]
    for row, *cells in MESSY_ROWS:
        if row == 6:
            lines.append("")  # a blank row (row 5)
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def write(path: Path, text: str, encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main(["calc", "energy", *(str(a) for a in argv)])
    out, err = capsys.readouterr()
    return code, out, err


def read_csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema_length=0)


def check_rows(rows: list[dict[str, object]], energy: str, co2: str, row: str) -> None:
    assert len(rows) == len(EXPECTED)
    for r in rows:
        expected_energy, expected_co2 = EXPECTED[int(r[row])]  # type: ignore[call-overload]
        assert float(r[energy]) == expected_energy, r  # type: ignore[arg-type]
        if expected_co2 is None:
            assert r[co2] in (None, ""), r
        else:
            assert float(r[co2]) == expected_co2, r  # type: ignore[arg-type]


def test_a_messy_utf8_csv_converts_row_by_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "月报.csv", messy_csv())
    code, out, err = run(capsys, src, "-o", tmp_path / "结果.csv")
    assert code == 0, err
    assert "已计算 7 行" in out
    rows = read_csv(tmp_path / "结果.csv")
    check_rows(rows.to_dicts(), "折标准煤（tce）", "二氧化碳（tCO2）", "源文件行号")
    assert rows["期间"].unique().to_list() == ["2025-03"]
    assert rows["主体"].unique().sort().to_list() == ["演示企业乙", "演示企业甲"]
    assert rows["标准品种名称"].to_list()[:2] == ["原煤", "电力"]
    assert rows["用途"].to_list() == ["燃料", "燃料", "燃料", "原料", "燃料", "发电供热", "非能源"]
    assert rows["新口径归类"].to_list()[2:4] == ["非化石能源", "原料用能"]
    # the 原煤 row converts to tce but has no CO2; a warning says why, and the totals count it
    assert "未计算二氧化碳" in err
    assert "无烟煤" in err
    totals = read_csv(tmp_path / "结果.totals-entity-period.csv")
    first = totals.filter(pl.col("主体") == "演示企业甲").row(0, named=True)
    assert first["未计算排放的行数"] == "1"
    assert first["排放完整"] == "否"
    assert float(first["综合能耗（tce）"]) == pytest.approx(
        EXPECTED[3][0] + EXPECTED[4][0] + EXPECTED[6][0], rel=1e-15
    )
    assert float(first["新口径扣除：非化石能源（tce）"]) == EXPECTED[6][0]


def test_gbk_and_english_headers_give_the_same_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    utf8 = write(tmp_path / "a.csv", messy_csv())
    gbk = write(tmp_path / "b.csv", messy_csv(), encoding="gbk")
    english = write(tmp_path / "c.csv", messy_csv("entity,period,carrier,quantity,unit,use"))
    results = []
    for src in (utf8, gbk, english):
        code, _, err = run(capsys, src, "-o", tmp_path / f"{src.stem}.json")
        assert code == 0, err
        data = json.loads((tmp_path / f"{src.stem}.json").read_text(encoding="utf-8"))
        check_rows(data["rows"], "energy_tce", "co2_t", "row")
        results.append([(r["energy_tce"], r["co2_t"]) for r in data["rows"]])
    assert results[0] == results[1] == results[2]


def test_json_has_rows_totals_and_provenance_per_row_and_per_total(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "月报.csv", messy_csv())
    code, out, _ = run(capsys, src)  # no -o: JSON on standard output
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "ecplan.calc-energy/1"
    assert data["basis"] == "calorific"
    assert data["basis_label"] == "当量值"
    assert "gbt2589-2020 v1" in data["factor_sets"]
    provenance = {p["ref"]: p for p in data["provenance"]}
    power = next(r for r in data["rows"] if r["row"] == 4)
    grid = provenance[power["co2_ref"]]
    assert grid["factor_set_id"] == "mee-grid-co2-2023"
    assert (grid["year"], grid["requested_year"], grid["year_fallback"]) == (2023, 2025, True)
    assert power["fallback"] is True
    assert provenance[power["tce_ref"]]["value"] == power["tce_per_unit"]
    assert power["energy_tce"] == power["canonical_quantity"] * power["tce_per_unit"]
    by_carrier = {t["carrier_code"]: t for t in data["totals"]["by_carrier"]}
    assert by_carrier["electricity"]["electricity_co2_t"] == power["co2_t"]
    assert by_carrier["electricity"]["provenance_refs"] == sorted(
        [power["tce_ref"], power["co2_ref"]]
    )
    assert "mee-grid-co2-2023 v1" in by_carrier["electricity"]["factor_sets"]
    assert by_carrier["lng"]["uncertain"] is True  # NBS value flagged 未确认
    assert "CC18" in by_carrier["lng"]["uncertain_coefficients"]
    assert data["total"]["rows"] == 7
    assert data["total"]["co2_missing_rows"] == 1
    assert data["warnings"][0]["code"] == "co2_not_computed"


BROKEN = "\n".join(
    [
        "主体,期间,能源品种,数量,单位,用途",
        "企业甲,2025-13,烟煤,约100,吨,燃料",
        "企业甲,2025-03,煤炭石,100,吨,燃料",
        "企业乙,2025-03,天然气,5,吨,燃料",
        ",2025-03,电力,-5,万千瓦时,原料",
        "企业丙,2025,柴油,abc,升,啥",
        "企业丁,2025-03,烟煤,10,吨,",
    ]
)
BROKEN_CELLS = [
    ("第 2 行 B 列（期间）", "月份不在 1–12 之间"),
    ("第 2 行 D 列（数量）", "不是数字（估计值）"),
    ("第 3 行 C 列（能源品种）", "未知的能源品种“煤炭石”"),
    ("第 4 行 E 列（单位）", "计量单位“吨”不适用于天然气。可用单位：立方米、万立方米"),
    ("第 5 行 A 列（主体）", "必填，不能为空"),
    ("第 5 行 D 列（数量）", "是负数"),
    ("第 5 行 F 列（用途）", "电力不能标为原料用能"),
    ("第 6 行 B 列（期间）", "只有年份，缺少月份"),
    ("第 6 行 D 列（数量）", "“abc”不是数字"),
    ("第 6 行 E 列（单位）", "液体体积"),
    ("第 6 行 F 列（用途）", "用途“啥”无法识别"),
]


@pytest.mark.parametrize("out_name", ["结果.json", "结果.csv", "结果.xlsx"])
def test_a_broken_file_is_refused_row_by_row_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], out_name: str
) -> None:
    src = write(tmp_path / "坏.csv", BROKEN)
    code, out, err = run(capsys, src, "-o", tmp_path / out_name)
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith("[错误]")]
    assert len(lines) == len(BROKEN_CELLS)
    for line, (where, what) in zip(lines, BROKEN_CELLS, strict=True):
        assert where in line, line
        assert what in line, line
    assert "整份文件未处理，没有写入任何结果文件" in err
    assert "涉及 5 行" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["坏.csv"]  # nothing written
    assert out == ""


def test_the_error_list_can_be_written_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "坏.csv", BROKEN)
    code, _, err = run(capsys, src, "-o", tmp_path / "结果.csv", "--errors", tmp_path / "问题.csv")
    assert code == 1
    assert not (tmp_path / "结果.csv").exists()
    issues = read_csv(tmp_path / "问题.csv")
    assert issues.height == len(BROKEN_CELLS)
    assert issues["行"].to_list() == ["2", "2", "3", "4", "5", "5", "5", "6", "6", "6", "6"]
    assert issues["列"].to_list()[:3] == ["B", "D", "C"]
    assert "问题清单已写入" in err


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_skip_invalid_writes_the_good_rows_and_the_error_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    src = write(tmp_path / "坏.csv", BROKEN)
    out_path = tmp_path / f"结果.{fmt}"
    code, out, err = run(capsys, src, "-o", out_path, "--skip-invalid")
    assert code == 0, err
    assert "已计算 1 行（读取 6 行，跳过有错误的 5 行）" in out
    good = to_tce(10, "吨", "烟煤")
    if fmt == "csv":
        rows = read_csv(out_path)
        assert rows["源文件行号"].to_list() == ["7"]
        assert float(rows["折标准煤（tce）"][0]) == good
        errors = read_csv(tmp_path / "结果.errors.csv")
        assert errors.height == len(BROKEN_CELLS)
        assert errors["问题"].str.contains("煤炭石").any()
        totals = read_csv(tmp_path / "结果.totals-carrier.csv")
        assert totals["品种代码"].to_list() == ["bituminous_coal"]
    elif fmt == "json":
        data = json.loads(out_path.read_text(encoding="utf-8"))
        assert [r["row"] for r in data["rows"]] == [7]
        assert len(data["errors"]) == len(BROKEN_CELLS)
        assert data["errors"][0]["row"] == 2
        assert data["errors"][0]["column"] == "B"
        assert data["total"]["energy_tce"] == good
    else:
        wb = CalamineWorkbook.from_path(str(out_path))
        assert "问题清单" in wb.sheet_names
        issues = wb.get_sheet_by_name("问题清单").to_python()
        assert len(issues) == len(BROKEN_CELLS) + 1
        detail = wb.get_sheet_by_name("明细").to_python()
        assert len(detail) == 2
        assert detail[1][0] == 7


def test_xlsx_with_excel_dates_numbers_and_a_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import xlsxwriter

    src = tmp_path / "月报.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet("能源消费")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_string(0, 0, TITLE)
    for c, text in enumerate(["主体", "期间", "能源品种", "数量", "单位", "用途"]):
        ws.write_string(1, c, text)
    ws.write_string(2, 0, "演示企业甲")
    ws.write_datetime(2, 1, dt.datetime(2025, 3, 1), date)  # a real date cell
    ws.write_row(2, 2, ["烟煤", 1000, "吨", "燃料"])
    ws.write_string(3, 0, "演示企业甲")
    ws.write_number(3, 1, 45727)  # an Excel serial day in a General cell: 2025-03-11
    ws.write_row(3, 2, ["电力", "1,234", "万千瓦时"])
    ws.write_row(5, 0, ["演示企业乙", "2025年3月", "天然气", 2.5, "万立方米", "原料"])
    wb.close()
    code, _, err = run(capsys, src, "-o", tmp_path / "结果.xlsx")
    assert code == 0, err
    out = CalamineWorkbook.from_path(str(tmp_path / "结果.xlsx"))
    assert out.sheet_names[:2] == ["说明", "明细"]
    assert {"按主体和期间合计", "按品种合计", "因子来源"} <= set(out.sheet_names)
    detail = out.get_sheet_by_name("明细").to_python()
    header = detail[0]
    rows = [dict(zip(header, r, strict=True)) for r in detail[1:]]
    assert [r["源文件行号"] for r in rows] == [3, 4, 6]
    assert [r["期间"] for r in rows] == ["2025-03"] * 3
    assert rows[0]["折标准煤（tce）"] == to_tce(1000, "吨", "烟煤")
    assert rows[1]["折标准煤（tce）"] == to_tce(1234, "万千瓦时", "电力")
    assert rows[1]["二氧化碳（tCO2）"] == electricity_co2(12_340_000, year=2025)
    assert rows[1]["排放因子来源"].startswith("mee-grid-co2-2023 v1")
    notes = {r[0]: r[1] for r in out.get_sheet_by_name("说明").to_python() if r and r[0]}
    assert notes["折标口径"] == "当量值（calorific）"
    assert "gbt2589-2020 v1" in notes["所用因子集及版本"]


def test_a_number_typed_into_the_period_column_is_ambiguous(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import xlsxwriter

    src = tmp_path / "月报.xlsx"
    wb = xlsxwriter.Workbook(str(src))
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["主体", "期间", "能源品种", "数量", "单位"])
    ws.write_row(1, 0, ["甲", 2025.1, "烟煤", 1, "吨"])  # typed 2025.10, stored 2025.1
    wb.close()
    code, _, err = run(capsys, src, "-o", tmp_path / "out.json")
    assert code == 1
    assert "第 2 行 B 列（期间）：“2025.1”是数字，无法判断是 1 月还是 10 月" in err
    assert not (tmp_path / "out.json").exists()


def test_equivalent_basis_and_year(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(
        tmp_path / "电.csv",
        "主体,期间,能源品种,数量,单位\n甲,2024-06,电力,10,万千瓦时\n甲,2021-06,电力,10,万千瓦时\n",
    )
    code, out, err = run(capsys, src, "--basis", "equivalent")
    assert code == 0, err
    rows = json.loads(out)["rows"]
    assert rows[0]["energy_tce"] == to_tce(10, "万千瓦时", "电力", basis="equivalent", year=2024)
    assert rows[1]["energy_tce"] == to_tce(10, "万千瓦时", "电力", basis="equivalent", year=2021)
    assert rows[0]["energy_tce"] != to_tce(10, "万千瓦时", "电力")
    code, out, _ = run(capsys, src, "--basis", "等价值", "--year", "2022")
    fixed = json.loads(out)
    assert fixed["year"] == 2022
    assert [r["co2_t"] for r in fixed["rows"]] == [electricity_co2(100_000, year=2022)] * 2
    assert fixed["basis_label"] == "等价值"


def test_region_chooses_the_grid_factor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "电.csv", "主体,期间,能源品种,数量,单位\n甲,2023-06,电力,10,万千瓦时\n")
    figures = {}
    for region in ("江苏", "华北电网", "广东省"):
        code, out, err = run(capsys, src, "--region", region)
        assert code == 0, err
        data = json.loads(out)
        figures[region] = data["rows"][0]["co2_t"]
        assert figures[region] == electricity_co2(100_000, year=2023, region=region)
        grid = {p["ref"]: p for p in data["provenance"]}[data["rows"][0]["co2_ref"]]
        assert grid["factor_set_id"] == "mee-grid-co2-2023"
        assert grid["region"] == region[:2]  # 华北电网 → 华北, 广东省 → 广东
        assert data["region"] == region[:2]
    assert len(set(figures.values())) == 3


def test_a_chosen_factor_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "焦.csv", "主体,期间,能源品种,数量,单位\n甲,2024-06,焦炭,100,吨\n")
    code, out, _ = run(capsys, src, "--factor-set", "ndrc-2013-steel-fuels")
    assert code == 0
    data = json.loads(out)
    assert data["rows"][0]["co2_t"] == fuel_co2(
        100, "吨", "焦炭", factor_set="ndrc-2013-steel-fuels"
    )
    assert data["rows"][0]["co2_t"] != fuel_co2(100, "吨", "焦炭")
    assert "ndrc-2013-steel-fuels v1" in data["factor_sets"]
    code, _, err = run(capsys, src, "--factor-set", "no-such-set")
    assert code == 1
    assert "no-such-set" in err


def test_unit_in_the_quantity_header(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "a.csv", "主体,期间,能源品种,数量（吨）\n甲,2024-06,烟煤,100\n")
    code, out, _ = run(capsys, src)
    assert code == 0
    assert json.loads(out)["rows"][0]["energy_tce"] == to_tce(100, "吨", "烟煤")
    src = write(tmp_path / "b.csv", "主体,期间,能源品种,数量\n甲,2024-06,烟煤,100\n")
    code, _, err = run(capsys, src)
    assert code == 1
    assert "表头中缺少“单位”列" in err


def test_missing_columns_and_bad_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(tmp_path / "a.csv", "主体,期间,数量,单位\n甲,2024-06,100,吨\n")
    code, _, err = run(capsys, src, "-o", tmp_path / "out.csv")
    assert code == 1
    assert "缺少“能源品种”列" in err
    assert not (tmp_path / "out.csv").exists()
    good = write(tmp_path / "b.csv", "主体,期间,能源品种,数量,单位\n甲,2024-06,烟煤,1,吨\n")
    code, _, err = run(capsys, good, "--format", "csv")
    assert code == 1
    assert "需要用 -o 指定输出文件" in err
    code, _, err = run(capsys, good, "--region", "火星")
    assert code == 1
    assert "未知的地区" in err
    code, _, err = run(capsys, tmp_path / "none.csv")
    assert code == 1
    assert "none.csv" in err


def test_total_rows_are_skipped_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = write(
        tmp_path / "a.csv", "主体,期间,能源品种,数量,单位\n甲,2024-06,烟煤,1,吨\n合计,,,1,\n"
    )
    code, out, err = run(capsys, src)
    assert code == 0, err
    assert len(json.loads(out)["rows"]) == 1
    assert "第 3 行 A 列（主体）：这是合计行" in err


def test_csv_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(
        tmp_path / "a.csv",
        "主体,地区,期间,能源品种,数量,单位\n甲,扬州市,2024-06,烟煤,1,吨\n乙,泰州市,2024-06,电力,2,万千瓦时\n",
    )
    code, _, _ = run(capsys, src, "-o", tmp_path / "out.csv")
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "a.csv",
        "out.csv",
        "out.provenance.csv",
        "out.totals-area-period.csv",
        "out.totals-carrier.csv",
        "out.totals-entity-period.csv",
    ]
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it
    provenance = read_csv(tmp_path / "out.provenance.csv")
    assert {"编号", "因子集", "版本", "数据行", "出处", "可信度", "年份替代"} <= set(
        provenance.columns
    )
    area = read_csv(tmp_path / "out.totals-area-period.csv")
    assert area["地区"].to_list() == ["扬州市", "泰州市"] or area["地区"].to_list() == [
        "泰州市",
        "扬州市",
    ]


def test_the_command_does_not_start_django(tmp_path: Path) -> None:
    src = write(tmp_path / "a.csv", "主体,期间,能源品种,数量,单位\n甲,2024-06,烟煤,1,吨\n")
    code = (
        "import sys\n"
        "from ecplan.cli import main\n"
        f"assert main(['calc', 'energy', {str(src)!r}, '-o', {str(tmp_path / 'o.json')!r}]) == 0\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), 'Django'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    assert json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))["total"]["rows"] == 1


def test_the_output_layout_is_documented() -> None:
    from ecplan.cli.calc import ROW_COLUMNS, TOTAL_HEADERS

    text = (Path(__file__).resolve().parents[2] / "docs" / "batch.md").read_text(encoding="utf-8")
    for key, header, unit in ROW_COLUMNS:
        assert f"| `{key}` | {header}" + (f"（{unit}）" if unit else "") + " |" in text, key
    for key in TOTAL_HEADERS:
        assert f"`{key}`" in text, key


def test_json_arrays_are_written_in_slices_without_changing_them() -> None:
    import io

    from ecplan.cli.calc import _json_array

    frame = pl.DataFrame({"a": [1.5, None, 3.25, 1e300, 0.1], "b": ["甲", "乙", None, "丁", ""]})
    for chunk in (1, 2, 5, 10):
        out = io.StringIO()
        _json_array(out, frame, chunk=chunk)
        assert json.loads(out.getvalue()) == json.loads(frame.write_json())
    empty = io.StringIO()
    _json_array(empty, frame.clear())
    assert json.loads(empty.getvalue()) == []


def _big_csv(rows: int) -> str:
    lines = ["主体,期间,能源品种,数量,单位"]
    lines += [
        f"演示企业{i % 97:03d},2024-{i % 12 + 1:02d},烟煤,{i % 1000}.5,吨" for i in range(rows)
    ]
    return "\n".join(lines) + "\n"


def test_a_big_utf8_file_and_a_big_gbk_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _big_csv(60_000)  # about 2 MiB: the intake checks the first MiB, the reader the rest
    assert len(text.encode()) > 1.5 * 2**20
    for name, encoding in (("u.csv", "utf-8"), ("g.csv", "gbk")):
        src = write(tmp_path / name, text, encoding=encoding)
        code, _, err = run(capsys, src, "-o", tmp_path / f"{name}.json")
        assert code == 0, err
        data = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        assert data["rows_converted"] == 60_000
        assert data["rows"][-1]["energy_tce"] == to_tce(999.5, "吨", "烟煤")


def test_bad_bytes_after_the_first_mib_are_found(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = (
        _big_csv(60_000).encode()
        + "演示企业,2024-01,烟煤,1,吨\n".encode()[:-8]
        + b"\xff\xfe,1,\xe5\n"
    )
    src = tmp_path / "bad.csv"
    src.write_bytes(data)
    code, _, err = run(capsys, src, "-o", tmp_path / "out.json")
    assert code == 1
    assert "编码" in err
    assert not (tmp_path / "out.json").exists()

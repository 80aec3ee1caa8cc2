"""Files: labelled 演示数据, readable by the platform's own reader, byte-identical per seed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ecplan.demo import generate_city
from ecplan.demo.model import USE_LABELS, DemoCity
from ecplan.demo.output import PREFIX, TABLES, write_city
from ecplan.demo.periods import Month
from ecplan.tabular import Field, IntakeLimits, open_workbook, read_table

#: The platform's upload limit (ECPLAN_MAX_UPLOAD_BYTES default): demo files must pass it.
UPLOAD = IntakeLimits(max_bytes=20 * 1024 * 1024)

LONG_FIELDS = [
    Field("entity", "主体", ("统一社会信用代码",)),
    Field("period", "期间"),
    Field("carrier", "能源品种"),
    Field("quantity", "数量"),
    Field("unit", "单位"),
    Field("use", "用途", required=False),
]


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def written(city: DemoCity, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    write_city(city, out)
    return out


def test_every_file_is_labelled_demo_data(written: Path) -> None:
    names = sorted(p.name for p in written.iterdir())
    assert len(names) == len(TABLES) + 2  # CSVs, the workbook, the 说明
    assert all(n.startswith(PREFIX) for n in names)
    readme = (written / f"{PREFIX}说明.txt").read_text(encoding="utf-8")
    assert "虚构" in readme
    assert "随机种子 2025" in readme


def test_long_form_reads_back_through_the_platform_reader(city: DemoCity, written: Path) -> None:
    with open_workbook(written / f"{PREFIX}能源消费-长表.csv", limits=UPLOAD) as wb:
        table = read_table(wb.sheets[0], LONG_FIELDS)
        assert not table.issues.has_errors
        got = [
            (r.code("entity"), r.period("period"), r.text("carrier"), r.number("quantity"),
             r.text("unit"), r.text("use"))
            for r in table.records
        ]  # fmt: skip
    expected = [
        (x.entity, x.period, x.carrier, x.quantity, x.unit, USE_LABELS[x.use])
        for x in city.long_rows()
    ]
    assert not table.issues.has_errors
    assert got == expected
    assert {row[5] for row in got} == {"燃料", "原料", "发电供热"}


def test_workbook_sheets_carry_a_demo_title_above_the_header(written: Path) -> None:
    with open_workbook(written / f"{PREFIX}扬州市.xlsx", limits=UPLOAD) as wb:
        assert len(wb.sheets) == len(TABLES)
        assert all("演示" in s.name for s in wb.sheets)
        sheet = wb.sheet("能源消费长表（演示）")
        first = next(iter(sheet.rows()))
        assert str(first.cells[0].value).startswith("演示数据（虚构）")
        table = read_table(sheet, LONG_FIELDS)
        assert table.header_row == 2
        assert not table.issues.has_errors
        assert len(table.records) > 20_000


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    year = {"start": Month(2024, 1), "end": Month(2024, 12)}
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    write_city(generate_city(**year), a)
    write_city(generate_city(**year), b)
    write_city(generate_city(seed=7, **year), c)
    assert _digests(a) == _digests(b)
    differ = [name for name, digest in _digests(a).items() if _digests(c)[name] != digest]
    assert f"{PREFIX}能源消费-长表.csv" in differ
    assert f"{PREFIX}企业名录.csv" in differ


def test_a_shorter_range_is_a_slice_of_the_full_span(city: DemoCity) -> None:
    part = generate_city(start=Month(2023, 4), end=Month(2024, 3))
    full = [r for r in city.energy_reports if "2023-04" <= r.period <= "2024-03"]
    assert part.energy_reports == full
    assert {s.period for s in part.statistics} >= {"2023-Q2", "2023-Q4", "2024-Q1", "2023-04"}
    assert "2023" not in {s.period for s in part.statistics}  # a year not wholly inside


def test_import_workbooks_are_byte_identical_and_need_no_database(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from ecplan.demo import generate_city\n"
        "from ecplan.demo.periods import Month\n"
        "from ecplan.reporting.demo import write_import_files\n"
        "city = generate_city(start=Month(2025, 4), end=Month(2025, 6))\n"
        "for out in sys.argv[1:]:\n"
        "    write_import_files(city, out)\n"
        "assert 'django.conf' not in sys.modules, 'Django was imported'\n"
    )
    a, b = tmp_path / "a", tmp_path / "b"
    run = subprocess.run(
        [sys.executable, "-c", code, str(a), str(b)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert _digests(a) == _digests(b)
    assert sorted(_digests(a)) == [
        "演示数据-导入-企业与装置名录.xlsx",
        "演示数据-导入-企业能源月报-2025Q2.xlsx",
        "演示数据-导入-统计数据.xlsx",
        "演示数据-导入-部门指标.xlsx",
    ]

"""Importing files: every validation rule, in Chinese, at its sheet, row and column — and
nothing stored when anything is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from ecplan.accounts.credit_code import make_credit_code
from ecplan.accounts.testing import World
from ecplan.audit.models import AuditEvent
from ecplan.reporting.models import (
    EnergyLine,
    ImportBatch,
    InstallationLine,
    Report,
    Revision,
)
from ecplan.reporting.periods import Period
from ecplan.reporting.services import import_file

from .builders import (
    ENERGY_HEADER,
    INSTALLATION_HEADER,
    csv_bytes,
    energy_file,
    energy_row,
    xlsx,
)


def _import(world: World, data: bytes, persona: str = "enterprise", **kw: Any) -> Any:
    return import_file(data, acting_user=world.persona(persona).user, filename="test.xlsx", **kw)


def _codes(outcome: Any) -> list[str]:
    return [i.code for i in outcome.issues.errors]


def _nothing_stored() -> None:
    assert Report.objects.count() == 0
    assert Revision.objects.count() == 0
    assert EnergyLine.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_good_file_is_stored_with_the_file_and_an_audit_event(world: World, month: str) -> None:
    code = world.e_yizheng.credit_code
    data = energy_file(
        [
            energy_row(
                code, month, "烟煤", "吨", purchased=1200, consumed="１，０００", power_heat=600
            ),
            energy_row(code, month, "天然气", "万立方米", consumed="50.5", feedstock=20),
            energy_row(code, month, "电力", "万千瓦时", consumed=300),
        ]
    )
    outcome = _import(world, data)
    assert outcome.stored, outcome.issues.to_text()
    coal = EnergyLine.objects.get(carrier="bituminous_coal")
    assert coal.consumed == 1000.0
    assert coal.raw == {"consumed": "１，０００"}
    batch = ImportBatch.objects.get()
    with batch.file.open("rb") as fh:
        assert fh.read() == data
    assert batch.created_by == world.persona("enterprise").user
    assert batch.summary["counts"]["created"] == 1
    assert Revision.objects.get().import_batch == batch
    event = AuditEvent.objects.get(action="import")
    assert "test.xlsx" in event.detail


ERRORS = [
    ("carrier", {"carrier": "神秘燃料"}, "carrier_unknown", "D"),
    ("unit", {"unit": "桶"}, "unit_invalid", "E"),
    ("unit of the wrong dimension", {"unit": "立方米"}, "unit_invalid", "E"),
    ("text in a number cell", {"consumed": "约100"}, "approximate", "G"),
    ("a unit in a number cell", {"consumed": "100吨"}, "has_unit", "G"),
    ("negative", {"consumed": -5}, "negative", "G"),
    (
        "feedstock above consumption",
        {"consumed": 10, "feedstock": 20},
        "feedstock_exceeds_consumption",
        "H",
    ),
    (
        "power input above consumption",
        {"consumed": 10, "power_heat": 20},
        "power_heat_exceeds_consumption",
        "I",
    ),
    (
        "feedstock of electricity",
        {"carrier": "电力", "unit": "万千瓦时", "feedstock": 1},
        "feedstock_not_allowed",
        "H",
    ),
    (
        "bad credit code check character",
        {"credit_code": "91321081T00000010X"},
        "credit_code_check",
        "A",
    ),
    (
        "credit code of nobody",
        {"credit_code": make_credit_code("321081", "NBDY1234")},
        "enterprise_unknown",
        "A",
    ),
    (
        "a name that does not match the code",
        {"enterprise_name": "别的公司"},
        "enterprise_mismatch",
        "B",
    ),
    ("a month that is not a month", {"period": "2025-13"}, "bad_month", "C"),
]


@pytest.mark.parametrize(("what", "change", "code", "column"), ERRORS, ids=[e[0] for e in ERRORS])
def test_each_rule_refuses_the_whole_file_at_its_cell(
    world: World, month: str, what: str, change: dict[str, Any], code: str, column: str
) -> None:
    ent = world.e_yizheng.credit_code
    values: dict[str, Any] = {"consumed": 100, **change}
    carrier = values.pop("carrier", "烟煤")
    unit = values.pop("unit", "吨")
    credit = values.pop("credit_code", ent)
    period = values.pop("period", month)
    good = energy_row(ent, month, "柴油", "吨", consumed=10)
    bad = energy_row(credit, period, carrier, unit, **values)
    outcome = _import(world, energy_file([good, bad]))
    assert not outcome.stored
    assert code in _codes(outcome), outcome.issues.to_text()
    issue = next(i for i in outcome.issues.errors if i.code == code)
    assert (issue.sheet, issue.row, issue.column) == ("能源消费", 3, column)
    assert issue.message
    assert issue.text().startswith("工作表“能源消费”第 3 行")
    _nothing_stored()


def test_duplicates_are_refused(world: World, month: str) -> None:
    code = world.e_yizheng.credit_code
    rows = [
        energy_row(code, month, "烟煤", "吨", consumed=1),
        energy_row(code, month, "烟煤", "万吨", consumed=2),
    ]
    outcome = _import(world, energy_file(rows))
    assert _codes(outcome) == ["duplicate"]
    assert "第 2 行" in outcome.issues.errors[0].message
    _nothing_stored()


def test_an_enterprise_outside_the_scope_is_refused(world: World, month: str) -> None:
    rows = [energy_row(world.e_gaoyou.credit_code, month, "烟煤", "吨", consumed=1)]
    outcome = _import(world, energy_file(rows))
    assert _codes(outcome) == ["enterprise_unknown"]
    # the message does not reveal the registered name of an enterprise the user cannot see
    assert world.e_gaoyou.name not in outcome.issues.to_text()
    _nothing_stored()


def test_a_period_outside_the_window(world: World, month: str) -> None:
    old = str(Period.parse(month).previous().previous().previous().previous())
    rows = [energy_row(world.e_yizheng.credit_code, old, "烟煤", "吨", consumed=1)]
    outcome = _import(world, energy_file(rows))
    assert _codes(outcome) == ["period_closed"]
    _nothing_stored()
    future = str(Period.parse(month).next().next())
    rows = [energy_row(world.e_yizheng.credit_code, future, "烟煤", "吨", consumed=1)]
    assert _codes(_import(world, energy_file(rows))) == ["period_not_ended"]
    # the plan office may back-fill history after confirming
    rows = [energy_row(world.e_yizheng.credit_code, old, "烟煤", "吨", consumed=1)]
    admin = _import(world, energy_file(rows), persona="plan_admin")
    assert not admin.stored
    assert admin.needs_confirmation
    assert [w.code for w in admin.issues.warnings] == ["period_backfill"]
    _nothing_stored()
    confirmed = _import(world, energy_file(rows), persona="plan_admin", confirm_warnings=True)
    assert confirmed.stored


def test_a_month_on_month_jump_is_a_warning_to_confirm(world: World, month: str) -> None:
    code = world.e_yizheng.credit_code
    before = str(Period.parse(month).previous())
    rows = [
        energy_row(code, before, "烟煤", "吨", consumed=1000),
        energy_row(code, month, "烟煤", "吨", consumed=10000),
    ]
    admin = world.persona("plan_admin")
    outcome = import_file(energy_file(rows), acting_user=admin.user, filename="x.xlsx")
    assert not outcome.stored
    assert not outcome.issues.has_errors
    jump = [w for w in outcome.issues.warnings if w.code == "month_on_month_jump"]
    assert len(jump) == 1
    assert (jump[0].row, jump[0].column) == (3, "G")
    assert "10.00 倍" in jump[0].message
    _nothing_stored()
    stored = import_file(
        energy_file(rows), acting_user=admin.user, filename="x.xlsx", confirm_warnings=True
    )
    assert stored.stored
    assert ImportBatch.objects.get().warnings_confirmed == len(stored.issues.warnings)


def test_files_that_are_not_spreadsheets_are_refused_before_parsing(world: World) -> None:
    for data in (b"%PDF-1.7\n...", b"PK\x03\x04" + b"\x00" * 100, b""):
        outcome = _import(world, data)
        assert outcome.refused
        assert not outcome.stored
        assert outcome.issues.errors[0].sheet is None
    _nothing_stored()
    assert AuditEvent.objects.filter(action="import", detail__contains="未导入").count() == 3


def test_a_file_over_the_size_limit_is_refused(world: World, settings: Any) -> None:
    settings.ECPLAN_MAX_UPLOAD_BYTES = 1000
    outcome = _import(world, b"x" * 2000)
    assert outcome.refused
    assert "超过" in outcome.issues.errors[0].message


def test_the_long_form_of_calc_energy_in_csv(world: World, month: str) -> None:
    code = world.e_yizheng.credit_code
    data = csv_bytes(
        [
            ["主体", "期间", "能源品种", "数量", "单位", "用途"],
            [code, month, "天然气", "30", "万立方米", "燃料"],
            [code, month, "天然气", "1,200", "立方米", "原料"],
            [code, month, "烟煤", "500", "吨", "发电供热"],
            [code, month, "烟煤", "100", "吨", ""],
        ]
    )
    refused = _import(world, data)
    assert _codes(refused) == ["unit_inconsistent"]
    assert refused.issues.errors[0].row == 3
    _nothing_stored()
    data = csv_bytes(
        [
            ["entity", "period", "carrier", "quantity", "unit", "use"],
            [code, month, "天然气", "30", "万立方米", "fuel"],
            [code, month, "天然气", "20", "万立方米", "feedstock"],
            [code, month, "烟煤", "500", "吨", "power_generation"],
            [code, month, "烟煤", "100", "吨", ""],
        ]
    )
    outcome = _import(world, data)
    assert outcome.stored, outcome.issues.to_text()
    gas = EnergyLine.objects.get(carrier="natural_gas")
    assert (gas.consumed, gas.feedstock) == (50.0, 20.0)
    coal = EnergyLine.objects.get(carrier="bituminous_coal")
    assert (coal.consumed, coal.power_heat) == (600.0, 500.0)


def test_installation_figures_use_the_unit_in_the_header(
    world: World, month: str, plant: dict[str, Any]
) -> None:
    code = world.e_yizheng.credit_code
    header = list(INSTALLATION_HEADER)
    header[header.index("总耗电量（万千瓦时）")] = "总耗电量（千瓦时）"
    keys = [
        c.key
        for c in __import__("ecplan.reporting.formats").reporting.formats.INSTALLATION_SHEET.columns
    ]

    def row(**v: Any) -> list[Any]:
        base = {"credit_code": code, "period": month, **v}
        return [base.get(k) for k in keys]

    data = xlsx(
        {
            "能源消费": [ENERGY_HEADER, energy_row(code, month, "电力", "万千瓦时", consumed=100)],
            "装置运行": [
                header,
                row(installation="DC-1", electricity_total_kwh=130_000, electricity_it_kwh=10),
                row(installation="PTA-1", output_t=80_000, energy_tce=4000),
            ],
        }
    )
    outcome = _import(world, data)
    assert outcome.stored, outcome.issues.to_text()
    dc = InstallationLine.objects.get(installation=plant["dc"])
    assert (dc.electricity_total_kwh, dc.electricity_it_kwh) == (130_000, 100_000)
    assert dc.pue == pytest.approx(1.3)


def test_a_figure_an_installation_kind_does_not_report_is_refused(
    world: World, month: str, plant: dict[str, Any]
) -> None:
    code = world.e_yizheng.credit_code
    keys = [
        c.key
        for c in __import__("ecplan.reporting.formats").reporting.formats.INSTALLATION_SHEET.columns
    ]
    row = {"credit_code": code, "period": month, "installation": "DC-1", "generation_kwh": 5}
    data = xlsx({"装置运行": [INSTALLATION_HEADER, [row.get(k) for k in keys]]})
    outcome = _import(world, data)
    assert _codes(outcome) == ["measure_not_applicable"]
    row = {
        "credit_code": code,
        "period": month,
        "installation": "CHP",
        "standard_coal_tce": 100,
        "heat_standard_coal_tce": 120,
    }
    outcome = _import(world, xlsx({"装置运行": [INSTALLATION_HEADER, [row.get(k) for k in keys]]}))
    assert _codes(outcome) == ["heat_coal_exceeds_coal"]
    row = {"credit_code": code, "period": month, "installation": "NOPE", "output_t": 5}
    outcome = _import(world, xlsx({"装置运行": [INSTALLATION_HEADER, [row.get(k) for k in keys]]}))
    assert _codes(outcome) == ["installation_unknown"]
    assert "PTA-1" in outcome.issues.errors[0].hint
    _nothing_stored()


def test_a_file_wrong_on_every_row_lists_the_first_problems_and_counts_all(
    world: World, month: str
) -> None:
    code = world.e_yizheng.credit_code
    rows = [energy_row(code, month, f"燃料{i}", "吨", consumed=1) for i in range(1200)]
    outcome = _import(world, energy_file(rows))
    assert not outcome.stored
    assert len(outcome.issues) == 1000
    assert outcome.issues.error_count == 1200
    assert "另有 200 个问题未列出" in outcome.issues.to_text()
    _nothing_stored()


def _rezip(data: bytes, extra: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        for name, content in extra.items():
            dst.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"xl/vbaProject.bin": b"\x00" * 100}, "macro_enabled"),
        ({"xl/media/zeros.xml": b"\x00" * (20 * 1024 * 1024)}, "zip_bomb"),
    ],
)
def test_macro_workbooks_and_zip_bombs_are_refused_before_parsing(
    world: World, month: str, extra: dict[str, bytes], code: str
) -> None:
    good = energy_file(
        [energy_row(world.e_yizheng.credit_code, month, "电力", "万千瓦时", consumed=1)]
    )
    outcome = _import(world, _rezip(good, extra))
    assert outcome.refused
    assert [i.code for i in outcome.issues.errors] == [code]
    _nothing_stored()

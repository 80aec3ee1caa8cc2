"""Template → fill → import → export → import again: the round trip a clerk makes."""

from __future__ import annotations

import io
import json
from typing import Any

import openpyxl

from ecplan.accounts.testing import World
from ecplan.reporting.exports import export
from ecplan.reporting.models import (
    ElectricityFacts,
    EnergyLine,
    InstallationLine,
    OutputLine,
    Revision,
)
from ecplan.reporting.services import import_file
from ecplan.reporting.workbooks import template_bytes


def _fill(template: bytes, month: str) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template))
    assert wb.sheetnames[0] == "填表说明"
    energy = wb["能源消费"]
    header = [c.value for c in energy[2]]
    assert header[:5] == ["统一社会信用代码", "企业名称", "期间", "能源品种", "计量单位"]
    col = {h.split("（")[0]: i + 1 for i, h in enumerate(header) if h}
    filled = 0
    for row in range(3, energy.max_row + 1):
        carrier = energy.cell(row, col["能源品种"]).value
        if not carrier:
            continue
        assert energy.cell(row, col["期间"]).value == month
        qty = {
            "烟煤": "1,250.5",
            "天然气": "８０",
            "电力": 320,
            "热力": 5000,
            "柴油": 12.25,
            "汽油": 3,
        }[carrier]
        energy.cell(row, col["消费量"]).value = qty
        energy.cell(row, col["购进量"]).value = qty
        if carrier == "天然气":
            energy.cell(row, col["其中：原料用能"]).value = 30
        filled += 1
    assert filled == 6  # the common carriers of an enterprise without an earlier report
    inst = wb["装置运行"]
    icol = {str(c.value).split("（")[0]: i + 1 for i, c in enumerate(inst[2]) if c.value}
    figures = {
        "PTA-1": {"产量": 80000, "综合能耗": 3400},
        "NaOH-1": {"产量": 25000, "综合能耗": 8000},
        "DC-1": {"总耗电量": 130, "IT设备耗电量": 100},
        "CHP": {
            "发电量": 2000,
            "厂用电量": 150,
            "供热量": 60000,
            "耗煤量": 9000,
            "耗用标准煤量": 6500,
        },
    }
    for row in range(3, inst.max_row + 1):
        code = inst.cell(row, icol["装置编号"]).value
        for label, value in figures.get(code, {}).items():
            inst.cell(row, icol[label]).value = value
    out = wb["产品产量"]
    ocol = {str(c.value).split("（")[0]: i + 1 for i, c in enumerate(out[2]) if c.value}
    for row in range(3, out.max_row + 1):
        if out.cell(row, ocol["产品"]).value:
            out.cell(row, ocol["产量"]).value = 1000
    elec = wb["自发电与绿电"]
    ecol = {str(c.value).split("（")[0]: i + 1 for i, c in enumerate(elec[2]) if c.value}
    elec.cell(3, ecol["自发电量"]).value = 2000
    elec.cell(3, ecol["其中：可再生能源发电量"]).value = 50
    elec.cell(3, ecol["绿证"]).value = 100
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_template_fill_import_export_round_trip(
    world: World, month: str, plant: dict[str, Any]
) -> None:
    user = world.persona("enterprise").user
    template = template_bytes("energy", acting_user=user)
    filled = _fill(template, month)
    outcome = import_file(
        filled, acting_user=user, filename="填好的模板.xlsx", confirm_warnings=True
    )
    assert outcome.stored, outcome.issues.to_text()
    assert outcome.outcome is not None
    assert outcome.outcome.counts["created"] == 1
    assert EnergyLine.objects.count() == 6
    assert EnergyLine.objects.get(carrier="bituminous_coal").consumed == 1250.5
    assert EnergyLine.objects.get(carrier="natural_gas").consumed == 80
    assert InstallationLine.objects.count() == 4
    chp = InstallationLine.objects.get(installation=plant["chp"])
    assert chp.generation_kwh == 2000 * 10_000
    assert OutputLine.objects.count() == 2
    facts = ElectricityFacts.objects.get()
    assert (facts.self_generated_kwh, facts.green_certificates) == (2000 * 10_000, 100)

    # export in the template's own format and import it again: nothing changes
    exported = export("energy-reports", acting_user=user, fmt="xlsx", period=month)
    assert exported.rows == 6 + 4 + 2 + 1
    again = import_file(exported.data, acting_user=user, filename="导出.xlsx")
    assert again.stored, again.issues.to_text()
    assert again.outcome is not None
    assert again.outcome.counts["unchanged"] == 1
    assert Revision.objects.count() == 1

    # JSON and CSV exports carry the same numbers
    data = json.loads(export("energy-reports", acting_user=user, fmt="json").data)
    lines = data["sheets"][0]["rows"]
    assert sorted(r["consumed"] for r in lines) == sorted(
        EnergyLine.objects.values_list("consumed", flat=True)
    )
    csv_text = export("energy-results", acting_user=user, fmt="csv").data.decode("utf-8-sig")
    assert world.e_yizheng.credit_code in csv_text


def test_exports_follow_the_scope(world: World, month: str) -> None:
    user = world.persona("enterprise").user
    filled = _fill(template_bytes("energy", acting_user=user), month)
    assert import_file(filled, acting_user=user, filename="t.xlsx", confirm_warnings=True).stored
    for persona, rows in (
        ("enterprise", 6),
        ("area_user", 0),
        ("dept_reporter", 0),
        ("leader", 6),
        ("no_role", 0),
    ):
        result = export("energy-reports", acting_user=world.persona(persona).user, fmt="json")
        assert len(json.loads(result.data)["sheets"][0]["rows"]) == rows, persona

"""The data-collection pages through the browser's eyes (Django test client)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ecplan.accounts.testing import World, close_response
from ecplan.audit.models import AuditEvent
from ecplan.organisations.models import Enterprise, Installation
from ecplan.reporting.models import (
    Attachment,
    EnergyLine,
    IndicatorAssignment,
    IndicatorValue,
    Report,
    Revision,
)
from ecplan.reporting.periods import Period

from .builders import energy_file, energy_row


def _client(world: World, persona: str) -> Client:
    client = Client()
    client.force_login(world.persona(persona).user)
    return client


def _upload(client: Client, data: bytes, **extra: Any) -> Any:
    return client.post(
        "/reporting/import/",
        {"file": SimpleUploadedFile("月报.xlsx", data), **extra},
    )


def test_upload_lists_every_error_and_stores_nothing(world: World, month: str) -> None:
    code = world.e_yizheng.credit_code
    data = energy_file(
        [
            energy_row(code, month, "烟煤", "吨", consumed="一百"),
            energy_row(code, month, "神秘燃料", "吨", consumed=1),
        ]
    )
    resp = _upload(_client(world, "enterprise"), data)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "没有导入任何数据" in html
    assert "“一百”不是数字" in html
    assert "神秘燃料" in html
    assert Report.objects.count() == 0


def test_upload_with_warnings_asks_for_confirmation(world: World, month: str) -> None:
    code = world.e_yizheng.credit_code
    before = str(Period.parse(month).previous())
    data = energy_file(
        [
            energy_row(code, before, "烟煤", "吨", consumed=10),
            energy_row(code, month, "烟煤", "吨", consumed=1000),
        ]
    )
    client = _client(world, "plan_admin")
    resp = _upload(client, data)
    html = resp.content.decode()
    assert "确认导入" in html
    assert Report.objects.count() == 0
    token = resp.context["token"]
    resp = client.post("/reporting/import/", {"token": token})
    assert resp.status_code == 200
    assert resp.context["outcome"].stored
    assert Report.objects.count() == 2
    # the issues of the last upload download as Excel
    resp = client.post("/reporting/import/issues/")
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")


def test_report_detail_and_provenance(world: World, month: str) -> None:
    code = world.e_yizheng.credit_code
    client = _client(world, "enterprise")
    resp = _upload(
        client,
        energy_file(
            [
                energy_row(code, month, "电力", "万千瓦时", consumed=100),
                energy_row(code, month, "原煤", "吨", consumed=50),
            ]
        ),
    )
    assert resp.context["outcome"].needs_confirmation  # 原煤 cannot give CO2: choose a coal type
    resp = client.post("/reporting/import/", {"token": resp.context["token"]})
    report = Report.objects.get()
    html = client.get(f"/reporting/reports/{report.pk}/").content.decode()
    assert "第 1 版" in html
    assert "部分品种无法核算" in html
    html = client.get(f"/reporting/reports/{report.pk}/revisions/1/result/").content.decode()
    assert "数据来源" in html
    assert "GB/T 2589" in html
    assert "因子集" in html
    assert "二手来源" in html or "已核实" in html


def test_template_download(world: World, plant: dict[str, Any]) -> None:
    resp = _client(world, "enterprise").get("/reporting/templates/energy/")
    assert resp.status_code == 200
    assert resp.content.startswith(b"PK")
    assert "attachment" in resp["Content-Disposition"]
    assert _client(world, "leader").get("/reporting/templates/energy/").status_code == 403


def test_import_file_download_is_audited(world: World, month: str) -> None:
    code = world.e_yizheng.credit_code
    client = _client(world, "enterprise")
    _upload(client, energy_file([energy_row(code, month, "电力", "万千瓦时", consumed=1)]))
    batch = Revision.objects.get().import_batch
    assert batch is not None
    resp = client.get(f"/reporting/imports/{batch.pk}/file/")
    assert resp.status_code == 200
    b"".join(resp.streaming_content)  # type: ignore[attr-defined]  # FileResponse
    close_response(resp)
    assert AuditEvent.objects.filter(action="download").count() == 1
    assert (
        _client(world, "area_user").get(f"/reporting/imports/{batch.pk}/file/").status_code == 404
    )


@pytest.fixture
def assignment(world: World, settings: Any) -> IndicatorAssignment:
    settings.ECPLAN_REPORTING_WINDOWS = {"indicator": 36500}  # every past year open
    return IndicatorAssignment.objects.create(
        plan_code="yangzhou-2025",
        indicator="existing_building_retrofit_area_m2",
        organisation=world.dept,
        frequency="year",
        unit="m2",
    )


def test_indicator_entry_with_evidence(world: World, assignment: IndicatorAssignment) -> None:
    client = _client(world, "dept_reporter")
    page = client.get("/reporting/indicators/")
    assert page.status_code == 200
    period = page.context["period"]
    resp = client.post(
        f"/reporting/indicators/?period={period}",
        {
            "v-existing_building_retrofit_area_m2-value": "12.5",
            "v-existing_building_retrofit_area_m2-unit": "万平方米",
            "v-existing_building_retrofit_area_m2-comment": "住建局统计",
            "v-existing_building_retrofit_area_m2-evidence": SimpleUploadedFile(
                "证明.pdf", b"%PDF-1.4 test"
            ),
            "confirm": "1",
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    value = IndicatorValue.objects.get()
    assert value.value_canonical == 125_000
    assert value.evidence is not None
    att = value.evidence
    resp = client.get(f"/reporting/evidence/{att.pk}/")
    assert resp.status_code == 200
    b"".join(resp.streaming_content)  # type: ignore[attr-defined]  # FileResponse
    close_response(resp)
    assert _client(world, "area_user").get(f"/reporting/evidence/{att.pk}/").status_code == 404


def test_evidence_that_is_not_accepted_stores_nothing(
    world: World, assignment: IndicatorAssignment
) -> None:
    client = _client(world, "dept_reporter")
    period = client.get("/reporting/indicators/").context["period"]
    resp = client.post(
        f"/reporting/indicators/?period={period}",
        {
            "v-existing_building_retrofit_area_m2-value": "12.5",
            "v-existing_building_retrofit_area_m2-evidence": SimpleUploadedFile(
                "病毒.exe", b"MZ\x90\x00" + b"\x00" * 100
            ),
        },
    )
    assert resp.status_code == 200
    assert "证明材料" in resp.content.decode()
    assert IndicatorValue.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_enterprise_pages(world: World) -> None:
    from ecplan.accounts.credit_code import make_credit_code

    admin = _client(world, "plan_admin")
    code = make_credit_code("321081", "NEWE0001")
    resp = admin.post(
        "/reporting/enterprises/new/",
        {
            "credit_code": code,
            "name": "示例新材料有限公司",
            "area": "321081",
            "key_unit_class": "over_10k",
        },
    )
    assert resp.status_code == 302
    e = Enterprise.objects.get(credit_code=code)
    bad = admin.post(
        f"/reporting/enterprises/{e.pk}/installations/new/",
        {"code": "G1", "name": "机组", "kind": "generating_unit"},
    )
    assert bad.status_code == 200
    assert "发电机组须注明所属电厂" in bad.content.decode()
    good = admin.post(
        f"/reporting/enterprises/{e.pk}/installations/new/",
        {
            "code": "DC",
            "name": "数据中心",
            "kind": "data_centre",
            "dc_status": "new",
            "it_capacity_kw": "2000",
        },
    )
    assert good.status_code == 302
    assert Installation.objects.get(enterprise=e).it_capacity_kw == 2000
    assert _client(world, "enterprise").get(f"/reporting/enterprises/{e.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        action="create", object_type="organisations.Installation"
    ).exists()


def test_statistics_page_and_lists(world: World, month: str) -> None:
    code = world.e_yizheng.credit_code
    _upload(
        _client(world, "enterprise"),
        energy_file([energy_row(code, month, "电力", "万千瓦时", consumed=1)]),
    )
    for persona in ("plan_admin", "leader", "area_user", "enterprise", "dept_reporter", "no_role"):
        client = _client(world, persona)
        for url in (
            "/reporting/",
            "/reporting/reports/",
            "/reporting/statistics/",
            "/reporting/enterprises/",
            "/reporting/assignments/",
            "/reporting/imports/",
        ):
            assert client.get(url).status_code == 200, (persona, url)
    assert EnergyLine.objects.count() == 1

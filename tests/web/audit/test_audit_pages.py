"""Searching and exporting the audit trail."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from ecplan.accounts.testing import World, close_response
from ecplan.audit.actions import ACTIONS
from ecplan.audit.models import AuditEvent
from ecplan.audit.services import record


def _client(world: World, key: str) -> Client:
    c = Client()
    c.force_login(world.persona(key).user)
    return c


@pytest.fixture
def events(world: World) -> dict[str, AuditEvent]:
    plan = world.persona("plan_admin").user
    area = world.persona("area_user").user
    out = {
        "submit": record(
            "submit",
            actor=area,
            obj=world.e_zone,
            changes={"status": {"old": "草稿", "new": "已提交"}},
            detail="1月能源报表",
        ),
        "approve": record("approve", actor=plan, obj=world.e_zone, detail="审核通过"),
        "formula": record(
            "import", actor=plan, detail='=HYPERLINK("http://x")', object_repr="+cmd|' /C calc'!A0"
        ),
        "old": record("update", actor=plan, obj=world.dept, detail="旧记录"),
    }
    # an event dated in the past (inserted as such; events are never edited afterwards)
    old = AuditEvent(
        action="update",
        actor=plan,
        actor_username=plan.username,
        channel="web",
        occurred_at=timezone.make_aware(dt.datetime(2024, 12, 31, 23, 30)),
        detail="去年的记录",
        object_type="organisations.Organisation",
        object_type_label="部门与单位",
        object_id=str(world.dept.pk),
        object_repr="市工信局",
    )
    old.save()
    out["last_year"] = old
    return out


def test_only_administrators_read_the_trail(world: World, events: dict[str, AuditEvent]) -> None:
    for key in ("plan_admin", "system_admin"):
        c = _client(world, key)
        assert c.get("/audit/").status_code == 200
        assert c.get(f"/audit/{events['submit'].pk}/").status_code == 200
    for key in ("leader", "dept_reporter", "dept_reviewer", "area_user", "enterprise", "no_role"):
        c = _client(world, key)
        assert c.get("/audit/").status_code == 403, key
        assert c.get("/audit/export/?format=csv").status_code == 403, key
        assert c.get(f"/audit/{events['submit'].pk}/").status_code == 404, key


def test_search_by_user_action_object_dates_and_text(
    world: World, events: dict[str, AuditEvent]
) -> None:
    c = _client(world, "plan_admin")

    def found(**params: str) -> set[int]:
        resp = c.get("/audit/", params)
        assert resp.status_code == 200
        return {e.pk for e in resp.context["page"].object_list}

    ids = {k: e.pk for k, e in events.items()}
    assert found(actor="area_user") == {ids["submit"]}
    assert found(actor="测试area") == {ids["submit"]}
    assert found(action="approve") == {ids["approve"]}
    assert found(object_type="organisations.Organisation") == {ids["old"], ids["last_year"]}
    assert found(object_type="organisations.Enterprise", object_id=str(world.e_zone.pk)) == {
        ids["submit"],
        ids["approve"],
    }
    assert found(q="已提交") == {ids["submit"]}  # inside the field changes, Chinese
    assert found(q="1月能源") == {ids["submit"]}
    assert found(date_to="2024-12-31") == {ids["last_year"]}
    assert ids["last_year"] not in found(date_from="2025-01-01")
    # 23:30 Beijing time on 31 December is still that day, not the next
    assert found(date_from="2024-12-31", date_to="2024-12-31") == {ids["last_year"]}
    resp = c.get("/audit/", {"date_from": "2025-02-01", "date_to": "2025-01-01"})
    assert "截止日期早于起始日期" in resp.content.decode()


def test_detail_shows_old_and_new(world: World, events: dict[str, AuditEvent]) -> None:
    html = _client(world, "plan_admin").get(f"/audit/{events['submit'].pk}/").content.decode()
    assert "草稿" in html
    assert "已提交" in html
    assert "区县用户（邗江区）" in html


def test_csv_export_is_chinese_safe_and_audited(
    world: World, events: dict[str, AuditEvent]
) -> None:
    c = _client(world, "plan_admin")  # logging in is an event too
    expected = AuditEvent.objects.filter(actor_username__startswith="t-").count()
    assert expected == 6
    resp = c.get("/audit/export/", {"format": "csv", "actor": "t-"})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("text/csv")
    assert "attachment" in resp["Content-Disposition"]
    body = b"".join(resp.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    close_response(resp)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0][:3] == ["编号", "时间", "操作人用户名"]
    assert len(rows) == 1 + expected
    by_id = {r[0]: r for r in rows[1:]}
    submit = by_id[str(events["submit"].pk)]
    assert submit[5] == "提交"
    assert "已提交" in submit[9]
    formula = by_id[str(events["formula"].pk)]
    assert formula[10].startswith("'=")  # never a live formula in Excel
    assert formula[8].startswith("'+")
    last_year = by_id[str(events["last_year"].pk)]
    assert last_year[1] == "2024-12-31 23:30:00"  # local (Asia/Shanghai) time
    export = AuditEvent.objects.get(action="export")
    assert export.actor == world.persona("plan_admin").user
    assert "CSV" in export.detail
    assert "6 条" in export.detail
    assert "操作人=t-" in export.detail
    assert str(export.pk) not in by_id  # the export's own record is not in its file


def test_xlsx_export(world: World, events: dict[str, AuditEvent]) -> None:
    c = _client(world, "system_admin")
    resp = c.get("/audit/export/", {"format": "xlsx", "action": "submit"})
    assert resp.status_code == 200
    data = b"".join(resp.streaming_content)  # type: ignore[attr-defined]
    close_response(resp)
    book = load_workbook(io.BytesIO(data))
    sheet = book["审计日志"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号"
    assert rows[0][5] == "操作"
    assert len(rows) == 2
    assert rows[1][5] == "提交"
    info = dict(book["说明"].iter_rows(values_only=True))
    assert info["记录数"] == "1"
    assert "操作=submit" in info["筛选条件"]
    assert AuditEvent.objects.filter(action="export", detail__contains="XLSX").exists()


def test_export_refuses_bad_input_in_chinese(world: World, events: dict[str, AuditEvent]) -> None:
    c = _client(world, "plan_admin")
    resp = c.get("/audit/export/", {"format": "pdf"})
    assert resp.status_code == 400
    assert "不支持的导出格式" in resp.content.decode()
    resp = c.get("/audit/export/", {"format": "csv", "date_from": "2025-13-40"})
    assert resp.status_code == 400
    assert "起始日期" in resp.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_can_be_recorded_and_not_altered(world: World, action: str) -> None:
    from ecplan.audit.models import AuditTrailIsAppendOnly

    event = record(action, actor=world.persona("plan_admin").user, obj=world.e_gaoyou)
    assert AuditEvent.objects.filter(pk=event.pk, action=action).exists()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")

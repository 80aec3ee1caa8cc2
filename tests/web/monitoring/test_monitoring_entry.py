"""Binding targets and entered target values: checked in Chinese, all or nothing, never
overwritten, audited, and used by the evaluation (the plan file stays as written)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ecplan.audit.models import AuditEvent
from ecplan.core.evaluation import YearMonth
from ecplan.monitoring.engine import evaluate
from ecplan.monitoring.entry import (
    BindingTargetRecord,
    TargetValueRecord,
    binding_records_from_file,
    parse_fraction,
)
from ecplan.monitoring.models import BindingTarget, BindingTargetRevision, TargetValue
from ecplan.monitoring.services import enter_binding_targets, enter_target_values
from ecplan.plans.models import Target

from .conftest import PLAN


def test_parse_fraction_reads_percentages_and_refuses_bare_numbers_above_one() -> None:
    assert parse_fraction("14%") == Decimal("0.14")
    assert parse_fraction("１４％") == Decimal("0.14")
    assert parse_fraction(0.12) == Decimal("0.12")
    with pytest.raises(ValueError, match="大于 1"):
        parse_fraction(14)
    with pytest.raises(ValueError, match="不是数字"):
        parse_fraction("约14%")
    with pytest.raises(ValueError, match="不能为负数"):
        parse_fraction("-3%")


def test_binding_targets_are_stored_as_revisions_and_audited(plan: Any, admin: Any) -> None:
    out = enter_binding_targets(
        PLAN,
        [
            BindingTargetRecord("扬州市", "单位GDP能耗降低", "14%", source="苏发改〔2021〕X号"),
            BindingTargetRecord("321081", "energy_intensity_change_new_basis", "0.12"),
        ],
        acting_user=admin,
    )
    assert out.stored
    assert out.counts == {"created": 2, "changed": 0, "unchanged": 0}
    yz = BindingTarget.objects.get(area__name="仪征市")
    assert yz.current is not None
    assert yz.current.value == Decimal("0.12")
    # the same value again changes nothing
    again = enter_binding_targets(
        PLAN, [BindingTargetRecord("仪征市", "能耗强度降低", "12%")], acting_user=admin
    )
    assert again.counts["unchanged"] == 1
    assert BindingTargetRevision.objects.filter(binding=yz).count() == 1
    # a new value is a new revision; the old one stays
    changed = enter_binding_targets(
        PLAN,
        [BindingTargetRecord("仪征市", "能耗强度降低", "12.5%")],
        acting_user=admin,
        reason="省里调整分解方案",
    )
    assert changed.counts["changed"] == 1
    yz.refresh_from_db()
    assert [r.value for r in yz.revisions.order_by("number")] == [Decimal("0.12"), Decimal("0.125")]
    assert yz.current is not None
    assert yz.current.number == 2
    event = AuditEvent.objects.filter(
        action="update", object_type="monitoring.BindingTargetRevision"
    ).latest("pk")
    assert event.changes == {"value": {"old": "0.12", "new": "0.125"}}
    assert "省里调整分解方案" in event.detail
    # a revision can never be edited in place
    with pytest.raises(ValueError, match="不可修改"):
        yz.current.save()


def test_binding_entry_refuses_bad_records_with_where_and_how(plan: Any, admin: Any) -> None:
    out = enter_binding_targets(
        PLAN,
        [
            BindingTargetRecord("扬州市", "能耗强度降低", "14%", where="文件.csv 第 2 行"),
            BindingTargetRecord(
                "扬州经济技术开发区", "能耗强度降低", "15%", where="文件.csv 第 3 行"
            ),
            BindingTargetRecord("南京市", "能耗强度降低", "15%", where="文件.csv 第 4 行"),
            BindingTargetRecord("仪征市", "GDP", "15%", where="文件.csv 第 5 行"),
            BindingTargetRecord("仪征市", "能耗强度降低", 12, where="文件.csv 第 6 行"),
            BindingTargetRecord("扬州市", "能耗强度降低", "13%", where="文件.csv 第 7 行"),
        ],
        acting_user=admin,
    )
    texts = [i.text() for i in out.issues]
    assert not out.stored
    assert BindingTarget.objects.count() == 0  # nothing half-stored
    assert any("第 3 行" in t and "功能区" in t and "并入邗江区" in t for t in texts), texts
    assert any("第 4 行" in t and "不是扬州市的地区" in t for t in texts), texts
    assert any("第 5 行" in t and "不认识的约束性指标" in t for t in texts), texts
    assert any("第 6 行" in t and "大于 1" in t and "14%" in t for t in texts), texts
    assert any("第 7 行" in t and "重复录入" in t and "第 2 行" in t for t in texts), texts


def test_only_the_plan_office_enters(world: Any, plan: Any) -> None:
    for key in ("leader", "dept_reporter", "area_user", "enterprise"):
        with pytest.raises(PermissionDenied):
            enter_binding_targets(
                PLAN,
                [BindingTargetRecord("扬州市", "能耗强度降低", "14%")],
                acting_user=world.persona(key).user,
            )


def test_binding_file_import_reports_cells(plan: Any) -> None:
    csv = "地区,指标,数值,基期年份,目标年份,依据\n扬州市,单位GDP能耗降低,14%,2020,2025,测试\n仪征市,,12%,,,\n".encode()
    records, problems = binding_records_from_file(csv, filename="约束性指标.csv")
    assert len(records) == 1
    assert records[0].where.endswith("第 2 行")
    assert any("第 3 行" in p and "指标" in p for p in problems), problems


def test_entered_target_value_feeds_the_evaluation_and_the_plan_file_stays(
    plan: Any, admin: Any
) -> None:
    key = "existing-building-retrofit-area-2025"
    target = Target.objects.get(version=plan.current_version, key=key)
    assert target.state == "not_set"
    assert target.value is None
    before = evaluate(plan.current_version, as_of=YearMonth(2025, 9))
    assert next(t for t in before.targets if t.key == key).result.status.value == "目标未设定"
    # the binding targets' values come from the binding entries, not from here
    refused = enter_target_values(
        PLAN, [TargetValueRecord("fyp14-energy-intensity", "14")], acting_user=admin
    )
    assert refused.issues
    assert "约束性指标" in refused.issues[0].hint
    out = enter_target_values(
        PLAN, [TargetValueRecord(key, "150", source="市住建局函")], acting_user=admin
    )
    assert out.stored
    after = evaluate(plan.current_version, as_of=YearMonth(2025, 9))
    t = next(t for t in after.targets if t.key == key)
    assert t.result.target == pytest.approx(1_500_000)  # 150 万平方米
    assert t.result.status.value == "无数据"  # nothing reported yet
    assert any("计划管理部门录入" in n for n in t.result.notes)
    target.refresh_from_db()
    assert target.value is None
    assert target.state == "not_set"
    assert TargetValue.objects.get(target_key=key).current.value == Decimal("150")


def test_binding_page_enters_and_shows_history(world: Any, plan: Any, client: Any) -> None:
    client.force_login(world.persona("plan_admin").user)
    url = reverse("monitoring:bindings", args=[PLAN])
    response = client.post(
        url,
        {
            "area": "仪征市",
            "indicator": "energy_intensity_change_new_basis",
            "value": "12%",
            "base_year": "2020",
            "target_year": "2025",
            "source": "测试文件",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "仪征市" in page
    assert "12%" in page
    assert "测试文件" in page
    bad = client.post(
        url,
        {
            "area": "仪征市",
            "indicator": "energy_intensity_change_new_basis",
            "value": "abc",
            "base_year": "2020",
            "target_year": "2025",
        },
    )
    assert bad.status_code == 200
    assert "不是数字" in bad.content.decode()
    # a leader reads the page but cannot post
    client.force_login(world.persona("leader").user)
    assert client.get(url).status_code == 200
    assert client.post(url, {"area": "仪征市", "indicator": "x", "value": "1%"}).status_code == 403

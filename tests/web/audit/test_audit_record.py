"""record() and the diff helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import RequestFactory

from ecplan.accounts.testing import World
from ecplan.audit.actions import ACTIONS, register_action
from ecplan.audit.context import operating
from ecplan.audit.models import AuditEvent, Channel
from ecplan.audit.services import (
    diff,
    record,
    record_create,
    record_delete,
    record_update,
    snapshot,
)


def test_record_stores_who_what_where(world: World) -> None:
    user = world.persona("area_user").user
    request = RequestFactory().post(
        "/reporting/x/", HTTP_USER_AGENT="Mozilla/5.0 测试", REMOTE_ADDR="10.1.2.3"
    )
    event = record(
        "submit",
        actor=user,
        obj=world.e_zone,
        changes={"status": {"old": "draft", "new": "submitted"}},
        request=request,
        detail="2025年1月能源报表",
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.actor == user
    assert event.actor_username == "t-area_user"
    assert event.actor_name == "测试area_user"
    assert event.actor_roles == "区县用户（邗江区）"
    assert event.channel == Channel.WEB
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "Mozilla/5.0 测试"
    assert (event.request_method, event.request_path) == ("POST", "/reporting/x/")
    assert event.object_type == "organisations.Enterprise"
    assert event.object_type_label == "重点用能企业"
    assert event.object_id == str(world.e_zone.pk)
    assert event.object_repr == "测试经开区机械有限公司"
    assert event.changes == {"status": {"old": "draft", "new": "submitted"}}
    assert event.action_label == "提交"
    assert "t-area_user 提交 重点用能企业“测试经开区机械有限公司”" in str(event)


def test_record_without_request_is_system_or_command_line(world: World) -> None:
    event = record("import", actor=None, detail="批量导入")
    assert event.channel == Channel.SYSTEM
    assert event.actor is None
    assert event.ip_address is None
    with operating("cli", operator="root"):
        event = record("import", actor=None)
    assert (event.channel, event.actor_username) == (Channel.CLI, "root")


@pytest.mark.django_db
def test_unknown_action_is_refused_and_apps_can_register_theirs() -> None:
    with pytest.raises(ValueError, match="未注册的审计操作"):
        record("approv", actor=None)
    assert AuditEvent.objects.count() == 0
    register_action("recalculate", "重新核算")
    try:
        assert record("recalculate", actor=None).action_label == "重新核算"
        with pytest.raises(ValueError, match="已注册"):
            register_action("recalculate", "别的名字")
        with pytest.raises(ValueError, match="小写英文"):
            register_action("重新核算", "x")
    finally:
        del ACTIONS["recalculate"]


def test_password_never_reaches_the_trail(world: World) -> None:
    user = world.persona("leader").user
    snap = snapshot(user)
    assert "password" not in snap
    event = record("update", actor=None, obj=user, changes={"password": {"old": "a", "new": "b"}})
    assert event.changes == {}


def test_snapshot_and_diff_of_a_model(world: World) -> None:
    e = world.e_yizheng
    before = snapshot(e)
    assert before["area"] == {"id": world.yizheng.pk, "repr": "仪征市"}
    assert before["budget_managed"] is False
    e.name = "测试仪征化工股份有限公司"
    e.zone = world.zone
    e.budget_managed = True
    e.save()
    changes = diff(before, snapshot(e))
    assert changes == {
        "budget_managed": {"old": False, "new": True},
        "name": {"old": "测试仪征化工有限公司", "new": "测试仪征化工股份有限公司"},
        "zone": {"old": None, "new": {"id": world.zone.pk, "repr": "扬州经济技术开发区"}},
    }
    event = record_update(e, actor=world.persona("plan_admin").user, before=before)
    assert event is not None
    assert event.changes == changes
    # nothing changed: nothing recorded
    assert record_update(e, actor=None, before=snapshot(e)) is None


def test_diff_keeps_full_precision_of_values() -> None:
    before = {
        "energy_tce": str(Decimal("1234.5678901234")),
        "day": dt.date(2025, 1, 31).isoformat(),
    }
    after = {"energy_tce": str(Decimal("1234.5678901235")), "day": "2025-01-31"}
    assert diff(before, after) == {
        "energy_tce": {"old": "1234.5678901234", "new": "1234.5678901235"}
    }


def test_record_create_and_delete(world: World) -> None:
    from ecplan.accounts.credit_code import make_credit_code
    from ecplan.organisations.models import Enterprise

    e = Enterprise.objects.create(
        region=world.region,
        credit_code=make_credit_code("321084", "T0000077"),
        name="新企业",
        area=world.gaoyou,
    )
    created = record_create(e, actor=None)
    assert created.action == "create"
    assert created.changes["name"] == {"old": None, "new": "新企业"}
    assert created.changes["area"]["new"]["repr"] == "高邮市"
    pk = e.pk
    deleted = record_delete(e, actor=None)
    e.delete()
    assert deleted.object_id == str(pk)
    assert deleted.changes["name"] == {"old": "新企业", "new": None}

"""Inviting, editing, disabling and re-roling users through the Chinese pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from ecplan.accounts.models import Role, RoleAssignment, User
from ecplan.accounts.testing import TEST_PASSWORD, World
from ecplan.audit.models import AuditEvent


def _client(world: World, key: str) -> Client:
    c = Client()
    c.force_login(world.persona(key).user)
    return c


def _invite(client: Client, **extra: str) -> object:
    data = {
        "username": "wanghong",
        "full_name": "王红",
        "email": "wanghong@example.gov.cn",
        "phone": "0514-0000000",
        "position": "市工信局节能科",
        "role": Role.DEPT_REPORTER,
        "organisation": "",
        "area": "",
        "enterprise": "",
    }
    data.update(extra)
    return client.post("/accounts/users/new/", data)


def test_invitation_end_to_end(world: World) -> None:
    admin = _client(world, "plan_admin")
    resp = _invite(admin, organisation=str(world.dept.pk))
    assert resp.status_code == 200, resp.content.decode()
    html = resp.content.decode()
    assert "设置密码链接已生成" in html
    user = User.objects.get(username="wanghong")
    assert not user.has_usable_password()
    assert user.invited_by == world.persona("plan_admin").user
    assert [ra.label for ra in user.role_assignments.all()] == ["部门填报员（市工信局）"]
    # the e-mail carries the one-time link
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wanghong@example.gov.cn"]
    assert "账户邀请" in message.subject
    link = re.search(r"http://testserver(/accounts/invite/\S+/)", message.body)
    assert link is not None
    assert link.group(1) in html
    events = AuditEvent.objects.filter(object_id=str(user.pk))
    assert set(events.values_list("action", flat=True)) == {"invite", "role_grant"}

    # the invitee sets a password (anonymous, public link)
    guest = Client()
    resp = guest.get(link.group(1))
    assert resp.status_code == 302  # Django moves the token out of the URL
    form_url = resp["Location"]
    page = guest.get(form_url).content.decode()
    assert "wanghong" in page
    assert "设置密码" in page
    resp = guest.post(form_url, {"new_password1": "abc", "new_password2": "abc"})
    assert "密码太短" in resp.content.decode()
    resp = guest.post(
        form_url, {"new_password1": "Yz-jieneng-2025", "new_password2": "Yz-jieneng-2025"}
    )
    assert resp.status_code == 302
    assert resp["Location"] == "/accounts/login/"
    user.refresh_from_db()
    assert user.check_password("Yz-jieneng-2025")
    assert AuditEvent.objects.filter(action="password_set", actor=user).exists()
    # the link works once
    again = Client().get(link.group(1), follow=True).content.decode()
    assert "链接无效或已过期" in again
    assert (
        Client()
        .post("/accounts/login/", {"username": "wanghong", "password": "Yz-jieneng-2025"})
        .status_code
        == 302
    )


def test_invite_without_email_shows_the_link_and_sends_nothing(world: World) -> None:
    resp = _invite(_client(world, "system_admin"), email="", role=Role.LEADER)
    html = resp.content.decode()
    assert "没有电子邮箱" in html
    assert "/accounts/invite/" in html
    assert mail.outbox == []
    assert RoleAssignment.objects.get(user__username="wanghong").role == Role.LEADER


def test_invite_errors_are_chinese_and_nothing_is_half_stored(world: World) -> None:
    admin = _client(world, "plan_admin")
    # scope missing for a department role
    resp = _invite(admin)
    html = resp.content.decode()
    assert "必须选择部门与单位" in html
    assert not User.objects.filter(username="wanghong").exists()
    # duplicate username
    resp = _invite(admin, username="t-leader", organisation=str(world.dept.pk))
    assert "已被使用" in resp.content.decode()
    # a plan administrator cannot hand out the leader or administrator roles
    resp = _invite(admin, role=Role.LEADER)
    assert "选择一个有效的选项" in resp.content.decode() or "有效" in resp.content.decode()
    assert not User.objects.filter(username="wanghong").exists()
    assert not AuditEvent.objects.filter(action="invite").exists()


def test_grant_and_revoke_roles(world: World) -> None:
    admin = _client(world, "plan_admin")
    target = world.persona("no_role").user
    resp = admin.post(
        f"/accounts/users/{target.pk}/roles/new/",
        {"role": Role.AREA_USER, "area": str(world.gaoyou.pk)},
    )
    assert resp.status_code == 302
    ra = RoleAssignment.objects.get(user=target)
    assert ra.label == "区县用户（高邮市）"
    grant_event = AuditEvent.objects.get(action="role_grant", object_id=str(target.pk))
    assert grant_event.changes == {"roles": {"old": None, "new": "区县用户（高邮市）"}}
    # same role on same scope twice: refused in Chinese
    resp = admin.post(
        f"/accounts/users/{target.pk}/roles/new/",
        {"role": Role.AREA_USER, "area": str(world.gaoyou.pk)},
    )
    assert "已有角色" in resp.content.decode()
    # wrong scope kind for the role
    resp = admin.post(
        f"/accounts/users/{target.pk}/roles/new/",
        {"role": Role.ENTERPRISE_REPORTER, "area": str(world.gaoyou.pk)},
    )
    html = resp.content.decode()
    assert "必须选择企业" in html
    assert "不需要此项" in html
    # revoke: GET asks, POST does
    assert "确定撤销" in admin.get(f"/accounts/roles/{ra.pk}/revoke/").content.decode()
    assert admin.post(f"/accounts/roles/{ra.pk}/revoke/").status_code == 302
    assert not RoleAssignment.objects.filter(user=target).exists()
    revoke = AuditEvent.objects.get(action="role_revoke")
    assert revoke.changes == {"roles": {"old": "区县用户（高邮市）", "new": None}}


def test_plan_admin_cannot_touch_administrators_or_leaders(world: World) -> None:
    admin = _client(world, "plan_admin")
    leader = world.persona("leader").user
    sysadmin = world.persona("system_admin").user
    for target in (leader, sysadmin, world.persona("plan_admin").user):
        assert admin.get(f"/accounts/users/{target.pk}/").status_code == 200  # may look
        for action in ("edit", "disable", "roles/new", "reinvite", "unlock"):
            assert admin.get(f"/accounts/users/{target.pk}/{action}/").status_code == 403
        assert admin.post(f"/accounts/users/{target.pk}/disable/").status_code == 403
    ra = RoleAssignment.objects.get(user=leader)
    assert admin.post(f"/accounts/roles/{ra.pk}/revoke/").status_code == 403
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()
    # and cannot escalate a user it manages
    target = world.persona("enterprise").user
    resp = admin.post(
        f"/accounts/users/{target.pk}/roles/new/",
        {"role": Role.PLAN_ADMIN, "organisation": world.plan_office.pk},
    )
    assert resp.status_code == 200
    assert not RoleAssignment.objects.filter(user=target, role=Role.PLAN_ADMIN).exists()


def test_disable_and_enable(world: World) -> None:
    admin = _client(world, "system_admin")
    target = world.persona("dept_reviewer").user
    victim = Client()
    victim.force_login(target)
    assert admin.post(f"/accounts/users/{target.pk}/disable/").status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert victim.get("/").status_code == 302
    event = AuditEvent.objects.get(action="user_disable")
    assert event.changes == {"is_active": {"old": True, "new": False}}
    assert admin.post(f"/accounts/users/{target.pk}/enable/").status_code == 302
    target.refresh_from_db()
    assert target.is_active
    assert AuditEvent.objects.filter(action="user_enable").exists()


def test_the_last_system_admin_cannot_be_removed(world: World) -> None:
    admin = _client(world, "system_admin")
    me = world.persona("system_admin").user
    resp = admin.post(f"/accounts/users/{me.pk}/disable/")
    assert "不能停用自己" in resp.content.decode()
    ra = RoleAssignment.objects.get(user=me)
    resp = admin.post(f"/accounts/roles/{ra.pk}/revoke/")
    assert "最后一个" in resp.content.decode()
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()


def test_edit_user_records_field_changes(world: World) -> None:
    admin = _client(world, "plan_admin")
    target = world.persona("enterprise").user
    resp = admin.post(
        f"/accounts/users/{target.pk}/edit/",
        {"full_name": "李四", "email": "lisi@example.com", "phone": "", "position": "能源管理员"},
    )
    assert resp.status_code == 302
    event = AuditEvent.objects.get(action="user_update")
    assert event.changes["full_name"] == {"old": "测试enterprise", "new": "李四"}
    assert event.changes["position"] == {"old": "", "new": "能源管理员"}
    detail = admin.get(f"/audit/{event.pk}/").content.decode()
    assert "姓名" in detail
    assert "李四" in detail


def test_user_list_search_and_access(world: World) -> None:
    admin = _client(world, "plan_admin")
    html = admin.get("/accounts/users/", {"q": "dept_re"}).content.decode()
    assert "t-dept_reporter" in html
    assert "t-dept_reviewer" in html
    assert "t-leader" not in html
    html = admin.get("/accounts/users/", {"role": Role.LEADER}).content.decode()
    assert "t-leader" in html
    assert "t-dept_reporter" not in html
    for key in ("leader", "dept_reporter", "area_user", "enterprise", "no_role"):
        assert _client(world, key).get("/accounts/users/").status_code == 403, key
        assert _client(world, key).get("/accounts/users/new/").status_code == 403, key


def test_everyone_sees_and_changes_only_their_own_account(world: World) -> None:
    c = _client(world, "area_user")
    me = world.persona("area_user").user
    other = world.persona("leader").user
    assert c.get(f"/accounts/users/{me.pk}/").status_code == 200
    assert c.get(f"/accounts/users/{other.pk}/").status_code == 404
    html = c.get("/accounts/me/").content.decode()
    assert "区县用户（邗江区）" in html
    resp = c.post(
        "/accounts/password/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Xin-mima-2025!",
            "new_password2": "Xin-mima-2025!",
        },
    )
    assert resp.status_code == 302
    assert c.get("/accounts/me/").status_code == 200  # session kept
    me.refresh_from_db()
    assert me.check_password("Xin-mima-2025!")
    assert AuditEvent.objects.filter(action="password_change", actor=me).exists()
    resp = c.post(
        "/accounts/password/",
        {"old_password": "wrong", "new_password1": "a", "new_password2": "a"},
    )
    assert "旧密码不正确" in resp.content.decode() or "原密码" in resp.content.decode()


@pytest.mark.parametrize("key", ["plan_admin", "leader", "dept_reporter", "no_role"])
def test_django_admin_is_for_system_admins_only(world: World, key: str) -> None:
    c = _client(world, key)
    assert c.get("/admin/").status_code == 403
    assert c.get("/admin/login/").status_code == 403
    assert c.get("/admin/audit/auditevent/").status_code == 403


def test_django_admin_audit_trail_is_read_only(world: World) -> None:
    from ecplan.audit.services import record

    event = record("export", actor=None, detail="原始说明")
    c = _client(world, "system_admin")
    assert c.get("/admin/").status_code == 200
    assert c.get("/admin/audit/auditevent/").status_code == 200
    page = c.get(f"/admin/audit/auditevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert c.get("/admin/audit/auditevent/add/").status_code == 403
    assert c.get(f"/admin/audit/auditevent/{event.pk}/delete/").status_code == 403
    assert c.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert (
        c.post(f"/admin/audit/auditevent/{event.pk}/change/", {"detail": "篡改"}).status_code == 403
    )
    resp = c.post(
        "/admin/audit/auditevent/",
        {"action": "delete_selected", "_selected_action": [str(event.pk)], "post": "yes"},
    )
    assert resp.status_code in (200, 302)
    event.refresh_from_db()
    assert AuditEvent.objects.get(pk=event.pk).detail == "原始说明"


def test_admin_changes_are_audited(world: World) -> None:
    c = _client(world, "system_admin")
    resp = c.post(
        f"/admin/organisations/region/{world.region.pk}/change/",
        {"code": world.region.code, "name": "扬州市", "province": "江苏"},
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    event = AuditEvent.objects.get(action="update", object_type="organisations.Region")
    assert event.actor == world.persona("system_admin").user
    assert "系统管理后台" in event.detail
    assert event.ip_address == "127.0.0.1"

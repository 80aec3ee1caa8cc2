"""Login, logout, lockout, session and password rules — through the pages."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from ecplan.accounts.testing import TEST_PASSWORD, World, make_user
from ecplan.audit.models import AuditEvent

LOGIN = "/accounts/login/"


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.7") -> object:
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        HTTP_USER_AGENT="pytest-浏览器",
    )


def test_login_page_names_the_platform_and_is_chinese(client: Client, db: None) -> None:
    html = client.get(LOGIN).content.decode()
    assert settings.ECPLAN_PLATFORM_NAME in html
    assert "用户名" in html
    assert "密码" in html
    assert "登录" in html


def test_anonymous_visitors_are_sent_to_login(client: Client, db: None) -> None:
    for path in ("/", "/accounts/users/", "/audit/", "/admin/", "/no-such-page/"):
        resp = client.get(path)
        assert resp.status_code == 302, path
        assert resp["Location"].startswith(f"{LOGIN}?next="), path


def test_successful_login_and_logout_are_audited(client: Client, world: World) -> None:
    resp = _login(client, "t-leader", TEST_PASSWORD)
    assert resp.status_code == 302
    assert resp["Location"] == "/"
    event = AuditEvent.objects.get(action="login")
    assert event.actor == world.persona("leader").user
    assert event.ip_address == "10.0.0.7"
    assert event.user_agent == "pytest-浏览器"
    assert event.channel == "web"
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="logout", actor=world.persona("leader").user).exists()
    assert client.get("/").status_code == 302


def test_failed_login_is_audited_with_chinese_error(client: Client, world: World) -> None:
    resp = _login(client, "t-leader", "wrong-password")
    assert resp.status_code == 200
    assert "用户名或密码不正确" in resp.content.decode()
    event = AuditEvent.objects.get(action="login_failed")
    assert event.actor is None
    assert event.object_repr == "t-leader"
    assert event.ip_address == "10.0.0.7"
    assert "wrong-password" not in str(event.changes) + event.detail


def test_lockout_after_repeated_failures(client: Client, world: World) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert _login(client, "t-plan_admin", "bad-Passw0rd!").status_code == 200
    resp = _login(client, "t-plan_admin", "bad-Passw0rd!")
    assert resp.status_code == 429
    html = resp.content.decode()
    assert "登录失败次数过多" in html
    assert "暂时锁定" in html
    assert settings.ECPLAN_PLATFORM_NAME in html
    # even the right password is refused while locked
    resp = _login(client, "t-plan_admin", TEST_PASSWORD)
    assert resp.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="lockout", object_repr="t-plan_admin").exists()
    assert AuditEvent.objects.filter(action="login_failed").count() >= limit
    # another user from the same address is not locked (username + IP combination)
    assert _login(client, "t-leader", TEST_PASSWORD).status_code == 302


def test_unlock_by_administrator_lets_the_user_in(client: Client, world: World) -> None:
    from ecplan.accounts import services

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "t-enterprise", "bad-Passw0rd!")
    user = world.persona("enterprise").user
    assert services.is_locked(user)
    admin = Client()
    admin.force_login(world.persona("plan_admin").user)
    detail = admin.get(f"/accounts/users/{user.pk}/").content.decode()
    assert "登录已锁定" in detail
    resp = admin.post(f"/accounts/users/{user.pk}/unlock/")
    assert resp.status_code == 302
    assert not services.is_locked(user)
    assert AuditEvent.objects.filter(action="unlock", object_id=str(user.pk)).exists()
    assert _login(client, "t-enterprise", TEST_PASSWORD).status_code == 302


def test_disabled_user_cannot_log_in_and_loses_session(client: Client, world: World) -> None:
    user = world.persona("dept_reporter").user
    client.force_login(user)
    assert client.get("/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/").status_code == 302  # session no longer authenticates
    resp = _login(client, "t-dept_reporter", TEST_PASSWORD)
    assert resp.status_code == 200
    assert "用户名或密码不正确" in resp.content.decode()


def test_passwords_are_hashed_with_argon2(world: World) -> None:
    user = world.persona("leader").user
    assert user.password.startswith("argon2$")
    assert "Argon2" in settings.PASSWORD_HASHERS[0]


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "太短"),
        ("abcdefghijk", "三类"),
        ("12345678901", "只包含数字"),
        ("password123", "太常见"),
    ],
)
def test_password_rules_speak_chinese(db: None, password: str, message: str) -> None:
    user = make_user("rules-user", full_name="规则")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_session_and_cookie_settings() -> None:
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_login_requires_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    resp = client.post(LOGIN, {"username": "t-leader", "password": TEST_PASSWORD})
    assert resp.status_code == 403
    assert "_auth_user_id" not in client.session


def test_demo_user_cannot_log_in_under_production_settings(
    client: Client, world: World, settings: object
) -> None:
    user = world.persona("leader").user
    user.is_demo = True
    user.save()
    settings.ECPLAN_DEMO_ALLOWED = False  # type: ignore[attr-defined]  # pytest-django settings fixture
    resp = _login(client, "t-leader", TEST_PASSWORD)
    assert resp.status_code == 200
    settings.ECPLAN_DEMO_ALLOWED = True  # type: ignore[attr-defined]
    assert _login(client, "t-leader", TEST_PASSWORD).status_code == 302
    settings.ECPLAN_DEMO_ALLOWED = False  # type: ignore[attr-defined]
    assert client.get("/").status_code == 302  # an open demo session ends too

"""Demo accounts and the ``ecplan demo-accounts`` / ``ecplan users`` commands."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.test import Client

from ecplan.accounts.credit_code import is_valid_credit_code
from ecplan.accounts.demo import DemoUnavailable, create_demo_accounts, demo_accounts
from ecplan.accounts.models import Role, RoleAssignment, User
from ecplan.accounts.policies import viewable
from ecplan.audit.models import AuditEvent
from ecplan.cli import main
from ecplan.organisations.models import Enterprise
from ecplan.plans.services import load_shipped_plans
from ecplan.web.demo import DemoNotAllowed, enable_demo


@pytest.fixture
def demo(db: None) -> list[dict[str, str]]:
    load_shipped_plans()
    out = io.StringIO()
    assert enable_demo(out)
    return demo_accounts()


def test_one_demo_account_per_role_with_demo_scopes(demo: list[dict[str, str]]) -> None:
    assert sorted(r["role"] for r in demo) == sorted(Role.values)
    assert all(set(r) == {"username", "password", "role", "scope"} for r in demo)
    scopes = {r["role"]: r["scope"] for r in demo}
    assert scopes[Role.PLAN_ADMIN] == "市发改委"
    assert scopes[Role.DEPT_REPORTER] == scopes[Role.DEPT_REVIEWER] == "市工信局"
    assert scopes[Role.AREA_USER] == "仪征市"
    assert scopes[Role.ENTERPRISE_REPORTER] == "示例精密制造有限公司"
    assert scopes[Role.LEADER] == scopes[Role.SYSTEM_ADMIN] == "全部"
    for row in demo:
        user = User.objects.get(username=row["username"])
        assert user.is_demo
        validate_password(row["password"], user)  # demo passwords follow the rules
        assert RoleAssignment.objects.get(user=user).role == row["role"]


def test_demo_enterprise_is_fictional_valid_and_flagged(demo: list[dict[str, str]]) -> None:
    enterprise = Enterprise.objects.get(name="示例精密制造有限公司")
    assert enterprise.is_demo
    assert is_valid_credit_code(enterprise.credit_code)
    assert enterprise.area.name == "仪征市"


def test_each_demo_account_logs_in_and_sees_its_scope(demo: list[dict[str, str]]) -> None:
    enterprise = Enterprise.objects.get(name="示例精密制造有限公司")
    for row in demo:
        client = Client()
        resp = client.post(
            "/accounts/login/", {"username": row["username"], "password": row["password"]}
        )
        assert resp.status_code == 302, row["username"]
        assert client.get("/").status_code == 200
        user = User.objects.get(username=row["username"])
        visible = set(viewable(user, Enterprise))
        if row["role"] in (Role.DEPT_REPORTER, Role.DEPT_REVIEWER):
            assert visible == set()
        else:
            assert enterprise in visible, row["role"]


def test_demo_step_is_idempotent_and_audited(demo: list[dict[str, str]]) -> None:
    assert create_demo_accounts() == []
    assert demo_accounts() == demo
    grants = AuditEvent.objects.filter(action="role_grant", channel="system")
    assert grants.count() == len(Role.values)


def test_demo_accounts_command_json_and_table(
    demo: list[dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-accounts", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == demo
    assert main(["demo-accounts"]) == 0
    table = capsys.readouterr().out
    assert "用户名" in table
    assert "demo-enterprise" in table
    assert "企业填报员" in table


def test_serve_demo_prints_the_accounts(
    demo: list[dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    from ecplan.accounts.demo import print_demo_accounts

    out = io.StringIO()
    print_demo_accounts(out)
    text = out.getvalue()
    assert "演示账户" in text
    for row in demo:
        assert row["username"] in text
        assert row["password"] in text


def test_not_in_a_non_demo_instance(db: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(DemoUnavailable, match="不是演示实例"):
        demo_accounts()
    assert main(["demo-accounts", "--format", "json"]) == 1
    assert "不是演示实例" in capsys.readouterr().err


def test_refused_under_production_settings(
    db: None, settings: object, capsys: pytest.CaptureFixture[str]
) -> None:
    load_shipped_plans()
    settings.ECPLAN_DEMO_ALLOWED = False  # type: ignore[attr-defined]  # as ECPLAN_ENV=production sets it
    with pytest.raises(DemoNotAllowed):
        enable_demo(io.StringIO())
    with pytest.raises(DemoUnavailable, match="生产环境"):
        create_demo_accounts()
    assert not User.objects.filter(is_demo=True).exists()
    assert main(["demo-accounts", "--format", "json"]) == 1
    assert "生产环境" in capsys.readouterr().err


def test_demo_accounts_command_refused_with_production_environment(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "ECPLAN_ENV": "production",
        "ECPLAN_SECRET_KEY": "x" * 60,
        "ECPLAN_ALLOWED_HOSTS": "ecplan.example.gov.cn",
        "ECPLAN_DATA_DIR": str(tmp_path),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    for argv in (["demo-accounts", "--format", "json"], ["serve", "--demo", "--no-start"]):
        proc = subprocess.run(
            [sys.executable, "-m", "ecplan", *argv], env=env, capture_output=True, text=True
        )
        assert proc.returncode != 0, (argv, proc.stdout)
        assert "生产环境" in proc.stderr, (argv, proc.stderr)
        assert proc.stdout.strip() == "" or "演示账户" not in proc.stdout


def test_serve_demo_end_to_end(tmp_path: Path) -> None:
    env = {**os.environ, "ECPLAN_ENV": "development", "ECPLAN_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DATABASE_URL", None)
    serve = subprocess.run(
        [sys.executable, "-m", "ecplan", "serve", "--demo", "--no-start"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    listed = subprocess.run(
        [sys.executable, "-m", "ecplan", "demo-accounts", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(listed.stdout)
    assert len(rows) == len(Role.values)
    for row in rows:
        assert row["username"] in serve.stdout
        assert row["password"] in serve.stdout


def test_users_commands(
    db: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_shipped_plans()
    monkeypatch.setattr(sys, "stdin", io.StringIO("Guanli-yuan-2025\n"))
    assert (
        main(
            [
                "users",
                "create",
                "root-admin",
                "--name",
                "管理员",
                "--role",
                "system_admin",
                "--password-stdin",
            ]
        )
        == 0
    )
    admin = User.objects.get(username="root-admin")
    assert admin.check_password("Guanli-yuan-2025")
    assert (
        main(
            [
                "users",
                "create",
                "zhou",
                "--name",
                "周工",
                "--role",
                "dept_reviewer",
                "--scope",
                "工信局",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "/accounts/invite/" in out
    zhou = User.objects.get(username="zhou")
    assert [ra.label for ra in zhou.role_assignments.all()] == ["部门审核员（市工信局）"]
    assert main(["users", "grant", "zhou", "area_user", "--scope", "321081"]) == 0
    assert main(["users", "revoke", "zhou", "dept_reviewer", "--scope", "industry-it"]) == 0
    assert [ra.label for ra in zhou.role_assignments.all()] == ["区县用户（仪征市）"]
    assert main(["users", "disable", "zhou"]) == 0
    zhou.refresh_from_db()
    assert not zhou.is_active
    assert main(["users", "enable", "zhou"]) == 0
    assert "已启用" in capsys.readouterr().out
    assert main(["users", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {r["username"] for r in listed} == {"root-admin", "zhou"}
    events = AuditEvent.objects.filter(channel="cli")
    assert set(events.values_list("action", flat=True)) >= {
        "invite",
        "password_set",
        "role_grant",
        "role_revoke",
        "user_disable",
        "user_enable",
    }
    assert all(e.actor_username.startswith("命令行:") for e in events)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["users", "grant", "nobody", "leader"], "用户“nobody”不存在"),
        (
            [
                "users",
                "create",
                "a1",
                "--name",
                "甲",
                "--role",
                "dept_reporter",
                "--scope",
                "不存在局",
            ],
            "找不到部门与单位“不存在局”",
        ),
        (["users", "create", "a2", "--name", "乙", "--role", "area_user"], "需要用 --scope"),
        (
            ["users", "create", "a3", "--name", "丙", "--role", "leader", "--scope", "仪征市"],
            "不需要范围",
        ),
        (
            [
                "users",
                "create",
                "a4",
                "--name",
                "丁",
                "--role",
                "plan_admin",
                "--scope",
                "市工信局",
            ],
            "不是计划管理部门",
        ),
    ],
)
def test_users_command_errors_are_chinese_and_store_nothing(
    db: None, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    load_shipped_plans()
    assert main(argv) == 1
    assert message in capsys.readouterr().err
    assert not User.objects.exists()

"""Production settings: ``check --deploy`` is clean and the security settings are what we say."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "ECPLAN_ENV": "production",
        "ECPLAN_SECRET_KEY": secrets.token_urlsafe(60),
        "ECPLAN_ALLOWED_HOSTS": "ecplan.example.gov.cn",
        "ECPLAN_DATA_DIR": str(tmp_path),
    }
    for key in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "ECPLAN_DEBUG"):
        env.pop(key, None)
    return env


def _ecplan(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ecplan", *argv], env=env, capture_output=True, text=True
    )


def test_check_deploy_is_clean_under_production_settings(production_env: dict[str, str]) -> None:
    proc = _ecplan(production_env, "manage", "check", "--deploy", "--fail-level", "WARNING")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


def test_audit_triggers_are_checked_on_a_migrated_production_database(
    production_env: dict[str, str],
) -> None:
    assert _ecplan(production_env, "manage", "migrate", "-v", "0").returncode == 0
    proc = _ecplan(production_env, "manage", "check", "--database", "default")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_production_security_settings(production_env: dict[str, str]) -> None:
    code = (
        "import json; from django.conf import settings as s; import django; django.setup();"
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','SESSION_COOKIE_HTTPONLY',"
        "'SECURE_HSTS_SECONDS','SECURE_SSL_REDIRECT','SESSION_COOKIE_AGE',"
        "'SESSION_EXPIRE_AT_BROWSER_CLOSE','X_FRAME_OPTIONS','ECPLAN_DEMO_ALLOWED',"
        "'AXES_FAILURE_LIMIT','AUTH_USER_MODEL']} | {'HASHER': s.PASSWORD_HASHERS[0]}))"
    )
    env = {**production_env, "DJANGO_SETTINGS_MODULE": "ecplan.settings"}
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    values = json.loads(proc.stdout)
    assert values == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_AGE": 8 * 3600,
        "SESSION_EXPIRE_AT_BROWSER_CLOSE": True,
        "X_FRAME_OPTIONS": "DENY",
        "ECPLAN_DEMO_ALLOWED": False,
        "AXES_FAILURE_LIMIT": 5,
        "AUTH_USER_MODEL": "accounts.User",
        "HASHER": "django.contrib.auth.hashers.Argon2PasswordHasher",
    }

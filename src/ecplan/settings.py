"""Django settings for ecplan, read from environment variables.

Environment variables (all optional in development):

``ECPLAN_ENV``
    ``development`` (default), ``production`` or ``test``.
``ECPLAN_DATA_DIR``
    Where the platform keeps its files: the embedded SQLite database, uploaded files,
    loaded factor sets and the development secret key. Default: ``$XDG_DATA_HOME/ecplan``
    (``~/.local/share/ecplan``). Created on first run.
``DATABASE_URL``
    e.g. ``postgres://user:pass@127.0.0.1:5432/ecplan``. Default: SQLite file
    ``<ECPLAN_DATA_DIR>/ecplan.sqlite3``.
``ECPLAN_SECRET_KEY``
    Required in production.
``ECPLAN_ALLOWED_HOSTS``
    Comma-separated host names. Required in production.
``ECPLAN_CSRF_TRUSTED_ORIGINS``
    Comma-separated origins (``https://ecplan.example.gov.cn``), production behind a proxy.
``ECPLAN_EMAIL_URL``
    ``smtp://user:pass@host:port`` (``smtp+tls://`` for STARTTLS, ``smtps://`` for SSL; default
    ports 25, 587, 465; other schemes are refused). Default: console backend.
``ECPLAN_DEFAULT_FROM_EMAIL``
    Sender address of reminders.
``ECPLAN_BASE_URL``
    The platform's address (``https://ecplan.example.gov.cn``), for links in e-mails
    (notifications, reminders). Default: none (e-mails give the page path only).
``ECPLAN_SESSION_AGE``
    Session expiry in seconds (default 8 hours).
``ECPLAN_PROXY_COUNT``
    Number of reverse proxies in front of the platform that append to ``X-Forwarded-For``
    (default 0): the client IP used by the login lockout and the audit trail.
``ECPLAN_INVITATION_DAYS``
    Days an invitation (set-your-password) link stays valid (default 3).
``ECPLAN_DEMO_CITY``
    ``1`` (default; ``0`` under ``ECPLAN_ENV=test``): ``ecplan serve --demo`` loads the demo
    city into an empty database.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from ecplan.core.paths import data_dir, factor_sets_dir

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent

ENV = os.environ.get("ECPLAN_ENV", "development").strip().lower()
if ENV not in {"development", "production", "test"}:
    raise RuntimeError(f"ECPLAN_ENV 取值无效：{ENV!r}，应为 development、production 或 test。")
PRODUCTION = ENV == "production"
TESTING = ENV == "test"


# One definition of the data directory, shared with the Django-free core.
DATA_DIR = data_dir()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("ECPLAN_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("生产环境必须设置 ECPLAN_SECRET_KEY 环境变量。")
    # Development and tests: a random key kept in the data directory, never shipped.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = ENV == "development" and os.environ.get("ECPLAN_DEBUG", "0") == "1"

_hosts = os.environ.get("ECPLAN_ALLOWED_HOSTS", "")
if _hosts:
    ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
elif PRODUCTION:
    raise RuntimeError("生产环境必须设置 ECPLAN_ALLOWED_HOSTS 环境变量（逗号分隔的域名）。")
else:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("ECPLAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "ecplan.accounts.apps.EcplanAdminConfig",  # Django's admin, system administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    # ecplan apps, one per business area (docs/architecture.md)
    "ecplan.web",
    "ecplan.organisations",
    "ecplan.plans",
    "ecplan.accounts",
    "ecplan.audit",
    "ecplan.reporting",
    "ecplan.monitoring",
    "ecplan.workflow",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ecplan.audit.middleware.AuditRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "ecplan.accounts.middleware.LoginRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ecplan.urls"
WSGI_APPLICATION = "ecplan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "ecplan.web.context_processors.platform",
                "ecplan.accounts.context_processors.account_menu",
                "ecplan.workflow.context_processors.workflow_menu",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'ecplan.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ecplan.accounts.backends.EcplanModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Cheap argon2 parameters keep the suite fast; the algorithm is still argon2.
    PASSWORD_HASHERS = ["ecplan.accounts.hashers.FastArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "full_name", "email"]},
    },
    {
        "NAME": "ecplan.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "ecplan.accounts.validators.CharacterClassValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

AXES_FAILURE_LIMIT = int(os.environ.get("ECPLAN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_CLIENT_IP_CALLABLE = "ecplan.accounts.net.client_ip"
ECPLAN_PROXY_COUNT = int(os.environ.get("ECPLAN_PROXY_COUNT", "0"))
# Invitation links are one-time tokens (Django's token generator): they expire after this.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("ECPLAN_INVITATION_DAYS", "3")) * 24 * 3600

SESSION_COOKIE_AGE = int(os.environ.get("ECPLAN_SESSION_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_COOKIE_HTTPONLY = True
    SECURE_SSL_REDIRECT = os.environ.get("ECPLAN_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("ECPLAN_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- language and time ----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # filled by collectstatic in production
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"  # never served publicly: downloads go through permission-checked views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
ECPLAN_MAX_UPLOAD_BYTES = int(os.environ.get("ECPLAN_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))

# Factor sets loaded by `ecplan factors load` are kept here (see docs/factors.md).
ECPLAN_FACTOR_DIR = factor_sets_dir(DATA_DIR)

# --- e-mail ---------------------------------------------------------------------------
_email_url = os.environ.get("ECPLAN_EMAIL_URL", "")
if _email_url:
    _u = urlsplit(_email_url)
    if _u.scheme not in ("smtp", "smtp+tls", "smtps") or not _u.hostname:
        raise RuntimeError(
            f"ECPLAN_EMAIL_URL 取值无效：{_email_url.split('@')[-1]!r}。应为 "
            "smtp://用户:密码@主机:端口、smtp+tls://…（STARTTLS）或 smtps://…（SSL）。"
        )
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _u.hostname or "localhost"
    EMAIL_PORT = _u.port or {"smtps": 465, "smtp+tls": 587}.get(_u.scheme, 25)
    EMAIL_HOST_USER = unquote(_u.username or "")
    EMAIL_HOST_PASSWORD = unquote(_u.password or "")
    EMAIL_USE_TLS = _u.scheme == "smtp+tls"
    EMAIL_USE_SSL = _u.scheme == "smtps"
elif TESTING:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("ECPLAN_DEFAULT_FROM_EMAIL", "ecplan@localhost")
ECPLAN_BASE_URL = os.environ.get("ECPLAN_BASE_URL", "")

# --- logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"ecplan": {"level": "INFO"}},
}

# --- platform -------------------------------------------------------------------------
ECPLAN_PLATFORM_NAME = "节能降碳行动计划管理平台"
# Demo mode is switched on per instance by `ecplan serve --demo` (stored in the database);
# production settings refuse it.
ECPLAN_DEMO_ALLOWED = not PRODUCTION
# Whether the demo step loads the demo city (ecplan.demo: 100 enterprises × 72 months, about
# half a minute). Off by default under ECPLAN_ENV=test so tests of the other demo steps stay
# fast; tests of the demo city turn it on.
ECPLAN_DEMO_CITY = os.environ.get("ECPLAN_DEMO_CITY", "0" if TESTING else "1").strip() == "1"

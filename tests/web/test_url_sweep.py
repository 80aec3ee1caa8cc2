"""Every URL pattern × every persona: anonymous visitors go to login, in-scope objects are
allowed, out-of-scope ones refused (403/404), parameterless pages render or refuse cleanly.

Patterns come from the URL configuration, so pages added later are swept automatically; a
pattern with parameters must be declared in ``src/ecplan/<app>/sweep.py``
(``ecplan.accounts.sweep``; docs/permissions.md, "URL sweep").
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client

from ecplan.accounts.middleware import is_public
from ecplan.accounts.sweep import Case, SweptPattern, autodiscover, build_path, dummy_path, sweep
from ecplan.accounts.sweep import url_patterns as _url_patterns
from ecplan.accounts.testing import Persona, World, close_response

autodiscover()
PATTERNS = _url_patterns()
APP_LABELS = [a.label for a in apps.get_app_configs()]
#: Parameterless pages with no declaration must answer one of these.
DEFAULT_OK = frozenset({200, 403})
#: Namespaces whose unnamed patterns are tolerated (Django's own).
THIRD_PARTY_NAMESPACES = {"admin"}


def _ids(p: SweptPattern) -> str:
    return p.key


def test_the_sweep_sees_the_url_configuration() -> None:
    keys = {p.key for p in PATTERNS}
    assert {"accounts:login", "accounts:user-detail", "audit:list", "web:home"} <= keys
    assert any(p.has_params for p in PATTERNS)


def test_every_pattern_outside_django_admin_is_named() -> None:
    unnamed = [
        p.route for p in PATTERNS if not p.named and p.namespace not in THIRD_PARTY_NAMESPACES
    ]
    assert not unnamed, "这些 URL 没有 name，无法声明扫描：" + ", ".join(unnamed)


def _undeclared(patterns: list[SweptPattern]) -> list[str]:
    return [
        f"{p.key}（{p.route}）"
        for p in patterns
        if p.has_params
        and p.key not in sweep.declarations
        and p.key not in sweep.skipped
        and p.namespace not in sweep.namespaces
    ]


def test_every_pattern_with_parameters_is_declared() -> None:
    missing = _undeclared(PATTERNS)
    assert not missing, (
        "这些带参数的 URL 没有在 <app>/sweep.py 中声明范围内/范围外对象（见 docs/permissions.md）：\n"
        + "\n".join(missing)
    )


def test_declarations_name_existing_patterns() -> None:
    keys = {p.key for p in PATTERNS}
    stale = sorted((set(sweep.declarations) | set(sweep.skipped)) - keys)
    assert not stale, "扫描声明指向不存在的 URL：" + ", ".join(stale)


@pytest.mark.parametrize("pattern", PATTERNS, ids=_ids)
@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client: Client, pattern: SweptPattern) -> None:
    path = dummy_path(pattern, APP_LABELS)
    if is_public(path):
        pytest.skip("公开页面（登录、邀请链接）")
    for method in ("get", "post"):
        resp = getattr(client, method)(path)
        assert resp.status_code == 302, (method, path, resp.status_code)
        assert resp["Location"].startswith("/accounts/login/?next="), (method, path)


def _status(client: Client, case: Case, path: str) -> int:
    with transaction.atomic():
        if case.method == "POST":
            resp = client.post(path, dict(case.data or {}))
        else:
            resp = client.get(path)
        transaction.set_rollback(True)
    close_response(resp)
    status: int = resp.status_code
    return status


def _check(
    clients: dict[str, Client], pattern: SweptPattern, persona: Persona, case: Case
) -> list[str]:
    problems = []
    client = clients[persona.key]
    for kwargs in case.allowed:
        path = build_path(pattern, kwargs)
        status = _status(client, case, path)
        if status not in case.ok:
            problems.append(
                f"{persona.key}: {case.method} {path} → {status}，应允许 {sorted(case.ok)[:6]}"
            )
    for kwargs in case.refused:
        path = build_path(pattern, kwargs)
        status = _status(client, case, path)
        if status not in case.refused_status:
            problems.append(
                f"{persona.key}: {case.method} {path} → {status}，应拒绝 {sorted(case.refused_status)}（越权）"
            )
    return problems


def _sweep_one(world: World, clients: dict[str, Client], pattern: SweptPattern) -> list[str]:
    problems: list[str] = []
    allowed = refused = 0
    declared = True
    for persona in world.all_personas():
        case = sweep.case_for(pattern, world, persona)
        if case is None:
            if pattern.has_params:
                return ["带参数但没有扫描声明"]
            declared = False
            case = Case(allowed=[{}], ok=DEFAULT_OK)
        allowed += len(case.allowed)
        refused += len(case.refused)
        problems += _check(clients, pattern, persona, case)
        if case.method == "POST":  # a POST (logout) may have ended the session
            clients[persona.key] = _client(persona)
    if declared and pattern.has_params:
        if not allowed:
            problems.append("声明没有给出任何应允许的对象")
        if not refused:
            problems.append("声明没有给出任何范围外的对象")
    return problems


def _client(persona: Persona) -> Client:
    client = Client()
    client.force_login(persona.user)
    return client


# One world per URL namespace keeps the sweep fast; failures still name each pattern.
SWEPT = [p for p in PATTERNS if p.key not in sweep.skipped]
NAMESPACES = sorted({p.namespace for p in SWEPT})


@pytest.mark.parametrize("namespace", NAMESPACES)
@pytest.mark.django_db
def test_every_persona_in_and_out_of_scope(namespace: str) -> None:
    world = World.build()
    clients = {p.key: _client(p) for p in world.all_personas()}
    report = []
    for pattern in (p for p in SWEPT if p.namespace == namespace):
        problems = _sweep_one(world, clients, pattern)
        if problems:
            report.append(f"{pattern.key}（{pattern.route}）：\n  " + "\n  ".join(problems))
    assert not report, "\n".join(report)


# --- the sweep itself must be able to fail ------------------------------------------------


def _enterprise_urlconf() -> object:
    """A throw-away URL configuration with a leaky and a correct enterprise page."""
    import types

    from django.http import HttpRequest, HttpResponse
    from django.urls import include, path

    from ecplan.accounts.policies import get_for_user
    from ecplan.organisations.models import Enterprise

    def leaky(request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponse(Enterprise.objects.get(pk=pk).name)

    def scoped(request: HttpRequest, pk: int) -> HttpResponse:
        return HttpResponse(get_for_user(request.user, Enterprise, pk=pk).name)

    inner = types.ModuleType("sweep_probe_inner")
    inner.app_name = "probe"  # type: ignore[attr-defined]
    inner.urlpatterns = [  # type: ignore[attr-defined]
        path("leaky/<int:pk>/", leaky, name="leaky"),
        path("scoped/<int:pk>/", scoped, name="scoped"),
    ]
    module = types.ModuleType("sweep_probe_urls")
    module.urlpatterns = [path("probe/", include(inner))]  # type: ignore[attr-defined]
    return module


@pytest.mark.django_db
def test_the_sweep_catches_a_view_that_ignores_the_policy() -> None:
    import sys

    from django.test import override_settings

    module = _enterprise_urlconf()
    sys.modules["sweep_probe_urls"] = module  # type: ignore[assignment]
    try:
        with override_settings(ROOT_URLCONF="sweep_probe_urls"):
            world = World.build()
            patterns = {p.key: p for p in _url_patterns()}
            assert set(patterns) == {"probe:leaky", "probe:scoped"}
            assert len(_undeclared(list(patterns.values()))) == 2  # a new page fails the sweep
            persona = world.persona("area_user")
            clients = {persona.key: _client(persona)}
            case = Case(
                allowed=[{"pk": world.enterprise_in(persona).pk}],
                refused=[{"pk": world.enterprise_out(persona).pk}],
            )
            leak = _check(clients, patterns["probe:leaky"], persona, case)
            assert len(leak) == 1
            assert "越权" in leak[0]
            assert _check(clients, patterns["probe:scoped"], persona, case) == []
    finally:
        del sys.modules["sweep_probe_urls"]

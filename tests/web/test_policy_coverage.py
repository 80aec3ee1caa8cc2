"""Every model has a policy, and no module reaches a model around it.

The lint reads the source of every ``ecplan`` module that serves users (views, forms,
presenters, exports, API, CLI …) and refuses ``Model.objects``, ``Model._default_manager``,
``Model._base_manager``, ``get_object_or_404`` and ``get_list_or_404``: rows come from
``ecplan.accounts.policies`` (``viewable``, ``get_for_user``) or from a service. Modules whose
job is to touch the database directly are exempt by name (see ``EXEMPT_FILES``); a single line
can be exempted with ``# policy-exempt: <reason>``.

Two uses of a manager are part of the policy path and allowed: a queryset handed straight to
``viewable()`` / ``get_for_user()`` (which narrow it by the policy), and the queryset of a
``Prefetch()``, which only loads the children of rows already fetched through a policy (child
models must therefore not be narrower than their parent's policy).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

from ecplan.accounts.policies import registered_models

SRC = Path(__file__).resolve().parents[2] / "src" / "ecplan"

# Modules that legitimately use managers: definitions, the policies themselves, write services,
# Django admin (system administrators only), demo data, test fixtures and the sweep.
EXEMPT_FILES = {
    "models.py",
    "policies.py",
    "account_policies.py",
    "services.py",
    "admin.py",
    "apps.py",
    "demo.py",
    "testing.py",
    "sweep.py",
    "sweep_declarations.py",
    "signals.py",
    "roles.py",
}
EXEMPT_DIRS = {"migrations", "management", "core"}
# Single files, with the reason.
EXEMPT_PATHS = {
    "web/context_processors.py": "reads the instance-wide demo flag, not a user's rows",
}
MANAGER_ATTRS = {"objects", "_default_manager", "_base_manager"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}
# Calls whose arguments may hold a manager chain (see the module docstring).
POLICY_CALLS = {"viewable", "get_for_user", "Prefetch"}
MARKER = "# policy-exempt:"


def test_every_project_model_has_a_registered_policy() -> None:
    registered = set(registered_models())
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith("ecplan.") and model not in registered
    ]
    assert not missing, (
        "这些模型没有注册权限策略（在 <app>/policies.py 中用 @register 注册）："
        + ", ".join(missing)
    )


def _linted_files() -> list[Path]:
    files = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if set(rel.parts[:-1]) & EXEMPT_DIRS or path.name in EXEMPT_FILES:
            continue
        if path.name.startswith("settings") or rel.as_posix() in EXEMPT_PATHS:
            continue
        files.append(path)
    return files


def _violations(source: str, filename: str) -> list[str]:
    lines = source.splitlines()
    found: list[tuple[int, str]] = []
    tree = ast.parse(source, filename=filename)
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if fname in POLICY_CALLS:
                for arg in [*node.args, *(k.value for k in node.keywords)]:
                    allowed.update(id(sub) for sub in ast.walk(arg))
    for node in ast.walk(tree):
        hit = None
        if id(node) in allowed:
            continue
        if isinstance(node, ast.Attribute) and node.attr in MANAGER_ATTRS:
            base = node.value
            name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
            if name[:1].isupper() or node.attr != "objects":
                hit = f"{name}.{node.attr}"
        elif isinstance(node, ast.Call):
            func = node.func
            fname = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if fname in SHORTCUTS:
                hit = f"{fname}()"
        if hit and MARKER not in lines[node.lineno - 1]:
            found.append((node.lineno, f"{filename}:{node.lineno}: {hit}"))
    return [text for _, text in sorted(found)]


def test_no_module_reaches_a_model_around_its_policy() -> None:
    problems: list[str] = []
    for path in _linted_files():
        problems += _violations(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))
    assert not problems, (
        "绕过权限策略访问模型（请改用 ecplan.accounts.policies.viewable/get_for_user 或 services；"
        "确有理由时在该行注明 # policy-exempt: 原因）：\n" + "\n".join(problems)
    )


def test_lint_catches_the_usual_shapes() -> None:
    source = (
        "from django.shortcuts import get_object_or_404\n"
        "def view(request, pk):\n"
        "    a = Enterprise.objects.filter(area=1)\n"
        "    b = get_object_or_404(Enterprise, pk=pk)\n"
        "    c = models.Enterprise._default_manager.all()\n"
        "    d = self.model._base_manager\n"
        "    e = Enterprise.objects.get(pk=1)  # policy-exempt: system check, no user\n"
        "    f = viewable(request.user, Enterprise)\n"
    )
    found = _violations(source, "x.py")
    assert found == [
        "x.py:3: Enterprise.objects",
        "x.py:4: get_object_or_404()",
        "x.py:5: Enterprise._default_manager",
        "x.py:6: model._base_manager",
    ], found
    assert _linted_files(), "the lint must see some files"

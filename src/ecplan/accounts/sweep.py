"""The URL sweep: every URL pattern × every persona, in scope and out of scope.

``tests/web/test_url_sweep.py`` enumerates the URL configuration and, for each pattern, asks
this registry how to test it. Apps declare their patterns in ``src/ecplan/<app>/sweep.py``
(imported by :func:`autodiscover`); a pattern with parameters and no declaration fails the
sweep, so a new page cannot ship unswept. See docs/permissions.md ("URL sweep").

Example::

    from ecplan.accounts.sweep import Case, sweep
    from ecplan.accounts.testing import Persona, World

    @sweep.url("reporting:report-detail")
    def report_detail(world: World, p: Persona) -> Case:
        mine, other = world.enterprise_in(p), world.enterprise_out(p)
        return Case(
            allowed=[{"pk": make_report(mine).pk}] if mine else [],
            refused=[{"pk": make_report(other).pk}] if other else [],
        )
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from ecplan.accounts.testing import Persona, World

#: Statuses that count as a clean refusal.
REFUSED = frozenset({403, 404})


@dataclass(frozen=True)
class Case:
    """How one persona exercises one URL pattern.

    ``allowed``/``refused`` are lists of URL kwargs (``{}`` for a parameterless pattern).
    ``ok`` are the statuses that count as allowed; ``refused_status`` as refused.
    ``method`` ``"POST"`` sends ``data``. Each request runs in a savepoint that is rolled back.
    """

    allowed: Sequence[Mapping[str, Any]] = ()
    refused: Sequence[Mapping[str, Any]] = ()
    method: str = "GET"
    data: Mapping[str, Any] | None = None
    ok: frozenset[int] = frozenset({200})
    refused_status: frozenset[int] = REFUSED


Declaration = Callable[[World, Persona], Case]


@dataclass(frozen=True)
class SweptPattern:
    """One URL pattern of the configuration."""

    key: str  # "namespace:name", or "namespace:<route>" for an unnamed pattern
    named: bool
    namespace: str
    route: str
    params: tuple[str, ...]
    converters: Mapping[str, str] = field(default_factory=dict)

    @property
    def has_params(self) -> bool:
        return bool(self.params)


NamespaceDeclaration = Callable[[World, Persona, SweptPattern], Case]


class SweepRegistry:
    def __init__(self) -> None:
        self.declarations: dict[str, Declaration] = {}
        self.namespaces: dict[str, NamespaceDeclaration] = {}
        self.skipped: dict[str, str] = {}

    def url(self, name: str) -> Callable[[Declaration], Declaration]:
        """Decorator: ``fn(world, persona) -> Case`` tests the pattern named ``name``."""

        def decorate(fn: Declaration) -> Declaration:
            if name in self.declarations or name in self.skipped:
                raise RuntimeError(f"URL 扫描已声明：{name}")
            self.declarations[name] = fn
            return fn

        return decorate

    def namespace(self, ns: str) -> Callable[[NamespaceDeclaration], NamespaceDeclaration]:
        """Decorator: ``fn(world, persona, pattern) -> Case`` for every pattern of ``ns``
        without its own declaration (used for Django's admin)."""

        def decorate(fn: NamespaceDeclaration) -> NamespaceDeclaration:
            self.namespaces[ns] = fn
            return fn

        return decorate

    def skip(self, name: str, *, reason: str) -> None:
        """Leave a pattern out of the persona sweep; the reason is required and reported."""
        if not reason.strip():
            raise ValueError("跳过 URL 扫描必须写明原因")
        if name in self.declarations or name in self.skipped:
            raise RuntimeError(f"URL 扫描已声明：{name}")
        self.skipped[name] = reason

    def case_for(self, pattern: SweptPattern, world: World, persona: Persona) -> Case | None:
        """The declared case, or ``None`` when the pattern has no declaration."""
        if pattern.key in self.declarations:
            return self.declarations[pattern.key](world, persona)
        handler = self.namespaces.get(pattern.namespace)
        if handler is not None:
            return handler(world, persona, pattern)
        return None


sweep = SweepRegistry()


def autodiscover() -> None:
    """Import every installed app's ``sweep`` module."""
    from django.utils.module_loading import autodiscover_modules

    import ecplan.accounts.sweep_declarations  # noqa: F401 - this app's own pages and the admin

    autodiscover_modules("sweep")


def url_patterns() -> list[SweptPattern]:
    """Every URL pattern of the configuration, with its parameters."""
    return list(_walk(get_resolver().url_patterns, namespace="", prefix=""))


def _walk(
    entries: Sequence[URLPattern | URLResolver], *, namespace: str, prefix: str
) -> Iterator[SweptPattern]:
    for entry in entries:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, namespace=ns, prefix=route)
            continue
        converters = getattr(entry.pattern, "converters", {}) or {}
        params: list[str] = list(converters)
        conv_names = {k: type(v).__name__ for k, v in converters.items()}
        regex = entry.pattern.regex
        for group in regex.groupindex:
            if group not in params:
                params.append(group)
                conv_names[group] = "regex"
        if entry.name:
            key = f"{namespace}:{entry.name}" if namespace else entry.name
        else:
            key = f"{namespace}:<{route}>"
        yield SweptPattern(
            key=key,
            named=bool(entry.name),
            namespace=namespace,
            route=route,
            params=tuple(params),
            converters=conv_names,
        )


_DUMMY = {
    "IntConverter": "999999",
    "StringConverter": "x",
    "SlugConverter": "x",
    "UUIDConverter": "00000000-0000-0000-0000-000000000000",
    "PathConverter": "x",
}


def build_path(pattern: SweptPattern, kwargs: Mapping[str, Any]) -> str:
    """The URL of ``pattern`` with ``kwargs`` (reversed when named, substituted when not)."""
    values = {k: str(v) for k, v in kwargs.items()}
    if pattern.named:
        return reverse(pattern.key, kwargs=values)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], pattern.route)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "")


def dummy_path(pattern: SweptPattern, candidates: Sequence[str] = ()) -> str:
    """A URL of ``pattern`` with placeholder values (for anonymous visitors)."""
    plain = {p: _DUMMY.get(pattern.converters.get(p, ""), "x") for p in pattern.params}
    if not pattern.named:
        return build_path(pattern, plain)
    regex_params = [p for p in pattern.params if pattern.converters.get(p) == "regex"]
    for value in ["1", "x", *candidates]:
        trial = {**plain, **dict.fromkeys(regex_params, value)}
        try:
            return reverse(pattern.key, kwargs=trial)
        except NoReverseMatch:
            continue
    raise NoReverseMatch(f"无法为 {pattern.key}（{pattern.route}）构造示例地址")

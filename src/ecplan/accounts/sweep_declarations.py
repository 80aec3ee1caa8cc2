"""URL sweep declarations of the accounts and audit pages and of Django's admin."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from ecplan.accounts.models import RoleAssignment, User
from ecplan.accounts.sweep import Case, SweptPattern, sweep
from ecplan.accounts.testing import Persona, World

ADMINS = frozenset({"system_admin", "plan_admin"})
FORBIDDEN = frozenset({403})


def _admins_only(world: World, p: Persona) -> Case:
    if p.key in ADMINS:
        return Case(allowed=[{}])
    return Case(refused=[{}], refused_status=FORBIDDEN)


for _name in ("accounts:user-list", "accounts:user-invite", "audit:list", "audit:export"):
    sweep.url(_name)(_admins_only)


@sweep.url("accounts:login")
def _login(world: World, p: Persona) -> Case:
    # a logged-in visitor is sent on to the home page
    return Case(allowed=[{}], ok=frozenset({302}))


@sweep.url("accounts:language")
def _language(world: World, p: Persona) -> Case:
    return Case(
        allowed=[{}], method="POST", data={"language": "en", "next": "/"}, ok=frozenset({302})
    )


@sweep.url("accounts:logout")
def _logout(world: World, p: Persona) -> Case:
    return Case(allowed=[{}], method="POST", ok=frozenset({302}))


sweep.skip(
    "accounts:invitation",
    reason="公开的一次性设置密码链接，由令牌而非角色决定；见 tests/web/accounts/test_accounts_admin_pages.py",
)


def _other(world: World, p: Persona) -> User:
    return world.persona("no_role" if p.key == "leader" else "leader").user


@sweep.url("accounts:user-detail")
def _user_detail(world: World, p: Persona) -> Case:
    other = {"pk": _other(world, p).pk}
    own = {"pk": p.user.pk}
    if p.key in ADMINS:
        return Case(allowed=[own, other])
    return Case(allowed=[own], refused=[other])


def _manage(world: World, p: Persona) -> Case:
    leader = {"pk": world.persona("leader").user.pk}
    if p.key == "system_admin":
        return Case(allowed=[leader, {"pk": world.persona("enterprise").user.pk}])
    if p.key == "plan_admin":
        return Case(
            allowed=[{"pk": world.persona("enterprise").user.pk}],
            refused=[leader, {"pk": p.user.pk}],
        )
    # in scope (their own account) but not allowed → 403; anyone else → 404
    return Case(refused=[{"pk": p.user.pk}, {"pk": _other(world, p).pk}])


for _name in (
    "accounts:user-edit",
    "accounts:role-grant",
    "accounts:user-disable",
    "accounts:user-enable",
    "accounts:user-reinvite",
    "accounts:user-unlock",
):
    sweep.url(_name)(_manage)


def _assignment(world: World, key: str) -> dict[str, Any]:
    ra = RoleAssignment.objects.filter(user=world.persona(key).user).first()
    assert ra is not None, key
    return {"pk": ra.pk}


@sweep.url("accounts:role-revoke")
def _role_revoke(world: World, p: Persona) -> Case:
    if p.key == "system_admin":
        return Case(allowed=[_assignment(world, "leader")])
    if p.key == "plan_admin":
        return Case(
            allowed=[_assignment(world, "enterprise")], refused=[_assignment(world, "leader")]
        )
    refused = [_assignment(world, "enterprise" if p.key != "enterprise" else "area_user")]
    if p.role is not None:
        refused.append(_assignment(world, p.key))  # their own role: visible, not revocable
    return Case(refused=refused)


@sweep.url("audit:detail")
def _audit_detail(world: World, p: Persona) -> Case:
    from ecplan.audit.services import record

    event = record("update", actor=world.persona("plan_admin").user, obj=world.e_gaoyou)
    if p.key in ADMINS:
        return Case(allowed=[{"pk": event.pk}])
    return Case(refused=[{"pk": event.pk}])


# --- Django's admin: system administrators only -----------------------------------------


def _admin_kwargs(world: World, pattern: SweptPattern) -> dict[str, Any]:
    kwargs: dict[str, Any] = {}
    parts = pattern.route.split("/")
    for name in pattern.params:
        if name == "object_id" and pattern.key != "admin:view_on_site":
            try:
                model = apps.get_model(parts[1], parts[2])
            except (LookupError, IndexError):
                kwargs[name] = "1"
                continue
            if model._meta.label == "audit.AuditEvent":
                from ecplan.audit.services import record

                record("export", actor=None, detail="URL 扫描")
            obj = model._default_manager.order_by("pk").first()
            kwargs[name] = obj.pk if obj is not None else "1"
        elif name == "app_label":
            kwargs[name] = "organisations"
        elif name == "content_type_id":
            kwargs[name] = ContentType.objects.get_for_model(world.e_gaoyou).pk
        elif name == "object_id":
            kwargs[name] = world.e_gaoyou.pk
        else:
            kwargs[name] = "no-such-page"
    return kwargs


@sweep.namespace("admin")
def _admin(world: World, p: Persona, pattern: SweptPattern) -> Case:
    kwargs = _admin_kwargs(world, pattern)
    if p.key != "system_admin":
        return Case(refused=[kwargs], refused_status=FORBIDDEN)
    if pattern.key == "admin:index" or pattern.key.endswith("_changelist"):
        return Case(allowed=[kwargs])
    # the system administrator may open everything; what matters is that nothing breaks
    return Case(allowed=[kwargs], ok=frozenset(range(200, 500)))

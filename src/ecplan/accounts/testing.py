"""Test fixtures shared by every app: users with roles, and a small world of personas.

Only the test suite and the URL sweep import this module (it writes to the database).

:class:`World` loads the shipped 扬州市 registry, adds three enterprises and one user per
persona. What each persona may see is written out by hand here — independent of the policies
it is used to test:

============== ============================= ==================== =====================
persona        role and scope                enterprise_in        enterprise_out
============== ============================= ==================== =====================
system_admin   系统管理员                     e_gaoyou             —
plan_admin     计划管理员（市发改委）           e_gaoyou             —
dept_reporter  部门填报员（市工信局）           —                    e_yizheng
dept_reviewer  部门审核员（市工信局）           —                    e_yizheng
area_user      区县用户（邗江区，含其功能区）     e_zone               e_yizheng
enterprise     企业填报员（e_yizheng）         e_yizheng            e_gaoyou
leader         领导                           e_gaoyou             —
no_role        （无角色）                      —                    e_yizheng
============== ============================= ==================== =====================

``organisation_in``/``organisation_out`` and ``area_in``/``area_out`` follow the same idea for
data owned by a department or an area: a department persona owns 市工信局 and not 市住建局,
the area persona 邗江区 and not 仪征市; global personas own nothing in particular but see all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from ecplan.accounts.credit_code import make_credit_code
from ecplan.accounts.models import Role, RoleAssignment, User
from ecplan.accounts.roles import GLOBAL_READ_ROLES, READ_ONLY_ROLES, forget

TEST_PASSWORD = "Ceshi-2025-mima"
REGISTRY_FILE = (
    Path(__file__).resolve().parent.parent / "plans" / "data" / "yangzhou" / "organisations.yaml"
)


def make_user(
    username: str,
    *roles: tuple[str, Any] | str,
    password: str | None = TEST_PASSWORD,
    **fields: Any,
) -> User:
    """A user holding ``roles``: role codes, or ``(role, scope)`` with an organisation, area or
    enterprise as scope. ``password=None`` leaves the password unusable."""
    user_model = get_user_model()
    user: User = user_model.objects.create_user(username=username, password=password, **fields)
    for spec in roles:
        role, scope = (spec, None) if isinstance(spec, str) else spec
        grant(user, role, scope)
    return user


def grant(user: User, role: str, scope: Any = None) -> RoleAssignment:
    """Give ``user`` a role directly (no audit event: for fixtures only)."""
    from ecplan.organisations.models import Area, Enterprise, Organisation

    kwargs: dict[str, Any] = {}
    if isinstance(scope, Organisation):
        kwargs["organisation"] = scope
    elif isinstance(scope, Area):
        kwargs["area"] = scope
    elif isinstance(scope, Enterprise):
        kwargs["enterprise"] = scope
    elif scope is not None:
        raise TypeError(f"不支持的范围对象：{scope!r}")
    ra = RoleAssignment(user=user, role=role, **kwargs)
    ra.full_clean()
    ra.save()
    forget(user)
    return ra


@dataclass
class Persona:
    key: str
    role: str | None
    user: User
    scope: Any = None

    @property
    def label(self) -> str:
        if self.role is None:
            return "（无角色）"
        name = Role(self.role).label
        return f"{name}（{self.scope}）" if self.scope is not None else name

    @property
    def sees_everything(self) -> bool:
        return self.role in GLOBAL_READ_ROLES

    @property
    def read_only(self) -> bool:
        """Leaders, and users without a role, never write."""
        return self.role is None or self.role in READ_ONLY_ROLES

    def __str__(self) -> str:
        return self.key


@dataclass
class World:
    region: Any
    plan_office: Any
    dept: Any
    other_dept: Any
    city: Any
    yizheng: Any
    gaoyou: Any
    hanjiang: Any
    zone: Any
    e_yizheng: Any
    e_gaoyou: Any
    e_zone: Any
    personas: dict[str, Persona] = field(default_factory=dict)

    PERSONA_KEYS = (
        "system_admin",
        "plan_admin",
        "dept_reporter",
        "dept_reviewer",
        "area_user",
        "enterprise",
        "leader",
        "no_role",
    )

    @classmethod
    def build(cls) -> World:
        from ecplan.core.registry import load_registry
        from ecplan.organisations.models import Area, Enterprise, Organisation
        from ecplan.organisations.services import sync_registry

        region = sync_registry(load_registry(REGISTRY_FILE))
        org = {o.code: o for o in Organisation.objects.filter(region=region)}
        area = {a.code: a for a in Area.objects.filter(region=region)}

        def enterprise(name: str, body: str, area_code: str, zone: Any = None) -> Any:
            return Enterprise.objects.create(
                region=region,
                credit_code=make_credit_code(area_code, body),
                name=name,
                area=area[area_code],
                zone=zone,
            )

        w = cls(
            region=region,
            plan_office=org["development-reform"],
            dept=org["industry-it"],
            other_dept=org["housing-construction"],
            city=area["321000"],
            yizheng=area["321081"],
            gaoyou=area["321084"],
            hanjiang=area["321003"],
            zone=area["yz-etdz"],
            e_yizheng=enterprise("测试仪征化工有限公司", "T0000001", "321081"),
            e_gaoyou=enterprise("测试高邮电子有限公司", "T0000002", "321084"),
            e_zone=enterprise("测试经开区机械有限公司", "T0000003", "321003", area["yz-etdz"]),
        )
        specs: dict[str, tuple[str | None, Any]] = {
            "system_admin": (Role.SYSTEM_ADMIN, None),
            "plan_admin": (Role.PLAN_ADMIN, w.plan_office),
            "dept_reporter": (Role.DEPT_REPORTER, w.dept),
            "dept_reviewer": (Role.DEPT_REVIEWER, w.dept),
            "area_user": (Role.AREA_USER, w.hanjiang),
            "enterprise": (Role.ENTERPRISE_REPORTER, w.e_yizheng),
            "leader": (Role.LEADER, None),
            "no_role": (None, None),
        }
        for key, (role, scope) in specs.items():
            user = make_user(f"t-{key}", full_name=f"测试{key}")
            if role is not None:
                grant(user, role, scope)
            w.personas[key] = Persona(key=key, role=role, user=user, scope=scope)
        return w

    def persona(self, key: str) -> Persona:
        return self.personas[key]

    def all_personas(self) -> list[Persona]:
        return list(self.personas.values())

    # --- ground truth: what each persona owns or must not see --------------------------
    def enterprise_in(self, p: Persona) -> Any:
        """An enterprise ``p`` may see (its own for scoped personas), or ``None``."""
        if p.sees_everything:
            return self.e_gaoyou
        return {"area_user": self.e_zone, "enterprise": self.e_yizheng}.get(p.key)

    def enterprise_out(self, p: Persona) -> Any:
        """An enterprise ``p`` must not see, or ``None`` (global personas)."""
        if p.sees_everything:
            return None
        return {"enterprise": self.e_gaoyou}.get(p.key, self.e_yizheng)

    def organisation_in(self, p: Persona) -> Any:
        """A department whose own data ``p`` may see (its own for department personas)."""
        if p.sees_everything or p.key in ("dept_reporter", "dept_reviewer"):
            return self.dept
        return None

    def organisation_out(self, p: Persona) -> Any:
        """A department whose own data ``p`` must not see, or ``None``."""
        if p.sees_everything:
            return None
        if p.key in ("dept_reporter", "dept_reviewer"):
            return self.other_dept
        return self.dept

    def area_in(self, p: Persona) -> Any:
        """An area whose own data ``p`` may see (its own for the area persona)."""
        if p.sees_everything:
            return self.yizheng
        return self.hanjiang if p.key == "area_user" else None

    def area_out(self, p: Persona) -> Any:
        """An area whose own data ``p`` must not see, or ``None``."""
        return None if p.sees_everything else self.yizheng


def close_response(response: Any) -> None:
    """Close a test response (file downloads hold an open file until closed) without the
    ``request_finished`` signal closing the test's database connection, as the test client
    itself avoids."""
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)

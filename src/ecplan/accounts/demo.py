"""Demo accounts: one per role, on the demo city's organisations (demo instances only).

``ecplan serve --demo`` runs :func:`create_demo_accounts` once (a step of
``ecplan.web.demo.DEMO_STEPS``) and prints the accounts; ``ecplan demo-accounts`` lists them.
Passwords are random per instance, satisfy the password rules, and are kept in
:class:`~ecplan.accounts.models.DemoAccount` so they can be listed. Under production settings
nothing here works, and demo users cannot log in (``EcplanModelBackend``).
"""

from __future__ import annotations

import secrets
import string
import unicodedata
from dataclasses import dataclass
from typing import Any, TextIO

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from ecplan.accounts.credit_code import make_credit_code
from ecplan.accounts.models import DemoAccount, Role, User

DEMO_ENTERPRISE_NAME = "示例精密制造有限公司"
DEMO_ENTERPRISE_CREDIT_CODE = make_credit_code("321081", "DEM00001")
REGION_CODE = "321000"


@dataclass(frozen=True)
class DemoSpec:
    username: str
    full_name: str
    role: str
    scope: tuple[str, str] | None  # ("organisation"|"area"|"enterprise", code)


DEMO_SPECS = (
    DemoSpec("demo-admin", "演示·系统管理员", Role.SYSTEM_ADMIN, None),
    DemoSpec(
        "demo-plan",
        "演示·市发改委计划管理员",
        Role.PLAN_ADMIN,
        ("organisation", "development-reform"),
    ),
    DemoSpec(
        "demo-gxj-reporter",
        "演示·市工信局填报员",
        Role.DEPT_REPORTER,
        ("organisation", "industry-it"),
    ),
    DemoSpec(
        "demo-gxj-reviewer",
        "演示·市工信局审核员",
        Role.DEPT_REVIEWER,
        ("organisation", "industry-it"),
    ),
    DemoSpec("demo-yizheng", "演示·仪征市用户", Role.AREA_USER, ("area", "321081")),
    DemoSpec("demo-enterprise", "演示·企业填报员", Role.ENTERPRISE_REPORTER, ("enterprise", "")),
    DemoSpec("demo-leader", "演示·市领导", Role.LEADER, None),
)


class DemoUnavailable(RuntimeError):
    """Demo accounts do not exist here (production settings, or not a demo instance)."""


def _require_demo_allowed() -> None:
    if not settings.ECPLAN_DEMO_ALLOWED:
        raise DemoUnavailable(
            "生产环境配置（ECPLAN_ENV=production）下没有演示账户：演示账户只存在于演示实例中。"
        )


def demo_password(user: User | None = None) -> str:
    """A random password that satisfies the platform's password rules."""
    # no look-alikes (0/O, 1/l/I): demo passwords are read off a screen and typed
    alphabet = [c for c in string.ascii_letters + string.digits if c not in "0O1lI"]
    for _ in range(20):
        body = "".join(secrets.choice(alphabet) for _ in range(10))
        password = f"Yz-{body}-{secrets.randbelow(90) + 10}"
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise RuntimeError("无法生成符合密码规则的演示密码")  # pragma: no cover - 20 random tries


def demo_enterprise() -> Any:
    """The demo enterprise accounts are attached to: an existing demo enterprise of 仪征市 (or
    any demo enterprise) if demo data created some, else 示例精密制造有限公司."""
    from ecplan.audit.services import record_create
    from ecplan.organisations.models import Area, Enterprise, Region

    existing = (
        Enterprise.objects.filter(is_demo=True, area__code="321081").order_by("credit_code").first()
        or Enterprise.objects.filter(is_demo=True).order_by("credit_code").first()
    )
    if existing is not None:
        return existing
    region = Region.objects.get(code=REGION_CODE)
    enterprise = Enterprise.objects.create(
        region=region,
        credit_code=DEMO_ENTERPRISE_CREDIT_CODE,
        name=DEMO_ENTERPRISE_NAME,
        area=Area.objects.get(region=region, code="321081"),
        industry_code="3484",
        is_demo=True,
    )
    record_create(enterprise, actor=None, detail="演示数据：演示企业（虚构）")
    return enterprise


def _scope(spec: DemoSpec) -> Any:
    from ecplan.organisations.models import Area, Organisation

    if spec.scope is None:
        return None
    kind, code = spec.scope
    if kind == "organisation":
        return Organisation.objects.get(region__code=REGION_CODE, code=code)
    if kind == "area":
        return Area.objects.get(region__code=REGION_CODE, code=code)
    return demo_enterprise()


@transaction.atomic
def create_demo_accounts(stdout: TextIO | None = None) -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet (idempotent). Demo step."""
    from ecplan.accounts.services import grant_role
    from ecplan.audit.services import record

    _require_demo_allowed()
    created = []
    for position, spec in enumerate(DEMO_SPECS):
        if User.objects.filter(username=spec.username).exists():
            continue
        scope = _scope(spec)
        user = User(username=spec.username, full_name=spec.full_name, is_demo=True)
        password = demo_password(user)
        user.set_password(password)
        user.save()
        record("create", actor=None, obj=user, detail="演示账户")
        grant_role(acting_user=None, user=user, role=spec.role, scope=scope)
        created.append(
            DemoAccount.objects.create(
                user=user,
                password=password,
                role=spec.role,
                scope=str(scope) if scope is not None else "全部",
                position=position,
            )
        )
    if stdout is not None and created:
        print(f"已创建演示账户 {len(created)} 个。", file=stdout)
    return created


def demo_accounts() -> list[dict[str, str]]:
    """``[{"username", "password", "role", "scope"}]`` of this demo instance.

    Raises :class:`DemoUnavailable` under production settings or outside a demo instance.
    """
    from ecplan.web.models import Instance

    _require_demo_allowed()
    if not Instance.objects.filter(pk=1, is_demo=True).exists():
        raise DemoUnavailable(
            "本实例不是演示实例，没有演示账户。请用 ecplan serve --demo 启动演示实例。"
        )
    return [
        {"username": d.user.username, "password": d.password, "role": d.role, "scope": d.scope}
        for d in DemoAccount.objects.select_related("user").filter(user__is_active=True)
    ]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(rows: list[dict[str, str]]) -> str:
    """A plain-text table (CJK characters count double width)."""
    header = ["用户名", "密码", "角色", "范围"]
    body = [[r["username"], r["password"], Role(r["role"]).label, r["scope"]] for r in rows]
    widths = [max(_width(row[i]) for row in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, body)])


def print_demo_accounts(stdout: TextIO) -> None:
    """Print the demo accounts for `ecplan serve --demo`."""
    try:
        rows = demo_accounts()
    except DemoUnavailable as exc:
        print(f"演示账户：{exc}", file=stdout)
        return
    print("演示账户（演示数据，仅供体验；密码为本实例随机生成）：", file=stdout)
    print(format_table(rows), file=stdout)

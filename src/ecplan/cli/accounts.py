"""``ecplan demo-accounts`` and ``ecplan users …``: demo accounts and user administration.

``users`` commands act as the platform's operator on the server (no web login): they are
recorded in the audit trail with channel “命令行” and the operating-system user.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from ecplan.cli.common import CommandError, os_account, setup_django

ORDER = 30

ROLE_HELP = (
    "角色代码：system_admin 系统管理员；plan_admin 计划管理员（范围：计划管理部门）；"
    "dept_reporter 部门填报员、dept_reviewer 部门审核员（范围：部门代码或名称）；"
    "area_user 区县用户（范围：地区代码或名称）；enterprise_reporter 企业填报员"
    "（范围：统一社会信用代码或企业名称）；leader 领导"
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "demo-accounts",
        help="列出演示账户 (list the demo accounts)",
        description="列出演示实例的演示账户（用户名、密码、角色、范围）。生产环境配置下不可用。",
    )
    p.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")
    p.set_defaults(handler=run_demo_accounts)

    u = subparsers.add_parser(
        "users",
        help="用户管理 (user administration)",
        description="在服务器上管理用户：创建、授予/撤销角色、停用/启用、解除锁定。\n" + ROLE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = u.add_subparsers(title="子命令", metavar="子命令", dest="users_command", required=True)

    s = sub.add_parser("list", help="列出用户")
    s.add_argument("--format", choices=["table", "json"], default="table")
    s.set_defaults(handler=_users(_list))

    s = sub.add_parser(
        "create",
        help="创建用户（首个系统管理员也用它创建）",
        description="创建用户。默认打印设置密码链接；--password-stdin 从标准输入读取密码。\n"
        + ROLE_HELP,
    )
    s.add_argument("username", help="用户名")
    s.add_argument("--name", required=True, help="姓名")
    s.add_argument("--email", default="", help="电子邮箱（邀请链接将发送到此）")
    s.add_argument("--role", help="角色代码")
    s.add_argument("--scope", help="角色范围：部门/地区代码或名称，企业信用代码或名称")
    s.add_argument("--password-stdin", action="store_true", help="从标准输入读取初始密码")
    s.add_argument(
        "--base-url",
        default="http://127.0.0.1:8000",
        help="平台访问地址，用于生成设置密码链接 (default: http://127.0.0.1:8000)",
    )
    s.set_defaults(handler=_users(_create))

    for name, text in (("grant", "授予角色"), ("revoke", "撤销角色")):
        s = sub.add_parser(name, help=text, description=f"{text}。\n{ROLE_HELP}")
        s.add_argument("username")
        s.add_argument("role", help="角色代码")
        s.add_argument("--scope", help="角色范围")
        s.set_defaults(handler=_users(_grant if name == "grant" else _revoke))

    for name, text, fn in (
        ("disable", "停用用户", _disable),
        ("enable", "启用用户", _enable),
        ("unlock", "解除登录锁定", _unlock),
    ):
        s = sub.add_parser(name, help=text)
        s.add_argument("username")
        s.set_defaults(handler=_users(fn))


def run_demo_accounts(args: argparse.Namespace) -> int:
    setup_django()
    from ecplan.accounts.demo import DemoUnavailable, demo_accounts, format_table

    try:
        rows = demo_accounts()
    except DemoUnavailable as exc:
        raise CommandError(str(exc)) from None
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(format_table(rows))
    return 0


def _users(fn: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Run ``fn`` with Django set up, as the command-line operator, Chinese errors."""

    def handler(args: argparse.Namespace) -> int:
        setup_django()
        from django.core.exceptions import ValidationError

        from ecplan.audit.context import operating

        try:
            with operating("cli", operator=f"命令行:{os_account()}"):
                return fn(args)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None

    return handler


def _list(args: argparse.Namespace) -> int:
    from ecplan.accounts.services import list_users

    rows = list_users()
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        state = "启用" if r["active"] else "停用"
        demo = " 演示" if r["demo"] else ""
        roles = "；".join(r["roles"]) or "无角色"
        print(f"{r['username']}\t{r['full_name'] or '—'}\t{state}{demo}\t{roles}")
    return 0


def _create(args: argparse.Namespace) -> int:
    from ecplan.accounts import services

    scope = services.resolve_scope(args.role, args.scope) if args.role else None
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    from django.db import transaction

    with transaction.atomic():
        invitation = services.invite_user(
            acting_user=None,
            base_url=args.base_url,
            username=args.username,
            full_name=args.name,
            email=args.email,
            role=args.role,
            scope=scope,
        )
        if password is not None:
            services.set_password(acting_user=None, user=invitation.user, password=password)
    print(f"已创建用户 {invitation.user}。")
    if password is None:
        print(f"设置密码链接（只能使用一次，{invitation.days} 天内有效）：\n{invitation.link}")
    return 0


def _scoped(args: argparse.Namespace) -> tuple[Any, Any]:
    from ecplan.accounts import services

    return services.find_user(args.username), services.resolve_scope(args.role, args.scope)


def _grant(args: argparse.Namespace) -> int:
    from ecplan.accounts import services

    user, scope = _scoped(args)
    ra = services.grant_role(acting_user=None, user=user, role=args.role, scope=scope)
    print(f"已授予 {user} 角色：{ra.label}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from ecplan.accounts import services

    user, scope = _scoped(args)
    ra = services.assignment_of(user, args.role, scope)
    label = ra.label
    services.revoke_role(acting_user=None, assignment=ra)
    print(f"已撤销 {user} 的角色：{label}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    from ecplan.accounts import services

    user = services.find_user(args.username)
    services.set_active(acting_user=None, user=user, active=False)
    print(f"已停用 {user}。")
    return 0


def _enable(args: argparse.Namespace) -> int:
    from ecplan.accounts import services

    user = services.find_user(args.username)
    services.set_active(acting_user=None, user=user, active=True)
    print(f"已启用 {user}。")
    return 0


def _unlock(args: argparse.Namespace) -> int:
    from ecplan.accounts import services

    user = services.find_user(args.username)
    cleared = services.unlock(acting_user=None, user=user)
    print(f"已解除 {user} 的登录锁定（清除 {cleared} 条失败记录）。")
    return 0

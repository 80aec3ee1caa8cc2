"""``ecplan serve``: migrate, load the plans, optionally the demo city, and serve."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ecplan.cli.common import CommandError, setup_django

ORDER = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "serve",
        help="启动平台 (start the web platform)",
        description="迁移数据库、载入行动计划并启动网页服务。默认使用内置 SQLite 数据库。",
    )
    p.add_argument("--demo", action="store_true", help="演示模式：空库时载入演示城市与演示账户")
    p.add_argument("--host", default="127.0.0.1", help="监听地址 (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="端口 (default: 8000)")
    p.add_argument("--threads", type=int, default=8, help="工作线程数 (default: 8)")
    p.add_argument(
        "--no-start", action="store_true", help="只准备数据库，不启动服务 (prepare only)"
    )
    p.set_defaults(handler=run)


def prepare(*, demo: bool, stdout: TextIO | None = None) -> None:
    """Migrate, load shipped plans and (demo) the demo city — what `serve` does before serving."""
    from django.conf import settings
    from django.core.management import call_command

    out = stdout or sys.stdout
    from ecplan.plans.services import load_shipped_plans

    call_command("migrate", interactive=False, verbosity=0)
    if not settings.DEBUG and settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    loaded = load_shipped_plans()
    print(f"已载入行动计划：{', '.join(loaded) if loaded else '（无）'}", file=out)
    if demo:
        from ecplan.web.demo import DemoNotAllowed, enable_demo

        try:
            first = enable_demo(out)
        except DemoNotAllowed as exc:
            raise CommandError(str(exc)) from None
        print("演示模式：" + ("已载入演示数据。" if first else "演示数据此前已载入。"), file=out)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.conf import settings

    prepare(demo=args.demo)
    if args.demo:
        from ecplan.accounts.demo import print_demo_accounts

        print_demo_accounts(sys.stdout)
    if args.no_start:
        return 0
    from waitress import serve as waitress_serve

    from ecplan.wsgi import application

    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else db["ENGINE"]
    print(f"数据目录：{settings.DATA_DIR}\n数据库：{where}")
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"平台已启动，请在浏览器中打开 http://{host}:{args.port}/ （按 Ctrl+C 停止）", flush=True)
    waitress_serve(
        application, host=args.host, port=args.port, threads=args.threads, ident="ecplan"
    )
    return 0

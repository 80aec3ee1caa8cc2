"""``ecplan manage …``: Django's management commands (migrate, check --deploy, createsuperuser)."""

from __future__ import annotations

import argparse

from ecplan.cli.common import setup_django

ORDER = 90


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "manage",
        help="Django 管理命令 (Django management commands)",
        description="运行 Django 管理命令，例如：ecplan manage check --deploy",
    )
    p.add_argument("args", nargs=argparse.REMAINDER, help="传给 django-admin 的参数")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ecplan manage", *args.args])
    return 0

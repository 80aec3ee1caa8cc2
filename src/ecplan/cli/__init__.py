"""The ``ecplan`` command.

Sub-commands live in modules of this package; each module defines ``ORDER`` (position in the
help) and ``register(subparsers)``, and is discovered automatically. Modules import Django only
inside the handler of a command that needs the database (:func:`ecplan.cli.common.setup_django`),
so ``ecplan plan show`` or ``ecplan calc energy`` start without it.
"""

from __future__ import annotations

import argparse
import contextvars
import importlib
import pkgutil
import sys
from collections.abc import Sequence

from ecplan import __version__
from ecplan.cli.common import CommandError

DESCRIPTION = (
    "节能降碳行动计划管理平台（ecplan）命令行。\n"
    "Energy-saving and carbon-reduction action plan platform — command line."
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ecplan",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ecplan {__version__}")
    subparsers = parser.add_subparsers(
        title="命令 (commands)", metavar="命令", dest="command", required=True
    )
    modules = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "common":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            modules.append(module)
    for module in sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__)):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # A private context: what a command marks for itself (e.g. the audit channel "cli")
        # ends with the command, also when main() is called in-process.
        result = contextvars.copy_context().run(args.handler, args)
    except CommandError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if not _is_missing_table(exc):
            raise
        print(
            "错误：数据库还没有建立或不是当前版本（缺少数据表）。请先运行 ecplan serve（启动时自动建立"
            "和升级数据库）或 ecplan manage migrate，然后重试。所用数据库由 DATABASE_URL 决定，"
            "未设置时为数据目录（ECPLAN_DATA_DIR）中的 SQLite 文件。",
            file=sys.stderr,
        )
        return 1
    return int(result or 0)


def _is_missing_table(exc: BaseException) -> bool:
    """Whether ``exc`` is the database saying a table does not exist (not migrated yet)."""
    db = sys.modules.get("django.db.utils")
    if db is None or not isinstance(exc, db.DatabaseError):
        return False
    text = str(exc)
    # SQLite: "no such table: …"; PostgreSQL (psycopg UndefinedTable, SQLSTATE 42P01)
    return "no such table" in text or getattr(exc.__cause__, "sqlstate", None) == "42P01"

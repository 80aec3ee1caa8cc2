"""``ecplan import``, ``ecplan export``, ``ecplan template``, ``ecplan restate``,
``ecplan assignments``: data collection from the command line.

Every command acts as a named user (``--as USERNAME`` or the environment variable
``ECPLAN_USER``) and obeys that user's scope; what it changes is in the audit trail with the
channel ``cli``.

Exit status of ``ecplan import``: 0 stored (or, with ``--dry-run``, nothing wrong); 1 the file
has errors or was refused — nothing stored, every problem listed; 2 there are warnings to
confirm (``--confirm-warnings``) — nothing stored.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ecplan.cli.common import CommandError, with_user

ORDER = 40

REPORT_TYPES = {
    "energy": "企业能源月报",
    "statistics": "统计数据",
    "indicator": "部门指标",
    "enterprises": "企业与装置名录",
}
EXPORT_KINDS = {
    "enterprises": "企业与装置名录",
    "energy-reports": "企业能源月报",
    "energy-results": "核算结果（能耗、碳排放）",
    "statistics": "统计数据",
    "indicator-values": "部门指标值",
}


def _as_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="以该用户的名义执行，按其权限范围（默认取环境变量 ECPLAN_USER）；"
        "只读命令两者都未给出时，以内置只读账户 cli-operator（领导范围）执行",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = subparsers.add_parser(
        "import",
        help="导入报表文件（Excel 或 CSV）(import a report file)",
        description="检查并导入企业能源月报、统计数据、部门指标或企业与装置名录。文件有任何错误时"
        "不导入任何数据，列出全部问题并以退出码 1 结束；有提醒时须加 --confirm-warnings 确认"
        "（否则退出码 2，不导入）。也接受 ecplan calc energy 的长表（主体、期间、能源品种、数量、"
        "单位、用途）。",
    )
    imp.add_argument("file", type=Path, metavar="FILE", help="文件（.xlsx、.xls、.csv）")
    imp.add_argument(
        "--type",
        dest="report_type",
        choices=list(REPORT_TYPES),
        help="报表类型："
        + "、".join(f"{k}（{v}）" for k, v in REPORT_TYPES.items())
        + "；默认自动识别",
    )
    imp.add_argument("--dry-run", action="store_true", help="只检查，报告将会发生的变化，不写入")
    imp.add_argument(
        "--confirm-warnings", action="store_true", help="确认全部提醒（如环比异常）后导入"
    )
    imp.add_argument(
        "--state",
        choices=["draft", "submitted", "approved"],
        default="draft",
        help="保存为草稿（默认）；计划管理员补录已审核的历史数据时可用 approved",
    )
    imp.add_argument("--reason", default="", help="修订原因（记入修订历史）")
    imp.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    _as_argument(imp)
    imp.set_defaults(handler=with_user(run_import))

    exp = subparsers.add_parser(
        "export",
        help="导出数据 (export collected data)",
        description="按当前用户的权限范围导出数据。未指定 -o 时写到标准输出（xlsx 为二进制）。",
    )
    exp.add_argument(
        "kind",
        choices=list(EXPORT_KINDS),
        metavar="KIND",
        help="导出内容：" + "、".join(f"{k}（{v}）" for k, v in EXPORT_KINDS.items()),
    )
    exp.add_argument("--period", help="期间：2025-03、2025-Q1 或 2025（该年全部）")
    exp.add_argument("--format", choices=["xlsx", "csv", "json"], default="xlsx")
    exp.add_argument(
        "--revisions",
        choices=["newest", "approved", "preview"],
        default="newest",
        help="每份报表导出哪个修订：newest 最新（默认）、approved 已审核、preview 已提交或已审核",
    )
    exp.add_argument("-o", "--output", type=Path, help="输出文件（默认标准输出）")
    _as_argument(exp)
    exp.set_defaults(handler=with_user(run_export, read_only=True))

    tpl = subparsers.add_parser(
        "template",
        help="生成填报模板 (write a fill-in template)",
        description="生成按当前用户预填的 Excel 填报模板（含填表说明和下拉列表）。",
    )
    tpl.add_argument(
        "report_type",
        choices=list(REPORT_TYPES),
        metavar="TYPE",
        help="报表类型：" + "、".join(REPORT_TYPES),
    )
    tpl.add_argument("--period", help="预填的期间（默认当前开放的期间）")
    tpl.add_argument("-o", "--output", type=Path, help="输出文件（默认标准输出）")
    _as_argument(tpl)
    tpl.set_defaults(handler=with_user(run_template))

    rst = subparsers.add_parser(
        "restate",
        help="按现行因子集重新核算 (restate accounting results)",
        description="用当前生效的因子集重新核算企业能源月报的结果。结果有变化的修订生成新的结果版本，"
        "旧版本保留；须说明原因，记入审计。仅计划管理员、系统管理员可用。",
    )
    rst.add_argument("--period", help="期间：2025-03、2025-Q1 或 2025")
    rst.add_argument("--enterprise", metavar="CREDIT_CODE", help="只重算该企业")
    rst.add_argument(
        "--revisions",
        choices=["newest", "approved", "all"],
        default="all",
        help="重算哪些修订：all 全部（默认）、newest 每份报表最新、approved 已审核",
    )
    rst.add_argument("--reason", required=True, help="重算原因（如：载入2024年电网排放因子）")
    rst.add_argument("--dry-run", action="store_true", help="只统计将产生新版本的修订")
    _as_argument(rst)
    rst.set_defaults(handler=with_user(run_restate))

    asg = subparsers.add_parser(
        "assignments",
        help="按计划责任分工生成部门指标填报分工 (derive indicator assignments)",
        description="读取计划当前版本的责任分工，为各部门生成需填报的指标；已有的分工保持不变。",
    )
    asg.add_argument("plan", nargs="?", default="yangzhou-2025", help="计划标识")
    asg.add_argument("--frequency", choices=["month", "quarter", "year"], default="year")
    _as_argument(asg)
    asg.set_defaults(handler=with_user(run_assignments))


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        output.write_bytes(data)


def run_import(args: argparse.Namespace, user: Any) -> int:
    from ecplan.reporting.services import import_file

    if not args.file.is_file():
        raise CommandError(f"找不到文件：{args.file}")
    outcome = import_file(
        args.file,
        acting_user=user,
        filename=args.file.name,
        report_type=args.report_type,
        dry_run=args.dry_run,
        confirm_warnings=args.confirm_warnings,
        state=args.state,
        reason=args.reason,
        channel="cli",
    )
    issues = outcome.issues.sorted()
    if args.format == "json":
        print(json.dumps(outcome.to_dict(), ensure_ascii=False, indent=1))
    else:
        label = REPORT_TYPES.get(outcome.report_type, "未识别")
        print(f"文件：{outcome.filename}（{label}）")
        for line in issues.to_lines(with_severity=True):
            print(line, file=sys.stderr if issues.has_errors else sys.stdout)
        if outcome.outcome is not None and not issues.has_errors:
            for change in outcome.outcome.changes:
                rev = f"第 {change.revision_number} 版" if change.revision_number else ""
                print(f"  {change.action_label}：{change.label} {rev}（{change.line_count} 行）")
        print(outcome.summary())
        if outcome.batch is not None:
            print(f"导入记录编号：{outcome.batch.pk}（文件已保存）")
    if issues.has_errors:
        return 1
    if outcome.needs_confirmation:
        if args.format == "text":
            print("以上提醒须确认：核实无误后加 --confirm-warnings 重新执行。", file=sys.stderr)
        return 2
    return 0


def run_export(args: argparse.Namespace, user: Any) -> int:
    from ecplan.reporting.exports import ExportError, export

    try:
        result = export(
            args.kind,
            acting_user=user,
            fmt=args.format,
            period=args.period,
            revisions=args.revisions,
        )
    except ExportError as exc:
        raise CommandError(str(exc)) from None
    _emit(result.data, args.output)
    if args.output is not None:
        print(f"已导出 {result.rows} 行到 {args.output}")
    return 0


def run_template(args: argparse.Namespace, user: Any) -> int:
    from ecplan.reporting.periods import PeriodError, parse_period
    from ecplan.reporting.workbooks import template_bytes

    if args.period:
        try:
            parse_period(args.period)
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
    data = template_bytes(args.report_type, acting_user=user, period=args.period)
    _emit(data, args.output)
    if args.output is not None:
        print(f"模板已写入 {args.output}")
    return 0


def run_restate(args: argparse.Namespace, user: Any) -> int:
    from django.core.exceptions import PermissionDenied

    from ecplan.reporting.services import restate_selection

    try:
        outcome = restate_selection(
            acting_user=user,
            reason=args.reason,
            period=args.period,
            credit_code=args.enterprise,
            which=args.revisions,
            dry_run=args.dry_run,
        )
    except PermissionDenied as exc:
        raise CommandError(str(exc)) from None
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    print(("（试运行）" if args.dry_run else "") + outcome.summary())
    if outcome.restatement is not None:
        print(f"重算记录编号：{outcome.restatement.pk}")
    return 0


def run_assignments(args: argparse.Namespace, user: Any) -> int:
    from django.core.exceptions import PermissionDenied

    from ecplan.reporting.services import sync_assignments_as

    try:
        outcome = sync_assignments_as(args.plan, acting_user=user, frequency=args.frequency)
    except (PermissionDenied, LookupError, ValueError) as exc:
        raise CommandError(str(exc)) from None
    print(outcome.summary())
    return 0

"""``ecplan submissions list|submit|approve|return|missing`` and ``ecplan reminders send``:
the review workflow from the command line.

``submissions`` commands act as a named user (``--as USERNAME`` or ``ECPLAN_USER``) and obey
that user's scope exactly as the pages do: a reporter submits only their own reports, a
reviewer approves or returns only what waits for them. Reports are chosen by id or by filters
(``--type``, ``--period``): ``submit`` takes the drafts of the selection, ``approve`` and
``return`` the reports in the user's review queue. Each report is handled in its own
transaction; a refusal for one does not stop the others.

``reminders send`` is the daily job (cron or a systemd timer): it sends the reminders due
today, never the same one twice, and records them. It acts as the system, not as a user.

Exit status: 0 everything selected was done (or, with ``--dry-run``, would be); 1 one or more
reports were refused or failed (each is listed with the reason); 2 the command was wrong (an
unknown user, a missing ``--reason``, no selection); 3 nothing matched the selection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import Any

from ecplan.cli.common import CommandError, os_account, setup_django, with_user

ORDER = 45

TYPES = {"energy": "企业能源月报", "statistics": "统计数据", "indicator": "部门指标"}
STATES = {"draft": "草稿", "submitted": "已提交", "approved": "已审核", "returned": "退回"}
EXIT_REFUSED, EXIT_USAGE, EXIT_NOTHING = 1, 2, 3


def _common(p: argparse.ArgumentParser, *, selection: bool = True) -> None:
    if selection:
        p.add_argument("ids", nargs="*", type=int, metavar="ID", help="报表编号（可多个）")
    p.add_argument("--type", dest="report_type", choices=list(TYPES), help="报表类型")
    p.add_argument("--period", help="期间：2025-03、2025-Q1 或 2025（该年全部）")
    p.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    p.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="以该用户的名义执行，按其权限范围（默认取环境变量 ECPLAN_USER）",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    s = subparsers.add_parser(
        "submissions",
        help="报送与审核：列出、提交、审核通过、退回 (review workflow)",
        description=(
            "以指定用户的身份（--as USERNAME 或环境变量 ECPLAN_USER）报送与审核，权限范围与页面"
            "完全相同：填报员只能提交自己的报表，审核员只能审核或退回等待自己审核的报表。"
            "可按编号或按筛选条件（--type、--period）选择报表：submit 处理所选的草稿，approve "
            "和 return 处理等待该用户审核的报表。每份报表各自成一个事务，一份被拒不影响其他。"
        ),
    )
    sub = s.add_subparsers(
        title="子命令", metavar="子命令", dest="submissions_command", required=True
    )

    ls = sub.add_parser("list", help="列出报表及其审核状态")
    _common(ls, selection=False)
    ls.add_argument("--state", choices=list(STATES), help="最新修订的状态")
    ls.add_argument("--waiting-for-me", action="store_true", help="只列出等待我审核的报表")
    ls.set_defaults(handler=with_user(run_list, exit_code=EXIT_USAGE))

    sm = sub.add_parser("submit", help="提交报表（草稿）审核")
    _common(sm)
    sm.add_argument("--comment", default="", help="提交说明（被退回后未修改重新提交时必填）")
    sm.add_argument("--dry-run", action="store_true", help="只检查，不提交")
    sm.set_defaults(handler=with_user(run_action("submit"), exit_code=EXIT_USAGE))

    ap = sub.add_parser("approve", help="审核通过（当前等待我审核的环节）")
    _common(ap)
    ap.add_argument("--comment", default="", help="审核意见")
    ap.add_argument("--dry-run", action="store_true", help="只检查，不审核")
    ap.set_defaults(handler=with_user(run_action("approve"), exit_code=EXIT_USAGE))

    rt = sub.add_parser("return", help="退回修改（须写明原因）")
    _common(rt)
    rt.add_argument("--reason", default="", help="退回原因（必填）")
    rt.add_argument("--dry-run", action="store_true", help="只检查，不退回")
    rt.set_defaults(handler=with_user(run_action("return"), exit_code=EXIT_USAGE))

    hs = sub.add_parser(
        "history", help="一份报表的全部修订、审核记录和逐字段差异（谁、何时、为何、旧值→新值）"
    )
    hs.add_argument("id", type=int, metavar="ID", help="报表编号")
    hs.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    hs.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="以该用户的名义执行，按其权限范围（默认取环境变量 ECPLAN_USER）",
    )
    hs.set_defaults(handler=with_user(run_history, exit_code=EXIT_USAGE))

    ms = sub.add_parser("missing", help="未报清单：应报而未提交的单位")
    _common(ms, selection=False)
    ms.add_argument("--all", action="store_true", help="也列出已提交、已审核的单位")
    ms.set_defaults(handler=with_user(run_missing, exit_code=EXIT_USAGE))

    r = subparsers.add_parser(
        "reminders",
        help="催报提醒 (deadline reminders)",
        description="按报送日历发送催报提醒（站内通知和邮件）。每天运行一次（cron 或 systemd 定时器）；"
        "同一单位、期间和提醒时间只发送一次，已发送的记录在“催报记录”中并记入审计。",
    )
    rsub = r.add_subparsers(
        title="子命令", metavar="子命令", dest="reminders_command", required=True
    )
    send = rsub.add_parser("send", help="发送今天到期的提醒")
    send.add_argument("--date", help="按该日期判断（YYYY-MM-DD，默认今天）")
    send.add_argument("--dry-run", action="store_true", help="只列出将发送的提醒，不发送、不记录")
    send.add_argument("--format", choices=["text", "json"], default="text", help="输出格式")
    send.set_defaults(handler=run_reminders)


def _period(text: str | None) -> Any:
    if not text:
        return None
    from ecplan.reporting.periods import PeriodError, parse_period

    try:
        return parse_period(text)
    except PeriodError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None


def _filter(qs: Any, args: argparse.Namespace, prefix: str = "") -> Any:
    if args.report_type:
        qs = qs.filter(**{f"{prefix}report_type": args.report_type})
    period = _period(args.period)
    if period is not None:
        qs = qs.filter(
            **{f"{prefix}period_start__gte": period.start, f"{prefix}period_end__lte": period.end}
        )
    return qs


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1))


# -- list -------------------------------------------------------------------------------------------


def run_list(args: argparse.Namespace, user: Any) -> int:
    from ecplan.workflow import policies as wp
    from ecplan.workflow import services

    qs = _filter(wp.workflow_reports(user), args)
    if args.waiting_for_me:
        services.sync_submissions()
        qs = qs.filter(pk__in=wp.queue(user).values("submission__report_id"))
    qs = services.with_newest(qs).select_related("enterprise", "organisation", "area")
    if args.state:
        qs = qs.filter(newest_state=args.state)
    rows = services.status_rows(list(qs.order_by("-period_start", "report_type", "id")))
    if args.format == "json":
        _print_json({"count": len(rows), "reports": [r.to_dict() for r in rows]})
        return 0
    if not rows:
        print("没有符合条件的报表。")
        return 0
    print("编号\t类型\t单位\t期间\t修订\t状态\t进度\t截止日")
    for row in rows:
        d = row.to_dict()
        revision = f"第{d['revision']}版" if d["revision"] else "—"
        print(
            f"{d['id']}\t{d['report_type_label']}\t{d['owner']}\t{d['period']}\t"
            f"{revision}\t{d['state_label']}\t"
            f"{d['progress']}\t{d['deadline'] or '—'}" + ("\t[演示数据]" if d["is_demo"] else "")
        )
    print(f"共 {len(rows)} 份。")
    return 0


# -- history ------------------------------------------------------------------------------------------


def _when(value: Any) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


def run_history(args: argparse.Namespace, user: Any) -> int:
    from ecplan.workflow import policies as wp
    from ecplan.workflow.counted import approval_of
    from ecplan.workflow.history import report_history

    report = wp.workflow_reports(user).filter(pk=args.id).first()
    if report is None:
        raise CommandError(f"找不到报表，或您无权查看：{args.id}", EXIT_USAGE)
    entries = report_history(report)
    if args.format == "json":
        _print_json(
            {
                "report": report.pk,
                "report_type": report.report_type,
                "owner": report.owner_label,
                "period": report.period,
                "revisions": [e.to_dict() for e in entries],
            }
        )
        return 0
    print(f"{report.get_report_type_display()} {report.owner_label} {report.period_label}"
          f"（编号 {report.pk}）")  # fmt: skip
    for entry in entries:
        rev = entry.revision
        mark = "（当前有效）" if entry.is_effective else ""
        creator = rev.created_by.get_username() if rev.created_by else "—"
        print(f"\n第 {rev.number} 版 {rev.get_state_display()}{mark}")
        print(f"  创建：{creator}，{_when(rev.created_at)}，来源 {rev.get_channel_display()}"
              + (f"，修订原因：{rev.reason}" if rev.reason else ""))  # fmt: skip
        for event in entry.events:
            step = f"（第{event.step.position}步 {event.step.label}）" if event.step_id else ""
            who = event.actor_name or (event.actor.get_username() if event.actor_id else "系统")
            note = f"：{event.comment}" if event.comment else ""
            print(f"  {_when(event.occurred_at)} {event.get_action_display()}{step} {who}{note}")
        approval = approval_of(rev)
        if approval is not None:
            print(f"  {approval.text}")
        for change in entry.diff:
            fields = "；".join(f"{c.label} {c.old_text} → {c.new_text}" for c in change.changes)
            print(f"  {change.kind_label} {change.section_label} {change.line}：{fields}")
        for c in entry.result_changes:
            print(f"  核算结果 {c.label} {c.old_text} → {c.new_text}")
    return 0


# -- submit / approve / return -------------------------------------------------------------------------

_VERBS = {
    "submit": ("提交", "将提交"),
    "approve": ("审核通过", "将审核通过"),
    "return": ("退回", "将退回"),
}


def _select(args: argparse.Namespace, user: Any, action: str) -> list[Any]:
    from ecplan.workflow import policies as wp
    from ecplan.workflow import services

    if not args.ids and not args.period:
        raise CommandError(
            "请指定报表编号，或用 --period（可加 --type）按期间选择；"
            "为避免误操作，不按全部报表批量处理。",
            EXIT_USAGE,
        )
    reports = wp.workflow_reports(user)
    if args.ids:
        reports = reports.filter(pk__in=args.ids)
        found = set(reports.values_list("pk", flat=True))
        missing = [i for i in args.ids if i not in found]
        if missing:
            raise CommandError(
                "找不到报表，或您无权查看：" + "、".join(str(i) for i in missing), EXIT_USAGE
            )
    reports = _filter(reports, args)
    if not args.ids:
        # by filters: drafts to submit, or what waits in my queue
        if action == "submit":
            reports = services.with_newest(reports).filter(newest_state="draft")
        else:
            services.sync_submissions()
            reports = reports.filter(pk__in=wp.queue(user).values("submission__report_id"))
    return list(reports.select_related("enterprise", "organisation", "area").order_by("id"))


def _nothing_hint(args: argparse.Namespace, user: Any, action: str) -> str:
    """Why a selection by filters found nothing, and what to do instead."""
    from ecplan.workflow import policies as wp
    from ecplan.workflow import services

    if args.ids:
        return ""
    reports = services.with_newest(_filter(wp.workflow_reports(user), args))
    if action == "submit":
        returned = list(
            reports.filter(newest_state="returned").order_by("id").values_list("pk", flat=True)
        )
        if returned:
            ids = " ".join(str(i) for i in returned[:10])
            return (
                f"\n（按条件只提交草稿。已退回的报表 {len(returned)} 份：修改后保存即生成新的草稿；"
                f"如数据无误，可指定编号并用 --comment 写明理由重新提交，例如："
                f'ecplan submissions submit {ids} --comment "已核实，数据无误"）'
            )
        return "\n（按条件只提交您可以填报的草稿；先保存数据，或用 list 查看各报表状态。）"
    pending = reports.filter(newest_state="submitted").count()
    if pending:
        return (
            f"\n（该范围内有 {pending} 份已提交的报表，但当前不在您的待审核队列中："
            "可能在等待其他审核环节，或是您本人提交、填报的数据。用 list 查看进度。）"
        )
    return ""


def run_action(action: str) -> Callable[[argparse.Namespace, Any], int]:
    def run(args: argparse.Namespace, user: Any) -> int:
        from django.core.exceptions import PermissionDenied

        from ecplan.workflow import policies as wp
        from ecplan.workflow import services

        if action == "return" and not (args.reason or "").strip():
            raise CommandError(
                "退回须用 --reason 写明原因（说明需要填报单位核实或修改的内容）。", EXIT_USAGE
            )
        reports = _select(args, user, action)
        if not reports:
            if args.format == "json":
                _print_json({"action": action, "dry_run": args.dry_run, "results": []})
            else:
                print("没有符合条件的报表。" + _nothing_hint(args, user, action), file=sys.stderr)
            return EXIT_NOTHING
        done, verb_future = _VERBS[action]
        results = []
        for report in reports:
            message = None
            ok = True
            if args.dry_run:
                message = wp.refusal(user, action, report)
                ok = message is None
            else:
                try:
                    if action == "submit":
                        services.submit(report, acting_user=user, comment=args.comment)
                    elif action == "approve":
                        services.approve(report, acting_user=user, comment=args.comment)
                    else:
                        services.return_report(report, acting_user=user, reason=args.reason)
                except (services.WorkflowError, PermissionDenied, services.ReviewConflict) as exc:
                    ok, message = False, str(exc)
            report.refresh_from_db()
            results.append(
                {
                    "id": report.pk,
                    "report": str(report),
                    "ok": ok,
                    "message": message or "",
                }
            )
        failed = [r for r in results if not r["ok"]]
        if args.format == "json":
            _print_json(
                {
                    "action": action,
                    "dry_run": args.dry_run,
                    "done": len(results) - len(failed),
                    "refused": len(failed),
                    "results": results,
                }
            )
        else:
            label = verb_future if args.dry_run else f"已{done}"
            for r in results:
                if r["ok"]:
                    print(f"{label}：{r['report']}（编号 {r['id']}）")
                else:
                    print(
                        f"未{done}：{r['report']}（编号 {r['id']}）——{r['message']}",
                        file=sys.stderr,
                    )
            head = "（试运行，未写入）" if args.dry_run else ""
            print(
                f"{head}共 {len(results)} 份：{len(results) - len(failed)} 份{label}，{len(failed)} 份未执行。"
            )
        return EXIT_REFUSED if failed else 0

    return run


# -- missing ----------------------------------------------------------------------------------------------


def run_missing(args: argparse.Namespace, user: Any) -> int:
    from django.utils import timezone

    from ecplan.workflow import services
    from ecplan.workflow.reporting_calendar import open_periods_on

    report_type = args.report_type or "energy"
    period = _period(args.period)
    if period is None:
        kinds = {"energy": "month", "statistics": "quarter", "indicator": "year"}
        found = open_periods_on(report_type, kinds[report_type], timezone.localdate())
        if not found:
            raise CommandError("当前没有开放的期间，请用 --period 指定。", EXIT_USAGE)
        period = found[0]
    rows = services.obligations(report_type, period, user=user)
    if not args.all:
        rows = [r for r in rows if not r.submitted]
    if args.format == "json":
        _print_json(
            {"report_type": report_type, "period": str(period), "rows": [r.to_dict() for r in rows]}
        )
        return 0
    print(f"{period.label}{TYPES[report_type]}：{'全部' if args.all else '未提交'} {len(rows)} 个")
    print("分组\t填报单位\t状态\t负责审核\t逾期天数")
    for r in rows:
        print(f"{r.group}\t{r.label}\t{r.state_label}\t{r.responsible}\t{r.overdue_days or '—'}")
    return 0


# -- reminders -----------------------------------------------------------------------------------------------


def run_reminders(args: argparse.Namespace) -> int:
    day = None
    if args.date:
        try:
            day = dt.date.fromisoformat(args.date)
        except ValueError:
            raise CommandError(
                f"日期“{args.date}”格式不对，应为 YYYY-MM-DD。", EXIT_USAGE
            ) from None
    setup_django()
    from ecplan.audit.context import operating
    from ecplan.workflow.services import send_reminders

    with operating("cli", operator=f"命令行:{os_account()}"):
        outcome = send_reminders(today=day, dry_run=args.dry_run)
    if args.format == "json":
        _print_json(outcome.to_dict())
        return 0
    for item in outcome.sent:
        who = "、".join(item.recipients) or "（无填报账户，未能通知）"
        kind = "逾期汇总" if item.kind == "digest" else "催报"
        print(f"{kind}：{item.target_label} {item.period} 截止日{item.offset_days:+d}天 → {who}")
    print(outcome.summary())
    return 0

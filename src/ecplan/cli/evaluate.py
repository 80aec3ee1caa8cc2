"""``ecplan evaluate``: where every target of a plan stands as of a month, and the 晴雨表;
``ecplan binding-targets`` and ``ecplan target-values``: what the plan office enters.

Every command acts as a named user (``--as USERNAME`` or ``ECPLAN_USER``), like the other data
commands: the evaluation itself always reads all data of the plan's region (it is the city's
evaluation, stored as a run), but what is printed is what that user may see — the plan office
and leaders everything, a department its targets, an area user its area's and the city's
warnings; enterprise users are refused. Entering binding targets and target values needs the
plan office. Everything is audited with the channel ``cli``.

Exit status: 0 done; 1 an error (unknown plan, bad month, bad file — nothing stored).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ecplan.cli.common import CommandError, with_user

ORDER = 45


def _as_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        help="以该用户的名义执行，按其权限范围输出（默认取环境变量 ECPLAN_USER）；"
        "只读命令两者都未给出时，以内置只读账户 cli-operator（领导范围）执行",
    )


def _plan_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--plan", metavar="ID", help="计划标识，如 yangzhou-2025；只有一个计划时可省略"
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = subparsers.add_parser(
        "evaluate",
        help="评价计划目标进展和晴雨表 (evaluate a plan as of a month)",
        description="按已审核数据（或 --preview 含已提交数据）评价计划全部目标、里程碑、规则和约束性指标，"
        "并给出全市和各县级地区的晴雨表预警等级。每次评价都保存为评价记录（同样的数据复用已有记录），"
        "输出中的 run.id 可用于复查。",
    )
    _plan_argument(ev)
    ev.add_argument(
        "--version", dest="version_label", metavar="LABEL", help="计划版本号（默认当前版本）"
    )
    ev.add_argument(
        "--as-of",
        metavar="YYYY-MM",
        help="评价月份（默认：本地区最新数据所在月份）",
    )
    ev.add_argument("--format", choices=["table", "json"], default="table", help="输出格式")
    ev.add_argument(
        "--preview", action="store_true", help="预览：计入已提交尚未审核的数据（结果标注预览）"
    )
    ev.add_argument(
        "--force",
        action="store_true",
        help="即使已有相同数据的评价记录也重新计算并保存（计划管理部门）",
    )
    _as_argument(ev)
    ev.set_defaults(handler=with_user(run_evaluate, read_only=True))

    bt = subparsers.add_parser(
        "binding-targets",
        help="约束性指标及分解：查看、录入、导入 (binding targets and their allocation)",
        description="计划管理部门录入“十四五”约束性指标（全市）及其细化分解（县级地区）。修改不覆盖原值，"
        "每次录入为新的修订，记入审计。",
    )
    sub = bt.add_subparsers(title="子命令", metavar="子命令", dest="binding_command", required=True)
    ls = sub.add_parser("list", help="列出约束性指标及其修订历史")
    _plan_argument(ls)
    ls.add_argument("--format", choices=["table", "json"], default="table")
    _as_argument(ls)
    ls.set_defaults(handler=with_user(run_binding_list, read_only=True))

    st = sub.add_parser("set", help="录入或修改一项约束性指标")
    _plan_argument(st)
    st.add_argument(
        "area", metavar="AREA", help="地区：全市或县级地区名称、代码（扬州市、仪征市、321081）"
    )
    st.add_argument(
        "indicator",
        metavar="INDICATOR",
        help="energy_intensity_change_new_basis、co2_intensity_change、nonfossil_share、"
        "energy_growth_allowed 或其中文名称",
    )
    st.add_argument("value", metavar="VALUE", help="小数或百分数：降低14% 写 0.14 或 14%")
    st.add_argument(
        "--years", default="2020-2025", metavar="BASE-TARGET", help="基期和目标年份，默认 2020-2025"
    )
    st.add_argument("--source", default="", help="依据（文件及文号）")
    st.add_argument("--note", default="", help="说明")
    st.add_argument("--reason", default="", help="修改原因（修改已有数值时填写）")
    st.add_argument("--dry-run", action="store_true", help="只检查，不保存")
    _as_argument(st)
    st.set_defaults(handler=with_user(run_binding_set))

    im = sub.add_parser(
        "import",
        help="从 Excel 或 CSV 导入约束性指标（列：地区、指标、数值、基期年份、目标年份、依据、说明）",
    )
    _plan_argument(im)
    im.add_argument("file", type=Path, metavar="FILE")
    im.add_argument("--reason", default="", help="修改原因")
    im.add_argument("--dry-run", action="store_true", help="只检查，不保存")
    _as_argument(im)
    im.set_defaults(handler=with_user(run_binding_import))

    dm = sub.add_parser(
        "demo",
        help="载入演示城市的约束性指标及分解和节能降碳改造项目年度汇总（演示数据，虚构；"
        "在 ecplan demo-data --load 之后）",
    )
    _plan_argument(dm)
    _as_argument(dm)
    dm.set_defaults(handler=with_user(run_binding_demo))

    tv = subparsers.add_parser(
        "target-values",
        help="录入计划文本未给出数值的目标值 (values of targets the text leaves unset)",
        description="为计划文本中数值为占位符（如“XXX万平方米”）的目标录入数值；计划文件保持原文，"
        "每次录入为新的修订，记入审计。",
    )
    tsub = tv.add_subparsers(title="子命令", metavar="子命令", dest="tv_command", required=True)
    tset = tsub.add_parser("set", help="录入一个目标值（按目标的单位，如 万平方米）")
    _plan_argument(tset)
    tset.add_argument(
        "key", metavar="TARGET", help="目标标识，如 existing-building-retrofit-area-2025"
    )
    tset.add_argument("value", metavar="VALUE", help="数值（目标单位）")
    tset.add_argument("--source", default="")
    tset.add_argument("--note", default="")
    tset.add_argument("--reason", default="")
    _as_argument(tset)
    tset.set_defaults(handler=with_user(run_target_value_set))


def _plan_code(args: argparse.Namespace, user: Any) -> str:
    if args.plan:
        return str(args.plan)
    from ecplan.accounts.policies import viewable
    from ecplan.plans.models import Plan

    codes = list(viewable(user, Plan).order_by("code").values_list("code", flat=True))
    if len(codes) == 1:
        return codes[0]
    if not codes:
        raise CommandError("数据库中没有计划；请先用 ecplan plan load 载入计划文件。")
    raise CommandError("有多个计划，请用 --plan 指定：" + "、".join(codes))


def _default_as_of(plan_code: str) -> Any:
    from ecplan.core.evaluation import YearMonth
    from ecplan.monitoring.data import latest_data_month

    month = latest_data_month(plan_code)
    if month is None:
        import datetime as dt

        today = dt.date.today()
        return YearMonth(today.year, today.month)
    return month


def run_evaluate(args: argparse.Namespace, user: Any) -> int:
    from django.core.exceptions import PermissionDenied

    from ecplan.core.evaluation import YearMonth, YearMonthError
    from ecplan.monitoring import presenters, services
    from ecplan.monitoring.models import EvaluationRun

    plan_code = _plan_code(args, user)
    try:
        as_of = YearMonth.parse(args.as_of) if args.as_of else _default_as_of(plan_code)
    except YearMonthError as exc:
        raise CommandError(f"--as-of：{exc}") from exc
    try:
        run = services.run_evaluation(
            plan_code,
            as_of=as_of,
            acting_user=user,
            preview=args.preview,
            version_label=args.version_label,
            trigger=EvaluationRun.Trigger.COMMAND,
            force=args.force,
        )
    except PermissionDenied as exc:
        raise CommandError(str(exc)) from exc
    except services.EntryError as exc:
        raise CommandError(str(exc)) from exc
    data = presenters.run_json(run, user)
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_table(data)
    return 0


def _print_table(data: dict[str, Any]) -> None:
    from ecplan.monitoring.display import pct, show

    plan = data["plan"]
    preview = "（预览：含未审核数据）" if data["preview"] else ""
    print(
        f"{plan['title']}（{plan['status']}，版本 {plan['version']}）截至 {data['as_of']} 的评价{preview}"
        f"，数据截至 {data['data_through'] or '—'}，评价记录 #{data['run']['id']}"
    )
    print()
    print("编号\t名称\t实际值\t目标\t状态\t预警")
    for t in data["targets"]:
        unit = t.get("unit", "")
        value = (
            show(t.get("value"), unit)
            if t.get("object_kind") != "milestone"
            else ("—" if t.get("value") is None else f"完成 {pct(t['value'])}")
        )
        target = show(t.get("target"), unit) if t.get("target") is not None else "—"
        level = {1: "一级（红）", 2: "二级（黄）", 3: "三级（绿）"}.get(
            t.get("warning_level") or 0, ""
        )
        print(
            f"{t['id']}\t{t.get('name', '')}\t{value}\t{target}\t{t.get('status_label', t.get('status'))}\t{level}"
        )
    print()
    print("地区\t期间\t强度变化率\t进度要求\t晴雨表")
    rows = ([data["city"]] if data.get("city") else []) + data["districts"]
    for d in rows:
        level = {1: "一级（红）", 2: "二级（黄）", 3: "三级（绿）"}.get(
            d.get("warning_level") or 0, "无法判定"
        )
        change = pct(d["intensity_change"]) if d.get("intensity_change") is not None else "—"
        required = pct(d["required_reduction"]) if d.get("required_reduction") is not None else "—"
        period = d.get("period") or "—"
        reason = f"（{d['missing_reason']}）" if d.get("missing_reason") else ""
        print(f"{d['district']}\t{period}\t{change}\t降低{required}\t{level}{reason}")


def run_binding_list(args: argparse.Namespace, user: Any) -> int:
    from ecplan.accounts.policies import viewable
    from ecplan.monitoring.models import BindingTarget

    plan_code = _plan_code(args, user)
    rows: list[dict[str, Any]] = []
    for b in (
        viewable(user, BindingTarget.objects.filter(plan__code=plan_code))
        .select_related("area")
        .prefetch_related("revisions__entered_by")
    ):
        rows.append(
            {
                "area": b.area.name,
                "indicator": b.indicator,
                "indicator_label": b.get_indicator_display(),
                "base_year": b.base_year,
                "target_year": b.target_year,
                "revisions": [
                    {
                        "number": r.number,
                        "value": format(r.value.normalize(), "f"),
                        "source": r.source,
                        "reason": r.reason,
                        "entered_by": r.entered_by.get_username(),
                        "entered_at": r.entered_at.isoformat(timespec="seconds"),
                        "current": r.pk == b.current_id,
                    }
                    for r in b.revisions.all()
                ],
            }
        )
    if args.format == "json":
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print("地区\t指标\t期间\t当前值\t修订次数\t依据")
    for r in rows:
        current = next((x for x in r["revisions"] if x["current"]), None)
        print(
            f"{r['area']}\t{r['indicator_label']}\t{r['base_year']}—{r['target_year']}\t"
            f"{current['value'] if current else '—'}\t{len(r['revisions'])}\t{current['source'] if current else ''}"
        )
    return 0


def _years(text: str) -> tuple[int, int]:
    try:
        base, target = (int(p) for p in text.replace("—", "-").split("-"))
    except ValueError:
        raise CommandError(f"--years：“{text}”应写成 基期-目标年份，如 2020-2025") from None
    return base, target


def _outcome(outcome: Any) -> int:
    for issue in outcome.issues:
        print(f"错误：{issue.text()}", file=sys.stderr)
    print(outcome.summary())
    return 1 if outcome.issues else 0


def run_binding_set(args: argparse.Namespace, user: Any) -> int:
    from django.core.exceptions import PermissionDenied

    from ecplan.monitoring.entry import BindingTargetRecord
    from ecplan.monitoring.services import EntryError, enter_binding_targets

    base, target = _years(args.years)
    record = BindingTargetRecord(
        args.area, args.indicator, args.value, base, target, args.source, args.note, where="命令行"
    )
    try:
        outcome = enter_binding_targets(
            _plan_code(args, user),
            [record],
            acting_user=user,
            reason=args.reason,
            dry_run=args.dry_run,
        )
    except (PermissionDenied, EntryError) as exc:
        raise CommandError(str(exc)) from exc
    return _outcome(outcome)


def run_binding_demo(args: argparse.Namespace, user: Any) -> int:
    from django.core.exceptions import PermissionDenied

    from ecplan.demo import generate_city
    from ecplan.monitoring.demo import load_binding_targets, load_demo_retrofits
    from ecplan.monitoring.services import EntryError

    city = generate_city()  # the default demo city, as ecplan demo-data --load generates it
    try:
        outcome = load_binding_targets(
            city.binding_targets, acting_user=user, plan_code=_plan_code(args, user)
        )
    except (PermissionDenied, EntryError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    print("演示数据（虚构的约束性指标及分解）")
    code = _outcome(outcome)
    if code == 0:
        try:
            load_demo_retrofits(city, sys.stdout, acting_user=user)
        except (PermissionDenied, ValueError) as exc:
            raise CommandError(str(exc)) from exc
    return code


def run_binding_import(args: argparse.Namespace, user: Any) -> int:
    from django.core.exceptions import PermissionDenied

    from ecplan.monitoring.entry import binding_records_from_file
    from ecplan.monitoring.services import EntryError, enter_binding_targets

    try:
        records, problems = binding_records_from_file(
            args.file.read_bytes(), filename=args.file.name
        )
    except OSError as exc:
        raise CommandError(f"无法读取文件 {args.file}：{exc}") from exc
    if problems:
        for p in problems:
            print(f"错误：{p}", file=sys.stderr)
        print("文件有错误，未保存任何数据")
        return 1
    try:
        outcome = enter_binding_targets(
            _plan_code(args, user),
            records,
            acting_user=user,
            reason=args.reason,
            dry_run=args.dry_run,
        )
    except (PermissionDenied, EntryError) as exc:
        raise CommandError(str(exc)) from exc
    return _outcome(outcome)


def run_target_value_set(args: argparse.Namespace, user: Any) -> int:
    from django.core.exceptions import PermissionDenied

    from ecplan.monitoring.entry import TargetValueRecord
    from ecplan.monitoring.services import EntryError, enter_target_values

    record = TargetValueRecord(args.key, args.value, args.source, args.note, where="命令行")
    try:
        outcome = enter_target_values(
            _plan_code(args, user), [record], acting_user=user, reason=args.reason
        )
    except (PermissionDenied, EntryError) as exc:
        raise CommandError(str(exc)) from exc
    return _outcome(outcome)

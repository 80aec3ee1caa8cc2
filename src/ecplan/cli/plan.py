"""``ecplan plan …``: show and validate plan files (no database), load them into the database.

``show`` and ``validate`` read the plan files directly and never start Django; ``load`` stores a
plan file as a new plan version in the database.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

from ecplan.cli.common import CommandError

ORDER = 20


def shipped_plans_dir() -> Path:
    """Where the plans shipped with the platform live (``ecplan/plans/data``)."""
    return Path(__file__).resolve().parent.parent / "plans" / "data"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "plan",
        help="行动计划：查看、校验、载入 (action plans: show, validate, load)",
        description="查看、校验随平台发布的行动计划文件，或把计划文件载入数据库。",
    )
    sub = p.add_subparsers(
        title="子命令 (subcommands)", metavar="子命令", dest="plan_command", required=True
    )

    show = sub.add_parser(
        "show",
        help="显示计划的章节、任务、目标、里程碑和规则 (show a plan)",
        description="读取随平台发布的计划文件（不需要数据库），显示其全部内容。",
    )
    show.add_argument(
        "plan_id",
        nargs="?",
        metavar="PLAN_ID",
        help="计划标识 (plan id)，如 yangzhou-2025；只有一个计划时可省略",
    )
    show.add_argument(
        "--format",
        choices=["table", "json"],
        default="table",
        help="输出格式 (output format)：table 表格（默认）或 json",
    )
    show.add_argument(
        "--file", type=Path, help="改为读取指定的计划文件 (read this plan file instead)"
    )
    show.set_defaults(handler=run_show)

    validate = sub.add_parser(
        "validate",
        help="校验计划文件 (validate a plan file)",
        description="按格式校验计划文件，并逐字核对原文引用、数值、部门名称和引用关系。"
        "通过时退出码为 0 并给出摘要，否则退出码为 1 并列出全部问题。",
    )
    validate.add_argument("file", type=Path, metavar="FILE", help="计划文件 (plan file, YAML)")
    validate.set_defaults(handler=run_validate)

    load = sub.add_parser(
        "load",
        help="把计划文件载入数据库，作为新版本 (load a plan file into the database)",
        description="校验后把计划文件载入数据库。同一内容重复载入不改变任何数据；"
        "内容改变时必须在 plan.version 中填写新的版本号，新版本与旧版本并存。",
    )
    load.add_argument("file", type=Path, metavar="FILE", help="计划文件 (plan file, YAML)")
    load.add_argument(
        "--as", dest="as_user", metavar="USERNAME", help="以该用户的名义载入（记录在版本上）"
    )
    load.set_defaults(handler=run_load)


def _load(path: Path) -> Any:
    from ecplan.core.datafile import DataFileError
    from ecplan.core.plan import load_plan

    try:
        return load_plan(path)
    except DataFileError as exc:
        lines = [f"计划文件 {exc.file} 校验未通过（{len(exc.problems)} 处问题）："]
        lines += [f"  {loc or '（文件）'}：{msg}" for loc, msg in exc.problems]
        raise CommandError("\n".join(lines)) from None


def run_show(args: argparse.Namespace) -> int:
    from ecplan.core.datafile import DataFileError
    from ecplan.core.plan import find_plan_file, plan_to_dict

    if args.file is not None:
        path = args.file
    else:
        try:
            path = find_plan_file(args.plan_id, shipped_plans_dir())
        except (LookupError, DataFileError) as exc:
            raise CommandError(str(exc)) from None
    data = plan_to_dict(_load(path))
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_table(data))
    return 0


def summary(data: dict[str, Any]) -> str:
    targets = data["targets"]
    not_set = sum(1 for t in targets if t["state"] == "not_set")
    rows = len(data["table"]["rows"]) if data["table"] else 0
    return (
        f"{data['title']}（{data['status']}，版本 {data['version']}），标识 {data['id']}\n"
        f"章节 {len(data['sections'])} 个，任务 {len(data['tasks'])} 项，分解表 {rows} 行；"
        f"目标 {len(targets)} 个（其中目标未设定 {not_set} 个），里程碑 {len(data['milestones'])} 个，"
        f"规则 {len(data['rules'])} 条，计划设置 {len(data['settings'])} 项。"
    )


def run_validate(args: argparse.Namespace) -> int:
    from ecplan.core.plan import plan_to_dict

    loaded = _load(args.file)
    data = plan_to_dict(loaded)
    print(f"校验通过：{args.file}")
    print(summary(data))
    print(
        f"全部原文引用已与 {loaded.text_path.name} 逐字核对；部门名称已按 {loaded.registry_path.name} 核对。"
    )
    print(f"内容哈希：{loaded.content_hash}")
    if loaded.warnings:
        print(f"提示（{len(loaded.warnings)} 处文本未编码，不影响校验结果）：")
        for loc, msg in loaded.warnings:
            print(f"  {loc}：{msg}")
    return 0


def run_load(args: argparse.Namespace) -> int:
    from ecplan.cli.common import acting_user, setup_django

    loaded = _load(args.file)
    setup_django()
    from ecplan.plans.services import PlanVersionConflict, load_plan_version

    user = acting_user(args.as_user) if args.as_user else None
    try:
        result = load_plan_version(loaded, acting_user=user)
    except PlanVersionConflict as exc:
        raise CommandError(str(exc)) from None
    version = result.version
    if result.created:
        print(
            f"已载入：{version.plan.code} 版本 {version.label}（{version.status}），当前版本已切换为此版本。"
        )
    else:
        print(
            f"未改变：{version.plan.code} 版本 {version.label} 已载入，内容相同（哈希 {version.content_hash[:12]}…）。"
        )
    return 0


# -- table output ------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _grid(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)).rstrip()]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return out


def responsibility_text(resp: dict[str, Any] | None) -> str:
    if resp is None:
        return "（文本未指定）"
    parts = []
    if resp["lead"]:
        parts.append(f"{resp['lead']['name']}牵头")
    if resp["joint"]:
        parts.append("、".join(o["name"] for o in resp["joint"]) + "共同负责")
    if resp["cooperating"]:
        parts.append("、".join(o["name"] for o in resp["cooperating"]) + "配合")
    if resp["generic"]:
        parts.append(f"{resp['generic']}配合")
    text = "；".join(parts)
    return text + ("（等）" if resp["and_others"] else "")


def render_table(data: dict[str, Any]) -> str:
    out = [
        f"{data['title']}（{data['status']}）",
        f"标识 {data['id']}  版本 {data['version']}  地区 {data['region']['name']}（{data['region']['code']}）"
        f"  计划年度 {data['plan_year']}",
        "",
        "章节",
    ]
    tasks = {t["number"]: t for t in data["tasks"]}
    for s in data["sections"]:
        out.append("  " * s["level"] + s["heading"])
        for n in s["tasks"]:
            t = tasks[n]
            out.append("  " * (s["level"] + 1) + f"任务{n} {t['title']}")
    out += ["", f"重点任务（{len(data['tasks'])} 项）"]
    rows = []
    for t in data["tasks"]:
        table = t["table_responsibility"]
        rows.append(
            [
                str(t["number"]),
                t["title"],
                responsibility_text(t["responsibility"]),
                "、".join(
                    o["name"]
                    for o in ([table["lead"]] if table and table["lead"] else [])
                    + (table["joint"] if table else [])
                ),
                "、".join(t["targets"]) or "—",
            ]
        )
    out += [
        "  " + line
        for line in _grid(["序号", "任务", "正文责任分工", "分解表责任部门", "目标"], rows)
    ]
    out += ["", f"目标（{len(data['targets'])} 个）"]
    rows = []
    for t in data["targets"]:
        tol = t["tolerance"]
        note = (
            f"容差±{tol['absolute']}{tol['unit']}（平台设置，非文本规定）"
            if tol and tol["absolute"] is not None
            else ""
        )
        base = (
            f"较{t['baseline_year']}年" + ("" if t["baseline_stated"] else "（推断）")
            if t["baseline_year"]
            else ""
        )
        rows.append(
            [t["id"], t["name"], t["requirement"], base, t["deadline"], t["state_label"], note]
        )
    out += [
        "  " + line
        for line in _grid(["标识", "指标", "目标", "基期", "期限", "状态", "说明"], rows)
    ]
    out += ["", f"里程碑（{len(data['milestones'])} 个）"]
    rows = [
        [m["id"], m["title"], m["deadline"] or "—", m["state_label"]] for m in data["milestones"]
    ]
    out += ["  " + line for line in _grid(["标识", "事项", "期限", "状态"], rows)]
    out += ["", f"规则（{len(data['rules'])} 条）"]
    rows = [[r["id"], r["scope_label"], r["title"]] for r in data["rules"]]
    out += ["  " + line for line in _grid(["标识", "范围", "要求"], rows)]
    if data["settings"]:
        out += ["", "计划设置（非计划文本规定）"]
        for s in data["settings"]:
            flag = "已确认" if s["confirmed"] else "未确认"
            out.append(f"  {s['key']} = {s['value']}（{flag}）：{s['label']}")
    if data["errata"]:
        out += ["", "勘误（原文照录）"]
        out += [f"  “{e['quote']}” 应读作 “{e['reading']}”：{e['note']}" for e in data["errata"]]
    return "\n".join(out) + "\n"

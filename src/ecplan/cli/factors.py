"""``ecplan factors list|show|load``: the factor sets (coefficients, emission factors).

Needs no database: shipped sets come from the package, loaded sets from
``<ECPLAN_DATA_DIR>/factor-sets`` (docs/factors.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from ecplan.cli.common import CommandError

ORDER = 40


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "factors",
        help="因子集：折标系数、排放因子 (factor sets)",
        description=(
            "查看和载入因子集（折标准煤系数、燃料与电网排放因子、煤耗率、能效标杆）。"
            "载入的因子集保存在数据目录的 factor-sets/ 下，不可修改，无需改代码即生效。"
        ),
    )
    sub = p.add_subparsers(title="子命令", metavar="子命令", dest="factors_command", required=True)

    ls = sub.add_parser("list", help="列出因子集 (list factor sets)")
    ls.add_argument("--kind", help="只列出该类别（如 grid_co2、conversion）")
    ls.add_argument("--all", action="store_true", help="列出全部版本（默认只列当前版本）")
    ls.set_defaults(handler=run_list)

    show = sub.add_parser("show", help="显示一个因子集 (show a factor set)")
    show.add_argument("id", metavar="ID", help="因子集 ID，可写成 ID@版本")
    show.add_argument("--version", help="版本（默认当前版本）")
    show.add_argument(
        "--format",
        choices=("text", "csv", "json"),
        default="text",
        help="输出格式：text（默认）、csv（数据行）、json",
    )
    show.set_defaults(handler=run_show)

    load = sub.add_parser("load", help="校验并载入因子集文件 (validate and load a file)")
    load.add_argument(
        "file", metavar="FILE", help="YAML 清单文件（数据行内嵌或 rows_file 指向 CSV）或目录"
    )
    load.add_argument("--dry-run", action="store_true", help="只校验，不保存")
    load.set_defaults(handler=run_load)


def _origin(origin: str) -> str:
    return {"shipped": "内置", "loaded": "已载入"}.get(origin, origin)


def run_list(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from ecplan.core.factors import FactorLibrary
    from ecplan.core.factorsets import FACTOR_KINDS, KIND_LABELS
    from ecplan.core.factorstore import loaded_sets, shipped_sets
    from ecplan.core.paths import factor_sets_dir

    stream = out or sys.stdout
    if args.kind and args.kind not in FACTOR_KINDS:
        raise CommandError(f"未知的类别“{args.kind}”。可用类别：{'、'.join(FACTOR_KINDS)}")
    loaded, problems = loaded_sets()
    library = FactorLibrary((*shipped_sets(), *loaded))
    active = {(fs.id, fs.version) for fs in library.active}
    sets = library.sets if args.all else library.active
    kinds = [args.kind] if args.kind else list(FACTOR_KINDS)
    print("因子集（按类别；同类中排在前面的优先生效）", file=stream)
    for kind in kinds:
        of_kind = [fs for fs in sets if fs.kind == kind]
        if args.all:
            order = {(fs.id, fs.version): i for i, fs in enumerate(library.active)}
            of_kind.sort(key=lambda fs: (order.get((fs.id, fs.version), 999), fs.id, fs.version))
        print(f"\n{KIND_LABELS[kind]}（{kind}）", file=stream)
        if not of_kind:
            print(
                "  （尚无因子集：可用 ecplan factors load 载入，格式见 docs/factors.md）",
                file=stream,
            )
            continue
        for fs in of_kind:
            status = "" if (fs.id, fs.version) in active else "  [旧版本，仅用于复现]"
            uncertain = len(fs.uncertain_rows)
            flag = f"，其中未确认 {uncertain} 行" if uncertain else ""
            published = fs.manifest.published or "日期未核实"
            print(
                f"  {fs.id} v{fs.version}  {_origin(fs.origin)}  发布 {published}  "
                f"{len(fs.rows)} 行{flag}{status}",
                file=stream,
            )
            print(f"      {fs.title}", file=stream)
    print(f"\n载入的因子集保存在：{factor_sets_dir()}", file=stream)
    if problems:
        print("\n以下载入的因子集无法使用（计算将报错，请处理）：", file=stream)
        for problem in problems:
            print(f"  {problem}", file=stream)
        return 1
    return 0


def _row_text(kind: str, row: Any) -> str:
    from ecplan.core.carriers import get_carrier
    from ecplan.core.factorsets import GENERATION_BASIS_LABELS, GRID_BASIS_LABELS

    if kind == "conversion":
        name = get_carrier(row.carrier).name_zh
        value = f"{row.value} {row.unit}" if row.value is not None else "（不设默认值）"
        text = f"{name}：{value}"
    elif kind == "fuel_co2":
        name = get_carrier(row.carrier).name_zh
        text = (
            f"{name}：低位发热量 {row.ncv} {row.ncv_unit}，含碳量 {row.carbon_content} "
            f"{row.carbon_content_unit}，氧化率 {row.oxidation_rate}"
        )
    elif kind == "grid_co2":
        text = f"{row.year}年 {row.region} {GRID_BASIS_LABELS[row.basis]}：{row.value} {row.unit}"
    elif kind == "generation_coal_rate":
        scope = f"（{row.scope}）" if row.scope else ""
        text = (
            f"{row.year}年 {row.region} {GENERATION_BASIS_LABELS[row.basis]}{scope}："
            f"{row.value} {row.unit}"
        )
    elif kind == "heat_supply_coal_rate":
        text = f"{row.year}年 {row.region}：{row.value} {row.unit}"
    elif kind == "heat_co2":
        text = f"外购热力：{row.value} {row.unit}"
    else:
        variant = f" {row.variant}" if row.variant else ""
        value = f"{row.value} {row.unit}" if row.value is not None else "（无数值）"
        text = f"{row.product}{variant} {row.indicator} {row.level}：{value}"
    return text


def run_show(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from ecplan.core.errors import AccountingError
    from ecplan.core.factors import default_library
    from ecplan.core.factorsets import KIND_LABELS
    from ecplan.core.provenance import CONFIDENCE_LABELS

    stream = out or sys.stdout
    try:
        fs = default_library().get(args.id, args.version)
    except AccountingError as exc:
        raise CommandError(str(exc)) from None
    if args.format == "csv":
        stream.write(fs.rows_csv())
        return 0
    if args.format == "json":
        data = {
            "manifest": fs.manifest.header(),
            "origin": fs.origin,
            "digest": fs.digest,
            "rows": [r.model_dump(mode="json") for r in fs.rows],
        }
        print(json.dumps(data, ensure_ascii=False, indent=2), file=stream)
        return 0
    m = fs.manifest
    print(f"{fs.id} 版本 {fs.version}（{_origin(fs.origin)}）", file=stream)
    print(f"标题：{m.title}", file=stream)
    print(f"类别：{KIND_LABELS[m.kind]}（{m.kind}）", file=stream)
    if m.publisher:
        print(f"发布单位：{m.publisher}", file=stream)
    print(
        f"发布日期：{m.published or '未核实'}"
        + (f"；实施日期：{m.effective}" if m.effective else ""),
        file=stream,
    )
    print(f"内容摘要（SHA-256）：{fs.digest}", file=stream)
    if m.notes:
        print(f"说明：{m.notes}", file=stream)
    print("来源文件：", file=stream)
    for d in m.documents:
        line = f"  [{d.key}] {d.citation}"
        if d.published:
            line += f"（{d.published}）"
        print(line, file=stream)
        if d.url:
            print(f"      {d.url}", file=stream)
        if d.notes:
            print(f"      {d.notes}", file=stream)
    print(f"数据行（{len(fs.rows)} 行）：", file=stream)
    for row in fs.rows:
        flag = "【未确认】" if row.confidence == "uncertain" else ""
        label = CONFIDENCE_LABELS.get(row.confidence, row.confidence)
        print(f"  {row.row_id}  {flag}{_row_text(fs.kind, row)}  [{label}]", file=stream)
        alternatives = getattr(row, "alternatives", "")
        if alternatives:
            print(f"      其他取值：{alternatives}", file=stream)
        if row.notes:
            print(f"      说明：{row.notes}", file=stream)
    return 0


def run_load(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from pathlib import Path

    from ecplan.core.errors import FactorSetError
    from ecplan.core.factors import default_library
    from ecplan.core.factorsets import KIND_LABELS, read_factor_set
    from ecplan.core.factorstore import store_factor_set

    stream = out or sys.stdout
    path = Path(args.file)
    try:
        if args.dry_run:
            fs = read_factor_set(path)
            print(
                f"校验通过：{fs.id} 版本 {fs.version}（{KIND_LABELS[fs.kind]}，{len(fs.rows)} 行）。"
                "未保存（--dry-run）。",
                file=stream,
            )
            return 0
        result = store_factor_set(path)
    except FactorSetError as exc:
        lines = "\n".join(f"  {p}" for p in exc.problems)
        raise CommandError(f"因子集文件有错误，未载入：\n{lines}") from None
    fs = result.factor_set
    uncertain = len(fs.uncertain_rows)
    flag = f"，其中未确认 {uncertain} 行" if uncertain else ""
    if result.created:
        print(f"已载入因子集 {fs.id} 版本 {fs.version}（{len(fs.rows)} 行{flag}）。", file=stream)
        print(f"保存位置：{result.path}", file=stream)
    else:
        print(f"因子集 {fs.id} 版本 {fs.version} 已存在且内容相同，未重复载入。", file=stream)
    active = default_library().active_sets(fs.kind)
    print(f"{KIND_LABELS[fs.kind]}当前按以下顺序查找（前者优先）：", file=stream)
    for other in active:
        print(f"  {other.id} v{other.version}（{_origin(other.origin)}）", file=stream)
    return 0

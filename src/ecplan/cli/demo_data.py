"""``ecplan demo-data``: generate the demo city (or province-scale tables) as files, or load it.

Runs without Django for ``--out`` and ``--summary``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ecplan.cli.common import CommandError

ORDER = 60

DESCRIPTION = """\
生成演示数据（演示数据，全部虚构）：扬州市演示城市——约100家重点用能企业及其装置、
逐月能源消费、城市与县级地区统计数据、部门填报指标、“十四五”约束性指标和节能改造台账，
2020-01 至 2025-12，按公开数据和计划目标校准（见 docs/demo-data.md）；
或省级规模的基准测试数据（--scale province：13个设区市、3000家企业、60个月、20个能源品种）。
同一随机种子生成的文件逐字节相同。

示例：
  ecplan demo-data --out 演示数据/
  ecplan demo-data --summary
  ecplan demo-data --scale province --out 全省/
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "demo-data",
        help="生成或载入演示数据 (generate or load demo data)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--scale",
        choices=("city", "province"),
        default="city",
        help="city：演示城市（默认）；province：省级规模长表（基准测试用）",
    )
    p.add_argument(
        "--enterprises",
        type=int,
        default=None,
        metavar="N",
        help="企业数（城市默认100家，范围见说明；省级默认3000家）",
    )
    p.add_argument("--from", dest="start", default=None, metavar="YYYY-MM", help="开始月份")
    p.add_argument("--to", dest="end", default=None, metavar="YYYY-MM", help="结束月份")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="随机种子（默认2025）")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--out", metavar="DIR", help="写出文件的目录（CSV 和一个工作簿）")
    target.add_argument("--load", action="store_true", help="通过数据采集服务载入数据库")
    p.add_argument(
        "--summary", action="store_true", help="打印演示城市的校准摘要（各目标的演示值）"
    )
    p.add_argument("--no-workbook", action="store_true", help="只写 CSV，不写汇总 xlsx 工作簿")
    p.add_argument(
        "--as",
        dest="username",
        metavar="USERNAME",
        help="--load 时以该用户身份写入（须为计划管理员）；默认使用内置的演示数据载入账户",
    )
    p.set_defaults(handler=run)


def _month(text: str | None, default: object, label: str) -> object:
    from ecplan.demo.periods import Month

    if text is None:
        return default
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise CommandError(f"{label}：{exc}", exit_code=2) from None


def run(args: argparse.Namespace) -> int:
    from ecplan.demo.city import DEFAULT_SEED

    if not (args.out or args.load or args.summary):
        raise CommandError(
            "请指定 --out DIR（写出文件）、--load（载入数据库）或 --summary（打印摘要）。",
            exit_code=2,
        )
    seed = DEFAULT_SEED if args.seed is None else args.seed
    if args.scale == "province":
        return _province(args, seed)
    return _city(args, seed)


def _city(args: argparse.Namespace, seed: int) -> int:
    from ecplan.demo import calibration as cal
    from ecplan.demo.city import SPAN_END, SPAN_START, DemoDataError, generate_city

    start = _month(args.start, SPAN_START, "--from")
    end = _month(args.end, SPAN_END, "--to")
    n = cal.KEY_ENTERPRISES_DEFAULT if args.enterprises is None else args.enterprises
    t0 = time.perf_counter()
    try:
        city = generate_city(seed=seed, enterprises=n, start=start, end=end)  # type: ignore[arg-type]  # Month
    except DemoDataError as exc:
        raise CommandError(str(exc), exit_code=2) from None
    if args.load:
        _load(city, args.username)
    if args.out:
        from ecplan.demo.output import write_city
        from ecplan.reporting.demo import write_import_files

        paths = write_city(city, args.out, workbook=not args.no_workbook)
        paths += write_import_files(city, args.out)
        print(
            f"已生成演示数据（虚构）：{len(city.enterprises)} 家企业，{city.start} 至 {city.end}，"
            f"随机种子 {seed}，用时 {time.perf_counter() - t0:.1f} 秒。"
        )
        print(f"写出 {len(paths)} 个文件到 {Path(args.out)}：")
        for path in paths:
            print(f"  {path.name}")
    if args.summary:
        from ecplan.demo.summary import summary_lines

        if city.start != str(SPAN_START) or city.end != str(SPAN_END):
            raise CommandError("--summary 需要完整的演示期间（2020-01 至 2025-12）。", exit_code=2)
        for line in summary_lines(city):
            print(line)
    return 0


def _load(city: object, username: str | None) -> None:
    from ecplan.cli.common import acting_user, setup_django

    setup_django()
    from ecplan.reporting.demo import DemoLoadError, load_city

    user = acting_user(username) if username else None
    try:
        load_city(city, acting_user=user, stdout=sys.stdout)  # type: ignore[arg-type]  # DemoCity
    except DemoLoadError as exc:
        raise CommandError(str(exc)) from None


def _province(args: argparse.Namespace, seed: int) -> int:
    from ecplan.demo.periods import Month
    from ecplan.demo.province import generate_province, write_province

    if args.load:
        raise CommandError("省级规模数据只用于基准测试，不能 --load；请用 --out DIR。", exit_code=2)
    if args.summary:
        raise CommandError("--summary 只适用于演示城市（--scale city）。", exit_code=2)
    start = _month(args.start, Month(2021, 1), "--from")
    end = _month(args.end, Month(2025, 12), "--to")
    if end < start:  # type: ignore[operator]  # both Month
        raise CommandError(f"结束月份 {end} 早于开始月份 {start}。", exit_code=2)
    n = 3000 if args.enterprises is None else args.enterprises
    t0 = time.perf_counter()
    try:
        data = generate_province(seed=seed, enterprises=n, start=start, end=end)  # type: ignore[arg-type]  # Month
    except ValueError as exc:
        raise CommandError(str(exc), exit_code=2) from None
    paths = write_province(data, args.out)
    print(
        f"已生成省级演示数据（虚构）：{data.enterprises.height} 家企业，{data.long.height} 行，"
        f"随机种子 {seed}，用时 {time.perf_counter() - t0:.1f} 秒。",
        file=sys.stdout,
    )
    for path in paths:
        print(f"  {path}")
    return 0

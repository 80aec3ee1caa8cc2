"""Batch accounting at province scale, against baselines measured in the same run.

Usage::

    .venv/bin/python benchmarks/batch_accounting.py            # 3,000 enterprises, 3 repeats
    .venv/bin/python benchmarks/batch_accounting.py --write-docs   # also update docs/benchmarks.md

A synthetic province table (演示数据 from ``ecplan.demo.province``: 13 cities, 3,000
enterprises, 60 months, 20 carriers = 3,600,000 rows; fixed seed) is converted to tce and CO2
and totalled by enterprise-year, area-month and carrier:

(a) in process, through :func:`ecplan.core.batch.convert` and ``totals_by``, against
    * the scalar API called row by row (``to_tce`` and ``co2_emissions`` per row, totals in
      dicts) — timed on a sample and extrapolated to the whole table;
    * a bare polars pass: join one coefficient table on the carrier, multiply, group by —
      no unit parsing, no validation, no provenance (the faster of an eager and a lazy
      version is the baseline);
(b) end to end from a CSV as a clerk's file looks (title row, thousands separators,
    full-width digits, aliases), through ``ecplan calc energy FILE -o out.csv`` in a
    subprocess, against a bare polars script that reads the same CSV, joins, groups and
    writes the same kinds of files (rows and totals) — without cleaning, validation or
    provenance.

Every variant runs in its own process (so its peak memory, ``ru_maxrss`` from ``wait4``, is
its own) ``--repeat`` times; the table shows the median wall time, the minimum and the CPU
time of the median run, and the ratios of the medians. The machine (CPU, cores, RAM, Python,
polars, load average) is printed with the results: the machine is shared, so repeat and read
the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOCS = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- batch-accounting: begin (written by benchmarks/batch_accounting.py) -->"
END = "<!-- batch-accounting: end -->"

# --- the variants, each run in a child process ----------------------------------------------


def _child(kind: str, workdir: Path, sample: int) -> dict[str, float]:
    """Run one variant and return its timings (seconds)."""
    import polars as pl

    from ecplan.core import default_library

    frame = pl.read_parquet(workdir / "province.parquet")
    lib = default_library()
    if kind == "api":
        from ecplan.core.batch import convert

        start, cpu = time.perf_counter(), time.process_time()
        result = convert(frame, factor_set=lib)
        converted = time.perf_counter()
        result.totals(("entity", "year"), ("area", "period"), ("carrier_code",))
        end = time.perf_counter()
        assert result.ok, result.errors.head()
        return {
            "seconds": end - start,
            "cpu": time.process_time() - cpu,
            "convert": converted - start,
            "totals": end - converted,
        }
    if kind in ("bare_eager", "bare_lazy"):
        coef = pl.read_parquet(workdir / "coefficients.parquet")
        start, cpu = time.perf_counter(), time.process_time()
        if kind == "bare_eager":
            x = frame.join(coef, on="carrier", how="left").with_columns(
                (pl.col("quantity") * pl.col("tce_per_unit")).alias("energy_tce"),
                (pl.col("quantity") * pl.col("co2_per_unit")).alias("co2_t"),
                pl.col("period").str.slice(0, 4).alias("year"),
            )
            for by in (["entity", "year"], ["area", "period"], ["carrier"]):
                x.group_by(by).agg(pl.col("energy_tce").sum(), pl.col("co2_t").sum())
        else:
            x = (
                frame.lazy()
                .join(coef.lazy(), on="carrier", how="left")
                .with_columns(
                    (pl.col("quantity") * pl.col("tce_per_unit")).alias("energy_tce"),
                    (pl.col("quantity") * pl.col("co2_per_unit")).alias("co2_t"),
                    pl.col("period").str.slice(0, 4).alias("year"),
                )
            )
            pl.collect_all(
                [
                    x.group_by(by).agg(pl.col("energy_tce").sum(), pl.col("co2_t").sum())
                    for by in (["entity", "year"], ["area", "period"], ["carrier"])
                ]
            )
        return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu}
    if kind == "scalar":
        from ecplan.core import AccountingError, EnergyUse, co2_emissions, to_tce
        from ecplan.core.batch import normalise_use

        rows = frame.head(sample).to_dicts()
        start = time.perf_counter()
        by_entity_year: dict[tuple[str, int], list[float]] = {}
        by_area_period: dict[tuple[str, str], list[float]] = {}
        by_carrier: dict[str, list[float]] = {}
        for r in rows:
            year = int(r["period"][:4])
            use = normalise_use(r["use"])  # the account API knows fuel and feedstock
            energy = to_tce(r["quantity"], r["unit"], r["carrier"], year=year, factor_set=lib)
            line = EnergyUse(r["carrier"], r["quantity"], r["unit"],
                             use="feedstock" if use == "feedstock" else "fuel")  # fmt: skip
            try:
                co2 = co2_emissions([line], year=year, factor_set=lib).value
            except AccountingError:  # e.g. steam in tonnes: no CO2, as the batch path
                co2 = 0.0
            for table, key in (
                (by_entity_year, (r["entity"], year)),
                (by_area_period, (r["area"], r["period"])),
                (by_carrier, r["carrier"]),
            ):
                acc = table.setdefault(key, [0.0, 0.0])  # type: ignore[attr-defined]
                acc[0] += energy
                acc[1] += co2
        elapsed = time.perf_counter() - start
        return {"seconds": elapsed * frame.height / len(rows), "sample_seconds": elapsed}
    raise ValueError(kind)


BARE_SCRIPT = textwrap.dedent(
    """\
    import sys
    import polars as pl

    csv, coefficients, out = sys.argv[1], sys.argv[2], sys.argv[3]
    names = ["entity", "area", "period", "carrier", "quantity", "unit", "use"]
    frame = pl.read_csv(csv, skip_rows=1, infer_schema=False, new_columns=names)
    coef = pl.read_parquet(coefficients)
    rows = (
        frame.with_columns(pl.col("quantity").cast(pl.Float64, strict=False))
        .join(coef, on="carrier", how="left")
        .with_columns(
            (pl.col("quantity") * pl.col("tce_per_unit")).alias("energy_tce"),
            (pl.col("quantity") * pl.col("co2_per_unit")).alias("co2_t"),
        )
        .drop("tce_per_unit", "co2_per_unit")
    )
    rows.write_csv(out + ".csv", include_bom=True)
    for name, by in (("entity-period", ["entity", "period"]), ("area-period", ["area", "period"]),
                     ("carrier", ["carrier"])):
        totals = rows.group_by(by).agg(pl.len(), pl.col("energy_tce").sum(), pl.col("co2_t").sum())
        totals.sort(by).write_csv(f"{out}.totals-{name}.csv", include_bom=True)
    """
)


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS bytes, stdout) of a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:4]} failed ({proc.returncode}):\n{err[-3000:]}")
    rss = usage.ru_maxrss * 1024  # kilobytes on Linux
    return wall, usage.ru_utime + usage.ru_stime, rss, out


# --- data -------------------------------------------------------------------------------------


def _province(enterprises: int, seed: int) -> tuple[object, str]:
    """The province table and the name of its generator: the platform's demo generator
    (``ecplan.demo.province``), else this directory's ``province_data.py``."""
    try:
        from ecplan.demo.province import generate_province
    except ImportError:  # pragma: no cover - before the demo package existed
        sys.path.insert(0, str(HERE))
        from province_data import province_frame

        return province_frame(seed, enterprises=enterprises), "benchmarks/province_data.py"
    import polars as pl

    long = generate_province(seed=seed, enterprises=enterprises, with_city=True).long
    frame = long.rename({"city_code": "area"}).select(
        "entity", "area", "period", "carrier", pl.col("quantity").cast(pl.Float64), "unit", "use"
    )
    return frame, "ecplan.demo.province.generate_province"


def _coefficients(frame: object, workdir: Path) -> None:
    """The bare baseline's table: one tce and one CO2 coefficient per carrier spelling, per
    unit as written (no unit parsing), taken from the core so the figures are comparable."""
    import polars as pl

    from ecplan.core import default_library
    from ecplan.core.batch import convert

    assert isinstance(frame, pl.DataFrame)
    combos = frame.select("carrier", "unit").unique(subset="carrier").sort("carrier")
    probe = convert(combos.with_columns(pl.lit(1.0).alias("quantity"), pl.lit("2023-06").alias("period")),
                    factor_set=default_library())  # fmt: skip
    table = probe.rows.select(
        "carrier",
        pl.col("energy_tce").alias("tce_per_unit"),
        pl.col("co2_t").fill_null(0.0).alias("co2_per_unit"),
    )
    table.write_parquet(workdir / "coefficients.parquet")


def _prepare(workdir: Path, enterprises: int, seed: int) -> dict[str, object]:
    """Make the table, the bare baseline's coefficients, the CSV and the bare script."""
    import polars as pl

    frame, generator = _province(enterprises, seed)
    assert isinstance(frame, pl.DataFrame)
    frame.write_parquet(workdir / "province.parquet")
    _coefficients(frame, workdir)
    sys.path.insert(0, str(HERE))
    from province_data import write_csv

    write_csv(frame, workdir / "province.csv", messy=True)
    (workdir / "bare.py").write_text(BARE_SCRIPT)
    return {"rows": frame.height, "generator": generator, "polars": pl.__version__}


# --- the report -------------------------------------------------------------------------------


def _machine(polars_version: str) -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):  # pragma: no cover - not Linux
        ram = "?"
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": ram,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "polars": polars_version,
    }


def _fmt_bytes(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scalar-sample", type=int, default=20000)
    parser.add_argument("--write-docs", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "prepare":
        print(json.dumps(_prepare(args.workdir, args.enterprises, args.seed)))
        return
    if args.child:
        print(json.dumps(_child(args.child, args.workdir, args.scalar_sample)))
        return

    # This process stays small: the data are made in a child, so that each variant's peak
    # memory (ru_maxrss, which counts the memory a child starts with) is its own.
    load_before, started = os.getloadavg(), time.time()
    with tempfile.TemporaryDirectory(prefix="ecplan-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "data").mkdir()
        env = {**os.environ, "ECPLAN_DATA_DIR": str(workdir / "data")}
        prepare = [sys.executable, __file__, "--child", "prepare", "--workdir", str(workdir),
                   "--enterprises", str(args.enterprises), "--seed", str(args.seed)]  # fmt: skip
        info = json.loads(_run(prepare, env)[3].strip().splitlines()[-1])
        machine = _machine(info["polars"])
        rows, generator = info["rows"], info["generator"]
        csv = workdir / "province.csv"

        results: dict[str, list[tuple[float, float, int, dict[str, float]]]] = {}

        def child(kind: str) -> tuple[float, float, int, dict[str, float]]:
            argv = [sys.executable, __file__, "--child", kind, "--workdir", str(workdir),
                    "--scalar-sample", str(args.scalar_sample)]  # fmt: skip
            wall, cpu, rss, out = _run(argv, env)
            return wall, cpu, rss, json.loads(out.strip().splitlines()[-1])

        def cli(kind: str) -> tuple[float, float, int, dict[str, float]]:
            out = workdir / f"out-{kind}"
            if kind == "cli":
                argv = [sys.executable, "-m", "ecplan", "calc", "energy", str(csv),
                        "-o", f"{out}.csv"]  # fmt: skip
            else:
                argv = [sys.executable, str(workdir / "bare.py"), str(csv),
                        str(workdir / "coefficients.parquet"), str(out)]  # fmt: skip
            wall, cpu, rss, _ = _run(argv, env)
            return wall, cpu, rss, {"seconds": wall, "cpu": cpu}

        plan = [("scalar", child)] + [
            (kind, runner)
            for _ in range(args.repeat)
            for kind, runner in (
                ("api", child),
                ("bare_eager", child),
                ("bare_lazy", child),
                ("cli", cli),
                ("bare_script", cli),
            )
        ]
        for kind, runner in plan:
            results.setdefault(kind, []).append(runner(kind))
            print(f"  {kind:12s} {results[kind][-1][3]['seconds']:8.3f} s", file=sys.stderr)
        out_size = sum(p.stat().st_size for p in workdir.glob("out-cli*.csv"))
        bare_size = sum(p.stat().st_size for p in workdir.glob("out-bare_script*.csv"))
        csv_size = csv.stat().st_size
    load_after = os.getloadavg()

    def median(kind: str) -> tuple[float, float, float, int]:
        runs = sorted(results[kind], key=lambda r: r[3]["seconds"])
        mid = runs[len(runs) // 2]
        cpu = mid[3].get("cpu", mid[1])
        return mid[3]["seconds"], runs[0][3]["seconds"], cpu, max(r[2] for r in runs)

    api, bare_e, bare_l = median("api"), median("bare_eager"), median("bare_lazy")
    bare = min(bare_e, bare_l, key=lambda m: m[0])
    bare_name = "eager" if bare is bare_e else "lazy"
    scalar = median("scalar")
    cli_m, script = median("cli"), median("bare_script")
    sample_s = results["scalar"][0][3]["sample_seconds"]
    api_parts = sorted(results["api"], key=lambda r: r[3]["seconds"])[len(results["api"]) // 2][3]

    command = " ".join(["benchmarks/batch_accounting.py", *sys.argv[1:]])
    lines = [
        f"Run {time.strftime('%Y-%m-%d %H:%M', time.gmtime(started))} UTC, "
        f"`.venv/bin/python {command}`, {(time.time() - started) / 60:.0f} min in all.",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram']} RAM, "
        f"{machine['os']}, Python {machine['python']}, polars {machine['polars']}; "
        f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after (shared machine).",
        f"Data: {rows:,} rows from {generator} (seed {args.seed}); CSV {_fmt_bytes(csv_size)}; "
        f"{args.repeat} runs of each variant, each in its own process; median wall time "
        "(minimum in brackets), CPU time of the median run (for (a) of the timed section, for "
        "(b) of the whole process), peak RSS of the process (largest run).",
        "",
        "| variant | wall, median (min) | CPU | peak RSS | ratio |",
        "|---|---|---|---|---|",
        f"| (a) scalar API row by row (`to_tce` + `co2_emissions`), {args.scalar_sample:,}-row "
        f"sample ({sample_s:.1f} s) extrapolated | {scalar[0]:.1f} s | — | — | "
        f"{scalar[0] / api[0]:.0f}× the batch API |",
        f"| (a) bare polars join + group-by ({bare_name}; eager {bare_e[0]:.2f} s, lazy "
        f"{bare_l[0]:.2f} s) | {bare[0]:.2f} s ({bare[1]:.2f}) | {bare[2]:.2f} s | "
        f"{_fmt_bytes(bare[3])} | 1.0 |",
        f"| (a) **batch API**: `convert` ({api_parts['convert']:.2f} s) + `totals` of the 3 "
        f"groupings "
        f"({api_parts['totals']:.2f} s) | {api[0]:.2f} s ({api[1]:.2f}) | {api[2]:.2f} s | "
        f"{_fmt_bytes(api[3])} | **{api[0] / bare[0]:.2f}×** bare polars |",
        f"| (b) bare polars script: read CSV, join, group, write rows + totals "
        f"({_fmt_bytes(bare_size)} written) | {script[0]:.2f} s ({script[1]:.2f}) | "
        f"{script[2]:.2f} s | {_fmt_bytes(script[3])} | 1.0 |",
        f"| (b) **`ecplan calc energy FILE -o out.csv`** end to end ({_fmt_bytes(out_size)} "
        f"written) | {cli_m[0]:.2f} s ({cli_m[1]:.2f}) | {cli_m[2]:.2f} s | "
        f"**{_fmt_bytes(cli_m[3])}** | **{cli_m[0] / script[0]:.2f}×** bare script |",
        "",
        f"Targets: batch API ≥ 50× the scalar loop ({scalar[0] / api[0]:.0f}×), ≤ 2× bare polars "
        f"({api[0] / bare[0]:.2f}×); CLI ≤ 3× the bare script ({cli_m[0] / script[0]:.2f}×), "
        f"peak memory < 1.5 GB ({cli_m[3] / 1e9:.2f} GB).",
    ]
    report = "\n".join(lines)
    print(report)
    if args.write_docs:
        text = DOCS.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{report}\n{END}"
        if BEGIN in text:
            head, rest = text.split(BEGIN, 1)
            text = head + block + rest.split(END, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        DOCS.write_text(text, encoding="utf-8")
        print(f"written to {DOCS}", file=sys.stderr)


if __name__ == "__main__":
    main()

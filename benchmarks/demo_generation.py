"""Benchmark: generating the demo data, against baselines measured in the same run.

* Province scale (3,000 enterprises × 60 months × 20 carriers = 3.6 M rows): the generator
  (enterprise list with names and credit codes, sizes, growth, monthly profiles, sector mix,
  seeded noise, rounding, uses, city totals) against a bare polars pass that builds the same
  six output columns from the same kind of gathers with a plain quantity (size × share) — the
  irreducible work of producing a table of this shape.
* Demo city (100 enterprises, 72 months): generation time, and writing its CSV files against a
  bare ``csv.writer`` dump of the same long-form rows.

Run: ``.venv/bin/python benchmarks/demo_generation.py`` (results go to docs/demo-data.md).
"""

from __future__ import annotations

import csv
import io
import platform
import tempfile
import time
from collections.abc import Callable

import polars as pl

from ecplan.demo import generate_city
from ecplan.demo.output import write_city
from ecplan.demo.province import generate_province


def best_of(fn: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


ENTITIES = pl.Series([f"91320100{i:09d}X" for i in range(3000)])
PERIODS = pl.Series([f"{2021 + i // 12}-{i % 12 + 1:02d}" for i in range(60)])
NAMES = pl.Series([f"品种{i}" for i in range(20)])
UNITS = pl.Series(["吨"] * 20)
SIZES = pl.Series([float(1000 + i) for i in range(3000)])
SHARES = pl.Series([1.0 / 20] * 20)


def bare_province() -> pl.DataFrame:
    n_e, n_m, n_c = 3000, 60, 20
    idx = pl.DataFrame({"row": pl.int_range(0, n_e * n_m * n_c, eager=True)}).with_columns(
        (pl.col("row") // (n_m * n_c)).alias("e"),
        ((pl.col("row") // n_c) % n_m).alias("m"),
        (pl.col("row") % n_c).alias("c"),
    )
    return idx.select(
        pl.lit(ENTITIES).gather(pl.col("e")).alias("entity"),
        pl.lit(PERIODS).gather(pl.col("m")).alias("period"),
        pl.lit(NAMES).gather(pl.col("c")).alias("carrier"),
        (pl.lit(SIZES).gather(pl.col("e")) * pl.lit(SHARES).gather(pl.col("c"))).alias("quantity"),
        pl.lit(UNITS).gather(pl.col("c")).alias("unit"),
        pl.lit(NAMES).gather(pl.col("c")).alias("use"),
    )


def main() -> None:
    print(
        f"machine: {platform.machine()}, {platform.processor() or '?'}, python {platform.python_version()}, polars {pl.__version__}"
    )
    base = best_of(bare_province)
    prov = best_of(generate_province)
    print(
        f"province 3.6M rows: baseline {base:.3f} s, generator {prov:.3f} s, ratio {prov / base:.1f}x"
    )
    city_s = best_of(generate_city, runs=2)
    print(f"demo city: generation {city_s:.2f} s")
    city = generate_city()
    rows = city.long_rows()

    def bare_csv() -> None:
        buf = io.StringIO()
        w = csv.writer(buf)
        for r in rows:
            w.writerow([r.entity, r.period, r.carrier, repr(r.quantity), r.unit, r.use])

    with tempfile.TemporaryDirectory() as tmp:
        out = best_of(lambda: write_city(city, tmp, workbook=False), runs=2)
    bare = best_of(bare_csv)
    print(
        f"demo city CSV files ({len(rows)} long-form rows + 13 other tables): {out:.2f} s; "
        f"bare csv dump of the long form {bare:.3f} s"
    )


if __name__ == "__main__":
    main()

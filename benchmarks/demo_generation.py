"""Benchmark: generating the demo data, against baselines measured in the same run.

* Province scale (3,000 enterprises × 60 months × 20 carriers = 3.6 M rows): the generator
  against a bare polars pass that builds a frame of the same shape (row index split into
  enterprise, month and carrier, one column of arithmetic noise) with no gathers, names or
  rounding — the practical limit of the machine for a frame of this size.
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


def bare_province() -> pl.DataFrame:
    n_e, n_m, n_c = 3000, 60, 20
    return pl.DataFrame({"row": pl.int_range(0, n_e * n_m * n_c, eager=True)}).select(
        (pl.col("row") // (n_m * n_c)).alias("e"),
        ((pl.col("row") // n_c) % n_m).alias("m"),
        (pl.col("row") % n_c).alias("c"),
        ((pl.col("row") * 2654435761 % 65536) / 65536.0).alias("quantity"),
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

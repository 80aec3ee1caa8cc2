"""Cost of the vectorised normaliser against a bare polars cast, on a long table.

Usage: python benchmarks/tabular_normalise.py [--rows 3600000] [--repeat 3]

Builds a long table of string cells (quantities with thousands separators, some full-width
digits and a few bad cells; periods in several spellings) in memory, then times in the same
run:

* baseline — ``pl.col(q).cast(Float64, strict=False)`` and ``str.to_date`` on the period:
  no cleaning, no validation, bad cells silently become null;
* ecplan.tabular.normalise_frame — full-width → half-width, strip, thousands separators,
  period grammar, reason codes for every invalid cell.

Prints the best time of each and their ratio (reported, not asserted).
"""

from __future__ import annotations

import argparse
import platform
import time

import polars as pl

from ecplan.tabular import ColumnRule, normalise_frame


def build(rows: int) -> pl.DataFrame:
    i = pl.int_range(0, rows, eager=True)
    base = pl.DataFrame({"row": i + 2})
    return base.with_columns(
        pl.when(i % 1000 == 7)
        .then(pl.lit("约100"))
        .when(i % 10 == 3)
        .then(pl.format("１，{}．５", (i % 900 + 100).cast(pl.String)))
        .otherwise(
            pl.format("{},{}.25", (i % 97 + 1).cast(pl.String), (i % 900 + 100).cast(pl.String))
        )
        .alias("quantity"),
        pl.when(i % 3 == 0)
        .then(pl.format("{}-{}", 2020 + i % 6, ((i % 12) + 1).cast(pl.String).str.zfill(2)))
        .when(i % 3 == 1)
        .then(pl.format("{}年{}月", 2020 + i % 6, (i % 12) + 1))
        .otherwise(pl.format("{}{}", 2020 + i % 6, ((i % 12) + 1).cast(pl.String).str.zfill(2)))
        .alias("period"),
    )


def baseline(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("quantity").cast(pl.Float64, strict=False),
        pl.col("period").str.to_date("%Y-%m", strict=False),
    )


def vectorised(frame: pl.DataFrame) -> pl.DataFrame:
    result = normalise_frame(
        frame,
        {"quantity": ColumnRule("number", required=True), "period": ColumnRule("period")},
    )
    return result.invalid


def best_of(fn, frame: pl.DataFrame, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(frame)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=3_600_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame = build(args.rows)
    invalid = vectorised(frame)
    t_base = best_of(baseline, frame, args.repeat)
    t_vec = best_of(vectorised, frame, args.repeat)
    print(f"machine: {platform.machine()} {platform.processor() or ''} polars {pl.__version__}")
    print(f"rows: {args.rows:,}  invalid cells found: {invalid.height:,}")
    print(f"baseline (bare cast):        {t_base:.3f} s")
    print(f"normalise_frame (validated): {t_vec:.3f} s")
    print(f"ratio: {t_vec / t_base:.1f}x")


if __name__ == "__main__":
    main()

"""Cost of the scalar accounting API relative to bare arithmetic, measured in one run.

Run: ``.venv/bin/python benchmarks/accounting_scalar.py [rows]``. Prints, for ``rows`` energy
lines, the time of each variant as a ratio to the baseline (plain float multiplication of
pre-resolved multipliers), so results compare across machines. Results and the machine are
recorded in docs/benchmarks.md.

Variants:

* ``baseline``: ``q * m * k`` with m and k looked up in dicts (what any implementation must do);
* ``to_tce (library passed)``: the scalar API with one resolved library, full provenance;
* ``to_tce (default library)``: the same, resolving the default library on each call (scans
  the data directory for newly loaded sets);
* ``table + polars``: ``conversion_table`` and ``unit_table`` joined in polars, the shape of
  the vectorised batch path (bit-identical to the scalar path).
"""

from __future__ import annotations

import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable

os.environ.setdefault("ECPLAN_DATA_DIR", tempfile.mkdtemp(prefix="ecplan-bench-"))

import polars as pl

from ecplan.core import (
    FactorLibrary,
    conversion_table,
    default_library,
    parse_unit,
    shipped_sets,
    to_tce,
    unit_table,
)
from ecplan.core.units import normalise_unit_text

LINES = [
    ("原煤", "吨"),
    ("天然气", "万立方米"),
    ("电力", "万千瓦时"),
    ("柴油", "吨"),
    ("热力", "百万千焦"),
    ("焦炭", "吨"),
    ("汽油", "千克"),
    ("液化石油气", "吨"),
]


def timed(fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main(rows: int) -> None:
    rng = random.Random(1)
    data = [(*LINES[rng.randrange(len(LINES))], rng.uniform(0, 1e5)) for _ in range(rows)]
    lib = FactorLibrary(shipped_sets())
    table = conversion_table(factor_set=lib)
    k = {(r["carrier_name"], r["dimension"]): r["tce_per_unit"] for r in table}
    m = {u: parse_unit(u) for _, u in LINES}

    def baseline() -> object:
        return [q * m[u].multiplier * k[(c, m[u].dimension.value)] for c, u, q in data]

    def scalar_lib() -> object:
        return [to_tce(q, u, c, factor_set=lib) for c, u, q in data]

    def scalar_default() -> object:
        return [to_tce(q, u, c) for c, u, q in data]

    units = pl.DataFrame(unit_table())
    conv = pl.DataFrame(
        [{"carrier_name": r["carrier_name"], "dimension": r["dimension"],
          "tce_per_unit": r["tce_per_unit"]} for r in table]
    )  # fmt: skip
    frame = pl.DataFrame(
        {
            "carrier_name": [c for c, _, _ in data],
            "spelling": [normalise_unit_text(u) for _, u, _ in data],
            "quantity": [q for _, _, q in data],
        }
    )

    def batch() -> object:
        joined = frame.join(units, on="spelling", how="left").join(
            conv, on=["carrier_name", "dimension"], how="left"
        )
        return joined.select(pl.col("quantity") * pl.col("multiplier") * pl.col("tce_per_unit"))

    default_library()  # warm the caches
    base = timed(baseline)
    results = {
        "baseline (q × m × k)": base,
        "to_tce (library passed)": timed(scalar_lib),
        "to_tce (default library)": timed(scalar_default),
        "table + polars join": timed(batch),
    }
    assert scalar_lib() == baseline()
    print(f"rows: {rows}; Python {sys.version.split()[0]}; {platform.platform()}; "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    for name, t in results.items():
        print(f"{name:28s} {t / base:8.1f} × baseline   ({t * 1e6 / rows:8.2f} µs/row)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)

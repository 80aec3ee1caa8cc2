"""Synthetic province-scale long table for the batch-accounting benchmark (演示数据).

``province_frame(seed)`` builds the table the benchmark converts: 13 cities, 3,000
enterprises, 60 months (2021-01 … 2025-12) and 20 carriers — one row per enterprise × month ×
carrier, 3,600,000 rows — with entity, area, period, carrier, quantity, unit and use columns
(all text but the quantity). ``write_csv(frame, path, messy=True)`` writes it the way clerks'
files look: a title row, thousands separators, full-width digits, spaces around cells, unit
and carrier aliases, Chinese and English use names.

Everything is deterministic for a given seed (Python's ``random`` for the per-enterprise and
per-carrier parameters, integer arithmetic in polars for the monthly values), so every run of
the benchmark converts the same figures.
"""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl

AREAS = (
    "南京市", "无锡市", "徐州市", "常州市", "苏州市", "南通市", "连云港市",
    "淮安市", "盐城市", "扬州市", "镇江市", "泰州市", "宿迁市",
)  # fmt: skip

# carrier (as written in the file), unit, typical monthly quantity, may be feedstock,
# may feed power/heat generation, spelling variants used by some enterprises
CARRIERS = (
    ("烟煤", "吨", 800.0, True, True, ("烟煤",), ("吨", "t")),
    ("无烟煤", "吨", 300.0, True, True, ("无烟煤",), ("吨",)),
    ("褐煤", "吨", 100.0, True, True, ("褐煤",), ("吨",)),
    ("洗精煤", "吨", 200.0, True, False, ("洗精煤", "精煤"), ("吨",)),
    ("焦炭", "吨", 150.0, True, False, ("焦炭",), ("吨", "t")),
    ("天然气", "万立方米", 20.0, True, True, ("天然气", "管道天然气"), ("万立方米", "万m3", "万方")),
    ("液化天然气", "吨", 30.0, True, False, ("液化天然气", "LNG"), ("吨",)),
    ("汽油", "吨", 10.0, False, False, ("汽油", "车用汽油"), ("吨",)),
    ("柴油", "吨", 25.0, False, False, ("柴油",), ("吨", "t")),
    ("燃料油", "吨", 15.0, False, True, ("燃料油",), ("吨",)),
    ("液化石油气", "吨", 8.0, True, False, ("液化石油气", "LPG"), ("吨",)),
    ("煤油", "吨", 2.0, False, False, ("煤油",), ("吨",)),
    ("焦炉煤气", "万立方米", 40.0, True, True, ("焦炉煤气",), ("万立方米",)),
    ("高炉煤气", "万立方米", 120.0, False, True, ("高炉煤气",), ("万立方米",)),
    ("石油焦", "吨", 20.0, True, False, ("石油焦",), ("吨",)),
    ("电力", "万千瓦时", 150.0, False, False, ("电力", "外购电力", "用电量"), ("万千瓦时", "万kWh")),
    ("热力", "百万千焦", 2000.0, False, False, ("热力", "外购热力"), ("百万千焦", "GJ")),
    ("太阳能发电", "万千瓦时", 12.0, False, False, ("光伏", "太阳能发电"), ("万千瓦时",)),
    ("生物质能", "吨标准煤", 10.0, False, False, ("生物质能",), ("吨标准煤",)),
    ("风电", "万千瓦时", 6.0, False, False, ("风电",), ("万千瓦时",)),
)  # fmt: skip

ENTERPRISES = 3000
MONTHS = 60
FIRST_YEAR = 2021
TITLE = "演示数据（合成，非真实统计）：全省重点用能单位能源消费月报长表"


def province_frame(seed: int = 20250301, *, enterprises: int = ENTERPRISES) -> pl.DataFrame:
    """The long table: ``enterprises`` × 60 months × 20 carriers rows.

    Columns: ``entity`` (演示企业NNNN), ``area`` (city), ``period`` (``YYYY-MM``),
    ``carrier`` (name or alias as an enterprise writes it), ``quantity`` (Float64, two
    decimals), ``unit``, ``use`` (燃料/原料/发电供热).
    """
    rng = random.Random(seed)
    n_carriers = len(CARRIERS)
    # per enterprise × carrier: scale, spelling of carrier and unit, use
    scale: list[float] = []
    name: list[str] = []
    unit: list[str] = []
    use: list[str] = []
    area: list[str] = []
    for _e in range(enterprises):
        size = rng.lognormvariate(0.0, 1.0)
        city = AREAS[rng.randrange(len(AREAS))]
        chemical = rng.random() < 0.12
        power = rng.random() < 0.06
        for spelling, default_unit, typical, feedstock, generation, names, units in CARRIERS:
            scale.append(typical * size * rng.uniform(0.2, 1.8))
            name.append(names[rng.randrange(len(names))])
            chosen = units[rng.randrange(len(units))]
            if default_unit == "百万千焦" and chosen == "GJ":
                chosen = "GJ"  # 1 GJ = 1 百万千焦: same numbers
            unit.append(chosen)
            if feedstock and chemical and rng.random() < 0.5:
                use.append("原料")
            elif generation and power:
                use.append("发电供热")
            else:
                use.append("燃料")
            area.append(city)
            del spelling
    base = pl.DataFrame(
        {
            "pair": pl.int_range(0, enterprises * n_carriers, eager=True, dtype=pl.Int64),
            "scale": scale,
            "carrier": name,
            "unit": unit,
            "use": use,
            "area": area,
        }
    )
    months = pl.DataFrame({"month": pl.int_range(0, MONTHS, eager=True, dtype=pl.Int64)})
    frame = base.join(months, how="cross")
    # deterministic monthly variation: season × trend × a pseudo-random factor in [0.8, 1.2)
    noise = ((pl.col("pair") * 7919 + pl.col("month") * 104729) % 4001).cast(pl.Float64) / 10000
    season = 1.0 + 0.15 * ((pl.col("month") % 12) - 5.5).abs() / 5.5
    trend = 1.0 - 0.004 * pl.col("month")
    quantity = (pl.col("scale") * season * trend * (0.8 + noise)).round(2)
    frame = frame.select(
        pl.format(
            "演示企业{}", (pl.col("pair") // n_carriers + 1).cast(pl.String).str.zfill(4)
        ).alias("entity"),
        "area",
        pl.format(
            "{}-{}",
            (FIRST_YEAR + pl.col("month") // 12).cast(pl.String),
            (pl.col("month") % 12 + 1).cast(pl.String).str.zfill(2),
        ).alias("period"),
        "carrier",
        quantity.alias("quantity"),
        "unit",
        "use",
    )
    return frame.sort("entity", "period", maintain_order=True)


_FULL = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def messy_text(frame: pl.DataFrame) -> pl.DataFrame:
    """The same table as a clerk's file has it: every cell text, with thousands separators
    (1 in 20 quantities), full-width digits (1 in 100), spaces around some cells, periods
    written ``2025年3月`` or ``202503`` by some enterprises, some uses in English."""
    i = pl.int_range(0, frame.height, dtype=pl.Int64)
    q = pl.col("quantity")
    plain = q.cast(pl.String)
    whole = q.floor().cast(pl.Int64)
    fraction = plain.str.split(".").list.get(1, null_on_oob=True)
    grouped = pl.format(
        "{},{}{}",
        (whole // 1000).cast(pl.String),
        (whole % 1000).cast(pl.String).str.zfill(3),
        pl.when(fraction.is_null()).then(pl.lit("")).otherwise(pl.format(".{}", fraction)),
    )
    # the same number, written with a thousands separator (1,000 – 999,999 only)
    quantity = (
        pl.when((i % 20 == 7) & (q >= 1000) & (q < 1_000_000) & ~plain.str.contains("e"))
        .then(grouped)
        .otherwise(plain)
    )
    period = (
        pl.when(pl.col("entity").str.ends_with("7"))
        .then(
            pl.format(
                "{}年{}月",
                pl.col("period").str.slice(0, 4),
                pl.col("period").str.slice(5, 2).cast(pl.Int32).cast(pl.String),
            )
        )
        .when(pl.col("entity").str.ends_with("3"))
        .then(pl.col("period").str.replace("-", ""))
        .otherwise(pl.col("period"))
    )
    use = pl.when((i % 50 == 1) & (pl.col("use") == "燃料")).then(pl.lit("fuel")).otherwise("use")
    out = frame.with_columns(
        quantity.alias("quantity"), period.alias("period"), use.alias("use")
    ).with_columns(
        pl.when(i % 100 == 11)
        .then(
            pl.col("quantity").str.replace_many(
                list("0123456789.,"), list("０１２３４５６７８９．，")
            )
        )
        .when(i % 100 == 13)
        .then(pl.format(" {} ", pl.col("quantity")))
        .otherwise(pl.col("quantity"))
        .alias("quantity"),
        pl.when(i % 97 == 5)
        .then(pl.format("{} ", pl.col("carrier")))
        .otherwise("carrier")
        .alias("carrier"),
    )
    return out


HEADER = ("主体", "地区", "期间", "能源品种", "数量", "单位", "用途")


def write_csv(frame: pl.DataFrame, path: Path, *, messy: bool = True) -> None:
    """Write the table as a UTF-8 CSV with a BOM, a title row and Chinese headers."""
    text = messy_text(frame) if messy else frame.with_columns(pl.col("quantity").cast(pl.String))
    text = text.select("entity", "area", "period", "carrier", "quantity", "unit", "use").rename(
        dict(zip(text.columns, HEADER, strict=True))
    )
    with open(path, "wb") as fh:
        fh.write("\ufeff".encode())
        fh.write(f"{TITLE}\n".encode())
        text.write_csv(fh)

"""Province-scale demo data for benchmarks: 13 cities, 3,000 enterprises, 60 months, 20 carriers.

The long table has one row per enterprise, month and carrier — 3,000 × 60 × 20 = 3.6 million
rows by default — in the long form ``ecplan calc energy`` reads (entity = unified social credit
code, period, carrier, quantity, unit, use), plus the enterprise list (with its city) and the
city-level aggregates. A carrier an enterprise does not use is reported as 0, as a dense
reporting template would have it.

It is generated with polars expressions only (no Python per row): every per-row factor is
*gathered* from small tables — enterprise sizes and growth, monthly profiles, the
sector × carrier mix, and a table of 65,536 seeded noise factors indexed by a hash of the
row's position — so the output is deterministic and independent of thread scheduling. The
scale is calibrated only loosely (Jiangsu's 13 设区市, typical key-enterprise sizes); the
numbers are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import polars as pl

from ecplan.demo.carriers import BY_CODE
from ecplan.demo.identity import NameBook
from ecplan.demo.periods import Month, month_range
from ecplan.demo.profiles import activity
from ecplan.demo.rng import Stream

#: The 13 prefecture-level cities of Jiangsu (GB/T 2260 codes — public) and the synthetic
#: share of the key enterprises in each.
CITIES: Final[tuple[tuple[str, str, float], ...]] = (
    ("320100", "南京市", 0.10),
    ("320200", "无锡市", 0.11),
    ("320300", "徐州市", 0.08),
    ("320400", "常州市", 0.08),
    ("320500", "苏州市", 0.17),
    ("320600", "南通市", 0.09),
    ("320700", "连云港市", 0.05),
    ("320800", "淮安市", 0.04),
    ("320900", "盐城市", 0.07),
    ("321000", "扬州市", 0.06),
    ("321100", "镇江市", 0.05),
    ("321200", "泰州市", 0.06),
    ("321300", "宿迁市", 0.04),
)
#: The 20 carriers of the long table (codes of :mod:`ecplan.demo.carriers`).
CARRIERS: Final[tuple[str, ...]] = (
    "bituminous_coal", "cleaned_coal", "coke", "blast_furnace_gas", "other_coal_gas", "natural_gas",
    "lng", "gasoline", "kerosene", "diesel", "fuel_oil", "lpg", "naphtha", "petroleum_coke",
    "electricity", "heat", "steam", "solar", "biomass", "coke_oven_gas",
)  # fmt: skip
DECIMALS: Final = {"吨": 2, "万立方米": 4, "万千瓦时": 4, "百万千焦": 1, "吨标准煤": 2}
DEFAULT_START: Final = Month(2021, 1)
DEFAULT_END: Final = Month(2025, 12)
CITY_INDEX: Final = {code: i for i, (code, *_) in enumerate(CITIES)}
USE_ZH: Final = {"fuel": "燃料", "feedstock": "原料", "power_generation": "发电供热"}


@dataclass(frozen=True)
class ProvinceSector:
    key: str
    label: str
    weight: float
    """Share of enterprises."""
    size_tce: float
    """Median annual energy [tce]."""
    profile: str
    sf_depth: float
    mix: dict[str, float]
    uses: dict[str, str]


SECTORS: Final[tuple[ProvinceSector, ...]] = (
    ProvinceSector("power", "电力热力", 0.04, 900_000.0, "power", 0.1,
                   {"bituminous_coal": 0.80, "natural_gas": 0.12, "diesel": 0.003, "biomass": 0.05,
                    "electricity": 0.02, "fuel_oil": 0.007},
                   {"bituminous_coal": "power_generation", "natural_gas": "power_generation",
                    "biomass": "power_generation"}),
    ProvinceSector("petrochem", "石油化工", 0.06, 150_000.0, "process", 0.05,
                   {"naphtha": 0.30, "lpg": 0.06, "natural_gas": 0.20, "fuel_oil": 0.05,
                    "petroleum_coke": 0.04, "electricity": 0.15, "steam": 0.10, "bituminous_coal": 0.08,
                    "other_coal_gas": 0.02},
                   {"naphtha": "feedstock", "lpg": "feedstock"}),
    ProvinceSector("chemicals", "化学原料和化学制品", 0.14, 40_000.0, "process", 0.2,
                   {"natural_gas": 0.25, "bituminous_coal": 0.15, "electricity": 0.30, "steam": 0.15,
                    "heat": 0.08, "diesel": 0.02, "lng": 0.03, "coke_oven_gas": 0.02},
                   {"natural_gas": "feedstock"}),
    ProvinceSector("steel", "黑色金属冶炼", 0.04, 300_000.0, "steel", 0.1,
                   {"coke": 0.42, "cleaned_coal": 0.10, "bituminous_coal": 0.10, "blast_furnace_gas": 0.08,
                    "electricity": 0.18, "natural_gas": 0.08, "diesel": 0.02, "other_coal_gas": 0.01, "coke_oven_gas": 0.01},
                   {}),
    ProvinceSector("building", "非金属矿物制品", 0.08, 45_000.0, "manufacturing", 0.5,
                   {"bituminous_coal": 0.50, "natural_gas": 0.15, "electricity": 0.25, "petroleum_coke": 0.04,
                    "diesel": 0.03, "lng": 0.03},
                   {}),
    ProvinceSector("paper", "造纸", 0.05, 35_000.0, "process", 0.2,
                   {"bituminous_coal": 0.35, "electricity": 0.30, "natural_gas": 0.10, "steam": 0.12,
                    "biomass": 0.10, "diesel": 0.03},
                   {}),
    ProvinceSector("textile", "纺织化纤", 0.12, 20_000.0, "manufacturing", 0.6,
                   {"electricity": 0.45, "steam": 0.25, "natural_gas": 0.15, "heat": 0.10,
                    "diesel": 0.02, "solar": 0.03},
                   {}),
    ProvinceSector("machinery", "装备制造与汽车", 0.18, 15_000.0, "manufacturing", 0.6,
                   {"electricity": 0.62, "natural_gas": 0.20, "diesel": 0.06, "gasoline": 0.04,
                    "lpg": 0.03, "solar": 0.05},
                   {}),
    ProvinceSector("electronics", "电子信息与光伏", 0.14, 18_000.0, "manufacturing", 0.4,
                   {"electricity": 0.82, "natural_gas": 0.10, "diesel": 0.02, "solar": 0.06},
                   {}),
    ProvinceSector("food", "食品医药", 0.08, 12_000.0, "manufacturing", 0.5,
                   {"electricity": 0.35, "natural_gas": 0.25, "steam": 0.25, "bituminous_coal": 0.05,
                    "diesel": 0.05, "lpg": 0.05},
                   {}),
    ProvinceSector("datacentre", "数据中心", 0.03, 25_000.0, "datacentre", 0.0,
                   {"electricity": 0.97, "diesel": 0.01, "solar": 0.02},
                   {}),
    ProvinceSector("logistics", "交通物流", 0.04, 20_000.0, "services", 0.3,
                   {"diesel": 0.45, "gasoline": 0.10, "kerosene": 0.20, "lng": 0.08,
                    "electricity": 0.15, "fuel_oil": 0.02},
                   {}),
)  # fmt: skip
#: Small uses almost every enterprise has (vehicles, canteens, rooftop PV, standby diesel),
#: added where a sector's mix does not name the carrier.
COMMON_MIX: Final = {
    "gasoline": 0.004, "diesel": 0.008, "lpg": 0.002, "solar": 0.006, "natural_gas": 0.02,
    "electricity": 0.03, "steam": 0.01,
}  # fmt: skip
NOISE_TABLE_SIZE: Final = 65_536


def _mix_row(sector: ProvinceSector) -> list[float]:
    """The sector's carrier shares over :data:`CARRIERS`, with the common small uses."""
    row = [sector.mix.get(c, COMMON_MIX.get(c, 0.0)) for c in CARRIERS]
    total = sum(row)
    return [x / total for x in row]


MIN_SIZE_TCE: Final = 5_000.0


@dataclass(frozen=True)
class ProvinceData:
    """The province tables (polars)."""

    long: pl.DataFrame
    """entity, period, carrier, quantity, unit, use (+ city when asked)."""
    enterprises: pl.DataFrame
    """entity, name, city_code, city, sector, annual_tce."""
    city_totals: pl.DataFrame
    """city_code, period, carrier, unit, quantity, tce (calorific)."""


def _apportion(total: int, weights: list[float]) -> list[int]:
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(v) for v in raw]
    for i in sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))[: total - sum(out)]:
        out[i] += 1
    return out


def province_enterprises(n: int, seed: int) -> pl.DataFrame:
    """The enterprise list: ``n`` enterprises spread over the 13 cities and the sectors."""
    if n < len(CITIES):
        raise ValueError(f"省级演示数据至少需要 {len(CITIES)} 家企业（每个设区市一家），收到 {n}")
    stream = Stream(seed, "province", "enterprises")
    book = NameBook(seed, namespace="province")
    per_city = _apportion(n, [w for *_, w in CITIES])
    rows: dict[str, list[object]] = {k: [] for k in ("entity", "name", "city_code", "city", "sector", "sector_idx", "annual_tce", "growth")}  # fmt: skip
    for (code, city, _), count in zip(CITIES, per_city, strict=True):
        per_sector = _apportion(count, [s.weight for s in SECTORS])
        for idx, (sector, k) in enumerate(zip(SECTORS, per_sector, strict=True)):
            for _ in range(k):
                size = max(MIN_SIZE_TCE, sector.size_tce * stream.factor(0.9))
                rows["entity"].append(book.credit_code(code))
                rows["name"].append(
                    book.name(_TERMS[sector.key][stream.integer(0, len(_TERMS[sector.key]) - 1)])
                )
                rows["city_code"].append(code)
                rows["city"].append(city)
                rows["sector"].append(sector.label)
                rows["sector_idx"].append(idx)
                rows["annual_tce"].append(size)
                rows["growth"].append(stream.normal(0.03, 0.04))
    return pl.DataFrame(rows, schema_overrides={"sector_idx": pl.Int32})


_TERMS: Final[dict[str, tuple[str, ...]]] = {
    "power": ("发电", "热电", "能源"),
    "petrochem": ("石化", "炼化"),
    "chemicals": ("化工", "化学", "新材料"),
    "steel": ("钢铁", "特钢"),
    "building": ("建材", "水泥", "玻璃"),
    "paper": ("纸业",),
    "textile": ("纺织", "化纤", "印染"),
    "machinery": ("机械", "装备", "汽车部件"),
    "electronics": ("电子", "光伏科技", "半导体"),
    "food": ("食品", "药业"),
    "datacentre": ("数据科技", "云计算"),
    "logistics": ("物流", "航运"),
}


def generate_province(
    *,
    seed: int = 2025,
    enterprises: int = 3000,
    start: Month | None = None,
    end: Month | None = None,
    with_city: bool = False,
) -> ProvinceData:
    """The province long table, enterprise list and city totals (see module docstring)."""
    start = DEFAULT_START if start is None else start
    end = DEFAULT_END if end is None else end
    ents = province_enterprises(enterprises, seed)
    months = month_range(start, end)
    n_e, n_m, n_c = ents.height, len(months), len(CARRIERS)
    carriers = [BY_CODE[c] for c in CARRIERS]
    # small tables gathered per row
    mix = [share for s in SECTORS for share in _mix_row(s)]
    uses = [USE_ZH[s.uses.get(c, "fuel")] for s in SECTORS for c in CARRIERS]
    season = [
        activity(m, s.profile, sf_depth=s.sf_depth, covid=0.5 if s.profile != "power" else 0.1)
        for s in SECTORS
        for m in months
    ]
    t_years = [(m.index - Month(start.year, 1).index) / 12.0 for m in months]
    noise_stream = Stream(seed, "province", "noise")
    noise = [noise_stream.factor(0.08) for _ in range(NOISE_TABLE_SIZE)]
    periods = [str(m) for m in months]
    frame = pl.DataFrame(
        {"row": pl.int_range(0, n_e * n_m * n_c, eager=True, dtype=pl.Int64)}
    ).with_columns(
        (pl.col("row") // (n_m * n_c)).cast(pl.Int32).alias("e"),
        ((pl.col("row") // n_c) % n_m).cast(pl.Int32).alias("m"),
        (pl.col("row") % n_c).cast(pl.Int32).alias("c"),
    )
    sector_idx = ents["sector_idx"]
    annual = ents["annual_tce"]
    log_growth = ents["growth"].log1p()
    sect = pl.lit(sector_idx).gather(pl.col("e"))
    tce = (
        pl.lit(annual).gather(pl.col("e")) / 365.0
        * pl.lit(pl.Series(season)).gather(sect * n_m + pl.col("m"))
        * (pl.lit(log_growth).gather(pl.col("e")) * pl.lit(pl.Series(t_years)).gather(pl.col("m"))).exp()
        * pl.lit(pl.Series(mix)).gather(sect * n_c + pl.col("c"))
        * pl.lit(pl.Series(noise)).gather(
            (pl.col("e").cast(pl.Int64) * 7919 + pl.col("m").cast(pl.Int64) * 104_729
              + pl.col("c").cast(pl.Int64) * 1_299_709) % NOISE_TABLE_SIZE
        )
    )  # fmt: skip
    coef = pl.lit(pl.Series([c.tce_per_unit for c in carriers])).gather(pl.col("c"))
    decimals = pl.lit(pl.Series([DECIMALS[c.unit] for c in carriers])).gather(pl.col("c"))
    raw_qty = tce / coef
    quantity = (
        pl.when(decimals == 4)
        .then(raw_qty.round(4))
        .when(decimals == 1)
        .then(raw_qty.round(1))
        .otherwise(raw_qty.round(2))
    )
    base = frame.select("e", "m", "c", quantity.alias("quantity"))
    columns = [
        pl.lit(ents["entity"]).gather(pl.col("e")).alias("entity"),
        pl.lit(pl.Series(periods)).gather(pl.col("m")).alias("period"),
        pl.lit(pl.Series([c.name_zh for c in carriers])).gather(pl.col("c")).alias("carrier"),
        pl.col("quantity"),
        pl.lit(pl.Series([c.unit for c in carriers])).gather(pl.col("c")).alias("unit"),
        pl.lit(pl.Series(uses))
        .gather(pl.lit(sector_idx).gather(pl.col("e")) * n_c + pl.col("c"))
        .alias("use"),
    ]
    if with_city:
        columns.append(pl.lit(ents["city_code"]).gather(pl.col("e")).alias("city_code"))
    long = base.select(columns)
    city_of = pl.lit(pl.Series([CITY_INDEX[c] for c in ents["city_code"]], dtype=pl.Int32)).gather(
        pl.col("e")
    )
    totals = (
        base.group_by(city_of.alias("k"), "m", "c")
        .agg(pl.col("quantity").sum())
        .sort("k", "m", "c")
        .select(
            pl.lit(pl.Series([code for code, *_ in CITIES])).gather(pl.col("k")).alias("city_code"),
            pl.lit(pl.Series(periods)).gather(pl.col("m")).alias("period"),
            pl.lit(pl.Series([c.name_zh for c in carriers])).gather(pl.col("c")).alias("carrier"),
            pl.lit(pl.Series([c.unit for c in carriers])).gather(pl.col("c")).alias("unit"),
            "quantity",
            (pl.col("quantity") * pl.lit(pl.Series([c.tce_per_unit for c in carriers])).gather(pl.col("c"))).alias("tce"),
        )
    )  # fmt: skip
    return ProvinceData(long, ents.drop("sector_idx", "growth"), totals)


LONG_HEADERS: Final = {
    "entity": "主体",
    "period": "期间",
    "carrier": "能源品种",
    "quantity": "数量",
    "unit": "单位",
    "use": "用途",
    "city_code": "设区市代码",
}


def write_province(data: ProvinceData, out_dir: str | Path) -> list[Path]:
    """Write the long table, the enterprise list and the city totals as CSV (UTF-8)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [
        out / "演示数据-全省能源消费-长表.csv",
        out / "演示数据-全省企业名录.csv",
        out / "演示数据-全省设区市汇总.csv",
    ]
    data.long.rename({k: v for k, v in LONG_HEADERS.items() if k in data.long.columns}).write_csv(
        paths[0]
    )
    data.enterprises.rename(
        {"entity": "主体", "name": "企业名称", "city_code": "设区市代码", "city": "设区市",
         "sector": "行业", "annual_tce": "年综合能耗规模（吨标准煤）"}
    ).write_csv(paths[1])  # fmt: skip
    data.city_totals.rename(
        {"city_code": "设区市代码", "period": "期间", "carrier": "能源品种", "unit": "单位",
         "quantity": "数量", "tce": "折标准煤（吨，当量值）"}
    ).write_csv(paths[2])  # fmt: skip
    return paths

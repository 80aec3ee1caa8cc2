"""Vocabulary of the reports: statistics items, generation sources, sectors, products, money.

Django-free data. Energy carriers and physical units are the core's (``ecplan.core.carriers``,
``ecplan.core.units``); this module adds what the reports need beyond them. Each statistics
item says what it is broken down by and which kind of unit it takes; the importer, the
templates and ``docs/data-collection.md`` read the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "INDEX_UNITS",
    "MONEY_UNITS",
    "PERSON_UNITS",
    "PRODUCTS",
    "SECTORS",
    "SOURCES",
    "STATISTIC_ITEMS",
    "Product",
    "Source",
    "StatisticItem",
]

Breakdown = Literal["carrier", "source", "sector", "project", ""]
UnitKind = Literal["carrier", "standard_coal", "electricity", "money", "index", "persons"]


@dataclass(frozen=True)
class StatisticItem:
    """One kind of figure in the city and area statistics.

    Attributes
    ----------
    code : str
        Stored in ``StatisticLine.item``.
    label : str
        Chinese name, as in the template.
    breakdown : {"carrier", "source", "sector", "project", ""}
        What ``StatisticLine.breakdown`` holds: an energy carrier code, a generation source, a
        sector, a project name (in ``subject``), or nothing (a total).
    unit_kind : str
        ``carrier`` (the carrier's own units), ``standard_coal`` (吨标准煤 …), ``electricity``
        (千瓦时 …), ``money`` (亿元, 万元, 元), ``index`` (上年=100), ``persons`` (万人, 人).
    default_unit : str
        Unit offered by the template.
    help : str
        What the statistics bureau publishes under this name.
    """

    code: str
    label: str
    breakdown: Breakdown
    unit_kind: UnitKind
    default_unit: str
    help: str = ""


STATISTIC_ITEMS: Final[tuple[StatisticItem, ...]] = (
    StatisticItem(
        "energy_total_tce",
        "能源消费总量",
        "",
        "standard_coal",
        "万吨标准煤",
        "统计部门公布的能源消费总量（等价值，一次电力按发电煤耗计算法折算）。",
    ),
    StatisticItem(
        "energy_consumption",
        "能源消费量（分品种）",
        "carrier",
        "carrier",
        "",
        "能源平衡表中各品种的终端消费与加工转换投入之和（实物量），即该品种的消费量合计。",
    ),
    StatisticItem(
        "feedstock",
        "其中：原料用能（分品种）",
        "carrier",
        "carrier",
        "",
        "煤、油、气及其制品用作原料、材料的消费量（发改环资〔2022〕803号）。",
    ),
    StatisticItem(
        "power_input",
        "其中：火力发电投入（分品种）",
        "carrier",
        "carrier",
        "",
        "加工转换投入中的火力发电投入；原煤等煤炭品种的发电投入即“发电用煤”。",
    ),
    StatisticItem(
        "heat_input",
        "其中：供热投入（分品种）",
        "carrier",
        "carrier",
        "",
        "加工转换投入中的供热投入；煤炭品种的供热投入即“供热用煤”。",
    ),
    StatisticItem(
        "nonfossil_energy_tce",
        "非化石能源消费量",
        "",
        "standard_coal",
        "万吨标准煤",
        "统计部门公布的非化石能源消费量（一次电力按发电煤耗计算法折算）。",
    ),
    StatisticItem(
        "primary_electricity",
        "一次电力（本地生产，分电源）",
        "source",
        "electricity",
        "亿千瓦时",
        "本地非化石能源发电量（水电、核电、风电、太阳能发电、生物质及垃圾发电等）。",
    ),
    StatisticItem(
        "net_imported_electricity",
        "净调入电力",
        "",
        "electricity",
        "亿千瓦时",
        "调入电量减调出电量（负数为净调出）。",
    ),
    StatisticItem(
        "net_imported_nonfossil_electricity",
        "其中：净调入非化石能源电力",
        "",
        "electricity",
        "亿千瓦时",
        "净调入电力中的非化石能源电量（按省级电网或交易结算口径，由统计部门提供）。",
    ),
    StatisticItem(
        "service_energy_tce",
        "第三产业能源消费量",
        "",
        "standard_coal",
        "万吨标准煤",
        "按国家统计局三次产业划分的第三产业能源消费量（等价值）。",
    ),
    StatisticItem(
        "electricity_consumption",
        "全社会用电量",
        "",
        "electricity",
        "亿千瓦时",
        "本地区全社会用电量（含本地发电自用与调入）。",
    ),
    StatisticItem(
        "green_certificate_electricity",
        "跨省购入绿证对应电量",
        "",
        "electricity",
        "亿千瓦时",
        "跨省份购入、未随物理电量交易的绿证对应的可再生能源电量（发改环资〔2024〕113号，1 张 = 1000 千瓦时）。",
    ),
    StatisticItem(
        "generation",
        "发电量（分电源）",
        "source",
        "electricity",
        "亿千瓦时",
        "本地各类电源的发电量。",
    ),
    StatisticItem(
        "separately_listed_tce",
        "能耗单列项目能耗",
        "project",
        "standard_coal",
        "万吨标准煤",
        "经批准单列的国家重大项目能耗（每个项目一行，项目名称填在“项目”列）。",
    ),
    StatisticItem(
        "gdp_current",
        "地区生产总值（现价）",
        "",
        "money",
        "亿元",
        "当期累计的地区生产总值，按当年价格计算。",
    ),
    StatisticItem(
        "gdp_index_previous_year",
        "地区生产总值指数（上年=100）",
        "",
        "index",
        "上年=100",
        "按不变价格计算的年度发展速度，统计部门年报口径；用于链式计算不变价GDP。",
    ),
    StatisticItem(
        "gdp_index_same_period",
        "地区生产总值指数（上年同期=100）",
        "",
        "index",
        "上年同期=100",
        "按不变价格计算的累计同比发展速度，季度口径（年度即上年=100）。",
    ),
    StatisticItem(
        "value_added",
        "增加值（现价，分产业）",
        "sector",
        "money",
        "亿元",
        "第一、二、三产业（及工业、建筑业）增加值，按当年价格计算。",
    ),
    StatisticItem(
        "value_added_index_same_period",
        "增加值指数（上年同期=100，分产业）",
        "sector",
        "index",
        "上年同期=100",
        "按不变价格计算的分产业增加值累计同比发展速度。",
    ),
    StatisticItem(
        "population",
        "常住人口（期末）",
        "",
        "persons",
        "万人",
        "期末常住人口。",
    ),
)
STATISTIC_ITEM_BY_CODE: Final[dict[str, StatisticItem]] = {i.code: i for i in STATISTIC_ITEMS}


@dataclass(frozen=True)
class Source:
    """A generation source (电源类型)."""

    code: str
    label: str
    non_fossil: bool
    aliases: tuple[str, ...] = ()


SOURCES: Final[tuple[Source, ...]] = (
    Source("coal", "燃煤发电", False, ("煤电", "火电（燃煤）", "燃煤")),
    Source("gas", "燃气发电", False, ("气电", "天然气发电", "燃机")),
    Source("oil", "燃油发电", False, ("油电",)),
    Source("other_fossil", "其他化石能源发电", False, ("余热余压发电", "其他火电")),
    Source("hydro", "水电", True, ("水力发电",)),
    Source("nuclear", "核电", True, ("核能发电",)),
    Source("wind", "风电", True, ("风力发电",)),
    Source("solar", "太阳能发电", True, ("光伏", "光伏发电")),
    Source(
        "biomass",
        "生物质发电",
        True,
        ("生物质能发电", "垃圾发电", "垃圾焚烧发电", "沼气发电"),
    ),
    Source("other_non_fossil", "其他非化石能源发电", True, ("地热发电", "潮汐发电")),
)
SOURCE_BY_CODE: Final[dict[str, Source]] = {s.code: s for s in SOURCES}


@dataclass(frozen=True)
class Sector:
    code: str
    label: str
    aliases: tuple[str, ...] = ()


SECTORS: Final[tuple[Sector, ...]] = (
    Sector("primary", "第一产业", ("农林牧渔业",)),
    Sector("secondary", "第二产业"),
    Sector("industry", "其中：工业", ("工业",)),
    Sector("construction", "其中：建筑业", ("建筑业",)),
    Sector("tertiary", "第三产业", ("服务业",)),
)
SECTOR_BY_CODE: Final[dict[str, Sector]] = {s.code: s for s in SECTORS}

#: money units → factor to 万元 (the canonical unit, ``gdp_10k_yuan``)
MONEY_UNITS: Final[dict[str, float]] = {"亿元": 10_000.0, "万元": 1.0, "元": 0.0001}
#: index units (上年=100, 上年同期=100): stored as written, canonical ``index``
INDEX_UNITS: Final[dict[str, str]] = {
    "上年=100": "index",
    "上年同期=100": "index",
    "%": "index",
    "": "index",
}
#: persons → factor to persons
PERSON_UNITS: Final[dict[str, float]] = {"万人": 10_000.0, "人": 1.0}


@dataclass(frozen=True)
class Product:
    """A product whose output the plan's indicators need (others are stored by name)."""

    code: str
    label: str
    aliases: tuple[str, ...]
    installation_product: str
    variant: str = ""


PRODUCTS: Final[tuple[Product, ...]] = (
    Product("pta", "精对苯二甲酸（PTA）", ("PTA", "精对苯二甲酸"), "pta"),
    Product(
        "caustic_soda_liquid_30",
        "烧碱（离子膜法液碱≥30%，折百）",
        ("液碱≥30%", "32%液碱", "30%液碱"),
        "caustic_soda",
        "liquid_30",
    ),
    Product(
        "caustic_soda_liquid_45",
        "烧碱（离子膜法液碱≥45%，折百）",
        ("液碱≥45%", "50%液碱", "45%液碱"),
        "caustic_soda",
        "liquid_45",
    ),
    Product(
        "caustic_soda_solid_98",
        "烧碱（离子膜法固碱≥98%，折百）",
        ("固碱", "固碱≥98%", "片碱"),
        "caustic_soda",
        "solid_98",
    ),
    Product("crude_steel_bf_bof", "粗钢（长流程）", ("转炉钢",), "crude_steel", "bf_bof"),
    Product("crude_steel_eaf", "粗钢（电炉）", ("电炉钢",), "crude_steel", "eaf"),
)
PRODUCT_BY_CODE: Final[dict[str, Product]] = {p.code: p for p in PRODUCTS}


def _norm(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


_SOURCE_INDEX: Final[dict[str, str]] = {
    _norm(name): s.code for s in SOURCES for name in (s.code, s.label, *s.aliases)
}
_SECTOR_INDEX: Final[dict[str, str]] = {
    _norm(name): s.code
    for s in SECTORS
    for name in (s.code, s.label, s.label.removeprefix("其中："), *s.aliases)
}
_ITEM_INDEX: Final[dict[str, str]] = {
    _norm(name): i.code
    for i in STATISTIC_ITEMS
    for name in (i.code, i.label, i.label.split("（")[0].removeprefix("其中："))
}
_PRODUCT_INDEX: Final[dict[str, str]] = {
    _norm(name): p.code for p in PRODUCTS for name in (p.code, p.label, *p.aliases)
}


def find_source(text: str) -> str | None:
    return _SOURCE_INDEX.get(_norm(text))


def find_sector(text: str) -> str | None:
    return _SECTOR_INDEX.get(_norm(text))


def find_item(text: str) -> str | None:
    return _ITEM_INDEX.get(_norm(text))


def find_product(text: str) -> str | None:
    """The product code for a name or alias; ``None`` for a product outside the catalogue."""
    return _PRODUCT_INDEX.get(_norm(text))

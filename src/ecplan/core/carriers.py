"""The catalogue of energy carriers of Chinese energy statistics and GB/T 2589.

Each carrier has a stable code (``raw_coal``), Chinese and English names, the aliases under
which reports name it (the NBS 205-1 form names such as 其他洗煤, 液化石油气, 热力 are the
Chinese names or aliases), the dimensions its quantity may be reported in, the default
statistical reporting unit, its class (fossil, non-fossil, secondary, working medium, other),
its category for share indicators, whether it can be used as feedstock (原料用能), and for
sub-types (烟煤, 洗中煤, 油田天然气, graded steam) the statistical line it rolls up to.

:func:`get_carrier` is the one place that maps a name to a carrier, so an unknown name is
refused everywhere the same way. :func:`carrier_table` gives the catalogue as plain rows.

References
----------
GB/T 2589-2020 综合能耗计算通则 附录A (carriers of the coefficient table); 国家统计局
《能源统计报表制度》 205-1 表 (statistical carrier list, reporting units); 发改环资〔2022〕803号
(feedstock: coal, oil, natural gas and their products); 发改环资〔2024〕113号 (non-fossil
energy); GB 30251-2024 附录A 表A.1 (steam grades).
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Final

from ecplan.core.errors import UnknownCarrierError
from ecplan.core.units import Dimension, accepted_units

__all__ = [
    "CARRIERS",
    "Carrier",
    "CarrierCategory",
    "EnergyClass",
    "carrier_table",
    "get_carrier",
    "normalise_name",
]


class EnergyClass(StrEnum):
    """Fossil / non-fossil class of a carrier."""

    FOSSIL = "fossil"
    NON_FOSSIL = "non_fossil"
    SECONDARY = "secondary"
    """Electricity, heat, steam, hydrogen: converted energy whose origin decides its class."""
    WORKING_MEDIUM = "working_medium"
    """耗能工质 (water, compressed air, oxygen …), counted at their 等价值."""
    OTHER = "other"
    """其他能源 of the statistical form: mixed, reported directly in standard coal."""


class CarrierCategory(StrEnum):
    """Category used by the share indicators and for grouping in reports."""

    COAL = "coal"
    COAL_PRODUCT = "coal_product"
    OIL = "oil"
    GAS = "gas"
    ELECTRICITY = "electricity"
    HEAT = "heat"
    NON_FOSSIL = "non_fossil"
    WORKING_MEDIUM = "working_medium"
    OTHER = "other"


ENERGY_CLASS_LABELS: Final[dict[EnergyClass, str]] = {
    EnergyClass.FOSSIL: "化石能源",
    EnergyClass.NON_FOSSIL: "非化石能源",
    EnergyClass.SECONDARY: "二次能源",
    EnergyClass.WORKING_MEDIUM: "耗能工质",
    EnergyClass.OTHER: "其他能源",
}


@dataclass(frozen=True)
class Carrier:
    """An energy carrier.

    Attributes
    ----------
    code : str
        Stable identifier (``raw_coal``).
    name_zh, name_en : str
        Chinese (statistical) and English names.
    aliases : tuple of str
        Other names accepted by :func:`get_carrier`.
    dimensions : tuple of Dimension
        Dimensions a quantity may be reported in; the first is the usual one.
    default_unit : str
        Statistical reporting unit (``吨``, ``万立方米``, ``万千瓦时``, ``百万千焦``).
    energy_class : EnergyClass
        Fossil, non-fossil, secondary, working medium or other.
    category : CarrierCategory
        Grouping for share indicators.
    feedstock_capable : bool
        Whether the carrier may be reported as 原料用能 (coal, oil, gas and their products).
    parent : str or None
        Code of the statistical line a sub-type rolls up to (烟煤 → ``raw_coal``); a sub-type
        without its own conversion row uses the parent's.
    notes : str
        What a user should know (Chinese).
    """

    code: str
    name_zh: str
    name_en: str
    aliases: tuple[str, ...]
    dimensions: tuple[Dimension, ...]
    default_unit: str
    energy_class: EnergyClass
    category: CarrierCategory
    feedstock_capable: bool = False
    parent: str | None = None
    notes: str = ""

    @property
    def accepted_units(self) -> tuple[str, ...]:
        """Readable list of units a quantity of this carrier may be given in."""
        return accepted_units(*self.dimensions)

    @property
    def is_fossil(self) -> bool:
        return self.energy_class is EnergyClass.FOSSIL

    @property
    def is_non_fossil(self) -> bool:
        return self.energy_class is EnergyClass.NON_FOSSIL

    @property
    def label(self) -> str:
        """``原煤（raw_coal）`` for messages."""
        return f"{self.name_zh}（{self.code}）"


_M, _V, _E, _H, _C = (
    Dimension.MASS,
    Dimension.VOLUME,
    Dimension.ELECTRICITY,
    Dimension.HEAT,
    Dimension.STANDARD_COAL,
)
_F, _N, _S, _W, _O = (
    EnergyClass.FOSSIL,
    EnergyClass.NON_FOSSIL,
    EnergyClass.SECONDARY,
    EnergyClass.WORKING_MEDIUM,
    EnergyClass.OTHER,
)
_CAT = CarrierCategory


def _c(
    code: str,
    zh: str,
    en: str,
    dims: tuple[Dimension, ...],
    unit: str,
    cls: EnergyClass,
    cat: CarrierCategory,
    *,
    aliases: tuple[str, ...] = (),
    feedstock: bool = False,
    parent: str | None = None,
    notes: str = "",
) -> Carrier:
    return Carrier(code, zh, en, aliases, dims, unit, cls, cat, feedstock, parent, notes)


_STEAM_GRADES: Final = (
    ("steam_10mpa", "10.0MPa级", "10.0 MPa"),
    ("steam_5mpa", "5.0MPa级", "5.0 MPa"),
    ("steam_3_5mpa", "3.5MPa级", "3.5 MPa"),
    ("steam_2_5mpa", "2.5MPa级", "2.5 MPa"),
    ("steam_1_5mpa", "1.5MPa级", "1.5 MPa"),
    ("steam_1mpa", "1.0MPa级", "1.0 MPa"),
    ("steam_0_7mpa", "0.7MPa级", "0.7 MPa"),
    ("steam_0_3mpa", "0.3MPa级", "0.3 MPa"),
    ("steam_below_0_3mpa", "<0.3MPa级", "below 0.3 MPa"),
)

CARRIERS: Final[tuple[Carrier, ...]] = (
    # --- coal -------------------------------------------------------------------------
    _c("raw_coal", "原煤", "raw coal", (_M,), "吨", _F, _CAT.COAL, feedstock=True,
       aliases=("煤炭", "煤"),
       notes="统计上的原煤包括无烟煤、烟煤、褐煤；计算CO2排放时须按煤种选择参数。"),
    _c("anthracite", "无烟煤", "anthracite", (_M,), "吨", _F, _CAT.COAL, feedstock=True,
       parent="raw_coal", notes="折标准煤按原煤系数（统计口径），有实测低位发热量时按实测。"),
    _c("bituminous_coal", "烟煤", "bituminous coal", (_M,), "吨", _F, _CAT.COAL,
       feedstock=True, parent="raw_coal",
       notes="折标准煤按原煤系数（统计口径），有实测低位发热量时按实测。"),
    _c("lignite", "褐煤", "lignite", (_M,), "吨", _F, _CAT.COAL, feedstock=True,
       parent="raw_coal", notes="折标准煤按原煤系数（统计口径），有实测低位发热量时按实测。"),
    _c("cleaned_coal", "洗精煤", "cleaned coal", (_M,), "吨", _F, _CAT.COAL, feedstock=True,
       aliases=("精煤",)),
    _c("other_washed_coal", "其他洗煤", "other washed coal", (_M,), "吨", _F, _CAT.COAL,
       feedstock=True, notes="按洗中煤系数折算；煤泥请按“煤泥”填报并提供实测热值。"),
    _c("middlings", "洗中煤", "middlings", (_M,), "吨", _F, _CAT.COAL, feedstock=True,
       parent="other_washed_coal", aliases=("中煤",)),
    _c("coal_slime", "煤泥", "coal slime", (_M,), "吨", _F, _CAT.COAL, feedstock=True,
       parent="other_washed_coal", notes="GB/T 2589 只给出区间，须按实测低位发热量折算。"),
    _c("briquettes", "型煤", "briquettes", (_M,), "吨", _F, _CAT.COAL, feedstock=True,
       aliases=("煤球", "蜂窝煤")),
    _c("other_coal_products", "其他煤制品", "other coal products", (_M,), "吨", _F,
       _CAT.COAL_PRODUCT, feedstock=True),
    _c("coke", "焦炭", "coke", (_M,), "吨", _F, _CAT.COAL_PRODUCT, feedstock=True),
    _c("coke_oven_gas", "焦炉煤气", "coke oven gas", (_V,), "万立方米", _F,
       _CAT.COAL_PRODUCT, feedstock=True, aliases=("焦炉气",)),
    _c("blast_furnace_gas", "高炉煤气", "blast furnace gas", (_V,), "万立方米", _F,
       _CAT.COAL_PRODUCT, feedstock=True, aliases=("高炉气",)),
    _c("converter_gas", "转炉煤气", "converter gas", (_V,), "万立方米", _F,
       _CAT.COAL_PRODUCT, feedstock=True, aliases=("转炉气",),
       notes="无已确认的折标系数，须按实测低位发热量折算。"),
    _c("other_coal_gas", "其他煤气", "other coal gas", (_V,), "万立方米", _F,
       _CAT.COAL_PRODUCT, feedstock=True),
    _c("producer_gas", "发生炉煤气", "producer gas", (_V,), "万立方米", _F,
       _CAT.COAL_PRODUCT, feedstock=True, parent="other_coal_gas"),
    _c("water_gas", "水煤气", "water gas", (_V,), "万立方米", _F, _CAT.COAL_PRODUCT,
       feedstock=True, parent="other_coal_gas"),
    _c("heavy_oil_catalytic_gas", "重油催化裂解煤气", "heavy-oil catalytic cracking gas",
       (_V,), "万立方米", _F, _CAT.COAL_PRODUCT, feedstock=True, parent="other_coal_gas"),
    _c("heavy_oil_thermal_gas", "重油热裂解煤气", "heavy-oil thermal cracking gas", (_V,),
       "万立方米", _F, _CAT.COAL_PRODUCT, feedstock=True, parent="other_coal_gas"),
    _c("coke_gasification_gas", "焦炭制气", "coke gasification gas", (_V,), "万立方米", _F,
       _CAT.COAL_PRODUCT, feedstock=True, parent="other_coal_gas"),
    _c("pressure_gasification_gas", "压力气化煤气", "pressure gasification gas", (_V,),
       "万立方米", _F, _CAT.COAL_PRODUCT, feedstock=True, parent="other_coal_gas"),
    _c("coal_tar", "煤焦油", "coal tar", (_M,), "吨", _F, _CAT.COAL_PRODUCT, feedstock=True,
       aliases=("焦油",)),
    _c("crude_benzene", "粗苯", "crude benzene", (_M,), "吨", _F, _CAT.COAL_PRODUCT,
       feedstock=True),
    # --- natural gas ------------------------------------------------------------------
    _c("natural_gas", "天然气", "natural gas", (_V,), "万立方米", _F, _CAT.GAS,
       feedstock=True, aliases=("管道天然气", "压缩天然气", "CNG"),
       notes="未区分气源时按统计口径（气田天然气系数）折算。"),
    _c("natural_gas_oilfield", "油田天然气", "oil-field natural gas", (_V,), "万立方米", _F,
       _CAT.GAS, feedstock=True, parent="natural_gas"),
    _c("natural_gas_gasfield", "气田天然气", "gas-field natural gas", (_V,), "万立方米", _F,
       _CAT.GAS, feedstock=True, parent="natural_gas"),
    _c("lng", "液化天然气", "liquefied natural gas (LNG)", (_M,), "吨", _F, _CAT.GAS,
       feedstock=True, aliases=("LNG",)),
    # --- oil --------------------------------------------------------------------------
    _c("crude_oil", "原油", "crude oil", (_M,), "吨", _F, _CAT.OIL, feedstock=True),
    _c("gasoline", "汽油", "gasoline", (_M,), "吨", _F, _CAT.OIL, feedstock=True,
       aliases=("车用汽油", "航空汽油")),
    _c("kerosene", "煤油", "kerosene", (_M,), "吨", _F, _CAT.OIL, feedstock=True,
       aliases=("一般煤油", "航空煤油", "喷气煤油")),
    _c("diesel", "柴油", "diesel", (_M,), "吨", _F, _CAT.OIL, feedstock=True,
       aliases=("车用柴油", "普通柴油")),
    _c("fuel_oil", "燃料油", "fuel oil", (_M,), "吨", _F, _CAT.OIL, feedstock=True,
       aliases=("重油",)),
    _c("lpg", "液化石油气", "liquefied petroleum gas (LPG)", (_M,), "吨", _F, _CAT.OIL,
       feedstock=True, aliases=("LPG",)),
    _c("refinery_gas", "炼厂干气", "refinery dry gas", (_M,), "吨", _F, _CAT.OIL,
       feedstock=True, aliases=("炼厂气", "干气")),
    _c("naphtha", "石脑油", "naphtha", (_M,), "吨", _F, _CAT.OIL, feedstock=True),
    _c("lubricants", "润滑油", "lubricants", (_M,), "吨", _F, _CAT.OIL, feedstock=True),
    _c("paraffin", "石蜡", "paraffin wax", (_M,), "吨", _F, _CAT.OIL, feedstock=True),
    _c("solvent_oil", "溶剂油", "solvent oil", (_M,), "吨", _F, _CAT.OIL, feedstock=True),
    _c("petroleum_coke", "石油焦", "petroleum coke", (_M,), "吨", _F, _CAT.OIL,
       feedstock=True),
    _c("asphalt", "石油沥青", "petroleum asphalt (bitumen)", (_M,), "吨", _F, _CAT.OIL,
       feedstock=True, aliases=("沥青",)),
    _c("other_petroleum_products", "其他石油制品", "other petroleum products", (_M,), "吨",
       _F, _CAT.OIL, feedstock=True),
    # --- other fuels ------------------------------------------------------------------
    _c("methanol", "甲醇（用作燃料）", "methanol (as fuel)", (_M,), "吨", _F, _CAT.OTHER,
       aliases=("甲醇", "燃料甲醇"), notes="仅指用作燃料的甲醇。"),
    _c("hydrogen", "氢气（用作燃料）", "hydrogen (as fuel)", (_V,), "万立方米", _S,
       _CAT.OTHER, aliases=("氢气", "氢"),
       notes="二次能源：是否化石能源取决于制氢来源，按计划口径另行判定。"),
    _c("other_energy", "其他能源", "other energy", (_C,), "吨标准煤", _O, _CAT.OTHER,
       notes="统计报表中以标准煤填报的其他能源，不再折算。"),
    # --- secondary energy -------------------------------------------------------------
    _c("electricity", "电力", "electricity", (_E,), "万千瓦时", _S, _CAT.ELECTRICITY,
       aliases=("电", "电量", "用电量", "外购电力", "购入电力", "网电", "外购电")),
    _c("heat", "热力", "heat", (_H,), "百万千焦", _S, _CAT.HEAT,
       aliases=("热量", "外购热力", "供热量", "热")),
    _c("steam", "蒸汽", "steam (low pressure)", (_M,), "吨", _S, _CAT.HEAT,
       aliases=("低压蒸汽", "蒸汽（低压）", "外购蒸汽"),
       notes="按吨计量的低压蒸汽；按热量计量的蒸汽请填报为“热力”。"),
    *(
        _c(code, f"蒸汽（{grade}）", f"steam, {en} grade", (_M,), "吨", _S, _CAT.HEAT,
           parent="steam", aliases=(f"{grade}蒸汽",),
           notes="GB 30251-2024 能量换算表的分级蒸汽，仅用于炼化企业按该标准核算。")
        for code, grade, en in _STEAM_GRADES
    ),
    # --- non-fossil -------------------------------------------------------------------
    _c("hydro", "水电", "hydropower", (_E,), "万千瓦时", _N, _CAT.NON_FOSSIL,
       aliases=("水力发电", "水电发电量")),
    _c("nuclear", "核电", "nuclear power", (_E,), "万千瓦时", _N, _CAT.NON_FOSSIL,
       aliases=("核能发电",)),
    _c("wind", "风电", "wind power", (_E,), "万千瓦时", _N, _CAT.NON_FOSSIL,
       aliases=("风力发电", "风能")),
    _c("solar", "太阳能发电", "solar power", (_E,), "万千瓦时", _N, _CAT.NON_FOSSIL,
       aliases=("光伏", "光伏发电", "太阳能", "太阳能光伏", "分布式光伏")),
    _c("solar_thermal", "太阳能热利用", "solar thermal", (_H, _C), "百万千焦", _N,
       _CAT.NON_FOSSIL, aliases=("光热", "太阳能热水")),
    _c("biomass", "生物质能", "biomass energy", (_C, _E), "吨标准煤", _N, _CAT.NON_FOSSIL,
       aliases=("生物质", "生物质发电"),
       notes="以标准煤填报（生物质燃料）或以千瓦时填报（生物质发电）。"),
    _c("biogas", "沼气", "biogas", (_V,), "万立方米", _N, _CAT.NON_FOSSIL,
       notes="GB/T 2589 只给出区间，须按实测低位发热量折算。"),
    _c("geothermal", "地热能", "geothermal energy", (_H, _C), "百万千焦", _N,
       _CAT.NON_FOSSIL, aliases=("地热",)),
    _c("other_non_fossil", "其他非化石能源", "other non-fossil energy", (_C, _E), "吨标准煤",
       _N, _CAT.NON_FOSSIL, aliases=("其他（非化石）", "其他可再生能源")),
    # --- working media (耗能工质, GB/T 2589 附录B, counted at 等价值) -----------------
    _c("fresh_water", "新水", "fresh water", (_M,), "吨", _W, _CAT.WORKING_MEDIUM,
       aliases=("新鲜水", "自来水"), notes="资料中折标系数冲突，须明确系数；计量单位为吨。"),
    _c("softened_water", "软化水", "softened water", (_M,), "吨", _W, _CAT.WORKING_MEDIUM),
    _c("deaerated_water", "除氧水", "deaerated water", (_M,), "吨", _W,
       _CAT.WORKING_MEDIUM),
    _c("compressed_air", "压缩空气", "compressed air", (_V,), "立方米", _W,
       _CAT.WORKING_MEDIUM),
    _c("blast_air", "鼓风", "blast air", (_V,), "立方米", _W, _CAT.WORKING_MEDIUM),
    _c("oxygen", "氧气", "oxygen", (_V,), "立方米", _W, _CAT.WORKING_MEDIUM),
    _c("nitrogen_byproduct", "氮气（副产品）", "nitrogen (by-product)", (_V,), "立方米", _W,
       _CAT.WORKING_MEDIUM, aliases=("氮气（做副产品时）",)),
    _c("nitrogen_main", "氮气（主产品）", "nitrogen (main product)", (_V,), "立方米", _W,
       _CAT.WORKING_MEDIUM, aliases=("氮气（做主产品时）",)),
    _c("co2_gas", "二氧化碳气", "carbon dioxide gas", (_V,), "立方米", _W,
       _CAT.WORKING_MEDIUM),
    _c("acetylene", "乙炔", "acetylene", (_V,), "立方米", _W, _CAT.WORKING_MEDIUM),
    _c("calcium_carbide", "电石", "calcium carbide", (_M,), "吨", _W, _CAT.WORKING_MEDIUM),
)  # fmt: skip


def normalise_name(text: str) -> str:
    """Normalise a carrier name for lookup (NFKC, no spaces, Latin letters folded)."""
    t = unicodedata.normalize("NFKC", str(text))
    return "".join(t.split()).casefold()


@cache
def _index() -> dict[str, Carrier]:
    index: dict[str, Carrier] = {}
    for carrier in CARRIERS:
        for name in (carrier.code, carrier.name_zh, carrier.name_en, *carrier.aliases):
            key = normalise_name(name)
            other = index.get(key)
            if other is not None and other is not carrier:  # pragma: no cover - table sanity
                raise RuntimeError(f"carrier name {name!r} is ambiguous")
            index[key] = carrier
    return index


def get_carrier(name: str | Carrier) -> Carrier:
    """Find a carrier by code, Chinese or English name, or alias.

    Parameters
    ----------
    name : str or Carrier
        ``原煤``, ``raw_coal``, ``LNG``, ``光伏`` … (full-width and spaces are ignored).

    Returns
    -------
    Carrier

    Raises
    ------
    ecplan.core.errors.UnknownCarrierError
        With close matches as suggestions.
    """
    if isinstance(name, Carrier):
        return name
    found = _index().get(normalise_name(name))
    if found is None:
        names = [c.name_zh for c in CARRIERS]
        close = difflib.get_close_matches(str(name), names, n=3, cutoff=0.4)
        raise UnknownCarrierError(str(name), close)
    return found


def carrier_table() -> list[dict[str, str | bool | None]]:
    """The catalogue as plain rows (one per carrier).

    Returns
    -------
    list of dict
        Keys: ``code``, ``name_zh``, ``name_en``, ``aliases`` (``、``-joined),
        ``dimensions`` (comma-joined), ``default_unit``, ``energy_class``, ``category``,
        ``feedstock_capable``, ``parent``, ``notes``.
    """
    return [
        {
            "code": c.code,
            "name_zh": c.name_zh,
            "name_en": c.name_en,
            "aliases": "、".join(c.aliases),
            "dimensions": ",".join(d.value for d in c.dimensions),
            "default_unit": c.default_unit,
            "energy_class": c.energy_class.value,
            "category": c.category.value,
            "feedstock_capable": c.feedstock_capable,
            "parent": c.parent,
            "notes": c.notes,
        }
        for c in CARRIERS
    ]


def carrier_name_table() -> list[dict[str, str]]:
    """Every accepted carrier spelling (normalised) → carrier code, for vectorised joins."""
    return [{"name": key, "code": c.code} for key, c in sorted(_index().items())]

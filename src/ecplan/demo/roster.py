"""Who the demo city's key enterprises are: sectors, sizes, installations (synthetic).

A fixed core of enterprises carries the installations the plan's indicators need (power and
heat plants, PTA and caustic-soda units, steel mills, data centres, coal boilers, a
separately-listed project); the rest of the ~100 are drawn from the other industries the plan
and the city's "613" industrial system name. All names are fictional (see
:mod:`ecplan.demo.identity`); sizes, dates and efficiencies are demo choices, placed around the
benchmark levels of the reference data so that some targets are met and some are not.

Energy shares (``mix``) are shares of an enterprise's energy in tonnes of standard coal
(calorific basis). ``electricity`` and ``heat`` in a mix are demands: electricity is bought
from the grid unless the enterprise generates it; heat is bought from a heat-supplying plant
of the area (or raised in own gas boilers where the area has none).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

# --------------------------------------------------------------------------------------------
# sectors


@dataclass(frozen=True)
class Sector:
    key: str
    label: str
    industry: tuple[str, str]
    """GB/T 4754-2017 class code and name."""
    terms: tuple[str, ...]
    """Trade words for names."""
    season: str
    sf_depth: float
    """Share of activity lost on Spring Festival slowdown days."""
    covid: float
    """Sensitivity to the 2020 COVID-19 fall (1 = manufacturing)."""
    mix: Mapping[str, float]
    feedstock: Mapping[str, float] = field(default_factory=dict)
    growth: float = 0.03
    budget_managed: bool = False


SECTORS: Final[dict[str, Sector]] = {
    s.key: s
    for s in (
        Sector("power_coal", "燃煤发电", ("4411", "火力发电"), ("发电",), "power", 0.1, 0.3,
               {"electricity": 0.6, "diesel": 0.4}),
        Sector("power_chp", "热电联产", ("4412", "热电联产"), ("热电",), "power", 0.1, 0.3,
               {"electricity": 0.6, "diesel": 0.4}),
        Sector("power_gas", "燃气发电", ("4411", "火力发电"), ("燃气发电", "综合能源"), "power", 0.1, 0.3,
               {"electricity": 0.8, "diesel": 0.2}),
        Sector("wte", "垃圾焚烧发电", ("4417", "生物质能发电"), ("环保能源", "环保电力"), "power", 0.0, 0.1,
               {"electricity": 0.7, "diesel": 0.3}),
        Sector("pta", "PTA", ("2614", "有机化学原料制造"), ("石化",), "process", 0.05, 0.3,
               {"electricity": 0.45, "heat": 0.35, "natural_gas": 0.15, "diesel": 0.05},
               growth=0.03, budget_managed=True),
        Sector("polyester", "聚酯化纤", ("2822", "涤纶纤维制造"), ("化纤", "新材料", "纺织材料"),
               "process", 0.15, 0.5,
               {"electricity": 0.50, "heat": 0.38, "natural_gas": 0.10, "diesel": 0.02},
               growth=0.035, budget_managed=True),
        Sector("petrochem", "石油化工", ("2614", "有机化学原料制造"), ("化工", "石化材料"), "process", 0.05, 0.3,
               {"natural_gas": 0.30, "naphtha": 0.15, "lpg": 0.05, "electricity": 0.25,
                "heat": 0.20, "bituminous_coal": 0.05},
               {"natural_gas": 0.55, "naphtha": 1.0, "lpg": 0.8, "bituminous_coal": 0.4},
               growth=0.03, budget_managed=True),
        Sector("chemicals", "化学品", ("2661", "化学试剂和助剂制造"), ("化学", "精细化工", "化工"),
               "process", 0.2, 0.6,
               {"electricity": 0.35, "heat": 0.35, "natural_gas": 0.20, "bituminous_coal": 0.07, "diesel": 0.03},
               {"natural_gas": 0.2}, growth=0.035, budget_managed=True),
        Sector("caustic", "氯碱", ("2612", "无机碱制造"), ("氯碱化工", "化学"), "process", 0.05, 0.3,
               {"electricity": 0.60, "heat": 0.30, "natural_gas": 0.10}, growth=0.02,
               budget_managed=True),
        Sector("steel_bof", "钢铁（长流程）", ("3120", "炼钢"), ("特钢", "钢铁"), "steel", 0.1, 0.4,
               {"coke": 0.50, "bituminous_coal": 0.17, "electricity": 0.16, "natural_gas": 0.15,
                "diesel": 0.02}, growth=0.0, budget_managed=True),
        Sector("steel_eaf", "钢铁（电炉短流程）", ("3120", "炼钢"), ("钢铁", "特钢"), "steel", 0.15, 0.5,
               {"electricity": 0.62, "natural_gas": 0.22, "coke": 0.10, "diesel": 0.03, "lpg": 0.03},
               growth=0.01, budget_managed=True),
        Sector("paper", "造纸", ("2221", "机制纸及纸板制造"), ("纸业",), "process", 0.2, 0.5,
               {"bituminous_coal": 0.40, "electricity": 0.35, "natural_gas": 0.10, "biomass": 0.10, "steam": 0.05},
               growth=0.015),
        Sector("datacentre", "数据中心", ("6450", "互联网数据服务"), ("数据科技", "云计算"), "datacentre", 0.0, 0.0,
               {"electricity": 0.97, "diesel": 0.03}, growth=0.0),
        Sector("cement", "水泥", ("3011", "水泥制造"), ("水泥", "建材"), "manufacturing", 0.5, 0.8,
               {"bituminous_coal": 0.66, "electricity": 0.31, "diesel": 0.03}, growth=-0.01),
        Sector("glass", "玻璃", ("3041", "平板玻璃制造"), ("玻璃",), "process", 0.0, 0.2,
               {"natural_gas": 0.62, "electricity": 0.25, "fuel_oil": 0.10, "diesel": 0.03}, growth=0.0),
        Sector("hotel", "旅游饭店", ("6110", "旅游饭店"), ("酒店", "文旅"), "services", 0.1, 1.0,
               {"electricity": 0.60, "natural_gas": 0.34, "diesel": 0.02, "lpg": 0.04}, growth=0.03),
        Sector("port", "港口", ("5532", "货运港口"), ("港务",), "services", 0.3, 0.5,
               {"diesel": 0.45, "electricity": 0.45, "fuel_oil": 0.05, "gasoline": 0.05}, growth=0.04),
        # generic manufacturing (the "613" industrial clusters and traditional industries)
        Sector("textile", "印染纺织", ("1713", "棉印染精加工"), ("印染", "纺织"), "manufacturing", 0.6, 1.0,
               {"heat": 0.35, "electricity": 0.45, "natural_gas": 0.17, "diesel": 0.03}, growth=0.01),
        Sector("auto", "汽车及零部件", ("3670", "汽车零部件及配件制造"), ("汽车部件", "汽车科技"),
               "manufacturing", 0.6, 1.0,
               {"electricity": 0.68, "natural_gas": 0.25, "diesel": 0.04, "gasoline": 0.03}, growth=0.05),
        Sector("electronics", "新一代信息技术", ("3982", "电子电路制造"), ("电子", "光电"), "manufacturing", 0.4, 0.8,
               {"electricity": 0.88, "natural_gas": 0.10, "diesel": 0.02}, growth=0.07),
        Sector("pv", "晶硅光伏", ("3825", "光伏设备及元器件制造"), ("光伏科技", "新能源科技"), "manufacturing", 0.3, 0.7,
               {"electricity": 0.90, "natural_gas": 0.08, "diesel": 0.02}, growth=0.09),
        Sector("battery", "储能电池", ("3841", "锂离子电池制造"), ("储能科技", "电池"), "manufacturing", 0.4, 0.7,
               {"electricity": 0.80, "natural_gas": 0.15, "heat": 0.05}, growth=0.10),
        Sector("food", "食品", ("1391", "淀粉及淀粉制品制造"), ("食品", "粮油"), "manufacturing", 0.5, 0.6,
               {"electricity": 0.35, "natural_gas": 0.30, "steam": 0.25, "bituminous_coal": 0.05, "diesel": 0.05},
               growth=0.02),
        Sector("pharma", "生物医药", ("2710", "化学药品原料药制造"), ("药业", "生物科技"), "manufacturing", 0.4, 0.6,
               {"electricity": 0.40, "steam": 0.35, "natural_gas": 0.22, "diesel": 0.03}, growth=0.05),
        Sector("machinery", "高端装备", ("3441", "泵及真空设备制造"), ("机械", "装备"), "manufacturing", 0.6, 1.0,
               {"electricity": 0.70, "natural_gas": 0.22, "diesel": 0.05, "gasoline": 0.03}, growth=0.04),
        Sector("shipbuilding", "船舶海工", ("3731", "金属船舶制造"), ("船舶", "海工装备"), "manufacturing", 0.5, 0.9,
               {"electricity": 0.60, "natural_gas": 0.15, "diesel": 0.15, "lpg": 0.10}, growth=0.04),
        Sector("nonferrous", "有色金属压延", ("3252", "铝压延加工"), ("铝业", "金属材料"), "manufacturing", 0.3, 0.6,
               {"electricity": 0.55, "natural_gas": 0.40, "diesel": 0.05}, growth=0.03),
    )
}  # fmt: skip

#: Generic sectors and their weight in each area (area code → weight per sector).
GENERIC_SECTORS: Final[tuple[str, ...]] = (
    "textile", "auto", "electronics", "pv", "battery", "food", "pharma", "machinery",
    "shipbuilding", "nonferrous", "chemicals", "cement",
)  # fmt: skip
GENERIC_AREA_WEIGHTS: Final[dict[str, dict[str, float]]] = {
    "321002": {"food": 2, "pharma": 2, "machinery": 2, "electronics": 1, "textile": 1},
    "321003": {"auto": 4, "electronics": 3, "machinery": 2, "pharma": 1, "food": 1},
    "321012": {"shipbuilding": 3, "machinery": 3, "auto": 2, "nonferrous": 2, "textile": 1},
    "321023": {"food": 3, "textile": 2, "machinery": 1, "cement": 1, "chemicals": 1},
    "321081": {"chemicals": 3, "auto": 2, "nonferrous": 1, "machinery": 1},
    "321084": {"pv": 3, "battery": 3, "textile": 1, "food": 1, "chemicals": 1},
}
#: Zones inside areas, and the sectors that cluster there.
ZONE_OF_AREA: Final[dict[str, tuple[str, ...]]] = {
    "321003": ("yz-etdz", "yz-shouxihu"),
    "321002": ("yz-eco-city",),
}
ZONE_SECTORS: Final[dict[str, tuple[str, ...]]] = {
    "yz-etdz": ("auto", "electronics", "machinery", "pv", "battery", "datacentre"),
    "yz-eco-city": ("electronics", "pharma", "datacentre"),
    "yz-shouxihu": ("food",),
}
#: Total annual energy of the generic enterprises [tce, calorific, 2020 level] — fixed, so
#: the number of enterprises changes their count, not the city's energy.
GENERIC_BUDGET_TCE: Final = 950_000.0
GENERIC_MIN_TCE: Final = 5_600.0

# --------------------------------------------------------------------------------------------
# installations


@dataclass(frozen=True)
class ProductUnit:
    """A production unit: output × unit energy, with the unit's own carrier mix."""

    key: str
    product: str
    variant: str
    capacity_t: float
    commissioned: str
    unit_energy: Mapping[int, float]
    """Comprehensive energy per tonne by year [kgce/t, calorific basis]."""
    mix: Mapping[str, float]
    utilisation: float = 0.88
    closed: str | None = None
    feedstock: Mapping[str, float] = field(default_factory=dict)
    separately_listed: bool = False
    ramp_months: int = 0


@dataclass(frozen=True)
class DataCentre:
    key: str
    it_kw: float
    status: Literal["new", "expanded", "existing"]
    commissioned: str
    pue: Mapping[int, float]
    utilisation: float
    ramp_months: int = 0
    expanded: str | None = None
    expansion_kw: float = 0.0
    green_standard: bool = True


@dataclass(frozen=True)
class GeneratingUnit:
    key: str
    capacity_mw: float
    fuel: Literal["coal", "gas", "waste"]
    kind: str
    commissioned: str
    hours: Mapping[int, float]
    rate: Mapping[int, float]
    """Coal (standard) per kWh supplied [gce/kWh]; gas and waste: fuel per kWh generated."""
    station_use: float
    closed: str | None = None
    heat_weight: float = 0.0
    """Share weight in the area's purchased heat (0: no heat supply)."""
    heat_rate: float = 40.0
    """Fuel per GJ of heat supplied [kgce/GJ]."""
    heat_fixed_gj: float = 0.0
    """Heat supplied to non-reporting users regardless of demand [GJ/year]."""
    own_supply: bool = False
    """Supplies its own enterprise (self-owned plant) rather than the grid."""


@dataclass(frozen=True)
class Boiler:
    key: str
    capacity_tph: float
    commissioned: str
    retrofit_completed: str | None = None
    closed: str | None = None


UnitSpec = ProductUnit | DataCentre | GeneratingUnit | Boiler


@dataclass(frozen=True)
class EnterpriseSpec:
    key: str
    sector: str
    area: str
    zone: str | None = None
    site_tce: float = 0.0
    """Annual energy outside the installations [tce, calorific], at its 2020 level."""
    term: str | None = None
    start: str | None = None
    end: str | None = None
    growth: Mapping[int, float] | None = None
    steps: tuple[tuple[str, float], ...] = ()
    mix: Mapping[str, float] | None = None
    feedstock: Mapping[str, float] | None = None
    units: tuple[UnitSpec, ...] = ()
    pv_mw: Mapping[int, float] = field(default_factory=dict)
    green_share: Mapping[int, float] = field(default_factory=dict)
    certificates: Mapping[int, int] = field(default_factory=dict)
    retrofit_2025: bool = True


def _years(*values: float, first: int = 2020) -> dict[int, float]:
    return {first + i: v for i, v in enumerate(values)}


_CONST = _years
_PTA_MIX = {"electricity": 0.30, "heat": 0.45, "natural_gas": 0.15, "bituminous_coal": 0.10}
_PTA_MIX_OWN_BOILER = {"electricity": 0.30, "bituminous_coal": 0.55, "natural_gas": 0.15}
_CAUSTIC_LIQUID = {"electricity": 0.88, "heat": 0.12}
_CAUSTIC_SOLID = {"electricity": 0.55, "heat": 0.20, "natural_gas": 0.25}
_BOF_MIX = {
    "coke": 0.50,
    "bituminous_coal": 0.17,
    "electricity": 0.16,
    "natural_gas": 0.15,
    "diesel": 0.02,
}
_EAF_MIX = {"electricity": 0.62, "natural_gas": 0.22, "coke": 0.10, "diesel": 0.03, "lpg": 0.03}

#: The fixed core of the roster. Dates are ``YYYY-MM-DD`` (commissioning) or ``YYYY-MM``.
CORE: Final[tuple[EnterpriseSpec, ...]] = (
    # ---- power and heat ------------------------------------------------------------------
    EnterpriseSpec(
        "power-a", "power_coal", "321003", site_tce=1500.0,
        units=(
            *(GeneratingUnit(f"U{i}", mw, "coal", "凝汽式（亚临界/超临界）", d,
                             _years(5050, 5450, 5150, 5300, 5250, 5200),
                             _years(311.5, 310.0, 308.5, 306.5, 306.0, 305.5), 0.053,
                             heat_weight=0.5, heat_rate=40.5, heat_fixed_gj=900_000.0)
              for i, mw, d in ((1, 630, "2005-06-28"), (2, 630, "2005-12-20"),
                               (3, 660, "2009-07-15"), (4, 660, "2010-01-18"))),
            GeneratingUnit("U5", 1000, "coal", "超超临界（在建）", "2026-12-30", {}, {}, 0.04),
            GeneratingUnit("U6", 1000, "coal", "超超临界（在建）", "2027-06-30", {}, {}, 0.04),
        ),
    ),
    EnterpriseSpec(
        "power-b", "power_coal", "321012", site_tce=1200.0,
        units=tuple(
            GeneratingUnit(f"U{i}", 1000, "coal", "超超临界", d,
                           _years(4850, 5300, 5000, 5150, 5100, 5050),
                           _years(279.5, 278.5, 278.0, 277.5, 277.0, 276.5), 0.041)
            for i, d in ((1, "2015-06-18"), (2, "2015-12-08"))
        ),
    ),
    EnterpriseSpec(
        "power-c", "power_chp", "321081", site_tce=900.0,
        units=tuple(
            GeneratingUnit(f"U{i}", 330, "coal", "抽凝式热电联产", d,
                           _years(5100, 5300, 5150, 5200, 5150, 5100),
                           _years(305.0, 304.0, 302.5, 297.0, 296.5, 296.0), 0.068,
                           heat_weight=1.0, heat_rate=39.5, heat_fixed_gj=1_500_000.0)
            for i, d in ((1, "2008-03-26"), (2, "2008-09-30"))
        ),
    ),
    EnterpriseSpec(
        "power-d", "power_chp", "321081", site_tce=600.0, start="2024-03",
        units=(
            GeneratingUnit("U1", 50, "coal", "背压式热电联产", "2024-03-15", _years(0, 0, 0, 0, 5200, 6400),
                           _years(0, 0, 0, 0, 218.0, 214.0), 0.09, heat_weight=2.2, heat_rate=38.5),
            GeneratingUnit("U2", 50, "coal", "背压式热电联产", "2024-04-20", _years(0, 0, 0, 0, 4700, 6400),
                           _years(0, 0, 0, 0, 218.0, 214.0), 0.09, heat_weight=2.2, heat_rate=38.5),
            *(Boiler(f"B{i}", 440, "2024-03-01", retrofit_completed="2024-03") for i in range(1, 5)),
        ),
    ),
    EnterpriseSpec(
        "power-e", "power_chp", "321002", site_tce=300.0, end="2025-06",
        units=(
            GeneratingUnit("U1", 25, "coal", "抽凝式热电联产（小机组）", "1998-10-10", _CONST(4200, 4300, 4100, 4000, 3900, 0),
                           _years(386, 385, 385, 384, 384, 384), 0.11, closed="2024-12-31",
                           heat_weight=1.0, heat_rate=45.0, heat_fixed_gj=250_000.0),
            GeneratingUnit("U2", 25, "coal", "抽凝式热电联产（小机组）", "1999-05-12", _CONST(4200, 4300, 4100, 4000, 3900, 1850),
                           _years(386, 385, 385, 384, 384, 384), 0.11, closed="2025-06-30",
                           heat_weight=1.0, heat_rate=45.0, heat_fixed_gj=250_000.0),
            Boiler("B1", 75, "1998-10-01", closed="2025-06-30"),
            Boiler("B2", 75, "1999-05-01", closed="2025-06-30"),
        ),
    ),
    EnterpriseSpec(
        "power-f", "power_gas", "321002", site_tce=800.0,
        units=tuple(
            GeneratingUnit(f"U{i}", 475, "gas", "燃气-蒸汽联合循环", d,
                           _years(2700, 3100, 2800, 3000, 3050, 3100),
                           _CONST(218, 218, 217, 217, 216, 216), 0.025,
                           heat_weight=1.5 if i == 1 else 0.0, heat_rate=37.0)
            for i, d in ((1, "2017-06-30"), (2, "2017-12-26"))
        ),
    ),
    EnterpriseSpec(
        "power-g", "power_gas", "321012", site_tce=300.0, start="2023-06",
        units=tuple(
            GeneratingUnit(f"U{i}", 30, "gas", "燃气分布式（冷热电三联供）", "2023-06-28",
                           _years(0, 0, 0, 2600, 4400, 4500), _CONST(230, 230, 230, 232, 231, 231), 0.03,
                           heat_weight=1.0, heat_rate=36.0)
            for i in (1, 2, 3)
        ),
    ),
    EnterpriseSpec(
        "wte-a", "wte", "321003", site_tce=400.0,
        units=(GeneratingUnit("U1", 35, "waste", "生活垃圾焚烧发电", "2015-11-20",
                              _years(3300, 4100, 4700, 4800, 4850, 4900), _CONST(560, 555, 550, 548, 546, 545), 0.16),),
    ),
    EnterpriseSpec(
        "wte-b", "wte", "321084", site_tce=250.0,
        units=(GeneratingUnit("U1", 15, "waste", "生活垃圾焚烧发电", "2019-09-10",
                              _years(4200, 4500, 4600, 4700, 4700, 4750), _CONST(570, 565, 560, 558, 556, 555), 0.17),),
    ),
    # ---- PTA and polyester ---------------------------------------------------------------
    EnterpriseSpec(
        "fibre-a", "polyester", "321081", site_tce=95_000.0, term="化纤",
        units=(
            ProductUnit("PTA1", "PTA", "", 450_000, "1996-09-01", _years(92, 91, 90, 89, 88, 86), _PTA_MIX),
            ProductUnit("PTA2", "PTA", "", 550_000, "2003-06-01", _years(84, 83, 82, 80, 78, 77), _PTA_MIX),
            *(GeneratingUnit(f"G{i}", 25, "coal", "自备燃煤机组", d, _CONST(5800, 5900, 5700, 5600, 2900, 0),
                             _CONST(372, 371, 371, 370, 370, 370), 0.12, closed="2024-06-30",
                             heat_rate=44.0, own_supply=True)
              for i, d in ((1, "1995-08-01"), (2, "1996-04-01"), (3, "2001-11-01"))),
        ),
        pv_mw=_years(0, 0, 6.0, 6.0, 12.0, 12.0),
    ),
    EnterpriseSpec(
        "pta-new", "pta", "321081", site_tce=9_000.0, start="2024-07", term="石化",
        units=(ProductUnit("PTA1", "PTA", "", 3_000_000, "2024-07-01", {2024: 39.0, 2025: 38.0},
                           _PTA_MIX, utilisation=0.90, ramp_months=4),),
        green_share={2024: 0.05, 2025: 0.10},
    ),
    EnterpriseSpec(
        "pta-b", "pta", "321081", site_tce=12_000.0, term="石化",
        units=(
            ProductUnit("PTA1", "PTA", "", 2_200_000, "2012-05-01", _years(62, 61, 60, 58, 57, 56),
                        _PTA_MIX_OWN_BOILER),
            Boiler("B1", 130, "2011-12-01", retrofit_completed="2019-10"),
            Boiler("B2", 130, "2011-12-01", closed="2025-03-31"),
            Boiler("B3", 35, "2008-06-01"),
        ),
    ),
    EnterpriseSpec("fibre-b", "polyester", "321081", site_tce=62_000.0, term="新材料"),
    EnterpriseSpec("fibre-c", "polyester", "321081", site_tce=38_000.0, term="化纤"),
    EnterpriseSpec("fibre-d", "polyester", "321012", site_tce=27_000.0, term="纺织材料",
                   pv_mw=_years(0, 2.0, 2.0, 4.0, 4.0, 6.0)),
    # ---- petrochemicals and chemicals --------------------------------------------------------
    EnterpriseSpec("chem-a", "petrochem", "321081", site_tce=520_000.0,
                   growth=_years(0.0, 0.02, 0.01, 0.03, 0.05, 0.03),
                   units=(Boiler("B1", 220, "2010-04-01", retrofit_completed="2023-11"),
                          Boiler("B2", 220, "2010-04-01", retrofit_completed="2024-10"))),
    EnterpriseSpec("chem-b", "petrochem", "321081", site_tce=240_000.0, term="化学",
                   mix={"natural_gas": 0.62, "electricity": 0.18, "heat": 0.15, "bituminous_coal": 0.05},
                   feedstock={"natural_gas": 0.72, "bituminous_coal": 0.5},
                   growth=_years(0.0, 0.03, 0.0, 0.02, 0.03, 0.02)),
    EnterpriseSpec(
        "chem-c", "chemicals", "321081", site_tce=45_000.0, term="新材料",
        units=(ProductUnit("P1", "其他产品", "", 200_000, "2025-01-08", {2025: 1900.0},
                           {"natural_gas": 0.62, "electricity": 0.28, "heat": 0.10},
                           utilisation=0.92, separately_listed=True, ramp_months=3),),
    ),
    EnterpriseSpec("chem-d", "chemicals", "321081", site_tce=58_000.0),
    EnterpriseSpec("chem-e", "chemicals", "321012", site_tce=36_000.0, term="化学",
                   units=(Boiler("B1", 40, "2012-03-01", retrofit_completed="2025-11"),)),
    EnterpriseSpec("chem-f", "chemicals", "321084", site_tce=24_000.0),
    EnterpriseSpec("chem-g", "chemicals", "321023", site_tce=14_000.0,
                   units=(Boiler("B1", 35, "2014-07-01"),)),
    EnterpriseSpec("chem-h", "chemicals", "321081", site_tce=12_000.0, term="精细化工"),
    # ---- caustic soda ----------------------------------------------------------------------
    EnterpriseSpec(
        "caustic-a", "caustic", "321081", site_tce=48_000.0,
        units=(
            ProductUnit("CA1", "烧碱", "离子膜法液碱≥30%", 200_000, "2006-07-01", _years(341, 339, 336, 333, 330, 328),
                        _CAUSTIC_LIQUID),
            ProductUnit("CA2", "烧碱", "离子膜法液碱≥30%", 150_000, "2019-04-01", _years(313, 312, 311, 311, 310, 309),
                        _CAUSTIC_LIQUID),
            ProductUnit("CA3", "烧碱", "离子膜法液碱≥45%", 60_000, "2010-10-01", _years(446, 444, 442, 440, 439, 438),
                        _CAUSTIC_LIQUID),
            ProductUnit("CA4", "烧碱", "离子膜法固碱≥98%", 40_000, "2005-05-01", _years(706, 705, 703, 701, 700, 698),
                        _CAUSTIC_SOLID),
        ),
    ),
    EnterpriseSpec(
        "caustic-b", "caustic", "321012", site_tce=18_000.0, term="化学",
        units=(ProductUnit("CA1", "烧碱", "离子膜法液碱≥30%", 120_000, "2013-08-01", _years(337, 334, 331, 326, 321, 318),
                           _CAUSTIC_LIQUID),),
    ),
    # ---- steel -----------------------------------------------------------------------------
    EnterpriseSpec(
        "steel-a", "steel_bof", "321012",
        units=(ProductUnit("ST1", "粗钢", "高炉—转炉长流程", 1_400_000, "2007-09-01", _years(585, 581, 578, 572, 566, 557),
                           _BOF_MIX, utilisation=0.86),
               Boiler("B1", 65, "2009-05-01", retrofit_completed="2022-08")),
    ),
    EnterpriseSpec(
        "steel-b", "steel_eaf", "321023",
        units=(ProductUnit("ST1", "粗钢", "电炉短流程", 600_000, "2012-11-01", _years(246, 244, 241, 238, 236, 233),
                           _EAF_MIX, utilisation=0.82),),
        pv_mw=_years(0, 0, 3.0, 5.0, 5.0, 8.0),
    ),
    EnterpriseSpec(
        "steel-c", "steel_eaf", "321084",
        units=(ProductUnit("ST1", "粗钢", "电炉短流程", 500_000, "2016-03-01", _years(258, 256, 254, 251, 249, 246),
                           _EAF_MIX, utilisation=0.80),),
    ),
    # ---- paper -----------------------------------------------------------------------------
    EnterpriseSpec("paper-a", "paper", "321084", site_tce=88_000.0,
                   units=(Boiler("B1", 75, "2010-01-01", retrofit_completed="2021-09"),
                          Boiler("B2", 75, "2013-01-01", retrofit_completed="2025-08"))),
    EnterpriseSpec("paper-b", "paper", "321084", site_tce=52_000.0,
                   units=(Boiler("B1", 45, "2011-01-01"),)),
    EnterpriseSpec("paper-c", "paper", "321023", site_tce=41_000.0,
                   units=(Boiler("B1", 35, "2016-01-01", retrofit_completed="2024-05"),)),
    EnterpriseSpec("paper-d", "paper", "321012", site_tce=26_000.0,
                   units=(Boiler("B1", 20, "2015-01-01"),)),
    # ---- data centres ----------------------------------------------------------------------
    EnterpriseSpec("dc-a", "datacentre", "321003", "yz-etdz", site_tce=200.0, start="2024-03",
                   units=(DataCentre("DC1", 12_000, "new", "2024-03-18", {2024: 1.19, 2025: 1.18}, 0.72,
                                     ramp_months=14),),
                   green_share={2024: 0.3, 2025: 0.4}),
    EnterpriseSpec("dc-b", "datacentre", "321002", "yz-eco-city", site_tce=200.0, start="2023-09",
                   units=(DataCentre("DC1", 12_000, "new", "2023-09-06", {2023: 1.26, 2024: 1.25, 2025: 1.24},
                                     0.70, ramp_months=12, green_standard=False),)),
    EnterpriseSpec("dc-c", "datacentre", "321003", "yz-etdz", site_tce=300.0,
                   units=(DataCentre("DC1", 9_000, "expanded", "2016-05-10", _years(1.42, 1.38, 1.19, 1.19, 1.19, 1.185),
                                     0.75, expanded="2022-04-01", expansion_kw=6_000),),
                   green_share=_years(0, 0, 0.1, 0.2, 0.3, 0.35)),
    EnterpriseSpec("dc-d", "datacentre", "321003", None, site_tce=200.0,
                   units=(DataCentre("DC1", 6_000, "existing", "2015-08-01", _years(1.55, 1.54, 1.53, 1.52, 1.52, 1.51),
                                     0.78),)),
    EnterpriseSpec("dc-e", "datacentre", "321002", "yz-eco-city", site_tce=200.0,
                   units=(DataCentre("DC1", 10_000, "existing", "2018-11-01", _years(1.45, 1.44, 1.43, 1.42, 1.41, 1.40),
                                     0.74),)),
    EnterpriseSpec("dc-f", "datacentre", "321012", None, site_tce=150.0,
                   units=(DataCentre("DC1", 4_500, "expanded", "2019-06-01", _years(1.48, 1.47, 1.46, 1.45, 1.44, 1.16),
                                     0.76, expanded="2025-05-01", expansion_kw=3_000),)),
    # ---- building materials, port --------------------------------------------------------
    EnterpriseSpec("cement-a", "cement", "321081", site_tce=72_000.0,
                   units=(Boiler("B1", 20, "2009-01-01"),)),
    EnterpriseSpec("cement-b", "cement", "321084", site_tce=46_000.0),
    EnterpriseSpec("glass-a", "glass", "321023", site_tce=58_000.0),
    EnterpriseSpec("glass-b", "glass", "321012", site_tce=21_000.0, term="建材",
                   mix={"natural_gas": 0.70, "electricity": 0.27, "diesel": 0.03}),
    EnterpriseSpec("hotel-a", "hotel", "321003", "yz-shouxihu", site_tce=7_800.0,
                   pv_mw=_years(0, 0, 0, 0.8, 0.8, 0.8)),
    EnterpriseSpec("port-a", "port", "321002", site_tce=34_000.0,
                   pv_mw=_years(0, 0, 1.5, 3.0, 3.0, 5.0), green_share=_years(0, 0, 0, 0.05, 0.1, 0.15)),
)  # fmt: skip

#: Enterprises whose plan-relevant characteristics the docs describe by key.
CORE_KEYS: Final[tuple[str, ...]] = tuple(e.key for e in CORE)

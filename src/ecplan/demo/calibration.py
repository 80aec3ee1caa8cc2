"""The figures the demo city is calibrated to: public facts, the plan's own numbers, and the
synthetic choices that make them mutually consistent.

Every number the generator aims at lives here, as a :class:`Figure` with its kind:

* ``public`` — a published Yangzhou fact, with its source and confidence label ([V] read in the
  source, [S] secondary source, [U] unconfirmed; see the shared reference README);
* ``plan`` — a figure of the 2025 action plan itself (target values);
* ``synthetic`` — a demo choice, made to be plausible and to give the evaluation something to
  show (some targets on track, some lagging); never a fact about Yangzhou.

``docs/demo-data.md`` writes the calibration down with the arithmetic; a test checks that every
figure listed by :func:`figures` appears there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

FigureKind = Literal["public", "plan", "synthetic"]

KIND_LABELS: Final[dict[str, str]] = {
    "public": "公开数据",
    "plan": "计划目标",
    "synthetic": "演示设定（虚构）",
}

YEARS: Final = (2020, 2021, 2022, 2023, 2024, 2025)
FIRST_YEAR: Final = 2020
LAST_YEAR: Final = 2025
DEMO_LABEL: Final = "演示数据"


@dataclass(frozen=True)
class Figure:
    """One calibration figure."""

    key: str
    label: str
    value: float
    unit: str
    kind: FigureKind
    source: str = ""
    confidence: str = ""


_SRC_163 = "https://www.163.com/dy/article/KMGO79SK055616ZQ.html"
_SRC_SINA = "https://jiangsu.sina.com.cn/news/general/2024-03-21/detail-inanzvux5284771.shtml"
_SRC_517 = "https://news.517lj.net/article/538987.html"
_SRC_KFD = "http://m.kaifadou.com/citiao/169898771739681.html"
_SRC_JJ = "http://jingjiang.021cf.cn/index.php/post/4983.html"
_SRC_GROWTH_2020 = "http://lgq224.cn/guonei/20210121/012129973.html"
_SRC_GAOYOU = "https://tjgb.hongheiku.com/xjtjgb/xj2020/61256.html"
_SRC_BAOYING = "https://tjgb.hongheiku.com/18575.html"
_SRC_YIZHENG = "http://js.people.com.cn/GB/361417/359580/359665/359799/index.html"
_SRC_ECO_PLAN = "http://bx2200.com/guihua/huadong/8764.html"
_REF = "共享参考资料 policy-mechanics.md §5"

# --------------------------------------------------------------------------------------------
# GDP and population (city)

#: GDP at current prices [亿元 = 10^8 yuan].
GDP_CURRENT: Final[dict[int, Figure]] = {
    2020: Figure("gdp_2020", "2020年地区生产总值", 6048.33, "亿元", "public", _SRC_163, "[S]"),
    2021: Figure("gdp_2021", "2021年地区生产总值", 6696.43, "亿元", "public", _SRC_KFD, "[S]"),
    2022: Figure("gdp_2022", "2022年地区生产总值（约数）", 7105.00, "亿元", "public", _SRC_JJ, "[S]"),
    2023: Figure("gdp_2023", "2023年地区生产总值", 7423.26, "亿元", "public", _SRC_SINA, "[V]"),
    2024: Figure("gdp_2024", "2024年地区生产总值", 7809.64, "亿元", "public", _SRC_517, "[S]"),
    2025: Figure("gdp_2025", "2025年地区生产总值（“预计超过8200亿元”取整）", 8200.00, "亿元", "synthetic", _SRC_163),
}  # fmt: skip

#: Real GDP growth (volume index − 1) [fraction].
GDP_REAL_GROWTH: Final[dict[int, Figure]] = {
    2020: Figure("gdp_growth_2020", "2020年GDP实际增速", 0.035, "比率", "public", _SRC_GROWTH_2020, "[S]"),
    2021: Figure("gdp_growth_2021", "2021年GDP实际增速", 0.074, "比率", "synthetic"),
    2022: Figure("gdp_growth_2022", "2022年GDP实际增速", 0.025, "比率", "synthetic"),
    2023: Figure("gdp_growth_2023", "2023年GDP实际增速", 0.060, "比率", "public", _SRC_SINA, "[V]"),
    2024: Figure("gdp_growth_2024", "2024年GDP实际增速", 0.058, "比率", "synthetic"),
    2025: Figure("gdp_growth_2025", "2025年GDP实际增速", 0.055, "比率", "synthetic"),
}  # fmt: skip

#: Value added by sector at current prices [亿元]: public for 2023 and 2024.
SECTOR_VALUE_ADDED: Final[dict[int, tuple[Figure, Figure, Figure]]] = {
    2023: (
        Figure("va1_2023", "2023年第一产业增加值", 337.09, "亿元", "public", _SRC_SINA, "[V]"),
        Figure("va2_2023", "2023年第二产业增加值", 3509.60, "亿元", "public", _SRC_SINA, "[V]"),
        Figure("va3_2023", "2023年第三产业增加值", 3576.57, "亿元", "public", _SRC_SINA, "[V]"),
    ),
    2024: (
        Figure("va1_2024", "2024年第一产业增加值", 346.72, "亿元", "public", _SRC_517, "[S]"),
        Figure("va2_2024", "2024年第二产业增加值", 3653.54, "亿元", "public", _SRC_517, "[S]"),
        Figure("va3_2024", "2024年第三产业增加值", 3809.38, "亿元", "public", _SRC_517, "[S]"),
    ),
}  # fmt: skip

#: Sector shares of GDP (primary, secondary, tertiary) in years without a public split.
SECTOR_SHARES_SYNTHETIC: Final[dict[int, tuple[float, float, float]]] = {
    2020: (0.0500, 0.4790, 0.4710),
    2021: (0.0480, 0.4820, 0.4700),
    2022: (0.0470, 0.4800, 0.4730),
    2025: (0.0435, 0.4630, 0.4935),
}

#: Real growth of tertiary value added [fraction] (synthetic; 2025 is compared with the
#: growth of service-sector energy).
TERTIARY_REAL_GROWTH: Final[dict[int, float]] = {
    2020: 0.030,
    2021: 0.082,
    2022: 0.029,
    2023: 0.068,
    2024: 0.066,
    2025: 0.062,
}
#: Real growth of primary and secondary value added [fraction] (synthetic).
PRIMARY_REAL_GROWTH: Final[dict[int, float]] = {
    2020: 0.028, 2021: 0.031, 2022: 0.032, 2023: 0.034, 2024: 0.033, 2025: 0.031,
}  # fmt: skip

#: Resident population at year end [万人].
POPULATION: Final[dict[int, Figure]] = {
    2020: Figure("pop_2020", "2020年常住人口（第七次人口普查）", 455.97, "万人", "public", _SRC_KFD, "[S]"),
    2021: Figure("pop_2021", "2021年末常住人口", 456.70, "万人", "synthetic"),
    2022: Figure("pop_2022", "2022年末常住人口", 457.70, "万人", "synthetic"),
    2023: Figure("pop_2023", "2023年末常住人口", 458.30, "万人", "synthetic"),
    2024: Figure("pop_2024", "2024年末常住人口", 458.68, "万人", "public", _SRC_517, "[S]"),
    2025: Figure("pop_2025", "2025年末常住人口", 459.00, "万人", "synthetic"),
}  # fmt: skip

#: Quarterly shares of annual real GDP (Q1..Q4) in a normal year and in 2020 (synthetic).
QUARTER_GDP_SHARES: Final[tuple[float, float, float, float]] = (0.229, 0.248, 0.250, 0.273)
QUARTER_GDP_SHARES_2020: Final[tuple[float, float, float, float]] = (0.210, 0.251, 0.256, 0.283)

# --------------------------------------------------------------------------------------------
# County-level areas

#: GDP of county-level areas where a figure was found [亿元]: (area code, year) → Figure,
#: with the sector split where published.
AREA_GDP_PUBLIC: Final[dict[tuple[str, int], Figure]] = {
    ("321084", 2024): Figure("gdp_gaoyou_2024", "高邮市2024年地区生产总值", 1107.09, "亿元", "public", _SRC_GAOYOU, "[V]"),
    ("321023", 2020): Figure("gdp_baoying_2020", "宝应县2020年地区生产总值", 763.04, "亿元", "public", _SRC_BAOYING, "[V]"),
    ("321081", 2020): Figure("gdp_yizheng_2020", "仪征市2020年地区生产总值（约数）", 819.00, "亿元", "public", _SRC_YIZHENG, "[V]"),
}  # fmt: skip
AREA_SECTOR_PUBLIC: Final[dict[tuple[str, int], tuple[float, float, float]]] = {
    ("321084", 2024): (103.51, 549.86, 453.72),
    ("321023", 2020): (84.37, 357.27, 321.40),
}

#: Synthetic 2020 GDP seeds of the other areas [亿元] (scaled so the six areas add up to the
#: city) and each area's real-growth deviation from the city [fraction per year].
AREA_GDP_SEED_2020: Final[dict[str, float]] = {
    "321002": 905.0,  # 广陵区 (with 生态科技新城)
    "321003": 1420.0,  # 邗江区 (with 经济技术开发区 and 蜀冈—瘦西湖风景名胜区)
    "321012": 1260.0,  # 江都区
    "321023": 763.04,  # 宝应县 (public)
    "321081": 819.0,  # 仪征市 (public, approximate)
    "321084": 860.0,  # 高邮市 (2024 public; 2020 seed synthetic)
}
AREA_GROWTH_DEVIATION: Final[dict[str, float]] = {
    "321002": 0.003,
    "321003": 0.002,
    "321012": 0.000,
    "321023": -0.004,
    "321081": -0.003,
    "321084": 0.002,
}
#: Sector shares of each area's GDP in 2020 and 2025 (synthetic; interpolated between; the
#: published splits override, then the table is fitted to the city totals).
AREA_SECTOR_SHARES: Final[
    dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]]
] = {
    "321002": ((0.020, 0.380, 0.600), (0.016, 0.355, 0.629)),
    "321003": ((0.025, 0.470, 0.505), (0.020, 0.450, 0.530)),
    "321012": ((0.045, 0.560, 0.395), (0.040, 0.540, 0.420)),
    "321023": ((0.110, 0.468, 0.422), (0.098, 0.480, 0.422)),
    "321081": ((0.045, 0.560, 0.395), (0.040, 0.545, 0.415)),
    "321084": ((0.100, 0.480, 0.420), (0.093, 0.497, 0.410)),
}

# --------------------------------------------------------------------------------------------
# The plan's own figures (targets) the energy balance is made consistent with

PLAN_NONFOSSIL_SHARE: Final = Figure(
    "plan_nonfossil_share", "非化石能源消费占比目标", 0.20, "比率", "plan", "计划“1、主要目标”"
)
PLAN_NONFOSSIL_DEDUCTION_TCE: Final = Figure(
    "plan_nonfossil_deduction",
    "非化石能源消费扣减量目标",
    5_500_000.0,
    "吨标准煤",
    "plan",
    "计划“1、主要目标”",
)
PLAN_COAL_SHARE: Final = Figure(
    "plan_coal_share", "煤炭占一次能源消费比重目标", 0.50, "比率", "plan", "计划（一）1"
)
PLAN_POWER_COAL_SHARE: Final = Figure(
    "plan_power_coal_share", "电煤占煤炭消费比重目标", 0.75, "比率", "plan", "计划（一）1"
)
PLAN_GENERATION_COAL_RATE: Final = Figure(
    "plan_generation_coal_rate", "全市综合发电效率目标", 290.0, "gce/kWh", "plan", "计划（一）1"
)
PLAN_NONFOSSIL_GENERATION_SHARE: Final = Figure(
    "plan_nonfossil_generation_share",
    "非化石能源发电量占比目标",
    0.39,
    "比率",
    "plan",
    "计划（一）2",
)
PLAN_RETROFIT_PROJECTS: Final = Figure(
    "plan_retrofit_projects", "绿色化改造项目数目标", 100.0, "项", "plan", "计划（二）1"
)
PLAN_RETROFIT_SAVINGS_TCE: Final = Figure(
    "plan_retrofit_savings", "改造节能量目标", 100_000.0, "吨标准煤", "plan", "计划“1、主要目标”"
)
PLAN_RETROFIT_CO2_T: Final = Figure(
    "plan_retrofit_co2", "改造减排二氧化碳目标", 260_000.0, "吨", "plan", "计划“1、主要目标”"
)
#: The arithmetic the brief asks to make deliberate: share ≈ deduction ÷ total.
IMPLIED_TOTAL_ENERGY_2025_TCE: Final = Figure(
    "implied_total_energy_2025", "由20%与550万吨标准煤推得的2025年能源消费总量", 27_500_000.0, "吨标准煤", "plan",
    "5,500,000 ÷ 0.20",
)  # fmt: skip

# --------------------------------------------------------------------------------------------
# The energy balance (synthetic; Yangzhou's total energy consumption is not published)

#: City energy consumption on the equivalent basis (等价值: electricity at the generation coal
#: rate) [tce]. 2020 = 22.3 Mtce (the reference suggests 18–20 Mtce for a 2020 baseline; the
#: plan's 20 % ≈ 550万 arithmetic needs ≈ 27.5 Mtce in 2025, so the demo city is a little
#: more energy-intensive than that suggestion). Later years follow from the designed new-basis
#: intensity path (see NEW_BASIS_INTENSITY_CHANGE) and the deductions below.
TOTAL_ENERGY_2020_TCE: Final = Figure(
    "energy_2020", "2020年能源消费总量（等价值）", 22_300_000.0, "吨标准煤", "synthetic"
)

#: Non-fossil share of energy consumption [fraction] (2020: the city's 14th FYP eco plan
#: target level of 13 % [V] used as the starting point).
NONFOSSIL_SHARE: Final[dict[int, float]] = {
    2020: 0.130, 2021: 0.141, 2022: 0.153, 2023: 0.166, 2024: 0.182, 2025: 0.1995,
}  # fmt: skip
#: Feedstock energy (原料用能) [tce].
FEEDSTOCK_TCE: Final[dict[int, float]] = {
    2020: 700_000.0, 2021: 730_000.0, 2022: 750_000.0,
    2023: 780_000.0, 2024: 820_000.0, 2025: 850_000.0,
}  # fmt: skip
#: Separately-listed energy (能耗单列: a national major project commissioned 2025-01) [tce].
SEPARATELY_LISTED_TCE: Final[dict[int, float]] = {
    2020: 0.0, 2021: 0.0, 2022: 0.0, 2023: 0.0, 2024: 0.0, 2025: 450_000.0,
}  # fmt: skip
#: Change of new-basis energy intensity, city [fraction, signed].
NEW_BASIS_INTENSITY_CHANGE: Final[dict[int, float]] = {
    2021: -0.032, 2022: -0.016, 2023: -0.043, 2024: -0.029, 2025: -0.035,
}  # fmt: skip
#: Electricity consumption of the whole society (全社会用电量) [kWh].
ELECTRICITY_CONSUMPTION_KWH: Final[dict[int, float]] = {
    2020: 46.0e9, 2021: 50.6e9, 2022: 51.9e9, 2023: 54.8e9, 2024: 58.7e9, 2025: 62.1e9,
}  # fmt: skip
#: Non-electric non-fossil energy (solar heat, geothermal, biomass heat, biogas) [tce].
OTHER_NONFOSSIL_TCE: Final[dict[int, float]] = {
    2020: 280_000.0, 2021: 310_000.0, 2022: 340_000.0,
    2023: 380_000.0, 2024: 430_000.0, 2025: 480_000.0,
}  # fmt: skip
#: Coal share of energy consumption the residual (non-reporting) coal is set to reach [fraction].
COAL_SHARE: Final[dict[int, float]] = {
    2020: 0.515, 2021: 0.502, 2022: 0.490, 2023: 0.462, 2024: 0.441, 2025: 0.418,
}  # fmt: skip
#: Oil's share of the residual non-coal fossil energy (the rest is natural gas) [fraction].
RESIDUAL_OIL_SHARE: Final[dict[int, float]] = {
    2020: 0.60, 2021: 0.59, 2022: 0.58, 2023: 0.57, 2024: 0.555, 2025: 0.54,
}  # fmt: skip
#: Coal burned for power and heat by units that do not report (small self-generation), as a
#: fraction of the reporting plants' coal.
NON_REPORTING_POWER_COAL: Final = 0.025
#: Green certificates bought from outside the province (counted in the deduction, not in the
#: physical non-fossil share) [MWh].
INTERPROVINCIAL_CERTIFICATES_MWH: Final[dict[int, float]] = {
    2020: 0.0, 2021: 0.0, 2022: 0.0, 2023: 20_000.0, 2024: 60_000.0, 2025: 100_000.0,
}  # fmt: skip
#: Service-sector (第三产业) energy consumption [tce, equivalent basis]: 2020 level and growth.
TERTIARY_ENERGY_2020_TCE: Final = 3_950_000.0
TERTIARY_ENERGY_GROWTH: Final[dict[int, float]] = {
    2021: 0.098, 2022: 0.015, 2023: 0.079, 2024: 0.064, 2025: 0.069,
}  # fmt: skip

#: Installed non-fossil capacity not owned by reporting enterprises (farms, distributed PV)
#: [MW] and annual full-load hours [h].
SOLAR_MW: Final[dict[int, float]] = {
    2020: 1150.0, 2021: 1480.0, 2022: 1820.0, 2023: 2350.0, 2024: 2900.0, 2025: 3300.0,
}  # fmt: skip
WIND_MW: Final[dict[int, float]] = {
    2020: 300.0, 2021: 450.0, 2022: 520.0, 2023: 600.0, 2024: 700.0, 2025: 760.0,
}  # fmt: skip
SOLAR_HOURS: Final = 1050.0
WIND_HOURS: Final = 2100.0
#: Straw-fired biomass power of non-reporting plants [kWh/year].
BIOMASS_POWER_KWH: Final = 250e6
#: Line losses as a share of electricity consumption (counted in consumption here).

# --------------------------------------------------------------------------------------------
# Areas: new-basis energy and its designed path (drives the 晴雨表 levels)

#: Shares of the city's 2020 new-basis energy by area.
AREA_NEW_BASIS_SHARE_2020: Final[dict[str, float]] = {
    "321002": 0.120,
    "321003": 0.200,
    "321012": 0.200,
    "321023": 0.100,
    "321081": 0.255,
    "321084": 0.125,
}
#: Designed change of each area's new-basis intensity [fraction, signed] (before the areas are
#: scaled together to the city's energy; the differences between areas are kept).
AREA_INTENSITY_CHANGE: Final[dict[str, dict[int, float]]] = {
    "321002": {2021: -0.038, 2022: -0.026, 2023: -0.045, 2024: -0.032, 2025: -0.030},
    "321003": {2021: -0.038, 2022: -0.025, 2023: -0.046, 2024: -0.035, 2025: -0.036},
    "321012": {2021: -0.030, 2022: -0.010, 2023: -0.042, 2024: -0.030, 2025: -0.039},
    "321023": {2021: -0.035, 2022: -0.020, 2023: -0.040, 2024: -0.025, 2025: -0.032},
    "321081": {2021: -0.020, 2022: 0.008, 2023: -0.035, 2024: 0.020, 2025: -0.036},
    "321084": {2021: -0.036, 2022: -0.019, 2023: -0.044, 2024: -0.033, 2025: -0.029},
}
#: Within-year shifts of new-basis energy between halves, (area, year) → (H1, H2) factors.
AREA_HALF_YEAR_SHIFT: Final[dict[tuple[str, int], tuple[float, float]]] = {
    ("321081", 2024): (0.955, 1.045),  # 仪征: the new PTA line starts in July 2024
    ("321081", 2022): (1.010, 0.990),
    ("321012", 2025): (1.025, 0.975),  # 江都: a strong first half, then retrofits bite
}
#: Shares of the residual (non-reporting) electricity consumption by area.
AREA_RESIDUAL_ELECTRICITY_SHARE: Final[dict[str, float]] = {
    "321002": 0.15,
    "321003": 0.20,
    "321012": 0.20,
    "321023": 0.12,
    "321081": 0.19,
    "321084": 0.14,
}
#: Relative weight of coal in each area's residual fossil energy (scaled each year to reach
#: the city's coal share).
AREA_RESIDUAL_COAL_WEIGHT: Final[dict[str, float]] = {
    "321002": 0.5,
    "321003": 0.6,
    "321012": 1.0,
    "321023": 1.2,
    "321081": 1.4,
    "321084": 1.1,
}
#: Share of the residual (non-reporting) feedstock energy by area.
AREA_RESIDUAL_FEEDSTOCK_SHARE: Final[dict[str, float]] = {
    "321002": 0.02,
    "321003": 0.05,
    "321012": 0.08,
    "321023": 0.03,
    "321081": 0.78,
    "321084": 0.04,
}

# --------------------------------------------------------------------------------------------
# Binding targets (14th Five-Year Plan) entered by the plan office — all synthetic

#: City binding targets 2020→2025: reduction of new-basis energy intensity, of CO2 intensity
#: [fraction, positive = reduction], and the non-fossil share [fraction].
BINDING_ENERGY_INTENSITY_REDUCTION: Final = Figure(
    "binding_energy_intensity", "“十四五”单位GDP能耗降低（新口径，演示约束性指标）", 0.14, "比率", "synthetic",
    "仿照江苏省“十四五”目标14%（[S]，policy-mechanics §1.6）",
)  # fmt: skip
BINDING_CO2_INTENSITY_REDUCTION: Final = Figure(
    "binding_co2_intensity", "“十四五”单位GDP二氧化碳排放降低（演示约束性指标）", 0.18, "比率", "synthetic",
    "仿照全国“十四五”目标18%",
)  # fmt: skip
BINDING_NONFOSSIL_SHARE: Final = Figure(
    "binding_nonfossil_share", "“十四五”非化石能源占一次能源消费比例", 0.13, "比率", "public", _SRC_ECO_PLAN, "[V]",
)  # fmt: skip
#: Allocation of the energy and CO2 intensity reductions to the areas (细化分解, synthetic).
AREA_BINDING: Final[dict[str, tuple[float, float]]] = {
    "321002": (0.150, 0.190),
    "321003": (0.150, 0.190),
    "321012": (0.145, 0.185),
    "321023": (0.140, 0.180),
    "321081": (0.120, 0.160),
    "321084": (0.140, 0.180),
}

# --------------------------------------------------------------------------------------------
# Key enterprises and sector figures (synthetic unless noted)

KEY_ENTERPRISES_DEFAULT: Final = 100
KEY_UNIT_THRESHOLD_TCE: Final = Figure(
    "key_unit_threshold", "重点用能单位门槛", 5000.0, "吨标准煤", "plan", "计划 3（3）"
)
KEY_UNIT_UPPER_CLASS_TCE: Final = Figure(
    "key_unit_upper", "重点用能单位一类门槛", 10000.0, "吨标准煤", "public",
    "重点用能单位节能管理办法（2018）第二条", "[V]",
)  # fmt: skip

#: PTA benchmark/baseline levels [kgce/t]: not in the shipped factor set (left blank there);
#: the two candidate pairs in the reference notes, both unconfirmed [U]. The demo PTA units are
#: placed so that the 30 % target is met under either pair.
PTA_LEVEL_CANDIDATES: Final[tuple[tuple[float, float], ...]] = ((42.0, 67.0), (80.0, 180.0))
#: Caustic soda benchmark/baseline levels [kgce/t 折百], NDRC 2023 list as shipped (all [U]).
CAUSTIC_LEVELS: Final[dict[str, tuple[float, float]]] = {
    "离子膜法液碱≥30%": (315.0, 350.0),
    "离子膜法液碱≥45%": (420.0, 470.0),
    "离子膜法固碱≥98%": (620.0, 685.0),
}
#: Data-centre PUE limit for new and expanded centres (plan) and the GB 40879-2021 grades.
PUE_LIMIT_NEW: Final = Figure(
    "pue_limit", "新建及改扩建数据中心PUE上限", 1.2, "比值", "plan", "计划（三）2"
)

# --------------------------------------------------------------------------------------------
# Department-reported indicators (synthetic series; levels, with the year the plan compares to)

#: indicator code → (department code, unit of the level, {year: level}) — the series each
#: department reports; the plan's relative-change indicators are computed from these levels.
DEPARTMENT_LEVELS: Final[dict[str, tuple[str, str, dict[int, float]]]] = {
    "transport_carbon_intensity": (
        "transport", "kgCO2/百吨公里",
        {2020: 6.20, 2021: 6.14, 2022: 6.09, 2023: 6.01, 2024: 5.93, 2025: 5.853},
    ),
    "container_rail_water_volume": (
        "transport", "标箱",
        {2020: 46_000.0, 2021: 47_600.0, 2022: 48_900.0, 2023: 51_200.0, 2024: 53_100.0, 2025: 55_700.0},
    ),
    "pi_energy_per_area": (
        "government-offices", "kgce/m2",
        {2020: 16.80, 2021: 16.62, 2022: 16.31, 2023: 16.10, 2024: 15.88, 2025: 15.658},
    ),
    "pi_co2_per_area": (
        "government-offices", "kgCO2/m2",
        {2020: 38.50, 2021: 38.21, 2022: 37.74, 2023: 37.20, 2024: 36.66, 2025: 36.152},
    ),
    "pi_energy_per_capita": (
        "government-offices", "kgce/人",
        {2020: 312.0, 2021: 307.8, 2022: 302.1, 2023: 297.0, 2024: 292.2, 2025: 287.35},
    ),
}  # fmt: skip
#: indicator code → (department code, unit, {year: value}) for shares and amounts reported
#: directly (fractions for shares, m2 for areas, counts).
DEPARTMENT_VALUES: Final[dict[str, tuple[str, str, dict[int, float]]]] = {
    "existing_building_retrofit_area_m2": (
        "housing-construction", "m2",
        {2021: 620_000.0, 2022: 700_000.0, 2023: 810_000.0, 2024: 950_000.0, 2025: 1_120_000.0},
    ),
    "public_building_rooftop_pv_coverage": (
        "housing-construction", "fraction", {2022: 0.21, 2023: 0.28, 2024: 0.35, 2025: 0.41},
    ),
    "building_renewable_substitution": (
        "housing-construction", "fraction",
        {2020: 0.051, 2021: 0.058, 2022: 0.064, 2023: 0.071, 2024: 0.077, 2025: 0.083},
    ),
    "industrial_solid_waste_utilisation": (
        "industry-it", "fraction",
        {2020: 0.912, 2021: 0.918, 2022: 0.921, 2023: 0.927, 2024: 0.933, 2025: 0.938},
    ),
    "official_vehicle_nev_share": (
        "government-offices", "fraction", {2022: 0.58, 2023: 0.72, 2024: 0.86, 2025: 0.93},
    ),
    "key_unit_inspection_coverage": (
        "industry-it", "fraction", {2022: 0.31, 2023: 0.52, 2024: 0.78, 2025: 0.96},
    ),
    "energy_price_preference_count": (
        "development-reform", "个", {2021: 0.0, 2022: 0.0, 2023: 0.0, 2024: 0.0, 2025: 0.0},
    ),
}  # fmt: skip

#: Retrofit ledger: projects, savings and CO2 per year (2025 lags on savings and CO2).
RETROFIT_YEARS: Final[dict[int, tuple[int, float, float]]] = {
    2021: (84, 78_000.0, 206_000.0),
    2022: (91, 82_000.0, 215_000.0),
    2023: (97, 88_500.0, 232_000.0),
    2024: (103, 95_200.0, 249_000.0),
    2025: (108, 92_000.0, 241_000.0),
}


def figures() -> list[Figure]:
    """Every calibration figure that has a source or is a named demo choice (for the docs)."""
    out: list[Figure] = []
    out += GDP_CURRENT.values()
    out += GDP_REAL_GROWTH.values()
    for triple in SECTOR_VALUE_ADDED.values():
        out += triple
    out += POPULATION.values()
    out += AREA_GDP_PUBLIC.values()
    out += [
        PLAN_NONFOSSIL_SHARE,
        PLAN_NONFOSSIL_DEDUCTION_TCE,
        IMPLIED_TOTAL_ENERGY_2025_TCE,
        PLAN_COAL_SHARE,
        PLAN_POWER_COAL_SHARE,
        PLAN_GENERATION_COAL_RATE,
        PLAN_NONFOSSIL_GENERATION_SHARE,
        PLAN_RETROFIT_PROJECTS,
        PLAN_RETROFIT_SAVINGS_TCE,
        PLAN_RETROFIT_CO2_T,
        TOTAL_ENERGY_2020_TCE,
        BINDING_ENERGY_INTENSITY_REDUCTION,
        BINDING_CO2_INTENSITY_REDUCTION,
        BINDING_NONFOSSIL_SHARE,
        KEY_UNIT_THRESHOLD_TCE,
        KEY_UNIT_UPPER_CLASS_TCE,
        PUE_LIMIT_NEW,
    ]
    return out

"""The fixed vocabulary of plan files: indicator codes, units, comparison wording, numbering.

Everything here is data or a pure function over strings, so that the rules a plan file is
checked against are written down in one place (and repeated in ``docs/plan-format.md``).

References
----------
The comparison wording follows ordinary reading of Chinese government targets:
以上/不低于/达到 include the number; 超过/低于 exclude it; 下降至 means lower is better,
提升至 higher is better; 左右/约 make a target approximate; 力争 makes it aspirational.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Comparator = Literal[">=", ">", "<=", "<"]
Direction = Literal["higher_is_better", "lower_is_better"]
TargetKind = Literal["share", "ratio", "amount", "count", "relative_change", "comparison"]

COMPARATOR_LABELS: dict[str, str] = {
    ">=": "不低于（含本数）",
    ">": "高于（不含本数）",
    "<=": "不高于（含本数）",
    "<": "低于（不含本数）",
}
DIRECTION_LABELS: dict[str, str] = {
    "higher_is_better": "越高越好",
    "lower_is_better": "越低越好",
}
TARGET_KIND_LABELS: dict[str, str] = {
    "share": "占比（水平值）",
    "ratio": "比率或强度（水平值）",
    "amount": "数量（期内累计）",
    "count": "个数（期内累计）",
    "relative_change": "较基期变化率",
    "comparison": "与另一指标比较",
}
#: Kinds whose actual value accumulates over the period (序时进度 applies).
CUMULATIVE_KINDS = frozenset({"amount", "count"})


# -- units ------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitDef:
    """A unit as a plan writes it, and how it converts to the platform's canonical unit.

    ``value_canonical = value * factor``; e.g. 万吨标准煤 → tce with factor 10000.
    """

    name: str
    canonical: str
    factor: Decimal
    label: str = ""


_UNITS: tuple[UnitDef, ...] = (
    # Percentages become fractions inside the platform (docs/nomenclature.md: 0.2 = 20 %).
    UnitDef("%", "fraction", Decimal("0.01"), "百分比"),
    UnitDef("百分点", "fraction", Decimal("0.01"), "百分点"),
    UnitDef("吨标准煤", "tce", Decimal(1), "吨标准煤"),
    UnitDef("万吨标准煤", "tce", Decimal(10000), "万吨标准煤"),
    UnitDef("万吨标煤", "tce", Decimal(10000), "万吨标准煤"),
    UnitDef("吨", "t", Decimal(1), "吨"),
    UnitDef("万吨", "t", Decimal(10000), "万吨"),
    UnitDef("克标准煤/千瓦时", "gce/kWh", Decimal(1), "克标准煤/千瓦时"),
    UnitDef("平方米", "m2", Decimal(1), "平方米"),
    UnitDef("万平方米", "m2", Decimal(10000), "万平方米"),
    UnitDef("项", "项", Decimal(1), "项（个数）"),
    UnitDef("家", "家", Decimal(1), "家（单位个数）"),
    UnitDef("个", "个", Decimal(1), "个"),
    UnitDef("蒸吨/小时", "t/h", Decimal(1), "蒸吨/小时（锅炉额定蒸发量）"),
    UnitDef("比值", "ratio", Decimal(1), "无量纲比值"),
)
UNITS: dict[str, UnitDef] = {u.name: u for u in _UNITS}


# -- indicators ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorDef:
    """An indicator a target, rule or milestone is measured by.

    ``code`` is what evaluation maps to a computed indicator or a reported series;
    ``unit`` is the unit evaluation computes it in (canonical, see :data:`UNITS`):
    ``fraction`` for percentages and change rates (0.2 = 20 %, -0.05 = fell 5 %), ``ratio``
    for a dimensionless ratio (PUE), ``status`` for a per-entity yes/no or level record.
    """

    code: str
    label: str
    unit: str
    source: Literal["computed", "reported", "entered"] = "computed"
    description: str = ""


_INDICATORS: tuple[IndicatorDef, ...] = (
    IndicatorDef(
        "nonfossil_share",
        "非化石能源消费占比",
        "fraction",
        "computed",
        "非化石能源消费量 ÷ 能源消费总量（发电煤耗法折算一次电力）",
    ),
    IndicatorDef(
        "nonfossil_deduction_tce",
        "非化石能源消费扣减量（新口径）",
        "tce",
        "computed",
        "按单位GDP化石能源消费量（新口径）核算可从能耗中扣减的非化石能源消费量",
    ),
    IndicatorDef(
        "retrofit_savings_tce",
        "节能降碳改造形成的节能量",
        "tce",
        "computed",
        "期内完成的节能降碳改造项目节能量之和（GB/T 13234）",
    ),
    IndicatorDef(
        "retrofit_co2_reduction_t",
        "节能降碳改造减排二氧化碳量",
        "t",
        "computed",
        "期内完成的节能降碳改造项目二氧化碳减排量之和",
    ),
    IndicatorDef(
        "retrofit_project_count",
        "组织实施的绿色化改造项目数",
        "项",
        "computed",
        "期内组织实施的绿色化改造项目个数",
    ),
    IndicatorDef(
        "energy_intensity_change_new_basis",
        "单位GDP能耗较基期变化率（新口径）",
        "fraction",
        "computed",
        "扣除原料用能、非化石能源和单列能耗后的能耗除以不变价GDP，较基期的变化率（下降为负）",
    ),
    IndicatorDef(
        "co2_intensity_change",
        "单位GDP二氧化碳排放较基期变化率",
        "fraction",
        "computed",
        "二氧化碳排放量除以不变价GDP，较基期的变化率（下降为负）",
    ),
    IndicatorDef(
        "coal_share_primary",
        "煤炭占一次能源消费比重",
        "fraction",
        "computed",
        "煤炭消费量（标准量，含发电用煤）÷ 一次能源消费总量",
    ),
    IndicatorDef(
        "power_coal_share",
        "电煤占煤炭消费比重",
        "fraction",
        "computed",
        "发电（及供热）用煤 ÷ 煤炭消费总量",
    ),
    IndicatorDef(
        "generation_coal_rate",
        "综合发电煤耗（供电或发电煤耗，见计划设置）",
        "gce/kWh",
        "computed",
        "燃煤电厂标准煤耗用量 ÷ 供电量（或发电量）；口径由计划设置 generation_coal_rate_basis 决定",
    ),
    IndicatorDef(
        "nonfossil_generation_share",
        "非化石能源发电量占比",
        "fraction",
        "computed",
        "非化石能源发电量 ÷ 全部发电量（本地发电口径）",
    ),
    IndicatorDef(
        "steel_energy_per_tonne_change",
        "吨钢综合能耗较基期变化率",
        "fraction",
        "computed",
        "全市钢铁企业吨钢综合能耗较基期的变化率（下降为负）",
    ),
    IndicatorDef(
        "pta_benchmark_capacity_share",
        "PTA能效标杆水平以上产能占比",
        "fraction",
        "computed",
        "单位产品能耗不高于标杆值的PTA装置产能 ÷ PTA总产能",
    ),
    IndicatorDef(
        "caustic_soda_benchmark_capacity_share",
        "烧碱能效标杆水平以上产能占比",
        "fraction",
        "computed",
        "单位产品能耗不高于标杆值的烧碱装置产能（折百，分品种）÷ 烧碱总产能",
    ),
    IndicatorDef(
        "pta_below_baseline_capacity_t",
        "PTA能效基准水平以下产能",
        "t",
        "computed",
        "单位产品能耗劣于基准值的PTA装置年产能（吨/年）",
    ),
    IndicatorDef(
        "caustic_soda_below_baseline_capacity_t",
        "烧碱能效基准水平以下产能",
        "t",
        "computed",
        "单位产品能耗劣于基准值的烧碱装置年产能（折百吨/年）",
    ),
    IndicatorDef(
        "service_energy_growth",
        "服务业能耗增速",
        "fraction",
        "computed",
        "第三产业能源消费量同比增速",
    ),
    IndicatorDef(
        "service_value_added_growth",
        "服务业增加值增速",
        "fraction",
        "reported",
        "第三产业增加值（不变价）同比增速",
    ),
    IndicatorDef(
        "pue_new_dc",
        "新建及改扩建数据中心电能利用效率（PUE）",
        "ratio",
        "computed",
        "数据中心总耗电量 ÷ IT设备耗电量（年度），逐个数据中心评价",
    ),
    IndicatorDef(
        "dc_green_standard",
        "数据中心按国家绿色数据中心标准设计建设",
        "status",
        "reported",
        "逐个数据中心记录是否符合国家绿色数据中心标准",
    ),
    IndicatorDef(
        "existing_building_retrofit_area_m2",
        "既有建筑节能改造面积",
        "m2",
        "reported",
        "期内完成节能改造的既有建筑面积之和",
    ),
    IndicatorDef(
        "public_building_rooftop_pv_coverage",
        "新建公共机构建筑屋顶光伏覆盖率",
        "fraction",
        "reported",
        "已安装光伏的屋顶面积 ÷ 可安装屋顶面积",
    ),
    IndicatorDef(
        "building_renewable_substitution",
        "城镇建筑可再生能源替代率",
        "fraction",
        "reported",
        "城镇建筑可再生能源利用量 ÷ 城镇建筑能耗",
    ),
    IndicatorDef(
        "new_building_green_standard",
        "城镇新建民用建筑按绿色建筑标准设计建造",
        "status",
        "reported",
        "逐个项目记录是否按绿色建筑标准设计建造",
    ),
    IndicatorDef(
        "transport_carbon_intensity_change",
        "营运交通工具单位周转量碳排放强度较基期变化率",
        "fraction",
        "reported",
        "营运车船二氧化碳排放 ÷ 换算周转量，较基期的变化率（下降为负）",
    ),
    IndicatorDef(
        "container_rail_water_volume_change",
        "集装箱铁水联运量较基期变化率",
        "fraction",
        "reported",
        "集装箱铁水联运量（标箱）较基期的变化率",
    ),
    IndicatorDef(
        "pi_energy_per_area_change",
        "公共机构单位建筑面积能耗较基期变化率",
        "fraction",
        "reported",
        "公共机构能耗 ÷ 建筑面积，较基期的变化率（下降为负）",
    ),
    IndicatorDef(
        "pi_co2_per_area_change",
        "公共机构单位建筑面积碳排放较基期变化率",
        "fraction",
        "reported",
        "公共机构二氧化碳排放 ÷ 建筑面积，较基期的变化率（下降为负）",
    ),
    IndicatorDef(
        "pi_energy_per_capita_change",
        "公共机构人均综合能耗较基期变化率",
        "fraction",
        "reported",
        "公共机构能耗 ÷ 用能人数，较基期的变化率（下降为负）",
    ),
    IndicatorDef(
        "official_vehicle_nev_share",
        "党政机关新增公务用车中新能源车占比",
        "fraction",
        "reported",
        "期内新增公务用车中新能源车辆数 ÷ 新增公务用车数（特殊情况除外）",
    ),
    IndicatorDef(
        "industrial_solid_waste_utilisation",
        "一般工业固体废物综合利用率",
        "fraction",
        "reported",
        "综合利用量 ÷（产生量 + 综合利用往年贮存量）",
    ),
    IndicatorDef(
        "key_units_guided_count",
        "纳入指导推动的重点用能企业数",
        "家",
        "computed",
        "年综合能耗达到门槛的重点用能企业个数",
    ),
    IndicatorDef(
        "key_unit_inspection_coverage",
        "重点用能单位节能监察覆盖率",
        "fraction",
        "reported",
        "已开展节能监察的重点用能单位数 ÷ 重点用能单位总数",
    ),
    IndicatorDef(
        "project_nonfossil_share",
        "项目非化石能源消费比例",
        "fraction",
        "reported",
        "逐个项目：非化石能源消费量 ÷ 项目能源消费量",
    ),
    IndicatorDef(
        "project_efficiency_level",
        "项目能效水平（标杆/基准）",
        "status",
        "reported",
        "逐个项目记录其单位产品能耗达到的能效水平",
    ),
    IndicatorDef(
        "project_environmental_grade",
        "项目环保绩效等级",
        "status",
        "reported",
        "逐个项目记录其环保绩效分级（A/B/C/D）",
    ),
    IndicatorDef(
        "project_coal_replacement",
        "耗煤项目煤炭替代来源落实情况",
        "status",
        "reported",
        "逐个项目记录煤炭等量或减量替代来源是否落实",
    ),
    IndicatorDef(
        "project_carbon_evaluation",
        "项目节能审查中的碳排放评价",
        "status",
        "reported",
        "逐个项目记录节能审查是否包含碳排放评价",
    ),
    IndicatorDef(
        "key_unit_energy_budget",
        "重点用能企业能耗预算管理",
        "status",
        "reported",
        "逐个企业记录是否实行能耗预算管理",
    ),
    IndicatorDef(
        "key_unit_monthly_reporting",
        "重点用能单位按月报送能耗碳排放数据",
        "status",
        "reported",
        "逐个单位记录每月是否按时报入全省碳排放监测系统",
    ),
    IndicatorDef(
        "boiler_retrofit_status",
        "燃煤锅炉节能和超低排放改造完成情况",
        "status",
        "reported",
        "逐台锅炉记录改造是否完成",
    ),
    IndicatorDef(
        "boiler_rated_capacity",
        "锅炉额定蒸发量",
        "t/h",
        "reported",
        "逐台锅炉的额定蒸发量（蒸吨/小时），用于判断是否属于改造范围",
    ),
    IndicatorDef(
        "steel_ultra_low_emission_status",
        "钢铁企业超低排放改造完成情况",
        "status",
        "reported",
        "逐个钢铁企业记录超低排放改造是否完成",
    ),
    IndicatorDef(
        "unit_closure_status",
        "燃煤机组或锅炉关停退出情况",
        "status",
        "reported",
        "逐台机组或锅炉记录是否已关停退出",
    ),
    IndicatorDef(
        "unit_construction_status",
        "机组建设进展",
        "status",
        "reported",
        "逐个项目记录建设进展（开工、投产）",
    ),
    IndicatorDef(
        "energy_price_preference_count",
        "对高耗能高排放行业实施的水电气价格优惠政策数",
        "个",
        "reported",
        "应为零：现行对两高行业的水电气价格优惠政策个数",
    ),
)
INDICATORS: dict[str, IndicatorDef] = {i.code: i for i in _INDICATORS}


# -- comparison wording --------------------------------------------------------------------


@dataclass(frozen=True)
class WordingReading:
    """What the words of a target say about its comparison.

    ``comparator`` is set when the words fix it completely (超过 → ``>``); ``inclusive`` when
    they only say the number itself counts (达到 → ``>=`` or ``<=`` by direction);
    ``direction`` when the words say which way is better (下降至 → lower).
    ``change`` is ``"decrease"``/``"increase"`` for a relative change (下降5%, 增长16%).
    """

    comparator: str | None = None
    inclusive: bool | None = None
    direction: str | None = None
    change: str | None = None
    approximate: bool = False
    aspirational: bool = False
    keywords: tuple[str, ...] = ()


# Ordered: longer phrases first, and each match removes its words so that "不低于" is not read
# again as "低于".
_WORDING_RULES: tuple[tuple[str, dict[str, str | bool]], ...] = (
    ("不得低于", {"comparator": ">="}),
    ("不低于", {"comparator": ">="}),
    ("不少于", {"comparator": ">="}),
    ("不得高于", {"comparator": "<="}),
    ("不高于", {"comparator": "<="}),
    ("不超过", {"comparator": "<="}),
    ("不大于", {"comparator": "<="}),
    ("下降至", {"direction": "lower_is_better", "comparator": "<="}),
    ("降低至", {"direction": "lower_is_better", "comparator": "<="}),
    ("降至", {"direction": "lower_is_better", "comparator": "<="}),
    ("控制在", {"direction": "lower_is_better", "comparator": "<="}),
    ("提升至", {"direction": "higher_is_better", "comparator": ">="}),
    ("提高至", {"direction": "higher_is_better", "comparator": ">="}),
    ("增长至", {"direction": "higher_is_better", "comparator": ">="}),
    ("超过", {"comparator": ">"}),
    ("高于", {"comparator": ">"}),
    ("大于", {"comparator": ">"}),
    ("低于", {"comparator": "<"}),
    ("少于", {"comparator": "<"}),
    ("小于", {"comparator": "<"}),
    ("以上", {"comparator": ">="}),
    ("以下", {"comparator": "<="}),
    ("达到", {"inclusive": True}),
    ("实现", {"inclusive": True}),
    ("达", {"inclusive": True}),
    ("下降", {"change": "decrease"}),
    ("降低", {"change": "decrease"}),
    ("减少", {"change": "decrease"}),
    ("增长", {"change": "increase"}),
    ("提高", {"change": "increase"}),
    ("提升", {"change": "increase"}),
    ("左右", {"approximate": True}),
    ("约束", {}),  # 约束性指标 (binding target) is not 约 (about)
    ("约", {"approximate": True}),
    ("力争", {"aspirational": True}),
)


def read_wording(words: str) -> WordingReading:
    """Read the comparison that ``words`` (e.g. ``"下降至50%左右"``) state.

    Parameters
    ----------
    words : str
        The exact words of the plan that state one target's comparison.

    Returns
    -------
    WordingReading
        What the words fix; fields the words say nothing about stay ``None``.
    """
    rest = words
    found: dict[str, str | bool] = {}
    keywords: list[str] = []
    for phrase, meaning in _WORDING_RULES:
        if phrase in rest:
            keywords.append(phrase)
            rest = rest.replace(phrase, "\0")
            for key, value in meaning.items():
                # The first (longest, most specific) phrase wins for each field.
                found.setdefault(key, value)
    comparator = found.get("comparator")
    direction = found.get("direction")
    change = found.get("change")
    return WordingReading(
        comparator=str(comparator) if comparator else None,
        inclusive=True if found.get("inclusive") else None,
        direction=str(direction) if direction else None,
        change=str(change) if change else None,
        approximate=bool(found.get("approximate", False)),
        aspirational=bool(found.get("aspirational", False)),
        keywords=tuple(keywords),
    )


def expected_comparator(reading: WordingReading, direction: str) -> str | None:
    """The comparator the words imply for a target of ``direction`` (``None``: not stated).

    A relative change is stored signed (下降5% → -5). "以上"/"超过" then speak of the size of
    the decrease, so for a decrease they turn round: 下降3%以上 → change ``<= -3``.
    """
    flip = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}
    if reading.change == "decrease":
        return flip[reading.comparator] if reading.comparator else "<="
    if reading.change == "increase":
        return reading.comparator or ">="
    if reading.comparator is not None:
        return reading.comparator
    if reading.inclusive:
        # 达到/实现 include the number; which side is good depends on the direction.
        return ">=" if direction == "higher_is_better" else "<="
    return None


# -- numbers in text --------------------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def numbers_in(text: str) -> set[Decimal]:
    """All decimal numbers written in ``text`` (``"下降至50%左右"`` → ``{50}``)."""
    return {Decimal(m.group(0)) for m in _NUMBER.finditer(text)}


def format_number(value: Decimal) -> str:
    """``Decimal("550.0")`` → ``"550"``; ``Decimal("1.20")`` → ``"1.2"`` (no exponent)."""
    text = format(value.normalize(), "f")
    return text


# -- section numbering -------------------------------------------------------------------------

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_LABEL = re.compile(r"^[（(]?\s*([0-9]+|[一二三四五六七八九十]+)\s*[）)]?\s*[、.．]?\s*$")


def chinese_numeral(text: str) -> int | None:
    """``"三"`` → 3, ``"十二"`` → 12; ``None`` if not a numeral from 1 to 99."""
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS[text] if len(text) == 1 else None
    tens, _, units = text.partition("十")
    if "十" in units or len(tens) > 1 or len(units) > 1:
        return None
    value = (_CN_DIGITS[tens] if tens else 1) * 10
    return value + (_CN_DIGITS[units] if units else 0)


def label_number(label: str) -> int | None:
    """The number a printed label denotes: ``"（三）"`` → 3, ``"1、"`` → 1, ``"（2）"`` → 2.

    Government documents mix numbering styles (the Yangzhou text uses "1、", "（1）",
    "（三）" and "1." side by side); this reads all of them. ``None`` for an empty or
    unreadable label.
    """
    match = _LABEL.match(label.strip())
    if not match:
        return None
    token = match.group(1)
    if token.isdigit():
        return int(token)
    return chinese_numeral(token)


DEADLINE_PATTERN = r"^\d{4}年(底)?$"


def deadline_year(deadline: str) -> int:
    """``"2025年底"`` → 2025."""
    return int(deadline[:4])


COMPARATOR_SYMBOLS: dict[str, str] = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def requirement_phrase(
    comparator: str,
    value: Decimal | None,
    unit: str,
    *,
    approximate: bool = False,
    aspirational: bool = False,
    compare_to_label: str | None = None,
    relative_change: bool = False,
) -> str:
    """A short Chinese statement of a requirement: ``"≥ 20%（左右）"``, ``"< 1.2"``.

    A target without a value reads ``"≥ 未设定 万平方米"``; a comparison with another
    indicator reads ``"≤ 服务业增加值增速"``; a relative change reads by its size:
    ``-5`` with ``<=`` → ``"降幅 ≥ 5%"``.
    """
    symbol = COMPARATOR_SYMBOLS.get(comparator, comparator)
    if relative_change and value is not None and value != 0:
        flip = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}
        word = "降幅" if value < 0 else "增幅"
        symbol = COMPARATOR_SYMBOLS[flip[comparator]] if value < 0 else symbol
        suffix = unit if unit == "%" else f" {unit}"
        body = f"{word} {symbol} {format_number(abs(value))}{suffix}"
        flags = [f for f, on in (("左右", approximate), ("力争", aspirational)) if on]
        return body + (f"（{'，'.join(flags)}）" if flags else "")
    if compare_to_label is not None:
        body = f"{symbol} {compare_to_label}"
    elif value is None:
        body = f"{symbol} 未设定{(' ' + unit) if unit else ''}"
    else:
        sep = "" if unit == "%" or not unit or unit == "比值" else " "
        body = f"{symbol} {format_number(value)}{sep}{'' if unit == '比值' else unit}"
    flags = [f for f, on in (("左右", approximate), ("力争", aspirational)) if on]
    return body + (f"（{'，'.join(flags)}）" if flags else "")

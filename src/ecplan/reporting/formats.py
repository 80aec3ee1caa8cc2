"""The file formats of the reports: sheets, columns, Chinese headers with units, aliases.

One definition serves the templates (:mod:`ecplan.reporting.workbooks`), the reader
(:mod:`ecplan.reporting.importing`) and the exports, so a downloaded template, an export and
an upload always agree. ``docs/excel.md`` documents the same tables for people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from ecplan.tabular import Field, TemplateColumn
from ecplan.tabular.writing import ColumnKind

__all__ = ["FORMATS", "REPORT_TYPE_LABELS", "Column", "SheetFormat"]


@dataclass(frozen=True)
class Column:
    """One column: reader field and template column in one.

    ``unit`` is the default unit shown in the header (``发电量（万千瓦时）``); for measures whose
    unit may change (installation and electricity figures) the unit in the uploaded header
    is read and used.
    """

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    unit: str | None = None
    kind: ColumnKind = "text"
    required: bool = False
    help: str = ""
    width: float | None = None

    def field(self) -> Field:
        return Field(self.key, self.label, self.aliases, required=self.required)

    def template(self, choices: tuple[str, ...] | None = None) -> TemplateColumn:
        return TemplateColumn(
            self.key,
            self.label,
            unit=self.unit,
            kind=self.kind,
            required=self.required,
            choices=choices,
            min_value=0 if self.kind in ("number", "integer") else None,
            help=self.help or None,
            width=self.width,
        )


@dataclass(frozen=True)
class SheetFormat:
    """One sheet of a report type's workbook."""

    name: str
    section: str
    columns: tuple[Column, ...]
    title: str = ""
    aliases: tuple[str, ...] = ()
    value_keys: tuple[str, ...] = field(default=())

    def fields(self) -> list[Field]:
        return [c.field() for c in self.columns]

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)


_CODE = Column(
    "credit_code",
    "统一社会信用代码",
    ("信用代码", "社会信用代码", "企业代码", "主体", "entity", "credit_code"),
    kind="code",
    required=True,
    help="18 位统一社会信用代码（模板已预填本单位的企业）。",
    width=22,
)
_NAME = Column(
    "enterprise_name",
    "企业名称",
    ("单位名称", "名称", "enterprise"),
    width=24,
    help="须与信用代码登记的名称一致。",
)
_MONTH = Column(
    "period",
    "期间",
    ("月份", "报告期", "统计期", "period", "年月"),
    kind="period",
    required=True,
    help="年-月，如 2025-03。",
    width=10,
)
_REMARK = Column("remark", "备注", ("说明", "remark", "note"), width=20)

ENERGY_SHEET = SheetFormat(
    "能源消费",
    "energy",
    (
        _CODE,
        _NAME,
        _MONTH,
        Column(
            "carrier",
            "能源品种",
            ("品种", "能源名称", "carrier"),
            required=True,
            width=16,
            help="从下拉列表选择；原煤请尽量按无烟煤、烟煤、褐煤分别填报（计算排放需要）。",
        ),
        Column(
            "unit",
            "计量单位",
            ("单位", "unit"),
            required=True,
            width=12,
            help="如 吨、万立方米、万千瓦时、吉焦；同一品种的各项数量均按此单位。",
        ),
        Column("purchased", "购进量", ("购入量", "purchased"), kind="number"),
        Column(
            "consumed",
            "消费量",
            ("消费量合计", "消耗量", "consumed", "consumption"),
            kind="number",
            help="本月消费量合计（含原料用能和发电供热投入）。",
        ),
        Column(
            "feedstock",
            "其中：原料用能",
            ("原料用能", "用作原料", "feedstock"),
            kind="number",
            help="用作原料、材料的部分（煤、油、气及其制品），是消费量的一部分。",
        ),
        Column(
            "power_heat",
            "其中：发电供热投入",
            ("发电供热投入", "用于发电供热", "power_heat"),
            kind="number",
            help="自备电厂、锅炉发电供热投入的部分，是消费量的一部分。",
        ),
        Column(
            "supplied_out",
            "外供量",
            ("输出量", "外销量", "supplied_out", "exported"),
            kind="number",
            help="供给本企业以外的量（如余热蒸汽、余电上网）。",
        ),
        Column("closing_stock", "期末库存", ("库存", "closing_stock"), kind="number"),
        Column(
            "lcv",
            "实测低位发热量",
            ("低位发热量", "lcv"),
            unit="千焦/千克或千焦/立方米",
            kind="number",
            help="煤泥、转炉煤气、沼气等没有默认折标系数的品种须填写；固体、液体按千焦/千克，气体按千焦/立方米。",
        ),
        _REMARK,
    ),
    title="重点用能企业能源购进、消费与库存（月报）",
    value_keys=(
        "purchased",
        "consumed",
        "feedstock",
        "power_heat",
        "supplied_out",
        "closing_stock",
        "lcv",
    ),
)

#: The long form of ``ecplan calc energy``: entity, period, carrier, quantity, unit, use.
LONG_SHEET = SheetFormat(
    "能源消费（长表）",
    "energy",
    (
        Column(
            "credit_code",
            "主体",
            ("统一社会信用代码", "entity", "信用代码"),
            kind="code",
            required=True,
        ),
        Column("period", "期间", ("period", "月份"), kind="period", required=True),
        Column("carrier", "能源品种", ("carrier", "品种"), required=True),
        Column("quantity", "数量", ("quantity", "消费量"), kind="number", required=True),
        Column("unit", "单位", ("unit", "计量单位"), required=True),
        Column(
            "use",
            "用途",
            ("use",),
            help="燃料 / 原料 / 发电供热 / 非能源（英文 fuel / "
            "feedstock / power_generation / non_energy）；空为燃料。",
        ),
    ),
    value_keys=("quantity",),
)

OUTPUT_SHEET = SheetFormat(
    "产品产量",
    "outputs",
    (
        _CODE,
        _NAME,
        _MONTH,
        Column(
            "product",
            "产品",
            ("产品名称", "product"),
            required=True,
            width=24,
            help="PTA、烧碱（分品种，折百）、粗钢按下拉列表填写；其他产品填写名称。",
        ),
        Column(
            "installation",
            "装置编号",
            ("装置", "installation"),
            width=12,
            help="由哪套装置生产（可空）。",
        ),
        Column("quantity", "产量", ("quantity", "产品产量"), kind="number", required=True),
        Column(
            "unit",
            "计量单位",
            ("单位", "unit"),
            required=True,
            width=10,
            help="吨或万吨；烧碱按折百吨。",
        ),
        _REMARK,
    ),
    title="主要产品产量（月报）",
    value_keys=("quantity",),
)

#: measure key → (label, default unit, aliases)
INSTALLATION_COLUMNS: Final[tuple[tuple[str, str, str, tuple[str, ...]], ...]] = (
    ("output_t", "产量", "吨", ("装置产量",)),
    ("energy_tce", "综合能耗", "吨标准煤", ("装置综合能耗", "能耗")),
    ("electricity_total_kwh", "总耗电量", "万千瓦时", ("数据中心总耗电量", "总用电量")),
    ("electricity_it_kwh", "IT设备耗电量", "万千瓦时", ("IT耗电量", "IT设备用电量")),
    ("generation_kwh", "发电量", "万千瓦时", ()),
    ("station_use_kwh", "厂用电量", "万千瓦时", ("厂用电",)),
    ("heat_supplied_gj", "供热量", "吉焦", ("对外供热量",)),
    ("coal_t", "耗煤量", "吨", ("耗原煤量", "燃煤量")),
    ("standard_coal_tce", "耗用标准煤量", "吨标准煤", ("标煤耗用量", "耗标煤量")),
    (
        "heat_standard_coal_tce",
        "其中：供热耗用标准煤量",
        "吨标准煤",
        ("供热耗用标准煤量", "供热耗标煤"),
    ),
    ("operating_hours_h", "运行小时", "小时", ("运行时间",)),
)

INSTALLATION_SHEET = SheetFormat(
    "装置运行",
    "installations",
    (
        _CODE,
        _NAME,
        _MONTH,
        Column("installation", "装置编号", ("装置", "installation"), required=True, width=12),
        Column(
            "installation_name",
            "装置名称",
            ("installation_name",),
            width=18,
            help="仅供识别，以装置编号为准。",
        ),
        Column(
            "installation_kind",
            "装置类型",
            ("installation_kind",),
            width=12,
            help="仅供识别：生产装置、数据中心、电厂、发电机组、锅炉。",
        ),
        *(
            Column(
                key,
                label,
                aliases,
                unit=unit,
                kind="number",
                help="表头括号中的单位可以改为同类单位（如 千瓦时），按表头单位换算。",
            )
            for key, label, unit, aliases in INSTALLATION_COLUMNS
        ),
        _REMARK,
    ),
    title="重点装置运行情况（月报）：产量与能耗、数据中心电量、电厂发电供热与耗煤",
    value_keys=tuple(k for k, *_ in INSTALLATION_COLUMNS),
)

ELECTRICITY_SHEET = SheetFormat(
    "自发电与绿电",
    "electricity",
    (
        _CODE,
        _NAME,
        _MONTH,
        Column("self_generated", "自发电量", ("自备电厂发电量",), unit="万千瓦时", kind="number"),
        Column(
            "self_generated_renewable",
            "其中：可再生能源发电量",
            ("可再生能源发电量", "光伏发电量"),
            unit="万千瓦时",
            kind="number",
        ),
        Column(
            "green_electricity",
            "购入绿色电力",
            ("绿电交易电量", "绿电"),
            unit="万千瓦时",
            kind="number",
        ),
        Column(
            "green_certificates",
            "绿证",
            ("绿证数量", "绿色电力证书"),
            unit="张",
            kind="number",
            help="本月使用（核销）的绿色电力证书张数，1 张 = 1000 千瓦时。",
        ),
        _REMARK,
    ),
    title="自发电、绿色电力与绿证（月报）",
    value_keys=(
        "self_generated",
        "self_generated_renewable",
        "green_electricity",
        "green_certificates",
    ),
)

STATISTICS_SHEET = SheetFormat(
    "统计数据",
    "statistics",
    (
        Column(
            "area",
            "地区",
            ("统计地区", "area"),
            required=True,
            width=12,
            help="全市或县级地区的名称或行政区划代码；功能区并入所在县级地区。",
        ),
        Column(
            "period",
            "期间",
            ("period", "统计期"),
            kind="text",
            required=True,
            width=10,
            help="季度写 2025-Q1（1 月至该季度末累计），年度写 2025。",
        ),
        Column("item", "指标", ("统计指标", "item"), required=True, width=26),
        Column(
            "breakdown",
            "分项",
            ("能源品种", "电源", "产业", "breakdown"),
            width=16,
            help="按品种、电源或产业分项的指标须填写；合计数留空。",
        ),
        Column("subject", "项目", ("项目名称", "subject"), width=20, help="能耗单列项目的名称。"),
        Column("value", "数值", ("value", "数据"), kind="number", required=True),
        Column("unit", "计量单位", ("单位", "unit"), width=12),
        _REMARK,
    ),
    title="全市及县级地区统计数据（能源平衡、电力、GDP 与增加值）",
    value_keys=("value",),
)

INDICATOR_SHEET = SheetFormat(
    "指标值",
    "indicators",
    (
        Column("organisation", "填报部门", ("部门", "organisation"), required=True, width=14),
        Column(
            "period",
            "期间",
            ("period",),
            kind="text",
            required=True,
            width=10,
            help="按指标的填报频次：月 2025-03、季度 2025-Q1、年 2025。",
        ),
        Column("indicator", "指标代码", ("指标", "indicator"), required=True, width=30),
        Column(
            "indicator_name",
            "指标名称",
            ("indicator_name",),
            width=30,
            help="仅供识别，以指标代码为准。",
        ),
        Column(
            "subject",
            "对象",
            ("项目", "设施", "subject"),
            width=18,
            help="逐个项目或设施填报的指标填写对象名称。",
        ),
        Column("value", "数值", ("value",), kind="number"),
        Column("unit", "单位", ("计量单位", "unit"), width=10),
        Column(
            "text_value",
            "文字值",
            ("是否", "等级", "text_value"),
            width=12,
            help="是否类指标填“是”或“否”，等级类填等级（如 A 级）。",
        ),
        Column("comment", "说明", ("备注", "comment"), width=30),
    ),
    title="部门指标填报",
    value_keys=("value", "text_value"),
)

ENTERPRISE_SHEET = SheetFormat(
    "企业",
    "enterprises",
    (
        Column(
            "credit_code",
            "统一社会信用代码",
            ("信用代码", "credit_code"),
            kind="code",
            required=True,
            width=22,
        ),
        Column("name", "企业名称", ("名称", "name"), required=True, width=28),
        Column(
            "area", "所在县级地区", ("县级地区", "地区", "区县", "area"), required=True, width=12
        ),
        Column("zone", "所在功能区", ("功能区", "zone"), width=18),
        Column(
            "industry_code",
            "行业代码（GB/T 4754）",
            ("行业代码", "industry_code"),
            kind="code",
            width=12,
        ),
        Column("key_unit_class", "重点用能单位类别", ("类别", "key_unit_class"), width=26),
        Column(
            "budget_managed",
            "实行能耗预算管理",
            ("能耗预算管理", "budget_managed"),
            kind="bool",
            width=10,
        ),
    ),
    title="重点用能企业名录",
)

INSTALLATION_REGISTRY_SHEET = SheetFormat(
    "装置",
    "installations",
    (
        Column(
            "credit_code",
            "统一社会信用代码",
            ("信用代码", "credit_code"),
            kind="code",
            required=True,
            width=22,
        ),
        Column("code", "装置编号", ("编号", "code"), required=True, width=12),
        Column("name", "装置名称", ("名称", "name"), width=20),
        Column("kind", "装置类型", ("类型", "kind"), required=True, width=12),
        Column("product", "产品", ("product",), width=16),
        Column("variant", "品种或工艺", ("品种", "工艺", "variant"), width=18),
        Column(
            "capacity_t_per_a",
            "设计产能",
            ("产能", "capacity_t_per_a"),
            unit="吨/年",
            kind="number",
            help="烧碱按折百吨计。",
        ),
        Column(
            "it_capacity_kw",
            "IT设备设计容量",
            ("IT容量", "it_capacity_kw"),
            unit="千瓦",
            kind="number",
        ),
        Column("dc_status", "数据中心建设性质", ("建设性质", "dc_status"), width=12),
        Column("plant_type", "电厂类型", ("plant_type",), width=12),
        Column("capacity_mw", "装机容量", ("capacity_mw",), unit="兆瓦", kind="number"),
        Column(
            "evaporation_t_per_h",
            "额定蒸发量",
            ("蒸吨", "evaporation_t_per_h"),
            unit="蒸吨/小时",
            kind="number",
        ),
        Column("fuel", "燃料或能源", ("燃料", "fuel"), width=10),
        Column("parent", "所属电厂编号", ("所属电厂", "parent"), width=12),
        Column("commissioned_on", "投产日期", ("投产时间", "commissioned_on"), kind="date"),
        Column("closed_on", "关停日期", ("关停时间", "closed_on"), kind="date"),
        Column("notes", "备注", ("notes",), width=20),
    ),
    title="用能装置名录",
)

FORMATS: Final[dict[str, tuple[SheetFormat, ...]]] = {
    "energy": (ENERGY_SHEET, OUTPUT_SHEET, INSTALLATION_SHEET, ELECTRICITY_SHEET),
    "statistics": (STATISTICS_SHEET,),
    "indicator": (INDICATOR_SHEET,),
    "enterprises": (ENTERPRISE_SHEET, INSTALLATION_REGISTRY_SHEET),
}
REPORT_TYPE_LABELS: Final[dict[str, str]] = {
    "energy": "企业能源月报",
    "statistics": "统计数据",
    "indicator": "部门指标",
    "enterprises": "企业与装置名录",
}

#: ``用途`` of the long form → which measures of the energy line it adds to
USES: Final[dict[str, tuple[str, ...]]] = {
    "fuel": ("consumed",),
    "燃料": ("consumed",),
    "燃料动力": ("consumed",),
    "": ("consumed",),
    "feedstock": ("consumed", "feedstock"),
    "原料": ("consumed", "feedstock"),
    "原料用能": ("consumed", "feedstock"),
    "non_energy": ("consumed", "feedstock"),
    "非能源": ("consumed", "feedstock"),
    "非能源利用": ("consumed", "feedstock"),
    "power_generation": ("consumed", "power_heat"),
    "发电供热": ("consumed", "power_heat"),
    "发电": ("consumed", "power_heat"),
    "供热": ("consumed", "power_heat"),
}

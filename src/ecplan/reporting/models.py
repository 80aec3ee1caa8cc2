"""Reports as revisions, their data lines, versioned accounting results and imports.

Storage model (``docs/data-collection.md`` has the full picture):

* A :class:`Report` is one reporting obligation: a report type, an owner (an enterprise for the
  monthly energy report, an organisation for department indicators and for statistics, which
  also name the area they describe) and a period (``2025-03``, ``2025-Q1``, ``2025``).
* A report has numbered :class:`Revision` rows. A revision holds the data lines and a state —
  草稿 draft, 已提交 submitted, 已审核 approved, 退回 returned. Only a draft may be edited in
  place; a change to data that was submitted, approved or returned is a new revision, so
  nothing anyone saw or approved is ever overwritten. ``Report.version`` is the optimistic-lock
  counter: every write to a report or its revisions increments it.
* Lines belong to a revision: :class:`EnergyLine` (per carrier), :class:`OutputLine` (per
  product or installation), :class:`InstallationLine` (measurements of one installation),
  :class:`ElectricityFacts` (self-generation, green power), :class:`StatisticLine` and
  :class:`IndicatorValue`. Values are kept as entered (number and unit text) and in the
  canonical unit of their dimension.
* :class:`EnergyResult` rows are versioned accounting results of one energy revision
  (tce on both bases, CO2, the factor sets used); a :class:`Restatement` adds a new version,
  it never rewrites an old one.
* :class:`ImportBatch` records every import: who, when, the file (kept) and what it changed.

Which revision counts: :meth:`RevisionQuerySet.approved` (latest approved per report) and
:meth:`RevisionQuerySet.effective` (approved, or with ``preview=True`` the latest submitted or
approved, marked as preview). Evaluation reads data only through these.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from ecplan.organisations.models import Area, Enterprise, Installation, Organisation
from ecplan.reporting.periods import Period


class ReportType(models.TextChoices):
    ENERGY = "energy", "企业能源月报"
    STATISTICS = "statistics", "统计数据"
    INDICATOR = "indicator", "部门指标"


class PeriodKind(models.TextChoices):
    MONTH = "month", "月"
    QUARTER = "quarter", "季度"
    YEAR = "year", "年"


class State(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "退回"


#: States whose data may no longer change in place: a change makes a new revision.
LOCKED_STATES = frozenset({State.SUBMITTED, State.APPROVED, State.RETURNED})


class Channel(models.TextChoices):
    FORM = "form", "网页填报"
    IMPORT = "import", "文件导入"
    API = "api", "程序接口"


# -- reports and revisions ----------------------------------------------------------------


class ReportQuerySet(models.QuerySet["Report"]):
    def of_type(self, report_type: str) -> ReportQuerySet:
        return self.filter(report_type=report_type)

    def for_period(self, period: Period | str) -> ReportQuerySet:
        return self.filter(period=str(period))

    def within(self, start: Period, end: Period) -> ReportQuerySet:
        """Reports whose period lies between the start of ``start`` and the end of ``end``."""
        return self.filter(period_start__gte=start.start, period_end__lte=end.end)


class Report(models.Model):
    """One reporting obligation: type × owner × period. Its data live in revisions."""

    report_type = models.CharField("报表类型", max_length=20, choices=ReportType.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="企业",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="填报部门",
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="统计地区",
        help_text="统计数据所描述的地区（全市或县级地区）",
    )
    period = models.CharField("期间", max_length=10, help_text="2025-03、2025-Q1 或 2025")
    period_kind = models.CharField("期间类型", max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField("期间起")
    period_end = models.DateField("期间止")
    year = models.PositiveSmallIntegerField("年份")
    version = models.PositiveIntegerField(
        "版本计数", default=0, help_text="每次写入递增，用于防止并发覆盖（乐观锁）"
    )
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "报表"
        verbose_name_plural = "报表"
        ordering = ["report_type", "-period_start", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "period"],
                condition=Q(report_type="energy"),
                name="report_unique_energy",
            ),
            models.UniqueConstraint(
                fields=["area", "period"],
                condition=Q(report_type="statistics"),
                name="report_unique_statistics",
            ),
            models.UniqueConstraint(
                fields=["organisation", "period"],
                condition=Q(report_type="indicator"),
                name="report_unique_indicator",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        report_type="energy",
                        enterprise__isnull=False,
                        organisation__isnull=True,
                        area__isnull=True,
                        period_kind="month",
                    )
                    | Q(
                        report_type="statistics",
                        enterprise__isnull=True,
                        organisation__isnull=False,
                        area__isnull=False,
                    )
                    | Q(
                        report_type="indicator",
                        enterprise__isnull=True,
                        organisation__isnull=False,
                        area__isnull=True,
                    )
                ),
                name="report_owner_fits_type",
            ),
        ]
        indexes = [models.Index(fields=["report_type", "period_start"])]

    def __str__(self) -> str:
        return f"{self.get_report_type_display()} {self.owner_label} {self.period_label}"

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def period_label(self) -> str:
        return self.period_obj.label

    @property
    def owner(self) -> Enterprise | Organisation:
        owner = self.enterprise if self.report_type == ReportType.ENERGY else self.organisation
        assert owner is not None
        return owner

    @property
    def owner_label(self) -> str:
        if self.report_type == ReportType.STATISTICS and self.area is not None:
            return f"{self.area.name}（{self.organisation}）"
        return str(self.enterprise or self.organisation or "")


class RevisionQuerySet(models.QuerySet["Revision"]):
    """Which revisions count, in domain words."""

    def approved(self) -> RevisionQuerySet:
        """The latest approved revision of each report (older approved ones are superseded)."""
        later = Revision.objects.filter(
            report=OuterRef("report"), state=State.APPROVED, number__gt=OuterRef("number")
        )
        return self.filter(state=State.APPROVED).filter(~Exists(later))

    def effective(self, preview: bool = False) -> RevisionQuerySet:
        """The revision of each report that evaluations use.

        ``preview=False``: the latest approved revision. ``preview=True``: the latest revision
        that is submitted or approved — submitted data shown before review, which callers must
        mark as preview; the annotation ``is_preview`` is true for those rows.
        """
        if not preview:
            return self.approved().annotate(is_preview=models.Value(False))
        counted = (State.SUBMITTED, State.APPROVED)
        later = Revision.objects.filter(
            report=OuterRef("report"), state__in=counted, number__gt=OuterRef("number")
        )
        return (
            self.filter(state__in=counted)
            .filter(~Exists(later))
            .annotate(
                is_preview=models.Case(
                    models.When(state=State.APPROVED, then=models.Value(False)),
                    default=models.Value(True),
                    output_field=models.BooleanField(),
                )
            )
        )

    def newest(self) -> RevisionQuerySet:
        """The newest revision of each report, whatever its state."""
        later = Revision.objects.filter(report=OuterRef("report"), number__gt=OuterRef("number"))
        return self.filter(~Exists(later))

    def of_type(self, report_type: str) -> RevisionQuerySet:
        return self.filter(report__report_type=report_type)

    def for_period(self, period: Period | str) -> RevisionQuerySet:
        return self.filter(report__period=str(period))

    def within(self, start: Period, end: Period) -> RevisionQuerySet:
        return self.filter(report__period_start__gte=start.start, report__period_end__lte=end.end)


class Revision(models.Model):
    """A numbered version of a report's data, with its state.

    Hooks for the review workflow (``docs/data-collection.md``): ``state``,
    ``state_changed_at``, ``state_changed_by`` and ``state_reason`` are written by
    :func:`ecplan.reporting.services.set_revision_state`; the workflow decides who may call it
    and when.
    """

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="revisions", verbose_name="报表"
    )
    number = models.PositiveIntegerField("修订号")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="修订自",
    )
    reason = models.TextField("修订原因", blank=True)
    channel = models.CharField("来源", max_length=10, choices=Channel.choices)
    import_batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name="导入批次",
    )
    content_hash = models.CharField("内容摘要（SHA-256）", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="创建人",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后修改", auto_now=True)
    state_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    state_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="状态变更人",
    )
    state_reason = models.TextField("状态变更说明", blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        verbose_name = "报表修订"
        verbose_name_plural = "报表修订"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="revision_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="revision_number_positive"),
        ]
        indexes = [models.Index(fields=["report", "state", "number"])]

    def __str__(self) -> str:
        return f"{self.report} 第 {self.number} 版（{self.get_state_display()}）"

    @property
    def is_locked(self) -> bool:
        """Submitted, approved or returned: a change makes a new revision."""
        return self.state in LOCKED_STATES


# -- energy report lines --------------------------------------------------------------------

#: The measures of an energy line: (field, Chinese label). Values of one line share its unit.
ENERGY_MEASURES: tuple[tuple[str, str], ...] = (
    ("purchased", "购进量"),
    ("consumed", "消费量"),
    ("feedstock", "其中：原料用能"),
    ("power_heat", "其中：发电供热投入"),
    ("supplied_out", "外供量"),
    ("closing_stock", "期末库存"),
)


class LineQuerySet(models.QuerySet[Any]):
    """Lines of the revisions that count (see :meth:`RevisionQuerySet.effective`)."""

    def effective(self, preview: bool = False) -> LineQuerySet:
        """Lines of each report's effective revision (approved; with ``preview`` the latest
        submitted or approved). ``revision__state`` tells a preview line (``submitted``)."""
        return self.filter(revision__in=Revision.objects.effective(preview=preview).values("pk"))

    def within(self, start: Period, end: Period) -> LineQuerySet:
        return self.filter(
            revision__report__period_start__gte=start.start,
            revision__report__period_end__lte=end.end,
        )


class _Line(models.Model):
    position = models.PositiveIntegerField("顺序", default=0)
    source_row = models.PositiveIntegerField("来源行号", null=True, blank=True)
    source_sheet = models.CharField("来源工作表", max_length=40, blank=True)
    remark = models.TextField("备注", blank=True)
    raw = models.JSONField(
        "原始填写内容",
        default=dict,
        blank=True,
        help_text="规范化前的原文（如全角数字、千位分隔符），确保填写内容不丢失",
    )

    objects = LineQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["revision", "position", "id"]


class EnergyLine(_Line):
    """One carrier of an enterprise's monthly energy report (NBS 205-1 style).

    ``unit`` is the unit exactly as entered; the six measures are in that unit, and each has a
    ``*_canonical`` twin in ``canonical_unit`` (t, m3, kWh, GJ or tce): ``value × multiplier``
    computed once with the core's unit table. ``feedstock`` and ``power_heat`` are parts of
    ``consumed``.
    """

    MEASURES: ClassVar[tuple[tuple[str, str], ...]] = ENERGY_MEASURES

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="energy_lines", verbose_name="修订"
    )
    carrier = models.CharField("能源品种代码", max_length=40)
    carrier_text = models.CharField("能源品种（填写）", max_length=80)
    unit = models.CharField("计量单位（填写）", max_length=40)
    canonical_unit = models.CharField("计算单位", max_length=10)
    unit_multiplier = models.FloatField("换算倍数")
    purchased = models.FloatField("购进量", null=True, blank=True)
    consumed = models.FloatField("消费量", null=True, blank=True)
    feedstock = models.FloatField("其中：原料用能", null=True, blank=True)
    power_heat = models.FloatField("其中：发电供热投入", null=True, blank=True)
    supplied_out = models.FloatField("外供量", null=True, blank=True)
    closing_stock = models.FloatField("期末库存", null=True, blank=True)
    purchased_canonical = models.FloatField("购进量（计算单位）", null=True, blank=True)
    consumed_canonical = models.FloatField("消费量（计算单位）", null=True, blank=True)
    feedstock_canonical = models.FloatField("原料用能（计算单位）", null=True, blank=True)
    power_heat_canonical = models.FloatField("发电供热投入（计算单位）", null=True, blank=True)
    supplied_out_canonical = models.FloatField("外供量（计算单位）", null=True, blank=True)
    closing_stock_canonical = models.FloatField("期末库存（计算单位）", null=True, blank=True)
    lcv = models.FloatField("实测低位发热量", null=True, blank=True)
    lcv_unit = models.CharField("低位发热量单位", max_length=20, blank=True)

    class Meta(_Line.Meta):
        verbose_name = "能源消费行"
        verbose_name_plural = "能源消费行"
        constraints = [
            models.UniqueConstraint(fields=["revision", "carrier"], name="energyline_unique")
        ]

    def __str__(self) -> str:
        return f"{self.carrier_text}（{self.unit}）"


class OutputLine(_Line):
    """Output of one product (optionally of one installation) in the month."""

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="output_lines", verbose_name="修订"
    )
    product = models.CharField("产品", max_length=80)
    installation = models.ForeignKey(
        Installation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="output_lines",
        verbose_name="装置",
    )
    quantity = models.FloatField("产量")
    unit = models.CharField("计量单位（填写）", max_length=40)
    quantity_canonical = models.FloatField("产量（计算单位）", null=True, blank=True)
    canonical_unit = models.CharField("计算单位", max_length=10, blank=True)

    class Meta(_Line.Meta):
        verbose_name = "产品产量行"
        verbose_name_plural = "产品产量行"
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "product"],
                condition=Q(installation__isnull=True),
                name="outputline_unique_product",
            ),
            models.UniqueConstraint(
                fields=["revision", "installation", "product"],
                condition=Q(installation__isnull=False),
                name="outputline_unique_installation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.quantity} {self.unit}"


#: Measurements of an installation: (field, Chinese label, canonical unit, template unit,
#: installation kinds that report it).
INSTALLATION_MEASURES: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("output_t", "产量", "t", "吨", ("production_unit",)),
    ("energy_tce", "综合能耗", "tce", "吨标准煤", ("production_unit", "data_centre")),
    ("electricity_total_kwh", "总耗电量", "kWh", "万千瓦时", ("data_centre",)),
    ("electricity_it_kwh", "IT设备耗电量", "kWh", "万千瓦时", ("data_centre",)),
    ("generation_kwh", "发电量", "kWh", "万千瓦时", ("plant", "generating_unit")),
    ("station_use_kwh", "厂用电量", "kWh", "万千瓦时", ("plant", "generating_unit")),
    ("heat_supplied_gj", "供热量", "GJ", "吉焦", ("plant", "generating_unit", "boiler")),
    ("coal_t", "耗煤量（原煤）", "t", "吨", ("plant", "generating_unit", "boiler")),
    (
        "standard_coal_tce",
        "耗用标准煤量",
        "tce",
        "吨标准煤",
        ("plant", "generating_unit", "boiler"),
    ),
    (
        "heat_standard_coal_tce",
        "其中：供热耗用标准煤量",
        "tce",
        "吨标准煤",
        ("plant", "generating_unit"),
    ),
    (
        "operating_hours_h",
        "运行小时",
        "h",
        "小时",
        ("production_unit", "plant", "generating_unit", "boiler"),
    ),
)


class InstallationLine(_Line):
    """One installation's measurements in the month (canonical units; ``raw`` keeps the
    numbers and units as entered).

    Production units (PTA, caustic soda on 折百 t, crude steel): output and comprehensive
    energy; data centres: total and IT electricity (PUE = total ÷ IT); plants and units:
    generation, station use, heat supplied, coal burned (physical and standard coal).
    """

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="installation_lines", verbose_name="修订"
    )
    installation = models.ForeignKey(
        Installation, on_delete=models.PROTECT, related_name="lines", verbose_name="装置"
    )
    output_t = models.FloatField("产量（吨）", null=True, blank=True)
    energy_tce = models.FloatField("综合能耗（吨标准煤）", null=True, blank=True)
    electricity_total_kwh = models.FloatField("总耗电量（千瓦时）", null=True, blank=True)
    electricity_it_kwh = models.FloatField("IT设备耗电量（千瓦时）", null=True, blank=True)
    generation_kwh = models.FloatField("发电量（千瓦时）", null=True, blank=True)
    station_use_kwh = models.FloatField("厂用电量（千瓦时）", null=True, blank=True)
    heat_supplied_gj = models.FloatField("供热量（吉焦）", null=True, blank=True)
    coal_t = models.FloatField("耗煤量（吨）", null=True, blank=True)
    standard_coal_tce = models.FloatField("耗用标准煤量（吨标准煤）", null=True, blank=True)
    heat_standard_coal_tce = models.FloatField(
        "其中：供热耗用标准煤量（吨标准煤）",
        null=True,
        blank=True,
        help_text="热电联产按热电分摊后用于供热的标准煤量；发电煤耗 = (耗用 − 供热耗用) ÷ 发电量",
    )
    operating_hours_h = models.FloatField("运行小时（小时）", null=True, blank=True)

    class Meta(_Line.Meta):
        verbose_name = "装置运行行"
        verbose_name_plural = "装置运行行"
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "installation"], name="installationline_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.installation)

    @property
    def pue(self) -> float | None:
        """Power usage effectiveness (total ÷ IT electricity) of a data centre's month."""
        if self.electricity_total_kwh is None or not self.electricity_it_kwh:
            return None
        return self.electricity_total_kwh / self.electricity_it_kwh


class ElectricityFacts(_Line):
    """Self-generated electricity (renewable separately), green electricity purchased and
    green certificates of one energy revision."""

    revision = models.OneToOneField(
        Revision, on_delete=models.CASCADE, related_name="electricity", verbose_name="修订"
    )
    self_generated_kwh = models.FloatField("自发电量（千瓦时）", null=True, blank=True)
    self_generated_renewable_kwh = models.FloatField(
        "其中：可再生能源发电量（千瓦时）", null=True, blank=True
    )
    green_electricity_kwh = models.FloatField("购入绿色电力（千瓦时）", null=True, blank=True)
    green_certificates = models.FloatField("绿证（张）", null=True, blank=True)

    class Meta(_Line.Meta):
        verbose_name = "自发电与绿电"
        verbose_name_plural = "自发电与绿电"

    def __str__(self) -> str:
        return f"自发电与绿电（{self.revision_id}）"


# -- statistics -----------------------------------------------------------------------------


class StatisticLine(_Line):
    """One figure of the city or area statistics: an item, broken down by carrier, source or
    sector where the item has a breakdown (``docs/data-collection.md`` lists the items)."""

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="statistic_lines", verbose_name="修订"
    )
    item = models.CharField("指标", max_length=40)
    breakdown = models.CharField(
        "分项", max_length=40, blank=True, help_text="能源品种、电源类型或产业代码；空为合计"
    )
    subject = models.CharField("项目", max_length=200, blank=True, help_text="能耗单列项目名称")
    value = models.FloatField("数值")
    unit = models.CharField("计量单位（填写）", max_length=40)
    value_canonical = models.FloatField("数值（计算单位）")
    canonical_unit = models.CharField("计算单位", max_length=20)

    class Meta(_Line.Meta):
        verbose_name = "统计数据行"
        verbose_name_plural = "统计数据行"
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "item", "breakdown", "subject"], name="statisticline_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.breakdown} {self.value} {self.unit}"


# -- department indicators ------------------------------------------------------------------


class IndicatorAssignment(models.Model):
    """Which department reports which plan indicator, and how often.

    Derived from the plan's responsibility data by
    :func:`ecplan.reporting.services.sync_indicator_assignments` (the lead department of the
    places that state a target; joint departments all report) and maintained by the plan
    office afterwards.
    """

    plan_code = models.CharField("计划标识", max_length=60)
    indicator = models.CharField("指标代码", max_length=80)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="indicator_assignments",
        verbose_name="填报部门",
    )
    frequency = models.CharField("填报频次", max_length=10, choices=PeriodKind.choices)
    unit = models.CharField("单位", max_length=40)
    target_keys = models.JSONField("相关目标", default=list, blank=True)
    basis = models.TextField("分工依据", blank=True, help_text="计划原文中的责任分工")
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "指标填报分工"
        verbose_name_plural = "指标填报分工"
        ordering = ["plan_code", "organisation", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan_code", "indicator", "organisation"], name="assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.indicator}"


class Attachment(models.Model):
    """An evidence file (证明材料) a department attaches to indicator values. Downloads go
    through a permission-checked, audited view; the file never sits under a public URL."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="attachments", verbose_name="部门"
    )
    period = models.CharField("期间", max_length=10)
    file = models.FileField("文件", upload_to="reporting/evidence/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=100)
    size_bytes = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"
        ordering = ["-uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class IndicatorValue(_Line):
    """A department's value of one plan indicator for the report's period."""

    revision = models.ForeignKey(
        Revision, on_delete=models.CASCADE, related_name="indicator_values", verbose_name="修订"
    )
    plan_code = models.CharField("计划标识", max_length=60)
    indicator = models.CharField("指标代码", max_length=80)
    subject = models.CharField(
        "对象", max_length=200, blank=True, help_text="逐个项目或设施填报的指标：对象名称"
    )
    value = models.FloatField("数值", null=True, blank=True)
    text_value = models.CharField(
        "文字值", max_length=200, blank=True, help_text="是/否或等级类指标（如 A 级、已完成）"
    )
    unit = models.CharField("单位（填写）", max_length=40, blank=True)
    value_canonical = models.FloatField("数值（计算单位）", null=True, blank=True)
    canonical_unit = models.CharField("计算单位", max_length=20, blank=True)
    comment = models.TextField("说明", blank=True)
    evidence = models.ForeignKey(
        Attachment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="values",
        verbose_name="证明材料",
    )

    class Meta(_Line.Meta):
        verbose_name = "指标值"
        verbose_name_plural = "指标值"
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "plan_code", "indicator", "subject"],
                name="indicatorvalue_unique",
            )
        ]

    def __str__(self) -> str:
        shown = self.text_value if self.value is None else f"{self.value:g} {self.unit}"
        return f"{self.indicator} {shown}"


# -- imports ----------------------------------------------------------------------------------


class ImportBatch(models.Model):
    """One successful import: who, when, which file (kept), what it changed.

    A refused import stores nothing here (all-or-nothing); the attempt is in the audit trail.
    """

    class Kind(models.TextChoices):
        ENERGY = "energy", "企业能源月报"
        STATISTICS = "statistics", "统计数据"
        INDICATOR = "indicator", "部门指标"
        ENTERPRISES = "enterprises", "企业与装置名录"

    report_type = models.CharField("数据类型", max_length=20, choices=Kind.choices)
    file = models.FileField("文件", upload_to="reporting/imports/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=255)
    file_kind = models.CharField("文件类型", max_length=10)
    size_bytes = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    channel = models.CharField("渠道", max_length=10, help_text="web 或 cli")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="导入人"
    )
    created_at = models.DateTimeField("导入时间", auto_now_add=True)
    warnings_confirmed = models.PositiveIntegerField("已确认的提醒数", default=0)
    summary = models.JSONField(
        "变更摘要", default=dict, help_text="新增/修订/未变化的报表数与行数，涉及的报表和修订"
    )
    warnings = models.JSONField("已确认的提醒", default=list, blank=True)

    class Meta:
        verbose_name = "导入记录"
        verbose_name_plural = "导入记录"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.created_at:%Y-%m-%d %H:%M}）"


# -- versioned accounting results --------------------------------------------------------------


class Restatement(models.Model):
    """An explicit recalculation of stored results with the factors in force now.

    Each affected revision gets a new :class:`EnergyResult` version; the old versions stay.
    """

    reason = models.TextField("重算原因")
    scope = models.JSONField("范围", default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    summary = models.JSONField("结果摘要", default=dict)

    class Meta:
        verbose_name = "结果重算"
        verbose_name_plural = "结果重算"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"重算 {self.created_at:%Y-%m-%d %H:%M}：{self.reason[:30]}"


class CoefficientSnapshot(models.Model):
    """A coefficient exactly as a calculation used it: value, unit, source document and
    locator, factor set id + version + digest, confidence, year and region (plain data of
    :class:`ecplan.core.Coefficient`). Content-addressed by ``key`` and never changed, so
    results refer to it instead of repeating it."""

    key = models.CharField("摘要", max_length=16, unique=True)
    data = models.JSONField("系数")
    created_at = models.DateTimeField("首次使用", auto_now_add=True)

    class Meta:
        verbose_name = "系数快照"
        verbose_name_plural = "系数快照"
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.data.get('name', '')} = {self.data.get('value')} {self.data.get('unit', '')}"


class EnergyResultQuerySet(models.QuerySet["EnergyResult"]):
    def current(self) -> EnergyResultQuerySet:
        """The newest result version of each revision."""
        later = EnergyResult.objects.filter(
            revision=OuterRef("revision"), version__gt=OuterRef("version")
        )
        return self.filter(~Exists(later))

    def effective(self, preview: bool = False) -> EnergyResultQuerySet:
        """Current results of the effective revisions (see :meth:`RevisionQuerySet.effective`)."""
        revisions = Revision.objects.effective(preview=preview).values("pk")
        return self.current().filter(revision__in=revisions)


class EnergyResult(models.Model):
    """Accounting results of one energy revision, version by version.

    Version 1 is computed when the revision is stored. A later version exists only when a
    :class:`Restatement` recomputed it (new factors); nothing here is ever updated in place.
    ``factor_sets`` lists every factor set and version used; ``calculation`` keeps every line
    with its coefficients (value, source, factor set, confidence) for the 数据来源 view. A line
    the core could not convert is left out of that total and listed in ``problems``
    (``complete`` is then false).
    """

    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="results", verbose_name="修订"
    )
    version = models.PositiveIntegerField("结果版本")
    restatement = models.ForeignKey(
        Restatement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="results",
        verbose_name="重算",
    )
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)
    energy_tce_calorific = models.FloatField("综合能耗（当量值，吨标准煤）")
    energy_tce_equivalent = models.FloatField("综合能耗（等价值，吨标准煤）")
    new_basis_tce_calorific = models.FloatField("新口径能耗（当量值，吨标准煤）")
    new_basis_tce_equivalent = models.FloatField("新口径能耗（等价值，吨标准煤）")
    feedstock_tce_calorific = models.FloatField("原料用能（当量值，吨标准煤）")
    feedstock_tce_equivalent = models.FloatField("原料用能（等价值，吨标准煤）")
    non_fossil_tce_calorific = models.FloatField("非化石能源（当量值，吨标准煤）")
    non_fossil_tce_equivalent = models.FloatField("非化石能源（等价值，吨标准煤）")
    co2_t = models.FloatField("二氧化碳排放（吨）")
    combustion_co2_t = models.FloatField("燃料燃烧排放（吨二氧化碳）")
    electricity_co2_t = models.FloatField("净购入电力排放（吨二氧化碳）")
    heat_co2_t = models.FloatField("净购入热力排放（吨二氧化碳）")
    uncertain = models.BooleanField("含未确认数值", default=False)
    complete = models.BooleanField(
        "完整", default=True, help_text="否：部分品种无法核算（见 problems），未计入相应合计"
    )
    problems = models.JSONField("无法核算的项", default=list, blank=True)
    factor_sets = models.JSONField("所用因子集及版本", default=list)
    factor_digest = models.CharField("因子集摘要", max_length=64)
    calculation = models.JSONField("计算过程", default=dict)

    objects = EnergyResultQuerySet.as_manager()

    class Meta:
        verbose_name = "核算结果"
        verbose_name_plural = "核算结果"
        ordering = ["revision", "version"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "version"], name="energyresult_unique")
        ]

    def __str__(self) -> str:
        return f"{self.revision} 核算结果 v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("核算结果不可修改：重算请通过 restate_results 生成新版本")
        super().save(*args, **kwargs)


__all__ = [
    "ENERGY_MEASURES",
    "INSTALLATION_MEASURES",
    "LOCKED_STATES",
    "Attachment",
    "Channel",
    "CoefficientSnapshot",
    "ElectricityFacts",
    "EnergyLine",
    "EnergyResult",
    "ImportBatch",
    "IndicatorAssignment",
    "IndicatorValue",
    "InstallationLine",
    "OutputLine",
    "PeriodKind",
    "Report",
    "ReportType",
    "Restatement",
    "Revision",
    "State",
    "StatisticLine",
]

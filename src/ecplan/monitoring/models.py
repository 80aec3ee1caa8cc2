"""Monitoring data: binding targets and their allocation, entered target values, evaluations.

Two kinds of rows live here.

**Entered by the plan office** (never overwritten; every change is a new numbered revision
and an audit event):

* :class:`BindingTarget` — a 14th Five-Year binding target (约束性指标) of the city or its
  allocation to a county-level area (细化分解): 单位GDP能耗降低（新口径）, 单位GDP二氧化碳排放降低,
  非化石能源消费比重, optionally an annual 能源消费增速控制目标. Its values are
  :class:`BindingTargetRevision` rows; ``current`` points at the newest.
* :class:`TargetValue` — the value of a plan target the text leaves unset (“XXX万平方米”),
  with its :class:`TargetValueRevision` history. The plan file stays as written.

**Produced by the evaluation** (``docs/evaluation.md``):

* :class:`EvaluationRun` — one evaluation of a plan version as of a month, approved data or
  preview; it records the plan version, the factor sets, the settings and a fingerprint of
  every input (revisions, entered values, factor sets) so a stored run is reproducible and
  reusable while its inputs are unchanged.
* :class:`TargetResult` — one evaluated target, milestone, rule or binding target of a run;
  :class:`AreaResult` — one 晴雨表 warning of an area for a period and dimension (intensity or
  energy-consumption growth). Their full JSON (status, explanation, calculation trail) is in a
  content-addressed :class:`ResultBlob`, so identical results of successive runs are stored once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from ecplan.organisations.models import Area, Organisation
from ecplan.plans.models import Plan, PlanVersion

# -- entered by the plan office ---------------------------------------------------------------


class BindingIndicator(models.TextChoices):
    """Indicators a binding target can be set for."""

    ENERGY_INTENSITY = "energy_intensity_change_new_basis", "单位GDP能耗降低（新口径）"
    CO2_INTENSITY = "co2_intensity_change", "单位GDP二氧化碳排放降低"
    NONFOSSIL_SHARE = "nonfossil_share", "非化石能源消费比重"
    ENERGY_GROWTH = "energy_growth_allowed", "能源消费增速控制目标（年度）"


#: How the value of each binding indicator is read: a reduction over the period (0.14 = 降低
#: 14%), a level to reach (0.13 = 13%), or an allowed growth (0.03 = 增长不超过3%).
BINDING_VALUE_KIND: dict[str, str] = {
    BindingIndicator.ENERGY_INTENSITY: "reduction",
    BindingIndicator.CO2_INTENSITY: "reduction",
    BindingIndicator.NONFOSSIL_SHARE: "level",
    BindingIndicator.ENERGY_GROWTH: "growth",
}


class _Revisioned(models.Model):
    """Fields of a numbered, never-changed revision of an entered value."""

    number = models.PositiveIntegerField("修订号")
    source = models.TextField("依据（文件、文号）", blank=True)
    note = models.TextField("说明", blank=True)
    reason = models.TextField("修改原因", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="录入人"
    )
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    is_demo = models.BooleanField("演示数据", default=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("录入的数值不可修改：修改请录入新的修订（历史保留）")
        super().save(*args, **kwargs)


class BindingTarget(models.Model):
    """A binding target of the city or of a county-level area over ``base_year``–``target_year``.

    The value lives in revisions (``revisions``, newest = ``current``). A five-year target has
    ``base_year`` 2020 and ``target_year`` 2025; an annual energy-growth control target has
    ``base_year = target_year − 1``.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="binding_targets", verbose_name="计划"
    )
    indicator = models.CharField("指标", max_length=60, choices=BindingIndicator.choices)
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="binding_targets", verbose_name="地区"
    )
    base_year = models.PositiveSmallIntegerField("基期年份")
    target_year = models.PositiveSmallIntegerField("目标年份")
    current = models.ForeignKey(
        "BindingTargetRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="当前修订",
    )
    created_at = models.DateTimeField("首次录入", auto_now_add=True)

    class Meta:
        verbose_name = "约束性指标"
        verbose_name_plural = "约束性指标"
        ordering = ["plan", "indicator", "area", "target_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator", "area", "base_year", "target_year"],
                name="bindingtarget_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(target_year__gt=models.F("base_year")),
                name="bindingtarget_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.get_indicator_display()}（{self.base_year}—{self.target_year}）"

    @property
    def value_kind(self) -> str:
        return BINDING_VALUE_KIND[self.indicator]

    @property
    def years(self) -> int:
        return self.target_year - self.base_year


class BindingTargetRevision(_Revisioned):
    """One entered value of a binding target (fraction: 0.14 = 14%)."""

    binding = models.ForeignKey(
        BindingTarget, on_delete=models.PROTECT, related_name="revisions", verbose_name="约束性指标"
    )
    value = models.DecimalField("数值（小数，0.14 即 14%）", max_digits=20, decimal_places=10)

    class Meta:
        verbose_name = "约束性指标修订"
        verbose_name_plural = "约束性指标修订"
        ordering = ["binding", "number"]
        constraints = [
            models.UniqueConstraint(fields=["binding", "number"], name="bindingrevision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.binding} 第 {self.number} 次录入：{self.value}"


class TargetValue(models.Model):
    """The value of a plan target whose text gives none (``state: not_set``), by target key.

    Applies to every version of the plan in which the target is still not set; a version whose
    text states the value (the final text with XXX filled in) uses its own value.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="entered_target_values", verbose_name="计划"
    )
    target_key = models.CharField("目标标识", max_length=80)
    current = models.ForeignKey(
        "TargetValueRevision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="当前修订",
    )
    created_at = models.DateTimeField("首次录入", auto_now_add=True)

    class Meta:
        verbose_name = "目标值录入"
        verbose_name_plural = "目标值录入"
        ordering = ["plan", "target_key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "target_key"], name="targetvalue_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.target_key}"


class TargetValueRevision(_Revisioned):
    """One entered value, in the target's unit as written (万平方米 …)."""

    entry = models.ForeignKey(
        TargetValue, on_delete=models.PROTECT, related_name="revisions", verbose_name="目标值录入"
    )
    value = models.DecimalField("数值（目标单位）", max_digits=24, decimal_places=8)
    unit = models.CharField("单位", max_length=40)

    class Meta:
        verbose_name = "目标值修订"
        verbose_name_plural = "目标值修订"
        ordering = ["entry", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="targetvaluerevision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry} 第 {self.number} 次录入：{self.value} {self.unit}"


# -- produced by the evaluation -----------------------------------------------------------------


class ResultBlob(models.Model):
    """The full JSON of an evaluated result, stored once per content (SHA-256 ``key``)."""

    key = models.CharField("摘要（SHA-256）", max_length=64, unique=True)
    data = models.JSONField("内容")

    class Meta:
        verbose_name = "评价结果内容"
        verbose_name_plural = "评价结果内容"

    def __str__(self) -> str:
        return self.key[:16]


class EvaluationRun(models.Model):
    """One evaluation of a plan version as of a month (see the module docstring)."""

    class Trigger(models.TextChoices):
        PAGE = "page", "页面查看时自动评价"
        COMMAND = "command", "命令行"
        SERVICE = "service", "程序接口"
        MANUAL = "manual", "手动重新评价"

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="evaluation_runs", verbose_name="计划"
    )
    version = models.ForeignKey(
        PlanVersion,
        on_delete=models.PROTECT,
        related_name="evaluation_runs",
        verbose_name="计划版本",
    )
    as_of = models.CharField("评价月份", max_length=7, help_text="YYYY-MM")
    preview = models.BooleanField("预览（含未审核数据）", default=False)
    fingerprint = models.CharField("输入指纹（SHA-256）", max_length=64)
    engine_version = models.CharField("评价规则版本", max_length=20)
    trigger = models.CharField("触发方式", max_length=10, choices=Trigger.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发起人",
    )
    created_at = models.DateTimeField("评价时间", auto_now_add=True)
    data_through = models.CharField("数据截止月份", max_length=7, blank=True)
    settings = models.JSONField("评价设置", default=dict)
    factor_sets = models.JSONField("所用因子集及版本", default=list)
    inputs = models.JSONField("输入摘要", default=dict)
    summary = models.JSONField("结果摘要", default=dict)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "评价记录"
        verbose_name_plural = "评价记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["version", "as_of", "preview", "fingerprint"])]

    def __str__(self) -> str:
        kind = "预览" if self.preview else "正式"
        return f"{self.version} 截至 {self.as_of}（{kind}，#{self.pk}）"


class TargetResult(models.Model):
    """One evaluated target, milestone, rule or binding target of a run."""

    class Kind(models.TextChoices):
        TARGET = "target", "目标"
        MILESTONE = "milestone", "里程碑"
        RULE = "rule", "规则"
        BINDING = "binding", "约束性指标"

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="targets", verbose_name="评价记录"
    )
    key = models.CharField("标识", max_length=120)
    object_kind = models.CharField("类别", max_length=10, choices=Kind.choices)
    position = models.PositiveIntegerField("顺序")
    name = models.CharField("名称", max_length=200)
    indicator = models.CharField("指标代码", max_length=80)
    unit = models.CharField("单位", max_length=40, blank=True)
    status = models.CharField("状态代码", max_length=20)
    status_label = models.CharField("状态", max_length=40)
    warning_level = models.PositiveSmallIntegerField("预警等级", null=True, blank=True)
    value = models.FloatField("数值", null=True, blank=True)
    target = models.FloatField("目标值", null=True, blank=True)
    task_number = models.PositiveSmallIntegerField("任务序号", null=True, blank=True)
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="地区",
        help_text="约束性指标的地区；计划目标为空（全市）",
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="+", blank=True, verbose_name="责任部门"
    )
    blob = models.ForeignKey(
        ResultBlob, on_delete=models.PROTECT, related_name="+", verbose_name="内容"
    )

    class Meta:
        verbose_name = "目标评价结果"
        verbose_name_plural = "目标评价结果"
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "object_kind", "key"], name="targetresult_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}：{self.status_label}"

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.blob.data)


class AreaResult(models.Model):
    """One 晴雨表 warning: an area (or the city), a year-to-date period, a dimension."""

    class Dimension(models.TextChoices):
        INTENSITY = "intensity", "能耗强度降低"
        CONSUMPTION = "consumption", "能源消费增速"
        FIGURES = "figures", "能耗与碳排放（年度）"

    run = models.ForeignKey(
        EvaluationRun, on_delete=models.CASCADE, related_name="areas", verbose_name="评价记录"
    )
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+", verbose_name="地区")
    year = models.PositiveSmallIntegerField("年份")
    months = models.PositiveSmallIntegerField("累计月数")
    dimension = models.CharField("维度", max_length=12, choices=Dimension.choices)
    level = models.PositiveSmallIntegerField("预警等级", null=True, blank=True)
    intensity_change = models.FloatField("强度变化率", null=True, blank=True)
    required_reduction = models.FloatField("进度要求降低率", null=True, blank=True)
    energy_growth = models.FloatField("能源消费增速", null=True, blank=True)
    allowed_growth = models.FloatField("允许增速", null=True, blank=True)
    missing_reason = models.TextField("无法判定的原因", blank=True)
    blob = models.ForeignKey(
        ResultBlob, on_delete=models.PROTECT, related_name="+", verbose_name="内容"
    )

    class Meta:
        verbose_name = "晴雨表预警"
        verbose_name_plural = "晴雨表预警"
        ordering = ["run", "area", "year", "months", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "area", "year", "months", "dimension"], name="arearesult_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.year}年1—{self.months}月 {self.get_dimension_display()}"

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.blob.data)

"""Plans in the database: versioned copies of checked plan files.

A :class:`Plan` (``yangzhou-2025``) has :class:`PlanVersion` rows — 征求意见稿, the final text,
later amendments — each loaded from a plan file that passed
:func:`ecplan.core.plan.load_plan`. Everything a version contains (sections, tasks, breakdown
table rows, targets, milestones, rules, settings, responsibilities) belongs to that version and
is never edited in place: a changed file is loaded as a new version beside the old one, so an
evaluation that recorded the version it used can always be reproduced.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from ecplan.core.plan.schema import (
    MILESTONE_KIND_LABELS,
    MILESTONE_STATE_LABELS,
    ROLE_LABELS,
    RULE_SCOPE_LABELS,
    SECTION_KIND_LABELS,
    TARGET_STATE_LABELS,
)
from ecplan.core.plan.vocabulary import (
    COMPARATOR_LABELS,
    DIRECTION_LABELS,
    INDICATORS,
    TARGET_KIND_LABELS,
    requirement_phrase,
)
from ecplan.organisations.models import Organisation, Region

# Decimal fields (max_digits=24, decimal_places=8) hold values such as 1.2 (PUE), 550 (万吨标准煤)
# and 5 500 000 (tce) exactly, as the plan file states them.


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return list(labels.items())


class Plan(models.Model):
    """An action plan, e.g. ``yangzhou-2025`` (扬州市2025年节能降碳行动计划)."""

    code = models.SlugField("计划标识", max_length=60, unique=True)
    title = models.CharField("标题", max_length=200)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="plans", verbose_name="地区"
    )
    current_version = models.ForeignKey(
        "PlanVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="当前版本",
        help_text="页面和评价默认使用的版本；新载入的版本自动成为当前版本。",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "行动计划"
        verbose_name_plural = "行动计划"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """One loaded version of a plan, with the file and the text it was loaded from."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="versions", verbose_name="计划"
    )
    label = models.CharField("版本号", max_length=40)
    status = models.CharField("文本状态", max_length=40, help_text="如 征求意见稿、正式稿")
    title = models.CharField("标题", max_length=200)
    date = models.DateField("日期", null=True, blank=True)
    date_note = models.CharField("日期说明", max_length=200, blank=True)
    plan_year = models.PositiveSmallIntegerField("计划年度")
    preamble = models.TextField("引言", blank=True)
    change_note = models.TextField("修订说明", blank=True)
    implements = models.JSONField("所落实的文件", default=list, blank=True)
    content_hash = models.CharField("内容哈希（SHA-256）", max_length=64)
    source_file = models.CharField("载入自文件", max_length=500)
    text_file_name = models.CharField("计划文本文件名", max_length=200)
    raw_file = models.TextField("计划文件原文")
    plan_text = models.TextField("计划文本")
    data = models.JSONField("规范化内容（JSON）", help_text="ecplan plan show --format json 的输出")
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="载入人",
        help_text="为空表示由平台启动时自动载入（随平台发布的计划）。",
    )

    class Meta:
        verbose_name = "计划版本"
        verbose_name_plural = "计划版本"
        ordering = ["plan", "loaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="planversion_unique_label"),
            models.UniqueConstraint(
                fields=["plan", "content_hash"], name="planversion_unique_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} {self.label}（{self.status}）"

    @property
    def is_current(self) -> bool:
        return self.plan.current_version_id == self.pk


class VersionedQuerySet(models.QuerySet[Any]):
    def current(self) -> VersionedQuerySet:
        """Rows of each plan's current version."""
        return self.filter(version__plan__current_version=F("version"))


class _Versioned(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, verbose_name="计划版本")
    position = models.PositiveIntegerField("文中顺序", default=0)

    objects = VersionedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["version", "position"]


class _HasResponsibility(models.Model):
    responsibility_quote = models.TextField("责任分工原文", blank=True)
    responsibility_generic = models.CharField("泛指部门", max_length=60, blank=True)
    responsibility_and_others = models.BooleanField("名单未列尽（等部门）", default=False)

    class Meta:
        abstract = True


class Section(_Versioned, _HasResponsibility):
    """A section in reading order: 主要目标, 重点任务 and its （一）–（七）, 管理机制 (1)–(5) …"""

    key = models.CharField("标识", max_length=80)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级章节",
    )
    kind = models.CharField("类型", max_length=20, choices=_choices(SECTION_KIND_LABELS))
    level = models.PositiveSmallIntegerField("层级")
    number = models.PositiveSmallIntegerField("编号", null=True, blank=True)
    label = models.CharField("印刷编号", max_length=20, blank=True)
    heading = models.CharField("标题原文", max_length=200)
    title = models.CharField("标题", max_length=200)
    text = models.TextField("正文", blank=True)

    class Meta(_Versioned.Meta):
        verbose_name = "章节"
        verbose_name_plural = "章节"
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="section_unique_key")
        ]

    def __str__(self) -> str:
        return self.heading


class Task(_Versioned, _HasResponsibility):
    """A numbered task of 重点任务 (1–13 in the Yangzhou plan) with its full text."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="tasks", verbose_name="所属章节"
    )
    key = models.CharField("标识", max_length=80)
    number = models.PositiveSmallIntegerField("序号")
    label = models.CharField("印刷编号", max_length=20, blank=True)
    title = models.CharField("任务", max_length=200)
    text = models.TextField("全文")

    class Meta(_Versioned.Meta):
        verbose_name = "重点任务"
        verbose_name_plural = "重点任务"
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="task_unique_key"),
            models.UniqueConstraint(fields=["version", "number"], name="task_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class TableRow(_Versioned):
    """A row of 重点工作目标分解表, linked to the task it summarises."""

    task = models.OneToOneField(
        Task, on_delete=models.CASCADE, related_name="table_row", verbose_name="对应任务"
    )
    number = models.PositiveSmallIntegerField("序号")
    group_heading = models.CharField("分组", max_length=200)
    text = models.TextField("事项名称")
    departments = models.JSONField("责任部门（原文）", default=list)

    class Meta(_Versioned.Meta):
        verbose_name = "分解表行"
        verbose_name_plural = "分解表行"
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="tablerow_unique_number")
        ]

    def __str__(self) -> str:
        return f"分解表第 {self.number} 行"


class Target(_Versioned):
    """A quantified target, stored once per version (see ``docs/plan-format.md``).

    ``value`` is the number as written, in ``unit``; ``value_canonical`` the same in
    ``canonical_unit`` (万吨标准煤 → tce). Relative changes are signed (下降5% → -5).
    """

    class State(models.TextChoices):
        ACTIVE = "active", TARGET_STATE_LABELS["active"]
        NOT_SET = "not_set", TARGET_STATE_LABELS["not_set"]

    key = models.CharField("标识", max_length=80)
    name = models.CharField("名称", max_length=200)
    indicator = models.CharField("指标代码", max_length=80)
    subject = models.CharField("对象", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=20, choices=_choices(TARGET_KIND_LABELS))
    unit = models.CharField("单位", max_length=40)
    canonical_unit = models.CharField("计算单位", max_length=40)
    value = models.DecimalField("目标值", null=True, blank=True, max_digits=24, decimal_places=8)
    value_canonical = models.DecimalField(
        "目标值（计算单位）", null=True, blank=True, max_digits=24, decimal_places=8
    )
    comparator = models.CharField("比较符", max_length=2, choices=_choices(COMPARATOR_LABELS))
    comparator_stated = models.BooleanField("文本写明比较关系", default=True)
    direction = models.CharField("方向", max_length=20, choices=_choices(DIRECTION_LABELS))
    approximate = models.BooleanField("左右/约", default=False)
    tolerance_value = models.DecimalField(
        "容差", null=True, blank=True, max_digits=24, decimal_places=8
    )
    tolerance_mode = models.CharField("容差方式", max_length=10, blank=True)
    tolerance_absolute = models.DecimalField(
        "容差（目标单位）", null=True, blank=True, max_digits=24, decimal_places=8
    )
    tolerance_absolute_canonical = models.DecimalField(
        "容差（计算单位）", null=True, blank=True, max_digits=24, decimal_places=8
    )
    tolerance_setting = models.CharField("容差来自计划设置", max_length=80, blank=True)
    tolerance_confirmed = models.BooleanField("容差已确认", default=False)
    aspirational = models.BooleanField("力争", default=False)
    baseline_year = models.PositiveSmallIntegerField("基期年份", null=True, blank=True)
    baseline_stated = models.BooleanField("文本写明基期", null=True, blank=True)
    baseline_note = models.TextField("基期说明", blank=True)
    deadline = models.CharField("期限", max_length=20)
    deadline_year = models.PositiveSmallIntegerField("期限年份")
    deadline_stated = models.BooleanField("文本写明期限", default=True)
    state = models.CharField("状态", max_length=20, choices=State.choices)
    value_entry = models.CharField("数值来源", max_length=20, default="text")
    compare_to = models.CharField("比较指标", max_length=80, blank=True)
    source_quote = models.TextField("原文")
    wording = models.TextField("比较关系原文", blank=True)
    basis = models.TextField("核算口径", blank=True)
    context = models.TextField("背景", blank=True)
    placeholder = models.CharField("占位符", max_length=20, blank=True)
    settings = models.JSONField("相关计划设置", default=list, blank=True)
    notes = models.TextField("说明", blank=True)

    class Meta(_Versioned.Meta):
        verbose_name = "目标"
        verbose_name_plural = "目标"
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="target_unique_key")]

    def __str__(self) -> str:
        return f"{self.name} {self.requirement}"

    @property
    def indicator_label(self) -> str:
        d = INDICATORS.get(self.indicator)
        return d.label if d else self.indicator

    @property
    def compare_to_label(self) -> str:
        d = INDICATORS.get(self.compare_to)
        return d.label if d else self.compare_to

    @property
    def requirement(self) -> str:
        """``"≥ 20%（左右）"``, ``"降幅 ≥ 5%"``, ``"≤ 服务业增加值增速"``."""
        return requirement_phrase(
            self.comparator,
            Decimal(self.value) if self.value is not None else None,
            self.unit,
            approximate=self.approximate,
            aspirational=self.aspirational,
            compare_to_label=self.compare_to_label if self.compare_to else None,
            relative_change=self.kind == "relative_change",
        )


class Milestone(_Versioned):
    """Something to build, close, retrofit or cover, with its state."""

    key = models.CharField("标识", max_length=80)
    title = models.CharField("事项", max_length=200)
    subject = models.CharField("对象（原文）", max_length=200)
    action = models.CharField("要求", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=_choices(MILESTONE_KIND_LABELS))
    description = models.TextField("说明", blank=True)
    deadline = models.CharField("期限", max_length=20, blank=True)
    state = models.CharField("状态", max_length=20, choices=_choices(MILESTONE_STATE_LABELS))
    indicator = models.CharField("指标代码", max_length=80, blank=True)
    criteria = models.JSONField("条件", default=list, blank=True)
    errata = models.JSONField("勘误", default=list, blank=True)
    source_quote = models.TextField("原文")
    notes = models.TextField("备注", blank=True)

    class Meta(_Versioned.Meta):
        verbose_name = "里程碑"
        verbose_name_plural = "里程碑"
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="milestone_unique_key")
        ]

    def __str__(self) -> str:
        return self.title


class Rule(_Versioned):
    """A requirement every project or entity in scope must meet (PUE < 1.2 …)."""

    key = models.CharField("标识", max_length=80)
    title = models.CharField("规则", max_length=200)
    scope = models.CharField("范围", max_length=20, choices=_choices(RULE_SCOPE_LABELS))
    applies_to = models.CharField("适用对象（原文）", max_length=200)
    condition = models.TextField("适用条件", blank=True)
    requirement = models.TextField("要求")
    criteria = models.JSONField("条件", default=list, blank=True)
    deadline = models.CharField("期限", max_length=20, blank=True)
    source_quote = models.TextField("原文")
    notes = models.TextField("备注", blank=True)

    class Meta(_Versioned.Meta):
        verbose_name = "规则"
        verbose_name_plural = "规则"
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="rule_unique_key")]

    def __str__(self) -> str:
        return self.title


class PlanSetting(_Versioned):
    """A setting the text does not fix (容差 of 左右, the basis of the 290 target …)."""

    key = models.CharField("键", max_length=80)
    label = models.CharField("名称", max_length=200)
    value = models.JSONField("取值")
    unit = models.CharField("单位", max_length=40, blank=True)
    choices = models.JSONField("可选值", default=dict, blank=True)
    from_text = models.BooleanField("来自计划文本", default=False)
    confirmed = models.BooleanField("已确认", default=False)
    note = models.TextField("说明")

    class Meta(_Versioned.Meta):
        verbose_name = "计划设置"
        verbose_name_plural = "计划设置"
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="plansetting_unique_key")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def value_label(self) -> str:
        return str(self.choices.get(str(self.value), self.value))


def _exactly_one(fields: list[str], name: str) -> models.CheckConstraint:
    cond = Q()
    for f in fields:
        others = Q(**{f"{f}__isnull": False})
        for g in fields:
            if g != f:
                others &= Q(**{f"{g}__isnull": True})
        cond |= others
    return models.CheckConstraint(condition=cond, name=name)


class Mention(_Versioned):
    """A place (section, task, table row) that states a target, milestone or rule.

    ``quote`` holds the words at that place when they differ from the object's source quote.
    """

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    table_row = models.ForeignKey(
        TableRow, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    rule = models.ForeignKey(
        Rule, on_delete=models.CASCADE, null=True, blank=True, related_name="mentions"
    )
    quote = models.TextField("此处原文", blank=True)

    class Meta(_Versioned.Meta):
        verbose_name = "引用位置"
        verbose_name_plural = "引用位置"
        constraints = [
            _exactly_one(["section", "task", "table_row"], "mention_one_place"),
            _exactly_one(["target", "milestone", "rule"], "mention_one_object"),
        ]

    def __str__(self) -> str:
        return f"{self.place} → {self.target or self.milestone or self.rule}"

    @property
    def place(self) -> Section | Task | TableRow:
        place = self.section or self.task or self.table_row
        assert place is not None
        return place


class Responsibility(_Versioned):
    """One organisation's role in a section, task or table row, as the text gives it.

    ``source`` says whether the body text (正文) or the breakdown table (分解表) assigns it:
    where they differ, both are stored. ``organisation`` is empty for the generic
    "各有关部门".
    """

    class Role(models.TextChoices):
        LEAD = "lead", ROLE_LABELS["lead"]
        JOINT = "joint", ROLE_LABELS["joint"]
        COOPERATING = "cooperating", ROLE_LABELS["cooperating"]
        GENERIC = "generic", ROLE_LABELS["generic"]

    class Source(models.TextChoices):
        TEXT = "text", "正文"
        TABLE = "table", "分解表"

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="responsibilities"
    )
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, null=True, blank=True, related_name="responsibilities"
    )
    table_row = models.ForeignKey(
        TableRow, on_delete=models.CASCADE, null=True, blank=True, related_name="responsibilities"
    )
    source = models.CharField("出处", max_length=10, choices=Source.choices)
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_responsibilities",
        verbose_name="部门",
    )
    name = models.CharField("名称（原文）", max_length=60)

    class Meta(_Versioned.Meta):
        verbose_name = "责任分工"
        verbose_name_plural = "责任分工"
        constraints = [
            _exactly_one(["section", "task", "table_row"], "responsibility_one_place"),
            models.CheckConstraint(
                condition=Q(role="generic", organisation__isnull=True)
                | (~Q(role="generic") & Q(organisation__isnull=False)),
                name="responsibility_generic_has_no_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_role_display()}）"

    @property
    def place(self) -> Section | Task | TableRow:
        place = self.section or self.task or self.table_row
        assert place is not None
        return place

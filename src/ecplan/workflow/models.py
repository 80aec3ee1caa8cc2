"""The review workflow: who reviews whom, the reporting calendar, submissions and their review
steps, the append-only workflow history, notifications and sent reminders.

``docs/workflow.md`` has the whole picture. In short:

* :class:`ReviewStage` — configuration: the ordered review steps of a report type (企业能源月报:
  the enterprise's county-level area, then 市工信局; 部门指标 and 统计数据: the plan office).
* :class:`ReportingSchedule` — configuration: per report type and period kind, when a period
  opens, its deadline, how long it stays open, and when reminders go out.
* :class:`Submission` — one submission of one revision for review; its :class:`ReviewStep`
  rows are the route resolved at submission (who must review, in order) with each decision.
* :class:`WorkflowEvent` — every state change (submit, step approval, approval, return,
  withdrawal, supersession): who, when, why. Rows are never changed or deleted.
* :class:`Notification` — in-app messages (and whether the e-mail copy went out).
* :class:`ReminderDispatch` — one reminder sent for one obligation, period and offset; its
  unique key makes ``ecplan reminders send`` idempotent.

The revision's own state (草稿/已提交/已审核/退回) lives on ``reporting.Revision`` and is
changed only through :func:`ecplan.reporting.services.set_revision_state`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from ecplan.organisations.models import Area, Organisation
from ecplan.reporting.models import PeriodKind, Report, ReportType, Revision
from ecplan.reporting.periods import Period

# -- configuration: who reviews whom -----------------------------------------------------------


class ReviewerKind(models.TextChoices):
    AREA = "area", "企业所在县级地区（区县用户）"
    ORGANISATION = "organisation", "指定部门（部门审核员）"
    OWN_DEPARTMENT = "own_department", "填报部门本部门（部门审核员）"
    PLAN_OFFICE = "plan_office", "计划管理部门（计划管理员）"


#: Which reviewer kinds make sense for which report type.
KINDS_FOR_TYPE: dict[str, tuple[str, ...]] = {
    ReportType.ENERGY: (ReviewerKind.AREA, ReviewerKind.ORGANISATION, ReviewerKind.PLAN_OFFICE),
    ReportType.STATISTICS: (
        ReviewerKind.PLAN_OFFICE,
        ReviewerKind.ORGANISATION,
        ReviewerKind.OWN_DEPARTMENT,
    ),
    ReportType.INDICATOR: (
        ReviewerKind.PLAN_OFFICE,
        ReviewerKind.ORGANISATION,
        ReviewerKind.OWN_DEPARTMENT,
    ),
}

#: At most this many review steps per report type.
MAX_STAGES = 3


class ReviewStage(models.Model):
    """One configured review step of a report type (position 1 is reviewed first).

    ``organisation_code`` names the department for :attr:`ReviewerKind.ORGANISATION` (its code
    in the region's registry, e.g. ``industry-it`` for 市工信局): its 部门审核员 review.
    Inactive stages are skipped. Changing the configuration affects submissions made
    afterwards; a submission keeps the route it was given.
    """

    report_type = models.CharField("报表类型", max_length=20, choices=ReportType.choices)
    position = models.PositiveSmallIntegerField("审核顺序")
    reviewer = models.CharField("审核人", max_length=20, choices=ReviewerKind.choices)
    organisation_code = models.SlugField(
        "审核部门代码", max_length=60, blank=True, help_text="审核人为“指定部门”时填写"
    )
    active = models.BooleanField("启用", default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最后修改人",
    )
    updated_at = models.DateTimeField("最后修改", auto_now=True)

    class Meta:
        verbose_name = "审核环节配置"
        verbose_name_plural = "审核环节配置"
        ordering = ["report_type", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "position"], name="reviewstage_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=MAX_STAGES),
                name="reviewstage_position_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_report_type_display()} 第{self.position}步：{self.describe()}"

    def describe(self) -> str:
        if self.reviewer == ReviewerKind.ORGANISATION:
            org = Organisation.objects.filter(code=self.organisation_code).first()
            return f"{org.name if org else self.organisation_code}（部门审核员）"
        return self.get_reviewer_display()

    def clean(self) -> None:
        allowed = KINDS_FOR_TYPE.get(self.report_type, ())
        if self.reviewer not in allowed:
            raise ValidationError(
                {
                    "reviewer": f"{ReportType(self.report_type).label}不能由"
                    f"“{ReviewerKind(self.reviewer).label}”审核。"
                }
            )
        if self.reviewer == ReviewerKind.ORGANISATION:
            if not self.organisation_code:
                raise ValidationError({"organisation_code": "审核人为“指定部门”时须选择部门。"})
            if not Organisation.objects.filter(code=self.organisation_code).exists():
                raise ValidationError(
                    {"organisation_code": f"部门代码“{self.organisation_code}”不存在。"}
                )
        elif self.organisation_code:
            self.organisation_code = ""


# -- configuration: the reporting calendar ------------------------------------------------------


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


class ReportingSchedule(models.Model):
    """When a report type's periods of one kind are due.

    A period opens ``opens_after_days`` days after it ends (1: the next day) and stays open
    until ``window_days`` days after it ended; its deadline is day ``deadline_day`` of the
    ``deadline_month_offset``-th month after the period's last month (1 and 10: the 10th of the
    next month; a day beyond the month's end means its last day). Reminders go out on the days
    ``reminder_offsets`` relative to the deadline (−3: three days before; 0: on the day;
    5: five days after).
    """

    report_type = models.CharField("报表类型", max_length=20, choices=ReportType.choices)
    period_kind = models.CharField("期间类型", max_length=10, choices=PeriodKind.choices)
    expected = models.BooleanField(
        "要求按期报送", default=True, help_text="否：不列入未报清单、不发催报提醒（仍可填报）"
    )
    opens_after_days = models.SmallIntegerField(
        "期末后第几天开放", default=1, help_text="1 表示期间结束的次日开始填报"
    )
    window_days = models.PositiveSmallIntegerField(
        "填报期（期末后天数）", help_text="期间结束后多少天内仍可填报（含逾期补报）"
    )
    deadline_month_offset = models.PositiveSmallIntegerField(
        "截止月份（期末后第几个月）", default=1
    )
    deadline_day = models.PositiveSmallIntegerField(
        "截止日", default=10, help_text="该月第几日；超过月末按月末计"
    )
    reminder_offsets = models.JSONField(
        "提醒时间（相对截止日的天数）",
        default=list,
        blank=True,
        help_text="如 -3, 0, 1, 5：截止前3天、当天、逾期1天和5天",
    )
    remind_reviewers = models.BooleanField("逾期时同时提醒负责审核的单位", default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="最后修改人",
    )
    updated_at = models.DateTimeField("最后修改", auto_now=True)

    class Meta:
        verbose_name = "报送日历"
        verbose_name_plural = "报送日历"
        ordering = ["report_type", "period_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "period_kind"], name="reportingschedule_unique"
            ),
            models.CheckConstraint(
                condition=Q(deadline_day__gte=1) & Q(deadline_day__lte=31),
                name="reportingschedule_deadline_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_report_type_display()}（{self.get_period_kind_display()}）"

    # -- dates of one period -----------------------------------------------------------------
    def opens(self, period: Period) -> dt.date:
        return period.end + dt.timedelta(days=self.opens_after_days)

    def closes(self, period: Period) -> dt.date:
        return period.end + dt.timedelta(days=self.window_days)

    def deadline(self, period: Period) -> dt.date:
        year, month = _add_months(period.year, period.last_month, self.deadline_month_offset)
        day = min(self.deadline_day, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day)

    def offsets(self) -> list[int]:
        return sorted({int(x) for x in self.reminder_offsets or []})

    def clean(self) -> None:
        offsets = self.reminder_offsets or []
        if not isinstance(offsets, list) or not all(
            isinstance(x, int) and not isinstance(x, bool) for x in offsets
        ):
            raise ValidationError(
                {"reminder_offsets": "提醒时间须为整数天数的列表，如 -3, 0, 1, 5。"}
            )
        if any(abs(x) > 366 for x in offsets):
            raise ValidationError({"reminder_offsets": "提醒时间须在截止日前后一年之内。"})
        if self.window_days is None or self.opens_after_days is None:
            return
        if self.opens_after_days > self.window_days:
            raise ValidationError({"window_days": "填报期须晚于开放日：期末后天数应不小于开放日。"})
        sample = _sample_periods(self.period_kind)
        for p in sample:
            if not self.opens(p) <= self.deadline(p) <= self.closes(p):
                raise ValidationError(
                    {
                        "deadline_day": f"截止日须在填报期内：以{p.label}为例，截止日 "
                        f"{self.deadline(p):%Y-%m-%d} 不在填报期 {self.opens(p):%Y-%m-%d} 至 "
                        f"{self.closes(p):%Y-%m-%d} 之内。请调整截止日或填报期长度。"
                    }
                )


def _sample_periods(kind: str) -> list[Period]:
    if kind == PeriodKind.MONTH:
        return [Period.month(2024, m) for m in range(1, 13)]
    if kind == PeriodKind.QUARTER:
        return [Period.quarter(2024, q) for q in range(1, 5)]
    return [Period.of_year(2024)]


# -- submissions and review steps ---------------------------------------------------------------


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", "审核中"
    APPROVED = "approved", "已审核通过"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"
    SUPERSEDED = "superseded", "已被新修订取代"


class StepStatus(models.TextChoices):
    WAITING = "waiting", "等待前一环节"
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回"
    CANCELLED = "cancelled", "未进行"


class Submission(models.Model):
    """One submission of a revision for review, with the route it was given."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="submissions", verbose_name="报表"
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="submissions", verbose_name="修订"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提交人",
        help_text="空：以“已提交”状态补录的修订，没有平台内的提交人",
    )
    submitted_at = models.DateTimeField("提交时间")
    comment = models.TextField("提交说明", blank=True)
    deadline = models.DateField("截止日", null=True, blank=True)
    late = models.BooleanField("逾期提交", default=False)
    status = models.CharField(
        "状态", max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "报送审核"
        verbose_name_plural = "报送审核"
        ordering = ["report", "submitted_at", "id"]
        indexes = [models.Index(fields=["status", "report"])]
        constraints = [
            models.UniqueConstraint(
                fields=["revision"],
                condition=Q(status="pending"),
                name="submission_one_pending_per_revision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} 第 {self.revision.number} 版提交（{self.get_status_display()}）"

    @property
    def is_pending(self) -> bool:
        return self.status == SubmissionStatus.PENDING


class ReviewStep(models.Model):
    """One step of a submission's route, with its decision (written once)."""

    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="steps", verbose_name="报送审核"
    )
    position = models.PositiveSmallIntegerField("顺序")
    reviewer = models.CharField("审核人", max_length=20, choices=ReviewerKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核部门",
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核地区",
    )
    zone = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="功能区",
        help_text="企业位于功能区时，功能区的区县用户也可审核",
    )
    label = models.CharField("审核单位", max_length=120)
    status = models.CharField(
        "状态", max_length=20, choices=StepStatus.choices, default=StepStatus.WAITING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="审核人",
    )
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "审核环节"
        verbose_name_plural = "审核环节"
        ordering = ["submission", "position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "position"], name="reviewstep_unique")
        ]
        indexes = [models.Index(fields=["status", "reviewer"])]

    def __str__(self) -> str:
        return f"第{self.position}步 {self.label}（{self.get_status_display()}）"


# -- history -----------------------------------------------------------------------------------


class WorkflowAction(models.TextChoices):
    SUBMIT = "submit", "提交"
    RESUBMIT = "resubmit", "重新提交（未修改）"
    APPROVE_STEP = "approve_step", "审核通过（转下一环节）"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回"
    WITHDRAW = "withdraw", "撤回"
    SUPERSEDE = "supersede", "被新修订取代"


def _state_label(state: str) -> str:
    from ecplan.reporting.models import State

    return State(state).label if state in State.values else state


class WorkflowEventQuerySet(models.QuerySet["WorkflowEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("审核记录只能追加，不能修改")

    def delete(self) -> Any:
        raise TypeError("审核记录只能追加，不能删除")


class WorkflowEvent(models.Model):
    """One change in a report's review history. Append-only."""

    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="workflow_events", verbose_name="报表"
    )
    revision = models.ForeignKey(
        Revision, on_delete=models.PROTECT, related_name="workflow_events", verbose_name="修订"
    )
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="报送审核",
    )
    step = models.ForeignKey(
        ReviewStep,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name="审核环节",
    )
    action = models.CharField("操作", max_length=20, choices=WorkflowAction.choices)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    actor_roles = models.CharField("操作人角色", max_length=300, blank=True)
    comment = models.TextField("说明", blank=True)
    occurred_at = models.DateTimeField("时间")
    report_version = models.PositiveIntegerField("报表版本计数", null=True, blank=True)

    objects = WorkflowEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["report", "occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.report} 第{self.revision.number}版 {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("审核记录只能追加，不能修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("审核记录只能追加，不能删除")

    @property
    def from_state_label(self) -> str:
        return _state_label(self.from_state)

    @property
    def to_state_label(self) -> str:
        return _state_label(self.to_state)


# -- notifications and reminders -----------------------------------------------------------------


class NotificationKind(models.TextChoices):
    TO_REVIEW = "to_review", "待审核"
    APPROVED = "approved", "审核通过"
    RETURNED = "returned", "退回"
    WITHDRAWN = "withdrawn", "撤回"
    REMINDER = "reminder", "催报提醒"
    OVERDUE_DIGEST = "overdue_digest", "逾期未报汇总"


class EmailStatus(models.TextChoices):
    NONE = "", "—"
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发送"
    NO_ADDRESS = "no_address", "无邮箱地址"
    FAILED = "failed", "发送失败"


class Notification(models.Model):
    """An in-app message to one user (and whether its e-mail copy went out)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name="接收人",
    )
    kind = models.CharField("类型", max_length=20, choices=NotificationKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    report = models.ForeignKey(
        Report,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报表",
    )
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    email_status = models.CharField(
        "邮件", max_length=20, choices=EmailStatus.choices, blank=True, default=""
    )
    email_error = models.CharField("邮件错误", max_length=300, blank=True)

    class Meta:
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class ReminderDispatch(models.Model):
    """A reminder sent for one obligation (or one reviewer's overdue digest), one period and
    one offset from the deadline. The unique key is what makes the daily run idempotent."""

    report_type = models.CharField("报表类型", max_length=20, choices=ReportType.choices)
    period = models.CharField("期间", max_length=10)
    offset_days = models.SmallIntegerField("相对截止日（天）")
    target = models.CharField(
        "对象", max_length=80, help_text="enterprise:12、organisation:3、area:5 或 reviewer:7"
    )
    target_label = models.CharField("对象名称", max_length=200)
    deadline = models.DateField("截止日")
    run_date = models.DateField("发送日期")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)
    recipients = models.JSONField("接收人", default=list)
    notifications = models.PositiveIntegerField("站内通知数", default=0)
    emails = models.PositiveIntegerField("邮件数", default=0)

    class Meta:
        verbose_name = "催报记录"
        verbose_name_plural = "催报记录"
        ordering = ["-run_date", "report_type", "period", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["report_type", "period", "offset_days", "target"],
                name="reminderdispatch_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_label} {self.period} 截止日{self.offset_days:+d}天提醒"


__all__ = [
    "KINDS_FOR_TYPE",
    "MAX_STAGES",
    "EmailStatus",
    "Notification",
    "NotificationKind",
    "ReminderDispatch",
    "ReportingSchedule",
    "ReviewStage",
    "ReviewStep",
    "ReviewerKind",
    "StepStatus",
    "Submission",
    "SubmissionStatus",
    "WorkflowAction",
    "WorkflowEvent",
]

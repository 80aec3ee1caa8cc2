"""The review workflow's write path: submit, approve, return, withdraw; notifications;
configuration changes. Every function takes an explicit keyword-only ``acting_user``, runs in
one transaction, checks the workflow policy first, writes a :class:`WorkflowEvent` and an
audit event, and refuses with a Chinese message.

=============================  ==================================================================
``submit``                     submit the newest revision (draft, or returned: resubmit with a
                               comment) for review along the configured route
``decide``                     approve or return the current step (``approve``/``return_report``
                               are shorthands); the last approval makes the revision 已审核
``withdraw``                   the reporter takes a submission back before anyone decided
``close_superseded``           mark submissions whose revision was replaced by newer data
``sync_submissions``           the above, and route revisions stored directly as 已提交
``obligations``                who is expected to report a period, and where they stand
``send_reminders``             the daily reminder run (``ecplan reminders send``)
``save_route``                 the plan office changes who reviews a report type
``save_schedule``              the plan office changes a report type's calendar
``mark_read``                  notifications read
=============================  ==================================================================

Optimistic locking: pages pass the ``Report.version`` they showed (``expected_version``); if
the report changed since (someone else approved, returned or saved), :class:`ReviewConflict`
is raised and nothing is written. Without it (command line), the state checks under the row
lock still make a second identical decision fail cleanly ("已审核通过，无需重复审核").
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ecplan.accounts import roles
from ecplan.accounts.models import Role
from ecplan.accounts.policies import can
from ecplan.audit.services import record as audit_record
from ecplan.reporting.models import Report, ReportType, Revision, State
from ecplan.reporting.services import ConcurrentEditError, set_revision_state
from ecplan.workflow import policies as wp
from ecplan.workflow.models import (
    MAX_STAGES,
    EmailStatus,
    Notification,
    NotificationKind,
    ReportingSchedule,
    ReviewerKind,
    ReviewStage,
    ReviewStep,
    StepStatus,
    Submission,
    SubmissionStatus,
    WorkflowAction,
    WorkflowEvent,
)

__all__ = [
    "ReviewConflict",
    "WorkflowError",
    "WorkflowRefused",
    "approve",
    "close_superseded",
    "decide",
    "edit_status",
    "mark_read",
    "return_report",
    "save_route",
    "save_schedule",
    "send_reminders",
    "submit",
    "sync_submissions",
    "withdraw",
]

log = logging.getLogger(__name__)


class WorkflowError(ValueError):
    """The request cannot be carried out as asked (a Chinese message says why and what to do)."""


class WorkflowRefused(PermissionDenied):
    """The user may not do this (a Chinese message says why)."""


class ReviewConflict(ConcurrentEditError):
    """Someone else submitted, reviewed or changed the report after the page was loaded."""

    def __init__(self, report: Report) -> None:
        self.report = report
        Exception.__init__(
            self,
            f"“{report}”在您打开页面之后已被他人处理或修改（例如已审核、已退回或保存了新数据），"
            "本次操作未执行，以免覆盖对方的操作。请刷新页面，核对最新状态后再操作。",
        )


# -- helpers ---------------------------------------------------------------------------------------


def _lock(report: Report) -> Report:
    """The report, locked for the rest of the transaction (decisions on it queue up)."""
    return Report.objects.select_for_update().get(pk=report.pk)


def _check_version(report: Report, expected_version: int | None) -> None:
    """Refuse if the report changed since the page was loaded (checked after permissions, so
    that a user who may not act learns nothing about the report's activity)."""
    if expected_version is not None and report.version != expected_version:
        raise ReviewConflict(report)


def _newest(report: Report) -> Revision:
    newest = Revision.objects.filter(report=report).order_by("-number").first()
    if newest is None:
        raise WorkflowError("报表还没有数据，不能提交或审核。")
    return newest


def _roles_text(user: Any) -> str:
    return "、".join(a.label for a in roles.assignments_of(user))[:300]


def _event(
    report: Report,
    revision: Revision,
    action: str,
    *,
    actor: Any,
    from_state: str,
    to_state: str,
    comment: str = "",
    submission: Submission | None = None,
    step: ReviewStep | None = None,
    when: dt.datetime | None = None,
) -> WorkflowEvent:
    version = Report.objects.filter(pk=report.pk).values_list("version", flat=True).first()
    return WorkflowEvent.objects.create(
        report=report,
        revision=revision,
        submission=submission,
        step=step,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "full_name", "") or getattr(actor, "username", ""))
        if actor is not None
        else "",
        actor_roles=_roles_text(actor) if actor is not None else "",
        comment=comment,
        occurred_at=when or timezone.now(),
        report_version=version,
    )


def _bump(report: Report) -> None:
    Report.objects.filter(pk=report.pk).update(version=F("version") + 1, updated_at=timezone.now())


def report_url(report: Report) -> str:
    return reverse("workflow:report", args=[report.pk])


def _today() -> dt.date:
    return timezone.localdate()


# -- notifications ---------------------------------------------------------------------------------


def notify(
    users: Iterable[Any],
    kind: str,
    title: str,
    body: str,
    *,
    report: Report | None = None,
    url: str = "",
    email: bool = True,
) -> list[Notification]:
    """Create one in-app notification per user; their e-mail copies go out once the
    transaction commits (nothing is mailed for a change that was rolled back)."""
    seen: set[int] = set()
    created: list[Notification] = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        created.append(
            Notification(
                recipient=user,
                kind=kind,
                title=title[:200],
                body=body,
                url=url,
                report=report,
                email_status=EmailStatus.QUEUED if email else EmailStatus.NONE,
            )
        )
    Notification.objects.bulk_create(created)
    if email and created:
        ids = [n.pk for n in created if n.pk is not None]
        if ids:
            transaction.on_commit(lambda: deliver(ids))
        else:  # backends that do not return ids from bulk_create
            transaction.on_commit(lambda: deliver_pending())
    return created


def _absolute(url: str) -> str:
    base = getattr(settings, "ECPLAN_BASE_URL", "") or ""
    return base.rstrip("/") + url if base and url.startswith("/") else url


def deliver(notification_ids: Sequence[int]) -> tuple[int, int]:
    """Send the e-mail copies of notifications (once each); returns (sent, failed)."""
    pending = list(
        Notification.objects.filter(pk__in=notification_ids, email_status=EmailStatus.QUEUED)
        .select_related("recipient")
        .order_by("pk")
    )
    sent = failed = 0
    if not pending:
        return 0, 0
    platform = getattr(settings, "ECPLAN_PLATFORM_NAME", "ecplan")
    connection = get_connection(fail_silently=False)
    for n in pending:
        address = (n.recipient.email or "").strip()
        if not address:
            n.email_status = EmailStatus.NO_ADDRESS
            n.save(update_fields=["email_status"])
            continue
        link = _absolute(n.url)
        body = (
            n.body
            + (f"\n\n查看：{link}" if link else "")
            + f"\n\n—— {platform}（系统邮件，请勿回复）"
        )
        message = EmailMessage(
            subject=f"【{platform}】{n.title}",
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            connection=connection,
        )
        try:
            message.send()
        except Exception as exc:
            log.warning("e-mail to %s failed: %s", address, exc)
            n.email_status = EmailStatus.FAILED
            n.email_error = str(exc)[:300]
            failed += 1
        else:
            n.email_status = EmailStatus.SENT
            sent += 1
        n.save(update_fields=["email_status", "email_error"])
    return sent, failed


def deliver_pending() -> tuple[int, int]:
    """Send every queued e-mail copy (also retried by ``ecplan reminders send``)."""
    ids = list(
        Notification.objects.filter(email_status=EmailStatus.QUEUED).values_list("pk", flat=True)
    )
    return deliver(ids)


def mark_read(notifications: Iterable[Notification], *, acting_user: Any) -> int:
    """Mark the user's own notifications read."""
    ids = [n.pk for n in notifications if n.recipient_id == acting_user.pk]
    return Notification.objects.filter(pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def _reporters_of(report: Report, submission: Submission | None = None) -> list[Any]:
    users = list(wp.owner_reporters(report.report_type, report.owner))
    if submission is not None and submission.submitted_by is not None:
        users.append(submission.submitted_by)
    return users


# -- submit ------------------------------------------------------------------------------------------


@transaction.atomic
def submit(
    report: Report,
    *,
    acting_user: Any,
    comment: str = "",
    expected_version: int | None = None,
    today: dt.date | None = None,
) -> Submission:
    """Submit the report's newest revision for review.

    A draft is submitted as it is. A returned revision may be submitted again unchanged only
    with a comment saying why (e.g. "已核实，数据无误"); otherwise the reporter saves the
    corrected data, which makes a new draft revision, and submits that.

    Raises
    ------
    WorkflowRefused
        The user may not submit this report now (message says why).
    WorkflowError
        A returned revision resubmitted without a comment.
    ReviewConflict
        The report changed since ``expected_version``.
    """
    report = _lock(report)
    reason = wp.refusal(acting_user, "submit", report, today=today)
    if reason is not None:
        raise WorkflowRefused(reason)
    _check_version(report, expected_version)
    revision = _newest(report)
    comment = (comment or "").strip()
    resubmit = revision.state == State.RETURNED
    if resubmit and not comment:
        raise WorkflowError(
            f"第 {revision.number} 版曾被退回（原因：{revision.state_reason or '未填写'}）。"
            "未修改数据重新提交时，请在“提交说明”中写明理由（如：已核实，数据无误）；"
            "如需修改，请先保存修改后的数据（生成新修订）再提交。"
        )
    close_superseded(report=report)
    day = today or _today()
    from ecplan.reporting.windows import window_status

    window = window_status(report.report_type, report.period_obj, today=day)
    deadline = getattr(window, "deadline", None)
    from_state = revision.state
    set_revision_state(
        revision,
        State.SUBMITTED,
        acting_user=acting_user,
        reason=comment,
        expected_version=report.version,
        action="submit",
    )
    submission = Submission.objects.create(
        report=report,
        revision=revision,
        submitted_by=acting_user,
        submitted_at=timezone.now(),
        comment=comment,
        deadline=deadline,
        late=bool(deadline is not None and day > deadline),
    )
    steps = _create_steps(submission, report)
    _event(
        report,
        revision,
        WorkflowAction.RESUBMIT if resubmit else WorkflowAction.SUBMIT,
        actor=acting_user,
        from_state=from_state,
        to_state=State.SUBMITTED,
        comment=comment,
        submission=submission,
    )
    _notify_step(steps[0], report, revision)
    return submission


def _create_steps(submission: Submission, report: Report) -> list[ReviewStep]:
    steps = [
        ReviewStep(
            submission=submission,
            position=spec.position,
            reviewer=spec.reviewer,
            organisation=spec.organisation,
            area=spec.area,
            zone=spec.zone,
            label=spec.label,
            status=StepStatus.PENDING if i == 0 else StepStatus.WAITING,
        )
        for i, spec in enumerate(wp.resolve_route(report))
    ]
    for step in steps:
        step.save()
    return steps


def _notify_step(step: ReviewStep, report: Report, revision: Revision) -> None:
    total = step.submission.steps.count()
    stage = f"（第 {step.position}/{total} 步）" if total > 1 else ""
    late = "（逾期提交）" if step.submission.late else ""
    notify(
        wp.step_reviewers(step),
        NotificationKind.TO_REVIEW,
        f"待审核：{report}{stage}",
        f"{report} 第 {revision.number} 版已提交{late}，等待{step.label}审核{stage}。"
        + (f"\n提交说明：{step.submission.comment}" if step.submission.comment else ""),
        report=report,
        url=report_url(report),
    )


def _adopt(report: Report, revision: Revision, *, announce: bool = False) -> Submission:
    """A revision stored directly as 已提交 (补录) gets its submission and route: at its first
    decision, or when :func:`sync_submissions` finds it (then the reviewers are told)."""
    submission = Submission.objects.create(
        report=report,
        revision=revision,
        submitted_by=revision.state_changed_by or revision.created_by,
        submitted_at=revision.state_changed_at or revision.created_at,
        comment=revision.state_reason,
    )
    steps = _create_steps(submission, report)
    _event(
        report,
        revision,
        WorkflowAction.SUBMIT,
        actor=submission.submitted_by,
        from_state=State.SUBMITTED,
        to_state=State.SUBMITTED,
        comment="以“已提交”状态保存（补录），按当前审核流程进入审核"
        + (f"：{revision.state_reason}" if revision.state_reason else ""),
        submission=submission,
        when=submission.submitted_at,
    )
    if announce:
        _notify_step(steps[0], report, revision)
    return submission


def sync_submissions() -> tuple[int, int]:
    """Bring the review bookkeeping up to date with the stored revisions: close submissions
    superseded by newer data, and route revisions stored directly as 已提交 (补录, e.g. by a
    loader) that have no submission yet. Returns (closed, adopted). Called by the queue pages,
    ``ecplan submissions`` and the daily reminder run."""
    closed = close_superseded()
    adopted = 0
    orphans = (
        Revision.objects.newest()
        .filter(state=State.SUBMITTED)
        .exclude(submissions__status=SubmissionStatus.PENDING)
        .select_related("report__enterprise", "report__organisation", "state_changed_by")
    )
    for revision in orphans:
        with transaction.atomic():
            report = _lock(revision.report)
            if wp.pending_submission(report) is not None or _newest(report).pk != revision.pk:
                continue
            _adopt(report, revision, announce=True)
            adopted += 1
    return closed, adopted


# -- decide -------------------------------------------------------------------------------------------


@transaction.atomic
def decide(
    target: Report | ReviewStep,
    decision: str,
    *,
    acting_user: Any,
    comment: str = "",
    expected_version: int | None = None,
) -> Submission:
    """Approve or return the step waiting for ``acting_user``.

    ``target`` is a report (its current step) or a specific step (the review page posts the
    step it showed: if that step is no longer current — decided by someone else, or its
    revision was replaced by newer data — the decision is refused).
    ``decision``: ``approve`` or ``return``; returning needs a ``comment`` (the reason).

    Raises
    ------
    WorkflowRefused, WorkflowError, ReviewConflict
    """
    if decision not in ("approve", "return"):
        raise WorkflowError(f"未知的审核决定“{decision}”，应为 approve（通过）或 return（退回）。")
    comment = (comment or "").strip()
    if decision == "return" and not comment:
        raise WorkflowError("退回须填写原因，说明需要填报单位核实或修改的内容。")
    if isinstance(target, ReviewStep):
        report = _lock(target.submission.report)
        step = ReviewStep.objects.select_for_update().get(pk=target.pk)
        submission = step.submission
        revision = submission.revision
        if not wp.is_step_reviewer(acting_user, step) or roles.is_read_only(acting_user):
            raise WorkflowRefused(
                f"本环节由{step.label}审核（第 {step.position} 步），您不是该环节的审核人。"
            )
        _check_version(report, expected_version)
        newest = _newest(report)
        if newest.pk != revision.pk:
            raise WorkflowError(
                f"第 {revision.number} 版已被第 {newest.number} 版（{newest.get_state_display()}）"
                "取代，不能再审核旧版本；请审核最新提交的版本。"
            )
        if step.status != StepStatus.PENDING or submission.status != SubmissionStatus.PENDING:
            raise WorkflowError(_not_pending(step, submission))
    else:
        report = _lock(target)
        revision = _newest(report)
        reason = wp.refusal(acting_user, decision, report)
        if reason is not None:
            raise WorkflowRefused(reason)
        _check_version(report, expected_version)
        found = wp.pending_submission(report)
        submission = found if found is not None else _adopt(report, revision)
        pending = submission.steps.select_for_update().filter(status=StepStatus.PENDING).first()
        if pending is None:
            raise WorkflowError("没有待审核的环节。")
        step = pending
    reason = wp.step_refusal(acting_user, step, revision)
    if reason is not None:
        raise WorkflowRefused(reason)
    now = timezone.now()
    step.status = StepStatus.APPROVED if decision == "approve" else StepStatus.RETURNED
    step.decided_by = acting_user
    step.decided_at = now
    step.comment = comment
    step.save()
    later = list(submission.steps.filter(position__gt=step.position).order_by("position"))
    if decision == "approve" and later:
        nxt = later[0]
        nxt.status = StepStatus.PENDING
        nxt.save(update_fields=["status"])
        _bump(report)
        audit_record(
            "approve",
            actor=acting_user,
            obj=revision,
            detail=f"第 {step.position} 步（{step.label}）审核通过，转{nxt.label}审核。"
            + (f"意见：{comment}" if comment else ""),
        )
        _event(
            report,
            revision,
            WorkflowAction.APPROVE_STEP,
            actor=acting_user,
            from_state=State.SUBMITTED,
            to_state=State.SUBMITTED,
            comment=comment,
            submission=submission,
            step=step,
            when=now,
        )
        _notify_step(nxt, report, revision)
        return submission
    for s in later:
        s.status = StepStatus.CANCELLED
        s.save(update_fields=["status"])
    final = State.APPROVED if decision == "approve" else State.RETURNED
    total = submission.steps.count()
    stage = f"第 {step.position}/{total} 步（{step.label}）" if total > 1 else step.label
    set_revision_state(
        revision,
        final,
        acting_user=acting_user,
        reason=comment,
        action=decision,
    )
    submission.status = (
        SubmissionStatus.APPROVED if decision == "approve" else SubmissionStatus.RETURNED
    )
    submission.closed_at = now
    submission.save(update_fields=["status", "closed_at"])
    _event(
        report,
        revision,
        WorkflowAction.APPROVE if decision == "approve" else WorkflowAction.RETURN,
        actor=acting_user,
        from_state=State.SUBMITTED,
        to_state=final,
        comment=comment,
        submission=submission,
        step=step,
        when=now,
    )
    recipients = _reporters_of(report, submission)
    name = getattr(acting_user, "full_name", "") or acting_user.username
    if decision == "approve":
        notify(
            recipients,
            NotificationKind.APPROVED,
            f"审核通过：{report}",
            f"{report} 第 {revision.number} 版已由{stage}审核通过（{name}），数据已锁定。"
            + (f"\n审核意见：{comment}" if comment else ""),
            report=report,
            url=report_url(report),
        )
    else:
        earlier = [s.decided_by for s in submission.steps.filter(position__lt=step.position)]
        notify(
            [*recipients, *earlier],
            NotificationKind.RETURNED,
            f"退回：{report}",
            f"{report} 第 {revision.number} 版被{stage}退回（{name}）。\n退回原因：{comment}\n"
            "请核实后修改数据（将生成新修订）并重新提交。",
            report=report,
            url=report_url(report),
        )
    return submission


def _not_pending(step: ReviewStep, submission: Submission) -> str:
    if step.status in (StepStatus.APPROVED, StepStatus.RETURNED):
        who = step.decided_by
        name = (getattr(who, "full_name", "") or getattr(who, "username", "")) if who else ""
        when = f"{timezone.localtime(step.decided_at):%Y-%m-%d %H:%M}" if step.decided_at else ""
        verb = "审核通过" if step.status == StepStatus.APPROVED else "退回"
        return f"本环节已由 {name} 于 {when} {verb}，无需重复操作。请刷新页面查看最新状态。"
    if step.status == StepStatus.WAITING:
        return "尚未轮到本环节：前一环节还未审核通过。"
    return f"本次提交已{submission.get_status_display()}，不能再审核。"


def approve(report: Report, *, acting_user: Any, comment: str = "", **kw: Any) -> Submission:
    return decide(report, "approve", acting_user=acting_user, comment=comment, **kw)


def return_report(report: Report, *, acting_user: Any, reason: str, **kw: Any) -> Submission:
    return decide(report, "return", acting_user=acting_user, comment=reason, **kw)


# -- withdraw and supersede ----------------------------------------------------------------------


@transaction.atomic
def withdraw(
    report: Report, *, acting_user: Any, reason: str, expected_version: int | None = None
) -> Submission:
    """The reporter takes the pending submission back before any reviewer decided.

    The revision becomes 退回 (with the reason "撤回：…"): its content stays as submitted, and
    the corrected data is saved as a new revision.
    """
    report = _lock(report)
    if roles.is_read_only(acting_user) or not can(acting_user, "report", report.owner):
        raise WorkflowRefused(f"您不是“{report.owner}”的填报人，不能撤回其提交。")
    _check_version(report, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError("撤回须填写原因（如：发现数据有误，需要修改）。")
    submission = wp.pending_submission(report)
    if submission is None:
        raise WorkflowError("没有审核中的提交可以撤回。")
    if submission.steps.filter(status__in=(StepStatus.APPROVED, StepStatus.RETURNED)).exists():
        raise WorkflowError("已有审核人审核通过了本次提交，不能再撤回；请联系当前审核人退回。")
    pending = list(submission.steps.filter(status=StepStatus.PENDING))
    revision = submission.revision
    submission.steps.filter(status__in=(StepStatus.PENDING, StepStatus.WAITING)).update(
        status=StepStatus.CANCELLED
    )
    set_revision_state(
        revision,
        State.RETURNED,
        acting_user=acting_user,
        reason=f"撤回：{reason}",
        action="withdraw",
    )
    submission.status = SubmissionStatus.WITHDRAWN
    submission.closed_at = timezone.now()
    submission.save(update_fields=["status", "closed_at"])
    _event(
        report,
        revision,
        WorkflowAction.WITHDRAW,
        actor=acting_user,
        from_state=State.SUBMITTED,
        to_state=State.RETURNED,
        comment=reason,
        submission=submission,
    )
    for step in pending:
        notify(
            wp.step_reviewers(step),
            NotificationKind.WITHDRAWN,
            f"已撤回：{report}",
            f"{report} 第 {revision.number} 版已由填报单位撤回，无需审核。原因：{reason}",
            report=report,
            url=report_url(report),
        )
    return submission


def close_superseded(*, report: Report | None = None) -> int:
    """Close pending submissions whose revision is no longer the report's newest (the reporter
    saved new data while it waited): status 已被新修订取代, remaining steps cancelled, an event
    in the history. Returns how many were closed."""
    from django.db.models import Exists, OuterRef

    newer = Revision.objects.filter(
        report_id=OuterRef("report_id"), number__gt=OuterRef("revision__number")
    )
    qs = (
        Submission.objects.filter(status=SubmissionStatus.PENDING)
        .filter(Exists(newer))
        .select_related("revision", "report")
    )
    if report is not None:
        qs = qs.filter(report=report)
    closed = 0
    with transaction.atomic():
        for sub in qs.select_for_update(of=("self",)):
            newest = _newest(sub.report)
            sub.status = SubmissionStatus.SUPERSEDED
            sub.closed_at = timezone.now()
            sub.save(update_fields=["status", "closed_at"])
            sub.steps.filter(status__in=(StepStatus.PENDING, StepStatus.WAITING)).update(
                status=StepStatus.CANCELLED
            )
            _event(
                sub.report,
                sub.revision,
                WorkflowAction.SUPERSEDE,
                actor=None,
                from_state=sub.revision.state,
                to_state=sub.revision.state,
                comment=f"审核前已保存第 {newest.number} 版，本次提交不再审核。",
                submission=sub,
            )
            closed += 1
    return closed


# -- what the edit pages must say ------------------------------------------------------------------


@dataclass(frozen=True)
class EditStatus:
    """Whether and how a report's data may be changed now (for the reporting pages).

    ``allowed``: the form may save. ``in_place``: the newest revision is a draft and is changed
    in place; otherwise saving makes revision ``next_number``. ``reason_required``: a correction
    of approved or returned data needs a 修订原因. ``message``: what to show above the form.
    """

    allowed: bool
    in_place: bool
    next_number: int
    reason_required: bool
    message: str


def edit_status(report: Report | None, revision: Revision | None = None) -> EditStatus:
    """How editing ``report`` behaves now — or, with ``revision``, whether that revision may be
    edited (only the newest revision, and only while it is a draft: everything else is locked
    and is refused with the message)."""
    if report is None:
        return EditStatus(True, False, 1, False, "")
    newest = Revision.objects.filter(report=report).order_by("-number").first()
    if newest is None:
        return EditStatus(True, False, 1, False, "")
    nxt = newest.number + 1
    if revision is not None and revision.pk != newest.pk:
        return EditStatus(
            False,
            False,
            nxt,
            True,
            f"第 {revision.number} 版是历史版本（当前最新为第 {newest.number} 版），已锁定，不能修改。"
            "请在最新版本上修改；保存后生成新修订。",
        )
    if newest.state == State.DRAFT:
        return EditStatus(True, True, newest.number, False, "")
    if revision is not None:
        return EditStatus(
            False,
            False,
            nxt,
            True,
            f"第 {newest.number} 版{newest.get_state_display()}，已锁定，不能直接修改。"
            f"保存修改后的数据将生成第 {nxt} 版修订，须重新提交审核。",
        )
    if newest.state == State.APPROVED:
        return EditStatus(
            True,
            False,
            nxt,
            True,
            f"第 {newest.number} 版已审核通过，已锁定。保存更正将生成第 {nxt} 版修订（请写明修订原因），"
            f"须重新提交审核；审核通过前，第 {newest.number} 版仍为有效数据。",
        )
    if newest.state == State.RETURNED:
        return EditStatus(
            True,
            False,
            nxt,
            False,
            f"第 {newest.number} 版已退回（{newest.state_reason or '未填写原因'}）。"
            f"保存修改后的数据将生成第 {nxt} 版，然后重新提交。",
        )
    return EditStatus(
        True,
        False,
        nxt,
        True,
        f"第 {newest.number} 版已提交，正在审核。现在保存修改将生成第 {nxt} 版，"
        "本次审核随之取消，须重新提交；如只是发现问题，也可以先撤回提交。",
    )


# -- configuration ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageInput:
    reviewer: str
    organisation_code: str = ""


@transaction.atomic
def save_route(
    report_type: str, stages: Sequence[StageInput], *, acting_user: Any
) -> list[ReviewStage]:
    """Replace the review route of ``report_type`` (1 to 3 steps, in order). Submissions
    already under review keep their route."""
    if not roles.has_any_role(acting_user, Role.PLAN_ADMIN, Role.SYSTEM_ADMIN):
        raise WorkflowRefused("只有计划管理员可以修改审核流程。")
    if report_type not in ReportType.values:
        raise WorkflowError(f"未知的报表类型“{report_type}”。")
    if not 1 <= len(stages) <= MAX_STAGES:
        raise WorkflowError(f"审核流程须有 1 至 {MAX_STAGES} 个环节。")
    keys = [(s.reviewer, s.organisation_code) for s in stages]
    if len(set(keys)) != len(keys):
        raise WorkflowError("同一审核人不能出现在两个环节中。")
    before = [
        str(s) for s in ReviewStage.objects.filter(report_type=report_type).order_by("position")
    ]
    built = []
    for i, s in enumerate(stages, start=1):
        stage = ReviewStage(
            report_type=report_type,
            position=i,
            reviewer=s.reviewer,
            organisation_code=s.organisation_code
            if s.reviewer == ReviewerKind.ORGANISATION
            else "",
            active=True,
            updated_by=acting_user,
        )
        try:
            stage.full_clean(exclude=["report_type", "position"])
        except ValidationError as exc:
            messages = "；".join(m for ms in exc.message_dict.values() for m in ms)
            raise WorkflowError(f"第 {i} 步：{messages}") from None
        built.append(stage)
    ReviewStage.objects.filter(report_type=report_type).delete()
    for stage in built:
        stage.save()
    audit_record(
        "configure",
        actor=acting_user,
        object_type="workflow.ReviewStage",
        object_type_label="审核环节配置",
        object_repr=f"{ReportType(report_type).label}审核流程",
        changes={"route": {"old": before, "new": [str(s) for s in built]}},
    )
    return built


SCHEDULE_FIELDS = (
    "expected",
    "opens_after_days",
    "window_days",
    "deadline_month_offset",
    "deadline_day",
    "reminder_offsets",
    "remind_reviewers",
)


@transaction.atomic
def save_schedule(
    schedule: ReportingSchedule, values: dict[str, Any], *, acting_user: Any
) -> ReportingSchedule:
    """Change one reporting-calendar rule (validated: the deadline must lie inside the window)."""
    from ecplan.audit.services import record_update, snapshot

    if not roles.has_any_role(acting_user, Role.PLAN_ADMIN, Role.SYSTEM_ADMIN):
        raise WorkflowRefused("只有计划管理员可以修改报送日历。")
    schedule = ReportingSchedule.objects.select_for_update().get(pk=schedule.pk)
    before = snapshot(schedule, fields=list(SCHEDULE_FIELDS))
    for key, value in values.items():
        if key not in SCHEDULE_FIELDS:
            raise WorkflowError(f"未知的设置项“{key}”。")
        setattr(schedule, key, value)
    schedule.updated_by = acting_user
    try:
        schedule.full_clean()
    except ValidationError as exc:
        messages = "；".join(m for ms in exc.message_dict.values() for m in ms)
        raise WorkflowError(messages) from None
    schedule.reminder_offsets = schedule.offsets()
    schedule.save()
    record_update(schedule, actor=acting_user, before=before, action="configure")
    return schedule


# -- who has not submitted: obligations of a period ------------------------------------------------

STATISTICS_BUREAU_CODE = "statistics"

#: obligation state → label; "counted": submitted or approved (the period is reported)
OBLIGATION_STATES: dict[str, str] = {
    "missing": "未填报",
    "draft": "草稿未提交",
    "returned": "已退回待修改",
    "submitted": "已提交待审核",
    "approved": "已审核",
}
NOT_SUBMITTED = frozenset({"missing", "draft", "returned"})


@dataclass
class Obligation:
    """One owner's duty to report one period, and where it stands."""

    report_type: str
    period: Any  # Period
    owner: Any  # Enterprise | Organisation
    area: Any  # Area | None: the enterprise's county-level area, the area statistics describe
    label: str
    report: Report | None
    revision: Revision | None
    state: str
    responsible: str  # the first review step, e.g. 仪征市（区县用户）
    responsible_users: list[Any]
    reporters: list[Any]
    waiting_for: str  # the pending step's label, when submitted
    deadline: dt.date | None
    today: dt.date

    @property
    def target(self) -> str:
        if self.report_type == ReportType.STATISTICS:
            return f"area:{self.area.pk}"
        kind = "enterprise" if self.report_type == ReportType.ENERGY else "organisation"
        return f"{kind}:{self.owner.pk}"

    @property
    def state_label(self) -> str:
        return OBLIGATION_STATES[self.state]

    @property
    def submitted(self) -> bool:
        return self.state not in NOT_SUBMITTED

    @property
    def overdue_days(self) -> int:
        if self.submitted or self.deadline is None:
            return 0
        return max(0, (self.today - self.deadline).days)

    @property
    def group(self) -> str:
        if self.report_type == ReportType.ENERGY:
            return self.area.name if self.area is not None else ""
        if self.report_type == ReportType.STATISTICS:
            return "统计数据"
        return "部门指标"

    def to_dict(self) -> dict[str, Any]:
        return {
            "report_type": self.report_type,
            "period": str(self.period),
            "owner": str(self.owner),
            "owner_id": self.owner.pk,
            "area": str(self.area) if self.area is not None else None,
            "label": self.label,
            "report_id": self.report.pk if self.report is not None else None,
            "revision": self.revision.number if self.revision is not None else None,
            "state": self.state,
            "state_label": self.state_label,
            "responsible": self.responsible,
            "responsible_users": [u.username for u in self.responsible_users],
            "reporters": [u.username for u in self.reporters],
            "waiting_for": self.waiting_for,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "overdue_days": self.overdue_days,
        }


def _expected_owners(report_type: str, period: Any, user: Any) -> list[tuple[Any, Any, str]]:
    """(owner, area, label) of everyone expected to report ``period``, within ``user``'s reach
    (``None``: everyone — the reminder run)."""
    from ecplan.organisations.models import Area, Enterprise, Organisation
    from ecplan.reporting.models import IndicatorAssignment

    if report_type == ReportType.ENERGY:
        enterprises = (
            Enterprise.objects.all() if user is None else wp.obligation_enterprises(user)
        ).select_related("area", "zone")
        return [(e, e.area, e.name) for e in enterprises.order_by("area_id", "name")]
    if report_type == ReportType.STATISTICS:
        out = []
        for bureau in Organisation.objects.filter(code=STATISTICS_BUREAU_CODE):
            areas = Area.objects.filter(region_id=bureau.region_id).filter(
                kind__in=[Area.Kind.CITY, *sorted(_county_kinds())]
            )
            if user is not None and not (
                roles.sees_everything(user) or roles.organisation_ids_for(user)
            ):
                mine = roles.area_ids_for(user)
                areas = areas.filter(
                    models_q(pk__in=mine) | models_q(kind=Area.Kind.CITY)
                    if mine
                    else models_q(pk__in=[])
                )
            for area in areas.order_by("id"):
                out.append((bureau, area, f"{area.name}（{bureau.name}）"))
        return out
    orgs = Organisation.objects.filter(
        pk__in=IndicatorAssignment.objects.filter(active=True, frequency=period.kind).values(
            "organisation_id"
        )
    )
    if user is not None and not roles.sees_everything(user):
        orgs = orgs.filter(pk__in=roles.organisation_ids_for(user))
    return [(o, None, o.name) for o in orgs.order_by("id")]


def _county_kinds() -> frozenset[str]:
    from ecplan.core.registry import COUNTY_LEVEL_KINDS

    return frozenset(COUNTY_LEVEL_KINDS)


def models_q(**kw: Any) -> Any:
    from django.db.models import Q

    return Q(**kw)


def obligations(
    report_type: str, period: Any, *, user: Any = None, today: dt.date | None = None
) -> list[Obligation]:
    """Everyone expected to report ``period`` of ``report_type`` and where they stand,
    grouped by area (energy) or department; ``user`` narrows to what they may see."""
    from ecplan.accounts.models import RoleAssignment
    from ecplan.reporting.periods import Period, parse_period
    from ecplan.reporting.windows import window_status

    period = period if isinstance(period, Period) else parse_period(period)
    day = today or _today()
    owners = _expected_owners(report_type, period, user)
    if not owners:
        return []
    window = window_status(report_type, period, today=day)
    deadline = getattr(window, "deadline", None)
    reports = Report.objects.filter(report_type=report_type, period=str(period))
    by_owner: dict[tuple[int | None, int | None], Report]
    if report_type == ReportType.ENERGY:
        by_owner = {(r.enterprise_id, None): r for r in reports}
    elif report_type == ReportType.STATISTICS:
        by_owner = {(r.organisation_id, r.area_id): r for r in reports}
    else:
        by_owner = {(r.organisation_id, None): r for r in reports}
    newest = {
        r.report_id: r
        for r in Revision.objects.filter(report__in=list(by_owner.values()))
        .newest()
        .select_related("report")
    }
    waiting = {
        s.submission.report_id: s.label
        for s in ReviewStep.objects.filter(
            status=StepStatus.PENDING,
            submission__status=SubmissionStatus.PENDING,
            submission__report__in=list(by_owner.values()),
        ).select_related("submission")
    }
    role = Role.ENTERPRISE_REPORTER if report_type == ReportType.ENERGY else Role.DEPT_REPORTER
    field = "enterprise_id" if report_type == ReportType.ENERGY else "organisation_id"
    reporters: dict[int, list[Any]] = {}
    for ra in RoleAssignment.objects.filter(
        role=role,
        user__is_active=True,
        **{f"{field}__in": [o.pk for o, _, _ in owners]},
    ).select_related("user"):
        reporters.setdefault(getattr(ra, field), []).append(ra.user)
    stages = wp.configured_stages(report_type)
    route_cache: dict[tuple[Any, ...], tuple[str, list[Any]]] = {}
    out: list[Obligation] = []
    for owner, area, label in owners:
        key = (owner.pk, area.pk if report_type == ReportType.STATISTICS and area else None)
        report = by_owner.get(key)
        revision = newest.get(report.pk) if report is not None else None
        state = "missing" if revision is None else str(revision.state)
        # the owner is loaded with its area: resolve on an unsaved report (no query per row)
        first = wp.first_step(_probe(report_type, owner, area, period), stages=stages)
        ck = (first.reviewer, first.label)
        if ck not in route_cache:
            route_cache[ck] = (first.label, list(wp.step_reviewers(first)))
        responsible, users = route_cache[ck]
        out.append(
            Obligation(
                report_type=report_type,
                period=period,
                owner=owner,
                area=area,
                label=label,
                report=report,
                revision=revision,
                state=state,
                responsible=responsible,
                responsible_users=users,
                reporters=reporters.get(owner.pk, []),
                waiting_for=waiting.get(report.pk, "") if report is not None else "",
                deadline=deadline,
                today=day,
            )
        )
    return out


def _probe(report_type: str, owner: Any, area: Any, period: Any) -> Report:
    """An unsaved report, to resolve the route of an owner who has not reported yet."""
    if report_type == ReportType.ENERGY:
        return Report(report_type=report_type, enterprise=owner, period=str(period))
    return Report(
        report_type=report_type,
        organisation=owner,
        area=area if report_type == ReportType.STATISTICS else None,
        period=str(period),
    )


# -- reminders ------------------------------------------------------------------------------------------

#: A reminder whose day passed more than this many days ago (the daily run did not run) is
#: not sent late; the next configured offset catches up instead.
CATCH_UP_DAYS = 7


@dataclass
class ReminderItem:
    report_type: str
    period: str
    offset_days: int
    target: str
    target_label: str
    kind: str  # "reminder" or "digest"
    recipients: list[str]
    emails: int = 0
    already_sent: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ReminderOutcome:
    run_date: dt.date
    dry_run: bool
    items: list[ReminderItem]
    emails_sent: int = 0
    emails_failed: int = 0
    superseded_closed: int = 0

    @property
    def sent(self) -> list[ReminderItem]:
        return [i for i in self.items if not i.already_sent]

    @property
    def skipped(self) -> list[ReminderItem]:
        return [i for i in self.items if i.already_sent]

    def summary(self) -> str:
        head = "（试运行，未发送）" if self.dry_run else ""
        reminders = sum(1 for i in self.sent if i.kind == "reminder")
        digests = sum(1 for i in self.sent if i.kind == "digest")
        verb = "将发送" if self.dry_run else "已发送"
        text = (
            f"{head}{self.run_date:%Y-%m-%d}：{verb}催报提醒 {reminders} 条、逾期汇总 {digests} 条"
            f"（{sum(len(i.recipients) for i in self.sent)} 人次）"
        )
        if not self.dry_run:
            text += f"，邮件 {self.emails_sent} 封"
            if self.emails_failed:
                text += f"（{self.emails_failed} 封发送失败）"
        if self.skipped:
            text += f"；{len(self.skipped)} 条此前已发送，未重复发送"
        return text + "。"

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_date": self.run_date.isoformat(),
            "dry_run": self.dry_run,
            "summary": self.summary(),
            "sent": [i.to_dict() for i in self.sent],
            "already_sent": [i.to_dict() for i in self.skipped],
            "emails_sent": self.emails_sent,
            "emails_failed": self.emails_failed,
        }


def _reminder_text(ob: Obligation, offset: int) -> tuple[str, str]:
    assert ob.deadline is not None
    days = (ob.today - ob.deadline).days
    state = {
        "missing": "尚未填报",
        "draft": "已填写草稿但尚未提交",
        "returned": "被退回后尚未重新提交",
    }[ob.state]
    type_label = ReportType(ob.report_type).label
    if days < 0:
        title = (
            f"催报提醒：{ob.label} {ob.period.label}{type_label}将于 {ob.deadline:%m月%d日} 截止"
        )
        when = f"截止日为 {ob.deadline:%Y-%m-%d}，还有 {-days} 天"
    elif days == 0:
        title = f"催报提醒：{ob.label} {ob.period.label}{type_label}今天截止"
        when = f"今天（{ob.deadline:%Y-%m-%d}）是截止日"
    else:
        title = f"逾期提醒：{ob.label} {ob.period.label}{type_label}已逾期 {days} 天"
        when = f"截止日 {ob.deadline:%Y-%m-%d} 已过 {days} 天"
    body = (
        f"{ob.label}的{ob.period.label}{type_label}{state}。{when}。\n"
        f"请尽快填报并提交审核（审核单位：{ob.responsible}）。"
    )
    return title, body


def send_reminders(*, today: dt.date | None = None, dry_run: bool = False) -> ReminderOutcome:
    """Send the reminders due on ``today`` (default: today) — the daily job
    (``ecplan reminders send``).

    For each expected report type and period kind of the calendar, each period still in reach
    and the latest reminder offset whose day has come (within :data:`CATCH_UP_DAYS`): every
    owner who has not submitted gets an in-app notification and an e-mail (their reporters);
    after the deadline, each responsible reviewer gets one digest of the overdue owners.
    Each (report type, period, offset, owner or reviewer) is sent at most once: the
    :class:`ReminderDispatch` row is written with the notifications, and its unique key refuses
    a second one. Audited as one ``remind`` event per run.
    """
    from django.db import IntegrityError

    from ecplan.workflow.models import ReminderDispatch
    from ecplan.workflow.reporting_calendar import periods_around, rules

    day = today or _today()
    outcome = ReminderOutcome(run_date=day, dry_run=dry_run, items=[])
    if not dry_run:
        outcome.superseded_closed, _ = sync_submissions()
    configured = rules()
    from ecplan.workflow.reporting_calendar import rule_for

    keys = set(configured) or set(_default_keys())
    new_ids: list[int] = []
    for report_type, kind in sorted(keys):
        rule = rule_for(report_type, kind)
        if not rule.expected or not rule.reminder_offsets:
            continue
        for period in periods_around(report_type, kind, day):
            deadline = rule.deadline(period)
            due = [
                o
                for o in rule.reminder_offsets
                if deadline + dt.timedelta(days=o) <= day
                and (day - (deadline + dt.timedelta(days=o))).days <= CATCH_UP_DAYS
            ]
            if not due:
                continue
            offset = max(due)
            missing = [ob for ob in obligations(report_type, period, today=day) if not ob.submitted]
            if not missing:
                continue
            sent_before = set(
                ReminderDispatch.objects.filter(
                    report_type=report_type, period=str(period), offset_days=offset
                ).values_list("target", flat=True)
            )
            for ob in missing:
                title, body = _reminder_text(ob, offset)
                item = ReminderItem(
                    report_type,
                    str(period),
                    offset,
                    ob.target,
                    ob.label,
                    "reminder",
                    [u.username for u in ob.reporters],
                    already_sent=ob.target in sent_before,
                )
                outcome.items.append(item)
                if item.already_sent or dry_run:
                    continue
                url = report_url(ob.report) if ob.report is not None else reverse("workflow:status")
                try:
                    with transaction.atomic():
                        created = notify(
                            ob.reporters,
                            NotificationKind.REMINDER,
                            title,
                            body,
                            report=ob.report,
                            url=url,
                        )
                        ReminderDispatch.objects.create(
                            report_type=report_type,
                            period=str(period),
                            offset_days=offset,
                            target=ob.target,
                            target_label=ob.label,
                            deadline=deadline,
                            run_date=day,
                            recipients=item.recipients,
                            notifications=len(created),
                            emails=sum(1 for u in ob.reporters if u.email),
                        )
                except IntegrityError:  # another run sent it meanwhile
                    item.already_sent = True
                    continue
                new_ids += [n.pk for n in created if n.pk is not None]
            if offset > 0 and rule.remind_reviewers:
                _digests(
                    report_type,
                    period,
                    offset,
                    deadline,
                    day,
                    missing,
                    sent_before,
                    outcome,
                    new_ids,
                    dry_run,
                )
    if not dry_run:
        sent, failed = deliver(new_ids)
        retry_sent, retry_failed = deliver_pending()
        outcome.emails_sent, outcome.emails_failed = sent + retry_sent, failed + retry_failed
        if outcome.sent:
            audit_record(
                "remind",
                actor=None,
                object_type="workflow.ReminderDispatch",
                object_type_label="催报记录",
                object_repr=f"{day:%Y-%m-%d} 催报",
                detail=outcome.summary(),
                changes={
                    "reminders": {
                        "old": None,
                        "new": [
                            f"{i.target_label} {i.period} {i.offset_days:+d}" for i in outcome.sent
                        ][:500],
                    }
                },
            )
    return outcome


def _default_keys() -> list[tuple[str, str]]:
    from ecplan.workflow.reporting_calendar import DEFAULT_RULES

    return list(DEFAULT_RULES)


def _digests(
    report_type: str,
    period: Any,
    offset: int,
    deadline: dt.date,
    day: dt.date,
    missing: list[Obligation],
    sent_before: set[str],
    outcome: ReminderOutcome,
    new_ids: list[int],
    dry_run: bool,
) -> None:
    from django.db import IntegrityError

    from ecplan.workflow.models import ReminderDispatch

    by_reviewer: dict[int, tuple[Any, list[Obligation]]] = {}
    for ob in missing:
        for user in ob.responsible_users:
            by_reviewer.setdefault(user.pk, (user, []))[1].append(ob)
    type_label = ReportType(report_type).label
    days = (day - deadline).days
    for user, obs in by_reviewer.values():
        target = f"reviewer:{user.pk}"
        name = getattr(user, "full_name", "") or user.username
        item = ReminderItem(
            report_type,
            str(period),
            offset,
            target,
            f"{name}（{obs[0].responsible}）",
            "digest",
            [user.username],
            already_sent=target in sent_before,
        )
        outcome.items.append(item)
        if item.already_sent or dry_run:
            continue
        lines = "\n".join(f"- {ob.label}：{ob.state_label}" for ob in obs)
        try:
            with transaction.atomic():
                created = notify(
                    [user],
                    NotificationKind.OVERDUE_DIGEST,
                    f"逾期未报：{period.label}{type_label}有 {len(obs)} 个单位未提交",
                    f"{period.label}{type_label}截止日 {deadline:%Y-%m-%d} 已过 {days} 天，"
                    f"以下由您负责审核的单位尚未提交：\n{lines}",
                    url=reverse("workflow:missing") + f"?report_type={report_type}&period={period}",
                )
                ReminderDispatch.objects.create(
                    report_type=report_type,
                    period=str(period),
                    offset_days=offset,
                    target=target,
                    target_label=item.target_label,
                    deadline=deadline,
                    run_date=day,
                    recipients=[user.username],
                    notifications=len(created),
                    emails=1 if user.email else 0,
                )
        except IntegrityError:
            item.already_sent = True
            continue
        new_ids += [n.pk for n in created if n.pk is not None]


# -- report status (pages and the command line) -----------------------------------------------------


@dataclass
class StatusRow:
    """A report, its newest revision's state and where its review stands."""

    report: Report
    number: int | None
    state: str | None
    waiting: ReviewStep | None
    deadline: dt.date | None

    @property
    def state_label(self) -> str:
        return State(self.state).label if self.state else "无数据"

    @property
    def progress(self) -> str:
        if self.waiting is not None:
            return f"等待{self.waiting.label}审核（第 {self.waiting.position} 步）"
        labels: dict[str, str] = {
            State.APPROVED: "审核完成",
            State.RETURNED: "待修改后重新提交",
            State.DRAFT: "待提交",
            State.SUBMITTED: "等待审核",
        }
        return labels.get(str(self.state or ""), "—")

    def to_dict(self) -> dict[str, Any]:
        r = self.report
        return {
            "id": r.pk,
            "report_type": r.report_type,
            "report_type_label": r.get_report_type_display(),
            "owner": r.owner_label,
            "period": r.period,
            "revision": self.number,
            "state": self.state,
            "state_label": self.state_label,
            "waiting_for": self.waiting.label if self.waiting is not None else None,
            "waiting_step": self.waiting.position if self.waiting is not None else None,
            "progress": self.progress,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "version": r.version,
            "is_demo": r.is_demo,
        }


def with_newest(qs: Any) -> Any:
    """Annotate reports with their newest revision's ``newest_state`` and ``newest_number``."""
    from django.db.models import OuterRef

    newest = Revision.objects.filter(report=OuterRef("pk")).newest()
    return qs.annotate(
        newest_state=newest.values("state")[:1], newest_number=newest.values("number")[:1]
    )


def status_rows(reports: Sequence[Report]) -> list[StatusRow]:
    """Status rows of reports already fetched through a policy (annotated by
    :func:`with_newest`)."""
    from ecplan.reporting.windows import window_status

    ids = [r.pk for r in reports]
    waiting = {
        s.submission.report_id: s
        for s in ReviewStep.objects.filter(
            status=StepStatus.PENDING,
            submission__status=SubmissionStatus.PENDING,
            submission__report_id__in=ids,
        ).select_related("submission__revision")
    }
    rows = []
    for r in reports:
        number = getattr(r, "newest_number", None)
        step = waiting.get(r.pk)
        window = window_status(r.report_type, r.period_obj)
        rows.append(
            StatusRow(
                report=r,
                number=number,
                state=getattr(r, "newest_state", None),
                # a submission whose revision was replaced by newer data waits for nobody
                waiting=step
                if step is not None and step.submission.revision.number == number
                else None,
                deadline=getattr(window, "deadline", None),
            )
        )
    return rows

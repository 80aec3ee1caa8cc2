"""Who may submit, approve and return which report — and the row-level policies of the
workflow's own models.

The review route of a report is configuration (:class:`ecplan.workflow.models.ReviewStage`);
:func:`resolve_route` turns it into concrete steps for one report, :func:`step_reviewers`
says which users may decide one step. The rules on top of the route:

- ``submit``: whoever may report for the owner (``report`` permission on the enterprise or
  department: its reporters, plan administrators), on the newest revision when it is a draft
  or was returned, inside the period's reporting window (plan and system administrators also
  outside it: 补报).
- ``approve`` / ``return``: the reviewer of the submission's current step — never the person
  who submitted or created the revision, never a user who reports for the same enterprise
  (an enterprise never approves its own report), and never the person who already decided an
  earlier step of the same submission (two steps need two people). Leaders and system
  administrators review nothing.

:func:`refusal` gives the Chinese reason a user is refused (``None``: allowed);
``ReportPolicy.can`` in ``ecplan.reporting.policies`` delegates the three actions here.

Policies of the workflow's models:

===================== ===========================================================================
model                 visible to / actions
===================== ===========================================================================
ReviewStage,          everyone holding a role reads; ``change``: plan and system administrators
ReportingSchedule
Submission,           whoever sees the report (``ReportPolicy``), plus the reviewers the
ReviewStep,           submission was routed to (e.g. 市工信局's reviewers see the enterprise
WorkflowEvent         reports that reached them); ``decide`` on a step: :func:`step_refusal`
Notification          its recipient only; ``change`` (mark read): the recipient
ReminderDispatch      plan and system administrators
===================== ===========================================================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from ecplan.accounts import roles
from ecplan.accounts.models import Role
from ecplan.accounts.policies import (
    READ_ACTIONS,
    Policy,
    can,
    register,
    viewable,
)
from ecplan.organisations.models import Area, Enterprise, Organisation
from ecplan.reporting.models import Report, ReportType, Revision, State
from ecplan.workflow.models import (
    Notification,
    ReminderDispatch,
    ReportingSchedule,
    ReviewerKind,
    ReviewStage,
    ReviewStep,
    StepStatus,
    Submission,
    SubmissionStatus,
    WorkflowEvent,
)

_NOTHING = Q(pk__in=[])
WORKFLOW_ACTIONS = frozenset({"submit", "approve", "return"})


def _admin(user: Any) -> bool:
    return roles.has_any_role(user, Role.PLAN_ADMIN, Role.SYSTEM_ADMIN)


# -- the route -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    """One step of a report's route, resolved for that report."""

    position: int
    reviewer: str
    label: str
    organisation: Organisation | None = None
    area: Area | None = None
    zone: Area | None = None


#: The shipped routes (seeded by migration ``workflow.0002``; used if the table is empty).
DEFAULT_ROUTES: dict[str, tuple[tuple[str, str], ...]] = {
    ReportType.ENERGY: ((ReviewerKind.AREA, ""), (ReviewerKind.ORGANISATION, "industry-it")),
    ReportType.INDICATOR: ((ReviewerKind.PLAN_OFFICE, ""),),
    ReportType.STATISTICS: ((ReviewerKind.PLAN_OFFICE, ""),),
}


def configured_stages(report_type: str) -> list[ReviewStage]:
    """The active stages of ``report_type`` in order (the shipped route if none is stored)."""
    rows = list(ReviewStage.objects.filter(report_type=report_type).order_by("position"))
    if not rows:
        return [
            ReviewStage(report_type=report_type, position=i, reviewer=kind, organisation_code=code)
            for i, (kind, code) in enumerate(DEFAULT_ROUTES.get(report_type, ()), start=1)
        ]
    return [r for r in rows if r.active]


def resolve_route(report: Report, *, stages: list[ReviewStage] | None = None) -> list[StepSpec]:
    """The review steps of ``report`` under today's configuration. Never empty: a report type
    without an active stage that applies falls back to the plan office."""
    steps: list[StepSpec] = []
    if stages is None:
        stages = configured_stages(report.report_type)
    for stage in stages:
        spec = _resolve(stage, report, len(steps) + 1)
        if spec is not None:
            steps.append(spec)
    if not steps:
        steps.append(StepSpec(1, ReviewerKind.PLAN_OFFICE, "计划管理部门（计划管理员）"))
    return steps


def first_step(report: Report, *, stages: list[ReviewStage] | None = None) -> StepSpec:
    """The first step of ``report``'s route (resolves no more stages than needed)."""
    for stage in configured_stages(report.report_type) if stages is None else stages:
        spec = _resolve(stage, report, 1)
        if spec is not None:
            return spec
    return StepSpec(1, ReviewerKind.PLAN_OFFICE, "计划管理部门（计划管理员）")


def _resolve(stage: ReviewStage, report: Report, position: int) -> StepSpec | None:
    if stage.reviewer == ReviewerKind.AREA:
        enterprise = report.enterprise
        if enterprise is None:
            return None
        area = enterprise.area
        return StepSpec(
            position, stage.reviewer, f"{area.name}（区县用户）", area=area, zone=enterprise.zone
        )
    if stage.reviewer == ReviewerKind.ORGANISATION:
        region_id = (report.enterprise or report.organisation).region_id  # type: ignore[union-attr]  # owner always set
        org = Organisation.objects.filter(region_id=region_id, code=stage.organisation_code).first()
        if org is None:
            return None
        return StepSpec(position, stage.reviewer, f"{org.name}（部门审核员）", organisation=org)
    if stage.reviewer == ReviewerKind.OWN_DEPARTMENT:
        if report.organisation is None:
            return None
        org = report.organisation
        return StepSpec(position, stage.reviewer, f"{org.name}（部门审核员）", organisation=org)
    return StepSpec(position, ReviewerKind.PLAN_OFFICE, "计划管理部门（计划管理员）")


def reviewer_q(user: Any) -> Q:
    """Review steps (any status) that ``user`` is a reviewer of — a ``Q`` on ReviewStep."""
    q = _NOTHING
    if not getattr(user, "is_active", False):
        return q
    held = roles.roles_of(user)
    if Role.AREA_USER in held:
        areas = roles.area_ids_for(user)
        q |= Q(reviewer=ReviewerKind.AREA) & (Q(area_id__in=areas) | Q(zone_id__in=areas))
    if Role.DEPT_REVIEWER in held:
        orgs = roles.organisation_ids_for(user, frozenset({Role.DEPT_REVIEWER}))
        q |= Q(
            reviewer__in=(ReviewerKind.ORGANISATION, ReviewerKind.OWN_DEPARTMENT),
            organisation_id__in=orgs,
        )
    if Role.PLAN_ADMIN in held:
        q |= Q(reviewer=ReviewerKind.PLAN_OFFICE)
    return q


def is_step_reviewer(user: Any, step: ReviewStep | StepSpec) -> bool:
    """Does ``user`` hold the role this step asks for (scope included)?"""
    if not getattr(user, "is_active", False):
        return False
    if step.reviewer == ReviewerKind.AREA:
        areas = roles.area_ids_for(user)
        area_id = step.area.pk if step.area is not None else None
        zone_id = step.zone.pk if step.zone is not None else None
        return area_id in areas or (zone_id is not None and zone_id in areas)
    if step.reviewer in (ReviewerKind.ORGANISATION, ReviewerKind.OWN_DEPARTMENT):
        org_id = step.organisation.pk if step.organisation is not None else None
        return org_id in roles.organisation_ids_for(user, frozenset({Role.DEPT_REVIEWER}))
    return roles.is_plan_admin(user)


def step_reviewers(step: ReviewStep | StepSpec) -> QuerySet[Any]:
    """The active users who may decide ``step`` (for notifications and the missing list)."""
    users = get_user_model().objects.filter(is_active=True)
    if step.reviewer == ReviewerKind.AREA:
        ids = [a.pk for a in (step.area, step.zone) if a is not None]
        # a county-level area's users cover its zones; a zone's users only the zone
        return users.filter(
            role_assignments__role=Role.AREA_USER, role_assignments__area_id__in=ids
        ).distinct()
    if step.reviewer in (ReviewerKind.ORGANISATION, ReviewerKind.OWN_DEPARTMENT):
        return users.filter(
            role_assignments__role=Role.DEPT_REVIEWER,
            role_assignments__organisation=step.organisation,
        ).distinct()
    return users.filter(role_assignments__role=Role.PLAN_ADMIN).distinct()


def owner_reporters(report_type: str, owner: Enterprise | Organisation) -> QuerySet[Any]:
    """The active users who report for ``owner`` (reminders and decisions go to them)."""
    users = get_user_model().objects.filter(is_active=True)
    if report_type == ReportType.ENERGY:
        return users.filter(
            role_assignments__role=Role.ENTERPRISE_REPORTER,
            role_assignments__enterprise_id=owner.pk,
        ).distinct()
    return users.filter(
        role_assignments__role=Role.DEPT_REPORTER, role_assignments__organisation_id=owner.pk
    ).distinct()


# -- reports a user reaches through the workflow ------------------------------------------------


def routed_report_ids(user: Any) -> QuerySet[Any]:
    """Ids of reports that were submitted to ``user`` for review (any step, any outcome)."""
    return ReviewStep.objects.filter(reviewer_q(user)).values("submission__report_id")


def workflow_reports(user: Any) -> QuerySet[Report]:
    """Reports ``user`` may open in the workflow: those the report policy lets them see, plus
    those routed to them for review."""
    visible = viewable(user, Report).values("pk")
    if not getattr(user, "is_active", False):
        return Report.objects.none()
    return Report.objects.filter(Q(pk__in=visible) | Q(pk__in=routed_report_ids(user)))


def queue(user: Any) -> QuerySet[ReviewStep]:
    """Steps waiting for ``user``'s decision: the pending step of pending submissions whose
    revision is still the newest, routed to ``user``, minus their own data."""
    if not getattr(user, "is_active", False) or roles.is_read_only(user):
        return ReviewStep.objects.none()
    newer = Revision.objects.filter(
        report_id=_outer("submission__report_id"), number__gt=_outer("submission__revision__number")
    )
    from django.db.models import Exists

    qs = ReviewStep.objects.filter(
        reviewer_q(user),
        status=StepStatus.PENDING,
        submission__status=SubmissionStatus.PENDING,
    ).filter(~Exists(newer))
    qs = qs.exclude(submission__submitted_by=user).exclude(submission__revision__created_by=user)
    own = roles.enterprise_ids_for(user)
    if own:
        qs = qs.exclude(submission__report__enterprise_id__in=own)
    return qs.exclude(decided_by=user)


def _outer(name: str) -> Any:
    from django.db.models import OuterRef

    return OuterRef(name)


# -- refusals ------------------------------------------------------------------------------------------


def newest_revision(report: Report) -> Revision | None:
    return Revision.objects.filter(report=report).order_by("-number").first()


def pending_submission(report: Report) -> Submission | None:
    """The pending submission of the report's newest revision, if any."""
    newest = newest_revision(report)
    if newest is None:
        return None
    return (
        Submission.objects.filter(revision=newest, status=SubmissionStatus.PENDING)
        .order_by("-id")
        .first()
    )


def pending_step(report: Report) -> ReviewStep | StepSpec | None:
    """The step waiting for a decision: of the pending submission, or — for a revision stored
    directly as submitted (补录) that has no submission yet — the first step of its route."""
    sub = pending_submission(report)
    if sub is not None:
        return sub.steps.filter(status=StepStatus.PENDING).first()
    newest = newest_revision(report)
    if newest is not None and newest.state == State.SUBMITTED:
        return resolve_route(report)[0]
    return None


def owns(user: Any, report: Report) -> bool:
    """Does ``user`` report for the report's owner in their own right (not as plan office)?"""
    if report.report_type == ReportType.ENERGY:
        return report.enterprise_id in roles.enterprise_ids_for(user)
    return report.organisation_id in roles.organisation_ids_for(
        user, frozenset({Role.DEPT_REPORTER})
    )


def refusal(user: Any, action: str, report: Report, *, today: dt.date | None = None) -> str | None:
    """Why ``user`` may not ``action`` (submit, approve, return) ``report`` — or ``None``."""
    if not getattr(user, "is_active", False) or not roles.roles_of(user):
        return "您没有可执行此操作的角色。"
    if roles.is_read_only(user):
        return "领导账户只能查看，不能提交或审核。"
    newest = newest_revision(report)
    if action == "submit":
        return _submit_refusal(user, report, newest, today)
    if action in ("approve", "return"):
        return _review_refusal(user, report, newest)
    return f"未知的操作“{action}”。"


def _submit_refusal(
    user: Any, report: Report, newest: Revision | None, today: dt.date | None
) -> str | None:
    if not can(user, "report", report.owner):
        return f"您不是“{report.owner}”的填报人，不能提交其报表。"
    if newest is None:
        return "报表还没有数据，不能提交。"
    if newest.state == State.SUBMITTED:
        step = pending_step(report)
        waiting = f"（等待{step.label}审核）" if step is not None else ""
        return f"第 {newest.number} 版已提交{waiting}，不能重复提交。"
    if newest.state == State.APPROVED:
        return (
            f"第 {newest.number} 版已审核通过，数据已锁定。如需更正，请保存修改后的数据"
            "（生成新修订），再提交审核。"
        )
    from ecplan.reporting.windows import window_status

    window = window_status(report.report_type, report.period_obj, today=today)
    if window.not_yet_ended:
        return f"{report.period_label}尚未结束，不能提交。{window.hint}"
    if not window.is_open and not _admin(user):
        return (
            f"{report.period_label}的填报期已截止（{window.describe()}）；"
            "如需补报，请联系计划管理部门。"
        )
    return None


def _review_refusal(user: Any, report: Report, newest: Revision | None) -> str | None:
    if owns(user, report):
        who = "企业" if report.report_type == ReportType.ENERGY else "填报部门"
        return f"{who}不能审核本{who}的报表（您是“{report.owner}”的填报人）。"
    if newest is None or newest.state == State.DRAFT:
        return "报表尚未提交，没有待审核的内容。"
    if newest.state == State.APPROVED:
        approver = newest.state_changed_by
        by = f"由 {getattr(approver, 'full_name', '') or approver} " if approver else ""
        at = newest.state_changed_at
        when = f"{timezone.localtime(at):%Y-%m-%d %H:%M} " if at else ""
        return f"第 {newest.number} 版已于 {when}{by}审核通过，无需重复审核。"
    if newest.state == State.RETURNED:
        return f"第 {newest.number} 版已退回填报单位，等待其修改后重新提交。"
    step = pending_step(report)
    if step is None:
        return "没有待审核的环节。"
    return step_refusal(user, step, newest)


def step_refusal(user: Any, step: ReviewStep | StepSpec, revision: Revision) -> str | None:
    """Why ``user`` may not decide ``step`` of ``revision``'s submission — or ``None``."""
    if roles.is_read_only(user) or not getattr(user, "is_active", False):
        return "领导账户只能查看，不能审核。"
    if not is_step_reviewer(user, step):
        return f"当前等待{step.label}审核（第 {step.position} 步），您不是该环节的审核人。"
    if isinstance(step, ReviewStep):
        submission = step.submission
        if submission.submitted_by_id == user.pk:
            return "不能审核自己提交的数据，请由其他审核人审核。"
        earlier = submission.steps.filter(position__lt=step.position, decided_by=user)
        if earlier.exists():
            return "同一人不能完成同一次提交的两级审核，请由其他审核人审核本环节。"
    elif revision.state_changed_by_id == user.pk:
        return "不能审核自己提交的数据，请由其他审核人审核。"
    if revision.created_by_id == user.pk:
        return "不能审核自己填报的数据，请由其他审核人审核。"
    report = revision.report
    if report.report_type == ReportType.ENERGY and report.enterprise_id in roles.enterprise_ids_for(
        user
    ):
        return "企业不能审核本企业的报表。"
    return None


def can_report_action(user: Any, action: str, report: Report) -> bool:
    """What ``ReportPolicy.can`` answers for ``submit``, ``approve`` and ``return``."""
    return refusal(user, action, report) is None


def obligation_enterprises(user: Any) -> QuerySet[Enterprise]:
    """Enterprises whose missing energy reports ``user`` may list: those they see, or all of
    them when they review a step of the energy route at a department (市工信局)."""
    qs = viewable(user, Enterprise)
    orgs = roles.organisation_ids_for(user, frozenset({Role.DEPT_REVIEWER}))
    if orgs:
        codes = set(
            ReviewStage.objects.filter(
                report_type=ReportType.ENERGY, reviewer=ReviewerKind.ORGANISATION, active=True
            ).values_list("organisation_code", flat=True)
        )
        regions = Organisation.objects.filter(pk__in=orgs, code__in=codes).values("region_id")
        if codes:
            return Enterprise.objects.filter(Q(pk__in=qs.values("pk")) | Q(region_id__in=regions))
    return qs


# -- policies of the workflow's models -----------------------------------------------------------


class _ConfigPolicy(Policy[Any]):
    def scope(self, user: Any) -> Q:
        return Q() if roles.roles_of(user) else _NOTHING

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action in READ_ACTIONS:
            return self.in_scope(user, obj)
        if action == "change":
            return _admin(user)
        return False

    def can_create(self, user: Any, **context: Any) -> bool:
        return _admin(user)


@register
class ReviewStagePolicy(_ConfigPolicy):
    model = ReviewStage


@register
class ReportingSchedulePolicy(_ConfigPolicy):
    model = ReportingSchedule


def _reports_q(user: Any, path: str) -> Q:
    return Q(**{f"{path}__in": viewable(user, Report).values("pk")}) | Q(
        **{f"{path}__in": routed_report_ids(user)}
    )


@register
class SubmissionPolicy(Policy[Submission]):
    model = Submission

    def scope(self, user: Any) -> Q:
        return _reports_q(user, "report")


@register
class ReviewStepPolicy(Policy[ReviewStep]):
    model = ReviewStep

    def scope(self, user: Any) -> Q:
        return _reports_q(user, "submission__report")

    def can(self, user: Any, action: str, obj: ReviewStep) -> bool:
        if action in READ_ACTIONS:
            return self.in_scope(user, obj)
        if action == "decide":
            return obj.status == StepStatus.PENDING and (
                step_refusal(user, obj, obj.submission.revision) is None
            )
        return False


@register
class WorkflowEventPolicy(Policy[WorkflowEvent]):
    model = WorkflowEvent

    def scope(self, user: Any) -> Q:
        return _reports_q(user, "report")


@register
class NotificationPolicy(Policy[Notification]):
    model = Notification

    def scope(self, user: Any) -> Q:
        if not getattr(user, "is_active", False):
            return _NOTHING
        return Q(recipient_id=user.pk)

    def can(self, user: Any, action: str, obj: Notification) -> bool:
        if action in READ_ACTIONS or action == "change":
            return bool(getattr(user, "is_active", False)) and obj.recipient_id == user.pk
        return False


@register
class ReminderDispatchPolicy(Policy[ReminderDispatch]):
    model = ReminderDispatch

    def scope(self, user: Any) -> Q:
        return Q() if _admin(user) else _NOTHING

    def can_list(self, user: Any) -> bool:
        return _admin(user)

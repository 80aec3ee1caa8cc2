"""Workflow pages: report status, the review queue, one report's review and history, the
missing-submission list, the reporting calendar, review routes, notifications, reminders.

Views resolve access through the policies (``ecplan.workflow.policies``), parse the form,
call one service and render; refusals and conflicts come back as Chinese messages on the
page they were made from.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ecplan.accounts import roles
from ecplan.accounts.policies import (
    can,
    check,
    check_list,
    get_for_user,
    viewable,
)
from ecplan.organisations.models import Organisation
from ecplan.reporting.models import Report, ReportType, State
from ecplan.reporting.periods import Period
from ecplan.workflow import history, services
from ecplan.workflow import policies as wp
from ecplan.workflow.forms import (
    DecisionForm,
    MissingFilterForm,
    RouteForm,
    ScheduleForm,
    StatusFilterForm,
    SubmitForm,
    WithdrawForm,
)
from ecplan.workflow.models import (
    Notification,
    ReminderDispatch,
    ReportingSchedule,
    ReviewStage,
    ReviewStep,
    StepStatus,
)
from ecplan.workflow.reporting_calendar import calendar_window, open_periods_on, rule_for

_FAILURES = (services.WorkflowError, services.ReviewConflict, PermissionDenied)


def _report_for(request: HttpRequest, pk: int) -> Report:
    report = wp.workflow_reports(request.user).filter(pk=pk).first()
    if report is None:
        raise Http404("未找到，或您无权查看")
    return report


# -- status of reports ---------------------------------------------------------------------------


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """报送状态: the reports the user reaches, their newest revision and where review stands."""
    form = StatusFilterForm(request.GET or None)
    qs = wp.workflow_reports(request.user).select_related("enterprise", "organisation", "area")
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        if d.get("report_type"):
            qs = qs.filter(report_type=d["report_type"])
        if d.get("period"):
            p: Period = d["period"]
            qs = qs.filter(period_start__gte=p.start, period_end__lte=p.end)
    elif form.is_bound:
        qs = qs.none()
    qs = services.with_newest(qs).order_by("-period_start", "report_type", "id")
    if form.is_bound and form.is_valid() and form.cleaned_data.get("state"):
        qs = qs.filter(newest_state=form.cleaned_data["state"])
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = services.status_rows(list(page))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "workflow/status.html",
        {"form": form, "page": page, "rows": rows, "query": params.urlencode()},
    )


@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """待我审核: the steps waiting for the user's decision."""
    services.sync_submissions()
    steps = (
        wp.queue(request.user)
        .select_related(
            "submission__report__enterprise",
            "submission__report__organisation",
            "submission__report__area",
            "submission__revision",
            "submission__submitted_by",
        )
        .order_by("submission__submitted_at")
    )
    report_type = request.GET.get("report_type", "")
    if report_type in ReportType.values:
        steps = steps.filter(submission__report__report_type=report_type)
    rows = list(steps[:500])
    return render(
        request,
        "workflow/queue.html",
        {"rows": rows, "report_type": report_type, "types": ReportType.choices},
    )


# -- one report -------------------------------------------------------------------------------------


@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    return render(request, "workflow/report.html", _report_context(request, report))


def _report_context(request: HttpRequest, report: Report, **forms: Any) -> dict[str, Any]:
    user = request.user
    entries = history.report_history(report)
    newest = entries[-1].revision if entries else None
    submission = wp.pending_submission(report)
    step = wp.pending_step(report)
    decide_step = None
    decide_refusal = None
    if isinstance(step, ReviewStep) and newest is not None:
        decide_refusal = wp.step_refusal(user, step, newest)
        decide_step = step if decide_refusal is None else None
    elif step is not None and newest is not None:  # stored as submitted (补录), not yet adopted
        decide_refusal = wp.step_refusal(user, step, newest)
    submit_refusal = wp.refusal(user, "submit", report)
    may_withdraw = (
        submission is not None
        and not roles.is_read_only(user)
        and can(user, "report", report.owner)
        and not submission.steps.filter(
            status__in=(StepStatus.APPROVED, StepStatus.RETURNED)
        ).exists()
    )
    version = report.version
    under_review = newest is not None and newest.state == State.SUBMITTED
    return {
        "report": report,
        "entries": list(reversed(entries)),
        "newest": newest,
        "submission": submission,
        "pending": step,
        "decide_step": decide_step,
        "may_decide_report": decide_step is None
        and step is not None
        and not isinstance(step, ReviewStep)
        and decide_refusal is None,
        # why a reviewer of this step may not decide it (self-review, two steps); others see
        # no review block at all
        "decide_refusal": decide_refusal
        if under_review and step is not None and wp.is_step_reviewer(user, step)
        else None,
        "unsaved": _unsaved(forms),
        "submit_refusal": submit_refusal,
        "may_submit": submit_refusal is None,
        "may_withdraw": may_withdraw,
        "submit_form": forms.get("submit_form") or SubmitForm(initial={"version": version}),
        "decision_form": forms.get("decision_form") or DecisionForm(initial={"version": version}),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(initial={"version": version}),
        "tables": history.revision_tables(newest) if newest is not None else [],
        "result": entries[-1].result if entries else None,
        "window": calendar_window(report.report_type, report.period_obj),
        "edit": services.edit_status(report),
        "may_edit": not roles.is_read_only(user) and can(user, "report", report.owner),
        "route_first": wp.resolve_route(report)[0].label if submit_refusal is None else "",
    }


def _unsaved(forms: dict[str, Any]) -> str:
    """Text the user typed into a form that is not shown again (the step moved on)."""
    for form in forms.values():
        if form is not None and form.is_bound:
            text = (form.data.get("comment") or form.data.get("reason") or "").strip()
            if text:
                return str(text)
    return ""


def _status_of(exc: Exception) -> int:
    if isinstance(exc, PermissionDenied):
        return 403
    if isinstance(exc, services.ReviewConflict):
        return 409
    return 400


def _rerender(
    request: HttpRequest, report: Report, error: str, *, status: int = 400, **forms: Any
) -> HttpResponse:
    """The report page again, with the error (nothing was stored) and the user's input."""
    messages.error(request, error)
    return render(
        request, "workflow/report.html", _report_context(request, report, **forms), status=status
    )


@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        return _rerender(request, report, "提交表单不完整，请刷新页面后重试。", submit_form=form)
    try:
        services.submit(
            report,
            acting_user=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except _FAILURES as exc:
        return _rerender(request, report, str(exc), status=_status_of(exc), submit_form=form)
    messages.success(request, f"已提交：{report}，等待审核。")
    return redirect("workflow:report", pk=report.pk)


@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _rerender(request, report, "撤回须填写原因。", withdraw_form=form)
    try:
        services.withdraw(
            report,
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except _FAILURES as exc:
        return _rerender(request, report, str(exc), status=_status_of(exc), withdraw_form=form)
    messages.success(request, f"已撤回：{report}。修改数据后请重新提交。")
    return redirect("workflow:report", pk=report.pk)


@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return one step (the step the page showed)."""
    step = get_for_user(request.user, ReviewStep, pk=pk)
    report = step.submission.report
    form = DecisionForm(request.POST)
    if not form.is_valid():
        errors = "；".join(str(e) for es in form.errors.values() for e in es)
        return _rerender(request, report, errors, decision_form=form)
    try:
        services.decide(
            step,
            form.cleaned_data["decision"],
            acting_user=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except _FAILURES as exc:
        return _rerender(request, report, str(exc), status=_status_of(exc), decision_form=form)
    verb = "审核通过" if form.cleaned_data["decision"] == "approve" else "退回"
    messages.success(request, f"已{verb}：{report}。")
    nxt = wp.queue(request.user).order_by("submission__submitted_at").first()
    if nxt is not None and request.POST.get("next") == "queue":
        return redirect("workflow:report", pk=nxt.submission.report_id)
    return redirect("workflow:report", pk=report.pk)


@require_POST
def decide_report(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return a revision stored directly as submitted (补录), by report."""
    report = _report_for(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        errors = "；".join(str(e) for es in form.errors.values() for e in es)
        return _rerender(request, report, errors, decision_form=form)
    try:
        services.decide(
            report,
            form.cleaned_data["decision"],
            acting_user=request.user,
            comment=form.cleaned_data["comment"],
            expected_version=form.cleaned_data["version"],
        )
    except _FAILURES as exc:
        return _rerender(request, report, str(exc), status=_status_of(exc), decision_form=form)
    messages.success(request, f"已处理：{report}。")
    return redirect("workflow:report", pk=report.pk)


# -- who has not submitted ---------------------------------------------------------------------------


def _default_period(report_type: str) -> Period | None:
    today = timezone.localdate()
    kinds = {
        "energy": ["month"],
        "statistics": ["quarter", "year"],
        "indicator": ["month", "quarter", "year"],
    }
    for kind in kinds[report_type]:
        found = open_periods_on(report_type, kind, today)
        if found:
            return found[0]
    return None


@require_GET
def missing(request: HttpRequest) -> HttpResponse:
    """未报清单: everyone expected to report a period, and who has not submitted."""
    if not roles.roles_of(request.user):
        raise PermissionDenied("您没有可查看未报清单的角色。")
    data = request.GET.copy()
    data.setdefault("report_type", "energy")
    form = MissingFilterForm(data)
    rows: list[services.Obligation] = []
    period = None
    window = None
    if form.is_valid():
        report_type = form.cleaned_data["report_type"]
        period = form.cleaned_data["period"] or _default_period(report_type)
        if period is not None:
            window = calendar_window(report_type, period)
            rows = services.obligations(report_type, period, user=request.user)
            if form.cleaned_data["only_missing"]:
                rows = [r for r in rows if not r.submitted]
    groups: dict[str, list[services.Obligation]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    summary = [
        {
            "group": g,
            "total": len(items),
            "submitted": sum(1 for i in items if i.submitted),
            "missing": sum(1 for i in items if not i.submitted),
        }
        for g, items in groups.items()
    ]
    return render(
        request,
        "workflow/missing.html",
        {
            "form": form,
            "period": period,
            "window": window,
            "groups": groups,
            "summary": summary,
            "total": len(rows),
            "not_submitted": sum(1 for r in rows if not r.submitted),
        },
    )


# -- calendar and routes --------------------------------------------------------------------------------


@require_GET
def calendar(request: HttpRequest) -> HttpResponse:
    """报送日历: every report type's rule, and the periods open now with their deadlines."""
    today = timezone.localdate()
    schedules = list(viewable(request.user, ReportingSchedule))
    if not schedules and not roles.roles_of(request.user):
        raise PermissionDenied("您没有可查看报送日历的角色。")
    rows = []
    for s in schedules:
        open_now = [
            calendar_window(s.report_type, p, today=today)
            for p in open_periods_on(s.report_type, s.period_kind, today)
        ]
        rows.append(
            {
                "schedule": s,
                "rule": rule_for(s.report_type, s.period_kind),
                "open": open_now,
                "may_change": can(request.user, "change", s),
            }
        )
    return render(request, "workflow/calendar.html", {"rows": rows, "today": today})


@require_http_methods(["GET", "POST"])
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_for_user(request.user, ReportingSchedule, "change", pk=pk)
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_schedule(schedule, form.values(), acting_user=request.user)
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存：{schedule}的报送日历。")
            return redirect("workflow:calendar")
    return render(request, "workflow/schedule_form.html", {"form": form, "schedule": schedule})


@require_GET
def routes(request: HttpRequest) -> HttpResponse:
    """审核流程: who reviews each report type, in order."""
    stages = list(viewable(request.user, ReviewStage))
    if not roles.roles_of(request.user):
        raise PermissionDenied("您没有可查看审核流程的角色。")
    by_type = []
    for code, label in ReportType.choices:
        mine = [s for s in stages if s.report_type == code and s.active]
        by_type.append({"code": code, "label": label, "stages": mine})
    may_change = roles.has_any_role(request.user, "plan_admin", "system_admin")
    return render(request, "workflow/routes.html", {"types": by_type, "may_change": may_change})


@require_http_methods(["GET", "POST"])
def route_edit(request: HttpRequest, report_type: str) -> HttpResponse:
    if report_type not in ReportType.values:
        raise Http404("未知的报表类型")
    if not roles.has_any_role(request.user, "plan_admin", "system_admin"):
        raise PermissionDenied("只有计划管理员可以修改审核流程。")
    orgs = [
        (o.code, o.name)
        for o in viewable(request.user, Organisation).filter(kind=Organisation.Kind.DEPARTMENT)
    ]
    current = [
        s for s in viewable(request.user, ReviewStage) if s.report_type == report_type and s.active
    ]
    initial: dict[str, Any] = {}
    for s in current:
        initial[f"reviewer_{s.position}"] = s.reviewer
        initial[f"organisation_{s.position}"] = s.organisation_code
    form = RouteForm(
        request.POST or None, initial=initial, report_type=report_type, organisations=orgs
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_route(
                report_type,
                [services.StageInput(k, c) for k, c in form.stages()],
                acting_user=request.user,
            )
        except services.WorkflowError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存{ReportType(report_type).label}的审核流程。")
            return redirect("workflow:routes")
    return render(
        request,
        "workflow/route_form.html",
        {"form": form, "report_type": report_type, "label": ReportType(report_type).label},
    )


# -- notifications and reminders ------------------------------------------------------------------------


@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    qs = viewable(request.user, Notification).select_related("report")
    if request.GET.get("unread"):
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "workflow/notifications.html",
        {"page": page, "query": "unread=1" if request.GET.get("unread") else ""},
    )


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a notification: mark it read and go to the page it links to."""
    note = get_for_user(request.user, Notification, pk=pk)
    check(request.user, "change", note)
    services.mark_read([note], acting_user=request.user)
    target = note.url if note.url.startswith("/") else reverse("workflow:notifications")
    return HttpResponseRedirect(target)


@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(
        viewable(request.user, Notification).filter(read_at__isnull=True),
        acting_user=request.user,
    )
    messages.success(request, f"已将 {count} 条通知标为已读。")
    return redirect("workflow:notifications")


@require_GET
def reminders(request: HttpRequest) -> HttpResponse:
    check_list(request.user, ReminderDispatch)
    qs = viewable(request.user, ReminderDispatch)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "workflow/reminders.html", {"page": page, "query": ""})

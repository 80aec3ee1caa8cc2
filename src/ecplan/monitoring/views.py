"""Evaluation pages: 目标进展, a target's 计算过程, 晴雨表, an area, a warning's 计算过程,
binding targets and entered target values, evaluation records. Login required (middleware);
rows through ``ecplan.accounts.policies``; writes through ``ecplan.monitoring.services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ecplan.accounts.policies import can_create, check_list, get_for_user, viewable
from ecplan.core.evaluation import YearMonth, YearMonthError
from ecplan.monitoring import presenters, services
from ecplan.monitoring.data import latest_data_month
from ecplan.monitoring.entry import BindingTargetRecord, TargetValueRecord
from ecplan.monitoring.models import (
    AreaResult,
    BindingIndicator,
    BindingTarget,
    EvaluationRun,
    TargetResult,
    TargetValue,
)
from ecplan.monitoring.policies import reads_evaluations
from ecplan.organisations.models import Area
from ecplan.plans.models import Plan, PlanVersion


def _require_reader(request: HttpRequest) -> None:
    if not reads_evaluations(request.user):
        raise PermissionDenied(
            "评价结果面向计划管理部门、领导、责任部门和县级地区；企业用户不查看评价"
        )


def _version(request: HttpRequest, plan: Plan) -> PlanVersion:
    label = request.GET.get("version")
    if label:
        return get_for_user(
            request.user, PlanVersion.objects.select_related("plan__region"), plan=plan, label=label
        )
    if plan.current_version_id is None:
        from django.http import Http404

        raise Http404("该计划尚未载入任何版本")
    return get_for_user(
        request.user, PlanVersion.objects.select_related("plan__region"), pk=plan.current_version_id
    )


def _as_of(request: HttpRequest, plan: Plan) -> tuple[YearMonth, str]:
    """The month asked for (``?as_of=2025-09``), else the latest month with data."""
    text = (request.GET.get("as_of") or "").strip()
    if text:
        try:
            return YearMonth.parse(text), ""
        except YearMonthError as exc:
            fallback = latest_data_month(plan.code)
            month = fallback or YearMonth(2025, 12)
            return month, f"评价月份“{text}”无法识别（{exc}），已改为 {month}"
    latest = latest_data_month(plan.code)
    if latest is not None:
        return latest, ""
    import datetime as dt

    today = dt.date.today()
    return YearMonth(today.year, today.month), ""


def _run_for(request: HttpRequest, code: str) -> tuple[EvaluationRun, str]:
    _require_reader(request)
    plan = get_for_user(request.user, Plan.objects.select_related("region"), code=code)
    version = _version(request, plan)
    as_of, problem = _as_of(request, plan)
    preview = request.GET.get("preview") in ("1", "on", "true")
    run = services.evaluation_for(version, as_of=as_of, preview=preview, acting_user=request.user)
    return run, problem


def _query(request: HttpRequest, **extra: str) -> str:
    params = {k: v for k, v in request.GET.items() if v}
    params.update({k: v for k, v in extra.items() if v})
    from urllib.parse import urlencode

    return urlencode(params)


def index(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    plans = viewable(request.user, Plan.objects.exclude(current_version=None)).order_by("code")
    return render(
        request,
        "monitoring/index.html",
        {"plans": [{"code": p.code, "title": p.title} for p in plans]},
    )


def progress(request: HttpRequest, code: str) -> HttpResponse:
    run, problem = _run_for(request, code)
    return _progress_page(request, run, problem, live=True)


def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    run = get_for_user(
        request.user, EvaluationRun.objects.select_related("plan", "version__plan"), pk=pk
    )
    return _progress_page(request, run, "", live=False)


def _progress_page(
    request: HttpRequest, run: EvaluationRun, problem: str, *, live: bool
) -> HttpResponse:
    if problem:
        messages.warning(request, problem)
    data = presenters.progress(
        run,
        request.user,
        task=request.GET.get("task", ""),
        department=request.GET.get("department", ""),
        status=request.GET.get("status", ""),
        kind=request.GET.get("kind", ""),
    )
    data["live"] = live
    data["can_rerun"] = can_create(request.user, EvaluationRun)
    data["query"] = _query(request)
    data["versions"] = [
        {"label": v.label, "status": v.status, "current": v.is_current}
        for v in viewable(request.user, PlanVersion.objects.filter(plan=run.plan)).select_related(
            "plan"
        )
    ]
    return render(request, "monitoring/progress.html", data)


def target_detail(request: HttpRequest, pk: int, result: int) -> HttpResponse:
    _require_reader(request)
    row = get_for_user(
        request.user,
        TargetResult.objects.select_related("blob", "run__plan", "run__version__plan"),
        run_id=pk,
        pk=result,
    )
    return render(request, "monitoring/target_detail.html", presenters.target_detail(row))


def barometer(request: HttpRequest, code: str) -> HttpResponse:
    run, problem = _run_for(request, code)
    if problem:
        messages.warning(request, problem)
    return _barometer_page(request, run)


def run_barometer(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    run = get_for_user(
        request.user, EvaluationRun.objects.select_related("plan", "version__plan"), pk=pk
    )
    return _barometer_page(request, run)


def _barometer_page(request: HttpRequest, run: EvaluationRun) -> HttpResponse:
    data = presenters.barometer(run, request.user, scheme=request.GET.get("scheme", ""))
    data["query"] = _query(request)
    return render(request, "monitoring/barometer.html", data)


def warning_detail(request: HttpRequest, pk: int, warning: int) -> HttpResponse:
    _require_reader(request)
    row = get_for_user(
        request.user,
        AreaResult.objects.select_related("blob", "area", "run__plan", "run__version__plan"),
        run_id=pk,
        pk=warning,
    )
    return render(request, "monitoring/warning_detail.html", presenters.warning_detail(row))


def area_detail(request: HttpRequest, pk: int, area: str) -> HttpResponse:
    _require_reader(request)
    run = get_for_user(
        request.user, EvaluationRun.objects.select_related("plan", "version__plan"), pk=pk
    )
    area_obj = get_for_user(request.user, Area, region=run.plan.region, code=area)
    from ecplan.monitoring.policies import follows_area

    if not follows_area(request.user, area_obj):
        from django.http import Http404

        raise Http404("未找到，或您无权查看")
    return render(
        request, "monitoring/area_detail.html", presenters.area_detail(run, area_obj, request.user)
    )


def run_json(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reader(request)
    run = get_for_user(
        request.user, EvaluationRun.objects.select_related("plan", "version__plan"), pk=pk
    )
    response = JsonResponse(
        presenters.run_json(run, request.user),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="evaluation-{run.pk}.json"'
    return response


def runs(request: HttpRequest, code: str) -> HttpResponse:
    _require_reader(request)
    check_list(request.user, EvaluationRun)
    plan = get_for_user(request.user, Plan, code=code)
    rows = viewable(request.user, EvaluationRun.objects.filter(plan=plan)).select_related(
        "version", "created_by"
    )[:200]
    return render(
        request,
        "monitoring/runs.html",
        {
            "plan": {"code": plan.code, "title": plan.title},
            "runs": [presenters.run_header(r) for r in rows],
            "can_rerun": can_create(request.user, EvaluationRun),
        },
    )


@require_POST
def rerun(request: HttpRequest, code: str) -> HttpResponse:
    _require_reader(request)
    if not can_create(request.user, EvaluationRun):
        raise PermissionDenied("只有计划管理部门可以重新评价")
    plan = get_for_user(request.user, Plan, code=code)
    version = _version(request, plan)
    try:
        as_of = YearMonth.parse(request.POST.get("as_of", ""))
    except YearMonthError as exc:
        messages.error(request, f"评价月份无法识别：{exc}")
        return redirect("monitoring:progress", code=plan.code)
    preview = request.POST.get("preview") in ("1", "on", "true")
    run = services.evaluation_for(
        version,
        as_of=as_of,
        preview=preview,
        acting_user=request.user,
        trigger=EvaluationRun.Trigger.MANUAL,
        force=True,
        note=request.POST.get("note", ""),
    )
    messages.success(request, f"已重新评价并保存为评价记录 #{run.pk}")
    return HttpResponseRedirect(reverse("monitoring:run", args=[run.pk]))


def bindings(request: HttpRequest, code: str) -> HttpResponse:
    _require_reader(request)
    plan = get_for_user(
        request.user, Plan.objects.select_related("region", "current_version"), code=code
    )
    may_enter = can_create(request.user, BindingTarget)
    errors: list[str] = []
    form: dict[str, str] = {}
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied("只有计划管理部门可以录入约束性指标")
        form = {
            k: request.POST.get(k, "").strip()
            for k in (
                "area",
                "indicator",
                "value",
                "base_year",
                "target_year",
                "source",
                "note",
                "reason",
            )
        }
        try:
            base = int(form["base_year"] or 2020)
            target = int(form["target_year"] or 2025)
        except ValueError:
            errors.append("年份应为整数，如 2020、2025")
        else:
            record = BindingTargetRecord(
                form["area"],
                form["indicator"],
                form["value"],
                base,
                target,
                form["source"],
                form["note"],
                where="录入表单",
            )
            outcome = services.enter_binding_targets(
                plan.code, [record], acting_user=request.user, reason=form["reason"]
            )
            if outcome.issues:
                errors = [i.text() for i in outcome.issues]
            else:
                messages.success(request, outcome.summary())
                return redirect("monitoring:bindings", code=plan.code)
    rows = (
        viewable(request.user, BindingTarget.objects.filter(plan=plan))
        .select_related("area", "current")
        .prefetch_related("revisions__entered_by")
    )
    areas = [
        a
        for a in viewable(request.user, Area.objects.filter(region=plan.region)).order_by("id")
        if a.kind == Area.Kind.CITY or a.is_county_level
    ]
    return render(
        request,
        "monitoring/bindings.html",
        {
            "plan": {"code": plan.code, "title": plan.title},
            "rows": presenters.binding_rows(rows),
            "may_enter": may_enter,
            "errors": errors,
            "form": form,
            "areas": [(a.name, a.name) for a in areas],
            "indicators": BindingIndicator.choices,
        },
    )


def target_values(request: HttpRequest, code: str) -> HttpResponse:
    _require_reader(request)
    plan = get_for_user(
        request.user, Plan.objects.select_related("region", "current_version"), code=code
    )
    may_enter = can_create(request.user, TargetValue)
    errors: list[str] = []
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied("只有计划管理部门可以录入目标值")
        record = TargetValueRecord(
            request.POST.get("target_key", ""),
            request.POST.get("value", ""),
            request.POST.get("source", ""),
            request.POST.get("note", ""),
            where="录入表单",
        )
        outcome = services.enter_target_values(
            plan.code, [record], acting_user=request.user, reason=request.POST.get("reason", "")
        )
        if outcome.issues:
            errors = [i.text() for i in outcome.issues]
        else:
            messages.success(request, outcome.summary())
            return redirect("monitoring:target-values", code=plan.code)
    entries = viewable(request.user, TargetValue.objects.filter(plan=plan)).prefetch_related(
        "revisions__entered_by"
    )
    return render(
        request,
        "monitoring/target_values.html",
        {
            "plan": {"code": plan.code, "title": plan.title},
            "targets": presenters.enterable_targets(plan, request.user),
            "entries": presenters.target_value_rows(entries),
            "may_enter": may_enter,
            "errors": errors,
        },
    )

"""Plan pages: the overview, a target, a task, the plan text. Login required (middleware);
row access through ``ecplan.accounts.policies``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ecplan.accounts.policies import get_for_user, viewable
from ecplan.plans import presenters
from ecplan.plans.models import Plan, PlanVersion, Target, Task


def _version(request: HttpRequest, code: str) -> PlanVersion:
    """The version asked for (``?version=LABEL``), else the plan's current version."""
    plan = get_for_user(request.user, Plan, code=code)
    label = request.GET.get("version")
    if label:
        return get_for_user(
            request.user, PlanVersion.objects.select_related("plan__region"), plan=plan, label=label
        )
    if plan.current_version_id is None:
        raise Http404("该计划尚未载入任何版本")
    return get_for_user(
        request.user, PlanVersion.objects.select_related("plan__region"), pk=plan.current_version_id
    )


def plan_list(request: HttpRequest) -> HttpResponse:
    plans = presenters.plan_list(viewable(request.user, Plan))
    return render(request, "plans/plan_list.html", {"plans": plans})


def overview(request: HttpRequest, code: str) -> HttpResponse:
    version = _version(request, code)
    return render(request, "plans/overview.html", presenters.overview(version))


def target_detail(request: HttpRequest, code: str, key: str) -> HttpResponse:
    version = _version(request, code)
    target = get_for_user(
        request.user,
        Target.objects.select_related("version__plan__region"),
        version=version,
        key=key,
    )
    return render(request, "plans/target_detail.html", presenters.target_detail(target))


def task_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = _version(request, code)
    task = get_for_user(
        request.user,
        Task.objects.select_related("version__plan__region", "section"),
        version=version,
        number=number,
    )
    return render(request, "plans/task_detail.html", presenters.task_detail(task))


def plan_text(request: HttpRequest, code: str) -> HttpResponse:
    version = _version(request, code)
    lines = version.plan_text.splitlines()
    return render(
        request,
        "plans/plan_text.html",
        {"version": presenters.version_header(version), "lines": list(enumerate(lines, start=1))},
    )

"""URL sweep declarations of the plan pages: every persona holding a role reads every plan;
a user without a role is refused; unknown keys are refused for everyone."""

from __future__ import annotations

from typing import Any

from ecplan.accounts.sweep import Case, sweep
from ecplan.accounts.testing import Persona, World
from ecplan.plans.models import Plan, Target, Task


def _plan() -> Any:
    plan = Plan.objects.exclude(current_version=None).order_by("pk").first()
    if plan is None:
        from ecplan.plans.services import load_shipped_plans

        load_shipped_plans()
        plan = Plan.objects.exclude(current_version=None).order_by("pk").first()
    assert plan is not None
    return plan


def _case(p: Persona, kwargs: dict[str, Any], missing: dict[str, Any]) -> Case:
    if p.role is None:
        return Case(refused=[kwargs, missing])
    return Case(allowed=[kwargs], refused=[missing])


@sweep.url("plans:overview")
def _overview(world: World, p: Persona) -> Case:
    return _case(p, {"code": _plan().code}, {"code": "no-such-plan"})


@sweep.url("plans:text")
def _text(world: World, p: Persona) -> Case:
    return _case(p, {"code": _plan().code}, {"code": "no-such-plan"})


@sweep.url("plans:task")
def _task(world: World, p: Persona) -> Case:
    plan = _plan()
    task = Task.objects.filter(version_id=plan.current_version_id).order_by("number").first()
    assert task is not None
    return _case(p, {"code": plan.code, "number": task.number}, {"code": plan.code, "number": 9999})


@sweep.url("plans:target")
def _target(world: World, p: Persona) -> Case:
    plan = _plan()
    target = Target.objects.filter(version_id=plan.current_version_id).order_by("pk").first()
    assert target is not None
    return _case(
        p, {"code": plan.code, "key": target.key}, {"code": plan.code, "key": "no-such-key"}
    )

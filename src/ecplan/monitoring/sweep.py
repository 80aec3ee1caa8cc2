"""URL sweep declarations of the evaluation pages.

Ground truth (written out here, independent of the policies): enterprise users and users without
a role see no evaluation page (403); the plan office, system administrators and leaders see
every result; the 市工信局 department personas see the targets their department is named for
(retrofit savings) and not those of 市住建局 (existing-building retrofit); the 邗江区 area user
sees the warnings of 邗江区 and of the city, not of 仪征市. Only the plan office and system
administrators re-run an evaluation.
"""

from __future__ import annotations

from typing import Any

from ecplan.accounts.sweep import Case, sweep
from ecplan.accounts.testing import Persona, World
from ecplan.core.evaluation import YearMonth

_READERS = {"system_admin", "plan_admin", "dept_reporter", "dept_reviewer", "area_user", "leader"}
_OFFICE = {"system_admin", "plan_admin"}


def _plan() -> Any:
    from ecplan.plans.models import Plan

    plan = Plan.objects.exclude(current_version=None).order_by("pk").first()
    if plan is None:
        from ecplan.plans.services import load_shipped_plans

        load_shipped_plans()
        plan = Plan.objects.exclude(current_version=None).order_by("pk").first()
    assert plan is not None
    return plan


def _run(world: World) -> Any:
    """A stored evaluation of the shipped plan (no data: every target 无数据) with warnings of
    the city, 邗江区 and 仪征市 added by hand."""
    from ecplan.monitoring.engine import evaluate
    from ecplan.monitoring.models import AreaResult, EvaluationRun
    from ecplan.monitoring.services import _blob, store_evaluation

    existing = EvaluationRun.objects.order_by("pk").first()
    if existing is not None:
        return existing
    plan = _plan()
    run = store_evaluation(
        evaluate(plan.current_version, as_of=YearMonth(2025, 9)),
        acting_user=world.persona("plan_admin").user,
        trigger=EvaluationRun.Trigger.SERVICE,
    )
    for area in (world.city, world.hanjiang, world.yizheng):
        data = {"district": area.name, "explanation": "测试", "warning_level": 2}
        AreaResult.objects.create(
            run=run,
            area=area,
            year=2025,
            months=6,
            dimension="intensity",
            level=2,
            intensity_change=-0.01,
            required_reduction=0.03,
            blob=_blob(data),
        )
    return run


def _reader_case(p: Persona, allowed: dict[str, Any], missing: dict[str, Any]) -> Case:
    if p.key in _READERS:
        return Case(allowed=[allowed], refused=[missing])
    return Case(refused=[allowed, missing])


@sweep.url("monitoring:progress")
def _progress(world: World, p: Persona) -> Case:
    return _reader_case(p, {"code": _plan().code}, {"code": "no-such-plan"})


@sweep.url("monitoring:barometer")
def _barometer(world: World, p: Persona) -> Case:
    return _reader_case(p, {"code": _plan().code}, {"code": "no-such-plan"})


@sweep.url("monitoring:runs")
def _runs(world: World, p: Persona) -> Case:
    _run(world)
    return _reader_case(p, {"code": _plan().code}, {"code": "no-such-plan"})


@sweep.url("monitoring:bindings")
def _bindings(world: World, p: Persona) -> Case:
    return _reader_case(p, {"code": _plan().code}, {"code": "no-such-plan"})


@sweep.url("monitoring:target-values")
def _target_values(world: World, p: Persona) -> Case:
    return _reader_case(p, {"code": _plan().code}, {"code": "no-such-plan"})


@sweep.url("monitoring:rerun")
def _rerun(world: World, p: Persona) -> Case:
    kwargs = {"code": _plan().code}
    data = {"as_of": "2025-09"}
    if p.key in _OFFICE:
        return Case(allowed=[kwargs], method="POST", data=data, ok=frozenset({302}))
    return Case(refused=[kwargs], method="POST", data=data)


@sweep.url("monitoring:run")
def _run_page(world: World, p: Persona) -> Case:
    return _reader_case(p, {"pk": _run(world).pk}, {"pk": 999_999})


@sweep.url("monitoring:run-json")
def _run_json(world: World, p: Persona) -> Case:
    return _reader_case(p, {"pk": _run(world).pk}, {"pk": 999_999})


@sweep.url("monitoring:run-barometer")
def _run_barometer(world: World, p: Persona) -> Case:
    return _reader_case(p, {"pk": _run(world).pk}, {"pk": 999_999})


@sweep.url("monitoring:target")
def _target(world: World, p: Persona) -> Case:
    run = _run(world)
    own = run.targets.get(key="retrofit-savings-2025")  # 市工信局 leads it
    other = run.targets.get(key="existing-building-retrofit-area-2025")  # 市住建局
    mine = {"pk": run.pk, "result": own.pk}
    theirs = {"pk": run.pk, "result": other.pk}
    if p.key in ("system_admin", "plan_admin", "leader"):
        return Case(allowed=[mine, theirs], refused=[{"pk": run.pk, "result": 999_999}])
    if p.key in ("dept_reporter", "dept_reviewer"):
        return Case(allowed=[mine], refused=[theirs])
    return Case(refused=[mine, theirs])


@sweep.url("monitoring:warning")
def _warning(world: World, p: Persona) -> Case:
    run = _run(world)
    rows = {r.area_id: r for r in run.areas.all()}
    own = {"pk": run.pk, "warning": rows[world.hanjiang.pk].pk}
    city = {"pk": run.pk, "warning": rows[world.city.pk].pk}
    other = {"pk": run.pk, "warning": rows[world.yizheng.pk].pk}
    if p.key == "area_user":
        return Case(allowed=[own, city], refused=[other])
    if p.key in _READERS:
        return Case(allowed=[own, city, other], refused=[{"pk": run.pk, "warning": 999_999}])
    return Case(refused=[own, other])


@sweep.url("monitoring:area")
def _area(world: World, p: Persona) -> Case:
    run = _run(world)
    own = {"pk": run.pk, "area": world.hanjiang.code}
    city = {"pk": run.pk, "area": world.city.code}
    other = {"pk": run.pk, "area": world.yizheng.code}
    if p.key == "area_user":
        return Case(allowed=[own, city], refused=[other])
    if p.key in _READERS:
        return Case(allowed=[own, city, other], refused=[{"pk": run.pk, "area": "no-such-area"}])
    return Case(refused=[own, other])

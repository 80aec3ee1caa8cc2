"""URL sweep declarations of the workflow pages (see docs/permissions.md, "URL sweep")."""

from __future__ import annotations

from typing import Any

from ecplan.accounts.sweep import Case, sweep
from ecplan.accounts.testing import Persona, World, make_user
from ecplan.reporting.models import Report
from ecplan.workflow.models import Notification, ReportingSchedule, ReviewStep
from ecplan.workflow.testing import bare_report, open_month

ADMINS = frozenset({"system_admin", "plan_admin"})
FORBIDDEN = frozenset({403})
REDIRECT = frozenset({302})


def _cache(world: World) -> dict[str, Any]:
    found: dict[str, Any] | None = getattr(world, "_workflow_sweep", None)
    if found is None:
        found = {}
        world._workflow_sweep = found  # type: ignore[attr-defined]
    return found


def _reporter(world: World, enterprise: Any) -> Any:
    """A separate reporter of ``enterprise`` (so reviewers never review their own data)."""
    c = _cache(world)
    key = f"reporter-{enterprise.pk}"
    if key not in c:
        c[key] = make_user(
            f"t-wf-reporter-{enterprise.pk}",
            ("enterprise_reporter", enterprise),
            full_name="测试填报员",
        )
    return c[key]


def _submitted(world: World, enterprise: Any, *, step2: bool = False) -> Report:
    """An energy report of ``enterprise`` for the month before :func:`open_month` (also
    open: windows last longer than two months), submitted by a separate reporter; with
    ``step2`` its first step (the area) is approved, so 市工信局's step is pending."""
    from ecplan.workflow import services

    c = _cache(world)
    key = f"submitted-{enterprise.pk}"
    if key in c:
        return c[key]  # type: ignore[no-any-return]
    reporter = _reporter(world, enterprise)
    report = bare_report("energy", enterprise, open_month().previous(), created_by=reporter)
    services.submit(report, acting_user=reporter)
    if step2:
        area_reviewer = make_user(
            f"t-wf-area-{enterprise.pk}", ("area_user", enterprise.area), full_name="测试区县审核"
        )
        services.approve(report, acting_user=area_reviewer)
    report.refresh_from_db()
    c[key] = report
    return report


def _orphan(world: World) -> Report:
    """A revision of 邗江区's zone enterprise stored directly as submitted (补录)."""
    c = _cache(world)
    if "orphan" not in c:
        c["orphan"] = bare_report(
            "energy",
            world.e_zone,
            open_month().same_period_last_year(),
            state="submitted",
            created_by=_reporter(world, world.e_zone),
        )
    return c["orphan"]  # type: ignore[no-any-return]


@sweep.url("workflow:report")
def report_page(world: World, p: Persona) -> Case:
    mine = world.enterprise_in(p)
    other = world.enterprise_out(p)
    period = open_month()
    allowed: list[dict[str, Any]] = []
    refused: list[dict[str, Any]] = []
    if mine is not None:
        allowed.append({"pk": bare_report("energy", mine, period).pk})
    if other is not None:
        refused.append({"pk": bare_report("energy", other, period).pk})
    org_in, org_out = world.organisation_in(p), world.organisation_out(p)
    if org_in is not None:
        allowed.append({"pk": bare_report("indicator", org_in, f"{period.year - 1}").pk})
    if org_out is not None:
        refused.append({"pk": bare_report("indicator", org_out, f"{period.year - 1}").pk})
    if p.key == "dept_reviewer":  # 市工信局 reviews the energy reports routed to it
        allowed.append({"pk": _submitted(world, world.e_gaoyou, step2=True).pk})
    return Case(allowed=allowed, refused=refused)


@sweep.url("workflow:submit")
def submit(world: World, p: Persona) -> Case:
    period = open_month()

    def data(r: Report) -> dict[str, Any]:
        return {"version": r.version, "comment": ""}

    if p.key in ("enterprise", "plan_admin"):
        report = bare_report("energy", world.enterprise_in(p), period)
        return Case(allowed=[{"pk": report.pk}], method="POST", data=data(report), ok=REDIRECT)
    target = world.enterprise_in(p) or world.e_yizheng
    report = bare_report("energy", target, period)
    return Case(refused=[{"pk": report.pk}], method="POST", data=data(report))


@sweep.url("workflow:withdraw")
def withdraw(world: World, p: Persona) -> Case:
    report = _submitted(world, world.e_yizheng)
    data = {"version": report.version, "reason": "发现数据有误"}
    if p.key in ("enterprise", "plan_admin"):
        return Case(allowed=[{"pk": report.pk}], method="POST", data=data, ok=REDIRECT)
    return Case(refused=[{"pk": report.pk}], method="POST", data=data)


@sweep.url("workflow:decide")
def decide(world: World, p: Persona) -> Case:
    first = _submitted(world, world.e_zone)  # 邗江区 (covering its zone) reviews step 1
    second = _submitted(world, world.e_gaoyou, step2=True)  # 市工信局 reviews step 2
    step1 = ReviewStep.objects.get(submission__report=first, status="pending")
    step2 = ReviewStep.objects.get(submission__report=second, status="pending")
    data = {"decision": "approve", "comment": ""}
    if p.key == "area_user":
        return Case(
            allowed=[{"pk": step1.pk}],
            refused=[{"pk": step2.pk}],
            method="POST",
            data={**data, "version": first.version},
            ok=REDIRECT,
        )
    if p.key == "dept_reviewer":
        return Case(
            allowed=[{"pk": step2.pk}],
            refused=[{"pk": step1.pk}],
            method="POST",
            data={**data, "version": second.version},
            ok=REDIRECT,
        )
    return Case(
        refused=[{"pk": step1.pk}, {"pk": step2.pk}],
        method="POST",
        data={**data, "version": first.version},
    )


@sweep.url("workflow:decide-report")
def decide_report(world: World, p: Persona) -> Case:
    report = _orphan(world)
    data = {"version": report.version, "decision": "approve", "comment": ""}
    if p.key == "area_user":
        return Case(allowed=[{"pk": report.pk}], method="POST", data=data, ok=REDIRECT)
    return Case(refused=[{"pk": report.pk}], method="POST", data=data)


@sweep.url("workflow:schedule-edit")
def schedule_edit(world: World, p: Persona) -> Case:
    pk = ReportingSchedule.objects.get(report_type="energy", period_kind="month").pk
    if p.key in ADMINS:
        return Case(allowed=[{"pk": pk}])
    return Case(refused=[{"pk": pk}])


@sweep.url("workflow:route-edit")
def route_edit(world: World, p: Persona) -> Case:
    if p.key in ADMINS:
        return Case(allowed=[{"report_type": "energy"}, {"report_type": "indicator"}])
    return Case(refused=[{"report_type": "energy"}], refused_status=FORBIDDEN)


@sweep.url("workflow:notification-open")
def notification_open(world: World, p: Persona) -> Case:
    own = Notification.objects.create(recipient=p.user, kind="reminder", title="测试", url="/")
    other_user = world.persona("no_role" if p.key != "no_role" else "leader").user
    other = Notification.objects.create(recipient=other_user, kind="reminder", title="测试")
    return Case(allowed=[{"pk": own.pk}], refused=[{"pk": other.pk}], ok=REDIRECT)


@sweep.url("workflow:notifications-read")
def notifications_read(world: World, p: Persona) -> Case:
    return Case(allowed=[{}], method="POST", ok=REDIRECT)


@sweep.url("workflow:reminders")
def reminders(world: World, p: Persona) -> Case:
    if p.key in ADMINS:
        return Case(allowed=[{}])
    return Case(refused=[{}], refused_status=FORBIDDEN)


@sweep.url("workflow:calendar")
def calendar(world: World, p: Persona) -> Case:
    if p.key == "no_role":
        return Case(refused=[{}], refused_status=FORBIDDEN)
    return Case(allowed=[{}])


sweep.url("workflow:routes")(calendar)
sweep.url("workflow:missing")(calendar)

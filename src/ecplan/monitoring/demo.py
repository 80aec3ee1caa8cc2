"""The demo city's 14th Five-Year binding targets and their allocation (演示数据).

The demo generator (:mod:`ecplan.demo`) invents binding targets for the city and its six
county-level areas (synthetic; the non-fossil share follows the city's published plan). The
data-collection loader (:mod:`ecplan.reporting.demo`) has no place for them, so this module
enters them through :func:`ecplan.monitoring.services.enter_binding_targets` — the same path the
plan office's page and command use — as revisions marked 演示数据, with the generator's note
as their source. :func:`load_demo_binding_targets` is a step of ``ecplan serve --demo``
(``ecplan.web.demo.DEMO_STEPS``, after the demo city is loaded); ``ecplan binding-targets demo``
runs it by hand after ``ecplan demo-data --load``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final, TextIO

from ecplan.demo.model import BindingTarget as DemoBindingTarget
from ecplan.monitoring.entry import BindingTargetRecord, EntryOutcome

__all__ = ["DEMO_REASON", "binding_records", "load_binding_targets", "load_demo_binding_targets"]

DEMO_REASON: Final = "演示数据（虚构的“十四五”约束性指标及分解），由演示数据生成器给出"


def binding_records(targets: Iterable[DemoBindingTarget]) -> list[BindingTargetRecord]:
    """The demo generator's binding targets as entry records (area by administrative code)."""
    return [
        BindingTargetRecord(
            area=t.area_code,
            indicator=t.indicator,
            value=repr(t.value),
            base_year=t.base_year,
            target_year=t.target_year,
            source=t.note if "演示" in t.note else f"演示数据：{t.note}",
            note="演示数据（虚构），不是上级下达的指标",
            where=f"演示数据 {t.area_code} {t.indicator}",
        )
        for t in targets
    ]


def load_binding_targets(
    targets: Iterable[DemoBindingTarget], *, acting_user: Any = None, plan_code: str | None = None
) -> EntryOutcome:
    """Enter the demo binding targets for the demo plan (all or nothing), marked 演示数据.

    ``acting_user`` defaults to the demo loader's account (a plan administrator, created by
    the demo city's loading). Raises :class:`ecplan.monitoring.services.EntryError` if the
    plan is not loaded and ``ValueError`` with the issues if a record is refused.
    """
    from ecplan.accounts.models import User
    from ecplan.monitoring.services import enter_binding_targets
    from ecplan.reporting.demo import LOADER_USERNAME, PLAN_CODE

    user = acting_user
    if user is None:
        user = User.objects.filter(username=LOADER_USERNAME).first()
        if user is None:
            raise ValueError(
                f"演示数据载入账号“{LOADER_USERNAME}”不存在：请先载入演示城市（ecplan demo-data --load）。"
            )
    outcome = enter_binding_targets(
        plan_code or PLAN_CODE,
        binding_records(targets),
        acting_user=user,
        reason=DEMO_REASON,
        is_demo=True,
    )
    if outcome.issues:
        detail = "；".join(f"{i.where}：{i.field} {i.message}" for i in outcome.issues)
        raise ValueError(f"演示约束性指标未载入：{detail}")
    return outcome


def load_demo_binding_targets(stdout: TextIO) -> None:
    """Demo step of ``ecplan serve --demo``: the demo city's binding targets (unless the setting
    ``ECPLAN_DEMO_CITY`` is off, as for the city itself)."""
    from django.conf import settings

    from ecplan.demo.city import generate_city
    from ecplan.demo.periods import Month

    if not settings.ECPLAN_DEMO_CITY:
        return
    # the binding targets do not depend on the months or the enterprises generated
    last = Month(2025, 12)
    city = generate_city(start=last, end=last)
    outcome = load_binding_targets(city.binding_targets)
    print(f"演示约束性指标（演示数据）：{outcome.summary()}", file=stdout)

"""Fixtures of the workflow tests: the persona world, a cast of reporters and reviewers with
e-mail addresses, and a fixed "today" inside the window of 2025-03 (deadline 2025-04-10)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from ecplan.accounts.testing import World, grant, make_user
from ecplan.reporting.models import Report
from ecplan.workflow.reporting_calendar import clear_cache
from ecplan.workflow.testing import save_energy

#: judged "today": March 2025 is open, its deadline (the 10th of April) two days away
TODAY = dt.date(2025, 4, 8)
PERIOD = "2025-03"


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def world(db: None) -> World:
    return World.build()


@dataclass
class Cast:
    world: World
    reporter: Any  # 企业填报员 of e_yizheng (the enterprise persona)
    area: Any  # 区县用户 of 仪征市 (reviews e_yizheng, step 1)
    area2: Any  # a second 仪征市 reviewer
    gaoyou: Any  # 区县用户 of 高邮市 (out of scope for e_yizheng)
    gxj: Any  # 部门审核员 of 市工信局 (step 2)
    gxj2: Any
    plan: Any  # 计划管理员
    plan2: Any
    leader: Any
    dept_reporter: Any  # 部门填报员 of 市工信局

    def client(self, user: Any) -> Client:
        c = Client()
        c.force_login(user)
        return c


@pytest.fixture
def cast(world: World) -> Cast:
    reporter = world.persona("enterprise").user
    reporter.email = "reporter@example.cn"
    reporter.save()
    gxj = world.persona("dept_reviewer").user
    gxj.email = "gxj@example.cn"
    gxj.save()
    plan2 = make_user("t-plan2", full_name="第二计划管理员")
    grant(plan2, "plan_admin", world.plan_office)
    return Cast(
        world=world,
        reporter=reporter,
        area=make_user(
            "t-yz-area", ("area_user", world.yizheng), full_name="仪征审核员", email="yz@example.cn"
        ),
        area2=make_user("t-yz-area2", ("area_user", world.yizheng), full_name="仪征审核员二"),
        gaoyou=make_user("t-gy-area", ("area_user", world.gaoyou), full_name="高邮审核员"),
        gxj=gxj,
        gxj2=make_user("t-gxj2", ("dept_reviewer", world.dept), full_name="工信审核员二"),
        plan=world.persona("plan_admin").user,
        plan2=plan2,
        leader=world.persona("leader").user,
        dept_reporter=world.persona("dept_reporter").user,
    )


@pytest.fixture
def draft(cast: Cast) -> Report:
    """A draft energy report of e_yizheng for 2025-03, saved by its reporter."""
    return save_energy(cast.reporter, cast.world.e_yizheng, PERIOD, today=TODAY)

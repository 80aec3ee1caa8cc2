"""Fixtures of the data-collection tests: the persona world plus installations and a fixed
"today" inside the open reporting window of 2025-03."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from ecplan.accounts.testing import World, grant, make_user
from ecplan.organisations.models import Installation

#: judged "today" for reporting windows: April 2025 reports March 2025
TODAY = dt.date(2025, 4, 10)


@pytest.fixture
def world(db: None) -> World:
    return World.build()


@pytest.fixture
def plant(world: World) -> dict[str, Any]:
    """Installations of the enterprise persona's enterprise (e_yizheng)."""
    e = world.e_yizheng
    pta = Installation.objects.create(
        enterprise=e, code="PTA-1", name="1号PTA装置", kind="production_unit", product="pta",
        capacity_t_per_a=Decimal("1000000"),
    )  # fmt: skip
    soda = Installation.objects.create(
        enterprise=e, code="NaOH-1", name="烧碱装置", kind="production_unit",
        product="caustic_soda", variant="liquid_30", capacity_t_per_a=Decimal("300000"),
    )  # fmt: skip
    dc = Installation.objects.create(
        enterprise=e, code="DC-1", name="数据中心", kind="data_centre", dc_status="new",
        it_capacity_kw=Decimal("5000"),
    )  # fmt: skip
    chp = Installation.objects.create(
        enterprise=e, code="CHP", name="自备热电厂", kind="plant", plant_type="chp",
        capacity_mw=Decimal("100"), fuel="coal",
    )  # fmt: skip
    unit = Installation.objects.create(
        enterprise=e, parent=chp, code="CHP-G1", name="1号机组", kind="generating_unit",
        capacity_mw=Decimal("50"), fuel="coal",
    )  # fmt: skip
    return {"pta": pta, "soda": soda, "dc": dc, "chp": chp, "unit": unit}


@pytest.fixture
def statistician(world: World) -> Any:
    """A reporter of 市统计局 (statistics are reported by the bureau)."""
    from ecplan.organisations.models import Organisation

    bureau = Organisation.objects.get(region=world.region, code="statistics")
    user = make_user("t-statistician", full_name="测试统计员")
    grant(user, "dept_reporter", bureau)
    return user


@pytest.fixture
def month() -> str:
    """The newest month open for energy reports today (imports judge windows on today)."""
    from ecplan.reporting.windows import open_periods

    return str(open_periods("energy", "month")[0])

"""Hostile spreadsheets never leave partial data: either the whole file is stored or nothing.

Hypothesis builds workbooks from valid rows mixed with hostile content — wrong types in number
cells, formulas without values, merged cells, booleans and dates, unknown carriers and units,
negative and absurd numbers, empty and huge sheets, stray sheets — and imports them. Whatever
happens, no exception escapes, and unless the import reports ``stored`` the row counts of every
data table are exactly what they were before.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecplan.accounts.testing import World
from ecplan.reporting.models import (
    ElectricityFacts,
    EnergyLine,
    EnergyResult,
    ImportBatch,
    InstallationLine,
    OutputLine,
    Report,
    Revision,
)
from ecplan.reporting.services import import_file

from .builders import ENERGY_HEADER, energy_row

MODELS = (
    Report,
    Revision,
    EnergyLine,
    OutputLine,
    InstallationLine,
    ElectricityFacts,
    EnergyResult,
    ImportBatch,
)
GOOD_CARRIERS = [
    ("烟煤", "吨"),
    ("天然气", "万立方米"),
    ("电力", "万千瓦时"),
    ("柴油", "吨"),
    ("汽油", "千克"),
    ("焦炭", "吨"),
    ("液化石油气", "吨"),
]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


hostile_values = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["约100", "100吨", "—", "/", "１２，３４５", "1,2,3", "1e400", "-5", "NaN", "=1+1"]
    ),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.booleans(),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.none(),
)


@st.composite
def workbooks(draw: st.DrawFn, code: str, month: str) -> tuple[bytes, bool]:
    """A workbook and whether it contains anything hostile."""
    rows: list[list[Any]] = []
    hostile = False
    chosen = draw(st.lists(st.sampled_from(GOOD_CARRIERS), min_size=1, max_size=5, unique=True))
    for carrier, unit in chosen:
        rows.append(
            energy_row(
                code,
                month,
                carrier,
                unit,
                consumed=draw(st.floats(min_value=0, max_value=1e6, allow_nan=False)),
            )
        )
    formulas: list[tuple[int, int]] = []
    merges: list[str] = []
    merged: set[int] = set()
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        kind = draw(
            st.sampled_from(
                ["cell", "carrier", "unit", "formula", "merge", "row", "feedstock", "code"]
            )
        )
        hostile = True
        r = draw(st.integers(min_value=0, max_value=len(rows) - 1))
        if kind == "cell":
            rows[r][6] = draw(hostile_values)  # 消费量
        elif kind == "carrier":
            rows[r][3] = draw(st.sampled_from(["神秘燃料", "", "煤气罐", "电"]))
        elif kind == "unit":
            rows[r][4] = draw(st.sampled_from(["桶", "升", "kWh", "", "立方米"]))
        elif kind == "formula":
            formulas.append((r + 1, 6))
        elif kind == "merge" and r < len(rows) - 1 and not merged & {r, r + 1}:
            merged |= {r, r + 1}
            merges.append(f"G{r + 2}:G{r + 3}")
        elif kind == "row":
            rows.append([draw(hostile_values) for _ in ENERGY_HEADER])
        elif kind == "feedstock":
            rows[r][7] = 10**9
        elif kind == "code":
            rows[r][0] = draw(st.sampled_from(["91321081MA1MBWXA55", "123", code.lower()[::-1]]))
    extra_sheets = draw(
        st.lists(st.sampled_from(["空表", "Sheet2", "备注"]), max_size=2, unique=True)
    )
    huge = draw(st.booleans())
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "nan_inf_to_errors": True})
    ws = wb.add_worksheet("能源消费")
    for c, h in enumerate(ENERGY_HEADER):
        ws.write_string(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if (r, c) in formulas:
                ws.write_formula(r, c, "=1/0")
            elif v is None:
                continue
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            elif isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day))
            else:
                ws.write(r, c, v)
    for rng in merges:
        ws.merge_range(rng, None)
    for name in extra_sheets:
        extra = wb.add_worksheet(name)
        if name == "备注":
            extra.write_string(0, 0, "随便写点什么")
    if huge:
        big = wb.add_worksheet("大表")
        for r in range(0, 3000, 3):
            big.write_number(r, 0, r)
    wb.close()
    return buf.getvalue(), hostile


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_hostile_workbooks_store_all_or_nothing(
    world: World, month: str, data: st.DataObject
) -> None:
    user = world.persona("enterprise").user
    content, hostile = data.draw(workbooks(world.e_yizheng.credit_code, month))
    with transaction.atomic():
        before = _counts()
        outcome = import_file(
            content, acting_user=user, filename="hostile.xlsx", confirm_warnings=True
        )
        after = _counts()
        if outcome.stored:
            assert not outcome.issues.has_errors
            assert after["EnergyLine"] > before["EnergyLine"]
        else:
            assert outcome.issues.has_errors, outcome.issues.to_text()
            assert after == before
            for issue in outcome.issues.errors:
                assert issue.message
        if not hostile:
            assert outcome.stored, outcome.issues.to_text()
        transaction.set_rollback(True)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(payload=st.binary(max_size=2000), name=st.sampled_from(["a.xlsx", "b.csv", "c.xls", "d"]))
def test_arbitrary_bytes_never_store_anything(world: World, payload: bytes, name: str) -> None:
    user = world.persona("enterprise").user
    with transaction.atomic():
        before = _counts()
        outcome = import_file(payload, acting_user=user, filename=name)
        assert not outcome.stored
        assert _counts() == before
        transaction.set_rollback(True)


def test_an_empty_workbook_is_refused(world: World) -> None:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet("能源消费")
    wb.close()
    outcome = import_file(
        buf.getvalue(), acting_user=world.persona("enterprise").user, filename="empty.xlsx"
    )
    assert not outcome.stored
    assert outcome.issues.has_errors
    assert Report.objects.count() == 0

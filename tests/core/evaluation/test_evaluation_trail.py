"""The calculation trail: JSON round trip, attaching sources, refusing what JSON cannot hold."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecplan.core.evaluation import (
    Attachment,
    FactorSetRef,
    SourceRef,
    Trail,
    TrailError,
    TrailInput,
    TrailStep,
)


def _trail() -> Trail:
    child = Trail(
        title="江都区能源消费量（新口径）",
        formula="综合能源消费量 − 非化石能源 − 原料用能",
        inputs=(TrailInput("energy_tce", "综合能源消费量", 1234.5, "吨标准煤", "企业月报"),),
        factor_sets=(FactorSetRef("gbt2589", "2020-v1"),),
    )
    return Trail(
        title="绿色化改造项目 目标状态（2025年9月）",
        formula="序时进度 = 目标值 × 已过月数 ÷ 总月数",
        inputs=(
            TrailInput("target", "目标值", 100.0, "项", "计划文本"),
            TrailInput("value_ytd", "累计值", 72.0, "项", "项目台账"),
            TrailInput("months", "月份", (1, 2, 3), "月"),
            TrailInput(
                "setting.on_track_ratio", "阈值", 0.95, "", "非官方默认值", "unofficial-default"
            ),
        ),
        steps=(TrailStep("序时进度", "100项 × 9 ÷ 12 = 75项", 75.0, "项"),),
        factor_sets=(FactorSetRef("grid-co2", "2023-v1"), FactorSetRef("gbt2589", "2020-v1")),
        plan_version="yangzhou-2025@征求意见稿",
        notes=("含未审核数据（预览）",),
        references=("docs/status-rules.md",),
        children=(child,),
    )


def test_round_trip_through_json() -> None:
    trail = _trail().with_refs(
        "value_ytd",
        SourceRef(
            "project",
            "P-0042",
            "某化工企业余热回收改造",
            submitter="张三",
            approver="李四",
            approved_at="2025-10-08T10:00:00+08:00",
            status="approved",
            extra=(("sheet", "项目台账"), ("row", 17)),
        ),
    )
    text = json.dumps(trail.to_dict(), ensure_ascii=False)
    again = Trail.from_dict(json.loads(text))
    assert again == trail
    ref = again.input("value_ytd").refs[0]
    assert (ref.submitter, ref.approver, dict(ref.extra)["row"]) == ("张三", "李四", 17)
    assert again.to_dict()["inputs"][3]["confidence_label"] == "非官方默认值"


def test_attachments_keep_other_json_verbatim() -> None:
    calc = {
        "schema": 1,
        "type": "calculation",
        "value": 0.97,
        "inputs": [{"name": "g", "value": 0.02}],
    }
    trail = _trail().with_attachments(Attachment("calculation", calc, "能耗强度变化率计算"))
    calc["value"] = 0.5  # a later change to the caller's dict does not reach the trail
    assert trail.attachments[0].data["value"] == 0.97
    again = Trail.from_dict(json.loads(json.dumps(trail.to_dict())))
    assert again == trail
    assert again.attachments[0].data["inputs"][0]["name"] == "g"
    with pytest.raises(TrailError, match="不是合法的 JSON"):
        Attachment("calculation", {"value": float("nan")})
    with pytest.raises(TrailError, match="不是合法的 JSON"):
        Attachment("calculation", {"value": object()})


def test_with_methods_return_new_trails() -> None:
    trail = _trail()
    changed = (
        trail.with_plan_version("v2").with_notes("n").with_factor_sets(FactorSetRef("heat", "1"))
    )
    assert trail.plan_version == "yangzhou-2025@征求意见稿"
    assert changed.plan_version == "v2"
    assert changed.notes[-1] == "n"
    # all_factor_sets: own first, then the children's, without duplicates
    assert changed.all_factor_sets() == (
        FactorSetRef("grid-co2", "2023-v1"),
        FactorSetRef("gbt2589", "2020-v1"),
        FactorSetRef("heat", "1"),
    )
    assert len(changed.with_children(trail).children) == 2


def test_errors_are_clear() -> None:
    with pytest.raises(KeyError, match="没有输入 nope"):
        _trail().with_refs("nope", SourceRef("x"))
    with pytest.raises(TrailError, match="不是有限数"):
        TrailInput("x", "x", float("nan"))
    with pytest.raises(TrailError, match="无法保存为 JSON"):
        TrailInput("x", "x", object())
    with pytest.raises(TrailError, match="输入名重复：a"):
        Trail("t", "f", inputs=(TrailInput("a", "a", 1), TrailInput("a", "b", 2)))
    with pytest.raises(TrailError, match="可信度标签"):
        TrailInput("x", "x", 1, confidence="maybe")


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)


@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=8), scalars), max_size=6, unique_by=lambda t: t[0]
    )
)
def test_any_scalar_inputs_round_trip(items: list[tuple[str, Any]]) -> None:
    trail = Trail("t", "f", inputs=tuple(TrailInput(n, n, v) for n, v in items))
    assert Trail.from_dict(json.loads(json.dumps(trail.to_dict()))) == trail

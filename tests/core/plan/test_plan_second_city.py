"""A second, fictional city's plan with its own registry loads: the format is general."""

from __future__ import annotations

from plan_testdata import LINHU_PLAN

from ecplan.core.plan import load_plan, plan_to_dict


def test_fictional_city_plan_loads_with_its_own_registry() -> None:
    loaded = load_plan(LINHU_PLAN)
    assert loaded.registry.region.name == "临湖市"
    assert loaded.warnings == ()
    data = plan_to_dict(loaded)
    assert (data["id"], data["status"], data["date"]) == ("linhu-2026", "送审稿", "2026-01-15")
    assert [t["number"] for t in data["tasks"]] == [1, 2, 3]
    assert data["table"] is None  # a breakdown table is optional
    targets = {t["id"]: t for t in data["targets"]}
    intensity = targets["energy-intensity-2026"]
    # 下降3%以上: a fall of at least 3 %, stored signed.
    assert (intensity["value"], intensity["comparator"], intensity["baseline_year"]) == (
        -3,
        "<=",
        2025,
    )
    capacity = targets["renewable-capacity-2026"]
    # A unit and an indicator the plan defines itself.
    assert (capacity["value_canonical"], capacity["canonical_unit"]) == (1_200_000, "kW")
    assert capacity["indicator_label"] == "可再生能源发电装机容量"
    solar = next(t for t in data["tasks"] if t["id"] == "solar")
    assert solar["responsibility"]["lead"]["code"] == "energy"
    assert solar["responsibility"]["cooperating"][0]["code"] == "urban-construction"
    buses = next(t for t in data["tasks"] if t["id"] == "buses")
    assert buses["responsibility"]["generic"] == "各有关部门"
    assert data["rules"][0]["scope"] == "prohibition"

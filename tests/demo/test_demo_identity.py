"""Enterprises: fictional names, valid credit codes, areas and zones, sizes, installations."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ecplan.core.plan import load_plan
from ecplan.demo.city import load_yangzhou_registry
from ecplan.demo.identity import FORBIDDEN_WORDS
from ecplan.demo.model import DemoCity

PLAN = Path(__file__).resolve().parents[2] / "src/ecplan/plans/data/yangzhou/yangzhou-2025.yaml"
_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _gb32100_ok(code: str) -> bool:
    """Independent check of the GB 32100-2015 check character (weights 3^i mod 31)."""
    if len(code) != 18 or any(ch not in _CHARSET for ch in code):
        return False
    total = sum(_CHARSET.index(ch) * pow(3, i, 31) for i, ch in enumerate(code[:17]))
    return _CHARSET[(31 - total % 31) % 31] == code[17]


def _gb11714_ok(code9: str) -> bool:
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(
        (int(ch) if ch.isdigit() else ord(ch) - 55) * w
        for ch, w in zip(code9[:8], weights, strict=False)
    )
    c = 11 - total % 11
    return code9[8] == ("X" if c == 10 else "0" if c == 11 else str(c))


def test_about_one_hundred_key_enterprises_all_at_least_5000_tce(city: DemoCity) -> None:
    assert len(city.enterprises) == 100
    assert all(e.energy_2024_tce >= 5000 for e in city.enterprises)
    classes = Counter(e.key_unit_class for e in city.enterprises)
    assert classes["over_10k"] > 50
    assert classes["5k_to_10k"] > 5


def test_key_unit_class_follows_the_10000_tce_line(city: DemoCity) -> None:
    for e in city.enterprises:
        if e.energy_2024_tce >= 12_000:
            assert e.key_unit_class == "over_10k", e.name
        if e.energy_2024_tce < 9_000 and e.sector not in ("datacentre", "pta"):
            assert e.key_unit_class == "5k_to_10k", e.name


def test_credit_codes_valid_unique_and_registered_in_their_area(city: DemoCity) -> None:
    codes = [e.credit_code for e in city.enterprises]
    assert len(set(codes)) == len(codes)
    for e in city.enterprises:
        assert _gb32100_ok(e.credit_code), e.credit_code
        assert _gb11714_ok(e.credit_code[8:17]), e.credit_code
        assert e.credit_code[2:8] == e.area_code


def test_names_are_fictional_and_never_name_the_plans_real_units(city: DemoCity) -> None:
    plan = load_plan(PLAN).plan
    real = {"国信", "华电", "仪征化纤", "实友化工", "港口热电"}
    subjects = " ".join(m.subject for m in plan.milestones)
    assert all(word in subjects for word in ("国信", "华电", "仪征化纤", "港口热电"))
    names = [e.name for e in city.enterprises]
    assert len(set(names)) == len(names)
    for name in names:
        assert name.startswith("示例"), name
        assert name.endswith("有限公司"), name
        assert not any(w in name for w in real | set(FORBIDDEN_WORDS)), name
    for r in city.retrofits:
        assert not any(w in r.name for w in real), r.name


def test_enterprises_spread_over_all_areas_and_zones_lie_in_their_area(city: DemoCity) -> None:
    registry = load_yangzhou_registry()
    county = {a.code for a in registry.county_level_areas}
    parent = {a.code: a.parent for a in registry.areas if a.kind == "functional_zone"}
    assert {e.area_code for e in city.enterprises} == county
    zoned = [e for e in city.enterprises if e.zone_code]
    assert {e.zone_code for e in zoned} == set(parent)
    for e in zoned:
        assert parent[e.zone_code] == e.area_code, e.name


def test_industries_of_the_plan_are_present_with_gbt4754_codes(city: DemoCity) -> None:
    sectors = Counter(e.sector for e in city.enterprises)
    for needed in ("pta", "polyester", "petrochem", "caustic", "steel_bof", "steel_eaf", "paper",
                   "power_coal", "power_chp", "power_gas", "datacentre"):  # fmt: skip
        assert sectors[needed] >= 1, needed
    assert all(len(e.industry_code) == 4 and e.industry_code.isdigit() for e in city.enterprises)
    budget = {e.sector for e in city.enterprises if e.budget_managed}
    assert {"steel_bof", "pta", "caustic"} <= budget
    assert "datacentre" not in budget


def test_installations_cover_what_the_indicators_need(city: DemoCity) -> None:
    inst = city.installations
    assert {i.variant for i in inst if i.product == "烧碱"} == {
        "离子膜法液碱≥30%",
        "离子膜法液碱≥45%",
        "离子膜法固碱≥98%",
    }
    assert {i.variant for i in inst if i.product == "粗钢"} == {"高炉—转炉长流程", "电炉短流程"}
    assert {i.status for i in inst if i.kind == "data_centre"} == {"new", "expanded", "existing"}
    fuels = {i.fuel for i in inst if i.kind == "generating_unit"}
    assert {"煤炭", "天然气", "垃圾焚烧"} <= fuels
    assert any(i.status == "在建" for i in inst if i.kind == "generating_unit")
    assert any(i.closed for i in inst if i.kind == "generating_unit")
    big_boilers = [i for i in inst if i.kind == "coal_boiler" and i.capacity >= 35]
    assert {i.status for i in big_boilers} == {"已改造", "未改造", "已关停"}
    assert sum(i.separately_listed for i in inst) == 1
    owners = {e.credit_code for e in city.enterprises}
    assert all(i.credit_code in owners for i in inst)

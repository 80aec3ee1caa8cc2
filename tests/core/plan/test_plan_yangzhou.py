"""The shipped Yangzhou plan file, checked against the shipped plan text.

These tests re-read the text file themselves rather than trusting the loader's own checks, so
a bug in ``ecplan.core.plan.checks`` cannot hide a wrong quote or number.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from plan_testdata import YANGZHOU_TEXT

from ecplan.core.plan import LoadedPlan, plan_to_dict

TEXT = YANGZHOU_TEXT.read_text(encoding="utf-8")


def numbers(text: str) -> set[Decimal]:
    return {Decimal(m) for m in re.findall(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])", text)}


def all_quotes(lp: LoadedPlan) -> list[tuple[str, str]]:
    plan = lp.plan
    quotes: list[tuple[str, str]] = [
        ("plan.title", plan.plan.title),
        ("plan.preamble", plan.plan.preamble),
    ]
    quotes += [(f"implements {d.title}", d.quote) for d in plan.plan.implements]
    for _, s, _, _ in plan.walk_sections():
        quotes += [(f"section {s.id} heading", s.heading), (f"section {s.id} text", s.text)]
        if s.responsibility:
            quotes.append((f"section {s.id} responsibility", s.responsibility.quote))
        for t in s.tasks:
            quotes.append((f"task {t.number}", t.label + t.text))
            if t.responsibility:
                quotes.append((f"task {t.number} responsibility", t.responsibility.quote))
    assert plan.table is not None
    for g in plan.table.groups:
        quotes.append((g.heading, g.heading))
        for r in g.rows:
            quotes += [
                (f"row {r.number}", r.text),
                (f"row {r.number} departments", "\n".join(r.departments)),
            ]
    for t in plan.targets:
        quotes.append((f"target {t.id}", t.source_quote))
        quotes += [
            (f"target {t.id} {k}", q)
            for k, q in (("basis", t.basis_quote), ("context", t.context_quote))
            if q
        ]
    quotes += [(f"milestone {m.id}", m.source_quote) for m in plan.milestones]
    quotes += [(f"rule {r.id}", r.source_quote) for r in plan.rules]
    quotes += [(f"erratum {e.id}", e.quote) for e in plan.errata]
    return [(where, q) for where, q in quotes if q]


def test_every_quote_is_verbatim_in_the_shipped_text(yangzhou: LoadedPlan) -> None:
    quotes = all_quotes(yangzhou)
    assert len(quotes) > 150
    missing = [(where, q) for where, q in quotes if q not in TEXT]
    assert missing == []
    # References that give their own words (the table abbreviates) are verbatim too.
    for _, s, _, _ in yangzhou.plan.walk_sections():
        for holder, text in [(s, s.text), *((t, t.text) for t in s.tasks)]:
            for ref in (*holder.targets, *holder.milestones, *holder.rules):
                if ref.quote:
                    assert ref.quote in text, ref


def test_every_number_a_target_carries_appears_in_its_quote(yangzhou: LoadedPlan) -> None:
    checked = 0
    for t in yangzhou.plan.targets:
        in_quote = numbers(t.source_quote)
        if t.value is not None:
            assert abs(t.value) in in_quote, (t.id, t.value, t.source_quote)
            assert abs(t.value) in numbers(t.wording or ""), t.id
            checked += 1
        if t.baseline_stated:
            assert Decimal(t.baseline_year or 0) in in_quote, t.id
        elif t.baseline_year is not None:
            # An inferred baseline must not be pretended to come from the quote.
            assert Decimal(t.baseline_year) not in in_quote, t.id
    for item in (*yangzhou.plan.milestones, *yangzhou.plan.rules):
        for c in item.criteria:
            if c.value is not None:
                assert c.value in numbers(item.source_quote), item.id
    # Every place that repeats a target states the same number.
    data = plan_to_dict(yangzhou)
    for t in data["targets"]:
        for ref in t["referenced_by"]:
            if ref["quote"] and t["value"] is not None:
                assert Decimal(str(abs(t["value"]))) in numbers(ref["quote"]), (t["id"], ref)
    assert checked >= 20


def test_repeated_targets_are_stored_once_and_referenced_everywhere(yangzhou: LoadedPlan) -> None:
    data = plan_to_dict(yangzhou)
    by_indicator = {}
    for t in data["targets"]:
        by_indicator.setdefault(t["indicator"], []).append(t)
    expectations = {
        # indicator: (value, text that repeats it, places referencing it)
        "nonfossil_share": (20, "非化石能源消费占比达到20%左右", {"goals", "renewable-use", 3}),
        "nonfossil_deduction_tce": (550, "扣减量达550万吨标准煤", {"goals", "renewable-use", 3}),
        "retrofit_savings_tce": (10, "10万吨标", {"goals", "industrial-retrofit", 4}),
    }
    for indicator, (value, phrase, places) in expectations.items():
        assert TEXT.count(phrase) >= 2, phrase  # the text really repeats it…
        stored = by_indicator[indicator]
        assert len(stored) == 1, indicator  # …and the data holds it once
        assert stored[0]["value"] == value
        seen = {
            r.get("id") if r["place"] != "table_row" else r["number"]
            for r in stored[0]["referenced_by"]
        }
        assert seen == places
    # The per-project 20 % of the lagging-region rule is a different requirement, not a copy.
    rule = next(r for r in data["rules"] if r["id"] == "lagging-region-nonfossil")
    assert rule["criteria"][0]["value"] == 20
    assert rule["criteria"][0]["indicator"] == "project_nonfossil_share"


def test_sections_are_all_present_in_order_with_their_numbers(yangzhou: LoadedPlan) -> None:
    data = plan_to_dict(yangzhou)
    tops = [s for s in data["sections"] if s["level"] == 1]
    assert [(s["number"], s["title"]) for s in tops] == [
        (1, "主要目标"),
        (2, "重点任务"),
        (3, "管理机制"),
        (4, "保障措施"),
    ]
    children = {
        top["id"]: [(s["number"], s["label"]) for s in data["sections"] if s["parent"] == top["id"]]
        for top in tops
    }
    assert children["key-tasks"] == [
        (1, "（1）"),
        (2, "（2）"),
        (3, "（三）"),
        (4, "（四）"),
        (5, "（五）"),
        (6, "（六）"),
        (7, "（七）"),
    ]
    assert [n for n, _ in children["mechanisms"]] == [1, 2, 3, 4, 5]
    assert [n for n, _ in children["safeguards"]] == [1, 2, 3, 4, 5]
    # Reading order of the data is the reading order of the text: each heading is found after
    # the one before it.
    position = 0
    for s in data["sections"]:
        position = TEXT.index(s["heading"], position)
    items = [s for s in data["sections"] if s["parent"] in {"mechanisms", "safeguards"}]
    assert all(s["text"] and s["responsibility"] for s in items)


def test_thirteen_tasks_with_full_text_linked_to_the_breakdown_table(yangzhou: LoadedPlan) -> None:
    data = plan_to_dict(yangzhou)
    tasks = data["tasks"]
    assert [t["number"] for t in tasks] == list(range(1, 14))
    assert [len([t for t in tasks if t["section"] == g]) for g in (
        "energy-structure", "industry", "services", "buildings", "transport",
        "public-institutions", "equipment-recycling",
    )] == [3, 4, 2, 1, 1, 1, 1]  # fmt: skip
    rows = data["table"]["rows"]
    assert [r["number"] for r in rows] == list(range(1, 14))
    for task, row in zip(tasks, rows, strict=True):
        assert row["task"] == task["id"]
        assert task["table_row"] == row["number"]
        assert (task["label"] + task["text"]) in TEXT
        assert task["text"].endswith("按职责分工负责）")
    # The sub-task labels are printed in mixed styles and still read as 1, 2, 3 …
    assert tasks[0]["label"] == "1."
    assert tasks[7]["label"] == "1、"


def test_responsibility_as_the_text_and_the_table_give_it(yangzhou: LoadedPlan) -> None:
    tasks = {t["number"]: t for t in plan_to_dict(yangzhou)["tasks"]}
    coal = tasks[1]
    assert coal["responsibility"]["lead"]["code"] == "development-reform"
    assert [o["code"] for o in coal["responsibility"]["cooperating"]] == [
        "industry-it",
        "ecology-environment",
    ]
    assert coal["responsibility"]["and_others"] is True
    # Body and table differ: the table names only 市发改委 — both are kept.
    assert coal["table_responsibility"]["lead"]["name"] == "市发改委"
    assert coal["table_responsibility"]["cooperating"] == []
    assert coal["responsibility_differs"] is True
    steel = tasks[6]
    assert steel["responsibility"]["lead"] is None
    assert [o["name"] for o in steel["responsibility"]["joint"]] == [
        "市工信局",
        "发改委",
        "生态环境局",
    ]
    assert [o["name"] for o in steel["table_responsibility"]["joint"]] == [
        "市工信局",
        "市发改委",
        "市生态环境局",
    ]
    assert steel["responsibility_differs"] is False
    retrofit = tasks[4]
    assert retrofit["responsibility"]["generic"] == "市各有关部门"
    # The table's 市机关事务局 is the body's 市机关事务管理局.
    pi = tasks[12]
    assert pi["table_responsibility"]["lead"]["name"] == "市机关事务局"
    assert (
        pi["table_responsibility"]["lead"]["code"]
        == pi["responsibility"]["lead"]["code"]
        == "government-offices"
    )
    buildings = tasks[10]
    assert buildings["responsibility"]["cooperating"][0]["code"] == "power-supply"
    funding = next(s for s in plan_to_dict(yangzhou)["sections"] if s["id"] == "funding")
    assert len(funding["responsibility"]["joint"]) == 8


def _targets(lp: LoadedPlan) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in plan_to_dict(lp)["targets"]}


def test_comparators_and_directions_follow_the_wording(yangzhou: LoadedPlan) -> None:
    t = _targets(yangzhou)
    expected = {
        # id: (comparator, direction, approximate, aspirational)
        "nonfossil-share-2025": (">=", "higher_is_better", True, False),  # 达到…左右
        "nonfossil-deduction-2025": (">=", "higher_is_better", False, False),  # 达
        "coal-share-primary-2025": ("<=", "lower_is_better", True, False),  # 下降至
        "power-coal-share-2025": (">=", "higher_is_better", True, False),  # 提升至
        "generation-coal-rate-2025": ("<=", "lower_is_better", False, False),  # 达到290 gce/kWh
        "green-retrofit-projects-2025": (">=", "higher_is_better", False, False),  # 以上
        "pta-benchmark-capacity-2025": (">", "higher_is_better", False, False),  # 超过
        "caustic-soda-benchmark-capacity-2025": (">", "higher_is_better", False, False),
        "public-building-rooftop-pv-2025": (">=", "higher_is_better", False, True),  # 力争
        "service-energy-growth-2025": ("<=", "lower_is_better", False, False),  # 不高于
        "transport-carbon-intensity-2025": ("<=", "lower_is_better", False, False),  # 下降5%
        "container-rail-water-2025": (">=", "higher_is_better", False, False),  # 增长16%以上
        "steel-energy-per-tonne-2025": ("<=", "lower_is_better", True, False),  # 降低2%左右
        "industrial-solid-waste-2025": (">=", "higher_is_better", False, False),  # 达
    }
    for ident, (comparator, direction, approximate, aspirational) in expected.items():
        got = t[ident]
        assert (got["comparator"], got["direction"], got["approximate"], got["aspirational"]) == (
            comparator,
            direction,
            approximate,
            aspirational,
        ), ident
    assert t["transport-carbon-intensity-2025"]["value"] == -5
    assert t["container-rail-water-2025"]["value"] == 16
    rules = {r["id"]: r for r in plan_to_dict(yangzhou)["rules"]}
    pue = rules["dc-pue"]["criteria"][0]
    assert (pue["indicator"], pue["comparator"], pue["value"]) == ("pue_new_dc", "<", 1.2)  # 低于
    nonfossil = rules["lagging-region-nonfossil"]["criteria"][0]
    assert (nonfossil["comparator"], nonfossil["value"]) == (">=", 20)  # 不得低于


def test_tolerance_is_a_plan_setting_not_from_the_text(yangzhou: LoadedPlan) -> None:
    t = _targets(yangzhou)
    tol = t["nonfossil-share-2025"]["tolerance"]
    assert tol["from_text"] is False
    assert tol["confirmed"] is False
    assert tol["setting"] == "approx_tolerance_relative"
    assert tol["absolute"] == 1  # 5 % of 20 %, in percentage points
    assert t["nonfossil-deduction-2025"]["tolerance"] is None
    basis = next(
        s for s in plan_to_dict(yangzhou)["settings"] if s["key"] == "generation_coal_rate_basis"
    )
    assert basis["from_text"] is False
    assert basis["confirmed"] is False
    assert set(basis["choices"]) == {"supply", "generation"}
    assert t["generation-coal-rate-2025"]["settings"] == ["generation_coal_rate_basis"]


def test_baselines_deadlines_and_unset_targets(yangzhou: LoadedPlan) -> None:
    t = _targets(yangzhou)
    assert (
        t["steel-energy-per-tonne-2025"]["baseline_year"],
        t["steel-energy-per-tonne-2025"]["baseline_stated"],
    ) == (2023, True)
    assert (
        t["transport-carbon-intensity-2025"]["baseline_year"],
        t["transport-carbon-intensity-2025"]["baseline_stated"],
    ) == (2020, True)
    for ident, value in (
        ("pi-energy-per-area-2025", -6),
        ("pi-co2-per-area-2025", -7),
        ("pi-energy-per-capita-2025", -7),
    ):
        assert t[ident]["value"] == value
        assert t[ident]["baseline_stated"] is False
        assert t[ident]["baseline_note"]
        assert t[ident]["deadline"] == "2025年底"
    assert t["coal-share-primary-2025"]["deadline"] == "2025年"
    area = t["existing-building-retrofit-area-2025"]
    assert area["value"] is None
    assert area["state"] == "not_set"
    assert "1000万平方米" in area["context"]
    assert area["placeholder"] == "XXX"
    for ident in ("fyp14-energy-intensity", "fyp14-co2-intensity"):
        assert t[ident]["value"] is None
        assert t[ident]["state"] == "not_set"
        assert t[ident]["value_entry"] == "plan_office"
    assert sum(1 for x in t.values() if x["value"] is not None) >= 20


def test_milestones_rules_and_the_erratum(yangzhou: LoadedPlan) -> None:
    data = plan_to_dict(yangzhou)
    milestones = {m["id"]: m for m in data["milestones"]}
    unit = milestones["guoxin-usc-unit"]
    assert "100万千瓦时" in unit["subject"]  # verbatim, as printed
    assert unit["errata"][0]["reading"] == "扬州国信100万千瓦超超临界机组"
    closures = sorted(m["subject"] for m in data["milestones"] if m["kind"] == "closure")
    assert closures == sorted(
        ["扬州华电", "国信仪征热电", "仪征化纤", "港口热电", "实友化工自备燃煤锅炉"]
    )
    boilers = milestones["coal-boilers-35th"]["criteria"][0]
    assert (boilers["comparator"], boilers["value"], boilers["unit"]) == (">=", 35, "蒸吨/小时")
    assert milestones["steel-ultra-low-emission"]["deadline"] == "2025年底"
    assert milestones["key-unit-inspection-coverage"]["kind"] == "coverage"
    assert milestones["official-vehicles-nev"]["subject"] == "党政机关新增公务用车"
    assert all(m["state"] == "open" for m in data["milestones"])
    rules = {r["id"] for r in data["rules"]}
    assert {
        "dc-pue",
        "lagging-region-nonfossil",
        "key-high-energy-benchmark-a",
        "petrochem-benchmark-a",
        "coal-replacement",
    } <= rules
    assert len(data["targets"]) + len(data["milestones"]) + len(data["rules"]) > 30


def test_the_whole_text_is_encoded(yangzhou: LoadedPlan) -> None:
    # The loader warns about any non-blank line of the text that no section, task or table row
    # holds; the Yangzhou file encodes every line.
    assert yangzhou.warnings == ()


def test_indicator_codes_are_known_and_units_convert(yangzhou: LoadedPlan) -> None:
    t = _targets(yangzhou)
    assert t["nonfossil-deduction-2025"]["value_canonical"] == 5_500_000
    assert t["nonfossil-deduction-2025"]["canonical_unit"] == "tce"
    assert t["retrofit-co2-reduction-2025"]["value_canonical"] == 260_000
    assert t["generation-coal-rate-2025"]["canonical_unit"] == "gce/kWh"
    # Percentages become fractions and changes signed fractions (docs/nomenclature.md).
    assert t["nonfossil-share-2025"]["value_canonical"] == 0.2
    assert t["nonfossil-share-2025"]["canonical_unit"] == "fraction"
    assert t["nonfossil-share-2025"]["tolerance"]["absolute_canonical"] == 0.01
    assert t["transport-carbon-intensity-2025"]["value_canonical"] == -0.05
    assert t["pta-benchmark-capacity-2025"]["value_canonical"] == 0.3

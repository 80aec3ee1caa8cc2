"""docs/indicators.md describes every indicator the evaluation computes and every indicator the
shipped plan uses, with the confidence label of the method."""

from __future__ import annotations

from pathlib import Path

from ecplan.core.plan import load_plan
from ecplan.monitoring.indicators import DEFINITIONS
from ecplan.plans import services

DOC = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"
PLAN_FILE = Path(services.__file__).resolve().parent / "data/yangzhou/yangzhou-2025.yaml"


def _rows() -> dict[str, str]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            code = line.split("`")[1]
            rows.setdefault(code, line)
    return rows


def test_every_definition_is_documented_with_its_confidence() -> None:
    rows = _rows()
    for code, definition in DEFINITIONS.items():
        assert code in rows, f"docs/indicators.md 缺少指标 {code}"
        assert definition.confidence in rows[code], (code, definition.confidence)
        assert definition.method in rows[code], (code, definition.method)


def test_every_indicator_of_the_shipped_plan_is_documented() -> None:
    plan = load_plan(PLAN_FILE).plan
    text = DOC.read_text(encoding="utf-8")
    codes = {t.indicator for t in plan.targets}
    codes |= {m.indicator for m in plan.milestones if m.indicator}
    codes |= {c.indicator for r in plan.rules for c in r.criteria}
    codes |= {c.indicator for m in plan.milestones for c in m.criteria}
    missing = sorted(c for c in codes if f"`{c}`" not in text)
    assert not missing, f"docs/indicators.md 未说明：{missing}"

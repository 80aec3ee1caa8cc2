"""The accounting docs list what the code ships (they must not drift apart)."""

from __future__ import annotations

from pathlib import Path

from ecplan.core import CARRIERS, shipped_sets
from ecplan.core.units import UNITS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_accounting_doc_lists_every_carrier_and_unit() -> None:
    text = (DOCS / "accounting.md").read_text(encoding="utf-8")
    missing = [c.code for c in CARRIERS if f"`{c.code}`" not in text]
    assert not missing, f"docs/accounting.md lacks carriers {missing}"
    missing_units = [u.symbol for u in UNITS if u.symbol not in text]
    assert not missing_units, f"docs/accounting.md lacks units {missing_units}"


def test_factors_doc_lists_every_shipped_set_and_uncertain_row() -> None:
    text = (DOCS / "factors.md").read_text(encoding="utf-8")
    for fs in shipped_sets():
        assert f"`{fs.id}`" in text, fs.id
        if fs.id == "ndrc-efficiency-benchmarks-2023":
            continue  # the whole set is uncertain; documented as such
        for row in fs.uncertain_rows:
            assert f"| {row.row_id} |" in text, (fs.id, row.row_id)

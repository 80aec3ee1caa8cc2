"""docs/demo-data.md writes the calibration down: it must agree with the generator."""

from __future__ import annotations

from pathlib import Path

from ecplan.demo.model import DemoCity
from ecplan.demo.summary import figures_table, markdown_tables

DOC = Path(__file__).resolve().parents[2] / "docs" / "demo-data.md"


def test_every_calibration_figure_is_in_the_document() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert figures_table() in text, "regenerate the figures table: python -m ecplan.demo.summary"


def test_the_calibration_tables_are_the_generators(city: DemoCity) -> None:
    text = DOC.read_text(encoding="utf-8")
    assert markdown_tables(city) in text, "regenerate the tables: python -m ecplan.demo.summary"

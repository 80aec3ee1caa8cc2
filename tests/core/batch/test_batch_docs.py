"""docs/batch.md says what the code does: its example runs, its column lists are complete."""

from __future__ import annotations

import re
from pathlib import Path

from ecplan.core.batch import PROVENANCE_SCHEMA, RESULT_COLUMNS, TOTAL_COLUMNS

DOC = Path(__file__).resolve().parents[3] / "docs" / "batch.md"


def test_the_api_example_runs() -> None:
    text = DOC.read_text(encoding="utf-8")
    example = re.search(r"```python\n(.*?)```", text, re.S)
    assert example is not None
    namespace: dict[str, object] = {}
    exec(compile(example.group(1), str(DOC), "exec"), namespace)  # the doc's own example
    result = namespace["result"]
    assert result.ok  # type: ignore[attr-defined]
    assert result.rows.height == 3  # type: ignore[attr-defined]


def test_every_column_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name in (*RESULT_COLUMNS, *TOTAL_COLUMNS, *PROVENANCE_SCHEMA):
        assert f"`{name}`" in text, name

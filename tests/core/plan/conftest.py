"""Fixtures for plan-file tests: the shipped Yangzhou plan and copies of it to break."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from plan_testdata import YANGZHOU_DIR, YANGZHOU_PLAN

from ecplan.core.plan import LoadedPlan, load_plan


@pytest.fixture(scope="session")
def yangzhou() -> LoadedPlan:
    return load_plan(YANGZHOU_PLAN)


@pytest.fixture
def broken_copy(tmp_path: Path) -> Callable[..., Path]:
    """Copy the Yangzhou plan, text and registry to a temporary directory and edit the copy.

    ``broken_copy((old, new), …)`` replaces each ``old`` (which must occur exactly once, so a
    test cannot silently edit nothing) by ``new`` in the plan file and returns its path.
    """

    def make(*edits: tuple[str, str], registry_edits: tuple[tuple[str, str], ...] = ()) -> Path:
        for name in ("yangzhou-2025.txt", "organisations.yaml"):
            shutil.copy(YANGZHOU_DIR / name, tmp_path / name)
        text = YANGZHOU_PLAN.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"edit target occurs {text.count(old)} times: {old!r}"
            text = text.replace(old, new)
        plan = tmp_path / "yangzhou-2025.yaml"
        plan.write_text(text, encoding="utf-8")
        reg = tmp_path / "organisations.yaml"
        reg_text = reg.read_text(encoding="utf-8")
        for old, new in registry_edits:
            assert reg_text.count(old) == 1
            reg_text = reg_text.replace(old, new)
        reg.write_text(reg_text, encoding="utf-8")
        return plan

    return make

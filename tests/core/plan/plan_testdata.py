"""Paths of the plan files the tests read (shared by conftest and the test modules)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
YANGZHOU_DIR = REPO / "src/ecplan/plans/data/yangzhou"
YANGZHOU_PLAN = YANGZHOU_DIR / "yangzhou-2025.yaml"
YANGZHOU_TEXT = YANGZHOU_DIR / "yangzhou-2025.txt"
LINHU_PLAN = Path(__file__).resolve().parent / "data/linhu/linhu-2026.yaml"

"""Fixtures of the tabular tests."""

from __future__ import annotations

import pytest

from ecplan.tabular import IntakeLimits


@pytest.fixture
def limits() -> IntakeLimits:
    return IntakeLimits(max_bytes=20 * 1024 * 1024)

"""The examples in the accounting docstrings are true (run as doctests)."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from ecplan.core import accounting, intensity, shares, units


@pytest.mark.parametrize("module", [accounting, intensity, shares, units])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0

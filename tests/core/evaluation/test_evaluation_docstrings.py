"""The examples in the evaluation docstrings are run, so they cannot drift from the code."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "ecplan.core.evaluation.period",
    "ecplan.core.evaluation.progress",
    "ecplan.core.evaluation.status",
    "ecplan.core.evaluation.warnings",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0

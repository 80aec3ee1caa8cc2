"""Fixtures of the command-line tests: a private, empty data directory for every test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    d = tmp_path_factory.mktemp("ecplan-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ECPLAN_DATA_DIR", str(d))
        yield d

"""Fixtures of the core tests: every test gets an empty, private data directory.

The default factor library reads loaded sets from ``<ECPLAN_DATA_DIR>/factor-sets``; pointing
it at a fresh directory keeps sets loaded by one test (or on the developer's machine) from
changing the results of another.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    d = tmp_path_factory.mktemp("ecplan-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ECPLAN_DATA_DIR", str(d))
        yield d


@pytest.fixture
def data_dir(_private_data_dir: Path) -> Path:
    """The private data directory of this test."""
    return _private_data_dir


@pytest.fixture
def example_dir() -> Path:
    """Example factor-set files shipped with the tests (synthetic, labelled as such)."""
    return DATA

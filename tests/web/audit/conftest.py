from __future__ import annotations

import pytest

from ecplan.accounts.testing import World


@pytest.fixture
def world(db: None) -> World:
    return World.build()

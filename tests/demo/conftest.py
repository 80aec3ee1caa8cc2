"""Shared fixtures: the default demo city is generated once per test session."""

from __future__ import annotations

import pytest

from ecplan.demo import generate_city
from ecplan.demo.model import DemoCity
from ecplan.demo.summary import Summary


@pytest.fixture(scope="session")
def city() -> DemoCity:
    return generate_city()


@pytest.fixture(scope="session")
def summary(city: DemoCity) -> Summary:
    return Summary(city)

"""Fixtures for plan pages and loading: an active user and the shipped plan in the database."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ecplan.accounts.models import Role
from ecplan.accounts.testing import grant
from ecplan.plans.services import load_shipped_plans


@pytest.fixture
def shipped(db: None) -> list[str]:
    return load_shipped_plans()


@pytest.fixture
def officer(db: None):
    user = get_user_model().objects.create_user("wang", password="Xx-1234567-plan")
    grant(user, Role.LEADER)
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client

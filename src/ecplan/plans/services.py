"""Loading the plans shipped with the platform into the database."""

from __future__ import annotations

from pathlib import Path

from ecplan.core.registry import load_registry
from ecplan.organisations.services import sync_registry

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_shipped_plans() -> list[str]:
    """Synchronise the shipped registries (and plans) into the database; return plan ids."""
    for registry_file in sorted(DATA_DIR.glob("*/organisations.yaml")):
        sync_registry(load_registry(registry_file))
    return []

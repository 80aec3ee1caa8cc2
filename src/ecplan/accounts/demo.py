"""Demo accounts (demo mode only)."""

from __future__ import annotations

from typing import TextIO


def print_demo_accounts(stdout: TextIO) -> None:
    """Print the demo accounts for `ecplan serve --demo`."""
    print("演示账户：（尚未配置）", file=stdout)

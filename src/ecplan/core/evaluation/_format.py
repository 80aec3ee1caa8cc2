"""Display formatting for explanations — the one place where evaluation rounds numbers.

Results keep every number unrounded; only the Chinese explanation text goes through these
functions. Four significant figures, no exponent, trailing zeros dropped.
"""

from __future__ import annotations

import math

PERCENT_UNIT = "%"


def num(value: float) -> str:
    """``72.0`` → ``"72"``, ``8.3333`` → ``"8.333"``, ``0.012345`` → ``"0.01235"``."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, 3 - magnitude)
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pct(fraction: float) -> str:
    """A fraction as a percentage: ``0.0366`` → ``"3.66%"``."""
    return f"{num(fraction * 100)}%"


def pp(fraction: float) -> str:
    """A difference of two fractions in percentage points: ``0.004`` → ``"0.4个百分点"``."""
    return f"{num(fraction * 100)}个百分点"


def qty(value: float, unit: str) -> str:
    """A value with its unit; unit ``"%"`` means the value is a fraction."""
    if unit == PERCENT_UNIT:
        return pct(value)
    return f"{num(value)}{unit}"


def diff(value: float, unit: str) -> str:
    """A difference of two values with its unit (percentage points for ``"%"``)."""
    if unit == PERCENT_UNIT:
        return pp(value)
    return f"{num(value)}{unit}"

"""Display formatting of evaluation numbers — the evaluation's one rounding place.

Results keep every number unrounded; explanations, trails' expressions and pages format them
here, with the same rules as the core's status explanations (four significant figures).
"""

from __future__ import annotations

from ecplan.core.evaluation._format import num, pct, pp, qty

__all__ = ["UNIT_LABELS", "num", "pct", "pp", "qty", "show", "wan"]

#: Canonical units → how pages label them.
UNIT_LABELS: dict[str, str] = {
    "fraction": "%",
    "tce": "吨标准煤",
    "t": "吨",
    "m2": "平方米",
    "gce/kWh": "克标准煤/千瓦时",
    "kgce/t": "千克标准煤/吨",
    "ratio": "",
    "kWh": "千瓦时",
    "tce/万元": "吨标准煤/万元",
    "tCO2/万元": "吨二氧化碳/万元",
    "status": "",
}


def show(value: float | None, unit: str) -> str:
    """A value in a canonical unit as a page shows it (fractions as percentages)."""
    if value is None:
        return "—"
    if unit == "fraction":
        return pct(value)
    label = UNIT_LABELS.get(unit, unit)
    if unit == "tce" and abs(value) >= 10_000:
        return f"{num(value / 10_000)}万吨标准煤"
    if unit == "t" and abs(value) >= 10_000:
        return f"{num(value / 10_000)}万吨"
    if unit == "m2" and abs(value) >= 10_000:
        return f"{num(value / 10_000)}万平方米"
    return f"{num(value)}{(' ' + label) if label and not label.startswith('%') else label}"


def wan(value: float) -> str:
    """tce as 万吨标准煤 text."""
    return f"{num(value / 10_000)}万吨标准煤"

"""Months, quarters and the calendar effects the demo data needs (Spring Festival, COVID-19).

Periods are written ``YYYY-MM`` (months), ``YYYY-Qn`` (quarters) and ``YYYY`` (years), the forms
the importer and ``ecplan calc energy`` read.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import total_ordering

# 春节 (Chinese New Year's Day), Gregorian dates: public calendar facts.
SPRING_FESTIVAL: dict[int, dt.date] = {
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
}


@total_ordering
@dataclass(frozen=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"月份应在 1–12 之间：{self.month}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """``2025-03`` → Month(2025, 3); refuses anything else with a Chinese message."""
        raw = text.strip()
        parts = raw.split("-")
        if len(parts) != 2 or not (parts[0].isdigit() and parts[1].isdigit()):
            raise ValueError(f"年月“{text}”格式不对，应写作 YYYY-MM，例如 2025-03")
        year, month = int(parts[0]), int(parts[1])
        if len(parts[0]) != 4 or not 1 <= month <= 12:
            raise ValueError(f"年月“{text}”不是有效的月份，应写作 YYYY-MM，例如 2025-03")
        return cls(year, month)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Month):
            return NotImplemented
        return (self.year, self.month) < (other.year, other.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def index(self) -> int:
        """Months since year 0 (for differences)."""
        return self.year * 12 + self.month - 1

    @property
    def quarter(self) -> int:
        return (self.month - 1) // 3 + 1

    @property
    def quarter_label(self) -> str:
        return f"{self.year:04d}-Q{self.quarter}"

    @property
    def days(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, self.days)

    def add(self, months: int) -> Month:
        i = self.index + months
        return Month(i // 12, i % 12 + 1)


def month_range(start: Month, end: Month) -> list[Month]:
    """All months from ``start`` to ``end`` inclusive."""
    if end < start:
        raise ValueError(f"结束月份 {end} 早于开始月份 {start}")
    return [start.add(i) for i in range(end.index - start.index + 1)]


def spring_festival_days(month: Month) -> int:
    """Days of the Spring Festival slowdown (春节前后约 15 天) that fall in ``month``.

    Factories slow down from about a week before New Year's Day to about a week after it
    (the official holiday is 7–8 days; many plants stop longer). Returns how many of those 15
    days lie in the month (0 when the window is elsewhere).
    """
    sf = SPRING_FESTIVAL.get(month.year)
    if sf is None:
        return 0
    start = sf - dt.timedelta(days=7)
    end = sf + dt.timedelta(days=7)
    lo = max(start, month.first_day)
    hi = min(end, month.last_day)
    if hi < lo:
        return 0
    return (hi - lo).days + 1


def spring_festival_factor(month: Month, depth: float) -> float:
    """Activity relative to normal: ``depth`` of activity is lost on the slowdown days."""
    return 1.0 - depth * spring_festival_days(month) / month.days


def covid_factor(month: Month, *, sensitivity: float = 1.0) -> float:
    """Activity relative to normal in the first COVID-19 months of 2020 (synthetic shape).

    February 2020 was the deepest fall of activity (national GDP fell 6.8 % year on year in the
    first quarter of 2020 — background knowledge, not checked here); March recovered part of it.
    The monthly shape below is a demo choice, scaled by ``sensitivity`` (1 for manufacturing,
    less for continuous processes and power).
    """
    if month.year != 2020:
        return 1.0
    drop = {1: 0.04, 2: 0.30, 3: 0.10, 4: 0.03}.get(month.month, 0.0)
    return 1.0 - drop * sensitivity

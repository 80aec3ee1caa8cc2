"""Reporting periods: a month (``2025-03``), a quarter (``2025-Q1``) or a year (``2025``).

Django-free. Every report has one period; its text form is what files, URLs and the database
hold. :func:`parse_period` reads the spellings clerks type (``2025年3月``, ``2025年一季度``,
``2025Q1``, ``2025年``) and refuses anything else with a Chinese message.

Quarterly and yearly statistics are cumulative from January (GDP and the energy balance of
``2025-Q2`` cover January–June), as the statistics bureau publishes them; see
``docs/data-collection.md``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = ["KIND_LABELS", "Period", "PeriodError", "parse_period"]

PeriodKind = Literal["month", "quarter", "year"]
KIND_LABELS: dict[str, str] = {"month": "月", "quarter": "季度", "year": "年"}

_CN_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_MONTH = re.compile(r"^(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:月份?)?$")
_MONTH_COMPACT = re.compile(r"^(\d{4})(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:-|/|年)?\s*(?:q|Q|第)?\s*([1-4一二三四])\s*(?:季度|季)?$")
_QUARTER_STRICT = re.compile(r"^(\d{4})\s*-?\s*[qQ]\s*([1-4])$")
_YEAR = re.compile(r"^(\d{4})\s*(?:年度?)?$")
_YEAR_MIN, _YEAR_MAX = 1990, 2100


class PeriodError(ValueError):
    """A period could not be read (message in Chinese, with the accepted spellings)."""


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period.

    Attributes
    ----------
    year : int
    kind : {"month", "quarter", "year"}
    index : int
        Month 1–12, quarter 1–4, or 0 for a year.
    """

    year: int
    kind: PeriodKind
    index: int = 0

    def __post_init__(self) -> None:
        if not _YEAR_MIN <= self.year <= _YEAR_MAX:
            raise PeriodError(f"年份 {self.year} 超出范围（{_YEAR_MIN}–{_YEAR_MAX}）")
        limits = {"month": (1, 12), "quarter": (1, 4), "year": (0, 0)}
        if self.kind not in limits:
            raise PeriodError(f"期间类型 {self.kind!r} 无效")
        lo, hi = limits[self.kind]
        if not lo <= self.index <= hi:
            raise PeriodError(f"{KIND_LABELS[self.kind]}序号 {self.index} 超出范围")

    # -- constructors ---------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, "month", month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, "quarter", quarter)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(year, "year", 0)

    @classmethod
    def parse(cls, text: str) -> Period:
        return parse_period(text)

    # -- text -------------------------------------------------------------------------------
    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.index:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}"

    @property
    def code(self) -> str:
        """The stored form: ``2025-03``, ``2025-Q1``, ``2025``."""
        return str(self)

    @property
    def label(self) -> str:
        """Chinese label: ``2025年3月``, ``2025年第1季度``, ``2025年``."""
        if self.kind == "month":
            return f"{self.year}年{self.index}月"
        if self.kind == "quarter":
            return f"{self.year}年第{self.index}季度"
        return f"{self.year}年"

    # -- calendar ---------------------------------------------------------------------------
    @property
    def first_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index - 2, "year": 1}[self.kind]

    @property
    def last_month(self) -> int:
        return {"month": self.index, "quarter": 3 * self.index, "year": 12}[self.kind]

    @property
    def start(self) -> dt.date:
        """First day of the period."""
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period."""
        last = self.last_month
        return dt.date(self.year, last, calendar.monthrange(self.year, last)[1])

    def months(self) -> list[Period]:
        """The months of the period, in order."""
        return [Period.month(self.year, m) for m in range(self.first_month, self.last_month + 1)]

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end

    def previous(self) -> Period:
        """The period just before (2025-01 → 2024-12; 2025-Q1 → 2024-Q4; 2025 → 2024)."""
        if self.kind == "year":
            return Period.of_year(self.year - 1)
        last = 12 if self.kind == "month" else 4
        if self.index == 1:
            return Period(self.year - 1, self.kind, last)
        return Period(self.year, self.kind, self.index - 1)

    def next(self) -> Period:
        if self.kind == "year":
            return Period.of_year(self.year + 1)
        last = 12 if self.kind == "month" else 4
        if self.index == last:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.index + 1)

    def same_period_last_year(self) -> Period:
        return Period(self.year - 1, self.kind, self.index)


def parse_period(text: object, *, kinds: tuple[str, ...] = ("month", "quarter", "year")) -> Period:
    """Read a period as clerks write it.

    Months: ``2025-03``, ``2025-3``, ``2025/03``, ``2025.03``, ``2025年3月``, ``202503``, a date.
    Quarters: ``2025-Q1``, ``2025Q1``, ``2025年一季度``, ``2025年第1季度``.
    Years: ``2025``, ``2025年``, ``2025年度``.

    Parameters
    ----------
    text : str, int or date
    kinds : tuple of str
        The kinds allowed here; another kind is refused with a message naming the allowed ones.

    Raises
    ------
    PeriodError
    """
    if isinstance(text, Period):
        found = text
    elif isinstance(text, dt.date):
        found = Period.month(text.year, text.month)
    else:
        if isinstance(text, bool) or text is None:
            raise PeriodError(f"“{text}”不是期间")
        if isinstance(text, float) and text.is_integer():
            text = int(text)
        raw = unicodedata.normalize("NFKC", str(text)).strip()
        found = _read(raw)
    if found.kind not in kinds:
        allowed = "、".join(_EXAMPLES[k] for k in kinds)
        raise PeriodError(f"此处的期间应为{allowed}，而“{found}”是{KIND_LABELS[found.kind]}")
    return found


_EXAMPLES = {
    "month": "月份（如 2025-03）",
    "quarter": "季度（如 2025-Q1）",
    "year": "年份（如 2025）",
}


def _read(raw: str) -> Period:
    accepted = "请写成 2025-03（月）、2025-Q1（季度）或 2025（年）"
    try:
        if m := _QUARTER_STRICT.match(raw):
            return Period.quarter(int(m.group(1)), int(m.group(2)))
        if "季" in raw and (m := _QUARTER.match(raw)):
            return Period.quarter(int(m.group(1)), _CN_QUARTER[m.group(2)])
        if m := _YEAR.match(raw):
            return Period.of_year(int(m.group(1)))
        if m := _MONTH.match(raw):
            return Period.month(int(m.group(1)), int(m.group(2)))
        if m := _MONTH_COMPACT.match(raw):
            return Period.month(int(m.group(1)), int(m.group(2)))
    except PeriodError as exc:
        raise PeriodError(f"“{raw}”不是有效的期间：{exc}；{accepted}") from None
    raise PeriodError(f"“{raw}”不是有效的期间；{accepted}")

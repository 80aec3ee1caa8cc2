"""Calendar months as evaluation periods.

Evaluation works on whole months: a target's deadline (到2025年底 → 2025-12), the month a
status is evaluated for (as of), the last month the data covers. :class:`YearMonth` is that
month; it orders, counts months between two months and reads the spellings users type
(``2025-09``, ``2025-9``, ``2025年9月``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["YearMonth", "YearMonthError"]

_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*月?\s*$")


class YearMonthError(ValueError):
    """A month could not be read or is out of range (message in Chinese)."""


@dataclass(frozen=True, order=True)
class YearMonth:
    """A calendar month.

    Parameters
    ----------
    year : int
        Calendar year, 1900–2200.
    month : int
        Month, 1–12.

    Examples
    --------
    >>> YearMonth.parse("2025年9月")
    YearMonth(year=2025, month=9)
    >>> YearMonth(2025, 1).months_through(YearMonth(2025, 9))
    9
    """

    year: int
    month: int

    def __post_init__(self) -> None:
        if isinstance(self.year, bool) or not isinstance(self.year, int):
            raise YearMonthError(f"年份应为整数，收到 {self.year!r}")
        if isinstance(self.month, bool) or not isinstance(self.month, int):
            raise YearMonthError(f"月份应为整数，收到 {self.month!r}")
        if not 1900 <= self.year <= 2200:
            raise YearMonthError(f"年份 {self.year} 超出范围（1900–2200）")
        if not 1 <= self.month <= 12:
            raise YearMonthError(f"月份 {self.month} 超出范围（1–12）")

    @classmethod
    def parse(cls, text: str) -> YearMonth:
        """Read ``YYYY-MM``, ``YYYY-M``, ``YYYY/MM`` or ``YYYY年M月``.

        Raises
        ------
        YearMonthError
            When the text is not a month, with the accepted spellings in the message.
        """
        match = _PATTERN.match(text) if isinstance(text, str) else None
        if match is None:
            raise YearMonthError(
                f"无法识别的月份“{text}”；请写成 YYYY-MM（如 2025-09）或“2025年9月”"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """Chinese label, e.g. ``2025年9月``."""
        return f"{self.year}年{self.month}月"

    @property
    def index(self) -> int:
        """Months since year 0 (for arithmetic)."""
        return self.year * 12 + self.month - 1

    @classmethod
    def from_index(cls, index: int) -> YearMonth:
        return cls(index // 12, index % 12 + 1)

    def plus_months(self, months: int) -> YearMonth:
        """The month ``months`` later (earlier when negative)."""
        return YearMonth.from_index(self.index + months)

    def months_through(self, other: YearMonth) -> int:
        """Number of months from this month to ``other``, both included.

        ``YearMonth(2025, 1).months_through(YearMonth(2025, 12)) == 12``; zero or negative
        when ``other`` is before this month.
        """
        return other.index - self.index + 1

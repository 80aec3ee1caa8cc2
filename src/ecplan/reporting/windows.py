"""Open reporting windows: which periods may be reported now.

A simple rule per report type, until the review workflow's reporting calendar replaces it:
the calendar needs to change only :func:`window_status` (everything else — the importer, the
pages, the templates — asks this one function).

The rule (setting ``ECPLAN_REPORTING_WINDOWS``, defaults below): a period opens the day after
it ends and stays open for ``open_days`` days. Monthly energy reports of March are open from
1 April; with the default 75 days until mid-June, so that a late or corrected report still
goes through the ordinary path. A period that has not ended is never open. Outside the window
the importer refuses the data, except for plan and system administrators, who may confirm a
warning and back-fill history (补录).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ecplan.reporting.periods import Period

__all__ = ["DEFAULT_WINDOWS", "WindowStatus", "open_periods", "window_status"]

#: report type → days a period stays open after it ended
DEFAULT_WINDOWS: dict[str, int] = {"energy": 75, "statistics": 120, "indicator": 120}


def _open_days(report_type: str) -> int:
    try:
        from django.conf import settings

        configured = getattr(settings, "ECPLAN_REPORTING_WINDOWS", None) or {}
    except Exception:  # outside Django (scripts, tests of this module)
        configured = {}
    return int(configured.get(report_type, DEFAULT_WINDOWS.get(report_type, 75)))


@dataclass(frozen=True)
class WindowStatus:
    """Whether ``period`` is open for ``report_type`` on ``today``."""

    report_type: str
    period: Period
    opens: dt.date
    closes: dt.date
    today: dt.date

    @property
    def is_open(self) -> bool:
        return self.opens <= self.today <= self.closes

    @property
    def not_yet_ended(self) -> bool:
        return self.today < self.opens

    @property
    def hint(self) -> str:
        return f"{self.period.label}的数据自 {self.opens:%Y-%m-%d} 起可以填报。"

    def describe(self) -> str:
        return f"填报期 {self.opens:%Y-%m-%d} 至 {self.closes:%Y-%m-%d}"


def window_status(
    report_type: str, period: Period, *, today: dt.date | None = None
) -> WindowStatus:
    """The open window of ``period`` for ``report_type``: the reporting calendar's answer
    (``ecplan.workflow.reporting_calendar``; a ``CalendarWindow`` that also knows the deadline)."""
    from ecplan.workflow.reporting_calendar import calendar_window

    return calendar_window(report_type, period, today=today)


def open_periods(report_type: str, kind: str, *, today: dt.date | None = None) -> list[Period]:
    """The periods of ``kind`` open now, newest first (what templates pre-fill)."""
    day = today or dt.date.today()
    current = {
        "month": Period.month(day.year, day.month),
        "quarter": Period.quarter(day.year, (day.month - 1) // 3 + 1),
        "year": Period.of_year(day.year),
    }[kind]
    found: list[Period] = []
    p = current.previous()
    for _ in range(24):
        status = window_status(report_type, p, today=day)
        if status.is_open:
            found.append(p)
        elif status.closes < day:
            break
        p = p.previous()
    return found


def default_period(report_type: str, kind: str, *, today: dt.date | None = None) -> Period:
    """The period a form or template offers: the newest open one, else the latest that has
    ended (which the importer then treats as outside the window)."""
    found = open_periods(report_type, kind, today=today)
    if found:
        return found[0]
    day = today or dt.date.today()
    current = {
        "month": Period.month(day.year, day.month),
        "quarter": Period.quarter(day.year, (day.month - 1) // 3 + 1),
        "year": Period.of_year(day.year),
    }[kind]
    return current.previous()

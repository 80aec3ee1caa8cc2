"""The reporting calendar: when each report type's periods open, are due and close.

:func:`calendar_window` is what :func:`ecplan.reporting.windows.window_status` returns — the
one answer to "may this period be reported today?" for the importer, the pages and the
templates — now with the deadline. The rules are :class:`ecplan.workflow.models.
ReportingSchedule` rows, edited by the plan office; :data:`DEFAULT_RULES` seeds them and is
the fallback where a row is missing (or before the database exists).

Rules are read once and kept for :data:`CACHE_SECONDS`; a change saved in this process clears
the copy at once (``ecplan.workflow.signals``), other processes see it within the cache time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from ecplan.reporting.periods import Period, PeriodError
from ecplan.reporting.windows import WindowStatus

__all__ = [
    "CACHE_SECONDS",
    "DEFAULT_RULES",
    "CalendarWindow",
    "Rule",
    "calendar_window",
    "clear_cache",
    "open_periods_on",
    "rule_for",
    "rules",
]

CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class Rule:
    """A schedule as plain data (see ``ReportingSchedule`` for the meaning of the fields)."""

    report_type: str
    period_kind: str
    window_days: int
    deadline_month_offset: int = 1
    deadline_day: int = 10
    opens_after_days: int = 1
    reminder_offsets: tuple[int, ...] = (-3, 0, 1, 5)
    expected: bool = True
    remind_reviewers: bool = True
    configured: bool = False
    window_from_setting: bool = False

    def opens(self, period: Period) -> dt.date:
        return period.end + dt.timedelta(days=self.opens_after_days)

    def closes(self, period: Period) -> dt.date:
        return period.end + dt.timedelta(days=self.window_days)

    def deadline(self, period: Period) -> dt.date:
        index = period.year * 12 + (period.last_month - 1) + self.deadline_month_offset
        year, month = index // 12, index % 12 + 1
        return dt.date(year, month, min(self.deadline_day, calendar.monthrange(year, month)[1]))


#: The shipped defaults (seeded into the database by migration ``workflow.0002``). Monthly
#: energy reports are due on the 10th of the next month; windows keep the lengths the data
#: collection used before the calendar existed (75 days for energy, 120 for the others).
DEFAULT_RULES: dict[tuple[str, str], Rule] = {
    (r.report_type, r.period_kind): r
    for r in (
        Rule("energy", "month", window_days=75, deadline_month_offset=1, deadline_day=10),
        Rule("statistics", "quarter", window_days=120, deadline_month_offset=1, deadline_day=25),
        Rule("statistics", "year", window_days=120, deadline_month_offset=3, deadline_day=31),
        Rule("indicator", "month", window_days=120, deadline_month_offset=1, deadline_day=15),
        Rule("indicator", "quarter", window_days=120, deadline_month_offset=1, deadline_day=15),
        Rule("indicator", "year", window_days=120, deadline_month_offset=1, deadline_day=31),
    )
}

_lock = threading.Lock()
_cache: tuple[float, dict[tuple[str, str], Rule]] | None = None


def clear_cache() -> None:
    global _cache
    with _lock:
        _cache = None


def _load() -> dict[tuple[str, str], Rule]:
    from django.db import DatabaseError

    from ecplan.workflow.models import ReportingSchedule

    try:
        rows = list(ReportingSchedule.objects.all())  # policy-exempt: configuration, no user rows
    except DatabaseError:  # before the first migration
        return {}
    return {
        (s.report_type, s.period_kind): Rule(
            report_type=s.report_type,
            period_kind=s.period_kind,
            window_days=s.window_days,
            deadline_month_offset=s.deadline_month_offset,
            deadline_day=s.deadline_day,
            opens_after_days=s.opens_after_days,
            reminder_offsets=tuple(s.offsets()),
            expected=s.expected,
            remind_reviewers=s.remind_reviewers,
            configured=True,
        )
        for s in rows
    }


def rules() -> dict[tuple[str, str], Rule]:
    """Every configured rule (cached), keyed by (report type, period kind)."""
    global _cache
    now = time.monotonic()
    with _lock:
        cached = _cache
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    loaded = _load()
    with _lock:
        _cache = (now, loaded)
    return loaded


def _fallback(report_type: str, kind: str) -> Rule:
    from ecplan.reporting.windows import DEFAULT_WINDOWS

    default = DEFAULT_RULES.get((report_type, kind))
    if default is not None:
        return default
    days = DEFAULT_WINDOWS.get(report_type, 75)
    return Rule(report_type, kind, window_days=days, expected=False)


def _setting_override(report_type: str) -> int | None:
    """``ECPLAN_REPORTING_WINDOWS[report_type]``, where the deployment sets it."""
    try:
        from django.conf import settings

        configured = getattr(settings, "ECPLAN_REPORTING_WINDOWS", None) or {}
    except Exception:  # outside Django (scripts)
        return None
    value = configured.get(report_type)
    return None if value is None else int(value)


def rule_for(report_type: str, kind: str) -> Rule:
    """The rule of ``report_type`` for periods of ``kind``: the configured schedule, else the
    default. The setting ``ECPLAN_REPORTING_WINDOWS`` (report type → days), where a deployment
    sets it, overrides the window length of every period kind of that type (e.g. to let a
    long history be reported through the ordinary path)."""
    try:
        found = rules().get((report_type, kind))
    except Exception:  # Django not set up (scripts): the defaults apply
        found = None
    rule = found if found is not None else _fallback(report_type, kind)
    days = _setting_override(report_type)
    if days is not None and days != rule.window_days:
        rule = Rule(**{**rule.__dict__, "window_days": days, "window_from_setting": True})
    return rule


@dataclass(frozen=True)
class CalendarWindow(WindowStatus):
    """A :class:`WindowStatus` with the deadline of the period and whether it is expected."""

    deadline: dt.date | None = None
    expected: bool = True
    reminder_offsets: tuple[int, ...] = field(default=())

    @property
    def is_late(self) -> bool:
        return self.deadline is not None and self.today > self.deadline

    @property
    def days_to_deadline(self) -> int | None:
        return None if self.deadline is None else (self.deadline - self.today).days

    def describe(self) -> str:
        text = f"填报期 {self.opens:%Y-%m-%d} 至 {self.closes:%Y-%m-%d}"
        if self.deadline is not None:
            text += f"，截止日 {self.deadline:%Y-%m-%d}"
        return text

    @property
    def deadline_text(self) -> str:
        if self.deadline is None:
            return ""
        days = self.days_to_deadline
        assert days is not None
        if days > 0:
            return f"{self.deadline:%Y-%m-%d}（还有 {days} 天）"
        if days == 0:
            return f"{self.deadline:%Y-%m-%d}（今天截止）"
        return f"{self.deadline:%Y-%m-%d}（已逾期 {-days} 天）"


def calendar_window(
    report_type: str, period: Period, *, today: dt.date | None = None
) -> CalendarWindow:
    """The window of ``period`` for ``report_type`` on ``today`` (default: today's date in the
    platform's time zone)."""
    day = today or _today()
    rule = rule_for(report_type, period.kind)
    return CalendarWindow(
        report_type=report_type,
        period=period,
        opens=rule.opens(period),
        closes=rule.closes(period),
        today=day,
        deadline=rule.deadline(period),
        expected=rule.expected,
        reminder_offsets=rule.reminder_offsets,
    )


def _today() -> dt.date:
    try:
        from django.utils import timezone

        return timezone.localdate()
    except Exception:
        return dt.date.today()


def _current(kind: str, day: dt.date) -> Period:
    return {
        "month": Period.month(day.year, day.month),
        "quarter": Period.quarter(day.year, (day.month - 1) // 3 + 1),
        "year": Period.of_year(day.year),
    }[kind]


def open_periods_on(report_type: str, kind: str, day: dt.date) -> list[Period]:
    """Periods of ``kind`` open for ``report_type`` on ``day``, newest first."""
    found: list[Period] = []
    p = _current(kind, day)
    for _ in range(40):
        w = calendar_window(report_type, p, today=day)
        if w.is_open:
            found.append(p)
        elif w.closes < day:
            break
        try:
            p = p.previous()
        except PeriodError:  # the earliest year the platform knows
            break
    return found


def periods_around(report_type: str, kind: str, day: dt.date, *, back: int = 40) -> list[Period]:
    """Periods whose window has opened by ``day`` and whose reminders may still be due:
    open ones plus those closed within the largest positive reminder offset."""
    rule = rule_for(report_type, kind)
    reach = max([0, *rule.reminder_offsets])
    found: list[Period] = []
    p = _current(kind, day)
    for _ in range(back):
        w = calendar_window(report_type, p, today=day)
        last_reminder = (w.deadline or w.closes) + dt.timedelta(days=reach)
        if w.opens <= day and (day <= w.closes or day <= last_reminder):
            found.append(p)
        elif w.closes < day and last_reminder < day:
            break
        try:
            p = p.previous()
        except PeriodError:  # the earliest year the platform knows
            break
    return found

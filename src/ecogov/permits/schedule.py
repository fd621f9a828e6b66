"""Execution-report periods and renewal dates of a permit (docs/permits.md §4; HJ 944 practice [M]).

A report is owed for every period of the permit's class that overlaps the permit's time in
force and ends on or after `reports_tracked_from`; its due date (annual: 31 January next year;
quarterly: the 15th of the quarter's following month) moves to the next working day when it
falls on a rest day. Dates in a year the working-day calendar does not know are marked
provisional, never guessed silently.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ecogov.core.workdays import AmbiguousDeadline, DayType, Deadline, WorkdayCalendar

from .models import Permit, ReportPeriod, in_force_until
from .policy import policy

_QUARTER = {"q1": 1, "q2": 2, "q3": 3, "q4": 4}


@dataclass(frozen=True)
class DueReport:
    year: int
    period: str
    deadline: Deadline

    @property
    def due(self) -> dt.date:
        return self.deadline.due

    @property
    def label(self) -> str:
        return f"{self.year}年{ReportPeriod(self.period).label}"


def period_bounds(year: int, period: str) -> tuple[dt.date, dt.date]:
    if period == ReportPeriod.ANNUAL:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    q = _QUARTER[period]
    start = dt.date(year, 3 * q - 2, 1)
    end = (dt.date(year + 1, 1, 1) if q == 4 else dt.date(year, 3 * q + 1, 1)) - dt.timedelta(
        days=1
    )
    return start, end


def nominal_due(year: int, period: str) -> dt.date:
    if period == ReportPeriod.ANNUAL:
        month, day = policy("annual_report_due")
        return dt.date(year + 1, month, day)
    end = period_bounds(year, period)[1] + dt.timedelta(days=1)
    return end.replace(day=policy("quarterly_report_due_day"))


def report_due(calendar: WorkdayCalendar, year: int, period: str) -> Deadline:
    """The nominal date, or the next working day when it is a rest day."""
    nominal = nominal_due(year, period)
    return calendar.deadline(nominal, 0, DayType.WORKING, allow_provisional=True)


def owed_reports(permit: Permit, calendar: WorkdayCalendar, *, due_by: dt.date) -> list[DueReport]:
    """Every report the permit owes with a due date up to `due_by` (submitted or not)."""
    periods = policy("reports").get(permit.management_class, [])
    first = max(permit.issued_on, permit.reports_tracked_from)
    last = in_force_until(permit.valid_until, permit.ended_on)
    owed = []
    for year in range(first.year, min(last.year, due_by.year) + 1):
        for period in periods:
            start, end = period_bounds(year, period)
            if end < first or start > last or end < permit.issued_on:
                continue
            deadline = report_due(calendar, year, period)
            if deadline.due <= due_by:
                owed.append(DueReport(year, period, deadline))
    return sorted(owed, key=lambda r: r.due)


def renewal_application_due(permit: Permit) -> dt.date:
    """Apply for renewal at least `renewal_lead_days` calendar days before expiry (art. 14)."""
    return permit.valid_until - dt.timedelta(days=policy("renewal_lead_days"))


def renewal_decision_due(permit: Permit, calendar: WorkdayCalendar) -> AmbiguousDeadline | None:
    """The bureau decides within 20 日 of the renewal application (both readings, docs/procedures.md §2)."""
    if permit.renewal_applied_on is None:
        return None
    return calendar.statute_days_deadline(
        permit.renewal_applied_on, policy("renewal_decision_days"), allow_provisional=True
    )

"""The working-day calendar: official holidays and make-up workdays, plus the bureau's overrides.

Pure module (no Django): the Django side builds a `WorkdayCalendar` from the override table
(`ecogov.core.calendar.current_calendar()`); every deadline in EcoGov is computed here.

Counting rules (docs/procedures.md §2; the calendar: §3): a period starts the day after its
trigger; a calendar-day period that ends on a rest day ends on the next working day instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

import chinese_calendar
from chinese_calendar import constants as _cc

CALENDAR_SOURCE = f"chinesecalendar {getattr(chinese_calendar, '__version__', '')}".strip()
# The years the package carries: one holiday list per year it knows.
PACKAGE_YEARS = frozenset(d.year for d in _cc.holidays)
_PACKAGE_HOLIDAYS = frozenset(_cc.holidays)
_PACKAGE_WORKDAYS = frozenset(_cc.workdays)


class DayType(str, Enum):
    """How a statutory period counts its days."""

    CALENDAR = "calendar"  # 自然日
    WORKING = "working"  # 工作日


class UnknownCalendarYear(ValueError):
    """Neither the package nor the override table knows the holiday schedule of a year."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的法定节假日安排尚未录入(节假日数据包只覆盖{min(PACKAGE_YEARS)}—{max(PACKAGE_YEARS)}年)。"
            f"请系统管理员在“录入节假日安排”中录入国务院办公厅{year}年节假日安排通知,"
            "或升级 chinesecalendar 数据包。"
        )


@dataclass(frozen=True)
class Deadline:
    """A due date and how trustworthy it is."""

    due: dt.date
    day_type: DayType
    provisional: bool  # computed Monday–Friday because the year's schedule is missing
    source: str


@dataclass(frozen=True)
class AmbiguousDeadline:
    """A statute that says only 日: both readings, and the earlier one to alert on."""

    calendar: Deadline
    working: Deadline

    @property
    def alert_on(self) -> Deadline:
        return min(self.calendar, self.working, key=lambda d: d.due)


class WorkdayCalendar:
    """Working days = Monday–Friday, less statutory holidays, plus make-up (调休) weekend days.

    `overrides` maps a date to whether it is a working day and wins over the package for
    every year (errata). `complete_years` are years whose whole schedule was entered into
    the override table (a State Council notice): they count as known, and for them the entered
    notice is the whole truth — the package's lists of that year are not read, so a later
    package upgrade that carries the year (or differs from the notice) cannot change a
    deadline (docs/procedures.md §3, precedence).
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | None = None,
        complete_years: Iterable[int] = (),
        *,
        source: str = CALENDAR_SOURCE,
    ) -> None:
        self._overrides = dict(overrides or {})
        self.entered_years = frozenset(complete_years)
        self.known_years = PACKAGE_YEARS | self.entered_years
        self.source = source

    # --- single days -------------------------------------------------------------------
    def knows(self, day: dt.date) -> bool:
        return day.year in self.known_years

    def is_workday(self, day: dt.date) -> bool:
        day = _as_date(day)
        if day in self._overrides:
            return self._overrides[day]
        if not self.knows(day):
            raise UnknownCalendarYear(day.year)
        return self._rule_is_workday(day)

    def _rule_is_workday(self, day: dt.date) -> bool:
        if day.year in self.entered_years:  # the entered notice wins over the package
            return day.weekday() < 5
        if day in _PACKAGE_WORKDAYS:
            return True
        if day in _PACKAGE_HOLIDAYS:
            return False
        return day.weekday() < 5

    def _weekday_fallback(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        if self.knows(day):
            return self._rule_is_workday(day)
        return day.weekday() < 5

    def package_differences(self, year: int) -> list[tuple[dt.date, bool, bool]]:
        """Days of an entered year where the package (if it carries the year) disagrees with the
        entered notice: (day, package says working, calendar says working). Empty otherwise."""
        if year not in PACKAGE_YEARS or year not in self.entered_years:
            return []
        out, day = [], dt.date(year, 1, 1)
        while day.year == year:
            package = day in _PACKAGE_WORKDAYS or (
                day not in _PACKAGE_HOLIDAYS and day.weekday() < 5
            )
            ours = self.is_workday(day)
            if package != ours:
                out.append((day, package, ours))
            day += dt.timedelta(days=1)
        return out

    # --- arithmetic ----------------------------------------------------------------------
    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (start not counted); n=0: start or the next workday."""
        return self._add_workdays(_as_date(start), n, self.is_workday)

    @staticmethod
    def _add_workdays(start: dt.date, n: int, is_workday: Callable[[dt.date], bool]) -> dt.date:
        day = start
        if n == 0:
            while not is_workday(day):
                day += dt.timedelta(days=1)
            return day
        step = dt.timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if is_workday(day):
                remaining -= 1
        return day

    def count_workdays(self, start: dt.date, end: dt.date) -> int:
        """Working days d with start < d <= end (negative when end is before start).

        So `count_workdays(s, add_workdays(s, n)) == n` for n > 0.
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            return -self.count_workdays(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_workday(day)
        return count

    def add_calendar_days(self, start: dt.date, n: int) -> dt.date:
        """`n` calendar days after `start`; if that is a rest day, the next working day."""
        end = _as_date(start) + dt.timedelta(days=n)
        while not self.is_workday(end):
            end += dt.timedelta(days=1)
        return end

    # --- deadlines -----------------------------------------------------------------------
    def deadline(
        self, start: dt.date, n: int, day_type: DayType, *, allow_provisional: bool = False
    ) -> Deadline:
        """The due date of an n-day period triggered on `start`.

        With `allow_provisional`, a year the calendar does not know is counted Monday–Friday
        and the result is marked provisional (for screens that only display a due date);
        without it, such a year raises UnknownCalendarYear — never a silent guess.
        """
        day_type = DayType(day_type)
        try:
            due = self._compute(start, n, day_type, self.is_workday)
            return Deadline(due, day_type, False, self.source)
        except UnknownCalendarYear:
            if not allow_provisional:
                raise
        due = self._compute(start, n, day_type, self._weekday_fallback)
        return Deadline(due, day_type, True, f"{self.source}; 周一至周五临时推算")

    def _compute(
        self, start: dt.date, n: int, day_type: DayType, is_workday: Callable[[dt.date], bool]
    ) -> dt.date:
        start = _as_date(start)
        if day_type is DayType.WORKING:
            return self._add_workdays(start, n, is_workday)
        end = start + dt.timedelta(days=n)
        while not is_workday(end):
            end += dt.timedelta(days=1)
        return end

    def statute_days_deadline(
        self, start: dt.date, n: int, *, allow_provisional: bool = False
    ) -> AmbiguousDeadline:
        """For a statute that says only "n日": both readings (docs/procedures.md §2, [U])."""
        return AmbiguousDeadline(
            calendar=self.deadline(start, n, DayType.CALENDAR, allow_provisional=allow_provisional),
            working=self.deadline(start, n, DayType.WORKING, allow_provisional=allow_provisional),
        )


def _as_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if not isinstance(value, dt.date):
        raise TypeError(f"需要日期,得到 {type(value).__name__}")
    return value

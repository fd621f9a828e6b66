"""A year's State Council holiday notice as entered by the system administrator: parsing the
pasted table of dates and laying the year out as month grids for the preview.

Pure module (no Django); the form and the service are in ecogov.core.calendar_entry
(docs/procedures.md §3, "Entering a year").

One line per day or run of days, then what the days are, then an optional name:

    2027-01-01 休 元旦
    2027-02-06~2027-02-12 休 春节      (also 至, —, -, ～ between the two dates)
    2027-02-14 班 春节调休上班
    2月6日至12日 放假 春节              (the year is the one being entered)

休 / 放假 / 假 / 休息 mark rest days; 班 / 上班 / 调休上班 / 补班 / 工作 mark make-up working
days. Blank lines and lines starting with # are ignored; commas and tabs separate fields too,
so a table copied from a spreadsheet pastes as it is.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass

REST_WORDS = ("放假", "休息", "休", "假")
WORK_WORDS = ("调休上班", "上班", "补班", "工作", "班")
_DATE = r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_RANGE = re.compile(
    rf"^\s*{_DATE}(?:\s*(?:~|～|至|到|—|–|--|-)\s*(?:{_DATE}|(\d{{1,2}})\s*日?))?\s*(.*)$"
)


@dataclass(frozen=True)
class NoticeDay:
    day: dt.date
    is_workday: bool
    name: str


@dataclass(frozen=True)
class NoticeProblem:
    line: int
    text: str
    message: str

    def __str__(self) -> str:
        return f"第{self.line}行“{self.text}”:{self.message}"


def _date(year: int, y: str | None, m: str, d: str) -> dt.date:
    return dt.date(int(y) if y else year, int(m), int(d))


_SEPARATORS = re.compile(r"^[\s,,;;::]+|[\s,,;;::]+$")


def _kind(rest: str) -> tuple[bool | None, str]:
    rest = _SEPARATORS.sub("", rest)
    for word in WORK_WORDS:  # the longer words first: 调休上班 before 休
        if rest.startswith(word):
            return True, _SEPARATORS.sub("", rest[len(word) :])
    for word in REST_WORDS:
        if rest.startswith(word):
            return False, _SEPARATORS.sub("", rest[len(word) :])
    return None, rest


def parse_notice(text: str, year: int) -> tuple[list[NoticeDay], list[NoticeProblem]]:
    """The days a pasted table declares, and one problem per line that cannot be read.

    Every date must fall in `year`; a day listed twice is a problem (the notice says each day
    once); a make-up working day must be a Saturday or Sunday, a rest day may be any day.
    """
    days: dict[dt.date, NoticeDay] = {}
    problems: list[NoticeProblem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace("\t", " ").strip()
        if not line or line.startswith("#"):
            continue
        match = _RANGE.match(line)
        if not match:
            problems.append(NoticeProblem(number, line, "无法识别日期,应写作 2027-01-01 或 1月1日"))
            continue
        y1, m1, d1, y2, m2, d2, d_only, rest = match.groups()
        try:
            first = _date(year, y1, m1, d1)
            if m2:
                last = _date(year, y2, m2, d2)
            elif d_only:
                last = first.replace(day=int(d_only))
            else:
                last = first
        except ValueError:
            problems.append(NoticeProblem(number, line, "日期不存在"))
            continue
        is_workday, name = _kind(rest)
        if is_workday is None:
            problems.append(NoticeProblem(number, line, "未写明“休”(放假)还是“班”(调休上班)"))
            continue
        if last < first:
            problems.append(NoticeProblem(number, line, "结束日期早于开始日期"))
            continue
        if first.year != year or last.year != year:
            problems.append(NoticeProblem(number, line, f"日期不在{year}年内"))
            continue
        if (last - first).days > 14:
            problems.append(NoticeProblem(number, line, "连续放假超过15天,请核对"))
            continue
        day = first
        while day <= last:
            if day in days:
                problems.append(NoticeProblem(number, line, f"{day.isoformat()} 重复列出"))
            elif is_workday and day.weekday() < 5:
                problems.append(
                    NoticeProblem(
                        number, line, f"{day.isoformat()} 是周一至周五,调休上班日应为周六或周日"
                    )
                )
            else:
                days[day] = NoticeDay(day, is_workday, name[:64])
            day += dt.timedelta(days=1)
    return sorted(days.values(), key=lambda d: d.day), problems


def format_notice(days: list[NoticeDay]) -> str:
    """The days back as a table `parse_notice` reads (one line per day)."""
    return "\n".join(
        f"{d.day.isoformat()} {'班' if d.is_workday else '休'}" + (f" {d.name}" if d.name else "")
        for d in days
    )


@dataclass(frozen=True)
class GridDay:
    day: dt.date | None  # None: padding before the 1st or after the last day
    kind: str = ""  # "holiday", "makeup", "weekend", "workday"
    name: str = ""


def month_grids(year: int, days: list[NoticeDay]) -> list[tuple[int, list[list[GridDay]]]]:
    """Twelve (month, weeks) grids, Monday first, each day typed by the notice."""
    declared = {d.day: d for d in days}
    grids = []
    for month in range(1, 13):
        weeks = []
        for week in _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row = []
            for day in week:
                if day.month != month:
                    row.append(GridDay(None))
                elif day in declared:
                    d = declared[day]
                    row.append(GridDay(day, "makeup" if d.is_workday else "holiday", d.name))
                else:
                    row.append(GridDay(day, "weekend" if day.weekday() >= 5 else "workday"))
            weeks.append(row)
        grids.append((month, weeks))
    return grids


def working_days_in(year: int, days: list[NoticeDay]) -> int:
    """How many working days the year has under the notice (a check the notice can be read
    against: 2026 has 248)."""
    declared = {d.day: d.is_workday for d in days}
    total, day = 0, dt.date(year, 1, 1)
    while day.year == year:
        total += declared.get(day, day.weekday() < 5)
        day += dt.timedelta(days=1)
    return total

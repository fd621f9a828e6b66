"""Parsing a pasted State Council holiday notice and the preview grid (pure)."""

import datetime as dt

from ecogov.core.holiday_notice import (
    format_notice,
    month_grids,
    parse_notice,
    working_days_in,
)
from ecogov.core.workdays import PACKAGE_YEARS, WorkdayCalendar

D = dt.date

# The 2026 notice (国办发明电〔2025〕7号), as the system administrator would paste it.
NOTICE_2026 = """
# 国务院办公厅关于2026年部分节假日安排的通知
2026-01-01~2026-01-03\t休\t元旦
2026-01-04\t班\t元旦调休
2月15日至23日 放假 春节
2026-02-14 上班 春节调休
2026-02-28 补班
4月4日至6日 休 清明节
2026/5/1-2026/5/5 休 劳动节
2026年5月9日 班 劳动节调休
6月19日至21日 休 端午节
9月25日至27日 休 中秋节
2026-09-20 班
10月1日至7日 休 国庆节
2026-10-10 班
"""


def test_a_pasted_notice_reads_as_the_package_has_it():
    days, problems = parse_notice(NOTICE_2026, 2026)
    assert problems == []
    assert len([d for d in days if not d.is_workday]) == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert [d.day for d in days if d.is_workday] == [
        D(2026, 1, 4),
        D(2026, 2, 14),
        D(2026, 2, 28),
        D(2026, 5, 9),
        D(2026, 9, 20),
        D(2026, 10, 10),
    ]
    assert working_days_in(2026, days) == 248  # the notice's own count (docs/procedures.md §3)
    package = WorkdayCalendar()
    entered = WorkdayCalendar({d.day: d.is_workday for d in days}, [2026])
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert entered.is_workday(day) == package.is_workday(day), day
        day += dt.timedelta(days=1)


def test_each_bad_line_is_named_with_its_problem():
    text = "2027-01-01 休\n2027-01-04 班\n2027-02-30 休\n2026-12-31 休\nfoo\n2027-03-06 春节\n2027-01-01 休"
    days, problems = parse_notice(text, 2027)
    assert [d.day for d in days] == [D(2027, 1, 1)]
    messages = {p.line: p.message for p in problems}
    assert "周六或周日" in messages[2]  # a Monday cannot be a make-up working day
    assert messages[3] == "日期不存在"
    assert "不在2027年内" in messages[4]
    assert "无法识别日期" in messages[5]
    assert "休" in messages[6] and "班" in messages[6]
    assert "重复" in messages[7]
    assert str(problems[0]).startswith("第2行")


def test_the_table_round_trips_and_the_grid_types_each_day():
    days, _ = parse_notice(NOTICE_2026, 2026)
    again, problems = parse_notice(format_notice(days), 2026)
    assert problems == [] and again == days
    grids = month_grids(2026, days)
    assert [m for m, _ in grids] == list(range(1, 13))
    january = [d for week in grids[0][1] for d in week if d.day]
    assert len(january) == 31
    kinds = {d.day: d.kind for d in january}
    assert kinds[D(2026, 1, 1)] == "holiday" and kinds[D(2026, 1, 4)] == "makeup"
    assert kinds[D(2026, 1, 10)] == "weekend" and kinds[D(2026, 1, 5)] == "workday"
    assert all(len(week) == 7 for week in grids[1][1])


def test_an_entered_year_wins_over_the_package():
    """Upgrading the package later must not fight the entered year (docs/procedures.md §3)."""
    year = max(PACKAGE_YEARS)
    national_day = D(year, 10, 1)
    package = WorkdayCalendar()
    assert not package.is_workday(national_day)
    # the bureau entered the year with a notice that (say) moved a holiday: the whole year is
    # the notice's, the package's holidays of that year are not read any more
    entered = WorkdayCalendar({D(year, 10, 2): False}, [year])
    assert entered.is_workday(national_day)  # a weekday the entered notice does not list
    assert not entered.is_workday(D(year, 10, 2))
    differences = {d for d, _pkg, _ours in entered.package_differences(year)}
    assert national_day in differences and D(year, 10, 2) not in differences
    # overrides alone (no entered year) stay errata over the package
    assert not WorkdayCalendar({D(year, 10, 2): False}).is_workday(national_day)
    assert WorkdayCalendar().package_differences(year) == []

"""The working-day calendar (pure module): the 2020 and 2026 holidays with their make-up workdays."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.core.workdays import DayType, UnknownCalendarYear, WorkdayCalendar

D = dt.date
cal = WorkdayCalendar()


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2020, 1, 19), True),  # Sunday make-up workday before Spring Festival 2020
        (D(2020, 1, 24), False),
        (D(2020, 2, 1), False),  # the planned make-up Saturday, cancelled by the 2020 extension
        (D(2020, 2, 3), True),
        (D(2020, 9, 27), True),  # Sunday make-up workday before National Day 2020
        (D(2020, 10, 8), False),
        (D(2020, 10, 10), True),  # Saturday make-up workday
        (D(2026, 2, 14), True),  # Saturday make-up workday, Spring Festival 2026
        (D(2026, 2, 23), False),
        (D(2026, 2, 28), True),
        (D(2026, 9, 20), True),
        (D(2026, 10, 7), False),
        (D(2026, 10, 10), True),
        (D(2026, 10, 11), False),  # an ordinary Sunday
    ],
)
def test_is_workday(day, expected):
    assert cal.is_workday(day) is expected


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2020, 9, 30), 1, D(2020, 10, 9)),
        (D(2020, 9, 30), 2, D(2020, 10, 10)),
        (D(2020, 9, 30), 3, D(2020, 10, 12)),
        (D(2020, 9, 25), 1, D(2020, 9, 27)),
        (D(2020, 1, 23), 1, D(2020, 2, 3)),
        (D(2020, 1, 17), 5, D(2020, 1, 23)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 2, 24), 4, D(2026, 2, 28)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        (D(2026, 9, 30), 3, D(2026, 10, 10)),
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 10, 8), -1, D(2026, 9, 30)),
        (D(2026, 10, 3), 0, D(2026, 10, 8)),
        (D(2026, 10, 9), 0, D(2026, 10, 9)),
    ],
)
def test_add_workdays(start, n, expected):
    assert cal.add_workdays(start, n) == expected


def test_count_workdays_across_holidays():
    assert cal.count_workdays(D(2020, 9, 25), D(2020, 10, 12)) == 7
    assert cal.count_workdays(D(2026, 2, 12), D(2026, 3, 2)) == 8
    assert cal.count_workdays(D(2026, 3, 2), D(2026, 2, 12)) == -8
    assert cal.count_workdays(D(2026, 10, 1), D(2026, 10, 7)) == 0


def test_calendar_day_period_ending_on_a_rest_day_rolls_forward():
    assert cal.add_calendar_days(D(2026, 9, 16), 15) == D(2026, 10, 8)
    assert cal.add_calendar_days(D(2026, 9, 1), 15) == D(2026, 9, 16)
    deadline = cal.statute_days_deadline(D(2026, 9, 16), 15)
    assert deadline.calendar.due == D(2026, 10, 8)
    assert deadline.working.due == D(2026, 10, 13)  # counts the make-up Sun 20 Sep and Sat 10 Oct
    assert deadline.alert_on.due == D(2026, 10, 8)


def test_unknown_year_raises_a_clear_error():
    with pytest.raises(UnknownCalendarYear) as info:
        cal.is_workday(D(2027, 1, 4))
    assert "2027年" in str(info.value) and "录入节假日安排" in str(info.value)
    with pytest.raises(UnknownCalendarYear):
        cal.add_workdays(D(2026, 12, 30), 3)  # walks into 2027


def test_screen_may_show_a_provisional_date_marked_as_such():
    deadline = cal.deadline(D(2026, 12, 30), 3, DayType.WORKING, allow_provisional=True)
    assert deadline.due == D(2027, 1, 4)
    assert deadline.provisional is True
    known = cal.deadline(D(2026, 12, 1), 3, DayType.WORKING, allow_provisional=True)
    assert known.provisional is False and known.due == D(2026, 12, 4)


def test_override_table_makes_a_year_known_and_wins_over_the_package():
    with_2027 = WorkdayCalendar({D(2027, 1, 1): False}, complete_years=[2027])
    assert with_2027.add_workdays(D(2026, 12, 30), 3) == D(2027, 1, 5)
    erratum = WorkdayCalendar({D(2026, 10, 8): False})
    assert erratum.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 9)


@given(st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 9, 30)), st.integers(1, 60))
def test_count_inverts_add(start, n):
    end = cal.add_workdays(start, n)
    assert cal.count_workdays(start, end) == n
    assert cal.is_workday(end)

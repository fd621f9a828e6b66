"""Periods in months and years (pure module, 民法典 art. 202): the corresponding day of the final
month, else its last day — at month ends, on 29 February, backwards and across years."""

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.core.dates import add_months, add_years

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2024, 1, 15), 1, D(2024, 2, 15)),  # the corresponding day
        (D(2023, 1, 31), 1, D(2023, 2, 28)),  # no 31 February: the month's last day
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # … which in a leap year is the 29th
        (D(2024, 1, 30), 1, D(2024, 2, 29)),
        (D(2023, 1, 29), 1, D(2023, 2, 28)),
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 8, 31), 1, D(2024, 9, 30)),
        (D(2024, 2, 29), 1, D(2024, 3, 29)),  # the corresponding day, not March's last
        (D(2024, 2, 28), 1, D(2024, 3, 28)),
        (D(2024, 10, 31), 3, D(2025, 1, 31)),  # across the year
        (D(2024, 8, 31), 6, D(2025, 2, 28)),
        (D(2024, 12, 31), 14, D(2026, 2, 28)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),  # backwards
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 1, 31), -2, D(2024, 11, 30)),
        (D(2025, 1, 15), -13, D(2023, 12, 15)),
        (D(2024, 5, 31), 0, D(2024, 5, 31)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2024, 2, 29), 1, D(2025, 2, 28)),  # 29 February: no corresponding day
        (D(2024, 2, 29), 3, D(2027, 2, 28)),
        (D(2024, 2, 29), 4, D(2028, 2, 29)),  # the next leap year has it
        (D(2024, 2, 29), -1, D(2023, 2, 28)),
        (D(2024, 2, 29), -4, D(2020, 2, 29)),
        (D(2100, 2, 28), -4, D(2096, 2, 28)),
        (D(2096, 2, 29), 4, D(2100, 2, 28)),  # 2100 is not a leap year
        (D(2023, 2, 28), 1, D(2024, 2, 28)),  # the 28th stays the 28th in a leap year
        (D(2020, 12, 31), 5, D(2025, 12, 31)),
        (D(2020, 6, 30), -5, D(2015, 6, 30)),
    ],
)
def test_add_years(start, years, expected):
    assert add_years(start, years) == expected


days = st.dates(min_value=D(1900, 1, 1), max_value=D(2200, 12, 31))


@given(day=days, months=st.integers(min_value=-1200, max_value=1200))
def test_months_land_on_the_corresponding_day_or_the_month_end(day, months):
    end = add_months(day, months)
    assert (end.year * 12 + end.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(end.year, end.month)[1]
    assert end.day == min(day.day, last)


@given(day=days, years=st.integers(min_value=-100, max_value=100))
def test_a_year_is_twelve_months(day, years):
    assert add_years(day, years) == add_months(day, 12 * years)
    assert add_years(day, years).month == day.month

"""Periods counted in months and years (pure: no Django import).

民法典 art. 202: a period counted in years or months ends on the corresponding day of the
month it falls in; if that month has no such day, on the month's last day. So 31 January plus
one month is 28 (or 29) February, and 29 February plus one year is 28 February.

Rolling a last day that is a rest day onto the next working day (art. 203) is the calendar's
job (`ecogov.core.calendar`), not this module's.
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day `months` later (earlier if negative), else that month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (earlier if negative); 29 February becomes 28 February."""
    return add_months(day, 12 * years)

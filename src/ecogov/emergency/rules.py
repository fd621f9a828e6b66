"""The emergency deadlines (docs/emergency.md §1, §2 give the sources). Pure: no Django import."""

from __future__ import annotations

import datetime as dt

from ecogov.core.dates import add_years

# 突发环境事件信息报告办法 (环境保护部令第17号) art. 3: after the bureau learns of an incident,
# a general (Ⅳ) or larger (Ⅲ) one is reported within 4 hours, a major (Ⅱ) or especially major
# (Ⅰ) one within 2 hours; art. 4: the cases reported as major whatever their grade.
REPORT_HOURS = {"general": 4, "larger": 4, "major": 2, "especially_major": 2}
MAJOR_HOURS = 2
# 企业事业单位突发环境事件应急预案备案管理办法(试行) (环发〔2015〕4号): filed within 20 working
# days of issue; reviewed (回顾性评估) at least every 3 years.
FILING_WORKING_DAYS = 20
REVIEW_YEARS = 3
REMINDER_DAYS = 90  # the dashboard reminds this long before a plan's review falls due


def report_due(learned_at: dt.datetime, grade: str, as_major: bool = False) -> dt.datetime:
    hours = MAJOR_HOURS if as_major else REPORT_HOURS[grade]
    return learned_at + dt.timedelta(hours=hours)


def review_due(issued_on: dt.date, reviewed_on: dt.date | None) -> dt.date:
    """The day the next review (回顾性评估) falls due: three years after the later of the
    plan's issue and its last review."""
    base = max(d for d in (issued_on, reviewed_on) if d is not None)
    return add_years(base, REVIEW_YEARS)

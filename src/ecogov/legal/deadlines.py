"""The legal area's periods (docs/legal.md §3 and "Deadlines"; docs/procedures.md §2), from the
working-day calendar. Dates in a year the calendar does not know are computed Monday–Friday
and marked provisional.

| period | LegalPolicy field | day type | from |
|---|---|---|---|
| public consultation, at least | consultation_days (30) | CD, a minimum (no roll-over) | start of consultation |
| legality and other reviews | review_days (15) | WD | submitted |
| contract review | contract_review_days (5) | WD | submitted |
| filing with the justice bureau | filing_days (30) | CD, rolls past a rest day | issued |
| validity | validity_years (5; trial 2) | years | in force from |
| evaluation reminder | evaluation_days (180) before the end | CD | |
| reconsideration answer | reconsideration_answer_days (10) | WD (复议法 art. 88) | copy received |
| litigation defence | litigation_defence_days (15) | CD, rolls past a rest day | complaint received |
"""

from __future__ import annotations

import datetime as dt

from ecogov.core.calendar import current_calendar
from ecogov.core.dates import add_years
from ecogov.core.workdays import DayType, Deadline

WD, CD = DayType.WORKING, DayType.CALENDAR


def deadline(start: dt.date, n: int, day_type) -> Deadline:
    return current_calendar().deadline(start, n, DayType(day_type), allow_provisional=True)


def review_deadline(submitted_on: dt.date, policy) -> Deadline:
    return deadline(submitted_on, policy.review_days, WD)


def contract_review_deadline(submitted_on: dt.date, policy) -> Deadline:
    return deadline(submitted_on, policy.contract_review_days, WD)


def filing_deadline(issued_on: dt.date, policy) -> Deadline:
    return deadline(issued_on, policy.filing_days, CD)


def consultation_long_enough(started_on: dt.date, ended_on: dt.date, policy) -> bool:
    """At least `consultation_days` days: from the day after the start to the end, inclusive."""
    return (ended_on - started_on).days >= policy.consultation_days


def default_valid_until(effective_from: dt.date, *, trial: bool, policy) -> dt.date:
    years = policy.trial_validity_years if trial else policy.validity_years
    return add_years(effective_from, years) - dt.timedelta(days=1)


def evaluation_reminder_on(valid_until: dt.date, policy) -> dt.date:
    return valid_until - dt.timedelta(days=policy.evaluation_days)


def answer_deadline(kind: str, received_on: dt.date, policy) -> Deadline:
    from ecogov.legal.models import DisputeKind

    if kind == DisputeKind.RECONSIDERATION:
        return deadline(
            received_on, policy.reconsideration_answer_days, policy.reconsideration_day_kind
        )
    return deadline(received_on, policy.litigation_defence_days, policy.litigation_day_kind)

"""Each step's deadline (docs/enforcement.md §3; counting: docs/procedures.md §2, §3).

| step | period (EnforcementPolicy) | day type | from |
|---|---|---|---|
| open the case | open_days (15) | 日 only: both readings, alert on the earlier | lead found |
| statement / defence | statement_days (3) | WD | notice |
| ask for a hearing | hearing_request_days (5) | WD | notice |
| hearing notice | ≥ hearing_notice_days (7) before the hearing | WD | |
| legal review | review_days (5), + review_extension_days (3) once | WD | submitted |
| decision | decision_days (90) + 30 per extension; hearing time not counted | CD | opened |
| service | service_days (7) | WD | decision |
| disclosure | disclosure_days (7) | WD | decision |
| payment | payment_days (15) | CD | service |

Dates in a year the calendar does not know are computed Monday–Friday and marked provisional.
"""

from __future__ import annotations

import datetime as dt

from ecogov.core.workdays import DayType, Deadline
from ecogov.enforcement.bulk import calendar
from ecogov.enforcement.models import EnforcementPolicy
from ecogov.enforcement.workflow import CaseState

WD, CD = DayType.WORKING, DayType.CALENDAR


def _deadline(start: dt.date, n: int, day_type: DayType) -> Deadline:
    return calendar().deadline(start, n, day_type, allow_provisional=True)


def open_deadline(found_on: dt.date, policy: EnforcementPolicy) -> Deadline:
    """The 2023 rules say 十五日 without a day type (§10 item 1): alert on the earlier reading."""
    both = calendar().statute_days_deadline(found_on, policy.open_days, allow_provisional=True)
    return both.alert_on


def statement_deadline(notified_on, policy) -> Deadline:
    return _deadline(notified_on, policy.statement_days, WD)


def hearing_request_deadline(notified_on, policy) -> Deadline:
    return _deadline(notified_on, policy.hearing_request_days, WD)


def earliest_hearing_on(notice_on: dt.date, policy) -> dt.date:
    """The party is told at least `hearing_notice_days` working days before the hearing."""
    return _deadline(notice_on, policy.hearing_notice_days, WD).due


def review_deadline(submitted_on, policy, *, extended: bool = False) -> Deadline:
    days = policy.review_days + (policy.review_extension_days if extended else 0)
    return _deadline(submitted_on, days, WD)


def paused_days(case) -> int | None:
    """Calendar days not counted towards the decision period (the hearing); None while paused."""
    if case.hearing_requested_on is None:
        return 0
    if case.hearing_held_on is None:
        return None
    return (case.hearing_held_on - case.hearing_requested_on).days


def decision_deadline(case, policy) -> Deadline | None:
    paused = paused_days(case)
    if case.opened_on is None or paused is None:
        return None
    days = policy.decision_days + case.extensions * policy.decision_extension_days + paused
    return _deadline(case.opened_on, days, CD)


def service_deadline(decided_on, policy) -> Deadline:
    return _deadline(decided_on, policy.service_days, WD)


def public_notice_served_on(issued_on, policy) -> dt.date:
    return _deadline(issued_on, policy.public_notice_service_days, CD).due


def disclosure_deadline(decided_on, policy) -> Deadline:
    return _deadline(decided_on, policy.disclosure_days, WD)


def payment_deadline(served_on, policy) -> Deadline:
    return _deadline(served_on, policy.payment_days, CD)


def refresh_step(case, policy: EnforcementPolicy) -> None:
    """Set the case's current step, its owner and due date (what the due lists read)."""
    due: Deadline | None = None
    owner = None
    state = case.state
    if state == CaseState.LEAD:
        label, due = "立案", open_deadline(case.found_on, policy)
    elif state in (
        CaseState.OPENED,
        CaseState.INVESTIGATING,
        CaseState.NOTIFIED,
        CaseState.HEARING_HELD,
        CaseState.REVIEWED,
        CaseState.DISCUSSED,
    ):
        label, due = "作出处罚决定", decision_deadline(case, policy)
    elif state == CaseState.HEARING_REQUESTED:
        label = "组织听证(听证期间不计入办案期限)"
    elif state == CaseState.LEGAL_REVIEW:
        label, owner = "法制审核", case.reviewer_id
        due = review_deadline(case.review_submitted_on, policy, extended=case.review_extended)
    elif state == CaseState.DECIDED:
        label, due = "送达处罚决定书", service_deadline(case.decided_on, policy)
    elif state == CaseState.SERVED and case.public_impact:
        label, due = "公开处罚决定", disclosure_deadline(case.decided_on, policy)
    elif (
        state in (CaseState.SERVED, CaseState.DISCLOSED, CaseState.EXECUTING)
        and (case.fine or 0) > case.paid
    ):
        label, due = "督促缴纳罚款", payment_deadline(case.served_on, policy)
    elif state in (CaseState.SERVED, CaseState.DISCLOSED, CaseState.EXECUTING):
        label = "执行完毕,办理结案"
    else:
        label = ""
    case.step_label = label
    case.step_owner_id = owner
    case.step_due = due.due if due else None
    case.step_due_provisional = bool(due and due.provisional)

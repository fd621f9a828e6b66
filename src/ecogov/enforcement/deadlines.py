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
| payment under a plan | the first instalment (or the deferred date) not met | date | the plan |
| court application opens | demand_wait_days (10) after the demand, and the day after the remedies run out | WD | demand served |
| remedies run out | reconsideration_days (60) and lawsuit_months (6), the later; or the plan's last date | CD / months | service |
| court application closes | court_application_months (3) after the remedies run out | months | |
| seizure ends | seizure_days (30) + one extension (≤ 30) + testing days | CD | seizure |
| production restriction ends | restriction_months (3) + one extension (≤ 3) | months | decision |
| covert re-inspection | reinspection_days (30) | CD | correction order served |
| withdraw a changed decision's disclosure | withdrawal_days (3) | WD | ruling |

Dates in a year the calendar does not know are computed Monday–Friday and marked provisional.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ecogov.core.calendar import current_calendar
from ecogov.core.dates import add_months
from ecogov.core.workdays import DayType, Deadline
from ecogov.enforcement import coercion
from ecogov.enforcement.models import EnforcementPolicy
from ecogov.enforcement.workflow import CaseState

WD, CD = DayType.WORKING, DayType.CALENDAR


def _deadline(start: dt.date, n: int, day_type: DayType) -> Deadline:
    return current_calendar().deadline(start, n, day_type, allow_provisional=True)


def open_deadline(found_on: dt.date, policy: EnforcementPolicy) -> Deadline:
    """The 2023 rules say 十五日 without a day type (§10 item 1): alert on the earlier reading."""
    both = current_calendar().statute_days_deadline(
        found_on, policy.open_days, allow_provisional=True
    )
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


def months_deadline(start: dt.date, months: int) -> Deadline:
    """A period of months (民法典第二百零一至二百零三条), rolled over a rest day."""
    return _deadline(add_months(start, months), 0, CD)


def remedies_end(case, policy, plan_end: dt.date | None = None) -> Deadline:
    """The day the party's reconsideration and lawsuit periods run out (counted from service),
    or the end of an approved deferral or instalments if later (行政处罚法第七十二条)."""
    ends = [
        _deadline(case.served_on, policy.reconsideration_days, CD),
        months_deadline(case.served_on, policy.lawsuit_months),
    ]
    if plan_end is not None:
        ends.append(_deadline(plan_end, 0, CD))
    return max(ends, key=lambda d: d.due)


def court_window(case, policy, demand_served_on: dt.date, plan_end: dt.date | None = None):
    """(CourtWindow, provisional): 行政强制法第五十三、五十四条 on the working-day calendar."""
    after = _deadline(demand_served_on, policy.demand_wait_days, WD)
    run_out = remedies_end(case, policy, plan_end)
    closes = months_deadline(run_out.due, policy.court_application_months)
    window = coercion.court_window(
        demand_served_on=demand_served_on,
        after_demand=after.due,
        remedies_end=run_out.due,
        closes=closes.due,
    )
    return window, after.provisional or run_out.provisional or closes.provisional


def measure_end(measure) -> Deadline:
    """A seizure: its days + extension + testing days; a restriction: its months + extension."""
    if measure.days is not None:
        total = measure.days + measure.extension + measure.testing_days
        return _deadline(measure.started_on, total, CD)
    return months_deadline(measure.started_on, (measure.months or 0) + measure.extension)


def reinspection_deadline(order_served_on, policy) -> Deadline:
    return _deadline(order_served_on, policy.reinspection_days, CD)


def withdrawal_deadline(ruling_on, policy) -> Deadline:
    return _deadline(ruling_on, policy.withdrawal_days, WD)


def next_payment_due(case) -> dt.date | None:
    """The date the money is due now: under an approved plan the first instalment (or the
    deferred date) not yet met, else the decision's own due date."""
    from ecogov.enforcement.models import Payment

    plan = approved_plan(case)
    if plan is None:
        return case.payment_due
    payments = list(Payment.objects.filter(case_id=case.pk).values_list("paid_on", "amount"))
    schedule = plan_schedule(plan)
    paid = sum((a for _d, a in payments), 0)
    owed = 0
    for due, amount in schedule:
        owed += amount
        if paid < owed:
            return due
    return schedule[-1][0] if schedule else case.payment_due


def approved_plan(case):
    from ecogov.enforcement.models import PaymentPlan

    plan = PaymentPlan.objects.filter(case_id=case.pk, approved=True).order_by("-pk").first()
    if plan is not None:
        plan.case = case  # the case as the service holds it (a bulk job writes it at the end)
    return plan


def plan_schedule(plan) -> list[tuple[dt.date, Decimal]]:
    """The plan's rows as cumulative-ready (date, amount) pairs. The rows cover what was still
    owed when the plan was approved; what had been paid before counts towards the first row,
    so that all payments can be compared with the running total due."""
    rows = sorted(
        (dt.date.fromisoformat(row["due_on"]), Decimal(str(row["amount"]))) for row in plan.schedule
    )
    if rows:
        case = plan.case
        before = (case.fine or 0) + (case.confiscation or 0) - sum(a for _d, a in rows)
        rows[0] = (rows[0][0], rows[0][1] + max(Decimal(before), Decimal(0)))
    return rows


def _execution_step(case, policy) -> tuple[str, Deadline | None]:
    from ecogov.enforcement.models import CompulsoryExecution

    compulsory = CompulsoryExecution.objects.filter(case_id=case.pk).first()
    if compulsory is None:
        if approved_plan(case) is None:
            return "督促缴纳罚款", payment_deadline(case.served_on, policy)
        due = next_payment_due(case)
        return "督促按批准的期限缴纳罚款", (Deadline(due, CD, False, "") if due else None)
    if compulsory.applied_on is None:
        label = f"申请法院强制执行({compulsory.window_opens.isoformat()}起)"
        return label, Deadline(compulsory.window_closes, CD, compulsory.window_provisional, "")
    if not compulsory.ruling:
        return "等待法院裁定", None
    if compulsory.ruling == "refused":
        return "法院不准予执行,说明理由后结案", None
    return "法院强制执行中,登记执行结果", None


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
        label, due = _execution_step(case, policy)
    elif state in (CaseState.SERVED, CaseState.DISCLOSED, CaseState.EXECUTING):
        label = "执行完毕,办理结案"
    else:
        label = ""
    case.step_label = label
    case.step_owner_id = owner
    case.step_due = due.due if due else None
    case.step_due_provisional = bool(due and due.provisional)

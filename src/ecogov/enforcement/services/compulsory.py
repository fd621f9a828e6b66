"""Execution to the end (docs/enforcement.md §9): deferral or instalments on application, the
late-payment surcharge (加处罚款), the written demand (催告), the application to the court
and its ruling, the execution's outcome."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ecogov.core.remedies import remedy_periods
from ecogov.core.roles import Role
from ecogov.enforcement import coercion
from ecogov.enforcement.bulk import DIRECT, CaseWriter
from ecogov.enforcement.deadlines import approved_plan, court_window, plan_schedule
from ecogov.enforcement.models import (
    CaseEvent,
    CompulsoryExecution,
    ExecutionOutcome,
    Payment,
    PaymentPlan,
    PenaltyCase,
    PlanKind,
    Ruling,
)

from .common import advance, check_date, ensure_handler, ensure_role, lock, require, required_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User


ZERO = Decimal(0)


def principal(case: PenaltyCase) -> Decimal:
    return (case.fine or ZERO) + (case.confiscation or ZERO)


def _payments(case: PenaltyCase) -> list[tuple[dt.date, Decimal]]:
    return list(Payment.objects.filter(case_id=case.pk).values_list("paid_on", "amount"))


def surcharge_on(case: PenaltyCase, on: dt.date) -> coercion.Surcharge:
    """加处罚款 on `on` (行政处罚法第七十二条): from the day after the due date not met (under an
    approved plan, the first instalment or the deferred date not met), 3 % of the fine a day,
    until paid in full or `on`, never more than the fine; the days the decision was under
    reconsideration or lawsuit are not counted (第七十三条第三款; core/remedies.py)."""
    payments = _payments(case)
    plan = approved_plan(case)
    if plan is not None:
        due = coercion.first_missed_due(plan_schedule(plan), payments, on)
    else:
        due = case.payment_due
    owed, total, paid_in_full_on = principal(case), ZERO, None
    for paid_on, amount in sorted(payments):
        total += amount
        if total >= owed:
            paid_in_full_on = paid_on
            break
    if plan is not None and due is None:
        return coercion.surcharge(case.fine, None, on)
    return coercion.surcharge(
        case.fine,
        due,
        on,
        paid_in_full_on=paid_in_full_on,
        contested=[(p.started_on, p.ended_on) for p in remedy_periods(case)],
    )


def amount_due(case: PenaltyCase, on: dt.date) -> Decimal:
    """Fine and confiscation, plus the surcharge on `on` (at most the fine)."""
    return principal(case) + surcharge_on(case, on).amount


def _schedule(rows: Iterable[Any] | None, field: str = "schedule") -> list[tuple[dt.date, Decimal]]:
    """[(due_on, amount)] from rows of dicts or pairs; every problem named."""
    parsed = []
    for number, row in enumerate(rows or [], start=1):
        try:
            due, amount = (row["due_on"], row["amount"]) if isinstance(row, dict) else row
            due = due if isinstance(due, dt.date) else dt.date.fromisoformat(str(due))
            amount = Decimal(str(amount))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            raise ValidationError(
                {field: _("第%d行缴纳期限或金额无法识别(应为“日期 金额”)。") % number}
            ) from None
        if amount <= 0:
            raise ValidationError({field: _("第%d行金额须大于零。") % number})
        parsed.append((due, amount))
    return parsed


@transaction.atomic
def case_plan_payment(
    *,
    actor: User,
    case: PenaltyCase,
    kind: str,
    applied_on: dt.date,
    application_reason: str,
    approved: bool,
    decided_on: dt.date | None = None,
    opinion: str = "",
    schedule: Iterable[Any] = (),
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """延期或者分期缴纳罚款 on the party's application, approved (or not) by a bureau leader
    (行政处罚法第六十六条). Approved: the new due dates cover exactly what is still owed."""
    case = lock(case, writer)
    ensure_role(actor, case, Role.LEADER, _("批准延期(分期)缴纳罚款"))
    require(case, "plan_payment")
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("未知的类别“%s”。") % kind})
    application_reason = required_text(
        application_reason, "application_reason", _("请填写当事人的申请理由。")
    )
    on = check_date(case, decided_on, field="decided_on", label=_("审批"))
    if applied_on is None or applied_on > on:
        raise ValidationError({"applied_on": _("申请日期须填写,且不晚于审批日期。")})
    assert case.served_on is not None  # a paying case was served: case_serve set the day
    if applied_on < case.served_on:
        raise ValidationError({"applied_on": _("申请日期早于处罚决定送达日期。")})
    if CompulsoryExecution.objects.filter(case=case, applied_on__isnull=False).exists():
        raise ValidationError({"kind": _("已申请法院强制执行,不能再批准延期或分期缴纳。")})
    rows: list = []
    if approved:
        if approved_plan(case) is not None:
            raise ValidationError({"kind": _("本案已批准过延期(分期)缴纳,不能再次批准。")})
        rows = _schedule(schedule)
        if not rows:
            raise ValidationError({"schedule": _("批准时须填写新的缴纳期限和金额。")})
        if kind == PlanKind.DEFERRAL and len(rows) != 1:
            raise ValidationError({"schedule": _("延期缴纳只填写一个缴纳期限。")})
        if kind == PlanKind.INSTALMENT and len(rows) < 2:
            raise ValidationError({"schedule": _("分期缴纳至少分两期。")})
        dates = [d for d, _a in rows]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValidationError({"schedule": _("各期缴纳期限须按先后填写,且不得重复。")})
        if dates[0] <= on:
            raise ValidationError({"schedule": _("第一期缴纳期限须晚于审批日期。")})
        outstanding = principal(case) - case.paid
        if sum(a for _d, a in rows) != outstanding:
            raise ValidationError(
                {
                    "schedule": _("各期金额合计%(sum)s元,应等于尚未缴纳的罚没款%(owed)s元。")
                    % {"sum": sum(a for _d, a in rows), "owed": outstanding}
                }
            )
    else:
        opinion = required_text(opinion, "opinion", _("不予批准须说明理由。"))
    plan = PaymentPlan.objects.create(
        case=case,
        kind=kind,
        applied_on=applied_on,
        application_reason=application_reason,
        approved=approved,
        decided_on=on,
        approver=actor,
        opinion=opinion,
        schedule=[{"due_on": d.isoformat(), "amount": str(a)} for d, a in rows],
        last_due_on=rows[-1][0] if rows else None,
    )
    advance(
        case,
        writer=writer,
        actor=actor,
        action="plan_payment",
        event_type=CaseEvent.Type.PAYMENT_PLAN,
        on=on,
        reason=opinion,
        payload={
            "plan": plan.pk,
            "kind": kind,
            "applied_on": applied_on,
            "approved": approved,
            "schedule": plan.schedule,
        },
    )
    return case


@transaction.atomic
def case_serve_demand(
    *, actor: User, case: PenaltyCase, served_on: dt.date | None = None, writer: CaseWriter = DIRECT
) -> PenaltyCase:
    """催告 (行政强制法第五十四条): the demand states what is owed and the surcharge to date;
    from it the window to ask the court opens 10 working days later."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "serve_demand")
    if CompulsoryExecution.objects.filter(case=case).exists():
        raise ValidationError({"served_on": _("本案已送达催告书。")})
    on = check_date(case, served_on, field="served_on", label=_("催告书送达"))
    outstanding = principal(case) - case.paid
    if outstanding <= 0:
        raise ValidationError({"served_on": _("罚没款已缴清,无需催告。")})
    late = surcharge_on(case, on)
    if late.due is None or on <= late.due:
        raise ValidationError({"served_on": _("缴款期限尚未届满(或分期缴纳未逾期),不能催告。")})
    policy = writer.policy()
    plan = approved_plan(case)
    window, provisional = court_window(case, policy, on, plan.last_due_on if plan else None)
    compulsory = CompulsoryExecution.objects.create(
        case=case,
        demand_served_on=on,
        demand_principal=outstanding,
        demand_surcharge=late.amount,
        surcharge_derivation=late.derivation,
        window_opens=window.opens,
        window_closes=window.closes,
        window_provisional=provisional,
        window_derivation=window.derivation,
    )
    advance(
        case,
        writer=writer,
        actor=actor,
        action="serve_demand",
        event_type=CaseEvent.Type.DEMAND_SERVED,
        on=on,
        policy=policy,
        payload={
            "principal": outstanding,
            "surcharge": late.amount,
            "surcharge_days": late.days,
            "surcharge_derivation": late.derivation,
            "window_opens": window.opens,
            "window_closes": window.closes,
            "provisional": provisional,
            "compulsory": compulsory.pk,
        },
    )
    return case


def _compulsory(case: PenaltyCase, field: str) -> CompulsoryExecution:
    found = CompulsoryExecution.objects.filter(case=case).first()
    if found is None:
        raise ValidationError({field: _("本案尚未送达催告书,须先催告。")})
    return found


@transaction.atomic
def case_apply_court(
    *,
    actor: User,
    case: PenaltyCase,
    applied_on: dt.date | None = None,
    court: str = "",
    court_reference: str = "",
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """申请人民法院强制执行, only within the window (行政强制法第五十三、五十四条)."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "apply_court")
    compulsory = _compulsory(case, "applied_on")
    if compulsory.applied_on is not None:
        raise ValidationError({"applied_on": _("本案已申请法院强制执行。")})
    court = required_text(court, "court", _("请填写受理申请的人民法院。"))
    on = check_date(case, applied_on, field="applied_on", label=_("申请强制执行"))
    if on < compulsory.window_opens:
        raise ValidationError(
            {
                "applied_on": _(
                    "%(on)s尚不能申请:催告书送达十个工作日后且复议、诉讼期限届满后方可申请,"
                    "最早%(opens)s。"
                )
                % {"on": on.isoformat(), "opens": compulsory.window_opens.isoformat()}
            }
        )
    if on > compulsory.window_closes:
        raise ValidationError(
            {
                "applied_on": _(
                    "申请期限已于%(closes)s届满(复议、诉讼期限届满之日起三个月),不能再申请;"
                    "请以说明理由的方式结案。"
                )
                % {"closes": compulsory.window_closes.isoformat()}
            }
        )
    compulsory.applied_on, compulsory.court = on, court
    compulsory.court_reference = court_reference
    compulsory.save()
    advance(
        case,
        writer=writer,
        actor=actor,
        action="apply_court",
        event_type=CaseEvent.Type.COURT_APPLIED,
        on=on,
        payload={
            "court": court,
            "court_reference": court_reference,
            "window": [compulsory.window_opens, compulsory.window_closes],
            "amount": compulsory.demand_principal + surcharge_on(case, on).amount,
        },
    )
    return case


@transaction.atomic
def case_record_ruling(
    *,
    actor: User,
    case: PenaltyCase,
    ruling: str,
    ruling_on: dt.date | None = None,
    court_reference: str = "",
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "record_ruling")
    compulsory = _compulsory(case, "ruling")
    if compulsory.applied_on is None:
        raise ValidationError({"ruling": _("本案尚未申请法院强制执行。")})
    if compulsory.ruling:
        raise ValidationError({"ruling": _("已登记法院裁定。")})
    if ruling not in Ruling.values:
        raise ValidationError({"ruling": _("未知的裁定结果“%s”。") % ruling})
    on = check_date(case, ruling_on, field="ruling_on", label=_("裁定"))
    compulsory.ruling, compulsory.ruling_on = ruling, on
    if court_reference:
        compulsory.court_reference = court_reference
    compulsory.save()
    advance(
        case,
        writer=writer,
        actor=actor,
        action="record_ruling",
        event_type=CaseEvent.Type.COURT_RULED,
        on=on,
        payload={"ruling": ruling, "court_reference": compulsory.court_reference},
    )
    return case


@transaction.atomic
def case_record_outcome(
    *,
    actor: User,
    case: PenaltyCase,
    outcome: str,
    outcome_on: dt.date | None = None,
    recovered: Decimal | None = None,
    note: str = "",
    writer: CaseWriter = DIRECT,
) -> PenaltyCase:
    """The court's execution: what was recovered is entered as a payment (receipt 法院强制执行)."""
    case = lock(case, writer)
    ensure_handler(actor, case)
    require(case, "record_outcome")
    compulsory = _compulsory(case, "outcome")
    if compulsory.ruling != Ruling.GRANTED:
        raise ValidationError({"outcome": _("法院裁定准予执行后方可登记执行结果。")})
    if compulsory.outcome:
        raise ValidationError({"outcome": _("已登记执行结果。")})
    if outcome not in ExecutionOutcome.values:
        raise ValidationError({"outcome": _("未知的执行结果“%s”。") % outcome})
    on = check_date(case, outcome_on, field="outcome_on", label=_("执行结果"))
    recovered = Decimal(recovered or 0)
    ceiling = amount_due(case, on) - case.paid
    if recovered < 0 or recovered > ceiling:
        raise ValidationError(
            {"recovered": _("执行到位金额须在0至%(ceiling)s元之间。") % {"ceiling": ceiling}}
        )
    if outcome == ExecutionOutcome.PAID and recovered != ceiling:
        raise ValidationError(
            {
                "recovered": _("执行完毕时执行到位金额应为尚欠的%(ceiling)s元。")
                % {"ceiling": ceiling}
            }
        )
    if outcome != ExecutionOutcome.PAID:
        note = required_text(note, "note", _("未全部执行到位,须说明执行情况。"))
    if recovered:
        Payment.objects.create(
            case=case, paid_on=on, amount=recovered, receipt_number="法院强制执行"
        )
        case.paid += recovered
    compulsory.outcome, compulsory.outcome_on = outcome, on
    compulsory.recovered, compulsory.outcome_note = recovered, note
    compulsory.save()
    advance(
        case,
        writer=writer,
        actor=actor,
        action="record_outcome",
        event_type=CaseEvent.Type.EXECUTION_OUTCOME,
        on=on,
        reason=note,
        payload={"outcome": outcome, "recovered": recovered, "paid_total": case.paid},
    )
    return case

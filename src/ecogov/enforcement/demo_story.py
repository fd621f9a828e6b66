"""The demo's cases that go on past payment (docs/enforcement.md §9–§11), through the
services like the rest of 示例市: a seizure during the investigation of a case a random
inspection found, a daily continuous penalty, a referral for detention, the unpaid fines
taken to court (one recovered in full, one with nothing to recover) or deferred, and a
decision confirmed illegal on reconsideration (its disclosure withdrawn)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ecogov.enforcement import services as s
from ecogov.enforcement.bulk import DIRECT
from ecogov.enforcement.models import CompulsoryExecution, MeasureKind

SEIZED = {0, 16, 48}  # random-inspection cases: 查封扣押 while investigating
REFERRED = {36}  # 移送公安机关行政拘留
DAILY = {20}  # 按日连续处罚 after the decision
CONFIRMED_ILLEGAL = {40}  # 确认违法 on reconsideration in 2021
COURT_PAID, DEFERRED, COURT_NOTHING = 131, 133, 135  # the unpaid fines of the demo

DAY = dt.timedelta(days=1)


def during_investigation(i: int, case, people, found: dt.date, writer=DIRECT):
    handler, leader = people["inspector"], people["leader"]
    if i in SEIZED:
        s.case_take_measure(
            writer=writer,
            actor=handler,
            case=case,
            kind=MeasureKind.SEIZURE,
            subject="废气处理设施旁路阀门及配电柜一套。",
            approved_by=leader,
            started_on=found + 5 * DAY,
        )
        s.case_release_measure(
            writer=writer,
            actor=handler,
            case=case,
            note="调查取证完毕,解除查封,设施交还当事人。",
            released_on=found + 20 * DAY,
        )
    if i in REFERRED:
        s.case_refer(
            writer=writer,
            actor=handler,
            case=case,
            kind="detention",
            to="示例市公安局",
            reason="通过暗管逃避监管的方式排放水污染物(环境保护法第六十三条)。",
            referred_on=found + 6 * DAY,
        )
    return case


def after_execution(i: int, case, people, published: dt.date, writer=DIRECT):
    if i in DAILY:
        handler = people["inspector"]
        s.case_order_correction(
            writer=writer,
            actor=handler,
            case=case,
            order_served_on=published + DAY,
            order_reference=f"示环责改〔{published.year}〕{i}号",
        )
        s.case_reinspect(
            writer=writer,
            actor=handler,
            case=case,
            continuing=True,
            reinspected_on=published + 12 * DAY,
            note="暗查发现仍在超标排放。",
        )
    return case


def after_closing(i: int, case, people, closed: dt.date, writer=DIRECT):
    if i in CONFIRMED_ILLEGAL:
        s.case_change_decision(
            writer=writer,
            actor=people["inspector"],
            case=case,
            kind="confirmed_illegal",
            by="reconsideration",
            reason="送达程序存在瑕疵,处罚决定不具有可撤销内容,确认违法。",
            ruling_on=dt.date(2021, 3, 15),
            ruling_reference="示政复决〔2021〕6号",
            withdrawn_on=dt.date(2021, 3, 17),
        )


def unpaid(i: int, case, people, published: dt.date, writer=DIRECT):
    """The three fines not paid in full: deferred, or demanded and taken to court."""
    handler, leader = people["inspector"], people["leader"]
    rest = (case.fine or Decimal(0)) - case.paid
    if i == DEFERRED:
        s.case_plan_payment(
            writer=writer,
            actor=leader,
            case=case,
            kind="deferral",
            applied_on=published + 7 * DAY,
            application_reason="受疫情影响资金周转困难,申请延期缴纳。",
            approved=True,
            decided_on=published + 8 * DAY,
            schedule=[(published + 90 * DAY, rest)],
        )
        return  # not paid by the deferred date: overdue on the dashboard
    if i not in (COURT_PAID, COURT_NOTHING):
        return
    case = s.case_serve_demand(
        writer=writer, actor=handler, case=case, served_on=published + 40 * DAY
    )
    opens = CompulsoryExecution.objects.get(case_id=case.pk).window_opens
    case = s.case_apply_court(
        writer=writer,
        actor=handler,
        case=case,
        applied_on=opens,
        court=f"{case.division.name}人民法院",
        court_reference=f"({opens.year})示执审{i}号",
    )
    case = s.case_record_ruling(
        writer=writer, actor=handler, case=case, ruling="granted", ruling_on=opens + 20 * DAY
    )
    outcome_on = opens + 60 * DAY
    if i == COURT_PAID:
        case = s.case_record_outcome(
            writer=writer,
            actor=handler,
            case=case,
            outcome="paid",
            outcome_on=outcome_on,
            recovered=s.amount_due(case, outcome_on) - case.paid,
        )
        s.case_close(writer=writer, actor=handler, case=case, closed_on=outcome_on + 2 * DAY)
        return
    case = s.case_record_outcome(
        writer=writer,
        actor=handler,
        case=case,
        outcome="unenforceable",
        outcome_on=outcome_on,
        note="经法院查询,被执行人无可供执行的财产,裁定终结本次执行程序。",
    )
    s.case_close(
        writer=writer,
        actor=handler,
        case=case,
        closed_on=outcome_on + 2 * DAY,
        note="法院裁定终结本次执行程序;发现可供执行财产后申请恢复执行。",
    )

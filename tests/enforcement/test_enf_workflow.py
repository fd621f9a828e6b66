"""Every transition of the penalty case, through the services, with its typed event."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ecogov.core.models import RecordAssignment
from ecogov.enforcement import services as s
from ecogov.enforcement.models import (
    CaseEvent,
    CaseSource,
    PenaltyCase,
    PenaltyKind,
    ServiceMethod,
)

D = dt.date
FINE = [PenaltyKind.FINE]


def types(case):
    return list(case.events.order_by("seq").values_list("type", flat=True))


def last(case):
    return case.events.order_by("-seq").first()


def test_lead_is_registered_without_number_then_opened_with_one(flow, world):
    entity = world.entity_in("北山县")
    lead = s.case_register_lead(
        actor=flow.p.beishan,
        entity=entity,
        source=CaseSource.COMPLAINT,
        facts="群众举报夜间偷排废水。",
        found_on=D(2025, 3, 3),
        officers=[flow.p.beishan, flow.p.handler],
    )
    assert lead.state == "lead" and lead.number is None
    assert lead.party_name == entity.name and lead.party_id_number == entity.credit_code
    assert lead.step_label == "立案" and lead.step_due == D(2025, 3, 18)  # 15 日 from the day after
    case = s.case_open_lead(
        actor=flow.p.beishan, case=lead, opened_on=D(2025, 3, 5), approved_by=flow.p.leader
    )
    assert case.state == "opened" and case.number.startswith("示环罚〔2025〕")
    assert case.number.endswith("号") and case.opened_on == D(2025, 3, 5)
    assert types(case) == ["lead_registered", "opened"]
    opened = last(case)
    assert (opened.from_state, opened.to_state) == ("lead", "opened")
    assert opened.actor == flow.p.beishan and opened.payload["late"] is False
    assert opened.occurred_at.date() == D(2025, 3, 5)


def test_opening_needs_a_leader_as_approver_when_one_is_named(flow, world):
    entity = world.entity_in("北山县")
    lead = s.case_register_lead(
        actor=flow.p.beishan,
        entity=entity,
        source="complaint",
        facts="噪声扰民。",
        found_on=D(2025, 3, 3),
    )
    with pytest.raises(ValidationError, match="须经局负责人批准"):
        s.case_open_lead(actor=flow.p.beishan, case=lead, approved_by=flow.p.nanhu)


def test_open_in_one_step_from_an_inspection(flow, world):
    entity = world.entity_in("南湖县")
    case = s.case_open(
        actor=flow.p.handler,
        entity=entity,
        division=entity.division,
        source=CaseSource.RANDOM_INSPECTION,
        inspection_ref="示环检〔2025〕8号",
        facts="在线监测数据显示颗粒物超标。",
        found_on=D(2025, 5, 6),
        officers=[flow.p.nanhu, flow.p.handler],
    )
    assert case.state == "opened" and case.inspection_ref == "示环检〔2025〕8号"
    # opened today (the day of the one-step call): late against the 15 days from the finding
    assert case.found_on == D(2025, 5, 6) and case.opened_on == timezone.localdate()
    assert case.division == entity.division and last(case).payload["late"] is True
    assert set(case.officers.all()) == {flow.p.nanhu, flow.p.handler}
    assert types(case) == ["lead_registered", "opened"]


def test_not_opened_by_a_leader_only(flow, world):
    lead = s.case_register_lead(
        actor=flow.p.beishan,
        entity=world.entity_in("北山县"),
        source="complaint",
        facts="举报不实。",
        found_on=D(2025, 3, 3),
    )
    with pytest.raises(PermissionDenied, match="局领导"):
        s.case_not_open(actor=flow.p.beishan, case=lead, reason="经核查不属实")
    case = s.case_not_open(actor=flow.p.leader, case=lead, reason="经核查不属实", on=D(2025, 3, 10))
    assert case.state == "not_opened" and case.is_terminal and case.number is None
    assert case.step_due is None and last(case).reason == "经核查不属实"


def test_investigation_needs_two_certified_officers(flow, world):
    case = flow.opened()
    s.case_set_officers(actor=flow.p.handler, case=case, officers=[flow.p.beishan, flow.p.eia])
    with pytest.raises(ValidationError) as info:
        s.case_investigate(actor=flow.p.handler, case=case, on=D(2025, 3, 6))
    message = info.value.message_dict["officers"][0]
    assert "两名以上持有效执法证" in message and "刘敏" in message
    case = PenaltyCase.objects.get(pk=case.pk)
    assert case.state == "opened" and types(case)[-1] == "officers_set"
    s.case_set_officers(actor=flow.p.handler, case=case, officers=[flow.p.beishan, flow.p.handler])
    case = s.case_investigate(actor=flow.p.handler, case=case, on=D(2025, 3, 6))
    assert case.state == "investigating" and case.step_label == "作出处罚决定"
    assert case.step_due == D(2025, 6, 3)  # 90 calendar days from 2025-03-05


def test_notice_of_a_simple_case(flow):
    case = flow.simple()
    assert case.state == "notified" and case.notified_on == D(2025, 4, 1)
    assert case.statement_due == D(2025, 4, 7)  # 3 working days over Qingming (4–6 April)
    assert not case.hearing_offered and case.hearing_request_due is None
    assert not case.review_required and not case.collective_required
    event = last(case)
    assert event.type == "notified" and event.payload["fine"] == "50000"


def test_notice_of_a_major_case_offers_hearing_and_requires_review(flow):
    case = flow.major()
    assert case.hearing_offered and case.hearing_request_due == D(2025, 4, 9)
    assert case.review_required and case.collective_required
    assert any("法制审核" in why for why in last(case).payload["why"])


def test_statement_and_waiver_are_recorded(flow):
    case = flow.simple()
    case = s.case_record_statement(
        actor=flow.p.handler, case=case, summary="当事人称已整改。", received_on=D(2025, 4, 8)
    )
    assert last(case).type == "statement_received" and last(case).payload["late"] is True
    case = s.case_record_waiver(
        actor=flow.p.handler, case=case, note="当事人书面放弃", waived_on=D(2025, 4, 8)
    )
    assert case.party_waived and case.state == "notified" and last(case).type == "waiver_recorded"


def test_hearing_requested_scheduled_and_held(flow):
    case = flow.major()
    case = s.case_request_hearing(actor=flow.p.handler, case=case, requested_on=D(2025, 4, 3))
    assert case.state == "hearing_requested" and case.step_due is None  # the period pauses
    with pytest.raises(ValidationError, match="尚未安排听证"):
        s.case_hold_hearing(actor=flow.p.handler, case=case, summary="x", held_on=D(2025, 4, 20))
    with pytest.raises(ValidationError) as info:
        s.case_schedule_hearing(
            actor=flow.p.handler,
            case=case,
            chair=flow.p.beishan,
            notice_on=D(2025, 4, 7),
            hearing_on=D(2025, 4, 21),
        )
    assert "本案执法人员" in info.value.message_dict["chair"][0]
    with pytest.raises(ValidationError) as info:
        s.case_schedule_hearing(
            actor=flow.p.handler,
            case=case,
            chair=flow.p.nanhu,
            notice_on=D(2025, 4, 7),
            hearing_on=D(2025, 4, 14),
        )
    assert "七个工作日前" in str(info.value) or "7个工作日前" in str(info.value)
    assert "2025-04-16" in str(info.value)  # the earliest lawful day, named
    case = s.case_schedule_hearing(
        actor=flow.p.handler,
        case=case,
        chair=flow.p.nanhu,
        notice_on=D(2025, 4, 7),
        hearing_on=D(2025, 4, 16),
    )
    assert last(case).type == "hearing_scheduled" and case.hearing_chair == flow.p.nanhu
    case = s.case_hold_hearing(
        actor=flow.p.handler, case=case, summary="当事人到场陈述。", held_on=D(2025, 4, 16)
    )
    assert case.state == "hearing_held" and case.review_required
    assert case.step_due == D(2025, 6, 16)  # 90 days + the 13 days of the hearing
    assert types(case)[-3:] == ["hearing_requested", "hearing_scheduled", "hearing_held"]


def test_late_hearing_request_is_recorded_and_does_not_block(flow):
    case = flow.major()
    case = s.case_request_hearing(actor=flow.p.handler, case=case, requested_on=D(2025, 4, 10))
    assert case.state == "notified" and last(case).type == "hearing_request_late"


def test_no_hearing_request_where_no_hearing_was_offered(flow):
    with pytest.raises(ValidationError, match="未达到听证标准"):
        s.case_request_hearing(actor=flow.p.handler, case=flow.simple(), requested_on=D(2025, 4, 2))


def test_legal_review_submitted_to_an_assigned_reviewer(flow):
    case = flow.major()
    case = s.case_submit_review(
        actor=flow.p.handler, case=case, reviewer=flow.p.legal, submitted_on=D(2025, 4, 10)
    )
    assert case.state == "legal_review" and case.step_owner == flow.p.legal
    assert case.review_due == D(2025, 4, 17) and case.step_due == D(2025, 4, 17)
    assert RecordAssignment.objects.filter(
        object_id=case.pk, user=flow.p.legal, role="approver", is_active=True
    ).exists()
    case = s.case_extend_review(actor=flow.p.leader, case=case, reason="案情复杂")
    assert case.review_due == D(2025, 4, 22) and last(case).type == "review_extended"
    with pytest.raises(ValidationError, match="已延长过一次"):
        s.case_extend_review(actor=flow.p.leader, case=case, reason="再延")
    case = s.case_legal_review(
        actor=flow.p.legal, case=case, passed=True, opinion="同意", reviewed_on=D(2025, 4, 14)
    )
    assert case.state == "reviewed" and case.review_passed and case.reviewer == flow.p.legal
    assert last(case).payload == {**last(case).payload, "passed": True, "late": False}


def test_failed_review_returns_the_case_and_a_new_notice_starts_over(flow):
    case = s.case_submit_review(
        actor=flow.p.handler, case=flow.major(), reviewer=flow.p.legal, submitted_on=D(2025, 4, 10)
    )
    with pytest.raises(ValidationError, match="须写明意见"):
        s.case_legal_review(actor=flow.p.legal, case=case, passed=False, reviewed_on=D(2025, 4, 11))
    case = s.case_legal_review(
        actor=flow.p.legal,
        case=case,
        passed=False,
        opinion="证据不足,补充调查",
        reviewed_on=D(2025, 4, 11),
    )
    assert case.state == "investigating" and not case.review_passed
    case = s.case_notify(
        actor=flow.p.handler,
        case=case,
        legal_basis=flow.air,
        penalty_kinds=FINE,
        fine=Decimal("250000"),
        notified_on=D(2025, 4, 21),
    )
    assert case.state == "notified" and case.reviewer is None and case.reviewed_on is None
    assert case.hearing_request_due == D(2025, 4, 27)  # a Sunday made a workday (调休)


def test_collective_discussion_after_the_review(flow):
    case = flow.major()
    with pytest.raises(ValidationError, match="审核通过后方可提交集体讨论"):
        flow.discussed(case)
    case = flow.discussed(flow.reviewed(case))
    assert case.state == "discussed" and last(case).type == "discussed"
    with pytest.raises(PermissionDenied, match="局领导"):
        s.case_discuss(actor=flow.p.handler, case=flow.reviewed(flow.major()), conclusion="同意")


def test_decision_deadline_extended_once_by_the_head_then_by_collective_discussion(flow):
    case = flow.investigating()
    case = s.case_extend_decision(actor=flow.p.leader, case=case, reason="需要检测")
    assert case.extensions == 1 and case.step_due == D(2025, 7, 3)
    with pytest.raises(ValidationError, match="集体讨论纪要"):
        s.case_extend_decision(actor=flow.p.leader, case=case, reason="仍需鉴定")
    case = s.case_extend_decision(
        actor=flow.p.leader,
        case=case,
        reason="仍需鉴定",
        collective_minutes="2025年第3次局务会同意",
    )
    assert case.extensions == 2 and case.step_due == D(2025, 8, 4)  # 2 Aug is a Saturday
    with pytest.raises(ValidationError, match="不能再延长"):
        s.case_extend_decision(
            actor=flow.p.leader, case=case, reason="再延", collective_minutes="x"
        )


def test_decision_then_service_disclosure_execution_payment_close(flow):
    case = flow.decided()
    assert case.state == "decided" and case.decided_by == flow.p.leader
    assert case.step_label == "送达处罚决定书" and case.step_due == D(2025, 4, 24)
    assert case.disclosure.due_on == D(2025, 4, 24) and case.disclosure.published_on is None
    case = s.case_serve(
        actor=flow.p.handler, case=case, method=ServiceMethod.DIRECT, served_on=D(2025, 4, 16)
    )
    assert case.state == "served" and case.payment_due == D(2025, 5, 6)  # 15 days, May Day
    case = s.case_disclose(actor=flow.p.handler, case=case, published_on=D(2025, 4, 18))
    assert case.state == "disclosed" and last(case).payload["on_time"] is True
    case = s.case_execute(actor=flow.p.handler, case=case, on=D(2025, 4, 18))
    assert case.state == "executing" and case.step_label == "督促缴纳罚款"
    s.case_record_payment(
        actor=flow.p.handler,
        case=case,
        amount=Decimal("20000"),
        paid_on=D(2025, 4, 25),
        receipt_number="FS001",
    )
    case = PenaltyCase.objects.get(pk=case.pk)
    assert case.paid == Decimal("20000")
    with pytest.raises(ValidationError, match="应缴金额50000"):
        s.case_record_payment(
            actor=flow.p.handler, case=case, amount=Decimal("40000"), paid_on=D(2025, 4, 26)
        )
    with pytest.raises(ValidationError, match="尚未缴清"):
        s.case_close(actor=flow.p.handler, case=case, closed_on=D(2025, 4, 28))
    s.case_record_payment(
        actor=flow.p.handler, case=case, amount=Decimal("30000"), paid_on=D(2025, 4, 26)
    )
    case = s.case_close(actor=flow.p.handler, case=case, closed_on=D(2025, 4, 28))
    assert case.state == "closed" and case.is_terminal and case.step_due is None
    assert types(case)[-7:] == [
        "decided",
        "served",
        "disclosed",
        "execution_started",
        "payment_received",
        "payment_received",
        "closed",
    ]


def test_unpaid_case_closed_only_with_the_reason(flow):
    case = flow.executing()
    case = s.case_close(
        actor=flow.p.handler, case=case, closed_on=D(2025, 6, 30), note="已申请人民法院强制执行"
    )
    assert case.state == "closed" and last(case).payload["paid"] == "0.00"


def test_late_payment_surcharge_raises_what_may_be_paid(flow):
    case = flow.executing()  # payment due 2025-05-06; 3 % a day after, capped at the fine
    assert s.amount_due(case, D(2025, 5, 8)) == Decimal("53000.00")
    assert s.amount_due(case, D(2025, 12, 1)) == Decimal("100000")


def test_service_methods(flow):
    case = flow.decided()
    with pytest.raises(ValidationError, match="须经当事人同意"):
        s.case_serve(actor=flow.p.handler, case=case, method=ServiceMethod.ELECTRONIC)
    case = s.case_serve(
        actor=flow.p.handler,
        case=case,
        method=ServiceMethod.PUBLIC_NOTICE,
        notice_issued_on=D(2025, 4, 16),
    )
    assert case.served_on == D(2025, 5, 16)  # 30 days after the notice
    assert last(case).payload["method"] == "public_notice"


def test_public_notice_not_yet_effective_is_refused(flow, world):
    case = flow.decided()
    issued = timezone.localdate() - dt.timedelta(days=3)
    with pytest.raises(ValidationError, match="方视为送达"):
        s.case_serve(
            actor=flow.p.handler,
            case=case,
            method=ServiceMethod.PUBLIC_NOTICE,
            notice_issued_on=issued,
        )


def test_execution_waits_for_disclosure_unless_not_public(flow):
    case = flow.served()
    with pytest.raises(ValidationError, match="请先公开"):
        s.case_execute(actor=flow.p.handler, case=case, on=D(2025, 4, 17))
    other = flow.simple(county="南湖县")
    other = s.case_decide(
        actor=flow.p.leader,
        case=other,
        penalty_kinds=FINE,
        fine=Decimal("50000"),
        decided_on=D(2025, 4, 15),
        public_impact=False,
    )
    assert not hasattr(other, "disclosure") or other.disclosure is None
    other = s.case_serve(
        actor=flow.p.handler, case=other, method="direct", served_on=D(2025, 4, 16)
    )
    assert other.step_label == "督促缴纳罚款"
    with pytest.raises(ValidationError, match="无需公开"):
        s.case_disclose(actor=flow.p.handler, case=other)
    other = s.case_execute(actor=flow.p.handler, case=other, on=D(2025, 4, 17))
    assert other.state == "executing"


def test_no_penalty_transfer_and_withdrawal_end_the_case(flow):
    case = s.case_decide_no_penalty(
        actor=flow.p.leader,
        case=flow.investigating(),
        reason="违法行为轻微并及时改正",
        decided_on=D(2025, 3, 20),
    )
    assert case.state == "no_penalty" and case.closed_on == D(2025, 3, 20)
    case = s.case_transfer(
        actor=flow.p.handler,
        case=flow.investigating(),
        to="示例市公安局",
        reason="涉嫌污染环境罪",
        on=D(2025, 3, 20),
    )
    assert case.state == "transferred" and last(case).payload["to"] == "示例市公安局"
    with pytest.raises(PermissionDenied):
        s.case_withdraw(actor=flow.p.handler, case=flow.opened(), reason="x")
    case = s.case_withdraw(
        actor=flow.p.leader, case=flow.opened(), reason="主体错误", on=D(2025, 3, 10)
    )
    assert case.state == "withdrawn" and case.ending_reason == "主体错误"


@pytest.mark.parametrize(
    ("make", "call", "fragment"),
    [
        (
            "opened",
            lambda f, c: s.case_notify(
                actor=f.p.handler,
                case=c,
                legal_basis=f.voc,
                penalty_kinds=FINE,
                fine=Decimal("50000"),
            ),
            "案件当前为“已立案”,不能处罚事先告知",
        ),
        (
            "simple",
            lambda f, c: s.case_serve(actor=f.p.handler, case=c, method="direct"),
            "不能送达",
        ),
        (
            "decided",
            lambda f, c: s.case_notify(
                actor=f.p.handler,
                case=c,
                legal_basis=f.voc,
                penalty_kinds=FINE,
                fine=Decimal("50000"),
            ),
            "可以进行:送达",
        ),
        (
            "closed",
            lambda f, c: s.case_investigate(actor=f.p.handler, case=c),
            "已办结的案件只能以更正方式修改",
        ),
    ],
)
def test_a_step_out_of_order_is_refused_and_writes_nothing(flow, make, call, fragment):
    case = getattr(flow, make)()
    before = (case.state, case.events.count())
    with pytest.raises(ValidationError, match=fragment):
        call(flow, case)
    case = PenaltyCase.objects.get(pk=case.pk)
    assert (case.state, case.events.count()) == before


def test_running_case_is_edited_with_an_event_and_a_closed_one_only_amended(flow):
    case = flow.opened()
    case = s.case_update(actor=flow.p.handler, case=case, data={"facts": "补充:夜间排放。"})
    assert last(case).type == "updated"
    assert last(case).payload["facts"]["after"] == "补充:夜间排放。"
    closed = flow.closed(county="南湖县")
    with pytest.raises(ValidationError, match="已办结的案件只能以更正方式修改并说明理由"):
        s.case_update(actor=flow.p.handler, case=closed, data={"facts": "改"})
    with pytest.raises(ValidationError, match="须说明理由"):
        s.case_amend(actor=flow.p.handler, case=closed, data={"facts": "改"}, reason=" ")
    with pytest.raises(ValidationError):
        s.case_amend(actor=flow.p.handler, case=closed, data={"fine": Decimal("1")}, reason="笔误")
    amended = s.case_amend(
        actor=flow.p.handler,
        case=closed,
        data={"party_address": "南湖县工业园1号(更正)"},
        reason="地址笔误",
    )
    event = last(amended)
    assert event.type == CaseEvent.Type.AMENDED and event.reason == "地址笔误"
    # personal data of the party: masked in the record (docs/security.md, 个人信息加密存储)
    assert event.payload["party_address"] == {
        "before": event.payload["party_address"]["before"],
        "after": "南湖县工业园******",
        "masked": True,
    }
    assert amended.party_address == "南湖县工业园1号(更正)"
    assert amended.state == "closed" and amended.fine == closed.fine

"""The enforced rules: each refusal names what is wrong and writes nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.core.models import Division
from ecogov.enforcement import services as s
from ecogov.enforcement.models import (
    CaseDisclosure,
    LegalBasis,
    PartyKind,
    PenaltyCase,
    PenaltyKind,
    PenaltyRule,
)

D = dt.date
FINE = [PenaltyKind.FINE]


def untouched(case):
    """The case as stored, and its events: what a refused step must leave as it was."""
    fresh = PenaltyCase.objects.get(pk=case.pk)
    return fresh.state, fresh.events.count(), fresh.fine, fresh.decided_on, fresh.chain_hash


def decide(flow, case, *, on=D(2025, 4, 15), fine=None, **kw):
    return s.case_decide(
        actor=flow.p.leader,
        case=case,
        penalty_kinds=kw.pop("kinds", FINE),
        fine=case.notified_fine if fine is None else fine,
        decided_on=on,
        **kw,
    )


def test_decision_date_before_the_notice_date_is_refused(flow):
    case = flow.simple()
    before = untouched(case)
    with pytest.raises(ValidationError) as info:
        decide(flow, case, on=D(2025, 3, 31))
    message = info.value.message_dict["decided_on"][0]
    assert "决定日期2025-03-31早于告知日期2025-04-01" in message
    assert untouched(case) == before and not CaseDisclosure.objects.filter(case=case).exists()


def test_no_decision_without_an_advance_notice(flow):
    case = flow.investigating()
    with pytest.raises(ValidationError, match="尚未进行处罚事先告知"):
        decide(flow, case, fine=Decimal("50000"))


def test_decision_waits_for_the_partys_windows_unless_waived(flow):
    case = flow.simple()
    with pytest.raises(ValidationError, match="陈述申辩期限至2025-04-07届满"):
        decide(flow, case, on=D(2025, 4, 7))
    case = s.case_record_waiver(
        actor=flow.p.handler, case=case, note="当事人书面放弃", waived_on=D(2025, 4, 2)
    )
    assert decide(flow, case, on=D(2025, 4, 2)).state == "decided"


def test_hearing_window_also_binds_a_case_that_offered_a_hearing(flow):
    case = flow.discussed(flow.reviewed(flow.major(), on=D(2025, 4, 8)), on=D(2025, 4, 8))
    with pytest.raises(ValidationError, match="听证申请期限至2025-04-09届满"):
        decide(flow, case, on=D(2025, 4, 9))
    assert decide(flow, case, on=D(2025, 4, 10)).state == "decided"


def test_a_hearing_asked_for_in_time_blocks_the_decision_until_held(flow):
    case = s.case_request_hearing(
        actor=flow.p.handler, case=flow.major(), requested_on=D(2025, 4, 9)
    )
    before = untouched(case)
    with pytest.raises(ValidationError) as info:
        decide(flow, case, on=D(2025, 4, 20))
    assert "当事人已于2025-04-09在听证申请期限内申请听证,听证举行前不能作出处罚决定" in str(
        info.value
    )
    assert untouched(case) == before
    case = s.case_schedule_hearing(
        actor=flow.p.handler,
        case=case,
        chair=flow.p.nanhu,
        notice_on=D(2025, 4, 10),
        hearing_on=D(2025, 4, 21),
    )
    case = s.case_hold_hearing(
        actor=flow.p.handler, case=case, summary="听证完毕", held_on=D(2025, 4, 21)
    )
    case = flow.discussed(flow.reviewed(case, on=D(2025, 4, 22)), on=D(2025, 4, 23))
    assert decide(flow, case, on=D(2025, 4, 24)).state == "decided"


def test_a_major_decision_needs_a_completed_legal_review(flow):
    case = flow.major()
    before = untouched(case)
    with pytest.raises(ValidationError) as info:
        decide(flow, case)
    message = str(info.value)
    assert "属重大执法决定,未经法制审核" in message and "300,000" in message
    assert untouched(case) == before
    case = s.case_submit_review(
        actor=flow.p.handler, case=case, reviewer=flow.p.legal, submitted_on=D(2025, 4, 10)
    )
    with pytest.raises(ValidationError, match=r"法制审核尚未完成\(审核人:张志强\)"):
        decide(flow, case)
    case = s.case_legal_review(
        actor=flow.p.legal, case=case, passed=True, opinion="同意", reviewed_on=D(2025, 4, 10)
    )
    with pytest.raises(ValidationError, match="须经负责人集体讨论"):
        decide(flow, case)  # 300,000 元 is also above the collective-discussion threshold
    assert decide(flow, flow.discussed(case)).state == "decided"


def test_a_hearing_makes_the_decision_major(flow):
    """APL art. 58: a decision after a hearing is reviewed, whatever the amount."""
    rule = PenaltyRule.objects.get(division=None, party_kind=PartyKind.ORGANISATION)
    rule.hearing_fine_from = Decimal("40000")
    rule.save()
    case = s.case_request_hearing(
        actor=flow.p.handler, case=flow.simple(), requested_on=D(2025, 4, 2)
    )
    case = s.case_schedule_hearing(
        actor=flow.p.handler,
        case=case,
        chair=flow.p.nanhu,
        notice_on=D(2025, 4, 2),
        hearing_on=D(2025, 4, 14),
    )
    case = s.case_hold_hearing(
        actor=flow.p.handler, case=case, summary="听证", held_on=D(2025, 4, 14)
    )
    with pytest.raises(ValidationError, match="经过听证"):
        decide(flow, case, on=D(2025, 4, 16))


def test_the_reviewer_must_hold_the_legal_reviewer_role(flow):
    case = flow.major()
    with pytest.raises(ValidationError, match="不是法制审核人员"):
        s.case_submit_review(
            actor=flow.p.handler, case=case, reviewer=flow.p.nanhu, submitted_on=D(2025, 4, 10)
        )
    case = s.case_submit_review(
        actor=flow.p.handler, case=case, reviewer=flow.p.legal, submitted_on=D(2025, 4, 10)
    )
    with pytest.raises(PermissionDenied, match="法制审核须由法制审核人员办理,陈军不具有该角色"):
        s.case_legal_review(actor=flow.p.handler, case=case, passed=True, opinion="同意")


def test_a_reviewer_who_handled_the_case_cannot_review_it(flow):
    case = flow.major()
    s.case_set_officers(
        actor=flow.p.handler, case=case, officers=[flow.p.beishan, flow.p.handler, flow.p.legal]
    )
    with pytest.raises(ValidationError, match="张志强是本案执法人员,不能担任法制审核人员"):
        s.case_submit_review(
            actor=flow.p.handler, case=case, reviewer=flow.p.legal, submitted_on=D(2025, 4, 10)
        )


def test_only_a_leader_decides(flow):
    with pytest.raises(PermissionDenied, match="作出处罚决定须由局领导办理"):
        s.case_decide(
            actor=flow.p.handler,
            case=flow.simple(),
            penalty_kinds=FINE,
            fine=Decimal("50000"),
            decided_on=D(2025, 4, 15),
        )


@pytest.mark.parametrize("fine", [Decimal("19999"), Decimal("200001")])
def test_fine_outside_the_statutory_range_is_refused_at_notice(flow, fine):
    case = flow.investigating()
    before = untouched(case)
    with pytest.raises(ValidationError) as info:
        s.case_notify(
            actor=flow.p.handler,
            case=case,
            legal_basis=flow.voc,
            penalty_kinds=FINE,
            fine=fine,
            notified_on=D(2025, 4, 1),
        )
    message = info.value.message_dict["fine"][0]
    assert f"罚款{fine:,}元超出法定幅度" in message
    assert (
        "《中华人民共和国大气污染防治法》第一百零八条规定20,000元以上200,000元以下的罚款" in message
    )
    assert untouched(case) == before and PenaltyCase.objects.get(pk=case.pk).notified_on is None


def test_fine_outside_the_range_is_refused_at_decision_too(flow):
    case = flow.simple()
    with pytest.raises(ValidationError, match="罚款10,000元超出法定幅度"):
        decide(flow, case, fine=Decimal("10000"))


def test_statutory_ranges_are_configuration(flow):
    LegalBasis.objects.filter(code="大气法108").update(fine_min=Decimal("50001"))
    with pytest.raises(ValidationError, match="50,001元以上"):
        flow.simple()


def test_fine_only_with_the_kind_fine_and_kinds_known(flow):
    case = flow.investigating()
    with pytest.raises(ValidationError, match="处罚种类不含罚款"):
        s.case_notify(
            actor=flow.p.handler,
            case=case,
            legal_basis=flow.voc,
            penalty_kinds=[PenaltyKind.WARNING],
            fine=Decimal("50000"),
        )
    with pytest.raises(ValidationError, match="未知的处罚种类"):
        s.case_notify(
            actor=flow.p.handler,
            case=case,
            legal_basis=flow.voc,
            penalty_kinds=["flogging"],
            fine=None,
        )
    case = s.case_notify(
        actor=flow.p.handler,
        case=case,
        legal_basis=flow.voc,
        penalty_kinds=[PenaltyKind.WARNING],
        notified_on=D(2025, 4, 1),
    )
    assert decide(flow, case, kinds=[PenaltyKind.WARNING]).fine is None


def test_decision_heavier_than_the_notice_needs_a_new_notice(flow):
    case = flow.simple()
    with pytest.raises(ValidationError, match="罚款60000元高于告知的50000.00元"):
        decide(flow, case, fine=Decimal("60000"))
    with pytest.raises(ValidationError, match="增加了处罚种类责令停产整治"):
        decide(flow, case, kinds=[PenaltyKind.FINE, PenaltyKind.STOP_PRODUCTION])
    assert decide(flow, case, fine=Decimal("40000")).fine == Decimal("40000")


def test_decision_after_the_period_needs_an_extension(flow):
    case = flow.simple()  # opened 2025-03-05: 90 days end on 2025-06-03
    with pytest.raises(ValidationError, match="已超过办案期限2025-06-03,须先经负责人批准延长"):
        decide(flow, case, on=D(2025, 6, 4))
    case = s.case_extend_decision(actor=flow.p.leader, case=case, reason="需要检测")
    assert decide(flow, case, on=D(2025, 6, 4)).state == "decided"


def test_no_opening_after_the_limitation_period(flow, world):
    entity = world.entity_in("北山县")
    with pytest.raises(ValidationError, match="已超过2年,依法不再给予行政处罚"):
        s.case_open(
            actor=flow.p.handler,
            entity=entity,
            division=entity.division,
            source="complaint",
            facts="多年前的倾倒。",
            found_on=D(2025, 3, 3),
            violation_ended_on=D(2023, 3, 2),
            officers=[flow.p.beishan, flow.p.handler],
        )
    assert not PenaltyCase.objects.filter(facts="多年前的倾倒。").exists()  # nor the lead


def test_dates_cannot_be_in_the_future_nor_before_the_last_step(flow):
    case = flow.opened()
    with pytest.raises(ValidationError, match="早于本案上一步骤的日期2025-03-05"):
        s.case_investigate(actor=flow.p.handler, case=case, on=D(2025, 3, 4))
    with pytest.raises(ValidationError, match="晚于今天,不能预先登记"):
        s.case_investigate(actor=flow.p.handler, case=case, on=D(2099, 1, 1))


def test_thresholds_are_per_jurisdiction_and_effective_date(flow):
    """A county's own row wins over the city-wide one, from its effective date on."""
    PenaltyRule.objects.create(
        division=Division.objects.get(name="北山县"),
        party_kind=PartyKind.ORGANISATION,
        effective_from=D(2025, 3, 1),
        hearing_fine_from=Decimal("30000"),
        review_fine_from=Decimal("30000"),
        collective_fine_from=Decimal("500000"),
    )
    beishan = flow.simple()
    assert beishan.hearing_offered and beishan.review_required
    assert not beishan.collective_required
    nanhu = flow.simple(county="南湖县")
    assert not nanhu.hearing_offered and not nanhu.review_required
    PenaltyRule.objects.filter(division__name="北山县").update(effective_from=D(2025, 5, 1))
    earlier = flow.simple()  # notified 2025-04-01, before the county rule took effect
    assert not earlier.hearing_offered


def test_an_individuals_thresholds_are_lower(flow, world):
    entity = world.entity_in("北山县")
    case = s.case_open(
        actor=flow.p.handler,
        division=entity.division,
        source="complaint",
        facts="个人在工地焚烧垃圾。",
        found_on=D(2025, 3, 3),
        opened_on=D(2025, 3, 5),
        officers=[flow.p.beishan, flow.p.handler],
        party_kind=PartyKind.INDIVIDUAL,
        party_name="王某某",
        party_id_number="990121198001010011",
    )
    case = s.case_investigate(actor=flow.p.handler, case=case, on=D(2025, 3, 6))
    dust = LegalBasis.objects.create(
        code="测试扬尘",
        title="《测试条例》第一条",
        violation="扬尘",
        fine_min=Decimal("1000"),
        fine_max=Decimal("10000"),
    )
    case = s.case_notify(
        actor=flow.p.handler,
        case=case,
        legal_basis=dust,
        penalty_kinds=FINE,
        fine=Decimal("5000"),
        notified_on=D(2025, 4, 1),
    )
    assert case.hearing_offered and case.review_required and not case.collective_required


def test_missing_thresholds_are_named(flow):
    PenaltyRule.objects.all().delete()
    with pytest.raises(ValidationError, match="未配置2025-04-01适用于“北山县”的听证与法制审核标准"):
        flow.simple()

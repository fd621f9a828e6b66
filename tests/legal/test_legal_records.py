"""Legislation milestones, counsel, the leading group over time, duties and study sessions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.legal import services as s
from ecogov.legal.models import (
    Bill,
    CounselContract,
    GroupMember,
    LeadingGroup,
    StudySession,
)

D = dt.date


def _bill(docs):
    return s.ledger_save(
        actor=docs.p.legal,
        instance=Bill(title="示例市测试条例", drafting_unit=docs.unit, division=docs.city),
    )


def test_milestones_keep_their_legal_order(docs):
    bill = _bill(docs)
    s.milestone_record(actor=docs.p.legal, bill=bill, kind="submitted", on=D(2025, 3, 1))
    with pytest.raises(ValidationError, match="尚未记录人大常委会表决通过"):
        s.milestone_record(actor=docs.p.legal, bill=bill, kind="approved", on=D(2025, 9, 1))
    with pytest.raises(ValidationError, match="不能早于“报送市人民政府”的日期2025-03-01"):
        s.milestone_record(actor=docs.p.legal, bill=bill, kind="first_reading", on=D(2025, 2, 1))
    s.milestone_record(actor=docs.p.legal, bill=bill, kind="passed", on=D(2025, 8, 28))
    with pytest.raises(ValidationError, match="不能晚于“人大常委会表决通过”"):
        s.milestone_record(actor=docs.p.legal, bill=bill, kind="first_reading", on=D(2025, 9, 1))
    with pytest.raises(ValidationError, match="不能重复记录"):
        s.milestone_record(actor=docs.p.legal, bill=bill, kind="passed", on=D(2025, 8, 29))
    s.milestone_record(actor=docs.p.legal, bill=bill, kind="hearing", on=D(2025, 4, 1))
    s.milestone_record(actor=docs.p.legal, bill=bill, kind="hearing", on=D(2025, 5, 1))
    s.milestone_record(actor=docs.p.legal, bill=bill, kind="approved", on=D(2025, 9, 25))
    assert bill.milestones.count() == 5
    with pytest.raises(PermissionDenied):
        s.milestone_record(actor=docs.p.viewer, bill=bill, kind="promulgated", on=D(2025, 10, 1))


def test_a_counsel_contract_has_its_term_and_fee_in_wan(docs):
    firm = docs.world.organisation("示例律师事务所")
    contract = CounselContract(
        firm=firm,
        title="常年法律顾问",
        division=docs.city,
        signed_on=D(2025, 1, 2),
        term_start=D(2025, 1, 1),
        term_end=D(2024, 12, 31),
        fee_wan=Decimal("6.5"),
        lawyers="甲",
    )
    with pytest.raises(ValidationError, match="服务期截止日期不能早于开始日期"):
        s.ledger_save(actor=docs.p.legal, instance=contract)
    contract.term_end = D(2025, 12, 31)
    contract = s.ledger_save(actor=docs.p.legal, instance=contract)
    assert contract.fee_wan == Decimal("6.5") and contract.lawyer_list() == ["甲"]
    with pytest.raises(ValidationError, match="金额不能为负数"):
        contract.fee_wan = Decimal("-1")
        s.ledger_save(actor=docs.p.legal, instance=contract)


def test_the_leading_group_changes_by_new_rows(world, docs):
    group = LeadingGroup.objects.get()
    deputies_june = {m.name for m in group.members_on(D(2020, 6, 15)) if m.role == "deputy"}
    deputies_july = {m.name for m in group.members_on(D(2020, 7, 15)) if m.role == "deputy"}
    assert deputies_june == {"李卫东"} and deputies_july == {"孙红"}
    member = GroupMember.objects.get(name="王建国")
    member.role = "member"
    with pytest.raises(ValidationError, match="成员变动请填写免职日期"):
        s.ledger_save(actor=docs.p.legal, instance=member)
    member = GroupMember.objects.get(name="王建国")
    member.left_on = D(2025, 6, 30)
    assert s.ledger_save(actor=docs.p.legal, instance=member).left_on == D(2025, 6, 30)


def test_a_study_session_is_not_recorded_ahead_and_viewers_cannot_write(docs):
    session = StudySession(
        division=docs.city, held_on=D(2099, 1, 1), kind="lecture", topic="民法典", attendee_count=20
    )
    with pytest.raises(ValidationError, match="晚于今天"):
        s.ledger_save(actor=docs.p.legal, instance=session)
    session.held_on = D(2025, 5, 1)
    with pytest.raises(PermissionDenied):
        s.ledger_save(actor=docs.p.viewer, instance=session)
    assert s.ledger_save(actor=docs.p.legal, instance=session).pk

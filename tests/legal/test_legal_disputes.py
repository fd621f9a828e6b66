"""Reconsideration and litigation where the bureau answers: the deadlines to answer (working
days for reconsideration, calendar days rolled past holidays for litigation), the steps, the
link to the contested penalty case, masking, and the rates."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ecogov.core.figures import Period, by_key
from ecogov.legal import services as s
from ecogov.legal.figures import legal_figures
from ecogov.legal.models import DisputeCase, LegalPolicy
from ecogov.legal.queries import overdue_items

D = dt.date


def _register(docs, kind="reconsideration", received_on=D(2025, 9, 26), **kw):
    act = kw.pop("act", None)
    data = {
        "kind": kind,
        "forum": "示例市人民政府" if kind == "reconsideration" else "城东区人民法院",
        "applicant_name": "某化工有限公司",
        "act_kind": "penalty",
        "act_description": "行政处罚决定",
        "received_on": received_on,
        "handling_unit": docs.unit,
        "division": docs.city,
        **kw,
    }
    return s.dispute_register(actor=docs.p.legal, data=data, act_record=act)


def test_reconsideration_is_answered_within_10_working_days(docs):
    case = _register(docs)  # Friday before the National Day holiday (1–8 October 2025)
    assert case.answer_due == D(2025, 10, 16) and case.answer_day_kind == "working"
    assert case.state == "received" and case.trial_level == ""


def test_litigation_is_defended_within_15_calendar_days_rolled_past_the_holiday(docs):
    case = _register(docs, kind="litigation", received_on=D(2025, 9, 22))
    # 15 days later is 7 October, inside the holiday: the first working day after it
    assert case.answer_due == D(2025, 10, 9) and case.answer_day_kind == "calendar"
    assert case.trial_level == "first"
    plain = _register(docs, kind="litigation", received_on=D(2025, 3, 3))
    assert plain.answer_due == D(2025, 3, 18)


def test_the_day_types_are_configuration(docs):
    policy = LegalPolicy.current()
    policy.litigation_day_kind = "working"
    policy.save()
    case = _register(docs, kind="litigation", received_on=D(2025, 9, 22))
    assert case.answer_day_kind == "working" and case.answer_due > D(2025, 10, 9)


def test_the_steps_and_their_rules(docs):
    case = _register(docs, kind="litigation", received_on=D(2025, 3, 3))
    assert any(
        i.label.endswith("提交答复(答辩)") and i.due == D(2025, 3, 18)
        for i in overdue_items(docs.p.legal)
    )
    with pytest.raises(ValidationError, match="只能以撤回或调解、和解结案"):
        s.dispute_decide(actor=docs.p.legal, case=case, outcome="upheld", decided_on=D(2025, 5, 6))
    case = s.dispute_answer(actor=docs.p.legal, case=case, answered_on=D(2025, 3, 20))
    assert case.answered_late is True
    with pytest.raises(ValidationError, match="不能再登记答复"):
        s.dispute_answer(actor=docs.p.legal, case=case, answered_on=D(2025, 3, 21))
    with pytest.raises(ValidationError, match="请填写出庭负责人姓名及职务"):
        s.dispute_hearing(
            actor=docs.p.legal, case=case, hearing_on=D(2025, 4, 8), principal_appeared=True
        )
    case = s.dispute_hearing(
        actor=docs.p.legal,
        case=case,
        hearing_on=D(2025, 4, 8),
        principal_appeared=True,
        appearing_person="王建国 局长",
    )
    case = s.dispute_decide(
        actor=docs.p.legal, case=case, outcome="revoked", decided_on=D(2025, 5, 6), note="判决撤销"
    )
    assert case.state == "decided" and case.corrected
    with pytest.raises(ValidationError, match="本案已于2025-05-06审结"):
        s.dispute_decide(actor=docs.p.legal, case=case, outcome="upheld", decided_on=D(2025, 5, 7))
    withdrawn = _register(docs, received_on=D(2025, 3, 3))
    withdrawn = s.dispute_decide(
        actor=docs.p.legal, case=withdrawn, outcome="withdrawn", decided_on=D(2025, 3, 10)
    )
    assert withdrawn.state == "decided"


def test_the_contested_act_links_to_the_penalty_case_without_importing_it(docs, world):
    from ecogov.enforcement.models import PenaltyCase

    penalty = PenaltyCase.objects.filter(number="示环罚〔2020〕12号").get()
    found = s.resolve_act(actor=docs.p.legal, act_kind="penalty", number="示环罚〔2020〕12号")
    assert found == penalty
    with pytest.raises(ValidationError, match="未找到编号为“示环罚〔2020〕999号”"):
        s.resolve_act(actor=docs.p.legal, act_kind="penalty", number="示环罚〔2020〕999号")
    case = _register(docs, act=penalty)
    assert case.act_record == penalty
    demo = DisputeCase.objects.get(reference="示政复〔2020〕17号")
    assert demo.act_record.number == "示环罚〔2020〕12号"


def test_the_rates_come_from_the_cases(docs):
    year = Period.of_year(2025)
    before = by_key(legal_figures(docs.p.legal, year))
    assert before["legal.correction_rate"].value is None  # nothing decided: no rate
    cases = [_register(docs, kind="litigation", received_on=D(2025, 3, 3)) for _ in range(3)]
    for case, outcome, appeared in zip(
        cases, ["upheld", "changed", "confirmed_illegal"], [True, False, True], strict=True
    ):
        case = s.dispute_answer(actor=docs.p.legal, case=case, answered_on=D(2025, 3, 10))
        case = s.dispute_hearing(
            actor=docs.p.legal,
            case=case,
            hearing_on=D(2025, 4, 8),
            principal_appeared=appeared,
            appearing_person="王建国 局长" if appeared else "",
        )
        s.dispute_decide(actor=docs.p.legal, case=case, outcome=outcome, decided_on=D(2025, 5, 6))
    recon = _register(docs, received_on=D(2025, 3, 3))
    s.dispute_decide(actor=docs.p.legal, case=recon, outcome="withdrawn", decided_on=D(2025, 3, 9))
    f = by_key(legal_figures(docs.p.legal, year))
    assert f["litigation.cases"].value == 3 and f["reconsideration.cases"].value == 1
    assert f["legal.decided"].value == 4 and f["legal.corrected"].value == 2
    assert f["legal.correction_rate"].value == Decimal("50.0")
    assert f["legal.correction_rate"].parts == ("legal.corrected", "legal.decided")
    assert f["legal.loss_rate"].value == Decimal("66.7")  # 2 of 3 judgments
    assert f["reconsideration.correction_rate"].value == Decimal("0.0")
    assert f["litigation.appearance_rate"].value == Decimal("66.7")  # 2 of 3 hearings


def test_the_applicant_is_masked_for_those_who_do_not_handle_the_case(docs, login):
    case = _register(
        docs,
        applicant_kind="individual",
        applicant_name="张三丰",
        applicant_id_number="990102198001011234",
        applicant_phone="13912345678",
    )
    viewer = login("viewer").get(f"/api/legal/disputes/{case.pk}/").json()
    assert viewer["applicant_name"] == "张**"
    assert viewer["applicant_id_number"] == "990102********1234"
    assert viewer["applicant_phone"] == "139****5678"
    legal = login("legal").get(f"/api/legal/disputes/{case.pk}/").json()
    assert legal["applicant_name"] == "张三丰" and legal["applicant_phone"] == "13912345678"
    page = login("viewer").get(f"/admin/legal/disputecase/{case.pk}/change/").content.decode()
    assert "13912345678" not in page and "139****5678" in page

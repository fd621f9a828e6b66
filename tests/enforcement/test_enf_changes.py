"""A decision changed afterwards (docs/enforcement.md §11): revoked, changed or confirmed
illegal with the linked ruling; the figures and the public disclosures follow the final state."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from ecogov.core.figures import Period
from ecogov.enforcement import services as s
from ecogov.enforcement.figures import enforcement_figures
from ecogov.enforcement.models import CaseDisclosure, PenaltyCase
from ecogov.enforcement.queries import public_disclosures, withdrawn_disclosure_notices

D = dt.date
API = "/api/enforcement/cases/"


def dispute_about(case, outcome):
    from ecogov.legal.models import DisputeCase

    return DisputeCase.objects.create(
        kind="litigation",
        trial_level="first",
        forum="北山县人民法院",
        reference="(2025)示0102行初8号",
        division=case.division,
        handling_unit=case.organisation,
        applicant_name=case.party_name,
        act_kind="penalty",
        act_description=f"{case.number}行政处罚决定",
        act_content_type=ContentType.objects.get_for_model(PenaltyCase),
        act_object_id=case.pk,
        received_on=D(2025, 5, 10),
        state="decided",
        decided_on=D(2025, 9, 1),
        outcome=outcome,
    )


def figures(user, key):
    return {f.key: f for f in enforcement_figures(user, Period.of_year(2025))}[key]


def test_a_revoked_decision_is_withdrawn_from_the_portal_with_a_notice(flow):
    case = flow.executing()
    leader = flow.p.leader
    assert public_disclosures().filter(case=case).exists()
    before = figures(leader, "enforcement.decisions")
    assert before.records.filter(pk=case.pk).exists()
    with pytest.raises(ValidationError, match="关联复议应诉案件或填写"):
        s.case_change_decision(
            actor=flow.p.handler, case=case, kind="revoked", by="lawsuit", reason="事实不清。"
        )
    wrong = dispute_about(case, "upheld")
    with pytest.raises(ValidationError, match="与本次登记的“撤销”不符"):
        s.case_change_decision(
            actor=flow.p.handler,
            case=case,
            kind="revoked",
            by="lawsuit",
            reason="事实不清。",
            dispute=wrong.pk,
        )
    dispute = dispute_about(case, "revoked")
    case = s.case_change_decision(
        actor=flow.p.handler,
        case=case,
        kind="revoked",
        by="lawsuit",
        reason="认定事实不清,证据不足。",
        ruling_on=D(2025, 9, 1),
        dispute=dispute.pk,
        withdrawn_on=D(2025, 9, 3),
    )
    assert case.state == "revoked" and case.is_terminal
    change = case.decision_changes.get()
    assert change.dispute_id == dispute.pk and change.withdrawal_due == D(2025, 9, 4)
    disclosure = CaseDisclosure.objects.get(case=case)
    assert disclosure.withdrawn_on == D(2025, 9, 3)
    assert case.number in disclosure.withdrawal_notice and "撤销" in disclosure.withdrawal_notice
    assert not public_disclosures().filter(case=case).exists()
    assert withdrawn_disclosure_notices().filter(case=case).exists()
    types = list(case.events.order_by("-seq").values_list("type", flat=True)[:2])
    assert types == ["disclosure_withdrawn", "decision_changed"]
    after = figures(leader, "enforcement.decisions")
    assert after.value == before.value - 1 and not after.records.filter(pk=case.pk).exists()
    assert figures(leader, "enforcement.disclosures_withdrawn").records.filter(case=case).exists()
    from ecogov.enforcement.chain import verify_case

    assert verify_case(case, files=False).ok


def test_a_changed_fine_is_what_the_figures_and_the_portal_show(flow):
    case = flow.executing()
    imposed = figures(flow.p.leader, "enforcement.fines.imposed").value
    with pytest.raises(ValidationError, match="变更后的罚款金额"):
        s.case_change_decision(
            actor=flow.p.handler,
            case=case,
            kind="changed",
            by="self_correction",
            reason="裁量过重。",
        )
    case = s.case_change_decision(
        actor=flow.p.handler,
        case=case,
        kind="changed",
        by="self_correction",
        reason="裁量过重,依法变更。",
        fine_after=Decimal(30000),
        ruling_on=D(2025, 6, 1),
    )
    assert case.fine == 30000 and case.state == "executing"
    disclosure = public_disclosures().get(case=case)
    assert "30,000.00" in disclosure.content and "变更" in disclosure.withdrawal_notice
    assert figures(flow.p.leader, "enforcement.fines.imposed").value == imposed - Decimal("2")


def test_confirmed_illegal_through_the_api(flow, login):
    case = flow.executing()
    client = login("inspector")
    refused = client.post(
        f"{API}{case.pk}/steps/change_decision/",
        {"kind": "confirmed_illegal", "by": "reconsideration", "reason": "程序违法。"},
        "application/json",
    )
    assert refused.status_code == 400 and "文号" in refused.json()["ruling_reference"][0]
    ok = client.post(
        f"{API}{case.pk}/steps/change_decision/",
        {
            "kind": "confirmed_illegal",
            "by": "reconsideration",
            "reason": "程序违法。",
            "ruling_reference": "示政复决〔2025〕5号",
            "ruling_on": "2025-08-01",
            "late_entry_reason": "历史案卷补录",
        },
        "application/json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["state"] == "executing"
    assert not public_disclosures().filter(case=case).exists()
    pk = CaseDisclosure.objects.get(case=case).pk
    row = client.get(f"/api/enforcement/disclosures/{pk}/").json()
    assert row["case"] == case.number and row["withdrawn_on"]
    assert "确认违法" in row["withdrawal_notice"]

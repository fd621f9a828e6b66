"""Disclosure of penalty decisions: due dates, what is due, personal data masked."""

import datetime as dt
from decimal import Decimal

from ecogov.enforcement import services as s
from ecogov.enforcement.models import CaseDisclosure, LegalBasis, PartyKind, PenaltyKind
from ecogov.enforcement.queries import disclosures_due

D = dt.date
FINE = [PenaltyKind.FINE]


def _individual_decided(flow, world):
    entity = world.entity_in("北山县")
    case = s.case_open(
        actor=flow.p.handler,
        division=entity.division,
        source="complaint",
        facts="当事人王小明(身份证号990121198001010011,电话13912345678)在自家院内露天焚烧废旧轮胎。",
        found_on=D(2025, 3, 3),
        opened_on=D(2025, 3, 5),
        officers=[flow.p.beishan, flow.p.handler],
        party_kind=PartyKind.INDIVIDUAL,
        party_name="王小明",
        party_id_number="990121198001010011",
        party_phone="13912345678",
    )
    case = s.case_investigate(actor=flow.p.handler, case=case, on=D(2025, 3, 6))
    burning = LegalBasis.objects.create(
        code="大气法119",
        title="《中华人民共和国大气污染防治法》第一百一十九条",
        violation="露天焚烧",
        fine_min=Decimal("500"),
        fine_max=Decimal("2000"),
    )
    case = s.case_notify(
        actor=flow.p.handler,
        case=case,
        legal_basis=burning,
        penalty_kinds=FINE,
        fine=Decimal("1000"),
        notified_on=D(2025, 4, 1),
    )
    return s.case_decide(
        actor=flow.p.leader,
        case=case,
        penalty_kinds=FINE,
        fine=Decimal("1000"),
        decided_on=D(2025, 4, 15),
    )


def test_a_decision_is_due_for_publication_within_seven_working_days(flow):
    case = flow.decided()
    disclosure = case.disclosure
    assert disclosure.due_on == D(2025, 4, 24) and not disclosure.due_provisional
    assert disclosure in set(disclosures_due(flow.p.beishan))
    assert disclosure not in set(disclosures_due(flow.p.nanhu))  # another county's decision
    case = s.case_serve(actor=flow.p.handler, case=case, method="direct", served_on=D(2025, 4, 16))
    s.case_disclose(actor=flow.p.handler, case=case, published_on=D(2025, 4, 24))
    disclosure.refresh_from_db()
    assert disclosure.published_on == D(2025, 4, 24) and disclosure.on_time
    assert disclosure not in set(disclosures_due(flow.p.beishan))


def test_a_late_publication_is_recorded_as_late(flow):
    case = s.case_serve(
        actor=flow.p.handler, case=flow.decided(), method="direct", served_on=D(2025, 4, 16)
    )
    case = s.case_disclose(actor=flow.p.handler, case=case, published_on=D(2025, 4, 25))
    assert case.disclosure.on_time is False
    assert case.events.get(type="disclosed").payload["on_time"] is False


def test_published_content_masks_a_natural_persons_identity(flow, world):
    case = _individual_decided(flow, world)
    case = s.case_serve(actor=flow.p.handler, case=case, method="direct", served_on=D(2025, 4, 16))
    case = s.case_disclose(actor=flow.p.handler, case=case, published_on=D(2025, 4, 18))
    disclosure = CaseDisclosure.objects.get(case=case)
    text = disclosure.title + disclosure.content
    assert "王小明" not in text and "王**" in text
    assert "990121198001010011" not in text and "990121********0011" in text
    assert "13912345678" not in text and "139****5678" in text
    assert "罚款人民币1,000.00元" in text and case.number in text
    assert "《中华人民共和国大气污染防治法》第一百一十九条" in text


def test_an_organisations_name_stays_and_its_representative_is_masked(flow):
    case = flow.opened()
    representative = case.party_representative
    assert representative
    s.case_update(
        actor=flow.p.handler,
        case=case,
        data={"facts": f"经询问法定代表人{representative},废气未经收集直排。"},
    )
    case = s.case_investigate(actor=flow.p.handler, case=case, on=D(2025, 3, 6))
    case = s.case_notify(
        actor=flow.p.handler,
        case=case,
        legal_basis=flow.voc,
        penalty_kinds=FINE,
        fine=Decimal("50000"),
        notified_on=D(2025, 4, 1),
    )
    case = s.case_decide(
        actor=flow.p.leader,
        case=case,
        penalty_kinds=FINE,
        fine=Decimal("50000"),
        decided_on=D(2025, 4, 15),
    )
    case = s.case_serve(actor=flow.p.handler, case=case, method="direct", served_on=D(2025, 4, 16))
    content = s.case_disclose(
        actor=flow.p.handler, case=case, published_on=D(2025, 4, 18)
    ).disclosure.content
    assert case.party_name in content and case.party_id_number in content
    assert representative not in content and representative[0] + "*" in content

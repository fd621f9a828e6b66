"""The fair-competition review and the review kinds a bureau adds: outcomes, the exception's
ground, what blocks issuance; and the legal section's one work list across areas."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ecogov.core.reviews import review_count_for, review_items_for
from ecogov.legal import services as s
from ecogov.legal.models import (
    OutcomeSet,
    PolicyMeasure,
    Requirement,
    ReviewKind,
    ReviewState,
)

D = dt.date


def _market_doc(docs, **kw):
    return docs.reviewed(title="示例市涉企管理办法", affects_market=True, **kw)


def _deliberate(docs, doc):
    return s.document_deliberate(
        actor=docs.p.legal,
        document=doc,
        meeting="局党组会",
        conclusion="同意",
        deliberated_on=D(2025, 4, 24),
    )


def test_a_document_touching_market_activity_needs_the_fair_competition_review(docs):
    doc = _deliberate(docs, _market_doc(docs))
    with pytest.raises(ValidationError, match="未经公平竞争审查"):
        s.document_register(actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 25))
    review = docs.fair_review(doc)
    assert review.passing and review.due_on == D(2025, 5, 8)  # 15 working days (May Day)
    doc = s.document_register(actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 25))
    assert doc.number


def test_an_exception_needs_its_ground(docs):
    doc = _market_doc(docs)
    review = s.review_submit(
        actor=docs.p.legal, subject=doc, kind=docs.fair, submitted_on=D(2025, 4, 21)
    )
    with pytest.raises(ValidationError) as refused:
        s.review_record(
            actor=docs.p.legal, review=review, outcome="exception", reviewed_on=D(2025, 4, 22)
        )
    assert "公平竞争审查条例第十二条" in refused.value.message_dict["exception_ground"][0]
    with pytest.raises(ValidationError, match="只有结论为“适用例外规定”时才填写例外依据"):
        s.review_record(
            actor=docs.p.legal,
            review=review,
            outcome="compliant",
            exception_ground="为保护生态环境",
            reviewed_on=D(2025, 4, 22),
        )
    done = s.review_record(
        actor=docs.p.legal,
        review=review,
        outcome="exception",
        exception_ground="为实现保护生态环境等社会公共利益",
        reviewed_on=D(2025, 4, 22),
    )
    assert done.passing and done.exception_ground
    with pytest.raises(ValidationError, match="不能重复记录"):
        s.review_record(
            actor=docs.p.legal, review=done, outcome="compliant", reviewed_on=D(2025, 4, 22)
        )


def test_not_to_be_issued_blocks_until_a_later_review_passes(docs):
    doc = _market_doc(docs)
    review = s.review_submit(
        actor=docs.p.legal, subject=doc, kind=docs.fair, submitted_on=D(2025, 4, 15)
    )
    with pytest.raises(ValidationError, match="须写明审查意见"):
        s.review_record(
            actor=docs.p.legal, review=review, outcome="not_to_issue", reviewed_on=D(2025, 4, 18)
        )
    s.review_record(
        actor=docs.p.legal,
        review=review,
        outcome="not_to_issue",
        opinion="设置了地方保护条款",
        reviewed_on=D(2025, 4, 18),
    )
    doc = _deliberate(docs, doc)
    with pytest.raises(ValidationError, match="公平竞争审查结论为“不得出台”"):
        s.document_register(actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 25))
    docs.fair_review(doc, on=D(2025, 4, 24), done=D(2025, 4, 24))  # the clause taken out
    assert s.document_register(
        actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 25)
    ).number


def test_a_measure_is_issued_only_when_no_review_blocks_it(docs):
    data = {
        "title": "涉企白名单方案",
        "kind": "实施方案",
        "drafting_unit": docs.unit,
        "division": docs.city,
        "affects_market": True,
        "drafted_on": D(2025, 3, 3),
    }
    measure = s.measure_create(actor=docs.p.legal, data=data)
    with pytest.raises(ValidationError, match="未经公平竞争审查"):
        s.measure_issue(actor=docs.p.legal, measure=measure, issued_on=D(2025, 3, 20))
    docs.fair_review(
        measure, outcome="not_to_issue", opinion="差别待遇", on=D(2025, 3, 10), done=D(2025, 3, 14)
    )
    with pytest.raises(ValidationError, match="不能出台:公平竞争审查结论为“不得出台”"):
        s.measure_issue(actor=docs.p.legal, measure=measure, issued_on=D(2025, 3, 20))
    measure = s.measure_abandon(
        actor=docs.p.legal, measure=measure, reason="不得出台", on=D(2025, 3, 20)
    )
    assert measure.state == "abandoned"
    plain = s.measure_create(
        actor=docs.p.legal, data={**data, "title": "工作方案", "affects_market": False}
    )
    assert (
        s.measure_issue(actor=docs.p.legal, measure=plain, issued_on=D(2025, 3, 20)).state
        == "issued"
    )


def test_a_review_kind_added_by_the_bureau_is_required_as_configured(docs):
    kind = ReviewKind.objects.create(
        code="stability_risk",
        name="社会稳定风险评估",
        outcome_set=OutcomeSet.LEGALITY,
        requirement=Requirement.ALWAYS,
    )
    doc = _deliberate(docs, docs.reviewed())
    with pytest.raises(ValidationError, match="未经社会稳定风险评估"):
        s.document_register(actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 25))
    review = s.review_submit(actor=docs.p.eia, subject=doc, kind=kind, submitted_on=D(2025, 4, 24))
    with pytest.raises(ValidationError, match="社会稳定风险评估尚未完成"):
        s.document_register(actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 25))
    # not a legal-section-only kind: the drafting section records it
    s.review_record(actor=docs.p.eia, review=review, outcome="passed", reviewed_on=D(2025, 4, 24))
    assert s.document_register(
        actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 25)
    ).number
    kind.is_active = False
    kind.save()
    other = _deliberate(docs, docs.reviewed(title="停用后"))
    assert s.document_register(
        actor=docs.p.legal, document=other, registered_on=D(2025, 4, 25)
    ).number


def test_the_legality_review_is_submitted_only_through_the_document(docs):
    doc = docs.consulted()
    with pytest.raises(ValidationError, match="提交合法性审核"):
        s.review_submit(
            actor=docs.p.legal, subject=doc, kind=ReviewKind.objects.get(code="legality")
        )
    s.review_submit(actor=docs.p.legal, subject=doc, kind=docs.fair, submitted_on=D(2025, 4, 14))
    with pytest.raises(ValidationError, match="已在进行中"):
        s.review_submit(
            actor=docs.p.legal, subject=doc, kind=docs.fair, submitted_on=D(2025, 4, 14)
        )


def test_the_work_list_has_every_waiting_review_of_every_area(docs, world):
    from ecogov.enforcement import services as enf
    from ecogov.enforcement.models import LegalBasis, PenaltyKind

    doc = docs.in_review(title="待审文件")
    contract = s.contract_review_submit(
        actor=docs.p.eia,
        data={
            "title": "监测设备采购合同",
            "counterparty": "某公司",
            "amount_wan": Decimal("20"),
            "submitting_unit": docs.unit,
            "submitted_on": D(2025, 4, 15),
        },
    )
    entity = world.entity_in("北山县")
    inspector = world.user("inspector")
    case = enf.case_open(
        actor=inspector,
        entity=entity,
        division=entity.division,
        source="complaint",
        facts="超标排放。",
        found_on=D(2025, 3, 3),
        opened_on=D(2025, 3, 5),
        officers=[world.user("beishan_staff"), inspector],
    )
    case = enf.case_investigate(actor=inspector, case=case, on=D(2025, 3, 6))
    case = enf.case_notify(
        actor=inspector,
        case=case,
        legal_basis=LegalBasis.objects.get(code="大气法99"),
        penalty_kinds=[PenaltyKind.FINE],
        fine=Decimal("300000"),
        notified_on=D(2025, 4, 1),
    )
    case = enf.case_record_waiver(actor=inspector, case=case, note="放弃", waived_on=D(2025, 4, 2))
    case = enf.case_submit_review(
        actor=inspector, case=case, reviewer=docs.p.legal, submitted_on=D(2025, 4, 3)
    )
    items = review_items_for(docs.p.legal)
    assert review_count_for(docs.p.legal) == len(items)  # the dashboard's count, in SQL
    kinds = {(i.area, i.kind) for i in items}
    assert {
        ("legal", "合法性审核"),
        ("legal", "合同合法性审查"),
        ("enforcement", "重大执法决定法制审核"),
    } <= kinds
    labels = [i.label for i in items]
    assert str(doc) in labels and f"{case.number} {case.title}" in labels
    assert any(contract.title in label for label in labels)
    dated = [i.due for i in items if i.due]
    assert dated == sorted(dated)
    enforcement_item = next(i for i in items if i.area == "enforcement")
    assert enforcement_item.due == case.review_due and enforcement_item.due is not None
    # a county user sees neither the city's documents nor this case's review list entries
    county = {i.label for i in review_items_for(world.user("nanhu_staff"))}
    assert review_count_for(world.user("nanhu_staff")) == len(county)
    assert str(doc) not in county and f"{case.number} {case.title}" not in county
    # done reviews leave the list
    s.review_record(
        actor=docs.p.legal, review=docs.legality(doc), outcome="passed", reviewed_on=D(2025, 4, 21)
    )
    assert str(doc) not in [i.label for i in review_items_for(docs.p.legal)]
    assert review_count_for(docs.p.legal) == len(items) - 1
    assert doc.reviews.get().state == ReviewState.DONE


def test_measures_are_scoped_and_listed(docs):
    assert PolicyMeasure.objects.visible_to(docs.p.beishan).count() == 0
    assert PolicyMeasure.objects.visible_to(docs.p.legal).exists()

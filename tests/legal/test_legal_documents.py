"""A normative document's life through the services, and the rules they enforce
(docs/legal.md §3 and "Rules")."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.legal import services as s
from ecogov.legal.models import LegalEvent, NormativeDocument, PolicyReview, ReviewState
from ecogov.legal.queries import documents_in_force, filings_due, overdue_items

D = dt.date


def test_the_whole_life_from_draft_to_repeal(docs):
    doc = docs.filed()
    assert doc.state == "in_force" and doc.number.startswith("示环规〔2025〕")
    assert doc.effective_from == D(2025, 4, 28) and doc.valid_until == D(2030, 4, 27)
    assert doc.in_force_on(D(2025, 6, 1)) and not doc.in_force_on(D(2025, 4, 29))  # published 4-30
    assert doc in documents_in_force(docs.p.legal, D(2025, 6, 1))
    doc = s.document_repeal(actor=docs.p.legal, document=doc, reason="上位法修改", on=D(2025, 9, 1))
    assert doc.state == "repealed" and doc.in_force_until == D(2025, 8, 31)
    assert not doc.in_force_on(D(2025, 9, 1)) and doc.in_force_on(D(2025, 8, 31))
    types = list(
        LegalEvent.objects.filter(
            object_id=doc.pk, content_type__model="normativedocument"
        ).values_list("type", flat=True)
    )
    assert types == [
        "drafted",
        "consultation_started",
        "consultation_closed",
        "review_submitted",
        "review_recorded",
        "deliberated",
        "registered",
        "issued",
        "published",
        "filed",
        "ended",
    ]


def test_a_step_out_of_order_is_refused_naming_the_state(docs):
    doc = docs.draft()
    with pytest.raises(ValidationError, match="文件当前为“起草中”,不能记录集体审议"):
        s.document_deliberate(
            actor=docs.p.legal,
            document=doc,
            meeting="局党组会",
            conclusion="同意",
            deliberated_on=D(2025, 3, 5),
        )


def test_consultation_shorter_than_30_days_needs_its_reason(docs):
    doc = s.document_start_consultation(
        actor=docs.p.legal, document=docs.draft(), started_on=D(2025, 3, 10), channel="政府门户网站"
    )
    with pytest.raises(ValidationError, match="仅29日,少于30日") as refused:
        s.document_close_consultation(actor=docs.p.legal, document=doc, ended_on=D(2025, 4, 8))
    assert "ended_on" in refused.value.message_dict
    assert NormativeDocument.objects.get(pk=doc.pk).state == "consultation"
    # exactly 30 days is enough
    ok = s.document_close_consultation(actor=docs.p.legal, document=doc, ended_on=D(2025, 4, 9))
    assert ok.state == "drafting" and ok.consultation_exception == ""
    short = s.document_start_consultation(
        actor=docs.p.legal,
        document=docs.draft(title="急件"),
        started_on=D(2025, 3, 10),
        channel="政府门户网站",
    )
    short = s.document_close_consultation(
        actor=docs.p.legal,
        document=short,
        ended_on=D(2025, 3, 20),
        exception_reason="应对突发环境事件,需尽快施行",
    )
    assert short.consultation_exception == "应对突发环境事件,需尽快施行"
    event = LegalEvent.objects.filter(object_id=short.pk, type="consultation_closed").get()
    assert event.payload["shortened"] is True and event.payload["days"] == 10


def test_a_document_affecting_the_public_goes_to_review_only_after_consultation(docs):
    doc = docs.draft()
    with pytest.raises(ValidationError, match="须先公开征求意见"):
        s.document_submit_review(actor=docs.p.legal, document=doc, submitted_on=D(2025, 3, 5))
    inner = docs.draft(title="内部管理规定", affects_public=False)
    assert (
        s.document_submit_review(
            actor=docs.p.legal, document=inner, submitted_on=D(2025, 3, 5)
        ).state
        == "legality_review"
    )
    waived = s.document_waive_consultation(actor=docs.p.legal, document=doc, reason="涉及国家秘密")
    waived = s.document_submit_review(
        actor=docs.p.legal, document=waived, submitted_on=D(2025, 3, 5)
    )
    assert waived.state == "legality_review"


def test_the_legality_review_is_due_in_15_working_days_and_only_a_reviewer_concludes(docs):
    doc = docs.in_review(on=D(2025, 9, 26))  # National Day holiday 1–8 October 2025
    review = docs.legality(doc)
    assert review.due_on == D(2025, 10, 23) and not review.due_provisional
    with pytest.raises(PermissionDenied, match="须由法制审核人员办理"):
        s.review_record(
            actor=docs.p.eia, review=review, outcome="passed", reviewed_on=D(2025, 10, 9)
        )
    with pytest.raises(ValidationError, match="合法性审核的结论只能是"):
        s.review_record(
            actor=docs.p.legal, review=review, outcome="compliant", reviewed_on=D(2025, 10, 9)
        )


def test_a_failed_review_returns_the_draft_and_a_second_review_can_pass(docs):
    doc = docs.reviewed(outcome="failed")
    assert doc.state == "drafting"
    with pytest.raises(ValidationError, match="不能统一印发|不能印发"):
        s.document_issue(actor=docs.p.legal, document=doc, issued_on=D(2025, 4, 25))
    doc = s.document_submit_review(actor=docs.p.legal, document=doc, submitted_on=D(2025, 4, 22))
    s.review_record(
        actor=docs.p.legal, review=docs.legality(doc), outcome="passed", reviewed_on=D(2025, 4, 23)
    )
    assert NormativeDocument.objects.get(pk=doc.pk).state == "reviewed"
    assert doc.reviews.filter(state=ReviewState.DONE).count() == 2


def test_issuance_without_a_passed_legality_review_is_refused_with_the_reason(docs):
    doc = docs.in_review()
    with pytest.raises(ValidationError) as refused:
        s.document_issue(actor=docs.p.legal, document=doc, issued_on=D(2025, 4, 25))
    assert "合法性审核尚未完成" in refused.value.message_dict["issued_on"][0]
    never = docs.draft(title="未审核文件", affects_public=False)
    with pytest.raises(ValidationError, match="未经合法性审核"):
        s.document_issue(actor=docs.p.legal, document=never)
    with pytest.raises(ValidationError, match="未经合法性审核"):
        s.document_register(actor=docs.p.legal, document=never)
    assert NormativeDocument.objects.get(pk=never.pk).number is None


def test_problems_found_by_the_review_block_registration_until_fixed(docs):
    doc = docs.reviewed(outcome="passed_with_changes", issues="第五条超越权限")
    doc = s.document_deliberate(
        actor=docs.p.legal,
        document=doc,
        meeting="局务会",
        conclusion="同意",
        deliberated_on=D(2025, 4, 24),
    )
    with pytest.raises(ValidationError, match="合法性审核发现的问题尚未整改"):
        s.document_register(actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 25))
    s.review_resolve(
        actor=docs.p.legal,
        review=doc.reviews.get(),
        resolution="已删除第五条",
        resolved_on=D(2025, 4, 24),
    )
    doc = s.document_register(actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 25))
    assert doc.state == "registered" and doc.number


def test_a_document_is_numbered_once(docs):
    doc = docs.registered()
    number = doc.number
    with pytest.raises(ValidationError) as refused:
        s.document_register(actor=docs.p.legal, document=doc, registered_on=D(2025, 4, 26))
    assert refused.value.message_dict["number"] == [
        f"本文件已统一登记编号为{number},不能重复编号。"
    ]
    doc.refresh_from_db()
    assert doc.number == number
    issued = s.document_issue(actor=docs.p.legal, document=doc, issued_on=D(2025, 4, 28))
    with pytest.raises(ValidationError, match="不能重复编号"):
        s.document_register(actor=docs.p.legal, document=issued)


def test_the_filing_deadline_runs_from_issuance_and_a_late_filing_is_recorded(docs):
    # 30 calendar days from 2025-09-05 is 2025-10-05, inside the National Day holiday:
    # the deadline moves to the first working day after it
    doc = docs.registered()
    doc = s.document_issue(actor=docs.p.legal, document=doc, issued_on=D(2025, 9, 5))
    assert doc.filing_due == D(2025, 10, 9)
    doc = s.document_publish(
        actor=docs.p.legal, document=doc, published_on=D(2025, 9, 8), channel="政府门户网站"
    )
    assert doc in filings_due(docs.p.legal)
    labels = [i.label for i in overdue_items(docs.p.legal)]
    assert f"{doc} 报送备案" in labels  # 2025-10-09 is past: overdue on the dashboard
    doc = s.document_file(actor=docs.p.legal, document=doc, filed_on=D(2025, 10, 20))
    assert doc.filing_late is True and doc.filing_authority == "市司法局"
    assert LegalEvent.objects.get(object_id=doc.pk, type="filed").payload["late"] is True
    assert doc not in filings_due(docs.p.legal)


def test_validity_is_five_years_or_two_for_a_trial_and_can_be_renewed(docs):
    trial = docs.filed(title="示例市某某办法(试行)", is_trial=True)
    assert trial.valid_until == D(2027, 4, 27)
    doc = docs.filed(title="示例市另一办法")
    assert doc.valid_until == D(2030, 4, 27)
    with pytest.raises(ValidationError, match="续期后的有效期应晚于原有效期"):
        s.document_evaluate(
            actor=docs.p.legal,
            document=doc,
            conclusion="继续施行",
            evaluated_on=D(2025, 12, 1),
            extend_until=D(2029, 1, 1),
        )
    doc = s.document_evaluate(
        actor=docs.p.legal,
        document=doc,
        conclusion="继续施行",
        evaluated_on=D(2025, 12, 1),
        extend_until=D(2032, 4, 27),
    )
    assert doc.valid_until == doc.in_force_until == D(2032, 4, 27) and doc.state == "in_force"


def test_an_ended_document_accepts_no_more_steps(docs):
    doc = s.document_expire(
        actor=docs.p.legal, document=docs.filed(), reason="有效期届满", on=D(2025, 6, 1)
    )
    with pytest.raises(ValidationError, match="文件当前为“已失效”"):
        s.document_repeal(actor=docs.p.legal, document=doc, reason="x", on=D(2025, 6, 2))


def test_abandoning_a_draft_withdraws_its_running_reviews(docs):
    doc = docs.in_review()
    doc = s.document_abandon(actor=docs.p.legal, document=doc, reason="不再需要", on=D(2025, 4, 20))
    assert doc.state == "abandoned"
    assert PolicyReview.objects.get(document=doc).state == ReviewState.WITHDRAWN


def test_a_withdrawn_review_takes_no_conclusion(docs):
    # a stale form or an API call on the review of an abandoned draft: a clear refusal
    doc = docs.in_review()
    review = docs.legality(doc)
    s.document_abandon(actor=docs.p.legal, document=doc, reason="不再需要", on=D(2025, 4, 20))
    with pytest.raises(ValidationError, match="该审查已撤回") as refused:
        s.review_record(
            actor=docs.p.legal, review=review, outcome="passed", reviewed_on=D(2025, 4, 21)
        )
    assert "outcome" in refused.value.message_dict
    review.refresh_from_db()
    assert review.state == ReviewState.WITHDRAWN and review.reviewed_on is None


def test_only_writers_in_the_territory_act(docs):
    with pytest.raises(PermissionDenied):
        docs.draft(actor=docs.p.viewer)
    doc = docs.draft()
    with pytest.raises(PermissionDenied):
        s.document_update(actor=docs.p.beishan, document=doc, data={"title": "改"})
    with pytest.raises(PermissionDenied):
        s.document_waive_consultation(actor=docs.p.viewer, document=doc, reason="x")


def test_a_future_date_is_refused(docs):
    with pytest.raises(ValidationError, match="晚于今天"):
        docs.draft(on=D(2099, 1, 1))

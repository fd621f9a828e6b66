"""示例市's story from the random draw to the closed case (issue 17): the inspections the
draw chose that found a violation opened the cases, which went on to their end through the
services, some with a seizure, a daily penalty, the court or a withdrawn disclosure."""

from decimal import Decimal

from django.urls import reverse

from ecogov.enforcement.chain import verify_case
from ecogov.enforcement.models import (
    CaseDisclosure,
    CoerciveMeasure,
    CompulsoryExecution,
    DailyPenalty,
    PenaltyCase,
)
from ecogov.inspections.models import InspectionRecord


def test_random_findings_lead_to_the_cases_they_opened_and_on_to_their_end(world, login):
    opened = InspectionRecord.objects.filter(type="random", outcome="case_opened")
    assert opened.count() >= 10
    cases = {
        c.number: c for c in PenaltyCase.objects.filter(inspection_ref__in=opened.values("number"))
    }
    for record in opened:
        case = cases[record.case_number]  # the record names its case, the case its record
        assert case.inspection_ref == record.number and case.source == "random_inspection"
        assert record.draw_check is not None  # the entity was drawn
        first = list(case.events.order_by("seq").values_list("type", flat=True)[:2])
        assert first == ["lead_registered", "opened"]  # the check's officers, then 立案
    closed = [c for c in cases.values() if c.state == "closed"]
    assert len(closed) >= len(cases) // 2
    story = closed[0]
    assert verify_case(story, files=False).ok
    page = login("leader").get(reverse("admin:enforcement_penaltycase_change", args=[story.pk]))
    html = page.content.decode()
    record = opened.get(case_number=story.number)
    assert reverse("admin:inspections_inspectionrecord_change", args=[record.pk]) in html
    assert reverse("admin:inspections_draw_change", args=[record.draw_check.draw_id]) in html


def test_the_demo_goes_past_payment(world):
    assert CoerciveMeasure.objects.filter(kind="seizure", released_on__isnull=False).count() == 3
    daily = DailyPenalty.objects.get()
    assert daily.continuing and daily.amount == daily.days * daily.daily_amount
    court = CompulsoryExecution.objects.filter(applied_on__isnull=False)
    assert sorted(court.values_list("outcome", flat=True)) == ["paid", "unenforceable"]
    for compulsory in court:
        assert compulsory.window_opens <= compulsory.applied_on <= compulsory.window_closes
        assert compulsory.case.state == "closed"
    nothing = court.get(outcome="unenforceable").case
    assert nothing.paid < nothing.fine and "终结本次执行" in nothing.ending_reason
    paid = court.get(outcome="paid").case
    assert paid.paid > paid.fine  # with the surcharge
    deferred = PenaltyCase.objects.get(payment_plans__approved=True)
    assert (
        deferred.state == "executing"
        and deferred.step_due == deferred.payment_plans.get().last_due_on
    )
    withdrawn = CaseDisclosure.objects.get(withdrawn_on__isnull=False)
    assert withdrawn.case.decision_changes.get().kind == "confirmed_illegal"
    assert withdrawn.case.state == "closed" and withdrawn.withdrawal_notice
    assert Decimal(0) < paid.fine

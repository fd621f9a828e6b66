"""Coercive measures through the services and the API: seizure limits, production
restriction, the daily continuous penalty's days and amount, referrals (docs/enforcement.md §10)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.core.calendar import current_calendar
from ecogov.enforcement import services as s
from ecogov.enforcement.models import CoerciveMeasure, DailyPenalty
from ecogov.enforcement.queries import overdue_items

D = dt.date
API = "/api/enforcement/cases/"


def types(case):
    return list(case.events.order_by("seq").values_list("type", flat=True))


def end(start, days):
    return current_calendar().deadline(start, days, "calendar").due


def seize(flow, case, **kw):
    args = {
        "kind": "seizure",
        "subject": "废气处理设施旁路阀门一套。",
        "approved_by": flow.p.leader,
        "started_on": D(2025, 3, 10),
    }
    args.update(kw)
    return s.case_take_measure(actor=flow.p.handler, case=case, **args)


def test_seizure_at_most_30_days_one_extension_of_at_most_30_testing_excluded(flow):
    case = flow.investigating()
    with pytest.raises(ValidationError, match="不得超过30日"):
        seize(flow, case, days=31)
    with pytest.raises(ValidationError, match="须经局负责人批准"):
        seize(flow, case, approved_by=flow.p.beishan)
    measure = seize(flow, case)
    assert measure.days == 30 and measure.ends_on == end(D(2025, 3, 10), 30)
    assert measure.case.state == "investigating"  # the case's main line goes on
    with pytest.raises(ValidationError, match="须经局负责人批准"):
        s.case_extend_measure(
            actor=flow.p.handler,
            case=case,
            reason="案情复杂。",
            extension=10,
            extended_on=D(2025, 4, 1),
        )
    with pytest.raises(ValidationError, match="不得超过30日"):
        s.case_extend_measure(
            actor=flow.p.leader,
            case=case,
            reason="案情复杂。",
            extension=31,
            extended_on=D(2025, 4, 1),
        )
    measure = s.case_extend_measure(
        actor=flow.p.leader, case=case, reason="案情复杂。", extension=30, extended_on=D(2025, 4, 1)
    )
    assert measure.ends_on == end(D(2025, 3, 10), 60)
    with pytest.raises(ValidationError, match="只能延长一次"):
        s.case_extend_measure(
            actor=flow.p.leader,
            case=case,
            reason="再延长。",
            extension=5,
            extended_on=D(2025, 4, 2),
        )
    measure = s.case_record_testing(
        actor=flow.p.handler, case=case, testing_from=D(2025, 4, 2), testing_to=D(2025, 4, 6)
    )
    assert measure.testing_days == 5 and measure.ends_on == end(D(2025, 3, 10), 65)
    measure = s.case_release_measure(
        actor=flow.p.handler, case=case, note="检测完毕,物品已返还。", released_on=D(2025, 4, 20)
    )
    assert measure.released_on == D(2025, 4, 20)
    assert types(measure.case)[-4:] == [
        "measure_taken",
        "measure_extended",
        "measure_testing",
        "measure_released",
    ]
    with pytest.raises(ValidationError, match="没有正在实施"):
        s.case_release_measure(actor=flow.p.handler, case=case, note="再解除。")


def test_an_extension_after_the_term_ended_is_refused(flow):
    case = flow.investigating()
    measure = seize(flow, case, days=10)
    late = measure.ends_on + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="届满,不能再延长"):
        s.case_extend_measure(
            actor=flow.p.leader, case=case, reason="复杂。", extension=10, extended_on=late
        )


def test_production_restriction_for_at_most_three_months(flow):
    case = flow.investigating()
    with pytest.raises(ValidationError, match="1至3个月"):
        seize(flow, case, kind="restrict", months=4, subject="二号生产线限产50%。")
    measure = seize(flow, case, kind="restrict", months=3, subject="二号生产线限产50%。")
    assert measure.ends_on == D(2025, 6, 10) and measure.days is None
    with pytest.raises(ValidationError, match="不得超过3个月"):
        s.case_extend_measure(
            actor=flow.p.leader,
            case=case,
            reason="未整改到位。",
            extension=4,
            extended_on=D(2025, 6, 1),
        )


def test_seizure_through_the_api_and_its_end_on_the_dashboard(flow, login):
    case = flow.investigating()
    client = login("inspector")
    body = {
        "kind": "seizure",
        "subject": "储存危险废物的吨桶12个。",
        "approved_by": flow.p.leader.pk,
        "days": 45,
        "started_on": "2025-03-10",
        "late_entry_reason": "历史案卷补录",
    }
    refused = client.post(f"{API}{case.pk}/steps/take_measure/", body, "application/json")
    assert refused.status_code == 400 and "不得超过30日" in refused.json()["days"][0]
    body["days"] = 30
    ok = client.post(f"{API}{case.pk}/steps/take_measure/", body, "application/json")
    assert ok.status_code == 200, ok.content
    measure = CoerciveMeasure.objects.get(case=case)
    detail = client.get(f"{API}{case.pk}/").json()
    assert detail["measures"][0]["ends_on"] == measure.ends_on.isoformat()
    items = [i for i in overdue_items(flow.p.handler) if "查封、扣押期限届满" in i.label]
    assert [i.due for i in items] == [measure.ends_on]


def test_an_emergency_seizure_is_approved_within_24_hours_or_released(flow, login):
    """行政强制法第十九条: taken on the spot, reported and approved within 24 hours; a head who
    does not approve releases it at once."""
    case = flow.investigating()
    with pytest.raises(ValidationError, match="只有查封、扣押"):
        seize(flow, case, kind="restrict", approved_by=None, emergency=True)
    with pytest.raises(ValidationError, match="勾选“情况紧急当场实施”"):
        seize(flow, case, approved_by=None)
    measure = seize(flow, case, approved_by=None, emergency=True)
    assert measure.awaiting_approval and measure.approval_due == D(2025, 3, 11)
    assert measure.ends_on == end(D(2025, 3, 10), 30)  # the term runs from the act itself
    item = next(i for i in overdue_items(flow.p.leader) if "补办批准" in i.label)
    assert item.due == D(2025, 3, 11)
    # no extension before the approval; the handler cannot approve
    with pytest.raises(ValidationError, match="须先补办批准"):
        s.case_extend_measure(
            actor=flow.p.leader,
            case=case,
            reason="复杂。",
            extension=10,
            extended_on=D(2025, 3, 11),
        )
    with pytest.raises(PermissionDenied, match="局领导"):
        s.case_approve_measure(actor=flow.p.handler, case=case, approved=True)
    # through the API, as the leader, a day late: kept and marked late
    client = login("leader")
    ok = client.post(
        f"{API}{case.pk}/steps/approve_measure/",
        {"approved": True, "approved_on": "2025-03-12", "late_entry_reason": "历史案卷补录"},
        "application/json",
    )
    assert ok.status_code == 200, ok.content
    measure.refresh_from_db()
    assert (measure.approved_by, measure.approved_on) == (flow.p.leader, D(2025, 3, 12))
    event = case.events.get(type="measure_approval")
    assert event.payload["approved"] is True and event.payload["late"] is True
    assert not [i for i in overdue_items(flow.p.leader) if "补办批准" in i.label]
    with pytest.raises(ValidationError, match="没有待补办批准"):
        s.case_approve_measure(actor=flow.p.leader, case=case, approved=True)


def test_an_emergency_seizure_not_approved_is_released_at_once(flow):
    case = flow.investigating()
    seize(flow, case, approved_by=None, emergency=True)
    with pytest.raises(ValidationError, match="不予批准须说明理由"):
        s.case_approve_measure(
            actor=flow.p.leader, case=case, approved=False, approved_on=D(2025, 3, 11)
        )
    measure = s.case_approve_measure(
        actor=flow.p.leader,
        case=case,
        approved=False,
        opinion="证据不足以采取强制措施。",
        approved_on=D(2025, 3, 11),
    )
    assert measure.released_on == D(2025, 3, 11) and measure.approved_on is None
    assert "不予批准,立即解除" in measure.release_note
    assert types(case)[-2:] == ["measure_approval", "measure_released"]


def test_daily_penalty_days_and_amount(flow):
    case = flow.executing()
    with pytest.raises(ValidationError, match="尚无|没有待复查"):
        s.case_reinspect(actor=flow.p.handler, case=case, continuing=True)
    daily = s.case_order_correction(
        actor=flow.p.handler,
        case=case,
        order_served_on=D(2025, 5, 6),
        order_reference="示环责改〔2025〕3号",
    )
    assert daily.reinspection_due == end(D(2025, 5, 6), 30) and daily.daily_amount == case.fine
    with pytest.raises(ValidationError, match="三十日内"):
        s.case_reinspect(
            actor=flow.p.handler,
            case=case,
            continuing=True,
            reinspected_on=daily.reinspection_due + dt.timedelta(days=1),
        )
    daily = s.case_reinspect(
        actor=flow.p.handler, case=case, continuing=True, reinspected_on=D(2025, 5, 25)
    )
    assert daily.days == 19 and daily.amount == 19 * case.fine == Decimal("950000")
    assert "2025-05-07" in daily.derivation and "2025-05-25" in daily.derivation
    event = daily.case.events.order_by("-seq").first()
    assert event.type == "reinspected" and event.payload["days"] == 19
    assert event.payload["amount"] == "950000.00" and event.actor == flow.p.handler


def test_daily_penalty_through_the_api_and_a_stopped_violation(flow, login):
    case = flow.executing()
    client = login("inspector")
    url = f"{API}{case.pk}/steps/"
    ok = client.post(
        url + "order_correction/",
        {"order_served_on": "2025-05-06", "late_entry_reason": "历史案卷补录"},
        "application/json",
    )
    assert ok.status_code == 200, ok.content
    ok = client.post(
        url + "reinspect/",
        {
            "continuing": True,
            "reinspected_on": "2025-05-16",
            "covert": True,
            "late_entry_reason": "历史案卷补录",
        },
        "application/json",
    )
    assert ok.status_code == 200
    daily = DailyPenalty.objects.get(case=case)
    assert (daily.days, daily.amount) == (10, Decimal("500000.00"))
    assert (
        client.get(f"{API}{case.pk}/").json()["daily_penalties"][0]["derivation"]
        == daily.derivation
    )
    client.post(
        url + "order_correction/",
        {"order_served_on": "2025-06-03", "late_entry_reason": "历史案卷补录"},
        "application/json",
    )
    client.post(
        url + "reinspect/",
        {"continuing": False, "reinspected_on": "2025-06-20", "late_entry_reason": "历史案卷补录"},
        "application/json",
    )
    stopped = DailyPenalty.objects.filter(case=case).order_by("-pk").first()
    assert stopped.continuing is False and stopped.amount is None


def test_referral_for_detention_keeps_the_case_going(flow):
    case = flow.investigating()
    case = s.case_refer(
        actor=flow.p.handler,
        case=case,
        kind="detention",
        to="北山县公安局",
        reason="通过暗管逃避监管排放污染物。",
        referred_on=D(2025, 3, 12),
    )
    assert case.state == "investigating" and types(case)[-1] == "referred"
    with pytest.raises(ValidationError, match="接受移送的机关"):
        s.case_refer(
            actor=flow.p.handler, case=case, kind="judicial", to=" ", reason="涉嫌污染环境罪。"
        )


def test_a_step_acts_on_the_measure_it_names_and_refuses_one_not_running(flow):
    """Two measures on one case: naming the first extends the first, not the latest; naming a
    released measure (or another case's) is refused, never replaced by the running one."""
    case = flow.investigating()
    first = seize(flow, case, days=20)
    second = seize(flow, case, subject="污水处理设施一套。", started_on=D(2025, 3, 12), days=20)
    extended = s.case_extend_measure(
        actor=flow.p.leader,
        case=case,
        reason="案情复杂。",
        extension=10,
        extended_on=D(2025, 3, 20),
        measure=first.pk,
    )
    assert extended.pk == first.pk and extended.ends_on == end(D(2025, 3, 10), 30)
    second.refresh_from_db()
    assert second.ends_on == end(D(2025, 3, 12), 20)  # untouched
    s.case_release_measure(
        actor=flow.p.handler, case=case, note="已返还。", released_on=D(2025, 3, 25), measure=first
    )
    with pytest.raises(ValidationError, match="没有正在实施") as refused:
        s.case_release_measure(
            actor=flow.p.handler,
            case=case,
            note="再次解除。",
            released_on=D(2025, 3, 26),
            measure=first,
        )
    assert "note" in refused.value.error_dict
    elsewhere = seize(flow, flow.investigating())
    with pytest.raises(ValidationError, match="没有正在实施"):
        s.case_release_measure(
            actor=flow.p.handler,
            case=case,
            note="解除。",
            released_on=D(2025, 3, 26),
            measure=elsewhere,
        )
    second.refresh_from_db()
    assert second.released_on is None

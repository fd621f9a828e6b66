"""Execution to the end through the services and the API: instalments and deferral, the
late-payment surcharge, the demand and the court-application window, the ruling, the outcome
and closing with the reason (docs/enforcement.md §9)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.core.calendar import current_calendar
from ecogov.core.dates import add_months
from ecogov.enforcement import services as s
from ecogov.enforcement.models import CompulsoryExecution, Payment, PenaltyCase

D = dt.date
API = "/api/enforcement/cases/"


def types(case):
    return list(case.events.order_by("seq").values_list("type", flat=True))


def fresh(case):
    return PenaltyCase.objects.get(pk=case.pk)


def test_the_surcharge_runs_from_the_due_date_and_caps_at_the_fine(flow):
    case = flow.executing()
    due = case.payment_due
    assert due == current_calendar().deadline(D(2025, 4, 16), 15, "calendar").due  # 1 May rolls
    assert s.surcharge_on(case, due).amount == 0
    ten = s.surcharge_on(case, due + dt.timedelta(days=10))
    assert ten.days == 10 and ten.amount == Decimal("15000.00")
    capped = s.surcharge_on(case, due + dt.timedelta(days=40))
    assert capped.amount == case.fine and capped.uncapped == Decimal("60000.00")
    # a payment may not exceed the fine plus the surcharge due on its day
    with pytest.raises(ValidationError, match="超过应缴金额"):
        s.case_record_payment(
            actor=flow.p.handler,
            case=case,
            amount=Decimal("65000.01"),
            paid_on=due + dt.timedelta(days=10),
        )
    s.case_record_payment(
        actor=flow.p.handler, case=case, amount=Decimal("65000"), paid_on=due + dt.timedelta(10)
    )
    # paid in full: the surcharge stops counting
    assert s.surcharge_on(case, due + dt.timedelta(days=90)).amount == Decimal("15000.00")


def test_the_surcharge_does_not_run_while_the_decision_is_contested(flow, login):
    """行政处罚法第七十三条第三款: the days under reconsideration or lawsuit are not counted;
    the legal area's dispute about the case is the record of them (core/remedies.py)."""
    from ecogov.legal import services as legal

    case = flow.executing()
    due = case.payment_due
    dispute = legal.dispute_register(
        actor=flow.p.legal,
        data={
            "kind": "reconsideration",
            "forum": "示例市人民政府",
            "applicant_name": case.party_name,
            "act_kind": "penalty",
            "act_description": f"{case.number}行政处罚决定",
            "received_on": due + dt.timedelta(days=5),
            "handling_unit": case.organisation,
            "division": case.division,
        },
        act_record=case,
    )
    pending = s.surcharge_on(case, due + dt.timedelta(days=20))  # still pending: days 5–20 out
    assert (pending.days, pending.paused_days) == (4, 16)
    assert pending.amount == Decimal("6000.00") and "扣除复议、诉讼期间16日" in pending.derivation
    legal.dispute_answer(actor=flow.p.legal, case=dispute, answered_on=due + dt.timedelta(days=8))
    legal.dispute_decide(
        actor=flow.p.legal, case=dispute, outcome="upheld", decided_on=due + dt.timedelta(days=10)
    )
    decided = s.surcharge_on(case, due + dt.timedelta(days=20))  # days 5–10 (six) not counted
    assert (decided.days, decided.paused_days, decided.amount) == (14, 6, Decimal("21000.00"))
    # what the demand states follows the same count
    assert s.amount_due(case, due + dt.timedelta(days=20)) == case.fine + Decimal("21000.00")
    # the API's case shows today's surcharge with the same working
    today = login("inspector").get(f"{API}{case.pk}/").json()["surcharge_today"]
    assert "扣除复议、诉讼期间6日" in today["derivation"]


def instalments(flow, case, rows=(("2025-05-30", "20000"), ("2025-06-30", "30000")), **kw):
    args = {
        "kind": "instalment",
        "applied_on": D(2025, 4, 20),
        "application_reason": "企业资金周转困难。",
        "approved": True,
        "decided_on": D(2025, 4, 22),
        "schedule": [{"due_on": d, "amount": a} for d, a in rows],
    }
    args.update(kw)
    return s.case_plan_payment(actor=flow.p.leader, case=case, **args)


def test_instalments_are_approved_by_a_leader_with_new_due_dates(flow):
    case = flow.executing()
    with pytest.raises(PermissionDenied, match="局领导"):
        s.case_plan_payment(
            actor=flow.p.handler,
            case=case,
            kind="instalment",
            applied_on=D(2025, 4, 20),
            application_reason="困难。",
            approved=True,
            schedule=[],
        )
    with pytest.raises(ValidationError, match="应等于尚未缴纳的罚没款50000"):
        instalments(flow, case, rows=(("2025-05-30", "20000"), ("2025-06-30", "20000")))
    with pytest.raises(ValidationError, match="至少分两期"):
        instalments(flow, case, rows=(("2025-05-30", "50000"),))
    case = instalments(flow, case)
    assert types(case)[-1] == "payment_plan"
    event = case.events.order_by("-seq").first()
    assert event.actor == flow.p.leader and event.payload["approved"] is True
    assert event.payload["schedule"][1] == {"due_on": "2025-06-30", "amount": "30000"}
    assert case.step_due == D(2025, 5, 30) and "按批准的期限" in case.step_label
    s.case_record_payment(
        actor=flow.p.handler, case=case, amount=Decimal(20000), paid_on=D(2025, 5, 28)
    )
    assert fresh(case).step_due == D(2025, 6, 30)  # the next instalment
    assert s.surcharge_on(case, D(2025, 6, 30)).amount == 0
    late = s.surcharge_on(case, D(2025, 7, 10))  # from the missed instalment only
    assert late.due == D(2025, 6, 30) and late.amount == Decimal("15000.00")
    with pytest.raises(ValidationError, match="已批准过"):
        instalments(flow, case, applied_on=D(2025, 5, 29), decided_on=D(2025, 5, 29))


def test_a_refusal_needs_the_reason(flow):
    case = flow.executing()
    with pytest.raises(ValidationError, match="不予批准须说明理由"):
        instalments(flow, case, approved=False, schedule=[])
    case = instalments(flow, case, approved=False, schedule=[], opinion="理由不成立。")
    assert case.payment_plans.get().approved is False
    assert case.step_label == "督促缴纳罚款"  # the decision's own date still holds


def demanded(flow, on=D(2025, 6, 2), **kw):
    case = flow.executing(**kw)
    return s.case_serve_demand(actor=flow.p.handler, case=case, served_on=on)


def test_the_demand_states_the_surcharge_and_opens_the_window(flow):
    case = flow.executing()
    with pytest.raises(ValidationError, match="不能催告"):
        s.case_serve_demand(actor=flow.p.handler, case=case, served_on=D(2025, 5, 5))
    case = s.case_serve_demand(actor=flow.p.handler, case=case, served_on=D(2025, 6, 2))
    compulsory = CompulsoryExecution.objects.get(case=case)
    days = (D(2025, 6, 2) - case.payment_due).days
    assert compulsory.demand_principal == case.fine
    assert compulsory.demand_surcharge == min(case.fine, case.fine * Decimal("0.03") * days)
    # the remedies (6 months for a lawsuit) run out on 16 October 2025; 3 months more to apply
    assert compulsory.window_opens == D(2025, 10, 17)
    assert compulsory.window_closes == D(2026, 1, 16) == add_months(D(2025, 10, 16), 3)
    assert case.step_due == compulsory.window_closes and "申请法院强制执行" in case.step_label
    assert types(case)[-1] == "demand_served"


def test_the_court_application_window(flow):
    case = demanded(flow)
    for early in (D(2025, 6, 17), D(2025, 10, 16)):
        with pytest.raises(ValidationError, match="最早2025-10-17"):
            s.case_apply_court(
                actor=flow.p.handler, case=case, applied_on=early, court="北山县人民法院"
            )
    with pytest.raises(ValidationError, match="已于2026-01-16届满"):
        s.case_apply_court(
            actor=flow.p.handler, case=case, applied_on=D(2026, 1, 19), court="北山县人民法院"
        )
    case = s.case_apply_court(
        actor=flow.p.handler, case=case, applied_on=D(2025, 10, 17), court="北山县人民法院"
    )
    assert types(case)[-1] == "court_applied" and case.step_label == "等待法院裁定"


def test_ten_working_days_after_a_late_demand(flow):
    case = demanded(flow, on=D(2025, 10, 15))
    opens = current_calendar().add_workdays(D(2025, 10, 15), 10)
    assert opens == D(2025, 10, 29) == CompulsoryExecution.objects.get(case=case).window_opens
    with pytest.raises(ValidationError, match="最早2025-10-29"):
        s.case_apply_court(
            actor=flow.p.handler, case=case, applied_on=D(2025, 10, 28), court="北山县人民法院"
        )


def test_a_deferral_moves_the_window(flow):
    case = flow.executing()
    case = s.case_plan_payment(
        actor=flow.p.leader,
        case=case,
        kind="deferral",
        applied_on=D(2025, 4, 20),
        application_reason="困难。",
        approved=True,
        decided_on=D(2025, 4, 22),
        schedule=[("2025-12-31", "50000")],
    )
    case = s.case_serve_demand(actor=flow.p.handler, case=case, served_on=D(2026, 1, 5))
    compulsory = CompulsoryExecution.objects.get(case=case)
    assert compulsory.window_closes == D(2026, 3, 31)  # 3 months after the deferral's end
    assert "2025-12-31届满" in compulsory.window_derivation


def test_ruling_outcome_and_closing_with_the_reason(flow):
    case = demanded(flow)
    with pytest.raises(ValidationError, match="尚未申请"):
        s.case_record_ruling(actor=flow.p.handler, case=case, ruling="granted")
    case = s.case_apply_court(
        actor=flow.p.handler, case=case, applied_on=D(2025, 11, 3), court="北山县人民法院"
    )
    case = s.case_record_ruling(
        actor=flow.p.handler, case=case, ruling="granted", ruling_on=D(2025, 11, 20)
    )
    with pytest.raises(ValidationError, match="须说明执行情况"):
        s.case_record_outcome(
            actor=flow.p.handler, case=case, outcome="partial", recovered=Decimal(10000)
        )
    case = s.case_record_outcome(
        actor=flow.p.handler,
        case=case,
        outcome="partial",
        recovered=Decimal(10000),
        outcome_on=D(2025, 12, 20),
        note="被执行人仅有存款一万元。",
    )
    assert case.paid == 10000
    assert Payment.objects.get(case=case).receipt_number == "法院强制执行"
    with pytest.raises(ValidationError, match="结案须说明理由"):
        s.case_close(actor=flow.p.handler, case=case, closed_on=D(2025, 12, 22))
    case = s.case_close(
        actor=flow.p.handler, case=case, closed_on=D(2025, 12, 22), note="法院终结本次执行。"
    )
    assert case.state == "closed" and case.ending_reason == "法院终结本次执行。"
    assert types(case)[-5:] == [
        "demand_served",
        "court_applied",
        "court_ruled",
        "execution_outcome",
        "closed",
    ]


def test_the_api_takes_the_execution_steps_and_refuses_outside_the_window(flow, login):
    case = flow.executing()
    client = login("inspector")
    url = f"{API}{case.pk}/steps/"
    ok = client.post(
        url + "serve_demand/",
        {"served_on": "2025-06-02", "late_entry_reason": "历史案卷补录"},
        "application/json",
    )
    assert ok.status_code == 200, ok.content
    early = client.post(
        url + "apply_court/",
        {
            "court": "北山县人民法院",
            "applied_on": "2025-07-01",
            "late_entry_reason": "历史案卷补录",
        },
        "application/json",
    )
    assert early.status_code == 400 and "最早2025-10-17" in early.json()["applied_on"][0]
    assert PenaltyCase.objects.get(pk=case.pk).events.filter(type="court_applied").count() == 0
    ok = client.post(
        url + "apply_court/",
        {
            "court": "北山县人民法院",
            "applied_on": "2025-10-20",
            "late_entry_reason": "历史案卷补录",
        },
        "application/json",
    )
    assert ok.status_code == 200
    detail = client.get(f"{API}{case.pk}/").json()
    assert detail["compulsory"]["applied_on"] == "2025-10-20"
    assert detail["compulsory"]["window_closes"] == "2026-01-16"
    assert detail["surcharge_today"]["amount"] == "50000.00"  # long past: capped at the fine
    plan = login("inspector").post(
        url + "plan_payment/",
        {
            "kind": "deferral",
            "applied_on": "2025-10-21",
            "application_reason": "困难",
            "schedule": "2025-12-31 50000",
        },
        "application/json",
    )
    assert plan.status_code == 403  # a leader approves


def test_instalments_through_the_api(flow, login):
    case = flow.executing()
    response = login("leader").post(
        f"{API}{case.pk}/steps/plan_payment/",
        {
            "kind": "instalment",
            "applied_on": "2025-04-20",
            "application_reason": "资金困难",
            "approved": True,
            "decided_on": "2025-04-22",
            "schedule": "2025-05-30 20000\n2025-06-30 29000",
        },
        "application/json",
    )
    assert (
        response.status_code == 400 and "应等于尚未缴纳的罚没款" in response.json()["schedule"][0]
    )


def test_the_action_bar_offers_only_what_the_user_may_take(flow, login):
    from django.urls import reverse

    case = flow.executing()
    url = reverse("admin:enforcement_penaltycase_change", args=[case.pk])
    leader = login("leader").get(url).content.decode()
    handler = login("inspector").get(url).content.decode()
    assert "延期(分期)缴纳审批" in leader and "延期(分期)缴纳审批" not in handler
    assert "催告" in handler and "申请法院强制执行" not in handler
    assert "登记法院裁定" not in handler and "解除查封扣押" not in handler
    s.case_serve_demand(actor=flow.p.handler, case=case, served_on=D(2025, 6, 2))
    handler = login("inspector").get(url).content.decode()
    assert "申请法院强制执行" in handler and "/step/serve_demand/" not in handler


def test_the_admin_steps_and_the_deadlines_on_the_case_page(flow, login):
    from django.urls import reverse

    case = flow.executing()
    client = login("inspector")
    page_url = reverse("admin:enforcement_penaltycase_change", args=[case.pk])
    assert "可申请强制执行起始日" not in client.get(page_url).content.decode()  # no empty table
    step = reverse("admin:enforcement_penaltycase_step", args=[case.pk, "serve_demand"])
    assert (
        client.post(
            step, {"served_on": "2025-06-02", "late_entry_reason": "历史案卷补录"}
        ).status_code
        == 302
    )
    step = reverse("admin:enforcement_penaltycase_step", args=[case.pk, "apply_court"])
    refused = client.post(
        step,
        {
            "court": "北山县人民法院",
            "applied_on": "2025-07-01",
            "late_entry_reason": "历史案卷补录",
        },
    )
    assert refused.status_code == 200 and "最早2025-10-17" in refused.content.decode()
    page = client.get(page_url).content.decode()
    assert "可申请强制执行起始日" in page and ("2026年1月16日" in page or "2026-01-16" in page)
    listing = client.get(reverse("admin:enforcement_compulsoryexecution_changelist"))
    assert listing.status_code == 200 and case.number in listing.content.decode()
    assert (
        login("nanhu_staff")
        .get(reverse("admin:enforcement_compulsoryexecution_changelist"))
        .content.decode()
        .count(case.number)
        == 0
    )  # another county's


def test_a_payment_before_the_plan_does_not_count_towards_its_instalments(flow):
    case = flow.executing()
    s.case_record_payment(
        actor=flow.p.handler, case=case, amount=Decimal(10000), paid_on=D(2025, 4, 19)
    )
    with pytest.raises(ValidationError, match="应等于尚未缴纳的罚没款40000"):
        instalments(flow, case)  # the plan covers what is still owed
    case = instalments(flow, case, rows=(("2025-05-30", "15000"), ("2025-06-30", "25000")))
    s.case_record_payment(
        actor=flow.p.handler, case=case, amount=Decimal(5000), paid_on=D(2025, 5, 29)
    )
    assert fresh(case).step_due == D(2025, 5, 30)  # 5,000 of the first 15,000: still due
    late = s.surcharge_on(case, D(2025, 6, 5))
    assert late.due == D(2025, 5, 30) and late.days == 6 and late.amount == Decimal("9000.00")

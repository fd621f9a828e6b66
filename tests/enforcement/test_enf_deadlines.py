"""Each step's deadline over holidays and make-up workdays, and the due lists per person and
per unit (dashboard)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from ecogov.core.queries import overdue_items_for
from ecogov.enforcement import services as s
from ecogov.enforcement.deadlines import (
    decision_deadline,
    disclosure_deadline,
    open_deadline,
    review_deadline,
    statement_deadline,
)
from ecogov.enforcement.models import EnforcementPolicy, PenaltyKind
from ecogov.enforcement.queries import due_steps_for_person, due_steps_for_unit

D = dt.date
FINE = [PenaltyKind.FINE]


def policy():
    return EnforcementPolicy.current()


def test_working_day_windows_skip_national_day_and_count_its_make_up_saturday(db):
    # 2025: 1–8 October off; Saturday 11 October a working day
    assert statement_deadline(D(2025, 9, 30), policy()).due == D(2025, 10, 11)
    assert disclosure_deadline(D(2025, 9, 30), policy()).due == D(2025, 10, 16)
    assert review_deadline(D(2025, 9, 30), policy()).due == D(2025, 10, 14)
    assert review_deadline(D(2025, 9, 30), policy(), extended=True).due == D(2025, 10, 17)


def test_opening_period_says_only_ri_and_alerts_on_the_earlier_reading(db):
    deadline = open_deadline(D(2025, 9, 20), policy())
    # 15 calendar days end on 5 October, a holiday: the period ends on the next working day,
    # 9 October; 15 working days would end on 16 October. The earlier one is the alert.
    assert deadline.due == D(2025, 10, 9) and deadline.day_type == "calendar"


def test_decision_period_rolls_over_a_holiday_and_excludes_the_hearing(flow):
    case = flow.investigating(found_on=D(2025, 7, 1), opened_on=D(2025, 7, 3))
    # 90 calendar days from 3 July end on 1 October (holiday): 9 October instead
    assert case.step_due == D(2025, 10, 9)
    assert decision_deadline(case, policy()).due == D(2025, 10, 9)
    case.hearing_requested_on, case.hearing_held_on = D(2025, 8, 1), D(2025, 8, 21)
    assert decision_deadline(case, policy()).due == D(2025, 10, 21)  # +20 days of hearing


def test_periods_are_configuration(flow):
    p = policy()
    p.statement_days, p.decision_days = 10, 60
    p.save()
    case = flow.simple()
    assert case.statement_due == D(2025, 4, 16)  # 10 working days over Qingming
    assert decision_deadline(case, p).due == D(2025, 5, 6)  # 60 days: 4 May is in May Day


def test_a_deadline_in_a_year_without_a_holiday_schedule_is_provisional(flow, world):
    today = timezone.localdate()
    entity = world.entity_in("北山县")
    case = s.case_open(
        actor=flow.p.handler,
        entity=entity,
        division=entity.division,
        source="complaint",
        facts="今日立案。",
        officers=[flow.p.beishan, flow.p.handler],
    )
    due = decision_deadline(case, policy())
    assert case.step_due == due.due
    assert case.step_due_provisional == (due.due.year not in _known_years())
    if today.year == 2026:  # this machine's package knows 2004–2026: 90 days from now is 2027
        assert case.step_due_provisional


def _known_years():
    from ecogov.core.calendar import current_calendar

    return current_calendar().known_years


def _recent_case(flow, world, county, found_days_ago, officers):
    entity = world.entity_in(county)
    found = timezone.localdate() - dt.timedelta(days=found_days_ago)
    return s.case_register_lead(
        actor=flow.p.handler,
        entity=entity,
        source="complaint",
        facts=f"{county}线索。",
        found_on=found,
        officers=officers,
    )


def test_due_and_overdue_steps_per_person_and_per_unit(flow, world):
    p = flow.p
    overdue = _recent_case(flow, world, "北山县", 40, [p.beishan, p.handler])  # due 25 days ago
    soon = _recent_case(flow, world, "北山县", 12, [p.beishan, p.handler])  # due in about 3 days
    later = _recent_case(flow, world, "北山县", 0, [p.beishan, p.handler])  # due in 15 days
    nanhu = _recent_case(flow, world, "南湖县", 40, [p.nanhu, p.handler])
    assert overdue.step_due < timezone.localdate() <= soon.step_due
    mine = set(due_steps_for_person(p.beishan))
    assert {overdue, soon} <= mine and later not in mine and nanhu not in mine
    assert nanhu in set(due_steps_for_person(p.nanhu))
    assert not set(due_steps_for_person(p.eia))
    unit = set(due_steps_for_unit(p.leader, p.handler.staff.organisation))
    assert {overdue, soon, nanhu} <= unit and later not in unit
    # a county user asking for the detachment's list still sees only his county
    assert nanhu not in set(due_steps_for_unit(p.beishan, p.handler.staff.organisation))


def test_the_review_step_is_the_reviewers_not_the_officers(flow):
    case = flow.major(on=timezone.localdate() - dt.timedelta(days=30))
    case = s.case_submit_review(
        actor=flow.p.handler,
        case=case,
        reviewer=flow.p.legal,
        submitted_on=timezone.localdate() - dt.timedelta(days=20),
    )
    assert case.step_owner == flow.p.legal and case.step_due < timezone.localdate()
    assert case in set(due_steps_for_person(flow.p.legal))
    assert case not in set(due_steps_for_person(flow.p.beishan))
    legal_section = flow.p.legal.staff.organisation
    assert case in set(due_steps_for_unit(flow.p.leader, legal_section))


def test_dashboard_lists_own_items_and_a_leader_sees_every_overdue_step(flow, world, login):
    p = flow.p
    overdue = _recent_case(flow, world, "南湖县", 40, [p.nanhu, p.handler])
    labels = [i.label for i in overdue_items_for(p.nanhu) if i.area == "enforcement"]
    assert any(overdue.party_name in label and "立案" in label for label in labels)
    assert not [i for i in overdue_items_for(p.beishan) if overdue.party_name in i.label]
    assert [i for i in overdue_items_for(p.leader) if overdue.party_name in i.label]
    html = login("nanhu_staff").get("/admin/").content.decode()
    assert overdue.party_name in html and "在办案件" in html


def test_the_deadline_moves_with_the_state(flow):
    case = flow.decided()
    assert (case.step_label, case.step_due) == ("送达处罚决定书", D(2025, 4, 24))
    case = s.case_serve(actor=flow.p.handler, case=case, method="direct", served_on=D(2025, 4, 16))
    assert (case.step_label, case.step_due) == ("公开处罚决定", D(2025, 4, 24))
    case = s.case_disclose(actor=flow.p.handler, case=case, published_on=D(2025, 4, 18))
    assert (case.step_label, case.step_due) == ("督促缴纳罚款", D(2025, 5, 6))
    case = s.case_execute(actor=flow.p.handler, case=case, on=D(2025, 4, 18))
    s.case_record_payment(
        actor=flow.p.handler, case=case, amount=Decimal("50000"), paid_on=D(2025, 4, 20)
    )
    case.refresh_from_db()
    assert (case.step_label, case.step_due) == ("执行完毕,办理结案", None)

"""Penalty cases' provisional deadlines are recomputed when a year's holidays are entered
(docs/procedures.md §3, "Entering a year"; enforcement/services/provisional.py)."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from ecogov.core.calendar import current_calendar
from ecogov.core.calendar_entry import calendar_year_enter
from ecogov.core.holiday_notice import parse_notice
from ecogov.enforcement import services as s
from ecogov.enforcement.chain import verify_case
from ecogov.enforcement.models import CaseDisclosure, CoerciveMeasure, PenaltyCase

D = dt.date


def enter_2027(world, table="2027-02-01~2027-02-05 休 测试假期"):
    days, problems = parse_notice(table, 2027)
    assert not problems
    return calendar_year_enter(
        actor=world.user("sysadmin"), year=2027, notice_number="国办发明电〔2026〕9号", days=days
    )


def enforcement_items(result):
    return [
        r for area, items in result.recomputed.items() if str(area) == "行政处罚" for r in items
    ]


def test_a_seizure_ending_in_an_unknown_year_is_recomputed_when_the_year_is_entered(flow, world):
    if current_calendar().knows(D(2027, 1, 30)):  # a newer chinesecalendar brought 2027
        return
    case = flow.investigating(found_on=D(2026, 10, 26), opened_on=D(2026, 10, 28))
    measure = s.case_take_measure(
        actor=flow.p.handler,
        case=case,
        kind="seizure",
        subject="废气处理设施旁路阀门一套。",
        approved_by=flow.p.leader,
        started_on=D(2026, 12, 1),
    )
    measure = s.case_extend_measure(
        actor=flow.p.leader,
        case=case,
        reason="案情复杂。",
        extension=30,
        extended_on=D(2026, 12, 4),
    )
    # 60 days from 1 December: Saturday 30 January 2027, rolled Monday–Friday to 1 February
    assert (measure.ends_on, measure.ends_provisional) == (D(2027, 2, 1), True)
    result = enter_2027(world)  # 1–5 February are holidays: the term ends on Monday 8 February
    measure = CoerciveMeasure.objects.get(pk=measure.pk)
    assert (measure.ends_on, measure.ends_provisional) == (D(2027, 2, 8), False)
    # the decision's 90 days from 28 October end on Tuesday 26 January either way: confirmed
    assert [(r.what, r.before, r.after) for r in enforcement_items(result)] == [
        ("查封、扣押期限届满日", D(2027, 2, 1), D(2027, 2, 8)),
        ("当前环节期限", D(2027, 1, 26), D(2027, 1, 26)),
    ]
    assert not PenaltyCase.objects.get(pk=case.pk).step_due_provisional
    event = PenaltyCase.objects.get(pk=case.pk).events.latest("seq")
    assert event.type == "deadline_recomputed" and "期限提前" not in event.reason
    assert event.payload["changes"][0] == {
        "what": "查封、扣押期限届满日",
        "before": "2027-02-01",
        "after": "2027-02-08",
    }
    assert verify_case(PenaltyCase.objects.get(pk=case.pk), files=False).ok
    # entered again (a correction): nothing provisional is left, nothing moves
    assert enforcement_items(enter_2027(world)) == []


def test_every_stored_provisional_date_is_computed_again_and_an_earlier_one_flagged(flow, world):
    case = flow.decided()  # public_impact by default: a disclosure is due
    disclosure = CaseDisclosure.objects.get(case=case)
    right_disclosure, right_step = disclosure.due_on, case.step_due
    # as if stored while the year was unknown: later dates, marked provisional
    CaseDisclosure.objects.filter(pk=disclosure.pk).update(
        due_on=right_disclosure + dt.timedelta(days=2), due_provisional=True
    )
    PenaltyCase.objects.filter(pk=case.pk).update(
        step_due=right_step + dt.timedelta(days=3), step_due_provisional=True
    )
    changed = s.provisional_deadlines_recompute(actor=world.user("sysadmin"))
    assert sorted((r.what, r.after, r.earlier) for r in changed) == sorted(
        [("应公开日期", right_disclosure, True), ("当前环节期限", right_step, True)]
    )
    case = PenaltyCase.objects.get(pk=case.pk)
    assert (case.step_due, case.step_due_provisional) == (right_step, False)
    disclosure.refresh_from_db()
    assert (disclosure.due_on, disclosure.due_provisional) == (right_disclosure, False)
    event = case.events.latest("seq")
    assert event.type == "deadline_recomputed" and "期限提前,请核实" in event.reason
    assert event.actor == world.user("sysadmin")
    # the daily run reports what it recomputed, area by area (nothing is left now)
    out = StringIO()
    call_command("remind", "--dry-run", stdout=out)
    assert "行政处罚" not in out.getvalue()


def test_the_lists_mark_a_provisional_date(flow, login):
    case = flow.decided()
    PenaltyCase.objects.filter(pk=case.pk).update(step_due_provisional=True)
    page = login("leader").get("/admin/enforcement/penaltycase/").content.decode()
    assert f"{case.step_due}(暂定)" in page

"""A legal deadline stored as provisional is recomputed when the year is entered
(docs/procedures.md §3)."""

import datetime as dt

from ecogov.core.calendar_entry import calendar_year_enter
from ecogov.core.holiday_notice import parse_notice
from ecogov.legal import services as s
from ecogov.legal.deadlines import answer_deadline
from ecogov.legal.models import DisputeCase, LegalEvent, LegalPolicy

D = dt.date


def test_a_provisional_answer_deadline_is_recomputed_on_entry(docs, world):
    case = s.dispute_register(
        actor=docs.p.legal,
        data={
            "kind": "reconsideration",
            "forum": "示例市人民政府",
            "applicant_name": "某化工有限公司",
            "act_kind": "penalty",
            "act_description": "行政处罚决定",
            "received_on": D(2026, 12, 1),
            "handling_unit": docs.unit,
            "division": docs.city,
        },
        act_record=None,
    )
    # as stored by a copy received on 28 December, before the 2027 notice was entered
    provisional = answer_deadline("reconsideration", D(2026, 12, 28), LegalPolicy.current())
    assert provisional.provisional and provisional.due == D(2027, 1, 11)  # Monday–Friday
    DisputeCase.objects.filter(pk=case.pk).update(
        received_on=D(2026, 12, 28), answer_due=provisional.due, answer_due_provisional=True
    )
    days, _problems = parse_notice("2027-01-01~2027-01-05 休 元旦", 2027)
    result = calendar_year_enter(
        actor=world.user("sysadmin"), year=2027, notice_number="国办发明电〔2026〕9号", days=days
    )
    case.refresh_from_db()
    # 10 working days from 28 December: 29, 30, 31 December, then 6–8, 11–14 January
    assert (case.answer_due, case.answer_due_provisional) == (D(2027, 1, 14), False)
    legal = [
        r for area, items in result.recomputed.items() if str(area) == "法制工作" for r in items
    ]
    assert [(r.before, r.after) for r in legal] == [(D(2027, 1, 11), D(2027, 1, 14))]
    event = LegalEvent.objects.filter(object_id=case.pk, type="updated").latest("pk")
    assert "2027-01-11 → 2027-01-14" in event.reason

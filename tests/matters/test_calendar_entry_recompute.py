"""Entering the year recomputes the matters' provisional deadlines (docs/procedures.md §3)."""

import datetime as dt

from ecogov.core.calendar_entry import calendar_year_enter
from ecogov.core.holiday_notice import parse_notice

D = dt.date


def test_entering_the_year_recomputes_provisional_deadlines(world, hotline, make_matter):
    matter = make_matter(
        hotline,
        "petition",
        "XF-0098",
        received=D(2026, 12, 20),
        lead=world.organisation("示例市生态环境局北山分局"),
    )
    assert matter.due_provisional and matter.due_on == D(2027, 1, 4)
    days, _problems = parse_notice("2027-01-01~2027-01-05 休 元旦", 2027)
    result = calendar_year_enter(
        actor=world.user("sysadmin"), year=2027, notice_number="国办发明电〔2026〕9号", days=days
    )
    matter.refresh_from_db()
    assert (matter.due_on, matter.due_provisional) == (D(2027, 1, 6), False)
    changed = [item for items in result.recomputed.values() for item in items]
    assert [c.reference for c in changed] == ["XF-0098"]
    assert matter.events.filter(type="deadline_changed").count() == 1

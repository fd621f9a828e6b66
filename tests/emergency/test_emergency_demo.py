"""示例市's emergency records give the seed's numbers (docs/figures.md §2 emergency.drills)."""

import datetime as dt

from ecogov.core.figures import Kind, Period, by_key
from ecogov.emergency.figures import emergency_figures
from ecogov.emergency.models import Drill


def check_records(figure):
    if figure.kind is Kind.COUNT:
        assert figure.records.count() == figure.value, figure.key
    elif figure.kind is Kind.SUM:
        assert sum(getattr(r, figure.field) for r in figure.records) == figure.value, figure.key


def test_one_drill_in_2020_with_more_than_200_participants_and_no_incident(world):
    figures = by_key(emergency_figures(world.user("leader"), Period.of_year(2020)))
    assert figures["emergency.drills"].value == 1
    drill = figures["emergency.drills"].records.get()
    assert drill.held_on == dt.date(2020, 5, 20) and drill.host_entity is not None
    assert "汛期" in drill.scenario
    assert figures["emergency.drills.participants"].value == drill.participants > 200
    assert figures["emergency.incidents"].value == 0
    assert not figures["emergency.incidents"].records.exists()
    assert figures["emergency.plans_filed"].value == 3
    for figure in figures.values():
        check_records(figure)
    later = by_key(emergency_figures(world.user("leader"), Period.of_year(2021)))
    assert later["emergency.incidents"].value == 1 and later["emergency.drills"].value == 0
    assert Drill.objects.count() == 1

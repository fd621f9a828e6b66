"""Every registered figure equals what its records give (issue 11's invariant, docs/figures.md).

Counted for the demo year, for the same year cut at 30 November (the seed counts petitions so),
and for the following year, whose records 示例市 lacks — a figure that counts "open at the
period's end" or "in force at the year's end" must still match its drill-down there.
"""

import datetime as dt

import pytest

from ecogov.core.areas import AREAS
from ecogov.core.figures import Kind, Period, figures_for, invariant_breaches

PERIODS = [Period.of_year(2020), Period.of_year(2020, dt.date(2020, 11, 30)), Period.of_year(2021)]


@pytest.mark.parametrize("username", ["leader", "beishan_staff"])
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.label)
def test_every_figure_equals_its_records(world, username, period):
    figures = figures_for(world.user(username), period)
    registered = {area.key for area in AREAS.values() if area.figures}
    assert registered >= {
        "core",
        "eia",
        "permits",
        "inspections",
        "enforcement",
        "matters",
        "airquality",
        "legal",
        "outreach",
        "emergency",
    }
    assert {f.area for f in figures} == registered
    assert invariant_breaches(figures) == []


def test_every_count_and_sum_drills_down_to_records(world):
    figures = figures_for(world.user("leader"), PERIODS[0])
    for figure in figures:
        if figure.kind in (Kind.COUNT, Kind.SUM, Kind.CREDIT):
            assert figure.records is not None, figure.key
            assert figure.records.model._meta.label == figure.model, figure.key


def test_a_figure_that_misses_its_records_is_caught(world):
    """The check itself: a count off by one and a ratio of the wrong parts are reported."""
    import dataclasses

    figures = figures_for(world.user("leader"), PERIODS[0], areas=["core", "outreach"])
    count = next(f for f in figures if f.kind is Kind.COUNT and f.value)
    wrong = dataclasses.replace(count, value=count.value + 1)
    assert invariant_breaches([wrong]) == [
        f"{count.key}: value {count.value + 1}, its records give {count.value}"
    ]
    summed = next(f for f in figures if f.kind is Kind.SUM and f.value)
    assert invariant_breaches([dataclasses.replace(summed, value=summed.value + 1)])
    assert invariant_breaches([dataclasses.replace(count, records=None)])

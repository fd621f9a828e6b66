"""Training and event figures: counted from records in the period and scope, each equal to its
records (COUNT: records.count(); SUM: Σ field over the records)."""

import datetime as dt

from ecogov.core.figures import Kind, Period, by_key
from ecogov.outreach import services
from ecogov.outreach.figures import outreach_figures


def _equal_to_records(figures):
    for figure in figures.values():
        if figure.kind is Kind.COUNT:
            assert figure.records.count() == figure.value, figure.key
        elif figure.kind is Kind.SUM:
            assert sum(getattr(r, figure.field) for r in figure.records) == figure.value, figure.key


def test_trainings_and_events_of_a_county_in_a_year(world):
    actor = world.user("beishan_staff")
    for day, count in ((dt.date(2024, 3, 5), 40), (dt.date(2024, 9, 9), 55)):
        services.training_record(
            actor=actor,
            data={
                "topic": "新固废法培训",
                "law": "solid_waste",
                "held_on": day,
                "audience_units": "产废企业",
                "attendee_count": count,
            },
        )
    roster = [{"name": f"学员{i}", "unit": "北山县某公司"} for i in range(7)]
    other = services.training_record(
        actor=actor,
        data={
            "topic": "排污许可培训",
            "law": "other",
            "law_other": "《排污许可管理办法》",
            "held_on": dt.date(2024, 5, 5),
            "audience_units": "企业",
            "attendee_count": 99,
        },
        roster=roster,
    )
    assert other.attendee_count == 7  # the roster is the count
    services.training_record(
        actor=actor,
        data={
            "topic": "去年的培训",
            "law": "solid_waste",
            "held_on": dt.date(2023, 12, 31),
            "audience_units": "企业",
            "attendee_count": 30,
        },
    )
    services.activity_record(
        actor=actor,
        data={
            "kind": "environment_day",
            "title": "六五环境日",
            "held_on": dt.date(2024, 6, 5),
            "place": "北山县广场",
            "audience": "群众",
        },
        materials=[
            {"kind": "booklet", "title": "手册甲", "quantity": 300},
            {"kind": "booklet", "title": "手册乙", "quantity": 200},
            {"kind": "leaflet", "title": "折页", "quantity": 1000},
        ],
    )
    figures = by_key(outreach_figures(actor, Period.of_year(2024)))
    assert figures["training.batches"].value == 3
    assert figures["training.attendees"].value == 40 + 55 + 7
    assert figures["training.solid_waste.batches"].value == 2
    assert figures["training.solid_waste.attendees"].value == 95
    assert figures["outreach.events"].value == 1
    assert figures["outreach.events.environment_day"].value == 1
    assert figures["publicity.booklets"].value == 500  # booklets only
    assert figures["publicity.materials"].value == 1500
    _equal_to_records(figures)
    # a cut period leaves out what came after the cut-off day
    cut = by_key(outreach_figures(actor, Period.of_year(2024, until=dt.date(2024, 6, 4))))
    assert cut["training.solid_waste.batches"].value == 1 and cut["outreach.events"].value == 0
    # another county's staff see none of it; the city sees it besides its own
    nanhu = by_key(outreach_figures(world.user("nanhu_staff"), Period.of_year(2024)))
    assert nanhu["training.batches"].value == 0
    city = by_key(outreach_figures(world.user("leader"), Period.of_year(2024)))
    assert city["training.attendees"].value == 102


def test_every_demo_figure_equals_its_records(world):
    for year in (2019, 2020, 2021):
        _equal_to_records(by_key(outreach_figures(world.user("leader"), Period.of_year(year))))

"""The 2020 figures of 示例市 are counted from inspection records (seed 一(三)2: 3361 家次);
every figure is exactly its records, and later publications do not change a past period."""

import datetime as dt

from ecogov.core.figures import Kind, Period, by_key, figures_for, invariant_breaches
from ecogov.inspections import services
from ecogov.inspections.figures import inspection_figures
from ecogov.inspections.models import DrawCheck, InspectionRecord, InspectionType, Outcome
from ecogov.inspections.testing import drawn, entities_in

D = dt.date
Y2020 = Period.of_year(2020)


def test_enterprise_visits_2020_is_the_seed_figure(world):
    figures = by_key(inspection_figures(world.user("leader"), Y2020))
    total = figures["inspections.enterprise_visits"]
    assert (total.value, total.unit, total.kind) == (3361, "家次", Kind.COUNT)
    # the records are exactly the ones behind the number
    assert total.records.count() == 3361
    assert set(total.records.values_list("pk", flat=True)) == set(
        InspectionRecord.objects.filter(date__year=2020).values_list("pk", flat=True)
    )
    parts = [figures[f"inspections.enterprise_visits.{t}"] for t in InspectionType.values]
    assert sum(p.value for p in parts) == 3361 and all(p.value > 0 for p in parts)
    random = figures["inspections.enterprise_visits.random"]
    # every random visit is the check of a draw still in force
    assert random.value == random.records.filter(draw_check__draw__status="active").count()


def test_every_figure_is_its_records_in_the_registry(world):
    for user in ("leader", "beishan_staff"):
        for period in (Y2020, Period.of_year(2020, D(2020, 11, 30)), Period.of_year(2021)):
            figures = figures_for(world.user(user), period, areas=["inspections"])
            assert len({f.key for f in figures}) == len(figures)  # each figure once
            assert invariant_breaches(figures) == []
            assert all(f.definition and f.records is not None for f in figures)
    cut = by_key(inspection_figures(world.user("leader"), Period.of_year(2020, D(2020, 11, 30))))
    visits = cut["inspections.enterprise_visits"].records
    assert not visits.filter(date__gt=D(2020, 11, 30)).exists()
    assert cut["inspections.enterprise_visits"].value < 3361


def test_a_result_published_after_the_period_does_not_change_it(world):
    """Cut at the day of a random check: its result, published on time a few days later, is not
    "published on time" in the cut period, in its figure nor in its records; the year has it."""
    draw = drawn(world)
    check = DrawCheck.objects.filter(draw=draw).select_related("entity").order_by("pk").first()
    inspectors = [a.inspector for a in check.assignments.order_by("position")]
    day = D(2021, 5, 12)
    record = services.inspection_record(
        actor=world.user("beishan_staff"),
        inspectors=inspectors,
        data={
            "date": day,
            "entity": check.entity,
            "type": InspectionType.RANDOM,
            "draw_check": check,
            "findings": "现场检查",
        },
    )
    publication = record.publication
    assert publication.due_on > day
    leader = world.user("leader")
    cut = Period.of_year(2021, day)
    before = by_key(inspection_figures(leader, cut))
    assert publication in before["inspections.results.due"].records
    services.publication_publish(
        actor=world.user("beishan_staff"), publication=publication, on=publication.due_on
    )
    after = by_key(inspection_figures(leader, cut))
    for key, figure in before.items():
        assert after[key].value == figure.value, key
        assert set(after[key].records.values_list("pk", flat=True)) == set(
            figure.records.values_list("pk", flat=True)
        ), key
    assert invariant_breaches(after.values()) == []
    year = by_key(inspection_figures(leader, Period.of_year(2021)))
    assert publication in year["inspections.results.published_on_time"].records


def test_a_year_without_demo_records(world):
    """2023: no inspections in the demo; three recorded through the services are the figures."""
    staff = world.user("beishan_staff")
    people = [staff, world.user("inspector")]
    entity = entities_in("北山县").order_by("pk").first()
    period = Period.of_year(2023)
    assert by_key(inspection_figures(staff, period))["inspections.enterprise_visits"].value == 0
    for day, type_, outcome in (
        (D(2023, 3, 1), InspectionType.HEAVY_METAL, Outcome.NO_PROBLEM),
        (D(2023, 12, 31), InspectionType.DAILY, Outcome.ORDERED_FIXED),
        (D(2024, 1, 2), InspectionType.DAILY, Outcome.NO_PROBLEM),
    ):
        services.inspection_record(
            actor=staff,
            inspectors=people,
            data={
                "date": day,
                "entity": entity,
                "type": type_,
                "outcome": outcome,
                "findings": "现场检查",
            },
        )
    for user in (staff, world.user("leader")):
        f = by_key(inspection_figures(user, period))
        assert (
            f["inspections.enterprise_visits"].value,
            f["inspections.enterprise_visits.heavy_metal"].value,
            f["inspections.enterprise_visits.daily"].value,
            f["inspections.problems_ordered_fixed"].value,
        ) == (2, 1, 1, 1)
        assert invariant_breaches(f.values()) == []
    cut = by_key(inspection_figures(staff, Period.of_year(2023, D(2023, 12, 30))))
    assert cut["inspections.enterprise_visits"].value == 1
    assert cut["inspections.problems_ordered_fixed"].value == 0

import datetime as dt
from decimal import Decimal

import pytest

from ecogov.core import creditcode, services
from ecogov.core.figures import Figure, Kind, Period, by_key, entity_figures, figures_for, ratio
from ecogov.core.models import RegulatedEntity


def test_figures_are_counted_from_records_within_scope(world):
    staff = world.user("beishan_staff")
    before = by_key(entity_figures(staff, Period.of_year(2026)))
    own = RegulatedEntity.objects.filter(division__name="北山县")
    assert before["core.entities.total"].value == own.count()
    assert (
        before["core.entities.key_dischargers"].value == own.filter(is_key_discharger=True).count()
    )
    services.entity_create(
        actor=staff,
        data={
            "name": "统计测试公司",
            "credit_code": creditcode.make("91990121MA0000501"),
            "division": world.division("北山县"),
            "is_key_discharger": True,
        },
    )
    after = by_key(entity_figures(staff, Period.of_year(2026)))
    assert after["core.entities.total"].value == before["core.entities.total"].value + 1
    assert (
        after["core.entities.key_dischargers"].value
        == before["core.entities.key_dischargers"].value + 1
    )
    registered = after["core.entities.registered_in_year"]
    # the figure's records are exactly the records behind the number
    assert registered.records.count() == registered.value
    assert "统计测试公司" in set(registered.records.values_list("name", flat=True))
    city = by_key(entity_figures(world.user("leader"), 2026))
    assert city["core.entities.total"].value == RegulatedEntity.objects.count()


def test_a_period_is_a_year_or_a_year_cut_at_a_day():
    year = Period.of_year(2020)
    assert (year.start, year.end, year.label) == (
        dt.date(2020, 1, 1),
        dt.date(2020, 12, 31),
        "2020年",
    )
    cut = Period.of_year(2020, until=dt.date(2020, 11, 30))
    assert cut.label == "2020年(截至11月30日)" and cut.as_params() == {
        "year": "2020",
        "until": "2020-11-30",
    }
    assert cut.contains(dt.date(2020, 11, 30)) and not cut.contains(dt.date(2020, 12, 1))
    with pytest.raises(ValueError):
        Period.of_year(2020, until=dt.date(2021, 1, 1))


def test_a_ratio_is_its_parts_ratio_and_values_serialise_consistently():
    closed = Figure("p.closed", "办结", 142, "件")
    received = Figure("p.received", "受理", 153, "件")
    rate = ratio("p.rate", "办结率", closed, received)
    assert rate.kind is Kind.RATIO and rate.parts == ("p.closed", "p.received")
    assert rate.value == Decimal("92.8") and rate.json_value() == "92.8"
    assert closed.json_value() == 142
    assert ratio("p.none", "x", closed, Figure("z", "z", 0, "件")).value is None


def test_the_registry_asks_every_area_and_narrows_to_a_division(world):
    leader = world.user("leader")
    everything = by_key(figures_for(leader, Period.of_year(2026)))
    assert everything["core.entities.total"].area == "core"
    beishan = by_key(figures_for(leader, Period.of_year(2026), division=world.division("北山县")))
    assert (
        beishan["core.entities.total"].value
        == RegulatedEntity.objects.filter(
            division__path__startswith=world.division("北山县").path
        ).count()
    )
    # a county user cannot ask for another county
    with pytest.raises(PermissionError):
        figures_for(
            world.user("beishan_staff"), Period.of_year(2026), division=world.division("南湖县")
        )

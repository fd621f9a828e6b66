"""The 2020 permit figures of 示例市 equal the seed, follow scope and dates, and drill down."""

import datetime as dt

from ecogov.permits import services
from ecogov.permits.figures import permit_figures
from ecogov.permits.models import Permit, Registration

D = dt.date


def _values(user, year):
    return {f.key: f.value for f in permit_figures(user, year)}


def test_the_2020_figures_equal_the_seed(world):
    values = _values(world.user("leader"), 2020)
    assert values["permits.issued"] == 571
    assert values["permits.issued.with_rectification"] == 133
    assert values["permits.cumulative"] == 727
    assert values["permits.cumulative.with_rectification"] == 133
    assert values["permits.registrations"] == 3116


def test_the_boundaries_of_in_force_at_year_end(world):
    # issued 2015-12-31 for five years: in force through 2020-12-30, not at the year's end
    old = Permit.objects.filter(issued_on=D(2015, 12, 31))
    assert old.count() == 3 and all(p.in_force_until == D(2020, 12, 30) for p in old)
    # cancelled on 2020-12-31: not in force at the end of that day
    cancelled = Permit.objects.get(ended_on=D(2020, 12, 31))
    assert cancelled.in_force_until == D(2020, 12, 30)
    leader = world.user("leader")
    in_force = [p for p in Permit.objects.all() if p.in_force_on(D(2020, 12, 31))]
    assert len(in_force) == _values(leader, 2020)["permits.cumulative"]
    # 2019 registrations are not 2020's
    assert Registration.objects.filter(filed_on__year=2019).count() == 150


def test_each_figure_filter_selects_its_records(world):
    leader = world.user("leader")
    for figure in permit_figures(leader, 2020):
        model = Permit if figure.model == "permits.Permit" else Registration
        assert model.objects.visible_to(leader).filter(**figure.filter).count() == figure.value, \
            figure.key


def test_figures_follow_scope_and_new_records(world, issue):
    county = _values(world.user("beishan_staff"), 2020)
    own = Permit.objects.filter(division__name="北山县", issued_on__year=2020).count()
    assert county["permits.issued"] == own < 571
    before = _values(world.user("leader"), 2025)
    issue(issued_on=D(2025, 3, 10), with_rectification=True, rectification_items=["整改"],
          rectification_deadline=D(2025, 9, 1))
    services.registration_file(actor=world.user("beishan_staff"), data={
        "entity": world.entity_in("北山县"), "address": "北山县统计测试路1号",
        "filed_on": D(2025, 4, 1)})
    after = _values(world.user("leader"), 2025)
    assert after["permits.issued"] == before["permits.issued"] + 1
    assert after["permits.issued.with_rectification"] == before["permits.issued.with_rectification"] + 1
    assert after["permits.cumulative"] == before["permits.cumulative"] + 1
    assert after["permits.registrations"] == before["permits.registrations"] + 1
    assert _values(world.user("leader"), 2020)["permits.issued"] == 571

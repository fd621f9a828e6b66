"""The 2020 permit figures of 示例市 against the seed; every figure is exactly its records,
follows scope and the period, and is not changed by what happens after the period's end."""

import datetime as dt

from ecogov.core.figures import Kind, Period, by_key, figures_for, invariant_breaches
from ecogov.permits import services
from ecogov.permits.figures import permit_figures
from ecogov.permits.models import Permit, Registration

D = dt.date
Y2020 = Period.of_year(2020)


def _values(user, period):
    return {f.key: f.value for f in permit_figures(user, period)}


def test_the_2020_figures_and_the_seed(world):
    values = _values(world.user("leader"), Y2020)
    assert values["permits.issued"] == 571
    assert values["permits.issued.with_rectification"] == 133
    # 累计发证: every permit issued up to 2020-12-31, whatever became of it since
    assert (
        values["permits.issued_cumulative"]
        == Permit.objects.filter(issued_on__lte=D(2020, 12, 31)).count()
        == 727
    )  # the seed's 累计发证
    assert values["permits.issued_cumulative.with_rectification"] == 133
    assert values["permits.in_force"] == 718  # nine of them ended by then
    assert values["permits.in_force.with_rectification"] == 133
    assert values["permits.registrations"] == 3116


def test_the_boundaries_of_in_force_at_year_end(world):
    # issued 2015-12-31 for five years: in force through 2020-12-30, not at the year's end
    old = Permit.objects.filter(issued_on=D(2015, 12, 31))
    assert old.count() == 3 and all(p.in_force_until == D(2020, 12, 30) for p in old)
    # cancelled on 2020-12-31: not in force at the end of that day
    cancelled = Permit.objects.get(ended_on=D(2020, 12, 31))
    assert cancelled.in_force_until == D(2020, 12, 30)
    leader = world.user("leader")
    figures = by_key(permit_figures(leader, Y2020))
    in_force = {p.pk for p in Permit.objects.all() if p.in_force_on(D(2020, 12, 31))}
    assert set(figures["permits.in_force"].records.values_list("pk", flat=True)) == in_force
    issued = set(figures["permits.issued_cumulative"].records.values_list("pk", flat=True))
    assert {p.pk for p in old} | {cancelled.pk} <= issued - in_force
    # cut at 30 November, the permit cancelled on 31 December was still in force
    cut = by_key(permit_figures(leader, Period.of_year(2020, D(2020, 11, 30))))
    assert cancelled in cut["permits.in_force"].records
    # 2019 registrations are not 2020's
    assert Registration.objects.filter(filed_on__year=2019).count() == 150


def test_each_figure_is_exactly_its_records(world):
    for user in ("leader", "beishan_staff"):
        figures = permit_figures(world.user(user), Y2020)
        assert invariant_breaches(figures) == []
        for figure in figures:
            assert figure.kind is Kind.COUNT and figure.definition, figure.key
            assert figure.records.model._meta.label == figure.model, figure.key
            assert figure.records.count() == figure.value, figure.key
    registered = by_key(figures_for(world.user("leader"), Y2020, areas=["permits"]))
    assert registered["permits.issued_cumulative"].value == 727


def test_figures_follow_scope_and_new_records(world, issue):
    county = _values(world.user("beishan_staff"), Y2020)
    own = Permit.objects.filter(division__name="北山县", issued_on__year=2020).count()
    assert county["permits.issued"] == own < 571
    period = Period.of_year(2025)
    before = _values(world.user("leader"), period)
    issue(
        issued_on=D(2025, 3, 10),
        with_rectification=True,
        rectification_items=["整改"],
        rectification_deadline=D(2025, 9, 1),
    )
    services.registration_file(
        actor=world.user("beishan_staff"),
        data={
            "entity": world.entity_in("北山县"),
            "address": "北山县统计测试路1号",
            "filed_on": D(2025, 4, 1),
        },
    )
    after = _values(world.user("leader"), period)
    for key in (
        "permits.issued",
        "permits.issued.with_rectification",
        "permits.in_force",
        "permits.issued_cumulative",
        "permits.registrations",
    ):
        assert after[key] == before[key] + 1, key
    assert _values(world.user("leader"), Y2020)["permits.issued"] == 571


def test_a_year_without_demo_records_and_a_revocation_after_it(world, issue):
    """2023: the demo issues nothing then. Permits issued through the services are counted;
    revoking and cancelling them in January 2024 changes neither the figures nor their records."""
    leader = world.user("leader")
    periods = [Period.of_year(2023), Period.of_year(2023, D(2023, 11, 30))]
    before = [by_key(permit_figures(leader, p)) for p in periods]
    first = issue(issued_on=D(2023, 3, 10))
    second = issue(
        issued_on=D(2023, 6, 1),
        with_rectification=True,
        rectification_items=["规范排放口"],
        rectification_deadline=D(2023, 12, 1),
    )
    late = issue(issued_on=D(2023, 12, 15))  # after the cut-off day
    counted = [by_key(permit_figures(leader, p)) for p in periods]
    for old, new, n in zip(before, counted, (3, 2), strict=True):
        assert new["permits.issued"].value == old["permits.issued"].value + n
        assert new["permits.in_force"].value == old["permits.in_force"].value + n
        assert new["permits.issued_cumulative"].value == old["permits.issued_cumulative"].value + n
        assert new["permits.in_force.with_rectification"].value == (
            old["permits.in_force.with_rectification"].value + 1
        )
        assert invariant_breaches(new.values()) == []
    assert late not in counted[1]["permits.issued_cumulative"].records
    staff = world.user("eia_staff")
    services.permit_revoke(
        actor=staff, permit=first, revoked_on=D(2024, 1, 1), reason="以欺骗手段取得许可证,依法撤销"
    )
    services.permit_cancel(
        actor=staff, permit=second, cancelled_on=D(2024, 1, 20), reason="企业关闭,依申请注销"
    )
    for period, then in zip(periods, counted, strict=True):
        now = by_key(permit_figures(leader, period))
        for key, figure in then.items():
            assert now[key].value == figure.value, key
            assert set(now[key].records.values_list("pk", flat=True)) == set(
                figure.records.values_list("pk", flat=True)
            ), key
        assert {first.pk, second.pk} <= set(
            now["permits.in_force"].records.values_list("pk", flat=True)
        )
        assert invariant_breaches(now.values()) == []
    # in force at the end of 2024: neither of them any more
    end_2024 = by_key(permit_figures(leader, Period.of_year(2024)))["permits.in_force"].records
    assert not end_2024.filter(pk__in=[first.pk, second.pk]).exists()

"""The annual summary's air-quality figures, computed from 示例市's demo records."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np

from ecogov.airquality.figures import airquality_figures, attainment_figures
from ecogov.airquality.models import Observation, Station
from ecogov.core.figures import Kind, Period, figures_for, invariant_breaches

LOCAL = ZoneInfo("Asia/Shanghai")


def _by_key(figures):
    return {f.key: f for f in figures}


def test_2020_all_six_pollutants_attain_grade_ii(world):
    figures = _by_key(airquality_figures(world.user("leader"), 2020))
    overall = figures["airquality.attainment"]
    assert overall.value == 1
    assert overall.text == "六项污染物全部达到国家环境空气质量二级标准"
    assert (overall.edition, overall.limit_set, overall.method) == (
        "2012",
        "GB3095-2012",
        "bulletin",
    )
    for key in ("so2", "no2", "co", "o3", "pm10", "pm25"):
        assert figures[f"airquality.attainment.{key}"].value == 1, key
    assert figures["airquality.attainment.pollutants_attained"].value == 6
    ratio = figures["airquality.good_days_ratio"]
    assert isinstance(ratio.value, Decimal) and Decimal("80") < ratio.value <= 100
    assert ratio.value == round(
        Decimal(figures["airquality.good_days"].value * 100)
        / figures["airquality.valid_days"].value,
        1,
    )
    assert figures["airquality.annual.pm25"].unit == "µg/m³"
    assert figures["airquality.annual.pm25"].value <= 35  # Grade II annual limit
    assert figures["airquality.annual.co"].unit == "mg/m³"
    assert figures["airquality.stations"].value == 4


def test_2019_is_the_dirtier_year(world):
    figures = _by_key(airquality_figures(world.user("leader"), 2019))
    assert figures["airquality.attainment"].value == 0
    assert figures["airquality.attainment.pm25"].value == 0
    assert figures["airquality.attainment.so2"].value == 1
    assert "PM₂.₅" in figures["airquality.attainment"].text


def test_the_records_are_the_rows_behind_the_number(world):
    figure = _by_key(airquality_figures(world.user("viewer"), 2020))["airquality.annual.pm25"]
    assert figure.kind is Kind.MEASURED and figure.model == "airquality.Observation"
    rows = figure.records
    counted = Station.objects.filter(city__code="990100", counts_for_city=True)
    assert set(rows.values_list("station__code", flat=True).distinct()) == set(
        counted.values_list("code", flat=True)
    )
    # The PM2.5 annual mean again, independently: the hourly city mean of the counted
    # stations, then 24 h means of days with >= 20 hours, then their mean (HJ 663).
    start = dt.datetime(2020, 1, 1, tzinfo=LOCAL)
    sums, counts = np.zeros(366 * 24), np.zeros(366 * 24)
    for hour, value, flag in rows.values_list("hour", "pm25", "pm25_flag"):
        if value is not None and not flag:
            h = int((hour - start).total_seconds() // 3600)
            sums[h] += value
            counts[h] += 1
    with np.errstate(invalid="ignore"):
        city = (sums / counts).reshape(366, 24)
    valid = (~np.isnan(city)).sum(axis=1) >= 20
    daily = np.nanmean(city[valid], axis=1)
    assert figure.value == Decimal(str(float(np.round(daily.mean()))))


def test_figures_follow_the_view_permission(world):
    assert airquality_figures(world.user("sysadmin"), 2020) == []
    county = _by_key(airquality_figures(world.user("beishan_staff"), 2020))
    assert county["airquality.attainment"].value == 1  # the county's city
    assert attainment_figures(world.user("leader"), 1999) == []  # no data that year


def test_demo_rows_are_stored_at_their_local_hour_start(world):
    rows = Observation.objects.filter(station__code="9901A").order_by("hour")
    assert rows.first().hour == dt.datetime(2019, 1, 1, 0, tzinfo=LOCAL)
    assert rows.last().hour == dt.datetime(2020, 12, 31, 23, tzinfo=LOCAL)
    assert rows.count() <= 24 * (365 + 366)


def test_patrol_ledger_gives_the_seed_figures_within_scope(world):
    from ecogov.airquality.models import Patrol

    city = _by_key(airquality_figures(world.user("leader"), 2020))
    assert (
        city["airquality.patrols"].value,
        city["airquality.patrols.sites"].value,
        city["airquality.patrols.letters"].value,
    ) == (958, 1201, 79)
    assert (
        city["airquality.patrols"].text
        == "出动督查人员958人次,巡查工地和企业1201个,下达问题交办函79件"
    )
    for key, field in (
        ("airquality.patrols", "person_times"),
        ("airquality.patrols.sites", "sites"),
        ("airquality.patrols.letters", "letters"),
    ):
        figure = city[key]
        assert (figure.kind, figure.field, figure.records.count()) == (Kind.SUM, field, 36)
        assert sum(figure.records.values_list(field, flat=True)) == figure.value
    county = _by_key(airquality_figures(world.user("beishan_staff"), 2020))
    own = Patrol.objects.filter(division__name="北山县", patrol_date__year=2020)
    assert 0 < county["airquality.patrols"].value == sum(p.person_times for p in own) < 958
    assert _by_key(airquality_figures(world.user("leader"), 2019))["airquality.patrols"].value == 0


def test_patrols_are_recorded_within_the_territory(world):
    import pytest
    from django.core.exceptions import PermissionDenied

    from ecogov.airquality import services

    staff = world.user("beishan_staff")
    data = {
        "patrol_date": dt.date(2020, 12, 30),
        "subject": "道路扬尘",
        "person_times": 4,
        "sites": 6,
        "letters": 1,
    }
    patrol = services.patrol_create(
        actor=staff, data={**data, "division": world.division("北山县")}
    )
    assert patrol.pk and patrol.history.count() == 1
    with pytest.raises(PermissionDenied):
        services.patrol_create(actor=staff, data={**data, "division": world.division("城东区")})
    with pytest.raises(PermissionDenied):
        services.patrol_create(
            actor=world.user("viewer"), data={**data, "division": world.division("示例市")}
        )


def test_every_figure_keeps_the_invariant_and_the_ratio_has_its_parts(world):
    for user in ("leader", "beishan_staff"):
        for period in (
            Period.of_year(2020),
            Period.of_year(2020, dt.date(2020, 11, 30)),
            Period.of_year(2021),
        ):
            figures = figures_for(world.user(user), period, areas=["airquality"])
            assert invariant_breaches(figures) == []
    f = _by_key(airquality_figures(world.user("leader"), 2020))
    ratio = f["airquality.good_days_ratio"]
    assert (ratio.kind, ratio.parts) == (
        Kind.RATIO,
        ("airquality.good_days", "airquality.valid_days"),
    )
    stations = f["airquality.stations"]
    assert stations.kind is Kind.COUNT and stations.records.count() == stations.value == 4


def test_a_year_cut_at_a_day_is_evaluated_on_its_data_up_to_that_day(world):
    cut = _by_key(
        airquality_figures(world.user("leader"), Period.of_year(2020, dt.date(2020, 11, 30)))
    )
    year = _by_key(airquality_figures(world.user("leader"), 2020))
    rows = cut["airquality.annual.pm25"].records
    assert rows.filter(hour__gte=dt.datetime(2020, 12, 1, tzinfo=LOCAL)).count() == 0
    assert rows.count() < year["airquality.annual.pm25"].records.count()
    assert cut["airquality.valid_days"].value <= 335 < year["airquality.valid_days"].value
    assert "截至11月30日" in cut["airquality.attainment"].label


def test_a_patrol_after_the_period_changes_neither_figure_nor_records(world):
    from ecogov.airquality import services

    leader = world.user("leader")
    periods = [Period.of_year(2020), Period.of_year(2020, dt.date(2020, 11, 30))]
    before = [_by_key(airquality_figures(leader, p)) for p in periods]
    services.patrol_create(
        actor=world.user("beishan_staff"),
        data={
            "patrol_date": dt.date(2021, 1, 4),
            "subject": "道路扬尘",
            "person_times": 6,
            "sites": 9,
            "letters": 2,
            "division": world.division("北山县"),
        },
    )
    for period, then in zip(periods, before, strict=True):
        now = _by_key(airquality_figures(leader, period))
        for key in ("airquality.patrols", "airquality.patrols.sites", "airquality.patrols.letters"):
            assert now[key].value == then[key].value, key
            assert set(now[key].records.values_list("pk", flat=True)) == set(
                then[key].records.values_list("pk", flat=True)
            ), key
        assert invariant_breaches(now.values()) == []
    assert _by_key(airquality_figures(leader, 2021))["airquality.patrols"].value == 6


def test_a_year_without_demo_records(world):
    """2023: no observations and no patrols in the demo; patrols recorded through the service
    are summed, and no evaluation is made without data."""
    from ecogov.airquality import services

    staff = world.user("beishan_staff")
    for day, people, sites, letters in (
        (dt.date(2023, 5, 6), 5, 7, 1),
        (dt.date(2023, 12, 31), 3, 4, 0),
        (dt.date(2024, 1, 1), 8, 8, 8),
    ):
        services.patrol_create(
            actor=staff,
            data={
                "patrol_date": day,
                "subject": "工地扬尘",
                "person_times": people,
                "sites": sites,
                "letters": letters,
                "division": world.division("北山县"),
            },
        )
    for user in (staff, world.user("leader")):
        f = _by_key(airquality_figures(user, Period.of_year(2023)))
        assert set(f) == {
            "airquality.patrols",
            "airquality.patrols.sites",
            "airquality.patrols.letters",
        }
        assert [f[k].value for k in sorted(f)] == [8, 1, 11]
        assert invariant_breaches(f.values()) == []
    cut = _by_key(airquality_figures(staff, Period.of_year(2023, dt.date(2023, 12, 30))))
    assert cut["airquality.patrols"].value == 5 and invariant_breaches(cut.values()) == []

"""Issue 17: a county evaluated on its own stations; annual targets with progress and gap;
figures for the days of each AQI category."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ecogov.airquality import queries, services
from ecogov.airquality.evaluation import city_evaluation
from ecogov.airquality.figures import airquality_figures
from ecogov.airquality.models import AirTarget, Observation, Station
from ecogov.airquality.targets import target_progress
from ecogov.core.figures import Period, invariant_breaches

LOCAL = ZoneInfo("Asia/Shanghai")


def _by_key(figures):
    return {f.key: f for f in figures}


def test_a_county_is_evaluated_on_its_own_stations(world):
    county, city = world.division("北山县"), world.division("示例市")
    doc = city_evaluation(county, 2020)
    assert set(doc["stations"]) == {"9906C", "9907C"}
    assert set(city_evaluation(city, 2020)["stations"]) == {
        "9901A", "9902A", "9903A", "9904A", "9905B"
    }  # fmt: skip
    # the county's PM2.5 is the mean of its own two stations, not the city's
    county_pm = doc["city"]["pollutants"]["PM2.5"]["annual_mean"]
    own = [doc["stations"][c]["pollutants"]["PM2.5"]["annual_mean"] for c in ("9906C", "9907C")]
    assert min(own) <= county_pm <= max(own)
    assert county_pm != city_evaluation(city, 2020)["city"]["pollutants"]["PM2.5"]["annual_mean"]


def test_each_user_sees_his_own_division_or_the_nearest_above(world):
    assert queries.city_for(world.user("beishan_staff")) == world.division("北山县")
    assert queries.city_for(world.user("leader")) == world.division("示例市")
    assert queries.city_for(None, "990121") == world.division("北山县")
    assert world.division("北山县") in queries.cities()


def test_a_county_station_is_registered_through_the_api(login, world):
    payload = {"code": "9908C", "name": "北山南站", "kind": "county", "city": "990121"}
    response = login("leader").post("/api/airquality/stations/", payload)
    assert response.status_code == 201, response.content
    assert Station.objects.get(code="9908C").city == world.division("北山县")


def _daily_mean_by_hand(stations, year, until):
    """PM2.5: the hourly mean of the stations, daily means of days with ≥ 20 hours, averaged."""
    start = dt.datetime(year, 1, 1, tzinfo=LOCAL)
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL)
    rows = Observation.objects.filter(
        station__code__in=stations, hour__gte=start, hour__lt=end, pm25__isnull=False
    ).exclude(pm25_flag__gt="")
    hourly = {}
    for hour, value in rows.values_list("hour", "pm25"):
        hourly.setdefault(hour, []).append(float(value))
    days = {}
    for hour, values in hourly.items():
        days.setdefault(hour.astimezone(LOCAL).date(), []).append(np.mean(values))
    means = [np.mean(v) for v in days.values() if len(v) >= 20]
    return float(np.mean(means))


def test_targets_show_the_whole_year_and_the_gap(world):
    county = world.division("北山县")
    progress = target_progress(county, 2020, today=dt.date(2024, 1, 1))
    assert progress.until is None and progress.period_text == "2020年全年"
    lines = {line.key: line for line in progress.lines}
    doc = city_evaluation(county, 2020)["city"]
    ratio = lines["good_days_ratio"]
    assert ratio.target == Decimal("88.0")
    assert ratio.actual == Decimal(str(doc["good_days_ratio_pct"])).quantize(Decimal("0.1"))
    assert ratio.gap == ratio.actual - Decimal("88.0") and ratio.met is (ratio.actual >= 88)
    pm = lines["pm25_mean"]
    assert pm.actual == Decimal(str(doc["pollutants"]["PM2.5"]["annual_mean"]))
    assert pm.met is (pm.actual <= Decimal("32.0")) and pm.basis == "年均浓度"
    heavy = lines["heavy_days"]
    assert heavy.actual == sum(1 for d in doc["days"] if d["aqi"] and d["aqi"] > 200)
    assert heavy.gap == heavy.actual - 3
    word = ("低于目标" if pm.gap < 0 else "超出目标") if pm.gap else "恰好达到目标"
    assert pm.text.startswith(word)


def test_year_to_date_progress_uses_the_data_so_far(world):
    county = world.division("北山县")
    full = {x.key: x for x in target_progress(county, 2020, today=dt.date(2021, 1, 1)).lines}
    ytd = target_progress(county, 2020, today=dt.date(2020, 3, 31))
    assert ytd.until == dt.date(2020, 3, 31) and ytd.period_text == "2020年1月1日至3月31日"
    lines = {x.key: x for x in ytd.lines}
    # three months cannot make an annual mean (324 days, spec §1.4): the mean so far is shown
    assert lines["pm25_mean"].basis == "年初至今日均值的平均"
    expected = _daily_mean_by_hand(["9906C", "9907C"], 2020, dt.date(2020, 3, 31))
    assert float(lines["pm25_mean"].actual) == pytest.approx(expected, abs=0.51)
    assert lines["pm25_mean"].actual > full["pm25_mean"].actual  # winter is the dirtier part
    assert lines["heavy_days"].actual <= full["heavy_days"].actual


def test_the_target_service_keeps_the_territory_and_the_rules(world):
    beishan = world.user("beishan_staff")
    target = services.target_create(
        actor=beishan,
        data={
            "division": world.division("北山县"),
            "year": 2021,
            "pm25_mean": Decimal("31.0"),
            "source_document": "示例市2021年度目标",
        },
    )
    assert target.good_days_ratio is None
    with pytest.raises(PermissionDenied):
        services.target_create(
            actor=beishan,
            data={
                "division": world.division("示例市"),
                "year": 2021,
                "pm25_mean": Decimal("29"),
                "source_document": "x",
            },
        )
    with pytest.raises(ValidationError) as info:
        services.target_update(actor=beishan, target=target, data={"pm25_mean": None})
    assert "至少填写一项目标" in str(info.value)
    with pytest.raises(ValidationError, match="已设定目标"):
        services.target_create(
            actor=world.user("leader"),
            data={
                "division": world.division("北山县"),
                "year": 2021,
                "heavy_days": 2,
                "source_document": "x",
            },
        )
    with pytest.raises(ValidationError):
        services.target_update(
            actor=beishan, target=target, data={"good_days_ratio": Decimal("101")}
        )
    assert AirTarget.objects.get(pk=target.pk).good_days_ratio is None  # all or nothing


def test_category_day_figures_add_up_to_the_valid_days(world):
    figures = _by_key(airquality_figures(world.user("leader"), 2020))
    keys = ["excellent", "good", "light", "moderate", "heavy", "severe"]
    days = [figures[f"airquality.days.{k}"].value for k in keys]
    assert sum(days) == figures["airquality.valid_days"].value
    assert days[0] + days[1] == figures["airquality.good_days"].value
    assert figures["airquality.days.heavy_or_worse"].value == days[4] + days[5]
    doc = city_evaluation(world.division("示例市"), 2020)["city"]
    assert days[2] == sum(1 for d in doc["days"] if d["category"] == "轻度污染")
    assert figures["airquality.days.excellent"].label == "优天数"


def test_target_figures_are_traceable_and_follow_the_period(world):
    user = world.user("beishan_staff")
    figures = _by_key(airquality_figures(user, 2020))
    assert figures["airquality.target.good_days_ratio"].value == Decimal("88.0")
    assert figures["airquality.target.heavy_days"].value == 3
    assert invariant_breaches(figures.values()) == []  # the target is its record's value
    actual = figures["airquality.target.good_days_ratio.actual"].value
    assert actual == figures["airquality.good_days_ratio"].value  # the whole year: the same
    gap = figures["airquality.target.pm25_mean.gap"]
    assert gap.value == figures["airquality.target.pm25_mean.actual"].value - Decimal("32.0")
    cut = _by_key(airquality_figures(user, Period.of_year(2020, until=dt.date(2020, 3, 31))))
    assert cut["airquality.target.pm25_mean.actual"].text == "年初至今日均值的平均"
    assert _by_key(airquality_figures(user, 2019)).get("airquality.target.pm25_mean") is None


def test_the_evaluation_page_and_the_portal_card_show_target_vs_actual(login, world, client):
    html = login("leader").get("/admin/airquality/evaluation/report/?city=990121&year=2020")
    page = html.content.decode()
    assert 'id="aq-targets"' in page and "北山县2020年空气质量目标完成情况" in page
    assert "≥ 88.0 %" in page and "≤ 3 天" in page
    card = queries.target_card(world.division("示例市"), 2020, today=dt.date(2021, 1, 1))
    assert card["division"] == "示例市" and card["period"] == "2020年全年"
    assert [line["key"] for line in card["lines"]] == ["good_days_ratio", "pm25_mean", "heavy_days"]
    assert all(line["gap"] == line["actual"] - line["target"] for line in card["lines"])
    assert queries.target_card(world.division("示例市"), 2019) is None


def test_targets_and_patrols_through_the_api(login, world):
    county = login("beishan_staff")
    body = {
        "division": "990121",
        "year": 2031,
        "good_days_ratio": "88.5",
        "source_document": "北山县2031年大气污染防治目标责任书",
    }
    made = county.post("/api/airquality/targets/", body, content_type="application/json")
    assert made.status_code == 201, made.json()
    again = county.post("/api/airquality/targets/", body, content_type="application/json")
    assert again.status_code == 400  # one target a division and year
    url = f"/api/airquality/targets/{made.json()['id']}/"
    changed = county.patch(url, {"pm25_mean": "32.0"}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["pm25_mean"] == "32.0"
    empty = county.patch(
        url, {"good_days_ratio": None, "pm25_mean": None}, content_type="application/json"
    )
    assert empty.status_code == 400 and "至少填写一项目标" in empty.json()["good_days_ratio"][0]
    patrol = county.post(
        "/api/airquality/patrols/",
        {
            "patrol_date": "2026-03-02",
            "division": "990121",
            "subject": "建筑工地扬尘",
            "person_times": 6,
            "sites": 11,
        },
        content_type="application/json",
    )
    assert patrol.status_code == 201, patrol.json()
    fixed = county.patch(
        f"/api/airquality/patrols/{patrol.json()['id']}/",
        {"letters": 2},
        content_type="application/json",
    )
    assert fixed.status_code == 200 and fixed.json()["letters"] == 2
    # (the same test client, now signed in as another county's user)
    other = login("nanhu_staff").post(
        "/api/airquality/targets/", {**body, "year": 2032}, content_type="application/json"
    )
    assert other.status_code == 403

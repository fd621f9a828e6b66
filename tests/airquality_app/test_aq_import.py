"""Hourly-data import: both layouts, CSV and .xlsx, every row-level problem, no silent change."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from ecogov.airquality import services
from ecogov.airquality.evaluation import city_evaluation
from ecogov.airquality.ingest import InputError
from ecogov.airquality.models import Evaluation, ImportBatch, Observation

LOCAL = ZoneInfo("Asia/Shanghai")
LONG = ["station", "time", "pollutant", "value", "flag", "unit"]


def obs(code, y, m, d, h):
    return Observation.objects.get(station__code=code, hour=dt.datetime(y, m, d, h, tzinfo=LOCAL))


def messages(batch, kind=None):
    return {
        (p["line"], p["field"], p["message"])
        for p in batch.problems
        if kind is None or p["kind"] == kind
    }


def by_line(batch, line):
    return " | ".join(p["message"] for p in batch.problems if p["line"] == line)


def test_long_csv_keeps_valid_rows_and_reports_every_problem(
    world, stations, neighbour_station, write_csv
):
    rows = [
        ["T1", "2024-03-01T00:00", "SO2", "12", "", "µg/m³"],  # 2 ok
        ["T1", "2024-03-01T00:00", "PM2.5", "80", "", ""],  # 3 ok, above PM10
        ["T1", "2024-03-01T00:00", "PM10", "60", "", ""],  # 4 ok
        ["T1", "2024-03-01T01:00", "CO", "1.2", "", "mg/m3"],  # 5 ok
        ["T1", "2024-03-01T01:00", "CO", "1.2", "", "mg/m3"],  # 6 same copy
        ["T1", "2024-03-01T02:00", "NO2", "30", "", ""],  # 7 differing copies
        ["T1", "2024-03-01T02:00", "NO2", "31", "", ""],  # 8
        ["T1", "2024-03-01T02:30", "NO2", "30", "", ""],  # 9 not on the hour
        ["T1", "2024/03/01 03:00", "NO2", "30", "", ""],  # 10 unparseable
        ["T1", "2024-03-01T03:00", "NOX", "30", "", ""],  # 11 unknown pollutant
        ["ZZ9", "2024-03-01T03:00", "NO2", "30", "", ""],  # 12 unknown station
        ["N1", "2024-03-01T03:00", "NO2", "30", "", ""],  # 13 other city
        ["T1", "2024-03-01T03:00", "NO2", "-4", "", ""],  # 14 negative
        ["T1", "2024-03-01T03:00", "O3", "n/a", "", ""],  # 15 not a number
        ["T1", "2024-03-01T03:00", "CO", "1200", "", "µg/m3"],  # 16 CO in µg/m³
        ["T1", "2024-03-01T04:00", "O3", "400", "H", ""],  # 17 flagged invalid
        ["T1", "2024-03-01T05:00", "O3", "", "", ""],  # 18 missing
        ["T1", "2024-03-01T06:00+00:00", "O3", "50", "", ""],  # 19 UTC -> 14:00 local
        ["T1", "2024-03-01T07:00", "CO", "150", "", ""],  # 20 CO suspicious
    ]
    path = write_csv("long.csv", LONG, rows)
    batch = services.import_file(actor=world.user("leader"), path=path, source="command")

    assert (batch.layout, batch.rows_read) == ("long", 19)
    assert obs("T1", 2024, 3, 1, 0).so2 == 12
    row = obs("T1", 2024, 3, 1, 0)
    assert (row.pm25, row.pm10, row.checks) == (80, 60, 1)  # flagged, not dropped
    assert obs("T1", 2024, 3, 1, 1).co == 1.2
    assert not Observation.objects.filter(station__code="T1", no2__isnull=False).exists()
    flagged = obs("T1", 2024, 3, 1, 4)
    assert (flagged.o3, flagged.o3_flag) == (400, "H")  # kept as received, marked
    assert not Observation.objects.filter(hour=dt.datetime(2024, 3, 1, 5, tzinfo=LOCAL)).exists()
    assert obs("T1", 2024, 3, 1, 14).o3 == 50
    assert (obs("T1", 2024, 3, 1, 7).co, obs("T1", 2024, 3, 1, 7).checks) == (150, 2)
    # 2 dup conflict + 9 bad rows (lines 9-16) = 10 values refused
    assert batch.values_rejected == 10
    assert (batch.values_added, batch.values_missing, batch.values_flagged) == (7, 1, 1)
    assert "与第 5 行重复(数值相同),只导入一次" in by_line(batch, 6)
    assert "重复出现且数值不同,均未导入" in by_line(batch, 7) and by_line(batch, 8)
    assert "不是整点" in by_line(batch, 9)
    assert "无法解析" in by_line(batch, 10)
    assert "'NOX' 未知" in by_line(batch, 11)
    assert "'ZZ9' 未登记" in by_line(batch, 12)
    assert "'N1' 不属于您可导入的城市" in by_line(batch, 13)
    assert "为负数" in by_line(batch, 14)
    assert "'n/a' 不是数字" in by_line(batch, 15)
    assert "CO 应以 mg/m3 计" in by_line(batch, 16)
    assert "PM2.5 大于同一小时的 PM10" in by_line(batch, 4)
    assert "CO 超过 100 mg/m³" in by_line(batch, 20)
    assert batch.warnings == 3 and batch.problems_total == 13
    assert batch.years == [2024] and batch.stations == ["T1"]
    assert batch.file_sha256 and batch.imported_by == world.user("leader")


def test_a_row_with_several_problems_gets_one_message_each(world, stations, write_csv):
    path = write_csv("bad.csv", LONG, [["", "2024-02-30T00:00", "foo", "-1", "TOOLONGFLAG", ""]])
    batch = services.import_file(actor=world.user("leader"), path=path)
    fields = {p["field"] for p in batch.problems if p["line"] == 2}
    assert fields == {"station", "time", "pollutant", "value", "flag"}
    assert batch.values_rejected == 1 and batch.values_added == 0


def test_existing_values_are_never_changed_silently(world, stations, write_csv):
    leader = world.user("leader")
    first = write_csv("a.csv", LONG[:4], [["T1", "2024-05-01T08:00", "PM10", "70"]])
    services.import_file(actor=leader, path=first)
    again = services.import_file(actor=leader, path=first)
    assert (again.values_added, again.values_unchanged) == (0, 1)
    assert "已于" in by_line(again, 0)  # same file seen before
    other = write_csv(
        "b.csv",
        LONG[:4],
        [["T1", "2024-05-01T08:00", "PM10", "75"], ["T1", "2024-05-01T08:00", "PM2.5", "30"]],
    )
    refused = services.import_file(actor=leader, path=other)
    assert obs("T1", 2024, 5, 1, 8).pm10 == 70 and obs("T1", 2024, 5, 1, 8).pm25 == 30
    assert "已有数值 70,与本次 75 不同,未覆盖" in by_line(refused, 2)
    assert (refused.values_rejected, refused.values_added) == (1, 1)
    replaced = services.import_file(actor=leader, path=other, replace=True)
    assert obs("T1", 2024, 5, 1, 8).pm10 == 75
    assert replaced.values_replaced == 1 and "原值 70 已覆盖为 75" in by_line(replaced, 2)


def test_wide_daily_files_shift_the_hour_end_labels(world, stations, write_csv):
    header = ["date", "hour", "type", "T1", "T2", "XX1"]
    day1 = write_csv(
        "20240101.csv",
        header,
        [
            ["20240101", "1", "PM2.5", "30", "20", ""],  # label 1 = 00:00-01:00
            ["20240101", "1", "PM10", "50", "", "7"],
            ["20240101", "1", "AQI", "43", "", ""],
            ["20240101", "24", "SO2", "9", "8", ""],  # label 24 = 23:00 the same day
            ["20240101", "25", "SO2", "9", "", ""],
            ["2024013x", "2", "SO2", "9", "", ""],
            ["20240101", "3", "NO2", "x", "", ""],
        ],
    )
    leader = world.user("leader")
    batch = services.import_file(actor=leader, path=day1)
    assert batch.layout == "wide"
    assert (obs("T1", 2024, 1, 1, 0).pm25, obs("T2", 2024, 1, 1, 0).pm25) == (30, 20)
    assert obs("T1", 2024, 1, 1, 23).so2 == 9
    assert "站点列 'XX1' 未登记" in by_line(batch, 1)
    assert "AQI" in by_line(batch, 4)  # not imported, and said so
    assert "'25' 无效" in by_line(batch, 6) and "'2024013x' 无法解析" in by_line(batch, 7)
    assert "'x' 不是数字" in by_line(batch, 8)
    assert batch.values_rejected == 4 and batch.values_added == 5
    # label 0 of 2 January is 23:00 of 1 January: the same hour as label 24 above
    day2 = write_csv("20240102.csv", header[:4], [["20240102", "0", "SO2", "10"]])
    clash = services.import_file(actor=leader, path=day2)
    assert obs("T1", 2024, 1, 1, 23).so2 == 9
    assert "站点 T1 2024-01-01T23:00 SO2 已有数值 9" in by_line(clash, 2)


def test_xlsx_in_both_layouts(world, stations, write_xlsx):
    leader = world.user("leader")
    long = write_xlsx(
        "long.xlsx",
        LONG[:4],
        [["T1", dt.datetime(2024, 6, 1, 5), "O3", 88], ["T1", "2024-06-01T06:00", "CO", 0.9]],
    )
    services.import_file(actor=leader, path=long)
    assert obs("T1", 2024, 6, 1, 5).o3 == 88 and obs("T1", 2024, 6, 1, 6).co == 0.9
    wide = write_xlsx(
        "20240602.xlsx",
        ["date", "hour", "type", "T1"],
        [[20240602, 1.0, "NO2", 41], [20240602, 2, "PM2.5_24h", 30]],
    )
    batch = services.import_file(actor=leader, path=wide)
    assert obs("T1", 2024, 6, 2, 0).no2 == 41 and batch.values_added == 1


def test_unreadable_files_raise_and_write_nothing(world, stations, write_csv):
    path = write_csv("x.csv", ["a", "b"], [["1", "2"]])
    with pytest.raises(InputError, match="表头应含"):
        services.import_file(actor=world.user("leader"), path=path)
    assert not ImportBatch.objects.filter(file_name="x.csv").exists()


def test_only_staff_with_the_permission_import_into_their_own_territory(
    world, stations, write_csv, county_section_staff
):
    path = write_csv("a.csv", LONG[:4], [["T1", "2024-05-01T08:00", "PM10", "70"]])
    for user in (world.user("viewer"), world.user("beishan_staff")):
        with pytest.raises(PermissionDenied):
            services.import_file(actor=user, path=path)
    # 北山县 has its own stations (issue 17): its section staff import theirs, not the city's
    batch = services.import_file(actor=county_section_staff, path=path)
    assert batch.values_added == 0 and "不属于您可导入的城市" in batch.problems[0]["message"]
    own = write_csv("b.csv", LONG[:4], [["9906C", "2024-05-01T08:00", "PM10", "70"]])
    assert services.import_file(actor=county_section_staff, path=own).values_added == 1
    assert services.import_file(actor=world.user("eia_staff"), path=path).values_added == 1


def test_flagged_values_are_not_evaluated_and_imports_invalidate_the_cache(
    world, stations, write_csv
):
    city = world.division("示例市")
    leader = world.user("leader")
    before = city_evaluation(city, 2020)
    assert Evaluation.objects.filter(city=city, year=2020).count() == 1
    city_evaluation(city, 2019)
    start = dt.datetime(2020, 1, 1)
    # a year of T1 whose first day is flagged invalid (and would weigh if it were read)
    rows = [
        ["T1", (start + dt.timedelta(hours=h)).isoformat(), "SO2", "5", "", ""]
        for h in range(24 * 366)
    ]
    for h in range(24):
        rows[h] = ["T1", rows[h][1], "SO2", "900", "H", ""]
    services.import_file(actor=leader, path=write_csv("t1.csv", LONG, rows))
    assert not Evaluation.objects.filter(city=city, year=2020).exists()  # dropped
    assert Evaluation.objects.filter(city=city, year=2019).exists()  # other year kept
    after = city_evaluation(city, 2020)
    t1 = after["stations"]["T1"]["pollutants"]["SO2"]
    assert (t1["annual_mean"], t1["percentile"], t1["valid_days"]) == (5, 5, 365)
    assert (
        after["city"]["pollutants"]["SO2"]["annual_mean"]
        != before["city"]["pollutants"]["SO2"]["annual_mean"]
    )  # T1 counts for the city


def test_station_changes_invalidate_the_cache(world, stations):
    city = world.division("示例市")
    city_evaluation(city, 2020)
    station = stations["T2"]
    services.station_update(
        actor=world.user("leader"), station=station, data={"counts_for_city": True}
    )
    assert not Evaluation.objects.filter(city=city).exists()
    with pytest.raises(PermissionDenied):
        services.station_update(
            actor=world.user("beishan_staff"), station=station, data={"name": "改名"}
        )

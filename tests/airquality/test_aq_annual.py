"""Annual statistics and attainment (HJ 663, spec §3): worked examples and validity edges."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.airquality.engine import Options, evaluate, limit_set, result_to_dict
from ecogov.airquality.engine.annual import percentile_hj663
from ecogov.airquality.engine.editions import annual_edition

P = {"SO2": 0, "NO2": 1, "CO": 2, "O3": 3, "PM10": 4, "PM2.5": 5}
CLEAN = {"SO2": 9.0, "NO2": 15.0, "CO": 0.7, "O3": 100.0, "PM10": 39.0, "PM2.5": 21.0}


def ndays(year):
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def cube(year, n=1, **vals):
    v = CLEAN | vals
    x = np.empty((n, 6, 24 * ndays(year)))
    for p, i in P.items():
        x[:, i] = v[p]
    return x


def run(x, year, **kw):
    opts = kw.pop("options", None)
    return result_to_dict(evaluate(x, [f"S{i}" for i in range(len(x))], year, options=opts, **kw))


def kill_days(x, pollutant, days):
    for d in days:
        x[:, P[pollutant], 24 * d : 24 * d + 24] = np.nan


def test_percentile_worked_example():
    assert percentile_hj663(np.array([3, 4, 8, 2, 5, 4.0]), 90) == pytest.approx(6.5)


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=400), st.sampled_from([90, 95, 98]))
def test_percentile_is_numpy_linear_and_ignores_nan(vals, p):
    a = np.array(vals + [np.nan] * 3)
    assert percentile_hj663(a, p) == pytest.approx(np.percentile(vals, p), rel=1e-12, abs=1e-9)


def test_composite_index_worked_example_and_a_full_clean_year():
    # spec §3.4: 21/35 + 39/70 + 9/60 + 15/40 + 192/160 + 0.7/4 = 3.06.
    doc = run(cube(2023, O3=192.0), 2023)
    c = doc["stations"]["S0"]
    assert c["composite_index"] == 3.06
    assert c["pollutants"]["PM2.5"] == {
        "annual_mean": 21,
        "percentile": 21,
        "percentile_rank": 95,
        "valid": True,
        "attained": True,
        "valid_days": 365,
        "exceedance_pct": 0.0,
        "reduction_needed_pct": 0.0,
    }
    assert c["pollutants"]["CO"]["percentile"] == 0.7 and "annual_mean" not in c["pollutants"]["CO"]
    assert c["pollutants"]["O3"]["attained"] is False and c["attained"] is False
    assert c["pollutants"]["O3"]["exceedance_pct"] == 20.0  # 192 / 160 - 1
    assert c["pollutants"]["O3"]["reduction_needed_pct"] == 16.7  # 1 - 160 / 192
    # O3 8h 192 -> IAQI 130 every day: no good day; O3 1h 192 -> 90 (2012 daily AQI).
    assert c["good_days_ratio_pct"] == 0.0
    assert c["days"][0] == {
        "date": "2023-01-01",
        "aqi": 130,
        "category": "轻度污染",
        "color": "#FF7E00",
        "primary": ["O3_8h"],
    }
    assert doc["edition"] == "2012" and doc["limit_set"] == "GB3095-2012"
    assert doc["method"] == "bulletin" and doc["city"]["composite_index"] == 3.06


def _spread(k, year=2023):
    """First k days removable while every month keeps 27 valid days (25 in February)."""
    out = []
    for m in range(1, 13):
        first = (dt.date(year, m, 1) - dt.date(year, 1, 1)).days
        length = (dt.date(year + (m == 12), m % 12 + 1, 1) - dt.date(year, m, 1)).days
        out += range(first, first + length - (25 if m == 2 else 27))
    return out[:k]  # 43 removable in 2023


@pytest.mark.parametrize("removed, valid", [(41, True), (42, False)])
def test_annual_needs_324_days(removed, valid):
    x = cube(2023)
    days = _spread(43)[:removed]
    kill_days(x, "PM2.5", days)
    doc = run(x, 2023)["stations"]["S0"]["pollutants"]["PM2.5"]
    assert doc["valid_days"] == 365 - removed
    assert doc["valid"] is valid
    assert (
        (doc["annual_mean"] == 21)
        if valid
        else (doc["annual_mean"] is None and doc["attained"] is None)
    )


@pytest.mark.parametrize(
    "month, kept, valid", [(0, 27, True), (0, 26, False), (1, 25, True), (1, 24, False)]
)
def test_annual_needs_27_days_each_month_25_in_february(month, kept, valid):
    x = cube(2023)
    first = (dt.date(2023, month + 1, 1) - dt.date(2023, 1, 1)).days
    length = 31 if month == 0 else 28
    kill_days(x, "NO2", range(first, first + length - kept))
    assert run(x, 2023)["stations"]["S0"]["pollutants"]["NO2"]["valid"] is valid


def test_a_day_with_19_hours_does_not_count():
    x = cube(2023)
    kill_days(x, "SO2", _spread(41))
    x[0, P["SO2"], 24 * 200 : 24 * 200 + 5] = np.nan  # 19 hours left on day 200
    assert run(x, 2023)["stations"]["S0"]["pollutants"]["SO2"]["valid"] is False


def test_percentile_validity_option():
    x = cube(2023)
    kill_days(x, "CO", range(100))
    assert run(x, 2023)["stations"]["S0"]["pollutants"]["CO"]["percentile"] is None
    doc = run(x, 2023, options=Options(percentile_validity="any"))
    assert doc["stations"]["S0"]["pollutants"]["CO"]["percentile"] == 0.7


def test_bulletin_versus_strict():
    # PM10: 20 days at 200, 345 at 55: mean 62.9 -> 63 <= 70; P95 = 200 > 150.
    x = cube(2023, PM10=55.0)
    for d in range(0, 365, 18)[:20]:
        x[0, P["PM10"], 24 * d : 24 * d + 24] = 200.0
    b = run(x, 2023)["stations"]["S0"]
    s = run(x, 2023, options=Options(method="strict"))["stations"]["S0"]
    pm10 = b["pollutants"]["PM10"]
    assert pm10["annual_mean"] == 63 and pm10["percentile"] == 200
    assert pm10["attained"] is True and b["attained"] is True
    assert s["pollutants"]["PM10"]["attained"] is False and s["attained"] is False
    assert s["pollutants"]["PM10"]["exceedance_pct"] == pytest.approx(33.3)  # 200/150 - 1


@pytest.mark.parametrize("mean, attained", [(35.4, True), (35.5, False), (34.5, True)])
def test_round_then_compare(mean, attained):
    doc = run(cube(2023, **{"PM2.5": mean}), 2023)["stations"]["S0"]["pollutants"]["PM2.5"]
    assert doc["attained"] is attained


def test_compare_and_rounding_options():
    x = cube(2023, **{"PM2.5": 35.4})
    assert (
        run(x, 2023, options=Options(compare="unrounded"))["city"]["pollutants"]["PM2.5"][
            "attained"
        ]
        is False
    )
    # 2027: transition limit 30. 30.5 -> 30 under GB/T 8170, 31 when rounding half up.
    y = cube(2027, **{"PM2.5": 30.5})
    assert run(y, 2027)["city"]["pollutants"]["PM2.5"]["annual_mean"] == 30
    assert (
        run(y, 2027, options=Options(rounding="half_up"))["city"]["pollutants"]["PM2.5"]["attained"]
        is False
    )


def test_limit_sets_by_edition_and_year():
    assert limit_set("2012", 2031).id == "GB3095-2012"
    assert limit_set("2026", 2030).id == "GB3095-2026-transition"
    assert limit_set("2026", 2031).id == "GB3095-2026-final"
    assert limit_set("2026", 2031).annual["PM2.5"] == 25
    assert limit_set("2026", 2030).daily["PM10"] == 120
    assert annual_edition(2025, "auto") == "2012" and annual_edition(2027, "auto") == "2026"
    assert annual_edition(2026, "auto") == "2026" and annual_edition(2026, "auto", "2012") == "2012"
    # Same year, three limit sets: PM2.5 32 attains 2012 (35), not 2026 transition (30).
    x = cube(2024, **{"PM2.5": 32.0})
    assert run(x, 2024)["city"]["pollutants"]["PM2.5"]["attained"] is True
    doc = run(x, 2024, edition="2026")
    assert doc["limit_set"] == "GB3095-2026-transition"
    assert doc["city"]["pollutants"]["PM2.5"]["attained"] is False


def test_year_2026_switches_on_march_1():
    # O3: one hour at 300 per day, else 100 -> MDA8 125 (IAQI 71), 1h max 300 (IAQI 150).
    x = cube(2026, **{"PM2.5": 70.0})
    x[0, P["O3"], 12::24] = 300.0
    doc = run(x, 2026)
    days = {d["date"]: d for d in doc["stations"]["S0"]["days"]}
    assert days["2026-02-28"]["aqi"] == 150 and days["2026-02-28"]["primary"] == ["O3_1h"]
    assert days["2026-03-01"]["aqi"] == 110 and days["2026-03-01"]["primary"] == ["PM2.5"]
    assert doc["day_editions"] == [
        {"from": "2026-01-01", "to": "2026-02-28", "edition": "2012"},
        {"from": "2026-03-01", "to": "2026-12-31", "edition": "2026"},
    ]
    assert doc["edition"] == "2026" and doc["limit_set"] == "GB3095-2026-transition"
    old = run(x, 2026, edition="2012")
    assert old["limit_set"] == "GB3095-2012"
    assert {d["aqi"] for d in old["stations"]["S0"]["days"]} == {150}
    assert {d["aqi"] for d in run(x, 2026, edition="2026")["city"]["days"]} == {110}


@pytest.mark.parametrize("edition, aqi", [("2012", 500), ("2026", 300)])
def test_daily_o3_8h_above_800_in_a_year(edition, aqi):
    # 2012: 8h index not computed, O3 from the 1h max 1300 (> 1200: capped 500); 2026: 300.
    x = cube(2024, O3=1300.0)
    assert run(x, 2024, edition=edition)["city"]["days"][0]["aqi"] == aqi


def test_city_is_the_mean_of_counted_stations_each_hour():
    x = cube(2023, n=3, **{"PM2.5": 20.0})
    x[1, P["PM2.5"]] = 40.0
    x[2, P["PM2.5"]] = 90.0
    x[1, P["PM2.5"], :12] = np.nan  # station 1 missing: hours use station 0 alone
    r = evaluate(x, ["A", "B", "C"], 2023, counted=[True, True, False])
    doc = result_to_dict(r, with_days=False)
    assert doc["city"]["pollutants"]["PM2.5"]["annual_mean"] == 30
    assert doc["stations"]["C"]["pollutants"]["PM2.5"]["annual_mean"] == 90
    # At least 2 stations per hour: 1 January keeps 12 city hours (< 20), so that day drops.
    r2 = evaluate(x, ["A", "B", "C"], 2023, options=Options(city_min_stations=2), counted=[1, 1, 0])
    assert result_to_dict(r2, False)["city"]["pollutants"]["PM2.5"]["valid_days"] == 364


def test_groups_give_several_cities():
    x = cube(2023, n=4)
    x[2:, P["NO2"]] = 50.0
    r = evaluate(x, list("ABCD"), 2023, groups=[0, 0, 1, 1], group_names=["甲市", "乙市"])
    doc = result_to_dict(r, with_days=False)
    assert doc["cities"]["甲市"]["pollutants"]["NO2"]["attained"] is True
    assert doc["cities"]["乙市"]["pollutants"]["NO2"]["attained"] is False


def test_good_day_ratio():
    x = cube(2023)
    for d in range(100):  # 100 days with PM2.5 at 100 -> IAQI 133
        x[0, P["PM2.5"], 24 * d : 24 * d + 24] = 100.0
    kill_days(x, "PM10", [300])  # one day missing a pollutant, AQI <= 100: still
    c = run(x, 2023)["stations"]["S0"]  # published under 2012 (default), so 365 days
    assert c["valid_aqi_days"] == 365 and c["good_days"] == 265
    assert c["good_days_ratio_pct"] == 72.6  # 265 / 365 = 72.603 %


def test_bad_input_is_refused_in_chinese():
    x = cube(2023)
    x[0, 0, 5] = -1.0
    with pytest.raises(ValueError, match="负"):
        evaluate(x, ["S0"], 2023)
    with pytest.raises(ValueError, match="形状"):
        evaluate(np.zeros((1, 6, 100)), ["S0"], 2023)
    with pytest.raises(ValueError, match="选项"):
        Options(method="lenient")

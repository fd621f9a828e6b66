"""IAQI / AQI by HJ 633-2012 and HJ 633-2026 (spec §2): breakpoints, notes, properties."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecogov.airquality.engine.aqi import CATEGORIES, daily_aqi, iaqi, level_of
from ecogov.airquality.engine.editions import BREAKPOINTS, IAQI_STEPS
from ecogov.airquality.engine.options import Options

TABLES = [(ed, ind) for ed in ("2012", "2026") for ind in BREAKPOINTS[ed]]


def _bp(ed, ind):
    return [b for b in BREAKPOINTS[ed][ind] if b == b]


def test_breakpoint_tables_are_those_of_the_spec():
    # spec §2.1: only the PM 24h tables differ between editions.
    assert BREAKPOINTS["2012"]["PM10_24h"] == (0, 50, 150, 250, 350, 420, 500, 600)
    assert BREAKPOINTS["2026"]["PM10_24h"] == (0, 50, 120, 250, 350, 420, 500, 600)
    assert BREAKPOINTS["2012"]["PM2.5_24h"] == (0, 35, 75, 115, 150, 250, 350, 500)
    assert BREAKPOINTS["2026"]["PM2.5_24h"] == (0, 35, 60, 115, 150, 250, 350, 500)
    assert BREAKPOINTS["2012"]["SO2_24h"] == (0, 50, 150, 475, 800, 1600, 2100, 2620)
    for ind in ("SO2_1h", "NO2_24h", "NO2_1h", "CO_24h", "CO_1h", "O3_1h", "O3_8h"):
        assert BREAKPOINTS["2012"][ind] == BREAKPOINTS["2026"][ind]


@pytest.mark.parametrize("ed, ind", TABLES)
def test_every_breakpoint_gives_its_step(ed, ind):
    bp = _bp(ed, ind)
    assert iaqi(bp, ind, ed).tolist() == IAQI_STEPS[: len(bp)].tolist()


@pytest.mark.parametrize("ed, ind", TABLES)
def test_exact_against_fractions_at_reporting_precision(ed, ind):
    # Every reportable concentration (integers; CO to 0.1) against exact rational arithmetic.
    bp = _bp(ed, ind)
    scale = 10 if ind.startswith("CO") else 1
    ints = np.arange(0, int(bp[-1] * scale) + 1)
    got = iaqi(ints / scale, ind, ed)
    want = []
    for ci in ints.tolist():
        c = Fraction(ci, scale)
        i = next(k for k in range(len(bp) - 1) if bp[k] <= c <= bp[k + 1])
        lo, hi = Fraction(bp[i]), Fraction(bp[i + 1])
        il, ih = int(IAQI_STEPS[i]), int(IAQI_STEPS[i + 1])
        want.append(il + math.ceil((ih - il) * (c - lo) / (hi - lo)))
    assert got.tolist() == want


def test_float_noise_does_not_round_up():
    # 50 + 25 x 0.2 = 55 exactly; naive floats give 55.00000000000001 -> 56 (as aqi-hub does).
    assert iaqi(2.2, "CO_24h", "2012") == 55
    assert iaqi(4.0, "CO_24h", "2026") == 100
    assert iaqi(65.4, "CO_1h", "2026") == 218


def test_values_between_editions():
    assert iaqi(60, "PM2.5_24h", "2012") == 82 and iaqi(60, "PM2.5_24h", "2026") == 100
    assert iaqi(70, "PM2.5_24h", "2012") == 94 and iaqi(70, "PM2.5_24h", "2026") == 110
    assert iaqi(120, "PM10_24h", "2012") == 85 and iaqi(120, "PM10_24h", "2026") == 100
    assert iaqi(150, "PM10_24h", "2012") == 100 and iaqi(150, "PM10_24h", "2026") == 112


def test_concentration_is_rounded_before_the_index():
    # HJ 633-2026 §4.2.2: 35.5 -> 36, 34.5 -> 34 (GB/T 8170: half to even), CO 2.25 -> 2.2.
    assert iaqi(35.5, "PM2.5_24h", "2026") == iaqi(36, "PM2.5_24h", "2026") == 52
    assert iaqi(34.5, "PM2.5_24h", "2026") == 49  # 50 x 34/35 = 48.6 -> 49
    assert iaqi(2.25, "CO_24h", "2026") == 55
    assert iaqi(35.4, "PM2.5_24h", "2026", round_input=False) == 51


@pytest.mark.parametrize("ed, want", [("2012", None), ("2026", 200)])
def test_so2_1h_above_800(ed, want):
    v = iaqi([800, 801, 5000], "SO2_1h", ed)
    assert v[0] == 200
    assert np.isnan(v[1:]).all() if want is None else (v[1:] == want).all()


@pytest.mark.parametrize("ed, want", [("2012", None), ("2026", 300)])
def test_o3_8h_above_800(ed, want):
    v = iaqi([800, 801, 1300], "O3_8h", ed)
    assert v[0] == 300
    assert np.isnan(v[1:]).all() if want is None else (v[1:] == want).all()


def test_above_top_breakpoint_caps_at_500_or_na():
    assert iaqi([501, 9999], "PM2.5_24h", "2026").tolist() == [500, 500]
    assert np.isnan(iaqi(501, "PM2.5_24h", "2026", above_top="na"))


def test_missing_and_negative_give_nan():
    assert np.isnan(iaqi([np.nan, -1.0], "NO2_24h", "2012")).all()


@pytest.mark.parametrize("ed, ind", TABLES)
@given(data=st.data())
def test_monotonic(ed, ind, data):
    top = _bp(ed, ind)[-1] * (1.0 if ind in ("SO2_1h", "O3_8h") and ed == "2012" else 1.3)
    a = data.draw(st.floats(0, top))
    b = data.draw(st.floats(0, top))
    lo, hi = sorted((a, b))
    for r in (True, False):
        x, y = iaqi([lo, hi], ind, ed, round_input=r)
        assert x <= y


@pytest.mark.parametrize("ed, ind", TABLES)
@given(data=st.data())
def test_continuous_at_breakpoints(ed, ind, data):
    # Within 1e-3 of an interior breakpoint the index moves by at most one (rounded up).
    bp = _bp(ed, ind)
    k = data.draw(st.integers(1, len(bp) - 2))
    d = data.draw(st.floats(0, 1e-3))
    step = IAQI_STEPS[k]
    below = iaqi(bp[k] - d, ind, ed, round_input=False)
    above = iaqi(bp[k] + d, ind, ed, round_input=False)
    assert step - 1 <= below <= step <= above <= step + 1


def test_categories_and_colours():
    assert level_of([0, 50, 51, 100, 101, 150, 151, 200, 201, 300, 301, 500]).tolist() == [
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        4,
        5,
        5,
        6,
        6,
    ]
    assert level_of(np.nan) == 0
    assert [c["category"] for c in CATEGORIES] == [
        "优",
        "良",
        "轻度污染",
        "中度污染",
        "重度污染",
        "严重污染",
    ]
    assert [c["rgb"] for c in CATEGORIES] == [
        (0, 228, 0),
        (255, 255, 0),
        (255, 126, 0),
        (255, 0, 0),
        (153, 0, 76),
        (126, 0, 35),
    ]


def _day(**kw):
    base = {
        "SO2_24h": 10.0,
        "NO2_24h": 20.0,
        "CO_24h": 0.5,
        "O3_8h": 60.0,
        "O3_1h": 80.0,
        "PM10_24h": 40.0,
        "PM2.5_24h": 20.0,
    }
    base.update(kw)
    return {k: np.array([v]) for k, v in base.items()}


def test_primary_pollutant_only_above_50_and_ties_listed():
    r = daily_aqi(_day(), np.array([True]))
    assert r.aqi[0] <= 50 and not r.primary.any()
    # PM10 100 (2012: IAQI 75) and PM2.5 53 (ceil(50 + 50*18/40) = 73) -> PM10 primary.
    r = daily_aqi(_day(**{"PM10_24h": 100.0, "PM2.5_24h": 53.0}), np.array([False]))
    assert r.aqi[0] == 75 and [r.names[k] for k in np.flatnonzero(r.primary[:, 0])] == ["PM10"]
    # Tie: PM2.5 75 and NO2 80 both give 100 under 2012.
    r = daily_aqi(_day(**{"PM2.5_24h": 75.0, "NO2_24h": 80.0}), np.array([False]))
    assert r.aqi[0] == 100
    assert {r.names[k] for k in np.flatnonzero(r.primary[:, 0])} == {"NO2", "PM2.5"}


def test_daily_o3_1h_counts_only_under_2012():
    # O3 1h max 300 -> IAQI 150; MDA8 100 -> 50.
    d = _day(**{"O3_1h": 300.0, "O3_8h": 100.0})
    assert daily_aqi(d, np.array([False])).aqi[0] == 150
    assert daily_aqi(d, np.array([True])).aqi[0] == 50


def test_daily_o3_8h_above_800():
    d = _day(**{"O3_8h": 900.0, "O3_1h": 1000.0})
    old = daily_aqi(d, np.array([False]))  # 8h index not computed; O3 from the 1h value
    assert old.aqi[0] == 400 and old.names[np.flatnonzero(old.primary[:, 0])[0]] == "O3_1h"
    new = daily_aqi(d, np.array([True]))  # 2026: 8h index = 300; no O3 1h in the daily AQI
    assert new.aqi[0] == 300 and new.names[np.flatnonzero(new.primary[:, 0])[0]] == "O3_8h"


def test_missing_pollutant_rules():
    # 2026 §5.3.1: with PM2.5 missing, AQI 75 is not published, AQI 120 is.
    low = _day(**{"PM2.5_24h": np.nan, "PM10_24h": 100.0})
    high = _day(**{"PM2.5_24h": np.nan, "PM10_24h": 170.0})
    assert np.isnan(daily_aqi(low, np.array([True])).aqi[0])
    assert daily_aqi(high, np.array([True])).aqi[0] > 100
    # 2012 marks only the item NA (default) or follows the 2026 rule by option.
    assert daily_aqi(low, np.array([False])).aqi[0] == 75
    assert np.isnan(daily_aqi(low, np.array([False]), Options(missing_2012="like_2026")).aqi[0])


_conc = st.one_of(
    st.decimals(0, 1300, places=1),
    st.decimals(0, 70, places=2),
    st.integers(0, 4000).map(lambda i: i / 2),
).map(float)


@given(st.lists(st.tuples(*[_conc] * 7, st.booleans()), min_size=1, max_size=60))
def test_daily_table_lookup_equals_the_formula(rows):
    # daily_aqi uses exact lookup tables; they must equal iaqi() (formula 1) everywhere,
    # for mixed editions, decimal halves (GB/T 8170) and values above the tables.
    a = np.array(rows)
    new = a[:, 7].astype(bool)
    conc = {
        ind: a[:, k]
        for k, ind in enumerate(
            ("SO2_24h", "NO2_24h", "CO_24h", "O3_8h", "O3_1h", "PM10_24h", "PM2.5_24h")
        )
    }
    r = daily_aqi(conc, new, block=7)
    for k, (ind, c) in enumerate(conc.items()):
        want = np.where(new, iaqi(c, ind, "2026"), iaqi(c, ind, "2012"))
        if ind == "O3_1h":
            want[new] = np.nan
        assert np.array_equal(r.iaqi[k], want, equal_nan=True), ind
    assert np.array_equal(r.aqi, np.fmax.reduce(r.iaqi, axis=0), equal_nan=True)


def test_unrounded_2012_option():
    d = _day(**{"PM2.5_24h": 35.4})
    assert daily_aqi(d, np.array([False])).iaqi[6, 0] == 50
    assert daily_aqi(d, np.array([False]), Options(round_conc_2012=False)).iaqi[6, 0] == 51
    assert daily_aqi(d, np.array([True]), Options(round_conc_2012=False)).iaqi[6, 0] == 50

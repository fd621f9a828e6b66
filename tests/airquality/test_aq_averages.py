"""Averages and their validity rules (GB 3095 Table 4, spec §1.4, §3.1), real-time AQI."""

import numpy as np
import pytest

from ecogov.airquality.engine.aqi import hourly_aqi
from ecogov.airquality.engine.averages import (
    daily_max_1h,
    daily_means,
    mda8,
    moving_mean,
    window_means_8h,
)
from ecogov.airquality.engine.options import Options


def _day_with(valid_hours, value=50.0):
    x = np.full(24, np.nan)
    x[:valid_hours] = value
    return x


@pytest.mark.parametrize("n, valid", [(24, True), (20, True), (19, False), (0, False)])
def test_daily_mean_needs_20_hours(n, valid):
    m, cnt = daily_means(_day_with(n))
    assert cnt[0] == n
    assert (m[0] == 50.0) if valid else np.isnan(m[0])


def test_daily_mean_is_the_mean_of_valid_hours_and_days_do_not_mix():
    x = np.concatenate([np.arange(24.0), np.full(24, 7.0)])
    x[3] = np.nan
    m, n = daily_means(x)
    assert n.tolist() == [23, 24]
    assert m[0] == pytest.approx((276 - 3) / 23) and m[1] == 7.0


def test_hours_must_fill_whole_days():
    with pytest.raises(ValueError, match="24"):
        daily_means(np.zeros(25))


@pytest.mark.parametrize("n, valid", [(8, True), (6, True), (5, False)])
def test_8h_window_needs_6_hours(n, valid):
    x = np.full(24, np.nan)
    x[:n] = 100.0
    w = window_means_8h(x)[0]
    assert (w[0] == 100.0) if valid else np.isnan(w[0])


def test_mda8_windows_stay_inside_the_day():
    # 17 windows start at 0..16; a peak in hours 17..23 only reaches the last windows.
    x = np.zeros(48)
    x[16:24] = 160.0
    x[24:32] = 999.0  # next day: must not leak into day 1
    m, nw = mda8(x)
    assert nw.tolist() == [17, 17] and m[0] == 160.0 and m[1] == 999.0


def _o3_day_with_windows(k, peak=100.0):
    # Hours 0..(k+6) valid -> windows starting 0..k-1 have >= 6 valid hours... build exactly:
    # window j covers hours j..j+7 and needs >= 6 valid: valid hours 0..k+4 give k valid windows.
    x = np.full(24, np.nan)
    x[: k + 5] = peak
    return x


@pytest.mark.parametrize("k", [17, 14, 13])
def test_mda8_needs_14_windows(k):
    m, nw = mda8(_o3_day_with_windows(k))
    assert nw[0] == k
    assert (m[0] == 100.0) if k >= 14 else np.isnan(m[0])


def test_mda8_exceedance_exception():
    # 13 windows: invalid at 160 (not above the limit), still counted at 161 (spec §3.1 [L]).
    assert np.isnan(mda8(_o3_day_with_windows(13, 160.0))[0][0])
    assert mda8(_o3_day_with_windows(13, 161.0))[0][0] == 161.0
    # 160.4 rounds to 160: not an exceedance; 160.6 rounds to 161: is.
    assert np.isnan(mda8(_o3_day_with_windows(13, 160.4))[0][0])
    assert mda8(_o3_day_with_windows(13, 160.6))[0][0] == pytest.approx(160.6)
    assert np.isnan(mda8(_o3_day_with_windows(13, 500.0), exceed_limit=None)[0][0])


@pytest.mark.parametrize("n, valid", [(20, True), (19, False)])
def test_o3_daily_max_1h_needs_20_hours(n, valid):
    x = _day_with(n)
    x[0] = 90.0
    m = daily_max_1h(x)
    assert (m[0] == 90.0) if valid else np.isnan(m[0])


def test_moving_mean_trailing_window():
    x = np.arange(30.0)
    m = moving_mean(x, 24, 20)
    assert np.isnan(m[18]) and m[19] == pytest.approx(np.mean(np.arange(20.0)))
    assert m[29] == pytest.approx(np.mean(np.arange(6.0, 30.0)))


def _hours(n, so2=10.0, o3=50.0):
    x = np.zeros((6, n))
    x[0], x[1], x[2], x[3], x[4], x[5] = so2, 20.0, 0.5, o3, 30.0, 20.0
    return x


def test_realtime_so2_above_800_under_each_edition():
    x = _hours(24, so2=100.0)
    x[0, 23] = 900.0
    # 2012: 1h index not computed; SO2 index from the 24h moving mean (2300+900)/24 = 133.3
    # -> 133 -> 24h table: 50 + 50 x 83/100 = 91.5 -> 92 (spec §2.1 note 2).
    old = hourly_aqi(x, "2024-01-01T00", "auto")
    assert old.iaqi[0, 23] == 92 and old.aqi[23] == 92
    new = hourly_aqi(x, "2027-01-01T00", "auto")  # 2026: IAQI set to 200 (note b)
    assert new.iaqi[0, 23] == 200 and new.aqi[23] == 200


def test_realtime_switchover_at_2026_03_01_00():
    # Hours starting 2026-02-28T14 .. 23 (2012) then 2026-03-01T00, 01 (2026); PM2.5 70.
    x = _hours(12)
    x[5] = 70.0
    r = hourly_aqi(x, "2026-02-28T14", "auto")
    assert r.iaqi[5].tolist() == [94] * 10 + [110] * 2
    # O3 8h moving mean enters the 2012 real-time AQI only (needs 6 hours of history).
    assert np.isnan(r.iaqi[6, :5]).all() and not np.isnan(r.iaqi[6, 5:10]).any()
    assert np.isnan(r.iaqi[6, 10:]).all()
    assert hourly_aqi(x, "2026-02-28T14", "2026").iaqi[5].tolist() == [110] * 12
    assert hourly_aqi(x, "2026-02-28T14", "2012").iaqi[5].tolist() == [94] * 12


def test_realtime_pm_option_2012():
    x = _hours(24)
    x[5, :23] = 20.0
    x[5, 23] = 200.0  # 1h spike; 24h moving mean (460 + 200)/24 = 27.5 -> 28 (even)
    one = hourly_aqi(x, "2024-01-01T00", "2012")
    day = hourly_aqi(x, "2024-01-01T00", "2012", Options(realtime_pm_2012="24h"))
    assert one.iaqi[5, 23] == 250 and day.iaqi[5, 23] == 40


def test_realtime_shape_is_checked():
    with pytest.raises(ValueError, match="形状"):
        hourly_aqi(np.zeros((5, 24)), "2024-01-01T00")

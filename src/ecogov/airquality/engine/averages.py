"""Averages from hourly data with the validity rules (GB 3095 Table 4, spec §1.4 and §3.1).

Hourly arrays have the hour axis last; index h is the hour [h:00, h+1:00) in local time, and a
day's hours are 24 consecutive entries starting at local midnight. Missing = NaN; values must
not be negative (the readers reject them), which lets NaN be zeroed with one fmax pass.
Sums go through batched matrix products rather than short strided reductions: same
numbers, several times faster at national scale. (Batched on purpose: one big 2-D product
would start OpenBLAS's own threads, which fight our pool on a small shared machine.)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .rounding import round_gbt8170

# O3 MDA8 windows: 8h means ending 08:00 ... 24:00 of the same day, i.e. starting at hours
# 0 ... 16; no window crosses midnight (spec §3.1 [M], HJ 663 as encoded by foqat).
MDA8_WINDOWS = 17
_ONES24 = np.ones(24)
_BAND = np.zeros((24, MDA8_WINDOWS))
for _j in range(MDA8_WINDOWS):
    _BAND[_j : _j + 8, _j] = 1.0  # column j sums hours j .. j+7


def _by_day(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.shape[-1] % 24:
        raise ValueError(
            f"小时序列长度 {x.shape[-1]} 不是 24 的整数倍（应从本地 0 时开始按整日排列）"
        )
    return x.reshape(*x.shape[:-1], x.shape[-1] // 24, 24)


def prepare(x: np.ndarray, out: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(values with NaN -> 0, validity mask) of hourly data; ``out`` may be a reused buffer."""
    x = np.asarray(x, dtype=np.float64)
    return np.fmax(x, 0.0, out=out), ~np.isnan(x)


def _count_per_day(ok_days: np.ndarray) -> np.ndarray:
    # 24 bool bytes per day read as three uint64 words: popcount gives the valid hours
    # (adding the three words by hand: numpy's reductions over a 3-long axis are slow).
    try:
        b = np.bitwise_count(ok_days.view(np.uint64))
    except ValueError:  # non-contiguous input: plain sum
        return ok_days.sum(axis=-1)
    return (b[..., 0] + b[..., 1] + b[..., 2]).astype(np.int64)


def daily_means(
    x: np.ndarray, min_hours: int = 20, *, prepared: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """24h means (..., D) of the day's valid hours; NaN with fewer than ``min_hours`` (§1.4 [H]).

    Returns (mean, number of valid hours). ``prepared`` = prepare(x) if already computed.
    """
    v, ok = prepared if prepared is not None else prepare(x)
    n = _count_per_day(_by_day(ok))
    s = _by_day(v) @ _ONES24
    with np.errstate(invalid="ignore", divide="ignore"):
        m = s / n
    m[n < min_hours] = np.nan
    return m, n


def daily_max_1h(x: np.ndarray, min_hours: int = 20) -> np.ndarray:
    """Daily maximum 1h value (2012 daily AQI), NaN with fewer valid hours (§3.1 [L])."""
    d = _by_day(np.asarray(x, dtype=np.float64))
    n = _count_per_day(~np.isnan(d))
    m = np.fmax.reduce(d, axis=-1)  # fmax ignores NaN, gives NaN only if all are NaN
    m[n < min_hours] = np.nan
    return m


def window_means_8h(x: np.ndarray, min_hours: int = 6, *, prepared: Any = None) -> np.ndarray:
    """The 17 same-day 8h means per day (..., D, 17); NaN with < ``min_hours`` of 8 (§1.4 [H])."""
    v, ok = prepared if prepared is not None else prepare(x)
    s = _by_day(v) @ _BAND  # exact: at most 8 terms each
    n = _by_day(ok).astype(np.float32) @ _BAND.astype(np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = s / n
    m[n < min_hours] = np.nan
    return m


def mda8(
    x: np.ndarray,
    min_hours: int = 6,
    min_windows: int = 14,
    exceed_limit: float | None = 160.0,
    rounding: str = "gbt8170",
    *,
    prepared: Any = None,
) -> tuple[np.ndarray, np.ndarray]:
    """O3 daily maximum 8h mean (..., D) and the number of valid windows.

    Valid with >= ``min_windows`` valid windows (§3.1 [M/L]). With fewer, the maximum still
    counts when, rounded to an integer, it exceeds ``exceed_limit`` (§3.1 [L]); None disables.
    """
    w = window_means_8h(x, min_hours, prepared=prepared)
    nw = (~np.isnan(w)).sum(axis=-1)
    mx = np.fmax.reduce(w, axis=-1)
    valid = nw >= min_windows
    if exceed_limit is not None:
        valid |= (nw > 0) & (round_gbt8170(mx, 0, rounding) > exceed_limit)
    return np.where(valid, mx, np.nan), nw


def moving_mean(x: np.ndarray, window: int, min_hours: int) -> np.ndarray:
    """Trailing moving mean ending at each hour (window h-window+1 .. h), for real-time reports.

    The first window-1 hours only see the hours given; NaN with fewer than ``min_hours`` valid.
    """
    x = np.asarray(x, dtype=np.float64)
    pad = np.full(x.shape[:-1] + (window - 1,), np.nan)
    xp = np.concatenate([pad, x], axis=-1)
    ok = ~np.isnan(xp)
    s = sliding_window_view(np.where(ok, xp, 0.0), window, axis=-1).sum(axis=-1)
    n = sliding_window_view(ok, window, axis=-1).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        m = s / n
    m[n < min_hours] = np.nan
    return m

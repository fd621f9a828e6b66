"""IAQI and AQI by HJ 633-2012 / HJ 633-2026 (spec §2), vectorised over numpy arrays."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .averages import moving_mean
from .editions import (
    BREAKPOINTS,
    CO,
    DECIMALS,
    IAQI_STEPS,
    INDICATOR_POLLUTANT,
    NO2,
    O3,
    PM10,
    PM25,
    SO2,
    is_2026,
)
from .options import Options
from .rounding import ceil_index, round_gbt8170

# spec §2.4 [H]: level, category, colour, RGB, CMYK (2012 Table 2 / 2026 Table 1, Appendix A).
CATEGORIES = (
    {
        "level": 1,
        "category": "优",
        "color_name": "绿色",
        "rgb": (0, 228, 0),
        "hex": "#00E400",
        "cmyk": (40, 0, 100, 0),
    },
    {
        "level": 2,
        "category": "良",
        "color_name": "黄色",
        "rgb": (255, 255, 0),
        "hex": "#FFFF00",
        "cmyk": (0, 0, 100, 0),
    },
    {
        "level": 3,
        "category": "轻度污染",
        "color_name": "橙色",
        "rgb": (255, 126, 0),
        "hex": "#FF7E00",
        "cmyk": (0, 52, 100, 0),
    },
    {
        "level": 4,
        "category": "中度污染",
        "color_name": "红色",
        "rgb": (255, 0, 0),
        "hex": "#FF0000",
        "cmyk": (0, 100, 100, 0),
    },
    {
        "level": 5,
        "category": "重度污染",
        "color_name": "紫色",
        "rgb": (153, 0, 76),
        "hex": "#99004C",
        "cmyk": (10, 100, 40, 30),
    },
    {
        "level": 6,
        "category": "严重污染",
        "color_name": "褐红色",
        "rgb": (126, 0, 35),
        "hex": "#7E0023",
        "cmyk": (30, 100, 100, 30),
    },
)
_LEVEL_UPPER = np.array([50, 100, 150, 200, 300], dtype=np.float64)

# Daily report indicators (spec §2.3): 2012 uses all seven, 2026 drops O3_1h.
DAILY_INDICATORS = ("SO2_24h", "NO2_24h", "CO_24h", "O3_8h", "O3_1h", "PM10_24h", "PM2.5_24h")
DAILY_NAMES = ("SO2", "NO2", "CO", "O3_8h", "O3_1h", "PM10", "PM2.5")
# Real-time indicators: the six 1h values, plus the O3 8h moving mean under 2012 (§2.3).
HOURLY_NAMES = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5", "O3_8h")


@dataclass
class AQIResult:
    names: tuple  # indicator names, used for the primary pollutant
    codes: np.ndarray  # (K, ..., T) int16 IAQI, -1 = not computed
    aqi: np.ndarray  # (..., T) float, NaN = NA
    primary_bits: np.ndarray  # (..., T) uint8, bit k set = names[k] is a primary pollutant
    level: np.ndarray  # (..., T) int8, 1..6, 0 = NA

    @property
    def iaqi(self) -> np.ndarray:
        """(K, ..., T) float IAQI, NaN = not computed."""
        return np.where(self.codes < 0, np.nan, self.codes.astype(np.float64))

    @property
    def primary(self) -> np.ndarray:
        """(K, ..., T) bool: names[k] is a primary pollutant (spec §2.5)."""
        k = np.arange(len(self.names)).reshape((-1,) + (1,) * self.aqi.ndim)
        return (self.primary_bits[None] >> k) & 1 == 1


def round_conc(c: ArrayLike, pollutant: str, rounding: str = "gbt8170") -> np.ndarray:
    """Concentration at reporting precision before the IAQI (HJ 633-2026 §4.2.2-4.2.3)."""
    return round_gbt8170(c, DECIMALS[pollutant], rounding)


def iaqi(
    conc: ArrayLike,
    indicator: str,
    edition: str = "2026",
    *,
    round_input: bool = True,
    rounding: str = "gbt8170",
    above_top: str = "cap500",
) -> np.ndarray:
    """IAQI of concentrations on one breakpoint table (formula 1, spec §2.2), rounded up.

    Above the last breakpoint: SO2_1h -> 200 (2026) or NaN (2012: use the 24h index);
    O3_8h -> 300 (2026) or NaN (2012: use the 1h index) (§2.1 notes); others -> 500 or NaN
    by ``above_top`` (§2.2 [M]). Negative and NaN concentrations give NaN.
    """
    try:
        table = np.array(BREAKPOINTS[edition][indicator], dtype=np.float64)
    except KeyError:
        raise ValueError(f"未知的版本或指标：{edition!r} / {indicator!r}") from None
    bp = table[~np.isnan(table)]
    steps = IAQI_STEPS[: bp.size]
    c = np.asarray(conc, dtype=np.float64)
    if round_input:
        c = round_conc(c, INDICATOR_POLLUTANT[indicator], rounding)
    i = np.clip(np.searchsorted(bp, c, side="right") - 1, 0, bp.size - 2)
    lo, hi = bp[i], bp[i + 1]
    ilo, ihi = steps[i], steps[i + 1]
    v = ilo + ceil_index((ihi - ilo) * (c - lo) / (hi - lo))
    if indicator == "SO2_1h":
        top = 200.0 if edition == "2026" else np.nan
    elif indicator == "O3_8h":
        top = 300.0 if edition == "2026" else np.nan
    else:
        top = 500.0 if above_top == "cap500" else np.nan
    v = np.where(c > bp[-1], top, v)
    return np.where(c < 0, np.nan, v)


def level_of(aqi: ArrayLike) -> np.ndarray:
    """Category level 1..6 of AQI values (spec §2.4); 0 where the AQI is NA."""
    a = np.asarray(aqi, dtype=np.float64)
    lv = (np.searchsorted(_LEVEL_UPPER, a, side="left") + 1).astype(np.int8)
    return np.where(np.isnan(a), np.int8(0), lv)


def _prep(c: np.ndarray, pollutant: str, new: Any, opts: Options) -> np.ndarray:
    # 2026 always rounds (§2.2 [H]); 2012 is silent, rounding is an option.
    c = np.asarray(c, dtype=np.float64)
    r = round_conc(c, pollutant, opts.rounding)
    if opts.round_conc_2012:
        return r
    return np.where(new, r, c)


def _iaqi_by_edition(c: np.ndarray, indicator: str, new: Any, opts: Options) -> np.ndarray:
    """IAQI with the table of each element's edition (``new`` True = 2026), ``c`` prepared."""

    def by(edition: str) -> np.ndarray:
        return iaqi(c, indicator, edition, round_input=False, above_top=opts.above_top)

    new = np.asarray(new)
    if new.all():
        return by("2026")
    if not new.any():
        return by("2012")
    return np.where(new, by("2026"), by("2012"))


def _combine(
    codes: np.ndarray,
    missing: np.ndarray,
    rule: np.ndarray | bool,
    aqi_out: np.ndarray,
    bits_out: np.ndarray,
    level_out: np.ndarray,
) -> None:
    """AQI = max IAQI (formula 2), the missing-data rule, primary pollutants and level,
    written into the given output arrays (so daily_aqi can work block by block)."""
    aqi = codes.max(axis=0)
    # 2026 §5.3.1 (spec §2.5): with an item missing, the AQI is published only if > 100.
    aqi[missing & rule & (aqi <= 100)] = -1
    # §2.5: every indicator whose IAQI equals the AQI (ties too), only when AQI > 50.
    np.sum(
        (codes == aqi) * _BITS[: codes.shape[0]].reshape((-1,) + (1,) * aqi.ndim),
        axis=0,
        dtype=np.uint8,
        out=bits_out,
    )
    bits_out[aqi <= 50] = 0
    np.take(_LEVEL_OF, aqi + 1, out=level_out, mode="clip")  # AQI is -1 .. 500
    np.copyto(aqi_out, aqi, casting="unsafe")
    aqi_out[aqi < 0] = np.nan


def _finish(
    names: Sequence[str], codes: np.ndarray, missing: np.ndarray, new: Any, opts: Options
) -> AQIResult:
    shape = codes.shape[1:]
    aqi, bits, lv = np.empty(shape), np.empty(shape, np.uint8), np.empty(shape, np.int8)
    rule = np.asarray(new) if opts.missing_2012 == "available" else True
    _combine(codes, missing, rule, aqi, bits, lv)
    return AQIResult(tuple(names), codes, aqi, bits, lv)


_BITS = (1 << np.arange(8)).astype(np.uint8)


def _codes(v: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(v), -1, v).astype(np.int16)


# Level of each AQI 0..500 (index + 1; index 0 = NA).
_LEVEL_OF = np.concatenate([[0], np.searchsorted(_LEVEL_UPPER, np.arange(501), "left") + 1]).astype(
    np.int8
)
_LUTS: dict = {}
_TIE_TOL = 5e-6  # scaled values that matter are <= 3840: 1e-9 relative of 4096, absolute


def _lut(ind: str, edition: str, above_top: str) -> np.ndarray:
    """IAQI codes of every reportable concentration: slot 0 = missing/negative, slot i + 1 =
    concentration i (in units of the reporting precision), last slot = above the table."""
    key = (ind, edition, above_top)
    if key not in _LUTS:
        scale = 10 ** DECIMALS[INDICATOR_POLLUTANT[ind]]
        top = int(np.nanmax(BREAKPOINTS[edition][ind]) * scale)
        vals = iaqi(
            np.arange(top + 2) / scale, ind, edition, round_input=False, above_top=above_top
        )  # same formula, checked exhaustively in tests
        _LUTS[key] = np.concatenate([[-1], np.where(np.isnan(vals), -1, vals)]).astype(np.int16)
    return _LUTS[key]


def _round_index(
    x: np.ndarray, mode: str, r: np.ndarray, t: np.ndarray, near: np.ndarray
) -> np.ndarray:
    """GB/T 8170 rounding of scaled values ``x`` into ``r`` (integer-valued, NaN kept).

    rint is half-to-even on the binary value, right for exact halves; decimal halves that
    float noise moved off .5 (e.g. 0.35 x 10) are few and fixed one by one. ``r``, ``t`` and
    ``near`` are reused buffers: fresh temporaries cost more than the arithmetic here.
    """
    np.rint(x, out=r)
    np.subtract(x, r, out=t)
    np.abs(t, out=t)
    np.greater(t, 0.5 - _TIE_TOL, out=near)
    if mode == "gbt8170":  # exact binary halves are exact decimal halves: rint is right
        near &= t != 0.5
    if near.any():
        i = np.flatnonzero(near)
        fl = np.floor(x[i])
        r[i] = fl + (1.0 if mode == "half_up" else (np.fmod(fl, 2.0) == 1.0))
    return r


def daily_aqi(
    conc: Mapping[str, np.ndarray], new: Any, opts: Options = Options(), block: int = 65536
) -> AQIResult:
    """Daily AQI from daily concentrations keyed by ``DAILY_INDICATORS`` (missing key = NaN).

    ``new`` (broadcastable to the day axis) is True for days under the 2026 rules. O3_1h is the
    O3 daily max 1h value, used on 2012 days only (spec §2.3). Concentrations are rounded to
    the reporting precision (HJ 633-2026 §4.2.2) and looked up in exact IAQI tables, in
    cache-sized blocks: the same numbers as ``iaqi()``, an order of magnitude faster.
    (Threads over blocks did not help: ``evaluate`` parallelises by station chunks instead.)
    """
    shape = np.broadcast_shapes(*(np.shape(v) for v in conc.values()), np.shape(new))
    m = int(np.prod(shape))
    flat_new = np.broadcast_to(np.asarray(new, dtype=bool), shape).reshape(m)
    mixed = flat_new.any() and not flat_new.all()
    eds = ("2012", "2026") if mixed else (("2026",) if flat_new.all() else ("2012",))
    cols, luts = [], []
    for ind in DAILY_INDICATORS:
        c = np.broadcast_to(np.asarray(conc.get(ind, np.nan), dtype=np.float64), shape)
        cols.append(c.reshape(m))
        tabs = [_lut(ind, e, opts.above_top) for e in eds]
        luts.append((tabs[0], np.concatenate(tabs)))  # 2026 table second when mixed
    o3_1h = DAILY_INDICATORS.index("O3_1h")
    codes = np.empty((len(DAILY_INDICATORS), m), np.int16)
    missing = np.zeros(m, bool)
    exact_2012 = not opts.round_conc_2012 and not flat_new.all()
    rule_by_day = opts.missing_2012 == "available"
    aqi, bits, level = np.empty(m), np.empty(m, np.uint8), np.empty(m, np.int8)

    def run(lo: int, hi: int) -> None:
        n = min(block, hi - lo)  # buffers reused across blocks
        x, r, t = np.empty(n), np.empty(n), np.empty(n)
        # int32 indices: the float -> int64 cast is 4x slower and the tables are small
        idx, miss, near = np.empty(n, np.int32), np.empty(n, bool), np.empty(n, bool)
        for a in range(lo, hi, block):
            b = min(a + block, hi)
            w = b - a
            nb = flat_new[a:b]
            for k, ind in enumerate(DAILY_INDICATORS):
                c = cols[k][a:b]
                np.isnan(c, out=miss[:w])
                missing[a:b] |= (miss[:w] & ~nb) if k == o3_1h else miss[:w]
                first, both = luts[k]
                scale = 10 ** DECIMALS[INDICATOR_POLLUTANT[ind]]
                xs = np.multiply(c, scale, out=x[:w]) if scale != 1 else c
                rr = _round_index(xs, opts.rounding, r[:w], t[:w], near[:w])
                np.copyto(rr, -1.0, where=miss[:w])  # missing and negative -> slot 0,
                np.clip(rr, -1, first.size - 2, out=rr)  # above the table -> last slot
                ii = idx[:w]
                ii[...] = rr
                ii += 1
                if mixed:  # second half of ``both`` = 2026 table
                    ii += nb * first.size
                np.take(both, ii, out=codes[k, a:b], mode="clip")  # clip: unbuffered
                if exact_2012:  # option: 2012 days not rounded (§2.2)
                    v = _iaqi_by_edition(c, ind, nb, opts)
                    codes[k, a:b] = np.where(nb, codes[k, a:b], _codes(v))
            codes[o3_1h, a:b][nb] = -1  # no O3 1h in the 2026 daily AQI
            _combine(
                codes[:, a:b],
                missing[a:b],
                nb if rule_by_day else True,
                aqi[a:b],
                bits[a:b],
                level[a:b],
            )

    run(0, m)
    return AQIResult(
        DAILY_NAMES,
        codes.reshape((-1,) + shape),
        aqi.reshape(shape),
        bits.reshape(shape),
        level.reshape(shape),
    )


def hourly_aqi(
    x: np.ndarray, start: Any, edition: str = "auto", opts: Options = Options()
) -> AQIResult:
    """Real-time (hourly) AQI of hourly data ``x`` shaped (..., 6, H) in POLLUTANTS order.

    ``start`` is the local start of hour 0 (e.g. "2026-02-28T00"). Under 2012 the O3 8h moving
    mean enters, SO2 1h > 800 is indexed from the SO2 24h moving mean (§2.1 note 2), and PM uses
    the 1h value or the 24h moving mean by option (§2.3). Under 2026 only the six 1h values.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim < 2 or x.shape[-2] != 6:
        raise ValueError("小时数据的形状应为 (..., 6, 小时数)，污染物顺序 SO2 NO2 CO O3 PM10 PM2.5")
    h = x.shape[-1]
    new = is_2026(np.datetime64(start, "h") + np.arange(h), edition)
    shape = x.shape[:-2] + (h,)
    new = np.broadcast_to(new, shape)
    old = ~new
    c = {
        p: _prep(x[..., i, :], name, new, opts)
        for i, p, name in (
            (SO2, "SO2", "SO2"),
            (NO2, "NO2", "NO2"),
            (CO, "CO", "CO"),
            (O3, "O3", "O3"),
            (PM10, "PM10", "PM10"),
            (PM25, "PM2.5", "PM2.5"),
        )
    }
    stack = np.full((len(HOURLY_NAMES),) + shape, np.nan)
    stack[0] = _iaqi_by_edition(c["SO2"], "SO2_1h", new, opts)
    if old.any():

        def mm(i: int, w: int, n: int) -> np.ndarray:
            names = ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5")
            return _prep(moving_mean(x[..., i, :], w, n), names[i], new, opts)

        so2_24 = iaqi(mm(SO2, 24, opts.daily_min_hours), "SO2_24h", "2012", round_input=False)
        stack[0] = np.where(old & (c["SO2"] > 800), so2_24, stack[0])  # §2.1 note 2 (2012)
        o3_8 = iaqi(mm(O3, 8, opts.window_min_hours), "O3_8h", "2012", round_input=False)
        stack[6] = np.where(old, o3_8, np.nan)  # > 800 gives NaN: O3 from 1h (note 3)
    stack[1] = _iaqi_by_edition(c["NO2"], "NO2_1h", new, opts)
    stack[2] = _iaqi_by_edition(c["CO"], "CO_1h", new, opts)
    stack[3] = _iaqi_by_edition(c["O3"], "O3_1h", new, opts)
    for k, i, p in ((4, PM10, "PM10"), (5, PM25, "PM2.5")):
        pm = c[p]
        if old.any() and opts.realtime_pm_2012 == "24h":
            pm = np.where(old, mm(i, 24, opts.daily_min_hours), pm)
        stack[k] = _iaqi_by_edition(pm, f"{p}_24h", new, opts)  # PM 1h on the 24h table
    missing = np.zeros(shape, dtype=bool)
    for p in ("SO2", "NO2", "CO", "O3", "PM10", "PM2.5"):
        missing |= np.isnan(c[p])
    return _finish(HOURLY_NAMES, _codes(stack), missing, new, opts)

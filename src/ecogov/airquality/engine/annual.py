"""Annual statistics and attainment (HJ 663, spec §3) per station and per city.

Input: a dense hourly cube (stations, 6 pollutants in POLLUTANTS order, hours of the year),
hour 0 = 1 January 00:00 local, missing = NaN. Stations are processed in chunks on a small
thread pool (numpy releases the GIL), so memory stays near the cube's own size.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .aqi import CATEGORIES, DAILY_NAMES, daily_aqi
from .averages import daily_max_1h, daily_means, mda8, prepare
from .editions import (
    CO,
    DECIMALS,
    NO2,
    O3,
    PM10,
    PM25,
    POLLUTANTS,
    SO2,
    LimitSet,
    annual_edition,
    day_editions,
    is_2026,
    limit_set,
)
from .options import Options
from .rounding import round_gbt8170

PCT_RANK = np.array([98, 98, 95, 90, 95, 95])  # §3.2 [H]: SO2 NO2 CO O3 PM10 PM2.5
HAS_MEAN = np.array([True, True, False, False, True, True])  # annual means: SO2 NO2 PM10 PM2.5
DEC = np.array([DECIMALS[p] for p in POLLUTANTS])
MIN_DAYS_YEAR, MIN_DAYS_MONTH, MIN_DAYS_FEB = 324, 27, 25  # GB 3095 Table 4, §1.4 [H]
CLAIMED_2026_WEIGHTS = np.array([1, 2, 1, 2, 1, 3], dtype=np.float64)  # §0 [L, unverified]
ASSESSMENT_RULES = "HJ 663-2013 (HJ 663-2026 text not seen: spec §0)"


def percentile_hj663(values: np.ndarray, p: float | np.ndarray) -> np.ndarray:
    """Percentile of the non-NaN values along the last axis by HJ 663-2013 Appendix A (§3.2).

    k = 1 + (n-1)·p/100, s = int(k), m = X(s) + (X(s+1) - X(s))·(k - s). Integer arithmetic
    for k, so no float noise in the rank. ``p`` broadcasts against values.shape[:-1].
    """
    srt = np.sort(np.asarray(values, dtype=np.float64), axis=-1)  # NaN sort last
    n = (~np.isnan(srt)).sum(axis=-1)
    num = np.maximum(n - 1, 0) * np.asarray(p)
    s = num // 100  # 0-based index of X(s)
    frac = (num % 100) / 100.0
    hi_i = np.minimum(s + 1, np.maximum(n - 1, 0))
    lo = np.take_along_axis(srt, s[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(srt, hi_i[..., None], axis=-1)[..., 0]
    return np.where(n > 0, lo + (hi - lo) * frac, np.nan)


def _round_cols(v: np.ndarray, mode: str) -> np.ndarray:
    out = np.empty_like(v)
    for j, d in enumerate(DEC):
        out[..., j] = round_gbt8170(v[..., j], int(d), mode)
    return out


@dataclass
class ScopeStats:
    """Per-entity (station or city) arrays; N entities, D days, K daily indicators."""

    annual_mean: np.ndarray  # (N,6) rounded, NaN where undefined or invalid
    percentile: np.ndarray  # (N,6) rounded, NaN where invalid
    valid: np.ndarray  # (N,6) bool: the statistics the method judges are valid
    attained: np.ndarray  # (N,6) int8: 1 yes, 0 no, -1 unknown (not valid)
    overall: np.ndarray  # (N,) int8, same coding
    exceedance_pct: np.ndarray  # (N,6) how far above the limit, % of the limit (0 if attained)
    reduction_pct: np.ndarray  # (N,6) cut needed to reach the limit, % of the value
    value_days: np.ndarray  # (N,6) valid daily values in the year
    aqi_days: np.ndarray  # (N,) days with a valid daily AQI
    good_days: np.ndarray  # (N,) days with AQI <= 100
    good_ratio: np.ndarray  # (N,) % rounded to 0.1, NaN without valid days
    composite: np.ndarray  # (N,) rounded to 0.01, NaN unless all six are valid
    aqi: np.ndarray  # (N,D)
    level: np.ndarray  # (N,D) int8
    primary: np.ndarray  # (N,D) uint8 bitmask over DAILY_NAMES

    @staticmethod
    def concat(parts: list[ScopeStats]) -> ScopeStats:
        return ScopeStats(
            **{
                f.name: np.concatenate([getattr(p, f.name) for p in parts])
                for f in fields(ScopeStats)
            }
        )


@dataclass
class _Ctx:
    year: int
    dates: np.ndarray
    new: np.ndarray
    month_starts: np.ndarray
    month_req: np.ndarray
    lim_annual: np.ndarray
    lim_daily: np.ndarray
    comp_limits: np.ndarray
    weights: np.ndarray
    o3_limit: float
    opts: Options


def _make_ctx(year: int, edition: str, opts: Options) -> tuple[_Ctx, str, LimitSet]:
    dates = np.arange(f"{year}-01-01", f"{year + 1}-01-01", dtype="datetime64[D]")
    months = dates.astype("datetime64[M]").astype(int) % 12
    ann_ed = annual_edition(year, edition, opts.transition_year)
    ls = limit_set(ann_ed, year)
    lim_a = np.array([np.nan if ls.annual[p] is None else ls.annual[p] for p in POLLUTANTS])
    lim_d = np.array([ls.daily[p] for p in POLLUTANTS], dtype=np.float64)
    cl = ls if opts.composite_limits == "limit_set" else limit_set("2012", year)
    # §3.4: annual limits for the four, CO 24h limit 4, O3 8h limit 160.
    comp = np.array(
        [cl.annual[p] if HAS_MEAN[j] else cl.daily[p] for j, p in enumerate(POLLUTANTS)],
        dtype=np.float64,
    )
    w = CLAIMED_2026_WEIGHTS if opts.composite_weights == "claimed_2026" else np.ones(6)
    ctx = _Ctx(
        year,
        dates,
        is_2026(dates, edition),
        np.flatnonzero(np.r_[True, months[1:] != months[:-1]]),
        np.array([MIN_DAYS_FEB if m == 1 else MIN_DAYS_MONTH for m in range(12)]),
        lim_a,
        lim_d,
        comp,
        w,
        float(ls.daily["O3"]),
        opts,
    )
    return ctx, ann_ed, ls


def _scope(x: np.ndarray, c: _Ctx, prepared: Any = None) -> ScopeStats:
    o = c.opts
    v, okh = prepared if prepared is not None else prepare(x)
    series, _ = daily_means(x, o.daily_min_hours, prepared=(v, okh))  # (N,6,D); O3 replaced
    o3 = x[:, O3, :]
    m8, _ = mda8(
        o3,
        o.window_min_hours,
        o.mda8_min_windows,
        c.o3_limit if o.mda8_exceedance_counts else None,
        o.rounding,
        prepared=(v[:, O3], okh[:, O3]),
    )
    series[:, O3] = m8
    conc = {
        "SO2_24h": series[:, SO2],
        "NO2_24h": series[:, NO2],
        "CO_24h": series[:, CO],
        "O3_8h": m8,
        "PM10_24h": series[:, PM10],
        "PM2.5_24h": series[:, PM25],
    }
    if not c.new.all():  # O3 daily max 1h: 2012 days only
        conc["O3_1h"] = daily_max_1h(o3, o.o3_1h_max_min_hours)
    day = daily_aqi(conc, c.new, o)

    ok = ~np.isnan(series)
    n_year = ok.sum(axis=-1)
    per_month = np.add.reduceat(ok.view(np.int8), c.month_starts, axis=-1, dtype=np.int32)
    annual_ok = (n_year >= MIN_DAYS_YEAR) & (per_month >= c.month_req).all(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(ok, series, 0.0).sum(axis=-1) / n_year
    pct = percentile_hj663(series, PCT_RANK)
    ok_mean = annual_ok & HAS_MEAN
    ok_pct = annual_ok if o.percentile_validity == "annual_rule" else n_year > 0
    mean_r = np.where(ok_mean, _round_cols(mean, o.rounding), np.nan)
    pct_r = np.where(ok_pct, _round_cols(pct, o.rounding), np.nan)
    cm, cp = (mean_r, pct_r) if o.compare == "rounded" else (mean, pct)

    # Ratios to the limits; attainment = ratio <= 1 on the statistics the method judges (§3.2).
    with np.errstate(invalid="ignore"):
        r_mean = cm / c.lim_annual
        r_pct = cp / c.lim_daily
    if o.method == "bulletin":
        ratio = np.where(HAS_MEAN, r_mean, r_pct)
        valid = np.where(HAS_MEAN, ok_mean, ok_pct)
    else:
        ratio = np.where(HAS_MEAN, np.fmax(r_mean, r_pct), r_pct)
        valid = np.where(HAS_MEAN, ok_mean & ok_pct, ok_pct)
    with np.errstate(invalid="ignore", divide="ignore"):
        att = np.where(valid, (ratio <= 1.0).astype(np.int8), np.int8(-1)).astype(np.int8)
        exceed = np.where(valid, np.maximum(ratio - 1.0, 0.0) * 100.0, np.nan)
        reduce_ = np.where(valid, np.maximum(1.0 - 1.0 / ratio, 0.0) * 100.0, np.nan)
    overall = np.where(
        (att == 0).any(axis=-1), 0, np.where((att == -1).any(axis=-1), -1, 1)
    ).astype(np.int8)

    # Good-day ratio (§3.4 [H]) and composite index (§3.4, 环办监测〔2018〕19号).
    aqi_days = (~np.isnan(day.aqi)).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        good = (day.aqi <= 100).sum(axis=-1)
        ratio_good = round_gbt8170(
            np.where(aqi_days > 0, good / aqi_days * 100.0, np.nan), 1, o.rounding
        )
        cval = np.where(HAS_MEAN, mean_r, pct_r)
        comp = round_gbt8170((c.weights * cval / c.comp_limits).sum(axis=-1), 2, o.rounding)
    return ScopeStats(
        mean_r,
        pct_r,
        valid,
        att,
        overall,
        round_gbt8170(exceed, 1, o.rounding),
        round_gbt8170(reduce_, 1, o.rounding),
        n_year,
        aqi_days,
        good,
        ratio_good,
        comp,
        day.aqi,
        day.level,
        day.primary_bits,
    )


@dataclass
class AnnualResult:
    year: int
    edition_choice: str
    edition: str  # edition whose limits judged the year
    limit_set: str
    method: str
    options: Options
    day_editions: list
    dates: np.ndarray
    station_ids: list
    stations: ScopeStats
    city_names: list
    city: ScopeStats


def _chunks(n: int, size: int) -> list[tuple[int, int]]:
    return [(i, min(i + size, n)) for i in range(0, n, size)]


def evaluate(
    cube: np.ndarray,
    station_ids: Sequence[str],
    year: int,
    edition: str = "auto",
    options: Options | None = None,
    *,
    counted: Any = None,
    groups: Any = None,
    group_names: Any = None,
    workers: int | None = None,
    chunk: int = 48,
) -> AnnualResult:
    """Annual evaluation of every station and of the city (or of each group of stations).

    ``counted`` (S,) bool: whether a station counts for the city (default all). ``groups`` (S,)
    ints 0..G-1 assign stations to cities (default one city); ``group_names`` names them.
    """
    opts = options or Options()
    cube = np.asarray(cube)
    ndays = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    if cube.ndim != 3 or cube.shape[1] != 6 or cube.shape[2] != 24 * ndays:
        raise ValueError(f"数据形状应为 (站点数, 6, {24 * ndays})，实际为 {cube.shape}")
    if cube.dtype != np.float64:
        cube = cube.astype(np.float64)
    s = cube.shape[0]
    if len(station_ids) != s:
        raise ValueError(f"站点编号数 {len(station_ids)} 与数据的站点数 {s} 不一致")
    ctx, ann_ed, ls = _make_ctx(year, edition, opts)
    counted = np.ones(s, bool) if counted is None else np.asarray(counted, bool)
    groups = np.zeros(s, np.int64) if groups is None else np.asarray(groups, np.int64)
    g = int(groups.max()) + 1 if s else 1
    names = list(group_names) if group_names is not None else [str(i) for i in range(g)]
    acc_s = np.zeros((g, 6, cube.shape[2]))
    acc_n = np.zeros((g, 6, cube.shape[2]), np.int32)
    lock = threading.Lock()

    tls = threading.local()

    def work(span: tuple[int, int]) -> ScopeStats:
        i0, i1 = span
        xs = cube[i0:i1]
        if np.less(xs, 0).any():
            bad = np.flatnonzero(np.less(xs, 0).any(axis=(1, 2)))[0] + i0
            raise ValueError(
                f"站点 {station_ids[bad]} 有负的浓度值：负值不是有效数据，请标记为无效或留空"
            )
        # One reused buffer per thread: fresh 40 MB arrays per chunk cost page faults.
        buf = getattr(tls, "buf", None)
        if buf is None:
            buf = tls.buf = np.empty((chunk,) + cube.shape[1:])
        v, okh = prepare(xs, out=buf[: i1 - i0])
        sel = np.flatnonzero(counted[i0:i1])
        if sel.size:  # city sums: stations of the chunk grouped by city, summed with reduceat
            sel = sel[np.argsort(groups[i0:i1][sel], kind="stable")]
            gs = groups[i0:i1][sel]
            starts = np.flatnonzero(np.r_[True, gs[1:] != gs[:-1]])
            whole = sel.size == i1 - i0 and (sel == np.arange(sel.size)).all()
            sv, so = (v, okh) if whole else (v[sel], okh[sel])  # no copy in the usual case
            bounds = np.r_[starts, sel.size]
            # A plain loop over the chunk's cities: np.add.reduceat is ~10x slower here.
            part_s = np.stack([sv[a:b].sum(axis=0) for a, b in zip(bounds[:-1], bounds[1:])])
            part_n = np.stack(
                [so[a:b].sum(axis=0, dtype=np.int32) for a, b in zip(bounds[:-1], bounds[1:])]
            )
            with lock:
                acc_s[gs[starts]] += part_s
                acc_n[gs[starts]] += part_n  # noqa: F821 (deleted below, after ex.map has run every work())
        return _scope(xs, ctx, (v, okh))

    nw = workers or min(2, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=nw) as ex:
        stations = ScopeStats.concat(list(ex.map(work, _chunks(s, chunk))))
        city_x = acc_s  # in place: the mean of the counted stations each hour (§3.3 [L])
        np.divide(acc_s, acc_n, out=city_x, where=acc_n >= opts.city_min_stations)
        city_x[acc_n < opts.city_min_stations] = np.nan
        del acc_n
        city = ScopeStats.concat(
            list(ex.map(lambda sp: _scope(city_x[sp[0] : sp[1]], ctx), _chunks(g, chunk)))
        )
    return AnnualResult(
        year,
        edition,
        ann_ed,
        ls.id,
        opts.method,
        opts,
        day_editions(year, edition),
        ctx.dates,
        [str(x) for x in station_ids],
        stations,
        names,
        city,
    )


def _num(v: float, dec: int) -> int | float | None:
    if np.isnan(v):
        return None
    return int(v) if dec == 0 else float(v)


_TRI = {1: True, 0: False, -1: None}


def _entity(st: ScopeStats, i: int, dates: list, with_days: bool) -> dict:
    pol = {}
    for j, p in enumerate(POLLUTANTS):
        d = {}
        if HAS_MEAN[j]:
            d["annual_mean"] = _num(st.annual_mean[i, j], DEC[j])
        d.update(
            percentile=_num(st.percentile[i, j], DEC[j]),
            percentile_rank=int(PCT_RANK[j]),
            valid=bool(st.valid[i, j]),
            attained=_TRI[int(st.attained[i, j])],
            valid_days=int(st.value_days[i, j]),
            exceedance_pct=_num(st.exceedance_pct[i, j], 1),
            reduction_needed_pct=_num(st.reduction_pct[i, j], 1),
        )
        pol[p] = d
    out: dict[str, Any] = {
        "pollutants": pol,
        "attained": _TRI[int(st.overall[i])],
        "good_days_ratio_pct": _num(st.good_ratio[i], 1),
        "good_days": int(st.good_days[i]),
        "valid_aqi_days": int(st.aqi_days[i]),
        "composite_index": _num(st.composite[i], 2),
    }
    if with_days:
        cache: dict[int, list] = {}
        days = []
        for date, a, lv, b in zip(
            dates, st.aqi[i].tolist(), st.level[i].tolist(), st.primary[i].tolist()
        ):
            if b not in cache:
                cache[b] = [n for k, n in enumerate(DAILY_NAMES) if b >> k & 1]
            na = a != a
            days.append(
                {
                    "date": date,
                    "aqi": None if na else int(a),
                    "category": None if na else CATEGORIES[lv - 1]["category"],
                    "color": None if na else CATEGORIES[lv - 1]["hex"],
                    "primary": cache[b],
                }
            )
        out["days"] = days
    return out


def result_to_dict(res: AnnualResult, with_days: bool = True) -> dict:
    """The JSON document of docs/airquality.md (issue 6 shape plus reporting metadata)."""
    dates = np.datetime_as_string(res.dates).tolist()
    out = {
        "year": res.year,
        "edition": res.edition,
        "edition_choice": res.edition_choice,
        "limit_set": res.limit_set,
        "method": res.method,
        "assessment_rules": ASSESSMENT_RULES,
        "day_editions": res.day_editions,
        "options": res.options.as_dict(),
        "stations": {
            sid: _entity(res.stations, i, dates, with_days) for i, sid in enumerate(res.station_ids)
        },
    }
    if len(res.city_names) == 1:
        out["city"] = _entity(res.city, 0, dates, with_days)
    else:
        out["cities"] = {
            n: _entity(res.city, i, dates, with_days) for i, n in enumerate(res.city_names)
        }
    return out

"""Benchmark of the air-quality engine (issue 6, "Performance"). Not a test.

National scale: 1,800 stations x 8,784 hours (2024) x 6 pollutants, synthetic, evaluated to
annual statistics and attainment for every station and 338 cities (target <= 3 s, <= 4 GB).
Baseline: the same daily AQI values computed one at a time with aqi-hub and python-aqi; timed
on a random sample of station-days and EXTRAPOLATED per value to all station-days.

    PYTHONPATH=src .venv/bin/python bench/bench_airquality.py [--stations 1800] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
import warnings

import numpy as np
from _report import Report, met

from ecogov.airquality.engine import evaluate
from ecogov.airquality.engine.aqi import daily_aqi
from ecogov.airquality.engine.averages import daily_max_1h, daily_means, mda8
from ecogov.airquality.engine.editions import is_2026

YEAR, HOURS, CITIES = 2024, 8784, 338
# Typical levels (µg/m³; CO mg/m³) and lognormal spread per pollutant: SO2 NO2 CO O3 PM10 PM2.5.
LEVELS = np.array([9.0, 25.0, 0.7, 70.0, 55.0, 30.0])
SPREAD = np.array([0.5, 0.45, 0.35, 0.3, 0.5, 0.55])


def synthetic(stations: int, seed: int = 2024) -> np.ndarray:
    """Hourly cube with seasonal and diurnal cycles, rounded like published data, ~2% missing."""
    rng = np.random.default_rng(seed)
    h = np.arange(HOURS, dtype=np.float32)
    season = np.cos(2 * np.pi * (h / HOURS)).astype(np.float32)  # winter high
    diurnal = np.sin(2 * np.pi * ((h % 24) - 9) / 24).astype(np.float32)  # afternoon high
    site = rng.lognormal(0, 0.3, stations).astype(np.float32)[:, None]
    cube = np.empty((stations, 6, HOURS))
    for p in range(6):
        shape = (0.6 * diurnal - 0.3 * season) if p == 3 else (0.35 * season + 0.1 * diurnal)
        z = rng.standard_normal((stations, HOURS), dtype=np.float32)
        v = LEVELS[p] * site * np.exp(SPREAD[p] * z + shape)
        cube[:, p] = np.round(v, 1) if p == 2 else np.round(v)
        del z, v
        gaps = rng.random((stations, HOURS), dtype=np.float32) < 0.02
        cube[:, p][gaps] = np.nan
    return cube


def median_time(fn, repeat: int) -> tuple[float, float, list[float]]:
    """(median wall s, median CPU s, all wall times)."""
    walls, cpus = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus), walls


def daily_concentrations(cube: np.ndarray) -> dict:
    dm, _ = daily_means(cube)
    m8, _ = mda8(cube[:, 3])
    return {
        "SO2_24h": dm[:, 0],
        "NO2_24h": dm[:, 1],
        "CO_24h": dm[:, 2],
        "O3_8h": m8,
        "O3_1h": daily_max_1h(cube[:, 3]),
        "PM10_24h": dm[:, 4],
        "PM2.5_24h": dm[:, 5],
    }


def baselines(conc: dict, sample: int, repeat: int, seed: int = 1) -> dict:
    """Seconds per daily AQI value with each package, called once per value."""
    from aqi import ALGO_MEP, to_aqi
    from aqi.constants import (
        POLLUTANT_CO_24H,
        POLLUTANT_NO2_24H,
        POLLUTANT_O3_1H,
        POLLUTANT_O3_8H,
        POLLUTANT_PM10,
        POLLUTANT_PM25,
        POLLUTANT_SO2_24H,
    )
    from aqi_hub.aqi_cn import cal_aqi_cn

    keys = ("SO2_24h", "NO2_24h", "CO_24h", "O3_8h", "O3_1h", "PM10_24h", "PM2.5_24h")
    stack = np.stack([conc[k] for k in keys], axis=-1).reshape(-1, len(keys))
    # python-aqi raises IndexError above its top breakpoints: sample inside them (all but a
    # handful of synthetic days are).
    top = np.array([2620, 940, 60, 800, 1200, 600, 500])
    ok = ~np.isnan(stack).any(axis=1) & (stack <= top).all(axis=1)
    rows = stack[np.random.default_rng(seed).choice(np.flatnonzero(ok), sample, replace=False)]
    rows[:, 2] = np.round(rows[:, 2], 1)
    rows[:, [0, 1, 3, 4, 5, 6]] = np.round(rows[:, [0, 1, 3, 4, 5, 6]])
    recs = rows.tolist()
    mep = (
        POLLUTANT_SO2_24H,
        POLLUTANT_NO2_24H,
        POLLUTANT_CO_24H,
        POLLUTANT_O3_8H,
        POLLUTANT_O3_1H,
        POLLUTANT_PM10,
        POLLUTANT_PM25,
    )
    strs = [[str(v) for v in r] for r in recs]

    def hub():
        for so2, no2, co, o38, _o31, pm10, pm25 in recs:
            cal_aqi_cn(pm25=pm25, pm10=pm10, so2=so2, no2=no2, co=co, o3=o38, data_type="daily")

    def pyaqi():
        for r in strs:
            to_aqi(list(zip(mep, r)), algo=ALGO_MEP)

    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, fn in (
            ("aqi-hub 0.3.3 (cal_aqi_cn, daily)", hub),
            ("python-aqi 0.6.1 (to_aqi, MEP)", pyaqi),
        ):
            out[name] = median_time(fn, repeat)[0] / sample
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=1800)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--sample", type=int, default=20000, help="station-days for the baselines")
    a = ap.parse_args(argv)
    cmd = (
        "PYTHONPATH=src .venv/bin/python bench/bench_airquality.py "
        + " ".join(argv if argv is not None else sys.argv[1:])
    ).rstrip()
    load0 = os.getloadavg()

    t0 = time.perf_counter()
    cube = synthetic(a.stations)
    gen = time.perf_counter() - t0
    ids = [f"{1001 + i}A" for i in range(a.stations)]
    cities = min(CITIES, a.stations)
    groups = np.arange(a.stations) * cities // a.stations  # ~5 stations per city
    run = lambda: evaluate(cube, ids, YEAR, groups=groups)  # noqa: E731
    res = run()  # warm-up (also a sanity check)
    wall, cpu, walls = median_time(run, a.repeat)

    tracemalloc.start()  # working memory beyond the cube
    run()
    work_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    conc = daily_concentrations(cube)
    new = is_2026(np.arange(f"{YEAR}-01-01", f"{YEAR + 1}-01-01", dtype="datetime64[D]"))
    d_wall, _, _ = median_time(lambda: daily_aqi(conc, new), a.repeat)
    values = a.stations * new.size
    per_value = baselines(conc, min(a.sample, values), a.repeat)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB -> GiB

    attained = int((res.stations.overall == 1).sum())
    print(f"\n`{cmd}`\n")
    print(
        f"Machine: {os.cpu_count()} cores, load average {load0[0]:.2f} at start, "
        f"{os.getloadavg()[0]:.2f} at end (shared machine). Synthetic data: {gen:.1f} s to "
        f"generate, {cube.nbytes / 1024**3:.2f} GiB; {attained}/{a.stations} stations attain.\n"
    )
    print("| measurement | median | notes |\n|---|---|---|")
    print(
        f"| engine: annual statistics + attainment, {a.stations} stations + {cities} cities "
        f"| **{wall:.2f} s** wall ({cpu:.2f} s CPU) | {a.repeat} runs: "
        f"{', '.join(f'{w:.2f}' for w in walls)} s; target ≤ 3 s |"
    )
    print(
        f"| engine: daily AQI step alone, {values:,} station-days | {d_wall * 1000:.0f} ms | "
        f"`daily_aqi()` on the daily concentrations, one thread |"
    )
    for name, s in per_value.items():
        total = s * values
        print(
            f"| {name}, one call per value | {s * 1e6:.1f} µs/value → **{total:.1f} s** "
            f"extrapolated | sample of {min(a.sample, values):,} station-days; "
            f"**{total / wall:.0f}×** the full engine run, {total / d_wall:.0f}× its daily "
            f"AQI step |"
        )
    print(
        f"| peak RSS of the process | {rss:.2f} GiB | includes generation and baselines; "
        f"limit 4 GB |"
    )
    print(
        f"| evaluation working memory | {work_peak / 1024**3:.2f} GiB | tracemalloc peak of "
        f"one run, on top of the input cube |"
    )

    report = Report("Air quality at national scale, issue 6", cmd)
    report.row(
        f"hourly data → annual statistics and attainment, {a.stations:,} stations + {cities} "
        "cities",
        now=f"{wall:.2f} s (CPU {cpu:.2f})",
        target="≤ 3 s",
        verdict=met(wall, 3.0),
    )
    report.row(f"the daily-AQI step alone, {values:,} station-days", now=f"{d_wall * 1000:.0f} ms")
    for name, s in per_value.items():
        total = s * values
        report.row(
            f"{name}, one call per value, vs the daily-AQI step",
            baseline=f"{total:.1f} s (extrapolated)",
            now=f"{d_wall * 1000:.0f} ms",
            ratio=f"{total / d_wall:.0f}× ({total / wall:.0f}× the whole engine run)",
            target="≥ 100×",
            verdict=met(total / d_wall, 100, at_least=True),
        )
    report.row(
        "peak RSS of the whole bench process (incl. generation, baselines)",
        now=f"{rss:.2f} GiB",
        target="≤ 4 GB",
        verdict=met(rss * 1024**3, 4e9),
    )
    report.note(
        f"Synthetic {a.stations:,} stations × {HOURS:,} h × 6 pollutants; medians of {a.repeat}. "
        f"Baselines: {min(a.sample, values):,} station-days timed per value and extrapolated; "
        "the issue compares the same daily AQI values (the daily-AQI step)."
    )
    report.emit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

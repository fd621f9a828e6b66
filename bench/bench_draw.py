"""Benchmark of the random-inspection draw (issue 3: 200,000 entities, 3,000 inspectors,
all recusal rules, draw and verify each in ≤ 2 s). Not a test.

    PYTHONPATH=src .venv/bin/python bench/bench_draw.py [--runs 5] [--naive-checks 2000]

Prints a markdown table of medians (wall and CPU: the machine is shared, CPU time is the
steadier figure). Pools are built outside the timing, as the app hands them in frozen.
The baseline is `reference.run`, the plain implementation written from
docs/draw-algorithm.md (scans all inspectors for every drawn entity); it is too slow to run
in full, so it is timed with 0 and with N drawn entities assigned and extrapolated linearly
to the full count (fixed part + per-check cost × checks).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import sys
import time
from decimal import Decimal

import numpy as np
from _report import Report, met

from ecogov.inspections.draw import (
    Conflict,
    DrawInputs,
    Entity,
    Inspector,
    Plan,
    Quota,
    canonical_document,
    draw,
    reference,
    result_document,
    verify,
)

DAY = dt.date(2020, 3, 16)


def make_pools(n_entities=200_000, n_inspectors=3_000, seed=20200316):
    """A province of 11 cities × 9 counties; inspectors mostly at county level."""
    rnd = random.Random(seed)
    cities = [f"33{c:02d}00" for c in range(1, 12)]
    counties = [f"{c[:4]}{d:02d}" for c in cities for d in range(1, 10)]
    entities = [
        Entity(
            f"9133{i:014d}",
            rnd.choices(("key", "ordinary", "special"), (10, 85, 5))[0],
            rnd.choice(counties),
        )
        for i in rnd.sample(range(10**12), n_entities)
    ]
    # 70 of 3,000 at the province, 30 per city, the rest spread over the counties (each county
    # needs at least one: an entity is checked by its county's inspectors)
    at_province, per_city = max(1, n_inspectors * 70 // 3000), max(1, n_inspectors * 30 // 3000)
    levels = ["330000"] * at_province + [c for c in cities for _ in range(per_city)]
    if n_inspectors - len(levels) < len(counties):
        raise SystemExit(f"--inspectors: at least {len(levels) + len(counties)} (one a county)")
    levels += [counties[i % len(counties)] for i in range(n_inspectors - len(levels))]
    inspectors = []
    for i, div in enumerate(levels):
        roll = rnd.random()  # 4 % expired, 1 % without a certificate
        expiry = (
            None
            if roll < 0.01
            else DAY - dt.timedelta(days=1)
            if roll < 0.05
            else DAY + dt.timedelta(days=rnd.randint(0, 1500))
        )
        inspectors.append(Inspector(f"3300{i:06d}", div, expiry))
    by_county = {}
    for p in inspectors:
        by_county.setdefault(p.division, []).append(p.id)
    conflicts = [
        Conflict(rnd.choice(by_county[e.division]), e.id)
        for e in rnd.sample(entities, n_entities // 20)
    ]
    previous = {
        e.id: rnd.sample(by_county[e.division], min(2, len(by_county[e.division])))
        for e in rnd.sample(entities, n_entities // 4)
    }
    return entities, inspectors, conflicts, previous


PLANS = {
    "quarter: key 25 %, ordinary 5 %, special 100 %": dict(
        quotas=(
            Quota("key", share=Decimal(25)),
            Quota("ordinary", share=Decimal(5)),
            Quota("special", share=Decimal(100)),
        )
    ),
    "worst case: 100 % of every category": dict(
        quotas=tuple(Quota(c, share=100) for c in ("key", "ordinary", "special"))
    ),
    "worst case, cross-division allowed": dict(
        quotas=tuple(Quota(c, share=100) for c in ("key", "ordinary", "special")),
        allow_cross_division=True,
    ),
}


def timed(fn, runs):
    """Median wall and CPU seconds over `runs` calls, the wall range, and the last output."""
    walls, cpus, out = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        out = fn()
        cpus.append(time.process_time() - c)
        walls.append(time.perf_counter() - w)
    return statistics.median(walls), statistics.median(cpus), min(walls), max(walls), out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--naive-runs", type=int, default=3)
    ap.add_argument(
        "--naive-checks",
        type=int,
        default=2000,
        help="drawn entities the naive baseline assigns before extrapolating",
    )
    ap.add_argument("--entities", type=int, default=200_000)
    ap.add_argument("--inspectors", type=int, default=3_000)
    args = ap.parse_args(argv)

    load_before = os.getloadavg()
    entities, inspectors, conflicts, previous = make_pools(args.entities, args.inspectors)
    rows = []
    for name, kw in PLANS.items():
        plan = Plan("2020-Q1", ("330000",), inspectors_per_check=2, **kw)
        inputs = DrawInputs(
            plan, entities, inspectors, DAY, "bench seed 2020-03-16", conflicts, previous
        )
        d_wall, d_cpu, d_min, d_max, result = timed(lambda: draw(inputs), args.runs)
        v_wall, v_cpu, v_min, v_max, report = timed(lambda: verify(inputs, result), args.runs)
        assert report.ok, report.message
        checks = len(result.checks)

        doc = canonical_document(inputs)
        limit = min(args.naive_checks, checks)
        fixed = timed(lambda: reference.run(doc, inputs.seed, 0), args.naive_runs)[0]
        part = timed(lambda: reference.run(doc, inputs.seed, limit), args.naive_runs)
        naive = fixed + (part[0] - fixed) / limit * checks
        # the baseline agrees with the engine on the part it computed
        head = part[-1].splitlines()
        assert head == result_document(result).splitlines()[: len(head)]
        rows.append(
            (name, checks, (d_wall, d_cpu, d_min, d_max), (v_wall, v_cpu, v_min, v_max), naive)
        )

    cmd = "PYTHONPATH=src .venv/bin/python bench/bench_draw.py " + " ".join(
        sys.argv[1:] if argv is None else argv
    )
    print(f"Command: `{cmd.strip()}`\n")
    divisions = {e.division for e in entities} | {p.division for p in inspectors}
    print(
        f"{len(entities):,} entities (random order), {len(inspectors):,} inspectors in "
        f"{len(divisions)} divisions, {len(conflicts):,} conflicts, {len(previous):,} entities "
        f"with 2 previous inspectors, 2 inspectors per check. Python "
        f"{platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPUs, load "
        f"average {load_before[0]:.1f} before / {os.getloadavg()[0]:.1f} after. Median of "
        f"{args.runs} runs in seconds, wall (min–max) and CPU.\n"
    )
    print(
        "| plan | checks | draw wall | draw CPU | verify wall | verify CPU "
        "| naive baseline (extrapolated) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, checks, dr, vr, naive in rows:
        print(
            f"| {name} | {checks:,} | {dr[0]:.2f} ({dr[2]:.2f}–{dr[3]:.2f}) | {dr[1]:.2f} | "
            f"{vr[0]:.2f} ({vr[2]:.2f}–{vr[3]:.2f}) | {vr[1]:.2f} | "
            f"{naive:.{0 if naive >= 10 else 1}f} ({naive / dr[0]:.0f}× the draw) |"
        )
    print(
        f"\nNaive baseline: `reference.run` (docs/draw-algorithm.md written plainly: scans all "
        f"inspectors for each drawn entity), median of {args.naive_runs} runs with 0 and with "
        f"{args.naive_checks:,} drawn entities assigned, extrapolated linearly to all checks."
    )

    report = Report("Random draw (双随机), issue 3", cmd.strip())
    for name, checks, dr, vr, naive in rows:
        report.row(
            f"draw, {name} ({checks:,} checks)",
            baseline=f"{naive:.{0 if naive >= 10 else 1}f} s (naive, extrapolated)",
            now=f"{dr[0]:.2f} s (CPU {dr[1]:.2f})",
            ratio=f"{naive / dr[0]:.0f}×",
            target="≤ 2 s",
            verdict=met(dr[0], 2.0),
        )
        report.row(
            f"verify, {name}",
            now=f"{vr[0]:.2f} s (CPU {vr[1]:.2f})",
            target="≤ 2 s",
            verdict=met(vr[0], 2.0),
        )
    report.note(
        f"{len(entities):,} entities in random order, {len(inspectors):,} inspectors in "
        f"{len(divisions)} divisions, {len(conflicts):,} conflicts, {len(previous):,} entities "
        f"with previous inspectors; medians of {args.runs} (wall, CPU in brackets). Baseline: "
        f"`reference.run` (docs/draw-algorithm.md written plainly), timed with 0 and "
        f"{args.naive_checks:,} checks and extrapolated."
    )
    report.emit()


if __name__ == "__main__":
    main()

"""Benchmark: 三线一单 screening of many project locations against many control units.

Target (issue 5): 10,000 project locations against 5,000 control-unit polygons of hundreds of
vertices in <= 2 s. Units are synthetic, deterministic: perturbed star-shaped polygons, one per
cell of a grid over a province-sized area (7° x 3.5°, Guangdong-like), 200-500 vertices each.
The baseline is brute force: each point tested with shapely.intersects against all polygons
(unindexed, unprepared), timed on a sample of points and extrapolated linearly.

Run:  PYTHONPATH=src .venv/bin/python bench/bench_zoning.py
Prints a markdown table; every figure is the median of --runs runs (the machine is shared).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time

import numpy as np
import shapely
from _report import Report, met

from ecogov.eia.zoning import EXAMPLE_RULES, Project, UnitIndex, load_rules_file, load_units

ORIGIN = (110.0, 21.5)
CELL = 0.07  # degrees, about 7 km
PREFIXES = ["C26", "C25", "C30", "C31", "C32", "B", "C22", "D44", "C2611", "C3011", "C17"]
PROJECT_CODES = ["C2611", "C2511", "C3011", "C3120", "C1713", "C3911", "D4411", "B0610", "E4810"]


def grid(n_units: int) -> tuple[int, int]:
    """Columns and rows of cells, twice as wide as high."""
    cols = int(np.ceil(np.sqrt(2 * n_units)))
    return cols, int(np.ceil(n_units / cols))


def star_polygons(n_units: int, rng: np.random.Generator) -> np.ndarray:
    cols, _ = grid(n_units)
    k = np.arange(n_units)
    centres = np.column_stack(
        [ORIGIN[0] + (k % cols + 0.5) * CELL, ORIGIN[1] + (k // cols + 0.5) * CELL]
    )
    centres += rng.uniform(-0.1, 0.1, size=(n_units, 2)) * CELL
    counts = rng.integers(200, 501, size=n_units)
    ring_id = np.repeat(k, counts)
    # Vertex angle: evenly spaced per polygon (a radial function keeps the ring simple).
    start = np.repeat(np.cumsum(counts) - counts, counts)
    theta = 2 * np.pi * (np.arange(counts.sum()) - start) / np.repeat(counts, counts)
    harmonics = np.arange(1, 7)
    amp = rng.uniform(0, 0.06, size=(n_units, 6))
    phase = rng.uniform(0, 2 * np.pi, size=(n_units, 6))
    wobble = (amp[ring_id] * np.sin(harmonics * theta[:, None] + phase[ring_id])).sum(axis=1)
    radius = 0.55 * CELL * (1 + wobble + rng.uniform(-0.02, 0.02, size=theta.size))
    xy = centres[ring_id] + radius[:, None] * np.column_stack([np.cos(theta), np.sin(theta)])
    return shapely.polygons(shapely.linearrings(xy, indices=ring_id))


def feature_collection(polys: np.ndarray, rng: np.random.Generator) -> dict:
    classes = rng.choice(["优先保护", "重点管控", "一般管控"], size=len(polys), p=[0.25, 0.35, 0.4])
    features = []
    for i, (poly, cls) in enumerate(zip(polys, classes)):
        flags = []
        if cls == "优先保护" and rng.random() < 0.3:
            flags.append("red_line")
        if cls == "重点管控" and rng.random() < 0.2:
            flags.append("non_attainment")
        access = [
            {
                "kind": str(rng.choice(["forbidden", "restricted"])),
                "industries": [str(p) for p in rng.choice(PREFIXES, size=2, replace=False)],
                "text": f"第{j + 1}条：禁止或限制所列行业新建、扩建项目",
            }
            for j in range(int(rng.integers(0, 5)))
        ]
        features.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(poly),
                "properties": {
                    "code": f"ZH{i:06d}",
                    "name": f"单元{i}",
                    "class": str(cls),
                    "flags": flags,
                    "access": access,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def projects(n: int, n_units: int, rng: np.random.Generator, polygons: bool) -> list[Project]:
    cols, rows = grid(n_units)
    lon0, lat0 = ORIGIN
    lon1, lat1 = lon0 + cols * CELL, lat0 + rows * CELL
    xy = np.column_stack([rng.uniform(lon0, lon1, n), rng.uniform(lat0, lat1, n)])
    geoms = shapely.points(xy)
    if polygons:
        geoms = shapely.buffer(geoms, 0.003, quad_segs=16)  # ~300 m radius sites, 64 vertices
    codes = rng.choice(PROJECT_CODES, size=n)
    flags = rng.random((n, 3)) < 0.9
    return [
        Project(
            g,
            industry=str(c),
            ref=f"P{i}",
            flags={
                "total_emission_ok": bool(f[0]),
                "offset_secured": bool(f[1]),
                "industry_policy_ok": bool(f[2]),
                "planning_eia_ok": True,
            },
        )
        for i, (g, c, f) in enumerate(zip(geoms, codes, flags))
    ]


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--units", type=int, default=5000)
    ap.add_argument("--projects", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument(
        "--sample", type=int, default=200, help="points timed for the brute-force baseline"
    )
    ap.add_argument("--seed", type=int, default=20240505)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)

    polys = star_polygons(args.units, rng)
    fc = feature_collection(polys, rng)
    points = projects(args.projects, args.units, rng, polygons=False)
    sites = projects(args.projects, args.units, rng, polygons=True)
    rules = load_rules_file(EXAMPLE_RULES)
    vertices = shapely.get_num_coordinates(polys)

    rows = []
    t_load = median_time(lambda: load_units(fc), max(1, args.runs // 2))
    loaded = load_units(fc)
    rows.append(("load + validate units from GeoJSON", t_load, "once per import"))
    t_index = median_time(lambda: UnitIndex(loaded.units), args.runs)
    index = UnitIndex(loaded.units)
    rows.append(("build UnitIndex (prepare + STRtree)", t_index, "once per unit set"))

    point_geoms = np.array([p.location for p in points], dtype=object)
    t_query = median_time(lambda: index.query(point_geoms), args.runs)
    rows.append(
        (
            f"query: {args.projects:,} points → (project, unit, boundary) pairs",
            t_query,
            "vectorised core, no result objects",
        )
    )
    t_screen = median_time(lambda: index.screen_many(points), args.runs)
    rows.append(
        (
            f"**screen_many: {args.projects:,} points**",
            t_screen,
            "**target: ≤ 2 s at 10,000 × 5,000**",
        )
    )
    # Prepared geometries build their edge indexes lazily: the first batch pays for them.
    unit_geoms = [u.geometry for u in loaded.units]
    cold = []
    for _ in range(args.runs):
        shapely.destroy_prepared(unit_geoms)
        cold.append(median_time(lambda: UnitIndex(loaded.units).screen_many(points), 1))
    t_cold = statistics.median(cold)
    rows.append(
        (f"build UnitIndex + first screen_many: {args.projects:,} points", t_cold, "cold index")
    )
    t_rules = median_time(lambda: rules.propose_many(index.screen_many(points)), args.runs)
    rows.append(
        (f"screen_many + refusal rules: {args.projects:,} points", t_rules, "6 example rules")
    )
    t_sites = median_time(lambda: index.screen_many(sites), args.runs)
    rows.append((f"screen_many: {args.projects:,} site polygons (64 vertices)", t_sites, ""))

    # The exact test alone, two ways: bbox candidates then prepared unit polygons (what
    # UnitIndex.query does) against the tree's own predicate (which prepares the input instead).
    prepared = np.array([u.geometry for u in loaded.units], dtype=object)  # prepared by UnitIndex
    ptree = shapely.STRtree(prepared)
    plain = shapely.from_wkb(shapely.to_wkb(polys))  # fresh, unprepared copies
    tree = shapely.STRtree(plain)

    def used() -> None:
        pi, ui = ptree.query(point_geoms)
        shapely.intersects(prepared[ui], point_geoms[pi])

    t_used = median_time(used, args.runs)
    rows.append(
        (
            f"exact pairs only: bbox query + prepared units, {args.projects:,} points",
            t_used,
            "used by UnitIndex.query",
        )
    )
    t_pred = median_time(lambda: tree.query(point_geoms, predicate="intersects"), args.runs)
    rows.append(
        (
            f"exact pairs only: STRtree.query(predicate='intersects'), {args.projects:,} points",
            t_pred,
            "alternative, not used",
        )
    )

    # Baseline: brute force on fresh (unprepared) copies, a sample extrapolated linearly.
    sample = point_geoms[: args.sample]
    t_sample = median_time(
        lambda: [shapely.intersects(pt, plain) for pt in sample], max(3, args.runs // 2)
    )
    t_brute = t_sample * args.projects / len(sample)
    rows.append(
        (
            f"baseline: brute force, {args.sample} points × {args.units:,} polygons, "
            f"extrapolated to {args.projects:,}",
            t_brute,
            "extrapolated, not run in full",
        )
    )

    # Sanity: the index agrees with brute force on the sample.
    pi, ui, _ = index.query(sample)
    brute = {
        (i, int(j))
        for i, pt in enumerate(sample)
        for j in np.flatnonzero(shapely.intersects(pt, plain))
    }
    assert brute == set(zip(pi.tolist(), ui.tolist())), "index disagrees with brute force"
    pairs = index.query(point_geoms)[0].size

    print(
        f"Command: `PYTHONPATH=src {os.path.relpath(sys.executable)} bench/bench_zoning.py "
        f"--units {args.units} --projects {args.projects} --runs {args.runs} --sample {args.sample} "
        f"--seed {args.seed}`\n"
    )
    print(
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, shapely "
        f"{shapely.__version__}, GEOS {shapely.geos_version_string}. Units: {args.units:,}, "
        f"vertices per unit {int(vertices.min())}–{int(vertices.max())} (median "
        f"{int(np.median(vertices))}), {int(vertices.sum()):,} in all; "
        f"{len(loaded.repairs)} repaired. Points touching ≥ 1 unit give {pairs:,} pairs.\n"
    )
    print("| measurement | median (s) | note |")
    print("|---|---:|---|")
    for name, seconds, note in rows:
        print(f"| {name} | {seconds:.3f} | {note} |")
    print(
        f"\nSpeed-up of screen_many over the brute-force baseline: {t_brute / t_screen:.0f}×. "
        f"Medians of {args.runs} runs (load: {max(1, args.runs // 2)}; baseline sample: "
        f"{max(3, args.runs // 2)})."
    )

    report = Report("Zoning screening (三线一单), issue 5")
    per_point = f"brute force {t_brute:.3f} s"
    for label, seconds, baseline in (
        (f"screen_many, {args.projects:,} points, full results", t_screen, per_point),
        ("the same plus the 6 example refusal rules", t_rules, per_point),
        (f"screen_many, {args.projects:,} site polygons (64 vertices)", t_sites, ""),
        ("build UnitIndex + first screen_many (cold index)", t_cold, ""),
    ):
        report.row(
            label,
            baseline=baseline,
            now=f"{seconds:.3f} s",
            ratio=f"{t_brute / seconds:.{0 if t_brute >= 10 * seconds else 1}f}×"
            if baseline
            else "",
            target="≤ 2 s",
            verdict=met(seconds, 2.0),
        )
    report.row("load + validate units from GeoJSON (once per import)", now=f"{t_load:.3f} s")
    report.note(
        f"{args.units:,} star-shaped units of {int(vertices.min())}–{int(vertices.max())} "
        f"vertices ({int(vertices.sum()):,} in all), {args.projects:,} points; medians of "
        f"{args.runs}. Baseline: shapely.intersects per point against every unprepared polygon, "
        f"{args.sample} points timed and extrapolated to {args.projects:,}."
    )
    report.emit()


if __name__ == "__main__":
    main()

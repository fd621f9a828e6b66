"""Benchmark of the draw's database side (issue 3): freezing the pools of 200,000 entities and
3,000 inspectors from the database, storing the checks, and `draw verify` from the stored rows.
Not a test.

    .venv/bin/python bench/bench_inspections_draw_db.py [--database-url URL] [--runs 3]

Without --database-url it uses a fresh SQLite file in /tmp/ecogov_bench_draw_db/; with a
PostgreSQL URL it drops and recreates that database: give it one of its own, e.g.
postgres://postgres@127.0.0.1:5432/insp_bench. The world is the product's synthetic data
(`ecogov synth`, docs/synth.md) at province scale, the entities and inspectors alone: 示例省's
14 cities and 124 county-level divisions on top of the 示例市 demo, entities about 8 % key /
89 % ordinary / 3 % special (90 % operating), inspectors at province, city and county level,
5 % of entities with a declared conflict; the first draw of each run feeds the rotation of the
next. Prints a markdown table of medians (wall and CPU).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import time
from pathlib import Path

DAY = dt.date(2020, 3, 16)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _db import setup_django  # noqa: E402
from _report import Report  # noqa: E402


def build_world(n_entities: int, n_inspectors: int, seed: int = 20200316):
    """The province through the product's synthetic data (docs/synth.md): `ecogov synth`'s
    province scale, the entities and the inspector pool alone (the inspections area without
    its plans and records); the first synthetic inspector draws, as a superuser."""
    from django.contrib.auth.models import User

    from ecogov.core.synth import BASE, run

    run(
        "province",
        only="inspections",
        volumes={"entities": n_entities, "inspectors": n_inspectors, "inspections": 0,
                 "draw_checks": 0},
        seed=seed,
        year=DAY.year,
        years=1,
    )  # fmt: skip
    User.objects.filter(pk=BASE).update(is_superuser=True)  # the bench draws province-wide
    return User.objects.get(pk=BASE)


def one_draw(actor, run: int):
    from django.utils import timezone

    from ecogov.core.demo import data
    from ecogov.core.models import Division
    from ecogov.inspections import pools, services
    from ecogov.inspections.draw import draw_with_document

    province = Division.objects.get(code=data.PROVINCE[0])
    plan = services.plan_create(
        actor=actor,
        data={
            "name": f"全省第{run}次",
            "period_label": f"2020-R{run}",
            "period_start": DAY,
            "period_end": DAY + dt.timedelta(days=80),
            "division": province,
            "inspection_date": DAY,
        },
        quotas=[
            {"category": "key", "share": 25},
            {"category": "ordinary", "share": 5},
            {"category": "special", "share": 100},
        ],
    )
    services.seed_announce(
        actor=actor,
        plan=plan,
        value=f"bench {run}",
        source="public",
        source_note="bench",
        now=timezone.now() - dt.timedelta(seconds=1),
    )
    times = {}
    cpu, wall = time.process_time(), time.perf_counter()
    frozen = pools.freeze(plan, f"bench {run}")
    times["freeze pools from DB"] = (time.perf_counter() - wall, time.process_time() - cpu)
    cpu, wall = time.process_time(), time.perf_counter()
    _document, result = draw_with_document(frozen.inputs)
    times["engine (document + draw)"] = (time.perf_counter() - wall, time.process_time() - cpu)
    cpu, wall = time.process_time(), time.perf_counter()
    made = services.draw_make(actor=actor, plan=plan)
    total = (time.perf_counter() - wall, time.process_time() - cpu)
    times["draw_make (all of it)"] = total
    times["store (draw_make − freeze − engine)"] = tuple(
        t - a - b
        for t, a, b in zip(total, times["freeze pools from DB"], times["engine (document + draw)"])
    )
    cpu, wall = time.process_time(), time.perf_counter()
    report = services.draw_verify(made)
    times["draw verify (rows + engine)"] = (time.perf_counter() - wall, time.process_time() - cpu)
    assert report.ok, report.message
    return times, len(result.checks), frozen


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    parser.add_argument("--entities", type=int, default=200_000)
    parser.add_argument("--inspectors", type=int, default=3_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    setup_django("draw_db", args.database_url)  # a fresh database of its own (bench/_db.py)
    from django.db import connection

    t = time.perf_counter()
    actor = build_world(args.entities, args.inspectors)
    print(
        f"world built in {time.perf_counter() - t:.1f} s ({connection.vendor}, "
        f"{args.entities:,} entities, {args.inspectors:,} inspectors)",
        file=sys.stderr,
    )
    rows, checks, frozen = {}, 0, None
    for run in range(1, args.runs + 1):
        times, checks, frozen = one_draw(actor, run)
        for key, value in times.items():
            rows.setdefault(key, []).append(value)
    print(
        f"\n{connection.vendor}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"{frozen.entity_count:,} entities, {frozen.inspector_count:,} valid inspectors, "
        f"{frozen.conflict_count:,} conflicts, {len(frozen.inputs.previous_assignments):,} "
        f"entities with a previous draw (last run); {checks:,} checks per draw; "
        f"median of {args.runs} runs\n"
    )
    print("| step | wall (s) | CPU (s) |\n|---|---|---|")
    for key, values in rows.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        print(f"| {key} | {wall:.2f} | {cpu:.2f} |")

    report = Report("Random draw with the database, issue 3")
    for key, values in rows.items():
        wall = statistics.median(v[0] for v in values)
        cpu = statistics.median(v[1] for v in values)
        report.row(f"{key} ({connection.vendor})", now=f"{wall:.2f} s (CPU {cpu:.2f})")
    report.note(
        f"{frozen.entity_count:,} entities, {frozen.inspector_count:,} valid inspectors, "
        f"{frozen.conflict_count:,} conflicts, {checks:,} checks per draw; medians of "
        f"{args.runs}, wall (CPU). No baseline in this bench: the engine alone against the naive "
        "reference is bench_draw.py; the before/after of the database side is below, by hand."
    )
    report.emit()


if __name__ == "__main__":
    main()

"""Benchmark of the draw's database side (issue 3): freezing the pools of 200,000 entities and
3,000 inspectors from the database, storing the checks, and `draw verify` from the stored rows.
Not a test.

    .venv/bin/python bench/bench_inspections_draw_db.py [--database-url URL] [--runs 3]

Without --database-url it uses a fresh SQLite file in /tmp/ecogov_bench_draw_db/; with a
PostgreSQL URL it drops and recreates that database: give it one of its own, e.g.
postgres://postgres@127.0.0.1:5432/insp_bench. The world (no demo data): a province of 11 cities × 9 counties, entities
10 % key / 85 % ordinary / 5 % special, inspectors at province, city and county level,
5 % of entities with a declared conflict; the first draw of each run feeds the rotation of the
next. Prints a markdown table of medians (wall and CPU).
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
from pathlib import Path

DAY = dt.date(2020, 3, 16)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _db import setup_django  # noqa: E402
from _report import Report  # noqa: E402


def build_world(n_entities: int, n_inspectors: int, seed: int = 20200316):
    from django.contrib.auth.models import User

    from ecogov.core import creditcode
    from ecogov.core.models import (
        Division,
        DivisionLevel,
        Organisation,
        RegulatedEntity,
        StaffProfile,
    )
    from ecogov.inspections.models import ConflictDeclaration

    rnd = random.Random(seed)
    province = Division.objects.create(code="330000", name="省", level=DivisionLevel.PROVINCE)
    cities, counties = [], []
    for c in range(1, 12):
        city = Division(
            code=f"33{c:02d}00",
            name=f"市{c}",
            level=DivisionLevel.CITY,
            parent=province,
            path=f"{province.path}33{c:02d}00/",
        )
        cities.append(city)
    Division.objects.bulk_create(cities)
    for city in cities:
        for d in range(1, 10):
            counties.append(
                Division(
                    code=f"{city.code[:4]}{d:02d}",
                    name=f"{city.name}县{d}",
                    level=DivisionLevel.COUNTY,
                    parent=city,
                    path=f"{city.path}{city.code[:4]}{d:02d}/",
                )
            )
    Division.objects.bulk_create(counties)
    org = Organisation.objects.create(name="省生态环境厅", kind="bureau", division=province)
    RegulatedEntity.objects.bulk_create(
        [
            RegulatedEntity(
                name=f"单位{i}",
                credit_code=creditcode.make(f"91{counties[i % 99].code}{i:09d}"),
                division=counties[rnd.randrange(len(counties))],
                category=rnd.choices(("key", "ordinary", "special"), (10, 85, 5))[0],
            )
            for i in range(n_entities)
        ],
        batch_size=5000,
    )
    levels = [province] * 70 + [c for c in cities for _ in range(30)]
    levels += [counties[i % len(counties)] for i in range(n_inspectors - len(levels))]
    users = User.objects.bulk_create(
        [User(username=f"p{i}", password="!") for i in range(n_inspectors)]
    )
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(
                user=u,
                full_name=f"人员{i}",
                organisation=org,
                division=div,
                certificate_number=f"C{i}",
                certificate_expiry=DAY + dt.timedelta(days=rnd.randint(-30, 1500)),
            )
            for i, (u, div) in enumerate(zip(users, levels))
        ],
        batch_size=5000,
    )
    by_division = {}
    for u, div in zip(users, levels):
        by_division.setdefault(div.pk, []).append(u)
    entities = list(RegulatedEntity.objects.values_list("pk", "division_id"))
    now = dt.datetime(2020, 3, 1, tzinfo=dt.UTC)
    ConflictDeclaration.objects.bulk_create(
        [
            ConflictDeclaration(
                inspector=rnd.choice(by_division[div]),
                entity_id=pk,
                division_id=div,
                reason="bench",
                declared_by=users[0],
                declared_at=now,
            )
            for pk, div in rnd.sample(entities, n_entities // 20)
        ],
        batch_size=5000,
    )
    User.objects.filter(pk=users[0].pk).update(is_superuser=True)  # the bench draws province-wide
    return User.objects.get(pk=users[0].pk)


def one_draw(actor, run: int):
    from django.utils import timezone

    from ecogov.core.models import Division
    from ecogov.inspections import pools, services
    from ecogov.inspections.draw import draw_with_document

    province = Division.objects.get(code="330000")
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

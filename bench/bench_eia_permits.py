"""Benchmark of the permits figures (issue 5, "Performance"). Not a test.

The year's figures (permits issued, of which with rectification; in force at year end, of
which with rectification; registrations filed) over 1,000,000 permits and 1,000,000
registrations (2010–2026, 13 counties), on a database of its own (never var/ecogov.sqlite3),
built by the product's synthetic data, the permits area alone (`ecogov synth --only permits`).
Target: ≤ 1 s for the city. Measured in the same run against two baselines: one COUNT query
per figure (each figure's own filter, through the scope), and the rows loaded and counted in
Python. Medians of --runs runs. (Screening has its own bench: bench/bench_zoning.py.)

    PYTHONPATH=src .venv/bin/python bench/bench_eia_permits.py  # SQLite: /tmp/ecogov_bench_permits/
    PYTHONPATH=src .venv/bin/python bench/bench_eia_permits.py \
        --database-url postgres://postgres@127.0.0.1:5432/permits_bench         # PostgreSQL
Options: --permits N --registrations N --runs N --reuse (keep a generated database; its missing
migrations are applied). Set-up: bench/_db.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from _db import setup_django, timed
from _report import Report, met


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite, /tmp/ecogov_bench_permits/")
    parser.add_argument("--permits", type=int, default=1_000_000)
    parser.add_argument("--registrations", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep an already generated database")
    return parser.parse_args()


ARGS = parse_args()
GENERATED = setup_django("permits", ARGS.database_url, reuse=ARGS.reuse)  # a database of its own

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402

from ecogov.core.synth import BASE, present  # noqa: E402
from ecogov.permits.figures import permit_figures  # noqa: E402
from ecogov.permits.models import Permit, Registration  # noqa: E402

FIRST_YEAR, LAST_YEAR = 2010, 2026


def generate() -> None:
    """The permits and registrations through the product's synthetic data, the permits area
    alone (`ecogov synth --only permits`, docs/synth.md): spread over 2010–2026 and 示例市's
    counties; a fifth of permits under key management, one in six with a rectification order,
    one in twenty revoked early, the rest expiring after 5 years; their holders are synthetic
    entities (3 % of the permits)."""
    from ecogov.core.synth import run

    run(
        only="permits",
        records=ARGS.permits,
        volumes={"registrations": ARGS.registrations},
        seed=5,
        year=LAST_YEAR,
        years=LAST_YEAR - FIRST_YEAR + 1,
        out=print,
    )


def analyse() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def per_figure_counts(user, year):
    """Baseline 1: one COUNT per figure, each of the figure's own records (through the scope)."""
    return {f.key: f.records.count() for f in FIGURE_SHAPES[user.username]}


def python_counts(user, year):
    """Baseline 2: the scoped rows loaded and counted in Python."""
    end, counts = (
        dt.date(year, 12, 31),
        dict.fromkeys(
            [
                "issued",
                "issued_rect",
                "cumulative",
                "cumulative_rect",
                "in_force",
                "in_force_rect",
                "registrations",
            ],
            0,
        ),
    )
    for issued, until, rect in (
        Permit.objects.visible_to(user)
        .values_list("issued_on", "in_force_until", "with_rectification")
        .iterator(chunk_size=20_000)
    ):
        if issued.year == year:
            counts["issued"] += 1
            counts["issued_rect"] += rect
        if issued <= end:
            counts["cumulative"] += 1
            counts["cumulative_rect"] += rect
        if issued <= end <= until:
            counts["in_force"] += 1
            counts["in_force_rect"] += rect
    for (filed,) in (
        Registration.objects.visible_to(user).values_list("filed_on").iterator(chunk_size=20_000)
    ):
        counts["registrations"] += filed.year == year
    return counts


FIGURE_SHAPES: dict = {}  # username: the figures, whose records baseline 1 counts one by one


def explain(user, year) -> str:
    end = dt.date(year, 12, 31)
    # the columns the in-force aggregate reads (explain() cannot take an aggregate itself)
    queryset = (
        Permit.objects.visible_to(user)
        .filter(issued_on__lte=end, in_force_until__gte=end)
        .order_by()
        .values("pk", "with_rectification")
    )
    try:
        return queryset.explain()
    except Exception as exc:  # noqa: BLE001  (the plan is informative only)
        return f"(explain failed: {exc})"


def main() -> None:
    started = time.perf_counter()
    if GENERATED:
        from ecogov.core.demo import build

        build()
    if Permit.objects.filter(pk__gte=BASE).count() < ARGS.permits:
        if present():
            sys.exit("保留的数据库中合成许可证少于 --permits:请去掉 --reuse 重新生成。")
        print(f"生成 {ARGS.permits:,} 张许可证和 {ARGS.registrations:,} 条排污登记 …", flush=True)
        generate()
        analyse()
    print(
        f"数据库:{connection.vendor}({settings.DATABASES['default']['NAME']}),准备 "
        f"{time.perf_counter() - started:.0f} s;许可证 {Permit.objects.count():,} 张,"
        f"排污登记 {Registration.objects.count():,} 条",
        flush=True,
    )
    leader, county = User.objects.get(username="leader"), User.objects.get(username="beishan_staff")
    rows = []
    for label, user in (("市局(全市)", leader), ("北山分局(一县)", county)):
        FIGURE_SHAPES[user.username] = permit_figures(user, ARGS.year)
        fast, figures = timed(lambda u=user: permit_figures(u, ARGS.year), ARGS.runs)
        counts, by_count = timed(lambda u=user: per_figure_counts(u, ARGS.year), ARGS.runs)
        slow, by_python = timed(lambda u=user: python_counts(u, ARGS.year), 3)
        values = {f.key: f.value for f in figures}
        assert values == by_count, (values, by_count)
        assert [
            values[k]
            for k in (
                "permits.issued",
                "permits.issued.with_rectification",
                "permits.issued_cumulative",
                "permits.issued_cumulative.with_rectification",
                "permits.in_force",
                "permits.in_force.with_rectification",
                "permits.registrations",
            )
        ] == list(by_python.values())
        rows.append((label, fast, counts, slow, values))
    print(
        "\n| 范围 | 本实现(聚合查询) | 基线1:每项一次 COUNT | 基线2:读出行在 Python 中计数 |"
        "\n|---|---:|---:|---:|"
    )
    for label, fast, counts, slow, _values in rows:
        print(f"| {label} | {fast * 1000:.0f} ms | {counts * 1000:.0f} ms | {slow * 1000:.0f} ms |")
    print("\n" + "、".join(f"{k}={v}" for k, v in rows[0][4].items()))
    print(f"\n查询计划(市局):\n{explain(leader, ARGS.year)}")

    report = Report("Permits and registrations: the year's figures, issue 5")
    for label, fast, counts, slow, _values in rows:
        report.row(
            f"{label}: the year's figures ({connection.vendor})",
            baseline=f"one COUNT per figure {counts * 1000:.0f} ms; counted in Python "
            f"{slow * 1000:.0f} ms",
            now=f"{fast * 1000:.0f} ms",
            ratio=f"{counts / fast:.1f}× / {slow / fast:.0f}×",
            target="≤ 1 s",
            verdict=met(fast, 1.0),
        )
    report.note(
        f"{Permit.objects.count():,} permits + {Registration.objects.count():,} registrations "
        f"({ARGS.year}'s figures); medians of {ARGS.runs} (the Python count: of 3); the three "
        "methods' values asserted equal."
    )
    report.emit()


if __name__ == "__main__":
    main()

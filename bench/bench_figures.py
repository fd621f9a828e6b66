"""Benchmark of the annual summary at province scale (issue 11, "Performance"). Not a test.

示例市 plus ≥ 1,000,000 generated records (bench/_province.py: matters, inspection records,
penalty cases and payments, EIA projects, permits, registrations, air-quality hours, 2016–2026),
then, as the city leader for 2020, medians of --runs:

(a) figures: `figures_for(leader, Period.of_year(2020))`, every registered figure, each area's
    provider also timed alone (the profile);
(b) the 2020 summary .docx end to end: `outputs.build` (its own `figures_for`, the composition
    of the seed outline with each figure's record count) and the .docx rendering;
(c) the naive baseline, in the same run: for every count, sum and credit figure of (a), its
    records loaded into Python (`figure.records.iterator()`, model instances) and counted or
    summed there, per record. The querysets come from (a): (c) times the loops alone.

and the cross-check: every count / sum / credit value of (a) equals its tally in (c).
Target: (a) + (b) ≤ 5 s on SQLite and on PostgreSQL.

    PYTHONPATH=src .venv/bin/python bench/bench_figures.py [--reuse]          # SQLite
    PYTHONPATH=src .venv/bin/python bench/bench_figures.py --reuse \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_figures
Options: --records N (default 1,000,000), --runs N (default 3), --baseline-runs N (default 3).
SQLite file: /tmp/ecogov_bench_figures/figures.sqlite3; --reuse keeps a built database.
"""

from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _db import setup_django, timed  # noqa: E402
from _report import Report, met  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-runs", type=int, default=3)
    return parser.parse_args(argv)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def naive(figures) -> dict[str, Decimal | int]:
    """Each count / sum / credit figure's value, by loading its records and tallying per record."""
    from ecogov.core.figures import Kind, round_to
    from ecogov.matters.figures.credit import plain

    values = {}
    for f in figures:
        if f.kind not in (Kind.COUNT, Kind.SUM, Kind.CREDIT) or f.records is None:
            continue
        if f.kind is Kind.COUNT:
            n = 0
            for _record in f.records.iterator(chunk_size=2000):
                n += 1
            values[f.key] = n
            continue
        total = 0
        for record in f.records.iterator(chunk_size=2000):
            total += getattr(record, f.field) or 0
        if f.kind is Kind.CREDIT:
            values[f.key] = plain(total)
        elif f.places is None and f.scale == 1:
            values[f.key] = total
        else:
            values[f.key] = round_to(Decimal(total) / f.scale, f.places)
    return values


def record_counts() -> dict[str, int]:
    from _province import BASE
    from django.apps import apps

    labels = [
        "matters.Matter",
        "inspections.InspectionRecord",
        "enforcement.PenaltyCase",
        "enforcement.Payment",
        "eia.EiaProject",
        "permits.Permit",
        "permits.Registration",
        "airquality.Observation",
        "matters.MatterUnit",
        "enforcement.CaseEvent",
    ]
    counts = {}
    for label in labels:
        model = apps.get_model(label)
        counts[label] = (model.objects.count(), model.objects.filter(pk__gte=BASE).count())
    return counts


def main() -> None:
    args = parse_args()
    setup_django("figures", args.database_url, reuse=args.reuse)
    from _province import generate
    from django.contrib.auth.models import User
    from django.db import connection

    from ecogov.core.areas import AREAS
    from ecogov.core.demo import build
    from ecogov.core.figures import Kind, Period, figures_for
    from ecogov.reports import builtin, outputs
    from ecogov.reports.models import Outline

    start = time.perf_counter()
    build()
    generate(args.records)
    print(f"database ({connection.vendor}) ready in {time.perf_counter() - start:.0f} s")
    counts = record_counts()
    generated = sum(
        new
        for label, (_all, new) in counts.items()
        if label not in ("matters.MatterUnit", "enforcement.CaseEvent")
    )
    print(
        f"generated records (those the figures count): {generated:,}; rows per table "
        "(all / generated):"
    )
    for label, (total, new) in counts.items():
        print(f"  {label:32} {total:>10,} / {new:>10,}")

    leader = User.objects.get(username="leader")
    period = Period.of_year(2020)
    outline = Outline.objects.get(name=builtin.SUMMARY)
    cold = time.perf_counter()
    figures_for(leader, period)  # first call: the air-quality evaluation of 2020 is cached
    print(f"first figures_for in the process (cold caches): {ms(time.perf_counter() - cold)}")

    t_fig, figures = timed(lambda: figures_for(leader, period), args.runs)
    print(f"(a) figures_for(leader, 2020): {len(figures)} figures, median {ms(t_fig)}")
    t_docx, body = timed(
        lambda: outputs.render_draft(outputs.build(outline, leader, 2020), "docx"), args.runs
    )
    print(
        f"(b) 2020 summary .docx end to end (its own figures_for, composition with the record"
        f" counts, .docx): median {ms(t_docx)} ({len(body):,} bytes)"
    )
    print(f"(a) + (b): {ms(t_fig + t_docx)} (target ≤ 5,000 ms; the figures counted twice)")

    t_naive, values = timed(lambda: naive(figures), args.baseline_runs)
    checked = [f for f in figures if f.key in values]
    print(
        f"(c) naive per-record baseline over the {len(checked)} count/sum/credit figures: "
        f"median {ms(t_naive)} — {t_naive / t_fig:.0f}× (a)"
    )

    report = Report("Annual summary at province scale, issue 11")
    report.row(
        f"(a) figures_for(leader, 2020), {len(figures)} figures ({connection.vendor})",
        baseline=f"(c) per-record loop: {ms(t_naive)}",
        now=ms(t_fig),
        ratio=f"{t_naive / t_fig:.0f}×",
    )
    report.row("(b) the 2020 summary .docx end to end (figures included)", now=ms(t_docx))
    report.row(
        "(a) + (b), the figures counted twice",
        now=ms(t_fig + t_docx),
        target="≤ 5 s",
        verdict=met(t_fig + t_docx, 5.0),
    )
    print("profile: each area's providers alone (median), aggregate vs naive loop")
    print(f"  {'area':14} {'figures':>7} {'aggregate':>11} {'naive':>11} {'ratio':>7}")
    for area in AREAS.values():
        if not area.figures:
            continue
        own = [f for f in figures if f.area == area.key]

        def provide(area=area):
            return [f for provider in area.figures for f in provider(leader, period)]

        t_area, _f = timed(provide, args.runs)
        t_loop, _v = timed(lambda own=own: naive(own), 1)
        print(
            f"  {area.key:14} {len(own):>7} {ms(t_area):>11} {ms(t_loop):>11} "
            f"{t_loop / t_area if t_area else 0:>6.0f}×"
        )
        report.row(
            f"profile: {area.key} ({len(own)} figures), its providers alone",
            baseline=f"loop {ms(t_loop)}",
            now=ms(t_area),
            ratio=f"{t_loop / t_area:.{1 if t_loop < 10 * t_area else 0}f}×" if t_area else "",
        )

    differ = [
        f"{f.key}: figure {f.value}, records tallied {values[f.key]}"
        for f in checked
        if Decimal(f.value if f.value is not None else 0) != Decimal(values[f.key])
    ]
    kinds = {k: sum(f.kind is k for f in checked) for k in (Kind.COUNT, Kind.SUM, Kind.CREDIT)}
    print(
        f"cross-check (a) = (c): {len(checked) - len(differ)} of {len(checked)} equal "
        f"({', '.join(f'{n} {k}' for k, n in kinds.items())})"
    )
    for line in differ:
        print("  DIFFERS", line)
    report.row(
        "cross-check: each count / sum / credit value of (a) = its tally in (c)",
        now=f"{len(checked) - len(differ)} / {len(checked)} equal",
        verdict="met" if not differ else "missed",
    )
    report.note(
        f"示例市 + {args.records:,} generated records (bench/_province.py), as the city leader "
        f"for 2020; medians of {args.runs} (baseline: {args.baseline_runs}; profile loops: 1). "
        "The baseline iterates each figure's records as model instances and tallies in Python."
    )
    report.emit()
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Benchmark of the annual summary (issue 11, "Performance"). Not a test.

1. On the demo database (示例市, built if absent): the year's figures of every area, the
   composition of the seed outline, the consistency check, and the .docx rendering —
   target: figures + .docx ≤ 5 s.
2. Rendering alone on a synthetic large report (a province's outline: 40× the sections, 500
   figures in the appendix) — the rendering is linear in the document's size, independent of
   the database.

At province scale (≥ 1,000,000 records, SQLite and PostgreSQL, against the per-record loop):
bench/bench_figures.py.

    PYTHONPATH=src .venv/bin/python bench/bench_reports.py [--database-url URL] [--reuse]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _db import setup_django, timed  # noqa: E402
from _report import Report, met  # noqa: E402

PARSER = argparse.ArgumentParser()
PARSER.add_argument("--database-url", default=None)
PARSER.add_argument("--reuse", action="store_true")
PARSER.add_argument("--runs", type=int, default=3)
ARGS = PARSER.parse_args()


def main() -> None:
    setup_django("reports", ARGS.database_url, reuse=ARGS.reuse)
    from django.contrib.auth.models import User

    from ecogov.core.demo import build
    from ecogov.reports import builtin, checks, compose, outputs, sources
    from ecogov.reports.document import Block, FigureRow, Run
    from ecogov.reports.models import Outline
    from ecogov.reports.render.docx import render_docx

    start = time.perf_counter()
    build()
    print(f"demo database ready in {time.perf_counter() - start:.1f} s")
    legal = User.objects.get(username="legal")
    outline = Outline.objects.get(name=builtin.SUMMARY)
    period = sources.period_of(2020)
    sources.report_figures(legal, period)  # warm the air-quality evaluation cache
    t_fig, figures = timed(lambda: sources.report_figures(legal, period), ARGS.runs)
    t_compose, draft = timed(
        lambda: compose.compose(outline, legal, period, figures=figures), ARGS.runs
    )
    t_check, _r = timed(lambda: checks.check(draft), ARGS.runs)
    t_docx, body = timed(lambda: render_docx(draft.document), ARGS.runs)
    t_all, _b = timed(
        lambda: outputs.render_draft(outputs.build(outline, legal, 2020), "docx"), ARGS.runs
    )
    print(
        f"demo 2020: {len(figures)} figures {t_fig * 1000:.0f} ms; compose (with record counts)"
        f" {t_compose * 1000:.0f} ms; check {t_check * 1000:.0f} ms; .docx {t_docx * 1000:.0f}"
        f" ms ({len(body)} bytes); figures + .docx end to end {t_all * 1000:.0f} ms"
        f" (target ≤ 5000 ms)"
    )
    document = draft.document
    big = compose.Document(
        **{
            **document.__dict__,
            "blocks": [
                Block(
                    b.section,
                    b.level,
                    b.number,
                    b.heading,
                    [list(p) for p in b.paragraphs],
                    b.source,
                )
                for _ in range(40)
                for b in document.blocks
            ],
            "figures": [
                FigureRow(
                    key=f"x.k{i}",
                    label=f"数据项{i}",
                    value=i,
                    display=str(i),
                    unit="件",
                    definition="合成",
                    record_count=i,
                )
                for i in range(500)
            ],
        }
    )
    paragraphs = sum(len(b.paragraphs) for b in big.blocks)
    t_big, big_body = timed(lambda: render_docx(big), ARGS.runs)
    print(
        f"synthetic report: {len(big.blocks)} sections, {paragraphs} paragraphs, 500 figures"
        f" → .docx {t_big * 1000:.0f} ms ({len(big_body)} bytes)"
    )
    del Run

    report = Report("Annual summary on the demo database, issue 11")
    report.row(f"the year's figures ({len(figures)})", now=f"{t_fig * 1000:.0f} ms")
    report.row("compose the seed outline (with record counts)", now=f"{t_compose * 1000:.0f} ms")
    report.row("consistency check", now=f"{t_check * 1000:.0f} ms")
    report.row(".docx rendering", now=f"{t_docx * 1000:.0f} ms")
    report.row(
        "figures + .docx end to end",
        now=f"{t_all * 1000:.0f} ms",
        target="≤ 5 s",
        verdict=met(t_all, 5.0),
    )
    report.row(
        f"synthetic province report ({len(big.blocks)} sections, 500 figures) → .docx",
        now=f"{t_big * 1000:.0f} ms",
    )
    report.note(
        f"示例市 demo, 2020, as the legal user; medians of {ARGS.runs}. No baseline here: "
        "bench_figures.py measures the province scale against the per-record loop."
    )
    report.emit()


if __name__ == "__main__":
    main()

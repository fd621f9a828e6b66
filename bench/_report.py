"""A benchmark's results as structured data, for `make bench` (bench/run_all.py).

Each bench keeps printing its own output; at its end it also hands its main figures to a
`Report`, which writes them as JSON to the file named by the environment variable
ECOGOV_BENCH_JSON (set by the runner; unset, nothing is written):

    from _report import Report

    report = Report("Zoning screening (三线一单), issue 5")
    report.row("screen_many, 10,000 points", baseline="1.77 s", now="0.12 s",
               ratio="15×", target="≤ 2 s", verdict=met(0.12, 2.0))
    report.note("medians of 7")
    report.emit()

The JSON: {"title", "command", "rows": [[measure, baseline, now, ratio, target, verdict]],
"notes": [...]}. Every cell is text the bench formats itself (units, digits); an empty cell is
"". No Django import: the pure benches use it as well.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ENV = "ECOGOV_BENCH_JSON"
COLUMNS = ("measure", "baseline", "now", "ratio", "target", "verdict")


def command(script: str | None = None, argv: list[str] | None = None) -> str:
    """The command that ran this bench, as a reader would type it from the repository."""
    script = script or os.path.relpath(sys.argv[0], Path(__file__).resolve().parents[1])
    args = sys.argv[1:] if argv is None else argv
    return " ".join(["PYTHONPATH=src .venv/bin/python", script, *args])


def met(value: float, target: float, *, at_least: bool = False) -> str:
    """ "met" if value is within the target (≤ target, or ≥ with at_least), else "missed"."""
    ok = value >= target if at_least else value <= target
    return "met" if ok else "missed"


class Report:
    def __init__(self, title: str, command_line: str | None = None):
        self.title = title
        self.command = command_line or command()
        self.rows: list[list[str]] = []
        self.notes: list[str] = []

    def row(
        self,
        measure: str,
        *,
        baseline: str = "",
        now: str = "",
        ratio: str = "",
        target: str = "",
        verdict: str = "",
    ) -> None:
        self.rows.append([measure, baseline, now, ratio, target, verdict])

    def note(self, text: str) -> None:
        self.notes.append(text)

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "command": self.command,
            "rows": self.rows,
            "notes": self.notes,
        }

    def emit(self, path: str | None = None) -> None:
        """Write the JSON to `path` or to $ECOGOV_BENCH_JSON; nothing if neither is given."""
        path = path or os.environ.get(ENV)
        if not path:
            return
        Path(path).write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=1))

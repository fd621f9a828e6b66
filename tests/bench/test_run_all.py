"""`make bench`'s runner (bench/run_all.py) and the benches' reports (bench/_report.py).

No real benchmark runs here: the rewriting of docs/benchmarks.md is given fake results, and the
subprocess side runs three tiny fake benches (one reports, one fails, one outlives its timeout).
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}_under_test", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run_all = load("run_all")
_report = load("_report")

DOC = """# Benchmarks

Hand-written introduction.

## Zoning, issue 5

<!-- bench:zoning:start -->
<!-- bench:zoning:end -->

Prose about zoning that stays, with a hand table:

| old | table |
|---|---|
| kept | 1 |

## Draw, issue 3

<!-- bench:draw:start -->
**Last run: 2026-01-01 00:00 UTC** — old machine.

| measure | baseline | now | ratio | target | verdict |
|---|---:|---:|---:|---:|---|
| draw | 12 s | 0.94 s | 13× | ≤ 2 s | met |
<!-- bench:draw:end -->

Prose about the draw.
"""

INFO = {
    "cores": 2,
    "memory_gib": 23.5,
    "cpu": "Test CPU 9000",
    "python": "3.11.7",
    "commit": "abc1234",
    "date": "2026-12-06 18:00 UTC",
    "load": [1.25, 0.5, 0.25],
}


def ok(name: str, rows, notes=(), title="A title") -> dict:
    return {
        "name": name,
        "status": "ok",
        "returncode": 0,
        "seconds": 42,
        "started": "2026-12-06 18:01 UTC",
        "load": 3.5,
        "load_end": 4.25,
        "machine": "2 cores, 23.5 GiB, Test CPU 9000, Python 3.11.7",
        "command": f"PYTHONPATH=src .venv/bin/python bench/bench_{name}.py --runs 7",
        "report": {"title": title, "command": "ignored", "rows": rows, "notes": list(notes)},
    }


def failed(name: str, status="failed", code=1) -> dict:
    return {
        "name": name,
        "status": status,
        "returncode": code,
        "seconds": 9,
        "started": "2026-12-06 18:02 UTC",
        "load": 4.0,
        "machine": "2 cores",
        "command": f"PYTHONPATH=src .venv/bin/python bench/bench_{name}.py",
        "stderr_tail": ["Traceback (most recent call last):", "KeyError: '331003'", ""],
    }


def block(text: str, name: str) -> str:
    start, end = run_all.markers(name)
    return text[text.index(start) : text.index(end)]


def test_a_result_replaces_its_block_and_the_prose_stays():
    rows = [["screen_many, 10,000 points", "1.77 s", "0.12 s", "15×", "≤ 2 s", "met"]]
    text = run_all.rewrite(DOC, INFO, [ok("zoning", rows, notes=["medians of 7"])])

    zoning = block(text, "zoning")
    assert "| screen_many, 10,000 points | 1.77 s | 0.12 s | 15× | ≤ 2 s | met |" in zoning
    assert "`PYTHONPATH=src .venv/bin/python bench/bench_zoning.py --runs 7`" in zoning
    assert (
        "2026-12-06 18:01 UTC" in zoning
        and "load average 3.50 at its start, 4.25 at its end" in zoning
    )
    assert "Test CPU 9000" in zoning and "42 s" in zoning
    assert "- medians of 7" in zoning
    # the prose around the blocks, and the other bench's block, are untouched
    for kept in ("Hand-written introduction.", "Prose about zoning that stays", "| kept | 1 |"):
        assert text.count(kept) == 1
    assert block(text, "draw") == block(DOC, "draw")
    assert text.endswith("Prose about the draw.\n")


def test_a_busy_machine_is_said_so():
    quiet = ok("zoning", [])
    quiet.update(cores=2, load=1.5, load_end=1.9)
    assert "machine was busy" not in block(run_all.rewrite(DOC, INFO, [quiet]), "zoning")
    own = {**quiet, "load_end": 2.75}  # the bench's own process on an otherwise quiet machine
    assert "machine was busy" not in block(run_all.rewrite(DOC, INFO, [own]), "zoning")
    busy = {**quiet, "load_end": 7.25}
    assert "(load up to 7.2 on 2 cores)" in block(run_all.rewrite(DOC, INFO, [busy]), "zoning")
    busy_from_start = {**quiet, "load": 2.5}
    assert "machine was busy" in block(run_all.rewrite(DOC, INFO, [busy_from_start]), "zoning")


def test_rewriting_twice_replaces_rather_than_adds():
    first = run_all.rewrite(DOC, INFO, [ok("zoning", [["a", "", "1 s", "", "", ""]])])
    second = run_all.rewrite(first, INFO, [ok("zoning", [["a", "", "2 s", "", "", ""]])])
    assert "| a |  | 2 s |" in second and "| a |  | 1 s |" not in second
    assert second.count("<!-- bench:zoning:start -->") == 1
    assert second.count("<!-- bench:machine:start -->") == 1


def test_the_machine_block_sums_up_the_run_under_the_first_heading():
    text = run_all.rewrite(DOC, INFO, [ok("zoning", []), failed("draw")])
    assert text.startswith("# Benchmarks\n")
    summary = block(text, "machine")
    assert text.index("<!-- bench:machine:start -->") < text.index("Hand-written introduction.")
    assert "2026-12-06 18:00 UTC" in summary and "commit abc1234" in summary
    assert "2 cores, 23.5 GiB memory, CPU Test CPU 9000" in summary
    assert "1.25 / 0.50 / 0.25" in summary
    assert "Ran: zoning (42 s)" in summary
    assert "Failed: draw (exit status 1)" in summary


def test_a_failed_bench_keeps_its_previous_table_under_a_failure_line():
    text = run_all.rewrite(DOC, INFO, [failed("draw")])
    draw = block(text, "draw")
    assert "**Failed in the run of 2026-12-06 18:02 UTC**" in draw
    assert "exit status 1" in draw and "KeyError: '331003'" in draw
    assert "| draw | 12 s | 0.94 s | 13× | ≤ 2 s | met |" in draw  # the old figures
    assert "**Last run: 2026-01-01 00:00 UTC**" in draw  # with their date
    assert draw.index("Failed in the run") < draw.index("| draw | 12 s")

    # failing again: one failure line (the latest), the same old table
    again = run_all.rewrite(text, INFO, [failed("draw", status="timeout", code=None)])
    draw = block(again, "draw")
    assert draw.count("Failed in the run") == 1
    assert "timed out after 9 s" in draw and "exit status 1" not in draw
    assert "| draw | 12 s | 0.94 s | 13× | ≤ 2 s | met |" in draw

    # a success afterwards clears the failure
    fixed = run_all.rewrite(again, INFO, [ok("draw", [["draw", "", "0.9 s", "", "", ""]])])
    assert "Failed in the run" not in block(fixed, "draw")
    assert "| draw | 12 s" not in fixed


def test_a_bench_that_never_ran_says_so_and_one_without_markers_gets_a_section():
    text = run_all.rewrite(DOC, INFO, [failed("zoning")])
    assert "No figures yet." in block(text, "zoning")

    text = run_all.rewrite(
        DOC, INFO, [ok("newbench", [["x", "", "1 ms", "", "", ""]], title="New")]
    )
    assert "\n## New\n\n<!-- bench:newbench:start -->" in text
    assert "| x |  | 1 ms |" in block(text, "newbench")
    assert text.index("Prose about the draw.") < text.index("## New")


def test_cells_cannot_break_the_table():
    text = run_all.rewrite(DOC, INFO, [ok("zoning", [["a | b", "x\ny", "", "", "", ""]])])
    assert "| a \\| b | x y |" in block(text, "zoning")


def test_names_and_subsets():
    names = run_all.discover()
    on_disk = {p.stem.removeprefix("bench_") for p in BENCH.glob("bench_*.py")}
    assert set(names) == on_disk and len(names) == len(on_disk)
    assert names.index("zoning") < names.index("api_load")  # quick ones first
    assert run_all.select(names, "matters,zoning") == ["zoning", "matters"]  # in run order
    assert "figures" not in run_all.select(names, skip="figures")
    with pytest.raises(SystemExit, match="unknown bench: nosuch"):
        run_all.select(names, "zoning,nosuch")


def test_the_docs_page_has_a_block_for_every_bench():
    text = (ROOT / "docs" / "benchmarks.md").read_text()
    for name in [*run_all.discover(), "machine"]:
        start, end = run_all.markers(name)
        assert text.count(start) == 1 and text.count(end) == 1, name
        assert text.index(start) < text.index(end)


def test_report_writes_json_only_when_asked(tmp_path, monkeypatch):
    report = _report.Report("Title", "the command")
    report.row("m", baseline="2 s", now="1 s", ratio="2×", target="≤ 3 s", verdict="met")
    report.note("a note")
    monkeypatch.delenv(_report.ENV, raising=False)
    report.emit()  # nowhere to write: nothing happens
    out = tmp_path / "r.json"
    monkeypatch.setenv(_report.ENV, str(out))
    report.emit()
    assert json.loads(out.read_text()) == {
        "title": "Title",
        "command": "the command",
        "rows": [["m", "2 s", "1 s", "2×", "≤ 3 s", "met"]],
        "notes": ["a note"],
    }
    assert _report.met(1.0, 2.0) == "met" and _report.met(3.0, 2.0) == "missed"
    assert _report.met(150, 100, at_least=True) == "met"
    assert _report.met(50, 100, at_least=True) == "missed"


FAKE = """
import sys, time
sys.path.insert(0, {bench!r})
from _report import Report
print("own output of the bench")
if "--fail" in sys.argv:
    sys.exit("bench broke")
if "--sleep" in sys.argv:
    time.sleep(60)
r = Report("Fake")
r.row("m", now="1 ms")
r.emit()
"""


def test_run_collects_the_report_and_survives_failures_and_timeouts(tmp_path, capfd):
    (tmp_path / "bench_fake.py").write_text(FAKE.format(bench=str(BENCH)))
    done = run_all.run("fake", ["--x"], timeout=60, folder=tmp_path)
    assert done["status"] == "ok" and done["returncode"] == 0
    assert done["report"]["rows"] == [["m", "", "1 ms", "", "", ""]]
    assert done["command"].endswith("bench_fake.py --x")
    assert "own output of the bench" in capfd.readouterr().out  # the bench's output is shown

    broke = run_all.run("fake", ["--fail"], timeout=60, folder=tmp_path)
    assert broke["status"] == "failed" and broke["returncode"] == 1
    assert broke["stderr_tail"][-1] == "bench broke"
    assert "report" not in broke

    slow = run_all.run("fake", ["--sleep"], timeout=1, folder=tmp_path)
    assert slow["status"] == "timeout" and slow["seconds"] < 30


def test_the_suite_does_not_collect_the_benchmarks():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    assert config["testpaths"] == ["tests"]
    patterns = config.get("python_files", "test_*.py *_test.py").split()
    for path in BENCH.glob("*.py"):
        assert not any(re.fullmatch(p.replace("*", ".*"), path.name) for p in patterns), path

"""Run every benchmark and rewrite the figures tables of docs/benchmarks.md (`make bench`).

Each bench/bench_*.py runs as a subprocess with its default arguments (each measures against
its own baseline in the same run), its output shown as it comes, with a timeout of its own; a
bench that fails or times out is reported and the next one runs. Each bench hands its figures
to bench/_report.py, which writes them as JSON to the file named by ECOGOV_BENCH_JSON. The
runner then replaces, in docs/benchmarks.md, what stands between

    <!-- bench:NAME:start -->  …  <!-- bench:NAME:end -->

with the bench's table (the date, the machine, the load average at its start, its duration and
its exact command above it); the prose around the markers stays. A bench without markers gets a
new section at the end of the file. A bench that failed keeps its previous table under a line
saying that it failed. The block `bench:machine` sums up the run.

    PYTHONPATH=src .venv/bin/python bench/run_all.py                 # all, as `make bench`
    PYTHONPATH=src .venv/bin/python bench/run_all.py --only zoning,draw
    make bench BENCH=matters,figures

Options: --only NAMES, --skip NAMES, --timeout S (every bench), --args NAME='ARGS' (extra
arguments for one bench, repeatable), --docs PATH, --no-docs, --list.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOCS = ROOT / "docs" / "benchmarks.md"
ENV = "ECOGOV_BENCH_JSON"
COLUMNS = ("measure", "baseline", "now", "ratio", "target", "verdict")
GENERATED = (
    "<!-- written by `make bench` (bench/run_all.py): edits between the markers are replaced -->"
)
FAILED = "**Failed in the run of"

# The order they run in (quick ones first) and each one's timeout in seconds; a bench not
# listed here (a new bench/bench_*.py) runs last with DEFAULT_TIMEOUT.
ORDER = {
    "zoning": 1200,
    "draw": 1800,
    "airquality": 1200,
    "reports": 1200,
    "eia_permits": 3600,
    "inspections_draw_db": 2400,
    "figures": 3600,
    "pages": 3600,
    "api_load": 3600,
    "matters": 3 * 3600,
}
DEFAULT_TIMEOUT = 3600


# --- which benches ---------------------------------------------------------------------------
def discover(folder: Path = HERE) -> list[str]:
    names = [p.stem.removeprefix("bench_") for p in sorted(folder.glob("bench_*.py"))]
    rank = {name: i for i, name in enumerate(ORDER)}
    return sorted(names, key=lambda n: (rank.get(n, len(rank)), n))


def select(names: list[str], only: str = "", skip: str = "") -> list[str]:
    wanted = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [
        n for n in wanted + [s.strip() for s in skip.split(",") if s.strip()] if n not in names
    ]
    if unknown:
        raise SystemExit(f"unknown bench: {', '.join(unknown)} (known: {', '.join(names)})")
    dropped = {s.strip() for s in skip.split(",")}
    return [n for n in names if (not wanted or n in wanted) and n not in dropped]


# --- the machine ------------------------------------------------------------------------------
def machine() -> dict:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            # the page this runner rewrites does not count as a change to what is measured
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", "."]
            + [f":!{DOCS.relative_to(ROOT)}"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(memory / 1024**3, 1) if memory else None,
        "cpu": model,
        "python": platform.python_version(),
        "commit": commit,
        "date": now(),
        "load": list(os.getloadavg()),
    }


def now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def machine_text(m: dict) -> str:
    memory = f", {m['memory_gib']:g} GiB" if m.get("memory_gib") else ""
    return f"{m['cores']} cores{memory}, {m['cpu']}, Python {m['python']}"


# --- running one bench ------------------------------------------------------------------------
def run(
    name: str,
    extra: list[str],
    timeout: float,
    *,
    folder: Path = HERE,
    python: str = sys.executable,
) -> dict:
    path = folder / f"bench_{name}.py"
    script = os.path.relpath(path, ROOT) if path.is_relative_to(ROOT) else str(path)
    shown = " ".join(["PYTHONPATH=src .venv/bin/python", script, *map(shlex.quote, extra)])
    with tempfile.TemporaryDirectory(prefix="ecogov_bench_run_") as tmp:
        out = Path(tmp) / "report.json"
        env = {**os.environ, ENV: str(out)}
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p
        )
        result = {
            "name": name,
            "command": shown,
            "started": now(),
            "load": os.getloadavg()[0],
            "cores": os.cpu_count(),
            "machine": machine_text(machine()),
        }
        print(f"\n=== {name}: {shown} (timeout {timeout:.0f} s) ===", flush=True)
        start = time.perf_counter()
        process = subprocess.Popen(
            [python, str(path), *extra],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
        tail: collections.deque[str] = collections.deque(maxlen=20)

        def echo():
            for line in process.stderr:
                sys.stderr.write(line)
                tail.append(line.rstrip("\n"))

        reader = threading.Thread(target=echo, daemon=True)
        reader.start()
        try:
            code = process.wait(timeout=timeout)
            status = "ok" if code == 0 else "failed"
        except subprocess.TimeoutExpired:
            stop(process)
            code, status = None, "timeout"
        except KeyboardInterrupt:  # the bench runs in a session of its own: stop it too
            stop(process)
            raise
        reader.join(timeout=10)
        result.update(seconds=round(time.perf_counter() - start), returncode=code, status=status)
        result["load_end"] = os.getloadavg()[0]
        result["stderr_tail"] = list(tail)
        if status == "ok":
            try:
                result["report"] = json.loads(out.read_text())
            except (OSError, ValueError):
                result["status"] = "no report"
    print(f"=== {name}: {result['status']} in {result['seconds']} s ===", flush=True)
    return result


def stop(process: subprocess.Popen) -> None:
    """Ctrl-C first (the benches stop their servers in `finally`), then kill the group."""
    for sig, wait in ((signal.SIGINT, 30), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


# --- rewriting the docs -----------------------------------------------------------------------
def markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def table(report: dict) -> str:
    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in report.get("rows", []):
        row = [*row, *[""] * len(COLUMNS)][: len(COLUMNS)]
        lines.append("| " + " | ".join(cell(c) for c in row) + " |")
    return "\n".join(lines)


def block_ok(result: dict) -> str:
    report = result["report"]
    parts = [
        f"**Last run: {result['started']}** — {result['machine']}; load average "
        f"{result['load']:.2f} at its start"
        + (f", {result['load_end']:.2f} at its end" if "load_end" in result else "")
        + f"; {result['seconds']} s.",
        "",
        f"`{result['command']}`",
        "",
        table(report),
    ]
    # others' load: the load at the start, or at the end less the bench's own process
    busy = max(result["load"], result.get("load_end", 0))
    cores = result.get("cores")
    if cores and (result["load"] > cores or result.get("load_end", 0) > cores + 1):
        parts[1:1] = [
            "",
            f"**The machine was busy** (load up to {busy:.1f} on {result['cores']} cores): "
            "wall times are inflated and the verdicts against absolute targets are not "
            "conclusive; the ratios to the baseline, measured in the same minutes, carry over.",
        ]
    if report.get("notes"):
        parts += ["", *(f"- {note}" for note in report["notes"])]
    return "\n".join(parts)


def why(result: dict) -> str:
    return {
        "timeout": f"timed out after {result['seconds']} s",
        "no report": "finished without writing its report",
    }.get(result["status"], f"exit status {result['returncode']}")


def block_failed(result: dict, previous: str) -> str:
    last = next((line for line in reversed(result.get("stderr_tail", [])) if line.strip()), "")
    line = (
        f"{FAILED} {result['started']}** (`{result['command']}`: {why(result)}"
        + (f"; last line: `{last.strip().replace('`', chr(39))[:200]}`" if last else "")
        + "). "
        + ("The figures below are from its previous run." if previous else "No figures yet.")
    )
    return line + ("\n\n" + previous if previous else "")


def inner(text: str, name: str) -> str | None:
    """What stands between a bench's markers, without the generated lines; None if absent."""
    start, end = markers(name)
    match = re.search(re.escape(start) + r"\n?(.*?)\n?" + re.escape(end), text, re.S)
    if not match:
        return None
    lines = [
        line
        for line in match.group(1).splitlines()
        if line != GENERATED and not line.startswith(FAILED)
    ]
    return "\n".join(lines).strip("\n")


def replace_block(text: str, name: str, body: str, title: str) -> str:
    start, end = markers(name)
    block = f"{start}\n{GENERATED}\n{body}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _m: block, text, count=1)
    return text.rstrip("\n") + f"\n\n## {title}\n\n{block}\n"


def summary(info: dict, results: list[dict]) -> str:
    ran = [f"{r['name']} ({r['seconds']} s)" for r in results if r["status"] == "ok"]
    failed = [f"{r['name']} ({why(r)})" for r in results if r["status"] != "ok"]
    load = " / ".join(f"{x:.2f}" for x in info["load"])
    return (
        f"**Last `make bench`: {info['date']}**, commit {info['commit']}. Machine: "
        f"{info['cores']} cores"
        + (f", {info['memory_gib']:g} GiB memory" if info.get("memory_gib") else "")
        + f", CPU {info['cpu']}; Python {info['python']}. Load average (1 / 5 / 15 min) at "
        f"the start: {load}.\n\n"
        f"Ran: {', '.join(ran) or 'none'}."
        + (f" **Failed: {', '.join(failed)}** (their previous figures kept)." if failed else "")
        + " Each section's table says when it was last measured."
    )


def apply(text: str, result: dict) -> str:
    """The text with one bench's block replaced (or added at the end)."""
    name = result["name"]
    if result["status"] == "ok":
        return replace_block(text, name, block_ok(result), result["report"].get("title") or name)
    return replace_block(text, name, block_failed(result, inner(text, name) or ""), name)


def with_summary(text: str, info: dict, results: list[dict]) -> str:
    """The text with the run's summary in the `machine` block (under the first heading)."""
    start, end = markers("machine")
    if start not in text:
        head, sep, rest = text.partition("\n")
        text = f"{head}{sep}\n{start}\n{end}\n{rest}"
    return replace_block(text, "machine", summary(info, results), "Machine")


def rewrite(text: str, info: dict, results: list[dict]) -> str:
    """docs/benchmarks.md with each result's block replaced and the run summed up."""
    for result in results:
        text = apply(text, result)
    return with_summary(text, info, results)


# --- main ---------------------------------------------------------------------------------------
def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="comma-separated names (default: all)")
    parser.add_argument("--skip", default="", help="comma-separated names to leave out")
    parser.add_argument("--timeout", type=float, help="seconds per bench (default: each its own)")
    parser.add_argument(
        "--args",
        action="append",
        default=[],
        metavar="NAME=ARGS",
        help="extra arguments for one bench, e.g. api_load='--database-url postgres://…/x'",
    )
    parser.add_argument("--docs", type=Path, default=DOCS)
    parser.add_argument("--no-docs", action="store_true", help="run, do not rewrite the docs")
    parser.add_argument("--list", action="store_true", help="list the benches and stop")
    args = parser.parse_args(argv)
    names = discover()
    if args.list:
        print("\n".join(names))
        return 0
    chosen = select(names, args.only, args.skip)
    extra = {}
    for item in args.args:
        name, _, rest = item.partition("=")
        select(names, name)
        extra[name] = shlex.split(rest)
    info = machine()
    print(
        f"make bench: {', '.join(chosen)} — {machine_text(info)}, load "
        f"{' / '.join(f'{x:.2f}' for x in info['load'])}",
        flush=True,
    )
    results = []
    for name in chosen:
        timeout = args.timeout or ORDER.get(name, DEFAULT_TIMEOUT)
        try:
            results.append(run(name, extra.get(name, []), timeout))
        except KeyboardInterrupt:
            print(f"interrupted during {name}; the docs keep what finished", file=sys.stderr)
            break
        if not args.no_docs:  # after each bench, so that a long run keeps what it measured
            text = apply(args.docs.read_text(), results[-1])
            args.docs.write_text(with_summary(text, info, results))
    print("\nmake bench:")
    for r in results:
        print(f"  {r['name']:<22} {r['status']:<10} {r['seconds']:>6} s")
    return 0 if all(r["status"] == "ok" for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the public portal's lists and the API's lists under load (issue 13). Not a test.

50 concurrent clients (locust, headless; each reads a list, waits 0.5–1.5 s, reads the next)
against gunicorn with 4 workers on 127.0.0.1, on PostgreSQL with a city's data: the 示例市
demo plus 100,000 matters (bench_pages.py's generator). Half the clients' reads are portal
list pages (no sign-in), half API lists with an API token of a city-wide user (50 rows a page).
The same load runs against this checkout and against the baseline commit (exported with
`git archive`, same virtualenv), one tree at a time so each has the machine to itself,
alternating over the rounds. Per list: p50 and p95 (locust, client side), requests, failures;
the median of the rounds. Target: p95 ≤ 150 ms for every list, no failure.

    PYTHONPATH=src .venv/bin/python bench/bench_api_load.py      # make venv-bench first
Options: --database-url (default postgres://postgres@127.0.0.1:5432/api_load_bench), --matters N (default 100000), --reuse (keep a generated database), --baseline COMMIT
(default abf809d), --clients N (50), --seconds S (60 per round and tree), --rounds N (3: a list's p95 of fewer
requests moves by ±50 ms between runs),
--workers N (gunicorn workers, 4).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_pages as pages  # noqa: E402  (the database, the servers, the baseline tree)

PORTAL = [
    "/portal/penalties/",
    "/portal/permits/",
    "/portal/registrations/",
    "/portal/eia/",
    "/portal/documents/",
    "/portal/draws/",
    "/portal/inspections/",
    "/portal/cleanup/",
]
API = [
    "/api/permits/permits/",
    "/api/permits/registrations/",
    "/api/matters/matters/",
    "/api/enforcement/cases/",
    "/api/core/entities/",
    "/api/eia/projects/",
    "/api/legal/documents/",
    "/api/inspections/records/",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/api_load_bench",
        help="a PostgreSQL database (dropped and made anew unless --reuse)",
    )
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--baseline", default="abf809d")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4)
    return parser.parse_args()


def issue_token() -> str:
    from ecogov.core.api_tokens import api_token_issue
    from ecogov.core.demo import World

    world = World()
    _token, key = api_token_issue(
        actor=world.user("sysadmin"),
        account=world.user("inspector"),
        name="压力测试",
        expires_on=dt.date.today() + dt.timedelta(days=7),
    )
    return key


def run_locust(server, args, token: str, paths: dict, prefix: str) -> dict:
    env = {
        **os.environ,
        "ECOGOV_BENCH_TOKEN": token,
        "ECOGOV_BENCH_PATHS": json.dumps(paths),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(HERE / "locust_api.py"),
            "--headless",
            "--users",
            str(args.clients),
            "--spawn-rate",
            str(args.clients),
            "--run-time",
            f"{args.seconds}s",
            "--host",
            f"http://127.0.0.1:{server.port}",
            "--csv",
            prefix,
            "--only-summary",
            "--stop-timeout",
            "5",
            "--loglevel",
            "WARNING",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    if done.returncode not in (0, 1):  # 1: some requests failed, which the report shows
        sys.exit(f"locust failed:\n{done.stderr[-3000:]}")
    stats = {}
    with open(f"{prefix}_stats.csv", newline="") as f:
        for row in csv.DictReader(f):
            stats[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "rps": float(row["Requests/s"]),
            }
    return stats


def main() -> None:
    args = parse_args()
    url = pages.prepare_database(
        argparse.Namespace(database_url=args.database_url, reuse=args.reuse, matters=args.matters)
    )
    from django.conf import settings

    token = issue_token()
    env = pages.server_env(url)
    trees = {"base": pages.baseline_tree(args.baseline), "new": pages.ROOT / "src"}
    print(
        f"负载(1/5/15 分钟):{' '.join(f'{x:.1f}' for x in os.getloadavg())},CPU "
        f"{os.cpu_count()} 个;PostgreSQL({settings.DATABASES['default']['NAME']});"
        f"{args.clients} 个并发客户端 × {args.seconds} 秒 × {args.rounds} 轮 × 2 个版本,"
        f"gunicorn {args.workers} 个进程",
        flush=True,
    )
    paths = {"portal": list(PORTAL), "api": list(API)}
    rounds: dict[str, list[dict]] = {label: [] for label in trees}
    out = Path(tempfile.mkdtemp(prefix="ecogov_api_load_"))
    for number in range(args.rounds):
        for label, src in trees.items():
            server = pages.Server(label, src, env, args.workers)
            try:
                for path in PORTAL + API:  # warm, and every list answers on both trees
                    headers = {"Authorization": f"Bearer {token}"} if path in API else None
                    status = _get(server, path, headers)
                    if status != 200:
                        sys.exit(f"{label}: {path} answered {status}")
                rounds[label].append(
                    run_locust(server, args, token, paths, str(out / f"{label}{number}"))
                )
            finally:
                server.stop()
    report(rounds, args)


def _get(server, path, headers) -> int:
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
    status = connection.getresponse().status
    connection.close()
    return status


def report(rounds: dict, args) -> None:
    from _report import Report, met

    def median_of(label, name, key):
        values = [r[name][key] for r in rounds[label] if name in r]
        return statistics.median(values) if values else float("nan")

    names = [*PORTAL, *API, "Aggregated"]
    worst = 0.0
    failures = 0
    out = Report("Portal and API lists under load, issue 13")
    for name in names:
        base = {k: median_of("base", name, k) for k in ("p50", "p95")}
        new = {k: median_of("new", name, k) for k in ("p50", "p95")}
        fails = sum(r[name]["failures"] for r in rounds["new"] if name in r)
        count = sum(r[name]["requests"] for r in rounds["new"] if name in r)
        if name != "Aggregated" and count:
            worst, failures = max(worst, new["p95"]), failures + fails
        print(
            f"{name:<32} p50 {base['p50']:5.0f} → {new['p50']:4.0f} ms  p95 {base['p95']:5.0f} → "
            f"{new['p95']:4.0f} ms  请求 {count}  失败 {fails}",
            flush=True,
        )
        if not count:
            continue
        out.row(
            f"{'all requests' if name == 'Aggregated' else name} (p50 / p95; {count:,} "
            f"requests, {fails} failed)",
            baseline=f"{base['p50']:.0f} / {base['p95']:.0f} ms",
            now=f"{new['p50']:.0f} / {new['p95']:.0f} ms",
            ratio=f"{base['p95'] / new['p95']:.2f}× (p95)" if new["p95"] else "",
            target="p95 ≤ 150 ms, no failure",
            verdict="met" if new["p95"] <= 150 and not fails else "missed",
        )
    rps = statistics.median(r["Aggregated"]["rps"] for r in rounds["new"])
    print(
        f"本版本:最慢列表 p95 {worst:.0f} ms(目标 ≤ 150 ms),失败 {failures} 次,"
        f"吞吐 {rps:.0f} 次/秒",
        flush=True,
    )
    out.row(
        "the slowest list's p95; failures; throughput",
        now=f"{worst:.0f} ms; {failures} failed; {rps:.0f} requests/s",
        target="≤ 150 ms, 0 failed",
        verdict=met(worst, 150) if not failures else "missed",
    )
    out.note(
        f"{args.clients} clients (locust, 0.5–1.5 s between reads), gunicorn {args.workers} "
        f"workers, PostgreSQL with the demo + {args.matters:,} matters; baseline {args.baseline} "
        f"and this tree one after the other, {args.rounds} rounds of {args.seconds} s each; "
        "medians of the rounds."
    )
    out.emit()


if __name__ == "__main__":
    main()

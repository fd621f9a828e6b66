"""Benchmark of the back office's pages (issue 10, "every screen fast"). Not a test.

The dashboard and every list page of the sidebar, as the city leader and as a county user,
served by gunicorn on 127.0.0.1 (one sync worker per tree, DEBUG off, the dev settings as
`make demo` uses them) from two trees at once: this checkout and the baseline, the commit the
work started from (202760b), exported with `git archive` to a folder of its own and run from the
same virtualenv (the dependencies did not change). Requests alternate between the two servers
page by page, so that both meet the same load on this shared machine. Per page: p50/p95 latency
(wall, client side), the number of SQL queries (counted in-process with the Django test client,
one subprocess per tree), and the HTML in bytes as sent (gzip asked for) and raw.
Targets: p95 ≤ 150 ms on the demo data, ≤ 300 ms on a database of 1,000,000 matters.

    PYTHONPATH=src .venv/bin/python bench/bench_pages.py          # the demo, SQLite
    PYTHONPATH=src .venv/bin/python bench/bench_pages.py \\
        --database-url postgres://postgres@127.0.0.1:5432/pages_bench --matters 1000000
Options: --runs N (requests per page and tree, default 9), --users leader,beishan_staff,
--pages SUBSTRING[,…] (only pages whose name contains one), --reuse (keep a generated
database), --baseline COMMIT (default 202760b), --workers N (gunicorn workers per tree),
--dashboard-cache SECONDS (default 60, as deployed; 0 counts the dashboard on every view).
With --matters N the demo gets N more matters as bench_matters.py builds them: the product's
synthetic data, the matters alone (`ecogov synth --only matters`, docs/synth.md: 200
responsible units, 2016–2026, the four kinds; COPY on PostgreSQL, executemany on SQLite).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite, /tmp/ecogov_bench_pages/")
    parser.add_argument("--matters", type=int, default=0, help="add N synthetic matters")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--users", default="leader,beishan_staff")
    parser.add_argument("--pages", default="")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--baseline", default="202760b")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--dashboard-cache",
        type=int,
        default=60,
        help="seconds the dashboard keeps its counts (0: counted on every view, the cold cost)",
    )
    parser.add_argument("--count-queries", metavar="JSON", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- the database ------------------------------------------------------------------------------
def prepare_database(args) -> str:
    sys.path.insert(0, str(Path(__file__).parent))
    from _db import default_url, setup_django

    url = args.database_url or default_url("pages")
    generated = setup_django("pages", url, reuse=args.reuse)
    from ecogov.core.demo import build

    if generated:
        print("建立示例市演示数据 …", flush=True)
        build()
    if args.matters:
        generate_matters(args.matters)
    return url


def generate_matters(count: int) -> None:
    """bench_matters' matters: the product's synthetic data, the matters alone (`ecogov synth
    --only matters`, docs/synth.md) with 200 responsible units over 2016–2026."""
    from ecogov.core.synth import BASE, present, run
    from ecogov.matters.models import Matter

    if Matter.objects.filter(pk__gte=BASE, pk__lt=BASE + count).count() >= count:
        return
    if present():
        sys.exit("保留的数据库中合成事项少于 --matters:请去掉 --reuse 重新生成。")
    print(f"生成 {count:,} 件交办事项(ecogov synth --only matters)…", flush=True)
    started = time.perf_counter()
    run(only="matters", records=count, volumes={"units": 200}, seed=4, year=2026, years=11)
    print(f"  完成:{time.perf_counter() - started:.0f} s", flush=True)


# --- the pages ---------------------------------------------------------------------------------
def sidebar_pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    from ecogov.core.areas import AREAS

    pages = [("dashboard", reverse("admin:index"))]
    for area in AREAS.values():
        for item in area.menu:
            pages.append((item.url_name.split(":", 1)[1], str(reverse(item.url_name))))
    return pages


def count_queries(spec: str) -> None:
    """In a subprocess whose `ecogov` is the tree measured: queries per page, as JSON."""
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    import ecogov

    wanted = json.loads(spec)
    result = {"tree": str(Path(ecogov.__file__).resolve().parents[1]), "queries": {}}
    for username in wanted["users"]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name, url in wanted["pages"]:
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            result["queries"][f"{username} {name}"] = (
                len(queries) if response.status_code == 200 else None
            )
    print(json.dumps(result))


class Server:
    def __init__(self, label: str, src: Path, env: dict, workers: int):
        self.label, self.src = label, src
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.env = {**env, "PYTHONPATH": str(src)}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ecogov.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            env=self.env,
            cwd=str(src.parent),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        self.cookies: dict[str, dict[str, str]] = {}
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn ({label}) did not start")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)

    def request(self, path, *, cookies=None, method="GET", body=None, gzip_ok=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": "127.0.0.1"}
        if gzip_ok:
            headers["Accept-Encoding"] = "gzip"
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/admin/login/"
        start = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        connection.close()
        return response, data, elapsed

    def login(self, username: str) -> None:
        """A session made here in the shared database (the servers run with this process's
        SECRET_KEY): a database built by the test settings holds MD5 password hashes, which the
        servers' settings do not accept at the login form."""
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.auth.models import User
        from django.contrib.sessions.backends.db import SessionStore

        user = User.objects.get(username=username)
        session = SessionStore()
        session.update(
            {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
        )
        session.create()
        jar = {"sessionid": session.session_key}
        response, _, _ = self.request("/admin/", cookies=jar, gzip_ok=False)
        if response.status != 200:
            raise RuntimeError(f"{self.label}: session of {username} refused ({response.status})")
        self.cookies[username] = jar


def _cookies(response) -> dict:
    jar = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]
    return jar


def server_env(url: str, **extra: str) -> dict:
    """The environment of a benchmark's gunicorn: the dev settings without DEBUG, on the
    benchmark's database, with the keys its data was written with (this process runs the
    test settings)."""
    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "ecogov.settings.dev",
            "ECOGOV_DEBUG": "0",
            "ECOGOV_VAR_DIR": os.environ["ECOGOV_VAR_DIR"],
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECRET_KEY": settings.SECRET_KEY,
            "ECOGOV_FIELD_KEY": settings.ECOGOV_FIELD_KEY,
            "ECOGOV_CHAIN_KEY": settings.ECOGOV_CHAIN_KEY,
            "ECOGOV_DB_CONN_MAX_AGE": "600",
            **extra,
        }
    )
    return env


def baseline_tree(commit: str) -> Path:
    """The baseline's src/, exported (git archive) into a folder of its own."""
    folder = Path(tempfile.gettempdir()) / f"ecogov_bench_pages_base_{commit}"
    if not (folder / "src" / "ecogov").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", commit, "src"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def main() -> None:
    args = parse_args()
    if args.count_queries:
        count_queries(args.count_queries)
        return
    url = prepare_database(args)
    from django.conf import settings

    pages = sidebar_pages()
    if args.pages:
        wanted = args.pages.split(",")
        pages = [p for p in pages if any(w in p[0] for w in wanted)]
    users = args.users.split(",")
    env = server_env(url, ECOGOV_DASHBOARD_CACHE_SECONDS=str(args.dashboard_cache))
    trees = {"base": baseline_tree(args.baseline), "new": ROOT / "src"}
    print(
        f"负载(1/5/15 分钟):{' '.join(f'{x:.1f}' for x in os.getloadavg())},"
        f"CPU {os.cpu_count()} 个;数据库 {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]}"
        f"({settings.DATABASES['default']['NAME']});{len(pages)} 页 × {len(users)} 人 × "
        f"{args.runs} 次 × 2 个版本",
        flush=True,
    )
    queries = {}
    for label, src in trees.items():
        spec = json.dumps({"users": users, "pages": pages})
        done = subprocess.run(
            [sys.executable, __file__, "--count-queries", spec],
            env={**env, "PYTHONPATH": str(src)},
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.exit(f"counting the queries of {label} ({src}) failed:\n{done.stderr[-3000:]}")
        out = done.stdout
        counted = json.loads(out.strip().splitlines()[-1])
        assert Path(counted["tree"]) == src.resolve(), (counted["tree"], src)
        queries[label] = counted["queries"]
    servers = {label: Server(label, src, env, args.workers) for label, src in trees.items()}
    results = {}
    try:
        for server in servers.values():
            for username in users:
                server.login(username)
        for username in users:
            for name, path in pages:
                key = f"{username} {name}"
                entry = {label: {"times": []} for label in servers}
                for label, server in servers.items():  # warm: templates, caches, connection
                    response, data, _ = server.request(path, cookies=server.cookies[username])
                    entry[label]["status"] = response.status
                    entry[label]["gzip"] = len(data)
                    raw = (
                        gzip.decompress(data)
                        if response.getheader("Content-Encoding") == "gzip"
                        else data
                    )
                    entry[label]["raw"] = len(raw)
                if any(entry[label]["status"] != 200 for label in servers):
                    results[key] = {"skipped": {k: v["status"] for k, v in entry.items()}}
                    continue
                for _ in range(args.runs):  # alternating, so that both meet the same load
                    for label, server in servers.items():
                        _, _, elapsed = server.request(path, cookies=server.cookies[username])
                        entry[label]["times"].append(elapsed * 1000)
                for label in servers:
                    times = entry[label].pop("times")
                    entry[label].update(
                        p50=statistics.median(times),
                        p95=percentile(times, 0.95),
                        queries=queries[label].get(key),
                    )
                results[key] = entry
                report_line(key, entry)
    finally:
        for server in servers.values():
            server.stop()
    summary(results)
    emit_report(results, args)


def emit_report(results: dict, args) -> None:
    """The summary and the slowest pages for docs/benchmarks.md (bench/_report.py)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from _report import Report, met

    measured = {k: v for k, v in results.items() if "skipped" not in v}
    if not measured:
        return
    target = 300 if args.matters else 150
    scale = f"{args.matters:,} more matters" if args.matters else "the demo"
    report = Report(f"Back-office pages ({scale}), issue 10")

    def med(label, key):
        return statistics.median(v[label][key] for v in measured.values())

    report.row(
        f"all {len(measured)} pages (page × user): median p50",
        baseline=f"{med('base', 'p50'):.0f} ms",
        now=f"{med('new', 'p50'):.0f} ms",
        ratio=f"{statistics.median(v['base']['p50'] / v['new']['p50'] for v in measured.values()):.2f}×",
    )
    report.row(
        "the same: median p95",
        baseline=f"{med('base', 'p95'):.0f} ms",
        now=f"{med('new', 'p95'):.0f} ms",
        target=f"≤ {target} ms",
        verdict=met(med("new", "p95"), target),
    )
    over = [k for k, v in measured.items() if v["new"]["p95"] > target]
    report.row(
        f"pages with p95 over {target} ms",
        baseline=str(sum(v["base"]["p95"] > target for v in measured.values())),
        now=str(len(over)),
        target="0",
        verdict="met" if not over else "missed",
    )
    report.row(
        "HTML sent (gzip), median",
        baseline=f"{med('base', 'gzip') / 1024:.0f} KB",
        now=f"{med('new', 'gzip') / 1024:.0f} KB",
    )
    slowest = sorted(measured.items(), key=lambda kv: -kv[1]["new"]["p95"])[:8]
    for key, entry in slowest:
        base, new = entry["base"], entry["new"]
        report.row(
            f"slowest: {key} (p50 / p95; queries {base['queries']} → {new['queries']})",
            baseline=f"{base['p50']:.0f} / {base['p95']:.0f} ms",
            now=f"{new['p50']:.0f} / {new['p95']:.0f} ms",
            ratio=f"{base['p50'] / new['p50']:.2f}×",
            target=f"≤ {target} ms",
            verdict=met(new["p95"], target),
        )
    report.note(
        f"gunicorn (1 sync worker per tree, DEBUG off), this tree against the baseline "
        f"{args.baseline} in the same run, requests alternating page by page; {args.runs} "
        f"requests per page and tree (p95 of {args.runs} is close to the slowest); "
        f"users {args.users}; dashboard cache {args.dashboard_cache} s"
        + (f"; pages matching {args.pages}" if args.pages else "")
        + (f"; over {target} ms: {', '.join(over)}" if over else "")
        + "."
    )
    report.emit()


def report_line(key: str, entry: dict) -> None:
    base, new = entry["base"], entry["new"]
    print(
        f"{key:<58} p50 {base['p50']:6.0f} → {new['p50']:5.0f} ms  p95 {base['p95']:6.0f} → "
        f"{new['p95']:5.0f} ms  查询 {base['queries']} → {new['queries']}  HTML "
        f"{base['raw'] / 1024:5.0f} KB/{base['gzip'] / 1024:4.0f} KB → "
        f"{new['raw'] / 1024:5.0f} KB/{new['gzip'] / 1024:4.0f} KB",
        flush=True,
    )


def summary(results: dict) -> None:
    measured = {k: v for k, v in results.items() if "skipped" not in v}
    if not measured:
        return
    ratios = [v["base"]["p50"] / v["new"]["p50"] for v in measured.values()]
    worst = max(measured.items(), key=lambda kv: kv[1]["new"]["p95"])
    print(f"页面 {len(measured)} 个(跳过 {len(results) - len(measured)} 个:无权限或不可见)")
    print(
        f"p50 中位数:{statistics.median(v['base']['p50'] for v in measured.values()):.0f} → "
        f"{statistics.median(v['new']['p50'] for v in measured.values()):.0f} ms;"
        f"p95 中位数:{statistics.median(v['base']['p95'] for v in measured.values()):.0f} → "
        f"{statistics.median(v['new']['p95'] for v in measured.values()):.0f} ms;"
        f"提速倍数中位数 {statistics.median(ratios):.2f}×"
    )
    print(
        f"最慢(p95):{worst[0]} {worst[1]['new']['p95']:.0f} ms(基线 "
        f"{worst[1]['base']['p95']:.0f} ms)"
    )
    print(
        f"HTML 传输中位数:{statistics.median(v['base']['gzip'] for v in measured.values()) / 1024:.0f}"
        f" → {statistics.median(v['new']['gzip'] for v in measured.values()) / 1024:.0f} KB"
    )
    over = [k for k, v in measured.items() if v["new"]["p95"] > 150]
    print(f"p95 > 150 ms 的页面:{', '.join(over) if over else '无'}")


if __name__ == "__main__":
    main()

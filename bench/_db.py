"""The benches' database set-up: each bench on a database of its own, never var/ecogov.sqlite3.

    from _db import setup_django
    generated = setup_django("matters", ARGS.database_url, reuse=ARGS.reuse)

Each bench has its own folder, /tmp/ecogov_bench_<bench>/: the default SQLite file
(<bench>.sqlite3) and the var folder (ECOGOV_VAR_DIR) live there, so that two benches never
share a file. With a PostgreSQL URL the database named in it is dropped and created anew
(give each bench its own name, e.g. .../matters_bench); with `reuse` an existing database or
file is kept. Django is then set up on the test settings and migrated (on a kept database
only the migrations it lacks are applied). Returns True if the database was created anew.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def bench_folder(bench: str) -> Path:
    return Path(tempfile.gettempdir()) / f"ecogov_bench_{bench}"


def default_url(bench: str) -> str:
    return f"sqlite:///{bench_folder(bench) / f'{bench}.sqlite3'}"


def setup_django(bench: str, database_url: str | None = None, *, reuse: bool = False) -> bool:
    url = database_url or default_url(bench)
    if "var/ecogov.sqlite3" in url:
        sys.exit("拒绝在仓库数据库上运行基准测试。")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ecogov.settings.test")
    os.environ.setdefault("ECOGOV_VAR_DIR", str(bench_folder(bench) / "var"))
    generated = _fresh_database(url, reuse)
    try:
        import ecogov  # noqa: F401
    except ImportError:  # run without PYTHONPATH=src
        sys.path.insert(0, str(SRC))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # all apps: their post-migrate hooks expect their tables
    return generated


def _fresh_database(url: str, reuse: bool) -> bool:
    """Drop and recreate the database unless `reuse` finds one; True if created anew."""
    if url.startswith("sqlite"):
        path = Path(url.split("sqlite:///", 1)[1])
        if reuse and path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return True
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone()
        if reuse and exists:
            return False
        conn.execute(f'drop database if exists "{name}"')
        conn.execute(f'create database "{name}"')
    return True


def timed(fn, runs: int) -> tuple[float, object]:
    """The median wall time of `runs` calls of fn, and the last call's result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result

"""Fixtures of the core tests that run workers in other processes (test_jobs.py,
test_jobs_rq.py)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection, connections


@pytest.fixture
def worker_database(transactional_db, tmp_path, settings):
    """The environment of a worker process on the test's database (which the test's writes
    reach: they commit). Yields the environment; the test's connection is restored after."""
    from ecogov.core.demo import build

    build()  # a transactional test starts from a flushed database
    settings.ECOGOV_JOBS_ENQUEUE_ON_COMMIT = True  # the test's writes commit
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecogov.settings.test",
        "ECOGOV_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    in_memory = None
    if connection.vendor == "sqlite":
        path = tmp_path / "ecogov.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        in_memory = connections["default"]
        own = type(in_memory)({**in_memory.settings_dict, "NAME": str(path)}, "default")
        connections["default"] = own
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        s = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        )
    yield env
    if in_memory is not None:
        connections["default"].close()
        connections["default"] = in_memory


@pytest.fixture
def processes():
    """Started processes, killed at the end of the test if still running."""
    started: list[subprocess.Popen] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.fixture
def steady_requests(monkeypatch):
    """Requests that write nothing of their own after the first: the session's renewal and a
    token's last use are written at most once a minute, which a query count measured more than
    a minute after the warm-up request would otherwise catch on a loaded machine."""
    import datetime as dt

    from ecogov.core import api_tokens
    from ecogov.core.middleware import IdleSessionMiddleware

    monkeypatch.setattr(IdleSessionMiddleware, "RENEW_SECONDS", 10**9)
    monkeypatch.setattr(api_tokens, "LAST_USED_STEP", dt.timedelta(days=10**4))


DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


@pytest.fixture
def worker(worker_database, processes, settings):
    """Starts `ecogov db_worker` processes on the test's database: worker(batch=True)."""
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    env = {**worker_database, "ECOGOV_TASKS_BACKEND": DATABASE_BACKEND}

    def start(*, batch: bool) -> subprocess.Popen:
        command = [sys.executable, "-m", "ecogov", "db_worker", "--no-startup-delay"]
        command += ["--interval", "0.2", "--no-reload"] + (["--batch"] if batch else [])
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        processes.append(process)
        return process

    return start

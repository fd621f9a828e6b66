"""The scale-out task backend (issue 14; docs/jobs.md): RQ on Redis (django-tasks-rq) instead of
the database queue. The same import job is queued by the page's code, taken by `ecogov
rqworker` in another process from Redis, and written to the database all or nothing.

Needs Redis at 127.0.0.1:6379 (ECOGOV_TEST_REDIS_URL), as CI's machine runs it; it uses its
database 15, emptied first."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from urllib.parse import urlparse

import pytest

from ecogov.core import jobs
from ecogov.core.models import Job, JobState

from .test_jobs import _finish, _imported, _ledger

RQ_BACKEND = "django_tasks_rq.RQBackend"
REDIS_URL = os.environ.get("ECOGOV_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_is_up() -> bool:
    address = urlparse(REDIS_URL)
    try:
        socket.create_connection((address.hostname, address.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_is_up(), reason=f"Redis 未运行({REDIS_URL})")


@pytest.fixture
def rq_worker(worker_database, processes, settings):
    """Starts `ecogov rqworker --burst default` (it ends when the queue is empty)."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    settings.TASKS = {"default": {"BACKEND": RQ_BACKEND, "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    env = {**worker_database, "ECOGOV_TASKS_BACKEND": RQ_BACKEND, "ECOGOV_RQ_URL": REDIS_URL}

    def start() -> subprocess.Popen:
        command = [sys.executable, "-m", "ecogov", "rqworker", "--burst", "default"]
        command += ["--job-class", "django_tasks_rq.backend.Job"]  # runs the Task objects
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        processes.append(process)
        return process

    return start


def test_an_import_queued_on_redis_is_run_by_an_rq_worker(rq_worker, world):
    import django_rq

    job = jobs.job_start_import(
        actor=world.user("beishan_staff"),
        target="core.regulatedentity",
        title="导入排污单位",
        upload=_ledger(1, 120),
    )
    job.refresh_from_db()
    assert job.state == JobState.QUEUED and job.task_id
    assert django_rq.get_queue("default").count == 1  # on Redis, not in the database
    assert _imported() == 0
    output = _finish(rq_worker())
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, output
    assert job.counts == {"created": 120, "updated": 0, "unchanged": 0}
    assert _imported() == 120
    assert Job.objects.count() == 1

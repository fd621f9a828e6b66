"""Background jobs in a real worker process (issue 14; docs/jobs.md).

The import page queues the file and returns at once; `ecogov db_worker` (django-tasks-db, the
embedded default) runs it in another process, reporting its progress; a worker killed in the
middle of writing leaves the database as it was and the job interrupted, and the job started
again writes every row once.

The worker is a separate process, so it needs a database it can open: on SQLite the test
database (in memory) is copied into a file that the test then uses too; on PostgreSQL it is
the test database itself (the test commits: transactional_db).
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import time

import openpyxl
import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile

from ecogov.core import creditcode, jobs
from ecogov.core.models import Job, JobState, RegulatedEntity


def _ledger(first: int, count: int, *, bad_row: int | None = None) -> SimpleUploadedFile:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["单位名称", "统一社会信用代码", "行政区划代码", "监管类别", "状态"])
    for n in range(first, first + count):
        code = creditcode.make(f"91990121MA{n:07d}")
        district = "990199" if n == bad_row else "990121"  # no such division
        sheet.append([f"后台导入公司{n}", code, district, "一般排污单位", "在产"])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("entities.xlsx", buffer.getvalue())


def _imported() -> int:
    return RegulatedEntity.objects.filter(name__startswith="后台导入公司").count()


def _finish(process: subprocess.Popen) -> str:
    output, _ = process.communicate(timeout=300)
    assert process.returncode == 0, output
    return output


def test_the_import_page_returns_at_once_and_a_worker_runs_the_file(worker, client, world):
    client.force_login(world.user("beishan_staff"))
    response = client.post("/admin/core/regulatedentity/import-xlsx/", {"file": _ledger(1, 300)})
    assert response.status_code == 302 and response["Location"].startswith("/admin/core/job/")
    job = Job.objects.get()
    assert job.state == JobState.QUEUED and job.task_id  # queued, not run by the request
    assert _imported() == 0
    page = client.get(response["Location"]).content.decode()
    assert 'id="job-progress"' in page and "排队中" in page
    _finish(worker(batch=True))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.errors
    assert job.counts == {"created": 300, "updated": 0, "unchanged": 0}
    assert job.attempts == 1 and job.started_at and job.finished_at
    assert _imported() == 300
    page = client.get(response["Location"]).content.decode()
    assert "导入完成:新增 300 家" in page
    assert client.get(f"/admin/core/job/{job.pk}/progress/").json()["finished"] is True


def test_a_file_with_a_bad_row_is_refused_by_the_worker_with_every_problem(worker, world):
    job = jobs.job_start_import(
        actor=world.user("beishan_staff"),
        target="core.regulatedentity",
        title="导入排污单位",
        upload=_ledger(1, 50, bad_row=40),
    )
    _finish(worker(batch=True))
    job.refresh_from_db()
    assert job.state == JobState.REFUSED
    assert any("第41行" in e for e in job.errors), job.errors  # row 1 is the header
    assert _imported() == 0


@pytest.mark.parametrize("rows", [2000])
def test_a_worker_killed_while_writing_leaves_nothing_and_the_job_runs_again_once(
    worker, world, settings, rows
):
    job = jobs.job_start_import(
        actor=world.user("beishan_staff"),
        target="core.regulatedentity",
        title="导入排污单位",
        upload=_ledger(1, rows),
    )
    process = worker(batch=False)
    deadline = time.monotonic() + 240
    while True:  # wait until it is writing (the import's transaction is open)
        entry = caches["jobs"].get(f"ecogov-job:{job.pk}") or {}
        if entry.get("stage") == "写入" and (entry.get("done") or 0) >= 500:
            break
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, entry
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert _imported() == 0  # all or nothing
    job.refresh_from_db()
    assert job.state == JobState.RUNNING  # as the dead worker left it
    settings.ECOGOV_JOB_STALE_SECONDS = 0
    time.sleep(0.01)
    seen = jobs.progress(job)
    assert seen.state == JobState.INTERRUPTED and seen.finished
    job.refresh_from_db()
    assert job.state == JobState.INTERRUPTED

    jobs.job_retry(actor=world.user("beishan_staff"), job=job)
    settings.ECOGOV_JOB_STALE_SECONDS = 60
    _finish(worker(batch=True))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    assert _imported() == rows
    # the task run once more (a retry after a lost acknowledgement) writes nothing again
    from ecogov.core.tasks import run_job

    run_job.enqueue(str(job.pk))
    _finish(worker(batch=True))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    assert _imported() == rows


def test_only_the_starter_sees_a_job_and_only_an_interrupted_one_runs_again(client, world):
    job = jobs.job_start_import(
        actor=world.user("beishan_staff"),
        target="core.regulatedentity",
        title="导入排污单位",
        upload=_ledger(1, 3),
    )  # the test settings run it at once
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    client.force_login(world.user("nanhu_staff"))
    assert client.get(f"/admin/core/job/{job.pk}/change/").status_code == 404
    client.force_login(world.user("sysadmin"))
    assert client.get(f"/admin/core/job/{job.pk}/change/").status_code == 200
    client.force_login(world.user("beishan_staff"))
    listed = client.get("/admin/core/job/").content.decode()
    assert "导入排污单位" in listed
    client.post(f"/admin/core/job/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 1  # refused: it succeeded


def test_a_queued_jobs_page_names_the_worker_of_the_configured_backend(client, world, settings):
    settings.ECOGOV_JOBS_ENQUEUE_ON_COMMIT = True  # queued at a commit that never comes
    job = jobs.job_start_import(
        actor=world.user("beishan_staff"),
        target="core.regulatedentity",
        title="导入排污单位",
        upload=_ledger(1, 3),
    )
    client.force_login(world.user("beishan_staff"))
    page = client.get(f"/admin/core/job/{job.pk}/change/").content.decode()
    assert "排队中" in page and "(ecogov db_worker)在运行" in page
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    page = client.get(f"/admin/core/job/{job.pk}/change/").content.decode()
    assert "(ecogov rqworker default --job-class django_tasks_rq.backend.Job)在运行" in page

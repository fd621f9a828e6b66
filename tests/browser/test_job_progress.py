"""A 50,000-row import started from the web page (issue 14): the page returns at once, the
job's page shows a bar that a worker in another process moves, and the job ends with every row
written — watched in a real browser.

PostgreSQL only: the worker is a separate process (`ecogov db_worker`) that must open the
live server's database; the suite's SQLite test database lives in the test process's memory.
"""

import os
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.browser
ROWS = 50_000


def _workbook(path) -> None:
    import openpyxl

    from ecogov.core import creditcode

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["单位名称", "统一社会信用代码", "行政区划代码", "监管类别", "状态"])
    for n in range(ROWS):
        code = creditcode.make(f"91990121MA{n:07d}")
        sheet.append([f"浏览器导入公司{n}", code, "990121", "一般排污单位", "在产"])
    book.save(path)


def _worker(settings) -> subprocess.Popen:
    from django.db import connection

    s = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ecogov.settings.test",
        "ECOGOV_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "ECOGOV_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DATABASE_URL": f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:"
        f"{s['PORT'] or 5432}/{s['NAME']}",
    }
    command = [sys.executable, "-m", "ecogov", "db_worker", "--no-startup-delay"]
    command += ["--interval", "0.2", "--no-reload"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_a_50000_row_import_runs_as_a_job_whose_bar_moves_to_the_end(page, settings, tmp_path):
    from django.db import connection
    from playwright.sync_api import Error as PlaywrightError

    from ecogov.core.models import Job, JobState, RegulatedEntity

    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL:后台任务进程在另一进程中读写测试数据库")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ECOGOV_JOBS_ENQUEUE_ON_COMMIT = True
    settings.ECOGOV_MAX_UPLOAD_MB = 20  # the file is ~2 MB (the suite's default limit is 1 MB)
    path = tmp_path / "entities.xlsx"
    _workbook(path)
    before = RegulatedEntity.objects.count()
    worker = _worker(settings)
    try:
        from .test_backoffice import _sign_in

        _sign_in(page, "beishan_staff")
        page.wait_for_selector("#ecogov-areas")
        page.goto(page.base_url + "/admin/core/regulatedentity/import-xlsx/")
        page.set_input_files("input[name=file]", str(path))
        started = time.monotonic()
        page.click("form[enctype] button[type=submit]")
        page.wait_for_selector("#job-progress")  # the job's page, while the rows are read
        assert time.monotonic() - started < 30  # the request only stored the file
        seen = []
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            try:
                if page.query_selector("#job-result, #import-errors"):
                    break  # the script reloaded the page: the job has ended
                value = page.get_attribute("#job-bar-box", "aria-valuenow", timeout=1000)
            except PlaywrightError:  # read while the script reloads the page
                continue
            if value is not None:
                seen.append(float(value))
            page.wait_for_timeout(300)
        result = page.inner_text("#job-result")
        assert "导入完成:新增 50000 家" in result, result
        assert any(0 < v < 100 for v in seen), seen  # the bar moved while the worker wrote
        assert seen == sorted(seen)  # and only forward
        assert RegulatedEntity.objects.count() == before + ROWS
        assert Job.objects.get().state == JobState.SUCCEEDED
        page.screenshot(path=str(tmp_path / "job.png"), full_page=True)
    finally:
        worker.kill()
        worker.wait()

"""A large import started from its page in a real browser: the page returns at once, the
progress bar moves while a worker writes, and the outcome shows when it ends (issue 14;
docs/jobs.md). The worker is django-tasks-db's, run in a thread of the test on the live
server's database."""

import io
import threading

import pytest
from django.db import connections

pytestmark = pytest.mark.browser

ROWS = 2000


def _ledger(path):
    import openpyxl

    from ecogov.core import creditcode

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["单位名称", "统一社会信用代码", "行政区划代码", "监管类别", "状态"])
    for n in range(1, ROWS + 1):
        code = creditcode.make(f"91990121MB{n:07d}")
        sheet.append([f"浏览器后台导入{n}", code, "990121", "一般排污单位", "在产"])
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())


@pytest.fixture
def database_worker(settings):
    """django-tasks-db's worker in a thread, on the connection the live server shares."""
    from django_tasks_db.management.commands.db_worker import Worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.ECOGOV_JOBS_ENQUEUE_ON_COMMIT = True
    shared = connections["default"]
    worker = Worker(
        queue_names=["default"],
        interval=0.2,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="browser-test",
        excluded_queue_names=[],
    )

    sharing = shared.vendor == "sqlite"  # the live server's in-memory database
    if sharing:
        shared.inc_thread_sharing()

    def run():
        if sharing:
            connections["default"] = shared
        worker.run()

    thread = threading.Thread(target=run, daemon=True)
    yield thread
    worker.running = False
    thread.join(timeout=120)
    if sharing:
        shared.dec_thread_sharing()


def test_a_large_import_shows_its_progress_and_its_outcome(page, tmp_path, database_worker):
    from ecogov.core.models import Job, RegulatedEntity

    path = tmp_path / "large.xlsx"
    _ledger(path)
    page.goto(page.base_url + "/admin/login/")
    page.fill("input[name=username]", "beishan_staff")
    page.fill("input[name=password]", "ecogov-demo-2026")
    page.click("button[type=submit]")
    page.wait_for_selector("#ecogov-areas")
    page.goto(page.base_url + "/admin/core/regulatedentity/import-xlsx/")
    page.set_input_files("input[name=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("#job-progress")  # the request returned before any row was written
    assert "排队中" in page.inner_text("#job-state")
    assert not RegulatedEntity.objects.filter(name__startswith="浏览器后台导入").exists()
    database_worker.start()
    seen = set()
    for _ in range(1200):  # up to 10 minutes on a loaded machine
        if page.query_selector("#job-result"):
            break
        bar = page.query_selector("#job-bar-box")
        if bar is not None:
            seen.add(int(bar.get_attribute("aria-valuenow") or 0))
        page.wait_for_timeout(500)
    page.screenshot(path=str(tmp_path / "job.png"), full_page=True)
    assert page.query_selector("#job-result"), page.inner_text("#job")
    assert f"导入完成:新增 {ROWS} 家" in page.inner_text("#job-result")
    assert any(0 < value < 100 for value in seen), seen  # the bar moved on the way
    assert RegulatedEntity.objects.filter(name__startswith="浏览器后台导入").count() == ROWS
    assert Job.objects.get().state == "succeeded"

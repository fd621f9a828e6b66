"""Background jobs (docs/jobs.md): long work started from a page runs in a task worker, and the
person who started it watches its progress and reads its outcome on the job's page.

- `job_start_import` runs the upload check (type, size, content: core/uploads.py) before it
  keeps the uploaded file in the default storage, records a Job and queues the task
  `ecogov.core.tasks.run_job` once the request's transaction commits.
- `run_job` (in the worker) runs it: the import's rows are written and the Job marked succeeded
  in one transaction (`record_success`, called by `core.imports.LedgerImport.run`), so a worker
  killed mid-way leaves neither; a job run again after it succeeded does nothing.
- `report` is how the work says where it is (stage, rows done of the total); it goes to the
  "jobs" cache with a heartbeat that a thread of the worker renews every few seconds. A running
  job whose heartbeat stops (the worker was killed) is shown as interrupted and may be started
  again (`job_retry`).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core import uploads
from ecogov.core.models import Job, JobKind, JobState
from ecogov.core.spreadsheet import LedgerImportError

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 3
_current: ContextVar[Job | None] = ContextVar("ecogov_job", default=None)
# outside a job: where `report` goes on the command line (ecogov.core.progress.bar)
_sink: ContextVar = ContextVar("ecogov_job_sink", default=None)


class JobFailed(Exception):
    """The work ended without success for a reason people may read (the job's 出错 with it)."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def _cache():
    return caches["jobs"]


def _key(job_id) -> str:
    return f"ecogov-job:{job_id}"


def _beat_key(job_id) -> str:  # its own key: the heartbeat never overwrites a newer report
    return f"ecogov-job-beat:{job_id}"


# -- starting ---------------------------------------------------------------------------------
def job_start_import(
    *, actor, target: str, title: str, upload, result_url: str = "", unit: str = ""
) -> Job:
    """Queue the import of `upload` by the screen of model `target` ("permits.permit");
    `unit` counts its rows on the job's page (条, 家, 件). A file that is no workbook at all is
    refused at once (ValidationError naming the file), before anything is kept or queued."""
    uploads.check_upload(upload, purpose="ledger")
    upload.seek(0)
    job = Job(
        options={"unit": str(unit)} if unit else {},
        kind=JobKind.LEDGER_IMPORT,
        title=str(title),
        user=actor,
        target=target,
        source_name=(upload.name or "")[:255],
        result_url=result_url,
    )
    job.source = default_storage.save(f"jobs/{job.id}/upload.xlsx", upload)
    job.save()
    _enqueue(job)
    return job


def job_retry(*, actor, job: Job) -> Job:
    """Start an interrupted or failed job again (its file was kept)."""
    if job.user_id != actor.pk:
        raise PermissionDenied(_("只能重新运行本人发起的任务。"))
    job = refresh_state(job)
    if job.state not in (JobState.INTERRUPTED, JobState.FAILED):
        raise PermissionDenied(_("只有已中断或出错的任务可以重新运行。"))
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, finished_at=None, errors=[])
    job.refresh_from_db()
    _enqueue(job)
    return job


def worker_command() -> str:
    """The command that runs the configured backend's tasks (named on a queued job's page)."""
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
        return "ecogov rqworker default --job-class django_tasks_rq.backend.Job"
    return "ecogov db_worker"


def _enqueue(job: Job) -> None:
    from ecogov.core.tasks import run_job  # the task module imports this one

    def send():
        result = run_job.enqueue(str(job.id))
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])

    if settings.ECOGOV_JOBS_ENQUEUE_ON_COMMIT:  # the worker must find the Job row
        transaction.on_commit(send)
    else:  # tests: their transaction never commits
        send()


# -- running (in the worker) ------------------------------------------------------------------
RUNNERS = {}


def runner(kind: str):
    def register(function):
        RUNNERS[kind] = function
        return function

    return register


@runner(JobKind.LEDGER_IMPORT)
def _run_ledger_import(job: Job) -> dict:
    with default_storage.open(job.source, "rb") as handle:
        return import_ledger(actor=job.user, target=job.target, source=handle, name=job.source_name)


def import_ledger(*, actor, target: str, source, name: str) -> dict:
    """Import `source` by the back-office screen of model `target` (its import_run: all or
    nothing, LedgerImportError listing every problem): the job's work and `ecogov import_ledger`."""
    model_admin = admin.site._registry[apps.get_model(target)]
    # the screens' import_run reads only request.user
    return model_admin.import_run(SimpleNamespace(user=actor), File(source, name=name))


def run_job(job_id: str) -> str:
    """Run a queued job to its end; the state it ended in."""
    job = Job.objects.select_related("user").get(pk=job_id)
    if job.state == JobState.SUCCEEDED:  # a task run twice writes once
        return job.state
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1
    )
    token = _current.set(job)
    report(_("开始"))
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(job.pk, stop), daemon=True)
    beat.start()
    state, changes = JobState.FAILED, {}
    try:
        RUNNERS[job.kind](job)
    except LedgerImportError as exc:
        state, changes = JobState.REFUSED, {"errors": [str(e) for e in exc.errors]}
    except PermissionDenied as exc:
        state, changes = JobState.REFUSED, {"errors": [str(exc)]}
    except JobFailed as exc:
        changes = {"errors": [str(e) for e in exc.errors]}
    except Exception:
        log.exception("job %s failed", job.pk)
        changes = {"errors": [_("系统错误,未写入任何数据;请联系系统管理员查看日志。")]}
    else:
        state = JobState.SUCCEEDED  # record_success wrote it with the rows
    finally:
        stop.set()
        beat.join()
        _current.reset(token)
        _cache().delete_many([_key(job.pk), _beat_key(job.pk)])
    if state != JobState.SUCCEEDED:
        Job.objects.filter(pk=job.pk).update(state=state, finished_at=timezone.now(), **changes)
    if job.source and state in (JobState.SUCCEEDED, JobState.REFUSED):  # the file goes
        with contextlib.suppress(OSError):
            default_storage.delete(job.source)
    return state


def report(stage: str, done: int | None = None, total: int | None = None, *, span=(0, 100)) -> None:
    """Where the running job is: `stage` (as people read it), `done` of `total` in it, the stage
    being `span` of the whole job in percent; outside a job, to the command line's progress
    bar when one is shown (ecogov.core.progress), else nowhere."""
    job = _current.get()
    if job is None:
        sink = _sink.get()
        if sink is not None:
            sink(str(stage), done, total)
        return
    low, high = span
    percent = low + (high - low) * done / total if done is not None and total else low
    _cache().set(
        _key(job.pk),
        {"stage": str(stage), "done": done, "total": total, "percent": percent, "at": time.time()},
        timeout=None,
    )


def record_success(counts: dict) -> None:
    """The job's outcome, written inside the work's own transaction (nothing outside a job)."""
    job = _current.get()
    if job is None:
        return
    Job.objects.filter(pk=job.pk).update(
        state=JobState.SUCCEEDED, counts=dict(counts), finished_at=timezone.now()
    )


def _heartbeat(job_id, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        _cache().set(_beat_key(job_id), time.time(), timeout=None)


# -- reading ----------------------------------------------------------------------------------
@dataclass
class Progress:
    state: str
    state_label: str
    stage: str = ""
    done: int | None = None
    total: int | None = None
    percent: int | None = None
    seconds_left: int | None = None
    finished: bool = False

    def as_json(self) -> dict:
        return self.__dict__.copy()


def refresh_state(job: Job) -> Job:
    """A running job without a sign of life for ECOGOV_JOB_STALE_SECONDS is interrupted."""
    if job.state != JobState.RUNNING:
        return job
    entry = _cache().get(_key(job.pk)) or {}
    last = max(entry.get("at") or 0, _cache().get(_beat_key(job.pk)) or 0)
    if not last and job.started_at:
        last = job.started_at.timestamp()
    if time.time() - last > settings.ECOGOV_JOB_STALE_SECONDS:
        Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.INTERRUPTED, finished_at=timezone.now()
        )
        job.refresh_from_db()
    return job


def progress(job: Job) -> Progress:
    job = refresh_state(job)
    found = Progress(job.state, job.get_state_display(), finished=job.finished)
    if job.state != JobState.RUNNING:
        return found
    entry = _cache().get(_key(job.pk)) or {}
    found.stage, found.done, found.total = (
        entry.get("stage", ""),
        entry.get("done"),
        entry.get("total"),
    )
    percent = entry.get("percent") or 0
    found.percent = min(99, int(percent))
    elapsed = time.time() - job.started_at.timestamp() if job.started_at else 0
    if percent >= 5 and elapsed > 0:  # too early to tell before that
        found.seconds_left = int(elapsed * (100 - percent) / percent)
    return found

"""Background jobs (docs/jobs.md): long work started from a page runs in a task worker, and the
person who started it watches its progress and reads its outcome on the job's page.

- `job_start` records a Job of a kind (its options, its uploaded files kept in the default
  storage) and queues the task `run_job_task` once the request's transaction
  commits; `job_start_import` first runs the upload check (type, size, content:
  core/uploads.py) of a ledger file.
- `run_job` (in the worker) runs the runner registered for the job's kind (`@runner(kind)`, in
  the module `jobs` of the kind's app, found by `autodiscover_modules`): the work's rows are
  written and the Job marked succeeded in one transaction (`record_success`, called by
  `core.imports.LedgerImport.run` or the runner), so a worker killed mid-way leaves neither; a
  job run again after it succeeded does nothing. A runner refuses with `Refused` (or a
  LedgerImportError, ValidationError, PermissionDenied): the job lists the problems.
- A job's result is a page (`result_url`) or a file (`save_result`, offered on the job's page).
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
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django_tasks import task

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


class Refused(Exception):
    """A job's work refused with these problems (in Chinese, as people read them)."""

    def __init__(self, errors):
        self.errors = [str(e) for e in errors]
        super().__init__("\n".join(self.errors))


# -- starting ---------------------------------------------------------------------------------
def job_start(
    *,
    actor,
    kind: str,
    title: str,
    target: str = "",
    options: dict | None = None,
    files=(),
    result_url: str = "",
) -> Job:
    """Record a Job of `kind` and queue it. `options` (JSON) is what its runner needs;
    `files` (uploads) are kept in the default storage: the first as `job.source`, all of them
    as options["files"] ([{"path", "name"}]), until the job succeeds or is refused."""
    job = Job(
        options=dict(options or {}),
        kind=kind,
        title=str(title)[:200],
        user=actor,
        target=target,
        result_url=result_url,
    )
    kept = []
    for number, upload in enumerate(files):
        upload.seek(0)
        name = upload.name or ""
        suffix = name[name.rfind(".") :].lower() if "." in name else ""
        kept.append(
            {
                "path": default_storage.save(f"jobs/{job.id}/upload-{number}{suffix}", upload),
                "name": name[:255],
            }
        )
    if kept:
        job.source, job.source_name = kept[0]["path"], kept[0]["name"]
        job.options["files"] = kept
    job.save()
    _enqueue(job)
    return job


def job_start_import(
    *, actor, target: str, title: str, upload, result_url: str = "", unit: str = ""
) -> Job:
    """Queue the import of `upload` by the screen of model `target` ("permits.permit");
    `unit` counts its rows on the job's page (条, 家, 件). A file that is no workbook at all is
    refused at once (ValidationError naming the file), before anything is kept or queued."""
    uploads.check_upload(upload, purpose="ledger")
    return job_start(
        actor=actor,
        kind=JobKind.LEDGER_IMPORT,
        title=title,
        target=target,
        options={"unit": str(unit)} if unit else {},
        files=[upload],
        result_url=result_url,
    )


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
    def send():
        result = run_job_task.enqueue(str(job.id))
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


def ledger_function(path: str, prefix: str, refusal: str):
    """An area's ledger function (`ecogov.<area>.ledger….<prefix>…`) by the dotted path a job
    stored, and nothing else: a job row names what the worker runs, so it may only name an
    import or an export of a ledger."""
    from django.utils.module_loading import import_string

    module, _dot, name = path.rpartition(".")
    in_ledger = ".ledger." in f"{module}." and module.startswith("ecogov.")  # area.ledger(.…)
    if not (in_ledger and name.startswith(prefix)):
        raise JobFailed([refusal])
    return import_string(path)


@runner(JobKind.LEDGER_IMPORT)
def _run_ledger_import(job: Job) -> dict:
    if job.options.get("run"):  # the API's import (core.api_views.import_action)
        run = ledger_function(job.options["run"], "import_", _("导入任务指定的导入方式无效。"))
        with default_storage.open(job.source, "rb") as handle:
            return run(
                actor=job.user,
                source=File(handle, name=job.source_name),
                source_name=job.source_name,
                **job.options.get("extra", {}),
            )
    with default_storage.open(job.source, "rb") as handle:
        return import_ledger(actor=job.user, target=job.target, source=handle, name=job.source_name)


def import_ledger(*, actor, target: str, source, name: str) -> dict:
    """Import `source` by the back-office screen of model `target` (its import_run: all or
    nothing, LedgerImportError listing every problem): the job's work and `ecogov import_ledger`."""
    model_admin = admin.site._registry[apps.get_model(target)]
    # the screens' import_run reads only request.user
    return model_admin.import_run(SimpleNamespace(user=actor), File(source, name=name))


def _runner(kind: str):
    if kind not in RUNNERS:  # each app's runners live in its module `jobs` (core's: apps.py)
        autodiscover_modules("jobs")
    return RUNNERS[kind]


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
        _runner(job.kind)(job)
    except (LedgerImportError, Refused) as exc:
        state, changes = JobState.REFUSED, {"errors": [str(e) for e in exc.errors]}
    except PermissionDenied as exc:
        state, changes = JobState.REFUSED, {"errors": [str(exc) or _("无权办理。")]}
    except ValidationError as exc:
        state, changes = JobState.REFUSED, {"errors": exc.messages}
    except JobFailed as exc:
        changes = {"errors": [str(e) for e in exc.errors]}
    except Exception:
        log.exception("job %s failed", job.pk)
        changes = {"errors": [_("系统错误,未写入任何数据;请联系系统管理员查看日志。")]}
    else:
        state = JobState.SUCCEEDED  # record_success wrote it with the rows (or now: no rows)
        Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(
            state=JobState.SUCCEEDED, finished_at=timezone.now()
        )
    finally:
        stop.set()
        beat.join()
        _current.reset(token)
        _cache().delete_many([_key(job.pk), _beat_key(job.pk)])
    if state != JobState.SUCCEEDED:
        Job.objects.filter(pk=job.pk).update(state=state, finished_at=timezone.now(), **changes)
        if job.scheduled:
            _alert(job, state, changes.get("errors", []))
    if state in (JobState.SUCCEEDED, JobState.REFUSED):  # nothing to run again: the files go
        kept = {f["path"] for f in job.options.get("files", [])} | {job.source}
        for path in kept - {""}:
            with contextlib.suppress(OSError):
                default_storage.delete(path)
    return state


def _alert(job: Job, state: str, errors: list) -> None:
    """A scheduled job that did not succeed (a break in the audit log's chain, reminders that
    could not be sent) is mailed to the administrators (ADMINS, from ECOGOV_ALERT_EMAILS): nobody
    started it, so nobody is looking at its page. Without ADMINS nothing is sent."""
    from django.core.mail import mail_admins

    label = JobState(state).label
    lines = [f"{job.title}:{label}", *[str(e) for e in errors]]
    with contextlib.suppress(Exception):  # the job's own state is kept whatever the mail does
        mail_admins(f"{job.title}:{label}", "\n".join(lines))


@task()
def run_job_task(job_id: str) -> str:
    """The task the worker runs (`ecogov db_worker`): a job's work by its id (the queue stores
    plain JSON arguments)."""
    return run_job(job_id)


def has_result_file(job: Job) -> bool:
    """The job succeeded and left a file to download (an export, a report)."""
    return job.state == JobState.SUCCEEDED and bool(job.result_file)


def result_file_response(job: Job):
    """The job's file as a download; Http404 while it has none."""
    from django.http import Http404

    from ecogov.core.downloads import stored_file_response

    if not has_result_file(job):
        raise Http404
    return stored_file_response(job.result_file, job.result_name or "result")


def job_files(job: Job) -> list[tuple[str, str]]:
    """The job's kept uploads: [(path in the default storage, name as uploaded)]."""
    kept = job.options.get("files") or ([{"path": job.source, "name": job.source_name}])
    return [(f["path"], f["name"]) for f in kept if f["path"]]


def current_job() -> Job | None:
    """The job the worker is running (None outside a job)."""
    return _current.get()


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


def record_success(
    counts: dict | None = None,
    *,
    summary: str = "",
    result_url: str | None = None,
    result_file: str = "",
    result_name: str = "",
) -> None:
    """The job's outcome, written inside the work's own transaction (nothing outside a job):
    its counts, a sentence, the page (`result_url`) or stored file (`save_result`) it made."""
    job = _current.get()
    if job is None:
        return
    changes = {"summary": str(summary)[:500]}
    if result_url is not None:
        changes["result_url"] = result_url
    if result_file:
        changes.update(result_file=result_file, result_name=result_name[:255])
    Job.objects.filter(pk=job.pk).update(
        state=JobState.SUCCEEDED, counts=dict(counts or {}), finished_at=timezone.now(), **changes
    )


def save_result(content: bytes, name: str) -> str:
    """Keep a running job's result file in the default storage; its path (record_success)."""
    job = _current.get()
    folder = f"jobs/{job.pk}" if job is not None else "jobs/results"
    return default_storage.save(f"{folder}/{name}", ContentFile(content, name=name))


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

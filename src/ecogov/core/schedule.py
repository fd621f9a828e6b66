"""The schedule (docs/jobs.md): work that runs by itself at set times, as background jobs.

`settings.ECOGOV_SCHEDULE` names each entry's job kind and its daily time in the bureau's time
zone (TIME_ZONE): the reminders at 07:30, the audit log's verification at 02:00. The scheduler
(`ecogov scheduler`, or `ecogov scheduler --once` from cron) calls `tick`: an entry is due when
its latest time has passed and no job of its kind holds that period (the day of that time).
The job row is the claim — one row per (kind, period), a unique constraint — so several
schedulers enqueue each period once, and a scheduler that was down runs the latest missed period
once (not once per missed day). The worker runs the job like any other; its page (后台任务)
shows the outcome: 已完成 with the counts, or 出错 with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ecogov.core import jobs
from ecogov.core.models import Job, JobKind

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Scheduled:
    """A kind of scheduled work: its job's title (with the period), whether a period missed
    while no scheduler ran is still run later (`catch_up`), and its outcome as a sentence."""

    title: str
    catch_up: bool = True
    describe: Callable[[Job], str] | None = None


SCHEDULED: dict[str, Scheduled] = {}


def register_scheduled(
    kind: str,
    run: Callable[[Job], dict],
    *,
    title: str,
    catch_up: bool = True,
    describe: Callable[[Job], str] | None = None,
) -> None:
    """Make `kind` schedulable (an area does, from its AppConfig.ready()): `run(job)` is the
    job's runner (jobs.runner), it writes its counts with jobs.record_success."""
    jobs.runner(kind)(run)
    SCHEDULED[kind] = Scheduled(title, catch_up, describe)


@dataclass(frozen=True)
class Entry:
    kind: str
    at: dt.time  # daily, in the bureau's time zone

    def period(self, now: dt.datetime) -> dt.date:
        """The day of the latest time this entry was due at, `now` included."""
        local = timezone.localtime(now)
        return local.date() if local.time() >= self.at else local.date() - dt.timedelta(days=1)


def entries() -> list[Entry]:
    """The schedule of the settings; an entry whose time is empty is switched off."""
    found = []
    for kind, at in settings.ECOGOV_SCHEDULE.items():
        if not at:
            continue
        if kind not in SCHEDULED:
            raise ValueError(f"ECOGOV_SCHEDULE: 没有名为 {kind} 的定时任务")
        try:
            found.append(Entry(kind, dt.time.fromisoformat(at)))
        except ValueError:
            raise ValueError(f"ECOGOV_SCHEDULE: {kind} 的时间“{at}”应为 HH:MM") from None
    return found


def tick(now: dt.datetime | None = None) -> list[Job]:
    """Enqueue each due entry's job once for its period; the jobs this call enqueued."""
    now = now or timezone.now()
    started = []
    for entry in entries():
        day = entry.period(now)
        if not SCHEDULED[entry.kind].catch_up and day != timezone.localdate(now):
            continue  # a missed day's run is not made up: today's comes at its time
        period = day.isoformat()
        if Job.objects.filter(kind=entry.kind, period=period).exists():
            continue
        job = Job(
            kind=entry.kind, period=period, title=SCHEDULED[entry.kind].title % {"period": period}
        )
        try:
            with transaction.atomic():
                job.save(force_insert=True)
        except IntegrityError:  # another scheduler claimed this period first
            continue
        jobs._enqueue(job)
        log.info("scheduled %s for %s", entry.kind, period)
        started.append(job)
    return started


# -- the scheduled work of core, run by the worker (jobs.run_job) -------------------------------
def _run_audit_verify(job: Job) -> dict:
    from ecogov.core import audit

    report = audit.verify()
    if not report.ok:
        raise jobs.JobFailed([str(report)])
    counts = {"checked": report.checked, "anchors": report.anchors, "text": str(report)}
    jobs.record_success(counts)
    return counts


register_scheduled(
    JobKind.AUDIT_VERIFY,
    _run_audit_verify,
    title="审计日志校验(%(period)s)",
    describe=lambda job: str((job.counts or {}).get("text", "")),
)


def describe(job: Job) -> str:
    """A scheduled job's outcome as the job page shows it."""
    scheduled = SCHEDULED.get(job.kind)
    return scheduled.describe(job) if scheduled and scheduled.describe else ""

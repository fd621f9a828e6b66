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
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core import jobs
from ecogov.core.models import Job, JobKind

log = logging.getLogger(__name__)

TITLES = {
    JobKind.REMIND: "催办邮件(%(period)s)",
    JobKind.AUDIT_VERIFY: "审计日志校验(%(period)s)",
}


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
        if kind not in RUNS:
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
        period = entry.period(now).isoformat()
        if Job.objects.filter(kind=entry.kind, period=period).exists():
            continue
        job = Job(kind=entry.kind, period=period, title=TITLES[entry.kind] % {"period": period})
        try:
            with transaction.atomic():
                job.save(force_insert=True)
        except IntegrityError:  # another scheduler claimed this period first
            continue
        jobs._enqueue(job)
        log.info("scheduled %s for %s", entry.kind, period)
        started.append(job)
    return started


# -- the scheduled work, run by the worker (jobs.run_job) --------------------------------------
@jobs.runner(JobKind.REMIND)
def _run_remind(job: Job) -> dict:
    from ecogov.matters.services.reminders import reminders_run

    run = reminders_run(today=dt.date.fromisoformat(job.period))
    counts = {
        "units": len(run.results),
        "sent": sum(1 for r in run.results if r.status == "sent"),
        "no_recipient": sum(1 for r in run.results if r.status == "no_recipient"),
        "already_sent": sum(1 for r in run.results if r.status == "already_sent"),
        "recomputed": run.recomputed,
    }
    jobs.record_success(counts)
    return counts


@jobs.runner(JobKind.AUDIT_VERIFY)
def _run_audit_verify(job: Job) -> dict:
    from ecogov.core import audit

    report = audit.verify()
    if not report.ok:
        raise jobs.JobFailed([str(report)])
    counts = {"checked": report.checked, "anchors": report.anchors, "text": str(report)}
    jobs.record_success(counts)
    return counts


RUNS = {JobKind.REMIND, JobKind.AUDIT_VERIFY}


def describe(job: Job) -> str:
    """A scheduled job's outcome as the job page shows it."""
    counts = job.counts or {}
    if job.kind == JobKind.REMIND:
        return _("%(period)s:共 %(units)s 个单位有待办事项,发送 %(sent)s 封催办邮件。") % {
            "period": job.period,
            "units": counts.get("units", 0),
            "sent": counts.get("sent", 0),
        } + (
            _("%(n)s 个单位无收件人(请为该单位人员填写邮箱)。") % {"n": counts["no_recipient"]}
            if counts.get("no_recipient")
            else ""
        )
    if job.kind == JobKind.AUDIT_VERIFY:
        return str(counts.get("text", ""))
    return ""

"""The daily reminders as scheduled work (docs/jobs.md, 定时任务): `ecogov scheduler` enqueues
them at their time (ECOGOV_SCHEDULE["remind"]); the worker runs `run_reminders`, which does
what `ecogov remind` does. Only on the bureau's working days (the calendar with its holiday
schedule: no mail on a weekend or a holiday, as the working-day timer it replaces), and a day
the scheduler missed is not made up later (it would mail the units twice within hours)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from ecogov.core import jobs
from ecogov.core.calendar import current_calendar
from ecogov.core.models import Job, JobKind
from ecogov.core.schedule import register_scheduled
from ecogov.core.workdays import UnknownCalendarYear


def _workday(day: dt.date) -> bool:
    try:
        return current_calendar().is_workday(day)
    except UnknownCalendarYear:  # the year's holidays not published yet: Monday to Friday
        return day.weekday() < 5


def run_reminders(job: Job) -> dict:
    from ecogov.matters.services import reminders_run

    day = dt.date.fromisoformat(job.period)
    if not _workday(day):
        counts: dict = {"workday": False}
        jobs.record_success(counts)
        return counts
    run = reminders_run(today=day)
    counts = {
        "workday": True,
        "units": len(run.results),
        "sent": sum(1 for r in run.results if r.status == "sent"),
        "no_recipient": sum(1 for r in run.results if r.status == "no_recipient"),
        "already_sent": sum(1 for r in run.results if r.status == "already_sent"),
        "recomputed": run.recomputed,
    }
    jobs.record_success(counts)
    return counts


def describe(job: Job) -> str:
    counts = job.counts or {}
    if counts.get("workday") is False:
        return _("%(period)s 不是工作日,不发送催办邮件。") % {"period": job.period}
    text = _("%(period)s:共 %(units)s 个单位有待办事项,发送 %(sent)s 封催办邮件。") % {
        "period": job.period,
        "units": counts.get("units", 0),
        "sent": counts.get("sent", 0),
    }
    if counts.get("no_recipient"):
        text += _("%(n)s 个单位无收件人(请为该单位人员填写邮箱)。") % {"n": counts["no_recipient"]}
    return text


def register() -> None:
    register_scheduled(
        JobKind.REMIND,
        run_reminders,
        title="催办邮件(%(period)s)",
        catch_up=False,
        describe=describe,
    )

"""The schedule (docs/jobs.md; ecogov.core.schedule): the reminders and the audit log's
verification run as background jobs at their daily times, each period once however many
schedulers run, and their outcome is on the job's page (后台任务).

The test settings run a job at once when it is enqueued (django-tasks' immediate backend), so
a tick's jobs have ended when it returns; the test with two scheduler processes queues them in
the database instead and counts the queued tasks.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from ecogov.core import audit, schedule
from ecogov.core.append_only import suspended
from ecogov.core.models import AuditLogEntry, Job, JobKind, JobState, SecurityEvent

BUREAU = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BUREAU)


@pytest.fixture
def daily(settings):
    settings.ECOGOV_SCHEDULE = {"remind": "07:30", "audit_verify": "02:00"}


def _jobs(kind=None):
    found = Job.objects.order_by("kind", "period")
    return list(found.filter(kind=kind) if kind else found)


def test_a_tick_enqueues_each_due_job_once_for_its_period(db, daily):
    first = schedule.tick(at(6, 1, 59))  # before 02:00: yesterday's verification
    # (yesterday's reminders are not made up: today's come at 07:30)
    assert [(j.kind, j.period) for j in first] == [("audit_verify", "2026-12-05")]
    assert schedule.tick(at(6, 1, 59)) == []  # the same periods: nothing more
    started = schedule.tick(at(6, 2, 0))  # 02:00: tonight's verification, not the reminders
    assert [(j.kind, j.period) for j in started] == [("audit_verify", "2026-12-06")]
    assert schedule.tick(at(6, 7, 29)) == []
    started = schedule.tick(at(6, 7, 30))
    assert [(j.kind, j.period) for j in started] == [("remind", "2026-12-06")]
    assert schedule.tick(at(6, 23, 59)) == []
    assert all(j.state == JobState.SUCCEEDED and j.user is None for j in _jobs())


def test_a_scheduler_back_after_days_runs_the_latest_period_once(db, daily):
    schedule.tick(at(1, 8))
    started = schedule.tick(at(6, 9))  # down from the 1st to the 6th
    assert sorted((j.kind, j.period) for j in started) == [
        ("audit_verify", "2026-12-06"),
        ("remind", "2026-12-06"),
    ]
    assert len(_jobs(JobKind.REMIND)) == 2  # the 1st and the 6th, none between


def test_reminders_missed_yesterday_are_not_made_up_but_the_verification_is(db, daily):
    schedule.tick(at(7, 23))  # Monday's jobs; the scheduler is down until Tuesday 03:00
    started = schedule.tick(at(9, 3))
    assert [(j.kind, j.period) for j in started] == [("audit_verify", "2026-12-09")]
    started = schedule.tick(at(9, 7, 30))
    assert [(j.kind, j.period) for j in started] == [("remind", "2026-12-09")]


def test_reminders_go_out_on_working_days_only(db, settings, world, mailoutbox):
    """Sunday 6 December 2026: the job runs and says why it sent nothing; Monday it sends."""
    from ecogov.matters import scheduled

    settings.ECOGOV_SCHEDULE = {"remind": "07:30"}
    (sunday,) = schedule.tick(at(6, 7, 30))
    sunday.refresh_from_db()
    assert sunday.state == JobState.SUCCEEDED and sunday.counts == {"workday": False}
    assert schedule.describe(sunday) == "2026-12-06 不是工作日,不发送催办邮件。"
    assert mailoutbox == []
    (monday,) = schedule.tick(at(7, 7, 30))
    monday.refresh_from_db()
    assert monday.counts["workday"] is True and monday.counts["units"] > 0
    assert monday.counts["sent"] == len(mailoutbox)
    assert scheduled.describe(monday).startswith("2026-12-07:共 ")


def test_a_period_claimed_by_another_scheduler_is_not_enqueued_again(db, daily, monkeypatch):
    """Two schedulers that both found the period free: the unique row lets one through."""
    schedule.tick(at(6, 8))
    assert len(_jobs()) == 2
    # the other scheduler read "free" before this one's row was written
    monkeypatch.setattr("django.db.models.query.QuerySet.exists", lambda self: False, raising=True)
    assert schedule.tick(at(6, 8)) == []
    monkeypatch.undo()
    assert len(_jobs()) == 2


def test_an_entry_without_a_time_is_off_and_a_wrong_one_is_named(db, settings):
    settings.ECOGOV_SCHEDULE = {"remind": "", "audit_verify": "02:00"}
    assert [j.kind for j in schedule.tick(at(6, 8))] == ["audit_verify"]
    settings.ECOGOV_SCHEDULE = {"remind": "7点半"}
    with pytest.raises(ValueError, match="remind 的时间“7点半”"):
        schedule.tick(at(7, 8))
    settings.ECOGOV_SCHEDULE = {"backup": "03:00"}
    with pytest.raises(ValueError, match="backup"):
        schedule.entries()


def test_the_nightly_verification_records_what_audit_verify_says(db, settings, client, world):
    settings.ECOGOV_SCHEDULE = {"audit_verify": "02:00"}
    for i in range(3):
        audit.record(SecurityEvent.EXPORT, username=f"u{i}", detail={"rows": i})
    (job,) = schedule.tick(at(6, 3))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED
    expected = str(audit.verify())  # what `ecogov audit verify` prints
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert expected in out.getvalue()
    assert job.counts["text"] == expected and job.counts["checked"] >= 3
    client.force_login(world.user("sysadmin"))
    page = client.get(f"/admin/core/job/{job.pk}/change/").content.decode()
    assert expected in page and "定时任务" in page


def test_a_broken_chain_fails_the_job_with_the_break_found(db, settings, client, world):
    settings.ECOGOV_SCHEDULE = {"audit_verify": "02:00"}
    entries = [audit.record(SecurityEvent.EXPORT, username=f"u{i}") for i in range(4)]
    target = entries[2]
    with suspended(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditLogEntry._meta.db_table} SET username = %s WHERE seq = %s",
            ["intruder", target.seq],
        )
    (job,) = schedule.tick(at(6, 3))
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert len(job.errors) == 1 and f"第 {target.seq} 条处断裂" in job.errors[0]
    client.force_login(world.user("sysadmin"))
    page = client.get(f"/admin/core/job/{job.pk}/change/").content.decode()
    assert "出错" in page and f"第 {target.seq} 条处断裂" in page
    listing = client.get("/admin/core/job/").content.decode()
    assert "审计日志校验(2026-12-06)" in listing and "定时任务" in listing


def test_a_failed_scheduled_job_is_mailed_to_the_administrators(db, settings, mailoutbox):
    """Nobody started it, so nobody watches its page: ADMINS (ECOGOV_ALERT_EMAILS) get the
    break found; a successful night sends nothing, and without ADMINS nothing is sent."""
    settings.ECOGOV_SCHEDULE = {"audit_verify": "02:00"}
    settings.ADMINS = [("安全管理员", "security@example.gov.cn")]
    entries = [audit.record(SecurityEvent.EXPORT, username=f"u{i}") for i in range(3)]
    schedule.tick(at(5, 3))
    assert mailoutbox == []  # the chain holds: no mail
    with suspended(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditLogEntry._meta.db_table} SET username = %s WHERE seq = %s",
            ["intruder", entries[1].seq],
        )
    (job,) = schedule.tick(at(6, 3))
    (mail,) = mailoutbox
    assert mail.to == ["security@example.gov.cn"]
    assert "审计日志校验(2026-12-06)" in mail.subject and "出错" in mail.subject
    assert f"第 {entries[1].seq} 条处断裂" in mail.body
    settings.ADMINS = []
    schedule.tick(at(7, 3))
    assert len(mailoutbox) == 1


def test_scheduled_jobs_are_the_system_administrators_to_see(db, daily, client, world):
    (job, *_) = schedule.tick(at(6, 8))
    client.force_login(world.user("beishan_staff"))
    assert client.get(f"/admin/core/job/{job.pk}/change/").status_code == 404


def test_two_scheduler_processes_enqueue_each_period_once(worker_database, settings):
    """`ecogov scheduler --once` twice at the same time, on a database queue: two jobs (one
    per kind) and two queued tasks, whichever process claimed each."""
    from django_tasks_db.models import DBTaskResult

    env = {
        **worker_database,
        "ECOGOV_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "ECOGOV_SCHEDULE_REMIND": "00:00",  # due at any time of day
        "ECOGOV_SCHEDULE_AUDIT_VERIFY": "00:00",
    }
    command = [sys.executable, "-m", "ecogov", "scheduler", "--once"]
    runs = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    assert sorted(Job.objects.values_list("kind", flat=True)) == ["audit_verify", "remind"]
    assert sum(o.count("已提交") for o in outputs) == 2
    assert DBTaskResult.objects.count() == 2
    assert all(j.state == JobState.QUEUED and j.task_id for j in Job.objects.all())

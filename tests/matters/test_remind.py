"""`ecogov remind` e-mails each unit its overdue and soon-due matters (locmem backend)."""

import datetime as dt
from io import StringIO

from django.core import mail
from django.core.management import call_command

from ecogov.matters.models import ReminderLog

D = dt.date


def test_remind_mails_each_unit_once_a_day(world, tour, make_matter):
    housing = world.organisation("市住房和城乡建设局")
    make_matter(tour, "feedback", "R-01", county="示例市", lead=housing, due_on=D(2026, 3, 20))
    make_matter(tour, "feedback", "R-02", county="示例市", lead=housing, due_on=D(2026, 4, 3))
    reporter = world.user("housing_reporter")
    reporter.email = "zhao@example.gov.cn"
    reporter.save()
    out = StringIO()
    call_command("remind", "--date", "2026-03-31", stdout=out)
    sent = [m for m in mail.outbox if "市住房和城乡建设局" in m.subject]
    assert len(sent) == 1 and sent[0].to == ["zhao@example.gov.cn"]
    body = sent[0].body
    assert "R-01" in body and "已逾期11天" in body
    assert "R-02" in body and "3天后到期" in body
    assert "无收件人" in out.getvalue()  # units nobody can be mailed at are named
    assert ReminderLog.objects.get(organisation=housing, sent_on=D(2026, 3, 31)).overdue >= 1
    call_command("remind", "--date", "2026-03-31", stdout=StringIO())
    assert len([m for m in mail.outbox if "市住房和城乡建设局" in m.subject]) == 1


def test_done_work_and_dry_runs_send_nothing(world, tour, make_matter, leader):
    from ecogov.matters import services

    housing = world.organisation("市住房和城乡建设局")
    matter = make_matter(
        tour, "feedback", "R-03", county="示例市", lead=housing, due_on=D(2026, 3, 20)
    )
    reporter = world.user("housing_reporter")
    reporter.email = "zhao@example.gov.cn"
    reporter.save()
    out = StringIO()
    call_command("remind", "--date", "2026-03-31", "--dry-run", stdout=out)
    assert not mail.outbox and "试运行" in out.getvalue()
    services.matter_transition(
        actor=leader, matter=matter, action="rectify", result="完成", on=D(2026, 3, 25)
    )
    call_command("remind", "--date", "2026-03-31", stdout=StringIO())
    assert not [m for m in mail.outbox if "R-03" in m.body]


def test_the_scheduled_reminder_job_sends_what_ecogov_remind_sends(
    world, tour, make_matter, settings, client
):
    """The schedule's job (docs/jobs.md) runs the command's service for its period's day: the
    same mails and log, once a day with the command; its page counts them."""
    from zoneinfo import ZoneInfo

    from ecogov.core import schedule
    from ecogov.core.models import JobState

    settings.ECOGOV_SCHEDULE = {"remind": "07:30"}
    housing = world.organisation("市住房和城乡建设局")
    make_matter(tour, "feedback", "R-05", county="示例市", lead=housing, due_on=D(2026, 3, 20))
    reporter = world.user("housing_reporter")
    reporter.email = "zhao@example.gov.cn"
    reporter.save()
    (job,) = schedule.tick(dt.datetime(2026, 3, 31, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.period == "2026-03-31"
    sent = [m for m in mail.outbox if "市住房和城乡建设局" in m.subject]
    assert len(sent) == 1 and "R-05" in sent[0].body and "已逾期11天" in sent[0].body
    assert job.counts["sent"] == len(mail.outbox) >= 1
    assert ReminderLog.objects.filter(organisation=housing, sent_on=D(2026, 3, 31)).count() == 1
    out = StringIO()
    call_command("remind", "--date", "2026-03-31", stdout=out)  # the same day: already sent
    assert "今日已发送" in out.getvalue() and len(mail.outbox) == job.counts["sent"]
    client.force_login(world.user("sysadmin"))
    page = client.get(f"/admin/core/job/{job.pk}/change/").content.decode()
    assert f"发送 {job.counts['sent']} 封催办邮件" in page

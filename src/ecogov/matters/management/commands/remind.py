"""`ecogov remind`: run daily (cron); e-mails each unit its overdue and soon-due matters."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecogov.matters.services import reminders_run

STATUS = {
    "sent": "已发送",
    "no_recipient": "无收件人(请为该单位人员填写邮箱)",
    "already_sent": "今日已发送",
    "dry_run": "试运行,未发送",
}


class Command(BaseCommand):
    help = "向各责任单位发送交办事项催办邮件:已逾期和即将到期(默认5个工作日内)的事项。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期计算(YYYY-MM-DD),默认今天")
        parser.add_argument("--within", type=int, default=5, help="即将到期的工作日数,默认5")
        parser.add_argument("--dry-run", action="store_true", help="只列出,不发送")
        parser.add_argument("--force", action="store_true", help="今日已发送的单位也再发送")

    def handle(self, *args, **options):
        try:
            today = (
                dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(f"日期“{options['date']}”格式不正确,应为 2020-05-20。") from exc
        if options["within"] < 0:
            raise CommandError("--within 不能为负数。")
        # the same run as the schedule's reminder job (docs/jobs.md)
        run = reminders_run(
            today=today,
            within_workdays=options["within"],
            dry_run=options["dry_run"],
            force=options["force"],
        )
        # a year's holidays may have arrived (entered, or with a newer package)
        for area, items in run.provisional.items():
            for item in items:
                self.stdout.write(
                    f"{area} {item.reference}:暂定时限 {item.before} 重新计算为 {item.after}"
                    + ("(提前,请核实)" if item.earlier else "")
                )
        results = run.results
        for r in results:
            self.stdout.write(
                f"{r.organisation}:逾期 {r.overdue} 件,即将到期 {r.due_soon} 件 — "
                f"{STATUS[r.status]}"
                + (f"({', '.join(r.recipients)})" if r.status == "sent" else "")
            )
        sent = sum(1 for r in results if r.status == "sent")
        self.stdout.write(
            self.style.SUCCESS(
                f"{today}:共 {len(results)} 个单位有待办事项,发送 {sent} 封催办邮件。"
            )
        )

"""`ecogov scheduler`: enqueue the schedule's jobs when they are due (settings.ECOGOV_SCHEDULE:
the reminders daily at 07:30, the audit log's verification at 02:00, docs/jobs.md); a worker
(`ecogov db_worker`) runs them. `--once`: enqueue what is due now and exit (for cron). Several
schedulers may run: each period's job is enqueued once (ecogov.core.schedule)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from ecogov.core import schedule


class Command(BaseCommand):
    help = (
        "定时任务:按 ECOGOV_SCHEDULE 的时间(每日催办邮件、夜间审计日志校验)提交后台任务,"
        "由后台任务进程运行;--once 只提交当前到期的任务后退出(供 cron 使用)。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="提交当前到期的任务后退出")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="检查间隔秒数(默认 ECOGOV_SCHEDULER_INTERVAL,30)",
        )

    def handle(self, *args, once=False, interval=None, **options):
        try:
            entries = schedule.entries()
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not once:
            shown = ",".join(f"{e.kind} {e.at:%H:%M}" for e in entries) or "无"
            self.stdout.write(f"定时任务已启动({settings.TIME_ZONE}):{shown}")
        stop = threading.Event()
        if not once:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        interval = interval or settings.ECOGOV_SCHEDULER_INTERVAL
        while True:
            try:
                for job in schedule.tick():
                    self.stdout.write(
                        f"{timezone.localtime():%Y-%m-%d %H:%M:%S} 已提交:{job.title}(任务 {job.pk})"
                    )
            except DatabaseError as exc:
                if once:
                    raise CommandError(f"无法访问数据库:{exc}") from exc
                self.stderr.write(f"无法访问数据库,稍后重试:{exc}")
                close_old_connections()  # a database restarted: a new connection next time
            if once or stop.wait(interval):
                return

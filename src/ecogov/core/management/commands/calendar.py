import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecogov.core.calendar import current_calendar


class Command(BaseCommand):
    help = "工作日历健康检查:从12月1日起,若下一年度节假日安排仍未录入则报错。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["check"])
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, **options):
        today = options["today"] or timezone.localdate()
        calendar = current_calendar()
        missing = [y for y in (today.year, today.year + 1) if y not in calendar.known_years]
        if today.year in missing or (today.month == 12 and today.year + 1 in missing):
            raise CommandError(
                f"{'、'.join(map(str, missing))}年的节假日安排尚未录入:涉及这些年份的期限无法准确计算。"
                "请在“录入节假日安排”中录入国务院办公厅通知,或升级 chinesecalendar。"
            )
        for year in sorted(calendar.entered_years):  # the entered notice wins (§3, precedence)
            differences = calendar.package_differences(year)
            if differences:
                days = "、".join(
                    f"{d:%m-%d}({'上班' if ours else '休息'})" for d, _pkg, ours in differences[:10]
                )
                self.stdout.write(
                    self.style.WARNING(
                        f"{year}年以录入的通知为准,与节假日数据包不同的日期 {len(differences)} 天:"
                        f"{days}。请对照通知原文核对。"
                    )
                )
        note = "" if not missing else f"(提醒:{missing[0]}年安排尚未录入,12月1日起本检查将报错)"
        self.stdout.write(
            self.style.SUCCESS(
                f"工作日历已覆盖 {min(calendar.known_years)}—{max(calendar.known_years)} 年{note}"
            )
        )

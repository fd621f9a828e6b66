"""`ecogov permits_expire`: mark permits whose validity ran out as expired (run daily)."""

from django.core.management.base import BaseCommand

from ecogov.permits.services import permits_mark_expired


class Command(BaseCommand):
    help = "将有效期届满的排污许可证标记为已过期(每日运行)"

    def handle(self, *args, **options):
        count = permits_mark_expired(actor=None)
        self.stdout.write(f"已标记 {count} 张到期许可证。")

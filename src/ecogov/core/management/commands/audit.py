from django.core.management.base import BaseCommand, CommandError

from ecogov.core import audit


class Command(BaseCommand):
    help = "安全审计日志:verify 校验哈希链,报告第一处断裂。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        report = audit.verify()
        if not report.ok:
            raise CommandError(str(report))
        self.stdout.write(self.style.SUCCESS(str(report)))

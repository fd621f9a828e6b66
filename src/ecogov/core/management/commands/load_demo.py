from django.core.management.base import BaseCommand

from ecogov.core.demo import DEMO_PASSWORD, USERS, build
from ecogov.core.roles import Role


class Command(BaseCommand):
    help = "载入示例市演示数据(已存在则跳过),并列出演示账户。"

    def add_arguments(self, parser):
        parser.add_argument("--entities", type=int, default=300)

    def handle(self, *args, **options):
        build(entities=options["entities"])
        self.stdout.write(
            self.style.SUCCESS("示例市演示数据已就绪。演示账户(密码均为 %s):" % DEMO_PASSWORD)
        )
        for username, (full_name, org, division, roles, _expiry) in USERS.items():
            labels = "、".join(str(Role(r).label) for r in roles)
            self.stdout.write(
                f"  {username:<18} {full_name:<6} {labels:<10} {org}"
                + (f"(范围:{division})" if division else "")
            )

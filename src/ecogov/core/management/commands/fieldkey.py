from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ecogov.core import crypto, personal_data


class Command(BaseCommand):
    help = (
        "个人信息加密密钥(docs/security.md,个人信息加密存储):generate 生成一个新密钥(只打印,"
        "不保存);status 列出已配置的密钥和各表的加密值分别由哪个密钥加密;"
        "rotate 把不是由最新密钥加密的值全部改用最新密钥加密,并重算盲索引。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["generate", "status", "rotate"])

    def handle(self, *args, action, **options):
        if action == "generate":
            self.stdout.write(crypto.generate_secret())
            return
        try:
            ids = crypto.key_ids()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if action == "rotate":
            with transaction.atomic():
                written = personal_data.rotate()
            total = sum(written.values())
            for table, count in written.items():
                self.stdout.write(f"  {table}:{count} 行")
            self.stdout.write(
                self.style.SUCCESS(
                    f"已改用最新密钥 {ids[0]} 加密,共改写 {total} 行;"
                    "确认 status 中不再出现旧密钥后,即可从配置中删去旧密钥。"
                )
            )
            return
        self.stdout.write(f"已配置的密钥(最新的在前,用于加密):{'、'.join(ids)}")
        old = set()
        for table, counts in personal_data.keys_in_use().items():
            shown = "、".join(f"{k} {n} 个" for k, n in sorted(counts.items())) or "无"
            self.stdout.write(f"  {table}:{shown}")
            old |= {k for k in counts if k != ids[0]}
        if old:
            self.stdout.write(
                self.style.WARNING(f"仍有值由其他密钥加密或未加密:{'、'.join(sorted(old))}。")
            )

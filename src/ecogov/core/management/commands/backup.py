from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecogov.core.backup import BackupError, create_backup, default_directory, prune_backups


class Command(BaseCommand):
    help = (
        "备份数据库和全部附件到一个归档文件(.tar.gz 或 .tar),内含各文件 SHA-256 清单;"
        "用 ecogov restore 恢复。说明见 docs/security.md(备份与恢复)。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="归档文件路径(以 .tar.gz、.tgz 或 .tar 结尾),或一个目录(在其中按时间命名);"
            "默认 var/backups/",
        )
        parser.add_argument(
            "--keep", type=int, help="备份到目录时,只保留最近的 N 份(删除更早的本命令备份)"
        )

    def handle(self, *args, output=None, keep=None, **options):
        try:
            result = create_backup(destination=Path(output) if output else None)
            removed = []
            if keep is not None:
                removed = prune_backups(directory=result.path.parent, keep=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(str(result)))
        for old in removed:
            self.stdout.write(f"已删除较早的备份 {old.name}。")
        if output is None and result.path.parent == default_directory():
            self.stdout.write("提示:请把备份另存到本机以外的位置(见 docs/security.md)。")

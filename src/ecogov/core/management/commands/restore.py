from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecogov.core.backup import BackupError, check_archive, describe, restore_backup


class Command(BaseCommand):
    help = (
        "从 ecogov backup 的归档恢复数据库和附件:先按清单校验每个文件的 SHA-256,"
        "恢复后校验安全审计日志、每个案件的全过程记录和每个附件的 SHA-256;--check 只校验归档。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份归档文件")
        parser.add_argument(
            "--force", action="store_true", help="数据库已有数据时仍然恢复(覆盖全部数据)"
        )
        parser.add_argument("--check", action="store_true", help="只校验归档,不做恢复")
        parser.add_argument(
            "--ignore-chain-key",
            action="store_true",
            help="本机的哈希链密钥与备份时不同(原密钥已丢失)时仍恢复数据;哈希链将无法通过校验",
        )

    def handle(self, *args, archive, force=False, check=False, ignore_chain_key=False, **options):
        try:
            if check:
                manifest = check_archive(archive=Path(archive))
                self.stdout.write(
                    self.style.SUCCESS(
                        f"备份文件完整:{len(manifest['members'])} 个文件的 SHA-256 均与清单一致;"
                        f"{describe(manifest)}。"
                    )
                )
                return
            report = restore_backup(
                archive=Path(archive), force=force, ignore_chain_key=ignore_chain_key
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已从 {report.archive.name} 恢复({describe(report.manifest)})。")
        for note in report.notes:
            self.stdout.write(note)
        for result in report.checks:
            style = self.style.SUCCESS if result.ok else self.style.ERROR
            self.stdout.write(style(str(result)))
        if not report.ok:
            failed = "、".join(result.label for result in report.checks if not result.ok)
            if not report.chain_key_matches:
                raise CommandError(
                    f"数据已从备份恢复;本机的哈希链密钥与备份时不同,完整性校验未通过({failed}):"
                    "这些记录的哈希链已无法验证。"
                )
            raise CommandError(
                f"数据已从备份恢复,但完整性校验未通过({failed}):备份本身可能已被改动,"
                "请勿投入使用,改用另一份备份恢复。"
            )
        self.stdout.write(self.style.SUCCESS("恢复完成,全部完整性校验通过。"))

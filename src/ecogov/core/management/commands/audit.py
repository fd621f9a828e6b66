from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.core import anchors, audit, services


class Command(BaseCommand):
    help = (
        "安全审计日志与哈希链锚点:verify 校验审计日志的哈希链和全部锚点,报告第一处断裂"
        "(--anchor 文件:再与保存在系统外的锚点文件核对);"
        "anchor 为各哈希链的链头生成签名锚点(每日定时运行),--output 文件:同时导出锚点文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor"])
        parser.add_argument("--anchor", help="verify:导出的锚点文件(JSON)")
        parser.add_argument("--output", help="anchor:锚点文件的保存路径")

    def handle(self, *args, action, anchor=None, output=None, **options):
        if action == "anchor":
            return self._anchor(output)
        text = None
        if anchor:
            try:
                text = Path(anchor).read_bytes()
            except OSError as exc:
                raise CommandError(f"无法读取锚点文件 {anchor}:{exc.strerror}。") from exc
        report = audit.verify(anchor_file=text)
        if not report.ok:
            raise CommandError(str(report))
        self.stdout.write(self.style.SUCCESS(str(report)))

    def _anchor(self, output):
        try:
            anchor = services.anchor_make(actor=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        heads = anchor.heads.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成第 {anchor.seq} 号锚点({anchor.day.isoformat()}):"
                f"锚定 {heads} 条链的链头,锚点哈希 {anchor.hash}。"
            )
        )
        if output:
            try:
                Path(output).write_bytes(anchors.export(anchor))
            except OSError as exc:
                raise CommandError(f"无法写入锚点文件 {output}:{exc.strerror}。") from exc
            self.stdout.write(f"锚点文件已导出到 {output},请保存在本系统及其备份之外。")

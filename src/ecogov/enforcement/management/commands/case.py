from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from ecogov.enforcement.chain import verify_case
from ecogov.enforcement.models import PenaltyCase


class Command(BaseCommand):
    help = (
        "行政处罚案件:verify <案件编号> 校验全过程记录(哈希链、案件信息、文件),报告第一处断裂;"
        "verify --all 校验全部案件;export <案件编号> --output 文件 --user 用户名 导出案卷 zip。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "export"])
        parser.add_argument("number", nargs="?", help="案件编号,如 示环罚〔2020〕12号")
        parser.add_argument("--all", action="store_true", help="校验全部案件")
        parser.add_argument("--output", help="导出的 zip 文件路径")
        parser.add_argument("--user", help="以该用户的权限导出(记入安全审计日志)")

    def _case(self, number):
        if not number:
            raise CommandError("请给出案件编号,如 示环罚〔2020〕12号。")
        case = PenaltyCase.objects.filter(number=number.strip()).first()
        if case is None:
            raise CommandError(f"案件 {number} 不存在(或已被删除)。")
        return case

    def handle(self, *args, action, number=None, all=False, output=None, user=None, **options):
        if action == "export":
            return self._export(number, output, user)
        cases = (
            PenaltyCase.objects.exclude(number=None).order_by("pk") if all else [self._case(number)]
        )
        broken = []
        checked = 0
        for case in cases:
            report = verify_case(case)
            checked += 1
            if not report.ok:
                broken.append(str(report))
                self.stderr.write(str(report))
            elif not all:
                self.stdout.write(self.style.SUCCESS(str(report)))
        if broken:
            raise CommandError(
                broken[0]
                if len(broken) == 1
                else f"{len(broken)} 个案件的全过程记录校验未通过(共 {checked} 个)。"
            )
        if all:
            self.stdout.write(self.style.SUCCESS(f"共校验 {checked} 个案件,全过程记录均完整。"))

    def _export(self, number, output, username):
        from ecogov.enforcement.dossier import export_dossier

        case = self._case(number)
        if not output or not username:
            raise CommandError("导出案卷须给出 --output 文件路径和 --user 用户名。")
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"用户 {username} 不存在。")
        try:
            content = export_dossier(actor=actor, case=case)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        Path(output).write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"案卷 {case.number} 已导出到 {output}。"))

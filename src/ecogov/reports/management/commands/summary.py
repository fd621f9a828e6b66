"""ecogov summary --year 2020 [--until D] [--division CODE] [--outline NAME] [--user NAME]
--format docx|html|md|xlsx|json --out PATH: the annual summary or report from the records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ecogov.core import jobs, progress
from ecogov.reports import builtin, checks, outputs
from ecogov.reports.models import Outline
from ecogov.reports.params import ParamError, parse


class Command(BaseCommand):
    help = "生成年度法治政府建设工作总结或年度报告(数据由台账计算)。"

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="年度,如 2020")
        parser.add_argument("--until", default="", help="统计截止日 YYYY-MM-DD(可选)")
        parser.add_argument("--division", default="", help="行政区划代码(可选)")
        parser.add_argument("--outline", default=builtin.SUMMARY, help="提纲名称")
        parser.add_argument("--user", default="legal", help="按其数据范围计算的用户名(默认 legal)")
        parser.add_argument("--format", required=True, choices=sorted(outputs.FORMATS))
        parser.add_argument("--out", required=True, help="输出文件路径")
        parser.add_argument("--dated", default="", help="成文日期 YYYY-MM-DD(默认今天)")

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"用户“{options['user']}”不存在或已停用。")
        outline = Outline.objects.filter(name=options["outline"]).first()
        if outline is None:
            names = "、".join(Outline.objects.values_list("name", flat=True))
            raise CommandError(f"提纲“{options['outline']}”不存在。现有提纲:{names}")
        try:
            params = parse({k: options[k] for k in ("year", "until", "division")}, user)
        except ParamError as exc:
            raise CommandError(";".join(exc.errors.values())) from exc
        dated = None
        if options["dated"]:
            try:
                dated = dt.date.fromisoformat(options["dated"])
            except ValueError as exc:
                raise CommandError("--dated 应为 YYYY-MM-DD 格式的日期。") from exc
        with progress.bar(self.stderr):  # on a terminal
            draft = outputs.build(
                outline, user, params.year, params.until, params.division, dated=dated
            )
            jobs.report(_("生成文件"))
            body = outputs.render_draft(draft, options["format"])
            jobs.report(_("生成文件"), 1, 1)
        Path(options["out"]).write_bytes(body)
        result = checks.check(draft)
        for issue in result.issues:
            self.stderr.write(f"[{issue.kind_label}] {issue.section} {issue.message}")
        self.stdout.write(
            f"已写入 {options['out']}({len(body)} 字节;{len(draft.document.figures)}"
            f" 个数据项;核对:{len(result.errors)} 处不一致,"
            f"{len(result.issues) - len(result.errors)} 项提示)"
        )

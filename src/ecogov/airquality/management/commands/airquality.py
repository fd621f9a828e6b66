"""`ecogov airquality import FILE…` and `ecogov airquality evaluate …` (issue 6).

`evaluate --input FILE…` is the engine's own command line (engine/cli.py). It needs no
database: this command runs no system checks and opens no connection in that mode.
`evaluate --from-db --year YYYY` evaluates a city from the stored hourly data instead, with
the same output formats.
"""

import argparse
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from ecogov.airquality.engine import cli as engine_cli

SHOWN = 50


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise CommandError(f"参数错误:{message}", returncode=2)


class Command(BaseCommand):
    help = (
        "空气质量:import FILE… 导入小时数据(长表或日发布宽表,CSV/.xlsx);"
        "evaluate --input FILE… 或 evaluate --from-db 按年评价(HJ 663)。"
    )
    requires_system_checks = []  # evaluate from files must run without a database

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "evaluate"])
        parser.add_argument(
            "rest",
            nargs=argparse.REMAINDER,
            help="import: FILE… [--replace] [--user NAME];evaluate: 见 --help",
        )

    def handle(self, *args, action, rest, **options):
        if action == "evaluate" and "--from-db" not in rest:
            code = engine_cli.main(["evaluate", *rest])
            if code:
                raise CommandError("评价未完成(见上方错误信息)", returncode=code)
            return
        if action == "evaluate":
            return self._evaluate_db(rest)
        return self._import(rest)

    # --- import ----------------------------------------------------------------------------
    def _import(self, rest):
        from ecogov.airquality import services
        from ecogov.airquality.ingest import InputError
        from ecogov.airquality.models import ImportBatch
        from ecogov.core import progress

        p = _Parser(prog="ecogov airquality import")
        p.add_argument("files", nargs="+", metavar="FILE")
        p.add_argument("--replace", action="store_true", help="覆盖已有的不同数值(逐处记录)")
        p.add_argument("--user", help="以该用户身份导入(检查其权限);缺省为系统")
        args = p.parse_args(rest)
        actor = None
        if args.user:
            try:
                actor = get_user_model().objects.get(username=args.user)
            except get_user_model().DoesNotExist:
                raise CommandError(f"用户 {args.user} 不存在", returncode=2) from None
        failed = rejected = 0
        for path in args.files:
            try:
                with progress.bar(self.stderr):  # on a terminal
                    batch = services.import_file(
                        actor=actor,
                        path=path,
                        replace=args.replace,
                        source=ImportBatch.Source.COMMAND,
                    )
            except (InputError, OSError) as exc:
                self.stderr.write(f"错误:{exc}")
                failed += 1
                continue
            except PermissionDenied as exc:
                raise CommandError(str(exc), returncode=2) from None
            rejected += batch.values_rejected
            self._summary(batch)
        if failed:
            raise CommandError(f"{failed} 个文件无法读取,未导入", returncode=2)
        if rejected:
            raise CommandError(f"{rejected} 个数值有问题未导入(其余数据已导入)", returncode=1)

    def _summary(self, batch):
        self.stdout.write(
            f"{batch.file_name}(批次 {batch.pk},{batch.get_layout_display()}):读入 "
            f"{batch.rows_read} 行;新增 {batch.values_added} 个数值,与已有相同 "
            f"{batch.values_unchanged} 个,覆盖 {batch.values_replaced} 个,缺测 "
            f"{batch.values_missing} 个,标记无效 {batch.values_flagged} 个,未导入 "
            f"{batch.values_rejected} 个"
        )
        for item in batch.problems[:SHOWN]:
            kind = "警告" if item["kind"] == "warning" else "错误"
            where = f"第 {item['line']} 行" + (f" 字段 {item['field']}" if item["field"] else "")
            self.stdout.write(f"  {kind}:{item['file']} {where}:{item['message']}")
        if batch.problems_total > SHOWN:
            self.stdout.write(
                f"  ……共 {batch.problems_total} 处,完整清单见后台“数据导入”批次 {batch.pk}"
            )

    # --- evaluate from the database -------------------------------------------------------
    def _evaluate_db(self, rest):
        from ecogov.airquality import queries
        from ecogov.airquality.evaluation import city_evaluation

        p = _Parser(prog="ecogov airquality evaluate --from-db")
        p.add_argument("--from-db", action="store_true", required=True)
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--city", help="城市行政区划代码;缺省为唯一(第一个)有站点的城市")
        p.add_argument("--edition", choices=("auto", "2012", "2026"), default="auto")
        p.add_argument("--method", choices=("bulletin", "strict"), default="bulletin")
        p.add_argument("--format", choices=("json", "csv"), required=True)
        p.add_argument("--out", required=True, metavar="PATH")
        args = p.parse_args(rest)
        city = queries.city_for(None, args.city)
        if city is None:
            raise CommandError(f"没有登记监测站点的城市{args.city or ''}", returncode=2)
        doc = city_evaluation(city, args.year, args.edition, args.method)
        if doc is None:
            raise CommandError(f"{city.name}{args.year}年没有监测数据", returncode=2)
        doc = {k: v for k, v in doc.items() if k != "extras"}  # the engine's own document
        try:
            engine_cli._write(doc, args.format, args.out)
        except OSError as exc:
            raise CommandError(f"无法写出 {args.out}:{exc}", returncode=2) from None
        verdict = {True: "六项污染物全部达标", False: "未全部达标", None: "有效数据不足"}
        sys.stderr.write(
            f"{city.name}{args.year}年:{verdict[doc['city']['attained']]}"
            f"(版本 {doc['edition']},限值组 {doc['limit_set']},{doc['method']})\n"
        )

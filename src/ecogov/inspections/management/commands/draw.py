"""`ecogov draw verify <id>`: recompute a stored draw and say whether the stored result is what
the algorithm gives; `ecogov draw document <id>` / `result <id>`: the canonical files to publish.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ecogov.core import progress
from ecogov.core.models import EntityCategory
from ecogov.inspections.draw import result_document
from ecogov.inspections.models import Draw, DrawStatus
from ecogov.inspections.services import draw_verify, stored_result


class Command(BaseCommand):
    help = "双随机抽取:verify 复核一次抽取;document / result 输出可公开复核的输入文件和结果文件。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="按冻结的名录库、计划和随机种子重新计算并与存储结果比对"
        )
        verify.add_argument("draw_id", type=int)
        for name, text in (
            ("document", "输出冻结的名录库与计划(规范文档,哈希即输入哈希)"),
            ("result", "输出存储的抽取结果(规范文档,哈希即结果哈希)"),
        ):
            p = sub.add_parser(name, help=text)
            p.add_argument("draw_id", type=int)

    def _draw(self, draw_id: int) -> Draw:
        draw = (
            Draw.objects.select_related("plan", "seed", "drawn_by", "supersedes")
            .filter(pk=draw_id)
            .first()
        )
        if draw is None:
            raise CommandError(f"抽取记录 {draw_id} 不存在。")
        return draw

    def handle(self, *args, **options):
        draw = self._draw(options["draw_id"])
        if options["action"] == "document":
            sys.stdout.buffer.write(bytes(draw.input_document))
            return
        if options["action"] == "result":
            sys.stdout.buffer.write(result_document(stored_result(draw)))
            return
        self._verify(draw)

    def _verify(self, draw: Draw) -> None:
        labels = dict(EntityCategory.choices)
        w = self.stdout.write
        w(
            f"抽取记录 {draw.pk}:{draw.plan.name} 第{draw.number}次抽取"
            f"({'有效' if draw.status == DrawStatus.ACTIVE else '已被重新抽取取代'})"
        )
        if draw.supersedes_id:
            w(f"  取代第{draw.supersedes.number}次抽取,理由:{draw.redraw_reason}")
        w(
            f"  抽取时间:{timezone.localtime(draw.drawn_at):%Y-%m-%d %H:%M},执法证核验日:{draw.inspection_date}"
        )
        w(f"  算法版本:{draw.algorithm_version}")
        w(
            f"  随机种子:{draw.seed.value}(公布于 {timezone.localtime(draw.seed.announced_at):%Y-%m-%d %H:%M})"
        )
        w(f"  输入哈希:{draw.input_hash}")
        w(f"  结果哈希:{draw.result_hash}")
        w(
            f"  名录库:对象 {draw.entity_pool_size} 家,执法人员 {draw.inspector_pool_size} 人,"
            f"回避申报 {draw.conflict_count} 条,本年度已抽查无问题而未入库 {draw.skipped_compliant_count} 家"
        )
        for t in draw.tallies:
            w(
                f"  {labels.get(t['category'], t['category'])}:范围内 {t['frame_size']} 家,抽取 {t['drawn']} 家"
            )
        with progress.bar(self.stderr):  # on a terminal
            report = draw_verify(draw)
        if not report.ok:
            if report.first_difference is not None:
                d = report.first_difference
                w(f"  第一处不同:{d.field}")
                w(f"    存储:{d.stored}")
                w(f"    重算:{d.recomputed}")
            raise CommandError(report.message)
        w(self.style.SUCCESS(report.message))

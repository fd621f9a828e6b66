from django.core.management.base import BaseCommand, CommandError

from ecogov.core.synth import SCALES, SynthRefused, run


class Command(BaseCommand):
    help = (
        "生成合成数据(docs/synth.md):在示例市演示数据之上,按规模为各业务领域批量写入"
        "确定性的记录(county 约 1 万条,city 约 10 万条,province 不少于 100 万条);"
        "或用 --only 只生成一个领域、--records 指定其记录数(基准测试用)。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", help="county、city 或 province(与 --only 同用时只定区划范围,默认 city)"
        )
        parser.add_argument(
            "--only", help="只生成一个领域,如 matters、permits、entities(其所需的排污单位随之生成)"
        )
        parser.add_argument("--records", help="与 --only 同用:该领域每类记录的条数,如 1000000")
        parser.add_argument("--seed", type=int, default=1, help="随机种子(同一种子得到同样的记录)")
        parser.add_argument("--year", type=int, default=None, help="数据的最后一年(默认今年)")

    def handle(self, *args, **options):
        scale, only, records = options["scale"], options["only"], options["records"]
        if only is None and scale is None:
            raise CommandError("须给出 --scale(规模)或 --only(领域)。")
        if only is None and records is not None:
            raise CommandError("--records(记录数)须与 --only(领域)同用。")
        if only is not None:
            self.stdout.write(f"只生成领域“{only}”的合成数据(记录数 {records or '按规模'})……")
        elif scale in SCALES:
            spec = SCALES[scale]
            self.stdout.write(f"生成{spec.label}规模合成数据(目标约 {spec.records:,} 条)……")
        try:
            counts = run(
                scale,
                seed=options["seed"],
                year=options["year"],
                only=only,
                records=records,
                out=self.stdout.write,
            )
        except SynthRefused as refused:
            raise CommandError(str(refused)) from None
        seconds = counts.pop("seconds")
        self.stdout.write("各表写入记录数:")
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label:32} {n:>10,}")
        self.stdout.write(
            self.style.SUCCESS(f"合计 {sum(counts.values()):,} 条,用时 {seconds:.1f} 秒。")
        )

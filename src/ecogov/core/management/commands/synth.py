from django.core.management.base import BaseCommand, CommandError

from ecogov.core.synth import SCALES, SynthRefused, run


class Command(BaseCommand):
    help = (
        "生成合成数据(docs/synth.md):在示例市演示数据之上,按规模为各业务领域批量写入"
        "确定性的记录(county 约 1 万条,city 约 10 万条,province 不少于 100 万条)。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", required=True, help="county、city 或 province")
        parser.add_argument("--seed", type=int, default=1, help="随机种子(同一种子得到同样的记录)")
        parser.add_argument("--year", type=int, default=None, help="数据的最后一年(默认今年)")

    def handle(self, *args, **options):
        scale = options["scale"]
        if scale in SCALES:
            spec = SCALES[scale]
            self.stdout.write(f"生成{spec.label}规模合成数据(目标约 {spec.records:,} 条)……")
        try:
            counts = run(scale, seed=options["seed"], year=options["year"], out=self.stdout.write)
        except SynthRefused as refused:
            raise CommandError(str(refused)) from None
        seconds = counts.pop("seconds")
        self.stdout.write("各表写入记录数:")
        for label, n in sorted(counts.items()):
            self.stdout.write(f"  {label:32} {n:>10,}")
        self.stdout.write(
            self.style.SUCCESS(f"合计 {sum(counts.values()):,} 条,用时 {seconds:.1f} 秒。")
        )

"""`ecogov eia_figures --year 2020 [--user leader] [--check-seed]`: the year's EIA figures, and the
data-quality check of typed-in totals (the seed's 215.27 / 6.4) against the ledger."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from ecogov.eia.figures import check_typed_figures, eia_figures


class Command(BaseCommand):
    help = "环评审批年度统计,以及填报数与台账数的一致性核对"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--user", default="leader", help="按该用户的数据范围统计")
        parser.add_argument("--check-seed", action="store_true",
                            help="核对示例总结中手填的合计数(215.27 / 6.4 亿元)")
        parser.add_argument("--typed", nargs="*", default=[], metavar="KEY=VALUE",
                            help="核对其他填报数,如 eia.investment.total=215.27")

    def handle(self, *args, year, user, check_seed, typed, **options):
        try:
            actor = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"用户“{user}”不存在。") from None
        figures = eia_figures(actor, year)
        for figure in figures:
            self.stdout.write(f"{figure.key}\t{figure.label}\t{figure.value} {figure.unit}")
        claims = {}
        if check_seed:
            from ecogov.eia.demo import SEED_TYPED_2020

            claims.update(SEED_TYPED_2020)
        for item in typed:
            key, _sep, value = item.partition("=")
            claims[key] = Decimal(value)
        if not claims:
            return
        found = check_typed_figures(figures, claims)
        for discrepancy in found:
            self.stdout.write(self.style.WARNING(f"不一致:{discrepancy.message}"))
        if not found:
            self.stdout.write(self.style.SUCCESS("填报数与台账一致。"))

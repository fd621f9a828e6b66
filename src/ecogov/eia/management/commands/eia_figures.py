"""`ecogov eia_figures --year 2020 [--until 2020-11-30] [--user leader] [--check-seed]`: the
period's EIA figures (the registry's provider, as `ecogov summary` and /api/figures/ count
them), and the data-quality check of typed-in totals (the seed's 215.27 / 6.4) against the
ledger, which the summary does not do for a list of typed values."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from ecogov.core.figures import Period
from ecogov.eia.figures import check_typed_figures, eia_figures


class Command(BaseCommand):
    help = "环评审批年度统计,以及填报数与台账数的一致性核对"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--until", default="", help="统计截止日 YYYY-MM-DD(须在该年度内)")
        parser.add_argument("--user", default="leader", help="按该用户的数据范围统计")
        parser.add_argument(
            "--check-seed",
            action="store_true",
            help="核对示例总结中手填的合计数(215.27 / 6.4 亿元)",
        )
        parser.add_argument(
            "--typed",
            nargs="*",
            default=[],
            metavar="KEY=VALUE",
            help="核对其他填报数,如 eia.investment.total=215.27",
        )

    def handle(self, *args, year, until, user, check_seed, typed, **options):
        try:
            period = Period.of_year(year, dt.date.fromisoformat(until) if until else None)
        except ValueError:
            raise CommandError("--until 应为该年度内的日期 YYYY-MM-DD。") from None
        try:
            actor = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"用户“{user}”不存在。") from None
        figures = eia_figures(actor, period)
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

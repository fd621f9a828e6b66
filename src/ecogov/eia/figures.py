"""EIA statistics for a year and the user's scope (FIGURES.md eia.*), each with its filter.

Counted from the ledger's decisions (`decision`, `decided_on`), which stay as decided even if
an approval is later revoked. Totals are the sums of their parts, computed in one grouped query,
so they add up by construction. `check_typed_figures` compares figures typed into a summary
(such as the seed's 215.27 / 6.4) with the ledger and names every disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from ecogov.core.figures import Figure

from .models import ApprovalLevel, Decision, EiaProject, Procedure

MODEL = "eia.EiaProject"
YI = Decimal(10000)  # 万元 per 亿元
CENT = Decimal("0.01")


def _yi(wan: Decimal | None) -> Decimal:
    return ((wan or Decimal(0)) / YI).quantize(CENT)


def eia_figures(user, year: int) -> list[Figure]:
    visible = EiaProject.objects.visible_to(user)
    approved = {"decision": Decision.APPROVED, "decided_on__year": year}
    groups = {(row["level"], row["procedure"]): row for row in visible.filter(**approved).values(
        "level", "procedure").annotate(n=Count("pk"), total=Sum("total_investment"),
                                       env=Sum("env_investment")).order_by()}

    def part(level=None, procedure=None, key="n"):
        return sum((row[key] or 0 for (lv, pr), row in groups.items()
                    if (level is None or lv == level) and (procedure is None or pr == procedure)),
                   Decimal(0) if key != "n" else 0)

    city, county = ApprovalLevel.CITY, ApprovalLevel.COUNTY
    exempted = {"procedure": Procedure.EXEMPT, "decided_on__year": year}
    refused = {"decision": Decision.REFUSED, "decided_on__year": year}
    filed = {"procedure": Procedure.FILING, "decided_on__year": year}
    parts_investment = {lv: _yi(part(lv, key="total")) for lv in (city, county)}
    parts_env = {lv: _yi(part(lv, key="env")) for lv in (city, county)}
    return [
        Figure("eia.approved.total", _("审批建设项目环评"), part(), "个", MODEL, approved),
        Figure("eia.approved.city_level", _("其中市级审批"), part(city), "个", MODEL,
               {**approved, "level": city}),
        Figure("eia.approved.county_level", _("其中县级审批"), part(county), "个", MODEL,
               {**approved, "level": county}),
        Figure("eia.approved.review", _("其中评审制"), part(procedure=Procedure.REVIEW), "个",
               MODEL, {**approved, "procedure": Procedure.REVIEW}),
        Figure("eia.approved.commitment", _("其中告知承诺制"),
               part(procedure=Procedure.COMMITMENT), "个", MODEL,
               {**approved, "procedure": Procedure.COMMITMENT}),
        Figure("eia.exempted", _("豁免环评手续的项目(另计)"), visible.filter(**exempted).count(),
               "个", MODEL, exempted),
        Figure("eia.refused", _("不予批准"), visible.filter(**refused).count(), "个", MODEL, refused),
        Figure("eia.registrations_filed", _("环境影响登记表备案"), visible.filter(**filed).count(),
               "个", MODEL, filed),
        Figure("eia.investment.total", _("批准项目总投资"), sum(parts_investment.values()), "亿元",
               MODEL, approved),
        Figure("eia.env_investment.total", _("批准项目环保投资"), sum(parts_env.values()), "亿元",
               MODEL, approved),
        Figure("eia.investment.city_level", _("市级审批项目总投资"), parts_investment[city], "亿元",
               MODEL, {**approved, "level": city}),
        Figure("eia.env_investment.city_level", _("市级审批项目环保投资"), parts_env[city], "亿元",
               MODEL, {**approved, "level": city}),
        Figure("eia.investment.county_level", _("县级审批项目总投资"), parts_investment[county],
               "亿元", MODEL, {**approved, "level": county}),
        Figure("eia.env_investment.county_level", _("县级审批项目环保投资"), parts_env[county],
               "亿元", MODEL, {**approved, "level": county}),
    ]


# A total and the figures it is the sum of (for naming the parts in a discrepancy).
PARTS = {
    "eia.approved.total": ("eia.approved.city_level", "eia.approved.county_level"),
    "eia.investment.total": ("eia.investment.city_level", "eia.investment.county_level"),
    "eia.env_investment.total": ("eia.env_investment.city_level",
                                 "eia.env_investment.county_level"),
}


@dataclass(frozen=True)
class Discrepancy:
    key: str
    typed: Decimal
    computed: Decimal
    message: str


def check_typed_figures(figures: list[Figure], typed: dict[str, Decimal | int]) -> list[Discrepancy]:
    """Every typed-in figure that disagrees with the ledger, named for a person to resolve."""
    by_key = {f.key: f for f in figures}
    found = []
    for key, value in typed.items():
        figure = by_key.get(key)
        if figure is None:
            continue
        typed_value, computed = Decimal(str(value)), Decimal(str(figure.value))
        if typed_value == computed:
            continue
        parts = " + ".join(f"{by_key[p].label} {by_key[p].value}" for p in PARTS.get(key, ())
                           if p in by_key)
        message = _("“%(label)s”填报值 %(typed)s %(unit)s 与台账计算值 %(computed)s %(unit)s 不一致"
                    "(相差 %(diff)s %(unit)s)") % {
            "label": figure.label, "typed": typed_value, "computed": computed, "unit": figure.unit,
            "diff": computed - typed_value}
        if parts:
            message += _(";台账值为各部分之和:%(parts)s") % {"parts": parts}
        found.append(Discrepancy(key, typed_value, computed, message + _("。请核实并更正填报值。")))
    return found

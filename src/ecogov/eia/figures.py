"""EIA statistics for a period and the user's scope (docs/figures.md §2 eia.*), each with its records.

Counted from the ledger's decisions (`decision`, `decided_on` within the period), which stay as
decided even if an approval is later revoked. Counts and sums come from one grouped query;
each figure carries `records`, exactly the projects behind it (ecogov.core.figures): a count is
`records.count()`, an investment is Σ of the 万元 field over `records` ÷ 10000, in 亿元 to two
decimals. A total is rounded once from the exact sum, so it may differ from the sum of its
rounded parts by 0.01 (the report's relation check allows that). `check_typed_figures`
compares figures typed into a summary (such as the seed's 215.27 / 6.4) with the ledger and
names every disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from ecogov.core.figures import Figure, Kind, Period, count_figure, round_to

from .models import (
    ApprovalLevel,
    Decision,
    EiaAcceptance,
    EiaProject,
    EiaReReview,
    EiaSpotCheck,
    Procedure,
    SpotCheckResult,
)

MODEL = "eia.EiaProject"
YI = Decimal(10000)  # 万元 per 亿元


def _in(period: Period) -> dict:
    return {"decided_on__gte": period.start, "decided_on__lte": period.end}


def eia_figures(user, period: Period | int) -> list[Figure]:
    if isinstance(period, int):
        period = Period.of_year(period)
    visible = EiaProject.objects.visible_to(user)
    decided = visible.filter(**_in(period))
    # the bureau's approvals (city and county); the province's, recorded here, are counted apart
    all_approved = decided.filter(decision=Decision.APPROVED)
    approved = all_approved.exclude(level=ApprovalLevel.PROVINCE)
    # one grouped query: count and exact 万元 sums per (level, procedure)
    groups = {
        (row["level"], row["procedure"]): row
        for row in approved.values("level", "procedure")
        .annotate(n=Count("pk"), total=Sum("total_investment"), env=Sum("env_investment"))
        .order_by()
    }
    summed = {"total_investment": "total", "env_investment": "env"}

    def part(level=None, procedure=None, key="n"):
        return sum(
            (
                row[key] or 0
                for (lv, pr), row in groups.items()
                if (level is None or lv == level) and (procedure is None or pr == procedure)
            ),
            Decimal(0) if key != "n" else 0,
        )

    deferred = visible.filter(deferred_on__gte=period.start, deferred_on__lte=period.end)
    others_deferred = deferred.count()
    others = decided.aggregate(
        province=Count("pk", filter=Q(decision=Decision.APPROVED, level=ApprovalLevel.PROVINCE)),
        exempted=Count("pk", filter=Q(procedure=Procedure.EXEMPT)),
        refused=Count("pk", filter=Q(decision=Decision.REFUSED)),
        filed=Count("pk", filter=Q(procedure=Procedure.FILING)),
    )
    city, county = ApprovalLevel.CITY, ApprovalLevel.COUNTY
    when = period.label

    def count(key, label, records, value, definition):
        return count_figure(key, label, records, "个", MODEL, definition=definition, value=value)

    def money(key, label, field, level, definition):
        records = approved if level is None else approved.filter(level=level)
        return Figure(
            key,
            label,
            round_to(part(level, key=summed[field]) / YI, 2),
            "亿元",
            MODEL,
            kind=Kind.SUM,
            records=records,
            field=field,
            scale=YI,
            places=2,
            definition=definition,
        )

    return [
        count(
            "eia.approved.total",
            _("审批建设项目环评"),
            approved,
            part(),
            f"{when}内作出批准决定的建设项目环评(报告书、报告表),按决定日期统计",
        ),
        count(
            "eia.approved.city_level",
            _("其中市级审批"),
            approved.filter(level=city),
            part(city),
            "其中由市级审批的",
        ),
        count(
            "eia.approved.county_level",
            _("其中县级审批"),
            approved.filter(level=county),
            part(county),
            "其中由县级审批的",
        ),
        count(
            "eia.approved.review",
            _("其中评审制"),
            approved.filter(procedure=Procedure.REVIEW),
            part(procedure=Procedure.REVIEW),
            "其中按评审制审批的",
        ),
        count(
            "eia.approved.commitment",
            _("其中告知承诺制"),
            approved.filter(procedure=Procedure.COMMITMENT),
            part(procedure=Procedure.COMMITMENT),
            "其中按告知承诺制审批的",
        ),
        count(
            "eia.exempted",
            _("豁免环评手续的项目(另计)"),
            decided.filter(procedure=Procedure.EXEMPT),
            others["exempted"],
            f"{when}内认定豁免环评手续的项目,不计入审批数",
        ),
        count(
            "eia.refused",
            _("不予批准"),
            decided.filter(decision=Decision.REFUSED),
            others["refused"],
            f"{when}内作出不予批准决定的建设项目环评",
        ),
        count(
            "eia.registrations_filed",
            _("环境影响登记表备案"),
            decided.filter(procedure=Procedure.FILING),
            others["filed"],
            f"{when}内完成备案的环境影响登记表",
        ),
        count(
            "eia.approved.province_level",
            _("省级审批的本市建设项目(另计)"),
            all_approved.filter(level=ApprovalLevel.PROVINCE),
            others["province"],
            f"{when}内省级生态环境部门批准、位于本市的建设项目环评(本局登记),不计入本局审批数",
        ),
        count(
            "eia.deferred",
            _("暂缓审批"),
            deferred,
            others_deferred,
            f"{when}内作出暂缓审批决定的建设项目环评(按最近一次暂缓日期;不同于不予批准)",
        ),
        *after_approval_figures(user, period),
        money(
            "eia.investment.total",
            _("批准项目总投资"),
            "total_investment",
            None,
            "上述批准项目的总投资之和(万元合计后折算为亿元)",
        ),
        money(
            "eia.env_investment.total",
            _("批准项目环保投资"),
            "env_investment",
            None,
            "上述批准项目的环保投资之和(万元合计后折算为亿元)",
        ),
        money(
            "eia.investment.city_level",
            _("市级审批项目总投资"),
            "total_investment",
            city,
            "市级批准项目的总投资之和",
        ),
        money(
            "eia.env_investment.city_level",
            _("市级审批项目环保投资"),
            "env_investment",
            city,
            "市级批准项目的环保投资之和",
        ),
        money(
            "eia.investment.county_level",
            _("县级审批项目总投资"),
            "total_investment",
            county,
            "县级批准项目的总投资之和",
        ),
        money(
            "eia.env_investment.county_level",
            _("县级审批项目环保投资"),
            "env_investment",
            county,
            "县级批准项目的环保投资之和",
        ),
    ]


def after_approval_figures(user, period: Period) -> list[Figure]:
    """Completion acceptances, the bureau's spot checks of them, and re-reviews, in the period."""
    acceptances = EiaAcceptance.objects.visible_to(user).filter(
        concluded_on__gte=period.start, concluded_on__lte=period.end
    )
    checks = EiaSpotCheck.objects.visible_to(user).filter(
        checked_on__gte=period.start, checked_on__lte=period.end
    )
    problems = checks.filter(result=SpotCheckResult.PROBLEMS)
    rereviews = EiaReReview.objects.visible_to(user).filter(
        received_on__gte=period.start, received_on__lte=period.end
    )
    when = period.label

    return [
        count_figure(
            "eia.acceptances",
            _("建设单位完成竣工环保验收"),
            acceptances,
            "项",
            "eia.EiaAcceptance",
            f"{when}内形成验收意见并公开的竣工环境保护验收(建设单位自主验收,本局登记)",
        ),
        count_figure(
            "eia.spot_checks",
            _("竣工环保验收抽查"),
            checks,
            "次",
            "eia.EiaSpotCheck",
            f"{when}内本局对竣工环保验收的事中事后抽查",
        ),
        count_figure(
            "eia.spot_checks.problems",
            _("其中发现问题"),
            problems,
            "次",
            "eia.EiaSpotCheck",
            "其中发现问题的抽查",
        ),
        count_figure(
            "eia.rereviews",
            _("环评文件重新审核"),
            rereviews,
            "个",
            "eia.EiaReReview",
            f"{when}内收到的重新审核申请(批准后超过5年开工)",
        ),
    ]


# A total and the figures it is the sum of (for naming the parts in a discrepancy).
PARTS = {
    "eia.approved.total": ("eia.approved.city_level", "eia.approved.county_level"),
    "eia.investment.total": ("eia.investment.city_level", "eia.investment.county_level"),
    "eia.env_investment.total": (
        "eia.env_investment.city_level",
        "eia.env_investment.county_level",
    ),
}


@dataclass(frozen=True)
class Discrepancy:
    key: str
    typed: Decimal
    computed: Decimal
    message: str


def check_typed_figures(
    figures: list[Figure], typed: dict[str, Decimal | int]
) -> list[Discrepancy]:
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
        parts = " + ".join(
            f"{by_key[p].label} {by_key[p].value}" for p in PARTS.get(key, ()) if p in by_key
        )
        message = _(
            "“%(label)s”填报值 %(typed)s %(unit)s 与台账计算值 %(computed)s %(unit)s 不一致"
            "(相差 %(diff)s %(unit)s)"
        ) % {
            "label": figure.label,
            "typed": typed_value,
            "computed": computed,
            "unit": figure.unit,
            "diff": computed - typed_value,
        }
        if parts:
            message += _(";台账值为各部分之和:%(parts)s") % {"parts": parts}
        found.append(Discrepancy(key, typed_value, computed, message + _("。请核实并更正填报值。")))
    return found

"""Figures of execution, coercive measures and decision changes (docs/enforcement.md §9–§11),
each with exactly its records, by the date of the act within the period."""

from __future__ import annotations

from django.db.models import Sum

from ecogov.core.figures import Figure, Period
from ecogov.enforcement.models import (
    CaseDisclosure,
    CaseEvent,
    CoerciveMeasure,
    CompulsoryExecution,
    DailyPenalty,
    DecisionChange,
    MeasureKind,
    PaymentPlan,
)

CASE = "enforcement.PenaltyCase"


def _between(field: str, period: Period) -> dict:
    return {f"{field}__gte": period.start, f"{field}__lte": period.end}


def execution_figures(user, period: Period, cases, count, wan, with_event) -> list[Figure]:
    """`count`, `wan` and `with_event` are figures.py's helpers (one way of counting)."""
    when = period.label
    plans = PaymentPlan.objects.visible_to(user).filter(
        approved=True, **_between("decided_on", period)
    )
    compulsory = CompulsoryExecution.objects.visible_to(user)
    demands = compulsory.filter(**_between("demand_served_on", period))
    applied = compulsory.filter(**_between("applied_on", period))
    measures = CoerciveMeasure.objects.visible_to(user).filter(**_between("started_on", period))
    seizures = measures.filter(kind=MeasureKind.SEIZURE)
    restrictions = measures.exclude(kind=MeasureKind.SEIZURE)
    daily = DailyPenalty.objects.visible_to(user).filter(
        continuing=True, **_between("reinspected_on", period)
    )
    changes = DecisionChange.objects.visible_to(user).filter(**_between("ruling_on", period))
    withdrawn = CaseDisclosure.objects.visible_to(user).filter(**_between("withdrawn_on", period))
    referred = CaseEvent.Type.REFERRED
    return [
        count(
            "enforcement.payment_plans",
            f"{when}批准延期(分期)缴纳罚款",
            plans,
            "enforcement.PaymentPlan",
            "审批日期在期间内、予以批准的延期或分期缴纳罚款申请",
        ),
        count(
            "enforcement.demands",
            f"{when}催告",
            demands,
            "enforcement.CompulsoryExecution",
            "催告书送达日期在期间内的案件",
        ),
        wan(
            "enforcement.surcharge.demanded",
            f"{when}催告加处罚款金额",
            demands,
            "demand_surcharge",
            "enforcement.CompulsoryExecution",
            demands.aggregate(t=Sum("demand_surcharge"))["t"],
            "期间内送达的催告书所列加处罚款之和(每日按罚款数额3%,不超过罚款数额)",
        ),
        count(
            "enforcement.court_applications",
            f"{when}申请法院强制执行",
            applied,
            "enforcement.CompulsoryExecution",
            "申请日期在期间内的申请人民法院强制执行",
        ),
        count(
            "enforcement.seizures",
            f"{when}实施查封、扣押",
            seizures,
            "enforcement.CoerciveMeasure",
            "实施日期在期间内的查封、扣押",
        ),
        count(
            "enforcement.restrictions",
            f"{when}责令限制生产、停产整治",
            restrictions,
            "enforcement.CoerciveMeasure",
            "实施日期在期间内的限制生产、停产整治",
        ),
        count(
            "enforcement.daily_penalties",
            f"{when}按日连续处罚",
            daily,
            "enforcement.DailyPenalty",
            "复查日期在期间内、复查发现违法行为仍在继续而按日连续处罚的",
        ),
        wan(
            "enforcement.daily_penalties.amount",
            f"{when}按日连续处罚金额",
            daily,
            "amount",
            "enforcement.DailyPenalty",
            daily.aggregate(t=Sum("amount"))["t"],
            "其按日连续处罚金额之和(计罚日数 × 原处罚数额)",
        ),
        count(
            "enforcement.referrals.detention",
            f"{when}移送公安机关行政拘留",
            with_event(cases, referred, period, kind="detention"),
            CASE,
            "期间内移送公安机关行政拘留的案件",
        ),
        count(
            "enforcement.referrals.judicial",
            f"{when}涉嫌犯罪移送司法机关",
            with_event(cases, referred, period, kind="judicial"),
            CASE,
            "期间内涉嫌犯罪移送司法机关的案件",
        ),
        count(
            "enforcement.decisions_changed",
            f"{when}处罚决定被撤销、变更或确认违法",
            changes,
            "enforcement.DecisionChange",
            "决定(判决)日期在期间内的撤销、变更、确认违法(复议、诉讼或自行纠正)",
        ),
        count(
            "enforcement.disclosures_withdrawn",
            f"{when}撤回公开的处罚决定",
            withdrawn,
            "enforcement.CaseDisclosure",
            "撤回日期在期间内的处罚决定公示",
        ),
    ]

"""The penalty cases' figures for the annual summary, counted from the case events by the
date of the act (FIGURES.md: enforcement.cases = 137 in 2020), each with its drill-down filter.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Sum

from ecogov.core.figures import Figure
from ecogov.enforcement.models import CaseDisclosure, CaseEvent, Payment, PenaltyCase

T = CaseEvent.Type
WAN = Decimal(10000)


def _wan(amount) -> Decimal:
    return ((amount or Decimal(0)) / WAN).quantize(Decimal("0.0001"))


def _with_event(cases, type_: str, year: int, **payload):
    lookups = {"events__type": type_, "events__occurred_at__year": year,
               **{f"events__payload__{k}": v for k, v in payload.items()}}
    return lookups, cases.filter(**lookups).distinct()


def enforcement_figures(user, year: int) -> list[Figure]:
    cases = PenaltyCase.objects.visible_to(user)
    opened_filter, opened = _with_event(cases, T.OPENED, year)
    decided_filter, decided = _with_event(cases, T.DECIDED, year)
    imposed = PenaltyCase.objects.filter(pk__in=decided.values("pk")).aggregate(
        fine=Sum("fine"), confiscation=Sum("confiscation"))
    payments = Payment.objects.visible_to(user).filter(paid_on__year=year)
    reviewed_filter, reviewed = _with_event(cases, T.LEGAL_REVIEWED, year, passed=True)
    hearings_filter, hearings = _with_event(cases, T.HEARING_HELD, year)
    disclosures = CaseDisclosure.objects.visible_to(user).filter(published_on__year=year)
    on_time = disclosures.filter(published_on__lte=F("due_on"))
    model = "enforcement.PenaltyCase"
    return [
        Figure("enforcement.cases", f"{year}年办理环境违法案件(立案)", opened.count(), "件",
               model, opened_filter),
        Figure("enforcement.decisions", f"{year}年作出行政处罚决定", decided.count(), "件",
               model, decided_filter),
        Figure("enforcement.fines.imposed", f"{year}年处罚决定罚款金额",
               _wan(imposed["fine"]), "万元", model, decided_filter),
        Figure("enforcement.confiscation.imposed", f"{year}年处罚决定没收金额",
               _wan(imposed["confiscation"]), "万元", model, decided_filter),
        Figure("enforcement.fines.collected", f"{year}年收缴罚没款",
               _wan(payments.aggregate(total=Sum("amount"))["total"]), "万元",
               "enforcement.Payment", {"paid_on__year": year}),
        Figure("enforcement.legal_reviewed", f"{year}年经法制审核通过的案件", reviewed.count(), "件",
               model, reviewed_filter),
        Figure("enforcement.hearings", f"{year}年举行听证", hearings.count(), "件", model,
               hearings_filter),
        Figure("enforcement.disclosed", f"{year}年公开处罚决定", disclosures.count(), "件",
               "enforcement.CaseDisclosure", {"published_on__year": year}),
        Figure("enforcement.disclosed_on_time", f"{year}年按期公开处罚决定", on_time.count(), "件",
               "enforcement.CaseDisclosure",
               {"published_on__year": year, "published_on__lte": F("due_on")}),
    ]

"""The penalty cases' figures for the annual summary, counted from the case events by the
date of the act within the period (docs/figures.md §2: enforcement.cases = 137 in 2020).

Each figure carries `records`, exactly the cases, payments or disclosures behind it: a count
is `records.count()`; an amount is Σ of the 元 field over `records` ÷ 10000, in 万元 to four
decimals (to the 元). A case is selected by the events it has in the period (a subquery on
the events, so that a case with two such events counts once and its fine is summed once).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import timezone

from ecogov.core.figures import Figure, Period, count_figure, sum_figure
from ecogov.enforcement.figures_execution import execution_figures
from ecogov.enforcement.models import CaseDisclosure, CaseEvent, Payment, PenaltyCase
from ecogov.enforcement.workflow import CaseState

WAN = Decimal(10000)
CASE = "enforcement.PenaltyCase"
DISCLOSURE = "enforcement.CaseDisclosure"


def moments(period: Period) -> dict:
    """The period's days as a range of moments (local time), which the index on the moment
    serves (a lookup on its date would not)."""
    zone = timezone.get_current_timezone()
    return {
        "gte": dt.datetime.combine(period.start, dt.time(), tzinfo=zone),
        "lt": dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    }


def _with_event(cases, type_: str, period: Period, **payload):
    """The cases with an event of the type whose act falls on a day of the period."""
    events = CaseEvent.objects.filter(
        type=type_,
        **{f"occurred_at__{op}": moment for op, moment in moments(period).items()},
        **{f"payload__{k}": v for k, v in payload.items()},
    )
    return cases.filter(pk__in=events.values("record_id"))


def _count(key, label, records, model, definition) -> Figure:
    return count_figure(key, label, records, "件", model, definition=definition)


def _wan(key, label, records, field, model, total, definition) -> Figure:
    return sum_figure(
        key,
        label,
        records,
        field,
        "万元",
        model,
        definition=definition,
        total=total,
        scale=WAN,
        places=4,
    )


def enforcement_figures(user, period: Period | int) -> list[Figure]:
    if isinstance(period, int):
        period = Period.of_year(period)
    when = period.label
    cases = PenaltyCase.objects.visible_to(user)
    opened = _with_event(cases, CaseEvent.Type.OPENED, period)
    # the final state: a decision revoked afterwards is not counted, a changed fine counts at
    # its new amount (the case's `fine`; docs/enforcement.md §11)
    decided = _with_event(cases, CaseEvent.Type.DECIDED, period).exclude(state=CaseState.REVOKED)
    imposed = decided.aggregate(fine=Sum("fine"), confiscation=Sum("confiscation"))
    payments = Payment.objects.visible_to(user).filter(
        paid_on__gte=period.start, paid_on__lte=period.end
    )
    collected = payments.aggregate(total=Sum("amount"))["total"]
    reviewed = _with_event(cases, CaseEvent.Type.LEGAL_REVIEWED, period, passed=True)
    hearings = _with_event(cases, CaseEvent.Type.HEARING_HELD, period)
    disclosures = CaseDisclosure.objects.visible_to(user).filter(
        published_on__gte=period.start, published_on__lte=period.end
    )
    on_time = disclosures.filter(published_on__lte=F("due_on"))
    return [
        *_main(when, opened, decided, imposed, payments, collected, reviewed, hearings),
        *_disclosure(when, disclosures, on_time),
        *execution_figures(user, period, cases, _count, _wan, _with_event),
    ]


def _main(when, opened, decided, imposed, payments, collected, reviewed, hearings):
    return [
        _count(
            "enforcement.cases",
            f"{when}办理环境违法案件(立案)",
            opened,
            CASE,
            "立案日期在期间内的行政处罚案件",
        ),
        _count(
            "enforcement.decisions",
            f"{when}作出行政处罚决定",
            decided,
            CASE,
            "期间内作出行政处罚决定的案件(按决定日期;其后被撤销的不计)",
        ),
        _wan(
            "enforcement.fines.imposed",
            f"{when}处罚决定罚款金额",
            decided,
            "fine",
            CASE,
            imposed["fine"],
            "期间内作出的处罚决定的罚款金额之和(元合计后折算为万元)",
        ),
        _wan(
            "enforcement.confiscation.imposed",
            f"{when}处罚决定没收金额",
            decided,
            "confiscation",
            CASE,
            imposed["confiscation"],
            "期间内作出的处罚决定的没收违法所得和非法财物金额之和",
        ),
        _wan(
            "enforcement.fines.collected",
            f"{when}收缴罚没款",
            payments,
            "amount",
            "enforcement.Payment",
            collected,
            "缴款日期在期间内的罚没款缴款之和",
        ),
        _count(
            "enforcement.legal_reviewed",
            f"{when}经法制审核通过的案件",
            reviewed,
            CASE,
            "期间内法制审核结论为通过的案件",
        ),
        _count("enforcement.hearings", f"{when}举行听证", hearings, CASE, "期间内举行听证的案件"),
    ]


def _disclosure(when, disclosures, on_time):
    return [
        _count(
            "enforcement.disclosed",
            f"{when}公开处罚决定",
            disclosures,
            DISCLOSURE,
            "公开日期在期间内的处罚决定公示",
        ),
        _count(
            "enforcement.disclosed_on_time",
            f"{when}按期公开处罚决定",
            on_time,
            DISCLOSURE,
            "其中公开日期不晚于应公开日期的",
        ),
    ]

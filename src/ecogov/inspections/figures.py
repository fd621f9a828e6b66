"""The random-inspection figures of the annual summary, each with exactly its records.

Enterprise inspections (家次) are inspection records dated in the period: one record is one
visit to one enterprise (seed 一(三)2: 3361 家次 in 2020, random and special campaigns).
Publications count as "on time" only when published by the period's end, so a figure of a
past period does not change when a late list or result is published afterwards.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from ecogov.core.figures import Figure, Period, count_figure

from .models import (
    Draw,
    InspectionRecord,
    InspectionType,
    Outcome,
    Publication,
    PublicationKind,
)

RECORD = "inspections.InspectionRecord"
DRAW = "inspections.Draw"
PUBLICATION = "inspections.Publication"


def _count(key, label, value, unit, model, records, definition) -> Figure:
    return count_figure(key, label, records, unit, model, definition=definition, value=value)


def inspection_figures(user, period: Period | int) -> list[Figure]:
    if isinstance(period, int):
        period = Period.of_year(period)
    records = InspectionRecord.objects.visible_to(user).filter(
        date__gte=period.start, date__lte=period.end
    )
    by_type = dict(records.values_list("type").annotate(n=Count("pk")).order_by())
    outcomes = records.aggregate(
        fixed=Count("pk", filter=Q(outcome=Outcome.ORDERED_FIXED)),
        opened=Count("pk", filter=Q(outcome=Outcome.CASE_OPENED)),
    )
    figures = [
        _count(
            "inspections.enterprise_visits",
            f"{period.label}检查企业",
            sum(by_type.values()),
            "家次",
            RECORD,
            records,
            "检查日期在期间内的执法检查记录(一条记录为检查一家企业一次)",
        )
    ]
    for value, label in InspectionType.choices:
        figures.append(
            _count(
                f"inspections.enterprise_visits.{value}",
                f"其中:{label}",
                by_type.get(value, 0),
                "家次",
                RECORD,
                records.filter(type=value),
                f"其中检查类型为“{label}”的",
            )
        )
    figures += [
        _count(
            "inspections.problems_ordered_fixed",
            "发现问题责令整改",
            outcomes["fixed"],
            "家次",
            RECORD,
            records.filter(outcome=Outcome.ORDERED_FIXED),
            "期间内检查结论为“发现问题,责令整改”的检查记录",
        ),
        _count(
            "inspections.cases_opened",
            "检查发现违法并立案",
            outcomes["opened"],
            "件",
            RECORD,
            records.filter(outcome=Outcome.CASE_OPENED),
            "期间内检查结论为“发现违法行为,已立案”的检查记录",
        ),
    ]
    return figures + draw_figures(user, period)


def draw_figures(user, period: Period | int) -> list[Figure]:
    if isinstance(period, int):
        period = Period.of_year(period)
    start, end = period.start, period.end
    zone = timezone.get_current_timezone()  # the period's days as moments, local time
    drawn = {
        "drawn_at__gte": dt.datetime.combine(start, dt.time(), tzinfo=zone),
        "drawn_at__lt": dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=zone),
    }
    made = Draw.objects.visible_to(user).filter(**drawn)
    redrawn = made.filter(supersedes__isnull=False)
    by_end = Q(on_time=True, published_on__lte=end)
    publications = Publication.objects.visible_to(user)
    lists_on_time = publications.filter(
        by_end, kind=PublicationKind.DRAW_LIST, **{f"draw__{k}": v for k, v in drawn.items()}
    )
    results_due = publications.filter(
        kind=PublicationKind.RESULT, inspection__date__gte=start, inspection__date__lte=end
    )
    results_on_time = results_due.filter(by_end)
    return [
        _count(
            "inspections.draws.made",
            "双随机抽取次数",
            made.count(),
            "次",
            DRAW,
            made,
            "抽取时间在期间内的双随机抽取(含重新抽取)",
        ),
        _count(
            "inspections.draws.redrawn",
            "其中:重新抽取",
            redrawn.count(),
            "次",
            DRAW,
            redrawn,
            "其中取代此前一次抽取的重新抽取",
        ),
        _count(
            "inspections.draws.published_on_time",
            "抽查名单按期公开",
            lists_on_time.count(),
            "次",
            PUBLICATION,
            lists_on_time,
            "期间内抽取的名单中,在公开期限内且不晚于期末公开的",
        ),
        _count(
            "inspections.results.due",
            "应公开的抽查结果",
            results_due.count(),
            "家次",
            PUBLICATION,
            results_due,
            "检查日期在期间内、应公开的双随机抽查结果",
        ),
        _count(
            "inspections.results.published_on_time",
            "抽查结果按期公开",
            results_on_time.count(),
            "家次",
            PUBLICATION,
            results_on_time,
            "其中在公开期限内且不晚于期末公开的",
        ),
    ]

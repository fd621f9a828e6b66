"""The random-inspection figures of the annual summary, each with the filter behind it.

Enterprise inspections (家次) are inspection records dated in the year: one record is one
visit to one enterprise (seed 一(三)2: 3361 家次 in 2020, random and special campaigns).
"""

from __future__ import annotations

from django.db.models import Count

from ecogov.core.figures import Figure

from .models import (
    Draw, InspectionRecord, InspectionType, Outcome, Publication, PublicationKind,
)

RECORD = "inspections.InspectionRecord"


def inspection_figures(user, year: int) -> list[Figure]:
    records = InspectionRecord.objects.visible_to(user)
    in_year = {"date__year": year}
    by_type = dict(records.filter(**in_year).values_list("type").annotate(n=Count("pk")))
    figures = [Figure("inspections.enterprise_visits", f"{year}年检查企业", sum(by_type.values()),
                      "家次", RECORD, in_year)]
    for value, label in InspectionType.choices:
        figures.append(Figure(f"inspections.enterprise_visits.{value}", f"其中:{label}",
                              by_type.get(value, 0), "家次", RECORD, {**in_year, "type": value}))
    opened = {**in_year, "outcome": Outcome.CASE_OPENED}
    fixed = {**in_year, "outcome": Outcome.ORDERED_FIXED}
    figures += [
        Figure("inspections.problems_ordered_fixed", "发现问题责令整改", records.filter(**fixed).count(),
               "家次", RECORD, fixed),
        Figure("inspections.cases_opened", "检查发现违法并立案", records.filter(**opened).count(),
               "件", RECORD, opened),
    ]
    return figures + draw_figures(user, year)


def draw_figures(user, year: int) -> list[Figure]:
    draws = Draw.objects.visible_to(user)
    made = {"drawn_at__year": year}
    redraws = {**made, "supersedes__isnull": False}
    lists = Publication.objects.visible_to(user).filter(kind=PublicationKind.DRAW_LIST)
    on_time = {"kind": PublicationKind.DRAW_LIST, "draw__drawn_at__year": year,
               "on_time": True}
    results = Publication.objects.visible_to(user).filter(kind=PublicationKind.RESULT)
    results_due = {"kind": PublicationKind.RESULT, "inspection__date__year": year}
    results_on_time = {**results_due, "on_time": True}
    return [
        Figure("inspections.draws.made", "双随机抽取次数", draws.filter(**made).count(), "次",
               "inspections.Draw", made),
        Figure("inspections.draws.redrawn", "其中:重新抽取", draws.filter(**redraws).count(), "次",
               "inspections.Draw", redraws),
        Figure("inspections.draws.published_on_time", "抽查名单按期公开",
               lists.filter(**on_time).count(), "次", "inspections.Publication", on_time),
        Figure("inspections.results.due", "应公开的抽查结果", results.filter(**results_due).count(),
               "家次", "inspections.Publication", results_due),
        Figure("inspections.results.published_on_time", "抽查结果按期公开",
               results.filter(**results_on_time).count(), "家次", "inspections.Publication",
               results_on_time),
    ]

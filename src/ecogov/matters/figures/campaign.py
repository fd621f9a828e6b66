"""Campaign plans and their tasks (seed 一(三)4): the plans of the period's years."""

from __future__ import annotations

from django.db.models import Count, Min, Q

from ecogov.core.figures import Figure, Period
from ecogov.core.models import Organisation, OrganisationKind
from ecogov.matters.models import Aspect, Matter, MatterUnit, Measure, Source
from ecogov.matters.workflow import Kind as MatterKind

from .credit import MODEL

UNIT_KINDS = [
    ("counties", "承担任务的县市区", OrganisationKind.COUNTY_GOVERNMENT),
    ("departments", "承担任务的市直部门", OrganisationKind.CITY_DEPARTMENT),
]


def campaign_figures(user, period: Period) -> list[Figure]:
    end = period.end
    figures = []
    for source in Source.objects.filter(
        kind=MatterKind.TASK, year__gte=period.start.year, year__lte=end.year
    ).order_by("pk"):
        key = f"campaign.{source.code}"
        tasks = Matter.objects.visible_to(user).filter(
            kind=MatterKind.TASK, source=source, received_on__lte=end
        )
        counts = tasks.aggregate(
            total=Count("pk"),
            done=Count("pk", filter=Q(closed_on__lte=end)),
            categories=Count("category", distinct=True),
        )
        aspects = Aspect.objects.filter(source=source)
        measures = Measure.objects.filter(aspect__source=source)
        # a category is no record: the drill-down lists each category's first task
        first_of_category = tasks.filter(
            pk__in=tasks.order_by().values("category").annotate(first=Min("pk")).values("first")
        )
        figures += [
            Figure(
                f"{key}.aspects",
                f"{source.name}方面",
                aspects.count(),
                "个",
                "matters.Aspect",
                records=aspects,
                definition="方案确定的工作方面",
            ),
            Figure(
                f"{key}.measures",
                f"{source.name}具体措施",
                measures.count(),
                "条",
                "matters.Measure",
                records=measures,
                definition="方案各方面下的具体措施",
            ),
            Figure(
                f"{key}.tasks",
                f"{source.name}任务",
                counts["total"],
                "个",
                MODEL,
                records=tasks,
                definition="方案分解、期末前交办的任务",
            ),
            Figure(
                f"{key}.task_categories",
                "任务类别",
                counts["categories"],
                "类",
                MODEL,
                records=first_of_category,
                definition="期末前交办的任务所属的类别数(明细列出每类的第一个任务)",
            ),
            Figure(
                f"{key}.tasks.completed",
                "已完成任务",
                counts["done"],
                "个",
                MODEL,
                records=tasks.filter(closed_on__lte=end),
                definition="期末前交办、完成(办结)日期不晚于期末的任务",
            ),
        ]
        given_work = MatterUnit.objects.filter(source=source, is_active=True).order_by()
        if counts["total"] != Matter.objects.filter(source=source).count():
            # a part of the plan (scope, or tasks given later): its tasks' units; the whole
            # plan is one range of the (source, organisation) index
            given_work = given_work.filter(matter__in=tasks.order_by().values("pk"))
        units = Organisation.objects.filter(pk__in=given_work.values("organisation_id"))
        by_kind = dict(units.order_by().values_list("kind").annotate(n=Count("pk")))
        for name, label, kind in UNIT_KINDS:
            figures.append(
                Figure(
                    f"{key}.units.{name}",
                    label,
                    by_kind.get(kind, 0),
                    "个",
                    "core.Organisation",
                    records=units.filter(kind=kind),
                    definition="主办或会办本方案期末前交办任务的单位",
                )
            )
    return figures

"""Reads of the random-inspection area, always through the user's scope."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter, OverdueItem

from .models import InspectionRecord, Plan, Publication

# The dashboard lists a user's earliest items; the full list is the publication screen.
OVERDUE_LIMIT = 50


def pending_publications(user) -> QuerySet[Publication]:
    """What is due to be published (抽查名单、检查结果), earliest deadline first."""
    return (
        Publication.objects.visible_to(user)
        .filter(published_on__isnull=True)
        .order_by("due_on", "pk")
    )


def inspections_for(user, *, year: int | None = None) -> QuerySet[InspectionRecord]:
    queryset = InspectionRecord.objects.visible_to(user).select_related("entity", "division")
    return queryset.filter(date__year=year) if year else queryset


def overdue_items(user) -> list[OverdueItem]:
    from ecogov.core.dashboard import OverdueList

    pending = pending_publications(user)
    rows = list(pending[:OVERDUE_LIMIT])
    return OverdueList(
        [
            OverdueItem(
                area="inspections",
                label=_("%s 待公开") % p.title,
                due=p.due_on,
                url=reverse("admin:inspections_publication_change", args=[p.pk]),
                provisional=p.due_provisional,
            )
            for p in rows
        ],
        total=pending.count() if len(rows) == OVERDUE_LIMIT else len(rows),
        url=reverse("admin:inspections_publication_changelist") + "?published_on__isnull=True",
    )


def counters(user, year: int) -> list[Counter]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    publications = reverse("admin:inspections_publication_changelist")
    plans = reverse("admin:inspections_plan_changelist")
    records = reverse("admin:inspections_inspectionrecord_changelist")
    return [  # the lists' date hierarchies take the year
        Counter(
            _("%(year)d年抽查计划") % {"year": year},
            Plan.objects.visible_to(user).filter(period_start__range=(start, end)).count(),
            plans + f"?period_start__year={year}",
        ),
        Counter(
            _("%(year)d年检查家次") % {"year": year},
            InspectionRecord.objects.visible_to(user).filter(date__range=(start, end)).count(),
            records + f"?date__year={year}",
        ),
        Counter(
            _("待公开"),
            pending_publications(user).count(),
            publications + "?published_on__isnull=True",
        ),
    ]


def latest_year(user, until: int) -> int | None:
    end = dt.date(until, 12, 31)
    found = [
        Plan.objects.visible_to(user)
        .filter(period_start__lte=end)
        .aggregate(m=Max("period_start"))["m"],
        InspectionRecord.objects.visible_to(user)
        .filter(date__lte=end)
        .aggregate(m=Max("date"))["m"],
    ]
    return max((d.year for d in found if d is not None), default=None)

"""Reads of the random-inspection area, always through the user's scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter, OverdueItem

from .models import InspectionRecord, Plan, Publication

# The dashboard lists a user's earliest items; the full list is the publication screen.
OVERDUE_LIMIT = 50


def pending_publications(user) -> QuerySet[Publication]:
    """What is due to be published (抽查名单、检查结果), earliest deadline first."""
    return (Publication.objects.visible_to(user).filter(published_on__isnull=True)
            .order_by("due_on", "pk"))


def inspections_for(user, *, year: int | None = None) -> QuerySet[InspectionRecord]:
    queryset = InspectionRecord.objects.visible_to(user).select_related("entity", "division")
    return queryset.filter(date__year=year) if year else queryset


def overdue_items(user) -> list[OverdueItem]:
    return [
        OverdueItem(area="inspections", label=_("%s 待公开") % p.title, due=p.due_on,
                    url=reverse("admin:inspections_publication_change", args=[p.pk]),
                    provisional=p.due_provisional)
        for p in pending_publications(user)[:OVERDUE_LIMIT]
    ]


def counters(user) -> list[Counter]:
    year = timezone.localdate().year
    publications = reverse("admin:inspections_publication_changelist")
    return [
        Counter(_("本年抽查计划"), Plan.objects.visible_to(user).filter(period_start__year=year).count(),
                reverse("admin:inspections_plan_changelist")),
        Counter(_("本年检查家次"), inspections_for(user, year=year).count(),
                reverse("admin:inspections_inspectionrecord_changelist")),
        Counter(_("待公开"), pending_publications(user).count(),
                publications + "?published_on__isnull=True"),
    ]

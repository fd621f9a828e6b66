"""Assessment (考核): each responsible unit's score on a campaign under its scoring rules.

Computed from the records on the day asked (`as_of`): a task done by its date is on time, after
it late; an open task past its date is overdue; a progress report a call expected and never
got is missed. Every unit given a task (lead or co-handling) is assessed on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from ecogov.core.models import Organisation
from ecogov.matters import queries
from ecogov.matters.models import AssessmentScheme, Matter, MatterUnit


@dataclass(frozen=True)
class UnitScore:
    organisation: Organisation
    tasks: int
    on_time: int
    late: int
    overdue: int  # open and past its date
    pending: int  # open, not yet due
    missed_reports: int
    score: Decimal


def unit_scores(user, source, *, as_of: dt.date | None = None) -> list[UnitScore]:
    """The score table, best first; only matters the user may see are counted."""
    as_of = as_of or timezone.localdate()
    scheme = AssessmentScheme.objects.filter(source=source).first() or AssessmentScheme(
        source=source
    )
    tasks = Matter.objects.visible_to(user).filter(source=source)
    done = Q(matter__done_on__lte=as_of)
    rows = (
        MatterUnit.objects.filter(matter__in=tasks, is_active=True)
        .values("organisation_id")
        .annotate(
            tasks=Count("matter", distinct=True),
            on_time=Count("matter", filter=done & Q(matter__done_late=False), distinct=True),
            late=Count("matter", filter=done & Q(matter__done_late=True), distinct=True),
            overdue=Count("matter", filter=~done & Q(matter__due_on__lt=as_of), distinct=True),
        )
    )
    missed = queries.missed_reports_by_unit(source)
    organisations = Organisation.objects.in_bulk([r["organisation_id"] for r in rows])
    scores = []
    for row in rows:
        misses = missed.get(row["organisation_id"], 0)
        raw = (
            scheme.base
            + scheme.on_time_points * row["on_time"]
            - scheme.late_points * row["late"]
            - scheme.overdue_penalty * row["overdue"]
            - scheme.missed_report_penalty * misses
        )
        pending = row["tasks"] - row["on_time"] - row["late"] - row["overdue"]
        scores.append(
            UnitScore(
                organisations[row["organisation_id"]],
                row["tasks"],
                row["on_time"],
                row["late"],
                row["overdue"],
                pending,
                misses,
                max(raw, scheme.floor),
            )
        )
    return sorted(scores, key=lambda s: (-s.score, s.organisation.name))

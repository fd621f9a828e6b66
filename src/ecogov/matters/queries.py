"""Reads of assigned matters, always through the user's scope (except the daily reminder run)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter, OverdueItem
from ecogov.core.calendar import current_calendar
from ecogov.core.fields import personal_search
from ecogov.core.models import Organisation
from ecogov.core.scoping import scope_for
from ecogov.core.workdays import DayType
from ecogov.matters.models import Matter, MatterUnit, ProgressCall, ProgressCallItem
from ecogov.matters.workflow import Kind

ADMIN_URL = {
    Kind.RECTIFICATION: "admin:matters_rectification_change",
    Kind.PETITION: "admin:matters_petition_change",
    Kind.PROPOSAL: "admin:matters_proposal_change",
    Kind.TASK: "admin:matters_campaigntask_change",
}


def matters_for(user, *, kind: str | None = None, search: str = "") -> QuerySet[Matter]:
    queryset = Matter.objects.visible_to(user).select_related("division", "source")
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(
            Q(reference__iexact=search.strip())
            | Q(title__icontains=search)
            | personal_search(Matter, user, search)  # a petitioner, by the blind indexes
        )
    return queryset


def pending(queryset: QuerySet[Matter]) -> QuerySet[Matter]:
    """Open matters whose work is not done yet (a rectified item awaiting write-off is not)."""
    return queryset.filter(is_open=True, done_on__isnull=True)


def overdue(queryset: QuerySet[Matter], today: dt.date | None = None) -> QuerySet[Matter]:
    return pending(queryset).filter(due_on__lt=today or timezone.localdate())


def unit_overdue(user, organisation, *, today: dt.date | None = None) -> QuerySet[Matter]:
    """A unit's overdue matters, as the user may see them.

    The unit's overdue rows are one range of the (organisation, matter_due_on) partial index;
    the copies of the matters' state on the units are kept in step by the services. The ids
    are passed as a list so that PostgreSQL knows how many there are and evaluates the scope
    once (with a nested estimate of "1 row" it re-reads the unit's assignments per matter).
    """
    ids = MatterUnit.objects.filter(
        organisation=organisation,
        is_active=True,
        pending=True,
        matter_due_on__lt=today or timezone.localdate(),
    ).values_list("matter_id", flat=True)
    ids = list(ids[:20_001])
    if len(ids) > 20_000:  # beyond what a parameter list should carry: let the database join
        ids = MatterUnit.objects.filter(
            organisation=organisation,
            is_active=True,
            pending=True,
            matter_due_on__lt=today or timezone.localdate(),
        ).values("matter_id")
    return (
        Matter.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("division", "source")
        .order_by("due_on", "pk")
    )


def due_soon_horizon(today: dt.date, workdays: int) -> dt.date:
    return current_calendar().deadline(today, workdays, DayType.WORKING, allow_provisional=True).due


def overdue_items(user, *, limit: int = 100) -> list[OverdueItem]:
    """The dashboard's list: the user's overdue and due-within-5-working-days matters."""
    scope = scope_for(user)
    if not scope.sees_ledgers:
        return []
    today = timezone.localdate()
    horizon = due_soon_horizon(today, 5)
    from ecogov.core.dashboard import OverdueList

    due = pending(Matter.objects.visible_to(user)).filter(due_on__lte=horizon)
    rows = list(
        due.order_by("due_on", "pk").only(
            "pk", "kind", "reference", "title", "due_on", "due_provisional"
        )[:limit]
    )
    return OverdueList(
        [
            OverdueItem(
                area="matters",
                label=f"{m.reference} {m.title}"[:80],
                due=m.due_on,
                url=reverse(ADMIN_URL[m.kind], args=[m.pk]),
                provisional=m.due_provisional,
            )
            for m in rows
        ],
        total=due.count() if len(rows) == limit else len(rows),
        url=reverse("admin:matters-overdue"),
    )


def counters(user, year: int) -> list[Counter]:
    visible = Matter.objects.visible_to(user)
    today = timezone.localdate()
    year_range = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    # two counts, each read from its own index (matters_open_kind, matters_received): at 10^6
    # matters one pass over "open or received in the year" was a scan of the whole table
    counts = visible.filter(is_open=True).aggregate(
        **{f"open_{kind}": Count("pk", filter=Q(kind=kind)) for kind in Kind.values},
        overdue=Count("pk", filter=Q(done_on__isnull=True, due_on__lt=today)),
    )
    counts["received"] = visible.filter(received_on__range=year_range).count()
    items = [
        Counter(
            _("%s(未办结)") % Kind(kind).label,
            counts[f"open_{kind}"],
            reverse(ADMIN_URL[kind].replace("_change", "_changelist")) + "?is_open__exact=1",
        )
        for kind in Kind.values
    ]
    items.append(Counter(_("逾期交办事项"), counts["overdue"], reverse("admin:matters-overdue")))
    items.append(Counter(_("%(year)d年交办事项") % {"year": year}, counts["received"]))
    return items


def latest_year(user, until: int) -> int | None:
    last = (
        Matter.objects.visible_to(user)
        .filter(received_on__lte=dt.date(until, 12, 31))
        .aggregate(m=Max("received_on"))["m"]
    )
    return last.year if last else None


# --- the daily reminder run: every unit, no user scope (a system task) ------------------------
@dataclass
class UnitDue:
    organisation: Organisation
    overdue: list[Matter] = field(default_factory=list)
    due_soon: list[Matter] = field(default_factory=list)


def due_by_unit(today: dt.date, horizon: dt.date) -> list[UnitDue]:
    units = (
        MatterUnit.objects.filter(is_active=True, pending=True, matter_due_on__lte=horizon)
        .select_related("organisation", "matter")
        .order_by("organisation__name", "matter__due_on")
    )
    grouped: dict[int, UnitDue] = {}
    for unit in units:
        entry = grouped.setdefault(unit.organisation_id, UnitDue(unit.organisation))
        (entry.overdue if unit.matter.due_on < today else entry.due_soon).append(unit.matter)
    return list(grouped.values())


# --- progress calls ------------------------------------------------------------------------
def calls_for(user) -> QuerySet[ProgressCall]:
    """Calls the user opened or may see (his territory), or that ask his unit for reports."""
    scope = scope_for(user)
    if scope.everything:
        return ProgressCall.objects.all()
    condition = Q(opened_by=user)
    if scope.division_path:
        condition |= Q(division__path__startswith=scope.division_path)
    if scope.organisation_id:
        condition |= Q(
            pk__in=ProgressCallItem.objects.filter(organisation_id=scope.organisation_id).values(
                "call_id"
            )
        )
    if not scope.sees_ledgers:
        return ProgressCall.objects.none()
    return ProgressCall.objects.filter(condition)


@dataclass
class UnitFiling:
    organisation: Organisation
    expected: int
    filed: int
    missing: list[str]  # references of the matters not yet reported

    @property
    def complete(self) -> bool:
        return self.filed == self.expected


def call_status(call: ProgressCall) -> list[UnitFiling]:
    """Per responsible unit: how many reports the call expects, how many came, which are missing.
    Units that have filed nothing come first."""
    expected: dict[int, int] = defaultdict(int)
    filed: dict[int, int] = defaultdict(int)
    missing: dict[int, list[str]] = defaultdict(list)
    rows = ProgressCallItem.objects.filter(call=call).values_list(
        "organisation_id", "report_id", "matter__reference"
    )
    for organisation_id, report_id, reference in rows:
        expected[organisation_id] += 1
        if report_id:
            filed[organisation_id] += 1
        else:
            missing[organisation_id].append(reference)
    organisations = Organisation.objects.in_bulk(list(expected))
    result = [
        UnitFiling(organisations[o], expected[o], filed[o], sorted(missing[o])) for o in expected
    ]
    return sorted(result, key=lambda u: (u.filed > 0, u.complete, u.organisation.name))


def missed_reports_by_unit(source) -> dict[int, int]:
    """Reports a unit owed in the source's closed or past-due calls and never filed."""
    today = timezone.localdate()
    items = ProgressCallItem.objects.filter(call__source=source, report__isnull=True).filter(
        Q(call__closed_at__isnull=False) | Q(call__due_on__lt=today)
    )
    return dict(items.values_list("organisation_id").annotate(n=Count("pk")))

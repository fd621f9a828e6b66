"""Reads of the EIA app, always through the user's scope: lists, due and overdue steps, counters."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter, OverdueItem
from ecogov.core.calendar import current_calendar
from ecogov.core.queries import contains_any, public_filter

from .deadlines import DueStep, due_steps
from .models import (
    OPEN_STATES,
    ControlUnit,
    Decision,
    EiaEvent,
    EiaProject,
    ProjectState,
    ScreeningReview,
    ZoningScreening,
)
from .policy import policy


def projects_for(user, *, search: str = "") -> QuerySet[EiaProject]:
    queryset = EiaProject.objects.visible_to(user).select_related("division", "builder")
    if search:
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(reference__iexact=search.strip())
            | Q(builder__name__icontains=search)
        )
    return queryset


def units_for(user) -> QuerySet[ControlUnit]:
    return ControlUnit.objects.visible_to(user).filter(is_active=True).select_related("division")


def _with_due_steps(user) -> QuerySet[EiaProject]:
    """Open applications, and decisions made in EcoGov that are not published yet.

    Decisions recorded from an old ledger (imported) are not chased for publication.
    """
    decided_here = EiaEvent.objects.filter(record=OuterRef("pk"), type=EiaEvent.Type.DECIDED)
    return (
        EiaProject.objects.visible_to(user)
        .filter(
            Q(state__in=OPEN_STATES)
            | Q(
                state__in=[ProjectState.APPROVED, ProjectState.REFUSED],
                decision_published_on__isnull=True,
            )
            & Exists(decided_here)
        )
        .select_related("division")
        .prefetch_related("pauses")
    )


def due_steps_for(
    user, *, today: dt.date | None = None, within_days: int | None = None
) -> list[tuple[EiaProject, DueStep]]:
    """Every (project, step) due by today + within_days, or overdue; paused clocks are left out."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(
        days=policy("due_soon_days") if within_days is None else within_days
    )
    calendar = current_calendar()
    found = []
    for project in _with_due_steps(user):
        for step in due_steps(project, calendar, allow_provisional=True):
            if step.due is not None and step.due <= horizon:
                found.append((project, step))
    return sorted(found, key=lambda pair: pair[1].due)


def overdue_items(user) -> list[OverdueItem]:
    return [
        OverdueItem(
            area="eia",
            label=_("%(ref)s %(name)s:%(step)s")
            % {"ref": project.reference, "name": project.name, "step": step.label},
            due=step.due,
            url=reverse("admin:eia_eiaproject_change", args=[project.pk]),
            provisional=step.deadline.provisional,
        )
        for project, step in due_steps_for(user)
    ] + _after_approval_items(user)


def _after_approval_items(user) -> list[OverdueItem]:
    """Re-reviews waiting for their answer (10 日, the earlier reading) and suspended regions
    waiting for their site check (a month after expiry), due within the horizon or overdue."""
    from .deadlines import rereview_deadline, suspension_site_check_due
    from .models import EiaReReview, RegionalSuspension, ReReviewOutcome

    today = timezone.localdate()
    horizon = today + dt.timedelta(days=policy("due_soon_days"))
    calendar = current_calendar()
    items = []
    pending = EiaReReview.objects.visible_to(user).filter(outcome=ReReviewOutcome.PENDING)
    for rereview in pending.select_related("project"):
        due = rereview_deadline(rereview, calendar, allow_provisional=True).alert_on
        if due.due <= horizon:
            items.append(
                OverdueItem(
                    area="eia",
                    label=_("%(ref)s %(name)s:答复重新审核")
                    % {"ref": rereview.project.reference, "name": rereview.project.name},
                    due=due.due,
                    url=reverse("admin:eia_eiarereview_change", args=[rereview.pk]),
                    provisional=due.provisional,
                )
            )
    unchecked = RegionalSuspension.objects.visible_to(user).filter(site_checked_on__isnull=True)
    for suspension in unchecked.select_related("division"):
        if suspension.last_day >= today:
            continue  # still in force: the check is due after it ends
        due = suspension_site_check_due(suspension, calendar, allow_provisional=True)
        items.append(
            OverdueItem(
                area="eia",
                label=_("%(division)s区域限批期满现场核查")
                % {"division": suspension.division.name},
                due=due.due,
                url=reverse("admin:eia_regionalsuspension_change", args=[suspension.pk]),
                provisional=due.provisional,
            )
        )
    return items


def pending_reviews_for(user) -> QuerySet[ZoningScreening]:
    return (
        ZoningScreening.objects.visible_to(user)
        .filter(review=ScreeningReview.PENDING)
        .select_related("project")
    )


def counters(user, year: int) -> list[Counter]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts = EiaProject.objects.visible_to(user).aggregate(  # one query for the project tiles
        open=Count("pk", filter=Q(state__in=OPEN_STATES)),
        approved=Count("pk", filter=Q(decision=Decision.APPROVED, decided_on__range=(start, end))),
    )
    url = reverse("admin:eia_eiaproject_changelist")
    return [
        Counter(_("在办环评项目"), counts["open"], url + "?state__in=" + ",".join(OPEN_STATES)),
        Counter(
            _("待复核筛查"),
            pending_reviews_for(user).count(),
            reverse("admin:eia_zoningscreening_changelist") + "?review__exact=pending",
        ),
        Counter(
            _("%(year)d年批准") % {"year": year},
            counts["approved"],
            url + f"?decision__exact=approved&decided_on__year={year}",
        ),
    ]


def latest_year(user, until: int) -> int | None:
    """The latest year up to `until` with a decision (the dashboard's yearly tile)."""
    last = (
        EiaProject.objects.visible_to(user)
        .filter(decided_on__lte=dt.date(until, 12, 31))
        .aggregate(m=Max("decided_on"))["m"]
    )
    return last.year if last else None


# --- the public portal (docs/eia.md, "Notices") --------------------------------------------
# The bureau's notices on a project (受理公示, 拟审批公示, 审批决定公告) are public while they run:
# from `start_on` through `end_on` (acceptance at least 10 WD, the proposed decision at least
# 5 WD: the end the service recorded); a notice with no end stays up (a decision notice). The
# public part: the project, its builder (a unit, by name and credit code), where, the kind of
# document, and for a decision its number and conclusion; never the facts or the reasons kept
# for the review.


def public_notices(
    *,
    kind: str = "",
    division: str = "",
    search: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
):
    """Notices running today, newest first; dates the notice's first day."""
    from .models import EiaNotice

    today = today or timezone.localdate()
    queryset = EiaNotice.objects.filter(start_on__lte=today).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    match = contains_any(
        search,
        "project__name",
        "project__reference",
        "project__decision_number",
        "project__builder__name",
    )
    queryset = public_filter(
        queryset,
        division=division,
        division_field="project__division",
        match=match | Q(project__builder__credit_code__iexact=search) if match else None,
        since=since,
        until=until,
        date_field="start_on",
    )
    return queryset.select_related("project__division", "project__builder").order_by(
        "-start_on", "-pk"
    )


def public_notice_row(notice) -> dict:
    project = notice.project
    decision = notice.kind == "decision"
    return {
        "id": notice.pk,
        "kind": notice.get_kind_display(),
        "title": f"{project.name} {notice.get_kind_display()}",
        "project": project.name,
        "reference": project.reference,
        "builder": project.builder.name,
        "credit_code": project.builder.credit_code,
        "division": project.division.name,
        "division_code": project.division.code,
        "document_type": project.get_document_type_display(),
        "start_on": notice.start_on,
        "end_on": notice.end_on,
        "where": notice.where,
        "decision": project.get_decision_display() if decision else "",
        "decision_number": project.decision_number if decision else "",
        "decided_on": project.decided_on if decision else None,
    }

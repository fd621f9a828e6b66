"""Reads of the emergency app through the user's scope: plan reminders, unreported incidents,
dashboard counters."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter, OverdueItem

from . import rules
from .models import ContingencyPlan, Drill, Incident, IncidentState, PlanState


def plans_in_force(user):
    return ContingencyPlan.objects.visible_to(user).filter(state=PlanState.FILED)


def plans_expiring(user, *, today: dt.date | None = None):
    """Filed plans whose review falls due within the reminder lead time, or is overdue."""
    today = today or timezone.localdate()
    return (
        plans_in_force(user)
        .filter(expires_on__lte=today + dt.timedelta(days=rules.REMINDER_DAYS))
        .select_related("entity")
    )


def unreported_incidents(user):
    return Incident.objects.visible_to(user).filter(
        initial_report_at__isnull=True, state=IncidentState.RESPONDING
    )


def overdue_items(user) -> list[OverdueItem]:
    items = [
        OverdueItem(
            area="emergency",
            label=_("%(e)s环境应急预案回顾性评估到期(备案编号 %(n)s)")
            % {"e": plan.entity.name, "n": plan.filing_number},
            due=plan.expires_on,
            url=reverse("admin:emergency_contingencyplan_change", args=[plan.pk]),
        )
        for plan in plans_expiring(user)
    ]
    items += [
        OverdueItem(
            area="emergency",
            label=_("突发环境事件“%(t)s”初报") % {"t": i.title},
            due=timezone.localtime(i.report_due_at).date(),
            url=reverse("admin:emergency_incident_change", args=[i.pk]),
        )
        for i in unreported_incidents(user)
    ]
    return items


def counters(user, year: int) -> list[Counter]:
    return [
        Counter(
            _("%d年应急演练") % year,
            Drill.objects.visible_to(user).filter(held_on__year=year).count(),
            reverse("admin:emergency_drill_changelist"),
        ),
        Counter(
            _("处置中的突发环境事件"),
            Incident.objects.visible_to(user).filter(state=IncidentState.RESPONDING).count(),
            reverse("admin:emergency_incident_changelist") + "?state__exact=responding",
        ),
        Counter(
            _("备案有效的应急预案"),
            plans_in_force(user).count(),
            reverse("admin:emergency_contingencyplan_changelist") + "?state__exact=filed",
        ),
        Counter(
            _("即将到期的应急预案"),
            plans_expiring(user).count(),
            reverse("admin:emergency_contingencyplan_changelist") + "?state__exact=filed",
        ),
    ]

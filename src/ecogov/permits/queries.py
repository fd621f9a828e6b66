"""Reads of the permits app through the user's scope: reminders (renewals, rectifications,
execution reports), counters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter, OverdueItem
from ecogov.core.calendar import current_calendar
from ecogov.core.queries import contains_any, public_filter

from .models import ExecutionReport, Permit, PermitState, Registration, RegistrationState
from .policy import policy
from .schedule import owed_reports, renewal_application_due, renewal_decision_due


@dataclass(frozen=True)
class Reminder:
    permit: Permit
    kind: str  # renewal_application / renewal_decision / rectification / execution_report
    label: str
    due: dt.date
    provisional: bool = False


def permits_in_force(user, day: dt.date | None = None) -> QuerySet[Permit]:
    day = day or timezone.localdate()
    return Permit.objects.visible_to(user).filter(
        state=PermitState.IN_FORCE, issued_on__lte=day, in_force_until__gte=day
    )


def renewal_reminders(user, *, today: dt.date | None = None) -> list[Reminder]:
    """Permits whose renewal application is due within the reminder lead time, or overdue;
    and renewal applications awaiting the bureau's decision (20 日, the earlier reading)."""
    today = today or timezone.localdate()
    lead = dt.timedelta(days=policy("renewal_lead_days") + policy("renewal_reminder_days"))
    calendar = current_calendar()
    found = []
    for permit in (
        permits_in_force(user, today).filter(valid_until__lte=today + lead).select_related("entity")
    ):
        if permit.renewal_applied_on is None:
            found.append(
                Reminder(
                    permit,
                    "renewal_application",
                    _("许可证 %(n)s(%(e)s)延续申请")
                    % {"n": permit.permit_number, "e": permit.entity.name},
                    renewal_application_due(permit),
                )
            )
        else:
            decision = renewal_decision_due(permit, calendar).alert_on
            found.append(
                Reminder(
                    permit,
                    "renewal_decision",
                    _("许可证 %(n)s(%(e)s)延续审批决定")
                    % {"n": permit.permit_number, "e": permit.entity.name},
                    decision.due,
                    decision.provisional,
                )
            )
    return found


def rectification_reminders(user, *, today: dt.date | None = None) -> list[Reminder]:
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=policy("due_soon_days"))
    return [
        Reminder(
            p,
            "rectification",
            _("许可证 %(n)s(%(e)s)整改期限") % {"n": p.permit_number, "e": p.entity.name},
            p.rectification_deadline,
        )
        for p in permits_in_force(user, today)
        .filter(
            with_rectification=True,
            rectification_closed_on__isnull=True,
            rectification_deadline__lte=horizon,
        )
        .select_related("entity")
    ]


def report_reminders(user, *, today: dt.date | None = None) -> list[Reminder]:
    """Execution reports owed and not submitted, due by today + the due-soon window."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=policy("due_soon_days"))
    # only permits that were in force after their tracking date owe anything here
    owing = Permit.objects.visible_to(user).filter(
        in_force_until__gte=F("reports_tracked_from"), issued_on__lte=today
    )
    permits = list(owing.select_related("entity"))
    submitted = set(
        ExecutionReport.objects.filter(permit__in=owing.values("pk")).values_list(
            "permit_id", "year", "period"
        )
    )
    calendar = current_calendar()
    found = []
    for permit in permits:
        for owed in owed_reports(permit, calendar, due_by=horizon):
            if (permit.pk, owed.year, owed.period) not in submitted:
                found.append(
                    Reminder(
                        permit,
                        "execution_report",
                        _("许可证 %(n)s(%(e)s)%(period)s执行报告")
                        % {
                            "n": permit.permit_number,
                            "e": permit.entity.name,
                            "period": owed.label,
                        },
                        owed.due,
                        owed.deadline.provisional,
                    )
                )
    return found


def overdue_reports(user, *, today: dt.date | None = None) -> list[Reminder]:
    today = today or timezone.localdate()
    return [r for r in report_reminders(user, today=today) if r.due < today]


def overdue_items(user) -> list[OverdueItem]:
    reminders = renewal_reminders(user) + rectification_reminders(user) + report_reminders(user)
    return [
        OverdueItem(
            area="permits",
            label=r.label,
            due=r.due,
            provisional=r.provisional,
            url=reverse("admin:permits_permit_change", args=[r.permit.pk]),
        )
        for r in reminders
    ]


def counters(user, year: int) -> list[Counter]:
    today = timezone.localdate()
    in_force = Q(state=PermitState.IN_FORCE, issued_on__lte=today, in_force_until__gte=today)
    counts = Permit.objects.visible_to(user).aggregate(  # one query for the permit tiles
        in_force=Count("pk", filter=in_force),
        rectifying=Count(
            "pk", filter=in_force & Q(with_rectification=True, rectification_closed_on__isnull=True)
        ),
        issued=Count("pk", filter=Q(issued_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)))),
    )
    url = reverse("admin:permits_permit_changelist")
    return [
        Counter(_("有效排污许可证"), counts["in_force"], url + "?state__exact=in_force"),
        Counter(
            _("整改未完成"),
            counts["rectifying"],
            url + "?with_rectification__exact=1&rectification_closed_on__isnull=True",
        ),
        Counter(
            _("%(year)d年核发许可证") % {"year": year},
            counts["issued"],
            url + f"?issued_on__year={year}",
        ),
        Counter(
            _("有效排污登记"),
            Registration.objects.visible_to(user).filter(state=RegistrationState.FILED).count(),
            reverse("admin:permits_registration_changelist"),
        ),
    ]


def latest_year(user, until: int) -> int | None:
    last = (
        Permit.objects.visible_to(user)
        .filter(issued_on__lte=dt.date(until, 12, 31))
        .aggregate(m=Max("issued_on"))["m"]
    )
    return last.year if last else None


# --- the public portal (docs/portal.md, "What each list shows") ----------------------------
# Permits and registrations in force today, their public part: number, unit (name and credit
# code), site, management class, industry, dates, and for a permit the permitted pollutants with
# their limits (排污许可管理条例 art. 23: the permit's main content is public). Never the legal
# representative, contacts, rectification notes or reasons.


def public_permits(
    *,
    division: str = "",
    search: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
) -> QuerySet[Permit]:
    """Permits in force today, newest first; dates the issue date."""
    today = today or timezone.localdate()
    queryset = Permit.objects.filter(
        state=PermitState.IN_FORCE, issued_on__lte=today, in_force_until__gte=today
    )
    queryset = public_filter(
        queryset,
        division=division,
        match=contains_any(search, "permit_number", "entity__name", "entity__credit_code", "site"),
        since=since,
        until=until,
        date_field="issued_on",
    )
    return queryset.select_related("entity", "division").order_by("-issued_on", "-pk")


def public_permit_row(permit: Permit) -> dict:
    pollutants = "；".join(
        " ".join(
            str(x)
            for x in (
                p.get("pollutant", ""),
                p.get("outlet", ""),
                p.get("limit", "") and f"{p.get('limit')}{p.get('unit', '')}",
                p.get("annual_tonnes", "") and f"{p.get('annual_tonnes')}吨/年",
            )
            if x
        )
        for p in permit.pollutants or []
        if isinstance(p, dict)
    )
    return {
        "id": permit.pk,
        "title": f"{permit.entity.name} {permit.permit_number}",
        "number": permit.permit_number,
        "entity": permit.entity.name,
        "credit_code": permit.entity.credit_code,
        "division": permit.division.name,
        "division_code": permit.division.code,
        "site": permit.site,
        "management_class": permit.get_management_class_display(),
        "industry_code": permit.industry_code,
        "issued_on": permit.issued_on,
        "valid_until": permit.valid_until,
        "pollutants": pollutants,
    }


def public_registrations(
    *,
    division: str = "",
    search: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
) -> QuerySet[Registration]:
    """Registrations in force today (filed, not past their validity), newest first."""
    today = today or timezone.localdate()
    queryset = Registration.objects.filter(
        state=RegistrationState.FILED, filed_on__lte=today, valid_until__gte=today
    )
    queryset = public_filter(
        queryset,
        division=division,
        match=contains_any(search, "registration_number", "unit_name", "credit_code", "address"),
        since=since,
        until=until,
        date_field="filed_on",
    )
    return queryset.select_related("division").order_by("-filed_on", "-pk")


def public_registration_row(registration: Registration) -> dict:
    return {
        "id": registration.pk,
        "title": f"{registration.unit_name} {registration.registration_number}",
        "number": registration.registration_number,
        "entity": registration.unit_name,
        "credit_code": registration.credit_code,
        "division": registration.division.name,
        "division_code": registration.division.code,
        "site": registration.address,
        "industry_code": registration.industry_code,
        "filed_on": registration.filed_on,
        "valid_until": registration.valid_until,
    }

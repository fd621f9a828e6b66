"""Permit statistics for a year and the user's scope (FIGURES.md permits.*), each with its filter.

"571 of which 133; 727 in force of which 133; 3116 registrations": counted from the ledger's
legal dates — `issued_on` (issued in the year), `issued_on ≤ 31 Dec ≤ in_force_until` (in
force at year end; `in_force_until` is the validity end, or the day before a revocation or
cancellation, kept by the services) and `filed_on` (registrations filed in the year). One
or two index-served queries per table answer all of them (docs/permits.md: figures over a
million permits and a million registrations within the 1 s target).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ecogov.core.figures import Figure

from .models import ManagementClass, Permit, Registration

PERMIT = "permits.Permit"
REGISTRATION = "permits.Registration"


def permit_figures(user, year: int) -> list[Figure]:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    issued = {"issued_on__gte": start, "issued_on__lte": end}
    in_force = {"issued_on__lte": end, "in_force_until__gte": end}
    rect = {"with_rectification": True}
    permits = Permit.objects.visible_to(user)
    # Two queries, each served by the index permits_year_figures: the year's issues (a narrow
    # range of issued_on; reads rows for the class), and the permits in force at year end
    # (every column it reads is in the index: an index-only scan).
    counts = permits.filter(**issued).aggregate(
        issued=Count("pk"), issued_rect=Count("pk", filter=Q(with_rectification=True)),
        issued_key=Count("pk", filter=Q(management_class=ManagementClass.KEY)))
    counts.update(permits.filter(**in_force).aggregate(
        in_force=Count("pk"), in_force_rect=Count("pk", filter=Q(with_rectification=True))))
    filed = {"filed_on__gte": start, "filed_on__lte": end}
    registrations = Registration.objects.visible_to(user).filter(**filed).count()
    return [
        Figure("permits.issued", _("%(y)d年核发排污许可证") % {"y": year}, counts["issued"], "家",
               PERMIT, issued),
        Figure("permits.issued.with_rectification", _("其中附整改通知书"), counts["issued_rect"],
               "家", PERMIT, {**issued, **rect}),
        Figure("permits.issued.key", _("其中重点管理"), counts["issued_key"], "家", PERMIT,
               {**issued, "management_class": ManagementClass.KEY}),
        Figure("permits.cumulative", _("%(y)d年末有效排污许可证") % {"y": year}, counts["in_force"],
               "家", PERMIT, in_force),
        Figure("permits.cumulative.with_rectification", _("其中附整改通知书"),
               counts["in_force_rect"], "家", PERMIT, {**in_force, **rect}),
        Figure("permits.registrations", _("%(y)d年完成排污登记") % {"y": year}, registrations, "家",
               REGISTRATION, filed),
    ]

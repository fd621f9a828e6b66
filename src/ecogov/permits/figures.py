"""Permit statistics for a period and the user's scope (docs/figures.md §2 permits.*), with their records.

Counted from the ledger's legal dates: `issued_on` (issued in the period; issued up to its end:
累计发证), `issued_on ≤ end ≤ in_force_until` (in force at the period's end; `in_force_until` is
the validity end, or the day before a revocation or cancellation, kept by the services) and
`filed_on` (registrations filed in the period). Every condition is a date up to the period's
end, so a permit revoked or cancelled after it does not change the period's figures. Each
figure carries `records`, exactly the permits or registrations it counts. One index-served
aggregate over permits and one count of registrations answer all of them (docs/permits.md:
figures over a million permits and a million registrations within the 1 s target).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ecogov.core.figures import Figure, Period, count_figure

from .models import ManagementClass, Permit, Registration

PERMIT = "permits.Permit"
REGISTRATION = "permits.Registration"
RECTIFICATION = Q(with_rectification=True)


def _end_label(period: Period) -> str:
    if period.is_calendar_year:
        return _("%(y)d年末") % {"y": period.year}
    return _("截至%(m)d月%(d)d日") % {"m": period.end.month, "d": period.end.day}


def permit_figures(user, period: Period | int) -> list[Figure]:
    if isinstance(period, int):
        period = Period.of_year(period)
    start, end = period.start, period.end
    permits = Permit.objects.visible_to(user)
    issued = permits.filter(issued_on__gte=start, issued_on__lte=end)
    issued_by_end = permits.filter(issued_on__lte=end)
    in_force = issued_by_end.filter(in_force_until__gte=end)
    # One aggregate over the permits issued up to the end, an index-only scan of
    # permits_year_figures (every column it reads is in the index): the period's issues, the
    # cumulative count and the permits in force at the end are filtered counts of it.
    in_period, valid = Q(issued_on__gte=start), Q(in_force_until__gte=end)
    counts = issued_by_end.aggregate(
        cumulative=Count("pk"),
        cumulative_rect=Count("pk", filter=RECTIFICATION),
        issued=Count("pk", filter=in_period),
        issued_rect=Count("pk", filter=in_period & RECTIFICATION),
        issued_key=Count("pk", filter=in_period & Q(management_class=ManagementClass.KEY)),
        in_force=Count("pk", filter=valid),
        in_force_rect=Count("pk", filter=valid & RECTIFICATION),
    )
    registrations = Registration.objects.visible_to(user).filter(
        filed_on__gte=start, filed_on__lte=end
    )
    at_end = _end_label(period)

    def count(key, label, value, records, definition, model=PERMIT):
        return count_figure(key, label, records, "家", model, definition=definition, value=value)

    return [
        count(
            "permits.issued",
            _("%(p)s核发排污许可证") % {"p": period.label},
            counts["issued"],
            issued,
            "发证日期在期间内的排污许可证(首次核发;延续不另计)",
        ),
        count(
            "permits.issued.with_rectification",
            _("其中附整改通知书"),
            counts["issued_rect"],
            issued.filter(RECTIFICATION),
            "其中核发时附整改通知书的",
        ),
        count(
            "permits.issued.key",
            _("其中重点管理"),
            counts["issued_key"],
            issued.filter(management_class=ManagementClass.KEY),
            "其中实行重点管理的",
        ),
        count(
            "permits.issued_cumulative",
            _("累计核发排污许可证"),
            counts["cumulative"],
            issued_by_end,
            "发证日期不晚于期末的全部排污许可证(含此后已到期、撤销或注销的)",
        ),
        count(
            "permits.issued_cumulative.with_rectification",
            _("其中附整改通知书"),
            counts["cumulative_rect"],
            issued_by_end.filter(RECTIFICATION),
            "其中核发时附整改通知书的",
        ),
        count(
            "permits.in_force",
            _("%(e)s有效排污许可证") % {"e": at_end},
            counts["in_force"],
            in_force,
            "期末当日有效的排污许可证:发证日期不晚于期末,且有效期(撤销、注销的至其前一日)"
            "不早于期末结束",
        ),
        count(
            "permits.in_force.with_rectification",
            _("其中附整改通知书"),
            counts["in_force_rect"],
            in_force.filter(RECTIFICATION),
            "其中核发时附整改通知书的",
        ),
        count(
            "permits.registrations",
            _("%(p)s完成排污登记") % {"p": period.label},
            registrations.count(),
            registrations,
            "登记日期在期间内的排污登记",
            model=REGISTRATION,
        ),
    ]

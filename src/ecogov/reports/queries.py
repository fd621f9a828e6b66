"""Reads of the reports area: the year's reports on the dashboard, and the annual report's two
deadlines in the legal section's overdue list."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ecogov.core.areas import Counter, OverdueItem
from ecogov.core.queries import contains_any, public_filter
from ecogov.core.roles import Role, has_role

from .models import Outline, OutlineKind, PublishedReport


def report_deadlines(report_year: int) -> tuple[dt.date, dt.date]:
    """The annual report on `report_year`: to the government by 1 March, public by 1 April of
    the following year (calendar days; docs/reports.md)."""
    return dt.date(report_year + 1, 3, 1), dt.date(report_year + 1, 4, 1)


def overdue_items(user, today: dt.date | None = None) -> list[OverdueItem]:
    if not (user.is_superuser or has_role(user, Role.LEGAL_REVIEWER, Role.LEADER)):
        return []
    today = today or timezone.localdate()
    year = today.year - 1
    submit_by, disclose_by = report_deadlines(year)
    reports = PublishedReport.objects.filter(kind=OutlineKind.ANNUAL_REPORT, year=year)
    outline = (
        Outline.objects.filter(kind=OutlineKind.ANNUAL_REPORT).order_by("-is_builtin", "pk").first()
    )
    url = (
        reverse("admin:reports-report")
        + "?"
        + urlencode({"year": year, **({"outline": outline.pk} if outline else {})})
    )
    items = []
    if not reports.filter(submitted_on__isnull=False).exists():
        items.append(
            OverdueItem(
                "reports",
                _("%(y)d年度法治政府建设年度报告:报送本级政府") % {"y": year},
                submit_by,
                url,
            )
        )
    if not reports.filter(disclosed_on__isnull=False).exists():
        items.append(
            OverdueItem(
                "reports",
                _("%(y)d年度法治政府建设年度报告:向社会公开") % {"y": year},
                disclose_by,
                url,
            )
        )
    return items


def counters(user, year: int) -> list[Counter]:
    """The chosen year's published reports and where the annual report stands."""
    if not user.has_perm("reports.view_publishedreport"):
        return []
    annual = Q(kind=OutlineKind.ANNUAL_REPORT)
    counts = PublishedReport.objects.filter(year=year).aggregate(  # one query for the tile
        published=Count("pk"),
        submitted=Count("pk", filter=annual & Q(submitted_on__isnull=False)),
        disclosed=Count("pk", filter=annual & Q(disclosed_on__isnull=False)),
    )
    listing = reverse("admin:reports_publishedreport_changelist")
    annual_list = f"{listing}?year__exact={year}&kind__exact={OutlineKind.ANNUAL_REPORT}"
    return [
        Counter(
            _("%(y)d年已发布的报告") % {"y": year},
            counts["published"],
            f"{listing}?year__exact={year}",
        ),
        Counter(
            _("%(y)d年度法治政府建设年度报告已报送") % {"y": year}, counts["submitted"], annual_list
        ),
        Counter(
            _("%(y)d年度法治政府建设年度报告已公开") % {"y": year}, counts["disclosed"], annual_list
        ),
    ]


# --- the public portal (docs/reports.md, "Publication and reproducibility") ---------------
# The annual 法治政府建设年度报告 once the bureau has marked a published version disclosed
# (向社会公开, by 1 April of the following year): its frozen text, as .docx and as a page.
# Summaries (工作总结) and versions not disclosed stay in the back office.


def public_reports(
    *,
    division: str = "",
    search: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    today: dt.date | None = None,
):
    """Disclosed annual reports, newest disclosure first; dates the disclosure date."""
    today = today or timezone.localdate()
    queryset = PublishedReport.objects.filter(
        kind=OutlineKind.ANNUAL_REPORT, disclosed_on__isnull=False, disclosed_on__lte=today
    ).defer("docx", "content", "figures")
    if division:
        queryset = queryset.filter(
            Q(division__isnull=True) | Q(division__path__startswith=division)
        )
    queryset = public_filter(
        queryset,
        match=contains_any(search, "title"),
        since=since,
        until=until,
        date_field="disclosed_on",
    )
    return queryset.select_related("division").order_by("-disclosed_on", "-year", "-version")


def public_report_row(report) -> dict:
    return {
        "id": report.pk,
        "title": report.title.replace("\n", ""),
        "year": report.year,
        "version": report.version,
        "division": report.division.name if report.division_id else "",
        "division_code": report.division.code if report.division_id else "",
        "dated": report.dated,
        "disclosed_on": report.disclosed_on,
        "docx_sha256": report.docx_sha256,
    }


def public_report_file(pk: int, *, today: dt.date | None = None) -> tuple[dict, bytes, str] | None:
    """A disclosed report's row, its stored .docx and the page's HTML body; None otherwise."""
    from .outputs import filename, published_document
    from .render.html import render_html

    report = public_reports(today=today).defer(None).filter(pk=pk).first()
    if report is None:
        return None
    document = published_document(report)
    row = public_report_row(report)
    row["filename"] = filename(document, "docx", report.version)
    return row, bytes(report.docx), render_html(document)

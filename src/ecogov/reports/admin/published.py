"""Published reports: frozen, hashed, reproducible; what has changed since; submitted, disclosed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from ecogov.core.admin.base import ModelAdmin

from .. import freeze, outputs, services
from ..models import PublishedReport
from . import pages


class MarkForm(forms.Form):
    what = forms.ChoiceField(
        label=_("事项"),
        choices=[("submitted", _("已报送本级政府")), ("disclosed", _("已向社会公开"))],
    )
    on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(PublishedReport)
class PublishedReportAdmin(ModelAdmin):
    list_display = [
        "title",
        "version",
        "year",
        "until",
        "division",
        "published_at",
        "published_by",
        "submitted_on",
        "disclosed_on",
    ]
    list_filter = ["kind", "year"]
    search_fields = ["title"]
    list_select_related = ["division", "published_by"]

    def has_add_permission(self, request):
        return False  # published from the report page

    def has_change_permission(self, request, obj=None):
        return False  # frozen

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/download/<str:fmt>/",
                view(self.download_view),
                name="reports_publishedreport_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk, fmt):
        report = self._get(request, pk)
        document = outputs.published_document(report)
        if fmt == "docx":
            body = bytes(report.docx)  # the published bytes themselves
        elif fmt in outputs.FORMATS:
            body = outputs.render(document, fmt)
        else:
            raise Http404
        return pages.download(document, fmt, body, actor=request.user, version=report.version)

    def _get(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = (
            PublishedReport.objects.filter(pk=pk)
            .select_related("outline", "published_by", "division")
            .first()
        )
        if report is None:
            raise Http404
        return report

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self._get(request, object_id)
        if request.method == "POST" and not services.can_write(request.user):
            raise PermissionDenied  # read-only roles are offered no form
        form = MarkForm(request.POST or None)
        errors = []
        if request.method == "POST":
            if form.is_valid():
                mark = (
                    services.report_mark_submitted
                    if form.cleaned_data["what"] == "submitted"
                    else services.report_mark_disclosed
                )
                try:
                    mark(actor=request.user, report=report, day=form.cleaned_data["on"])
                except (PermissionDenied, ValidationError) as exc:
                    errors = getattr(exc, "messages", None) or [str(exc)]
                else:
                    messages.success(request, _("已登记。"))
                    return HttpResponseRedirect(request.path)
        document = outputs.published_document(report)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": str(report),
            "report": report,
            "document": document,
            "links": {},
            "verified": outputs.verify(report),
            "changes": freeze.changes_since(report),
            "form": form,
            "errors": errors,
            "can_write": services.can_write(request.user),
            "today": dt.date.today(),
            "report_url": reverse("admin:reports-report")
            + "?"
            + "&".join(
                f"{k}={v}"
                for k, v in {
                    "outline": report.outline_id,
                    "year": report.year,
                    **({"until": report.until.isoformat()} if report.until else {}),
                    **({"division": report.division.code} if report.division else {}),
                }.items()
            ),
        }
        return TemplateResponse(request, "reports/published.html", context)

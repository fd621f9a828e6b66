"""Progress calls: open one (a service fixes who must report), see who has not filed, export."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action, display

from ecogov.core.admin.base import ModelAdmin, ReadOnlyAdmin, ReadOnlyInline
from ecogov.core.downloads import TO_THE_DAY, xlsx_response
from ecogov.matters import ledger, queries, services
from ecogov.matters.models import ProgressCall, ProgressReport, ReminderLog


class CallReportInline(ReadOnlyInline):
    model = ProgressReport
    fields = ["reported_at", "organisation", "matter", "percent", "text", "reported_by"]
    readonly_fields = fields
    verbose_name_plural = _("已收到的报送")


class CallForm(forms.ModelForm):
    class Meta:
        model = ProgressCall
        fields = ["title", "kind", "source", "division", "due_on", "note"]


@admin.register(ProgressCall)
class ProgressCallAdmin(ModelAdmin):
    form = CallForm
    list_display = [
        "title",
        "kind",
        "source",
        "due_on",
        "opened_by",
        "opened_at",
        "filing",
        "closed_at",
    ]
    list_filter = ["kind", "source"]
    inlines = [CallReportInline]
    actions_detail = ["export_summary", "close_call"]

    def get_queryset(self, request):
        # the list's "报送" column counted with the rows: units asked, units with a report missing
        return (
            queries.calls_for(request.user)
            .select_related("source", "opened_by")
            .annotate(
                units_asked=Count("items__organisation", distinct=True),
                units_missing=Count(
                    "items__organisation", distinct=True, filter=Q(items__report__isnull=True)
                ),
            )
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return CallForm.Meta.fields
        return [*CallForm.Meta.fields, "filing_status"]

    def get_readonly_fields(self, request, obj=None):
        return [*CallForm.Meta.fields, "filing_status"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False

    @display(description=_("报送"))
    def filing(self, obj):
        if hasattr(obj, "units_asked"):
            return f"{obj.units_asked - obj.units_missing}/{obj.units_asked}"
        status = queries.call_status(obj)
        done = sum(1 for s in status if s.complete)
        return f"{done}/{len(status)}"

    @display(description=_("各单位报送情况"))
    def filing_status(self, obj):
        rows = queries.call_status(obj)
        body = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    r.organisation.name,
                    r.expected,
                    r.filed,
                    _("已报齐") if r.complete else _("未报:%s") % "、".join(r.missing[:20]),
                )
                for r in rows
            ),
        )
        return format_html(
            '<table class="ecogov-call-status"><tr><th>{}</th><th>{}</th>'
            "<th>{}</th><th>{}</th></tr>{}</table>",
            _("单位"),
            _("应报"),
            _("已报"),
            _("情况"),
            body,
        )

    def save_model(self, request, obj, form, change):
        if change:
            return  # a call's terms do not change once units have been asked
        data = form.cleaned_data
        call = services.progress_call_open(
            actor=request.user,
            title=data["title"],
            due_on=data["due_on"],
            kind=data.get("kind") or "",
            source=data.get("source"),
            division=data.get("division"),
            note=data.get("note") or "",
        )
        self.adopt(obj, call)

    @action(description=_("导出调度汇总"), url_path="export")
    def export_summary(self, request, object_id):
        call = self.get_queryset(request).get(pk=object_id)
        content = ledger.export_call_summary(actor=request.user, call=call)
        return xlsx_response(content, f"call-{call.pk}", stamp=TO_THE_DAY)

    @action(description=_("结束调度"), url_path="close", permissions=["edit_record"])
    def close_call(self, request, object_id):
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        call = self.get_queryset(request).get(pk=object_id)
        services.progress_call_close(actor=request.user, call=call)
        messages.success(request, _("调度已结束。"))
        return HttpResponseRedirect(reverse("admin:matters_progresscall_change", args=[call.pk]))


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["sent_on", "organisation", "overdue", "due_soon", "recipients"]
    list_filter = ["sent_on"]

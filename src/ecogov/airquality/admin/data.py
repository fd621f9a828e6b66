from django.contrib import admin
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join, mark_safe
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.airquality import services
from ecogov.airquality.ingest import InputError
from ecogov.airquality.models import CHECKS, FLAG_FIELDS, VALUE_FIELDS, ImportBatch, Observation
from ecogov.core.admin.base import ReadOnlyAdmin


class HasProblemsFilter(admin.SimpleListFilter):
    title = _("问题")
    parameter_name = "has_problems"

    def lookups(self, request, model_admin):
        return [("1", _("有问题")), ("0", _("无问题"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(problems_total__gt=0)
        if self.value() == "0":
            return queryset.filter(problems_total=0)
        return queryset


class ChecksFilter(admin.SimpleListFilter):
    title = _("可疑或无效")
    parameter_name = "suspect"

    def lookups(self, request, model_admin):
        return [("checks", _("有可疑标识")), ("flags", _("有无效标记"))]

    def queryset(self, request, queryset):
        if self.value() == "checks":
            return queryset.filter(checks__gt=0)
        if self.value() == "flags":
            flagged = Q()
            for f in FLAG_FIELDS.values():
                flagged |= ~Q(**{f: ""})
            return queryset.filter(flagged)
        return queryset


def _cell(pollutant):
    vf, ff = VALUE_FIELDS[pollutant], FLAG_FIELDS[pollutant]

    @admin.display(description=Observation._meta.get_field(vf).verbose_name)
    def show(obj):
        value, flag = getattr(obj, vf), getattr(obj, ff)
        text = "—" if value is None else f"{value:g}"
        return (
            format_html("{} <span title='{}'>[{}]</span>", text, _("无效标记"), flag)
            if flag
            else text
        )

    show.__name__ = f"show_{vf}"
    return show


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    """Read-only: hourly data change only through an import, which records who and why."""

    list_display = ["station", "hour_local", *[_cell(p) for p in VALUE_FIELDS], "checks_text"]
    list_filter = [ChecksFilter, "station"]
    search_fields = ["station__code", "station__name"]
    list_select_related = ["station"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description=_("小时(起始,北京时间)"), ordering="hour")
    def hour_local(self, obj):
        return f"{timezone.localtime(obj.hour):%Y-%m-%d %H:%M}"

    @admin.display(description=_("可疑标识"))
    def checks_text(self, obj):
        return "、".join(str(text) for bit, text in CHECKS.items() if obj.checks & bit) or "—"


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "imported_at",
        "file_name",
        "layout",
        "imported_by",
        "source",
        "values_added",
        "values_unchanged",
        "values_replaced",
        "values_rejected",
        "problems_total",
    ]
    list_filter = [HasProblemsFilter, "source", "layout"]
    search_fields = ["file_name", "file_sha256"]
    list_select_related = ["imported_by"]
    actions_list = ["upload"]
    fields = [
        "file_name",
        "file_sha256",
        "file_size",
        "layout",
        "source",
        "imported_by",
        "imported_at",
        "replace",
        "rows_read",
        "values_added",
        "values_unchanged",
        "values_replaced",
        "values_missing",
        "values_flagged",
        "values_rejected",
        "warnings",
        "years",
        "stations",
        "problems_total",
        "problems_table",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_import_data_permission(self, request, obj=None):
        return (
            request.user.has_perm(services.IMPORT_PERMISSION)
            and services.Station.objects.editable_by(request.user).exists()
        )

    @admin.display(description=_("问题清单"))
    def problems_table(self, obj):
        if not obj.problems:
            return "—"
        cell = 'style="padding:2px 8px;white-space:nowrap;vertical-align:top"'
        rows = format_html_join(
            "",
            "<tr><td {}>{}</td><td {}>{}</td><td {}>{}</td><td {}>{}</td><td>{}</td></tr>",
            (
                (
                    mark_safe(cell),
                    p["file"],
                    mark_safe(cell),
                    p["line"],
                    mark_safe(cell),
                    p["field"],
                    mark_safe(cell),
                    _("警告") if p["kind"] == "warning" else _("错误"),
                    p["message"],
                )
                for p in obj.problems
            ),
        )
        more = (
            ""
            if obj.problems_total <= len(obj.problems)
            else format_html(
                "<p>{}</p>",
                _("另有 %(n)d 处未列出。") % {"n": obj.problems_total - len(obj.problems)},
            )
        )
        head = format_html_join(
            "",
            '<th style="padding:2px 8px;text-align:left">{}</th>',
            ((t,) for t in (_("文件"), _("行"), _("字段"), _("类别"), _("说明"))),
        )
        return format_html(
            '<table class="aq-problems"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>{}',
            head,
            rows,
            more,
        )

    @action(description=_("上传小时数据"), url_path="upload", permissions=["import_data"])
    def upload(self, request):
        """Row-tolerant: valid values are imported, every problem is listed on the batch. The
        files run as one background job; the job's page links to the batch (or batches)."""
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("导入空气质量小时数据"),
            "accept": ".csv,.xlsx",
            "multiple": True,
            "partial_import": True,
        }
        files = request.FILES.getlist("file") if request.method == "POST" else []
        if request.method == "POST" and not files:
            context["errors"] = [_("请选择要导入的文件(.csv 或 .xlsx)。")]
        elif files:  # a background job (docs/jobs.md): its page shows the progress, then batches
            try:
                job = services.import_start(
                    actor=request.user,
                    files=files,
                    source=ImportBatch.Source.ADMIN,
                    replace=request.POST.get("replace") == "1",
                )
            except InputError as exc:  # not a readable file at all: named here, no job
                context["errors"] = [str(exc)]
            else:
                return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))
        return TemplateResponse(request, "airquality/import.html", context)

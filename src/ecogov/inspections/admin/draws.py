"""Screens for draws (read-only: verify, redraw with a reason, download the files) and for
what is due to be published."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core.admin.base import ReadOnlyInline, ScopedModelAdmin
from ecogov.core.display import json_html
from ecogov.core.downloads import TEXT, file_response
from ecogov.core.models import EntityCategory
from ecogov.core.scoping import can_edit
from ecogov.inspections import services
from ecogov.inspections.jobs import redraw_start, verify_start
from ecogov.inspections.models import Draw, DrawCheck, DrawStatus, Publication, Seed

from .common import form_page, run_service


class CheckInline(ReadOnlyInline):
    model = DrawCheck
    fields = ["category_label", "rank", "entity", "division", "inspector_names"]
    readonly_fields = fields

    @admin.display(description=_("监管类别"))
    def category_label(self, obj):
        return (
            EntityCategory(obj.category).label
            if obj.category in EntityCategory.values
            else obj.category
        )

    ordering = ["category", "rank"]
    verbose_name_plural = _("抽取结果")

    @admin.display(description=_("执法人员"))
    def inspector_names(self, obj):
        return "、".join(str(a.inspector) for a in obj.assignments.all())

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("entity", "division")
            .prefetch_related("assignments__inspector")
        )


class RedrawForm(forms.Form):
    reason = forms.CharField(label=_("重新抽取理由"), widget=forms.Textarea(attrs={"rows": 3}))
    seed = forms.ModelChoiceField(label=_("随机种子(须事先新公布)"), queryset=Seed.objects.none())

    def __init__(self, *args, draw, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seed"].queryset = draw.plan.seeds.filter(draw__isnull=True)


@admin.register(Draw)
class DrawAdmin(ScopedModelAdmin):
    list_display = [
        "__str__",
        "division",
        "drawn_at",
        "drawn_by",
        "status",
        "short_input_hash",
        "short_result_hash",
    ]
    list_filter = ["status", "division"]
    search_fields = ["plan__name", "input_hash", "result_hash"]
    list_select_related = ["plan", "division", "drawn_by"]
    date_hierarchy = "drawn_at"
    inlines = [CheckInline]
    actions_detail = ["verify_detail", "redraw", "download_document", "download_result"]
    fields = [
        "plan",
        "number",
        "status",
        "supersedes",
        "redraw_reason",
        "seed",
        "drawn_at",
        "drawn_by",
        "inspection_date",
        "algorithm_version",
        "input_hash",
        "result_hash",
        "tallies",
        "entity_pool_size",
        "inspector_pool_size",
        "conflict_count",
        "skipped_compliant_count",
    ]
    readonly_fields = fields

    @admin.display(description=_("输入哈希"))
    def short_input_hash(self, obj):
        return obj.input_hash[:16] + "…"

    @admin.display(description=_("结果哈希"))
    def short_result_hash(self, obj):
        return obj.result_hash[:16] + "…"

    def has_add_permission(self, request):
        return False  # draws are made from a plan ("立即抽取")

    def has_change_permission(self, request, obj=None):
        return False

    def has_redraw_permission(self, request, object_id=None):
        return request.user.has_perm("inspections.add_draw")

    def _draw(self, request, object_id) -> Draw:
        return get_object_or_404(
            self.get_queryset(request).select_related("plan", "seed"), pk=object_id
        )

    @action(description=_("复核"), url_path="verify")
    def verify_detail(self, request, object_id):
        """Recomputing a city's draw takes a while: a background job, whose page shows the
        verification's report and leads back to the draw (docs/jobs.md)."""
        draw = self._draw(request, object_id)
        job = verify_start(actor=request.user, draw=draw)
        return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))

    @action(description=_("重新抽取"), url_path="redraw", permissions=["redraw"])
    def redraw(self, request, object_id):
        draw = self._draw(request, object_id)
        form = RedrawForm(request.POST or None, draw=draw)
        info = _(
            "重新抽取不会删除本次抽取:本次抽取标记为“已被重新抽取取代”,两次抽取及理由都保留并公开。"
            "须先在“随机种子公告”中为该计划公布新的种子。"
        )
        if draw.status != DrawStatus.ACTIVE or not can_edit(request.user, draw.plan):
            return form_page(
                self,
                request,
                title=_("重新抽取"),
                info=info,
                errors=[_("只能由有权办理的人员对有效的抽取重新抽取。")],
            )
        if request.method == "POST" and form.is_valid():  # a background job, as a draw
            job = redraw_start(
                actor=request.user,
                draw=draw,
                reason=form.cleaned_data["reason"],
                seed=form.cleaned_data["seed"],
            )
            return HttpResponseRedirect(reverse("admin:core_job_change", args=[job.pk]))
        return form_page(self, request, title=_("重新抽取:%s") % draw, form=form, info=info)

    def _download(self, content: bytes, name: str):
        return file_response(content, name, TEXT)

    @action(description=_("下载输入文件"), url_path="document")
    def download_document(self, request, object_id):
        draw = self._draw(request, object_id)
        return self._download(bytes(draw.input_document), f"draw-{draw.pk}-inputs.txt")

    @action(description=_("下载结果文件"), url_path="result")
    def download_result(self, request, object_id):
        from ecogov.inspections.draw import result_document

        draw = self._draw(request, object_id)
        return self._download(
            result_document(services.stored_result(draw)), f"draw-{draw.pk}-result.txt"
        )


class PendingFilter(admin.SimpleListFilter):
    title = _("公开状态")
    parameter_name = "pending"

    def lookups(self, request, model_admin):
        return [("1", _("待公开")), ("0", _("已公开"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(published_on__isnull=self.value() == "1")
        return queryset


@admin.register(Publication)
class PublicationAdmin(ScopedModelAdmin):
    list_display = [
        "title",
        "kind",
        "division",
        "trigger_on",
        "due_on",
        "due_provisional",
        "published_on",
        "on_time",
    ]
    list_filter = [PendingFilter, "kind", "on_time", "division"]
    search_fields = ["title"]
    list_select_related = ["division"]
    date_hierarchy = "due_on"
    actions = ["publish"]
    fields = [
        "title",
        "kind",
        "division",
        "trigger_on",
        "due_on",
        "due_provisional",
        "published_on",
        "published_by",
        "on_time",
        "content_display",
    ]
    readonly_fields = fields

    @admin.display(description=_("公开内容"))
    def content_display(self, obj):
        if not obj.content:
            return _("(公开时生成)")
        return json_html(obj.content)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @action(description=_("公开所选(今天)"))
    def publish(self, request, queryset):
        done = 0
        for publication in queryset.filter(published_on__isnull=True):
            done += run_service(
                request,
                lambda p=publication: services.publication_publish(
                    actor=request.user, publication=p
                ),
                Publication,
            )
        if done:
            messages.success(request, _("已公开 %d 项。") % done)

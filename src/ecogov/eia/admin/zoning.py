"""Screens of the 三线一单 data: control units (GeoJSON import), rule versions, screenings and review."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from unfold.decorators import action

from ecogov.core.admin.base import ReadOnlyAdmin, ScopedModelAdmin
from ecogov.core.models import Division
from ecogov.core.scoping import can_edit

from .. import services
from ..models import ControlUnit, ZoningDataset, ZoningScreening
from .projects import error_lines


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件"))
    division = forms.ModelChoiceField(
        label=_("默认区划"),
        required=False,
        queryset=Division.objects.all(),
        help_text=_("单元编码中没有区划代码、也无 division 属性时使用"),
    )
    note = forms.CharField(label=_("说明"), required=False)


def _upload_page(model_admin, request, *, title, hint, handle, done_url):
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            message = handle(upload.read(), upload.name, form.cleaned_data)
        except ValidationError as exc:
            errors = error_lines(exc)
        except PermissionDenied as exc:
            errors = str(exc).splitlines()
        else:
            messages.success(request, message)
            return HttpResponseRedirect(done_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "hint": hint,
        "form": form,
        "errors": errors,
    }
    return TemplateResponse(request, "core/form_page.html", context)


@admin.register(ControlUnit)
class ControlUnitAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "unit_class", "division", "repaired", "is_active", "dataset"]
    list_filter = ["unit_class", "is_active", "repaired", "division"]
    search_fields = ["code", "name"]
    list_select_related = ["division", "dataset"]
    readonly_fields = [
        "code",
        "name",
        "unit_class",
        "division",
        "flags",
        "access",
        "geometry",
        "repaired",
        "is_active",
        "dataset",
    ]
    actions_list = ["import_geojson"]

    def has_add_permission(self, request):
        return False  # units come from a GeoJSON import, all or nothing

    def has_change_permission(self, request, obj=None):
        return False

    @action(description=_("导入管控单元(GeoJSON)"), url_path="import-geojson", permissions=["view"])
    def import_geojson(self, request):
        def handle(content, name, data):
            dataset = services.control_units_import(
                actor=request.user, source=content, name=name, division=data.get("division")
            )
            repairs = "".join(f"\n{note}" for note in dataset.repairs)
            return _("已导入 %(n)d 个管控单元。") % {"n": dataset.unit_count} + repairs

        return _upload_page(
            self,
            request,
            title=_("导入环境管控单元"),
            hint=_(
                "GeoJSON FeatureCollection,每个要素为一个管控单元(字段见 docs/zoning.md,另可加 "
                "division 区划代码)。文件覆盖其所涉区划的现有单元;任何错误都会使整个文件不被导入。"
            ),
            handle=handle,
            done_url=reverse("admin:eia_controlunit_changelist"),
        )


@admin.register(ZoningDataset)
class ZoningDatasetAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "name", "is_active", "unit_count", "imported_at", "imported_by"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["imported_by"]
    readonly_fields = [
        "kind",
        "name",
        "sha256",
        "document",
        "is_active",
        "unit_count",
        "repairs",
        "note",
        "imported_at",
        "imported_by",
    ]
    actions_list = ["activate_rules"]

    @action(
        description=_("启用新版“一律不批”规则"), url_path="activate-rules", permissions=["view"]
    )
    def activate_rules(self, request):
        def handle(content, name, data):
            dataset = services.refusal_rules_activate(
                actor=request.user, document=content, name=name, note=data.get("note", "")
            )
            return _("已启用规则版本 #%(pk)d。") % {"pk": dataset.pk}

        return _upload_page(
            self,
            request,
            title=_("启用“一律不批”规则"),
            hint=_(
                "JSON 规则文档(格式见 docs/zoning.md)。只有局领导或法制审核人员可以启用;"
                "启用后原版本停止使用,已有筛查结果保留其当时的规则版本。"
            ),
            handle=handle,
            done_url=reverse("admin:eia_zoningdataset_changelist"),
        )


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("复核结论"),
        choices=[("confirm", _("确认不予批准")), ("override", _("否定建议(须写明理由)"))],
    )
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


@admin.register(ZoningScreening)
class ZoningScreeningAdmin(ScopedModelAdmin):
    list_display = ["project", "screened_at", "refuse", "review", "reviewed_by"]
    list_filter = ["review", "refuse"]
    search_fields = ["project__reference", "project__name"]
    list_select_related = ["project", "reviewed_by"]
    readonly_fields = [f.name for f in ZoningScreening._meta.fields]

    def edit_target(self, obj):
        return obj.project  # a screening is reviewed by those who handle its project

    actions_detail = ["review_step"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @action(description=_("复核"), url_path="review", permissions=["edit_record"])
    def review_step(self, request, object_id):
        screening = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not can_edit(request.user, screening.project):
            raise PermissionDenied
        form = ReviewForm(request.POST or None)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            service = (
                services.screening_confirm
                if form.cleaned_data["outcome"] == "confirm"
                else services.screening_override
            )
            try:
                service(actor=request.user, screening=screening, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                errors = error_lines(exc)
            except PermissionDenied as exc:
                errors = [str(exc)]
            else:
                messages.success(request, _("已复核。"))
                return HttpResponseRedirect(
                    reverse("admin:eia_zoningscreening_change", args=[screening.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("复核筛查结果:%s") % screening.project,
            "form": form,
            "errors": errors,
            "info": screening.summary,
        }
        return TemplateResponse(request, "core/form_page.html", context)

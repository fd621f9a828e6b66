"""Outlines in the back office: the legal section copies one and edits sections, order, figures
and sentence templates, and the part/whole checks, without a developer."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from unfold.admin import StackedInline, TabularInline
from unfold.decorators import action

from ecogov.core.admin.base import HistoryModelAdmin
from ecogov.core.replica import reads_replica

from .. import services, sources
from ..models import Outline, Relation, Section
from . import pages


def _known(outline) -> set[str]:
    return sources.known_keys(services.years_for(outline))


class SectionForm(forms.ModelForm):
    outline = None  # set per request by the inline (the keys known for its years)

    class Meta:
        model = Section
        fields = ["position", "level", "heading", "template", "guidance"]
        widgets = {
            "template": forms.Textarea(attrs={"rows": 3}),
            "guidance": forms.Textarea(attrs={"rows": 1}),
        }

    def clean(self):
        data = super().clean()
        known = _known(self.outline)
        for field in ("heading", "template"):
            problems = services.template_problems(data.get(field) or "", known)
            if problems:
                self.add_error(field, _("引用有误:") + ";".join(problems) + "。")
        return data


class RelationForm(forms.ModelForm):
    outline = None

    class Meta:
        model = Relation
        fields = ["expression", "note"]

    def clean_expression(self):
        expression = self.cleaned_data["expression"]
        problems = services.validate_relation(expression, _known(self.outline))
        if problems:
            raise forms.ValidationError(";".join(problems) + "。")
        return expression


class _OutlineInline:
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.outline = obj
        return formset

    def _writable(self, request, obj):
        return obj is not None and not obj.is_builtin and services.can_write(request.user)

    def has_add_permission(self, request, obj=None):
        return self._writable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._writable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._writable(request, obj)


class SectionInline(_OutlineInline, StackedInline):
    model = Section
    form = SectionForm
    fields = ["position", "level", "heading", "template", "guidance"]
    ordering = ["position", "pk"]
    verbose_name_plural = _("章节(按顺序;序号按层级自动编排)")


class RelationInline(_OutlineInline, TabularInline):
    model = Relation
    form = RelationForm
    fields = ["expression", "note"]
    verbose_name_plural = _("核对关系(导出前核对:部分之和等于总数,比率由分子分母重算)")


class CopyForm(forms.Form):
    name = forms.CharField(label=_("新提纲名称"), max_length=100)


@admin.register(Outline)
class OutlineAdmin(HistoryModelAdmin):
    list_display = ["name", "kind", "is_builtin", "based_on", "section_count", "updated_at"]
    list_filter = ["kind", "is_builtin"]
    search_fields = ["name"]
    fields = ["name", "kind", "title", "issuer", "description", "is_builtin", "based_on"]
    readonly_fields = ["is_builtin", "based_on"]
    inlines = [SectionInline, RelationInline]
    actions_detail = ["copy_outline", "open_report"]

    @admin.display(description=_("章节数"))
    def section_count(self, obj):
        return obj.sections.count()

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or not obj.is_builtin)

    def has_delete_permission(self, request, obj=None):
        return False  # an outline with narratives or publications is kept; copies are cheap

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in services.OUTLINE_FIELDS
            if name in form.cleaned_data
        }
        target = Outline.objects.get(pk=obj.pk) if change else Outline()
        saved = services.outline_save(actor=request.user, outline=target, data=data)
        self.adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        outline = form.instance
        known = _known(outline)
        for inline_form in formset.forms:
            instance = inline_form.instance
            if inline_form in formset.deleted_forms:
                if instance.pk:
                    delete = (
                        services.section_delete
                        if formset.model is Section
                        else services.relation_delete
                    )
                    delete(actor=request.user, **{formset.model._meta.model_name: instance})
                continue
            if not inline_form.has_changed() and instance.pk:
                continue
            if not inline_form.cleaned_data:
                continue
            data = {
                k: v for k, v in inline_form.cleaned_data.items() if k in inline_form._meta.fields
            }
            instance.outline = outline
            if formset.model is Section:
                services.section_save(actor=request.user, section=instance, data=data, known=known)
            else:
                services.relation_save(
                    actor=request.user, relation=instance, data=data, known=known
                )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            # the pages that only count and show read the replica when there is one (its GETs;
            # core/replica.py), after the admin door has checked the user on the primary
            path(
                "figures/",
                view(reads_replica(lambda r: pages.figures_view(self, r))),
                name="reports-figures",
            ),
            path(
                "report/",
                view(reads_replica(lambda r: pages.report_view(self, r))),
                name="reports-report",
            ),
            path(
                "records/",
                view(reads_replica(lambda r: pages.records_view(self, r))),
                name="reports-records",
            ),
            *super().get_urls(),
        ]

    @action(description=_("复制为新提纲"), url_path="copy", permissions=["copy_outline"])
    def copy_outline(self, request, object_id):
        if not services.can_write(request.user):
            raise PermissionDenied
        outline = Outline.objects.get(pk=object_id)
        form = CopyForm(
            request.POST or None, initial={"name": _("%(name)s(副本)") % {"name": outline.name}}
        )
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                copy = services.outline_copy(
                    actor=request.user, outline=outline, name=form.cleaned_data["name"]
                )
            except (PermissionDenied, ValidationError) as exc:
                errors = getattr(exc, "messages", [str(exc)])
            else:
                messages.success(
                    request,
                    _("已复制为“%(name)s”,可编辑其章节、数据语句和核对关系。")
                    % {"name": copy.name},
                )
                return HttpResponseRedirect(reverse("admin:reports_outline_change", args=[copy.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("复制提纲:%(name)s") % {"name": outline.name},
            "form": form,
            "errors": errors,
            "hint": _("复制提纲的全部章节、数据语句、核对关系和各年度叙述;副本可自由编辑。"),
        }
        return TemplateResponse(request, "core/form_page.html", context)

    def has_copy_outline_permission(self, request, object_id=None):
        return services.can_write(request.user)

    @action(description=_("按此提纲生成报告"), url_path="open-report")
    def open_report(self, request, object_id):
        return HttpResponseRedirect(reverse("admin:reports-report") + f"?outline={object_id}")

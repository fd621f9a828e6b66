"""Narratives: the year's text of a section, written by the legal section, with its history."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ecogov.core.admin.base import HistoryModelAdmin

from .. import services, sources
from ..models import Narrative, Section
from ..params import default_year


class SectionChoice(forms.ModelChoiceField):
    def label_from_instance(self, section):
        heading = section.heading or _("(不编号段落)")
        return f"{section.outline.name} / {section.position} {heading}"


class NarrativeForm(forms.ModelForm):
    section = SectionChoice(
        Section.objects.select_related("outline").order_by("outline__name", "position", "pk"),
        label=_("章节"),
    )

    class Meta:
        model = Narrative
        fields = ["section", "year", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "text": _(
                "本年度本节的正文。可用 {键} 引用数据项(如 {eia.approved.total}),"
                "数字将由台账计算;直接写入的数字会在导出前与台账核对。"
            )
        }

    def clean(self):
        data = super().clean()
        section, year = data.get("section"), data.get("year")
        if section is not None and year:
            if not 2000 <= year <= 2100:
                self.add_error("year", _("年度应在2000至2100之间。"))
            known = sources.known_keys(services.years_for(section.outline) | {year})
            problems = services.template_problems(data.get("text") or "", known)
            if problems:
                self.add_error("text", _("引用有误:") + ";".join(problems) + "。")
        return data


@admin.register(Narrative)
class NarrativeAdmin(HistoryModelAdmin):
    form = NarrativeForm
    list_display = ["year", "outline_name", "section", "updated_by", "updated_at"]
    list_filter = ["year", "section__outline"]
    search_fields = ["text", "section__heading"]
    list_select_related = ["section__outline", "updated_by"]

    @admin.display(description=_("提纲"))
    def outline_name(self, obj):
        return obj.section.outline.name

    @admin.display(description=_("提纲的数据语句与撰写提示"))
    def section_template(self, obj):
        if obj is None or not obj.section_id:
            return ""
        return format_html(
            "<div>{}</div><div class='text-sm'>{}</div>",
            obj.section.template or "—",
            obj.section.guidance or "",
        )

    def get_fields(self, request, obj=None):
        return (
            ["section", "year", "section_template", "text"] if obj else ["section", "year", "text"]
        )

    def get_readonly_fields(self, request, obj=None):
        return ["section", "year", "section_template"] if obj else []

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("year", default_year())
        section = Section.objects.filter(pk=initial.get("section") or 0).first()
        if section is not None and "text" not in initial:
            initial["text"] = section.template  # start from the outline's data sentences
        return initial

    def has_delete_permission(self, request, obj=None):
        return False  # a section's text is emptied, not deleted: its history stays readable

    def save_model(self, request, obj, form, change):
        section = obj.section if change else form.cleaned_data["section"]
        year = obj.year if change else form.cleaned_data["year"]
        saved = services.narrative_save(
            actor=request.user, section=section, year=year, text=form.cleaned_data.get("text") or ""
        )
        self.adopt(obj, saved)

"""Batches, campaign plans (aspects, measures) and their scoring rules."""

from django.contrib import admin
from django.urls import path
from unfold.admin import TabularInline

from ecogov.core.admin.base import HistoryModelAdmin, ModelAdmin
from ecogov.core.display import code_column
from ecogov.matters import services
from ecogov.matters.models import Aspect, AssessmentScheme, Measure, Source

from . import views


class AspectInline(TabularInline):
    model = Aspect
    extra = 0
    can_delete = False
    fields = ["number", "name"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(HistoryModelAdmin):
    list_display = ["name", "code_shown", "kind", "level", "year", "started_on", "feedback_on"]
    code_shown = code_column()
    list_filter = ["kind", "level", "year"]
    search_fields = ["name", "code"]
    inlines = [AspectInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {
            n: form.cleaned_data[n]
            for n in form.changed_data
            if n in services.sources.SOURCE_FIELDS
        }
        if change:
            services.source_update(
                actor=request.user, source=Source.objects.get(pk=obj.pk), data=data
            )
        else:
            source = services.source_create(
                actor=request.user,
                data={
                    n: form.cleaned_data.get(n)
                    for n in services.sources.SOURCE_FIELDS
                    if n in form.cleaned_data
                },
            )
            self.adopt(obj, source)

    def get_urls(self):
        site = self.admin_site
        return [
            path("overdue/", site.admin_view(views.overdue_view), name="matters-overdue"),
            path("assessment/", site.admin_view(views.assessment_view), name="matters-assessment"),
            *super().get_urls(),
        ]


@admin.register(Aspect)
class AspectAdmin(ModelAdmin):
    list_display = ["source", "number", "name"]
    list_filter = ["source"]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        aspect = services.plan_add_aspect(
            actor=request.user, source=obj.source, number=obj.number, name=obj.name
        )
        self.adopt(obj, aspect)


@admin.register(Measure)
class MeasureAdmin(ModelAdmin):
    list_display = ["aspect", "number", "text"]
    list_filter = ["aspect__source"]
    search_fields = ["text"]

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        measure = services.plan_add_measure(
            actor=request.user, aspect=obj.aspect, number=obj.number, text=obj.text
        )
        self.adopt(obj, measure)


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(HistoryModelAdmin):
    list_display = [
        "source",
        "base",
        "on_time_points",
        "late_points",
        "overdue_penalty",
        "missed_report_penalty",
        "floor",
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = {n: form.cleaned_data[n] for n in services.sources.SCHEME_FIELDS}
        scheme = services.assessment_scheme_set(actor=request.user, source=obj.source, data=data)
        self.adopt(obj, scheme)

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin

from ecogov.core.models import CalendarYear, WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(SimpleHistoryAdmin, ModelAdmin):
    list_display = ["day", "is_workday", "name", "source_document"]
    list_filter = ["is_workday"]
    date_hierarchy = "day"


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin, ModelAdmin):
    list_display = ["year", "source_document"]
